"""Building the person network from the resolved graph, explicitly and configurably.

The resolved graph (``store.to_networkx()``) is heterogeneous: people hold roles
in organisations and sites. Boundary-spanning measures need two derived graphs:

* the **two-mode affiliation graph** (:func:`affiliation_graph`): people on one
  side, organisations and sites on the other; a person is affiliated with an
  organisation through ``HOLDS`` -> Role -> ``IN``/``PART_OF``, or directly
  through ``MEMBER_OF``/``LEADS``/``PART_OF``/``IN`` (configurable);
* the **one-mode person network** (:func:`person_network`), the union of

  - direct person-person ties (any evidenced edge between two people), each of
    strength ``direct_weight``;
  - shared organisations: two people affiliated with the same organisation get
    ``shared_organisation_weight / (n_o - 1)`` for an organisation of ``n_o``
    members (Newman's collaboration weighting, so a large organisation does not
    count as strongly as a small team);
  - shared roles: two people who held the same Role node get
    ``shared_role_weight / (n_r - 1)``.

Edge attributes are ``strength`` (the summed tie strength, read by Burt's
constraint and effective size and by the participation coefficient) and
``distance = 1 / strength`` (what betweenness would read as a length). The two
are different attributes on purpose: betweenness reads a weight as a distance,
constraint reads it as a strength.

The projection is **capped**: a group of more than ``max_group_size`` members
is not expanded into a clique (an organisation of 5,000 staff would add 12.5
million edges); each member is instead tied to ``large_group_degree`` other
members drawn with a fixed seed, each tie with the same strength as in the
clique. The group still counts fully for partitions and explanations.

References: Newman, M. E. J. (2001). Scientific collaboration networks II.
Physical Review E 64, 016132. Borgatti, S. P. & Halgin, D. S. (2011).
Analyzing affiliation networks. In The SAGE Handbook of Social Network Analysis.
"""

from __future__ import annotations

import gc
import random
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from actorgraph.config import section

#: Partitions a user can choose, and the node attribute each one reads.
PARTITIONS: dict[str, str] = {
    "organisation": "id",
    "sector": "sector",
    "org_type": "org_type",
    "level": "level",
    "site": "site",
}

GROUP_LABELS = ("Organisation", "Site")


@dataclass(frozen=True)
class NetworkSettings:
    """How the person network is built (the ``[spanners.network]`` config section)."""

    direct_ties: bool = True
    direct_weight: float = 1.0
    shared_organisation: bool = True
    shared_organisation_weight: float = 1.0
    shared_role: bool = True
    shared_role_weight: float = 0.5
    affiliation_types: tuple[str, ...] = ("MEMBER_OF", "LEADS", "PART_OF", "IN")
    role_types: tuple[str, ...] = ("HOLDS",)
    role_org_types: tuple[str, ...] = ("IN", "PART_OF")
    max_group_size: int = 50
    large_group_degree: int = 10
    seed: int = 42

    @classmethod
    def from_config(cls, config_path: str | None = None, **over: Any) -> NetworkSettings:
        """Read ``[spanners.network]`` (and ``[spanners] seed``), then apply ``over``."""
        spanners = section("spanners", config_path)
        raw = dict(spanners.get("network", {}))
        if "seed" in spanners:
            raw.setdefault("seed", spanners["seed"])
        raw.update({k: v for k, v in over.items() if v is not None})
        known = set(cls.__dataclass_fields__)
        unknown = sorted(set(raw) - known)
        if unknown:
            raise ValueError(f"[spanners.network]: unknown setting(s) {', '.join(unknown)}")
        for key in ("affiliation_types", "role_types", "role_org_types"):
            if key in raw:
                raw[key] = tuple(raw[key])
        return cls(**raw)


@dataclass
class Affiliation:
    """One person-to-organisation (or site) tie in the two-mode graph."""

    group_node: str
    role: str | None
    edge_types: list[str]
    evidence: list[dict[str, Any]] = field(default_factory=list)


def label_of(G: nx.MultiDiGraph, node: str) -> str:
    """The node's SPEC label (``""`` when unknown)."""
    return str(G.nodes[node].get("label", ""))


def people(G: nx.MultiDiGraph) -> list[str]:
    """All Person node ids, sorted."""
    return sorted(n for n, d in G.nodes(data=True) if d.get("label") == "Person")


def _edges_between(G: nx.MultiDiGraph, u: str) -> Iterable[tuple[str, str, dict[str, Any]]]:
    """Every edge touching ``u`` as ``(other, type, data)``, both directions."""
    for _, v, data in G.out_edges(u, data=True):
        yield v, str(data.get("type", "")), data
    for w, _, data in G.in_edges(u, data=True):
        yield w, str(data.get("type", "")), data


def person_affiliations(
    G: nx.MultiDiGraph, settings: NetworkSettings | None = None
) -> dict[str, list[Affiliation]]:
    """Map each person to their affiliations with organisations and sites.

    A person is affiliated with group node ``o`` when ``person -[HOLDS]-> role
    -[IN|PART_OF]-> o`` or when an edge of an ``affiliation_types`` type joins
    them directly (either direction). Evidence is the union of the edges'
    evidence on the way.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("P", label="Person"); G.add_node("R", label="Role")
    >>> G.add_node("O", label="Organisation")
    >>> _ = G.add_edge("P", "R", type="HOLDS"); _ = G.add_edge("R", "O", type="IN")
    >>> [(a.group_node, a.role) for a in person_affiliations(G)["P"]]
    [('O', 'R')]
    """
    s = settings or NetworkSettings()
    labels = {n: d.get("label") for n, d in G.nodes(data=True)}
    aff_types = set(s.affiliation_types)
    role_types = set(s.role_types)
    role_org_types = set(s.role_org_types)
    role_orgs: dict[str, list[tuple[str, list[dict[str, Any]]]]] = {}

    def orgs_of(role: str) -> list[tuple[str, list[dict[str, Any]]]]:
        if role not in role_orgs:
            found = []
            for org, keyed in succ[role].items():
                if labels.get(org) in GROUP_LABELS:
                    for data in keyed.values():
                        if data.get("type") in role_org_types:
                            found.append((org, list(data.get("evidence") or [])))
            role_orgs[role] = found
        return role_orgs[role]

    # The raw adjacency dicts: the public views cost a Python call per step.
    succ, pred = G._succ, G._pred  # type: ignore[attr-defined]
    out: dict[str, list[Affiliation]] = {}
    for p in sorted(n for n, lab in labels.items() if lab == "Person"):
        found: dict[tuple[str, str | None], Affiliation] = {}
        for adjacency in (succ[p], pred[p]):
            for other, keyed in adjacency.items():
                if labels.get(other) not in GROUP_LABELS:
                    continue
                for data in keyed.values():
                    etype = data.get("type")
                    if etype in aff_types:
                        aff = found.setdefault((other, None), Affiliation(other, None, []))
                        aff.edge_types.append(str(etype))
                        aff.evidence.extend(data.get("evidence") or [])
        for role, keyed in succ[p].items():
            if labels.get(role) != "Role":
                continue
            for data in keyed.values():
                etype = data.get("type")
                if etype not in role_types:
                    continue
                for org, org_evidence in orgs_of(role):
                    aff = found.setdefault((org, role), Affiliation(org, role, []))
                    aff.edge_types.extend([str(etype), "IN"])
                    aff.evidence.extend(data.get("evidence") or [])
                    aff.evidence.extend(org_evidence)
        keys = list(found) if len(found) == 1 else sorted(found, key=lambda k: (k[0], k[1] or ""))
        affs = []
        for key in keys:
            aff = found[key]
            aff.edge_types = sorted(set(aff.edge_types))
            aff.evidence = _unique_evidence(aff.evidence)
            affs.append(aff)
        out[p] = affs
    return out


def _unique_evidence(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    if len(items) <= 1:
        return list(items)
    seen: dict[tuple[Any, ...], dict[str, Any]] = {}
    for ev in items:
        seen.setdefault((ev.get("doc"), ev.get("start"), ev.get("end")), ev)
    if len(seen) == 1:
        return list(seen.values())
    return [seen[k] for k in sorted(seen, key=lambda k: tuple(str(x) for x in k))]


_DIGITS = re.compile(r"\d+")


def _site_key(value: Any) -> str | None:
    """``"S1"``, ``"1"``, ``"Site 1"`` -> ``"Site 1"``; other strings unchanged."""
    if value is None or value == "":
        return None
    text = str(value)
    m = _DIGITS.search(text)
    if m and re.fullmatch(r"(?i)\s*(?:s|site)?\s*\d+\s*", text):
        return f"Site {int(m.group())}"
    return text


def group_value(G: nx.MultiDiGraph, node: str, partition: str) -> str | None:
    """The group of an organisation or site node under ``partition``.

    ``organisation`` is the node id itself; ``site`` is the site code of a Site
    (or the ``site`` property of an organisation); ``org_type`` of a Site is
    ``VANGUARD`` when its programme is a Vanguard, else ``SITE``; other
    attributes are read as they are (``None`` when absent).
    """
    if partition not in PARTITIONS:
        raise ValueError(
            f"unknown partition {partition!r}: choose one of {', '.join(PARTITIONS)}"
        )
    data = G.nodes[node]
    if partition == "organisation":
        return node
    if partition == "site":
        if data.get("label") == "Site":
            return _site_key(data.get("site_code")) or str(data.get("name") or node)
        return _site_key(data.get("site"))
    value = data.get(PARTITIONS[partition])
    if value is None and partition == "org_type" and data.get("label") == "Site":
        programme = str(data.get("programme") or "")
        return "VANGUARD" if "vanguard" in programme.lower() else "SITE"
    return None if value is None else str(value)


def person_groups(
    G: nx.MultiDiGraph,
    partition: str,
    affiliations: dict[str, list[Affiliation]] | None = None,
    settings: NetworkSettings | None = None,
) -> dict[str, dict[str, Any]]:
    """Each person's primary group and all groups under ``partition``.

    The primary group is the one with the most supporting evidence among the
    person's affiliations (ties: the smallest name). For the ``site`` partition
    a person's own ``site`` property (read from a respondent code such as
    ``S1R04``) counts as an affiliation. People with no affiliation have
    primary group ``None``.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("P", label="Person")
    >>> G.add_node("A", label="Organisation", org_type="CCG")
    >>> G.add_node("B", label="Organisation", org_type="PCN")
    >>> _ = G.add_edge("P", "A", type="MEMBER_OF", evidence=[{"doc": "d", "start": 0, "end": 1}])
    >>> _ = G.add_edge("P", "B", type="MEMBER_OF")
    >>> person_groups(G, "org_type")["P"]
    {'group': 'CCG', 'groups': ['CCG', 'PCN']}
    """
    affs = affiliations if affiliations is not None else person_affiliations(G, settings)
    out: dict[str, dict[str, Any]] = {}
    cache: dict[str, str | None] = {}
    for p, plist in affs.items():
        weight: Counter[str] = Counter()
        for aff in plist:
            o = aff.group_node
            if o not in cache:
                cache[o] = group_value(G, o, partition)
            g = cache[o]
            if g is not None:
                weight[g] += max(1, len(aff.evidence))
        if partition == "site":
            own = _site_key(G.nodes[p].get("site"))
            if own is not None:
                weight[own] += 1
        primary = min(weight, key=lambda g: (-weight[g], g)) if weight else None
        out[p] = {"group": primary, "groups": sorted(weight)}
    return out


def affiliation_graph(
    G: nx.MultiDiGraph,
    settings: NetworkSettings | None = None,
    affiliations: dict[str, list[Affiliation]] | None = None,
) -> nx.Graph:
    """The two-mode person-organisation graph.

    Nodes carry ``bipartite`` (0 for people, 1 for organisations and sites) and
    ``label``; an edge's ``weight`` is the number of evidence passages behind
    the affiliation (at least 1) and ``roles`` the Role nodes it runs through.

    >>> G = nx.MultiDiGraph()
    >>> G.add_node("P", label="Person"); G.add_node("O", label="Organisation")
    >>> _ = G.add_edge("P", "O", type="MEMBER_OF")
    >>> list(affiliation_graph(G).edges(data="weight"))
    [('P', 'O', 1)]
    """
    affs = affiliations if affiliations is not None else person_affiliations(G, settings)
    B = nx.Graph()
    for p in sorted(affs):
        B.add_node(p, bipartite=0, label="Person", name=G.nodes[p].get("name", p))
        for aff in affs[p]:
            o = aff.group_node
            B.add_node(o, bipartite=1, label=label_of(G, o), name=G.nodes[o].get("name", o))
            if B.has_edge(p, o):
                B[p][o]["weight"] += max(1, len(aff.evidence))
            else:
                B.add_edge(p, o, weight=max(1, len(aff.evidence)), roles=[])
            if aff.role:
                B[p][o]["roles"].append(aff.role)
    return B


def _cap_pairs(members: list[int], degree: int, rng: random.Random) -> list[tuple[int, int]]:
    """Pairs for a large group: each member tied to ``degree`` others drawn with ``rng``."""
    pairs: set[tuple[int, int]] = set()
    n = len(members)
    for i, m in enumerate(members):
        for j in rng.sample(range(n - 1), min(degree, n - 1)):
            other = members[j if j < i else j + 1]
            pairs.add((min(m, other), max(m, other)))
    return sorted(pairs)


def projection_matrix(
    n: int,
    groups: dict[Any, list[int]],
    weight: float,
    settings: NetworkSettings,
) -> sp.csr_matrix:
    """Tie strengths among ``n`` people from shared ``groups`` (capped, Newman-weighted).

    ``groups`` maps a group key to member indices. A group of ``k`` members
    adds ``weight / (k - 1)`` to each pair it joins. Groups up to
    ``max_group_size`` are expanded as ``M diag(w) M^T`` (``M`` the
    person-by-group incidence matrix) minus its diagonal; larger ones give
    each member ``large_group_degree`` ties drawn with a fixed seed.

    >>> s = NetworkSettings()
    >>> projection_matrix(3, {"o": [0, 1, 2]}, 1.0, s).toarray().tolist()
    [[0.0, 0.5, 0.5], [0.5, 0.0, 0.5], [0.5, 0.5, 0.0]]
    """
    inc_rows: list[int] = []
    inc_cols: list[int] = []
    inc_w: list[float] = []
    big_r: list[int] = []
    big_c: list[int] = []
    big_w: list[float] = []
    n_small = 0
    for key in sorted(groups, key=str):
        members = sorted(set(groups[key]))
        k = len(members)
        if k < 2:
            continue
        w = weight / (k - 1)
        if k <= settings.max_group_size:
            inc_rows.extend(members)
            inc_cols.extend([n_small] * k)
            inc_w.extend([w] * k)
            n_small += 1
        else:
            rng = random.Random(f"{settings.seed}:{key}")
            for u, v in _cap_pairs(members, settings.large_group_degree, rng):
                big_r.append(u)
                big_c.append(v)
                big_w.append(w)
    M = sp.csr_matrix((np.ones(len(inc_rows)), (inc_rows, inc_cols)), shape=(n, max(1, n_small)))
    gw = np.zeros(max(1, n_small))
    if inc_cols:
        gw[np.asarray(inc_cols)] = np.asarray(inc_w)
    S = sp.csr_matrix(M @ sp.diags(gw) @ M.T)
    S.setdiag(0)
    upper = sp.coo_matrix((np.asarray(big_w, dtype=float),
                           (np.asarray(big_r, dtype=np.int64), np.asarray(big_c, dtype=np.int64))),
                          shape=(n, n)).tocsr()
    upper.sum_duplicates()
    out = (S + upper + upper.T).tocsr()
    out.eliminate_zeros()
    return out


@dataclass
class PersonNetwork:
    """The person network as arrays: ``nodes[i]`` is person ``i``; ``strength`` is symmetric.

    ``two_mode`` is the 0/1 adjacency of the two-mode graph used for
    betweenness: its first ``len(nodes)`` rows are the people, followed by
    ``extra_nodes`` (organisations, sites, and roles held by two or more
    people); person-person entries are direct ties.
    """

    nodes: list[str]
    strength: sp.csr_matrix
    group: list[str | None]
    groups: list[list[str]]
    names: list[str]
    partition: str
    two_mode: sp.csr_matrix | None = None
    extra_nodes: list[str] = field(default_factory=list)

    def to_networkx(self) -> nx.Graph:
        """The network as an ``nx.Graph`` with ``strength`` and ``distance`` on edges."""
        P = nx.Graph(partition=self.partition)
        for i, node in enumerate(self.nodes):
            P.add_node(node, name=self.names[i], group=self.group[i], groups=self.groups[i])
        coo = sp.triu(self.strength, k=1).tocoo()
        P.add_edges_from(
            (self.nodes[i], self.nodes[j], {"strength": float(w), "distance": 1.0 / float(w)})
            for i, j, w in zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(), strict=True)
        )
        return P

    def two_mode_networkx(self) -> nx.Graph:
        """The two-mode graph (people first, then ``extra_nodes``) as an ``nx.Graph``."""
        names = [*self.nodes, *self.extra_nodes]
        T = nx.Graph()
        T.add_nodes_from(names)
        if self.two_mode is not None:
            coo = sp.triu(self.two_mode, k=1).tocoo()
            T.add_edges_from((names[i], names[j]) for i, j in
                             zip(coo.row.tolist(), coo.col.tolist(), strict=True))
        return T


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small containers."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _incidence(n: int, groups: dict[str, list[int]], keys: list[str]) -> sp.csr_matrix:
    rows = [i for k in keys for i in groups[k]]
    cols = [j for j, k in enumerate(keys) for _ in groups[k]]
    M = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, len(keys)))
    M.data[:] = 1.0
    return M


def build_person_network(
    G: nx.MultiDiGraph,
    partition: str = "org_type",
    settings: NetworkSettings | None = None,
    affiliations: dict[str, list[Affiliation]] | None = None,
) -> PersonNetwork:
    """Build the one-mode person network and the two-mode graph as sparse arrays.

    See the module docstring for the rules; ``settings`` defaults to
    :class:`NetworkSettings` defaults (use ``NetworkSettings.from_config()`` for
    the user's configuration).
    """
    with _gc_paused():
        return _build_person_network(G, partition, settings or NetworkSettings(), affiliations)


def _build_person_network(
    G: nx.MultiDiGraph,
    partition: str,
    s: NetworkSettings,
    affiliations: dict[str, list[Affiliation]] | None,
) -> PersonNetwork:
    affs = affiliations if affiliations is not None else person_affiliations(G, s)
    groups = person_groups(G, partition, affs)
    nodes = sorted(affs) if affs else people(G)
    index = {p: i for i, p in enumerate(nodes)}
    n = len(nodes)
    strength = sp.csr_matrix((n, n))
    by_org: dict[str, list[int]] = defaultdict(list)
    for p, plist in affs.items():
        for o in sorted({a.group_node for a in plist}):
            by_org[o].append(index[p])
    by_role: dict[str, list[int]] = defaultdict(list)
    node_data = G._node  # type: ignore[attr-defined]
    succ = G._succ  # type: ignore[attr-defined]
    role_types = set(s.role_types)
    for p in nodes:
        for r, keyed in succ[p].items():
            if node_data[r].get("label") == "Role" and any(
                    d.get("type") in role_types for d in keyed.values()):
                by_role[r].append(index[p])
    if s.shared_organisation:
        strength = strength + projection_matrix(n, by_org, s.shared_organisation_weight, s)
    if s.shared_role:
        strength = strength + projection_matrix(n, by_role, s.shared_role_weight, s)
    direct = sp.csr_matrix((n, n))
    if s.direct_ties:
        pairs: set[tuple[int, int]] = set()
        for u in nodes:
            for v, keyed in succ[u].items():
                if v == u or v not in index:
                    continue
                if any(d.get("type") != "MENTIONED_IN" for d in keyed.values()):
                    i, j = index[u], index[v]
                    pairs.add((min(i, j), max(i, j)))
        if pairs:
            r, c = zip(*sorted(pairs), strict=True)
            upper = sp.coo_matrix((np.ones(len(r)), (r, c)), shape=(n, n)).tocsr()
            direct = (upper + upper.T).tocsr()
            strength = strength + s.direct_weight * direct
    strength = sp.csr_matrix(strength)
    strength.eliminate_zeros()
    org_keys = sorted(by_org) if s.shared_organisation else []
    role_keys = sorted(r for r, m in by_role.items() if len(m) > 1) if s.shared_role else []
    M = sp.hstack([_incidence(n, by_org, org_keys), _incidence(n, by_role, role_keys)]).tocsr()
    two_mode = sp.bmat([[direct, M], [M.T, None]], format="csr")
    two_mode.data[:] = 1.0
    return PersonNetwork(
        nodes=nodes,
        strength=strength,
        group=[groups.get(p, {}).get("group") for p in nodes],
        groups=[groups.get(p, {}).get("groups", []) for p in nodes],
        names=[str(node_data[p].get("name", p)) for p in nodes],
        partition=partition,
        two_mode=two_mode,
        extra_nodes=[*org_keys, *role_keys],
    )


def person_network(
    G: nx.MultiDiGraph,
    partition: str = "org_type",
    settings: NetworkSettings | None = None,
) -> nx.Graph:
    """The one-mode person network as an ``nx.Graph``.

    Nodes are Person ids with ``name``, ``group`` (primary group under
    ``partition``) and ``groups``; edges carry ``strength`` (tie strength) and
    ``distance`` (``1 / strength``).

    >>> G = nx.MultiDiGraph()
    >>> for p in "AB":
    ...     G.add_node(p, label="Person")
    >>> G.add_node("O", label="Organisation", org_type="CCG")
    >>> _ = G.add_edge("A", "O", type="MEMBER_OF"); _ = G.add_edge("B", "O", type="MEMBER_OF")
    >>> dict(person_network(G).edges)[("A", "B")]["strength"]
    1.0
    """
    return build_person_network(G, partition, settings).to_networkx()


def network_from_graph(P: nx.Graph, groups: dict[Any, Any] | None = None,
                       weight: str = "strength") -> PersonNetwork:
    """Wrap any undirected ``nx.Graph`` as a :class:`PersonNetwork` (missing weights = 1)."""
    nodes = list(P.nodes)
    if groups is None:
        groups = {v: P.nodes[v].get("group") for v in nodes}
    A = nx.to_scipy_sparse_array(P, nodelist=nodes, weight=weight, format="csr")
    return PersonNetwork(
        nodes=nodes,
        strength=sp.csr_matrix(A, dtype=float),
        group=[None if groups.get(v) is None else str(groups[v]) for v in nodes],
        groups=[[] for _ in nodes],
        names=[str(P.nodes[v].get("name", v)) for v in nodes],
        partition=str(P.graph.get("partition", "")),
    )
