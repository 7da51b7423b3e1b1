"""Abbreviation definitions, found once and applied to the rest of the document.

Detection follows Schwartz & Hearst (2003, "A simple algorithm for identifying
abbreviation definitions in biomedical text"): for ``long form (SF)`` the short form's
letters are matched right to left inside the words before the bracket, the first letter
at a word start; ``SF (long form)`` is checked the same way. Run over the whole cleaned
document (:func:`find_abbreviations`) before it is cut into chunks, the table travels on
each chunk as ``Doc._.abbreviations``.

The component then gives every bare short form (and its plural) the long form's
canonical name. When the long form is something the gazetteer knows, the short form
gets that entry's label and properties ("CCG" -> Organisation "Clinical Commissioning
Group"); otherwise a long form ending in an organisation or initiative head noun
("... Partnership", "... Programme") makes the short form an ORG or INITIATIVE.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from actorgraph.extraction.components.entity_merge import (
    METHOD_KEY,
    label_span,
    merge_ents,
    normalise_name,
    remove_ents,
)

_SHORT = re.compile(r"^[A-Za-z][A-Za-z0-9&/\-]{0,9}$")
_DEF_LONG_FIRST = re.compile(r"[(\[]\s*(?P<short>[^()\[\]\n]{1,16}?)\s*(?:[;,][^()\[\]\n]*)?[)\]]")
_DEF_SHORT_FIRST = re.compile(
    r"(?<![\w-])(?P<short>[A-Z][A-Za-z0-9&/\-]{1,9})\s*[(\[](?P<long>[^()\[\]\n]{5,90})[)\]]")
_SENTENCE_BREAK = re.compile(r"[.;:!?\n(\[)\]]")
ORG_HEADS = {"trust", "trusts", "council", "councils", "authority", "authorities", "group",
             "groups", "partnership", "partnerships", "board", "boards", "network", "networks",
             "alliance", "federation", "commission", "agency", "department", "association",
             "foundation", "institute", "university", "college", "centre", "unit", "committee",
             "organisation", "organization", "service", "services", "forum", "collaborative",
             "system", "systems", "team", "office"}
INITIATIVE_HEADS = {"programme", "program", "programmes", "model", "models", "pathway",
                    "pathways", "scheme", "initiative", "initiatives", "plan", "fund", "contract",
                    "framework", "project", "review", "strategy", "view"}
_STOPWORDS = {"the", "a", "an", "of", "and", "for", "in", "to", "on", "with", "&", "by", "from",
              "at", "as", "or", "is", "are", "was", "were", "be", "this", "that", "these",
              "those", "we", "our", "their", "its", "it", "which", "who"}


def best_long_form(short: str, candidate: str) -> str | None:
    """The Schwartz-Hearst long form of ``short`` at the end of ``candidate`` (or ``None``)."""
    s, i = len(short) - 1, len(candidate) - 1
    while s >= 0:
        ch = short[s].lower()
        if not ch.isalnum():
            s -= 1
            continue
        while (i >= 0 and candidate[i].lower() != ch) or (
            s == 0 and i > 0 and candidate[i - 1].isalnum()
        ):
            i -= 1
        if i < 0:
            return None
        i -= 1
        s -= 1
    start = candidate.rfind(" ", 0, i + 1) + 1
    return candidate[start:].strip()


def _valid_short(short: str) -> bool:
    if not _SHORT.match(short) or short.isdigit() or not any(c.isupper() for c in short):
        return False
    letters = sum(c.isalpha() for c in short)
    return letters >= 2 and not re.fullmatch(r"(?:19|20)\d{2}[a-z]?", short)


def _accept(short: str, long: str) -> bool:
    words = long.split()
    if not words or len(long) <= len(short) or short.lower() in (w.lower() for w in words):
        return False
    return len(words) <= min(len(short) + 5, len(short) * 2)


def find_abbreviations(text: str) -> dict[str, str]:
    """Abbreviation -> long form for every definition in ``text`` (first definition wins).

    >>> find_abbreviations("The Clinical Commissioning Group (CCG) met. The CCG agreed.")
    {'CCG': 'Clinical Commissioning Group'}
    """
    found: dict[str, str] = {}
    for match in _DEF_LONG_FIRST.finditer(text):
        short = match.group("short").strip()
        if not _valid_short(short):
            continue
        before = text[max(0, match.start() - 200): match.start()]
        breaks = list(_SENTENCE_BREAK.finditer(before))
        if breaks:
            before = before[breaks[-1].end():]
        before = before.rstrip(" ‘’'\"“”,")
        words = before.split()
        base = short[:-1] if short.endswith("s") and short[:-1].isupper() else short
        window = " ".join(words[-min(len(base) + 5, len(base) * 2):])
        long = best_long_form(base, window)
        if long and _accept(base, long) and long.split()[0].lower() not in _STOPWORDS:
            found.setdefault(base, normalise_name(long))
    for match in _DEF_SHORT_FIRST.finditer(text):
        short, inner = match.group("short"), match.group("long").strip()
        if not _valid_short(short) or short in found or sum(c.isupper() for c in short) < 2:
            continue
        if not re.fullmatch(r"[A-Za-z][A-Za-z ,'’&\-]+", inner):
            continue
        long = best_long_form(short, inner)
        if long and long == inner and _accept(short, inner):
            found[short] = normalise_name(inner)
    return found


def head_label(long_form: str) -> str | None:
    """ORG or INITIATIVE from the long form's head noun, else ``None``."""
    last = long_form.split()[-1].lower().strip(".,") if long_form.split() else ""
    if last in ORG_HEADS:
        return "ORG"
    if last in INITIATIVE_HEADS:
        return "INITIATIVE"
    return None


class Abbreviations:
    """Apply the document's abbreviation table to bare short forms."""

    def __init__(self, nlp: Language, name: str, confidence: float) -> None:
        self.nlp = nlp
        self.name = name
        self.confidence = confidence

    def _resolve(self, long_form: str) -> tuple[str, str, dict[str, Any]] | None:
        """``(label, canonical, props)`` that the long form stands for."""
        if "actorgraph_gazetteer" in self.nlp.pipe_names:
            entry = self.nlp.get_pipe("actorgraph_gazetteer").lookup(long_form)
            if entry is not None:
                return entry["label"], entry["canonical"], dict(entry["props"])
        label = head_label(long_form)
        if label is None:
            return None
        props: dict[str, Any] = {"generic": False} if label == "ORG" else {"scope": "local"}
        if label == "ORG":
            from actorgraph.extraction.components.ner_mapping import org_props

            props.update(org_props(long_form))
        return label, long_form, props

    def __call__(self, doc: Doc) -> Doc:
        """Set canonical names (and entities) for the short forms in ``doc``."""
        table = doc._.abbreviations
        if table is None:
            table = find_abbreviations(doc.text)
            doc._.abbreviations = table
        if not table:
            return doc
        lookup: dict[str, str] = {}
        for short in table:
            lookup[short] = short
            lookup[short + "s"] = short
        by_token = {e.start: e for e in doc.ents if e.end - e.start == 1}
        covered = {i for e in doc.ents for i in range(e.start, e.end)}
        new: list[Span] = []
        wrong: list[Span] = []
        resolved: dict[str, tuple[str, str, dict[str, Any]] | None] = {}
        for tok in doc:
            short = lookup.get(tok.text)
            if short is None:
                continue
            if short not in resolved:
                resolved[short] = self._resolve(table[short])
            target = resolved[short]
            if tok.i in by_token:
                ent = by_token[tok.i]
                if target is not None and target[0] == ent.label_:
                    ent._.canonical = target[1]
                elif target is None and (ent._.props or {}).get(METHOD_KEY) == "ner":
                    wrong.append(ent)  # "SAF" (Strategic Action Field) is not an organisation
            elif tok.i not in covered and target is not None:
                label, canonical, props = target
                props = {**props, "abbreviation": short}
                new.append(label_span(doc[tok.i: tok.i + 1], label, canonical, props,
                                      "abbreviation", self.confidence))
        remove_ents(doc, wrong)
        merge_ents(doc, new)
        return doc


@Language.factory("actorgraph_abbreviations", default_config={"confidence": 0.8})
def make_abbreviations(nlp: Language, name: str, confidence: float) -> Abbreviations:
    """Build the abbreviation component."""
    return Abbreviations(nlp, name, confidence)
