"""The participation coefficient of each person across the chosen partition.

.. math::

   P_i = 1 - \\sum_s \\left(\\frac{\\kappa_{is}}{\\kappa_i}\\right)^2

where :math:`\\kappa_{is}` is the summed ``strength`` of ``i``'s ties to people
in group ``s`` and :math:`\\kappa_i = \\sum_s \\kappa_{is}`. ``P_i`` is 0 when all
of a person's ties lead into one group and approaches ``1 - 1/S`` when they are
spread evenly over ``S`` groups. Ties to people with an unknown group are left
out; a person with no counted tie gets ``nan``.

Reference: Guimerà, R. & Amaral, L. A. N. (2005). Functional cartography of
complex metabolic networks. Nature 433, 895-900.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp


def participation_coefficient(
    P: nx.Graph, groups: dict[Any, Any], weight: str = "strength"
) -> dict[Any, float]:
    """Participation coefficient of every node of ``P`` across ``groups``.

    Worked example: ``v`` tied to ``a`` (group X) and ``b``, ``c`` (group Y),
    unit strengths: :math:`P_v = 1 - (1/3)^2 - (2/3)^2 = 4/9`.

    >>> P = nx.Graph([("v", "a"), ("v", "b"), ("v", "c")])
    >>> g = {"v": "X", "a": "X", "b": "Y", "c": "Y"}
    >>> round(participation_coefficient(P, g)["v"], 6)
    0.444444
    """
    nodes = list(P.nodes)
    W = nx.to_scipy_sparse_array(P, nodelist=nodes, weight=weight, format="csr")
    values = participation_matrix(sp.csr_matrix(W), [groups.get(v) for v in nodes])
    return dict(zip(nodes, values.tolist(), strict=True))


def participation_matrix(W: sp.csr_matrix, group: list[Any]) -> np.ndarray:
    """Participation coefficient from a strength matrix and a group per row."""
    n = W.shape[0]
    codes: dict[Any, int] = {}
    g = np.array([-1 if x is None else codes.setdefault(x, len(codes)) for x in group],
                 dtype=np.int64)
    known = np.flatnonzero(g >= 0)
    M = sp.csr_matrix((np.ones(len(known)), (known, g[known])), shape=(n, max(1, len(codes))))
    W = sp.csr_matrix(W, dtype=float)
    W.setdiag(0)
    W.eliminate_zeros()
    K = sp.csr_matrix(W @ M)
    total = np.asarray(K.sum(axis=1)).ravel()
    K.data **= 2
    sq = np.asarray(K.sum(axis=1)).ravel()
    out = np.full(n, np.nan)
    ok = total > 0
    out[ok] = 1.0 - sq[ok] / total[ok] ** 2
    return out
