"""SPREAD_TO: initiative, where from, where to, spread or scale-up."""

from __future__ import annotations

import pytest

from tests.relations_nlp import relations

SPREAD = "actorgraph_rel_spread"


def _spreads(text: str) -> set[tuple[str, str, str, str]]:
    return {(r.source.canonical, r.target.canonical, r.properties["initiative"].canonical,
             r.properties["mode"]) for r in relations(text, SPREAD)}


@pytest.mark.parametrize("text,expected", [
    ("The MDT model was rolled out from Site 2 to the rest of the CCG area.",
     {("Site 2", "rest of the CCG area", "MDT model", "spread")}),
    ("Site 3 rolled out social prescribing to neighbouring practices.",
     {("Site 3", "neighbouring practices", "social prescribing", "spread")}),
    ("Site 1 spread the MDT model to GP practices in Greater Manchester.",
     {("Site 1", "GP practices", "MDT model", "spread")}),
    ("Site 6 extended the MSK service to the whole of the CCG area.",
     {("Site 6", "whole of the CCG area", "MSK service", "spread")}),
    ("[area a] has picked up the MSK pathway from Site 5.",
     {("Site 5", "[area a]", "MSK pathway", "spread")}),
    ("The hospital transfer pathway from Site 3 was spread to other locations, including "
     "Site 4, and more widely across the region.",
     {("Site 3", "Site 4", "hospital transfer pathway", "spread"),
      ("Site 3", "region", "hospital transfer pathway", "spread")}),
])
def test_horizontal_spread(text: str, expected: set) -> None:
    assert _spreads(text) == expected


@pytest.mark.parametrize("text,target", [
    ("The care home model from Site 3 was scaled up nationally through the PCN contract.", "PCN"),
    ("Elements of the ECH model used in Site 3 are to be rolled out via Primary Care Networks.",
     "PCN"),
    ("The community paramedic scheme in Site 1 was rolled out nationally.", "England"),
])
def test_scale_up(text: str, target: str) -> None:
    found = _spreads(text)
    assert {(s, t, m) for s, t, _i, m in found} == {(s, target, "scale-up") for s, *_ in found}
    assert len(found) == 1


def test_anaphor_takes_the_initiative_and_site_of_the_previous_sentence() -> None:
    text = ("In Site 5 the MSK pathway was deemed successful. "
            "Respondents told us that this approach had spread to other areas.")
    (rel,) = relations(text, SPREAD)
    assert (rel.source.canonical, rel.target.canonical) == ("Site 5", "other areas")
    assert rel.properties["initiative"].canonical == "MSK pathway"
    assert rel.confidence < 0.85  # resolved from context
    assert rel.sentence[0] == text.index("Respondents")


@pytest.mark.parametrize("text", [
    "The vanguard spread its costs across the partners.",
    "Site 2 spread the word to other areas.",
    "The MDT model was not rolled out to other areas.",
    "Social prescribing spread to GP practices in Greater Manchester.",  # no origin known
    "Site 3 introduced social prescribing.",
])
def test_no_spread(text: str) -> None:
    assert _spreads(text) == set()


def test_initiative_is_a_mention_in_the_text() -> None:
    text = "The MDT model was rolled out from Site 2 to the rest of the CCG area."
    (rel,) = relations(text, SPREAD)
    init = rel.properties["initiative"]
    assert init.label == "INITIATIVE" and text[init.start:init.end] == init.text
    assert rel.method == "dep:spread" and rel.confidence >= 0.8
