"""Betweenness centrality on the person network: exact, or sampled above a size threshold.

.. math::

   c_B(v) = \\frac{2}{(n-1)(n-2)} \\sum_{\\{s,t\\}: s \\ne v \\ne t}
            \\frac{\\sigma(s,t \\mid v)}{\\sigma(s,t)}

with :math:`\\sigma(s,t)` the number of shortest s-t paths and
:math:`\\sigma(s,t \\mid v)` those through ``v`` (Brandes 2001). Above
``exact_max_nodes`` nodes the sum over sources is estimated from ``k`` source
nodes drawn with a fixed seed (Brandes & Pich 2007), scaled by ``n / k``
(``n / (k-1)`` for a sampled source, which cannot count itself).

Normalisation happens in one place, :func:`normalise_betweenness`: every
backend first returns the unnormalised, full-scale value (unordered pairs), so
backends agree and sampled values are on the same scale as exact ones. This
needs networkx >= 3.5, whose sampled betweenness was mis-scaled before.

Backends: ``networkx`` (reference; can read a ``distance`` attribute as edge
length) and ``rustworkx`` (exact betweenness in Rust, in parallel; rustworkx has
no sampled variant, so the sampled estimate is a vectorised Brandes over the
sampled sources with ``scipy.sparse``, counting hops). The fast backend counts
hops only; ``weight`` must then be ``None``.

References: Brandes, U. (2001). A faster algorithm for betweenness centrality.
J. Math. Sociology 25(2), 163-177. Brandes, U. & Pich, C. (2007). Centrality
estimation in large networks. Int. J. Bifurcation and Chaos 17(7), 2303-2318.
"""

from __future__ import annotations

import random
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

_NX_MIN = (3, 5)


def _check_networkx() -> None:
    parts = tuple(int(x) for x in nx.__version__.split(".")[:2] if x.isdigit())
    if parts < _NX_MIN:
        raise RuntimeError(
            f"networkx {nx.__version__} mis-scales sampled betweenness: install networkx>=3.5"
        )


def sample_sources(nodes: list[Any], k: int | None, seed: int) -> list[Any] | None:
    """The sampled source nodes (``None`` = all): the same draw as networkx's ``k``/``seed``."""
    if k is None or k >= len(nodes):
        return None
    return random.Random(seed).sample(list(nodes), k)


def normalise_betweenness(values: dict[Any, float], n: int) -> dict[Any, float]:
    """Divide full-scale undirected betweenness by the number of pairs ``(n-1)(n-2)/2``.

    >>> normalise_betweenness({"b": 1.0}, 3)
    {'b': 1.0}
    """
    if n <= 2:
        return {v: 0.0 for v in values}
    scale = 2.0 / ((n - 1) * (n - 2))
    return {v: x * scale for v, x in values.items()}


def _rescale_sampled(raw: np.ndarray, n: int, sources: np.ndarray | None) -> np.ndarray:
    """Ordered-pair sums over (sampled) sources -> full-scale unordered-pair estimate."""
    if sources is None:
        return raw / 2.0
    k = len(sources)
    out = raw * (n - 1) / (k * 2.0)
    if k > 1:
        out[sources] = raw[sources] * (n - 1) / ((k - 1) * 2.0)
    return out


def brandes_sparse(
    A: sp.csr_matrix, sources: np.ndarray | None = None, batch: int = 32
) -> np.ndarray:
    """Hop-count Brandes dependencies summed over ``sources`` (all when ``None``).

    For each source, :func:`scipy.sparse.csgraph.breadth_first_order` (compiled,
    O(edges)) gives the nodes in breadth-first order and each node's BFS parent;
    as parents appear in non-decreasing order, the distance levels are
    contiguous blocks of that order, found with a binary search per level. The
    edges that go one level down form the shortest-path DAG, over which path
    counts (``sigma``) are pushed forward level by level and dependencies
    accumulated backward (Brandes 2001, eq. 6) with ``numpy.bincount`` on each
    level's block only. Returns ordered-pair sums (unscaled). ``batch`` is
    kept for compatibility and unused.

    >>> A = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> brandes_sparse(A).tolist()
    [0.0, 2.0, 0.0]
    """
    from scipy.sparse.csgraph import breadth_first_order

    del batch
    n = A.shape[0]
    A = sp.csr_matrix((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)
    row = np.repeat(np.arange(n, dtype=np.int32), np.diff(A.indptr))
    col = A.indices.astype(np.int32)
    off_diagonal = row != col
    row, col = row[off_diagonal], col[off_diagonal]
    src = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    total = np.zeros(n)
    level = np.empty(n, dtype=np.int32)
    pos = np.empty(n, dtype=np.int64)
    for s in src.tolist():
        order, pred = breadth_first_order(A, s, directed=True, return_predecessors=True)
        m = len(order)
        if m <= 2:
            continue
        pos[order] = np.arange(m)
        parent = pos[pred[order[1:]]]  # BFS parents' positions: non-decreasing
        bounds = [0, 1]  # level k = positions bounds[k]:bounds[k + 1]
        while bounds[-1] < m:
            bounds.append(1 + int(np.searchsorted(parent, bounds[-1], side="left")))
        sizes = np.diff(bounds)
        level.fill(-1)
        level[order] = np.repeat(np.arange(len(sizes), dtype=np.int32), sizes)
        lr = level[row]
        down = np.flatnonzero((lr >= 0) & (level[col] == lr + 1))
        lvl = lr[down].astype(np.int16)
        by_level = np.argsort(lvl, kind="stable")
        down = down[by_level]
        pu, pw = pos[row[down]], pos[col[down]]
        eb = [*np.searchsorted(lvl[by_level], np.arange(len(sizes))).tolist(), len(down)]
        sigma = np.zeros(m)
        sigma[0] = 1.0
        for k in range(len(sizes) - 1):
            lo, hi = eb[k], eb[k + 1]
            b0, b1 = bounds[k + 1], bounds[k + 2]
            sigma[b0:b1] = np.bincount(pw[lo:hi] - b0, weights=sigma[pu[lo:hi]],
                                       minlength=b1 - b0)
        delta = np.zeros(m)
        for k in range(len(sizes) - 2, 0, -1):
            lo, hi = eb[k], eb[k + 1]
            u, w = pu[lo:hi], pw[lo:hi]
            b0, b1 = bounds[k], bounds[k + 1]
            delta[b0:b1] += np.bincount(u - b0, weights=sigma[u] / sigma[w] * (1.0 + delta[w]),
                                        minlength=b1 - b0)
        total[order] += delta
    return total


def betweenness(
    P: nx.Graph,
    *,
    backend: str = "networkx",
    exact_max_nodes: int = 5000,
    k: int = 256,
    seed: int = 42,
    weight: str | None = None,
) -> dict[Any, float]:
    """Normalised betweenness of every node of the undirected graph ``P``.

    Exact when ``P`` has at most ``exact_max_nodes`` nodes, else estimated from
    ``k`` sources sampled with ``seed``. ``weight`` names an attribute read as a
    *distance* (e.g. ``"distance"``; networkx backend only); ``None`` counts hops.

    >>> P = nx.path_graph(["a", "b", "c"])
    >>> betweenness(P)
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    >>> betweenness(P, backend="rustworkx")
    {'a': 0.0, 'b': 1.0, 'c': 0.0}
    """
    nodes = list(P.nodes)
    n = len(nodes)
    sampled = sample_sources(nodes, k, seed) if n > exact_max_nodes else None
    if backend == "networkx":
        _check_networkx()
        if sampled is None:
            raw = nx.betweenness_centrality(P, normalized=False, weight=weight)
        else:
            raw = nx.betweenness_centrality(P, k=len(sampled), normalized=False, weight=weight,
                                            seed=seed)
        return normalise_betweenness({v: float(raw[v]) for v in nodes}, n)
    if backend != "rustworkx":
        raise ValueError(f"unknown backend {backend!r}: choose networkx or rustworkx")
    if weight is not None:
        raise ValueError("the rustworkx backend counts hops: use weight=None or backend=networkx")
    index = {v: i for i, v in enumerate(nodes)}
    A = nx.to_scipy_sparse_array(P, nodelist=nodes, weight=None, format="csr")
    values = betweenness_matrix(
        sp.csr_matrix(A), None if sampled is None else np.array([index[s] for s in sampled])
    )
    return normalise_betweenness(dict(zip(nodes, values.tolist(), strict=True)), n)


#: Below this many (sources x stored entries) the sampled Brandes runs in this process.
PARALLEL_MIN_WORK = 50_000_000
_SHARED: dict[str, sp.csr_matrix] = {}


def _brandes_chunk(chunk: np.ndarray) -> np.ndarray:
    return brandes_sparse(_SHARED["A"], chunk)


def _brandes_parallel(A: sp.csr_matrix, sources: np.ndarray,
                      workers: int | None = None) -> np.ndarray:
    """:func:`brandes_sparse` with the sources split over worker processes (fork).

    Used only for large jobs (``PARALLEL_MIN_WORK``) on a machine with more than
    one core and where ``fork`` exists; the sources are cut into fixed
    contiguous chunks and the partial sums added in chunk order, so a run is
    reproducible (chunk sums differ from one serial sum only by rounding).
    """
    import multiprocessing as mp
    import os

    workers = workers or min(len(sources), os.cpu_count() or 1)
    if (workers < 2 or len(sources) * A.nnz < PARALLEL_MIN_WORK
            or "fork" not in mp.get_all_start_methods()):
        return brandes_sparse(A, sources)
    _SHARED["A"] = A
    try:
        with mp.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_brandes_chunk, np.array_split(sources, workers))
    finally:
        _SHARED.pop("A", None)
    total = np.zeros(A.shape[0])
    for part in parts:
        total += part
    return total


def betweenness_matrix(A: sp.csr_matrix, sources: np.ndarray | None) -> np.ndarray:
    """Full-scale (unnormalised, unordered-pair) betweenness from a symmetric adjacency matrix.

    Exact (``sources is None``) with rustworkx; sampled with :func:`brandes_sparse`.
    """
    n = A.shape[0]
    if sources is not None:
        return _rescale_sampled(_brandes_parallel(A, np.asarray(sources)), n, sources)
    import rustworkx as rx

    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    upper = sp.triu(A, k=1).tocoo()
    graph.extend_from_edge_list(list(zip(upper.row.tolist(), upper.col.tolist(), strict=True)))
    result = rx.graph_betweenness_centrality(graph, normalized=False)
    return np.array([result[i] for i in range(n)], dtype=float)
