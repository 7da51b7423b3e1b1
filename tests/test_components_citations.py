"""Citations, reference lists and author lists never produce actors."""

from __future__ import annotations

import pytest

from actorgraph.extraction.components.citations import citation_spans, cited_names
from actorgraph.extraction.pipeline import build_nlp


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def labels(nlp, text):
    return {(e.text, e.label_) for e in nlp(text).ents}


def test_citation_spans_and_names():
    text = ("as shown (Checkland et al., 2019; Pope et al., 2006). Moulton and Sandfort (2017) "
            "argue, as Coleman et al 2010 did [12]; in July 2015 (2015-2018) it ended.")
    found = {text[s:e] for s, e, _ in citation_spans(text)}
    assert "(Checkland et al., 2019; Pope et al., 2006)" in found
    assert "Moulton and Sandfort (2017)" in found
    assert "[12]" in found
    assert not any("July" in f or "2015-2018" in f for f in found)
    assert {"Checkland", "Pope", "Moulton", "Sandfort", "Coleman"} <= cited_names(text)


def test_cited_authors_are_not_people(nlp):
    found = labels(nlp, "Moulton and Sandfort (2017) describe fields. Jane Smith and Bob Jones "
                        "(2018) agree, as did others (Walshe and Rundall, 2001).")
    assert not [t for t, label in found if label == "PERSON"]


def test_corporate_citation_is_not_an_actor_there_but_is_elsewhere(nlp):
    doc = nlp("The plan was set out (NHS England, 2014). NHS England funded the sites.")
    orgs = [e for e in doc.ents if e.text == "NHS England"]
    assert len(orgs) == 1 and orgs[0].start_char > doc.text.index(")")


def test_reference_entries_and_bylines(nlp):
    refs = ("Smith J, Jones K. Integrated care in England. BMJ 2019;1:1.\n"
            "Brown, A., Green, B. (2018). Vanguards. J Health 2:3.\n")
    assert not [e for e in nlp(refs).ents if e.label_ == "PERSON"]
    byline = "Professor Jane Smith, Dr John Doe and Dr Mary Brown\n\nThe study began."
    assert not [e for e in nlp(byline).ents if e.label_ == "PERSON"]


def test_people_holding_roles_are_kept(nlp):
    doc = nlp("Simon Stevens, chief executive of NHS England, announced the programme.")
    assert ("Simon Stevens", "PERSON") in {(e.text, e.label_) for e in doc.ents}


def test_front_matter_zone_drops_people(nlp):
    doc = nlp.make_doc("Simon Stevens, chief executive of NHS England, wrote this.")
    doc._.zone = "front"
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    assert not [e for e in doc.ents if e.label_ == "PERSON"]
    assert [e for e in doc.ents if e.label_ == "ORG"]
