"""Shared helpers for the organisation, funding and spread patterns.

The parser often leaves a bracketed redaction ("[named charity] funded ...") or a long
proper name ("the NIHR Policy Research Programme", of which only "NIHR" is an entity)
outside the token a dependency pattern looks at; these helpers recover the entity from
the surface: the entity right before a verb, or the entity inside a noun phrase's
compound modifiers. :func:`speaker_site` reads the site of the respondent code that
closes a quotation, so that "we got funding from X" inside a quote attributed to
``S4R03`` is about Site 4.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from spacy.tokens import Span, Token

from actorgraph.extraction.mentions import MentionRef, doc_text, make_ref
from actorgraph.extraction.relations.base import ent_at, ent_of_token, ents_in

#: First-person plural pronouns that stand for the speaker's organisation or site.
WE = {"we", "us", "our", "ourselves"}
_NP_MODS = {"compound", "amod", "nmod", "poss"}
_SITE_NAME = re.compile(r"^Site \S+$")


def np_entity(tok: Token, labels: Sequence[str]) -> Span | None:
    """The entity of the noun phrase headed by ``tok``: at ``tok`` itself, else at one of
    its compound/adjectival modifiers ("the NIHR Policy Research Programme" -> NIHR)."""
    ent = ent_of_token(tok, labels)
    if ent is not None:
        return ent
    for child in sorted(tok.children, key=lambda c: c.i):
        if child.dep_ in _NP_MODS and child.i < tok.i:
            found = np_entity(child, labels)
            if found is not None:
                return found
    return None


def left_entity(verb: Token, labels: Sequence[str], gap: int = 1) -> Span | None:
    """The entity that ends right before ``verb`` (at most ``gap`` adverbs between): the
    surface subject of "[named charity] funded ..." when the parse lost it."""
    doc = verb.doc
    i = verb.i - 1
    skipped = 0
    while i >= 0 and doc[i].pos_ in ("ADV", "AUX", "PART") and skipped < gap:
        i -= 1
        skipped += 1
    if i < 0:
        return None
    ent = ent_at(doc, i)
    if ent is None or ent.label_ not in labels or ent.end != i + 1:
        return None
    return ent


def speaker_site(tok: Token, max_chars: int = 2000) -> MentionRef | None:
    """The Site of the respondent code that closes the paragraph holding ``tok``.

    A quotation in this genre ends with its speaker's code ("... (S4R03)"); the code's
    ``site`` property names the site the speaker's "we" stands for. Returns a SITE mention
    anchored on the code, or None when the paragraph has no coded speaker with a site.
    """
    doc = tok.doc
    text = doc_text(doc)
    end = text.find("\n\n", tok.idx)
    end = len(text) if end < 0 else end
    end = min(end, tok.idx + max_chars)
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start_char < tok.idx or ent.start_char > end:
            continue
        site = code_site(ent)
        if site is not None:
            return site
    return None


def code_site(ent: Span) -> MentionRef | None:
    """The numbered Site a respondent code names ("S4R03" -> Site 4), as a SITE mention
    anchored on the code; None when the code carries no site."""
    site = str((ent._.props or {}).get("site") or "")
    if not _SITE_NAME.match(site):
        return None
    base = ent.doc._.offset or 0
    return make_ref("SITE", ent.start_char + base, ent.end_char + base, ent.text, site,
                    {"site_code": site})


def previous_subject_site(sent: Span) -> list[Span]:
    """The numbered Site that opens the sentence before ``sent`` ("Site 5 was a PACS
    Vanguard. It ..."), for a sentence whose subject is "it" / "this"."""
    if sent.start == 0:
        return []
    prev = sent.doc[sent.start - 1].sent
    for ent in ents_in(prev, ("SITE",)):
        if ent.start - prev.start <= 3 and any(ch.isdigit() for ch in ent.text):
            return [ent]
    return []
