"""Headings, sections and reference lists.

Line-level tests used by the cleaner (:mod:`actorgraph.extraction.cleaning`):

* :func:`heading_level` says whether a cleaned line is shaped like a heading
  (short, no closing punctuation, mostly letters, or numbered like ``"3.2 Findings"``);
* :func:`is_reference_title` recognises the title of a reference list
  ("References", "Bibliography", "Reference list", "Works cited"...);
* :func:`looks_like_reference_entry` recognises the first line of a cited entry
  (numbered ``"12. Smith J, ..."``/``"[3] ..."``, author-year ``"Allen, P., ..."``,
  Vancouver ``"Gordon AL, Franklin M, ..."`` or upper-case ``"NHS ENGLAND 2014. ..."``);
* :func:`build_sections` turns the headings found into nested :class:`Section`
  records in clean coordinates.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass
class Section:
    """A heading and the text it governs, in clean coordinates.

    ``start`` is where the heading starts, ``end`` where the next heading of the
    same or a higher level starts (or the text ends), so sections nest.
    ``kind`` is ``"front"`` (text before the first heading), ``"references"`` (a
    reference list) or ``"body"``.
    """

    title: str
    level: int
    start: int
    end: int
    kind: str


_REF_TITLE = re.compile(
    r"^(?:\d{1,2}(?:\.\d{1,2})*\.?\s+|[IVX]{1,4}\.\s+)?"
    r"(?:references?(?:\s+(?:list|cited))?|bibliography|select(?:ed)? bibliography"
    r"|works cited|literature cited|cited literature|sources(?: cited)?|reference list"
    r"|references and notes|notes and references|list of references)\s*:?$",
    re.I,
)
#: Headings that close a reference list (what usually follows one).
_AFTER_REFS = re.compile(
    r"^(?:\d{1,2}\.?\s+)?(?:appendi(?:x|ces)|annex(?:es)?|supplementary|acknowledge?ments?"
    r"|funding|competing interests?|conflicts? of interest|declaration|author(?:s'|s’|'s)?"
    r"\s+(?:contributions?|information|details)|about the authors?|notes on contributors"
    r"|glossary|abbreviations|tables?\s+\d|figures?\s+\d)\b",
    re.I,
)
_NUMBERED = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,4})\.?\s+(\S.*)$")
_ENTRY_NUM = re.compile(r"^(?:\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}[.)]?)\s+[A-Z\u00c0-\u024f]")
_ENTRY_AUTHOR = re.compile(
    r"^[A-Z\u00c0-\u024f][A-Za-z\u00c0-\u024f'’\-]+(?: [A-Z][a-z]+)?"
    r"(?:,\s*(?:[A-Z]\.\s*-?){1,3}|\s+[A-Z]{1,3}(?:,|\.|\s+and\b)|,\s+[A-Z][a-z]+\s+[A-Z]\.)"
)
_ENTRY_CORP = re.compile(r"^[A-Z][A-Z&'’.\- ]{2,60}[,.]?\s*\(?(?:19|20)\d\d[a-z]?\)?[.,]")
_HONORIFICS = frozenset({"dr", "prof", "professor", "mr", "mrs", "ms", "miss", "sir", "dame",
                        "cllr", "councillor", "rev", "lord", "lady", "baroness"})
_NUMBERED_TITLES = frozenset({"appendix", "annex", "chapter", "part", "phase", "section",
                              "stage", "wave", "step", "theme", "site", "case", "study",
                              "volume", "book", "module", "year"})
_YEAR = re.compile(r"\b(?:19|20)\d\d[a-z]?\b|\bin press\b|\bn\.d\.", re.I)
_CAPTION = re.compile(r"^(?:table|figure|fig\.|box|exhibit|chart|panel)\s+[A-Z0-9]{1,4}\b", re.I)


def is_reference_title(text: str) -> bool:
    """True for the title of a reference list ("References", "7. Bibliography"...)."""
    return len(text) <= 40 and bool(_REF_TITLE.match(text.strip()))


def closes_references(text: str) -> bool:
    """True for a heading that typically follows a reference list (Appendix, Funding...)."""
    return len(text) <= 120 and bool(_AFTER_REFS.match(text.strip()))


def is_caption(text: str) -> bool:
    """True for a table or figure caption line ("Table 5 ...", "Figure 2: ...", "Box 1 ...")."""
    return bool(_CAPTION.match(text))


def looks_like_reference_entry(text: str, following: str = "") -> bool:
    """True when ``text`` starts a cited entry of a reference list.

    ``following`` (the next line, if the entry wraps) is searched for the year too.
    """
    t = text.strip()
    if len(t) < 12:
        return False
    if not (_ENTRY_NUM.match(t) or _ENTRY_AUTHOR.match(t) or _ENTRY_CORP.match(t)):
        return False
    return bool(_YEAR.search(t) or _YEAR.search(following[:200]))


def heading_level(text: str) -> int | None:
    """The level of a heading-shaped line, or ``None`` when it is not one.

    Numbered headings give their depth (``"3"`` -> 1, ``"3.2"`` -> 2); other
    heading-shaped lines give 2 (a plain line cannot say its level), except the
    headings that open or close back matter ("References", "Appendix A"), which
    give 1.
    """
    t = text.strip()
    n = len(t)
    if n < 3 or n > 100:
        return None
    if t[-1] in ".,;:!?…" or t.endswith(("”", "’", '"')) and n > 1 and t[-2] in ".,;!?":
        return None
    words = t.split()
    if len(words) > 12 or t.count(",") > (1 if len(words) <= 5 else 0):
        return None
    if words[0].rstrip(".").lower() in _HONORIFICS:
        return None  # a name line ("Dr Anna Coleman"), not a heading
    level = 2
    m = _NUMBERED.match(t)
    body = t
    if m:
        depth = m.group(1).count(".") + 1
        body = m.group(2)
        if not body[:1].isalpha() or not body[:1].isupper():
            return None
        level = depth
    elif not t[0].isalpha():
        return None
    elif words[-1].isdigit() and words[0].lower() not in _NUMBERED_TITLES:
        return None  # "Care home manager 10": a table row, not "Appendix 2"
    non_space = len(body) - sum(map(str.isspace, body))
    if not non_space or sum(map(str.isalpha, body)) / non_space < 0.75:
        return None
    if not any(len(w) >= 3 and w.isalpha() for w in body.split()):
        return None
    if body[0].islower() and len(words) > 6:
        return None  # lower-case headings ("strengths and limitations") are short
    if not m and (is_reference_title(t) or closes_references(t)):
        level = 1
    return level


def build_sections(
    headings: list[tuple[str, int, int, bool]], text_len: int,
    headless_refs: list[tuple[int, int]] | None = None,
) -> list[Section]:
    """Turn ``(title, level, clean_start, is_references)`` headings into sections.

    A section ends where the next heading of the same or a higher (smaller)
    level starts. ``headless_refs`` are reference blocks found without a heading.
    """
    sections: list[Section] = []
    if headings and headings[0][2] > 0:
        sections.append(Section("", 0, 0, headings[0][2], "front"))
    elif not headings and text_len:
        sections.append(Section("", 0, 0, text_len, "front"))
    for i, (title, level, start, is_ref) in enumerate(headings):
        end = text_len
        for _title, other_level, other_start, _ in headings[i + 1:]:
            if other_level <= level:
                end = other_start
                break
        sections.append(Section(title, level, start, end, "references" if is_ref else "body"))
    for start, end in headless_refs or []:
        sections.append(Section("", 1, start, end, "references"))
    sections.sort(key=lambda s: (s.start, s.level))
    return sections
