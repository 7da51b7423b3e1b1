"""The app's component builders, as pure functions (no Streamlit, no JavaScript)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

APP_DIR = Path(__file__).resolve().parents[1] / "app"
sys.path.insert(0, str(APP_DIR))

from components.charts import matrix_frame, sankey_data, sankey_figure  # noqa: E402
from components.entity import (  # noqa: E402
    entity_documents,
    entity_properties,
    extraction_health,
    relationship_rows,
)
from components.evidence import (  # noqa: E402
    escape_text,
    evidence_records,
    paragraph_bounds,
    passage,
    passage_html,
)
from components.network import (  # noqa: E402
    LABEL_COLOURS,
    cap_view,
    clicked_node,
    keep_sectors,
    network_elements,
    network_figure,
    view_measure,
)
from components.spread import spread_events, spread_graph, status_frame  # noqa: E402
from components.tables import score_parts, spanner_frame  # noqa: E402


def _ev(doc: str, text: str, start: int = 0) -> dict:
    return {"doc": doc, "start": start, "end": start + len(text), "text": text}


@pytest.fixture
def small_graph() -> nx.MultiDiGraph:
    """People, roles and organisations across two sectors, with evidence and documents."""
    G = nx.MultiDiGraph()
    G.add_node("Document:a.txt", label="Document", name="a.txt")
    G.add_node("Person:s1r01", label="Person", name="S1R01", respondent_id="S1R01",
               evidence=[_ev("a.txt", "S1R01 chaired the board.")])
    G.add_node("Person:s1r02", label="Person", name="S1R02", evidence=[])
    G.add_node("Role:chair", label="Role", name="chair", category="governance")
    G.add_node("Organisation:ccg", label="Organisation", name="the CCG", org_type="CCG",
               sector="NHS", aliases=["CCG"])
    G.add_node("Organisation:la", label="Organisation", name="the council",
               org_type="LOCAL_AUTHORITY", sector="LOCAL_GOVERNMENT")
    G.add_node("Place:north", label="Place", name="the north")
    G.add_edge("Person:s1r01", "Role:chair", key="h", type="HOLDS", tense="earlier",
               evidence=[_ev("a.txt", "S1R01 chaired the board.")])
    G.add_edge("Role:chair", "Organisation:ccg", key="i", type="IN",
               evidence=[_ev("a.txt", "the CCG board", 30)])
    G.add_edge("Person:s1r01", "Organisation:la", key="m", type="MEMBER_OF",
               evidence=[_ev("a.txt", "works with the council", 60)])
    G.add_edge("Person:s1r02", "Organisation:la", key="m2", type="MEMBER_OF", evidence=[])
    for n in ("Person:s1r01", "Organisation:ccg", "Place:north"):
        G.add_edge(n, "Document:a.txt", key=f"mi-{n}", type="MENTIONED_IN")
    return G


# --------------------------------------------------------------------------- network view


def test_network_elements_place_every_node_and_edge(small_graph: nx.MultiDiGraph) -> None:
    el = network_elements(small_graph, centre="Person:s1r01", sizes={"Person:s1r01": 9.0})
    assert sorted(el.node_ids()) == sorted(small_graph.nodes)
    assert len(el.edges) == small_graph.number_of_edges()
    centre = next(n for n in el.nodes if n["id"] == "Person:s1r01")
    assert (centre["x"], centre["y"]) == (0.0, 0.0) and centre["centre"]
    assert centre["size"] == max(n["size"] for n in el.nodes)
    for n in el.nodes:
        assert n["colour"] == LABEL_COLOURS[small_graph.nodes[n["id"]]["label"]]
    # Deterministic: the same graph lays out the same way.
    again = network_elements(small_graph, centre="Person:s1r01", sizes={"Person:s1r01": 9.0})
    assert again.nodes == el.nodes


def test_network_figure_carries_node_ids_for_clicks(small_graph: nx.MultiDiGraph) -> None:
    fig = network_figure(network_elements(small_graph, centre="Person:s1r01"))
    ids = [c for trace in fig.data if trace.customdata is not None for c in trace.customdata]
    assert sorted(ids) == sorted(small_graph.nodes)
    legend = {trace.name for trace in fig.data if trace.showlegend is not False}
    assert legend == {d["label"] for _, d in small_graph.nodes(data=True)}
    # What Streamlit reports for a click on a node point:
    event = {"selection": {"points": [{"curve_number": 3, "point_index": 0,
                                       "customdata": ids[0]}]}}
    assert clicked_node(event) == ids[0]
    assert clicked_node({"selection": {"points": [{"customdata": [ids[1]]}]}}) == ids[1]
    assert clicked_node({"selection": {"points": []}}) is None
    assert clicked_node(None) is None


def test_view_filters(small_graph: nx.MultiDiGraph) -> None:
    kept = keep_sectors(small_graph, ["NHS"], "Person:s1r01")
    assert "Organisation:la" not in kept and "Organisation:ccg" in kept
    assert "Role:chair" in kept  # nodes without a sector stay
    assert keep_sectors(small_graph, [], "Person:s1r01") is small_graph
    capped = cap_view(small_graph, "Person:s1r01", 3)
    assert capped.number_of_nodes() == 3 and "Person:s1r01" in capped
    dist = nx.single_source_shortest_path_length(small_graph.to_undirected(), "Person:s1r01")
    assert all(dist[n] <= 1 for n in capped)
    degree = view_measure(small_graph, "degree")
    assert degree["Person:s1r01"] == 3.0  # the role, the council, the document
    between = view_measure(small_graph, "betweenness")
    assert between["Person:s1r01"] == max(between.values())
    pr = view_measure(small_graph, "pagerank")
    assert sum(pr.values()) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="unknown measure"):
        view_measure(small_graph, "closeness")


# --------------------------------------------------------------------------- charts


def test_sankey_data_sums_links_and_keeps_sides_apart() -> None:
    links = [
        {"source": "Site", "target": "ICS", "count": 2},
        {"source": "Site", "target": "ICS", "count": 1},
        {"source": "CCG", "target": "CCG", "count": 4},
    ]
    d = sankey_data(links)
    assert len(d["source"]) == len(d["target"]) == len(d["value"]) == 2
    pairs = {(d["labels"][s], d["labels"][t]): v
             for s, t, v in zip(d["source"], d["target"], d["value"], strict=True)}
    assert pairs == {("Site (from)", "ICS (to)"): 3, ("CCG (from)", "CCG (to)"): 4}
    assert all(s != t for s, t in zip(d["source"], d["target"], strict=True))
    fig = sankey_figure(links)
    assert list(fig.data[0].link.value) == d["value"]


def test_matrix_frame_pivots_cells() -> None:
    cells = [{"site": "S1", "initiative": "MDT"}, {"site": "S1", "initiative": "MDT"},
             {"site": "S2", "initiative": "MSK"}]
    m = matrix_frame(cells, "site", "initiative")
    assert m.loc["S1", "MDT"] == 2 and m.loc["S2", "MDT"] == 0 and m.loc["S2", "MSK"] == 1


def test_status_frame_and_spread_builders() -> None:
    matrix = {
        "sites": [{"id": "s1", "name": "Site 1"}, {"id": "s2", "name": "Site 1"}],
        "initiatives": [{"id": "i", "name": "MDT"}],
        "cells": [{"site": "s1", "initiative": "i", "status": "stopped"},
                  {"site": "s2", "initiative": "i", "status": "planned"}],
    }
    frame = status_frame(matrix)
    assert list(frame.index) == ["Site 1", "Site 1 (2)"]  # same names kept apart
    assert frame["MDT"].tolist() == ["stopped", "planned"]
    spread = {
        "origins": [{"id": "a", "name": "Site 1", "label": "Site"}],
        "implemented_at": [{"id": "b", "name": "Site 2", "label": "Site"}],
        "steps": [{"from": {"id": "a", "name": "Site 1", "label": "Site"},
                   "to": {"id": "n", "name": "PCN DES", "label": "Initiative"},
                   "mode": "scale-up", "dates": ["2020", "2021"]}],
    }
    g = spread_graph(spread)
    assert sorted(g.nodes) == ["a", "b", "n"] and g.number_of_edges() == 1
    assert spread_events(spread) == [{"when": 2020, "where": "PCN DES",
                                      "what": "from Site 1 (scale-up)"}]


def test_score_parts_add_up_to_the_query_layer_score(small_graph: nx.MultiDiGraph) -> None:
    from actorgraph.config import section
    from actorgraph.queries.spanners import spanner_table

    rows = spanner_table(small_graph, "org_type")
    weights = {k: float(v) for k, v in section("spanners")["weights"].items()}
    parts = score_parts(rows, weights)
    measures = [c for c in parts.columns if c not in ("name", "id")]
    assert set(measures) == {m for m, w in weights.items() if w > 0}
    for row, (_, part) in zip(rows, parts.iterrows(), strict=True):
        assert part["id"] == row["id"]
        assert sum(part[m] for m in measures) == pytest.approx(row["score"])
    frame = spanner_frame(rows)
    assert list(frame.columns[:3]) == ["rank", "name", "group"]
    assert spanner_frame([]).empty


# --------------------------------------------------------------------------- entity and evidence


def test_entity_builders(small_graph: nx.MultiDiGraph) -> None:
    assert entity_properties(small_graph, "Organisation:ccg") == {
        "org_type": "CCG", "sector": "NHS"}
    rows = relationship_rows(small_graph, "Person:s1r01")
    assert [(r["type"], r["direction"], r["other"]) for r in rows] == [
        ("HOLDS", "out", "Role:chair"), ("MEMBER_OF", "out", "Organisation:la")]
    assert rows[0]["properties"] == {"tense": "earlier"}
    assert rows[0]["evidence"][0]["text"] == "S1R01 chaired the board."
    assert entity_documents(small_graph, "Person:s1r01") == ["a.txt"]
    health = extraction_health(small_graph)
    assert health["without_relations"] == {"Place": 1}
    assert health["entities"] == small_graph.number_of_nodes() - 1


def test_passage_highlights_the_span_in_its_paragraph(corpus_files: list[Path]) -> None:
    text = corpus_files[0].read_text("utf-8-sig")
    m = re.search(r"[A-Z][^.\n]{40,200}\.", text[len(text) // 2:])
    assert m is not None
    start, end = len(text) // 2 + m.start(), len(text) // 2 + m.end()
    p = passage(corpus_files[0].name, text, start, end, text[start:end])
    assert p.span == text[start:end]
    assert p.before + p.span + p.after in text
    assert "\n\n" not in (p.before + p.after).strip("\n")  # one paragraph
    rendered = passage_html(p)
    assert rendered.count("<mark>") == 1
    assert escape_text(p.span) in rendered
    # A document that changed since ingestion: the sentence alone, never a wrong span.
    stale = passage(corpus_files[0].name, "x" + text, start, end, text[start:end])
    assert (stale.before, stale.span, stale.after) == ("", text[start:end], "")


def test_paragraph_bounds_and_escaping() -> None:
    text = "Para one.\n\nPara two has the span here.\n  \nPara three."
    start = text.index("span")
    a, b = paragraph_bounds(text, start, start + 4)
    assert text[a:b] == "Para two has the span here."
    long = "word " * 1000
    a, b = paragraph_bounds(long, 2500, 2510, max_chars=200)
    assert b - a <= 200 and a <= 2500 and b >= 2510
    escaped = escape_text("**bold** $x$ <script>alert(1)</script> [a](b)\nnext")
    assert not set("*$<>[]()") & set(escaped.replace("<br>", ""))
    assert escaped.endswith("<br>next")


def test_evidence_records_accept_every_stored_form() -> None:
    from actorgraph.records import Evidence

    as_json = '{"doc": "a.txt", "start": 3, "end": 5, "text": "ab"}'
    forms = [as_json, {"doc": "a.txt", "start": 3, "end": 5, "text": "ab"},
             Evidence("a.txt", 3, 5, "ab")]
    assert evidence_records(forms) == [{"doc": "a.txt", "start": 3, "end": 5, "text": "ab"}] * 3
    assert pd.DataFrame(evidence_records([])).empty


@pytest.mark.parametrize("module", ["charts", "entity", "evidence", "network", "spread"])
def test_component_docstring_examples(module: str) -> None:
    import doctest
    import importlib

    mod = importlib.import_module(f"components.{module}")
    result = doctest.testmod(mod, verbose=False)
    assert result.attempted > 0 and result.failed == 0


def test_app_command_serves_locally_without_telemetry(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from actorgraph.cli.app_cmd import APP_HOME, streamlit_command
    from actorgraph.cli.main import app

    cmd = streamlit_command(APP_HOME, 8765)
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert cmd[2:5] == ["streamlit", "run", str(APP_HOME)] and APP_HOME.is_file()
    assert flags["--server.address"] == "127.0.0.1"
    assert flags["--server.headless"] == "true"
    assert flags["--browser.gatherUsageStats"] == "false"
    assert flags["--server.port"] == "8765"
    result = CliRunner().invoke(app, ["app", "--help"])
    assert result.exit_code == 0 and "--port" in result.output and "--store" in result.output
    import tomllib

    for config in (APP_DIR.parent / ".streamlit" / "config.toml",
                   APP_DIR / ".streamlit" / "config.toml"):
        settings = tomllib.loads(config.read_text("utf-8"))
        assert settings["browser"]["gatherUsageStats"] is False
        assert settings["server"]["address"] == "127.0.0.1"


def test_busiest_keeps_the_most_implemented_and_matrix_rows_keep_everything() -> None:
    from collections import Counter

    from components.spread import busiest, matrix_rows, status_frame

    from actorgraph.queries.spread import initiative_matrix
    from actorgraph.synthetic import synthetic_document_graphs

    G = nx.MultiDiGraph()
    for doc in synthetic_document_graphs(40 * 40, relationships_per_document=40):
        for n in doc.nodes:
            G.add_node(n.id, label=n.label, name=n.name, **n.properties)
        for e in doc.edges:
            G.add_edge(e.source, e.target, key=e.key, type=e.type, **e.properties)
    m = initiative_matrix(G)
    cut = busiest(m, max_sites=12, max_initiatives=5)
    assert len(cut["sites"]) == 12 and len(cut["initiatives"]) == 5
    per_init = Counter(c["initiative"] for c in m["cells"])
    kept = {i["id"] for i in cut["initiatives"]}
    assert min(per_init[i] for i in kept) >= max(
        per_init[i["id"]] for i in m["initiatives"] if i["id"] not in kept)
    per_site = Counter(c["site"] for c in m["cells"] if c["initiative"] in kept)
    kept_sites = {s["id"] for s in cut["sites"]}
    assert min(per_site[s] for s in kept_sites) >= max(
        per_site[s["id"]] for s in m["sites"] if s["id"] not in kept_sites)
    # rows and columns keep the matrix's order; every kept cell is there
    assert [s["id"] for s in cut["sites"]] == [s["id"] for s in m["sites"] if s["id"] in kept_sites]
    assert cut["cells"] == [c for c in m["cells"]
                            if c["site"] in kept_sites and c["initiative"] in kept]
    assert status_frame(cut).shape == (12, 5)
    assert busiest(m, max_sites=10**6, max_initiatives=10**6) is m
    rows = matrix_rows(m)
    assert len(rows) == len(m["cells"])
    assert set(zip(rows["site_id"], rows["initiative_id"], strict=True)) == {
        (c["site"], c["initiative"]) for c in m["cells"]}
