"""IMPLEMENTS with status, from sentences and from site-by-initiative tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actorgraph.extraction.cleaning import Cell, Table, clean_text
from actorgraph.extraction.relations.tables import relations_from_tables, site_of
from tests.relations_nlp import relations

IMPL = "actorgraph_rel_implements"


def _facts(text: str) -> set[tuple[str, str, str]]:
    return {(r.source.canonical, r.target.canonical, r.properties["status"])
            for r in relations(text, IMPL)}


@pytest.mark.parametrize("text,expected", [
    ("Site 3 introduced social prescribing.", {("Site 3", "social prescribing", "implemented")}),
    ("Site 1 and Site 2 introduced MDTs and social prescribing in 2016.",
     {(s, i, "implemented") for s in ("Site 1", "Site 2") for i in ("MDT", "social prescribing")}),
    ("In Site 5, the MSK pathway was set up by the trust.",
     {("Site 5", "MSK pathway", "implemented"), ("trust", "MSK pathway", "implemented")}),
    ("The MSK service in Site 4 continued after the funding ended.",
     {("Site 4", "MSK service", "continued")}),
    ("The CCG continued to run the MSK service.", {("CCG", "MSK service", "continued")}),
    ("The community paramedic scheme was decommissioned by the CCG when funding ended.",
     {("CCG", "community paramedic scheme", "stopped")}),
    ("Site 3's MDT was stopped when the funding ended.", {("Site 3", "MDT", "stopped")}),
    ("The MDT was not continued in Site 2.", {("Site 2", "MDT", "stopped")}),
    ("Site 2 plans to introduce care navigation next year.",
     {("Site 2", "care navigation", "planned")}),
    ("Site 3 will launch social prescribing in 2020.",
     {("Site 3", "social prescribing", "planned")}),
])
def test_status(text: str, expected: set) -> None:
    assert _facts(text) == expected


@pytest.mark.parametrize("text", [
    "Site 4 did not introduce social prescribing.",
    "The CCG hopes that social prescribing works.",
    "Social prescribing was a common feature of many sites.",
])
def test_no_implements(text: str) -> None:
    assert _facts(text) == set()


def _cells(line: str, start: int) -> list[Cell]:
    out, pos = [], start
    for part in line.split("\t"):
        out.append(Cell(part, pos, pos + len(part)))
        pos += len(part) + 1
    return out


def test_matrix_and_transposed_tables() -> None:
    lines = ["\tSite 1 MCP\tSite 2\tCase study site C", "Social prescribing\t✓\t\tx",
             "Care navigation\t\tYes\t"]
    rows, pos = [], 0
    for line in lines:
        rows.append(_cells(line, pos))
        pos += len(line) + 1

    class Clean:
        tables = [Table(rows, 0, pos, True)]

    found = {(r.source.canonical, r.target.text) for r in relations_from_tables(Clean(), "t")}
    assert found == {("Site 1", "Social prescribing"), ("Site C", "Social prescribing"),
                     ("Site 2", "Care navigation")}
    transposed = [[rows[0][0], Cell("MDT", 0, 3), Cell("Apps", 4, 8)],
                  [Cell("Site 1", 9, 15), Cell("•", 16, 17), Cell("", 18, 18)],
                  [Cell("Site 2", 19, 25), Cell("", 26, 26), Cell("•", 27, 28)]]

    class Clean2:
        tables = [Table(transposed, 0, 28, True)]

    found = {(r.source.canonical, r.target.text) for r in relations_from_tables(Clean2(), "t")}
    assert found == {("Site 1", "MDT"), ("Site 2", "Apps")}


def test_table_without_marks_gives_nothing() -> None:
    rows = [_cells("\tSite 1\tSite 2", 0), _cells("Population\t150,000\t300,000", 15)]

    class Clean:
        tables = [Table(rows, 0, 45, True)]

    assert relations_from_tables(Clean(), "t") == []


def test_site_headers() -> None:
    assert site_of("Site 3 ECH")[:2] == ("Site 3", {"generic": False, "site_code": "Site 3",
                                                    "model_type": "ECH"})
    assert site_of("Vanguard B (PACS)")[0] == "Vanguard B"
    assert site_of("Multidisciplinary Team") is None


def test_corpus_matrix(corpus_dir: Path) -> None:
    """Table 5 of the case-study report: every bullet is one IMPLEMENTS fact."""
    original = (corpus_dir / "003_8129c20a937a8933.txt").read_text("utf-8")
    clean = clean_text(original, "txt")
    rels = relations_from_tables(clean, "003_8129c20a937a8933.txt")
    # expected facts read straight from the raw tab-separated rows
    lines = original.splitlines()
    head = next(i for i, ln in enumerate(lines) if re.match(r"\s*\tSite 1 MCP\tSite 2", ln))
    sites = [c.split()[0] + " " + c.split()[1] for c in lines[head].split("\t")[1:]]
    expected = set()
    for line in lines[head + 1:]:
        if "\t" not in line:
            break
        name, *marks = line.split("\t")
        expected |= {(sites[j], name.strip()) for j, m in enumerate(marks) if m.strip() == "•"}
    assert len(expected) > 50
    assert {(r.source.canonical, r.target.text) for r in rels} == expected
    for r in rels:
        start, end = clean.to_original(*r.sentence)
        row = original[start:end]
        assert row.startswith(r.target.text) and "•" in row
        assert r.method == "table" and r.properties == {"status": "implemented"}
    models = {r.source.canonical: r.source.properties.get("model_type") for r in rels}
    assert models["Site 1"] == "MCP" and models["Site 3"] == "ECH" and models["Site 6"] == "PACS"


@pytest.mark.parametrize("text,expected", [
    ("Site 5 was based on three elements: care navigation, social prescribing and MDTs.",
     {("Site 5", i, "implemented") for i in ("care navigation", "social prescribing", "MDT")}),
    ("Site 3 was an MDT Vanguard that grew from earlier work.",
     {("Site 3", "MDT", "implemented")}),
])
def test_what_a_site_is_built_on(text: str, expected: set) -> None:
    assert _facts(text) == expected


def test_a_site_that_is_a_success_implements_nothing() -> None:
    assert _facts("Site 3 was a success and social prescribing helped.") == set()
