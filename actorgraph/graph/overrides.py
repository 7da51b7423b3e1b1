"""The user overrides file: hand corrections applied on every ingest.

``overrides.jsonl`` (in ``ACTORGRAPH_HOME``, or the path in ``[resolution]
overrides_file``) holds one JSON object per line; blank lines and lines
starting with ``#`` are ignored. Operations (``op``):

``merge``
    ``{"op": "merge", "ids": ["Organisation:nhse", "Organisation:nhs e"], "into":
    "Organisation:nhs england"}`` - every node resolved to one of ``ids`` becomes
    ``into`` (default: the first id).
``split``
    ``{"op": "split", "id": "Organisation:x", "doc": "a.txt", "into": "Organisation:x (a)"}``
    - mentions of ``id`` in document ``doc`` (and, with ``"name"``, only
    mentions spelled that way) become the node ``into`` instead.
``rename``
    ``{"op": "rename", "id": "...", "name": "New name"}`` - the node's name.
``set_type``
    ``{"op": "set_type", "id": "Organisation:x", "label": "Initiative"}`` - the
    node's label (its id becomes ``"Initiative:x"``).
``set``
    ``{"op": "set", "id": "...", "properties": {"org_type": "CCG"}}`` - properties.
``study``
    ``{"op": "study", "name": "evaluation-2019", "docs": ["a.txt", "b.txt"]}`` -
    these documents form one study: respondent codes and site codes in them
    share one scope (see ``resolve.py``).

Overrides are applied during resolution, so re-ingesting a document can never
undo them. Every applied override is recorded in the node's ``merged_from``.
A malformed line raises :class:`OverridesError` naming the file and line.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from actorgraph.records import NODE_LABELS

#: The operations and the fields each one requires.
OPERATIONS: dict[str, tuple[str, ...]] = {
    "merge": ("ids",),
    "split": ("id", "doc", "into"),
    "rename": ("id", "name"),
    "set_type": ("id", "label"),
    "set": ("id", "properties"),
    "study": ("name", "docs"),
}


class OverridesError(ValueError):
    """A malformed overrides file; ``str(err)`` is ``"<file>:<line>: <reason>"``."""


def _check_id(value: Any, where: str, name: str) -> str:
    if not isinstance(value, str) or ":" not in value:
        raise OverridesError(f"{where}: {name!r} must be a node id like 'Organisation:nhs england'")
    label = value.split(":", 1)[0]
    if label not in NODE_LABELS:
        raise OverridesError(f"{where}: {name!r} has unknown label {label!r}")
    return value


@dataclass
class Overrides:
    """Parsed overrides; empty when there is no file."""

    merges: dict[str, str] = field(default_factory=dict)
    splits: list[dict[str, Any]] = field(default_factory=list)
    renames: dict[str, str] = field(default_factory=dict)
    types: dict[str, str] = field(default_factory=dict)
    properties: dict[str, dict[str, Any]] = field(default_factory=dict)
    studies: dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""

    def study_of(self, doc: str) -> str | None:
        """Return the study name a document was declared part of, if any."""
        return self.studies.get(doc)


def parse_overrides(text: str, source: str = "overrides.jsonl") -> Overrides:
    """Parse the JSON-lines text of an overrides file.

    >>> o = parse_overrides('{"op": "rename", "id": "Organisation:x", "name": "X"}')
    >>> o.renames
    {'Organisation:x': 'X'}
    """
    result = Overrides(fingerprint=hashlib.sha256(text.encode("utf-8")).hexdigest()[:16])
    for lineno, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = f"{source}:{lineno}"
        try:
            item = json.loads(stripped)
        except json.JSONDecodeError as err:
            raise OverridesError(f"{where}: not valid JSON ({err.msg})") from err
        if not isinstance(item, dict):
            raise OverridesError(f"{where}: each line must be a JSON object")
        op = item.get("op")
        if op not in OPERATIONS:
            raise OverridesError(
                f"{where}: unknown op {op!r} (expected one of {', '.join(OPERATIONS)})"
            )
        missing = [k for k in OPERATIONS[op] if k not in item]
        if missing:
            raise OverridesError(f"{where}: op {op!r} needs {', '.join(missing)}")
        _apply(result, op, item, where)
    return result


def _apply(result: Overrides, op: str, item: dict[str, Any], where: str) -> None:
    if op == "merge":
        ids = item["ids"]
        if not isinstance(ids, list) or not ids:
            raise OverridesError(f"{where}: 'ids' must be a non-empty list of node ids")
        into = _check_id(item.get("into", ids[0]), where, "into")
        for node_id in ids:
            _check_id(node_id, where, "ids")
            if node_id != into:
                result.merges[node_id] = into
    elif op == "split":
        _check_id(item["id"], where, "id")
        _check_id(item["into"], where, "into")
        if not isinstance(item["doc"], str):
            raise OverridesError(f"{where}: 'doc' must be a document file name")
        result.splits.append({k: item[k] for k in ("id", "doc", "into", "name") if k in item})
    elif op == "rename":
        _check_id(item["id"], where, "id")
        if not isinstance(item["name"], str) or not item["name"].strip():
            raise OverridesError(f"{where}: 'name' must be a non-empty string")
        result.renames[item["id"]] = item["name"].strip()
    elif op == "set_type":
        _check_id(item["id"], where, "id")
        if item["label"] not in NODE_LABELS or item["label"] == "Document":
            raise OverridesError(f"{where}: unknown label {item['label']!r}")
        result.types[item["id"]] = item["label"]
    elif op == "set":
        _check_id(item["id"], where, "id")
        if not isinstance(item["properties"], dict):
            raise OverridesError(f"{where}: 'properties' must be an object")
        result.properties.setdefault(item["id"], {}).update(item["properties"])
    elif op == "study":
        docs = item["docs"]
        if not isinstance(item["name"], str) or not isinstance(docs, list) or not docs:
            raise OverridesError(f"{where}: 'name' must be a string and 'docs' a non-empty list")
        for doc in docs:
            result.studies[str(doc)] = item["name"]


def load_overrides(path: str | Path | None) -> Overrides:
    """Read an overrides file; a missing file gives empty overrides."""
    if path is None:
        return Overrides()
    file = Path(path)
    if not file.is_file():
        return Overrides()
    try:
        text = file.read_text("utf-8")
    except UnicodeDecodeError as err:
        raise OverridesError(f"{file}: not UTF-8 text ({err.reason})") from err
    return parse_overrides(text, str(file))
