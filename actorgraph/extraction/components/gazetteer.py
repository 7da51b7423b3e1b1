"""The genre's gazetteer: organisation types and national bodies, Vanguard model types and
programmes, initiative vocabulary, site names and role titles, kept as JSONL data.

Each line of a data file is one entry::

    {"label": "ORG", "canonical": "Clinical Commissioning Group",
     "patterns": ["clinical commissioning group"], "abbreviations": ["CCG"],
     "props": {"org_type": "CCG", "sector": "NHS", "level": "place", "generic": true},
     "extend_left": true}

``patterns`` match case-insensitively (unless ``"case_sensitive": true``) and in the
plural; ``abbreviations`` match exactly (and with a plural ``s``). ``extend_left`` lets
a generic organisation type grow over the proper name before it ("Wakefield CCG",
"Airedale NHS Foundation Trust"), which then becomes a specific organisation. Matching
is a :class:`~spacy.matcher.PhraseMatcher` over the compiled patterns (one pass per doc).
Users add entries in their own JSONL file (config ``extra_patterns``).
"""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from actorgraph.extraction.components.entity_merge import (
    CONFIDENCE_KEY,
    METHOD_KEY,
    char_span,
    label_span,
    merge_ents,
    normalise_name,
)

DATA_FILES = ["organisations.jsonl", "initiatives.jsonl", "sites.jsonl", "roles.jsonl"]
_NAME_POS = {"PROPN", "NOUN", "ADJ"}
_NAME_JOINERS = {"and", "&"}
_MAX_NAME_TOKENS = 6
#: "four (key) elements: A, B, C and D": the heads and counts of a listed programme.
_LIST_HEADS = {"elements", "components", "workstreams", "strands", "pillars", "initiatives",
               "interventions", "schemes", "services", "priorities", "programmes", "projects"}
_LIST_ADJS = {"key", "main", "core", "distinct", "separate", "major", "new", "local"}
_COUNTS = {"two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "several"}
#: Heads of a named unit of a national body ("NHS England vanguard team").
_UNIT_HEADS = {"team", "unit", "directorate", "division", "office"}
_NOT_NAMES = {"vanguard", "vanguards", "site", "sites", "nhs", "new", "local", "national"}
# "<Name> model": a named care model ("the Buurtzorg model", "the PRISMA model").
_MODEL_HEADS = {"model", "approach"}
_MODEL_MODIFIERS = {"integrated", "care", "health", "community", "nursing", "service",
                    "delivery", "of"}
# "<Title-case words> Act <year>": legislation.
_ACT = re.compile(
    r"\b(?:[A-Z][\w'’-]+ (?:(?:and|of|for|in|on|to|&) )?){1,8}Act (?:19|20)\d\d\b")


def _name_token(tok: Any) -> bool:
    """Whether a token can be part of an organisation's proper name."""
    if not (tok.is_title or (tok.is_upper and len(tok) > 1)) or not tok.is_alpha:
        return False
    if tok.is_stop or tok.lower_ in _NOT_NAMES:
        return False
    if tok.pos_ == "PROPN":
        return True
    return tok.pos_ in _NAME_POS and not tok.is_sent_start


def plural(word: str) -> str:
    """English plural of a word ("authority" -> "authorities", "CCG" -> "CCGs")."""
    if word.isupper():
        return word + "s"
    low = word.lower()
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return word[:-1] + "ies"
    if low.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def plural_phrase(phrase: str) -> str:
    """Pluralise the last word of a phrase ("care home" -> "care homes")."""
    head, _, last = phrase.rpartition(" ")
    return f"{head} {plural(last)}".strip() if last else plural(phrase)


def load_entries(paths: list[str | Path]) -> list[dict[str, Any]]:
    """Read gazetteer entries from the packaged data files and/or user JSONL paths.

    A bare file name is looked up in ``actorgraph/extraction/data``. Raises ``ValueError``
    naming the file and line for a malformed entry.
    """
    entries: list[dict[str, Any]] = []
    data_dir = resources.files("actorgraph.extraction").joinpath("data")
    for item in paths:
        path = Path(item)
        text = (
            path.read_text("utf-8") if path.exists() else data_dir.joinpath(str(item)).read_text(
                "utf-8")
        )
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            try:
                entry = json.loads(line)
                if entry["label"] not in {"PERSON", "ROLE", "ORG", "SITE", "INITIATIVE", "PLACE"}:
                    raise ValueError(f"unknown label {entry['label']!r}")
                entry.setdefault("patterns", [])
                entry.setdefault("abbreviations", [])
                entry.setdefault("props", {})
                entry.setdefault("canonical", (entry["patterns"] or entry["abbreviations"])[0])
            except (ValueError, KeyError, IndexError, TypeError) as err:
                raise ValueError(f"{item}:{lineno}: bad gazetteer entry: {err}") from err
            entries.append(entry)
    return entries


class Gazetteer:
    """Entity ruler over the genre's vocabulary (see the module docstring for the data)."""

    def __init__(
        self,
        nlp: Language,
        name: str,
        data_files: list[str],
        extra_patterns: str | None,
        plurals: bool,
        extend_names: bool,
        confidence: float,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.plurals = plurals
        self.extend_names = extend_names
        self.confidence = confidence
        files: list[str | Path] = list(data_files)
        if extra_patterns:
            files.append(Path(extra_patterns))
        self.set_entries(load_entries(files))

    # -- data -----------------------------------------------------------------------------
    def set_entries(self, entries: list[dict[str, Any]]) -> None:
        """(Re)build the matchers and the phrase lookup from ``entries``."""
        self.entries = entries
        self.lower = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exact = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self.lookup_table: dict[str, int] = {}
        lower_phrases: dict[str, int] = {}
        exact_phrases: dict[str, int] = {}
        for idx, entry in enumerate(entries):
            case = bool(entry.get("case_sensitive"))
            for pattern in entry["patterns"]:
                forms = {pattern, plural_phrase(pattern)} if self.plurals else {pattern}
                for form in forms:
                    target = exact_phrases if case else lower_phrases
                    target.setdefault(form if case else form.lower(), idx)
                    self.lookup_table.setdefault(form.lower(), idx)
            for abbr in entry["abbreviations"]:
                forms = {abbr, abbr + "s"} if self.plurals else {abbr}
                for form in forms:
                    exact_phrases.setdefault(form, idx)
                    self.lookup_table.setdefault(form.lower(), idx)
        for table, matcher in ((lower_phrases, self.lower), (exact_phrases, self.exact)):
            by_entry: dict[int, list[str]] = {}
            for phrase, idx in table.items():
                by_entry.setdefault(idx, []).append(phrase)
            for idx, phrases in by_entry.items():
                matcher.add(f"gz{idx}", list(self.nlp.tokenizer.pipe(phrases)))

    def lookup(self, text: str) -> dict[str, Any] | None:
        """The entry whose pattern or abbreviation is exactly ``text`` (case-insensitive)."""
        idx = self.lookup_table.get(normalise_name(text).lower())
        return None if idx is None else self.entries[idx]

    # -- matching -----------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        """Add the gazetteer's matches to ``doc.ents`` (they win over stock NER spans)."""
        strings = self.nlp.vocab.strings
        matches = [
            (self.entries[int(strings[match_id][2:])], start, end)
            for matcher in (self.lower, self.exact)
            for match_id, start, end in matcher(doc)
        ]
        # A name never grows over another organisation-type head ("Leeds CCG and York CCG").
        matched = {
            i for entry, start, end in matches if entry["label"] == "ORG" and entry["abbreviations"]
            for i in range(start, end)
        }
        matches += self._ellipsis_matches(doc, matches)
        spans = [self._make(doc, entry, start, end, matched) for entry, start, end in matches]
        spans += [u for u in (self._unit_of(doc, span) for span in spans) if u is not None]
        taken = {i for span in spans for i in range(span.start, span.end)}
        spans += [s for s in self._rule_initiatives(doc) if not taken & set(range(s.start, s.end))]
        taken = {i for span in spans for i in range(span.start, span.end)}
        spans += [s for s in self._listed_elements(doc) if not taken & set(range(s.start, s.end))]
        merge_ents(doc, spans)
        return doc

    def _ellipsis_matches(
        self, doc: Doc, matches: list[tuple[dict[str, Any], int, int]]
    ) -> list[tuple[dict[str, Any], int, int]]:
        """Coordinated modifiers sharing a head: "residential and nursing homes".

        When the word before "and"/"or" in front of a two-or-more-word match, put in place of
        the match's first word, is itself a pattern ("residential homes"), that word is a
        mention of the other entry.
        """
        out = []
        starts = {start for _, start, _ in matches}
        for entry, start, end in matches:
            if end - start < 2 or start < 2 or doc[start - 1].lower_ not in ("and", "or"):
                continue
            mod = doc[start - 2]
            if not mod.is_alpha or mod.is_stop or (start - 2) in starts:
                continue
            phrase = " ".join([mod.lower_, *(t.lower_ for t in doc[start + 1:end])])
            idx = self.lookup_table.get(phrase)
            if idx is not None and self.entries[idx] is not entry:
                other = self.entries[idx]
                if other["label"] == entry["label"]:
                    out.append((other, start - 2, start - 1))
        return out

    def _unit_of(self, doc: Doc, span: Span) -> Span | None:
        """A named unit of a national body: "NHS England Operational Research and
        Evaluation team", "NHSE vanguard team" (the body's name, up to six name words, a
        unit head). The unit is an organisation of its own (``PART_OF`` the body)."""
        props = dict(span._.props or {})
        if span.label_ != "ORG" or props.get("generic") or props.get("level") != "national":
            return None
        j = span.end
        while j < len(doc) and j - span.end <= _MAX_NAME_TOKENS:
            tok = doc[j]
            if tok.lower_ in _UNIT_HEADS:
                unit = doc[span.start:j + 1]
                props.pop("abbreviation", None)
                props.pop(METHOD_KEY, None)
                props.pop(CONFIDENCE_KEY, None)
                return label_span(unit, "ORG", normalise_name(unit.text), props,
                                  "gazetteer+unit", self.confidence)
            if not (tok.is_alpha and (tok.pos_ in _NAME_POS or tok.lower_ in _NAME_JOINERS)
                    and (not tok.is_stop or tok.lower_ in _NAME_JOINERS)):
                return None
            j += 1
        return None

    def _listed_elements(self, doc: Doc) -> list[Span]:
        """A counted list of a programme's parts: "based on four elements: Care in the Home,
        Crisis notification, Care Navigator and Acute Care representation". Each item (one to
        five words, capitalised) is an initiative; one item that is not makes the whole list
        count for nothing."""
        out: list[Span] = []
        for tok in doc:
            if tok.text != ":" or tok.i < 2:
                continue
            head = doc[tok.i - 1]
            count = doc[tok.i - 2] if doc[tok.i - 2].lower_ not in _LIST_ADJS else doc[tok.i - 3]
            if head.lower_ not in _LIST_HEADS or not (count.like_num or count.lower_ in _COUNTS):
                continue
            items: list[Span] = []
            start = tok.i + 1
            j = start
            while j <= len(doc):
                at_end = j == len(doc) or doc[j].text in (".", ";", "\n") or doc[j].is_space
                if at_end or doc[j].text == "," or doc[j].lower_ in ("and", "&"):
                    if j > start:
                        items.append(doc[start:j])
                    if at_end:
                        break
                    start = j + 1
                j += 1
            if len(items) < 2 or not all(
                    1 <= len(it) <= 5 and it[0].is_title and all(t.is_alpha for t in it)
                    for it in items):
                continue
            for it in items:
                out.append(label_span(it, "INITIATIVE", normalise_name(it.text),
                                      {"category": "element", "scope": "local"},
                                      "gazetteer+list", self.confidence * 0.8))
        return out

    def _rule_initiatives(self, doc: Doc) -> list[Span]:
        """Named models and Acts: "the Buurtzorg model", "Health and Social Care Act 2012"."""
        spans = []
        for match in _ACT.finditer(doc.text):
            span = char_span(doc, match.start(), match.end())
            if span is not None:
                spans.append(label_span(span, "INITIATIVE", normalise_name(span.text),
                                        {"category": "legislation", "scope": "national"},
                                        "gazetteer+rule", self.confidence))
        for tok in doc:
            if tok.lower_ not in _MODEL_HEADS or tok.i == 0:
                continue
            i = tok.i
            while i > 0 and tok.i - i < _MAX_NAME_TOKENS:
                prev = doc[i - 1]
                if prev.lower_ in _MODEL_MODIFIERS or (
                        prev.is_alpha and (prev.is_title or prev.is_upper) and not prev.is_stop
                        and (prev.pos_ == "PROPN" or not prev.is_sent_start)):
                    i -= 1
                else:
                    break
            words = [t for t in doc[i:tok.i] if t.lower_ not in _MODEL_MODIFIERS]
            if not words or any(t.lower_ in _NOT_NAMES for t in words):
                continue
            if not any(t.pos_ == "PROPN" for t in words):
                continue
            span = doc[i:tok.i + 1]
            spans.append(label_span(span, "INITIATIVE", normalise_name(span.text),
                                    {"category": "model", "scope": "international"},
                                    "gazetteer+rule", self.confidence))
        return spans

    def _make(
        self, doc: Doc, entry: dict[str, Any], start: int, end: int, matched: set[int]
    ) -> Span:
        props = dict(entry["props"])
        canonical = entry["canonical"]
        method = "gazetteer"
        if entry["label"] == "ORG" and props.get("generic"):
            named = self._named_container(doc, start, end)
            if named is None and self.extend_names and entry.get("extend_left"):
                new_start = self._extend_left(doc, start, matched)
                if new_start < start:
                    named = doc[new_start:end]
            if named is None and self.extend_names and entry.get("extend_right_of"):
                new_end = self._extend_right_of(doc, end, matched)
                if new_end > end:
                    named = doc[start:new_end]
            if named is not None:
                props["generic"] = False
                canonical = normalise_name(named.text)
                start, end = named.start, named.end
                method = "gazetteer+name"
        span = doc[start:end]
        return label_span(span, entry["label"], canonical, props, method, self.confidence)

    @staticmethod
    def _named_container(doc: Doc, start: int, end: int) -> Span | None:
        """A stock-NER ORG entity that contains this match and is longer (a proper name)."""
        for ent in doc.ents:
            if ent.label_ == "ORG" and ent.start <= start and end <= ent.end:
                if (ent.end - ent.start) > (end - start) and not ent._.props:
                    return ent
        return None

    @staticmethod
    def _extend_right_of(doc: Doc, end: int, matched: set[int]) -> int:
        """Grow rightwards over "of" and a proper name ("University of Manchester")."""
        if end + 1 >= len(doc) or doc[end].lower_ != "of":
            return end
        j = end + 1
        while j < len(doc) and j - end <= _MAX_NAME_TOKENS and j not in matched:
            tok = doc[j]
            if _name_token(tok) or (tok.is_title and tok.is_alpha and tok.pos_ == "PROPN"):
                j += 1
            else:
                break
        return j if j > end + 1 else end

    @staticmethod
    def _redaction_left(doc: Doc, start: int) -> int:
        """Start of a bracketed redaction right before ``start`` ("[named] PCT"), else it."""
        if start < 3 or doc[start - 1].text != "]":
            return start
        for j in range(start - 2, max(start - 8, 0) - 1, -1):
            if doc[j].text == "[":
                inner = doc[j + 1:start - 1]
                if len(inner) and all(t.is_alpha for t in inner):
                    return j
                return start
            if not doc[j].is_alpha:
                return start
        return start

    @classmethod
    def _extend_left(cls, doc: Doc, start: int, matched: set[int]) -> int:
        """Grow leftwards over a proper name: title-case content words, "and"/"&" inside it.

        A bracketed redaction right before the head is the (anonymised) name: "[named] PCT".
        """
        redacted = cls._redaction_left(doc, start)
        if redacted < start:
            return redacted
        i = start
        while i > 0 and start - i < _MAX_NAME_TOKENS:
            tok = doc[i - 1]
            if tok.i in matched:
                break
            if _name_token(tok):
                i -= 1
            elif (tok.lower_ in _NAME_JOINERS and i < start and i > 1
                  and _name_token(doc[i - 2]) and doc[i - 2].i not in matched):
                i -= 1
            else:
                break
        while i < start and doc[i].lower_ in _NAME_JOINERS:
            i += 1
        return i

    # -- serialisation -------------------------------------------------------------------
    def to_disk(self, path: str | Path, *, exclude: tuple[str, ...] = ()) -> None:
        """Save the entries as ``patterns.jsonl`` in ``path``."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        with open(path / "patterns.jsonl", "w", encoding="utf-8") as fh:
            for entry in self.entries:
                fh.write(json.dumps(entry, ensure_ascii=False) + "\n")

    def from_disk(self, path: str | Path, *, exclude: tuple[str, ...] = ()) -> Gazetteer:
        """Load the entries saved by :meth:`to_disk`."""
        self.set_entries(load_entries([ensure_path(path) / "patterns.jsonl"]))
        return self


@Language.factory(
    "actorgraph_gazetteer",
    default_config={
        "data_files": DATA_FILES,
        "extra_patterns": None,
        "plurals": True,
        "extend_names": True,
        "confidence": 0.9,
    },
)
def make_gazetteer(
    nlp: Language,
    name: str,
    data_files: list[str],
    extra_patterns: str | None,
    plurals: bool,
    extend_names: bool,
    confidence: float,
) -> Gazetteer:
    """Build the gazetteer component."""
    return Gazetteer(nlp, name, data_files, extra_patterns, plurals, extend_names, confidence)


__all__ = ["Gazetteer", "char_span", "load_entries", "make_gazetteer", "plural", "plural_phrase"]
