"""Case-study site codes: ``Site 1`` .. ``Site N``, ``Site A``, ``case study site 3``.

Each becomes a ``SITE`` entity with ``site_code`` ("Site 3") and, when the text states it
right after the code ("Site 3 (PACS)", "Site 2, an MCP"), ``model_type``.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from actorgraph.extraction.components.entity_merge import char_span, label_span, merge_ents

#: "Site 3", "case study site C"; not "Site 3-based" nor the section number "Site 5.2".
SITE_CODE = re.compile(
    r"\b(?:[Cc]ase[ -][Ss]tudy )?[Ss]ite (?P<id>\d{1,2}|[A-HJ-Z])(?![\w\-]|\.\w)")
MODEL_AFTER = re.compile(
    r"\s*[(,:\-–]?\s*(?:an?\s+|the\s+)?\(?(?P<model>PACS|MCP|ECH|EHCH|UEC|ACC)\b")
MODEL_NAMES = {"EHCH": "ECH"}


def find_site_codes(text: str) -> list[tuple[int, int, dict[str, str]]]:
    """The site codes of ``text`` as ``(start, end, props)``."""
    out = []
    for match in SITE_CODE.finditer(text):
        code = f"Site {match.group('id')}"
        props = {"site_code": code, "generic": False}
        model = MODEL_AFTER.match(text, match.end(), match.end() + 40)
        if model:
            props["model_type"] = MODEL_NAMES.get(model.group("model"), model.group("model"))
        out.append((match.start(), match.end(), props))
    return out


class SiteCodes:
    """Tag ``Site N`` codes as ``SITE`` entities."""

    def __init__(self, nlp: Language, name: str, confidence: float) -> None:
        self.name = name
        self.confidence = confidence

    def __call__(self, doc: Doc) -> Doc:
        """Add the site codes of ``doc`` to ``doc.ents``."""
        spans: list[Span] = []
        for start, end, props in find_site_codes(doc.text):
            span = char_span(doc, start, end)
            if span is not None:
                spans.append(label_span(span, "SITE", props["site_code"], props, "site_code",
                                        self.confidence))
        merge_ents(doc, spans)
        return doc


@Language.factory("actorgraph_site_codes", default_config={"confidence": 0.95})
def make_site_codes(nlp: Language, name: str, confidence: float) -> SiteCodes:
    """Build the site-code component."""
    return SiteCodes(nlp, name, confidence)
