"""Gould-Fernandez brokerage roles, with the definitions of R's ``sna::brokerage``.

Node ``v`` brokers an *open two-path* ``a -> v -> c`` when ``a != c`` and there
is no tie ``a -> c``. With ``g(x)`` the group of ``x`` under the chosen
partition, each open two-path through ``v`` is one of:

==============  =======  ==========================  ===========
role            sna      groups                      structure
==============  =======  ==========================  ===========
coordinator     w_I      g(a) = g(v) = g(c)          A -> A -> A
itinerant       w_O      g(a) = g(c) != g(v)         A -> B -> A
representative  b_IO     g(a) = g(v) != g(c)         A -> A -> B
gatekeeper      b_OI     g(a) != g(v) = g(c)         A -> B -> B
liaison         b_O      g(a), g(v), g(c) all differ A -> B -> C
==============  =======  ==========================  ===========

As in ``sna``, an undirected tie counts in both directions, so on an undirected
network every open triad is counted twice (once each way) and representative
and gatekeeper counts are equal. People whose group is unknown (``None``) take
no part: two-paths through, from or to them are not counted.

``brokerage_roles`` is the reference implementation (a loop over each node's
neighbour pairs); ``brokerage_matrix`` computes the same counts from sparse
matrices: with ``I`` = in-ties, ``O`` = out-ties of each node split by whether
the alter shares the node's group, the counts of all two-paths follow from
per-group neighbour counts, and the closed ones (``a -> c`` present) are the
row sums of ``(I_x @ A_y) * O_z`` for the matching within/between parts.

Reference: Gould, R. V. & Fernandez, R. M. (1989). Structures of mediation: a
formal approach to brokerage in transaction networks. Sociological
Methodology 19, 89-126. Butts, C. T. sna: ``brokerage`` (R package).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

ROLES = ("coordinator", "itinerant", "representative", "gatekeeper", "liaison")
#: The role names used by ``sna::brokerage``.
SNA_NAMES = {"coordinator": "w_I", "itinerant": "w_O", "representative": "b_IO",
             "gatekeeper": "b_OI", "liaison": "b_O"}


def classify(ga: Any, gv: Any, gc: Any) -> str:
    """The role of broker ``v`` on the two-path ``a -> v -> c`` from the three groups.

    >>> classify("A", "B", "A"), classify("A", "A", "B"), classify("A", "B", "B")
    ('itinerant', 'representative', 'gatekeeper')
    """
    if ga == gv == gc:
        return "coordinator"
    if ga == gc:
        return "itinerant"
    if ga == gv:
        return "representative"
    if gv == gc:
        return "gatekeeper"
    return "liaison"


def brokerage_roles(G: nx.Graph | nx.DiGraph, groups: dict[Any, Any],
                    nodes: list[Any] | None = None) -> dict[Any, dict[str, int]]:
    """Count each node's open two-paths by Gould-Fernandez role (reference implementation).

    ``groups`` maps a node to its group; nodes missing from it or mapped to
    ``None`` take no part. Undirected graphs count each tie both ways (as sna).
    ``nodes`` restricts the brokers counted (default: all).

    Worked example (directed, groups ``a, b: X``; ``c, d: Y``): ties
    ``a->b, b->c, c->d, a->c``. Open two-paths: ``b->c->d`` (``a->c->d``
    too). ``b->c->d``: g(b)=X, g(c)=Y, g(d)=Y -> gatekeeper for ``c``;
    ``a->c->d`` likewise; ``a->b->c`` is closed (``a->c``).

    >>> D = nx.DiGraph([("a", "b"), ("b", "c"), ("c", "d"), ("a", "c")])
    >>> brokerage_roles(D, {"a": "X", "b": "X", "c": "Y", "d": "Y"})["c"]["gatekeeper"]
    2
    """
    directed = G.is_directed()
    brokers = list(G) if nodes is None else list(nodes)
    out: dict[Any, dict[str, int]] = {v: dict.fromkeys(ROLES, 0) for v in brokers}

    def succ(x: Any) -> set[Any]:
        return set(G.successors(x)) if directed else set(G.neighbors(x))

    def pred(x: Any) -> set[Any]:
        return set(G.predecessors(x)) if directed else set(G.neighbors(x))

    for v in brokers:
        gv = groups.get(v)
        if gv is None:
            continue
        outs = [c for c in succ(v) if c != v and groups.get(c) is not None]
        for a in pred(v):
            if a == v or groups.get(a) is None:
                continue
            a_succ = succ(a)
            for c in outs:
                if c == a or c in a_succ:
                    continue
                out[v][classify(groups[a], gv, groups[c])] += 1
    return out


def _masked_rowsum(X: sp.csr_matrix, Y: sp.csr_matrix, mask: sp.csr_matrix,
                   block: int = 4096) -> np.ndarray:
    """Row sums of ``(X @ Y) * mask`` computed in row blocks to bound memory."""
    n = X.shape[0]
    out = np.zeros(n)
    for start in range(0, n, block):
        stop = min(n, start + block)
        prod = (X[start:stop] @ Y).multiply(mask[start:stop])
        out[start:stop] = np.asarray(prod.sum(axis=1)).ravel()
    return out


def brokerage_matrix(A: sp.csr_matrix, group: list[Any]) -> dict[str, np.ndarray]:
    """The counts of :func:`brokerage_roles` from an adjacency matrix (vectorised).

    ``A[a, c] != 0`` means a tie ``a -> c`` (symmetric for undirected graphs);
    ``group[i]`` is node ``i``'s group or ``None``.

    >>> A = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> brokerage_matrix(A, ["X", "Y", "X"])["itinerant"].tolist()
    [0.0, 2.0, 0.0]
    """
    n = A.shape[0]
    codes: dict[Any, int] = {}
    g = np.array([-1 if x is None else codes.setdefault(x, len(codes)) for x in group],
                 dtype=np.int64)
    known = g >= 0
    A = sp.csr_matrix(A, dtype=float)
    A.setdiag(0)
    A.eliminate_zeros()
    A.data[:] = 1.0
    keep = sp.diags(known.astype(float))
    A = (keep @ A @ keep).tocsr()
    A.eliminate_zeros()
    n_groups = max(1, len(codes))
    M = sp.csr_matrix((np.ones(int(known.sum())), (np.flatnonzero(known), g[known])),
                      shape=(n, n_groups))
    In = A.T.tocsr()
    Out = A
    in_s = (In @ M).toarray()
    out_s = (Out @ M).toarray()
    own = np.where(known, g, 0)
    rows = np.arange(n)
    in_own = in_s[rows, own] * known
    out_own = out_s[rows, own] * known
    in_tot = in_s.sum(axis=1)
    out_tot = out_s.sum(axis=1)
    mutual = In.multiply(Out).tocsr()  # a with a -> v and v -> a (the a = c pairs)
    mutual_s = (mutual @ M).toarray()
    mutual_own = mutual_s[rows, own] * known
    mutual_other = mutual_s.sum(axis=1) - mutual_own
    same_pairs = (in_s * out_s).sum(axis=1)
    all_counts = {
        "coordinator": in_own * out_own - mutual_own,
        "itinerant": same_pairs - in_own * out_own - mutual_other,
        "representative": in_own * (out_tot - out_own),
        "gatekeeper": (in_tot - in_own) * out_own,
        "liaison": (in_tot - in_own) * (out_tot - out_own) - (same_pairs - in_own * out_own),
    }
    def part(M_: sp.csr_matrix) -> tuple[sp.csr_matrix, sp.csr_matrix]:
        c = M_.tocoo()
        mask = g[c.row] == g[c.col]
        W = sp.csr_matrix((c.data[mask], (c.row[mask], c.col[mask])), shape=(n, n))
        B = sp.csr_matrix((c.data[~mask], (c.row[~mask], c.col[~mask])), shape=(n, n))
        return W, B

    In_w, In_b = part(In)
    Out_w, Out_b = part(Out)
    A_w, A_b = part(A)
    closed = {
        "coordinator": _masked_rowsum(In_w, A_w, Out_w),
        "itinerant": _masked_rowsum(In_b, A_w, Out_b),
        "representative": _masked_rowsum(In_w, A_b, Out_b),
        "gatekeeper": _masked_rowsum(In_b, A_b, Out_w),
        "liaison": _masked_rowsum(In_b, A_b, Out_b),
    }
    return {role: np.where(known, all_counts[role] - closed[role], 0.0) for role in ROLES}
