"""Shared helpers for the relation components: word lists, entity lookup, emission.

Every relation component reads ``doc.ents`` (labels ``PERSON``, ``ROLE``, ``ORG``,
``SITE``, ``INITIATIVE``, ``PLACE``) and appends
:class:`~actorgraph.extraction.mentions.RelationMention` records to
``doc._.relations``. Word lists live as JSON files in ``data/`` so a user can
extend them without touching code; a component's ``lexicon`` setting may point to
a replacement file.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span, Token

from actorgraph.extraction.mentions import (
    MentionRef,
    RelationMention,
    make_ref,
    register_extensions,
    span_ref,
)

register_extensions()

#: Labels that can stand at either end of an organisational relation.
ORG_LABELS = ("ORG", "SITE")
#: Labels a spread can start from or go to.
PLACE_LABELS = ("ORG", "SITE", "PLACE")

_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "their", "our"}


@lru_cache(maxsize=32)
def _read_lexicon(name: str, path: str | None) -> dict[str, Any]:
    if path:
        source = Path(path)
        try:
            data = json.loads(source.read_text("utf-8"))
        except (OSError, json.JSONDecodeError) as err:
            raise ValueError(f"{source}: cannot read relation lexicon: {err}") from err
    else:
        text = resources.files(__package__).joinpath("data", f"{name}.json").read_text("utf-8")
        data = json.loads(text)
    if not isinstance(data, dict):
        raise ValueError(f"{path or name}: relation lexicon must be a JSON object")
    return data


def load_lexicon(name: str, path: str | None = None) -> dict[str, Any]:
    """Return the word lists ``data/<name>.json`` (or the JSON file at ``path``).

    Raises ``ValueError`` naming the file when it is missing or not valid JSON.
    """
    return _read_lexicon(name, str(path) if path else None)


@lru_cache(maxsize=8)
def _gazetteer(name: str) -> dict[str, tuple[str, dict[str, Any]]]:
    out: dict[str, tuple[str, dict[str, Any]]] = {}
    try:
        text = resources.files("actorgraph.extraction").joinpath(
            "data", f"{name}.jsonl").read_text("utf-8")
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return out
    for line in text.splitlines():
        try:
            entry = json.loads(line) if line.strip() else None
        except json.JSONDecodeError:
            continue
        if not isinstance(entry, dict):
            continue
        canonical = str(entry.get("canonical", ""))
        props = dict(entry.get("props") or {})
        for pattern in [canonical, *entry.get("patterns", []), *entry.get("abbreviations", [])]:
            out.setdefault(str(pattern).lower().strip(), (canonical, props))
    return out


def gazetteer_lookup(name: str, text: str) -> tuple[str, dict[str, Any]] | None:
    """``(canonical, props)`` of ``text`` in the entity gazetteer ``data/<name>.jsonl``.

    ``name`` is ``"roles"``, ``"organisations"``, ``"initiatives"``...; the lookup is
    case-insensitive on the gazetteer's patterns and abbreviations.
    """
    return _gazetteer(name).get(re.sub(r"\s+", " ", text).strip().lower())


def phrase_set(words: Iterable[str]) -> set[tuple[str, ...]]:
    """Lower-cased token tuples of multi-word phrases."""
    return {tuple(w.lower().split()) for w in words}


def find_phrases(
    tokens: Sequence[Token], phrases: set[tuple[str, ...]]
) -> list[tuple[int, int, str]]:
    """Occurrences of ``phrases`` in ``tokens``: ``(start_i, end_i, phrase)`` in doc indices."""
    lowered = [_norm(t) for t in tokens]
    found = []
    lengths = sorted({len(p) for p in phrases}, reverse=True)
    for pos in range(len(lowered)):
        for n in lengths:
            cand = tuple(lowered[pos : pos + n])
            if len(cand) == n and cand in phrases:
                found.append((tokens[pos].i, tokens[pos].i + n, " ".join(cand)))
                break
    return found


def _norm(tok: Token) -> str:
    text = tok.lower_
    return {"n't": "not", "’s": "'s", "’m": "'m", "wasn’t": "wasn't"}.get(text, text)


def ensure_relations(doc: Doc) -> list[RelationMention]:
    """Return ``doc._.relations``, initialising it to an empty list."""
    if doc._.relations is None:
        doc._.relations = []
    return doc._.relations


def index_ents(doc: Doc) -> dict[int, Span]:
    """(Re)build the token -> entity index of ``doc``; components call this once per doc."""
    table: dict[int, Span] = {}
    for ent in doc.ents:
        for j in range(ent.start, ent.end):
            table[j] = ent
    doc.user_data["_actorgraph_ent_index"] = table
    return table


def ent_at(doc: Doc, i: int) -> Span | None:
    """The entity covering token ``i``, if any (index built on first use)."""
    table = doc.user_data.get("_actorgraph_ent_index")
    if table is None:
        table = index_ents(doc)
    return table.get(i)


def ents_in(tokens: Iterable[Token], labels: Sequence[str] | None = None) -> list[Span]:
    """Distinct entities overlapping ``tokens`` (in text order), optionally by label."""
    seen: dict[tuple[int, int], Span] = {}
    for tok in tokens:
        ent = ent_at(tok.doc, tok.i)
        if ent is not None and (labels is None or ent.label_ in labels):
            seen.setdefault((ent.start, ent.end), ent)
    return [seen[k] for k in sorted(seen)]


def ent_of_token(tok: Token, labels: Sequence[str] | None = None) -> Span | None:
    """The entity covering ``tok`` when its label is in ``labels``."""
    ent = ent_at(tok.doc, tok.i)
    if ent is None or (labels is not None and ent.label_ not in labels):
        return None
    return ent


def subtree_ents(tok: Token, labels: Sequence[str] | None = None) -> list[Span]:
    """Entities inside the dependency subtree of ``tok``."""
    return ents_in(list(tok.subtree), labels)


_CLAUSE_DEPS = {"relcl", "acl", "advcl", "ccomp", "xcomp", "appos", "parataxis"}


def np_ents(tok: Token, labels: Sequence[str] | None = None) -> list[Span]:
    """Entities of the noun phrase at ``tok`` and its conjuncts, without clauses or
    prepositional phrases other than "of" ("the MSK service in Site 4" -> the service)."""
    keep: list[Token] = []
    stack = [tok]
    while stack:
        t = stack.pop()
        keep.append(t)
        for c in t.children:
            if c.dep_ in _CLAUSE_DEPS:
                continue
            if c.dep_ == "prep" and c.lower_ not in ("of",):
                continue
            stack.append(c)
    return ents_in(sorted(keep, key=lambda t: t.i), labels)


def with_conjuncts(tok: Token) -> list[Token]:
    """``tok`` and its coordinated tokens ("Site 1 and Site 2")."""
    return [tok, *tok.conjuncts]


def lemma_with_particle(tok: Token) -> str:
    """A verb's lemma plus its particle: ``"roll out"``, ``"scale up"``, ``"spread"``."""
    prts = [c.lower_ for c in tok.children if c.dep_ == "prt"]
    lemma = tok.lemma_.lower()
    return f"{lemma} {prts[0]}" if prts else lemma


def is_negated(tok: Token) -> bool:
    """True when the verb (or its auxiliary chain) carries a negation."""
    return any(c.dep_ == "neg" for c in tok.children)


def sent_bounds(sent: Span) -> tuple[int, int]:
    """A sentence's span in cleaned-document coordinates."""
    base = sent.doc._.offset or 0
    return (sent.start_char + base, sent.end_char + base)


def np_ref(head: Token, label: str, props: dict[str, Any] | None = None) -> MentionRef:
    """A mention built from the noun phrase headed by ``head``.

    Keeps the head's left modifiers and its "of" phrases ("the rest of the CCG
    area"), drops a leading determiner and any clause or list after the head.
    """
    keep = {head.i}
    for child in head.children:
        if child.i < head.i and child.dep_ not in ("punct", "cc"):
            keep.update(t.i for t in child.subtree)
        elif child.i > head.i and child.dep_ == "prep" and child.lower_ == "of":
            keep.update(t.i for t in child.subtree)
    start, end = min(keep), max(keep) + 1
    while start < head.i and head.doc[start].lower_ in _DETERMINERS:
        start += 1
    span = head.doc[start:end]
    base = head.doc._.offset or 0
    canonical = re.sub(r"\s+", " ", span.text).strip()
    return make_ref(
        label, span.start_char + base, span.end_char + base, span.text,
        canonical, {"generic": True, **(props or {})},
    )


def ref(ent: Span, label: str | None = None) -> MentionRef:
    """Shorthand for :func:`span_ref`."""
    return span_ref(ent, label)


def emit(
    doc: Doc,
    rel_type: str,
    source: MentionRef,
    target: MentionRef,
    sentence: tuple[int, int],
    method: str,
    confidence: float,
    **properties: Any,
) -> RelationMention | None:
    """Append one relation mention unless an identical one is already there.

    Self-relations (same span and canonical at both ends) are dropped.
    """
    if (source.start, source.end, source.canonical) == (target.start, target.end, target.canonical):
        return None
    rels = ensure_relations(doc)
    key = (rel_type, source.start, source.end, source.canonical, target.start, target.end,
           target.canonical, tuple(sorted((k, str(v)) for k, v in properties.items())))
    seen = doc.user_data.setdefault("_actorgraph_rel_keys", set())
    if key in seen:
        return None
    seen.add(key)
    mention = RelationMention(
        type=rel_type, source=source, target=target, sentence=sentence,
        properties=dict(properties), method=method, confidence=round(confidence, 3),
    )
    rels.append(mention)
    return mention
