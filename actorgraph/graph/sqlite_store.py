"""The embedded store: one SQLite file, no server.

Why SQLite (the standard library's ``sqlite3``): it is durable (a committed
transaction survives a crash or a killed process), transactional (each
document is written in one ``BEGIN IMMEDIATE ... COMMIT``, so a document is
wholly in or wholly out, whatever moment the process dies), runs in WAL mode
(readers such as the web app never block the writer), needs nothing installed
and ships with Python. The file is ``<ACTORGRAPH_HOME>/graph.sqlite``.

Durability setting (``[store] sqlite_synchronous``): ``NORMAL`` (default) in WAL
mode never loses or corrupts a committed document when the *process* dies (a
kill, a crash); after a power cut the last few commits may roll back, leaving a
consistent graph that re-running ``ingest`` completes. ``FULL`` also survives
power cuts, at the cost of one fsync per document (about 10x slower here).

Layout: each document's *contribution* (its resolved nodes and edges with its
evidence) is kept in ``node_contrib`` / ``edge_contrib``; the merged view users
see is kept in ``nodes`` / ``edges`` and recomputed, inside the same
transaction, for exactly the ids a write touches, with the shared rules of
:mod:`actorgraph.graph.merge`. Removing a document deletes its contributions
and so every node or edge that had no other evidence.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import networkx as nx

from actorgraph.graph.merge import merge_edges, merge_nodes
from actorgraph.graph.store import DocumentGraph, DocumentRecord, EdgeRecord, NodeRecord
from actorgraph.records import Evidence

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    doc TEXT PRIMARY KEY, path TEXT NOT NULL, sha256 TEXT NOT NULL,
    n_chars INTEGER NOT NULL, title TEXT);
CREATE TABLE IF NOT EXISTS node_contrib (
    doc TEXT NOT NULL, id TEXT NOT NULL, label TEXT NOT NULL, data TEXT NOT NULL,
    PRIMARY KEY (doc, id));
CREATE INDEX IF NOT EXISTS node_contrib_id ON node_contrib (id);
CREATE TABLE IF NOT EXISTS node_evidence (
    id TEXT NOT NULL, doc TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS node_evidence_id ON node_evidence (id, doc, start, "end");
CREATE INDEX IF NOT EXISTS node_evidence_doc ON node_evidence (doc);
CREATE TABLE IF NOT EXISTS edge_contrib (
    doc TEXT NOT NULL, key TEXT NOT NULL, type TEXT NOT NULL, source TEXT NOT NULL,
    target TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (doc, key));
CREATE INDEX IF NOT EXISTS edge_contrib_key ON edge_contrib (key);
CREATE TABLE IF NOT EXISTS edge_evidence (
    key TEXT NOT NULL, doc TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS edge_evidence_key ON edge_evidence (key, doc, start, "end");
CREATE INDEX IF NOT EXISTS edge_evidence_doc ON edge_evidence (doc);
CREATE TABLE IF NOT EXISTS nodes (
    id TEXT PRIMARY KEY, label TEXT NOT NULL, name TEXT NOT NULL, data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS nodes_label ON nodes (label);
CREATE TABLE IF NOT EXISTS edges (
    key TEXT PRIMARY KEY, type TEXT NOT NULL, source TEXT NOT NULL, target TEXT NOT NULL,
    data TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS edges_type ON edges (type);
CREATE INDEX IF NOT EXISTS edges_source ON edges (source);
CREATE INDEX IF NOT EXISTS edges_target ON edges (target);
"""

SCHEMA_VERSION = "2"

_EV_COLS = 'doc, start, "end", text'


def _node_json(node: NodeRecord) -> str:
    """A node's header (everything but evidence) as JSON."""
    return json.dumps({"name": node.name, "aliases": node.aliases, "properties": node.properties},
                      sort_keys=True)


def _node_from(node_id: str, label: str, data: str,
               evidence: list[Evidence] | None = None) -> NodeRecord:
    raw = json.loads(data)
    return NodeRecord(node_id, label, raw["name"], list(raw["aliases"]), raw["properties"],
                      evidence or [])


def _edge_json(edge: EdgeRecord) -> str:
    """An edge's properties as JSON (evidence is kept in its own table)."""
    return json.dumps({"properties": edge.properties}, sort_keys=True)


def _edge_from(key: str, rel_type: str, source: str, target: str, data: str,
               evidence: list[Evidence] | None = None) -> EdgeRecord:
    return EdgeRecord(key, rel_type, source, target, json.loads(data)["properties"],
                      evidence or [])


def _evidence(rows: list[tuple[Any, ...]]) -> list[Evidence]:
    return sorted({Evidence(str(d), int(s), int(e), str(t)) for d, s, e, t in rows})


def _configured_synchronous() -> str:
    from actorgraph.config import section

    return str(section("store").get("sqlite_synchronous", "NORMAL"))


def node_attributes(node: NodeRecord) -> dict[str, Any]:
    """A node's attributes in the export form (docs/architecture.md)."""
    reserved = ("id", "label", "name", "aliases", "evidence")
    attrs = {k: v for k, v in node.properties.items() if k not in reserved}
    attrs.update(label=node.label, name=node.name, aliases=sorted(node.aliases),
                 evidence=[ev.to_dict() for ev in sorted(node.evidence)])
    return attrs


def edge_attributes(edge: EdgeRecord) -> dict[str, Any]:
    """An edge's attributes in the export form (docs/architecture.md)."""
    reserved = ("key", "source", "target", "type", "evidence")
    attrs = {k: v for k, v in edge.properties.items() if k not in reserved}
    attrs.update(type=edge.type, evidence=[ev.to_dict() for ev in sorted(edge.evidence)])
    return attrs


def records_to_networkx(
    nodes: Iterable[NodeRecord], edges: Iterable[EdgeRecord]
) -> nx.MultiDiGraph:
    """Build the export-form graph from merged records (shared by both stores)."""
    graph = nx.MultiDiGraph()
    for node in nodes:
        graph.add_node(node.id, **node_attributes(node))
    for edge in edges:
        graph.add_edge(edge.source, edge.target, key=edge.key, **edge_attributes(edge))
    return graph


class SQLiteStore:
    """A :class:`~actorgraph.graph.store.GraphStore` in one SQLite file."""

    kind = "embedded"

    def __init__(self, path: str | Path, synchronous: str | None = None) -> None:
        self.path = Path(path)
        sync = (synchronous or _configured_synchronous()).upper()
        if sync not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ValueError(f"[store] sqlite_synchronous: {sync!r} is not OFF/NORMAL/FULL/EXTRA")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, timeout=60,
                                       check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(f"PRAGMA synchronous={sync}")
            self._db.executescript(SCHEMA)
            self._db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)",
                             (SCHEMA_VERSION,))
            version = self._db.execute(
                "SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        except sqlite3.DatabaseError as err:
            raise RuntimeError(f"{self.path}: cannot open the embedded store ({err})") from err
        if version != SCHEMA_VERSION:
            self._db.close()
            raise RuntimeError(f"{self.path}: store schema {version}, this version needs "
                               f"{SCHEMA_VERSION}; move the file away and re-ingest")

    def __repr__(self) -> str:
        return f"SQLiteStore({str(self.path)!r})"

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield self._db
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")

    # -- GraphStore ------------------------------------------------------------------------
    def document_status(self, doc: str, sha256: str) -> str:
        """Return ``"new"``, ``"unchanged"`` or ``"changed"`` for a document."""
        row = self._db.execute("SELECT sha256 FROM documents WHERE doc = ?", (doc,)).fetchone()
        if row is None:
            return "new"
        return "unchanged" if row[0] == sha256 else "changed"

    def write_document(self, graph: DocumentGraph) -> dict[str, int]:
        """Replace ``graph.document``'s contribution in one transaction; return counts."""
        doc = graph.document.doc
        with self._transaction() as db:
            counts = self._replace(db, doc, graph)
            d = graph.document
            db.execute("INSERT OR REPLACE INTO documents VALUES (?, ?, ?, ?, ?)",
                       (doc, d.path, d.sha256, d.n_chars, d.title))
        return counts

    def remove_document(self, doc: str) -> bool:
        """Remove a document's evidence and every node or edge left with none."""
        with self._transaction() as db:
            existed = db.execute("SELECT 1 FROM documents WHERE doc = ?", (doc,)).fetchone()
            self._replace(db, doc, None)
            db.execute("DELETE FROM documents WHERE doc = ?", (doc,))
        return existed is not None

    def _replace(self, db: sqlite3.Connection, doc: str,
                 graph: DocumentGraph | None) -> dict[str, int]:
        node_ids = {r[0] for r in db.execute("SELECT id FROM node_contrib WHERE doc = ?", (doc,))}
        edge_keys = {r[0] for r in db.execute("SELECT key FROM edge_contrib WHERE doc = ?",
                                              (doc,))}
        for table in ("node_contrib", "node_evidence", "edge_contrib", "edge_evidence"):
            db.execute(f"DELETE FROM {table} WHERE doc = ?", (doc,))  # noqa: S608 (fixed names)
        if graph is not None:
            db.executemany("INSERT INTO node_contrib VALUES (?, ?, ?, ?)",
                           [(doc, n.id, n.label, _node_json(n)) for n in graph.nodes])
            db.executemany(f"INSERT INTO node_evidence (id, {_EV_COLS}) VALUES (?, ?, ?, ?, ?)",
                           [(n.id, ev.doc, ev.start, ev.end, ev.text)
                            for n in graph.nodes for ev in set(n.evidence)])
            db.executemany("INSERT INTO edge_contrib VALUES (?, ?, ?, ?, ?, ?)",
                           [(doc, e.key, e.type, e.source, e.target, _edge_json(e))
                            for e in graph.edges])
            db.executemany(f"INSERT INTO edge_evidence (key, {_EV_COLS}) VALUES (?, ?, ?, ?, ?)",
                           [(e.key, ev.doc, ev.start, ev.end, ev.text)
                            for e in graph.edges for ev in set(e.evidence)])
            node_ids |= {n.id for n in graph.nodes}
            edge_keys |= {e.key for e in graph.edges}
        counts = dict.fromkeys(("nodes_added", "nodes_removed", "relationships_added",
                                "relationships_removed"), 0)
        ids = sorted(node_ids)
        existing = set(self._select_in(db, "SELECT id FROM nodes WHERE id IN ({})", ids))
        contribs: dict[str, list[tuple[str, str, str]]] = {}
        for node_id, doc_, label, data in self._select_in(
                db, "SELECT id, doc, label, data FROM node_contrib WHERE id IN ({})", ids):
            contribs.setdefault(node_id, []).append((doc_, label, data))
        upserts, deletes = [], []
        for node_id in ids:
            rows = sorted(contribs.get(node_id, []))
            if rows:
                merged = merge_nodes([_node_from(node_id, label, data) for _, label, data in rows],
                                     docs=[r[0] for r in rows])
                upserts.append((node_id, merged.label, merged.name, _node_json(merged)))
                counts["nodes_added"] += node_id not in existing
            elif node_id in existing:
                deletes.append((node_id,))
                counts["nodes_removed"] += 1
        db.executemany("INSERT OR REPLACE INTO nodes VALUES (?, ?, ?, ?)", upserts)
        db.executemany("DELETE FROM nodes WHERE id = ?", deletes)
        keys = sorted(edge_keys)
        existing = set(self._select_in(db, "SELECT key FROM edges WHERE key IN ({})", keys))
        econtribs: dict[str, list[tuple[str, ...]]] = {}
        for key, *row in self._select_in(
                db, "SELECT key, doc, type, source, target, data FROM edge_contrib "
                    "WHERE key IN ({})", keys):
            econtribs.setdefault(key, []).append(tuple(row))
        upserts, deletes = [], []
        for key in keys:
            rows = sorted(econtribs.get(key, []))
            if rows:
                merged = merge_edges([_edge_from(key, *r[1:]) for r in rows],
                                     docs=[r[0] for r in rows])
                upserts.append((key, merged.type, merged.source, merged.target,
                                _edge_json(merged)))
                counts["relationships_added"] += key not in existing
            elif key in existing:
                deletes.append((key,))
                counts["relationships_removed"] += 1
        db.executemany("INSERT OR REPLACE INTO edges VALUES (?, ?, ?, ?, ?)", upserts)
        db.executemany("DELETE FROM edges WHERE key = ?", deletes)
        return counts

    @staticmethod
    def _select_in(db: sqlite3.Connection, sql: str, values: list[str]) -> Iterator[Any]:
        """Run ``sql`` (one ``IN ({})`` placeholder list) over ``values`` in chunks."""
        for i in range(0, len(values), 500):
            chunk = values[i:i + 500]
            query = sql.format(", ".join("?" * len(chunk)))
            for row in db.execute(query, chunk):
                yield row[0] if len(row) == 1 else row

    def documents(self) -> list[dict[str, Any]]:
        """List stored documents: ``doc``, ``path``, ``sha256``, ``n_chars``, ``title``
        and the properties of their ``Document`` node (e.g. ``resolver``)."""
        out = []
        for doc, path, sha, n_chars, title in self._db.execute(
                "SELECT doc, path, sha256, n_chars, title FROM documents ORDER BY doc"):
            row = self._db.execute("SELECT data FROM nodes WHERE id = ?",
                                   (f"Document:{doc}",)).fetchone()
            props = json.loads(row[0])["properties"] if row else {}
            out.append({**props, "doc": doc, "path": path, "sha256": sha, "n_chars": n_chars,
                        "title": title})
        return out

    @staticmethod
    def _grouped(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[str, list[Evidence]]]:
        """Group ``(owner, doc, start, end, text)`` rows, sorted by owner, into evidence lists."""
        current, group = None, []
        for owner, *ev in rows:
            if owner != current:
                if current is not None:
                    yield current, _evidence(group)
                current, group = owner, []
            group.append(ev)
        if current is not None:
            yield current, _evidence(group)

    def iter_nodes(self, labels: list[str] | None = None) -> Iterator[NodeRecord]:
        """Yield merged nodes with their evidence (optionally only some labels), by id."""
        evidence = self._grouped(iter(self._db.execute(
            f"SELECT id, {_EV_COLS} FROM node_evidence ORDER BY id").fetchall()))
        pending = next(evidence, None)
        for node_id, label, data in self._db.execute(
                "SELECT id, label, data FROM nodes ORDER BY id").fetchall():
            while pending is not None and pending[0] < node_id:
                pending = next(evidence, None)
            evs = pending[1] if pending is not None and pending[0] == node_id else []
            if labels is None or label in labels:
                yield _node_from(node_id, label, data, evs)

    def iter_edges(self) -> Iterator[EdgeRecord]:
        """Yield merged edges with their evidence, ordered by key."""
        evidence = self._grouped(iter(self._db.execute(
            f"SELECT key, {_EV_COLS} FROM edge_evidence ORDER BY key").fetchall()))
        pending = next(evidence, None)
        for key, rel_type, source, target, data in self._db.execute(
                "SELECT key, type, source, target, data FROM edges ORDER BY key").fetchall():
            while pending is not None and pending[0] < key:
                pending = next(evidence, None)
            evs = pending[1] if pending is not None and pending[0] == key else []
            yield _edge_from(key, rel_type, source, target, data, evs)

    def document_graph(self, doc: str) -> DocumentGraph | None:
        """Return a stored document's contribution (e.g. to copy it into another store)."""
        row = self._db.execute("SELECT path, sha256, n_chars, title FROM documents WHERE doc = ?",
                               (doc,)).fetchone()
        if row is None:
            return None
        node_ev = dict(self._grouped(iter(self._db.execute(
            f"SELECT id, {_EV_COLS} FROM node_evidence WHERE doc = ? ORDER BY id",
            (doc,)).fetchall())))
        edge_ev = dict(self._grouped(iter(self._db.execute(
            f"SELECT key, {_EV_COLS} FROM edge_evidence WHERE doc = ? ORDER BY key",
            (doc,)).fetchall())))
        nodes = [_node_from(i, label, data, node_ev.get(i, [])) for i, label, data in
                 self._db.execute("SELECT id, label, data FROM node_contrib WHERE doc = ? "
                                  "ORDER BY id", (doc,))]
        edges = [_edge_from(*r, edge_ev.get(r[0], [])) for r in self._db.execute(
            "SELECT key, type, source, target, data FROM edge_contrib WHERE doc = ? ORDER BY key",
            (doc,))]
        return DocumentGraph(DocumentRecord(doc, *row), nodes, edges)

    def get_node(self, node_id: str) -> NodeRecord | None:
        """Return one merged node with its evidence, or None."""
        row = self._db.execute("SELECT label, data FROM nodes WHERE id = ?",
                               (node_id,)).fetchone()
        if row is None:
            return None
        evs = _evidence(self._db.execute(
            f"SELECT {_EV_COLS} FROM node_evidence WHERE id = ?", (node_id,)).fetchall())
        return _node_from(node_id, *row, evs)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph in the export form (see docs/architecture.md)."""
        return records_to_networkx(self.iter_nodes(), self.iter_edges())

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts: ``{"nodes": {label: n}, "relationships": {type: n}}``."""
        nodes = dict(self._db.execute(
            "SELECT label, count(*) FROM nodes GROUP BY label ORDER BY label").fetchall())
        rels = dict(self._db.execute(
            "SELECT type, count(*) FROM edges GROUP BY type ORDER BY type").fetchall())
        return {"nodes": nodes, "relationships": rels}

    def refresh_search_index(self) -> None:
        """Nothing to do: the embedded store's search reads the committed tables directly."""

    def close(self) -> None:
        """Close the database connection."""
        self._db.close()

    def __enter__(self) -> SQLiteStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
