"""Quotation attribution: the speaker of a quote and what the quote says about them."""

from __future__ import annotations

import pytest

from actorgraph.extraction.relations.quotes import find_quotes
from tests.relations_nlp import build_nlp

QUOTES = ("actorgraph_rel_quotes",)


def _doc(text: str):  # noqa: ANN202
    return build_nlp(QUOTES)(text)


def _rels(text: str) -> set[tuple[str, str, str, str]]:
    return {(r.type, r.source.canonical, r.target.canonical, str(r.properties.get("tense", "")))
            for r in _doc(text)._.relations or []}


@pytest.mark.parametrize("text,speaker,quote", [
    ("They said:\n\n*We had a real sense of purpose in those years. (S1R04)*\n",
     "S1R04", "We had a real sense of purpose in those years."),
    ("One lead explained:\n\nIt was about trust more than anything else.\n\n[ID002]\n",
     "ID002", "It was about trust more than anything else."),
    ("Another view:\n\nIt felt imposed from above, really.\n– P3S3R03\n",
     "P3S3R03", "It felt imposed from above, really."),
    ("Not about who pays, what the consequences are. (Care home manager (8))\n",
     "Care home manager (8)", "Not about who pays, what the consequences are."),
    ("It was a good time for all of us. S3R02, Programme lead\n",
     "S3R02", "It was a good time for all of us."),
])
def test_attribution_shapes(text: str, speaker: str, quote: str) -> None:
    doc = _doc(text)
    (q,) = find_quotes(doc)
    assert q.speaker.canonical == speaker
    assert doc.text[q.start:q.end].strip("* ") == quote


def test_quote_spans_paragraphs_back_to_its_introduction() -> None:
    text = ("Respondents described it thus:\n\nFirst paragraph of the quote.\n\n"
            "Second paragraph of the quote.\n\n(S2R01)\n")
    (q,) = find_quotes(_doc(text))
    assert text[q.start:q.end].startswith("First paragraph")


@pytest.mark.parametrize("text", [
    "The site (S1) had a population of 300,000 and four practices in 2018.",
    "We interviewed S1R04 and S1R05 about the model in March.",
])
def test_codes_inside_prose_are_not_attributions(text: str) -> None:
    assert find_quotes(_doc(text)) == []


def test_first_person_transition_is_the_speakers() -> None:
    text = ("Two of us have come over, so [name] and I were both in [the Vanguard] and now in "
            "the STP, in the local care team. (S1R04)\n")
    found = _rels(text)
    assert ("HOLDS", "S1R04", "role in vanguard", "earlier") in found
    assert ("HOLDS", "S1R04", "role in STP", "later") in found
    assert ("TRANSITIONED_TO", "role in vanguard", "role in STP", "") in found


def test_transition_across_the_sentences_of_one_quote() -> None:
    text = ("I was the programme manager for the Vanguard at the time. Now I am clinical lead "
            "for the PCN. (S2R05)\n")
    found = _rels(text)
    assert ("HOLDS", "S2R05", "programme manager of vanguard", "earlier") in found
    assert ("TRANSITIONED_TO", "programme manager of vanguard", "clinical lead of PCN",
            "") in found


def test_removed_role_of_the_speaker() -> None:
    text = "I was chair of the CCG. My role wasn't in the new structure, so I left. (S4R01)\n"
    rels = _doc(text)._.relations
    removed = [r for r in rels if r.type == "TRANSITIONED_TO"]
    assert [(r.source.canonical, r.properties) for r in removed] == [
        ("chair of CCG", {"removed": True})]


def test_we_and_our_give_membership_at_lower_confidence() -> None:
    rels = _doc("Our CCG was keen, and we were all behind it. (S5R02)\n")._.relations
    (m,) = [r for r in rels if r.type == "MEMBER_OF"]
    assert (m.source.canonical, m.target.canonical) == ("S5R02", "CCG")
    assert m.confidence < 0.7 and m.method == "quote:we"


def test_speaker_label_is_a_role() -> None:
    found = _rels("Not about who pays, what the consequences are. (Care home manager (8))\n")
    assert ("HOLDS", "Care home manager (8)", "care home manager", "current") in found
    found = _rels("It was a good time for all of us. S3R02, Programme lead\n")
    assert ("HOLDS", "S3R02", "programme lead", "current") in found


def test_no_first_person_claims_outside_quotes() -> None:
    assert _rels("I was the programme manager for the Vanguard at the time.") == set()


def test_cooccurrence_is_off_by_default() -> None:
    text = "The STP and the CCG never talked to each other. (S1R09)\n"
    assert not any(r.type == "MEMBER_OF" for r in _doc(text)._.relations or [])


@pytest.mark.parametrize("intro,role", [
    ("This was explained more fully by a programme manager:", "programme manager"),
    ("A GP at the same site said:", "GP"),
    ("This view was supported by one clinical lead, who explained that:", "clinical lead"),
])
def test_introducing_sentence_names_the_speakers_role(intro: str, role: str) -> None:
    text = f"{intro}\n\n*We saved a lot of money on the MSK work this year. (S5R010)*\n"
    assert ("HOLDS", "S5R010", role, "current") in _rels(text)


def test_group_roles_in_the_introduction_are_not_the_speaker() -> None:
    text = "Many GPs were sceptical:\n\n*It was hard work for everybody. (S5R010)*\n"
    assert not any(r[0] == "HOLDS" for r in _rels(text))


def test_generic_organisation_we_is_not_membership() -> None:
    text = "It was great because we were a Vanguard and people listened. (S6R02)\n"
    assert not any(r[0] == "MEMBER_OF" for r in _rels(text))
