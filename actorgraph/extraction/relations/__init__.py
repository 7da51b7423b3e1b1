"""Relation extraction: spaCy components that turn entity mentions into typed relations.

Importing this package registers the factories (``actorgraph_rel_<name>``):

* ``actorgraph_rel_roles`` — HOLDS, IN, TRANSITIONED_TO from role statements;
* ``actorgraph_rel_transitions`` — removed roles (TRANSITIONED_TO with ``removed``);
* ``actorgraph_rel_spread`` — SPREAD_TO (initiative, from, to, mode);
* ``actorgraph_rel_implements`` — IMPLEMENTS with status;
* ``actorgraph_rel_organisations`` — MEMBER_OF, PART_OF, PARTNER_OF, LEADS, FUNDS,
  COMMISSIONS, SUCCEEDED_BY;
* ``actorgraph_rel_quotes`` — quotation attribution (speaker -> what the quote says).

:func:`~actorgraph.extraction.relations.tables.relations_from_tables` reads
site-by-initiative matrices (IMPLEMENTS); the assembly calls it per document.
"""

from actorgraph.extraction.relations import (  # noqa: F401  (registers the factories)
    implements,
    organisations,
    quotes,
    roles,
    spread,
    transitions,
)
from actorgraph.extraction.relations.tables import relations_from_tables

#: Component names in the order the pipeline adds them (``relation_components = "auto"``).
RELATION_COMPONENTS: tuple[str, ...] = (
    "actorgraph_rel_roles",
    "actorgraph_rel_transitions",
    "actorgraph_rel_spread",
    "actorgraph_rel_implements",
    "actorgraph_rel_organisations",
    "actorgraph_rel_quotes",
)

__all__ = ["RELATION_COMPONENTS", "relations_from_tables"]
