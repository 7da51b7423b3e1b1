"""Respondent, speaker and site codes: parsed into parts, with the ordinary look-alikes left."""

from __future__ import annotations

import pytest

from actorgraph.extraction.components.respondent_codes import find_codes
from actorgraph.extraction.components.site_codes import find_site_codes
from actorgraph.extraction.pipeline import build_nlp


def codes(text: str) -> dict[str, dict]:
    return {text[s:e]: p for s, e, p in find_codes(text)}


@pytest.mark.parametrize(
    ("text", "code", "parts"),
    [
        ("as one put it (S1R04).", "S1R04", {"site": "Site 1", "respondent": "04"}),
        ("P3S3R03 said so", "P3S3R03", {"phase": "3", "site": "Site 3", "respondent": "03"}),
        ("P2-S11-R7: yes", "P2-S11-R7", {"phase": "2", "site": "Site 11", "respondent": "7"}),
        ("(S5 FGD)", "S5 FGD", {"site": "Site 5", "group": "FGD"}),
        ("(S2 PPI FGD)", "S2 PPI FGD", {"site": "Site 2", "group": "FGD"}),
        ("[ID002]", "ID002", {"respondent": "002"}),
        ("quoted by INT-14 here", "INT-14", {"respondent": "14"}),
        ("(S6)", "S6", {"site": "Site 6"}),
        ("Site 3 R2 explained", "Site 3 R2", {"site": "Site 3", "respondent": "2"}),
        ("Site B, Respondent 4 added", "Site B, Respondent 4",
         {"site": "Site B", "respondent": "4"}),
        ("as (R12) said", "R12", {"respondent": "12"}),
        ("R3 And I think so\n", "R3", {"respondent": "3"}),
        ("Interviewee 7 noted", "Interviewee 7", {"respondent": "7"}),
        ("participant 12 noted", "participant 12", {"respondent": "12"}),
        ("Respondent C noted", "Respondent C", {"respondent": "C"}),
        ("it was good. (Care home manager (8))", "Care home manager (8)",
         {"role_label": "Care home manager", "respondent": "8"}),
        ("(GP (2))", "GP (2)", {"role_label": "GP", "respondent": "2"}),
        ("[CCG manager, Site 2]", "CCG manager, Site 2", {"role_label": "CCG manager",
                                                         "site": "Site 2"}),
    ],
)
def test_codes_and_parts(text, code, parts):
    found = codes(text)
    assert code in found, found
    props = found[code]
    assert props["anonymised"] is True
    assert props["respondent_id"] == (code.replace("-", "") if "-" in code else code)
    for key, value in parts.items():
        assert props[key] == value


@pytest.mark.parametrize(
    "text",
    [
        "See Table S1 and Figure S2 for details.",
        "In 2019 and 2020, section 3.2 and 4.1.",
        "The fit was good (R2 = 0.45) overall.",
        "see (Table S1)",
        "as shown in (Figure (2))",
        "COVID19 ID cards",
        "The S1 form and R2D2 robots.",
        "Participant I spoke to was late.",
    ],
)
def test_look_alikes_are_not_codes(text):
    assert codes(text) == {}


def test_site_codes_with_model_type():
    text = "Site 3 (PACS) and case study site 12 and Site B, an MCP; Site 2 was late."
    sites = {text[s:e]: p for s, e, p in find_site_codes(text)}
    assert sites["Site 3"]["model_type"] == "PACS"
    assert sites["Site B"]["model_type"] == "MCP"
    assert sites["case study site 12"]["site_code"] == "Site 12"
    assert "model_type" not in sites["Site 2"]
    assert find_site_codes("a website 3 times; the site is nice") == []


def test_codes_become_anonymised_people_in_the_pipeline():
    nlp = build_nlp()
    doc = nlp("It worked well for us (S2R11). Site 4 agreed, said Interviewee 3.")
    people = {e.text: e._.props for e in doc.ents if e.label_ == "PERSON"}
    assert people["S2R11"]["respondent_id"] == "S2R11"
    assert people["Interviewee 3"]["anonymised"] is True
    sites = [e for e in doc.ents if e.label_ == "SITE"]
    assert [e._.canonical for e in sites] == ["Site 4"]
