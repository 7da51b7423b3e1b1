"""Typed records passed between extraction, the graph layer and the queries.

These dataclasses are the contract between the subpackages:

* ``actorgraph.extraction`` produces one :class:`DocumentExtraction` per file,
  whose entities and relations use *document-local* ids (``"e1"``, ``"e2"``...).
* ``actorgraph.graph`` resolves those local entities to global node ids and
  writes them to a store.
* ``actorgraph.queries`` reads the resolved graph.

Every entity and relation carries :class:`Evidence`: the document's file name,
the character span ``[start, end)`` into the document's original text (as read
with UTF-8) and ``text``, which is always exactly ``original[start:end]``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

NodeLabel = Literal["Document", "Person", "Role", "Organisation", "Site", "Initiative", "Place"]

#: Node labels of the SPEC vocabulary.
NODE_LABELS: tuple[str, ...] = (
    "Document",
    "Person",
    "Role",
    "Organisation",
    "Site",
    "Initiative",
    "Place",
)

#: Relationship types of the SPEC vocabulary.
RELATION_TYPES: tuple[str, ...] = (
    "HOLDS",
    "IN",
    "MEMBER_OF",
    "PART_OF",
    "PARTNER_OF",
    "LEADS",
    "FUNDS",
    "COMMISSIONS",
    "IMPLEMENTS",
    "SPREAD_TO",
    "SUCCEEDED_BY",
    "TRANSITIONED_TO",
    "MENTIONED_IN",
)


@dataclass(frozen=True, order=True)
class Evidence:
    """A supporting passage: ``text == original_text[start:end]`` of ``doc``."""

    doc: str
    start: int
    end: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        """Return the export-contract form ``{"doc", "start", "end", "text"}``."""
        return {"doc": self.doc, "start": self.start, "end": self.end, "text": self.text}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Evidence:
        """Build from the export-contract form."""
        return cls(str(data["doc"]), int(data["start"]), int(data["end"]), str(data["text"]))


@dataclass
class Entity:
    """One entity as found in one document (all of its mentions there).

    ``properties`` holds the label-specific attributes of the SPEC, e.g.
    ``respondent_id``/``anonymised``/``phase``/``site`` for a Person,
    ``org_type``/``sector``/``level`` for an Organisation, ``model_type`` for a
    Site, ``category``/``scope`` for an Initiative, ``title``/``category`` for a
    Role. Values are JSON scalars or lists of strings.
    """

    id: str
    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    method: str = "unknown"
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


@dataclass
class Relation:
    """A typed relation between two entities of the same document.

    ``properties`` carries type-specific attributes: ``status`` for
    IMPLEMENTS (implemented, continued, stopped, planned); ``initiative`` (the
    Initiative entity id) and ``mode`` (spread, scale-up) for SPREAD_TO;
    ``period``/``start``/``end``/``tense`` (earlier, later, current) for HOLDS;
    ``removed`` for a TRANSITIONED_TO whose later role was removed.
    """

    type: str
    source: str
    target: str
    properties: dict[str, Any] = field(default_factory=dict)
    evidence: list[Evidence] = field(default_factory=list)
    method: str = "unknown"
    confidence: float = 1.0

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)


@dataclass
class DocumentExtraction:
    """Everything extracted from one document."""

    doc: str
    path: str
    sha256: str
    n_chars: int
    title: str | None = None
    entities: list[Entity] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    #: abbreviation -> long form, as defined in this document.
    abbreviations: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentExtraction:
        """Rebuild from :meth:`to_dict` output."""
        ents = [
            Entity(**{**e, "evidence": [Evidence.from_dict(v) for v in e.get("evidence", [])]})
            for e in data.get("entities", [])
        ]
        rels = [
            Relation(**{**r, "evidence": [Evidence.from_dict(v) for v in r.get("evidence", [])]})
            for r in data.get("relations", [])
        ]
        rest = {k: v for k, v in data.items() if k not in ("entities", "relations")}
        return cls(**rest, entities=ents, relations=rels)


class InputError(Exception):
    """A file that cannot be read: ``str(err)`` is one line naming file and reason."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason
