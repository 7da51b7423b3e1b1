"""The entity side of the spaCy pipeline: one domain component per module.

Importing this package registers the factories:

* ``actorgraph_paragraphs`` (:mod:`.paragraphs`): blank lines are sentence breaks (before
  the parser);
* ``actorgraph_ner_mapping`` (:mod:`.ner_mapping`): stock NER labels -> graph labels;
* ``actorgraph_gazetteer`` (:mod:`.gazetteer`): the genre's vocabulary, as JSONL data;
* ``actorgraph_site_codes`` (:mod:`.site_codes`): ``Site 1`` .. ``Site N``;
* ``actorgraph_respondent_codes`` (:mod:`.respondent_codes`): anonymised respondents;
* ``actorgraph_redactions`` (:mod:`.redactions`): ``[name]``, ``[area a]``, ``[ICS]``...;
* ``actorgraph_abbreviations`` (:mod:`.abbreviations`): "Long Form (LF)" applied to "LF";
* ``actorgraph_citations`` (:mod:`.citations`): citations and author lists are not actors;
* ``actorgraph_guarded`` (:mod:`.guard`): wraps each relation component so that its failure
  on a chunk becomes a warning;
* ``actorgraph_transport`` (:mod:`.transport`): added last, turns ``Doc._.relations`` into
  plain data so that chunks can come back from worker processes.
"""

from actorgraph.extraction.components import (  # noqa: F401
    abbreviations,
    citations,
    gazetteer,
    guard,
    ner_mapping,
    paragraphs,
    redactions,
    respondent_codes,
    site_codes,
    transport,
)

#: The entity components in pipeline order (after the stock ``ner``).
ENTITY_COMPONENTS: tuple[str, ...] = (
    "actorgraph_ner_mapping",
    "actorgraph_gazetteer",
    "actorgraph_site_codes",
    "actorgraph_respondent_codes",
    "actorgraph_redactions",
    "actorgraph_abbreviations",
    "actorgraph_citations",
)
