"""Burt's constraint and effective size, on the one-mode person network only.

With ``w_ij`` the tie *strength* between ``i`` and ``j`` (the ``strength``
attribute of :func:`actorgraph.queries.network.person_network`, never the
``distance`` betweenness reads), the proportional tie
:math:`p_{ij} = w_{ij} / \\sum_k w_{ik}` and the tie relative to ``j``'s
strongest tie :math:`m_{jq} = w_{jq} / \\max_k w_{jk}`:

.. math::

   C_i = \\sum_{j \\in N(i)} \\Big(p_{ij} + \\sum_{q \\ne i,j} p_{iq} p_{qj}\\Big)^2
   \\qquad
   E_i = \\sum_{j \\in N(i)} \\Big(1 - \\sum_{q \\ne i,j} p_{iq} m_{jq}\\Big)

Low constraint and high effective size mark a person whose contacts are not
tied to each other: a broker across structural holes. Both are undefined for
an isolated person (``nan``). On the raw two-mode person-organisation graph
these measures are meaningless (two people are never tied directly), which is
why they take the person network.

The ``networkx`` backend calls :func:`networkx.constraint` and
:func:`networkx.effective_size` (the reference); the fast backend computes the
same sums with sparse matrices: the indirect term is ``(P @ P)`` restricted to
existing ties, and the redundancy ``(P @ W) / max`` likewise.

Reference: Burt, R. S. (1992). Structural Holes: The Social Structure of
Competition. Harvard University Press, pp. 50-55 (constraint) and 52-54
(effective size).
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from actorgraph.queries.brokerage import _masked_rowsum


def constraint(P: nx.Graph, weight: str = "strength",
               backend: str = "networkx") -> dict[Any, float]:
    """Burt's constraint of each node of the undirected person network ``P``.

    Worked example: a star with centre ``c`` and leaves ``x, y`` (unit
    strengths): :math:`p_{cx} = p_{cy} = 1/2`, no indirect paths, so
    :math:`C_c = (1/2)^2 + (1/2)^2 = 0.5`; a leaf has one contact:
    :math:`C_x = 1`.

    >>> P = nx.Graph([("c", "x"), ("c", "y")])
    >>> constraint(P)
    {'c': 0.5, 'x': 1.0, 'y': 1.0}
    >>> constraint(P, backend="rustworkx")
    {'c': 0.5, 'x': 1.0, 'y': 1.0}
    """
    nodes = list(P.nodes)
    if backend == "networkx":
        values = nx.constraint(P, weight=weight)
        return {v: float(values[v]) for v in nodes}
    W = nx.to_scipy_sparse_array(P, nodelist=nodes, weight=weight, format="csr")
    return dict(zip(nodes, constraint_matrix(sp.csr_matrix(W)).tolist(), strict=True))


def effective_size(P: nx.Graph, weight: str = "strength",
                   backend: str = "networkx") -> dict[Any, float]:
    """Burt's effective size of each node of the undirected person network ``P``.

    Worked example: triangle ``a, b, c`` plus a pendant ``d`` on ``a`` (unit
    strengths). For ``a``: :math:`p_{a\\cdot} = 1/3`, every ``m`` is 1;
    redundancy of ``b`` is :math:`p_{ac} m_{bc} = 1/3`, of ``c`` likewise, of
    ``d`` zero, so :math:`E_a = 3 - 2/3 = 7/3`.

    >>> P = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("a", "d")])
    >>> round(effective_size(P)["a"], 6), round(effective_size(P, backend="rustworkx")["a"], 6)
    (2.333333, 2.333333)
    """
    nodes = list(P.nodes)
    if backend == "networkx":
        return effective_size_python(P, weight)
    W = nx.to_scipy_sparse_array(P, nodelist=nodes, weight=weight, format="csr")
    return dict(zip(nodes, effective_size_matrix(sp.csr_matrix(W)).tolist(), strict=True))


def effective_size_python(P: nx.Graph, weight: str = "strength",
                          nodes: list[Any] | None = None) -> dict[Any, float]:
    """Effective size by Burt's formula in plain Python over an undirected ``nx.Graph``.

    Equal to ``networkx.effective_size(P, nodes=list(P), weight=weight)`` (checked in
    the tests) but O(d^2) per node instead of O(d^3). networkx's all-nodes sparse
    shortcut (3.6) is not used: for weighted graphs it divides by the maximum
    along the wrong axis.
    """
    w = {u: {v: float(d.get(weight, 1.0)) for v, d in P[u].items() if v != u} for u in P}
    total = {u: sum(nb.values()) for u, nb in w.items()}
    peak = {u: max(nb.values(), default=0.0) for u, nb in w.items()}
    out: dict[Any, float] = {}
    for i in (list(P) if nodes is None else nodes):
        nb = w[i]
        if not nb:
            out[i] = float("nan")
            continue
        p_i = {q: x / total[i] for q, x in nb.items()}
        size = 0.0
        for j in nb:
            wj = w[j]
            redundancy = sum(p * wj[q] for q, p in p_i.items() if q in wj) / peak[j]
            size += 1.0 - redundancy
        out[i] = size
    return out


def _proportions(W: sp.csr_matrix) -> tuple[sp.csr_matrix, np.ndarray]:
    W = sp.csr_matrix(W, dtype=float)
    W.setdiag(0)
    W.eliminate_zeros()
    total = np.asarray(W.sum(axis=1)).ravel()
    inv = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    return sp.csr_matrix(sp.diags(inv) @ W), total


def constraint_matrix(W: sp.csr_matrix) -> np.ndarray:
    """Constraint from a symmetric strength matrix (``nan`` for isolated nodes)."""
    Pm, total = _proportions(W)
    n = Pm.shape[0]
    out = np.full(n, np.nan)
    block = 4096
    for start in range(0, n, block):
        stop = min(n, start + block)
        rows = Pm[start:stop]
        indirect = (rows @ Pm).multiply(rows != 0).tocsr()
        summed = (rows + indirect).tocsr()
        summed.data **= 2
        out[start:stop] = np.asarray(summed.sum(axis=1)).ravel()
    out[total == 0] = np.nan
    return out


def effective_size_matrix(W: sp.csr_matrix) -> np.ndarray:
    """Effective size from a symmetric strength matrix (``nan`` for isolated nodes)."""
    Pm, total = _proportions(W)
    W = sp.csr_matrix(W, dtype=float)
    W.setdiag(0)
    W.eliminate_zeros()
    rowmax = np.asarray(W.max(axis=1).toarray()).ravel() if W.nnz else np.zeros(W.shape[0])
    inv_max = np.divide(1.0, rowmax, out=np.zeros_like(rowmax), where=rowmax > 0)
    # redundancy(i, j) = sum_q p_iq * w_qj / max_j, with W symmetric (w_jq = w_qj)
    Mt = sp.csr_matrix(W @ sp.diags(inv_max))
    mask = sp.csr_matrix((np.ones(Pm.nnz), Pm.indices, Pm.indptr), shape=Pm.shape)
    redundancy = _masked_rowsum(Pm, Mt, mask)
    degree = np.diff(mask.indptr).astype(float)
    out = degree - redundancy
    out[total == 0] = np.nan
    return out
