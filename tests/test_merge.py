"""The merge rules' fast paths give what the general rules give."""

from __future__ import annotations

import copy
import json

import pytest

from actorgraph.graph.merge import merge_edges, merge_evidence, merge_nodes
from actorgraph.graph.neo4j_store import _evidence_string
from actorgraph.graph.store import EdgeRecord, NodeRecord
from actorgraph.records import Evidence

A1 = Evidence("a.txt", 0, 10, "First one.")
A2 = Evidence("a.txt", 11, 20, "Second.")
A2_OTHER_TEXT = Evidence("a.txt", 11, 20, "Second!")
B1 = Evidence("b.txt", 5, 9, "Bee.")


@pytest.mark.parametrize(("groups", "expected"), [
    ([[A1, A2]], [A1, A2]),
    ([[A2, A1]], [A1, A2]),
    ([[A1, A1, A2]], [A1, A2]),
    ([[A2, A2_OTHER_TEXT, A1]], [A1, A2_OTHER_TEXT, A2]),  # "!" sorts before "."
    ([[B1], [A2, A1]], [A1, A2, B1]),
    ([[], [B1, A1], []], [A1, B1]),
    ([iter([A2, A1])], [A1, A2]),
    ([[]], []),
    ([], []),
])
def test_merge_evidence_is_the_sorted_union(groups: list, expected: list[Evidence]) -> None:
    assert merge_evidence(groups) == expected


def test_merge_evidence_returns_a_new_list() -> None:
    own = [A1, A2]
    merged = merge_evidence([own])
    merged.append(B1)
    assert own == [A1, A2]


def _edge(properties: dict, evidence: list[Evidence]) -> EdgeRecord:
    return EdgeRecord("HOLDS|Person:x|Role:y", "HOLDS", "Person:x", "Role:y", properties,
                      evidence)


@pytest.mark.parametrize("properties", [
    {},
    {"method": "pattern", "confidence": 0.8},
    {"method": "pattern", "confidence": "0.5", "since": None},
    {"method": None, "confidence": 1},
    {"method": "None", "period": "2016"},
    {"initiatives": ["b", "a", "b"], "codes": (3, 1), "note": "x"},
    {"confidence": None, "method": ["x"]},
])
def test_one_contribution_merges_as_the_general_rules_do(properties: dict) -> None:
    edge = _edge(properties, [A2, A1, A1])
    # two identical contributions take the general path and must merge to the same record
    general = merge_edges([edge, copy.deepcopy(edge)], docs=["a.txt", "a.txt"])
    single = merge_edges([edge], docs=["a.txt"])
    assert single == general
    assert list(single.properties) == list(general.properties)
    assert edge.properties == properties  # the contribution is not changed


def test_merge_nodes_keeps_its_rules_with_the_evidence_fast_path() -> None:
    a = NodeRecord("Organisation:x", "Organisation", "X CCG", ["x"], {"level": "local"},
                   [A2, A1])
    b = NodeRecord("Organisation:x", "Organisation", "X CCG", ["X"], {"level": "region"}, [B1])
    merged = merge_nodes([a, b], docs=["a.txt", "b.txt"])
    assert merged.evidence == [A1, A2, B1]
    assert merged.properties == {"level": "local"}
    assert merge_nodes([a], docs=["a.txt"]).evidence == [A1, A2]


@pytest.mark.parametrize("evidence", [
    A1,
    Evidence('we"ird\\name.txt', 3, 10**12, ""),
    Evidence("d.txt", 0, 40, 'é "quoted" \n\t\u2028 \x00 😀 </script>'),
])
def test_evidence_string_is_the_json_of_the_export_contract(evidence: Evidence) -> None:
    text = _evidence_string(evidence)
    assert text == json.dumps(evidence.to_dict(), ensure_ascii=False)
    assert Evidence.from_dict(json.loads(text)) == evidence
