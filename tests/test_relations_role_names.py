"""Role names, roles placed in organisations without a holder, pronoun holders, role lists,
secondments, own-site Vanguards, organisational succession and ownership (LEADS).

Every pattern is checked on several phrasings written for the test, with negatives.
"""

from __future__ import annotations

import json
from importlib import resources

import pytest

from actorgraph.extraction.mentions import make_ref
from actorgraph.extraction.relations.quotes import own_site
from actorgraph.extraction.relations.roles import Holder, RoleStatement
from tests.relations_nlp import relations

ROLES = ("actorgraph_rel_roles", "actorgraph_rel_transitions")
ALL = ("actorgraph_rel_roles", "actorgraph_rel_transitions", "actorgraph_rel_quotes")


def _triples(text: str, *components: str) -> set[tuple[str, str, str]]:
    return {(r.type, r.source.canonical, r.target.canonical)
            for r in relations(text, *(components or ROLES))}


def _of(kind: str, found: set[tuple[str, str, str]]) -> set[tuple[str, str]]:
    return {(a, b) for t, a, b in found if t == kind}


# ------------------------------------------------------------------ the role gazetteer


def test_role_gazetteer_keeps_distinct_titles_apart() -> None:
    """Each title is its own canonical role: "team leader" is not folded into "manager"."""
    text = resources.files("actorgraph.extraction").joinpath("data", "roles.jsonl").read_text(
        "utf-8")
    table: dict[str, str] = {}
    for line in text.splitlines():
        entry = json.loads(line)
        for pattern in [*entry["patterns"], *entry["abbreviations"]]:
            assert pattern.lower() not in table, f"{pattern} listed twice"
            table[pattern.lower()] = entry["canonical"]
        assert entry["props"]["title"] == entry["canonical"]
        assert entry["props"]["category"]
    assert table["team leader"] == "team leader"
    assert table["lead nurse"] == "nurse lead"
    assert table["chief officer"] == "chief officer" != table["chief executive"]
    assert table["chairman"] == table["chair"] == "chair"
    assert len(set(table.values())) > 100


# ------------------------------------------------------------------ names of roles


@pytest.mark.parametrize(("text", "name"), [
    ("Jane Smith is an external programme lead.", "external programme lead"),
    ("Jane Smith is a senior team leader.", "senior team leader"),
    ("Jane Smith was appointed interim programme manager.", "interim programme manager"),
])
def test_title_modifiers_belong_to_the_role_name(text: str, name: str) -> None:
    assert {b for a, b in _of("HOLDS", _triples(text))} == {name}


@pytest.mark.parametrize("text", [
    "Jane Smith is the new programme manager.",
    "Jane Smith is the former programme manager.",
    "Jane Smith is our programme manager.",
])
def test_dating_words_are_not_part_of_the_name(text: str) -> None:
    assert {b for a, b in _of("HOLDS", _triples(text))} == {"programme manager"}


def test_bracketed_site_in_a_role_leaves_no_debris() -> None:
    found = _triples("Jane Smith was chair of the [Site 5] Vanguard board at the time.")
    names = {b for a, b in _of("HOLDS", found)}
    assert names and all("]" not in n and "[" not in n for n in names)
    assert any(n.startswith("chair of Site 5") for n in names)


# ------------------------------------------------------------------ IN without a holder


@pytest.mark.parametrize(("text", "expected"), [
    ("The CCG chief officer was described as visionary.", ("chief officer of CCG", "CCG")),
    ("It was noticed by a senior team leader of the CCG.", ("senior team leader of CCG", "CCG")),
    ("For example, in Site 1 the programme lead had limited status.", ("programme lead", "Site 1")),
    ("In Site 6, the clinical lead could be described as a boundary spanner.",
     ("clinical lead", "Site 6")),
    ("Site 6 appointed an external programme lead.", ("external programme lead", "Site 6")),
    ("A programme manager was recruited by Riverside Trust.",
     ("programme manager", "Riverside Trust")),
    ("We met the programme manager in Site 3 last spring.",
     ("programme manager of Site 3", "Site 3")),
])
def test_roles_are_placed_in_their_organisation(text: str, expected: tuple[str, str]) -> None:
    assert expected in _of("IN", _triples(text))


@pytest.mark.parametrize("text", [
    "GP practices and care homes asked the GP for help.",
    "Roles included a clinical lead within a trust.",
    "Site 6 did not appoint a programme lead.",
    "The programme lead worked with the council on the plan.",
    "The clinical lead met NHS England and then left.",
])
def test_no_in_without_a_tie_between_role_and_organisation(text: str) -> None:
    assert not _of("IN", _triples(text))


def test_role_named_with_its_organisation_inside() -> None:
    """A title whose first word is an organisation abbreviation: "CCG lead"."""
    rels = relations("This was recognised by the CCG lead who ran the sessions.",
                     "actorgraph_rel_roles")
    ins = [r for r in rels if r.type == "IN"]
    assert ins == [] or all(r.target.label == "ORG" for r in ins)


# ------------------------------------------------------------------ lists of posts


@pytest.mark.parametrize(("text", "expected"), [
    ("Northtown Council staff (leads for contracting, communications and engagement, "
     "programme manager, nurse)",
     {"contracting lead", "communications and engagement lead", "programme manager", "nurse"}),
    ("Northtown Council (nurse, director of strategy and planning, leads for finance and "
     "legal services)",
     {"nurse", "director of strategy and planning", "finance lead", "legal services lead"}),
    ("Riverside Trust employees (clinical lead, team leader)", {"clinical lead", "team leader"}),
])
def test_bracketed_role_lists_are_in_the_organisation(text: str, expected: set[str]) -> None:
    found = _of("IN", _triples(text))
    org = "Northtown Council" if "Northtown" in text else "Riverside Trust"
    assert found == {(name, org) for name in expected}


@pytest.mark.parametrize("text", [
    "Northtown Council (NC) met.",
    "NHS England and Riverside Trust (clinical lead, nurse) met.",
    "GP practices near Northtown Council (see above) were visited.",
])
def test_brackets_that_are_not_role_lists(text: str) -> None:
    assert not {(a, b) for a, b in _of("IN", _triples(text)) if b == "Northtown Council"}


# ------------------------------------------------------------------ pronouns, paragraphs


@pytest.mark.parametrize("text", [
    "Jane Smith was a nurse in the CCG. She is now chair of the ICS.",
    "Jane Smith was a nurse in the CCG before she became chair of the ICS.",
    "Jane Smith had been a nurse in the CCG. Since then she has become chair of the ICS.",
])
def test_pronoun_continues_the_holder(text: str) -> None:
    found = _triples(text)
    assert ("HOLDS", "Jane Smith", "chair of ICS") in found
    assert ("TRANSITIONED_TO", "nurse of CCG", "chair of ICS") in found


@pytest.mark.parametrize("text", [
    "Jane Smith met John Brown. She is now chair of the ICS.",
    "Jane Smith was a nurse in the CCG.\n\nShe is now chair of the ICS.",
])
def test_ambiguous_or_distant_pronoun_gives_no_holder(text: str) -> None:
    found = _triples(text)
    assert not any(t == "HOLDS" and b == "chair of ICS" for t, a, b in found)
    assert not _of("TRANSITIONED_TO", found)


def test_a_current_role_in_a_later_sentence_is_not_a_transition() -> None:
    found = _triples("Jane Smith was a nurse in the CCG. She is a GP.")
    assert ("HOLDS", "Jane Smith", "GP") in found
    assert not _of("TRANSITIONED_TO", found)


# ------------------------------------------------------------------ quotes


@pytest.mark.parametrize("text", [
    "*When I knew I was coming to the STP, I asked if I could bring all that we'd built up "
    "in the vanguard over to the STP. (S1R04)*",
    "*I had worked in the vanguard for years, and then I moved to the STP. (S1R04)*",
])
def test_pluperfect_place_and_a_move_give_a_transition(text: str) -> None:
    found = _triples(text, *ALL)
    assert ("TRANSITIONED_TO", "role in vanguard", "role in STP") in found
    assert ("IN", "role in STP", "STP") in found


def test_present_place_without_a_move_gives_nothing() -> None:
    found = _triples("*We built a lot up in the vanguard last year. (S1R04)*", *ALL)
    assert not _of("TRANSITIONED_TO", found)
    assert not _of("HOLDS", found)


def test_generic_vanguard_in_a_quote_is_the_speakers_site() -> None:
    found = _triples("*Two of us have come over, so [name] and I were both in [the Vanguard] "
                     "and now in the STP, in the local care team. (S1 R22)*", *ALL)
    assert ("IN", "role in vanguard", "Site 1") in found
    assert ("TRANSITIONED_TO", "role in vanguard", "role in STP") in found


def test_own_site_keeps_named_bodies_and_unsited_speakers() -> None:
    holder = Holder(make_ref("PERSON", 0, 6, "S1 R22", "S1 R22", {"site": "Site 1"}), 0, 0.85)
    board = make_ref("ORG", 10, 24, "Vanguard board", "Vanguard board", {})
    vanguard = make_ref("ORG", 10, 22, "the Vanguard", "vanguard", {"generic": True})
    role = make_ref("ROLE", 10, 22, "the Vanguard", "role in vanguard", {})
    for org, replaced in ((board, False), (vanguard, True)):
        st = RoleStatement(holder, role, org, "earlier", 3, (0, 30), 0.8, "quote:move")
        out = own_site(st, holder.ref)
        assert (out.org.canonical == "Site 1") is replaced
    unsited = make_ref("PERSON", 0, 5, "ID002", "ID002", {})
    st = RoleStatement(holder, role, vanguard, "earlier", 3, (0, 30), 0.8, "quote:move")
    assert own_site(st, unsited).org == vanguard


@pytest.mark.parametrize("text", [
    "*It was close working, because we are both seconded from the trust. (S4 R11)*",
    "*I am seconded from the trust for two days a week. (S4 R11)*",
])
def test_secondment_from_a_body_into_the_speakers_site(text: str) -> None:
    found = _triples(text, *ALL)
    assert ("TRANSITIONED_TO", "role in trust", "seconded role") in found
    assert ("IN", "seconded role", "Site 4") in found
    assert ("HOLDS", "S4 R11", "seconded role") in found


def test_secondment_naming_its_destination_or_of_someone_else() -> None:
    found = _triples("*She was seconded from the trust, which helped. (S4 R11)*", *ALL)
    assert not any(b == "seconded role" for _t, _a, b in found)


@pytest.mark.parametrize(("intro", "role"), [
    ("In site 6 a team leader described taking calculated risks:", "team leader"),
    ("The programme lead in this site also explained the importance of engagement. "
     "Many had been suspicious at the outset:", "programme lead"),
    ("Site 6 appointed an external programme lead who described their role at the outset. "
     "However, this proved hard and they were asked back:", "external programme lead"),
    ("In Site 6 the clinical lead could be described as a boundary spanner. They described "
     "their role:", "clinical lead"),
])
def test_the_introducing_paragraph_names_the_speakers_role(intro: str, role: str) -> None:
    text = f"{intro}\n\n*We kept going and it worked out in the end for everyone. (S2R01)*"
    assert ("HOLDS", "S2R01", role) in _triples(text, *ALL)


@pytest.mark.parametrize("intro", [
    "For example, the CCG chief officer was described as visionary. They were described by "
    "others as:",
    "As this team leader and voluntary sector respondent explain:",
    "The programme lead explained the plan to S1R04. Others agreed:",
])
def test_intro_roles_that_are_not_the_speaker(intro: str) -> None:
    text = f"{intro}\n\n*We kept going and it worked out in the end for everyone. (S2R01)*"
    assert not [x for x in _triples(text, *ALL) if x[0] == "HOLDS" and x[1] == "S2R01"]


# ------------------------------------------------------------------ succession, ownership


@pytest.mark.parametrize(("text", "expected"), [
    ("Site 4 began as the Alliance, moving later into the Health and Wellbeing Board.",
     ("Alliance", "Health and Wellbeing Board")),
    ("The work started as the Alliance and evolved into Riverside Trust.",
     ("Alliance", "Riverside Trust")),
    ("This followed the development of STPs and subsequently ICSs.", ("STP", "ICS")),
    ("It came with the introduction of the STP (Sustainability and Transformation "
     "Partnership) and later the ICS.", ("STP", "ICS")),
])
def test_succession(text: str, expected: tuple[str, str]) -> None:
    assert expected in _of("SUCCEEDED_BY", _triples(text))


@pytest.mark.parametrize("text", [
    "We worked with the CCG and later Northtown Council.",
    "Site 4 began as a pilot and moved into the STP.",
    "The STP and ICSs met.",
    "We spoke to the CCG and later the STP.",
])
def test_no_succession_between_listed_actors(text: str) -> None:
    assert not _of("SUCCEEDED_BY", _triples(text))


@pytest.mark.parametrize(("text", "expected"), [
    ("NHS England's care navigation offer was large.", ("NHS England", "care navigation")),
    ("They were assisted by an NHSE social prescribing scheme.",
     ("NHS England", "social prescribing")),
    ("The CCG's social prescribing grew.", ("CCG", "social prescribing")),
])
def test_owner_leads_its_initiative(text: str, expected: tuple[str, str]) -> None:
    assert expected in _of("LEADS", _triples(text))


@pytest.mark.parametrize("text", [
    "GP practices social prescribing grew.",
    "The council ran social prescribing.",
])
def test_no_ownership_from_a_lowercase_type_or_a_gap(text: str) -> None:
    assert not {x for x in _of("LEADS", _triples(text)) if x[1] == "social prescribing"}


# ------------------------------------------------------------------ more moves and seats


@pytest.mark.parametrize(("text", "expected"), [
    ("Examples included a clinical lead who had worked in the health service before moving "
     "to Northtown Council.", ("role in health service", "clinical lead")),
    ("A nurse who had worked at Riverside Trust joined.", ("role in Riverside Trust", "nurse")),
    ("We met a team leader who previously worked for the council.", ("role in council",
                                                                      "team leader")),
])
def test_relative_clause_workplace_before_the_role(text: str, expected: tuple[str, str]) -> None:
    assert expected in _of("TRANSITIONED_TO", _triples(text))


def test_relative_clause_move_places_the_role() -> None:
    found = _triples("Examples included a clinical lead who had worked in the health service "
                     "before moving to Northtown Council.")
    assert ("clinical lead", "Northtown Council") in _of("IN", found)
    assert not any(b == "health service" for _a, b in _of("IN", found))  # not an entity


@pytest.mark.parametrize("text", [
    "A clinical lead who works in the health service spoke.",
    "A nurse who had worked on the ward joined.",
    "A nurse who had never worked at Riverside Trust joined.",
])
def test_relative_clause_without_an_earlier_workplace(text: str) -> None:
    assert not _of("TRANSITIONED_TO", _triples(text))


@pytest.mark.parametrize(("text", "holder", "tense"), [
    ("Jane Smith sits on the CCG board.", "Jane Smith", "current"),
    ("*I'm on the CCG governing body, and others are too. (S1R04)*", "S1R04", "current"),
    ("*I was on the CCG board for years. (S1R04)*", "S1R04", "earlier"),
])
def test_a_seat_on_a_body_is_a_member_role(text: str, holder: str, tense: str) -> None:
    rels = relations(text, *ALL)
    holds = [r for r in rels if r.type == "HOLDS" and r.source.canonical == holder]
    assert [r.properties["tense"] for r in holds] == [tense]
    name = holds[0].target.canonical
    assert name.startswith("CCG") and name.endswith("member")
    assert (name, "CCG") in {(r.source.canonical, r.target.canonical)
                             for r in rels if r.type == "IN"}


@pytest.mark.parametrize("text", [
    "Jane Smith is on the phone.",
    "Jane Smith is not on the CCG board.",
    "*Several other people are also on the CCG governing body. (S1R04)*",
    "Jane Smith reported on the CCG board.",
])
def test_no_seat_without_a_body_or_a_holder(text: str) -> None:
    assert not [x for x in _triples(text, *ALL) if x[0] == "HOLDS"]


@pytest.mark.parametrize(("text", "roles", "org"), [
    ("Staff of Riverside Trust, such as the clinical lead and a nurse, attended.",
     {"clinical lead", "nurse"}, "Riverside Trust"),
    ("We interviewed employees of NHSE including the programme lead and a nurse.",
     {"programme lead", "nurse"}, "NHS England"),
    ("Members of the council, including the team leader, agreed.", {"team leader"}, "council"),
])
def test_staff_of_an_organisation_including_roles(text: str, roles: set[str], org: str) -> None:
    assert {(r, org) for r in roles} <= _of("IN", _triples(text))


@pytest.mark.parametrize("text", [
    "Members of the council met with NHSE, including the clinical lead.",
    "Staff attended, including the clinical lead.",
])
def test_no_staff_list_without_the_organisation_next_to_it(text: str) -> None:
    assert not _of("IN", _triples(text))


# ------------------------------------------------------------------ removed posts


@pytest.mark.parametrize(("text", "source"), [
    ("Staff were appointed to support the work, but once the funding ended many of these "
     "roles disappeared.", "roles"),
    ("Monitoring by the programme manager had a detrimental effect. Towards the end, the "
     "roles were dissolved as people moved on.", "programme manager"),
    ("When the money stopped, most of the posts were cut.", "posts"),
])
def test_removed_posts_without_a_holder(text: str, source: str) -> None:
    trans = [r for r in relations(text, *ROLES) if r.type == "TRANSITIONED_TO"]
    assert [(r.source.canonical, r.properties.get("removed")) for r in trans] == [(source, True)]
    assert trans[0].target.canonical == f"{source} (removed)"


@pytest.mark.parametrize("text", [
    "The contract ended in March.",
    "The post was advertised twice.",
    "Many of these roles were new.",
])
def test_no_removed_posts(text: str) -> None:
    assert not _of("TRANSITIONED_TO", _triples(text))


# ------------------------------------------------------------------ a site becomes a body


@pytest.mark.parametrize(("text", "new"), [
    ("*So then we became a kind of Riverside Trust as opposed to just a Vanguard. (S1 R22)*",
     "Riverside Trust"),
    ("*So then we became the Alliance. (S1 R22)*", "Alliance"),
])
def test_site_becomes_a_body_in_its_respondents_words(text: str, new: str) -> None:
    assert ("Site 1", new) in _of("SUCCEEDED_BY", _triples(text, *ALL))


@pytest.mark.parametrize("text", [
    "*So then we became part of the Alliance. (S1 R22)*",
    "*Then we became a Vanguard. (S1 R22)*",
    "*We never became the Alliance. (S1 R22)*",
    "*So then we became the Alliance. (S1R04)*",
])
def test_no_site_succession(text: str) -> None:
    assert not _of("SUCCEEDED_BY", _triples(text, *ALL))


def test_site_becomes_a_body_named_after_it() -> None:
    found = _triples("*So then we became a kind of [Site 5] Alliance as opposed to just a "
                     "Vanguard. (S1 R22)*", *ALL)
    assert ("Site 1", "[Site 5] Alliance") in _of("SUCCEEDED_BY", found)


@pytest.mark.parametrize("text", [
    "*Every other programme manager that I've spoken to felt the same. (S2R01)*",
    "*I and all the other GP colleagues agreed at the time. (S2R01)*",
    "*As a fellow GP, I understood them. (S2R01)*",
])
def test_fellow_role_in_a_quote_is_the_speakers(text: str) -> None:
    holds = {b for t, a, b in _triples(text, *ALL) if t == "HOLDS" and a == "S2R01"}
    assert len(holds) == 1 and holds <= {"programme manager", "team leader", "GP"}


@pytest.mark.parametrize("text", [
    "*Every programme manager felt the same, I think. (S2R01)*",
    "*The other programme manager agreed with me. (S2R01)*",
    "*Every other programme manager felt the same. (S5 FGD)*",
])
def test_no_fellow_role(text: str) -> None:
    assert not [x for x in _triples(text, *ALL) if x[0] == "HOLDS"]


# ------------------------------------------------------------------ employment


@pytest.mark.parametrize(("text", "holder", "tense"), [
    ("Jane Smith works at the CCG.", "Jane Smith", "current"),
    ("*So I had previously, when they were PCTs, I'd worked for the trust. (S1R04)*", "S1R04",
     "earlier"),
    ("*I had worked at the council for years. (S1R04)*", "S1R04", "earlier"),
])
def test_working_for_a_body_is_an_unnamed_post(text: str, holder: str, tense: str) -> None:
    rels = relations(text, *ALL)
    holds = [r for r in rels if r.type == "HOLDS" and r.source.canonical == holder]
    assert [(r.target.canonical.split(" in ")[0], r.properties["tense"]) for r in holds] == [
        ("role", tense)]
    org = holds[0].target.canonical.split(" in ", 1)[1]
    assert (holds[0].target.canonical, org) in {(r.source.canonical, r.target.canonical)
                                                for r in rels if r.type == "IN"}


@pytest.mark.parametrize("text", [
    "*We work with the CCG a lot. (S1R04)*",
    "*We work in the CCG area. (S1R04)*",
    "*I don't work for the council. (S1R04)*",
    "The programme worked at scale in the CCG.",
])
def test_no_post_from_collaboration_plural_or_negation(text: str) -> None:
    assert not [x for x in _triples(text, *ALL) if x[0] == "HOLDS"]


def test_one_post_alone_is_no_transition() -> None:
    found = _triples("John Brown worked in the CCG.")
    assert ("HOLDS", "John Brown", "role in CCG") in found
    assert not _of("TRANSITIONED_TO", found)


def test_funding_a_post_does_not_place_it() -> None:
    assert not _of("IN", _triples("Riverside Trust funded a programme manager."))
    assert ("programme manager", "Riverside Trust") in _of(
        "IN", _triples("Riverside Trust recruited a programme manager."))
