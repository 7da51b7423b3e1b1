"""Every page of the web app under Streamlit's AppTest, on the ingested sample corpus.

Each test checks that the page's widgets exist and that the numbers it shows
equal what the query layer returns for the same store.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import networkx as nx
import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app"
sys.path.insert(0, str(APP))
TIMEOUT = 120


@pytest.fixture
def app_env(ingested_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point the app at the ingested sample corpus (embedded store)."""
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACTORGRAPH_HOME", str(ingested_home))
    monkeypatch.setenv("ACTORGRAPH_STORE", "embedded")
    return ingested_home


def open_page(page: str | None = None) -> AppTest:
    """Run Home, then switch to ``page`` (a file under app/pages) and run it."""
    at = AppTest.from_file(str(APP / "Home.py"), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    if page:
        at.switch_page(f"pages/{page}")
        at.run()
        assert not at.exception, [e.message for e in at.exception]
    return at


def metric(at: AppTest, label: str) -> str:
    found = [m.value for m in at.metric if m.label == label]
    assert found, f"no metric {label!r}: {[m.label for m in at.metric]}"
    return found[0]


#: Columns that identify each table of the app (st.dataframe keeps no key in AppTest).
TABLES = {
    "nodes_by_label": ("label", "count"),
    "relationships_by_type": ("type", "count"),
    "documents": ("doc", "sha256"),
    "explore_hits": ("matched", "score"),
    "entity_relationships": ("direction", "other label"),
    "spanner_table": ("rank", "score", "betweenness"),
    "transfer_links": ("source", "target", "count"),
    "ended_roles": ("reason", "held by"),
    "query_answer": ("rank", "score"),
    "ingest_table": ("file", "result", "detail"),
}


def frame(at: AppTest, table: str):
    """The first table on the page with ``table``'s identifying columns."""
    wanted = TABLES[table]
    found = [d.value for d in at.dataframe if all(c in d.value.columns for c in wanted)]
    assert found, f"no table {table!r} (columns {wanted})"
    return found[0]


def entity_counts(ingested_store) -> tuple[int, int, int]:
    stats = ingested_store.stats()
    return (
        len(ingested_store.documents()),
        sum(n for label, n in stats["nodes"].items() if label != "Document"),
        sum(stats["relationships"].values()),
    )


def test_home(app_env, ingested_store) -> None:
    at = open_page()
    docs, entities, rels = entity_counts(ingested_store)
    assert metric(at, "Documents") == str(docs)
    assert metric(at, "Entities") == str(entities)
    assert metric(at, "Relationships") == str(rels)


def test_overview(app_env, ingested_store, ingested_graph: nx.MultiDiGraph) -> None:
    at = open_page("1_Overview.py")
    docs, entities, rels = entity_counts(ingested_store)
    assert (metric(at, "Documents"), metric(at, "Entities"), metric(at, "Relationships")) == (
        str(docs), str(entities), str(rels))
    stats = ingested_store.stats()
    by_label = frame(at, "nodes_by_label")
    assert dict(zip(by_label["label"], by_label["count"], strict=True)) == stats["nodes"]
    by_type = frame(at, "relationships_by_type")
    assert dict(zip(by_type["type"], by_type["count"], strict=True)) == stats["relationships"]
    assert sorted(frame(at, "documents")["doc"]) == sorted(
        d["doc"] for d in ingested_store.documents())
    lonely = [
        n for n, d in ingested_graph.nodes(data=True)
        if d.get("label") != "Document"
        and all(e.get("type") == "MENTIONED_IN" for *_, e in ingested_graph.edges(n, data=True))
        and all(e.get("type") == "MENTIONED_IN"
                for *_, e in ingested_graph.in_edges(n, data=True))
    ]
    assert metric(at, "Entities without relationships") == str(len(lonely))
    assert "embedded" in " ".join(c.value for c in at.caption)


def _searchable(G: nx.MultiDiGraph) -> tuple[str, list[dict]]:
    """A name to search for (an entity with relationships) and what the query layer returns."""
    from actorgraph.queries.search import search

    labels = sorted({d["label"] for _, d in G.nodes(data=True) if d.get("label") != "Document"})
    node = max(
        (n for n, d in G.nodes(data=True) if d.get("label") in ("Organisation", "Site")),
        key=lambda n: (G.degree(n), n),
    )
    name = str(G.nodes[node]["name"])
    return name, search(G, name, 25, labels=labels)


def test_explore_search_and_neighbourhood(app_env, ingested_graph: nx.MultiDiGraph) -> None:
    from actorgraph.queries.search import neighbourhood

    at = open_page("2_Explore.py")
    assert at.text_input(key="explore_query")
    name, hits = _searchable(ingested_graph)
    at.text_input(key="explore_query").input(name).run()
    assert not at.exception
    shown = frame(at, "explore_hits")
    assert list(shown["id"]) == [h["id"] for h in hits]
    centre = at.selectbox(key="explore_centre").value
    assert centre == hits[0]["id"]
    sub = neighbourhood(ingested_graph, centre, 1)
    n_nodes = min(sub.number_of_nodes(), 150)
    caption = next(c.value for c in at.caption if "relationships (click" in c.value)
    assert caption.startswith(f"{n_nodes} nodes")
    if sub.number_of_nodes() <= 150:
        assert caption.startswith(f"{n_nodes} nodes, {sub.number_of_edges()} relationships")
    charts = at.get("plotly_chart")
    spec = json.loads(charts[0].proto.spec)
    ids = {c for trace in spec["data"] for c in trace.get("customdata") or []}
    assert centre in ids and len(ids) == n_nodes
    # Depth 2 shows at least as much.
    at.slider(key="explore_depth").set_value(2).run()
    assert not at.exception
    deeper = next(c.value for c in at.caption if "relationships (click" in c.value)
    assert int(deeper.split()[0]) >= n_nodes
    # Opening the entity goes to the Entity page.
    at.button(key="explore_open").click().run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Entity"]
    assert at.text_input(key="entity_id_input").value == centre


def test_entity_page_shows_relationships_and_evidence(app_env, ingested_graph) -> None:
    from components.evidence import escape_text

    G = ingested_graph
    node = max(
        (n for n, d in G.nodes(data=True) if d.get("label") != "Document" and d.get("evidence")),
        key=lambda n: (sum(1 for *_, e in G.edges(n, data=True)
                           if e.get("type") != "MENTIONED_IN"), n),
    )
    at = AppTest.from_file(str(APP / "Home.py"), default_timeout=TIMEOUT)
    at.session_state["entity_id"] = node
    at.run()
    at.switch_page("pages/3_Entity.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.subheader[0].value == G.nodes[node]["name"]
    n_rel = sum(1 for *_, e in G.out_edges(node, data=True) if e.get("type") != "MENTIONED_IN")
    n_rel += sum(1 for *_, e in G.in_edges(node, data=True) if e.get("type") != "MENTIONED_IN")
    assert f"Relationships ({n_rel})" in [s.value for s in at.subheader]
    assert len(frame(at, "entity_relationships")) == n_rel
    marked = " ".join(m.value for m in at.markdown if "<mark>" in m.value)
    sentences = [e["text"] for e in G.nodes[node]["evidence"]]
    assert any(f"<mark>{escape_text(s)}</mark>" in marked for s in sentences)
    # An unknown id gives a one-line error, not a traceback.
    at.text_input(key="entity_id_input").input("Person:nobody").run()
    assert not at.exception
    assert at.error[0].value == "Person:nobody: no such node in the store"


def test_boundary_spanners_match_the_query_layer(app_env, ingested_graph) -> None:
    from actorgraph.queries.spanners import explain_spanner, spanner_table

    at = open_page("4_Boundary_spanners.py")
    partition = at.selectbox(key="spanner_partition").value
    rows = spanner_table(ingested_graph, partition)
    assert metric(at, "People ranked") == str(len(rows))
    table = frame(at, "spanner_table")
    assert list(table["id"]) == [r["id"] for r in rows]
    assert list(table["score"]) == pytest.approx([r["score"] for r in rows])
    assert len(at.get("plotly_chart")) == 2
    # Another partition re-ranks.
    other = next(p for p in at.selectbox(key="spanner_partition").options if p != partition)
    at.selectbox(key="spanner_partition").set_value(other).run()
    assert not at.exception
    rows2 = spanner_table(ingested_graph, other)
    assert list(frame(at, "spanner_table")["id"]) == [r["id"] for r in rows2]
    person = at.selectbox(key="spanner_person").value
    assert person == rows2[0]["id"]
    expl = explain_spanner(ingested_graph, person, other)
    titles = [e.label for e in at.expander]
    assert sum(t.startswith("Group ") for t in titles) == len(expl["groups"])
    assert sum(t.startswith("Crosses to ") for t in titles) == len(expl["boundaries"])


def test_role_transfers_match_the_query_layer(app_env, ingested_graph) -> None:
    from actorgraph.queries.transfers import ended_roles, sankey_links, transfer_paths

    at = open_page("5_Role_transfers.py")
    assert at.text_input(key="transfer_source").value == "vanguard"
    assert at.text_input(key="transfer_target").value == "ics"
    for source, target in (("vanguard", "ics"), ("vanguard", "ccg"), ("site", "pcn")):
        at.text_input(key="transfer_source").input(source)
        at.text_input(key="transfer_target").input(target).run()
        assert not at.exception
        paths = transfer_paths(ingested_graph, source, target)
        assert metric(at, "People who moved") == str(len({p["person"] for p in paths}))
        links = sankey_links(paths)
        if links:
            shown = frame(at, "transfer_links")
            assert shown.to_dict("records") == links
        titles = [e.label for e in at.expander]
        assert len(titles) == len(paths)
        ended = ended_roles(ingested_graph, source)
        if ended:
            assert len(frame(at, "ended_roles")) == len(ended)


def test_initiative_spread_matches_the_query_layer(app_env, ingested_graph) -> None:
    from actorgraph.queries.spread import initiative_matrix, initiative_spread, initiatives

    at = open_page("6_Initiative_spread.py")
    m = initiative_matrix(ingested_graph)
    assert metric(at, "Sites and organisations") == str(len(m["sites"]))
    assert metric(at, "Initiatives") == str(len(m["initiatives"]))
    assert metric(at, "Implementations") == str(len(m["cells"]))
    inits = initiatives(ingested_graph)
    if not inits:
        return
    chosen = at.selectbox(key="spread_initiative").value
    assert chosen == inits[0]["id"]
    s = initiative_spread(ingested_graph, chosen)
    assert any(f"{len(s['steps'])} spread step(s)" in md.value for md in at.markdown)
    at.radio(key="spread_view").set_value("timeline").run()
    assert not at.exception
    at.toggle(key="spread_grouped").set_value(True).run()
    assert not at.exception


def test_query_page_saved_questions_on_the_embedded_store(app_env, ingested_graph) -> None:
    from actorgraph.queries.spanners import spanner_table

    at = open_page("8_Query.py")
    question = at.selectbox(key="query_question")
    assert question.value.startswith("Who are the boundary spanners?")
    top = spanner_table(ingested_graph, "org_type")[:25]
    assert list(frame(at, "query_answer")["id"]) == [r["id"] for r in top]
    # No console on the embedded store: it says so, and offers no Cypher box.
    assert any("needs the Neo4j store" in i.value for i in at.info)
    assert not [t for t in at.text_area if t.key == "query_text"]
    for option in question.options[1:]:
        at.selectbox(key="query_question").set_value(option).run()
        assert not at.exception, option


def test_export_page(app_env, ingested_graph) -> None:
    at = open_page("9_Export.py")
    assert at.radio(key="export_format").options == ["json", "graphml", "gexf", "csv"]
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[0].startswith("Download actorgraph.json")
    assert any("as CSV" in label for label in labels)
    caption = next(c.value for c in at.caption if c.value.endswith("relationships"))
    assert caption == (
        f"{ingested_graph.number_of_nodes()} nodes, {ingested_graph.number_of_edges()} "
        "relationships"
    )
    for fmt in ("graphml", "gexf", "csv"):
        at.radio(key="export_format").set_value(fmt).run()
        assert not at.exception, fmt


def test_export_bytes_are_the_contract_json(app_env, ingested_graph) -> None:
    import state

    data, name, mime = state.export_bytes(state.content_version(), "json")
    assert (name, mime) == ("actorgraph.json", "application/json")
    exported = json.loads(data)
    assert len(exported["nodes"]) == ingested_graph.number_of_nodes()
    assert len(exported["edges"]) == ingested_graph.number_of_edges()


def test_ingest_page_reports_each_file(tmp_path: Path, monkeypatch, corpus_files) -> None:
    home = tmp_path / "home"
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    good = inbox / corpus_files[0].name
    # A real document's opening, cut short to keep the test quick.
    good.write_text(corpus_files[0].read_text("utf-8-sig")[:4000], "utf-8")
    (inbox / "empty.txt").write_text("", "utf-8")
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACTORGRAPH_HOME", str(home))
    monkeypatch.setenv("ACTORGRAPH_STORE", "embedded")
    at = open_page("7_Ingest.py")
    assert at.text_input(key="ingest_folder")
    at.text_input(key="ingest_folder").input(str(inbox))
    at.button(key="ingest_go").click().run(timeout=600)
    assert not at.exception, [e.message for e in at.exception]
    results = frame(at, "ingest_table")
    assert dict(zip(results["file"], results["result"], strict=True)) == {
        "empty.txt": "skipped", good.name: "added"}
    assert any(e.value.startswith("empty.txt: ") or "empty.txt" in e.value for e in at.error)
    # The new document is in the store the app uses, and a second run leaves it unchanged.
    from actorgraph.graph.open_store import open_store

    store = open_store("embedded", home)
    try:
        assert [d["doc"] for d in store.documents()] == [good.name]
    finally:
        store.close()
    at.text_input(key="ingest_folder").input(str(good))
    at.button(key="ingest_go").click().run(timeout=600)
    again = frame(at, "ingest_table")
    assert again.to_dict("records")[0]["result"] == "unchanged"


@pytest.mark.neo4j
def test_app_on_neo4j_with_the_console(neo4j_store, neo4j_server, monkeypatch) -> None:
    """The app on the Neo4j store: numbers from the store, transfers by Cypher, the console."""
    from actorgraph.queries.transfers import transfer_paths
    from actorgraph.synthetic import synthetic_document_graphs

    for graph in synthetic_document_graphs(900, relationships_per_document=90):
        neo4j_store.write_document(graph)
    monkeypatch.setenv("ACTORGRAPH_STORE", "neo4j")
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    if neo4j_server.database:
        monkeypatch.setenv("NEO4J_DATABASE", neo4j_server.database)
    else:
        monkeypatch.delenv("NEO4J_DATABASE", raising=False)

    at = open_page("1_Overview.py")
    docs, entities, rels = entity_counts(neo4j_store)
    assert (metric(at, "Documents"), metric(at, "Entities"), metric(at, "Relationships")) == (
        str(docs), str(entities), str(rels))
    assert any("neo4j" in c.value for c in at.caption)

    at.switch_page("pages/5_Role_transfers.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    # The synthetic graph plants moves from a site to a CCG or an NHS trust.
    found = [(s, t, transfer_paths(neo4j_store, s, t))
             for s, t in (("site", "ccg"), ("site", "nhs_trust"))]
    source, target, paths = max(found, key=lambda f: len(f[2]))
    assert paths, "no role transfer found by Cypher in the synthetic graph"
    at.text_input(key="transfer_source").input(source)
    at.text_input(key="transfer_target").input(target).run()
    assert not at.exception, [e.message for e in at.exception]
    assert metric(at, "People who moved") == str(len({p["person"] for p in paths}))

    at.switch_page("pages/8_Query.py")
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    example = at.selectbox(key="query_example")
    role_query = next(o for o in example.options if o.startswith("Role transfers"))
    example.set_value(role_query).run()
    assert at.text_area(key="query_text").value.startswith("MATCH (p:Person)-[:HOLDS]")
    at.button(key="query_run").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    result = at.dataframe[-1].value
    assert {"person", "earlier_role", "later_role"} <= set(result.columns)
    assert len(result) > 0
    # A write is refused, with a one-line reason, and changes nothing.
    before = neo4j_store.stats()
    at.text_area(key="query_text").input("MATCH (n:Person) DETACH DELETE n")
    at.button(key="query_run").click().run()
    assert at.error[0].value.startswith("refused: DETACH DELETE writes to the database")
    assert neo4j_store.stats() == before


@pytest.fixture(scope="module")
def synthetic_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An embedded store of 60 synthetic documents: more places than the heatmap draws."""
    from actorgraph.graph.sqlite_store import SQLiteStore
    from actorgraph.synthetic import synthetic_document_graphs

    home = tmp_path_factory.mktemp("synthetic-home")
    with SQLiteStore(home / "graph.sqlite") as store:
        for graph in synthetic_document_graphs(60 * 40, relationships_per_document=40):
            store.write_document(graph)
    return home


def test_initiative_spread_page_cuts_the_heatmap_not_the_counts(
    synthetic_home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from components.spread import HEATMAP_MAX_INITIATIVES, HEATMAP_MAX_SITES, SPREAD_MAX_NODES

    from actorgraph.graph.sqlite_store import SQLiteStore
    from actorgraph.queries.spread import initiative_matrix, initiative_spread, initiatives

    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("ACTORGRAPH_HOME", str(synthetic_home))
    monkeypatch.setenv("ACTORGRAPH_STORE", "embedded")
    with SQLiteStore(synthetic_home / "graph.sqlite") as store:
        G = store.to_networkx()
    m = initiative_matrix(G)
    assert len(m["sites"]) > HEATMAP_MAX_SITES  # the graph is big enough to be cut
    at = open_page("6_Initiative_spread.py")
    assert metric(at, "Sites and organisations") == str(len(m["sites"]))
    assert metric(at, "Initiatives") == str(len(m["initiatives"]))
    assert metric(at, "Implementations") == str(len(m["cells"]))
    heatmap = at.get("plotly_chart")[0].proto.spec
    shown = json.loads(heatmap)["data"][0]
    assert len(shown["y"]) == HEATMAP_MAX_SITES
    assert len(shown["x"]) == min(HEATMAP_MAX_INITIATIVES, len(m["initiatives"]))
    assert any("the CSV holds every implementation" in c.value for c in at.caption)
    # The national initiative every document scales up reaches more places than are drawn.
    inits = initiatives(G)
    widest = max(inits, key=lambda i: len(initiative_spread(G, i["id"])["steps"]))
    steps = initiative_spread(G, widest["id"])["steps"]
    at.selectbox(key="spread_initiative").set_value(widest["id"]).run()
    assert not at.exception
    assert any(f"{len(steps)} spread step(s)" in md.value for md in at.markdown)
    places = {e["id"] for s in steps for e in (s["from"], s["to"])}
    if len(places) > SPREAD_MAX_NODES:
        assert any("best-connected" in c.value for c in at.caption)
    shown_steps = [e for e in at.expander if " → " in e.label]
    assert len(shown_steps) == min(len(steps), 30)
