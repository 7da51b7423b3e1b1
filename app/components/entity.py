"""What the Entity and Overview pages show, read from the resolved graph."""

from __future__ import annotations

from collections import Counter
from typing import Any

import networkx as nx

from .evidence import evidence_records

#: Node attributes shown elsewhere on the page, not in the properties table.
_NOT_PROPERTIES = {"label", "name", "aliases", "evidence", "docs"}


def entity_properties(graph: nx.MultiDiGraph, node_id: str) -> dict[str, Any]:
    """The node's own properties (not its name, label, aliases or evidence).

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Organisation:x", label="Organisation", name="X", org_type="CCG", evidence=[])
    >>> entity_properties(g, "Organisation:x")
    {'org_type': 'CCG'}
    """
    data = graph.nodes[node_id]
    return {k: v for k, v in sorted(data.items()) if k not in _NOT_PROPERTIES}


def relationship_rows(graph: nx.MultiDiGraph, node_id: str) -> list[dict[str, Any]]:
    """Every relationship of a node except ``MENTIONED_IN``, each with its evidence.

    Rows are ordered by type, direction and the other end's name. ``direction``
    is ``"out"`` when the node is the source.

    >>> g = nx.MultiDiGraph()
    >>> g.add_node("Person:p", label="Person", name="S1R04")
    >>> g.add_node("Role:gp", label="Role", name="GP")
    >>> ev = [{"doc": "a.txt", "start": 0, "end": 5, "text": "A GP."}]
    >>> _ = g.add_edge("Person:p", "Role:gp", key="k", type="HOLDS", evidence=ev, tense="current")
    >>> [(r["type"], r["direction"], r["other_name"], r["properties"]) for r in
    ...  relationship_rows(g, "Role:gp")]
    [('HOLDS', 'in', 'S1R04', {'tense': 'current'})]
    """
    rows: list[dict[str, Any]] = []
    edges = [(u, v, k, d, "out") for u, v, k, d in graph.out_edges(node_id, keys=True, data=True)]
    edges += [(u, v, k, d, "in") for u, v, k, d in graph.in_edges(node_id, keys=True, data=True)]
    for u, v, key, data, direction in edges:
        kind = str(data.get("type", ""))
        if kind == "MENTIONED_IN":
            continue
        other = v if direction == "out" else u
        odata = graph.nodes[other]
        props = {
            k: val
            for k, val in sorted(data.items())
            if k not in ("type", "evidence", "method", "confidence", "docs", "key")
        }
        rows.append(
            {
                "key": str(key),
                "type": kind,
                "direction": direction,
                "other": other,
                "other_name": str(odata.get("name", other)),
                "other_label": str(odata.get("label", "")),
                "properties": props,
                "method": data.get("method"),
                "confidence": data.get("confidence"),
                "evidence": evidence_records(data.get("evidence", [])),
            }
        )
    rows.sort(key=lambda r: (r["type"], r["direction"], r["other_name"], r["key"]))
    return rows


def entity_documents(graph: nx.MultiDiGraph, node_id: str) -> list[str]:
    """Names of the documents a node is mentioned in (its ``MENTIONED_IN`` targets)."""
    docs = {
        str(graph.nodes[v].get("name", v))
        for _, v, d in graph.out_edges(node_id, data=True)
        if d.get("type") == "MENTIONED_IN"
    }
    if not docs:
        docs = {e["doc"] for e in evidence_records(graph.nodes[node_id].get("evidence", []))}
    return sorted(docs)


def extraction_health(graph: nx.MultiDiGraph) -> dict[str, Any]:
    """Entities with no relationship besides ``MENTIONED_IN``, counted by label, with names.

    >>> g = nx.MultiDiGraph()
    >>> g.add_nodes_from([("Person:a", {"label": "Person", "name": "A"}),
    ...                   ("Role:r", {"label": "Role", "name": "R"}),
    ...                   ("Place:x", {"label": "Place", "name": "X"}),
    ...                   ("Document:d", {"label": "Document", "name": "d"})])
    >>> _ = g.add_edge("Person:a", "Role:r", type="HOLDS")
    >>> _ = g.add_edge("Place:x", "Document:d", type="MENTIONED_IN")
    >>> extraction_health(g)["without_relations"]
    {'Place': 1}
    """
    lonely: list[dict[str, str]] = []
    entities = 0
    for n, data in graph.nodes(data=True):
        if data.get("label") == "Document":
            continue
        entities += 1
        typed = any(
            d.get("type") != "MENTIONED_IN"
            for _, _, d in list(graph.out_edges(n, data=True)) + list(graph.in_edges(n, data=True))
        )
        if not typed:
            lonely.append({"id": n, "label": str(data.get("label")), "name": str(data.get("name"))})
    lonely.sort(key=lambda r: (r["label"], r["name"]))
    return {
        "entities": entities,
        "without_relations": dict(sorted(Counter(r["label"] for r in lonely).items())),
        "lonely": lonely,
    }
