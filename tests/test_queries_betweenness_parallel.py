"""The sampled Brandes split over worker processes gives the serial (and networkx) values."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from actorgraph.queries import centrality


def test_parallel_sampled_brandes_matches_serial_and_networkx(
        monkeypatch: pytest.MonkeyPatch) -> None:
    G = nx.connected_watts_strogatz_graph(200, 6, 0.2, seed=11)
    G.add_edge(200, 201)  # a second component: sources there reach one node only
    nodes = list(G)
    A = sp.csr_matrix(nx.to_scipy_sparse_array(G, nodelist=nodes, format="csr"))
    sources = np.array([0, 7, 50, 120, 199, 200, 33, 81])
    serial = centrality.brandes_sparse(A, sources)
    monkeypatch.setattr(centrality, "PARALLEL_MIN_WORK", 0)
    parallel = centrality._brandes_parallel(A, sources, workers=2)
    assert parallel == pytest.approx(serial, abs=1e-9)
    # networkx's sampled betweenness on the same sources (its "sources" path), ordered pairs
    reference = nx.betweenness_centrality_subset(G, sources=[nodes[s] for s in sources],
                                                 targets=nodes, normalized=False)
    assert parallel * 0.5 == pytest.approx([reference[v] for v in nodes], abs=1e-9)
