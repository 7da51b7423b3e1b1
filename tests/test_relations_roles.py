"""HOLDS / IN / TRANSITIONED_TO from role statements and removed roles."""

from __future__ import annotations

import pytest

from tests.relations_nlp import relations

ROLES = ("actorgraph_rel_roles", "actorgraph_rel_transitions")


def _by_type(text: str, *components: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for r in relations(text, *(components or ROLES)):
        out.setdefault(r.type, []).append(r)
    return out


def _holds(rels: dict[str, list]) -> dict[str, str]:
    return {r.target.canonical: r.properties["tense"] for r in rels.get("HOLDS", [])}


def _transitions(rels: dict[str, list]) -> set[tuple[str, str]]:
    return {(r.source.canonical, r.target.canonical) for r in rels.get("TRANSITIONED_TO", [])}


@pytest.mark.parametrize("text", [
    "I think the key leaders include [named], who was chair of the Vanguard board at the time "
    "and is now chair of the ICS, so he has added continuity.",
    "Jane Smith was chair of the Vanguard board at the time and is now chair of the ICS.",
    "Jane Smith, formerly chair of the Vanguard board, has since become chair of the ICS.",
    "Jane Smith used to be chair of the Vanguard board and later became chair of the ICS.",
])
def test_earlier_and_later_roles_give_a_transition(text: str) -> None:
    rels = _by_type(text)
    holds = _holds(rels)
    earlier = [k for k, v in holds.items() if v == "earlier"]
    later = [k for k, v in holds.items() if v in ("later", "current")]
    assert len(earlier) == 1 and "board" in earlier[0] and earlier[0].startswith("chair of")
    assert later == ["chair of ICS"]
    assert _transitions(rels) == {(earlier[0], "chair of ICS")}
    ins = {(r.source.canonical, r.target.canonical) for r in rels["IN"]}
    assert ("chair of ICS", "ICS") in ins
    holder = {r.source.canonical for r in rels["HOLDS"]}
    assert len(holder) == 1 and holder <= {"[named]", "Jane Smith"}


def test_past_role_alone_gives_earlier_holds_and_no_transition() -> None:
    rels = _by_type("Jane Smith was chair of the Vanguard board.")
    assert set(_holds(rels).values()) == {"earlier"}
    assert "TRANSITIONED_TO" not in rels


def test_apposition_and_current_role() -> None:
    rels = _by_type("Jane Smith, chief officer of the CCG, opened the meeting.")
    assert _holds(rels) == {"chief officer of CCG": "current"}
    assert "TRANSITIONED_TO" not in rels


def test_moves_between_organisations_give_unnamed_roles() -> None:
    rels = _by_type("John Brown moved from the CCG to the ICB in 2022.")
    assert _holds(rels) == {"role in CCG": "earlier", "role in ICB": "later"}
    assert _transitions(rels) == {("role in CCG", "role in ICB")}


def test_joining_with_a_named_role() -> None:
    rels = _by_type("Jane Smith left the CCG and joined the ICS as director of strategy.")
    assert _transitions(rels) == {("role in CCG", "director of strategy of ICS")}


@pytest.mark.parametrize("text", [
    "John Brown met colleagues in the CCG.",  # one place, no post, no move
    "The council appointed a new chief officer.",  # a role, but nobody holds it
    "Jane Smith met the chair of the ICS.",  # met, not held
    "Jane Smith was chair of the CCG and the council appointed a new chief officer.",
])
def test_no_transition_without_two_roles_of_one_holder(text: str) -> None:
    rels = _by_type(text)
    assert "TRANSITIONED_TO" not in rels
    assert all(r.source.canonical == "Jane Smith" for r in rels.get("HOLDS", []))
    assert "chief officer" not in _holds(rels)


@pytest.mark.parametrize("text,subject", [
    ("The programme manager post was removed when the funding ended.", "programme manager"),
    ("Jane Smith's post was removed in 2019.", "role of Jane Smith"),
    ("The clinical lead post disappeared when the vanguard ended.", "clinical lead"),
])
def test_removed_roles(text: str, subject: str) -> None:
    rels = _by_type(text)
    (rel,) = rels["TRANSITIONED_TO"]
    assert rel.properties == {"removed": True}
    assert rel.source.canonical == subject
    assert rel.target.canonical == f"{subject} (removed)"
    assert rel.target.properties["status"] == "removed"


def test_ended_programme_is_not_a_removed_role() -> None:
    assert "TRANSITIONED_TO" not in _by_type("The vanguard ended in 2018 when funding stopped.")


def test_every_relation_has_sentence_method_and_confidence() -> None:
    text = "Jane Smith was chair of the Vanguard board at the time and is now chair of the ICS."
    for r in relations(text, *ROLES):
        assert r.sentence == (0, len(text))
        assert r.method and 0.0 < r.confidence <= 1.0
        assert text[r.source.start:r.source.end] == r.source.text
        assert text[r.target.start:r.target.end] == r.target.text


def test_roles_listed_after_an_organisation_are_in_it() -> None:
    text = "Participants: CCG employee (programme lead, clinical lead) 4; Site 3 (none) 2."
    rels = relations(text, "actorgraph_rel_roles")
    assert {(r.type, r.source.canonical, r.target.canonical) for r in rels} == {
        ("IN", "programme lead", "CCG"), ("IN", "clinical lead", "CCG")}
    assert all(r.method == "pattern:role_list" and r.confidence < 0.7 for r in rels)


ALL = ("actorgraph_rel_roles", "actorgraph_rel_transitions", "actorgraph_rel_spread",
       "actorgraph_rel_implements", "actorgraph_rel_organisations", "actorgraph_rel_quotes")


@pytest.mark.parametrize("text", [
    "", "   \n\n  ", "(S1R04)", "[name]", "Site 3", "- – —", "( ( ( [ ]", "S1R04\n\n(S1R05)\n",
    "Table 5\tSite 1\tSite 2\nMDT\t•\t•\n",
])
def test_odd_input_gives_no_error(text: str) -> None:
    for r in relations(text, *ALL):
        assert r.source.start <= r.source.end and r.sentence[0] <= r.sentence[1]
