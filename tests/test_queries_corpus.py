"""The query layer on the real sample corpus (ingested once per session)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from actorgraph.queries import (
    explain_spanner,
    initiative_groups,
    initiative_matrix,
    initiative_spread,
    neighbourhood,
    search,
    spanner_table,
    transfer_paths,
)
from actorgraph.queries.spread import STATUS_ORDER


@pytest.fixture(scope="module")
def texts(corpus_files: list[Path]) -> dict[str, str]:
    return {p.name: p.read_text("utf-8-sig") for p in corpus_files}


def _check_evidence(items: list[dict], texts: dict[str, str]) -> int:
    for ev in items:
        assert texts[ev["doc"]][ev["start"]:ev["end"]] == ev["text"]
    return len(items)


def test_spanner_table_on_the_corpus(ingested_graph: nx.MultiDiGraph,
                                     texts: dict[str, str]) -> None:
    people = {n for n, d in ingested_graph.nodes(data=True) if d.get("label") == "Person"}
    for partition in ("org_type", "sector", "site"):
        a = spanner_table(ingested_graph, partition, backend="networkx")
        b = spanner_table(ingested_graph, partition, backend="rustworkx")
        assert {r["id"] for r in a} == people
        assert [r["id"] for r in a] == [r["id"] for r in b]
        assert [r["score"] for r in a] == pytest.approx([r["score"] for r in b])
        assert all(0.0 <= r["score"] <= 1.0 for r in a)
    for row in spanner_table(ingested_graph, "org_type")[:5]:
        explanation = explain_spanner(ingested_graph, row["id"], "org_type")
        assert explanation["group"] == row["group"]
        for g in explanation["groups"]:
            for via in g["via"]:
                _check_evidence(via["evidence"], texts)
        for boundary in explanation["boundaries"]:
            for tie in boundary["ties"]:
                _check_evidence(tie["evidence"], texts)


def test_search_finds_every_named_entity(ingested_graph: nx.MultiDiGraph) -> None:
    nodes = sorted((n for n, d in ingested_graph.nodes(data=True)
                    if d.get("label") in ("Person", "Organisation", "Initiative")))[:40]
    assert nodes
    for node in nodes:
        name = ingested_graph.nodes[node]["name"]
        hits = search(ingested_graph, name, limit=50)
        assert node in {h["id"] for h in hits if h["score"] == 100}, name


def test_transfers_from_the_store_match_the_graph(ingested_store, ingested_graph,  # noqa: ANN001
                                                  texts: dict[str, str]) -> None:
    for source, target in (("vanguard", "ics"), ("vanguard", "pcn"), ("ccg", "icb"),
                           ("site", "organisation")):
        paths = transfer_paths(ingested_store, source, target)
        assert paths == transfer_paths(ingested_graph, source, target)
        for t in paths:
            for step in t["path"]:
                _check_evidence(step["evidence"], texts)


def test_spread_on_the_corpus(ingested_graph: nx.MultiDiGraph, texts: dict[str, str]) -> None:
    matrix = initiative_matrix(ingested_graph)
    for cell in matrix["cells"]:
        assert cell["status"] in STATUS_ORDER or cell["status"] == cell["statuses"][-1]
        _check_evidence(cell["evidence"], texts)
    groups = initiative_groups(ingested_graph)
    members = [m["id"] for g in groups for m in g["members"]]
    initiatives = [n for n, d in ingested_graph.nodes(data=True) if d.get("label") == "Initiative"]
    assert sorted(members) == sorted(initiatives)  # every initiative in exactly one group
    for node in initiatives[:10]:
        spread = initiative_spread(ingested_graph, node, groups)
        for step in spread["steps"]:
            assert step["direction"] in ("horizontal", "vertical")
            _check_evidence(step["evidence"], texts)


def test_neighbourhood_on_the_corpus(ingested_graph: nx.MultiDiGraph) -> None:
    node = next(n for n, d in sorted(ingested_graph.nodes(data=True))
                if d.get("label") == "Organisation")
    one = neighbourhood(ingested_graph, node, 1)
    two = neighbourhood(ingested_graph, node, 2)
    assert node in one and set(one) <= set(two)
    assert all(d["type"] != "MENTIONED_IN" for *_, d in two.edges(data=True))
    for u, v in one.edges():
        assert node in (u, v)
