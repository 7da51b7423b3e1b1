"""Boundary-spanner analytics speed: networkx vs rustworkx on synthetic graphs.

Usage::

    python bench/analytics_speed.py                      # 1,000 / 10,000 / 100,000 people
    python bench/analytics_speed.py --sizes 1000 10000   # chosen sizes
    python bench/analytics_speed.py --nx-max 10000       # largest size networkx runs in full
    python bench/analytics_speed.py --one 100000 rustworkx full    # one table, JSON line
    python bench/analytics_speed.py --one 100000 rustworkx parts   # its parts timed one by one

For each size it generates one graph in the export form (people holding roles
in organisations of several types, sectors and levels; some people with a
second or third role elsewhere; some direct ties), then times the full
boundary-spanner table (``spanner_table``: person network, betweenness,
brokerage, constraint, effective size, participation, score) with each
backend, each run in its own process so that peak memory (max RSS) is its own.
Above ``--nx-max`` the networkx table is not run in full (it would take hours):
its time is estimated from the same measures on a sample of nodes and
printed as an estimate. It also prints the Spearman rank correlation between
sampled and exact betweenness where exact is feasible.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from typing import Any

import networkx as nx
import numpy as np

ORG_TYPES = [  # (org_type, sector, level, share of organisations)
    ("GP_PRACTICE", "NHS", "neighbourhood", 0.25),
    ("CARE_HOME", "INDEPENDENT", "neighbourhood", 0.2),
    ("PCN", "NHS", "neighbourhood", 0.1),
    ("NHS_TRUST", "NHS", "place", 0.1),
    ("VOLUNTARY", "VOLUNTARY", "place", 0.1),
    ("LOCAL_AUTHORITY", "LOCAL_GOVERNMENT", "place", 0.08),
    ("CCG", "NHS", "place", 0.05),
    ("VANGUARD", "NHS", "place", 0.04),
    ("ICS", "NHS", "system", 0.04),
    ("ACADEMIC", "ACADEMIC", "regional", 0.02),
    ("NATIONAL_BODY", "NATIONAL", "national", 0.02),
]
TITLES = ["manager", "lead", "clinician", "director", "coordinator"]


def synthetic_graph(n_people: int, seed: int = 7) -> nx.MultiDiGraph:
    """An export-form graph with ``n_people`` Person nodes (see the module docstring)."""
    rng = np.random.default_rng(seed)
    prng = random.Random(seed)
    n_orgs = max(10, n_people // 10)
    shares = np.array([t[3] for t in ORG_TYPES])
    types = rng.choice(len(ORG_TYPES), size=n_orgs, p=shares / shares.sum())
    # organisation sizes: lognormal, median ~7, mean ~10, a long tail above the cap of 50
    sizes = np.clip(rng.lognormal(mean=2.0, sigma=0.8, size=n_orgs), 2, 5000)
    weights = sizes / sizes.sum()
    G = nx.MultiDiGraph()
    orgs = [f"Organisation:o{i}" for i in range(n_orgs)]
    G.add_nodes_from(
        (orgs[i], {"label": "Organisation", "name": f"{ORG_TYPES[t][0]} {i}",
                   "org_type": ORG_TYPES[t][0], "sector": ORG_TYPES[t][1],
                   "level": ORG_TYPES[t][2]})
        for i, t in enumerate(types))
    by_type: dict[int, list[int]] = {}
    for i, t in enumerate(types):
        by_type.setdefault(int(t), []).append(i)
    ev = [{"doc": "synthetic.txt", "start": 0, "end": 1, "text": "x"}]
    primary = rng.choice(n_orgs, size=n_people, p=weights)
    nodes, edges = [], []
    roles: set[str] = set()
    for p in range(n_people):
        pid = f"Person:p{p}"
        nodes.append((pid, {"label": "Person", "name": f"P{p}"}))
        affs = [int(primary[p])]
        extra = rng.random()
        n_extra = 2 if extra < 0.03 else 1 if extra < 0.18 else 0
        for _ in range(n_extra):
            if prng.random() < 0.4:  # bridge to another organisation type
                t = prng.choice(list(by_type))
                affs.append(prng.choice(by_type[t]))
            else:
                affs.append(int(rng.choice(n_orgs, p=weights)))
        for k, o in enumerate(affs):
            role = f"Role:{o}/{TITLES[(p + k) % len(TITLES)]}"
            if role not in roles:
                roles.add(role)
                nodes.append((role, {"label": "Role", "name": role}))
                edges.append((role, orgs[o], f"IN|{role}", {"type": "IN", "evidence": ev}))
            edges.append((pid, role, f"HOLDS|{pid}|{role}",
                          {"type": "HOLDS", "tense": "current" if k == 0 else "earlier",
                           "evidence": ev}))
        if prng.random() < 0.2:
            other = f"Person:p{prng.randrange(n_people)}"
            if other != pid:
                edges.append((pid, other, f"PARTNER_OF|{pid}|{other}",
                              {"type": "PARTNER_OF", "evidence": ev}))
    G.add_nodes_from(nodes)
    G.add_edges_from(edges)
    return G


def _cpu_s() -> float:
    """CPU seconds of this process and its finished children (worker processes)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_one(n: int, backend: str, mode: str) -> dict[str, Any]:
    """Run in a child process: build the graph, time the table (or an estimate)."""
    from actorgraph.queries.network import NetworkSettings, build_person_network
    from actorgraph.queries.spanners import compute_measures, spanner_table

    t0 = time.perf_counter()
    G = synthetic_graph(n)
    gen = time.perf_counter() - t0
    out: dict[str, Any] = {"n": n, "backend": backend, "mode": mode, "generate_s": gen}
    if mode == "full":
        t0, c0 = time.perf_counter(), _cpu_s()
        rows = spanner_table(G, "org_type", backend=backend)
        out["table_s"] = time.perf_counter() - t0
        out["table_cpu_s"] = _cpu_s() - c0
        out["rows"] = len(rows)
        net = build_person_network(G, "org_type", NetworkSettings())
        out["edges"] = int(net.strength.nnz // 2)
    elif mode == "parts":
        # the rustworkx table's parts, timed one by one (not a sum of the "full" run)
        from actorgraph.queries.brokerage import brokerage_matrix
        from actorgraph.queries.centrality import betweenness_matrix, sample_sources
        from actorgraph.queries.participation import participation_matrix
        from actorgraph.queries.structuralholes import constraint_matrix, effective_size_matrix

        t0 = time.perf_counter()
        net = build_person_network(G, "org_type", NetworkSettings())
        out["build_s"] = time.perf_counter() - t0
        names = [*net.nodes, *net.extra_nodes]
        sampled = sample_sources(names, 256, 42) if len(names) > 5000 else None
        index = {v: i for i, v in enumerate(names)}
        src = None if sampled is None else np.array([index[s] for s in sampled])
        A = net.strength
        for key, fn in (("betweenness_s", lambda: betweenness_matrix(net.two_mode, src)),
                        ("brokerage_s", lambda: brokerage_matrix(A, net.group)),
                        ("constraint_s", lambda: constraint_matrix(A)),
                        ("effective_size_s", lambda: effective_size_matrix(A)),
                        ("participation_s", lambda: participation_matrix(A, net.group))):
            t0 = time.perf_counter()
            fn()
            out[key] = time.perf_counter() - t0
        out["edges"] = int(net.strength.nnz // 2)
    elif mode == "estimate":
        # networkx on a big graph: time the network build, participation and constraint in
        # full, effective size and brokerage on 1,000 people and betweenness from 8 sources,
        # each scaled by the share of the work sampled.
        from actorgraph.queries.brokerage import brokerage_roles
        from actorgraph.queries.participation import participation_coefficient
        from actorgraph.queries.structuralholes import effective_size_python

        t0 = time.perf_counter()
        net = build_person_network(G, "org_type", NetworkSettings())
        P = net.to_networkx()
        T = net.two_mode_networkx()
        groups = dict(zip(net.nodes, net.group, strict=True))
        participation_coefficient(P, groups)
        nx.constraint(P, weight="strength")  # what the networkx backend runs (vectorised)
        fixed = time.perf_counter() - t0
        nodes = list(P.nodes)
        sample = random.Random(1).sample(nodes, 1000)
        t0 = time.perf_counter()
        effective_size_python(P, "strength", nodes=sample)
        brokerage_roles(P, groups, nodes=sample)
        per_node = (time.perf_counter() - t0) / len(sample)
        t0 = time.perf_counter()
        nx.betweenness_centrality(T, k=8, seed=42)
        per_source = (time.perf_counter() - t0) / 8
        out["table_s"] = fixed + per_node * len(nodes) + per_source * 256
        out["estimated"] = True
        out["edges"] = int(net.strength.nnz // 2)
    elif mode == "accuracy":
        from scipy.stats import spearmanr

        net = build_person_network(G, "org_type", NetworkSettings())
        exact = compute_measures(net, backend="rustworkx", exact_max_nodes=10**9)["betweenness"]
        for k in (64, 256, 1024):
            est = compute_measures(net, backend="rustworkx", exact_max_nodes=0,
                                   sample_size=k)["betweenness"]
            out[f"spearman_k{k}"] = float(spearmanr(exact, est).statistic)
            top = max(1, n // 100)
            ex_top = set(np.argsort(-exact)[:top])
            est_top = set(np.argsort(-est)[:top])
            out[f"top1pct_overlap_k{k}"] = len(ex_top & est_top) / top
    out["peak_mb"] = _peak_mb()
    out["load_avg"] = __import__("os").getloadavg()[0]
    return out


def child(n: int, backend: str, mode: str, timeout: float) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--one", str(n), backend, mode]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"n": n, "backend": backend, "mode": mode, "error": f"timeout {timeout:.0f}s"}
    except subprocess.CalledProcessError as err:
        return {"n": n, "backend": backend, "mode": mode, "error": err.stderr.strip()[-300:]}
    return json.loads(res.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    ap.add_argument("--nx-max", type=int, default=10000)
    ap.add_argument("--accuracy-max", type=int, default=10000)
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--one", nargs=3, metavar=("N", "BACKEND", "MODE"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        print(json.dumps(run_one(int(args.one[0]), args.one[1], args.one[2])))
        return
    import os

    print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"networkx {nx.__version__}; "
          f"rustworkx {__import__('rustworkx').__version__}; numpy {np.__version__}")
    header = (f"{'people':>8} {'ties':>9} {'mean deg':>8} {'networkx s':>12} "
              f"{'rustworkx s':>12} {'ratio':>7} {'nx MB':>7} {'rx MB':>7} {'rx CPU s':>9} "
              f"{'load':>5}")
    print(header)
    results = []
    for n in args.sizes:
        rx_res = child(n, "rustworkx", "full", args.timeout)
        nx_mode = "full" if n <= args.nx_max else "estimate"
        nx_res = child(n, "networkx", nx_mode, args.timeout)
        results.append((rx_res, nx_res))
        if "error" in rx_res or "error" in nx_res:
            print(n, rx_res.get("error"), nx_res.get("error"))
            continue
        ratio = nx_res["table_s"] / rx_res["table_s"]
        est = " (est.)" if nx_res.get("estimated") else ""
        print(f"{n:>8} {rx_res['edges']:>9} {2 * rx_res['edges'] / n:>8.1f} "
              f"{nx_res['table_s']:>12.2f} "
              f"{rx_res['table_s']:>12.2f} {ratio:>7.1f} {nx_res['peak_mb']:>7.0f} "
              f"{rx_res['peak_mb']:>7.0f} {rx_res['table_cpu_s']:>9.1f} "
              f"{rx_res['load_avg']:>5.1f}{est}", flush=True)
    print("\nSampled vs exact betweenness (Spearman rank correlation; top-1% overlap)")
    for n in args.sizes:
        if n > args.accuracy_max:
            print(f"{n:>8}  exact not run (above --accuracy-max)")
            continue
        acc = child(n, "rustworkx", "accuracy", args.timeout)
        if "error" in acc:
            print(n, acc["error"])
            continue
        cells = "  ".join(f"k={k}: {acc[f'spearman_k{k}']:.3f} / "
                          f"{acc[f'top1pct_overlap_k{k}']:.2f}" for k in (64, 256, 1024))
        print(f"{n:>8}  {cells}", flush=True)
    target = [r for r, _ in results if r.get("n") == 100000 and "table_s" in r]
    if target:
        ok = "meets" if target[0]["table_s"] < 60 else "misses"
        print(f"\n100,000-person table with rustworkx: {target[0]['table_s']:.1f} s "
              f"({ok} the one-minute target)")


if __name__ == "__main__":
    main()
