"""SUCCEEDED_BY, PART_OF, MEMBER_OF, PARTNER_OF, LEADS, FUNDS, COMMISSIONS."""

from __future__ import annotations

import pytest

from tests.relations_nlp import triples

ORGS = "actorgraph_rel_organisations"


@pytest.mark.parametrize("text,expected", [
    ("CCGs were replaced by ICBs in July 2022.", ("SUCCEEDED_BY", "CCG", "ICB")),
    ("ICBs replaced CCGs in 2022.", ("SUCCEEDED_BY", "CCG", "ICB")),
    ("The STP became the ICS in 2021.", ("SUCCEEDED_BY", "STP", "ICS")),
    ("The ECH model evolved into the EHCH service.",
     ("SUCCEEDED_BY", "ECH model", "EHCH service")),
    ("The Vanguard was succeeded by the STP.", ("SUCCEEDED_BY", "vanguard", "STP")),
    ("There is a partnership between the trust and the council.",
     ("PARTNER_OF", "trust", "council")),
    ("The CCG partnered with Northtown Council on the programme.",
     ("PARTNER_OF", "CCG", "Northtown Council")),
    ("The MSK pathway was led by the CCG.", ("LEADS", "CCG", "MSK pathway")),
    ("The CCG led the MSK pathway.", ("LEADS", "CCG", "MSK pathway")),
    ("The MSK service was funded by NHS England.", ("FUNDS", "NHS England", "MSK service")),
    ("NHS England funded Site 3 for three years.", ("FUNDS", "NHS England", "Site 3")),
    ("The MSK service was commissioned by the CCG.",
     ("COMMISSIONS", "CCG", "MSK service")),
    ("The CCG commissions the MSK service from Riverside Trust.",
     ("COMMISSIONS", "CCG", "MSK service")),
    ("GP practices in the PCN share staff.", ("PART_OF", "GP practices", "PCN")),
    ("Jane Smith is a member of the Health and Wellbeing Board.",
     ("MEMBER_OF", "Jane Smith", "Health and Wellbeing Board")),
    ("The Alliance includes the CCG, Northtown Council and Riverside Trust.",
     ("MEMBER_OF", "Northtown Council", "Alliance")),
    ("This led to STPs (later ICSs) across England.", ("SUCCEEDED_BY", "STP", "ICS")),
    ("The development of STPs and subsequently ICSs changed the landscape.",
     ("SUCCEEDED_BY", "STP", "ICS")),
    ("The STP, now the ICS, took over the work.", ("SUCCEEDED_BY", "STP", "ICS")),
    ("The CCG, in partnership with Northtown Council, set up the MSK pathway.",
     ("PARTNER_OF", "CCG", "Northtown Council")),
    ("It was a CCG-led MSK pathway.", ("LEADS", "CCG", "MSK pathway")),
])
def test_found(text: str, expected: tuple[str, str, str]) -> None:
    assert expected in triples(text, ORGS)


@pytest.mark.parametrize("text", [
    "The vanguard became a success.",
    "The CCG worked with the council on housing.",
    "CCGs were not replaced by ICBs until 2022.",
    "Jane Smith became chair of the ICS.",
    "The STP and the ICS met NHS England.",
    "The CCG, which the council trusted, met NHS England.",
    "The CCG and the council agreed a plan with the trust.",
])
def test_not_found(text: str) -> None:
    assert triples(text, ORGS) == set()


def test_succession_direction_and_types() -> None:
    found = triples("The STP became the ICS and CCGs were replaced by ICBs.", ORGS)
    assert found == {("SUCCEEDED_BY", "STP", "ICS"), ("SUCCEEDED_BY", "CCG", "ICB")}


def test_as_part_of() -> None:
    found = triples("The MDT model and social prescribing were developed as part of the MSK "
                    "pathway.", ORGS)
    assert ("PART_OF", "MDT model", "MSK pathway") in found
    assert ("PART_OF", "social prescribing", "MSK pathway") in found
