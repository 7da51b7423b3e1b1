"""Parity: the embedded store and Neo4j give identical graphs from the same documents,
whatever order the documents were written in, after updates and removals too."""

from __future__ import annotations

import networkx as nx
import pytest

from actorgraph.graph.ingest import ingest_paths
from actorgraph.graph.resolve import Resolver
from actorgraph.graph.sqlite_store import SQLiteStore
from tests.graph_docs import REPORT_1, REPORT_2, hand_corpus, make_extraction

pytestmark = pytest.mark.neo4j


def export(store) -> dict:
    return nx.node_link_data(store.to_networkx(), edges="edges")


def diff(a: dict, b: dict) -> str:
    na = {n["id"]: n for n in a["nodes"]}
    nb = {n["id"]: n for n in b["nodes"]}
    ea = {e["key"]: e for e in a["edges"]}
    eb = {e["key"]: e for e in b["edges"]}
    lines = [f"nodes only in first: {sorted(set(na) - set(nb))[:5]}",
             f"nodes only in second: {sorted(set(nb) - set(na))[:5]}",
             f"edges only in first: {sorted(set(ea) - set(eb))[:5]}",
             f"edges only in second: {sorted(set(eb) - set(ea))[:5]}"]
    for k in sorted(set(na) & set(nb)):
        if na[k] != nb[k]:
            lines.append(f"node {k}: {na[k]} != {nb[k]}")
            break
    for k in sorted(set(ea) & set(eb)):
        if ea[k] != eb[k]:
            lines.append(f"edge {k}: {ea[k]} != {eb[k]}")
            break
    return "\n".join(lines)


@pytest.fixture(scope="module")
def document_graphs(ingested_store):
    """Real contributions (the sample corpus) plus the hand-annotated documents."""
    graphs = [ingested_store.document_graph(d["doc"]) for d in ingested_store.documents()]
    resolver = Resolver()
    for ex in hand_corpus():
        graph = resolver.resolve(ex)
        resolver.index.add_graph(graph)
        graphs.append(graph)
    tricky = "O'Neil \"Care\" `Trust` {x: 1} MATCH (n) DETACH DELETE n // Ltd"
    graphs.append(Resolver().resolve(make_extraction(
        "quotes.txt", f"The body {tricky} funded the pilot. It was a success.",
        [("e1", "Organisation", tricky, {"org_type": "NHS_TRUST"})])))
    return graphs


def test_same_documents_in_different_orders_give_identical_graphs(
        document_graphs, neo4j_store, tmp_path):
    with SQLiteStore(tmp_path / "a.sqlite") as embedded:
        for graph in document_graphs:
            embedded.write_document(graph)
        expected = export(embedded)
        for graph in reversed(document_graphs):
            neo4j_store.write_document(graph)
        got = export(neo4j_store)
        assert got == expected, diff(got, expected)
        assert neo4j_store.stats() == embedded.stats()
        # an updated document (old evidence replaced) and a removal, on both
        first = document_graphs[0]
        changed = Resolver().resolve(make_extraction(
            first.document.doc, "NHS England funded Site 1. Site 1 was a vanguard.",
            [("e1", "Organisation", "NHS England", {}),
             ("e2", "Site", "Site 1", {"site_code": "Site 1"})], [("FUNDS", "e1", "e2", {})]))
        gone = document_graphs[1].document.doc
        for store in (embedded, neo4j_store):
            store.write_document(changed)
            assert store.remove_document(gone) is True
            assert store.document_status(gone, "x") == "new"
        got, expected = export(neo4j_store), export(embedded)
        assert got == expected, diff(got, expected)
        assert sorted(d["doc"] for d in neo4j_store.documents()) == sorted(
            d["doc"] for d in embedded.documents())


def test_ingest_pipeline_gives_identical_graphs(neo4j_store, tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "report1.txt").write_text(REPORT_1, encoding="utf-8")
    (docs / "report2.md").write_text(REPORT_2, encoding="utf-8")
    with SQLiteStore(tmp_path / "b.sqlite") as embedded:
        s1 = ingest_paths([docs], embedded, home=tmp_path, progress=False)
        s2 = ingest_paths([docs], neo4j_store, home=tmp_path, progress=False)
        assert s1.added == s2.added == ["report1.txt", "report2.md"]
        assert s1.counts == s2.counts
        got, expected = export(neo4j_store), export(embedded)
        assert got == expected, diff(got, expected)
        again = ingest_paths([docs], neo4j_store, home=tmp_path, progress=False)
        assert again.unchanged == ["report1.txt", "report2.md"]
