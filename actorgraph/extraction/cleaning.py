"""Cleaning a document's original text for the NLP, keeping an exact offset map.

:func:`clean_text` takes the original text (as read by
:mod:`actorgraph.extraction.readers`) and returns a :class:`CleanText`: the
cleaned text, ``offsets`` mapping every clean character to the original,
the sections (headings, the reference list) and the tables, all in clean
coordinates. ``CleanText.to_original`` maps a clean span back, so evidence
always quotes the original.

The cleaning, in order:

1. HTML (``fmt="html"``, or ``<table>`` blocks inside text/markdown) is turned
   into text by an offset-keeping scanner (:mod:`.cleaning_html`).
2. The text is cut into lines (form feeds are page breaks). Table blocks
   (markdown pipes, tab-separated rows) are found first (:mod:`.tables`).
3. Every other line is cleaned inline (:mod:`.cleaning_inline`: markdown marks,
   tags, entities, URLs, soft hyphens, odd spaces).
4. Debris lines are dropped (:mod:`.cleaning_debris`): watermarks, page
   numbers, running headers and footers, journal citation footers, URL-only lines.
5. Headings are recognised (markdown ``#``, whole-line bold, numbered
   ``3.2 Findings``, short heading-shaped lines standing alone), and reference
   lists ("References"..., or a block of numbered/author-year entries at the end).
6. Lines are joined into paragraphs: a line broken inside a sentence is joined
   with a space (the space maps to the newline it replaces); a word hyphenated
   across lines is joined without its hyphen (kept when the document spells the
   word with a hyphen elsewhere); paragraphs are separated by a blank line;
   headings, bullets, speaker turns, table rows and reference entries start
   their own lines. Double-spaced extractions (a blank line after every line)
   are recognised, so only their larger gaps break paragraphs.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from actorgraph.extraction.cleaning_debris import (
    citation_footer_lines,
    page_number_lines,
    repeated_lines,
    watermark_lines,
)
from actorgraph.extraction.cleaning_html import html_to_text
from actorgraph.extraction.cleaning_inline import LineInfo, clean_line
from actorgraph.extraction.cleaning_offsets import MappedBuilder, compose, to_array
from actorgraph.extraction.sections import (
    Section,
    build_sections,
    closes_references,
    heading_level,
    is_caption,
    is_reference_title,
    looks_like_reference_entry,
)
from actorgraph.extraction.tables import (
    Cell,
    Table,
    find_table_blocks,
    guess_header,
    is_pipe_separator,
    split_row,
)

__all__ = ["Cell", "CleanText", "Section", "Table", "clean_text"]


@dataclass
class CleanText:
    """Cleaned text with its offset map, sections and tables (clean coordinates)."""

    #: The cleaned text for the NLP.
    text: str
    #: ``len(text) + 1`` entries: ``offsets[i]`` is the original index of ``text[i]``;
    #: ``offsets[-1]`` is the original end of the last character.
    offsets: Sequence[int]
    sections: list[Section]
    #: Clean offset where the (first) reference list starts; ``None`` if there is none.
    references_start: int | None
    tables: list[Table]
    #: Original end (exclusive) of each clean character; a decoded entity ends after ``;``.
    ends: Sequence[int] = field(default_factory=lambda: array("q"), repr=False)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map the clean span ``[start, end)`` to the original span it came from.

        The result runs from the original index of ``text[start]`` to the original
        end of ``text[end - 1]``, so it covers every original character (hyphens,
        markup, line breaks included) between them.
        """
        n = len(self.text)
        if not 0 <= start <= end <= n:
            raise ValueError(f"clean span [{start}, {end}) outside [0, {n}]")
        if start == end:
            pos = self.offsets[start]
            return pos, pos
        last_end = self.ends[end - 1] if len(self.ends) == n else self.offsets[end - 1] + 1
        return self.offsets[start], last_end

    def reference_spans(self) -> list[tuple[int, int]]:
        """Clean spans of all reference lists (a report with appendices may have several)."""
        return [(s.start, s.end) for s in self.sections if s.kind == "references"]

    def in_references(self, pos: int) -> bool:
        """True when clean offset ``pos`` lies inside a reference list."""
        return any(s.start <= pos < s.end for s in self.sections if s.kind == "references")

    def section_at(self, pos: int) -> Section | None:
        """The innermost section holding clean offset ``pos``."""
        best = None
        for s in self.sections:
            if s.start <= pos < s.end and (best is None or s.level >= best.level):
                best = s
        return best


# --------------------------------------------------------------------------- lines

_NEWLINE = re.compile(r"\r\n|\n|\r|\f")
_TABLE_OPEN = re.compile(r"<table\b", re.I)
_TABLE_CLOSE = re.compile(r"</table\s*>", re.I)
_SPEAKER = re.compile(
    r"^(?:\[[^\]\n]{1,24}\]|[A-Z][\w.'’-]*(?: [\w.'’-]+){0,2}(?: \([^()\n]{1,20}\))?)\s?:\s"
)
_HR = re.compile(r"^\s*(?:[-*_=]\s*){3,}$")
_TERMINAL = ".!?"
#: Words a sentence does not end on: a line ending with one continues on the next line.
_OPEN_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "for", "to", "in", "with", "from",
                         "by", "at", "on", "as", "that", "this", "between", "into", "our",
                         "their", "its", "his", "her", "&", "is", "was", "were", "are", "be"})
_CLOSERS = "\"'”’)]»"

BLANK, DEBRIS, TABLE, TEXT = 0, 1, 2, 3


class _Line:
    __slots__ = ("a", "b", "page", "kind", "info", "text", "heading", "level", "caption",
                 "ref", "ref_title", "entry", "tabular")

    def __init__(self, a: int, b: int, page: int) -> None:
        self.a, self.b, self.page = a, b, page
        self.kind = BLANK
        self.info: LineInfo | None = None
        self.text = ""
        self.heading = False
        self.level = 0
        self.caption = False
        self.ref = False
        self.ref_title = False
        self.entry = False
        self.tabular = False  # a line of a table laid out without tabs (after a caption)


def _split_lines(base: str) -> list[_Line]:
    lines: list[_Line] = []
    pos, page = 0, 0
    for m in _NEWLINE.finditer(base):
        lines.append(_Line(pos, m.start(), page))
        if m.group(0) == "\f":
            page += 1
        pos = m.end()
    lines.append(_Line(pos, len(base), page))
    return lines


def _base_text(original: str, fmt: str) -> tuple[str, tuple | None]:
    """The text the line cleaner works on, and its map to the original (None: identity)."""
    if fmt == "html":
        b = html_to_text(original)
        return b.text(), b.arrays()
    if not _TABLE_OPEN.search(original):
        return original, None
    b = MappedBuilder()
    pos = 0
    for m in _TABLE_OPEN.finditer(original):
        if m.start() < pos:
            continue
        close = _TABLE_CLOSE.search(original, m.end())
        if close is None:
            break
        b.copy(original, pos, m.start())
        html_to_text(original, m.start(), close.end(), b)
        b.put("\n", close.end() - 1, close.end())
        pos = close.end()
    b.copy(original, pos, len(original))
    return b.text(), b.arrays()


def _first_char(text: str) -> str:
    for ch in text:
        if ch.isalnum():
            return ch
        if ch not in "\"'“‘(“[":
            return ch
    return ""


def _ends_sentence(text: str) -> bool:
    t = text.rstrip(_CLOSERS + " ")
    return bool(t) and t[-1] in _TERMINAL


# --------------------------------------------------------------------------- main


def clean_text(original: str, fmt: str = "txt") -> CleanText:
    """Clean ``original`` for the NLP; see the module documentation.

    ``fmt`` is the document's format (``"txt"``, ``"md"``, ``"pdf"``, ``"docx"``,
    ``"html"``); only ``"html"`` changes the reading (tags are then markup).
    Linear in the text's length.
    """
    base, base_map = _base_text(original, fmt)
    lines = _split_lines(base)
    raw = [base[ln.a:ln.b] for ln in lines]

    # tables first: their rows are not prose
    blocks = find_table_blocks(raw)
    table_of: dict[int, tuple[int, int, str]] = {}
    for block in blocks:
        for i in range(block[0], block[1]):
            lines[i].kind = TABLE
        table_of[block[0]] = block

    # inline cleaning of every other line
    url_only: set[int] = set()
    for i, ln in enumerate(lines):
        if ln.kind == TABLE or not raw[i].strip():
            continue
        if _HR.match(raw[i]) or is_pipe_separator(raw[i]):
            continue
        info = clean_line(base, ln.a, ln.b)
        text = "".join(p[0] for p in info.pieces)
        if not any(ch.isalnum() for ch in text):
            if "http" in raw[i] or "www." in raw[i] or "doi" in raw[i]:
                url_only.add(i)
            continue
        ln.kind, ln.info, ln.text = TEXT, info, text

    # debris
    blank = [ln.kind == BLANK and i not in url_only for i, ln in enumerate(lines)]
    pages = [ln.page for ln in lines]
    texts: list[str | None] = [ln.text if ln.kind == TEXT else None for ln in lines]
    debris = set(url_only) | watermark_lines(raw)
    debris |= page_number_lines(raw, pages, blank)
    debris |= citation_footer_lines(texts)
    eligible = [ln.kind == TEXT and ln.info is not None and not ln.info.bullet
                and not ln.info.md_level for ln in lines]
    debris |= repeated_lines(texts, pages, blank, debris, eligible)
    for i in debris:
        if lines[i].kind != TABLE:
            lines[i].kind = DEBRIS

    units = [i for i, ln in enumerate(lines)
             if ln.kind == TEXT or (ln.kind == TABLE and i in table_of)]
    layout = _Layout(lines, units, table_of)
    layout.mark_structure()
    return layout.emit(base, base_map)


class _Layout:
    """Decides headings, reference lists and line joins, then writes the clean text."""

    def __init__(self, lines: list[_Line], units: list[int],
                 table_of: dict[int, tuple[int, int, str]]) -> None:
        self.lines = lines
        self.units = units
        self.table_of = table_of
        n = len(lines)
        self.blank_prefix = [0] * (n + 1)
        self.debris_prefix = [0] * (n + 1)
        for i, ln in enumerate(lines):
            self.blank_prefix[i + 1] = self.blank_prefix[i] + (ln.kind == BLANK)
            self.debris_prefix[i + 1] = self.debris_prefix[i] + (ln.kind == DEBRIS)
        text_lens = sorted(len(lines[i].text) for i in units if lines[i].kind == TEXT)
        self.wrap = text_lens[int(0.9 * (len(text_lens) - 1))] if text_lens else 0
        self.wrapped = 20 <= self.wrap < 200
        self.small_gap = 1 if self._double_spaced() else 0
        self.vocab: Counter[str] | None = None
        self.headless_refs: list[tuple[int, int]] = []  # unit index ranges

    # ---------------------------------------------------------------- gaps

    def _end_line(self, i: int) -> int:
        """Last line index of the unit starting at ``i``."""
        block = self.table_of.get(i)
        return block[1] - 1 if block and self.lines[i].kind == TABLE else i

    def _gap(self, j: int, i: int) -> tuple[int, bool]:
        """Blank lines between line ``j`` and line ``i`` (> j), and whether a page breaks."""
        blanks = self.blank_prefix[i] - self.blank_prefix[j + 1]
        page = (self.debris_prefix[i] - self.debris_prefix[j + 1] > 0
                or self.lines[i].page != self.lines[j].page)
        return blanks, page

    def _double_spaced(self) -> bool:
        ones = cont = total = 0
        prev = None
        for i in self.units:
            ln = self.lines[i]
            if ln.kind != TEXT:
                prev = None
                continue
            if prev is not None:
                blanks, page = self._gap(prev, i)
                if not page:
                    total += 1
                    if blanks == 1:
                        ones += 1
                        if _first_char(ln.text).islower():
                            cont += 1
            prev = i
        return total >= 10 and ones >= 0.5 * total and cont >= 0.25 * max(ones, 1)

    def _small(self, j: int, i: int) -> bool:
        blanks, page = self._gap(j, i)
        return not page and blanks <= self.small_gap

    # ---------------------------------------------------------------- structure

    def mark_structure(self) -> None:
        """Mark headings, captions, reference lists and reference entries."""
        lines, units = self.lines, self.units
        text_units = [i for i in units if lines[i].kind == TEXT]
        in_refs = False
        ref_level = 1
        ref_md = False
        caption_rows = 0  # lines still to treat as the rows of a captioned table
        valid_refs = self._reference_titles()
        for k, i in enumerate(units):
            ln = lines[i]
            if ln.kind != TEXT:
                caption_rows = 0
                continue
            info = ln.info
            assert info is not None
            prev = units[k - 1] if k else None
            nxt = units[k + 1] if k + 1 < len(units) else None
            standalone = prev is None or not self._small(self._end_line(prev), i) \
                or lines[prev].kind != TEXT or lines[prev].heading
            md = info.md_level
            strong = bool(md) or (info.bold and heading_level(ln.text) is not None)
            if is_reference_title(ln.text) and (standalone or strong) and k in valid_refs:
                ln.heading, ln.ref_title, ln.ref = True, True, True
                ln.level = md or 1
                in_refs, ref_level, ref_md = True, ln.level, bool(md)
                continue
            if in_refs:
                closing = (md and (not ref_md or md <= ref_level)) or (
                    (standalone or strong) and closes_references(ln.text)
                    and heading_level(ln.text) is not None)
                if not closing:
                    ln.ref = True
                    following = lines[nxt].text if nxt is not None else ""
                    ln.entry = looks_like_reference_entry(ln.text, following)
                    continue
                in_refs = False
            if md:
                ln.heading, ln.level = True, md
                caption_rows = 0
                continue
            if is_caption(ln.text) and standalone:
                ln.caption = True
                caption_rows = 40
                continue
            if caption_rows:
                if self._prose(k):
                    caption_rows = 0
                else:
                    caption_rows -= 1
                    ln.tabular = True
                    continue
            level = heading_level(ln.text)
            if level is None or info.bullet:
                continue
            if strong or self._plain_heading(k, i, prev, nxt, standalone):
                ln.heading, ln.level = True, level
        self._headless_references(text_units)

    def _reference_titles(self, sample: int = 15) -> set[int]:
        """Units titled like a reference list and followed by cited entries.

        A "References" line in a table of contents, or a heading over prose, is
        not a reference list: at least a fifth of the (first ``sample``) lines
        under it must look like reference entries.
        """
        lines, units = self.lines, self.units
        valid: set[int] = set()
        for k, i in enumerate(units):
            ln = lines[i]
            if ln.kind != TEXT or not is_reference_title(ln.text):
                continue
            level = ln.info.md_level if ln.info else 0
            seen = entries = 0
            for k2 in range(k + 1, len(units)):
                other = lines[units[k2]]
                if other.kind != TEXT:
                    continue
                md = other.info.md_level if other.info else 0
                if (md and (not level or md <= level)) or is_reference_title(other.text) or (
                        closes_references(other.text) and heading_level(other.text) is not None):
                    break
                nxt = units[k2 + 1] if k2 + 1 < len(units) else None
                following = lines[nxt].text if nxt is not None else ""
                entries += looks_like_reference_entry(other.text, following)
                seen += 1
                if seen >= sample:
                    break
            if seen and entries >= max(1, 0.2 * seen):
                valid.add(k)
        return valid

    def _prose(self, k: int) -> bool:
        """Whether the unit ``k`` after a caption starts prose (the table has ended).

        In wrapped text: a full-width line continued by a lower-case line; otherwise
        a paragraph-long line.
        """
        i = self.units[k]
        text = self.lines[i].text
        if not self.wrapped:
            return len(text) >= 150
        if len(text) < 0.75 * self.wrap or k + 1 >= len(self.units):
            return False
        nxt = self.units[k + 1]
        nxt_line = self.lines[nxt]
        return (nxt_line.kind == TEXT and self._small(i, nxt)
                and _first_char(nxt_line.text).islower())

    def _plain_heading(self, k: int, i: int, prev: int | None, nxt: int | None,
                       standalone: bool) -> bool:
        lines = self.lines
        ln = lines[i]
        if nxt is None:
            return standalone and len(ln.text) < 60
        nxt_line = lines[nxt]
        if nxt_line.kind == TEXT:
            first = _first_char(nxt_line.text)
            next_ok = (first.isupper() or first.isdigit() or nxt_line.heading
                       or bool(nxt_line.info and (nxt_line.info.bullet or nxt_line.info.md_level))
                       or not self._small(i, nxt))
        else:
            next_ok = True
        if not next_ok:
            return False
        if self.wrapped and len(ln.text) >= 0.8 * self.wrap:
            return False  # a full-width line is a line of prose
        if standalone:
            return True
        # inside a run of wrapped lines: a short line after a finished sentence
        return (self.wrapped and prev is not None and lines[prev].kind == TEXT
                and _ends_sentence(lines[prev].text) and len(ln.text) < 0.6 * self.wrap)

    def _headless_references(self, text_units: list[int]) -> None:
        """A block of reference entries running to the end, without a heading."""
        lines = self.lines
        if not text_units or any(lines[i].ref for i in text_units[len(text_units) // 2:]):
            return
        tail = text_units[len(text_units) // 2:]
        entries = []
        for k, i in enumerate(tail):
            following = lines[tail[k + 1]].text if k + 1 < len(tail) else ""
            if looks_like_reference_entry(lines[i].text, following):
                entries.append(k)
        if not entries or len(tail) - 1 - entries[-1] > 4:
            return
        chain = [entries[-1]]
        for k in reversed(entries[:-1]):
            if chain[-1] - k > 5:
                break
            chain.append(k)
        if len(chain) < 5:
            return
        first = chain[-1]
        for k in range(first, len(tail)):
            lines[tail[k]].ref = True
            lines[tail[k]].entry = k in set(entries)
        self.headless_refs.append((tail[first], tail[-1]))

    # ---------------------------------------------------------------- joining

    def _separator(self, prev: int, i: int) -> str:
        """``" "`` (join), ``""`` (join a hyphenated word), ``"\\n"`` or ``"\\n\\n"``."""
        lines = self.lines
        p, c = lines[prev], lines[i]
        if p.kind != TEXT or c.kind != TEXT or p.heading or c.heading or p.caption \
                or c.caption or p.ref_title:
            return "\n\n"
        if p.ref != c.ref:
            return "\n\n"
        small = self._small(prev, i)
        info = c.info
        assert info is not None
        first = _first_char(c.text)
        if info.bullet or info.md_level or (info.quote and not (p.info and p.info.quote)) \
                or _SPEAKER.match(c.text) or (c.entry and c.ref):
            return "\n" if small else "\n\n"
        if (p.tabular or c.tabular) and not first.islower():
            return "\n" if small else "\n\n"
        if info.numbered and (_ends_sentence(p.text) or p.text.endswith(":")
                              or (p.info is not None and p.info.numbered)):
            return "\n" if small else "\n\n"
        if small:
            if self.wrapped and len(p.text) < 0.75 * self.wrap and _ends_sentence(p.text):
                return "\n\n"
            if self.wrapped and len(p.text) < 0.6 * self.wrap and first.isupper() \
                    and not p.text.endswith((",", "-", "–")) \
                    and p.text.rsplit(None, 1)[-1].lower() not in _OPEN_WORDS:
                return "\n"
            return self._join(p.text, c.text)
        last = p.text.rstrip()[-1:]
        if first.islower() and last and last not in _TERMINAL + ":;" and not _ends_sentence(
                p.text):
            return self._join(p.text, c.text)
        return "\n\n"

    def _join(self, left: str, right: str) -> str:
        if len(left) >= 2 and left[-1] == "-" and left[-2].isalpha() and right[:1].isalpha():
            if not right[0].islower():
                return "-"  # keep the hyphen (a compound like "NHS-\nLed")
            return "-" if self._keeps_hyphen(left, right) else ""
        return " "

    def _keeps_hyphen(self, left: str, right: str) -> bool:
        if self.vocab is None:
            words: Counter[str] = Counter()
            for i in self.units:
                ln = self.lines[i]
                if ln.kind == TEXT:
                    words.update(re.findall(r"[a-z]+(?:-[a-z]+)*", ln.text.lower()))
            self.vocab = words
        lw = re.search(r"[A-Za-z]+(?:-[A-Za-z]+)*-$", left[-60:])
        rw = re.match(r"[A-Za-z]+", right)
        if not lw or not rw:
            return False
        stem = lw.group(0)[:-1].lower()
        tail = rw.group(0).lower()
        return self.vocab[f"{stem}-{tail}"] > self.vocab[f"{stem}{tail}"]

    # ---------------------------------------------------------------- output

    def emit(self, base: str, base_map: tuple | None) -> CleanText:
        """Write the clean text, collecting headings and tables."""
        lines = self.lines
        out = MappedBuilder()
        headings: list[tuple[str, int, int, bool]] = []
        tables: list[Table] = []
        headless_starts = {start: end for start, end in self.headless_refs}
        headless_clean: list[tuple[int, int | None]] = []
        prev: int | None = None
        for i in self.units:
            ln = lines[i]
            if prev is not None:
                sep = "\n\n" if ln.kind == TABLE else self._separator(self._end_line(prev), i)
                at = lines[self._end_line(prev)].b
                if sep == "":
                    if out.last() == "-":
                        out.pop()
                elif sep != "-":
                    out.put(sep, at, at + 1)
            if i in headless_starts:
                headless_clean.append((out.length, None))
            if ln.kind == TABLE:
                tables.append(self._emit_table(base, i, out))
            else:
                start = out.length
                info = ln.info
                assert info is not None
                for text, a, b, copied in info.pieces:
                    if copied:
                        out.copy(base, a, b)
                    else:
                        out.put(text, a, b)
                if ln.heading:
                    headings.append((ln.text, ln.level, start, ln.ref_title))
            prev = i
        text = out.text()
        starts, ends = compose(base_map, out.arrays())
        offsets = to_array(starts)
        offsets.append(int(ends[-1]) if len(ends) else 0)
        refs = [(s, len(text)) for s, _ in headless_clean]
        sections = build_sections(headings, len(text), refs)
        ref_starts = [s.start for s in sections if s.kind == "references"]
        return CleanText(text=text, offsets=offsets, sections=sections,
                         references_start=min(ref_starts) if ref_starts else None,
                         tables=tables, ends=to_array(ends))

    def _emit_table(self, base: str, i: int, out: MappedBuilder) -> Table:
        first, stop, kind = self.table_of[i]
        rows: list[list[Cell]] = []
        start = out.length
        header = False
        row_lines = []
        for j in range(first, stop):
            ln = self.lines[j]
            row = base[ln.a:ln.b]
            if not row.strip():
                continue
            if kind == "pipe" and is_pipe_separator(row):
                if len(row_lines) == 1:
                    header = True
                continue
            row_lines.append(j)
        for r, j in enumerate(row_lines):
            ln = self.lines[j]
            if r:
                prev_end = self.lines[row_lines[r - 1]].b
                out.put("\n", prev_end, prev_end + 1)
            cells: list[Cell] = []
            ranges = split_row(base[ln.a:ln.b], kind)
            for c, (ca, cb) in enumerate(ranges):
                if c:
                    sep_at = ln.a + ranges[c - 1][1]
                    if kind == "tsv":
                        out.copy(base, sep_at, sep_at + 1)
                    else:
                        out.put("\t", sep_at, sep_at + 1)
                cell_start = out.length
                info = clean_line(base, ln.a + ca, ln.a + cb, cell=True)
                for text, a, b, copied in info.pieces:
                    if copied:
                        out.copy(base, a, b)
                    else:
                        out.put(text, a, b)
                cell_text = "".join(p[0] for p in info.pieces)
                cells.append(Cell(cell_text, cell_start, out.length))
            rows.append(cells)
        if kind == "tsv":
            header = guess_header([[c.text for c in row] for row in rows])
        return Table(rows=rows, start=start, end=out.length, header=header)
