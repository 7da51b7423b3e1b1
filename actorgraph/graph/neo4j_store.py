"""The Neo4j store: the same graph as the embedded store, in a Neo4j 5 database.

Connection settings come from the environment (``NEO4J_URI``, ``NEO4J_USER``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) or from the constructor's arguments, which override them.
An unreachable server or a refused login raises :class:`StoreConnectionError` naming the URI and
the cause.

Storage form (docs/architecture.md, "Neo4j form"):

* entity nodes carry ``:Entity`` and their label (``:Person``, ``:Organisation``...); document
  nodes are ``:Document``. Properties: ``id`` (unique), ``name``, ``aliases``, the merged scalar
  and list properties, ``evidence`` (list of JSON strings ``{"doc","start","end","text"}``),
  ``docs`` (contributing document names) and ``contrib`` (one JSON string per document, that
  document's own :class:`~actorgraph.graph.store.NodeRecord` without its evidence, parallel to
  ``docs``). Evidence is stored once: a document's own evidence is the entries of ``evidence``
  whose ``doc`` is that document (the embedded store keys evidence the same way);
* relationships have their SPEC type and ``key`` (unique per type), the merged properties,
  ``method``, ``confidence``, ``evidence``, ``docs`` and ``contrib`` likewise;
* one ``:DocumentRecord`` node per stored document (``doc``, ``path``, ``sha256``,
  ``n_chars``, ``title``, and the ids/keys it contributed to, so that replacing or removing it
  finds them through one indexed lookup).

Every write of a document is one managed write transaction: it removes the document's old
contributions, adds the new ones, recomputes what users see with
:func:`~actorgraph.graph.merge.merge_nodes` / :func:`~actorgraph.graph.merge.merge_edges` (the
same functions as the embedded store, so both give identical graphs), and deletes what is left
with no contribution. Rows are written with ``UNWIND $rows AS row MERGE ...``; labels and
relationship types cannot be parameters, so they enter the query text only after passing a
whitelist (the SPEC vocabulary) or a strict identifier pattern. All values are parameters.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from functools import lru_cache
from typing import Any, TypeVar

import neo4j
import networkx as nx
from neo4j import GraphDatabase
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConstraintError,
    DriverError,
    IncompleteCommit,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from actorgraph.graph.merge import merge_edges, merge_evidence, merge_nodes
from actorgraph.graph.store import DocumentGraph, DocumentRecord, EdgeRecord, NodeRecord
from actorgraph.records import NODE_LABELS, RELATION_TYPES, Evidence

T = TypeVar("T")
#: What runs a statement: a managed transaction, or a session (auto-commit, benchmark only).
_Runner = neo4j.ManagedTransaction | neo4j.Session

#: Labels and types beyond the SPEC vocabulary must match these patterns to enter query text.
_LABEL_RE = re.compile(r"^[A-Z][A-Za-z0-9_]{0,63}$")
_TYPE_RE = re.compile(r"^[A-Z][A-Z0-9_]{0,63}$")
#: Labels the store uses itself, never taken from a record.
_RESERVED_LABELS = {"Entity", "DocumentRecord"}
#: Node / relationship property names the store owns; record properties with these names are
#: kept in ``contrib`` (and so in the export) but not written as top-level Neo4j properties.
_NODE_RESERVED = {"id", "label", "name", "aliases", "evidence", "docs", "contrib"}
_EDGE_RESERVED = {"key", "type", "source", "target", "evidence", "docs", "contrib"}
#: How rows are written (see :class:`Neo4jStore`).
WRITE_MODES = ("batched", "per_row", "per_row_autocommit")
#: Relationships merged per slice of a write: each slice is sent while the next is merged.
_EDGE_SLICE = 200
#: Errors worth retrying: the connection went away or the server asked to try again.
_RETRYABLE = (ServiceUnavailable, SessionExpired, TransientError, IncompleteCommit, OSError)


class StoreConnectionError(RuntimeError):
    """Neo4j cannot be used: unreachable, login refused, or gone away; names the URI and cause."""

    def __init__(self, uri: str, cause: str) -> None:
        super().__init__(f"Neo4j at {uri}: {cause}")
        self.uri = uri
        self.cause = cause


def _check_label(label: str) -> str:
    if label in NODE_LABELS or (_LABEL_RE.match(label) and label not in _RESERVED_LABELS):
        return label
    raise ValueError(f"node label {label!r} is not allowed in the Neo4j store")


def _check_type(rel_type: str) -> str:
    if rel_type in RELATION_TYPES or _TYPE_RE.match(rel_type):
        return rel_type
    raise ValueError(f"relationship type {rel_type!r} is not allowed in the Neo4j store")


def _kind(label: str) -> str:
    """The node's store label: ``Document`` for documents, ``Entity`` for everything else."""
    return "Document" if label == "Document" else "Entity"


def _kind_of_id(node_id: str) -> str:
    return "Document" if node_id.startswith("Document:") else "Entity"


def _ev_dump(evidence: Iterable[Evidence]) -> list[list[Any]]:
    return [[ev.doc, ev.start, ev.end, ev.text] for ev in evidence]


def _ev_load(rows: Iterable[list[Any]]) -> list[Evidence]:
    return [Evidence(str(d), int(s), int(e), str(t)) for d, s, e, t in rows]


# one encoder for every contribution string (``json.dumps`` with options builds one per call)
_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)
_json_str = json.encoder.encode_basestring  # type: ignore[attr-defined]


def _node_contrib(node: NodeRecord) -> str:
    """A document's contribution to a node, without its evidence (kept in ``evidence``)."""
    return _JSON.encode({"label": node.label, "name": node.name, "aliases": list(node.aliases),
                         "properties": node.properties})


def _node_from(node_id: str, data: str, evidence: list[Evidence] | None = None) -> NodeRecord:
    raw = json.loads(data)
    # stores written before evidence moved out of ``contrib`` still carry it there
    return NodeRecord(node_id, raw["label"], raw["name"], list(raw["aliases"]),
                      raw["properties"], _ev_load(raw.get("evidence", [])) + (evidence or []))


def _edge_contrib(edge: EdgeRecord) -> str:
    """A document's contribution to a relationship, without its evidence."""
    return _JSON.encode({"source": edge.source, "target": edge.target,
                         "properties": edge.properties})


def _edge_from(key: str, rel_type: str, data: str,
               evidence: list[Evidence] | None = None) -> EdgeRecord:
    raw = json.loads(data)
    return EdgeRecord(key, rel_type, raw["source"], raw["target"], raw["properties"],
                      _ev_load(raw.get("evidence", [])) + (evidence or []))


def _neo4j_value(value: Any) -> Any:
    """A property value Neo4j can store: scalars and lists of strings as they are, else JSON."""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return list(value)
    return _JSON.encode(value)


def _evidence_string(ev: Evidence) -> str:
    """``json.dumps(ev.to_dict(), ensure_ascii=False)``, built directly (it runs per sentence)."""
    return (f'{{"doc": {_json_str(ev.doc)}, "start": {int(ev.start)}, "end": {int(ev.end)}, '
            f'"text": {_json_str(ev.text)}}}')


def _evidence_strings(evidence: Iterable[Evidence]) -> list[str]:
    return [_evidence_string(ev) for ev in evidence]


def _own_evidence(record: NodeRecord | EdgeRecord | None) -> list[str]:
    """A document's own evidence for a node or relationship, sorted, as stored strings."""
    return _evidence_strings(merge_evidence([record.evidence])) if record is not None else []


@lru_cache(maxsize=1 << 18)
def _parse_evidence(data: str) -> Evidence:
    return Evidence.from_dict(json.loads(data))


def _stored_evidence(strings: Iterable[str] | None) -> list[Evidence]:
    """The evidence a node or relationship stores, parsed."""
    return [_parse_evidence(s) for s in strings or []]


def _evidence_by_doc(strings: Iterable[str] | None) -> dict[str, list[Evidence]]:
    """Stored evidence grouped by document: each document's own evidence."""
    out: dict[str, list[Evidence]] = defaultdict(list)
    for ev in _stored_evidence(strings):
        out[ev.doc].append(ev)
    return out


def _evidence_prefix(doc: str) -> str:
    """How every evidence string of ``doc`` starts (see :func:`_evidence_string`)."""
    return f'{{"doc": {_json_str(doc)}, '


#: Replace one document's evidence in a stored list, in Cypher: drop the strings that start
#: with ``$prefix`` and splice ``row.ev`` in at the document's place (the list is ordered by
#: document first). Other documents' evidence never leaves the server: a hub node named by
#: every document is not read back and re-sent in full on each write.
_SPLICE_EVIDENCE = (
    "WITH {x}, row, [e IN coalesce({x}.evidence, []) WHERE NOT e STARTS WITH $prefix] AS kept "
    "WITH {x}, row, kept, size([e IN kept WHERE e < $prefix]) AS at "
    "SET {x} = row.props SET {x}.evidence = kept[..at] + row.ev + kept[at..]")


def _merged_node(node_id: str, parts: list[tuple[str, str]], evidence: Iterable[Evidence],
                 own: tuple[str, NodeRecord | None] = ("", None)) -> NodeRecord:
    """Merge contributions ``(doc, contrib)`` (sorted by doc) and the evidence stored apart.

    ``own`` is ``(doc, record)`` for the document being written, whose record (with its
    evidence) stands in for its contribution string.
    """
    merged = merge_nodes([own[1] if d == own[0] and own[1] is not None
                          else _cached_node(node_id, c) for d, c in parts],
                         docs=[d for d, _ in parts])
    others = list(evidence)
    if others:
        merged.evidence = merge_evidence([merged.evidence, others])
    return merged


def _merged_edge(key: str, rel_type: str, parts: list[tuple[str, str]],
                 evidence: Iterable[Evidence],
                 own: tuple[str, EdgeRecord | None] = ("", None)) -> EdgeRecord:
    """Merge a relationship's contributions and evidence, as :func:`_merged_node` does."""
    merged = merge_edges([own[1] if d == own[0] and own[1] is not None
                          else _cached_edge(key, rel_type, c) for d, c in parts],
                         docs=[d for d, _ in parts])
    others = list(evidence)
    if others:
        merged.evidence = merge_evidence([merged.evidence, others])
    return merged


# Parsed contributions, shared between writes: a node that many documents name (NHS England)
# would otherwise be re-parsed from all its contributions on every write. The records are
# only read (the merge functions build new ones), never handed to callers.
@lru_cache(maxsize=1 << 16)
def _cached_node(node_id: str, data: str) -> NodeRecord:
    return _node_from(node_id, data)


@lru_cache(maxsize=1 << 16)
def _cached_edge(key: str, rel_type: str, data: str) -> EdgeRecord:
    return _edge_from(key, rel_type, data)


def node_properties(merged: NodeRecord, docs: list[str], contrib: list[str],
                    evidence: bool = True) -> dict[str, Any]:
    """The Neo4j properties of a merged node (its visible form plus its contributions);
    ``evidence=False`` leaves ``evidence`` out (an update splices it in on the server)."""
    props = {k: _neo4j_value(v) for k, v in merged.properties.items()
             if k not in _NODE_RESERVED and v is not None}
    props.update(id=merged.id, name=merged.name, aliases=sorted(merged.aliases))
    if evidence:
        props["evidence"] = _evidence_strings(merged.evidence)
    props.update(docs=docs, contrib=contrib)
    return props


def edge_properties(merged: EdgeRecord, docs: list[str], contrib: list[str],
                    evidence: bool = True) -> dict[str, Any]:
    """The Neo4j properties of a merged relationship (visible form plus contributions);
    ``evidence`` as for :func:`node_properties`."""
    props = {k: _neo4j_value(v) for k, v in merged.properties.items()
             if k not in _EDGE_RESERVED and v is not None}
    props["key"] = merged.key
    if evidence:
        props["evidence"] = _evidence_strings(merged.evidence)
    props.update(docs=docs, contrib=contrib)
    return props


class _QuietList(list):  # type: ignore[type-arg]
    """A list parameter that the driver packs as a list but whose ``repr`` is one short line.

    The driver's debug log line for every query is built (``repr`` of all parameters) even
    when debug logging is off: on a batch of a few hundred kilobytes that was about a tenth of
    the client's CPU. It also keeps interview sentences out of a driver debug log.
    """

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<list of {len(self)}>"


def _chunks(rows: list[T], size: int) -> Iterator[list[T]]:
    for i in range(0, len(rows), size):
        yield _QuietList(rows[i:i + size])


class Neo4jStore:
    """A :class:`~actorgraph.graph.store.GraphStore` in a Neo4j 5 database.

    Parameters
    ----------
    uri, user, password, database:
        Override ``NEO4J_URI``, ``NEO4J_USER`` (default ``neo4j``), ``NEO4J_PASSWORD`` and
        ``NEO4J_DATABASE`` (default: the server's default database).
    write_mode:
        ``"batched"`` (default): rows go in ``UNWIND $rows`` batches of ``batch_size``, one
        transaction per document. ``"per_row"``: the same transaction, but one query per node
        and per relationship. ``"per_row_autocommit"``: one query *and one transaction* per
        row, so a document is NOT atomic -- the naive baseline of ``bench/ingest_speed.py``,
        never for real use. The last two exist only for the benchmark.
    max_retries, retry_delay:
        Outer retries, with exponential backoff starting at ``retry_delay`` seconds, when the
        connection is lost after the driver's own retries (``max_transaction_retry_time``).
    """

    kind = "neo4j"

    def __init__(
        self,
        uri: str | None = None,
        user: str | None = None,
        password: str | None = None,
        database: str | None = None,
        *,
        write_mode: str = "batched",
        batch_size: int = 2000,
        max_retries: int = 3,
        retry_delay: float = 1.0,
        max_transaction_retry_time: float = 15.0,
        connection_timeout: float = 10.0,
    ) -> None:
        uri = uri or os.environ.get("NEO4J_URI")
        if not uri:
            raise StoreConnectionError("(no URI)", "NEO4J_URI is not set and no uri was given")
        self.uri = uri
        self.user = user or os.environ.get("NEO4J_USER") or "neo4j"
        password = password if password is not None else os.environ.get("NEO4J_PASSWORD")
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        if write_mode not in WRITE_MODES:
            raise ValueError(f"unknown write_mode {write_mode!r}: expected one of "
                             f"{', '.join(WRITE_MODES)}")
        self.write_mode = write_mode
        self.batch_size = max(1, batch_size)
        self.max_retries = max(0, max_retries)
        self.retry_delay = retry_delay
        self._known_types: set[str] = set()
        auth = (self.user, password) if password else None
        try:
            self.driver = GraphDatabase.driver(
                uri, auth=auth, max_transaction_retry_time=max_transaction_retry_time,
                connection_timeout=connection_timeout,
                connection_acquisition_timeout=connection_timeout * 3,
                notifications_min_severity="OFF",
            )
        except (ConfigurationError, ValueError) as err:
            raise StoreConnectionError(uri, f"invalid URI or settings ({err})") from err
        try:
            self.driver.verify_connectivity()
            self.ensure_schema()
        except BaseException as err:
            self.driver.close()
            if isinstance(err, AuthError | ServiceUnavailable | SessionExpired | OSError
                          | DriverError | Neo4jError):
                raise self._connection_error(err) from err
            raise

    @classmethod
    def from_env(cls) -> Neo4jStore:
        """Open the store described by ``NEO4J_URI``/``NEO4J_USER``/``NEO4J_PASSWORD``."""
        return cls()

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r}, database={self.database!r})"

    def __enter__(self) -> Neo4jStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connection and retries -------------------------------------------------------------
    def _connection_error(self, err: BaseException) -> StoreConnectionError:
        if isinstance(err, AuthError):
            cause = f"authentication failed for user {self.user!r} (wrong password?)"
        elif isinstance(err, ServiceUnavailable | OSError):
            cause = f"server unreachable or gone away ({_one_line(err)})"
        elif isinstance(err, SessionExpired | IncompleteCommit):
            cause = f"connection lost ({_one_line(err)})"
        elif isinstance(err, Neo4jError) and err.code and "DatabaseNotFound" in err.code:
            cause = f"database {self.database!r} does not exist"
        else:
            cause = _one_line(err)
        return StoreConnectionError(self.uri, cause)

    def _session(self, read: bool = False) -> neo4j.Session:
        mode = neo4j.READ_ACCESS if read else neo4j.WRITE_ACCESS
        return self.driver.session(database=self.database, default_access_mode=mode)

    def _with_retries(self, work: Callable[[neo4j.Session], T], read: bool = False) -> T:
        """Run ``work(session)``; on connection loss retry with backoff, then raise clearly."""
        delay = self.retry_delay
        for attempt in range(self.max_retries + 1):
            try:
                with self._session(read) as session:
                    return work(session)
            except AuthError as err:
                raise self._connection_error(err) from err
            except ConstraintError:
                # another writer created the same node or relationship meanwhile: redo the
                # transaction, which now finds it (at most max_retries times)
                if attempt >= self.max_retries:
                    raise
                time.sleep(delay)
                delay *= 2
            except _RETRYABLE as err:
                if attempt >= self.max_retries:
                    raise self._connection_error(err) from err
                time.sleep(delay)
                delay *= 2
        raise AssertionError("unreachable")  # pragma: no cover

    def _write(self, fn: Callable[..., T], *args: Any) -> T:
        return self._with_retries(lambda s: s.execute_write(fn, *args))

    def _read(self, fn: Callable[..., T], *args: Any) -> T:
        return self._with_retries(lambda s: s.execute_read(fn, *args), read=True)

    # -- schema -----------------------------------------------------------------------------
    def ensure_schema(self, rel_types: Iterable[str] = RELATION_TYPES) -> None:
        """Create the constraints and indexes that are missing (idempotent)."""
        wanted = {
            "entity_id": "CREATE CONSTRAINT entity_id IF NOT EXISTS "
                         "FOR (n:Entity) REQUIRE n.id IS UNIQUE",
            "document_id": "CREATE CONSTRAINT document_id IF NOT EXISTS "
                           "FOR (n:Document) REQUIRE n.id IS UNIQUE",
            "document_record_doc": "CREATE CONSTRAINT document_record_doc IF NOT EXISTS "
                                   "FOR (d:DocumentRecord) REQUIRE d.doc IS UNIQUE",
            # eventually consistent: Lucene updates leave the commit path (about a third of
            # a document's write time otherwise); ingest ends with refresh_search_index()
            "entity_names": "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS "
                            "FOR (n:Entity) ON EACH [n.name, n.aliases] OPTIONS {indexConfig: "
                            "{`fulltext.eventually_consistent`: true}}",
        }
        for rel_type in rel_types:
            name = f"rel_key_{_check_type(rel_type).lower()}"
            wanted[name] = (f"CREATE CONSTRAINT {name} IF NOT EXISTS "
                            f"FOR ()-[r:{rel_type}]-() REQUIRE r.key IS UNIQUE")
        with self._session() as session:
            existing = {r["name"] for r in session.run("SHOW CONSTRAINTS YIELD name")}
            existing |= {r["name"] for r in session.run("SHOW INDEXES YIELD name")}
            missing = [query for name, query in wanted.items() if name not in existing]
            for query in missing:
                session.run(query).consume()
            if missing:
                session.run("CALL db.awaitIndexes(300)").consume()
        self._known_types.update(rel_types)

    def refresh_search_index(self) -> None:
        """Wait until the full-text name index has caught up with every committed write.

        The index is eventually consistent (updated after commit, in the background), so a
        name written a moment ago may not be found yet; ingest calls this once at its end.
        """
        def work(session: neo4j.Session) -> None:
            session.run("CALL db.index.fulltext.awaitEventuallyConsistentIndexRefresh()").consume()

        self._with_retries(work)

    def constraints(self) -> list[dict[str, Any]]:
        """The database's constraints (name, type, labels/types, properties)."""
        return self.run_read("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties "
                             "RETURN name, type, labelsOrTypes, properties ORDER BY name")

    # -- GraphStore -------------------------------------------------------------------------
    def document_status(self, doc: str, sha256: str) -> str:
        """Return ``"new"``, ``"unchanged"`` or ``"changed"`` for a document."""
        rows = self.run_read("MATCH (d:DocumentRecord {doc: $doc}) RETURN d.sha256 AS sha256",
                             doc=doc)
        if not rows:
            return "new"
        return "unchanged" if rows[0]["sha256"] == sha256 else "changed"

    def write_document(self, graph: DocumentGraph) -> dict[str, int]:
        """Replace ``graph.document``'s contribution in one transaction; return counts.

        Counts: ``nodes_added``, ``nodes_removed``, ``relationships_added``,
        ``relationships_removed``. Raises :class:`ValueError` for a bad record (duplicate id,
        label or type outside the whitelist, relationship to a node that does not exist).
        """
        for node in graph.nodes:
            _check_label(node.label)
        new_types = {_check_type(e.type) for e in graph.edges} - self._known_types
        if new_types:
            self.ensure_schema(sorted(new_types))
        for what, ids in (("node id", [n.id for n in graph.nodes]),
                          ("edge key", [e.key for e in graph.edges])):
            if len(ids) != len(set(ids)):
                dup = next(i for i in ids if ids.count(i) > 1)
                raise ValueError(f"{graph.document.doc}: duplicate {what} {dup!r}")
        if self.write_mode == "per_row_autocommit":
            # benchmark baseline: every statement is its own auto-commit transaction
            return self._with_retries(
                lambda session: self._replace_tx(session, graph.document.doc, graph))
        return self._write(self._replace_tx, graph.document.doc, graph)

    def remove_document(self, doc: str) -> bool:
        """Remove a document's evidence and every node or edge left with none."""
        return self._write(self._remove_tx, doc)

    def _remove_tx(self, tx: neo4j.ManagedTransaction, doc: str) -> bool:
        existed = tx.run("MATCH (d:DocumentRecord {doc: $doc}) RETURN 1 AS x", doc=doc).single()
        if existed is None:
            return False
        self._replace_tx(tx, doc, None)
        return True

    def _rows(self, tx: _Runner, query: str, rows: list[dict[str, Any]]) -> list[neo4j.Record]:
        """Run ``query`` (which starts with ``UNWIND $rows AS row``) over ``rows``; its records."""
        return [rec for result in self._send(tx, query, rows) for rec in result]

    def _send(self, tx: _Runner, query: str, rows: list[dict[str, Any]],
              **params: Any) -> list[neo4j.Result]:
        """Send ``query`` over ``rows`` in batches without waiting for it to run.

        The server runs a statement while Python prepares the next one; a failure surfaces at
        the next statement or at commit, so the transaction still fails as a whole. That only
        holds for a statement that ends in ``RETURN``: Neo4j runs a write without one before it
        answers the ``RUN`` (so ``tx.run`` waits for all of it), and one with ``RETURN`` when
        its records are pulled, after ``tx.run`` has returned. So a statement without
        ``RETURN`` is sent with ``RETURN count(*) AS rows`` added.
        """
        if " RETURN " not in query:
            query += " RETURN count(*) AS rows"
        size = self.batch_size if self.write_mode == "batched" else 1
        return [tx.run(query, rows=chunk, **params) for chunk in _chunks(rows, size)]

    def _replace_tx(self, tx: _Runner, doc: str,
                    graph: DocumentGraph | None) -> dict[str, int]:
        """Replace (or, with ``graph=None``, remove) one document's contribution.

        A handful of queries whatever the document's size: one read of the document's old
        record, one read of the touched nodes, one read per relationship type of the touched
        relationships that can exist (a relationship one of whose ends is a node this
        transaction creates cannot), then the writes, each an ``UNWIND`` over all its rows (node
        labels and relationship types enter ``CREATE`` as dynamic ``$(...)`` values, which
        Neo4j 5.26 accepts; the read by key stays per type so that it uses the key index, and
        the writes find what exists by the element id that read returned).
        The writes are pipelined: node writes are sent first, and relationships are merged in
        slices, each sent while the next is computed.
        """
        old = tx.run("MATCH (d:DocumentRecord {doc: $doc}) RETURN d.node_ids AS ids, "
                     "d.node_labels AS labels, d.edge_keys AS keys, d.edge_types AS types",
                     doc=doc).single()
        node_label: dict[str, str] = {}
        edge_type: dict[str, str] = {}
        old_keys: set[str] = set()
        if old is not None:
            node_label.update(zip(old["ids"] or [], old["labels"] or [], strict=True))
            edge_type.update(zip(old["keys"] or [], old["types"] or [], strict=True))
            old_keys = set(edge_type)
        new_nodes = {n.id: n for n in graph.nodes} if graph else {}
        new_edges = {e.key: e for e in graph.edges} if graph else {}
        node_label.update({n.id: n.label for n in new_nodes.values()})
        edge_type.update({e.key: e.type for e in new_edges.values()})
        counts = dict.fromkeys(("nodes_added", "nodes_removed", "relationships_added",
                                "relationships_removed"), 0)
        node_parts, edge_parts, eids, rel_eids = self._read_touched(
            tx, node_label, edge_type, old_keys, new_edges)

        # Deletions first: a relationship whose only contribution was this document's ...
        # (what exists is found by the element id its read returned: no index seek, and one
        # statement whatever the labels or types)
        edge_deletes = [{"eid": rel_eids[key]} for key in edge_type
                        if key not in new_edges and key in edge_parts
                        and all(d == doc for d, _ in edge_parts[key])]
        counts["relationships_removed"] = len(edge_deletes)
        self._send(tx, "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid "
                       "DELETE r", edge_deletes)
        # ... then nodes, recomputed with the shared merge rules, sent without waiting ...
        node_creates: list[dict[str, Any]] = []
        node_updates: list[dict[str, Any]] = []
        node_deletes: list[dict[str, Any]] = []
        for node_id, label in node_label.items():
            parts = [(d, c) for d, c in node_parts.get(node_id, []) if d != doc]
            if node_id in new_nodes:
                parts.append((doc, _node_contrib(new_nodes[node_id])))
            parts.sort()
            kind = _kind(label)
            if parts:
                merged = _merged_node(node_id, parts, [], own=(doc, new_nodes.get(node_id)))
                exists = node_id in node_parts  # then its evidence is spliced in on the server
                props = node_properties(merged, [d for d, _ in parts], [c for _, c in parts],
                                        evidence=not exists)
                merged_label = _check_label(merged.label)
                if exists:
                    node_updates.append({"eid": eids[node_id], "label": merged_label,
                                         "props": props,
                                         "ev": _own_evidence(new_nodes.get(node_id))})
                else:
                    labels = [kind] if merged_label == kind else [kind, merged_label]
                    node_creates.append({"labels": labels, "props": props})
                    counts["nodes_added"] += 1
            elif node_id in node_parts:
                node_deletes.append({"eid": eids[node_id]})
                counts["nodes_removed"] += 1
        self._send(tx, "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.eid "
                       "DETACH DELETE n", node_deletes)
        # What this transaction found missing is CREATEd, what it found is updated in place;
        # a concurrent writer creating the same id/key meanwhile hits the uniqueness
        # constraint, and the retry then takes the update path.
        # (new nodes' element ids come back, read once the first relationships are ready)
        made = self._send(tx, "UNWIND $rows AS row CREATE (n:$(row.labels)) SET n = row.props "
                              "RETURN n.id AS id, elementId(n) AS eid", node_creates)
        self._send(tx, "UNWIND $rows AS row MATCH (n) WHERE elementId(n) = row.eid "
                       f"{_SPLICE_EVIDENCE.format(x='n')} SET n:$(row.label)",
                   node_updates, prefix=_evidence_prefix(doc))
        # ... then relationships, a slice at a time.
        keys = [key for key in edge_type if key in new_edges or key in edge_parts]
        created: list[tuple[str | None, list[dict[str, Any]], list[neo4j.Result]]] = []
        for i in range(0, len(keys), _EDGE_SLICE):
            edge_creates: list[dict[str, Any]] = []
            edge_updates: list[dict[str, Any]] = []
            for key in keys[i:i + _EDGE_SLICE]:
                rel_type = edge_type[key]
                parts = [(d, c) for d, c in edge_parts.get(key, []) if d != doc]
                if key in new_edges:
                    parts.append((doc, _edge_contrib(new_edges[key])))
                if not parts:
                    continue  # deleted above
                parts.sort()
                merged = _merged_edge(key, rel_type, parts, [], own=(doc, new_edges.get(key)))
                exists = key in edge_parts
                props = edge_properties(merged, [d for d, _ in parts], [c for _, c in parts],
                                        evidence=not exists)
                if exists:
                    edge_updates.append({"eid": rel_eids[key], "props": props,
                                         "ev": _own_evidence(new_edges.get(key))})
                else:
                    edge_creates.append({"key": key, "type": _check_type(rel_type),
                                         "source": merged.source, "target": merged.target,
                                         "props": props})
                    counts["relationships_added"] += 1
            self._send(tx, "UNWIND $rows AS row MATCH ()-[r]->() WHERE elementId(r) = row.eid "
                           f"{_SPLICE_EVIDENCE.format(x='r')}",
                       edge_updates, prefix=_evidence_prefix(doc))
            if made:
                eids.update((rec["id"], rec["eid"]) for result in made for rec in result)
                made = []
            created.extend(self._create_edges(tx, edge_creates, eids, node_label))

        if graph is None:
            tx.run("MATCH (d:DocumentRecord {doc: $doc}) DELETE d", doc=doc).consume()
        else:
            d = graph.document
            tx.run("MERGE (d:DocumentRecord {doc: $doc}) SET d.path = $path, "
                   "d.sha256 = $sha256, d.n_chars = $n_chars, d.title = $title, "
                   "d.node_ids = $node_ids, d.node_labels = $node_labels, "
                   "d.edge_keys = $edge_keys, d.edge_types = $edge_types",
                   doc=doc, path=d.path, sha256=d.sha256, n_chars=d.n_chars, title=d.title,
                   node_ids=_QuietList(new_nodes),
                   node_labels=_QuietList(n.label for n in new_nodes.values()),
                   edge_keys=_QuietList(new_edges),
                   edge_types=_QuietList(e.type for e in new_edges.values()),
                   ).consume()
        for ends, rows, results in created:
            if sum(rec["n"] for result in results for rec in result) != len(rows):
                self._missing_end(tx, doc, ends, rows)
        return counts

    def _create_edges(self, tx: _Runner, rows: list[dict[str, Any]], eids: dict[str, str],
                      node_label: dict[str, str],
                      ) -> Iterator[tuple[str | None, list[dict[str, Any]], list[neo4j.Result]]]:
        """Send the ``CREATE`` of new relationships; yield ``(ends, rows, results)``.

        Ends this transaction has read or created are matched by element id (a direct record
        lookup: no index seek, no index-entry lock); any other end by its key index, per
        ``ends`` = ``"Entity:Document"``-style pair of store labels.
        """
        by_eid = [row for row in rows if row["source"] in eids and row["target"] in eids]
        if by_eid:
            sent = [{"type": row["type"], "a": eids[row["source"]], "b": eids[row["target"]],
                     "props": row["props"]} for row in by_eid]
            yield None, by_eid, self._send(
                tx, "UNWIND $rows AS row MATCH (a) WHERE elementId(a) = row.a "
                    "MATCH (b) WHERE elementId(b) = row.b "
                    "CREATE (a)-[r:$(row.type)]->(b) SET r = row.props RETURN count(r) AS n",
                sent)
        by_ends: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for row in rows:
            if not (row["source"] in eids and row["target"] in eids):
                src, dst = (_kind(node_label[i]) if i in node_label else _kind_of_id(i)
                            for i in (row["source"], row["target"]))
                by_ends[f"{src}:{dst}"].append(row)
        for ends, group in by_ends.items():
            src, dst = ends.split(":")
            yield ends, group, self._send(
                tx, f"UNWIND $rows AS row MATCH (a:{src} {{id: row.source}}) "
                    f"MATCH (b:{dst} {{id: row.target}}) "
                    "CREATE (a)-[r:$(row.type)]->(b) SET r = row.props RETURN count(r) AS n",
                group)

    def _read_touched(self, tx: _Runner, node_label: dict[str, str], edge_type: dict[str, str],
                      old_keys: set[str], new_edges: dict[str, EdgeRecord],
                      ) -> tuple[dict[str, list[tuple[str, str]]],
                                 dict[str, list[tuple[str, str]]], dict[str, str],
                                 dict[str, str]]:
        """The stored ``(doc, contrib)`` parts of the nodes and relationships a
        write touches: every node, and the relationships that can already exist (the
        document's old ones, and new ones whose two ends both exist); and the element ids of
        the nodes and of the relationships that exist, valid for this transaction."""
        eids: dict[str, str] = {}
        node_parts: dict[str, list[tuple[str, str]]] = {}
        query = ("UNWIND $rows AS row "
                 "OPTIONAL MATCH (e:Entity {id: row.id}) OPTIONAL MATCH (d:Document {id: row.id}) "
                 "WITH row, coalesce(e, d) AS n WHERE n IS NOT NULL "
                 "RETURN row.id AS id, n.docs AS docs, n.contrib AS contrib, "
                 "elementId(n) AS eid")
        for rec in self._rows(tx, query, [{"id": i} for i in node_label]):
            node_parts[rec["id"]] = list(zip(rec["docs"], rec["contrib"], strict=True))
            eids[rec["id"]] = rec["eid"]
        edge_parts: dict[str, list[tuple[str, str]]] = {}
        rel_eids: dict[str, str] = {}
        by_type: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for key, rel_type in edge_type.items():
            edge = new_edges.get(key)
            if key in old_keys or (edge is not None and edge.source in node_parts
                                   and edge.target in node_parts):
                by_type[rel_type].append({"key": key})
        for rel_type, rows in by_type.items():
            query = (f"UNWIND $rows AS row MATCH ()-[r:{_check_type(rel_type)} {{key: row.key}}]"
                     "->() RETURN r.key AS key, r.docs AS docs, r.contrib AS contrib, "
                     "elementId(r) AS eid")
            for rec in self._rows(tx, query, rows):
                edge_parts[rec["key"]] = list(zip(rec["docs"], rec["contrib"], strict=True))
                rel_eids[rec["key"]] = rec["eid"]
        return node_parts, edge_parts, eids, rel_eids

    def _missing_end(self, tx: _Runner, doc: str, ends: str | None,
                     rows: list[dict[str, Any]]) -> None:
        """Raise the :class:`ValueError` naming a relationship whose end node does not exist
        (``ends`` as in :meth:`_create_edges`; ``None``: the ends were matched by element id).
        """
        if ends is None:
            src, dst = "Entity|Document", "Entity|Document"
        else:
            src, dst = ends.split(":")
        found = tx.run(f"UNWIND $rows AS row OPTIONAL MATCH (a:{src} {{id: row.source}}) "
                       f"OPTIONAL MATCH (b:{dst} {{id: row.target}}) "
                       "WITH row, a, b WHERE a IS NULL OR b IS NULL RETURN row.key AS key LIMIT 1",
                       rows=[{k: row[k] for k in ("key", "source", "target")} for row in rows],
                       ).single()
        bad = next(r for r in rows if found is None or r["key"] == found["key"])
        raise ValueError(f"{doc}: relationship {bad['key']!r} joins a node that does "
                         f"not exist ({bad['source']!r} -> {bad['target']!r})")

    def bulk_load(self, graphs: Iterable[DocumentGraph]) -> dict[str, int]:
        """Load many documents into an EMPTY database at once (e.g. a copy of the embedded store).

        Contributions are merged once per node and relationship in memory (same rules as
        :meth:`write_document`, so the result is the same graph), then written with
        ``UNWIND $rows AS row CREATE ...`` in transactions of ``batch_size`` rows
        (``write_mode="per_row"``: one query per row in the same transactions, for the
        benchmark). Not atomic per document: if it fails, :meth:`wipe` and run it again.
        Returns ``{"documents", "nodes", "relationships"}``.
        """
        if self.run_read("MATCH (d:DocumentRecord) RETURN count(d) AS n")[0]["n"]:
            raise ValueError(f"{self.uri}: bulk_load needs an empty database; the store already "
                             "holds documents (use write_document, or wipe first)")
        node_parts: dict[str, list[tuple[str, NodeRecord]]] = defaultdict(list)
        edge_parts: dict[str, list[tuple[str, EdgeRecord]]] = defaultdict(list)
        records: list[dict[str, Any]] = []
        types: set[str] = set()
        for graph in graphs:
            doc = graph.document.doc
            for node in graph.nodes:
                _check_label(node.label)
                node_parts[node.id].append((doc, node))
            for edge in graph.edges:
                types.add(_check_type(edge.type))
                edge_parts[edge.key].append((doc, edge))
            d = graph.document
            records.append({"doc": doc, "props": {
                "doc": doc, "path": d.path, "sha256": d.sha256, "n_chars": d.n_chars,
                "title": d.title, "node_ids": [n.id for n in graph.nodes],
                "node_labels": [n.label for n in graph.nodes],
                "edge_keys": [e.key for e in graph.edges],
                "edge_types": [e.type for e in graph.edges]}})
        if types - self._known_types:
            self.ensure_schema(sorted(types - self._known_types))
        labels: dict[str, str] = {}
        node_rows: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for node_id, parts in node_parts.items():
            parts.sort(key=lambda p: p[0])
            merged = merge_nodes([n for _, n in parts], docs=[d for d, _ in parts])
            labels[node_id] = merged.label
            kind = _kind(merged.label)
            key = kind if merged.label == kind else f"{kind}:{merged.label}"
            node_rows[key].append({"props": node_properties(
                merged, [d for d, _ in parts], [_node_contrib(n) for _, n in parts])})
        edge_rows: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
        for key, eparts in edge_parts.items():
            eparts.sort(key=lambda p: p[0])
            merged = merge_edges([e for _, e in eparts], docs=[d for d, _ in eparts])
            for end in (merged.source, merged.target):
                if end not in labels:
                    raise ValueError(f"relationship {key!r} joins a node that does not exist "
                                     f"({end!r})")
            edge_rows[(merged.type, _kind(labels[merged.source]),
                       _kind(labels[merged.target]))].append({
                "source": merged.source, "target": merged.target,
                "props": edge_properties(merged, [d for d, _ in eparts],
                                         [_edge_contrib(e) for _, e in eparts])})
        jobs: list[tuple[str, list[dict[str, Any]]]] = [
            (f"UNWIND $rows AS row CREATE (n:{labels_}) SET n = row.props", rows)
            for labels_, rows in node_rows.items()]
        jobs += [(f"UNWIND $rows AS row MATCH (a:{sk} {{id: row.source}}) "
                  f"MATCH (b:{dk} {{id: row.target}}) CREATE (a)-[r:{t}]->(b) SET r = row.props",
                  rows) for (t, sk, dk), rows in edge_rows.items()]
        jobs.append(("UNWIND $rows AS row CREATE (d:DocumentRecord) SET d = row.props", records))

        def write(tx: neo4j.ManagedTransaction, query: str, chunk: list[dict[str, Any]]) -> None:
            self._rows(tx, query, chunk)

        for query, rows in jobs:
            for chunk in _chunks(rows, self.batch_size):
                self._write(write, query, chunk)
        return {"documents": len(records), "nodes": len(labels),
                "relationships": len(edge_parts)}

    def documents(self) -> list[dict[str, Any]]:
        """List stored documents: ``doc``, ``path``, ``sha256``, ``n_chars``, ``title``
        and the properties of their ``Document`` node (e.g. ``resolver``)."""
        rows = self.run_read(
            "MATCH (d:DocumentRecord) OPTIONAL MATCH (n:Document {id: 'Document:' + d.doc}) "
            "RETURN d.doc AS doc, d.path AS path, d.sha256 AS sha256, d.n_chars AS n_chars, "
            "d.title AS title, n.docs AS docs, n.contrib AS contrib, n.evidence AS evidence "
            "ORDER BY doc")
        out = []
        for r in rows:
            props: dict[str, Any] = {}
            if r["contrib"]:
                parts = sorted(zip(r["docs"], r["contrib"], strict=True))
                props = _merged_node("Document:" + r["doc"], parts,
                                     _stored_evidence(r["evidence"])).properties
            out.append({**props, "doc": r["doc"], "path": r["path"], "sha256": r["sha256"],
                        "n_chars": r["n_chars"], "title": r["title"]})
        return out

    def iter_nodes(self, labels: list[str] | None = None) -> Iterator[NodeRecord]:
        """Yield merged nodes (optionally only some labels), ordered by id."""
        for node in self._merged_nodes():
            if labels is None or node.label in labels:
                yield node

    def _merged_nodes(self, ids: list[str] | None = None) -> list[NodeRecord]:
        where = "WHERE (n:Entity OR n:Document)" + (" AND n.id IN $ids" if ids is not None else "")
        rows = self.run_read(f"MATCH (n) {where} RETURN n.id AS id, n.docs AS docs, "
                             "n.contrib AS contrib, n.evidence AS evidence ORDER BY id", ids=ids)
        return [_merged_node(r["id"], sorted(zip(r["docs"], r["contrib"], strict=True)),
                             _stored_evidence(r["evidence"])) for r in rows]

    def iter_edges(self) -> Iterator[EdgeRecord]:
        """Yield merged edges ordered by key."""
        rows = self.run_read("MATCH (a)-[r]->(b) WHERE r.contrib IS NOT NULL "
                             "RETURN r.key AS key, type(r) AS type, r.docs AS docs, "
                             "r.contrib AS contrib, r.evidence AS evidence ORDER BY key")
        for r in rows:
            parts = sorted(zip(r["docs"], r["contrib"], strict=True))
            yield _merged_edge(r["key"], r["type"], parts, _stored_evidence(r["evidence"]))

    def get_node(self, node_id: str) -> NodeRecord | None:
        """Return one merged node, or None."""
        found = self._merged_nodes([node_id])
        return found[0] if found else None

    def document_graph(self, doc: str) -> DocumentGraph | None:
        """Return a stored document's own contribution (e.g. to copy it into another store)."""
        rows = self.run_read(
            "MATCH (d:DocumentRecord {doc: $doc}) RETURN d.path AS path, d.sha256 AS sha256, "
            "d.n_chars AS n_chars, d.title AS title, d.node_ids AS ids, "
            "d.node_labels AS labels, d.edge_keys AS keys, d.edge_types AS types", doc=doc)
        if not rows:
            return None
        r = rows[0]
        record = DocumentRecord(doc, r["path"], r["sha256"], r["n_chars"], r["title"])
        # look nodes and relationships up through their unique indexes, by kind and by type
        ids: dict[str, list[str]] = defaultdict(list)
        for node_id, label in zip(r["ids"] or [], r["labels"] or [], strict=True):
            ids[_kind(label)].append(node_id)
        keys: dict[str, list[str]] = defaultdict(list)
        for key, rel_type in zip(r["keys"] or [], r["types"] or [], strict=True):
            keys[_check_type(rel_type)].append(key)
        nodes = []
        for kind, kind_ids in sorted(ids.items()):
            for n in self.run_read(f"UNWIND $ids AS id MATCH (n:{kind} {{id: id}}) "
                                   "RETURN n.id AS id, n.docs AS docs, n.contrib AS contrib, "
                                   "n.evidence AS evidence", ids=kind_ids):
                own = _evidence_by_doc(n["evidence"]).get(doc, [])
                nodes += [_node_from(n["id"], c, own) for d, c in zip(n["docs"], n["contrib"],
                                                                      strict=True) if d == doc]
        edges = []
        for rel_type, type_keys in sorted(keys.items()):
            for e in self.run_read(f"UNWIND $keys AS key MATCH ()-[r:{rel_type} {{key: key}}]->() "
                                   "RETURN r.key AS key, type(r) AS type, r.docs AS docs, "
                                   "r.contrib AS contrib, r.evidence AS evidence", keys=type_keys):
                own = _evidence_by_doc(e["evidence"]).get(doc, [])
                edges += [_edge_from(e["key"], e["type"], c, own)
                          for d, c in zip(e["docs"], e["contrib"], strict=True) if d == doc]
        nodes.sort(key=lambda n: n.id)
        edges.sort(key=lambda e: e.key)
        return DocumentGraph(record, nodes, edges)

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph in the export form (see docs/architecture.md)."""
        from actorgraph.graph.sqlite_store import records_to_networkx

        return records_to_networkx(self.iter_nodes(), self.iter_edges())

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts: ``{"nodes": {label: n}, "relationships": {type: n}}``."""
        nodes = {r["label"]: r["n"] for r in self.run_read(
            "MATCH (n:Entity) UNWIND [l IN labels(n) WHERE l <> 'Entity'] AS label "
            "RETURN label, count(*) AS n UNION ALL "
            "MATCH (n:Document) RETURN 'Document' AS label, count(*) AS n")
            if r["n"]}
        rels = {r["type"]: r["n"] for r in self.run_read(
            "MATCH ()-[r]->() WHERE r.contrib IS NOT NULL "
            "RETURN type(r) AS type, count(*) AS n ORDER BY type")}
        return {"nodes": dict(sorted(nodes.items())), "relationships": rels}

    # -- for the query layer and the console ------------------------------------------------
    def run_read(self, query: str, /, **params: Any) -> list[dict[str, Any]]:
        """Run a parameterised Cypher query in a READ access-mode transaction; return rows."""
        def work(tx: neo4j.ManagedTransaction) -> list[dict[str, Any]]:
            return [record.data() for record in tx.run(query, params)]

        return self._read(work)

    def wipe(self) -> None:
        """Delete every node and relationship (the schema stays). For tests and benchmarks."""
        def work(session: neo4j.Session) -> None:
            session.run("MATCH (n) CALL (n) { DETACH DELETE n } "
                        "IN TRANSACTIONS OF 10000 ROWS").consume()

        self._with_retries(work)

    def close(self) -> None:
        """Close the driver and its connections."""
        self.driver.close()


def _one_line(err: BaseException) -> str:
    message = getattr(err, "message", None) or str(err) or type(err).__name__
    return " ".join(str(message).split())
