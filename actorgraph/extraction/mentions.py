"""What the spaCy components leave on a ``Doc``, and the records they hand on.

Inside the pipeline a ``Doc`` may be a chunk of a cleaned document;
``doc._.offset`` is the chunk's start in the cleaned document's text, so a span
sits at ``span.start_char + doc._.offset`` there. Mentions and relation
mentions use those *cleaned-document* coordinates; the assembly step maps them
to the original text with the cleaning's offset map.

Entity labels on ``doc.ents``: ``PERSON``, ``ROLE``, ``ORG``, ``SITE``,
``INITIATIVE``, ``PLACE`` (mapped to the graph's Person, Role, Organisation,
Site, Initiative, Place).

Extensions:

* ``Doc._.offset`` (int): chunk start in the cleaned document.
* ``Doc._.relations`` (list[RelationMention] or None): filled by relation components.
* ``Doc._.abbreviations`` (dict[str, str] or None): short form -> long form for the document.
* ``Span._.props`` (dict or None): entity properties (``org_type``, ``respondent_id``...).
* ``Span._.canonical`` (str or None): canonical name (long form, alias resolved).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from spacy.tokens import Doc, Span

#: spaCy entity label -> graph node label.
LABEL_TO_NODE: dict[str, str] = {
    "PERSON": "Person",
    "ROLE": "Role",
    "ORG": "Organisation",
    "SITE": "Site",
    "INITIATIVE": "Initiative",
    "PLACE": "Place",
}


#: The last document whose text was asked for, and that text (see :func:`doc_text`).
_LAST_TEXT: list[Any] = [None, ""]


def doc_text(doc: Doc) -> str:
    """``doc.text``, computed once per document.

    spaCy builds ``Doc.text`` from every token on each access, so a component that needs the
    text around many tokens must not ask the document each time; components run one document
    at a time, so remembering the last one is enough.
    """
    if _LAST_TEXT[0] is not doc:
        _LAST_TEXT[0], _LAST_TEXT[1] = doc, doc.text
    return str(_LAST_TEXT[1])


def register_extensions() -> None:
    """Register the custom attributes (idempotent)."""
    for name, default in (("offset", 0), ("relations", None), ("abbreviations", None)):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)
    for name in ("props", "canonical"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register_extensions()


@dataclass(frozen=True)
class MentionRef:
    """An entity mention in cleaned-document coordinates."""

    label: str
    start: int
    end: int
    text: str
    canonical: str
    props: tuple[tuple[str, Any], ...] = ()

    @property
    def properties(self) -> dict[str, Any]:
        """The mention's properties as a dict."""
        return dict(self.props)


def _freeze(props: dict[str, Any] | None) -> tuple[tuple[str, Any], ...]:
    items = []
    for key, value in sorted((props or {}).items()):
        items.append((key, tuple(value) if isinstance(value, list) else value))
    return tuple(items)


def span_ref(
    span: Span, label: str | None = None, props: dict[str, Any] | None = None
) -> MentionRef:
    """Turn a span into a :class:`MentionRef` (label defaults to the span's label)."""
    base = span.doc._.offset or 0
    merged = {**(span._.props or {}), **(props or {})}
    return MentionRef(
        label=label or span.label_,
        start=span.start_char + base,
        end=span.end_char + base,
        text=span.text,
        canonical=span._.canonical or span.text,
        props=_freeze(merged),
    )


def make_ref(
    label: str, start: int, end: int, text: str, canonical: str | None = None,
    props: dict[str, Any] | None = None,
) -> MentionRef:
    """Build a :class:`MentionRef` from cleaned-document coordinates."""
    return MentionRef(label, start, end, text, canonical or text, _freeze(props))


@dataclass
class RelationMention:
    """A relation found in the text; ``sentence`` is a cleaned-document span."""

    type: str
    source: MentionRef
    target: MentionRef
    sentence: tuple[int, int]
    properties: dict[str, Any] = field(default_factory=dict)
    method: str = "unknown"
    confidence: float = 0.5


def sentence_span(span: Span) -> tuple[int, int]:
    """The cleaned-document span of the sentence holding ``span``."""
    base = span.doc._.offset or 0
    sent = span.sent
    return (sent.start_char + base, sent.end_char + base)
