"""The query layer: boundary spanners, role-transfer paths, initiative spread, search.

Every function takes the resolved graph in its export form
(``store.to_networkx()``, an ``nx.MultiDiGraph``); :func:`transfer_paths` also
takes a store and runs Cypher on Neo4j. Results are plain dicts and lists,
ready for JSON, tables and the app.
"""

from actorgraph.queries.brokerage import brokerage_matrix, brokerage_roles
from actorgraph.queries.centrality import betweenness, normalise_betweenness
from actorgraph.queries.network import (
    NetworkSettings,
    affiliation_graph,
    build_person_network,
    person_affiliations,
    person_groups,
    person_network,
)
from actorgraph.queries.participation import participation_coefficient
from actorgraph.queries.search import neighbourhood, search, shortest_evidenced_path
from actorgraph.queries.spanners import combined_score, explain_spanner, spanner_table
from actorgraph.queries.spread import (
    initiative_groups,
    initiative_matrix,
    initiative_spread,
    initiatives,
)
from actorgraph.queries.structuralholes import constraint, effective_size
from actorgraph.queries.transfers import ended_roles, match_nodes, sankey_links, transfer_paths

__all__ = [
    "NetworkSettings",
    "affiliation_graph",
    "betweenness",
    "brokerage_matrix",
    "brokerage_roles",
    "build_person_network",
    "combined_score",
    "constraint",
    "effective_size",
    "ended_roles",
    "explain_spanner",
    "initiative_groups",
    "initiative_matrix",
    "initiative_spread",
    "initiatives",
    "match_nodes",
    "neighbourhood",
    "normalise_betweenness",
    "participation_coefficient",
    "person_affiliations",
    "person_groups",
    "person_network",
    "sankey_links",
    "search",
    "shortest_evidenced_path",
    "spanner_table",
    "transfer_paths",
]
