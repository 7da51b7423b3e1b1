"""Web app speed: time to first render of every page, cold and warm cache.

Usage::

    python bench/app_speed.py                        # sample corpus + 10,000 synthetic documents
    python bench/app_speed.py --docs 2000            # a smaller synthetic graph
    python bench/app_speed.py --corpus-home DIR      # reuse an ingested ACTORGRAPH_HOME
    python bench/app_speed.py --skip-corpus          # synthetic graph only
    python bench/app_speed.py --pages 6_Initiative_spread.py   # some pages only

The synthetic store is built once per parameters and kept under
``$TMPDIR/actorgraph-app-bench-cache/`` (``--cache-dir``), keyed by the number of
documents, relationships per document, and a hash of ``actorgraph/synthetic.py`` and
the store schema version; later runs reuse it (``--no-cache`` builds a throw-away one).
Building 10,000 documents takes about 45 minutes on the shared 2-core machine: the
embedded store re-merges a hub node's contributions from every earlier document on
each write, so the build slows as it grows.

Each page is run with ``streamlit.testing.v1.AppTest`` (the script runs in
this process, as it does in the server; no browser). *Cold* clears every
Streamlit cache first (store connection, graph, query results), so it includes
opening the store and loading the graph; *warm* runs the page again with the
caches filled, which is what a user moving between pages sees. Explore is timed
with a search typed in, Entity with the best-connected entity open.

Baseline, measured in the same run: a trivial Streamlit page (a title and a
line of text) under the same harness, i.e. AppTest's own overhead. Targets
(issue 5): every page warm under 1 s on the sample corpus and under 3 s at
10,000 documents.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
APP = REPO / "app"
CORPUS = REPO.parent / "shared" / "corpus"
PAGES = [
    "Home.py",
    "pages/1_Overview.py",
    "pages/2_Explore.py",
    "pages/3_Entity.py",
    "pages/4_Boundary_spanners.py",
    "pages/5_Role_transfers.py",
    "pages/6_Initiative_spread.py",
    "pages/7_Ingest.py",
    "pages/8_Query.py",
    "pages/9_Export.py",
]


def clear_caches() -> None:
    """Forget every st.cache_data and st.cache_resource entry (a cold start)."""
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


#: Seconds after which a page run is abandoned and reported as a timeout.
PAGE_TIMEOUT = float(os.environ.get("APP_BENCH_TIMEOUT", "300"))


def run_page(page: str, state: dict[str, Any], cold: bool) -> float:
    """Seconds for one run of ``page`` (after an untimed run of Home to set up the session).

    A run that takes longer than :data:`PAGE_TIMEOUT` counts as ``inf``.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP / "Home.py"), default_timeout=PAGE_TIMEOUT)
    for key, value in state.items():
        at.session_state[key] = value
    at.run()  # untimed: the first run of a session pays AppTest's set-up
    if page != "Home.py":
        at.switch_page(page)
    if cold:
        clear_caches()
    start = time.perf_counter()
    try:
        at.run()
    except RuntimeError as err:  # AppTest's timeout
        if "timed out" not in str(err):
            raise
        return float("inf")
    took = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    return took


def baseline(repeat: int = 5) -> float:
    """Median seconds of a trivial page under AppTest (second run, as for the pages)."""
    from streamlit.testing.v1 import AppTest

    times = []
    for _ in range(repeat):
        at = AppTest.from_string("import streamlit as st\nst.title('x')\nst.write('y')")
        at.run()
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def page_state(home: Path) -> dict[str, Any]:
    """Session state that makes Explore and Entity show something: the best-connected entity."""
    from actorgraph.graph.sqlite_store import SQLiteStore

    with SQLiteStore(home / "graph.sqlite") as store:
        G = store.to_networkx()
    node = max(
        (n for n, d in G.nodes(data=True) if d.get("label") not in (None, "Document")),
        key=lambda n: (G.degree(n), n),
    )
    return {"explore_query": str(G.nodes[node]["name"]), "entity_id": node}


def time_store(home: Path, label: str, warm_repeat: int = 2) -> dict[str, tuple[float, float]]:
    """``{page: (cold seconds, median warm seconds)}`` for the store in ``home``."""
    os.environ["ACTORGRAPH_HOME"] = str(home)
    os.environ["ACTORGRAPH_STORE"] = "embedded"
    state = page_state(home)
    out = {}
    for page in PAGES:
        cold = run_page(page, state, cold=True)
        if cold == float("inf"):  # not measured warm: the warm runs would wait on the cold one
            warm = float("inf")
        else:
            warm = statistics.median(
                run_page(page, state, cold=False) for _ in range(warm_repeat))
        out[page] = (cold, warm)
        print(f"  {label:>10} {page:<30} cold {cold:7.3f} s   warm {warm:7.3f} s", flush=True)
    return out


def ingest_corpus(home: Path) -> None:
    """The sample corpus, ingested with the real pipeline (as the tests' fixture does)."""
    from actorgraph.graph.ingest import ingest_paths
    from actorgraph.graph.sqlite_store import SQLiteStore

    files = sorted(p for p in CORPUS.iterdir() if p.is_file())
    with SQLiteStore(home / "graph.sqlite") as store:
        summary = ingest_paths(files, store, home=home, progress=False)
    print("  " + "; ".join(summary.lines()))


def build_synthetic(home: Path, n_docs: int, per_doc: int) -> None:
    """Write ``n_docs`` synthetic documents of ``per_doc`` relationships to a fresh store."""
    from actorgraph.graph.sqlite_store import SQLiteStore
    from actorgraph.synthetic import synthetic_document_graphs

    start = time.perf_counter()
    # A throw-away benchmark store: no fsync per document (it is rebuilt if a build dies).
    with SQLiteStore(home / "graph.sqlite", synchronous="OFF") as store:
        graphs = synthetic_document_graphs(n_docs * per_doc, relationships_per_document=per_doc)
        for graph in graphs:
            store.write_document(graph)
        stats = store.stats()
    n_nodes = sum(stats["nodes"].values())
    n_rels = sum(stats["relationships"].values())
    print(f"  wrote {n_docs} documents ({n_nodes} nodes, {n_rels} relationships) "
          f"in {time.perf_counter() - start:.1f} s")


#: Where built synthetic stores are kept between runs (``--cache-dir`` overrides it).
CACHE_DIR = Path(tempfile.gettempdir()) / "actorgraph-app-bench-cache"


def synthetic_key(n_docs: int, per_doc: int) -> str:
    """Folder name of a cached synthetic store: its parameters and what shapes its content.

    The generator's source and the store's schema version are hashed in, so a change to
    either builds a fresh store instead of timing a stale one.
    """
    import hashlib

    import actorgraph.synthetic as synthetic
    from actorgraph.graph.sqlite_store import SCHEMA_VERSION

    h = hashlib.sha256(Path(synthetic.__file__).read_bytes())
    h.update(str(SCHEMA_VERSION).encode())
    return f"synthetic-{n_docs}docs-{per_doc}rels-{h.hexdigest()[:12]}"


def cached_synthetic(cache_dir: Path, n_docs: int, per_doc: int) -> Path:
    """The home of a synthetic store of these parameters, built on first use and then reused.

    A store is built in a scratch folder and renamed into place when complete, so an
    interrupted build is never reused.
    """
    import shutil

    home = cache_dir / synthetic_key(n_docs, per_doc)
    if (home / "graph.sqlite").is_file():
        print(f"reusing the synthetic graph of {n_docs} documents at {home}")
        return home
    cache_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=home.name + ".building-", dir=cache_dir))
    print(f"building a synthetic graph of {n_docs} documents (cached at {home})…")
    try:
        build_synthetic(scratch, n_docs, per_doc)
        scratch.rename(home)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return home


def main() -> None:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--docs", type=int, default=10_000, help="synthetic documents")
    parser.add_argument("--rels-per-doc", type=int, default=40,
                        help="relationships per synthetic document (MENTIONED_IN included)")
    parser.add_argument("--synthetic-home", type=Path, help="reuse a synthetic store's home")
    parser.add_argument("--cache-dir", type=Path, default=CACHE_DIR,
                        help="where built synthetic stores are kept, one per parameters "
                             f"(default {CACHE_DIR})")
    parser.add_argument("--no-cache", action="store_true",
                        help="build the synthetic store afresh in a temporary folder")
    parser.add_argument("--corpus-home", type=Path, help="an ingested ACTORGRAPH_HOME to reuse")
    parser.add_argument("--skip-corpus", action="store_true")
    parser.add_argument("--skip-synthetic", action="store_true")
    parser.add_argument("--pages", nargs="*", help="only these pages (file names)")
    args = parser.parse_args()
    sys.path.insert(0, str(APP))
    if args.pages:
        PAGES[:] = [p for p in PAGES if Path(p).name in args.pages or p in args.pages]
    for name in ("NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"):
        os.environ.pop(name, None)

    base = baseline()
    print(f"baseline (trivial page under AppTest): {base:.3f} s")
    results: dict[str, dict[str, tuple[float, float]]] = {}
    targets: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="actorgraph-app-bench-") as tmp:
        if not args.skip_corpus:
            home = args.corpus_home
            if home is None:
                home = Path(tmp) / "corpus"
                home.mkdir()
                print("ingesting the sample corpus…")
                ingest_corpus(home)
            results["corpus"] = time_store(home, "corpus")
            targets["corpus"] = 1.0
        if not args.skip_synthetic:
            home = args.synthetic_home
            if home is None and args.no_cache:
                home = Path(tmp) / "synthetic"
                home.mkdir()
                print(f"building a synthetic graph of {args.docs} documents…")
                build_synthetic(home, args.docs, args.rels_per_doc)
            elif home is None:
                home = cached_synthetic(args.cache_dir, args.docs, args.rels_per_doc)
            from actorgraph.graph.sqlite_store import SQLiteStore

            with SQLiteStore(home / "graph.sqlite") as store:
                label = f"{len(store.documents())} docs"
            results[label] = time_store(home, label)
            targets[label] = 3.0

    print()
    header = "page".ljust(30) + "".join(
        f"{name + ' cold':>16}{name + ' warm':>16}{'warm/base':>11}" for name in results
    )
    print(header)
    for page in PAGES:
        line = page.ljust(30)
        for name in results:
            cold, warm = results[name][page]
            line += f"{cold:>15.3f}s{warm:>15.3f}s{warm / base:>10.1f}x"
        print(line)
    print()
    for name, per_page in results.items():
        worst_page, (_, worst) = max(per_page.items(), key=lambda kv: kv[1][1])
        verdict = "PASS" if worst < targets[name] else "FAIL"
        print(f"{name}: slowest warm page {worst_page} {worst:.3f} s "
              f"(target < {targets[name]:.0f} s): {verdict}")


if __name__ == "__main__":
    main()
