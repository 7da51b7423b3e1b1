"""Bracketed redactions become anonymised mentions of the right type."""

from __future__ import annotations

import pytest

from actorgraph.extraction.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


@pytest.mark.parametrize(
    ("text", "label", "props"),
    [
        ("[name]", "PERSON", {"anonymised": True}),
        ("[named individual]", "PERSON", {"anonymised": True}),
        ("[named practice nurse]", "PERSON", {"anonymised": True, "role_label": "practice nurse"}),
        ("[area a]", "PLACE", {"anonymised": True, "place_type": "area"}),
        ("[our locality]", "PLACE", {"anonymised": True}),
        ("[ICS]", "ORG", {"anonymised": True, "org_type": "ICS"}),
        ("[CCG]", "ORG", {"anonymised": True, "org_type": "CCG"}),
        ("[trust]", "ORG", {"anonymised": True, "org_type": "NHS_TRUST"}),
        ("[named hospital]", "ORG", {"anonymised": True, "org_type": "NHS_TRUST"}),
        ("[named charity]", "ORG", {"anonymised": True, "org_type": "VOLUNTARY"}),
        ("[Vanguard]", "SITE", {"anonymised": True}),
        ("[name of site]", "SITE", {"anonymised": True}),
        ("[named MDT]", "INITIATIVE", {"anonymised": True}),
    ],
)
def test_redaction_types(nlp, text, label, props):
    doc = nlp(f"Then {text} said it would go ahead.")
    hits = [e for e in doc.ents if e.text == text]
    assert len(hits) == 1, [(e.text, e.label_) for e in doc.ents]
    assert hits[0].label_ == label
    for key, value in props.items():
        assert hits[0]._.props[key] == value


def test_insertion_of_a_named_body_is_that_body(nlp):
    doc = nlp("They [NHSE] wanted results.")
    hit = [e for e in doc.ents if e.text == "[NHSE]"][0]
    assert hit._.canonical == "NHS England"
    assert not hit._.props.get("anonymised")


@pytest.mark.parametrize("text", ["[...]", "[…]", "[were]", "[sic]", "[they've]", "[12]"])
def test_elisions_and_glosses_are_not_entities(nlp, text):
    doc = nlp(f"And {text} it went on.")
    assert not [e for e in doc.ents if text in e.text]


def test_unidentified_people_are_distinct_identified_places_merge(nlp):
    doc = nlp("[name] met [name] in [area b] and later in [area b].")
    people = [e for e in doc.ents if e.label_ == "PERSON"]
    assert len(people) == 2 and all(e._.props.get("_distinct") for e in people)
    places = [e for e in doc.ents if e.label_ == "PLACE"]
    assert {e._.canonical for e in places} == {"[area b]"}
