"""Finding the debris lines of text converted from PDF.

Each function takes the document's lines (raw text, and for some the cleaned
text) and returns the indices of the lines to drop:

* :func:`watermark_lines`: publisher watermarks ("Downloaded from ... on May 19,
  2023 by guest. Protected by copyright.", "First published as ..."), whether on
  one line or scattered letter-groups over many short lines (a vertical
  watermark, extracted as fragments: ``" on M"``, ``"ay 19, 2023 by guest. P"``...);
* :func:`page_number_lines`: page numbers alone on a line (``"12"``, ``"- 12 -"``,
  ``"Page 3 of 20"``); a bare number counts only when bare numbers form an
  increasing sequence through the document or sit at a page edge, so a number
  alone in a table is kept;
* :func:`citation_footer_lines`: journal running footers such as
  ``"2 Stocker R, et al. BMJ Open 2018;8:e017419. doi:..."``;
* :func:`repeated_lines`: running headers and footers, i.e. short lines
  repeated through the document (ignoring digits and case), or repeated lines that
  sit beside other page debris.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict

_WM_ANCHOR = re.compile(
    r"downloadedfrom|byguest|protectedbycopyright|firstpublishedas|forpersonaluseonly"
    r"|allrightsreserved|termsandconditions|wileyonlinelibrary"
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]{0,6}"
_URLCH = r"[a-z0-9.\-_~/%?=&#:+]"
_WM_PATTERNS = [
    re.compile(rf"(?:on{_MONTH}\d{{1,2}},?\d{{4}}|on\d{{1,2}}{_MONTH},?\d{{4}})?byguest\.?"
               r"(?:protectedbycopyright\.?)?"),
    re.compile(r"protectedbycopyright\.?"),
    re.compile(rf"https?://{_URLCH}*"),
    re.compile(rf"[a-z]{{0,12}}:?firstpublishedas{_URLCH}*?on\d{{1,2}}{_MONTH}\d{{4}}\.?"
               r"(?:downloadedfrom)?"),
    re.compile(rf"downloadedfrom(?:https?://{_URLCH}*)?"),
    re.compile(r"(?:©|\(c\)|copyright).{0,160}?allrightsreserved\.?"),
    re.compile(r"forpersonaluseonly\.?"),
]
_PAGE_EXPLICIT = re.compile(
    r"^\s*(?:page\s+\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?|\d{1,4}\s*(?:of|/)\s*\d{1,4}"
    r"|[-–—]\s*\d{1,4}\s*[-–—]|p\.\s*\d{1,4})\s*$",
    re.I,
)
_PAGE_BARE = re.compile(r"^\s*(\d{1,4})\s*$")
_CITATION_FOOTER = re.compile(
    r"^\s*\d{0,4}\s*[A-Z][\w'’\-]+(?: [A-Z][\w'’\-]+)? [A-Z]{1,3},? et al\.?,? .{0,100}?"
    r"\b(?:19|20)\d\d;\s*\d+"
)
_BRACKET_ONLY = re.compile(r"^\s*[\[(][^\])]{1,30}[\])]\s*$")
_NON_LETTER = re.compile(r"[^a-z]+")
_OPEN_WORDS = frozenset({"a", "an", "the", "of", "and", "or", "for", "to", "in", "with", "from",
                         "by", "at", "on", "as", "that", "which", "who", "is", "was", "were",
                         "are", "be", "has", "had", "have", "but", "its", "their", "this"})


def _squash(texts: list[tuple[int, str]]) -> tuple[str, list[int]]:
    """Lower-case non-space characters of ``(line_index, text)`` items, with line owners."""
    chars: list[str] = []
    owner: list[int] = []
    for idx, text in texts:
        for ch in text.lower():
            if not ch.isspace():
                chars.append(ch)
                owner.append(idx)
    return "".join(chars), owner


def _covered_lines(texts: list[tuple[int, str]], share: float) -> set[int]:
    squashed, owner = _squash(texts)
    if not _WM_ANCHOR.search(squashed):
        return set()
    covered = bytearray(len(squashed))
    for pattern in _WM_PATTERNS:
        for m in pattern.finditer(squashed):
            covered[m.start():m.end()] = b"\x01" * (m.end() - m.start())
    total: Counter[int] = Counter(owner)
    hit: Counter[int] = Counter(o for o, c in zip(owner, covered, strict=True) if c)
    return {idx for idx, n in total.items() if hit[idx] >= share * n}


def watermark_lines(raw: list[str]) -> set[int]:
    """Lines that belong to a publisher's watermark."""
    out: set[int] = set()
    n = len(raw)
    i = 0
    while i < n:
        s = raw[i].strip()
        if s and len(s) <= 40:
            # a run of short lines (blank lines allowed): a scattered watermark?
            j, run = i, []
            while j < n and len(raw[j].strip()) <= 40:
                if raw[j].strip():
                    run.append((j, raw[j]))
                j += 1
            if len(run) >= 3:
                out |= _covered_lines(run, 0.6)
            i = j
            continue
        if s and len(s) <= 600:
            squashed = "".join(s.lower().split())
            if _WM_ANCHOR.search(squashed):
                if squashed.startswith("downloadedfrom"):
                    out.add(i)
                else:
                    out |= _covered_lines([(i, s)], 0.6)
        i += 1
    return out


def page_number_lines(raw: list[str], pages: list[int], blank: list[bool]) -> set[int]:
    """Lines holding only a page number."""
    out: set[int] = set()
    bare: list[tuple[int, int]] = []
    edge = _page_edges(pages, blank)
    for i, line in enumerate(raw):
        if blank[i] or len(line) > 40:
            continue
        if _PAGE_EXPLICIT.match(line):
            out.add(i)
            continue
        m = _PAGE_BARE.match(line)
        if m:
            if i in edge:
                out.add(i)
            elif i == 0 or blank[i - 1] or i + 1 >= len(raw) or blank[i + 1]:
                bare.append((i, int(m.group(1))))
    # bare numbers on their own: keep the longest strictly increasing chain (if >= 2)
    chain = _longest_increasing(bare)
    if len(chain) >= 2:
        out.update(i for i, _ in chain)
    return out


def _page_edges(pages: list[int], blank: list[bool], depth: int = 2) -> set[int]:
    """Indices of the first and last ``depth`` non-blank lines of each page (PDF form feeds)."""
    if not pages or pages[-1] == 0:
        return set()
    by_page: dict[int, list[int]] = defaultdict(list)
    for i, p in enumerate(pages):
        if not blank[i]:
            by_page[p].append(i)
    out: set[int] = set()
    for idx in by_page.values():
        out.update(idx[:depth])
        out.update(idx[-depth:])
    return out


def _longest_increasing(items: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest strictly increasing subsequence by value (O(n^2); n is tiny)."""
    if not items:
        return []
    best = [1] * len(items)
    prev = [-1] * len(items)
    for k in range(len(items)):
        for j in range(k):
            # a page is more than a few lines long: numbers closer together are data
            if items[j][1] < items[k][1] and items[k][0] - items[j][0] >= 8 \
                    and best[j] + 1 > best[k]:
                best[k] = best[j] + 1
                prev[k] = j
    k = max(range(len(items)), key=best.__getitem__)
    chain = []
    while k >= 0:
        chain.append(items[k])
        k = prev[k]
    return chain[::-1]


def citation_footer_lines(texts: list[str | None]) -> set[int]:
    """Journal running footers: "Author X, et al. Journal 2018;8:e017419. doi:..."."""
    return {i for i, t in enumerate(texts)
            if t is not None and len(t) <= 200 and _CITATION_FOOTER.match(t)}


def _header_key(text: str) -> str:
    return _NON_LETTER.sub("", text.lower())


def repeated_lines(texts: list[str | None], pages: list[int], blank: list[bool],
                   debris: set[int], eligible: list[bool]) -> set[int]:
    """Running headers and footers among the cleaned line texts.

    ``texts[i]`` is the cleaned text of line ``i`` (``None`` for non-text lines);
    ``eligible[i]`` is false for lines that cannot be headers (bullets, markdown
    headings, table rows). A line is a header/footer when its key (letters only,
    lower case) recurs at least 4 times over at least a third of the document,
    or at least twice (or on 30% of the PDF pages) with two of its occurrences
    at a page edge or beside other page debris.
    """
    n = len(texts)
    occurrences: dict[str, list[int]] = defaultdict(list)
    sentence_like: set[str] = set()
    for i, t in enumerate(texts):
        if t is None or not eligible[i] or i in debris:
            continue
        s = t.strip()
        if not 3 <= len(s) <= 400 or _BRACKET_ONLY.match(s):
            continue
        key = _header_key(s)
        if len(key) < 4 or s.rsplit(None, 1)[-1].lower() in _OPEN_WORDS:
            continue  # a line ending on "and"/"the" is part of a sentence
        if s[-1] in ".?!:;,-":
            # a short line ending like a sentence is a sentence ("Okay, thank you."); a
            # long one recurring verbatim may be a licence footer, taken only beside
            # other page debris
            if len(s) < 60:
                continue
            sentence_like.add(key)
        occurrences[key].append(i)
    out: set[int] = set()
    for key, idx in occurrences.items():
        if key not in sentence_like and len(idx) >= 4 and idx[-1] - idx[0] >= n / 3 \
                and _varied_neighbours(idx, texts, blank):
            out.update(idx)
    edges = _page_edges(pages, blank)
    n_pages = (pages[-1] + 1) if pages else 1
    for _ in range(2):  # a second round sees headers found beside the first round's
        known = debris | out
        for key, idx in occurrences.items():
            if len(idx) < 2 or all(i in out for i in idx):
                continue
            reach = 1 if key in sentence_like else 3
            near = sum(1 for i in idx
                       if i in edges or _beside(i, known, blank, texts, reach))
            if near >= 2 and (n_pages < 3 or len(idx) >= max(2, 0.3 * n_pages)):
                out.update(idx)
    return out


def _neighbour(i: int, step: int, texts: list[str | None], blank: list[bool]) -> str | None:
    j = i + step
    while 0 <= j < len(blank):
        if not blank[j]:
            return texts[j] if texts[j] is not None else "<non-text>"
        j += step
    return None


def _varied_neighbours(idx: list[int], texts: list[str | None], blank: list[bool]) -> bool:
    """A running header sits among different text on each page; a repeated passage does not."""
    before = {_neighbour(i, -1, texts, blank) for i in idx}
    after = {_neighbour(i, 1, texts, blank) for i in idx}
    return len(before) >= 2 and len(after) >= 2 or len(before) >= 3 or len(after) >= 3


def _beside(i: int, known: set[int], blank: list[bool], texts: list[str | None],
            reach: int = 3) -> bool:
    """True when one of the ``reach`` nearest non-blank lines on either side is debris."""
    for step in (-1, 1):
        j, seen = i + step, 0
        while 0 <= j < len(blank) and seen < reach:
            if not blank[j]:
                if j in known:
                    return True
                seen += 1
            j += step
    return False
