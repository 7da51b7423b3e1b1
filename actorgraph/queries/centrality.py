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

    For each source, the breadth-first distances come from
    :func:`scipy.sparse.csgraph.shortest_path` (compiled, a batch of sources at
    a time); the edges that go one level down form the shortest-path DAG, over
    which path counts (``sigma``) are pushed forward level by level and
    dependencies accumulated backward (Brandes 2001, eq. 6) with
    ``numpy.bincount``. Returns ordered-pair sums (unscaled).

    >>> A = sp.csr_matrix(np.array([[0, 1, 0], [1, 0, 1], [0, 1, 0]]))
    >>> brandes_sparse(A).tolist()
    [0.0, 2.0, 0.0]
    """
    from scipy.sparse.csgraph import shortest_path

    n = A.shape[0]
    A = sp.csr_matrix((np.ones(A.nnz), A.indices, A.indptr), shape=A.shape)
    coo = A.tocoo()
    row, col = coo.row.astype(np.int64), coo.col.astype(np.int64)
    src = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    total = np.zeros(n)
    for start in range(0, len(src), batch):
        chunk = src[start:start + batch]
        dist = shortest_path(A, method="D", unweighted=True, indices=chunk)
        for b, s in enumerate(chunk):
            d = dist[b]
            dr = d[row]
            down = (d[col] == dr + 1) & np.isfinite(dr)  # unreachable: inf + 1 == inf
            e_row, e_col = row[down], col[down]
            lvl = dr[down].astype(np.int64)
            order = np.argsort(lvl, kind="stable")
            e_row, e_col, lvl = e_row[order], e_col[order], lvl[order]
            bounds = np.searchsorted(lvl, np.arange(lvl[-1] + 2)) if len(lvl) else [0, 0]
            sigma = np.zeros(n)
            sigma[s] = 1.0
            for k in range(len(bounds) - 1):
                lo, hi = bounds[k], bounds[k + 1]
                if hi > lo:
                    sigma += np.bincount(e_col[lo:hi], weights=sigma[e_row[lo:hi]], minlength=n)
            delta = np.zeros(n)
            for k in range(len(bounds) - 2, -1, -1):
                lo, hi = bounds[k], bounds[k + 1]
                if hi > lo:
                    u, w = e_row[lo:hi], e_col[lo:hi]
                    delta += np.bincount(u, weights=sigma[u] / sigma[w] * (1.0 + delta[w]),
                                         minlength=n)
            delta[s] = 0.0
            total += delta
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


def betweenness_matrix(A: sp.csr_matrix, sources: np.ndarray | None) -> np.ndarray:
    """Full-scale (unnormalised, unordered-pair) betweenness from a symmetric adjacency matrix.

    Exact (``sources is None``) with rustworkx; sampled with :func:`brandes_sparse`.
    """
    n = A.shape[0]
    if sources is not None:
        return _rescale_sampled(brandes_sparse(A, sources), n, sources)
    import rustworkx as rx

    graph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(n))
    upper = sp.triu(A, k=1).tocoo()
    graph.extend_from_edge_list(list(zip(upper.row.tolist(), upper.col.tolist(), strict=True)))
    result = rx.graph_betweenness_centrality(graph, normalized=False)
    return np.array([result[i] for i in range(n)], dtype=float)
