"""Citations, reference lists and the report's own author lists never produce actors.

* Parenthetical author-year citations ``(Checkland et al., 2019; NHS England, 2014)``
  and numbered ones ``[12]``, ``[1, 3-5]``: every entity inside them is removed (so
  "NHS England" in "(NHS England, 2014)" is a citation here, an actor elsewhere).
* Narrative citations ``Moulton and Sandfort (2017)``, ``Checkland et al. (2019)``,
  ``Checkland et al 2019``: person entities over the names are removed.
* Any person found by the stock NER whose words include a surname cited anywhere in the
  document (``Doc._.cited_names``, collected over the whole document before chunking by
  :func:`cited_names`) is removed.
* Reference-list entries ("Smith J, Jones K. Title. Journal 2019;...") and by-lines
  ("Professor Jane Smith, Dr John Doe") lose their person entities, as do chunks the
  pipeline marks as front matter or acknowledgements (``Doc._.zone`` = ``"front"`` /
  ``"back"``). Respondent codes and redactions are always kept.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from actorgraph.extraction.components.entity_merge import METHOD_KEY, remove_ents

for _name in ("cited_names", "zone"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

_YEAR = r"(?:19|20)\d{2}[a-z]?"
_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|Spring|Summer|Autumn|"
           "Winter|Since|From|Until|In|By|Before|After|Between|During|Early|Late|Mid|End|Q[1-4]")
_NAME = r"(?!(?:" + _MONTHS + r")\b)[A-Z][A-Za-z'’\-]+"
_PNAME = _NAME + r"(?:\s+" + _NAME + r"){0,2}"
_AUTHOR = _NAME + r"(?:\s+(?:of|for|and|the|&)?\s*[A-Z][A-Za-z'’\-]+){0,5}"
_AUTHOR_YEAR = re.compile(_AUTHOR + r"(?:\s+et\s+al\.?)?,?\s+(?:\(?\s*)" + _YEAR + r"\b")
PARENTHETICAL = re.compile(
    r"[(\[](?P<body>[^()\[\]\n]{0,400}?\b" + _YEAR + r"\b[^()\[\]\n]{0,80})[)\]]")
NARRATIVE = re.compile(
    r"(?P<names>" + _PNAME + r"(?:\s*,\s*" + _PNAME + r")*(?:\s+(?:and|&)\s+" + _PNAME + r")?"
    r"(?:\s+et\s+al\.?)?)\s*(?:\(\s*" + _YEAR + r"(?:[,;][^()\n]{0,40})?\)|(?<=al)\.?,?\s+"
    + _YEAR + r"\b|(?<=al\.),?\s+" + _YEAR + r"\b)")
NUMBERED = re.compile(r"\[\s*\d{1,3}(?:\s*[,–\-]\s*\d{1,3})*\s*\]")
REFERENCE_LINE = re.compile(
    r"^[ \t]*(?:\[?\d{1,3}[.\])]?[ \t]+)?[A-Z][A-Za-z'’\-]+,?[ \t]+(?:[A-Z]\.?[ \t]?){1,3}[,.;]"
    r"(?=[^\n]*\b(?:19|20)\d{2}\b)"
    r"|^[ \t]*(?:\[?\d{1,3}[.\])]?[ \t]+)?[A-Z][A-Za-z'’\-]+,[ \t]+[A-Z][a-z]*\.?(?:[ \t]?[A-Z]\.)*"
    r"[^\n]*\(" + _YEAR + r"\)", re.MULTILINE)
_SURNAME_STOP = {"And", "The", "Of", "For", "In", "Et", "Al", "See", "Also", "Eg", "Ie", "Cf",
                 "NHS", "England", "Department", "Health", "Care", "Social", "National", "Report"}
_BYLINE_WORDS = re.compile(r"\b(?:and|professor|prof|dr|mr|mrs|ms|pi|et|al|phd|md|msc|bsc|"
                           r"rn|frcp|mrcgp|ba|ma|authors?|by)\b", re.IGNORECASE)
KEEP_METHODS = {"respondent_code", "redaction", "site_code"}


def citation_spans(text: str) -> list[tuple[int, int, bool]]:
    """Citation spans of ``text`` as ``(start, end, parenthetical)``."""
    spans: list[tuple[int, int, bool]] = []
    for match in PARENTHETICAL.finditer(text):
        if _AUTHOR_YEAR.search(match.group("body")):
            spans.append((match.start(), match.end(), True))
    for match in NUMBERED.finditer(text):
        spans.append((match.start(), match.end(), True))
    for match in NARRATIVE.finditer(text):
        spans.append((match.start("names"), match.end(), False))
    return spans


def cited_names(text: str) -> set[str]:
    """Capitalised words that name cited authors anywhere in ``text``."""
    names: set[str] = set()
    for match in PARENTHETICAL.finditer(text):
        body = match.group("body")
        for part in _AUTHOR_YEAR.finditer(body):
            names.update(re.findall(r"[A-Z][a-z][A-Za-z'’\-]+", part.group(0)))
    for match in NARRATIVE.finditer(text):
        names.update(re.findall(r"[A-Z][a-z][A-Za-z'’\-]+", match.group("names")))
    return names - _SURNAME_STOP


def _all_cited(ent: Span, names: set[str]) -> bool:
    """A stock-NER entity made only of cited surnames ("Moulton", "Moulton & Sandfort")."""
    if "et al" in ent.text:
        return True
    words = [t.text for t in ent if t.is_alpha and t.lower_ not in ("and", "s")]
    if not words:
        return False
    if len(words) > 1 and not any(t.lower_ in ("and", "&") for t in ent):
        return False
    return all(w in names for w in words)


def _byline(line: str, persons: list[Span]) -> bool:
    rest = line
    for ent in persons:
        rest = rest.replace(ent.text, " ")
    rest = _BYLINE_WORDS.sub(" ", rest)
    return sum(c.isalpha() for c in rest) < 12


class Citations:
    """Remove entities that come from citations, reference lists and author lists."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Drop citation-borne entities from ``doc.ents``."""
        if not doc.ents:
            return doc
        text = doc.text
        given = doc._.cited_names
        names = cited_names(text) if given is None else set(given)
        zone = doc._.zone
        cites = citation_spans(text)
        ref_lines = [(m.start(), text.find("\n", m.start())) for m in REFERENCE_LINE.finditer(text)]
        drop: list[Span] = []
        persons_by_line: dict[int, list[Span]] = {}
        for ent in doc.ents:
            method = (ent._.props or {}).get(METHOD_KEY)
            if method in KEEP_METHODS:
                continue
            s, e = ent.start_char, ent.end_char
            is_person = ent.label_ == "PERSON"
            if any(cs <= s and e <= ce and (paren or is_person) for cs, ce, paren in cites):
                drop.append(ent)
            elif any(rs <= s and (re_ < 0 or e <= re_) for rs, re_ in ref_lines):
                drop.append(ent)
            elif is_person and (zone in ("front", "back") or
                                any(tok.text in names for tok in ent)):
                drop.append(ent)
            elif method == "ner" and _all_cited(ent, names):
                drop.append(ent)
            elif is_person:
                line_start = text.rfind("\n", 0, s) + 1
                persons_by_line.setdefault(line_start, []).append(ent)
        for line_start, persons in persons_by_line.items():
            line_end = text.find("\n", line_start)
            line = text[line_start: line_end if line_end >= 0 else len(text)]
            if _byline(line, persons):
                drop.extend(persons)
        remove_ents(doc, drop)
        return doc


@Language.factory("actorgraph_citations", default_config={})
def make_citations(nlp: Language, name: str) -> Citations:
    """Build the citation component."""
    return Citations(nlp, name)
