"""Assembly: mentions and relation mentions of one document -> ``Entity``/``Relation`` records.

* Mentions are grouped into one :class:`Entity` per (label, normalised canonical name);
  a respondent code is one Person per code; an anonymised person without an identifier
  ("[name]") is one Person per mention.
* Relation endpoints (:class:`MentionRef`) attach to the entity of the same key, or
  become a new entity with the relation's sentence as evidence. A ``MentionRef`` found
  as a relation property (e.g. SPREAD_TO's ``initiative``) becomes that entity's id.
* Evidence is the supporting sentence in the **original** text: the cleaned span is
  mapped with ``CleanText.to_original`` and ``text`` is the original slice, so
  ``evidence.text == original[evidence.start:evidence.end]`` always holds.
* Relations with the same type, endpoints and properties are merged (evidence pooled,
  highest confidence kept).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from actorgraph.extraction.mentions import LABEL_TO_NODE, MentionRef, RelationMention
from actorgraph.records import DocumentExtraction, Entity, Evidence, Relation

_KEY_CLEAN = re.compile(r"[^\w\s/&+\-\[\]]")
_SPACE = re.compile(r"\s+")
_CODE_SEP = re.compile(r"[\s_\-]+")
_ZERO_PAD = re.compile(r"(?<=[A-Z])0+(?=\d)")


@dataclass
class Mention:
    """An entity mention taken off a processed chunk (cleaned-document coordinates)."""

    ref: MentionRef
    sentence: tuple[int, int]
    method: str = "ner"
    confidence: float = 0.5


def entity_key(ref: MentionRef) -> tuple[str, str]:
    """The grouping key of a mention: ``(node label, normalised name or code)``."""
    label = LABEL_TO_NODE.get(ref.label, ref.label)
    props = ref.properties
    if label == "Person" and props.get("respondent_id"):
        # "S2R012", "S2R12" and "S2 R12" are one respondent; so are "ID 017" and "ID017".
        code = _CODE_SEP.sub("", str(props["respondent_id"])).upper()
        return label, "code:" + _ZERO_PAD.sub("", code)
    if props.get("_distinct"):
        return label, f"{ref.canonical.lower()}@{ref.start}"
    name = _SPACE.sub(" ", _KEY_CLEAN.sub(" ", ref.canonical.lower())).strip()
    if name.startswith("the "):
        name = name[4:]
    return label, name


@lru_cache(maxsize=1)
def _gazetteer_names() -> dict[str, tuple[str, str]]:
    """Lower-cased pattern, abbreviation or canonical (and plural) -> (node label, canonical)."""
    from actorgraph.extraction.components.gazetteer import DATA_FILES, load_entries, plural_phrase

    table: dict[str, tuple[str, str]] = {}
    for entry in load_entries(list(DATA_FILES)):
        node = LABEL_TO_NODE.get(entry["label"], entry["label"])
        for form in [entry["canonical"], *entry["patterns"], *entry["abbreviations"]]:
            for variant in (form, plural_phrase(form)):
                table.setdefault(variant.lower(), (node, entry["canonical"]))
    return table


def canonical_ref(ref: MentionRef, abbreviations: dict[str, str] | None = None) -> MentionRef:
    """``ref`` with its canonical name made consistent with the gazetteer's.

    Relation components may name an endpoint by a short form ("ICS", "CCG") where the entity
    components used the gazetteer's long form ("Integrated Care System"): the short form is
    read through the document's abbreviations and the gazetteer's alias table, so both
    become one entity. Respondent codes, redactions and named bodies ("Leeds CCG") are kept.
    """
    props = ref.properties
    name = _SPACE.sub(" ", ref.canonical).strip()
    if props.get("respondent_id") or props.get("_distinct") or not name or name.startswith("["):
        return ref
    node = LABEL_TO_NODE.get(ref.label, ref.label)
    table = _gazetteer_names()
    bare = name[4:] if name.lower().startswith("the ") else name
    candidates = [bare]
    abbr = abbreviations or {}
    long = abbr.get(bare) or (abbr.get(bare[:-1]) if bare.endswith("s") and bare[:-1].isupper()
                              else None)
    if long:
        candidates.insert(0, long)
    for cand in candidates:
        hit = table.get(cand.lower())
        if hit is not None and hit[0] == node:
            return ref if hit[1] == ref.canonical else dataclasses.replace(ref, canonical=hit[1])
    if long and long != ref.canonical:
        return dataclasses.replace(ref, canonical=long)
    return ref


class _Builder:
    def __init__(self, raw: Any, clean: Any) -> None:
        self.raw = raw
        self.clean = clean
        self.doc = raw.name
        self.original: str = raw.text
        self.groups: dict[tuple[str, str], dict[str, Any]] = {}
        self.warnings: list[str] = []

    def evidence(self, span: tuple[int, int]) -> Evidence | None:
        start, end = self.clean.to_original(*span)
        start, end = max(0, int(start)), min(len(self.original), int(end))
        if end <= start:
            return None
        return Evidence(self.doc, start, end, self.original[start:end])

    def add(self, ref: MentionRef, sentence: tuple[int, int], method: str, conf: float) -> str:
        key = entity_key(ref)
        group = self.groups.get(key)
        if group is None:
            group = self.groups[key] = {
                "label": key[0], "names": Counter(), "aliases": set(), "props": {},
                "evidence": set(), "methods": Counter(), "confidence": 0.0,
                "id": f"e{len(self.groups) + 1}",
            }
        group["names"][ref.canonical] += 1
        group["aliases"].add(_SPACE.sub(" ", ref.text).strip())
        for k, v in ref.props:
            if not k.startswith("_") and v is not None:
                group["props"].setdefault(k, list(v) if isinstance(v, tuple) else v)
        if ref.properties.get("generic") is False:
            group["props"]["generic"] = False
        ev = self.evidence(sentence)
        if ev is not None:
            group["evidence"].add(ev)
        group["methods"][method] += 1
        group["confidence"] = max(group["confidence"], conf)
        return group["id"]

    def entities(self) -> list[Entity]:
        out = []
        for group in self.groups.values():
            name = group["names"].most_common(1)[0][0]
            aliases = sorted(a for a in group["aliases"] if a and a != name)
            out.append(Entity(
                id=group["id"], label=group["label"], name=name, aliases=aliases,
                properties=group["props"], evidence=sorted(group["evidence"]),
                method=group["methods"].most_common(1)[0][0],
                confidence=round(group["confidence"], 3),
            ))
        return out


def assemble(
    raw: Any,
    clean: Any,
    mentions: Iterable[Mention],
    relations: Iterable[RelationMention] = (),
    abbreviations: dict[str, str] | None = None,
) -> DocumentExtraction:
    """Build the :class:`DocumentExtraction` of one document from its mentions."""
    builder = _Builder(raw, clean)
    abbr = dict(abbreviations or {})

    def canon(ref: MentionRef) -> MentionRef:
        return canonical_ref(ref, abbr)

    for m in mentions:
        builder.add(canon(m.ref), m.sentence, m.method, m.confidence)
    all_relations = list(relations) + _table_relations(clean, raw.name, builder)
    merged: dict[tuple[str, str, str, str], Relation] = {}
    for rm in all_relations:
        source = builder.add(canon(rm.source), rm.sentence, rm.method, rm.confidence)
        target = builder.add(canon(rm.target), rm.sentence, rm.method, rm.confidence)
        props = {}
        for k, v in rm.properties.items():
            if isinstance(v, MentionRef):
                v = builder.add(canon(v), rm.sentence, rm.method, rm.confidence)
            props[k] = list(v) if isinstance(v, tuple) else v
        key = (rm.type, source, target, json.dumps(props, sort_keys=True, default=str))
        ev = builder.evidence(rm.sentence)
        rel = merged.get(key)
        if rel is None:
            rel = merged[key] = Relation(rm.type, source, target, props, [], rm.method,
                                         round(float(rm.confidence), 3))
        elif rm.confidence > rel.confidence:
            rel.confidence, rel.method = round(float(rm.confidence), 3), rm.method
        if ev is not None and ev not in rel.evidence:
            rel.evidence.append(ev)
    rels = list(merged.values())
    for rel in rels:
        rel.evidence.sort()
    return DocumentExtraction(
        doc=raw.name,
        path=str(raw.path),
        sha256=raw.sha256,
        n_chars=len(raw.text),
        title=_title(clean),
        entities=builder.entities(),
        relations=[r for r in rels if r.evidence],
        abbreviations=dict(abbreviations or {}),
        warnings=list(getattr(raw, "warnings", []) or []) + builder.warnings,
    )


def _table_relations(clean: Any, doc_name: str, builder: _Builder) -> list[RelationMention]:
    """Relations read from tables, when the relations package provides them."""
    try:
        from actorgraph.extraction.relations.tables import relations_from_tables
    except ImportError:
        return []
    try:
        return list(relations_from_tables(clean, doc_name))
    except Exception as err:  # a table reader bug must not lose the document
        builder.warnings.append(f"{doc_name}: tables skipped: {type(err).__name__}: {err}")
        return []


_BODY_START = re.compile(
    r"^(?:abstract|summary|executive summary|introduction|background|key points)\b",
    re.IGNORECASE)
_NOT_TITLES = re.compile(
    r"^(?:research(?: article| paper)?|original (?:article|research)|article|abstract|summary|"
    r"executive summary|introduction|background|contents|table of contents|open access|"
    r"report|paper|review|case study)$", re.IGNORECASE)


def _title(clean: Any) -> str | None:
    """The first heading before the body that reads like a title (not "Research"...)."""
    for sec in (getattr(clean, "sections", None) or [])[:5]:
        title = _SPACE.sub(" ", (getattr(sec, "title", "") or "")).strip(" #*")
        if _BODY_START.match(title) or sec.start > 3000:
            break
        if getattr(sec, "kind", "body") == "references" or _NOT_TITLES.match(title):
            continue
        if len(title.split()) >= 3:
            return title[:200]
    return None
