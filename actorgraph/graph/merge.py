"""How per-document contributions merge into one node or edge.

Both stores keep each document's contribution to a node or edge and call these
functions to compute what users see, so the embedded store and Neo4j give the
same graph whatever order documents were ingested in.

Rules (deterministic, order-independent):

* ``name``: the name given by most contributions; ties go to the
  lexicographically smallest.
* ``aliases``: the sorted union, without the chosen name.
* scalar properties: the value from the contribution of the smallest document
  name that has one (``None`` means "has none").
* list properties: the sorted union.
* ``evidence``: the sorted, de-duplicated union.
"""

from __future__ import annotations

import operator
from collections import Counter
from collections.abc import Iterable
from typing import Any

from actorgraph.graph.store import EdgeRecord, NodeRecord
from actorgraph.records import Evidence


def _doc_of(record: NodeRecord | EdgeRecord) -> str:
    return min((ev.doc for ev in record.evidence), default="")


def merge_properties(contributions: Iterable[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """Merge ``(doc, properties)`` pairs by the module's rules.

    >>> merge_properties([("b.txt", {"t": "CCG", "x": ["2"]}), ("a.txt", {"t": "ICB", "x": ["1"]})])
    {'t': 'ICB', 'x': ['1', '2']}
    """
    merged: dict[str, Any] = {}
    for _doc, props in sorted(contributions, key=lambda pair: pair[0]):
        for key, value in props.items():
            if value is None:
                continue
            if isinstance(value, list | tuple):
                merged[key] = sorted(set(merged.get(key, [])) | {str(v) for v in value})
            elif key not in merged:
                merged[key] = value
    return merged


def merge_evidence(groups: Iterable[Iterable[Evidence]]) -> list[Evidence]:
    """Return the sorted union of evidence lists (ordered by doc, start, end, text)."""
    lists = [group if isinstance(group, list) else list(group) for group in groups]
    lists = [group for group in lists if group]
    if len(lists) == 1 and _strictly_sorted(lists[0]):
        # one list, already sorted without repeats (a document's own evidence, or an earlier
        # merge's result): the common case when writing, and no hashing needed
        return list(lists[0])
    return sorted({ev for group in lists for ev in group}, key=_EVIDENCE_KEY)


def _strictly_sorted(evidence: list[Evidence]) -> bool:
    keys = list(map(_EVIDENCE_KEY, evidence))
    return all(map(operator.lt, keys, keys[1:]))


# the dataclass order as one tuple (much faster to compare than its generated __lt__)
_EVIDENCE_KEY = operator.attrgetter("doc", "start", "end", "text")


def merge_nodes(contributions: list[NodeRecord], docs: list[str] | None = None) -> NodeRecord:
    """Merge contributions to one node (all with the same ``id``) into one record.

    ``docs`` (optional, parallel to ``contributions``) names each contribution's
    document, for stores that keep evidence apart from the contribution; by
    default a contribution's document is the smallest ``doc`` of its evidence.
    """
    if not contributions:
        raise ValueError("merge_nodes needs at least one contribution")
    doc_of = list(docs) if docs is not None else [_doc_of(c) for c in contributions]
    counts = Counter(c.name for c in contributions)
    name = min(counts, key=lambda n: (-counts[n], n))
    aliases = sorted({a for c in contributions for a in [c.name, *c.aliases]} - {name})
    first = contributions[0]
    return NodeRecord(
        id=first.id,
        label=first.label,
        name=name,
        aliases=aliases,
        properties=merge_properties(zip(doc_of, (c.properties for c in contributions),
                                        strict=True)),
        evidence=merge_evidence(c.evidence for c in contributions),
    )


def merge_edges(contributions: list[EdgeRecord], docs: list[str] | None = None) -> EdgeRecord:
    """Merge contributions to one edge (all with the same ``key``) into one record.

    ``confidence`` becomes the highest contributed confidence, and ``method``
    the sorted, comma-joined set of methods. ``docs`` as for :func:`merge_nodes`.
    """
    if not contributions:
        raise ValueError("merge_edges needs at least one contribution")
    first = contributions[0]
    doc_of = list(docs) if docs is not None else [_doc_of(c) for c in contributions]
    props = merge_properties(
        (doc, {k: v for k, v in c.properties.items() if k not in ("method", "confidence")})
        for doc, c in zip(doc_of, contributions, strict=True)
    )
    methods = sorted({str(c.properties.get("method")) for c in contributions} - {"None"})
    if methods:
        props["method"] = ",".join(methods)
    confidences = [float(c.properties["confidence"]) for c in contributions
                   if c.properties.get("confidence") is not None]
    if confidences:
        props["confidence"] = max(confidences)
    return EdgeRecord(
        key=first.key,
        type=first.type,
        source=first.source,
        target=first.target,
        properties=props,
        evidence=merge_evidence(c.evidence for c in contributions),
    )
