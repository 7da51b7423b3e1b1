"""``IMPLEMENTS`` from tables: a site-by-initiative matrix marked with bullets or ticks.

A table whose header row names at least two sites ("Site 1 MCP", "Site 2",
"Case study site C", "Vanguard A") and whose first column names initiatives is
read as a list of facts: every cell holding a mark (``•``, ``✓``, ``x``, "Yes")
says that the column's site implemented the row's initiative. The transposed
layout (sites down the first column, initiatives across the header) is read the
same way. Tables without a single mark are left alone.

The evidence of each fact is its table row (a cleaned-text span the assembly
maps to the original). A model type written after the site code ("Site 3 ECH")
becomes the site's ``model_type``; an initiative's name is matched against the
entity gazetteer (``actorgraph/extraction/data/initiatives.jsonl``) to share its
canonical name and category.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from actorgraph.extraction.mentions import MentionRef, RelationMention, make_ref
from actorgraph.extraction.relations.base import gazetteer_lookup

_SITE = re.compile(
    r"^\s*\[?(?P<code>(?:case[ -]study[ -])?site[ -]?(?P<id>\d{1,2}|[A-Z])"
    r"|(?:vanguard|area|locality|case(?:[ -]study)?)[ -](?P<id2>\d{1,2}|[A-Z])"
    r"|S(?P<id3>\d{1,2}))\]?"
    r"(?P<rest>.*)$", re.IGNORECASE)
_MODEL = re.compile(r"\b(PACS|MCP|EHCH|ECH|UEC|ACC)s?\b", re.IGNORECASE)
_MARKS = frozenset("•●◦▪■✓✔☑√xX*+")
_MODEL_NAMES = {"EHCH": "ECH"}
CONFIDENCE = 0.9


def is_mark(text: str) -> bool:
    """True when a cell holds only a positive mark (bullet, tick, ``x``, ``Yes``)."""
    t = text.strip()
    return bool(t) and (all(ch in _MARKS for ch in t if not ch.isspace())
                        or t.lower() in ("yes", "y"))


def site_of(text: str) -> tuple[str, dict[str, Any], int] | None:
    """``(canonical, props, length of the code)`` when a header cell names a site."""
    m = _SITE.match(text)
    if m is None:
        return None
    ident = (m.group("id") or m.group("id2") or m.group("id3")).upper()
    code = m.group("code").lower()
    kind = "Site" if "site" in code or m.group("id3") else code.split()[0].split("-")[0].title()
    canonical = f"{kind} {ident}"
    props: dict[str, Any] = {"generic": False}
    if kind == "Site":
        props["site_code"] = canonical
    model = _MODEL.search(m.group("rest") or "")
    if model:
        name = model.group(1).upper()
        props["model_type"] = _MODEL_NAMES.get(name, name)
    return canonical, props, m.end("code")


def initiative_ref(text: str, start: int, end: int) -> MentionRef:
    """An Initiative mention for a row/column label, canonicalised by the gazetteer."""
    name = re.sub(r"\s+", " ", text).strip()
    known = gazetteer_lookup("initiatives", name)
    canonical, props = known if known else (name, {})
    lead = len(text) - len(text.lstrip())
    return make_ref("INITIATIVE", start + lead, start + lead + len(text.strip()), text.strip(),
                    canonical, props)


def _site_ref(cell: Any) -> MentionRef | None:
    found = site_of(cell.text)
    if found is None:
        return None
    canonical, props, code_len = found
    lead = len(cell.text) - len(cell.text.lstrip())
    span_text = cell.text[lead:code_len].strip()
    return make_ref("SITE", cell.start + lead, cell.start + lead + len(span_text), span_text,
                    canonical, props)


def _row_span(row: Sequence[Any]) -> tuple[int, int]:
    return min(c.start for c in row), max(c.end for c in row)


def _matrix(rows: list[list[Any]], doc_name: str) -> list[RelationMention]:
    """Sites across the header, initiatives down the first column."""
    header = rows[0]
    sites = {j: ref for j, cell in enumerate(header) if j > 0
             for ref in [_site_ref(cell)] if ref is not None}
    out: list[RelationMention] = []
    if len(sites) < 2:
        return out
    for row in rows[1:]:
        if not row or not row[0].text.strip() or is_mark(row[0].text):
            continue
        init = initiative_ref(row[0].text, row[0].start, row[0].end)
        for j, site in sites.items():
            if j < len(row) and is_mark(row[j].text):
                out.append(RelationMention(
                    "IMPLEMENTS", site, init, _row_span(row), {"status": "implemented"},
                    "table", CONFIDENCE))
    return out


def _transposed(rows: list[list[Any]], doc_name: str) -> list[RelationMention]:
    """Sites down the first column, initiatives across the header."""
    header = rows[0]
    out: list[RelationMention] = []
    site_rows = [(r, ref) for r in rows[1:] if r for ref in [_site_ref(r[0])] if ref is not None]
    if len(site_rows) < 2:
        return out
    for row, site in site_rows:
        for j, cell in enumerate(row):
            if j == 0 or j >= len(header) or not header[j].text.strip():
                continue
            if is_mark(cell.text):
                init = initiative_ref(header[j].text, header[j].start, header[j].end)
                out.append(RelationMention(
                    "IMPLEMENTS", site, init, _row_span(row), {"status": "implemented"},
                    "table", CONFIDENCE))
    return out


def relations_from_tables(clean: Any, doc_name: str) -> list[RelationMention]:
    """IMPLEMENTS facts from the site-by-initiative matrices of a cleaned document.

    ``clean`` is a ``CleanText`` (anything with ``tables``: objects with ``rows``
    of cells having ``text``, ``start``, ``end`` in clean coordinates).
    ``doc_name`` names the document in error messages.

    >>> from actorgraph.extraction.cleaning import Cell, Table
    >>> class Clean:
    ...     tables = [Table([[Cell("", 0, 0), Cell("Site 1 MCP", 1, 11), Cell("Site 2", 12, 18)],
    ...                      [Cell("Social prescribing", 19, 37), Cell("•", 38, 39),
    ...                       Cell("", 40, 40)]], 0, 40, True)]
    >>> [(r.source.canonical, r.target.text) for r in relations_from_tables(Clean(), "d.txt")]
    [('Site 1', 'Social prescribing')]
    """
    out: list[RelationMention] = []
    for n, table in enumerate(getattr(clean, "tables", None) or []):
        rows = [list(r) for r in getattr(table, "rows", []) if r]
        if len(rows) < 2:
            continue
        if not any(is_mark(c.text) for r in rows[1:] for c in r[1:]):
            continue
        try:
            found = _matrix(rows, doc_name) or _transposed(rows, doc_name)
        except (AttributeError, TypeError) as err:
            raise ValueError(f"{doc_name}: table {n + 1}: unreadable cells: {err}") from err
        out.extend(found)
    return out
