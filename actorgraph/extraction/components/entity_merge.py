"""Shared helpers for the entity components: make labelled spans, merge them into ``doc.ents``.

Every domain component proposes spans; the rule is the same everywhere: a new
span wins over the existing entities it overlaps, and among the new spans the
longest wins (:func:`spacy.util.filter_spans`). The method that found a mention
and its confidence ride along in ``Span._.props`` under the private keys
:data:`METHOD_KEY` and :data:`CONFIDENCE_KEY`; the assembly step strips them
into ``Entity.method``/``Entity.confidence``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from actorgraph.extraction import mentions  # noqa: F401  (registers the extensions)

METHOD_KEY = "_method"
CONFIDENCE_KEY = "_confidence"

_SPACE = re.compile(r"\s+")
_LEADING_DET = re.compile(r"^(?:the|a|an|our|their|this|that|these|those)\s+", re.IGNORECASE)


def normalise_name(text: str) -> str:
    """Collapse whitespace, drop a leading determiner and stray edge punctuation."""
    text = _SPACE.sub(" ", text).strip(" \t\n,;:.‘’'\"“”*_")
    return _LEADING_DET.sub("", text)


def label_span(
    span: Span,
    label: str,
    canonical: str,
    props: dict[str, Any],
    method: str,
    confidence: float,
) -> Span:
    """Return a copy of ``span`` with ``label``, its canonical name and properties set."""
    new = Span(span.doc, span.start, span.end, label=label)
    new._.canonical = canonical
    new._.props = {**props, METHOD_KEY: method, CONFIDENCE_KEY: confidence}
    return new


def char_span(doc: Doc, start: int, end: int) -> Span | None:
    """The token span covering characters ``[start, end)`` of ``doc`` (expanded to tokens)."""
    span = doc.char_span(start, end, alignment_mode="contract")
    if span is None or len(span) == 0:
        span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    return span


def merge_ents(doc: Doc, new: Iterable[Span]) -> None:
    """Put ``new`` spans on ``doc.ents``; they win over overlapping existing entities."""
    chosen = filter_spans(list(new))
    if not chosen:
        return
    taken = set()
    for span in chosen:
        taken.update(range(span.start, span.end))
    kept = [e for e in doc.ents if not any(i in taken for i in range(e.start, e.end))]
    doc.ents = sorted(kept + chosen, key=lambda s: s.start)


def remove_ents(doc: Doc, drop: Iterable[Span]) -> None:
    """Remove the given entity spans from ``doc.ents``."""
    gone = {(s.start, s.end) for s in drop}
    if gone:
        doc.ents = [e for e in doc.ents if (e.start, e.end) not in gone]
