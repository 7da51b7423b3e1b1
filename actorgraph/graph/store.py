"""The one interface in front of both stores (embedded SQLite and Neo4j).

A store keeps, per document, that document's *contribution* to the graph
(resolved nodes and edges with that document's evidence). The graph users see
is the union of the contributions, merged the same way by both stores, so
that ``to_networkx()`` on either store gives identical graphs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol, runtime_checkable

import networkx as nx

from actorgraph.records import Evidence


@dataclass
class NodeRecord:
    """A resolved node: ``id`` is global (e.g. ``"Organisation:nhs england"``)."""

    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class EdgeRecord:
    """A resolved relationship; ``key`` identifies it across documents."""

    key: str
    type: str
    source: str
    target: str
    properties: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class DocumentRecord:
    """A document as stored: its file name is its identity."""

    doc: str
    path: str
    sha256: str
    n_chars: int
    title: str | None = None


@dataclass
class DocumentGraph:
    """One document's resolved contribution to the graph."""

    document: DocumentRecord
    nodes: list[NodeRecord] = field(default_factory=list)
    edges: list[EdgeRecord] = field(default_factory=list)


@runtime_checkable
class GraphStore(Protocol):
    """What the ingest, the queries and the app need of a store."""

    kind: str

    def document_status(self, doc: str, sha256: str) -> str:
        """Return ``"new"``, ``"unchanged"`` or ``"changed"`` for a document."""
        ...

    def write_document(self, graph: DocumentGraph) -> dict[str, int]:
        """Atomically replace ``graph.document``'s contribution; return counts added."""
        ...

    def remove_document(self, doc: str) -> bool:
        """Remove a document's evidence and whatever is left with none."""
        ...

    def documents(self) -> list[dict[str, Any]]:
        """List stored documents with their properties."""
        ...

    def to_networkx(self) -> nx.MultiDiGraph:
        """The whole graph in the export form (see docs/architecture.md)."""
        ...

    def stats(self) -> dict[str, dict[str, int]]:
        """Counts: ``{"nodes": {label: n}, "relationships": {type: n}}``."""
        ...

    def refresh_search_index(self) -> None:
        """Make name search reflect every committed write (ingest calls it at its end)."""
        ...

    def close(self) -> None:
        """Release connections and files."""
        ...
