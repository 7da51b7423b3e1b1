"""Search, neighbourhood and shortest evidenced path on the hand-built scenario."""

from __future__ import annotations

import pytest

from actorgraph.queries.search import neighbourhood, search, shortest_evidenced_path
from tests.test_queries_graphs import TEXT, scenario_graph


def test_search_by_name_alias_and_code() -> None:
    G = scenario_graph()
    hits = search(G, "multidisciplinary team meetings")
    assert {h["id"] for h in hits if h["score"] == 100} == {"Initiative:mdt",
                                                            "Initiative:mdt meetings"}
    assert search(G, "s1r04")[0]["id"] == "Person:s1r04"
    assert search(G, "ICS", labels=["Organisation"])[0]["id"] == "Organisation:ics"
    assert all(h["label"] == "Organisation" for h in search(G, "ICS", labels=["Organisation"]))
    assert search(G, "zzzz qqq") == []
    assert search(G, "  ") == []


def test_neighbourhood_depth_and_filters() -> None:
    G = scenario_graph()
    one = neighbourhood(G, "Person:s1r04", 1)
    assert set(one) == {"Person:s1r04", "Role:programme lead", "Role:ics director",
                        "Site:site 2", "Initiative:mdt", "Person:s1r07"}
    assert not any(d["type"] == "MENTIONED_IN" for *_, d in one.edges(data=True))
    roles = neighbourhood(G, "Person:s1r04", 2, types=["HOLDS", "IN"])
    assert set(roles) == {"Person:s1r04", "Role:programme lead", "Role:ics director",
                          "Site:site 1", "Organisation:ics"}
    people = neighbourhood(G, "Person:s1r04", 3, labels=["Person"])
    assert set(people) == {"Person:s1r04", "Person:s1r07"}
    assert set(neighbourhood(G, "Person:s1r04", 2, docs=["other.txt"])) == {"Person:s1r04"}
    docs = neighbourhood(G, "Person:s1r04", 1, types=["MENTIONED_IN"])
    assert set(docs) == {"Person:s1r04", "Document:scenario.txt"}
    with pytest.raises(KeyError):
        neighbourhood(G, "Person:nobody", 1)


def test_shortest_evidenced_path() -> None:
    G = scenario_graph()
    steps = shortest_evidenced_path(G, "Person:s1r07", "Organisation:ics")
    # Two paths of 3 steps: via the ICS director role, or via the MDT model S1R04 leads and
    # the ICS implements; the smaller node id ("Initiative:mdt" < "Role:ics director") wins.
    # Each step reports the edge as stored, whichever way it was walked.
    assert [(s["source"], s["type"], s["target"]) for s in steps] == [
        ("Person:s1r07", "PARTNER_OF", "Person:s1r04"),
        ("Person:s1r04", "LEADS", "Initiative:mdt"),
        ("Organisation:ics", "IMPLEMENTS", "Initiative:mdt"),
    ]
    assert [s["to"] for s in steps] == ["Person:s1r04", "Initiative:mdt", "Organisation:ics"]
    for s in steps:
        assert s["evidence"] and all(TEXT[e["start"]:e["end"]] == e["text"]
                                     for e in s["evidence"])
    G.add_node("Person:alone", label="Person", name="alone")
    G.add_edge("Person:alone", "Organisation:ics", type="MEMBER_OF")  # no evidence
    with pytest.raises(ValueError, match="no evidenced path"):
        shortest_evidenced_path(G, "Person:alone", "Organisation:ics")
    assert shortest_evidenced_path(G, "Person:s1r04", "Person:s1r04") == []
