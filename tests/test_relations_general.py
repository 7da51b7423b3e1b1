"""General patterns added for recall: unnamed initiatives, relative clauses, participles,
raising verbs, listed site codes, the national programme, quantifiers, dated relative
clauses. Every case is a sentence written for the test, with a negative variant."""

from __future__ import annotations

import pytest

from tests.relations_nlp import relations, triples

SPREAD = "actorgraph_rel_spread"
ORGS = "actorgraph_rel_organisations"
ROLES = "actorgraph_rel_roles"


def _spreads(text: str) -> set[tuple[str, str, str | None]]:
    out = set()
    for r in relations(text, SPREAD):
        init = r.properties.get("initiative")
        out.add((r.source.canonical, r.target.canonical, getattr(init, "canonical", None)))
    return out


@pytest.mark.parametrize("text,expected", [
    # an unnamed initiative owned by a site: no initiative property
    ("A scheme in Site 2 was spread to neighbouring practices.",
     {("Site 2", "neighbouring practices", None)}),
    # the adopter is the subject of a raising verb
    ("The ICS was said to have adopted the MDT model from Site 4.",
     {("Site 4", "ICS", "MDT model")}),
    # a passive participle modifying the thing spread; owner through "started in"
    ("Reports described schemes developed in Site 6 being handed over to the PCN.",
     {("Site 6", "PCN", None)}),
    # a relative pronoun standing for the thing spread
    ("Site 3 tested new services, which were later rolled out across the rest of the CCG area.",
     {("Site 3", "rest of the CCG area", None)}),
    # a site code the entity layer missed, listed after "including"
    ("An initiative in Site 1 was spread to other areas, including site (4).",
     {("Site 1", "Site 4", None)}),
    # "the Vanguard" as a source is the numbered site under discussion
    ("Site 2 developed care navigation. The CCG later adopted care navigation from the host "
     "Vanguard.", {("Site 2", "CCG", "care navigation")}),
])
def test_spread_general(text: str, expected: set) -> None:
    assert _spreads(text) == expected


def test_spread_continues_previous_statement() -> None:
    """"it" and "something similar" right after a spread statement: same initiative/source."""
    text = ("The MSK pathway from Site 5 was spread to Site 6. Since then Northtown Council has "
            "picked it up. Greater Manchester has something similar too.")
    assert _spreads(text) == {("Site 5", "Site 6", "MSK pathway"),
                              ("Site 5", "Northtown Council", "MSK pathway"),
                              ("Site 5", "Greater Manchester", "MSK pathway")}


@pytest.mark.parametrize("text", [
    # no spread statement before: "it" and "something similar" give nothing
    "Since then Northtown Council has picked it up. Greater Manchester has something similar.",
    # too far from the last spread statement
    "The MSK pathway from Site 5 was spread to Site 6. The board met. Staff changed. Costs rose. "
    "Budgets fell. Greater Manchester has something similar.",
    "The MSK pathway from Site 5 was spread to Site 6. Greater Manchester does not have "
    "anything similar.",
])
def test_spread_continuation_negative(text: str) -> None:
    assert not {s for s in _spreads(text) if s[1] in ("Northtown Council", "Greater Manchester")}


@pytest.mark.parametrize("text", [
    "The costs in Site 2 were spread over three years.",
    "The rumour in Site 2 spread to other wards.",
    "A scheme in Site 2 was not spread to neighbouring practices.",
    "Site 3 tested new services, which were never rolled out across the rest of the CCG area.",
])
def test_spread_general_negative(text: str) -> None:
    assert _spreads(text) == set()


@pytest.mark.parametrize("text,expected", [
    ("Site 4 was an EHCH Vanguard.",
     {("PART_OF", "Site 4", "New Care Models programme")}),
    ("Two types of the Vanguard programme were set up: MCPs and PACS.",
     {("PART_OF", "Multispecialty Community Providers", "New Care Models programme"),
      ("PART_OF", "Primary and Acute Care Systems", "New Care Models programme")}),
    ("Site 5 was a Vanguard delivered by an alliance of partners including the CCG and the "
     "council.",
     {("PART_OF", "Site 5", "New Care Models programme"),
      ("MEMBER_OF", "CCG", "Site 5"), ("MEMBER_OF", "council", "Site 5")}),
    ("The Alliance included a range of GP practices and Riverside Trust.",
     {("MEMBER_OF", "GP practices", "Alliance"), ("MEMBER_OF", "Riverside Trust", "Alliance")}),
    ("Site 6 was a Vanguard that was led by the council.",
     {("PART_OF", "Site 6", "New Care Models programme"), ("LEADS", "council", "Site 6")}),
    ("The MDT model was introduced in 2016, led by NHS England.",
     {("LEADS", "NHS England", "MDT model")}),
    ("The programme helped to build relationships between the CCG and the council.",
     {("PARTNER_OF", "CCG", "council")}),
    ("The MDT model was set up in partnership with Riverside Trust.",
     set()),  # an initiative is no partner
    ("Northtown Council was set up in partnership with Riverside Trust.",
     {("PARTNER_OF", "Northtown Council", "Riverside Trust")}),
])
def test_organisations_general(text: str, expected: set) -> None:
    assert triples(text, ORGS) == expected


@pytest.mark.parametrize("text", [
    "Site 4 was not the only Vanguard in the region.",
    "MCPs and PACS were discussed at length.",
    "MCPs and PACS shared learning through the support programme.",
    "Site 6 worked with a Vanguard that was led by the council.",
    "The Alliance included a range of views.",
    "There were strained relationships between the CCG and the council.",
])
def test_organisations_general_negative(text: str) -> None:
    found = triples(text, ORGS)
    assert not {t for t in found if t[0] == "PART_OF" and t[1] != "Site 6"}
    assert ("LEADS", "council", "Site 6") not in found
    assert not {t for t in found if t[0] in ("MEMBER_OF", "PARTNER_OF")}


def _moves(text: str) -> set[tuple[str, str]]:
    return {(r.source.canonical, r.target.canonical)
            for r in relations(text, ROLES) if r.type == "TRANSITIONED_TO"}


@pytest.mark.parametrize("text,expected", [
    ("We spoke to a team leader who had previously worked as a nurse.",
     {("nurse", "team leader")}),
    ("One example was a nurse who later became a team leader in the trust.",
     {("nurse", "team leader")}),
    ("The board appointed a programme lead who was formerly a GP.",
     {("GP", "programme lead")}),
])
def test_relative_clause_transitions(text: str, expected: set) -> None:
    assert _moves(text) == expected


@pytest.mark.parametrize("text", [
    "We spoke to a team leader who works alongside a nurse.",
    "We spoke to a team leader who had never worked as a nurse.",
    "A team leader who trained as a nurse joined the board.",
])
def test_relative_clause_transitions_negative(text: str) -> None:
    assert _moves(text) == set()
