"""Tables: markdown pipe tables and tab-separated blocks (HTML tables arrive as the latter).

The cleaner (:mod:`actorgraph.extraction.cleaning`) finds table blocks among the
lines of a document with :func:`find_table_blocks`, splits each row into cell
ranges with :func:`split_row`, and writes every row as one line of the clean
text with its cells separated by a tab; the :class:`Table` it returns holds the
cells' clean spans. A site-by-initiative matrix whose cells hold bullets or
ticks (``•``, ``✓``, ``x``) keeps those marks as cell text, so a relation
extractor can read ``Table.rows[r][c].text`` and tell a marked cell from an
empty one with :func:`is_mark`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Cell:
    """One table cell: its cleaned text and its span in clean coordinates."""

    text: str
    start: int
    end: int


@dataclass
class Table:
    """A table in clean coordinates; ``rows[0]`` is the header row when ``header`` is true."""

    rows: list[list[Cell]]
    start: int
    end: int
    header: bool = field(default=False)


#: Cell contents that mark "yes" in a matrix table.
_MARKS = frozenset("•●◦○▪■✓✔✗✘☑☒xX*+√")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")


def is_mark(text: str) -> bool:
    """True when a cell holds only a bullet/tick mark (``•``, ``✓``, ``x``, ``Yes``)."""
    t = text.strip()
    return bool(t) and (all(ch in _MARKS for ch in t if not ch.isspace())
                        or t.lower() in ("yes", "y"))


def is_pipe_separator(line: str) -> bool:
    """True for a markdown table's ``|---|:---:|`` separator row."""
    return "-" in line and bool(_SEPARATOR.match(line))


def _is_pipe_row(line: str) -> bool:
    s = line.strip()
    return len(s) >= 3 and s.startswith("|") and s.endswith("|") and s.count("|") >= 2


def _tab_cells(line: str) -> int:
    return line.rstrip("\r ").count("\t") + 1


def find_table_blocks(lines: list[str]) -> list[tuple[int, int, str]]:
    """Find table blocks among ``lines``: ``(first_line, last_line_exclusive, kind)``.

    ``kind`` is ``"pipe"`` (markdown: rows between pipes, or rows holding `` | ``
    around a ``|---|`` separator) or ``"tsv"`` (two or more rows with inner
    tabs, single blank lines allowed between rows).
    """
    blocks: list[tuple[int, int, str]] = []
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        if _is_pipe_row(line) or (
            "|" in line and i + 1 < n and is_pipe_separator(lines[i + 1])
            and not is_pipe_separator(line)
        ):
            j = i + 1
            while j < n and (_is_pipe_row(lines[j]) or is_pipe_separator(lines[j])
                             or ("|" in lines[j] and lines[j].strip())):
                j += 1
            rows = [x for x in lines[i:j] if not is_pipe_separator(x)]
            has_sep = any(is_pipe_separator(x) for x in lines[i:j])
            if len(rows) >= 2 or (has_sep and rows):
                blocks.append((i, j, "pipe"))
                i = j
                continue
        if "\t" in line.strip(" \r") or (line.startswith("\t") and line.strip()):
            j = i
            last_row = i
            while j < n:
                cur = lines[j]
                if cur.strip() and "\t" in cur:
                    last_row = j
                    j += 1
                elif not cur.strip() and j + 1 < n and "\t" in lines[j + 1] \
                        and lines[j + 1].strip():
                    j += 1
                else:
                    break
            rows = [x for x in lines[i:last_row + 1] if x.strip()]
            inner = [x for x in rows if "\t" in x.strip(" \t\r")]
            counts = Counter(_tab_cells(x) for x in rows)
            width, freq = counts.most_common(1)[0]
            if len(rows) >= 2 and len(inner) >= 2 and width >= 2 and freq >= 0.5 * len(rows):
                blocks.append((i, last_row + 1, "tsv"))
                i = last_row + 1
                continue
        i += 1
    return blocks


def split_row(line: str, kind: str) -> list[tuple[int, int]]:
    """Cell ranges ``(a, b)`` within ``line`` (untrimmed; outer pipes excluded)."""
    if kind == "tsv":
        ranges, pos = [], 0
        body = line.rstrip("\r")
        for k, ch in enumerate(body):
            if ch == "\t":
                ranges.append((pos, k))
                pos = k + 1
        ranges.append((pos, len(body)))
        return ranges
    s, e = 0, len(line)
    while s < e and line[s].isspace():
        s += 1
    while e > s and line[e - 1].isspace():
        e -= 1
    if s < e and line[s] == "|":
        s += 1
    if e > s and line[e - 1] == "|" and (e - 2 < s or line[e - 2] != "\\"):
        e -= 1
    ranges, pos, k = [], s, s
    while k < e:
        ch = line[k]
        if ch == "\\":
            k += 2
            continue
        if ch == "|":
            ranges.append((pos, k))
            pos = k + 1
        k += 1
    ranges.append((pos, e))
    return ranges


def guess_header(rows: list[list[str]]) -> bool:
    """Whether the first row is a header: no marks or numbers in it, but some below it."""
    if len(rows) < 2:
        return False
    first = [c.strip() for c in rows[0]]
    if any(is_mark(c) or _number(c) for c in first if c):
        return False
    below = [c.strip() for row in rows[1:] for c in row[1:] if c.strip()]
    if not below:
        return bool(first and first[0] == "")
    typed = sum(1 for c in below if is_mark(c) or _number(c))
    if typed >= 0.5 * len(below) or (bool(first) and first[0] == ""):
        return True
    # a row of short labels above longer cells
    labels = [c for c in first if c]
    if len(labels) < len(first) or any(len(c) > 40 or c.endswith(".") for c in labels):
        return False
    body = [c.strip() for row in rows[1:] for c in row if c.strip()]
    mean = sum(map(len, body)) / len(body) if body else 0
    return sum(map(len, labels)) / len(labels) <= mean


def _number(text: str) -> bool:
    return bool(re.fullmatch(r"[-+£$€]?\d[\d,.]*%?", text))
