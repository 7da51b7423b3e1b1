"""Export formats, each read back and checked against the store's graph."""

from __future__ import annotations

import csv
import json

import networkx as nx
import pytest
from typer.testing import CliRunner

from actorgraph.cli.main import app
from actorgraph.graph.export import export_graph
from actorgraph.graph.resolve import Resolver
from actorgraph.graph.sqlite_store import SQLiteStore
from tests.graph_docs import hand_corpus


@pytest.fixture(scope="module")
def home(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export_home")
    resolver = Resolver()
    with SQLiteStore(folder / "graph.sqlite") as store:
        for ex in hand_corpus():
            graph = resolver.resolve(ex)
            store.write_document(graph)
            resolver.index.add_graph(graph)
    return folder


@pytest.fixture(scope="module")
def graph(home):
    with SQLiteStore(home / "graph.sqlite") as store:
        return store.to_networkx()


def test_json_is_the_node_link_contract(graph, tmp_path):
    (out,) = export_graph(graph, "json", tmp_path / "g.json")
    data = json.loads(out.read_text("utf-8"))
    assert set(data) >= {"nodes", "edges", "directed", "multigraph"}
    assert data["directed"] is True and data["multigraph"] is True
    assert len(data["nodes"]) == graph.number_of_nodes()
    for n in data["nodes"]:
        assert {"id", "label", "name", "aliases"} <= set(n)
        assert isinstance(n["aliases"], list)
    for e in data["edges"]:
        assert {"source", "target", "type", "evidence", "key"} <= set(e)
        assert e["evidence"], e["key"]
        for ev in e["evidence"]:
            assert set(ev) == {"doc", "start", "end", "text"}
    spread = [e for e in data["edges"] if e["type"] == "SPREAD_TO"]
    assert spread and spread[0]["initiative"] == "Initiative:care home mdt"
    back = nx.node_link_graph(data, edges="edges")
    assert nx.node_link_data(back, edges="edges") == nx.node_link_data(graph, edges="edges")


def test_graphml_reads_back_with_json_encoded_lists(graph, tmp_path):
    (out,) = export_graph(graph, "graphml", tmp_path / "g.graphml")
    back = nx.read_graphml(out, force_multigraph=True)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    for node_id, data in graph.nodes(data=True):
        got = back.nodes[node_id]
        assert got["label"] == data["label"] and got["name"] == data["name"]
        assert json.loads(got["aliases"]) == data["aliases"]
        assert json.loads(got["evidence"]) == data["evidence"]
    keys = {k for *_, k in back.edges(keys=True)}
    assert keys == {k for *_, k in graph.edges(keys=True)}
    for src, dst, key, data in graph.edges(keys=True, data=True):
        got = back.edges[src, dst, key]
        assert got["type"] == data["type"]
        assert json.loads(got["evidence"]) == data["evidence"]


def test_gexf_reads_back(graph, tmp_path):
    (out,) = export_graph(graph, "gexf", tmp_path / "g.gexf")
    back = nx.read_gexf(out)
    assert back.number_of_nodes() == graph.number_of_nodes()
    assert back.number_of_edges() == graph.number_of_edges()
    for node_id, data in graph.nodes(data=True):
        got = back.nodes[node_id]
        assert got["label"] == data["name"] and got["node_label"] == data["label"]
        assert json.loads(got["evidence"]) == data["evidence"]
    types = sorted(d["rel_type"] for *_, d in back.edges(data=True))
    assert types == sorted(d["type"] for *_, d in graph.edges(data=True))
    holds = [d for *_, d in back.edges(data=True) if d["rel_type"] == "HOLDS"]
    assert any(d.get("period_end") == "2018" for d in holds)


def test_csv_suits_neo4j_admin_import(graph, tmp_path):
    nodes_csv, rels_csv = export_graph(graph, "csv", tmp_path / "csv")
    with nodes_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    header = list(rows[0])
    assert header[:4] == ["id:ID", ":LABEL", "name", "aliases:string[]"]
    assert "evidence" in header and "docs:string[]" in header
    assert {r["id:ID"] for r in rows} == set(graph.nodes)
    by_id = {r["id:ID"]: r for r in rows}
    nhse = by_id["Organisation:nhs england"]
    assert nhse[":LABEL"] == "Entity;Organisation"
    assert nhse["aliases:string[]"].split(";") == graph.nodes["Organisation:nhs england"][
        "aliases"]
    assert json.loads(nhse["evidence"]) == graph.nodes["Organisation:nhs england"]["evidence"]
    assert by_id["Document:a.txt"][":LABEL"] == "Document"
    typed = [h for h in header if h.startswith("anonymised:")]
    assert typed == ["anonymised:boolean"]
    with rels_csv.open(encoding="utf-8", newline="") as handle:
        rels = list(csv.DictReader(handle))
    assert list(rels[0])[:4] == [":START_ID", ":END_ID", ":TYPE", "key"]
    assert len(rels) == graph.number_of_edges()
    assert {(r[":START_ID"], r[":END_ID"], r["key"]) for r in rels} == set(graph.edges(keys=True))
    assert "confidence:double" in rels[0]


def test_cli_export_and_stats(home, tmp_path, monkeypatch, graph):
    monkeypatch.setenv("ACTORGRAPH_HOME", str(home))
    monkeypatch.delenv("ACTORGRAPH_STORE", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    runner = CliRunner()
    out = tmp_path / "cli.json"
    result = runner.invoke(app, ["export", "--format", "json", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text("utf-8"))
    assert len(data["edges"]) == graph.number_of_edges()
    result = runner.invoke(app, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    stats = json.loads(result.output)
    assert stats["documents"] == 3
    assert sum(stats["nodes"].values()) == graph.number_of_nodes()
    result = runner.invoke(app, ["export", "--format", "xlsx", str(out)])
    assert result.exit_code == 2 and "unknown format 'xlsx'" in result.output
