"""An offset-keeping HTML-to-text scanner.

BeautifulSoup and lxml do not say where in the source each character of the
extracted text came from, so this small scanner walks the HTML source with one
regular expression and writes the text into a
:class:`~actorgraph.extraction.cleaning_offsets.MappedBuilder`:

* ``<script>``, ``<style>``, ``<head>``, ``<nav>``, ``<noscript>``, ``<template>``,
  ``<svg>`` and comments are dropped with their content;
* block elements become paragraph breaks (``"\\n\\n"``), ``<br>`` a line break,
  ``<h1>``..``<h6>`` markdown heading marks (``"## "``), ``<li>`` a ``"- "`` bullet;
* tables become tab-separated rows, one line per ``<tr>``, so the table
  detector that reads TSV blocks reads HTML tables too;
* entities (``&amp;``, ``&#8217;``) are decoded, the decoded character mapped to
  the whole entity; runs of white space collapse to one space (outside ``<pre>``).

Inserted characters (breaks, tabs, bullets) map to the tag they stand for.
"""

from __future__ import annotations

import html
import re

from actorgraph.extraction.cleaning_offsets import MappedBuilder

_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)"
    r"|<!\[CDATA\[.*?(?:\]\]>|\Z)"
    r"|<[!?][^>]*>"
    r"|<(?P<close>/?)(?P<name>[A-Za-z][A-Za-z0-9:-]*)(?P<attrs>(?:[^>\"']|\"[^\"]*\"|'[^']*')*)>"
    r"|&(?:\#[0-9]{1,7}|\#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});",
    re.S,
)
_WS = re.compile(r"\s+")
_FOOTNOTE = re.compile(r"\s*(?:<a\b[^>]*>)?[\d,\s\-–*†‡]{1,12}(?:</a>)?\s*</sup\s*>", re.I)

_SKIP = frozenset({"script", "style", "head", "nav", "noscript", "template", "svg", "iframe",
                   "object", "select"})
_BLOCK = frozenset({
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote",
    "ul", "ol", "dl", "dt", "dd", "figure", "figcaption", "caption", "address", "form",
    "fieldset", "hr", "body", "html", "title", "details", "summary", "center",
})
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_CELL = frozenset({"td", "th"})


class _State:
    __slots__ = ("b", "pre", "table", "cell_index", "in_cell")

    def __init__(self, builder: MappedBuilder) -> None:
        self.b = builder
        self.pre = 0
        self.table = 0
        self.cell_index = 0
        self.in_cell = False

    def brk(self, n: int, at: int) -> None:
        """End the current line with up to ``n`` newlines (no trailing spaces)."""
        b = self.b
        if self.table and self.in_cell:
            self.space(at)
            return
        while b.last() == " ":
            b.pop()
        if b.length == 0:
            return
        have = len(b.tail(2)) - len(b.tail(2).rstrip("\n"))
        if have < n:
            b.put("\n" * (n - have), at, at + 1)

    def space(self, at: int) -> None:
        last = self.b.last()
        if last and last not in " \t\n":
            self.b.put(" ", at, at + 1)


def html_to_text(src: str, start: int = 0, end: int | None = None,
                 builder: MappedBuilder | None = None) -> MappedBuilder:
    """Append the visible text of ``src[start:end]`` to ``builder`` (a new one if None)."""
    b = builder if builder is not None else MappedBuilder()
    st = _State(b)
    stop = len(src) if end is None else end
    pos = start
    while pos < stop:
        m = _TOKEN.search(src, pos, stop)
        text_end = m.start() if m else stop
        if text_end > pos:
            _text(st, src, pos, text_end)
        if m is None:
            break
        pos = m.end()
        token = m.group(0)
        if token.startswith("&"):
            decoded = html.unescape(token)
            if decoded == token:
                b.copy(src, m.start(), m.end())
            elif decoded.isspace():
                st.space(m.start())
            else:
                b.put(decoded, m.start(), m.end())
            continue
        name = (m.group("name") or "").lower()
        if not name:
            continue  # comment, doctype, processing instruction
        closing = bool(m.group("close"))
        if name == "sup" and not closing:
            note = _FOOTNOTE.match(src, pos, stop)
            if note:  # a footnote marker: <sup>12</sup>
                pos = note.end()
                continue
        if name in _SKIP and not closing and not token.endswith("/>"):
            close = re.compile(rf"</{name}\s*>", re.I).search(src, pos, stop)
            pos = close.end() if close else stop
            continue
        _tag(st, name, closing, m.start())
    return b


def _text(st: _State, src: str, a: int, b_end: int) -> None:
    b = st.b
    if st.pre:
        b.copy(src, a, b_end)
        return
    pos = a
    for m in _WS.finditer(src, a, b_end):
        if m.start() > pos:
            b.copy(src, pos, m.start())
        st.space(m.start())
        pos = m.end()
    if pos < b_end:
        b.copy(src, pos, b_end)


def _tag(st: _State, name: str, closing: bool, at: int) -> None:
    b = st.b
    if name == "pre":
        st.brk(2, at)
        st.pre = max(0, st.pre + (-1 if closing else 1))
    elif name == "table":
        if closing:
            st.table = max(0, st.table - 1)
            st.in_cell = False
            st.brk(2, at)
        else:
            st.in_cell = False
            st.brk(2, at)
            st.table += 1
            st.cell_index = 0
    elif st.table and name == "tr":
        st.in_cell = False
        if not closing:
            st.brk(1, at)
            st.cell_index = 0
    elif st.table and name in _CELL:
        if closing:
            st.in_cell = False
            while b.last() == " ":
                b.pop()
        else:
            while b.last() == " ":
                b.pop()
            if st.cell_index > 0:
                b.put("\t", at, at + 1)
            st.cell_index += 1
            st.in_cell = True
    elif name in _HEADINGS:
        st.brk(2, at)
        if not closing and not (st.table and st.in_cell):
            b.put("#" * _HEADINGS[name] + " ", at, at + 1)
    elif name == "br":
        st.brk(1, at)
    elif name == "li":
        st.brk(1, at)
        if not closing and not (st.table and st.in_cell):
            b.put("- ", at, at + 1)
    elif name in _BLOCK:
        st.brk(2, at)
    elif name == "img":
        st.space(at)
