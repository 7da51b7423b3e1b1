"""Role-transfer paths on the hand-built scenario, and Cypher-vs-networkx parity on Neo4j."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from actorgraph.queries.transfers import (
    ended_roles,
    match_nodes,
    sankey_links,
    transfer_pairs,
    transfer_paths,
)
from tests.test_queries_graphs import TEXT, scenario_document, scenario_graph

QUERIES = [("vanguard", "ics"), ("vanguard", "pcn"), ("site", "ICS"), ("Site 1", "the PCN"),
           ("Site:site 1", "Organisation:ics"), ("ics", "vanguard"), ("care_home", "ics")]


def test_matching_by_type_site_and_name() -> None:
    G = scenario_graph()
    assert match_nodes(G, "vanguard") == ["Site:site 1"]  # programme = Vanguard, and name
    assert match_nodes(G, "ICS") == ["Organisation:ics"]  # org_type, case-insensitive
    assert match_nodes(G, "site") == ["Site:site 1", "Site:site 2"]  # the label
    assert match_nodes(G, "Site 2") == ["Site:site 2"]  # site code
    assert match_nodes(G, "PCN") == ["Organisation:pcn", "Organisation:pcn contract"]


def test_vanguard_to_ics() -> None:
    # S1R04: programme lead in Site 1 (tense earlier) -> ICS director (tense current).
    # Initiatives: Site 1 implements MDT model and falls service; the ICS implements MDT
    # model: MDT model is linked on both sides (carried).
    paths = transfer_paths(scenario_graph(), "vanguard", "ics")
    assert len(paths) == 1
    t = paths[0]
    assert t["person_name"] == "S1R04"
    assert [s["role_name"] for s in t["path"]] == ["vanguard programme lead",
                                                  "ICS director of integration"]
    assert [s["tense"] for s in t["path"]] == ["earlier", "current"]
    assert [i["name"] for i in t["source_initiatives"]] == ["falls service", "MDT model"]
    assert [i["name"] for i in t["target_initiatives"]] == ["MDT model"]
    assert [i["id"] for i in t["carried"]] == ["Initiative:mdt"]
    for step in t["path"]:
        for ev in step["evidence"]:
            assert TEXT[ev["start"]:ev["end"]] == ev["text"]
    assert sankey_links(paths) == [{"source": "Site", "target": "ICS", "count": 1}]


def test_transition_without_tense_orders_roles() -> None:
    # P2's roles carry no tense; TRANSITIONED_TO gp lead -> pcn chair gives the order.
    paths = transfer_paths(scenario_graph(), "vanguard", "pcn")
    assert [(t["person_name"], t["target"]["role_name"]) for t in paths] == [("P2", "PCN chair")]
    # and nothing goes backwards: no one moved from the ICS or the PCN to the vanguard
    assert transfer_paths(scenario_graph(), "ics", "vanguard") == []
    assert transfer_paths(scenario_graph(), "pcn", "vanguard") == []


def test_years_override_tense() -> None:
    G = scenario_graph()
    # Give S1R04's ICS role an earlier year than the vanguard role: no longer a transfer.
    for _, _, d in G.out_edges("Person:s1r04", data=True):
        if d["type"] == "HOLDS":
            d["start"] = "2019" if d["tense"] == "earlier" else "2016"
    assert transfer_paths(G, "vanguard", "ics") == []


def test_middle_roles_appear_in_time_order() -> None:
    G = scenario_graph()
    G.add_node("Role:stp lead", label="Role", name="STP lead")
    G.add_node("Organisation:stp", label="Organisation", name="the STP", org_type="STP")
    G.add_edge("Person:s1r04", "Role:stp lead", type="HOLDS", tense="later")
    G.add_edge("Role:stp lead", "Organisation:stp", type="IN")
    (t,) = transfer_paths(G, "vanguard", "ics")
    assert [s["role_name"] for s in t["path"]] == ["vanguard programme lead", "STP lead",
                                                  "ICS director of integration"]
    assert sankey_links(transfer_paths(G, "vanguard", "stp")) == [
        {"source": "Site", "target": "STP", "count": 1}]


def test_ended_roles() -> None:
    G = scenario_graph()
    # The GP lead post is marked removed; the programme lead was held earlier but S1R04 has
    # a later role, so it is not an ending.
    ended = ended_roles(G)
    assert [(e["role_name"], e["reason"]) for e in ended] == [("vanguard GP lead", "removed")]
    assert ended[0]["holders"] == [{"id": "Person:p2", "name": "P2"}]
    G.add_node("Person:x", label="Person", name="GP (2)")
    G.add_node("Role:x", label="Role", name="care home GP")
    G.add_edge("Person:x", "Role:x", type="HOLDS", tense="earlier")
    G.add_edge("Role:x", "Site:site 1", type="IN")
    names = [(e["role_name"], e["reason"]) for e in ended_roles(G, "vanguard")]
    # sorted by role id: Role:gp lead, Role:x
    assert names == [("vanguard GP lead", "removed"), ("care home GP", "no successor")]
    assert ended_roles(G, "ics") == []


def _sqlite_store(tmp_path: Path):  # noqa: ANN202
    from actorgraph.graph.sqlite_store import SQLiteStore

    store = SQLiteStore(tmp_path / "graph.sqlite")
    store.write_document(scenario_document())
    return store


def test_embedded_store_gives_the_same_as_the_graph(tmp_path: Path) -> None:
    store = _sqlite_store(tmp_path)
    try:
        G = store.to_networkx()
        assert isinstance(G, nx.MultiDiGraph)
        for source, target in QUERIES:
            assert transfer_paths(store, source, target) == transfer_paths(
                scenario_graph(), source, target)
    finally:
        store.close()


@pytest.mark.neo4j
def test_cypher_and_networkx_agree(neo4j_store, tmp_path: Path) -> None:  # noqa: ANN001
    neo4j_store.write_document(scenario_document())
    embedded = _sqlite_store(tmp_path)
    try:
        found = 0
        for source, target in QUERIES:
            cypher_pairs = transfer_pairs(neo4j_store, source, target)
            assert cypher_pairs == transfer_pairs(embedded, source, target), (source, target)
            cypher = transfer_paths(neo4j_store, source, target)
            assert cypher == transfer_paths(embedded, source, target), (source, target)
            assert cypher == transfer_paths(neo4j_store.to_networkx(), source, target)
            found += len(cypher)
        assert found >= 4
    finally:
        embedded.close()
