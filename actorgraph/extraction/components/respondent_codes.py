"""Respondent and speaker codes: anonymised people, parsed into their parts.

Shapes recognised (and unknown variants of them: other digits, other prefixes):

* ``S1R04``, ``P3S3R03``, ``S2-R12``: optional phase, site, respondent;
* ``S5 FGD``, ``S2FG1``: a focus group (``group``) at a site;
* ``ID002``, ``INT07``, ``KI12``: a numbered interviewee;
* ``Site 3 R2``, ``Site B, Respondent 4``: site and respondent;
* ``Interviewee 7``, ``Participant 3``, ``Respondent A``: a numbered interviewee;
* ``(S6)``, ``[R12]``, a line starting ``R3 ...`` in a transcript: bare codes, only where
  they stand as an attribution (in brackets or as a speaker turn), so that "Table S1" or
  "(R2 = 0.4)" are not taken;
* role labels ``(Care home manager (8))``, ``(GP (2))``, ``[CCG manager, Site 2]``.

Each becomes a ``PERSON`` entity with ``respondent_id`` (the code as written, spaces
normalised; separators dropped from ``P2-S11-R7``/``ID 017``), ``anonymised=True`` and
whichever of ``phase``, ``site``, ``respondent``, ``group``, ``role_label`` the code carries.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from actorgraph.extraction.components.entity_merge import char_span, label_span, merge_ents

_B = r"(?<![\w/.\-])"  # not glued to a preceding word, path or number
_E = r"(?![\w\-])"
_LABEL_WORDS = r"[A-Z][A-Za-z’'/&\-]*(?: [A-Za-z’'/&\-]+){0,5}"
_NOT_ROLE = re.compile(
    r"^(?:table|figure|fig|box|appendix|section|chapter|page|phase|model|stage|step|question|"
    r"wave|part|level|year|item|note|equation|eq|n|see|ref)\b", re.IGNORECASE)

PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("site_respondent", re.compile(
        _B + r"(?:P(?P<phase>\d{1,2})[ _\-]?)?S(?P<site>\d{1,2})[ _\-]?R(?P<respondent>\d{1,3})"
        + _E)),
    ("focus_group", re.compile(
        _B + r"(?:P(?P<phase>\d{1,2})[ _\-]?)?S(?P<site>\d{1,2})[ _\-]?(?:[A-Z]{2,6} )?"
        r"(?P<group>FGD?|GI)"
        r"(?P<respondent>\d{0,2})" + _E)),
    ("numbered_id", re.compile(
        _B + r"(?P<prefix>ID|INT|Int|RESP|Resp|KI|IV)[ _\-]?(?P<respondent>\d{2,4})" + _E)),
    ("site_word_respondent", re.compile(
        r"\bSite\s+(?P<site>\d{1,2}|[A-Z])\s*,?\s*(?:R|Respondent\s+|Interviewee\s+)"
        r"(?P<respondent>\d{1,3})\b")),
    ("word_respondent", re.compile(
        r"\b(?P<word>[Ii]nterviewee|[Pp]articipant|[Rr]espondent|[Kk]ey [Ii]nformant|"
        r"[Ii]nformant)\s+(?:[Nn]o\.?\s*)?(?P<respondent>\d{1,3}|[A-HJ-Z])\b(?!\.\d)")),
    ("bare_site", re.compile(r"(?<=[(\[])\s*(?P<code>S(?P<site>\d{1,2}))\s*(?=[)\]])")),
    ("bare_respondent", re.compile(
        r"(?:(?<=[(\[])|^)[ \t]*(?P<code>R(?P<respondent>\d{1,3}))"
        r"(?=\s*[)\]:]|[ \t]+[A-Z])", re.MULTILINE)),
    ("role_label_site", re.compile(
        r"[(\[](?P<code>(?P<role_label>[A-Za-z][A-Za-z’'/& \-]{1,40}?),\s*"
        r"(?P<site>Site\s+(?:\d{1,2}|[A-Z])|S\d{1,2}))[)\]]")),
    ("role_label", re.compile(
        r"(?:(?<=[(\[])|^|(?<=[.?!”\"’…]\s))(?P<code>(?P<role_label>" + _LABEL_WORDS + r")"
        r"\s?\((?P<respondent>\d{1,3})\))(?=[)\]]|\s*$)", re.MULTILINE)),
]


def parse_code(kind: str, match: re.Match[str]) -> dict[str, Any] | None:
    """The properties of one code match (``None`` when it is not a code after all)."""
    parts = match.groupdict()
    text = parts.get("code") or match.group(0)
    text = re.sub(r"\s+", " ", text.strip())
    if kind in ("site_respondent", "numbered_id"):
        text = re.sub(r"[\s_\-]", "", text)  # "P2-S11-R7" -> "P2S11R7", "ID 017" -> "ID017"
    props: dict[str, Any] = {"respondent_id": text, "anonymised": True}
    if parts.get("phase"):
        props["phase"] = parts["phase"]
    if parts.get("site"):
        site = parts["site"]
        props["site"] = re.sub(r"\s+", " ", site) if site.startswith("Site") else (
            f"Site {site.lstrip('S')}")
    if parts.get("respondent"):
        props["respondent"] = parts["respondent"]
    if parts.get("group"):
        props["group"] = parts["group"]
    if parts.get("role_label"):
        label = parts["role_label"].strip()
        if _NOT_ROLE.match(label) or label.isupper() and len(label) > 6:
            return None
        props["role_label"] = label
    if kind == "role_label" and not parts.get("respondent"):
        return None
    return props


def find_codes(text: str) -> list[tuple[int, int, dict[str, Any]]]:
    """All respondent codes in ``text`` as ``(start, end, props)``, earliest first."""
    found: list[tuple[int, int, dict[str, Any]]] = []
    for kind, pattern in PATTERNS:
        for match in pattern.finditer(text):
            props = parse_code(kind, match)
            if props is None:
                continue
            group = "code" if match.groupdict().get("code") else 0
            found.append((match.start(group), match.end(group), props))
    found.sort(key=lambda item: (item[0], -(item[1] - item[0])))
    out: list[tuple[int, int, dict[str, Any]]] = []
    last_end = -1
    for start, end, props in found:
        if start >= last_end:
            out.append((start, end, props))
            last_end = end
    return out


class RespondentCodes:
    """Tag respondent and speaker codes as anonymised ``PERSON`` entities."""

    def __init__(self, nlp: Language, name: str, confidence: float) -> None:
        self.name = name
        self.confidence = confidence

    def __call__(self, doc: Doc) -> Doc:
        """Add the codes in ``doc`` to ``doc.ents`` (they win over overlapping entities)."""
        spans: list[Span] = []
        for start, end, props in find_codes(doc.text):
            span = char_span(doc, start, end)
            if span is not None:
                spans.append(label_span(span, "PERSON", props["respondent_id"], props,
                                        "respondent_code", self.confidence))
        merge_ents(doc, spans)
        return doc


@Language.factory("actorgraph_respondent_codes", default_config={"confidence": 0.95})
def make_respondent_codes(nlp: Language, name: str, confidence: float) -> RespondentCodes:
    """Build the respondent-code component."""
    return RespondentCodes(nlp, name, confidence)
