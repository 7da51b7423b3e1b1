"""Plain-data form of ``Doc._.relations`` so that chunks can cross process boundaries.

``nlp.pipe(..., n_process=N)`` sends processed docs back with ``Doc.to_bytes``, which
keeps ``doc.user_data`` only when it is msgpack-serialisable. The last component,
``actorgraph_transport``, turns the :class:`RelationMention` objects of ``Doc._.relations``
into dicts under ``doc.user_data["actorgraph_relations"]`` and drops the components'
private caches (``user_data`` keys starting with ``_``); :func:`relations_of` rebuilds
them on the other side (and also reads docs that never left the process).
"""

from __future__ import annotations

from typing import Any

from spacy.language import Language
from spacy.tokens import Doc

from actorgraph.extraction.mentions import MentionRef, RelationMention

RELATIONS_KEY = "actorgraph_relations"


def _ref_to_data(ref: MentionRef) -> dict[str, Any]:
    return {"__ref__": [ref.label, ref.start, ref.end, ref.text, ref.canonical,
                        [[k, list(v) if isinstance(v, tuple) else v] for k, v in ref.props]]}


def _ref_from_data(data: dict[str, Any]) -> MentionRef:
    label, start, end, text, canonical, props = data["__ref__"]
    frozen = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in props)
    return MentionRef(label, start, end, text, canonical, frozen)


def _value_to_data(value: Any) -> Any:
    if isinstance(value, MentionRef):
        return _ref_to_data(value)
    if isinstance(value, tuple | list):
        return [_value_to_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _value_to_data(v) for k, v in value.items()}
    return value


def _value_from_data(value: Any) -> Any:
    if isinstance(value, dict) and "__ref__" in value:
        return _ref_from_data(value)
    if isinstance(value, list):
        return [_value_from_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _value_from_data(v) for k, v in value.items()}
    return value


def relation_to_data(rm: RelationMention) -> dict[str, Any]:
    """A msgpack-ready dict of one relation mention."""
    return {
        "type": rm.type, "source": _ref_to_data(rm.source), "target": _ref_to_data(rm.target),
        "sentence": list(rm.sentence), "properties": _value_to_data(rm.properties),
        "method": rm.method, "confidence": rm.confidence,
    }


def relation_from_data(data: dict[str, Any]) -> RelationMention:
    """Rebuild a relation mention from :func:`relation_to_data` output."""
    return RelationMention(
        type=data["type"], source=_ref_from_data(data["source"]),
        target=_ref_from_data(data["target"]), sentence=tuple(data["sentence"]),
        properties=_value_from_data(data["properties"]), method=data["method"],
        confidence=data["confidence"],
    )


def relations_of(doc: Doc) -> list[RelationMention]:
    """The relation mentions of a processed chunk, in or out of plain-data form."""
    if doc._.relations:
        return list(doc._.relations)
    return [relation_from_data(d) for d in doc.user_data.get(RELATIONS_KEY, [])]


class Transport:
    """Move ``Doc._.relations`` into ``doc.user_data`` as plain data."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Serialise the relations of ``doc``; drop components' private caches."""
        if doc._.relations:
            doc.user_data[RELATIONS_KEY] = [relation_to_data(r) for r in doc._.relations]
            doc._.relations = None
        for key in [k for k in doc.user_data if isinstance(k, str) and k.startswith("_")]:
            del doc.user_data[key]  # e.g. token -> Span indexes: caches, not results
        return doc


@Language.factory("actorgraph_transport", default_config={})
def make_transport(nlp: Language, name: str) -> Transport:
    """Build the transport component (added last when documents go to worker processes)."""
    return Transport(nlp, name)
