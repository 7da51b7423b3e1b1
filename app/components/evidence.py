"""Evidence display: find a span's paragraph in its document and highlight the span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n")


@dataclass(frozen=True)
class Passage:
    """A paragraph cut into the text before the span, the span, and the text after it."""

    doc: str
    before: str
    span: str
    after: str
    start: int
    end: int


def paragraph_bounds(text: str, start: int, end: int, max_chars: int = 700) -> tuple[int, int]:
    """Return ``(p_start, p_end)`` of the paragraph around ``text[start:end]``.

    A paragraph is delimited by blank lines; a very long one is cut to about
    ``max_chars`` around the span (never cutting the span itself).

    >>> paragraph_bounds("one.\\n\\ntwo three.\\n\\nfour.", 7, 10)
    (6, 16)
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    p_start = 0
    for m in _PARAGRAPH_BREAK.finditer(text, 0, start):
        p_start = m.end()
    m = _PARAGRAPH_BREAK.search(text, end)
    p_end = m.start() if m else len(text)
    # An evidence span may itself cross a paragraph break: keep it whole.
    p_end = max(p_end, end)
    spare = max(0, max_chars - (end - start)) // 2
    return max(p_start, start - spare), min(p_end, end + spare)


def passage(doc: str, text: str | None, start: int, end: int, sentence: str) -> Passage:
    """Cut the passage for one evidence item.

    When the document's text is not available (or no longer matches the
    evidence), the passage is the evidence sentence alone.

    >>> p = passage("a.txt", "Intro.\\n\\nThe GP led it. Then more.", 8, 22, "The GP led it.")
    >>> (p.before, p.span, p.after)
    ('', 'The GP led it.', ' Then more.')
    """
    if text is None or text[start:end] != sentence:
        return Passage(doc, "", sentence, "", start, end)
    p_start, p_end = paragraph_bounds(text, start, end)
    return Passage(doc, text[p_start:start], text[start:end], text[end:p_end], start, end)


#: Characters Markdown (and Streamlit's LaTeX) would read, written as HTML entities instead.
_MARKDOWN_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "\\`*_{}[]()#+-.!|$~<>&\"'"})


def escape_text(text: str) -> str:
    """Escape text for ``st.markdown(..., unsafe_allow_html=True)``: no HTML, no Markdown.

    >>> escape_text("*a* <b> [x](y) $1")
    '&#42;a&#42; &#60;b&#62; &#91;x&#93;&#40;y&#41; &#36;1'
    """
    return text.translate(_MARKDOWN_ENTITIES).replace("\n", "<br>")


def passage_html(p: Passage) -> str:
    """Render a passage as escaped HTML with the span in ``<mark>``.

    >>> passage_html(Passage("a.txt", "x <b> ", "span", "", 0, 4))
    'x &#60;b&#62; <mark>span</mark>'
    """
    esc = escape_text

    return f"{esc(p.before)}<mark>{esc(p.span)}</mark>{esc(p.after)}"


def evidence_records(evidence: list[Any]) -> list[dict[str, Any]]:
    """Normalise evidence (dicts, :class:`~actorgraph.records.Evidence`, JSON strings) to dicts.

    >>> evidence_records(['{"doc": "a.txt", "start": 1, "end": 3, "text": "ab"}'])
    [{'doc': 'a.txt', 'start': 1, 'end': 3, 'text': 'ab'}]
    """
    import json

    out: list[dict[str, Any]] = []
    for ev in evidence or []:
        if isinstance(ev, str):
            ev = json.loads(ev)
        elif not isinstance(ev, dict):
            ev = ev.to_dict() if hasattr(ev, "to_dict") else dict(ev)
        out.append(
            {
                "doc": str(ev["doc"]),
                "start": int(ev["start"]),
                "end": int(ev["end"]),
                "text": str(ev["text"]),
            }
        )
    return out
