"""Paragraph breaks are sentence breaks: set before the parser runs.

The small English parser sometimes runs a sentence across a blank line ("... team.
(S1R04)\\n\\nWhen I knew ..."), which would glue a quotation's speaker code to the next
quotation and give evidence that spans two paragraphs. This component, placed before the
``parser``, marks the first token after a blank line (and after a line that is a lone
speaker code or heading-like line ending without punctuation) as a sentence start; the
parser keeps preset boundaries.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc


class Paragraphs:
    """Mark the first token of every paragraph as a sentence start."""

    def __init__(self, nlp: Language, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        """Set ``is_sent_start`` after blank lines."""
        for tok in doc[:-1]:
            if tok.is_space and tok.text.count("\n") >= 2:
                doc[tok.i + 1].is_sent_start = True
            elif tok.whitespace_ == "" and tok.i + 1 < len(doc) and tok.text.endswith("\n\n"):
                doc[tok.i + 1].is_sent_start = True
        return doc


@Language.factory("actorgraph_paragraphs", default_config={})
def make_paragraphs(nlp: Language, name: str) -> Paragraphs:
    """Build the paragraph-boundary component (add it before the parser)."""
    return Paragraphs(nlp, name)
