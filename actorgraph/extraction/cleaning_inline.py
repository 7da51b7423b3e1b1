"""Inline cleaning of one line: markup, URLs and odd characters out, offsets kept.

:func:`clean_line` returns the line as *pieces* ``(text, a, b, copied)`` in base
coordinates: a copied piece is ``src[a:b]`` itself; an inserted piece (a decoded
entity, a space standing for a tab or a no-break space, the two letters of a
ligature) maps every character to ``[a, b)``. What is deleted simply has no piece.

Removed: markdown heading marks, block quotes, bullet symbols, ``**bold**`` and
``*italic*`` marks, links' markup (the link text stays), images, footnote
markers (``<sup>1</sup>``, superscript digits, and plain numeric markers that PDF
conversion glues to a word: ``working.15``, ``mortality,22``, ``change5 12 13``; see
:func:`footnote_markers`), other HTML tags, URLs and DOIs (with the brackets around
them), soft hyphens and zero-width characters. Decoded: HTML entities and
ligatures. White space runs become one space; the line is trimmed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

Piece = tuple[str, int, int, bool]

_INLINE = re.compile(
    # a cheap look-ahead first: most characters start none of the patterns below
    r"(?=[<!\[&*_\\\u00ad\u200b-\u200d\u2060\ufeff\ufb00-\ufb06\t\u00a0\u2000-\u200a"
    r"\u202f\u205f\u3000\v]| \s|https?://|www\.|doi:)"
    r"(?:(?P<sup><sup>[^<>\n]{0,15}</sup>|<!--.*?-->)"
    r"|(?P<img>!\[[^\]\n]{0,300}\]\([^)\s]{0,500}\))"
    r"|(?P<link>\[(?P<ltext>[^\]\n]{1,300})\]\((?P<lurl>[^)\s]{1,500})(?:\s+\"[^\"\n]*\")?\))"
    r"|(?P<auto><(?:https?://|mailto:|www\.)[^>\s]{1,500}>)"
    r"|(?P<tag></?[A-Za-z][A-Za-z0-9]{0,15}(?:\s[^<>\n]{0,300})?/?>)"
    r"|(?P<ent>&(?:[A-Za-z][A-Za-z0-9]{1,31}|\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6});)"
    r"|(?P<url>(?:https?://|www\.)[^\s<>\"]+)"
    r"|(?P<doi>\bdoi:\s?10\.\d{4,9}/[^\s<>\"]+)"
    r"|(?P<esc>\\(?P<escc>[\\`*_{}\[\]()#+\-.!|>]))"
    r"|(?P<emph>\*{1,3}|(?<![A-Za-z0-9])_{1,3}(?=\S)|(?<=\S)_{1,3}(?![A-Za-z0-9]))"
    r"|(?P<zw>[\u00ad\u200b\u200c\u200d\u2060\ufeff])"
    r"|(?P<lig>[\ufb00-\ufb06])"
    r"|(?P<sp>[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000\v]{2,}"
    r"|[\t\u00a0\u2000-\u200a\u202f\u205f\u3000\v]))"
)
_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
              "\ufb05": "st", "\ufb06": "st"}
_URL_TRAIL = ".,;:!?)]}'\"’”>"
_CLOSER = {"(": ")", "<": ">", "[": "]"}

_INDENT = re.compile(r"[ \t\u00a0]*")
_QUOTE = re.compile(r"(?:>[ \t]?)+")
_HASH = re.compile(r"(#{1,6})(?:[ \t]+|$)")
_BULLET = re.compile(r"[-*+•●○◦▪▫■□►▶➢➤❖✓✔·][ \t]+")
_NUMBERED = re.compile(r"(?:\(?\d{1,3}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])[ \t]+")
_CLOSING_HASHES = re.compile(r"[ \t]+#+[ \t]*$")
_BOLD_LINE = re.compile(r"^(\*\*|__)(?=\S)(.+?)(?<=\S)\1[ \t]*$")


@dataclass
class LineInfo:
    """What the start of a line said about its structure."""

    md_level: int = 0  # markdown heading level (# count), 0 when none
    bullet: bool = False  # began with a bullet symbol (removed)
    numbered: bool = False  # began with a list number ("1.", "(a)") (kept)
    bold: bool = False  # the whole line was bold (**...**)
    quote: bool = False  # began with a markdown block quote mark (removed)
    pieces: list[Piece] = field(default_factory=list)


def clean_line(src: str, a: int, b: int, *, cell: bool = False) -> LineInfo:
    """Clean ``src[a:b]`` (one line or one table cell) into pieces; see the module doc."""
    info = LineInfo()
    pos = a
    if not cell:
        pos = _INDENT.match(src, pos, b).end()
        m = _QUOTE.match(src, pos, b)
        if m:
            info.quote = True
            pos = _INDENT.match(src, m.end(), b).end()
        m = _HASH.match(src, pos, b)
        if m:
            info.md_level = len(m.group(1))
            pos = m.end()
            tail = _CLOSING_HASHES.search(src, pos, b)
            if tail:
                b = tail.start()
        else:
            m = _BULLET.match(src, pos, b)
            if m:
                info.bullet = True
                pos = m.end()
            elif _NUMBERED.match(src, pos, b):
                info.numbered = True
        if _BOLD_LINE.match(src[pos:b]):
            info.bold = True
    pieces: list[Piece] = []
    _scan(src, pos, b, pieces)
    info.pieces = _tidy(pieces)
    return info


def _scan(src: str, a: int, b: int, out: list[Piece]) -> None:
    pos = a
    while pos < b:
        m = _INLINE.search(src, pos, b)
        if m is None:
            break
        kind = m.lastgroup
        s, e = m.start(), m.end()
        if kind == "link":
            _copy(out, src, pos, s)
            _scan(src, m.start("ltext"), m.end("ltext"), out)
        elif kind in ("url", "doi"):
            while e > s + 1 and src[e - 1] in _URL_TRAIL:
                if src[e - 1] == ")" and src.count("(", s, e) >= src.count(")", s, e):
                    break
                e -= 1
            if s > pos and src[s - 1] in _CLOSER and e < b and src[e] == _CLOSER[src[s - 1]]:
                s -= 1
                e += 1
            if s > pos and src[s - 1] == " " and (e >= b or src[e] in ".,;:!?)"):
                s -= 1  # no space left before the punctuation that followed the URL
            _copy(out, src, pos, s)
        elif kind == "ent":
            _copy(out, src, pos, s)
            decoded = html.unescape(m.group(0))
            if decoded == m.group(0):
                _copy(out, src, s, e)
            else:
                out.append((" " if decoded.isspace() else decoded, s, e, False))
        elif kind == "esc":
            _copy(out, src, pos, s)
            _copy(out, src, m.start("escc"), e)
        elif kind == "lig":
            _copy(out, src, pos, s)
            out.append((_LIGATURES[m.group(0)], s, e, False))
        elif kind == "sp":
            _copy(out, src, pos, s)
            out.append((" ", s, s + 1, m.group(0)[0] == " "))
        elif kind == "tag" and m.group(0).lower().startswith(("<br", "<td", "<th", "<p", "<li")):
            _copy(out, src, pos, s)
            out.append((" ", s, s + 1, False))
        else:  # sup, img, auto, tag, emph, zw: deleted
            _copy(out, src, pos, s)
        pos = e
    _copy(out, src, pos, b)


#: A numeric footnote marker glued to the end of a lower-case word, straight after the
#: word ("analysis23 was", "change5 12 13 and") or after its punctuation ("working.15
#: Investment", "mortality,22 and", "grows.1 2 In", "services.3-5"): PDF text loses the
#: superscript. ``word`` and ``punct`` stay; ``marker`` (with the further numbers of the
#: same run, each followed by a space, punctuation or the line end) goes.
_FOOTNOTE = re.compile(
    r"(?:(?<=[\s(\"'‘“/\-–])|^)(?P<word>[a-z][a-z'’]*[a-z])(?P<punct>[.,;:)]?)"
    r"(?P<marker>\d{1,3}(?:[-–,]\d{1,3})*)"
    r"(?P<more>(?: \d{1,3}(?:[-–,]\d{1,3})*(?=$|[\s.,;:)]))*)"
    r"(?=$|[\s.,;:)\]])"
)
_CANDIDATE = re.compile(r"(?<=[a-z][a-z.,;:)])\d")
_SUPERSCRIPT = re.compile(r"(?<=[A-Za-z.,;:)])[\u00b9\u00b2\u00b3\u2070\u2074-\u2079]+")
#: Words a number is written onto without being a footnote ("covid19", "vol.3", "p.12",
#: "site1", "phase2", "nvivo11").
_NOT_FOOTNOTE_WORDS = frozenset({
    "covid", "sars", "mers", "nvivo", "ipv", "web", "site", "sites", "phase", "wave", "area",
    "group", "table", "figure", "fig", "box", "appendix", "chapter", "chap", "section",
    "sect", "sec", "page", "para", "version", "ver", "vol", "level", "stage", "step", "tier",
    "year", "week", "day", "ref", "refs", "see", "item", "line", "part", "grade", "band",
    "ward", "zone", "cohort", "round", "tranche", "model", "type", "annex", "note",
    "notes", "eq", "no", "nos", "pp", "op", "cit", "art", "reg", "sched", "cl", "ss",
    "doi", "isbn", "issn", "pmid", "pmcid", "tel", "fax", "ext", "mob", "room",
})


def footnote_markers(src: str, a: int, b: int) -> list[tuple[int, int]]:
    """Spans of ``src[a:b]`` that are numeric footnote markers glued to a word.

    A marker is one to three digits (a run such as ``1 2``, ``5 12 13``, ``3-5`` or
    ``3,4`` as a whole) right after a lower-case word of three letters or more, or after
    that word's ``.``/``,``/``;``/``:``/``)``, and followed by a space, punctuation or the
    end of the text; further numbers of a run must go up (``1 2``, not ``3 2 homes``).
    Words that take a number of their own (``covid19``, ``vol.3``, ``site1``) are left
    alone, as are upper-case or mixed words (``NVivo11``, ``S1R04``) and decimals
    (``1.5``). Superscript digits after a letter or punctuation are markers too.
    """
    out: list[tuple[int, int]] = []
    done = a
    for cand in _CANDIDATE.finditer(src, a, b):  # cheap: a digit right after a letter/mark
        k = cand.start()
        if k < done:
            continue
        if src[k - 1] in ".,;:)":
            k -= 1
        while k > a and (src[k - 1].islower() or src[k - 1] in "'’"):
            k -= 1
        m = _FOOTNOTE.match(src, k, b)
        if m is None:
            continue
        done = m.end()
        word = m.group("word")
        if len(word) < 3 or word.lower() in _NOT_FOOTNOTE_WORDS:
            continue
        if not m.group("punct") and len(word) < 4:
            continue  # "abc1": too short to tell from a code
        end = m.end("marker")
        last = int(re.split(r"[-–,]", m.group("marker"))[-1])
        for part in re.finditer(r" (\d{1,3})((?:[-–,]\d{1,3})*)", m.group("more")):
            first = int(part.group(1))
            if first <= last:
                break
            last = int((re.split(r"[-–,]", part.group(2)) or [""])[-1] or first)
            end = m.end("marker") + part.end()
        out.append((m.start("marker"), end))
    out.extend(m.span() for m in _SUPERSCRIPT.finditer(src, a, b))
    return sorted(out)


def _copy(out: list[Piece], src: str, a: int, b: int) -> None:
    """Copy ``src[a:b]`` as pieces, leaving out the numeric footnote markers in it."""
    pos = a
    for s, e in footnote_markers(src, a, b):
        if s < pos:
            continue
        if s > pos:
            out.append((src[pos:s], pos, s, True))
        pos = e
    if pos < b:
        out.append((src[pos:b], pos, b, True))


def _tidy(pieces: list[Piece]) -> list[Piece]:
    """Collapse spaces across piece boundaries; trim both ends."""
    out: list[Piece] = []
    last = " "  # pretend a space before the line: trims leading spaces
    for text, a, b, copied in pieces:
        if last == " " and text.startswith(" "):
            stripped = text.lstrip(" ")
            if not stripped:
                continue
            cut = len(text) - len(stripped)
            text = stripped
            if copied:
                a += cut
        if text:
            out.append((text, a, b, copied))
            last = text[-1]
    while out and out[-1][0].endswith(" "):
        text, a, b, copied = out.pop()
        stripped = text.rstrip(" ")
        if stripped:
            out.append((stripped, a, b - (len(text) - len(stripped)) if copied else b, copied))
            break
    return out


def pieces_text(pieces: list[Piece]) -> str:
    """The text of a list of pieces."""
    return "".join(p[0] for p in pieces)
