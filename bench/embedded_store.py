"""Embedded store speed: resolution + one transaction per document, against raw inserts.

Generates synthetic documents in the genre (sites, CCGs, trusts, councils,
initiatives, anonymised respondents with roles), resolves them and writes them
to a fresh SQLite store, one transaction per document. The baseline, measured
in the same run, inserts the very same resolved rows into bare SQLite tables
in one transaction with no merging: the ratio is what merging, per-document
atomicity and durability cost.

    python bench/embedded_store.py [N_DOCS]     # default 1000
"""

from __future__ import annotations

import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from actorgraph.graph.resolve import Resolver
from actorgraph.graph.sqlite_store import SQLiteStore, _edge_json, _node_json
from actorgraph.records import DocumentExtraction, Entity, Evidence, Relation

PLACES = [f"{a}{b}" for a in ("North ", "South ", "East ", "West ", "")
          for b in ("Leeds", "Bradford", "Wakefield", "Kirklees", "Calderdale", "Sheffield",
                    "Barnsley", "Rotherham", "Doncaster", "Hull", "York", "Harrogate",
                    "Tower Hamlets", "Newham", "Hackney", "Camden", "Islington", "Sutton",
                    "Merton", "Croydon", "Wirral", "Salford", "Stockport", "Bury")]
INITIATIVES = ["care home MDT", "MSK pathway", "social prescribing", "hospital transfer pathway",
               "discharge to assess", "telehealth", "community paramedics", "shared care record",
               "falls prevention service", "frailty hub", "extensive care service",
               "enhanced primary care", "care navigators", "red bag scheme", "virtual ward"]
ROLES = ["programme lead", "clinical lead", "chair", "care home manager", "GP", "director",
         "project manager", "commissioner", "clinical director"]


def synthetic_document(i: int, rng: random.Random) -> DocumentExtraction:
    """One genre-like document with ~25 entities and ~30 relations."""
    doc = f"synthetic_{i:05d}.txt"
    sentences: list[str] = []
    entities: dict[str, Entity] = {}
    relations: list[Relation] = []
    offset = 0

    def say(text: str) -> Evidence:
        nonlocal offset
        start = offset + (1 if sentences else 0)
        sentences.append(text)
        offset = start + len(text)
        return Evidence(doc, start, offset, text)

    def ent(label: str, name: str, ev: Evidence, **props: object) -> str:
        key = f"{label}|{name}"
        if key not in entities:
            entities[key] = Entity(f"e{len(entities) + 1}", label, name, [], dict(props), [],
                                   "synthetic", 0.9)
        entities[key].evidence.append(ev)
        return entities[key].id

    site_no = rng.randint(1, 6)
    ev = say(f"Site {site_no} was a vanguard site.")
    site = ent("Site", f"Site {site_no}", ev, site_code=f"Site {site_no}")
    places = rng.sample(PLACES, 4)
    for place in places:
        kind = rng.choice(["CCG", "NHS Foundation Trust", "Council"])
        ev = say(f"{place} {kind} was a partner of Site {site_no}.")
        org = ent("Organisation", f"{place} {kind}", ev)
        relations.append(Relation("PARTNER_OF", site, org, {}, [ev], "synthetic", 0.7))
    for initiative in rng.sample(INITIATIVES, 3):
        status = rng.choice(["implemented", "continued", "stopped", "planned"])
        ev = say(f"Site {site_no} {status} the {initiative}.")
        ini = ent("Initiative", initiative, ev)
        relations.append(Relation("IMPLEMENTS", site, ini, {"status": status}, [ev],
                                  "synthetic", 0.8))
        target = rng.choice(places)
        ev = say(f"The {initiative} spread to {target}.")
        place = ent("Place", target, ev)
        relations.append(Relation("SPREAD_TO", site, place, {"initiative": ini, "mode": "spread"},
                                  [ev], "synthetic", 0.6))
    for r in range(rng.randint(4, 8)):
        code = f"S{site_no}R{r + 1:02d}"
        role = rng.choice(ROLES)
        org_name = f"{rng.choice(places)} CCG"
        ev = say(f"The {role} at {org_name} ({code}) described the work.")
        person = ent("Person", code, ev, respondent_id=code, anonymised=True)
        role_id = ent("Role", role, ev, title=role)
        org = ent("Organisation", org_name, ev)
        relations.append(Relation("HOLDS", person, role_id, {"tense": "current"}, [ev],
                                  "synthetic", 0.8))
        relations.append(Relation("IN", role_id, org, {}, [ev], "synthetic", 0.8))
    text = " ".join(sentences)
    return DocumentExtraction(doc, f"/synthetic/{doc}", f"{i:064x}", len(text), None,
                              list(entities.values()), relations, {})


def main(n_docs: int = 1000) -> None:
    """Run the benchmark and print the figures."""
    rng = random.Random(42)
    extractions = [synthetic_document(i, rng) for i in range(n_docs)]
    with tempfile.TemporaryDirectory() as tmp:
        store = SQLiteStore(Path(tmp) / "graph.sqlite")
        resolver = Resolver()
        graphs = []
        t0 = time.perf_counter()
        for ex in extractions:
            graph = resolver.resolve(ex)
            resolver.index.add_graph(graph)
            graphs.append(graph)
        t_resolve = time.perf_counter() - t0
        t0, c0 = time.perf_counter(), time.process_time()
        for graph in graphs:
            store.write_document(graph)
        t_store, c_store = time.perf_counter() - t0, time.process_time() - c0
        stats = store.stats()
        t0 = time.perf_counter()
        graph_nx = store.to_networkx()
        t_export = time.perf_counter() - t0
        store.close()

        raw = sqlite3.connect(Path(tmp) / "raw.sqlite")
        raw.execute("CREATE TABLE n (doc TEXT, id TEXT, data TEXT)")
        raw.execute("CREATE TABLE e (doc TEXT, key TEXT, data TEXT)")
        t0, c0 = time.perf_counter(), time.process_time()
        with raw:
            for g in graphs:
                raw.executemany("INSERT INTO n VALUES (?, ?, ?)",
                                [(g.document.doc, n.id, _node_json(n)) for n in g.nodes])
                raw.executemany("INSERT INTO e VALUES (?, ?, ?)",
                                [(g.document.doc, e.key, _edge_json(e)) for e in g.edges])
        t_raw, c_raw = time.perf_counter() - t0, time.process_time() - c0
        raw.close()
    n_contrib = sum(len(g.edges) for g in graphs)
    print(f"documents: {n_docs}; relationship contributions: {n_contrib}; "
          f"merged graph: {graph_nx.number_of_nodes()} nodes, {graph_nx.number_of_edges()} "
          f"relationships ({sum(stats['relationships'].values())} by stats)")
    print(f"resolution: {n_docs / t_resolve:,.0f} docs/s ({t_resolve:.2f} s)")
    print(f"embedded store, one durable transaction per document: {n_docs / t_store:,.0f} docs/s, "
          f"{n_contrib / t_store:,.0f} relationships/s ({t_store:.2f} s wall, "
          f"{c_store:.2f} s CPU)")
    print(f"baseline, raw inserts in one transaction, no merge: {n_contrib / t_raw:,.0f} "
          f"relationships/s ({t_raw:.2f} s wall, {c_raw:.2f} s CPU)")
    print(f"ratio embedded/raw time: {t_store / t_raw:.1f}x wall, {c_store / c_raw:.1f}x CPU")
    print(f"to_networkx: {t_export:.2f} s")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
