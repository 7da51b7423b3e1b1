"""Stock NER mapping: debris is dropped, names are kept, labels become the graph's."""

from __future__ import annotations

import pytest

from actorgraph.extraction.components.ner_mapping import (
    junk_org,
    junk_place,
    looks_like_person,
    org_props,
)
from actorgraph.extraction.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def span(nlp, text: str, part: str):
    doc = nlp(text)
    start = text.index(part)
    return doc.char_span(start, start + len(part))


@pytest.mark.parametrize(
    ("text", "part"),
    [
        ("As Table 3 shows, the rest followed.", "Table 3"),
        ("The suCCess Interviewees reported it.", "suCCess Interviewees"),
        ("We thank AC / JB for coding.", "AC / JB"),
        ("Interviews were held with staff in 2017.", "Interviews"),
        ("It moved to Primary Care in the end.", "Primary Care"),
        ("See 5.3.4.2 Constraints for more.", "5.3.4.2 Constraints"),
    ],
)
def test_junk_organisations(nlp, text, part):
    assert junk_org(span(nlp, text, part))


@pytest.mark.parametrize(
    ("text", "part", "org_type"),
    [
        ("Staff of Wakefield Council joined.", "Wakefield Council", "LOCAL_AUTHORITY"),
        ("The University of Kent evaluated it.", "University of Kent", "ACADEMIC"),
        ("Leeds Teaching Hospitals NHS Trust agreed.", "Leeds Teaching Hospitals NHS Trust",
         "NHS_TRUST"),
        ("The National Audit Office reported.", "National Audit Office", "OTHER"),
    ],
)
def test_real_organisations(nlp, text, part, org_type):
    assert not junk_org(span(nlp, text, part))
    assert org_props(part)["org_type"] == org_type


def test_person_names(nlp):
    assert looks_like_person(span(nlp, "Simon Stevens spoke.", "Simon Stevens"))
    assert looks_like_person(span(nlp, "Then Dr Smith spoke.", "Dr Smith"))
    assert not looks_like_person(span(nlp, "See Appendix A now.", "Appendix A"))
    assert not looks_like_person(span(nlp, "The Vanguard Board met.", "Vanguard Board"))
    assert not looks_like_person(span(nlp, "Then Smith spoke.", "Smith"))


def test_places(nlp):
    assert not junk_place(span(nlp, "They came from Leeds and York.", "Leeds"))
    assert junk_place(span(nlp, "as (Matland 1995) said", "(Matland 1995"))
