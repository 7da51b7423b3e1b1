"""Initiative spread on the hand-built scenario."""

from __future__ import annotations

import pytest

from actorgraph.queries.spread import initiative_groups, initiative_matrix, initiative_spread
from tests.test_queries_graphs import TEXT, scenario_graph


def test_matrix_with_status() -> None:
    m = initiative_matrix(scenario_graph())
    cells = {(c["site"], c["initiative"]): c["status"] for c in m["cells"]}
    assert cells == {
        ("Site:site 1", "Initiative:mdt"): "implemented",
        ("Site:site 1", "Initiative:falls"): "stopped",
        ("Site:site 2", "Initiative:mdt meetings"): "continued",
        ("Organisation:ics", "Initiative:mdt"): "implemented",
    }
    assert [s["name"] for s in m["sites"]] == ["Site 1 care home vanguard", "Site 2", "the ICS"]
    for c in m["cells"]:
        assert c["evidence"] and all(TEXT[e["start"]:e["end"]] == e["text"]
                                     for e in c["evidence"])


def test_groups_join_labels_of_one_thing_and_can_be_overridden() -> None:
    G = scenario_graph()
    groups = initiative_groups(G)
    # "MDT model" has the alias "multidisciplinary team meetings": same as the other node
    members = {g["group"]: sorted(m["id"] for m in g["members"]) for g in groups}
    assert members["MDT model"] == ["Initiative:mdt", "Initiative:mdt meetings"]
    assert members["falls service"] == ["Initiative:falls"]
    grouped = initiative_matrix(G, groups)
    cells = {(c["site"], c["initiative"]): c["status"] for c in grouped["cells"]}
    assert cells[("Site:site 2", "MDT model")] == "continued"
    # a user pins the falls service into the MDT group
    pinned = initiative_groups(G, overrides={"Initiative:falls": "MDT model"})
    entry = next(g for g in pinned if g["group"] == "MDT model")
    assert entry["overridden"] and len(entry["members"]) == 3
    with pytest.raises(KeyError, match="not an Initiative"):
        initiative_groups(G, overrides={"Site:site 1": "x"})
    # a strict threshold keeps labels apart unless they are the same words
    assert len(initiative_groups(G, threshold=101)) == 4


def test_spread_steps_dates_and_people() -> None:
    s = initiative_spread(scenario_graph(), "Initiative:mdt")
    assert [o["id"] for o in s["origins"]] == ["Site:site 1"]
    (step,) = s["steps"]
    assert (step["from"]["id"], step["to"]["id"]) == ("Site:site 1", "Site:site 2")
    assert (step["mode"], step["direction"], step["dates"]) == ("spread", "horizontal", ["2017"])
    # S1R04 held the programme lead role at Site 1 and is a member at Site 2
    assert [p["name"] for p in step["people"]] == ["S1R04"]
    assert [n["id"] for n in s["implemented_at"]] == ["Organisation:ics", "Site:site 1"]


def test_scale_up_is_vertical() -> None:
    s = initiative_spread(scenario_graph(), "Initiative:care home model")
    (step,) = s["steps"]
    assert step["to"]["level"] == "national"
    assert (step["mode"], step["direction"], step["dates"]) == ("scale-up", "vertical", ["2020"])
    assert step["people"] == []


def test_spread_of_a_group_and_errors() -> None:
    G = scenario_graph()
    s = initiative_spread(G, "Initiative:mdt meetings", initiative_groups(G))
    assert s["initiative"]["members"] == ["Initiative:mdt", "Initiative:mdt meetings"]
    assert len(s["steps"]) == 1
    with pytest.raises(KeyError, match="not an Initiative"):
        initiative_spread(G, "Site:site 1")


def _brute_force_groups(names: dict[str, list[str]], threshold: float) -> set[frozenset[str]]:
    """Single-link clusters by the definition: best token_set_ratio of any two texts."""
    from rapidfuzz import fuzz, utils

    ids = sorted(names)
    texts = {i: [utils.default_process(t) for t in names[i] if t] for i in ids}
    clusters = {i: {i} for i in ids}
    for a_i, a in enumerate(ids):
        for b in ids[a_i + 1:]:
            best = max((fuzz.token_set_ratio(x, y) for x in texts[a] for y in texts[b]),
                       default=0.0)
            if best >= threshold and clusters[a] is not clusters[b]:
                merged = clusters[a] | clusters[b]
                for m in merged:
                    clusters[m] = merged
    return {frozenset(c) for c in clusters.values()}


@pytest.mark.parametrize("threshold", [60.0, 85.0, 100.0])
def test_groups_of_many_initiatives_match_the_pairwise_definition(
    threshold: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Grouping compares every pair in blocks: the clusters and link scores are the same as
    comparing each pair on its own, across block boundaries and with aliases."""
    import random

    import networkx as nx

    from actorgraph.queries import spread

    rng = random.Random(7)
    families = [["social prescribing", "link workers"], ["MDT", "multidisciplinary team"],
                ["falls service", "falls clinic"], ["red bag scheme", "hospital bag"],
                ["trusted assessor", "discharge to assess"], ["telehealth", "remote monitoring"]]
    places = ["Ashbury", "Fenwick", "Oakdale", "Marport", "Selby", "Thornton", "Wexford",
              "Brookvale", "Holmfirth", "Cray"]
    G = nx.MultiDiGraph()
    names: dict[str, list[str]] = {}
    for i in range(240):
        family = rng.choice(families)
        name = f"{rng.choice(family)} {rng.choice(places)}" if i % 3 else rng.choice(family)
        aliases = [f"the {rng.choice(family)} model" for _ in range(rng.randint(0, 1))]
        aliases += [""] if i % 37 == 0 else []  # a blank alias is ignored
        G.add_node(f"Initiative:{i:03d}", label="Initiative", name=name, aliases=aliases)
        names[f"Initiative:{i:03d}"] = [name, *aliases]
    # several blocks, so pairs across block edges are compared too
    monkeypatch.setattr(spread, "_BLOCK", 50)
    groups = initiative_groups(G, threshold=threshold)
    got = {frozenset(m["id"] for m in g["members"]) for g in groups}
    assert got == _brute_force_groups(names, threshold)
    # at 60 shared place names chain every family together; from 85 each family is a group
    assert len(got) == (1 if threshold < 85 else 6)
    from rapidfuzz import fuzz, utils

    from actorgraph.queries.spread import initiatives

    processed = {i: [utils.default_process(t) for t in ts if t] for i, ts in names.items()}
    order = [i["id"] for i in initiatives(G)]  # by name, as grouping compares them
    for g in groups:
        for m in g["members"]:
            # a member's score is its best link to an initiative before it (100 if none)
            earlier = [max((fuzz.token_set_ratio(x, y) for x in processed[a]
                            for y in processed[m["id"]]), default=0.0)
                       for a in order[:order.index(m["id"])]]
            linked = [s for s in earlier if s >= threshold]
            assert m["score"] == (max(linked) if linked else 100.0)


def test_spread_index_follows_a_changed_graph() -> None:
    """Spread queries index the graph once; a graph that grows is indexed again."""
    G = scenario_graph().copy()
    initiative = next(n for n, d in G.nodes(data=True) if d.get("label") == "Initiative")
    before = initiative_spread(G, initiative)
    G.add_node("Site:new", label="Site", name="Site 9")
    G.add_node("Person:new", label="Person", name="S9R01")
    sender = before["origins"][0]["id"] if before["origins"] else "Site:site 1"
    G.add_edge(sender, "Site:new", type="SPREAD_TO", initiative=initiative, mode="spread",
               evidence=[{"doc": "d.txt", "start": 0, "end": 1, "text": "x"}])
    G.add_edge("Person:new", "Site:new", type="LEADS")
    G.add_edge("Person:new", sender, type="MEMBER_OF")
    after = initiative_spread(G, initiative)
    new_steps = [s for s in after["steps"] if s["to"]["id"] == "Site:new"]
    assert len(after["steps"]) == len(before["steps"]) + 1 and len(new_steps) == 1
    assert {"id": "Person:new", "name": "S9R01"} in new_steps[0]["people"]
