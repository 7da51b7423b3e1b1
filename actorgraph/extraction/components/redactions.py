"""Bracketed redactions as anonymised mentions of the right type.

``[name]``, ``[named individual]`` -> PERSON; ``[area a]``, ``[regional locality]`` ->
PLACE; ``[named hospital]``, ``[ICS]``, ``[CCG]`` -> ORG with the organisation type;
``[Vanguard]``, ``[name of site]`` -> SITE; ``[named MDT]`` -> INITIATIVE; a role inside
brackets (``[named CCG lead]``) is an anonymised PERSON with ``role_label``. The head words
are data (``data/redactions.jsonl``), and anything the gazetteer knows is recognised too.
Editorial insertions that name a specific body (``[NHSE]``) become that body, not an
anonymised one. Elisions and glosses (``[...]``, ``[were]``) are left alone.

An anonymised person without an identifier ("[name]") is a different person at each
mention, so it carries the private flag ``_distinct`` that keeps the assembly from
merging such mentions; "[area a]" or "[ICS]" are merged by their text.
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from actorgraph.extraction.components.entity_merge import char_span, label_span, merge_ents
from actorgraph.extraction.components.site_codes import SITE_CODE

BRACKETED = re.compile(r"\[(?P<inner>[A-Za-z][^\[\]\n]{0,48})\]")
_MODIFIERS = re.compile(
    r"^(?:(?:the|a|an|our|this|that|their|his|her|my|your|named|name of|name of the|local|"
    r"other|another|specific|particular|relevant|same|different|x|y)\s+)+", re.IGNORECASE)
_IDENT = re.compile(r"\s+(?P<ident>[a-z]|\d{1,2}|[A-Z])$")


def _singular(word: str) -> str:
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _inside_named_org(doc: Doc, span: Span) -> bool:
    """Whether the redaction is the name part of a gazetteer organisation ("[named] PCT")."""
    for ent in doc.ents:
        if ent.start <= span.start and span.end <= ent.end and len(ent) > len(span):
            if ent.label_ == "ORG" and (ent._.props or {}).get("_method") == "gazetteer+name":
                return True
    return False


class Redactions:
    """Turn bracketed redactions into anonymised entities."""

    def __init__(self, nlp: Language, name: str, data_file: str, confidence: float) -> None:
        self.nlp = nlp
        self.name = name
        self.confidence = confidence
        text = resources.files("actorgraph.extraction").joinpath("data").joinpath(
            data_file).read_text("utf-8") if not Path(data_file).exists() else Path(
            data_file).read_text("utf-8")
        self.set_rules([json.loads(line) for line in text.splitlines() if line.strip()])

    def set_rules(self, rules: list[dict[str, Any]]) -> None:
        """Index the head-word rules."""
        self.rules = rules
        self.heads: dict[str, dict[str, Any]] = {}
        for rule in rules:
            for head in rule["heads"]:
                self.heads.setdefault(head.lower(), rule)

    def classify(self, inner: str) -> tuple[str, str, dict[str, Any]] | None:
        """``(label, canonical, props)`` for the text inside the brackets, or ``None``."""
        inner = re.sub(r"\s+", " ", inner.strip())
        if "..." in inner or "…" in inner or SITE_CODE.fullmatch(inner):
            return None  # elisions; "[Site 5]" is the site code itself
        had_modifier = bool(_MODIFIERS.match(inner))
        base = _MODIFIERS.sub("", inner)
        ident = None
        m = _IDENT.search(base)
        if m and len(base) > 3:
            ident = m.group("ident")
            base = base[: m.start()]
        key = base.lower()
        if not key:
            return None
        canonical = f"[{inner}]"
        rule = self.heads.get(key) or self.heads.get(_singular(key))
        if rule is None and len(key.split()) <= 3:
            last = key.split()[-1]
            rule = self.heads.get(last) or self.heads.get(_singular(last))
        if rule is not None:
            props = dict(rule["props"])
            label = rule["label"]
            if label == "PERSON" and not ident:
                props["_distinct"] = True
            return label, canonical, props
        entry = self._gazetteer_entry(base)
        if entry is None:
            return None
        props = dict(entry["props"])
        if entry["label"] == "ROLE":
            props = {"anonymised": True, "role_label": base}
            if not ident:
                props["_distinct"] = True
            return "PERSON", canonical, props
        if not had_modifier and not ident and not props.get("generic", True):
            return entry["label"], entry["canonical"], props  # "[NHSE]": an insertion
        props.update({"anonymised": True, "generic": False})
        return entry["label"], canonical, props

    def _gazetteer_entry(self, text: str) -> dict[str, Any] | None:
        if "actorgraph_gazetteer" not in self.nlp.pipe_names:
            return None
        gazetteer = self.nlp.get_pipe("actorgraph_gazetteer")
        return gazetteer.lookup(text) or gazetteer.lookup(_singular(text))

    def __call__(self, doc: Doc) -> Doc:
        """Add the redactions of ``doc`` to ``doc.ents``."""
        spans: list[Span] = []
        for match in BRACKETED.finditer(doc.text):
            found = self.classify(match.group("inner"))
            if found is None:
                continue
            label, canonical, props = found
            span = char_span(doc, match.start(), match.end())
            if span is not None and not _inside_named_org(doc, span):
                spans.append(label_span(span, label, canonical, props, "redaction",
                                        self.confidence))
        merge_ents(doc, spans)
        return doc

    def to_disk(self, path: str | Path, *, exclude: tuple[str, ...] = ()) -> None:
        """Save the rules as ``redactions.jsonl`` in ``path``."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "redactions.jsonl", "w", encoding="utf-8") as fh:
            for rule in self.rules:
                fh.write(json.dumps(rule) + "\n")

    def from_disk(self, path: str | Path, *, exclude: tuple[str, ...] = ()) -> Redactions:
        """Load rules saved by :meth:`to_disk`."""
        text = (ensure_path(path) / "redactions.jsonl").read_text("utf-8")
        self.set_rules([json.loads(line) for line in text.splitlines() if line.strip()])
        return self


@Language.factory(
    "actorgraph_redactions",
    default_config={"data_file": "redactions.jsonl", "confidence": 0.85},
)
def make_redactions(nlp: Language, name: str, data_file: str, confidence: float) -> Redactions:
    """Build the redaction component."""
    return Redactions(nlp, name, data_file, confidence)
