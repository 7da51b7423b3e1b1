"""The Neo4j store against a real Neo4j 5.26 server (the ``neo4j_server`` fixture)."""

from __future__ import annotations

import json
import logging
import threading
import time

import neo4j
import pytest

from actorgraph.graph.neo4j_store import Neo4jStore, StoreConnectionError
from actorgraph.graph.store import DocumentGraph, DocumentRecord, EdgeRecord, NodeRecord
from actorgraph.records import Evidence
from tests.plugins.neo4j_server import Neo4jProcess, free_port

pytestmark = pytest.mark.neo4j


def ev(doc: str, text: str, start: int = 0) -> Evidence:
    return Evidence(doc, start, start + len(text), text)


def node(doc: str, node_id: str, label: str, name: str, sentence: str, **props) -> NodeRecord:
    return NodeRecord(node_id, label, name, [], props, [ev(doc, sentence)])


def edge(doc: str, rel_type: str, src: str, dst: str, sentence: str, **props) -> EdgeRecord:
    props.setdefault("method", "test")
    props.setdefault("confidence", 0.9)
    return EdgeRecord(f"{rel_type}|{src}|{dst}", rel_type, src, dst, props, [ev(doc, sentence)])


def document(doc: str, sha: str, nodes: list[NodeRecord], edges: list[EdgeRecord]
             ) -> DocumentGraph:
    """A document graph with its Document node and MENTIONED_IN edges, as the graph layer makes."""
    doc_node = NodeRecord(f"Document:{doc}", "Document", doc, [], {}, [])
    mentions = [EdgeRecord(f"MENTIONED_IN|{n.id}|Document:{doc}", "MENTIONED_IN", n.id,
                           f"Document:{doc}", {"method": "evidence", "confidence": 1.0},
                           list(n.evidence)) for n in nodes]
    return DocumentGraph(DocumentRecord(doc, f"/data/{doc}", sha, 1000, None),
                         [doc_node, *nodes], [*edges, *mentions])


def report_a(sha: str = "a1") -> DocumentGraph:
    s1 = "Dr Smith, chair of the Vanguard board, later joined the STP."
    s2 = "NHS England funded Site 1 as a care home vanguard."
    nodes = [
        node("a.txt", "Person:a/S1R04", "Person", "S1R04", s1, respondent_id="S1R04",
             anonymised=True),
        node("a.txt", "Role:chair of vanguard board", "Role", "chair of the Vanguard board", s1,
             category="governance"),
        node("a.txt", "Organisation:nhs england", "Organisation", "NHS England", s2,
             org_type="NATIONAL_BODY", sector="NHS", level="national"),
        node("a.txt", "Site:site 1", "Site", "Site 1", s2, model_type="ECH"),
    ]
    edges = [
        edge("a.txt", "HOLDS", "Person:a/S1R04", "Role:chair of vanguard board", s1,
             tense="earlier"),
        edge("a.txt", "FUNDS", "Organisation:nhs england", "Site:site 1", s2),
    ]
    return document("a.txt", sha, nodes, edges)


def report_b() -> DocumentGraph:
    s1 = "NHSE rolled the model out nationally through the PCN contract."
    nodes = [
        NodeRecord("Organisation:nhs england", "Organisation", "NHSE", ["NHS England"],
                   {"org_type": "NATIONAL_BODY", "abbreviation": "NHSE"}, [ev("b.txt", s1)]),
        node("b.txt", "Initiative:ehch", "Initiative", "EHCH", s1, scope="national"),
    ]
    edges = [edge("b.txt", "IMPLEMENTS", "Organisation:nhs england", "Initiative:ehch", s1,
                  status="implemented", confidence=0.7)]
    return document("b.txt", "b1", nodes, edges)


def counts(store: Neo4jStore) -> tuple[int, int]:
    row = store.run_read("RETURN COUNT { MATCH (n) WHERE n:Entity OR n:Document } AS n, "
                         "COUNT { ()-[]->() } AS r")[0]
    return row["n"], row["r"]


def test_constraints_and_indexes_exist(neo4j_store: Neo4jStore) -> None:
    constraints = {c["name"]: c for c in neo4j_store.constraints()}
    assert constraints["entity_id"]["labelsOrTypes"] == ["Entity"]
    assert constraints["entity_id"]["properties"] == ["id"]
    assert constraints["entity_id"]["type"] == "UNIQUENESS"
    assert constraints["document_id"]["labelsOrTypes"] == ["Document"]
    assert constraints["rel_key_holds"]["type"] == "RELATIONSHIP_UNIQUENESS"
    assert constraints["rel_key_holds"]["properties"] == ["key"]
    assert "rel_key_mentioned_in" in constraints
    indexes = {r["name"]: r for r in neo4j_store.run_read(
        "SHOW INDEXES YIELD name, type, state RETURN name, type, state")}
    assert indexes["entity_names"]["type"] == "FULLTEXT"
    config = neo4j_store.run_read("SHOW INDEXES YIELD name, options WHERE name = 'entity_names' "
                                  "RETURN options.indexConfig AS config")[0]["config"]
    assert config["fulltext.eventually_consistent"] is True
    assert indexes["entity_names"]["state"] == "ONLINE"


def test_constraint_rejects_duplicate_entity_id(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_document(report_a())
    with neo4j_store.driver.session(database=neo4j_store.database) as session:
        with pytest.raises(neo4j.exceptions.ConstraintError):
            session.run("CREATE (:Entity:Person {id: 'Person:a/S1R04'})").consume()


def test_write_document_and_read_back(neo4j_store: Neo4jStore) -> None:
    graph = report_a()
    assert neo4j_store.document_status("a.txt", "a1") == "new"
    result = neo4j_store.write_document(graph)
    assert result == {"nodes_added": 5, "nodes_removed": 0, "relationships_added": 6,
                      "relationships_removed": 0}
    assert neo4j_store.document_status("a.txt", "a1") == "unchanged"
    assert neo4j_store.document_status("a.txt", "a2") == "changed"
    docs = neo4j_store.documents()
    assert [(d["doc"], d["path"], d["sha256"], d["n_chars"]) for d in docs] == [
        ("a.txt", "/data/a.txt", "a1", 1000)]
    g = neo4j_store.to_networkx()
    assert g.number_of_nodes() == 5 and g.number_of_edges() == 6
    person = g.nodes["Person:a/S1R04"]
    assert person["label"] == "Person" and person["respondent_id"] == "S1R04"
    assert person["anonymised"] is True
    assert person["evidence"] == [graph.nodes[1].evidence[0].to_dict()]
    holds = g.edges["Person:a/S1R04", "Role:chair of vanguard board",
                    "HOLDS|Person:a/S1R04|Role:chair of vanguard board"]
    assert holds["type"] == "HOLDS" and holds["tense"] == "earlier"
    assert holds["method"] == "test" and holds["confidence"] == 0.9
    assert neo4j_store.stats() == {
        "nodes": {"Document": 1, "Organisation": 1, "Person": 1, "Role": 1, "Site": 1},
        "relationships": {"FUNDS": 1, "HOLDS": 1, "MENTIONED_IN": 4}}
    # the Neo4j form the query layer reads with Cypher
    row = neo4j_store.run_read(
        "MATCH (p:Entity:Person)-[h:HOLDS]->(r:Role) RETURN p.respondent_id AS code, "
        "h.tense AS tense, h.evidence AS evidence, p.docs AS docs")[0]
    assert row["code"] == "S1R04" and row["tense"] == "earlier" and row["docs"] == ["a.txt"]
    assert [json.loads(e) for e in row["evidence"]] == [holds["evidence"][0]]
    assert neo4j_store.document_graph("a.txt").nodes == sorted(graph.nodes, key=lambda n: n.id)


def test_rewriting_the_same_document_changes_nothing(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_document(report_a())
    before = neo4j_store.to_networkx()
    again = neo4j_store.write_document(report_a())
    assert again == {"nodes_added": 0, "nodes_removed": 0, "relationships_added": 0,
                     "relationships_removed": 0}
    after = neo4j_store.to_networkx()
    assert sorted(after.nodes(data=True)) == sorted(before.nodes(data=True))
    assert sorted(after.edges(keys=True, data=True)) == sorted(before.edges(keys=True, data=True))


def test_replacing_a_document_replaces_its_evidence(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_document(report_a())
    s = "NHS England funded Site 2."
    changed = document("a.txt", "a2", [
        node("a.txt", "Organisation:nhs england", "Organisation", "NHS England", s),
        node("a.txt", "Site:site 2", "Site", "Site 2", s),
    ], [edge("a.txt", "FUNDS", "Organisation:nhs england", "Site:site 2", s)])
    result = neo4j_store.write_document(changed)
    assert result["nodes_removed"] == 3  # S1R04, the role, Site 1
    assert result["nodes_added"] == 1  # Site 2
    g = neo4j_store.to_networkx()
    assert set(g.nodes) == {"Document:a.txt", "Organisation:nhs england", "Site:site 2"}
    assert g.nodes["Organisation:nhs england"]["evidence"] == [ev("a.txt", s).to_dict()]
    assert neo4j_store.document_status("a.txt", "a2") == "unchanged"
    # properties the old version gave and the new one does not are gone
    assert "org_type" not in g.nodes["Organisation:nhs england"]
    assert neo4j_store.run_read("MATCH (n:Organisation) RETURN n.org_type AS t") == [{"t": None}]


def test_merging_across_two_documents_and_removing_one(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_document(report_a())
    neo4j_store.write_document(report_b())
    g = neo4j_store.to_networkx()
    nhse = g.nodes["Organisation:nhs england"]
    assert nhse["name"] == "NHS England"  # tie 1-1: the smallest name wins
    assert nhse["aliases"] == ["NHSE"]
    assert nhse["org_type"] == "NATIONAL_BODY" and nhse["abbreviation"] == "NHSE"
    assert nhse["sector"] == "NHS"
    assert [e["doc"] for e in nhse["evidence"]] == ["a.txt", "b.txt"]
    assert g.has_edge("Organisation:nhs england", "Document:a.txt")
    assert g.has_edge("Organisation:nhs england", "Document:b.txt")
    stored = neo4j_store.run_read("MATCH (n:Entity {id: 'Organisation:nhs england'}) "
                                  "RETURN n.docs AS docs, size(n.contrib) AS parts")
    assert stored == [{"docs": ["a.txt", "b.txt"], "parts": 2}]

    assert neo4j_store.remove_document("a.txt") is True
    assert neo4j_store.remove_document("a.txt") is False
    g = neo4j_store.to_networkx()
    assert set(g.nodes) == {"Document:b.txt", "Organisation:nhs england", "Initiative:ehch"}
    nhse = g.nodes["Organisation:nhs england"]
    assert nhse["name"] == "NHSE" and nhse["aliases"] == ["NHS England"]
    assert "sector" not in nhse
    assert [e["doc"] for e in nhse["evidence"]] == ["b.txt"]
    assert [d["doc"] for d in neo4j_store.documents()] == ["b.txt"]
    assert neo4j_store.remove_document("b.txt") is True
    assert counts(neo4j_store) == (0, 0)
    assert neo4j_store.documents() == []


SPLICE_DOCS = ["a.txt", "a.txt2", 'b "q".txt', "b\\x.txt", "c – ü.txt", "c.txt"]


def _shared(doc: str, sentences: list[str]) -> DocumentGraph:
    """``doc`` names one shared node and one shared relationship, with ``sentences``."""
    evidence = [ev(doc, s, start=10 * i) for i, s in enumerate(sentences)]
    hub = NodeRecord("Organisation:nhs england", "Organisation", "NHS England", [], {},
                     evidence)
    site = NodeRecord("Site:site 1", "Site", "Site 1", [], {}, evidence)
    funds = EdgeRecord("FUNDS|Organisation:nhs england|Site:site 1", "FUNDS",
                       "Organisation:nhs england", "Site:site 1",
                       {"method": "test", "confidence": 0.9}, evidence)
    return document(doc, doc + "-sha", [hub, site], [funds])


def test_a_write_replaces_only_its_own_evidence_on_shared_nodes(
        neo4j_store: Neo4jStore) -> None:
    # Writes splice a document's evidence into the stored list on the server (other
    # documents' evidence is not re-sent): names that prefix each other, quotes, backslashes
    # and non-ASCII must neither lose nor duplicate evidence, and the stored list stays sorted.
    for doc in reversed(SPLICE_DOCS):
        neo4j_store.write_document(_shared(doc, [f"{doc} one.", f"{doc} two."]))
    neo4j_store.write_document(_shared("a.txt", ["Changed."]))  # an update
    assert neo4j_store.remove_document('b "q".txt')

    expected = sorted(ev(doc, s, start=10 * i) for doc in SPLICE_DOCS if doc != 'b "q".txt'
                      for i, s in enumerate(["Changed."] if doc == "a.txt"
                                            else [f"{doc} one.", f"{doc} two."]))
    stored = neo4j_store.run_read(
        "MATCH (n:Entity {id: 'Organisation:nhs england'})-[r:FUNDS]->() "
        "RETURN n.evidence AS node, r.evidence AS rel")[0]
    for strings in (stored["node"], stored["rel"]):
        assert [Evidence.from_dict(json.loads(x)) for x in strings] == expected
    g = neo4j_store.to_networkx()
    assert g.nodes["Organisation:nhs england"]["evidence"] == [e.to_dict() for e in expected]
    # ... and each document still gets back exactly its own contribution
    got = neo4j_store.document_graph("a.txt")
    assert got is not None
    assert [e.text for n in got.nodes if n.id == "Site:site 1" for e in n.evidence] == [
        "Changed."]


def test_driver_debug_log_carries_no_document_text(neo4j_store: Neo4jStore, caplog) -> None:
    # With the driver's debug log on, every query is logged with its parameters; batches are
    # logged by size only, so interview sentences stay out of log files (and building that
    # line no longer costs a repr of every batch).
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        neo4j_store.write_document(report_a())
        neo4j_store.write_document(report_a("a2"))  # the update path too
    runs = [r.getMessage() for r in caplog.records if "C: RUN" in r.getMessage()]
    assert any("UNWIND $rows" in m for m in runs)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "later joined the STP" not in logged  # a sentence of report_a's evidence
    assert "<list of " in logged


def test_every_batched_write_returns_so_the_server_runs_it_while_python_works(
        neo4j_store: Neo4jStore, caplog) -> None:
    # Neo4j runs a write without RETURN before it answers RUN, so tx.run would wait for all of
    # it; with RETURN it runs when pulled, while the client merges the next slice.
    with caplog.at_level(logging.DEBUG, logger="neo4j"):
        neo4j_store.write_document(report_a())
        neo4j_store.write_document(report_a("a2"))  # updates of nodes and relationships
        neo4j_store.write_document(report_b())
        assert neo4j_store.remove_document("a.txt")  # deletions
    writes = {m.split("C: RUN ", 1)[1].split(" {", 1)[0] for m in
              (r.getMessage() for r in caplog.records) if "C: RUN 'UNWIND $rows" in m
              and any(w in m for w in ("CREATE", "SET", "DELETE"))}
    kinds = {"CREATE (n:", "CREATE (a)-[r", "DETACH DELETE n", "DELETE r", "SET n = row.props",
             "SET r = row.props"}
    assert {k for k in kinds if any(k in w for w in writes)} == kinds  # every kind was seen
    # each ends in RETURN: no write clause after it
    assert [w for w in writes
            if max(w.rfind(c) for c in ("CREATE", "SET", "DELETE")) > w.rfind(" RETURN ")] == []


def _sorted(graph: DocumentGraph) -> tuple:
    return (graph.document, sorted((n.id, n.label, n.name, n.aliases, n.properties,
                                    sorted(n.evidence)) for n in graph.nodes),
            sorted((e.key, e.type, e.source, e.target, e.properties, sorted(e.evidence))
                   for e in graph.edges))


def test_document_graph_gives_back_each_documents_own_contribution(
        neo4j_store: Neo4jStore) -> None:
    a, b = report_a(), report_b()
    neo4j_store.write_document(a)
    neo4j_store.write_document(b)
    # NHS England is shared: each document gets back only its own name, properties, evidence
    got_a, got_b = neo4j_store.document_graph("a.txt"), neo4j_store.document_graph("b.txt")
    assert got_a is not None and got_b is not None
    assert _sorted(got_a) == _sorted(a)
    assert _sorted(got_b) == _sorted(b)
    nhse = next(n for n in got_b.nodes if n.id == "Organisation:nhs england")
    assert [ev.doc for ev in nhse.evidence] == ["b.txt"]
    assert neo4j_store.document_graph("missing.txt") is None


def test_order_of_documents_does_not_matter(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_document(report_b())
    neo4j_store.write_document(report_a())
    one = neo4j_store.to_networkx()
    neo4j_store.wipe()
    neo4j_store.write_document(report_a())
    neo4j_store.write_document(report_b())
    two = neo4j_store.to_networkx()
    assert sorted(one.nodes(data=True)) == sorted(two.nodes(data=True))
    assert sorted(one.edges(keys=True, data=True)) == sorted(two.edges(keys=True, data=True))


NASTY = [
    '"}) DETACH DELETE n //',
    "`x`",
    "MATCH (n) RETURN n",
    "O'Neil \"Care\" Trust {x: $y}",
    "line one\nline two\r\n\ttabbed",
    "$param ${p} \\u0041 \\\\ back\\slash",
    "Ünïcödé – “quotes” ‘single’ 🙂",
    "'; CALL db.clearQueryCaches(); //",
]


def test_names_with_quotes_backticks_braces_and_keywords_round_trip(
        neo4j_store: Neo4jStore) -> None:
    nodes, edges = [], []
    for i, name in enumerate(NASTY):
        sentence = f"{name} worked with Site {i}."
        nodes.append(NodeRecord(f"Organisation:{name}", "Organisation", name, [f"alias {name}"],
                                {"note": name, "org_type": "VOLUNTARY"}, [ev("q.txt", sentence)]))
        nodes.append(node("q.txt", f"Site:site {i}", "Site", f"Site {i}", sentence))
        edges.append(EdgeRecord(f"PARTNER_OF|{name}|{i}", "PARTNER_OF", f"Organisation:{name}",
                                f"Site:site {i}", {"period": name, "method": name},
                                [ev("q.txt", sentence)]))
    graph = document("q.txt", "q1", nodes, edges)
    neo4j_store.write_document(graph)
    g = neo4j_store.to_networkx()
    for i, name in enumerate(NASTY):
        data = g.nodes[f"Organisation:{name}"]
        assert data["name"] == name
        assert data["aliases"] == [f"alias {name}"]
        assert data["note"] == name
        assert data["evidence"][0]["text"] == f"{name} worked with Site {i}."
        e = g.edges[f"Organisation:{name}", f"Site:site {i}", f"PARTNER_OF|{name}|{i}"]
        assert e["period"] == name and e["method"] == name
    # nothing was executed: all nodes are still there, and Cypher finds them by value
    assert counts(neo4j_store)[0] == 1 + 2 * len(NASTY)
    for name in NASTY:
        rows = neo4j_store.run_read("MATCH (n:Organisation {name: $name}) RETURN n.id AS id",
                                    name=name)
        assert rows == [{"id": f"Organisation:{name}"}]
    assert neo4j_store.document_graph("q.txt").nodes == sorted(graph.nodes, key=lambda n: n.id)
    assert neo4j_store.remove_document("q.txt") is True
    assert counts(neo4j_store) == (0, 0)


def test_fulltext_index_finds_names_and_aliases(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_document(report_a())
    neo4j_store.write_document(report_b())
    neo4j_store.refresh_search_index()  # eventually consistent: ingest does this at its end
    rows = neo4j_store.run_read(
        "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD node "
        "RETURN node.id AS id", q="NHSE")
    assert rows == [{"id": "Organisation:nhs england"}]


def test_run_read_refuses_writes(neo4j_store: Neo4jStore) -> None:
    neo4j_store.write_document(report_a())
    with pytest.raises(neo4j.exceptions.ClientError):
        neo4j_store.run_read("MATCH (n) DETACH DELETE n")
    assert counts(neo4j_store) == (5, 6)


def test_bad_records_are_refused_and_leave_nothing(neo4j_store: Neo4jStore) -> None:
    s = "A sentence."
    bad_label = document("x.txt", "x", [node("x.txt", "Bad:x", "Bad`) DELETE n", "x", s)], [])
    with pytest.raises(ValueError, match="node label"):
        neo4j_store.write_document(bad_label)
    bad_type = document("x.txt", "x", [node("x.txt", "Site:a", "Site", "a", s),
                                       node("x.txt", "Site:b", "Site", "b", s)],
                        [edge("x.txt", "KNOWS]->() DELETE r//", "Site:a", "Site:b", s)])
    with pytest.raises(ValueError, match="relationship type"):
        neo4j_store.write_document(bad_type)
    dangling = document("x.txt", "x", [node("x.txt", "Site:a", "Site", "a", s)],
                        [edge("x.txt", "PARTNER_OF", "Site:a", "Site:nowhere", s)])
    with pytest.raises(ValueError, match="Site:nowhere"):
        neo4j_store.write_document(dangling)
    assert counts(neo4j_store) == (0, 0)
    assert neo4j_store.documents() == []


def test_environment_gives_the_connection(neo4j_server, monkeypatch) -> None:
    monkeypatch.setenv("NEO4J_URI", neo4j_server.uri)
    monkeypatch.setenv("NEO4J_USER", neo4j_server.user)
    monkeypatch.setenv("NEO4J_PASSWORD", neo4j_server.password or "")
    with Neo4jStore.from_env() as store:
        assert store.uri == neo4j_server.uri
        assert store.run_read("RETURN 1 AS one") == [{"one": 1}]


def test_unreachable_uri_names_the_uri_and_cause() -> None:
    uri = f"bolt://127.0.0.1:{free_port()}"
    start = time.monotonic()
    with pytest.raises(StoreConnectionError) as info:
        Neo4jStore(uri=uri, user="neo4j", password="whatever1", max_retries=0)
    message = str(info.value)
    assert uri in message and "unreachable" in message
    assert "\n" not in message
    assert time.monotonic() - start < 60


def test_wrong_password_names_the_uri_and_cause(neo4j_server) -> None:
    if not neo4j_server.password:
        pytest.skip("the server given by NEO4J_URI has authentication off")
    with pytest.raises(StoreConnectionError) as info:
        Neo4jStore(uri=neo4j_server.uri, user=neo4j_server.user, password="not-the-password")
    message = str(info.value)
    assert neo4j_server.uri in message and "authentication failed" in message


def test_missing_uri_is_a_clear_error(monkeypatch) -> None:
    monkeypatch.delenv("NEO4J_URI", raising=False)
    with pytest.raises(StoreConnectionError, match="NEO4J_URI is not set"):
        Neo4jStore()


def big_document(doc: str, n: int) -> DocumentGraph:
    """One document with ``n`` people, ``n`` roles and 3n relationships (a slow write)."""
    nodes, edges = [], []
    for i in range(n):
        s = f"Respondent S1R{i:05d} was the lead for workstream {i} in the vanguard."
        nodes.append(node(doc, f"Person:{doc}/S1R{i:05d}", "Person", f"S1R{i:05d}", s))
        nodes.append(node(doc, f"Role:lead {i}", "Role", f"lead for workstream {i}", s))
        edges.append(edge(doc, "HOLDS", f"Person:{doc}/S1R{i:05d}", f"Role:lead {i}", s))
    return document(doc, "big1", nodes, edges)


def test_server_going_away_mid_ingest_leaves_document_wholly_in_or_out() -> None:
    """SIGKILL the server while a document's transaction runs; restart; all or nothing."""
    server = Neo4jProcess()
    try:
        server.start()
        store = Neo4jStore(uri=server.uri, user=server.user, password=server.password,
                           batch_size=500, max_retries=1, retry_delay=0.5,
                           max_transaction_retry_time=2.0, connection_timeout=3.0)
        store.write_document(report_a())
        graph = big_document("big.txt", 3000)
        outcome: dict[str, BaseException | dict] = {}

        def ingest() -> None:
            try:
                outcome["result"] = store.write_document(graph)
            except BaseException as err:  # noqa: BLE001 - handed to the test thread
                outcome["error"] = err

        watcher = neo4j.GraphDatabase.driver(server.uri, auth=(server.user, server.password))
        thread = threading.Thread(target=ingest)
        thread.start()
        # wait until the document's write transaction is running on the server
        deadline = time.monotonic() + 120
        seen = False
        while time.monotonic() < deadline and thread.is_alive() and not seen:
            rows, _, _ = watcher.execute_query(
                "SHOW TRANSACTIONS YIELD currentQuery, status "
                "WHERE currentQuery CONTAINS 'UNWIND' RETURN count(*) AS n")
            seen = rows[0]["n"] > 0
        watcher.close()
        assert seen, "the write transaction was never seen running"
        server.kill()
        thread.join(timeout=120)
        assert not thread.is_alive()
        error = outcome.get("error")
        assert isinstance(error, StoreConnectionError), outcome
        assert server.uri in str(error)
        assert "unreachable" in str(error) or "connection lost" in str(error)
        store.close()

        server.start()
        with Neo4jStore(uri=server.uri, user=server.user, password=server.password) as store:
            n_nodes, n_rels = counts(store)
            big_in = store.document_status("big.txt", "big1") == "unchanged"
            # report_a (5 nodes, 6 relationships) survived the crash; big.txt is all or nothing
            if big_in:
                assert (n_nodes, n_rels) == (5 + 1 + 6000, 6 + 3000 + 6000)
            else:
                assert (n_nodes, n_rels) == (5, 6)
                assert store.run_read("MATCH (n:Entity) WHERE 'big.txt' IN n.docs "
                                      "RETURN count(n) AS n") == [{"n": 0}]
            # and the document can be ingested again, completely
            store.write_document(graph)
            assert counts(store) == (5 + 1 + 6000, 6 + 3000 + 6000)
    finally:
        server.cleanup()


@pytest.mark.parametrize("mode", ["per_row", "per_row_autocommit"])
def test_benchmark_write_modes_store_the_same_graph(neo4j_server, neo4j_store, mode) -> None:
    neo4j_store.write_document(report_a())
    neo4j_store.write_document(report_b())
    expected = neo4j_store.to_networkx()
    neo4j_store.wipe()
    with Neo4jStore(uri=neo4j_server.uri, user=neo4j_server.user,
                    password=neo4j_server.password, database=neo4j_server.database,
                    write_mode=mode) as store:
        store.write_document(report_a())
        store.write_document(report_b())
        got = store.to_networkx()
        assert store.stats() == neo4j_store.stats()
    assert sorted(got.nodes(data=True)) == sorted(expected.nodes(data=True))
    assert sorted(got.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))


def test_unknown_write_mode_is_refused(neo4j_server) -> None:
    with pytest.raises(ValueError, match="write_mode"):
        Neo4jStore(uri=neo4j_server.uri, write_mode="fast")


def test_bulk_load_gives_the_same_graph_as_writing_documents(neo4j_store: Neo4jStore) -> None:
    from actorgraph.synthetic import synthetic_document_graphs

    graphs = [report_a(), report_b(), *synthetic_document_graphs(600, seed=2,
                                                                relationships_per_document=200)]
    for graph in graphs:
        neo4j_store.write_document(graph)
    expected, expected_stats = neo4j_store.to_networkx(), neo4j_store.stats()
    expected_docs = neo4j_store.documents()
    with pytest.raises(ValueError, match="empty database"):
        neo4j_store.bulk_load(graphs)
    neo4j_store.wipe()
    result = neo4j_store.bulk_load(graphs)
    assert result["documents"] == len(graphs)
    got = neo4j_store.to_networkx()
    assert sorted(got.nodes(data=True)) == sorted(expected.nodes(data=True))
    assert sorted(got.edges(keys=True, data=True)) == sorted(expected.edges(keys=True, data=True))
    assert neo4j_store.stats() == expected_stats
    assert neo4j_store.documents() == expected_docs
    # and documents loaded in bulk are replaced and removed like any other
    assert neo4j_store.document_status("a.txt", "a1") == "unchanged"
    assert neo4j_store.remove_document("a.txt") is True
    assert "Person:a/S1R04" not in neo4j_store.to_networkx()
