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
