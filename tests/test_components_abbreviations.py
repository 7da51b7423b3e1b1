"""Abbreviation definitions found (Schwartz-Hearst style) and applied to the rest of the text."""

from __future__ import annotations

import pytest

from actorgraph.extraction.components.abbreviations import best_long_form, find_abbreviations
from actorgraph.extraction.pipeline import build_nlp


@pytest.mark.parametrize(
    ("text", "short", "long"),
    [
        ("The Clinical Commissioning Group (CCG) met.", "CCG", "Clinical Commissioning Group"),
        ("The CCG (Clinical Commissioning Group) met.", "CCG", "Clinical Commissioning Group"),
        ("a Health and Wellbeing Board (HWB) sat", "HWB", "Health and Wellbeing Board"),
        ("the ‘Frailty Assessment Unit’ (FAU) opened", "FAU", "Frailty Assessment Unit"),
        ("multispecialty community providers (MCPs) grew", "MCP",
         "multispecialty community providers"),
        ("National Health Service (NHS; England)", "NHS", "National Health Service"),
        ("the Strategic Action Field [SAF] framework", "SAF", "Strategic Action Field"),
    ],
)
def test_definitions(text, short, long):
    assert find_abbreviations(text).get(short) == long


@pytest.mark.parametrize(
    "text",
    ["in 2016 (2019) and (n = 12)", "as below (see Table 2)", "the lead (PI) said",
     "researchers worked by a second researcher (BH)", "links (https://example.org/x-y)"],
)
def test_non_definitions(text):
    assert find_abbreviations(text) == {}


def test_best_long_form_needs_word_initial_first_letter():
    assert best_long_form("CCG", "the Clinical Commissioning Group") == (
        "Clinical Commissioning Group")
    assert best_long_form("XYZ", "nothing here") is None


def test_short_form_gets_long_form_entity_later():
    nlp = build_nlp()
    doc = nlp("The Frailty Assessment Unit (FAU) opened in 2016. Later the FAU saw patients. "
              "The Strategic Action Field (SAF) is a theory; the SAF helps.")
    assert doc._.abbreviations["FAU"] == "Frailty Assessment Unit"
    faus = [e for e in doc.ents if e.text == "FAU"]
    assert faus and all(e.label_ == "ORG" for e in faus)
    assert {e._.canonical for e in faus} == {"Frailty Assessment Unit"}
    assert not [e for e in doc.ents if e.text == "SAF"]


def test_gazetteer_long_form_gives_label_and_properties():
    nlp = build_nlp()
    doc = nlp.make_doc("The HWB met twice.")
    doc._.abbreviations = {"HWB": "Health and Wellbeing Board"}
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    hwb = [e for e in doc.ents if e.text == "HWB"]
    assert hwb and hwb[0]._.canonical == "Health and Wellbeing Board"
