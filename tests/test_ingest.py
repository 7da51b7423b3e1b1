"""Ingest end to end with the real extraction: summary, idempotence, updates, removal,
overrides, exit codes, and the sample corpus's graph invariants."""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from actorgraph.cli.main import app
from tests.graph_docs import REPORT_1, REPORT_2


@pytest.fixture()
def env(tmp_path, monkeypatch):
    home = tmp_path / "home"
    docs = tmp_path / "docs"
    docs.mkdir()
    monkeypatch.setenv("ACTORGRAPH_HOME", str(home))
    monkeypatch.setenv("ACTORGRAPH_STORE", "embedded")
    monkeypatch.delenv("ACTORGRAPH_CONFIG", raising=False)
    (docs / "report1.txt").write_text(REPORT_1, encoding="utf-8")
    (docs / "report2.md").write_text(REPORT_2, encoding="utf-8")
    return home, docs


def run(*args):
    result = CliRunner().invoke(app, [str(a) for a in args])
    return result.exit_code, result.output


def export(tmp_path, name="g.json"):
    out = tmp_path / name
    code, output = run("export", "--format", "json", out)
    assert code == 0, output
    return json.loads(out.read_text("utf-8"))


def test_ingest_summary_idempotence_update_and_remove(env, tmp_path):
    home, docs = env
    (docs / "empty.txt").write_text("", encoding="utf-8")
    code, out = run("ingest", "--no-progress", docs, tmp_path / "missing.pdf")
    assert code == 1, out
    assert "documents: 2 added, 0 unchanged, 0 updated, 2 skipped" in out
    assert "skipped " + str(docs / "empty.txt") + ": " in out
    assert "missing.pdf: no such file or directory" in out
    first = export(tmp_path, "first.json")
    names = {n["name"] for n in first["nodes"]}
    assert {"report1.txt", "report2.md"} <= names
    assert (home / "graph.sqlite").is_file()
    (docs / "empty.txt").unlink()

    # unchanged: nothing happens, the export is identical
    code, out = run("ingest", "--no-progress", docs)
    assert code == 0 and "0 added, 2 unchanged, 0 updated, 0 skipped" in out, out
    assert export(tmp_path, "second.json") == first

    # a changed document replaces its old evidence
    (docs / "report1.txt").write_text(REPORT_1.replace("telehealth", "remote monitoring"),
                                      encoding="utf-8")
    code, out = run("ingest", "--no-progress", docs)
    assert code == 0 and "0 added, 1 unchanged, 1 updated" in out, out
    third = export(tmp_path, "third.json")
    texts = [ev["text"] for e in third["edges"] for ev in e["evidence"]
             if ev["doc"] == "report1.txt"]
    assert texts and not any("telehealth" in t for t in texts)
    assert any("remote monitoring" in t for t in texts)

    # remove: the document and what only it supported go; the rest stays
    code, out = run("remove", "report1.txt")
    assert code == 0 and out.startswith("removed report1.txt"), out
    left = export(tmp_path, "left.json")
    docs_left = {ev["doc"] for e in left["edges"] for ev in e["evidence"]}
    assert docs_left == {"report2.md"}
    assert "Document:report1.txt" not in {n["id"] for n in left["nodes"]}
    assert all(n["evidence"] for n in left["nodes"] if n["label"] != "Document")
    code, out = run("remove", "report1.txt")
    assert code == 1 and "no document named 'report1.txt'" in out


def test_overrides_apply_and_survive_reingest(env, tmp_path):
    home, docs = env
    assert run("ingest", "--no-progress", docs)[0] == 0
    before = export(tmp_path, "before.json")
    nhse = [n for n in before["nodes"] if n["id"] == "Organisation:nhs england"]
    assert nhse, [n["id"] for n in before["nodes"]]
    (home / "overrides.jsonl").write_text(
        '{"op": "rename", "id": "Organisation:nhs england", "name": "NHS England (national)"}\n'
        '{"op": "set", "id": "Organisation:nhs england", "properties": {"level": "national"}}\n',
        encoding="utf-8")
    code, out = run("ingest", "--no-progress", docs)
    assert code == 0 and "2 updated" in out, out
    code, out = run("ingest", "--no-progress", docs)
    assert code == 0 and "2 unchanged" in out, out
    after = export(tmp_path, "after.json")
    (node,) = [n for n in after["nodes"] if n["id"] == "Organisation:nhs england"]
    assert node["name"] == "NHS England (national)" and node["level"] == "national"
    assert any(line.startswith("override:rename") for line in node["merged_from"])

    (home / "overrides.jsonl").write_text(
        '{"op": "rename", "id": "Organisation:nhs england", "name": "x"}\n{"op": "merge"\n',
        encoding="utf-8")
    code, out = run("ingest", "--no-progress", docs)
    assert code == 2
    assert f"{home / 'overrides.jsonl'}:2: not valid JSON" in out


def test_bad_store_choice_is_fatal(env):
    _, docs = env
    code, out = run("ingest", "--store", "postgres", docs)
    assert code == 2 and "unknown store 'postgres'" in out


def test_sample_corpus_graph_invariants(ingested_graph, corpus_files):
    graph = ingested_graph
    texts = {p.name: p.read_bytes().decode("utf-8-sig") for p in corpus_files}
    docs = {f"Document:{name}" for name in texts}
    assert docs <= set(graph.nodes)
    for node_id, data in graph.nodes(data=True):
        assert node_id.startswith(data["label"] + ":")
        if data["label"] == "Document":
            continue
        assert data["evidence"], node_id
        mentioned = {v for _, v, d in graph.out_edges(node_id, data=True)
                     if d["type"] == "MENTIONED_IN"}
        assert mentioned == {f"Document:{ev['doc']}" for ev in data["evidence"]}, node_id
        if data.get("generic"):
            # generic mentions never merge across documents
            assert {ev["doc"] for ev in data["evidence"]} == {data["scope"]}, node_id
        if data["label"] == "Person" and data.get("respondent_id"):
            assert node_id.startswith(f"Person:{data['scope']}/")
    for _, _, data in graph.edges(data=True):
        assert data["evidence"]
        for ev in data["evidence"]:
            assert texts[ev["doc"]][ev["start"]:ev["end"]] == ev["text"]
    # node-link JSON round trip is lossless
    data = nx.node_link_data(graph, edges="edges")
    assert nx.node_link_data(nx.node_link_graph(data, edges="edges"), edges="edges") == data


def test_ingest_of_corpus_is_idempotent(ingested_home, corpus_files, tmp_path):
    from actorgraph.graph.ingest import ingest_paths
    from actorgraph.graph.sqlite_store import SQLiteStore

    copy = tmp_path / "graph.sqlite"
    with SQLiteStore(ingested_home / "graph.sqlite") as src, SQLiteStore(copy) as dst:
        src._db.backup(dst._db)
        before = nx.node_link_data(dst.to_networkx(), edges="edges")
        summary = ingest_paths(corpus_files, dst, home=tmp_path, progress=False)
        assert summary.unchanged == [p.name for p in corpus_files]
        assert nx.node_link_data(dst.to_networkx(), edges="edges") == before


def test_ingest_paths_are_documents_by_file_name(env, tmp_path):
    _, docs = env
    other = tmp_path / "other"
    other.mkdir()
    (other / "report1.txt").write_text(REPORT_2, encoding="utf-8")
    code, out = run("ingest", "--no-progress", docs / "report1.txt", other / "report1.txt")
    assert code == 1
    assert f"skipped {other / 'report1.txt'}: same file name as {docs / 'report1.txt'}" in out


def test_home_defaults(monkeypatch, tmp_path):
    from actorgraph.graph.open_store import actorgraph_home, store_kind

    monkeypatch.delenv("ACTORGRAPH_HOME", raising=False)
    monkeypatch.delenv("ACTORGRAPH_STORE", raising=False)
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert actorgraph_home() == Path.home() / ".actorgraph"
    assert store_kind() == "embedded"
    monkeypatch.setenv("NEO4J_URI", "bolt://localhost:7687")
    assert store_kind() == "neo4j"
    assert store_kind("embedded") == "embedded"
    monkeypatch.setenv("ACTORGRAPH_STORE", "embedded")
    assert store_kind() == "embedded"
    monkeypatch.setenv("ACTORGRAPH_HOME", str(tmp_path))
    assert actorgraph_home() == tmp_path
