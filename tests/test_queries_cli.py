"""The query commands, on an exported graph file and on the embedded store."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import networkx as nx
import pytest
from typer.testing import CliRunner

from actorgraph.cli.main import app
from tests.test_queries_graphs import scenario_document, scenario_graph

runner = CliRunner()


@pytest.fixture
def graph_file(tmp_path: Path) -> Path:
    path = tmp_path / "graph.json"
    path.write_text(json.dumps(nx.node_link_data(scenario_graph(), edges="edges")), "utf-8")
    return path


def run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_spanners_table_json_csv(graph_file: Path) -> None:
    code, out, _ = run("spanners", "--graph", str(graph_file))
    assert code == 0 and out.splitlines()[0].split()[:3] == ["rank", "name", "group"]
    assert "S1R04" in out.splitlines()[2]
    code, out, _ = run("spanners", "--graph", str(graph_file), "--json", "--partition", "sector")
    rows = json.loads(out)
    assert code == 0 and rows[0]["name"] == "S1R04" and len(rows) == 3
    code, out, _ = run("spanners", "--graph", str(graph_file), "--csv", "--backend", "networkx")
    table = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and [r["name"] for r in table] == [r["name"] for r in rows]


def test_spanners_explain(graph_file: Path) -> None:
    code, out, _ = run("spanners", "--graph", str(graph_file), "--explain", "S1R04")
    assert code == 0 and "affiliated with ICS" in out and "CARE_HOME" in out
    code, out, _ = run("spanners", "--graph", str(graph_file), "--explain", "Person:s1r04",
                       "--json")
    assert json.loads(out)["id"] == "Person:s1r04"


def test_transfers(graph_file: Path) -> None:
    code, out, _ = run("transfers", "--from", "vanguard", "--to", "ics", "--graph",
                       str(graph_file))
    assert code == 0 and "S1R04" in out and "Site -> ICS: 1" in out
    assert "vanguard GP lead" in out  # the removed role
    code, out, _ = run("transfers", "--from", "vanguard", "--to", "ics", "--graph",
                       str(graph_file), "--json")
    payload = json.loads(out)
    assert [t["person"] for t in payload["transfers"]] == ["Person:s1r04"]
    assert payload["sankey"] == [{"source": "Site", "target": "ICS", "count": 1}]
    code, out, _ = run("transfers", "--from", "vanguard", "--to", "pcn", "--graph",
                       str(graph_file), "--csv")
    assert [r["person"] for r in csv.DictReader(io.StringIO(out))] == ["P2"]


def test_spread(graph_file: Path) -> None:
    code, out, _ = run("spread", "--graph", str(graph_file))
    assert code == 0 and "stopped" in out and "continued" in out
    code, out, _ = run("spread", "--graph", str(graph_file), "--initiative", "MDT model")
    assert code == 0 and "horizontal" in out and "S1R04" in out
    code, out, _ = run("spread", "--graph", str(graph_file), "--show-groups", "--json")
    assert any(len(g["members"]) == 2 for g in json.loads(out))


def test_spread_group_overrides_file(graph_file: Path, tmp_path: Path) -> None:
    overrides = tmp_path / "groups.json"
    overrides.write_text(json.dumps({"Initiative:falls": "MDT model"}), "utf-8")
    code, out, _ = run("spread", "--graph", str(graph_file), "--show-groups", "--groups",
                       str(overrides), "--json")
    entry = next(g for g in json.loads(out) if g["group"] == "MDT model")
    assert code == 0 and entry["overridden"]
    overrides.write_text("[1, 2]", "utf-8")
    code, _, err = run("spread", "--graph", str(graph_file), "--groups", str(overrides))
    assert code == 2 and str(overrides) in err and len(err.strip().splitlines()) == 1


def test_search_and_path(graph_file: Path) -> None:
    code, out, _ = run("search", "S1R04", "--graph", str(graph_file), "--json")
    assert code == 0 and json.loads(out)[0]["id"] == "Person:s1r04"
    code, out, _ = run("path", "S1R07", "the ICS", "--graph", str(graph_file), "--json")
    steps = json.loads(out)
    assert code == 0 and steps[0]["source"] == "Person:s1r07" and len(steps) == 3
    code, _, err = run("path", "S1R07", "qqqq zzzz", "--graph", str(graph_file))
    assert code == 1 and "no such entity" in err


def test_bad_graph_file_is_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "broken.json"
    bad.write_text("{not json", "utf-8")
    code, _, err = run("spanners", "--graph", str(bad))
    assert code == 2 and str(bad) in err and len(err.strip().splitlines()) == 1
    code, _, err = run("search", "x", "--graph", str(tmp_path / "missing.json"))
    assert code == 2 and "no such file" in err


def test_commands_read_the_embedded_store(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    from actorgraph.graph.sqlite_store import SQLiteStore

    with SQLiteStore(tmp_path / "graph.sqlite") as store:
        store.write_document(scenario_document())
    monkeypatch.setenv("ACTORGRAPH_HOME", str(tmp_path))
    monkeypatch.delenv("NEO4J_URI", raising=False)
    code, out, _ = run("transfers", "--from", "vanguard", "--to", "ics", "--store", "embedded",
                       "--json")
    assert code == 0 and json.loads(out)["transfers"][0]["person_name"] == "S1R04"
