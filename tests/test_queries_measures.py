"""The measures on small graphs whose answers are worked out by hand (in the comments)."""

from __future__ import annotations

import doctest
import importlib
import math
import random

import networkx as nx
import numpy as np
import pytest

from actorgraph.queries.brokerage import brokerage_matrix, brokerage_roles
from actorgraph.queries.centrality import betweenness
from actorgraph.queries.network import (
    NetworkSettings,
    affiliation_graph,
    build_person_network,
    person_groups,
    person_network,
    projection_matrix,
)
from actorgraph.queries.participation import participation_coefficient
from actorgraph.queries.spanners import combined_score, explain_spanner, spanner_table
from actorgraph.queries.structuralholes import constraint, effective_size
from tests.test_queries_graphs import TEXT, scenario_graph

BACKENDS = ("networkx", "rustworkx")
MODULES = ["network", "centrality", "brokerage", "structuralholes", "participation", "spanners",
           "transfers", "spread", "search"]


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name: str) -> None:
    module = importlib.import_module(f"actorgraph.queries.{name}")
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


@pytest.mark.parametrize("backend", BACKENDS)
def test_betweenness_path_and_star(backend: str) -> None:
    # Path a-b-c-d: 3 pairs not involving b ({a,c},{a,d},{c,d}); b lies on {a,c} and {a,d}:
    # 2/3. Same for c. Star with centre s and leaves x, y, z: s on all 3 leaf pairs: 1.
    path = betweenness(nx.path_graph(["a", "b", "c", "d"]), backend=backend)
    assert path == pytest.approx({"a": 0.0, "b": 2 / 3, "c": 2 / 3, "d": 0.0})
    star = betweenness(nx.star_graph(["s", "x", "y", "z"]), backend=backend)
    assert star == pytest.approx({"s": 1.0, "x": 0.0, "y": 0.0, "z": 0.0})


def test_sampled_betweenness_matches_networkx_and_backends_agree() -> None:
    G = nx.connected_watts_strogatz_graph(120, 6, 0.2, seed=3)
    G.add_node(999)  # an isolated node must not break sampling
    reference = nx.betweenness_centrality(G, k=30, seed=42)  # networkx >= 3.5 scaling
    for backend in BACKENDS:
        sampled = betweenness(G, backend=backend, exact_max_nodes=50, k=30, seed=42)
        assert sampled == pytest.approx(reference, abs=1e-12)
    exact = betweenness(G, backend="rustworkx")
    assert exact == pytest.approx(nx.betweenness_centrality(G), abs=1e-12)
    # the sampled estimate ranks nodes like the exact value
    nodes = list(G)
    rho = np.corrcoef(np.argsort(np.argsort([exact[v] for v in nodes])),
                      np.argsort(np.argsort([reference[v] for v in nodes])))[0, 1]
    assert rho > 0.8


def test_rustworkx_backend_refuses_weights() -> None:
    with pytest.raises(ValueError, match="hops"):
        betweenness(nx.path_graph(3), backend="rustworkx", weight="distance")


def _sna_example() -> tuple[nx.DiGraph, dict[str, str]]:
    groups = {"a1": "A", "a2": "A", "v": "A", "b1": "B", "b2": "B", "c1": "C"}
    D = nx.DiGraph([("a1", "v"), ("b1", "v"), ("v", "a2"), ("v", "b2"), ("v", "c1"),
                    ("b1", "c1")])
    return D, groups


def test_brokerage_worked_example_directed() -> None:
    # sna::brokerage definitions. v's two-paths x -> v -> y, x in {a1, b1}, y in {a2, b2, c1}:
    #   a1 v a2: A A A coordinator (w_I)      a1 v b2: A A B representative (b_IO)
    #   a1 v c1: A A C representative          b1 v a2: B A A gatekeeper (b_OI)
    #   b1 v b2: B A B itinerant (w_O)         b1 v c1: closed by b1 -> c1, not counted
    # Nobody else has both an in- and an out-tie, so all other counts are 0.
    D, groups = _sna_example()
    expected = {"coordinator": 1, "itinerant": 1, "representative": 2, "gatekeeper": 1,
                "liaison": 0}
    ref = brokerage_roles(D, groups)
    assert ref["v"] == expected
    assert all(sum(ref[x].values()) == 0 for x in D if x != "v")
    nodes = list(D)
    fast = brokerage_matrix(nx.to_scipy_sparse_array(D, nodelist=nodes, format="csr"),
                            [groups[x] for x in nodes])
    assert {r: int(fast[r][nodes.index("v")]) for r in expected} == expected


def test_brokerage_worked_example_undirected() -> None:
    # Undirected, each tie counts both ways (sna on a symmetric matrix). v's neighbours
    # a1, a2 (A), b1, b2 (B), c1 (C); only b1-c1 are tied. 20 ordered pairs minus the 2
    # closed ones = 18: coordinator (a1,a2),(a2,a1) = 2; itinerant (b1,b2),(b2,b1) = 2;
    # representative: A x {b1,b2,c1} = 6; gatekeeper: the reverse = 6; liaison (b2,c1),(c1,b2)
    # = 2 (b1-c1 closed).
    D, groups = _sna_example()
    U = D.to_undirected()
    roles = brokerage_roles(U, groups)["v"]
    assert roles == {"coordinator": 2, "itinerant": 2, "representative": 6, "gatekeeper": 6,
                     "liaison": 2}


@pytest.mark.parametrize("directed", [True, False])
def test_brokerage_fast_equals_reference_on_random_graphs(directed: bool) -> None:
    for seed in range(4):
        G = nx.gnp_random_graph(45, 0.12, seed=seed, directed=directed)
        rng = random.Random(seed)
        groups = {v: rng.choice(["A", "B", "C", None]) for v in G}
        ref = brokerage_roles(G, groups)
        nodes = list(G)
        fast = brokerage_matrix(nx.to_scipy_sparse_array(G, nodelist=nodes, format="csr"),
                                [groups[v] for v in nodes])
        for i, v in enumerate(nodes):
            assert {r: int(fast[r][i]) for r in ref[v]} == ref[v]
        assert sum(sum(r.values()) for r in ref.values()) > 0


def _triangle() -> nx.Graph:
    P = nx.Graph()
    P.add_edge("i", "j", strength=2.0, distance=0.5)
    P.add_edge("i", "k", strength=1.0, distance=1.0)
    P.add_edge("j", "k", strength=1.0, distance=1.0)
    return P


@pytest.mark.parametrize("backend", BACKENDS)
def test_constraint_weighted_by_hand(backend: str) -> None:
    # p_ij = 2/3, p_ik = 1/3; p_jk = 1/3 (j: 2 to i, 1 to k); p_kj = 1/2 (k: 1 and 1).
    # C_i = (2/3 + 1/3 * 1/2)^2 + (1/3 + 2/3 * 1/3)^2 = (5/6)^2 + (5/9)^2 = 325/324.
    c = constraint(_triangle(), weight="strength", backend=backend)
    assert c["i"] == pytest.approx(325 / 324)
    # Fed the distance instead (the trap), the answer changes: never use one attribute for both.
    assert constraint(_triangle(), weight="distance", backend=backend)["i"] != pytest.approx(
        325 / 324)


@pytest.mark.parametrize("backend", BACKENDS)
def test_effective_size_weighted_by_hand(backend: str) -> None:
    # m_jk = w_jk / max_j = 1/2, m_kj = 1/1 = 1.
    # E_i = (1 - p_ik m_jk) + (1 - p_ij m_kj) = (1 - 1/6) + (1 - 2/3) = 7/6.
    e = effective_size(_triangle(), weight="strength", backend=backend)
    assert e["i"] == pytest.approx(7 / 6)
    ref = nx.effective_size(_triangle(), nodes=["i", "j", "k"], weight="strength")
    assert e == pytest.approx(ref)


@pytest.mark.parametrize("backend", BACKENDS)
def test_structural_holes_isolates_are_nan(backend: str) -> None:
    P = _triangle()
    P.add_node("alone")
    assert math.isnan(constraint(P, backend=backend)["alone"])
    assert math.isnan(effective_size(P, backend=backend)["alone"])


def test_participation_by_hand() -> None:
    # v: a (X, strength 2), b and c (Y, 1 each): kappa = 4, kappa_X = kappa_Y = 2
    # P_v = 1 - (2/4)^2 - (2/4)^2 = 0.5. d has no group: its tie is left out.
    P = nx.Graph()
    P.add_edge("v", "a", strength=2.0)
    P.add_edge("v", "b", strength=1.0)
    P.add_edge("v", "c", strength=1.0)
    P.add_edge("v", "d", strength=5.0)
    P.add_node("alone")
    groups = {"v": "X", "a": "X", "b": "Y", "c": "Y", "d": None, "alone": "X"}
    pc = participation_coefficient(P, groups)
    assert pc["v"] == pytest.approx(0.5)
    assert pc["a"] == pytest.approx(0.0)  # a's only tie is to X
    assert math.isnan(pc["alone"])


def _affiliation_graph() -> nx.MultiDiGraph:
    G = nx.MultiDiGraph()
    for p in "abcd":
        G.add_node(p, label="Person", name=p.upper())
    G.add_node("X", label="Organisation", org_type="CCG", sector="NHS")
    G.add_node("Y", label="Organisation", org_type="LOCAL_AUTHORITY", sector="LOCAL_GOVERNMENT")
    G.add_node("R", label="Role", name="chair")
    for p in "abc":
        G.add_edge(p, "X", type="MEMBER_OF", evidence=[])
    G.add_edge("a", "Y", type="MEMBER_OF", evidence=[{"doc": "d", "start": 0, "end": 1,
                                                        "text": "x"}] * 1)
    G.add_edge("d", "Y", type="MEMBER_OF", evidence=[])
    G.add_edge("b", "R", type="HOLDS")
    G.add_edge("c", "R", type="HOLDS")
    G.add_edge("d", "c", type="PARTNER_OF")
    return G


def test_person_network_weights_by_hand() -> None:
    # X has a, b, c: each pair 1/(3-1) = 0.5. Y has a, d: 1/(2-1) = 1.
    # Role R held by b and c: 0.5 / (2-1) = 0.5, so b-c = 1.0. Direct tie d-c: 1.0.
    P = person_network(_affiliation_graph(), "sector")
    strength = {tuple(sorted(e)): d["strength"] for *e, d in P.edges(data=True)}
    assert strength == pytest.approx({("a", "b"): 0.5, ("a", "c"): 0.5, ("b", "c"): 1.0,
                                      ("a", "d"): 1.0, ("c", "d"): 1.0})
    for _, _, d in P.edges(data=True):
        assert d["distance"] == pytest.approx(1 / d["strength"])
    # a is in X (NHS, no evidence: counts 1) and Y (LOCAL_GOVERNMENT, one sentence: 1):
    # a tie, broken by the smallest name, LOCAL_GOVERNMENT.
    groups = person_groups(_affiliation_graph(), "sector")
    assert groups["a"] == {"group": "LOCAL_GOVERNMENT", "groups": ["LOCAL_GOVERNMENT", "NHS"]}
    assert groups["d"]["group"] == "LOCAL_GOVERNMENT"


def test_network_settings_switch_tie_kinds_off() -> None:
    s = NetworkSettings(shared_role=False, direct_ties=False)
    P = person_network(_affiliation_graph(), "sector", s)
    assert not P.has_edge("c", "d")
    assert P["b"]["c"]["strength"] == pytest.approx(0.5)


def test_projection_is_capped_for_large_groups() -> None:
    # 60 members with a cap of 50: not a clique of 1770 ties; each member draws 10 others.
    s = NetworkSettings(max_group_size=50, large_group_degree=10)
    S = projection_matrix(60, {"big": list(range(60))}, 1.0, s)
    n_ties = S.nnz // 2
    assert 300 <= n_ties <= 600 < 60 * 59 // 2
    assert np.allclose(S.data, 1 / 59)
    degrees = np.diff(S.indptr)
    assert degrees.min() >= 10
    S2 = projection_matrix(60, {"big": list(range(60))}, 1.0, s)
    assert (S != S2).nnz == 0  # fixed seed: the same draw every time


def test_two_mode_graph() -> None:
    B = affiliation_graph(_affiliation_graph())
    assert {n for n, d in B.nodes(data=True) if d["bipartite"] == 1} == {"X", "Y"}
    assert B["a"]["Y"]["weight"] == 1 and B.degree("a") == 2
    net = build_person_network(_affiliation_graph(), "sector")
    # two-mode graph: 4 people + X, Y + role R (held by two people); d-c direct tie kept
    assert net.extra_nodes == ["X", "Y", "R"]
    T = net.two_mode_networkx()
    assert sorted(T.edges("c")) == [("c", "R"), ("c", "X"), ("c", "d")]


def test_spanner_table_backends_agree_on_random_affiliations() -> None:
    rng = random.Random(5)
    G = nx.MultiDiGraph()
    types = ["CCG", "PCN", "CARE_HOME", "LOCAL_AUTHORITY"]
    for o in range(12):
        G.add_node(f"O{o}", label="Organisation", org_type=types[o % 4], name=f"O{o}")
    for p in range(80):
        G.add_node(f"P{p}", label="Person", name=f"P{p}")
        for o in rng.sample(range(12), rng.choice([1, 1, 1, 2, 3])):
            G.add_edge(f"P{p}", f"O{o}", type="MEMBER_OF")
    a = spanner_table(G, "org_type", backend="networkx")
    b = spanner_table(G, "org_type", backend="rustworkx")
    assert [r["id"] for r in a] == [r["id"] for r in b]
    for x, y in zip(a, b, strict=True):
        for key, value in x.items():
            if isinstance(value, float):
                assert y[key] == pytest.approx(value, abs=1e-9), key
            else:
                assert y[key] == value, key


def test_spanner_ranks_the_bridge_first_and_explains_it() -> None:
    G = scenario_graph()
    rows = spanner_table(G, "org_type")
    # S1R04 holds roles in the Vanguard site and the ICS, is a member at Site 2 and has a
    # direct tie to the care-home manager: the only person reaching three organisation types.
    assert rows[0]["name"] == "S1R04"
    assert rows[0]["groups"] == ["ICS", "SITE", "VANGUARD"]
    assert rows[0]["groups_spanned"] == 3
    explanation = explain_spanner(G, "Person:s1r04", "org_type")
    boundary = {b["to_group"]: b for b in explanation["boundaries"]}
    assert "CARE_HOME" in boundary  # through the direct tie to S1R07
    tie = boundary["CARE_HOME"]["ties"][0]
    assert tie["name"] == "S1R07" and tie["through"]["kind"] == "direct"
    for ev in tie["evidence"]:
        assert TEXT[ev["start"]:ev["end"]] == ev["text"]
    via = {g["group"]: g["via"] for g in explanation["groups"]}
    assert via["ICS"][0]["role_name"] == "ICS director of integration"
    with pytest.raises(KeyError, match="not a Person"):
        explain_spanner(G, "Organisation:ics")


def test_combined_score_weights() -> None:
    m = {"betweenness": np.array([0.0, 0.5, 1.0]), "constraint": np.array([0.1, 0.5, 0.9])}
    # betweenness ranks 0, .5, 1; constraint reversed ranks 1, .5, 0
    assert combined_score(m, {"betweenness": 1.0}).tolist() == [0.0, 0.5, 1.0]
    assert combined_score(m, {"betweenness": 3.0, "constraint": 1.0}).tolist() == \
        pytest.approx([0.25, 0.5, 0.75])
    with pytest.raises(ValueError, match="unknown measure"):
        combined_score(m, {"fame": 1.0})


def test_unknown_partition_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown partition 'colour'"):
        spanner_table(scenario_graph(), "colour")
