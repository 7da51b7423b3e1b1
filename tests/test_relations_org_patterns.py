"""Organisation, funding and spread patterns through the full extraction pipeline.

Every case is a short document written for the test (not a corpus sentence), extracted
with :func:`actorgraph.extraction.pipeline.extract_document` from a real file in
``tmp_path``; each pattern has variants and a negative.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from actorgraph.extraction.pipeline import extract_document


def _extract(tmp_path: Path, text: str) -> set[tuple[str, str, str]]:
    path = tmp_path / "doc.txt"
    path.write_text(text + "\n", encoding="utf-8")
    ext = extract_document(path)
    by_id = {e.id: e for e in ext.entities}
    return {(r.type, by_id[r.source].name, by_id[r.target].name) for r in ext.relations}


def _of_type(found: set[tuple[str, str, str]], rel: str) -> set[tuple[str, str]]:
    return {(s, t) for typ, s, t in found if typ == rel}


@pytest.mark.parametrize("text,expected", [
    # conjoined participles share the agent
    ("The MSK service was commissioned and funded by NHS England in 2016.",
     ("NHS England", "MSK")),
    # a redaction the parser leaves unattached, right before the verb
    ("When money ran out, [named charity] funded our care home support team.",
     ("[named charity]", "care home support team")),
    # nominal funding: "investment in X by Y"
    ("Investment in the falls service by NHS England was modest.",
     ("NHS England", "falls")),
    # funding as subject, with the funded thing in the purpose clause
    ("NHS England funding was essential to establish the Vanguard.",
     ("NHS England", "Vanguard")),
    ("The sites said that NHSE funding was needed to run the Vanguard.",
     ("NHS England", "Vanguard")),
    # "funding for X from Y"
    ("Funding for the falls service from the CCG ended in 2018.",
     ("Clinical Commissioning Group", "falls")),
])
def test_funds_found(tmp_path: Path, text: str, expected: tuple[str, str]) -> None:
    names = _of_type(_extract(tmp_path, text), "FUNDS")
    assert any(s.lower() == expected[0].lower() and expected[1].lower() in t.lower()
               for s, t in names), names


@pytest.mark.parametrize("text", [
    "Without NHS England funding, the Vanguard could not establish the service.",
    "A wider evaluation of the Vanguard programme, funded by the NIHR, took place.",
    "The CCG discussed funding with the council.",
])
def test_funds_not_found(tmp_path: Path, text: str) -> None:
    assert _of_type(_extract(tmp_path, text), "FUNDS") == set()


@pytest.mark.parametrize("text,site", [
    ("*We got some extra funding from [named trust] to buy the kit. (S4R03)*", "Site 4"),
    ("*Then we received the funding from the Health Foundation, which helped. (S2R11)*",
     "Site 2"),
])
def test_funds_speaker_site(tmp_path: Path, text: str, site: str) -> None:
    funds = _of_type(_extract(tmp_path, text), "FUNDS")
    assert any(t == site for _s, t in funds), funds


def test_funds_speaker_needs_a_coded_speaker(tmp_path: Path) -> None:
    text = "*We got some extra funding from [named trust] to buy the kit.*"
    assert _of_type(_extract(tmp_path, text), "FUNDS") == set()


@pytest.mark.parametrize("text,unit", [
    ("The NHS England vanguard team visited every site.", "NHS England vanguard team"),
    ("An internal evaluation by the NHS England Operational Research and Evaluation team "
     "was published.", "NHS England Operational Research and Evaluation team"),
    ("The NHSE team also supported the sites.", "NHSE team"),
])
def test_units_of_national_bodies(tmp_path: Path, text: str, unit: str) -> None:
    found = _extract(tmp_path, text)
    assert ("PART_OF", unit, "NHS England") in found, found


def test_unit_stops_at_a_clause(tmp_path: Path) -> None:
    found = _extract(tmp_path, "NHS England and the team worked together on it.")
    assert _of_type(found, "PART_OF") == set()


@pytest.mark.parametrize("text,body,site", [
    ("Site 2 was a PACS Vanguard that was driven by a partnership board of local leaders.",
     "Partnership Board", "Site 2"),
    ("Site 6 was an MCP Vanguard that started as a provider alliance and later formed a "
     "programme board.", "Programme Board", "Site 6"),
    ("Site 6 was an MCP Vanguard that started as a provider alliance and later formed a "
     "programme board.", "provider alliance", "Site 6"),
])
def test_bodies_of_a_site(tmp_path: Path, text: str, body: str, site: str) -> None:
    assert ("PART_OF", body, site) in _extract(tmp_path, text)


@pytest.mark.parametrize("text", [
    # a named organisation type is no body of the site
    "Site 2 was a PACS Vanguard that later fed into the STP.",
    # no numbered site described
    "The Vanguard worked with a partnership board of local leaders.",
])
def test_bodies_of_a_site_negative(tmp_path: Path, text: str) -> None:
    parts = _of_type(_extract(tmp_path, text), "PART_OF")
    assert not any(t.startswith("Site ") for _s, t in parts), parts


@pytest.mark.parametrize("text,part,whole", [
    ("The public health team at the local authority took on the analysis.",
     "public health team", "local authority"),
    ("The public health team in the council grew.", "public health team", "local authority"),
])
def test_team_at_organisation(tmp_path: Path, text: str, part: str, whole: str) -> None:
    parts = _of_type(_extract(tmp_path, text), "PART_OF")
    assert any(part in s.lower() and whole.lower() in t.lower() for s, t in parts), parts


def test_our_partners_in_a_coded_quote(tmp_path: Path) -> None:
    text = ("*Nothing worked without our local partners: the hospital trust, the CCG and the "
            "local authority all signed up. (S3R02)*")
    members = _of_type(_extract(tmp_path, text), "MEMBER_OF")
    assert ("Clinical Commissioning Group", "Site 3") in members, members
    assert ("local authority", "Site 3") in members, members


def test_our_partners_needs_a_list_and_a_site(tmp_path: Path) -> None:
    uncoded = ("*Nothing worked without our local partners: the hospital trust, the CCG and "
               "the local authority all signed up.*")
    single = "*Nothing worked without our partners, the CCG above all. (S3R02)*"
    assert _of_type(_extract(tmp_path, uncoded), "MEMBER_OF") == set()
    assert _of_type(_extract(tmp_path, single), "MEMBER_OF") == set()


@pytest.mark.parametrize("text,target", [
    ("In Site 4 the falls service was a success. The falls service was then implemented in "
     "the neighbouring region.", "neighbouring region"),
    ("In Site 4 the Vanguard members set up the falls service across a wider geographical "
     "area.", "wider geographical area"),
])
def test_spread_by_implementing_elsewhere(tmp_path: Path, text: str, target: str) -> None:
    spreads = _of_type(_extract(tmp_path, text), "SPREAD_TO")
    assert ("Site 4", target) in spreads, spreads


@pytest.mark.parametrize("text", [
    "In Site 4 the falls service was implemented in the care homes.",
    "In Site 4 the falls service was set up in the new building.",
])
def test_implementing_at_home_is_no_spread(tmp_path: Path, text: str) -> None:
    assert _of_type(_extract(tmp_path, text), "SPREAD_TO") == set()


def test_spread_into_an_ics_named_in_apposition(tmp_path: Path) -> None:
    text = ("In Site 1 the Vanguard was a success. The ambition is for this Vanguard influence "
            "to be incorporated into a third wave ICS.")
    spreads = _of_type(_extract(tmp_path, text), "SPREAD_TO")
    assert ("Site 1", "Integrated Care System") in spreads, spreads


def test_possible_roll_out_is_no_spread(tmp_path: Path) -> None:
    hedged = ("Site 3 introduced the falls service. Site 3 held the belief that a national "
              "roll out of the falls service was possible.")
    stated = ("Site 3 introduced the falls service. A national roll out of the falls service "
              "followed in 2019.")
    assert _of_type(_extract(tmp_path, hedged), "SPREAD_TO") == set()
    assert _of_type(_extract(tmp_path, stated), "SPREAD_TO") != set()


@pytest.mark.parametrize("text,partners", [
    ("The Vanguard helped to build relationships between the CCG and the council.",
     {"Clinical Commissioning Group", "local authority"}),
    ("There was a close relationship between the CCG and the council.",
     {"Clinical Commissioning Group", "local authority"}),
])
def test_good_relationships_are_partnerships(tmp_path: Path, text: str,
                                             partners: set[str]) -> None:
    pairs = _of_type(_extract(tmp_path, text), "PARTNER_OF")
    assert any({s, t} == partners for s, t in pairs), pairs


@pytest.mark.parametrize("text", [
    "Relationships between the CCG and care homes were discussed in terms of mistrust.",
    "In Site 3, relationships between the CCG and care homes were difficult to facilitate.",
    "Funding issues harmed relationships between the council and care homes.",
])
def test_other_relationships_are_not(tmp_path: Path, text: str) -> None:
    assert _of_type(_extract(tmp_path, text), "PARTNER_OF") == set()


@pytest.mark.parametrize("text,targets", [
    ("Site 2 introduced the falls service. The falls service was then adopted by Site 4 and "
     "Site 5.", {("Site 2", "Site 4"), ("Site 2", "Site 5")}),
    ("Site 2 introduced the falls service. It was later taken up by non-Vanguard practices.",
     {("Site 2", "non-Vanguard practices")}),
])
def test_adopted_by(tmp_path: Path, text: str, targets: set[tuple[str, str]]) -> None:
    spreads = _of_type(_extract(tmp_path, text), "SPREAD_TO")
    assert targets <= spreads, spreads


def test_adopted_is_no_spread_without_an_adopter(tmp_path: Path) -> None:
    text = "Site 2 introduced the falls service. The falls service was adopted quickly."
    assert _of_type(_extract(tmp_path, text), "SPREAD_TO") == set()


def test_counted_elements_are_initiatives_the_site_implements(tmp_path: Path) -> None:
    text = ("Site 4 was an MCP Vanguard run by the CCG. It was built around three elements: "
            "Home First, Falls Response and Digital Front Door.")
    found = _of_type(_extract(tmp_path, text), "IMPLEMENTS")
    for name in ("Home First", "Falls Response", "Digital Front Door"):
        assert ("Site 4", name) in found, found


@pytest.mark.parametrize("text", [
    # not counted
    "Site 4 was built around the following elements: Home First, Falls Response and Care.",
    # items are not names
    "Site 4 was built around three elements: the money, the staff and the buildings.",
])
def test_uncounted_or_unnamed_lists_are_not_elements(tmp_path: Path, text: str) -> None:
    path = tmp_path / "doc.txt"
    path.write_text(text + "\n", encoding="utf-8")
    ext = extract_document(path)
    methods = {e.name: e.method for e in ext.entities if e.label == "Initiative"}
    assert not any(m == "gazetteer+list" for m in methods.values()), methods


@pytest.mark.parametrize("text,pair", [
    ("The falls service was contracted out by the CCG to Riverside Trust.",
     ("Clinical Commissioning Group", "Riverside Trust")),
    ("The CCG outsourced its payroll to the council.",
     ("Clinical Commissioning Group", "local authority")),
    # the contractor named in a parenthesis; "they" is the nearest plural body before it
    ("The audit was contracted out by NHS England to local agencies (Commissioning Support "
     "Units); they in turn contracted part of the work out to management consultants.",
     ("Commissioning Support Unit", "management consultants")),
    ("The audit was contracted out by NHS England to local agencies (Commissioning Support "
     "Units); they in turn contracted part of the work out to management consultants.",
     ("NHS England", "Commissioning Support Unit")),
])
def test_contracted_out(tmp_path: Path, text: str, pair: tuple[str, str]) -> None:
    assert pair in _of_type(_extract(tmp_path, text), "COMMISSIONS")


@pytest.mark.parametrize("text", [
    "The council talked to the CCG about contracts.",
    "The CCG sent its contract to the council for comment.",
])
def test_not_contracted_out(tmp_path: Path, text: str) -> None:
    assert _of_type(_extract(tmp_path, text), "COMMISSIONS") == set()


@pytest.mark.parametrize("text,pair", [
    ("Staff came from the vanguard steering group and the care homes.",
     ("steering group", "Vanguard")),
    ("The Site 2 programme board met monthly.", ("Programme Board", "Site 2")),
    ("She chaired the Site 5 Vanguard board for a year.", ("Vanguard board", "Site 5")),
])
def test_bodies_named_after_a_site(tmp_path: Path, text: str, pair: tuple[str, str]) -> None:
    assert pair in _of_type(_extract(tmp_path, text), "PART_OF")


@pytest.mark.parametrize("text", [
    "The CCG partnership board met monthly.",
    "Site 2 met the programme board monthly.",
])
def test_bodies_not_named_after_a_site(tmp_path: Path, text: str) -> None:
    parts = _of_type(_extract(tmp_path, text), "PART_OF")
    assert not any(t.startswith("Site") or t == "Vanguard" for _s, t in parts), parts


def test_relative_pronoun_after_a_parenthesis(tmp_path: Path) -> None:
    text = ("In Site 4 the falls service started. Care navigators (a feature of the model) who "
            "were implemented in other areas helped.")
    spreads = _of_type(_extract(tmp_path, text), "SPREAD_TO")
    assert ("Site 4", "other areas") in spreads, spreads


@pytest.mark.parametrize("text,rels", [
    # the titled project after the funder
    ("This paper is based on research commissioned and funded by the Health Foundation "
     "“National evaluation of the falls service”, grant 123.",
     {"COMMISSIONS", "FUNDS"}),
    # "a national evaluation of X, funded by Y": the evaluation, not X
    ("It reports part of a national evaluation of the New Care Models programme (2017-2021) "
     "funded by the Health Foundation, that aims to explain the effects.", {"FUNDS"}),
])
def test_funded_study(tmp_path: Path, text: str, rels: set[str]) -> None:
    found = _extract(tmp_path, text)
    got = {typ for typ, s, t in found if t == "national evaluation" and "Health" in s}
    assert got == rels, found
    assert not any(t == "New Care Models programme" for typ, _s, t in found
                   if typ in ("FUNDS", "COMMISSIONS")), found


@pytest.mark.parametrize("text,pair", [
    ("Site 3 was a PACS Vanguard with local authority involvement.",
     ("local authority", "Site 3")),
    ("Site 2 was an MCP Vanguard serving 90,000 people. This was a GP-led Vanguard, with "
     "Clinical Commissioning Group (CCG) involvement.",
     ("Clinical Commissioning Group", "Site 2")),
])
def test_involvement(tmp_path: Path, text: str, pair: tuple[str, str]) -> None:
    assert pair in _of_type(_extract(tmp_path, text), "MEMBER_OF")


@pytest.mark.parametrize("text", [
    "The CCG met the council, with local authority involvement.",
    "The Vanguard worked well. This was a GP-led Vanguard, with local authority involvement.",
])
def test_involvement_needs_a_numbered_site(tmp_path: Path, text: str) -> None:
    assert _of_type(_extract(tmp_path, text), "MEMBER_OF") == set()


@pytest.mark.parametrize("text,pair", [
    ("The 50 Vanguards of the New Care Models programme were selected in 2015.",
     ("Vanguard", "New Care Models programme")),
    ("The Vanguard programme ran until 2018, including the national support programme.",
     ("New Care Models support programme", "New Care Models programme")),
])
def test_parts_of_the_national_programme(tmp_path: Path, text: str,
                                         pair: tuple[str, str]) -> None:
    assert pair in _of_type(_extract(tmp_path, text), "PART_OF")


def test_programme_parts_need_the_programme(tmp_path: Path) -> None:
    text = "The 50 Vanguards and the national support programme met in 2016."
    assert _of_type(_extract(tmp_path, text), "PART_OF") == set()
