"""Role relations through the whole extraction pipeline (real gazetteer, real parser) on a
short document of the genre written for the test: names, holder-less IN, quotes."""

from __future__ import annotations

from pathlib import Path

import pytest

from actorgraph.extraction.pipeline import extract_document

TEXT = """\
The vanguard was set up across three localities. In Site 3 the clinical director explained
that GPs in care homes were stretched. The project managers in Site 1 were brought in at 18
months. For example, the CCG Chief Officer was described as having a clear vision.

Participants included Clinical Commissioning Group employees (leads for contracting,
communications and engagement, vanguard manager, vanguard lead nurse).

A frontline manager described taking calculated risks:

*We just carried on doing it, and I'd worked for the ambulance service before, so I knew
the people. (S4R07)*

*Two of us have come over, so [name] and I were both in [the Vanguard] and now in the STP,
in the local care team. (S1R04)*
"""


@pytest.fixture(scope="module")
def triples(tmp_path_factory: pytest.TempPathFactory) -> set[tuple[str, str, str, str]]:
    path: Path = tmp_path_factory.mktemp("doc") / "roles.txt"
    path.write_text(TEXT, encoding="utf-8")
    ext = extract_document(path)
    by_id = {e.id: e for e in ext.entities}
    for rel in ext.relations:  # every evidence span is the original slice
        for ev in rel.evidence:
            assert TEXT[ev.start : ev.end] == ev.text
    return {(r.type, by_id[r.source].name, by_id[r.target].name, by_id[r.target].label)
            for r in ext.relations}


def _in(found: set[tuple[str, str, str, str]]) -> set[tuple[str, str]]:
    return {(a, b) for t, a, b, _label in found if t == "IN"}


def test_roles_placed_without_a_holder(triples: set[tuple[str, str, str, str]]) -> None:
    ins = _in(triples)
    assert ("clinical director", "Site 3") in ins
    assert ("project manager of Site 1", "Site 1") in ins
    assert any(a.startswith("chief officer of") and b == "Clinical Commissioning Group"
               for a, b in ins)
    assert not any(b == "care home" or b == "care homes" for _a, b in ins)  # "GPs in care homes"


def test_role_list_names(triples: set[tuple[str, str, str, str]]) -> None:
    listed = {a for a, b in _in(triples) if b == "Clinical Commissioning Group"}
    assert {"contracting lead", "communications and engagement lead", "vanguard manager",
            "vanguard lead nurse"} <= listed


def test_quotes_give_the_speakers_posts(triples: set[tuple[str, str, str, str]]) -> None:
    holds = {(a, b) for t, a, b, _label in triples if t == "HOLDS"}
    assert ("S4R07", "frontline manager") in holds
    assert any(a == "S4R07" and b.startswith("role in") and "ambulance" in b.lower()
               for a, b in holds)
    moves = {(a, b) for t, a, b, _label in triples if t == "TRANSITIONED_TO"}
    assert any("Vanguard" in a and "Sustainability" in b for a, b in moves)
    assert any("Vanguard" in a and b == "Site 1" for a, b in _in(triples))
