"""The embedded SQLite store: merging, replacing, removing, atomicity and durability."""

from __future__ import annotations

import sqlite3

import networkx as nx
import pytest

from actorgraph.graph.resolve import Resolver
from actorgraph.graph.sqlite_store import SQLiteStore
from actorgraph.graph.store import GraphStore, NodeRecord
from tests.graph_docs import TEXT_B, doc_a, doc_b, doc_c, make_extraction


def graphs_for(extractions):
    resolver = Resolver()
    out = []
    for ex in extractions:
        graph = resolver.resolve(ex)
        resolver.index.add_graph(graph)
        out.append(graph)
    return out


@pytest.fixture()
def store(tmp_path):
    s = SQLiteStore(tmp_path / "home" / "graph.sqlite")
    yield s
    s.close()


def test_is_a_graph_store(store):
    assert isinstance(store, GraphStore) and store.kind == "embedded"


def test_contributions_merge_into_the_export_form(store):
    ga, gb, gc = graphs_for([doc_a(), doc_b(), doc_c()])
    counts = [store.write_document(g) for g in (ga, gb, gc)]
    assert counts[0]["nodes_added"] == len(ga.nodes)
    graph = store.to_networkx()
    assert isinstance(graph, nx.MultiDiGraph)
    nhse = graph.nodes["Organisation:nhs england"]
    assert nhse["label"] == "Organisation" and nhse["name"] == "NHS England"
    assert nhse["aliases"] == ["NHS E", "NHSE"]
    assert {ev["doc"] for ev in nhse["evidence"]} == {"a.txt", "b.txt", "c.txt"}
    assert nhse["evidence"] == sorted(nhse["evidence"], key=lambda e: (e["doc"], e["start"],
                                                                        e["end"], e["text"]))
    # one MENTIONED_IN edge per document it is mentioned in
    docs = {v for _, v, d in graph.out_edges("Organisation:nhs england", data=True)
            if d["type"] == "MENTIONED_IN"}
    assert docs == {"Document:a.txt", "Document:b.txt", "Document:c.txt"}
    # evidence text is the exact slice of the document
    texts = {"b.txt": TEXT_B}
    for _, _, data in graph.edges(data=True):
        for ev in data["evidence"]:
            if ev["doc"] in texts:
                assert texts[ev["doc"]][ev["start"]:ev["end"]] == ev["text"]
    # the edge key is the multigraph key
    assert graph.has_edge("Organisation:tower hamlets ccg", "Initiative:care home mdt",
                          key="IMPLEMENTS|Organisation:tower hamlets ccg|Initiative:care home "
                              "mdt|status=stopped")
    stats = store.stats()
    assert stats["nodes"]["Document"] == 3
    assert sum(stats["nodes"].values()) == graph.number_of_nodes()
    assert sum(stats["relationships"].values()) == graph.number_of_edges()
    assert stats["relationships"]["MENTIONED_IN"] == sum(
        1 for *_, d in graph.edges(data=True) if d["type"] == "MENTIONED_IN")


def test_write_order_does_not_change_the_graph(tmp_path):
    ga, gb, gc = graphs_for([doc_a(), doc_b(), doc_c()])
    exports = []
    for i, order in enumerate([(ga, gb, gc), (gc, ga, gb), (gb, gc, ga)]):
        with SQLiteStore(tmp_path / f"s{i}.sqlite") as s:
            for g in order:
                s.write_document(g)
            exports.append(nx.node_link_data(s.to_networkx(), edges="edges"))
    assert exports[0] == exports[1] == exports[2]


def test_status_replace_and_remove(store):
    ga, gb = graphs_for([doc_a(), doc_b()])
    store.write_document(ga)
    store.write_document(gb)
    assert store.document_status("a.txt", ga.document.sha256) == "unchanged"
    assert store.document_status("a.txt", "0" * 64) == "changed"
    assert store.document_status("zzz.txt", "0" * 64) == "new"
    before = store.to_networkx()
    assert "Site:a.txt/site 2" in before
    # a changed a.txt no longer mentions Site 2 or the spread: its old evidence goes
    text = "Site 1 was a care home vanguard. NHS England funded Site 1."
    changed = Resolver().resolve(make_extraction("a.txt", text, [
        ("e1", "Site", "Site 1", {"site_code": "Site 1"}),
        ("e2", "Organisation", "NHS England", {})], [("FUNDS", "e2", "e1", {})]))
    counts = store.write_document(changed)
    after = store.to_networkx()
    assert "Site:a.txt/site 2" not in after and counts["nodes_removed"] > 0
    assert not [k for *_, k in after.edges(keys=True) if k.startswith("SPREAD_TO")]
    nhse_docs = {ev["doc"] for ev in after.nodes["Organisation:nhs england"]["evidence"]}
    assert nhse_docs == {"a.txt", "b.txt"}
    a_texts = {ev["text"] for ev in after.nodes["Organisation:nhs england"]["evidence"]
               if ev["doc"] == "a.txt"}
    assert a_texts == {"NHS England funded Site 1."}
    # removing b.txt removes what only b.txt supported, keeps shared nodes with less evidence
    assert store.remove_document("b.txt") is True
    assert store.remove_document("b.txt") is False
    left = store.to_networkx()
    assert "Document:b.txt" not in left and "Person:b.txt/S1R04" not in left
    assert {ev["doc"] for ev in left.nodes["Organisation:nhs england"]["evidence"]} == {"a.txt"}
    assert [d["doc"] for d in store.documents()] == ["a.txt"]
    store.remove_document("a.txt")
    assert store.to_networkx().number_of_nodes() == 0
    assert store.stats() == {"nodes": {}, "relationships": {}}


def test_a_failed_write_leaves_the_document_wholly_out(store):
    ga, gb = graphs_for([doc_a(), doc_b()])
    store.write_document(ga)
    before = nx.node_link_data(store.to_networkx(), edges="edges")
    # two contributions with the same id violate the primary key mid-write
    gb.nodes.append(NodeRecord(gb.nodes[-1].id, "Person", "duplicate"))
    with pytest.raises(sqlite3.IntegrityError):
        store.write_document(gb)
    assert nx.node_link_data(store.to_networkx(), edges="edges") == before
    assert [d["doc"] for d in store.documents()] == ["a.txt"]
    assert store.document_status("b.txt", gb.document.sha256) == "new"


def test_the_store_is_durable_across_reopening(tmp_path):
    path = tmp_path / "graph.sqlite"
    (ga,) = graphs_for([doc_a()])
    with SQLiteStore(path) as s:
        s.write_document(ga)
        first = nx.node_link_data(s.to_networkx(), edges="edges")
    with SQLiteStore(path) as s:
        assert nx.node_link_data(s.to_networkx(), edges="edges") == first
        docs = s.documents()
    assert docs[0]["doc"] == "a.txt" and docs[0]["sha256"] == ga.document.sha256
    assert docs[0]["resolver"] == Resolver().fingerprint


def test_names_with_quotes_and_keywords_round_trip(store):
    name = "O'Neil \"Care\" `Trust` {MATCH (n) DETACH DELETE n}; DROP TABLE nodes; -- Ltd"
    text = f"The body {name} funded the pilot."
    (graph,) = graphs_for([make_extraction("q.txt", text, [
        ("e1", "Organisation", name, {"org_type": "NHS_TRUST"})])])
    store.write_document(graph)
    names = [d["name"] for _, d in store.to_networkx().nodes(data=True)
             if d["label"] == "Organisation"]
    assert names == [name]
