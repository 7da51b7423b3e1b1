"""Initiative spread: the site-by-initiative matrix, spread steps, and initiative groups.

* :func:`initiative_matrix`: every Site or Organisation with an ``IMPLEMENTS``
  tie, by initiative, with the status (implemented, continued, stopped,
  planned) and the sentences. When several statuses are stated, the cell's
  ``status`` is the latest in the life of an initiative
  (planned < implemented < continued < stopped) and ``statuses`` lists all.
* :func:`initiative_spread`: for one initiative (or its group), the origins
  (places that pass it on and never receive it, else those implementing it),
  every ``SPREAD_TO`` step with its mode (``spread``: horizontal, between peers;
  ``scale-up``: vertical, e.g. into a national contract), the levels of both
  ends, dates (the edge's ``start``/``end``/``period``/``date``, else years
  stated in the evidence sentence) and the people linked to both ends (who may
  have carried it).
* :func:`initiative_groups`: initiatives whose names or aliases are similar
  (rapidfuzz ``token_set_ratio`` >= ``threshold``), single-link, since sites
  give one thing different labels. Each group shows its members and the score
  that joined them; ``overrides`` (node id -> group name) pins members to a
  group by hand, and the group is then marked as overridden.
"""

from __future__ import annotations

import re
import weakref
from collections import defaultdict
from typing import Any

import networkx as nx
import numpy as np
from rapidfuzz import fuzz, process, utils

from actorgraph.queries.network import NetworkSettings, person_affiliations

STATUS_ORDER = ("planned", "implemented", "continued", "stopped")
_YEAR = re.compile(r"\b(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+)?"
                   r"(?:19[89]\d|20[0-4]\d)\b", re.IGNORECASE)


def _as_graph(store_or_graph: Any) -> nx.MultiDiGraph:
    return store_or_graph if isinstance(store_or_graph, nx.Graph) else store_or_graph.to_networkx()


def initiatives(G: Any) -> list[dict[str, Any]]:
    """All Initiative nodes: ``{"id", "name", "aliases", "category", "scope"}``, by name."""
    graph = _as_graph(G)
    rows = [{"id": n, "name": d.get("name", n), "aliases": list(d.get("aliases") or []),
             "category": d.get("category"), "scope": d.get("scope")}
            for n, d in graph.nodes(data=True) if d.get("label") == "Initiative"]
    return sorted(rows, key=lambda r: (str(r["name"]).lower(), r["id"]))


def initiative_matrix(G: Any, groups: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """The site-by-initiative matrix with status.

    Returns ``{"sites": [{"id","name","label"}], "initiatives": [{"id","name"}],
    "cells": [{"site","initiative","status","statuses","evidence"}]}``. With
    ``groups`` (from :func:`initiative_groups`) the columns are the groups and a
    cell merges its members' statuses.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("s", label="Site", name="Site 1")
    >>> G.add_node("i", label="Initiative", name="MDT")
    >>> _ = G.add_edge("s", "i", type="IMPLEMENTS", status="implemented")
    >>> _ = G.add_edge("s", "i", type="IMPLEMENTS", status="stopped")
    >>> m = initiative_matrix(G)
    >>> (m["cells"][0]["status"], m["cells"][0]["statuses"])
    ('stopped', ['implemented', 'stopped'])
    """
    graph = _as_graph(G)
    column_of: dict[str, str] = {}
    columns: dict[str, str] = {}
    if groups:
        for g in groups:
            for m in g["members"]:
                column_of[m["id"]] = g["group"]
            columns[g["group"]] = g["group"]
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    sites: dict[str, dict[str, Any]] = {}
    for u, v, d in graph.edges(data=True):
        if d.get("type") != "IMPLEMENTS" or graph.nodes[v].get("label") != "Initiative":
            continue
        col = column_of.get(v, v)
        if not groups:
            columns[v] = graph.nodes[v].get("name", v)
        sites[u] = {"id": u, "name": graph.nodes[u].get("name", u),
                    "label": graph.nodes[u].get("label")}
        cell = cells.setdefault((u, col), {"site": u, "initiative": col, "statuses": set(),
                                           "evidence": []})
        status = str(d.get("status") or "implemented").lower()
        cell["statuses"].add(status)
        cell["evidence"].extend(d.get("evidence", []) or [])
    out_cells = []
    for key in sorted(cells):
        c = cells[key]
        statuses = sorted(c["statuses"], key=lambda s: (
            STATUS_ORDER.index(s) if s in STATUS_ORDER else -1, s))
        out_cells.append({**c, "statuses": statuses, "status": statuses[-1],
                          "evidence": sorted(c["evidence"], key=lambda e: (
                              str(e.get("doc")), int(e.get("start", 0))))})
    return {
        "sites": sorted(sites.values(), key=lambda s: (str(s["name"]).lower(), s["id"])),
        "initiatives": [{"id": k, "name": columns[k]}
                        for k in sorted(columns, key=lambda k: (str(columns[k]).lower(), k))],
        "cells": out_cells,
    }


def _dates(data: dict[str, Any]) -> list[str]:
    stated = [str(data[k]) for k in ("date", "start", "end", "period") if data.get(k)]
    if stated:
        return stated
    found: list[str] = []
    for ev in data.get("evidence", []) or []:
        for m in _YEAR.finditer(str(ev.get("text", ""))):
            if m.group(0) not in found:
                found.append(m.group(0))
    return found


class _SpreadIndex:
    """What every spread query reads, gathered in one pass over a graph.

    ``steps`` holds each ``SPREAD_TO`` edge under its ``initiative`` property, with the
    edge's position in the graph's edge order (so a query over several initiatives can
    list its steps in that order); ``implementers`` the places with an ``IMPLEMENTS`` edge
    to each node; ``linked`` the people tied to each place, through their affiliations
    (:func:`~actorgraph.queries.network.person_affiliations`) or directly (e.g. ``LEADS``).
    """

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.steps: dict[Any, list[tuple[int, str, str, dict[str, Any]]]] = defaultdict(list)
        self.implementers: dict[str, set[str]] = defaultdict(set)
        self.linked: dict[str, set[str]] = defaultdict(set)
        for p, plist in person_affiliations(graph, NetworkSettings()).items():
            for a in plist:
                self.linked[a.group_node].add(p)
        labels = graph._node  # type: ignore[attr-defined]
        for position, (u, v, d) in enumerate(graph.edges(data=True)):
            kind = d.get("type")
            if kind == "SPREAD_TO":
                self.steps[d.get("initiative")].append((position, u, v, d))
            elif kind == "IMPLEMENTS":
                self.implementers[v].add(u)
            if kind != "MENTIONED_IN" and labels[u].get("label") == "Person":
                self.linked[v].add(u)


_INDEXES: weakref.WeakKeyDictionary[nx.MultiDiGraph, tuple[int, int, _SpreadIndex]] = (
    weakref.WeakKeyDictionary()
)


def _spread_index(graph: nx.MultiDiGraph) -> _SpreadIndex:
    # Every person's affiliations and a pass over every edge are the costly part of a spread
    # query; the app asks for one initiative after another on the same graph, so build the
    # index once per graph object (and again when its size changes).
    size = (graph.number_of_nodes(), graph.number_of_edges())
    hit = _INDEXES.get(graph)
    if hit is not None and hit[:2] == size:
        return hit[2]
    index = _SpreadIndex(graph)
    _INDEXES[graph] = (*size, index)
    return index


def initiative_spread(G: Any, initiative_id: str,
                      groups: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """How one initiative spread: origins, each ``SPREAD_TO`` step, people linked to both ends.

    With ``groups``, every member of the initiative's group counts as the same
    initiative.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("i", label="Initiative", name="EHCH")
    >>> G.add_node("a", label="Site", name="Site 1", level="place")
    >>> G.add_node("n", label="Organisation", name="PCN contract", level="national")
    >>> ev = [{"doc": "d", "start": 0, "end": 20, "text": "scaled up in 2020."}]
    >>> _ = G.add_edge("a", "n", type="SPREAD_TO", initiative="i", mode="scale-up", evidence=ev)
    >>> s = initiative_spread(G, "i")
    >>> s["origins"][0]["id"], s["steps"][0]["direction"], s["steps"][0]["dates"]
    ('a', 'vertical', ['2020'])
    """
    graph = _as_graph(G)
    if initiative_id not in graph or graph.nodes[initiative_id].get("label") != "Initiative":
        raise KeyError(f"{initiative_id}: not an Initiative node")
    members = {initiative_id}
    for g in groups or []:
        ids = {m["id"] for m in g["members"]}
        if initiative_id in ids:
            members |= ids
    index = _spread_index(graph)
    # In the graph's edge order, as one pass over the edges would list them.
    steps_raw = [(u, v, d) for _, u, v, d in sorted(
        (step for m in members for step in index.steps.get(m, ())), key=lambda s: s[0])]
    senders = {u for u, _, _ in steps_raw}
    receivers = {v for _, v, _ in steps_raw}
    implemented_ids = set().union(*(index.implementers.get(m, set()) for m in members))
    origin_ids = (senders - receivers) or implemented_ids
    linked = index.linked

    def node(n: str) -> dict[str, Any]:
        d = graph.nodes[n]
        return {"id": n, "name": d.get("name", n), "label": d.get("label"),
                "level": d.get("level")}

    steps = []
    for u, v, d in sorted(steps_raw, key=lambda e: (e[0], e[1], str(e[2].get("mode")))):
        mode = str(d.get("mode") or "spread")
        both = sorted(linked.get(u, set()) & linked.get(v, set()))
        steps.append({
            "from": node(u), "to": node(v), "initiative": d.get("initiative"), "mode": mode,
            "direction": "vertical" if mode == "scale-up" else "horizontal",
            "dates": _dates(d),
            "people": [{"id": p, "name": graph.nodes[p].get("name", p)} for p in both],
            "evidence": list(d.get("evidence", []) or []),
        })
    return {
        "initiative": {"id": initiative_id, "name": graph.nodes[initiative_id].get("name"),
                       "members": sorted(members)},
        "origins": [node(n) for n in sorted(origin_ids)],
        "steps": steps,
        "implemented_at": [node(n) for n in sorted(implemented_ids)],
    }


#: Rows of the similarity matrix computed at once by :func:`_similar_pairs` (bounds memory).
_BLOCK = 512


def _similar_pairs(texts: list[list[str]], threshold: float) -> list[tuple[int, int, float]]:
    """``(a, b, score)`` for every ``a < b`` whose best text pair scores ``>= threshold``.

    ``score`` is the highest ``token_set_ratio(x, y)`` over ``x`` in ``texts[a]`` and ``y``
    in ``texts[b]``. The scores are computed in blocks by ``rapidfuzz.process.cdist`` (the
    same scorer, in C++, without a Python call per pair), so thousands of initiatives are
    compared in seconds.

    >>> _similar_pairs([["mdt"], ["mdt meetings"], ["msk"]], 85.0)
    [(0, 1, 100.0)]
    """
    if threshold <= 0:  # every pair links, even one without text (score 0)
        return [(a, b, max((float(fuzz.token_set_ratio(x, y)) for x in texts[a]
                            for y in texts[b]), default=0.0))
                for a in range(len(texts)) for b in range(a + 1, len(texts))]
    if threshold > 100:  # no score reaches it
        return []
    flat = [t for ts in texts for t in ts]
    owner = np.asarray([k for k, ts in enumerate(texts) for _ in ts], dtype=np.int64)
    found_a, found_b, found_score = [], [], []
    for lo in range(0, len(flat), _BLOCK):
        # Texts are grouped by initiative in order, so a later initiative's texts come
        # later: only the columns from ``lo`` on can hold a pair ``a < b``.
        block = process.cdist(flat[lo:lo + _BLOCK], flat[lo:], scorer=fuzz.token_set_ratio,
                              score_cutoff=threshold, dtype=np.float64, workers=1)
        rows, cols = np.nonzero(block >= threshold)
        a_of, b_of = owner[rows + lo], owner[cols + lo]
        keep = a_of < b_of
        found_a.append(a_of[keep])
        found_b.append(b_of[keep])
        found_score.append(block[rows[keep], cols[keep]])
    if not found_a:
        return []
    a_all, b_all, s_all = (np.concatenate(x) for x in (found_a, found_b, found_score))
    # The best score of each initiative pair: sort by (a, b, score), keep each pair's last.
    order = np.lexsort((s_all, b_all, a_all))
    a_all, b_all, s_all = a_all[order], b_all[order], s_all[order]
    last = np.ones(len(a_all), dtype=bool)
    last[:-1] = (a_all[1:] != a_all[:-1]) | (b_all[1:] != b_all[:-1])
    return list(zip(a_all[last].tolist(), b_all[last].tolist(), s_all[last].tolist(),
                    strict=True))


def initiative_groups(
    G: Any,
    threshold: float = 85.0,
    overrides: dict[str, str] | None = None,
) -> list[dict[str, Any]]:
    """Group initiatives by similar names and aliases (single-link), overridable by hand.

    Returns ``[{"group", "members": [{"id","name","score"}], "overridden"}]``;
    a member's ``score`` is the similarity that linked it (100 for the first).
    ``overrides`` maps an initiative id to a group name: those initiatives are
    taken out of the automatic grouping and put in the named group.

    >>> G = nx.MultiDiGraph()
    >>> for i, name in enumerate(["social prescribing", "Social Prescribing service", "MSK"]):
    ...     G.add_node(f"I{i}", label="Initiative", name=name)
    >>> [[m["id"] for m in g["members"]] for g in initiative_groups(G)]
    [['I2'], ['I0', 'I1']]
    >>> [(g["group"], len(g["members"]), g["overridden"])
    ...  for g in initiative_groups(G, overrides={"I2": "social prescribing"})]
    [('social prescribing', 3, True)]
    """
    inits = initiatives(G)
    pinned = overrides or {}
    free = [i for i in inits if i["id"] not in pinned]
    texts = {i["id"]: [utils.default_process(t) for t in [i["name"], *i["aliases"]] if t]
             for i in free}
    parent = {i["id"]: i["id"] for i in free}
    link_score: dict[str, float] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b, score in _similar_pairs([texts[i["id"]] for i in free], threshold):
        a_id, b_id = free[a]["id"], free[b]["id"]
        link_score[b_id] = max(link_score.get(b_id, 0.0), score)
        ra, rb = find(a_id), find(b_id)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    clusters: dict[str, list[dict[str, Any]]] = defaultdict(list)
    by_id = {i["id"]: i for i in inits}
    for i in free:
        clusters[find(i["id"])].append(i)
    out = []
    for members in clusters.values():
        members.sort(key=lambda m: m["id"])
        label = min((m["name"] for m in members), key=lambda n: (len(n), n))
        out.append({"group": label, "overridden": False, "members": [
            {"id": m["id"], "name": m["name"], "score": link_score.get(m["id"], 100.0)}
            for m in members]})
    manual: dict[str, list[str]] = defaultdict(list)
    for node_id, group in pinned.items():
        if node_id not in by_id:
            raise KeyError(f"override {node_id!r}: not an Initiative node")
        manual[group].append(node_id)
    merged = {g["group"]: g for g in out}
    for group, ids in manual.items():
        entry = merged.setdefault(group, {"group": group, "overridden": True, "members": []})
        entry["overridden"] = True
        entry["members"].extend({"id": i, "name": by_id[i]["name"], "score": None}
                                for i in sorted(ids))
    return sorted(merged.values(), key=lambda g: (str(g["group"]).lower(), g["group"]))
