"""Search by name or alias, an entity's neighbourhood, the shortest evidenced path.

* :func:`search` scores every node's name, aliases and respondent code against
  the query with rapidfuzz (``WRatio``, 0-100), an exact match of a whole name
  scoring 100 and a substring 95 before fuzzy matches.
* :func:`neighbourhood` walks ties in both directions up to ``depth`` steps,
  keeping only nodes of the given labels, edges of the given types and edges
  with evidence from the given documents. ``MENTIONED_IN`` edges (entity to
  Document) are left out unless ``types`` asks for them, since through a
  Document node everything is two steps from everything.
* :func:`shortest_evidenced_path` is the fewest-step path using only edges
  that carry evidence (``MENTIONED_IN`` excluded), each step with its sentences.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable
from typing import Any

import networkx as nx
from rapidfuzz import fuzz, process, utils


def _as_graph(store_or_graph: Any) -> nx.MultiDiGraph:
    if isinstance(store_or_graph, nx.Graph):
        return store_or_graph
    return store_or_graph.to_networkx()


def search(
    G: Any,
    text: str,
    limit: int = 20,
    *,
    labels: Iterable[str] | None = None,
    min_score: float = 60.0,
) -> list[dict[str, Any]]:
    """Nodes whose name, alias or respondent code matches ``text``, best first.

    Returns dicts ``{"id", "label", "name", "matched", "score"}``.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("Organisation:nhs england", label="Organisation", name="NHS England",
    ...            aliases=["NHSE"])
    >>> G.add_node("Organisation:ccg", label="Organisation", name="the CCG", aliases=[])
    >>> [(r["id"], r["matched"], r["score"]) for r in search(G, "nhse")]
    [('Organisation:nhs england', 'NHSE', 100.0)]
    """
    graph = _as_graph(G)
    query = text.strip()
    if not query:
        return []
    wanted = set(labels) if labels else None
    choices: list[str] = []
    owners: list[str] = []
    for node, data in graph.nodes(data=True):
        if wanted and data.get("label") not in wanted:
            continue
        names = [data.get("name") or node, *(data.get("aliases") or [])]
        if data.get("respondent_id"):
            names.append(data["respondent_id"])
        for name in names:
            choices.append(str(name))
            owners.append(node)
    q = utils.default_process(query)
    best: dict[str, tuple[float, str]] = {}
    matches = process.extract(query, choices, scorer=fuzz.WRatio, processor=utils.default_process,
                              limit=None, score_cutoff=min_score)
    for choice, score, i in matches:
        processed = utils.default_process(choice)
        if processed == q:
            score = 100.0
        elif q and q in processed:
            score = max(score, 95.0)
        node = owners[i]
        if node not in best or score > best[node][0]:
            best[node] = (float(score), choice)
    rows = [
        {"id": node, "label": graph.nodes[node].get("label"),
         "name": graph.nodes[node].get("name", node), "matched": m, "score": round(s, 2)}
        for node, (s, m) in best.items()
    ]
    rows.sort(key=lambda r: (-r["score"], len(r["name"]), r["id"]))
    return rows[:limit]


def _edge_ok(data: dict[str, Any], types: set[str] | None, docs: set[str] | None) -> bool:
    etype = data.get("type")
    if types is None:
        if etype == "MENTIONED_IN":
            return False
    elif etype not in types:
        return False
    if docs is not None:
        return any(ev.get("doc") in docs for ev in data.get("evidence", []) or [])
    return True


def neighbourhood(
    G: Any,
    node_id: str,
    depth: int = 1,
    labels: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    docs: Iterable[str] | None = None,
) -> nx.MultiDiGraph:
    """The subgraph within ``depth`` steps of ``node_id`` (ties followed both ways).

    Filters: ``labels`` (node labels kept; the centre is always kept),
    ``types`` (relationship types followed), ``docs`` (only edges with evidence
    from these documents). Returns a copy with all attributes.

    >>> G = nx.MultiDiGraph()
    >>> G.add_nodes_from([("a", {"label": "Person"}), ("r", {"label": "Role"}),
    ...                   ("o", {"label": "Organisation"})])
    >>> _ = G.add_edge("a", "r", type="HOLDS"); _ = G.add_edge("r", "o", type="IN")
    >>> sorted(neighbourhood(G, "a", 1).nodes), sorted(neighbourhood(G, "a", 2).nodes)
    (['a', 'r'], ['a', 'o', 'r'])
    """
    graph = _as_graph(G)
    if node_id not in graph:
        raise KeyError(f"{node_id}: no such node")
    if depth < 0:
        raise ValueError(f"depth must be >= 0, got {depth}")
    lab = set(labels) if labels else None
    typ = set(types) if types else None
    dset = set(docs) if docs else None
    seen = {node_id}
    edges: set[tuple[str, str, Any]] = set()
    queue = deque([(node_id, 0)])
    while queue:
        u, d = queue.popleft()
        if d >= depth:
            continue
        incident = [(u, v, k, data) for _, v, k, data in graph.out_edges(u, keys=True, data=True)]
        incident += [(w, u, k, data) for w, _, k, data in graph.in_edges(u, keys=True, data=True)]
        for a, b, k, data in incident:
            other = b if a == u else a
            if not _edge_ok(data, typ, dset):
                continue
            if lab is not None and graph.nodes[other].get("label") not in lab:
                continue
            edges.add((a, b, k))
            if other not in seen:
                seen.add(other)
                queue.append((other, d + 1))
    H = nx.MultiDiGraph()
    H.graph.update(graph.graph)
    H.add_nodes_from((n, graph.nodes[n]) for n in sorted(seen))
    for a, b, k in sorted(edges, key=lambda e: (e[0], e[1], str(e[2]))):
        if a in seen and b in seen:
            H.add_edge(a, b, key=k, **graph.edges[a, b, k])
    return H


def shortest_evidenced_path(G: Any, a: str, b: str) -> list[dict[str, Any]]:
    """The fewest-step path from ``a`` to ``b`` over edges that carry evidence.

    Ties are followed in either direction; each step reports the edge as stored
    (``source`` -> ``target``, ``type``), which end it was walked from and its
    evidence. Among equally short paths the one through the lexicographically
    smallest node ids is returned. Raises ``ValueError`` when no such path exists.

    >>> G = nx.MultiDiGraph()
    >>> ev = [{"doc": "d", "start": 0, "end": 3, "text": "abc"}]
    >>> _ = G.add_edge("a", "r", type="HOLDS", evidence=ev)
    >>> _ = G.add_edge("r", "o", type="IN", evidence=ev)
    >>> _ = G.add_edge("a", "o", type="MEMBER_OF")  # no evidence: not used
    >>> [(s["source"], s["type"], s["target"]) for s in shortest_evidenced_path(G, "a", "o")]
    [('a', 'HOLDS', 'r'), ('r', 'IN', 'o')]
    """
    graph = _as_graph(G)
    for node in (a, b):
        if node not in graph:
            raise KeyError(f"{node}: no such node")
    U = nx.Graph()
    U.add_nodes_from(sorted(graph.nodes))
    for u, v, k, data in sorted(graph.edges(keys=True, data=True),
                                key=lambda e: (e[0], e[1], str(e[2]))):
        if data.get("type") == "MENTIONED_IN" or not data.get("evidence"):
            continue
        pair = (min(u, v), max(u, v))
        if not U.has_edge(*pair):
            U.add_edge(*pair, edges=[])
        U.edges[pair]["edges"].append((u, v, k))
    if a == b:
        return []
    # Breadth-first search with sorted neighbours: deterministic among equal paths.
    parent: dict[str, str | None] = {a: None}
    queue = deque([a])
    while queue and b not in parent:
        u = queue.popleft()
        for v in sorted(U.neighbors(u)):
            if v not in parent:
                parent[v] = u
                queue.append(v)
    if b not in parent:
        raise ValueError(f"no evidenced path between {a} and {b}")
    nodes = [b]
    while parent[nodes[-1]] is not None:
        nodes.append(parent[nodes[-1]])  # type: ignore[arg-type]
    nodes.reverse()
    steps = []
    for u, v in zip(nodes, nodes[1:], strict=False):
        src, dst, key = U.edges[min(u, v), max(u, v)]["edges"][0]
        data = graph.edges[src, dst, key]
        steps.append({
            "from": u,
            "to": v,
            "source": src,
            "source_name": graph.nodes[src].get("name", src),
            "type": data.get("type"),
            "target": dst,
            "target_name": graph.nodes[dst].get("name", dst),
            "key": key,
            "evidence": list(data.get("evidence", [])),
        })
    return steps
