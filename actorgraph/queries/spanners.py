"""Boundary spanners: one table of measures, one combined score, one explanation per person.

For the chosen partition (organisation, sector, org_type, level or site) each
person gets, on the one-mode person network of
:mod:`actorgraph.queries.network`:

* ``betweenness`` (:mod:`~actorgraph.queries.centrality`, hop counts, exact or
  sampled above ``exact_max_nodes``), by default on the two-mode graph of people,
  organisations and shared roles (``betweenness_on = "two_mode"``), which needs
  no projection; ``"person"`` computes it on the one-mode network instead;
* the five Gould-Fernandez brokerage counts (:mod:`~actorgraph.queries.brokerage`)
  and ``brokerage`` = their cross-group total
  (itinerant + representative + gatekeeper + liaison);
* Burt's ``constraint`` and ``effective_size`` (:mod:`~actorgraph.queries.structuralholes`,
  reading tie ``strength``);
* the ``participation`` coefficient (:mod:`~actorgraph.queries.participation`);
* ``groups_spanned``: how many groups the person's own affiliations fall in.

The combined score is the weighted mean of each measure's percentile rank
among people (constraint reversed: low constraint ranks high), with the
weights of ``[spanners.weights]``:

.. math::

   S_i = \\frac{\\sum_m w_m \\, r_m(i)}{\\sum_m w_m},\\qquad
   r_m(i) = \\frac{\\operatorname{rank}_m(i) - 1}{n - 1}

(average ranks for ties; a missing value ranks lowest). Percentile ranks make
measures on different scales comparable and keep one extreme value from
swamping the rest.
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

import networkx as nx
import numpy as np
from scipy.stats import rankdata

from actorgraph.config import section
from actorgraph.queries.brokerage import ROLES, brokerage_matrix, brokerage_roles
from actorgraph.queries.centrality import (
    betweenness,
    betweenness_matrix,
    sample_sources,
)
from actorgraph.queries.network import (
    Affiliation,
    NetworkSettings,
    PersonNetwork,
    build_person_network,
    group_value,
    label_of,
    person_affiliations,
    person_groups,
)
from actorgraph.queries.participation import participation_coefficient, participation_matrix
from actorgraph.queries.structuralholes import (
    constraint,
    constraint_matrix,
    effective_size,
    effective_size_matrix,
)

MEASURES = ("betweenness", "brokerage", "participation", "groups_spanned", "effective_size",
            "constraint")
#: Measures where a *low* value marks a spanner.
REVERSED = frozenset({"constraint"})


def _settings(config_path: str | None) -> dict[str, Any]:
    cfg = section("spanners", config_path)
    return {
        "partition": cfg.get("partition", "org_type"),
        "backend": cfg.get("backend", "rustworkx"),
        "exact_max_nodes": int(cfg.get("exact_max_nodes", 5000)),
        "sample_size": int(cfg.get("sample_size", 256)),
        "seed": int(cfg.get("seed", 42)),
        "betweenness_on": str(cfg.get("betweenness_on", "two_mode")),
        "weights": {k: float(v) for k, v in cfg.get("weights", {}).items()},
    }


def compute_measures(
    net: PersonNetwork,
    *,
    backend: str = "rustworkx",
    exact_max_nodes: int = 5000,
    sample_size: int = 256,
    seed: int = 42,
    betweenness_on: str = "two_mode",
) -> dict[str, np.ndarray]:
    """Every measure for every person of ``net``, as arrays aligned with ``net.nodes``.

    ``backend="networkx"`` calls the networkx functions on ``net.to_networkx()``;
    ``backend="rustworkx"`` computes the same values from the sparse matrices.
    ``betweenness_on`` is ``"two_mode"`` (people, organisations, shared roles:
    no projection, so no cap artefacts) or ``"person"`` (the one-mode network).
    """
    n = len(net.nodes)
    group = dict(zip(net.nodes, net.group, strict=True))
    out: dict[str, np.ndarray] = {}
    if betweenness_on not in ("two_mode", "person"):
        raise ValueError(f"betweenness_on must be two_mode or person, got {betweenness_on!r}")
    two_mode = betweenness_on == "two_mode" and net.two_mode is not None
    if backend == "networkx":
        P = net.to_networkx()
        B = net.two_mode_networkx() if two_mode else P
        bt = betweenness(B, backend="networkx", exact_max_nodes=exact_max_nodes,
                         k=sample_size, seed=seed)
        out["betweenness"] = np.array([bt[v] for v in net.nodes])
        roles = brokerage_roles(P, group)
        for role in ROLES:
            out[role] = np.array([roles[v][role] for v in net.nodes], dtype=float)
        c = constraint(P, weight="strength")
        e = effective_size(P, weight="strength")
        pc = participation_coefficient(P, group, weight="strength")
        out["constraint"] = np.array([c[v] for v in net.nodes], dtype=float)
        out["effective_size"] = np.array([e[v] for v in net.nodes], dtype=float)
        out["participation"] = np.array([pc[v] for v in net.nodes], dtype=float)
    elif backend == "rustworkx":
        A = net.strength
        B_adj = net.two_mode if two_mode else A
        names = [*net.nodes, *net.extra_nodes] if two_mode else list(net.nodes)
        n_b = len(names)
        sampled = sample_sources(names, sample_size, seed) if n_b > exact_max_nodes else None
        index = {v: i for i, v in enumerate(names)}
        src = None if sampled is None else np.array([index[s] for s in sampled])
        raw = betweenness_matrix(B_adj, src)
        # the arithmetic of normalise_betweenness, on the array
        out["betweenness"] = (np.zeros(n) if n_b <= 2
                              else raw[:n] * (2.0 / ((n_b - 1) * (n_b - 2))))
        out.update(brokerage_matrix(A, net.group))
        out["constraint"] = constraint_matrix(A)
        out["effective_size"] = effective_size_matrix(A)
        out["participation"] = participation_matrix(A, net.group)
    else:
        raise ValueError(f"unknown backend {backend!r}: choose networkx or rustworkx")
    out["brokerage"] = sum(out[r] for r in ROLES if r != "coordinator")
    out["groups_spanned"] = np.array([len(g) for g in net.groups], dtype=float)
    out["degree"] = np.diff(net.strength.indptr).astype(float)
    return out


def percentile_ranks(values: np.ndarray, reverse: bool = False) -> np.ndarray:
    """Percentile rank in [0, 1] with average ties; ``nan`` ranks lowest.

    >>> percentile_ranks(np.array([3.0, 1.0, np.nan])).tolist()
    [1.0, 0.5, 0.0]
    >>> percentile_ranks(np.array([0.2, 0.9]), reverse=True).tolist()
    [1.0, 0.0]
    """
    n = len(values)
    if n <= 1:
        return np.zeros(n)
    # Round so that values equal up to floating-point noise (backends sum in different
    # orders) tie, and both backends give the same ranks.
    v = np.round(np.asarray(values, dtype=float), 9)
    keyed = np.where(np.isnan(v), -np.inf, -v if reverse else v)
    return (rankdata(keyed, method="average") - 1) / (n - 1)


def combined_score(measures: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Weighted mean of percentile ranks (see the module docstring).

    >>> m = {"betweenness": np.array([0.0, 1.0]), "constraint": np.array([0.2, 0.9])}
    >>> combined_score(m, {"betweenness": 1.0, "constraint": 1.0}).tolist()
    [0.5, 0.5]
    """
    unknown = sorted(set(weights) - set(MEASURES))
    if unknown:
        raise ValueError(f"[spanners.weights]: unknown measure(s) {', '.join(unknown)}")
    total = sum(w for w in weights.values() if w > 0)
    n = len(next(iter(measures.values()))) if measures else 0
    if total <= 0:
        return np.zeros(n)
    score = np.zeros(n)
    for name, w in weights.items():
        if w > 0:
            score += w * percentile_ranks(measures[name], reverse=name in REVERSED)
    return score / total


def _clean(x: float) -> float | None:
    return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)


def spanner_table(
    G: nx.MultiDiGraph,
    partition: str | None = None,
    *,
    backend: str | None = None,
    weights: dict[str, float] | None = None,
    settings: NetworkSettings | None = None,
    config_path: str | None = None,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Rank people as boundary spanners under ``partition``; one dict per person.

    Keys: ``rank``, ``id``, ``name``, ``group``, ``groups``, ``groups_spanned``,
    ``degree``, ``betweenness``, ``coordinator``, ``itinerant``,
    ``representative``, ``gatekeeper``, ``liaison``, ``brokerage``,
    ``constraint``, ``effective_size``, ``participation``, ``score``. Defaults
    come from the ``[spanners]`` config section.

    >>> G = nx.MultiDiGraph()
    >>> for p in ("a", "b", "c"):
    ...     G.add_node(p, label="Person", name=p.upper())
    >>> G.add_node("X", label="Organisation", org_type="CCG")
    >>> G.add_node("Y", label="Organisation", org_type="PCN")
    >>> for p, o in (("a", "X"), ("b", "X"), ("b", "Y"), ("c", "Y")):
    ...     _ = G.add_edge(p, o, type="MEMBER_OF")
    >>> # two-mode path a - X - b - Y - c: b lies on 4 of the 6 pairs of the other nodes
    >>> [(r["name"], r["betweenness"], r["liaison"] + r["gatekeeper"]) for r in spanner_table(G)]
    [('B', 0.6666666666666666, 1), ('A', 0.0, 0), ('C', 0.0, 0)]
    """
    cfg = _settings(config_path)
    part = partition or cfg["partition"]
    net = build_person_network(G, part, settings or NetworkSettings.from_config(config_path))
    measures = compute_measures(
        net,
        backend=backend or cfg["backend"],
        exact_max_nodes=cfg["exact_max_nodes"],
        sample_size=cfg["sample_size"],
        seed=cfg["seed"],
        betweenness_on=cfg["betweenness_on"],
    )
    score = combined_score(measures, weights if weights is not None else cfg["weights"])
    # Whole columns to Python numbers once (per-element numpy indexing is slow at 100,000 rows).
    int_keys = ("groups_spanned", "degree", *ROLES, "brokerage")
    float_keys = ("betweenness", "constraint", "effective_size", "participation")
    int_cols = [np.asarray(measures[key], dtype=float).astype(np.int64).tolist()
                for key in int_keys]
    float_cols = [[_clean(x) for x in np.asarray(measures[key], dtype=float).tolist()]
                  for key in float_keys]
    scores = np.asarray(score, dtype=float).tolist()
    rows = []
    for i, node in enumerate(net.nodes):
        row: dict[str, Any] = {
            "id": node,
            "name": net.names[i],
            "group": net.group[i],
            "groups": net.groups[i],
        }
        for key, col in zip(int_keys, int_cols, strict=True):
            row[key] = col[i]
        for key, col in zip(float_keys, float_cols, strict=True):
            row[key] = col[i]
        row["score"] = scores[i]
        rows.append(row)
    rows.sort(key=lambda r: (-r["score"], r["name"], r["id"]))
    for rank, row in enumerate(rows, 1):
        row["rank"] = rank
    return rows[:limit] if limit else rows


def _affiliation_entry(G: nx.MultiDiGraph, aff: Affiliation) -> dict[str, Any]:
    return {
        "node": aff.group_node,
        "name": G.nodes[aff.group_node].get("name", aff.group_node),
        "label": label_of(G, aff.group_node),
        "role": aff.role,
        "role_name": G.nodes[aff.role].get("name") if aff.role else None,
        "edge_types": aff.edge_types,
        "evidence": aff.evidence,
    }


def explain_spanner(
    G: nx.MultiDiGraph,
    person_id: str,
    partition: str | None = None,
    *,
    settings: NetworkSettings | None = None,
    config_path: str | None = None,
    max_ties: int = 20,
) -> dict[str, Any]:
    """Why a person spans boundaries: their groups, the boundaries they cross, and the evidence.

    Returns ``{"id", "name", "partition", "group", "groups", "boundaries"}``:
    ``groups`` lists each group the person is affiliated with and ``via`` which
    organisation/site and role, with the evidence sentences; ``boundaries`` lists,
    per other group reached, the ties to people of that group (``through`` a
    shared organisation, a shared role or a direct tie) with the sentences
    that show each side of the tie (at most ``max_ties`` per boundary;
    ``n_ties`` counts them all).

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("a", label="Person", name="A"); G.add_node("b", label="Person", name="B")
    >>> G.add_node("X", label="Organisation", name="CCG", org_type="CCG")
    >>> G.add_node("Y", label="Organisation", name="PCN", org_type="PCN")
    >>> ev = [{"doc": "d.txt", "start": 0, "end": 9, "text": "A chairs."}]
    >>> _ = G.add_edge("a", "X", type="MEMBER_OF", evidence=ev)
    >>> _ = G.add_edge("a", "Y", type="MEMBER_OF"); _ = G.add_edge("b", "Y", type="MEMBER_OF")
    >>> e = explain_spanner(G, "a", "org_type")
    >>> [g["group"] for g in e["groups"]], e["boundaries"][0]["to_group"]
    (['CCG', 'PCN'], 'PCN')
    """
    if person_id not in G or G.nodes[person_id].get("label") != "Person":
        raise KeyError(f"{person_id}: not a Person node in the graph")
    cfg = _settings(config_path)
    part = partition or cfg["partition"]
    s = settings or NetworkSettings.from_config(config_path)
    affs = person_affiliations(G, s)
    pgroups = person_groups(G, part, affs)
    own = pgroups[person_id]["group"]
    by_group: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for aff in affs.get(person_id, []):
        g = group_value(G, aff.group_node, part)
        if g is not None:
            by_group[g].append(_affiliation_entry(G, aff))
    ties: dict[str, list[dict[str, Any]]] = defaultdict(list)

    def add_tie(other: str, through: dict[str, Any], evidence: list[dict[str, Any]]) -> None:
        og = pgroups.get(other, {}).get("group")
        if og is None or og == own:
            return
        ties[og].append({
            "person": other,
            "name": G.nodes[other].get("name", other),
            "group": og,
            "through": through,
            "evidence": evidence,
        })

    members: dict[str, list[tuple[str, Affiliation]]] = defaultdict(list)
    for p, plist in affs.items():
        for aff in plist:
            members[aff.group_node].append((p, aff))
    if s.shared_organisation:
        for aff in affs.get(person_id, []):
            o = aff.group_node
            for other, oaff in members[o]:
                if other != person_id:
                    through = {"kind": "shared_organisation", "node": o,
                               "name": G.nodes[o].get("name", o)}
                    add_tie(other, through, aff.evidence + oaff.evidence)
    if s.shared_role:
        for _, r, data in G.out_edges(person_id, data=True):
            if data.get("type") in s.role_types and label_of(G, r) == "Role":
                for other, _, odata in G.in_edges(r, data=True):
                    if other != person_id and label_of(G, other) == "Person" \
                            and odata.get("type") in s.role_types:
                        through = {"kind": "shared_role", "node": r,
                                   "name": G.nodes[r].get("name", r)}
                        add_tie(other, through, list(data.get("evidence", [])) +
                                list(odata.get("evidence", [])))
    if s.direct_ties:
        for u, v, data in list(G.out_edges(person_id, data=True)) + \
                list(G.in_edges(person_id, data=True)):
            other = v if u == person_id else u
            if other != person_id and label_of(G, other) == "Person" \
                    and data.get("type") != "MENTIONED_IN":
                add_tie(other, {"kind": "direct", "node": None, "name": data.get("type")},
                        list(data.get("evidence", [])))
    boundaries = []
    for g in sorted(set(ties) | (set(by_group) - {own})):
        glist = sorted(ties.get(g, []), key=lambda t: (t["name"], t["person"],
                                                       t["through"]["kind"]))
        boundaries.append({
            "from_group": own,
            "to_group": g,
            "own_affiliation": g in by_group,
            "n_ties": len(glist),
            "ties": glist[:max_ties],
        })
    return {
        "id": person_id,
        "name": G.nodes[person_id].get("name", person_id),
        "partition": part,
        "group": own,
        "groups": [{"group": g, "via": by_group[g]} for g in sorted(by_group)],
        "boundaries": boundaries,
    }
