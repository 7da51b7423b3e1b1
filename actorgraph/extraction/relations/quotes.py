"""Quotation attribution: link a quote's speaker to what the quote says.

In this genre a quotation is a paragraph (often indented or in italics) closed
by its speaker's code: ``... (S1R04)``, ``[ID002]`` on the next line,
``– P3S3R03``, ``S3R02, Programme lead``, ``(Care home manager (8))``. The
speaker is the ``PERSON`` entity of that code (or, if the entity pipeline
missed it, a code matched by :data:`CODE_RE`).

The quote runs back from the code to the start of its paragraph; a code alone
on its line takes the paragraph(s) before it, back to a line ending in ":" (the
sentence that introduces the quote), the previous attribution, or at most
``max_paragraphs`` paragraphs / ``max_chars`` characters.

Inside the quote, first-person statements are the speaker's:

* "I was the ... / my role as ... / I'm now ... in the ICS" -> ``HOLDS`` (with
  tense), ``IN``, ``TRANSITIONED_TO`` across the quote's sentences (see
  :mod:`.roles`), and removed roles ("my role wasn't in the new structure");
* "we" + organisation ("our CCG", "we in the STP", "because we were a
  Vanguard") -> ``MEMBER_OF`` at lower confidence; "I work for / I'm from /
  I'm based at X" -> ``MEMBER_OF``;
* the code's own role label ("Care home manager (8)", "S3R02, Programme lead")
  -> ``HOLDS`` that role.

With ``cooccurrence = true`` (off by default) the speaker is also linked as
``MEMBER_OF`` every organisation/site the quote names, at confidence 0.3.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span

from actorgraph.extraction.mentions import MentionRef, make_ref
from actorgraph.extraction.relations.base import (
    ORG_LABELS,
    emit,
    ents_in,
    gazetteer_lookup,
    index_ents,
    ref,
    sent_bounds,
)
from actorgraph.extraction.relations.roles import (
    RoleLexicon,
    clause_subjects,
    emit_statements,
    role_statements,
)
from actorgraph.extraction.relations.transitions import removed_roles

#: Respondent codes of the genre: S1R04, P3S3R03, S5 FGD, ID002, S6.
CODE_RE = re.compile(r"\b(?:P\d{1,2})?S\d{1,2}(?:\s?R\d{1,3}|\s?FGD)?\b|\bID\d{2,4}\b")
#: Role-label speakers: "Care home manager (8)", "GP (2)", "Local authority (3)".
LABEL_RE = re.compile(r"\b([A-Z][A-Za-z’'\-]*(?: [a-zA-Z’'\-]+){0,5}) \((\d{1,3})\)")
_CLOSERS = " \t)]*_.,;:”’\"'"
_OPENERS = " \t([*_–—-"
_TAIL_LABEL = re.compile(r"^\s*,\s*([A-Za-z][\w \-/&’']{0,60}?)[\s)\]*_.]*$")
_PARA_BREAK = re.compile(r"\n[ \t]*\n")


@dataclass
class Quote:
    """A quotation and its speaker, in doc-local character offsets."""

    start: int
    end: int
    speaker: MentionRef
    speaker_start: int
    speaker_end: int
    label: MentionRef | None = None


def _line_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    ls = text.rfind("\n", 0, start) + 1
    le = text.find("\n", end)
    return ls, (len(text) if le < 0 else le)


def _speaker_candidates(doc: Doc) -> list[tuple[int, int, MentionRef]]:
    """(start, end, ref) of speaker codes: PERSON entities first, then regex matches."""
    out: list[tuple[int, int, MentionRef]] = []
    taken: list[tuple[int, int]] = []
    for ent in doc.ents:
        if ent.label_ != "PERSON":
            continue
        props = ent._.props or {}
        if not (props.get("respondent_id") or props.get("role_label") or props.get("group")
                or CODE_RE.fullmatch(ent.text.strip("()[] ")) or LABEL_RE.fullmatch(ent.text)):
            continue
        out.append((ent.start_char, ent.end_char, ref(ent)))
        taken.append((ent.start_char, ent.end_char))
    base = doc._.offset or 0
    for rx, kind in ((CODE_RE, "code"), (LABEL_RE, "label")):
        for m in rx.finditer(doc.text):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            props = ({"respondent_id": m.group(0), "anonymised": True} if kind == "code"
                     else {"role_label": m.group(0), "anonymised": True})
            out.append((m.start(), m.end(), make_ref("PERSON", m.start() + base,
                                                     m.end() + base, m.group(0),
                                                     m.group(0), props)))
            taken.append((m.start(), m.end()))
    return sorted(out, key=lambda x: x[0])


def find_quotes(doc: Doc, max_paragraphs: int = 12, max_chars: int = 4000) -> list[Quote]:
    """Quotations in ``doc`` closed by a speaker code."""
    text = doc.text
    quotes: list[Quote] = []
    last_end = 0
    for s, e, speaker in _speaker_candidates(doc):
        ls, le = _line_bounds(text, s, e)
        before = text[ls:s].rstrip(_OPENERS)
        after = text[e:le]
        tail = _TAIL_LABEL.match(after)
        if after.strip(_CLOSERS) and not tail:
            continue
        bracketed = text[max(0, s - 1) : s] in ("(", "[") or text[s - 2 : s] in ("( ", "[ ")
        dashed = bool(re.search(r"[–—-]\s*$", text[ls:s]))
        if before.strip():
            last = before.rstrip()[-1]
            if not (bracketed or dashed or last in ".?!…\"”’)]*"):
                continue
            q_end = len(before) + ls
            q_start = _para_start(text, ls, q_end, last_end)
        else:
            q_end = ls
            q_start = _quote_before(text, ls, last_end, max_paragraphs, max_chars)
        while q_end > q_start and text[q_end - 1] in _OPENERS + "\n":
            q_end -= 1
        if q_end - q_start < 15:
            continue
        label = None
        if tail:
            base = doc._.offset or 0
            ts = e + after.index(tail.group(1))
            label = make_ref("ROLE", ts + base, ts + len(tail.group(1)) + base, tail.group(1),
                             tail.group(1).strip().lower(), {"source": "speaker_label"})
        quotes.append(Quote(q_start, q_end, speaker, s, e, label))
        last_end = e
    return quotes


def _para_start(text: str, line_start: int, q_end: int, floor: int) -> int:
    breaks = [m.end() for m in _PARA_BREAK.finditer(text, floor, line_start + 1)]
    start = breaks[-1] if breaks else max(floor, 0)
    return max(start, floor)


def _quote_before(text: str, line_start: int, floor: int, max_paras: int, max_chars: int) -> int:
    """Start of the quote that ends just before a code on its own line.

    Walks back over paragraphs to the one ending in ":" (the introduction); without
    one within ``max_paras``/``max_chars`` the quote is the nearest paragraph only.
    """
    paras = [(m.start(), m.end()) for m in _PARA_BREAK.finditer(text, floor, line_start)]
    starts = [floor] + [e for _s, e in paras]
    ends = [s for s, _e in paras] + [line_start]
    blocks = [(a, b) for a, b in zip(starts, ends, strict=True) if text[a:b].strip()]
    if not blocks:
        return line_start
    for k in range(len(blocks) - 2, max(-1, len(blocks) - 2 - max_paras), -1):
        a, b = blocks[k]
        if text[a:b].rstrip().endswith(":"):
            return blocks[k + 1][0]
        if line_start - a > max_chars:
            break
    return blocks[-1][0]


class QuoteRelations:
    """Pipeline component: relations from attributed quotations."""

    def __init__(self, lexicon: RoleLexicon, max_paragraphs: int, max_chars: int,
                 cooccurrence: bool, member_confidence: float) -> None:
        self.lex = lexicon
        self.max_paragraphs = max_paragraphs
        self.max_chars = max_chars
        self.cooccurrence = cooccurrence
        self.member_confidence = member_confidence

    def __call__(self, doc: Doc) -> Doc:
        """Append quote-derived mentions to ``doc._.relations``."""
        index_ents(doc)
        quotes = find_quotes(doc, self.max_paragraphs, self.max_chars)
        doc.user_data["actorgraph_quotes"] = [
            (q.start, q.end, q.speaker.canonical) for q in quotes]
        for q in quotes:
            self._quote(doc, q)
        return doc

    def _quote(self, doc: Doc, q: Quote) -> None:
        sents = [s for s in doc.sents if s.start_char < q.end and s.end_char > q.start]
        first_new = len(doc._.relations or [])
        self._quote_relations(doc, q, sents)
        base = doc._.offset or 0
        lo, hi = q.start + base, q.speaker_end + base
        for rel in (doc._.relations or [])[first_new:]:
            # a sentence the parser ran across the quote's edge: keep the quote's part
            start, end = max(rel.sentence[0], lo), min(rel.sentence[1], hi)
            if start < end:
                rel.sentence = (start, end)

    def _quote_relations(self, doc: Doc, q: Quote, sents: list[Span]) -> None:
        statements = []
        for sent in sents:
            found = [s for s in role_statements(sent, self.lex, q.speaker, "quote:role")
                     if s.holder.first_person]
            statements.extend(found)
        emit_statements(doc, statements)
        covered = {s.org.canonical for s in statements if s.org is not None}
        for sent in sents:
            removed_roles(sent, self.lex, q.speaker, statements)
            self._membership(doc, sent, q, covered)
        self._intro_role(doc, q)
        if q.label is not None:
            self._label_role(doc, q, sents)
        else:
            self._label_from_code(doc, q, sents)

    def _membership(self, doc: Doc, sent: Span, q: Quote, covered: set[str]) -> None:
        bounds = sent_bounds(sent)
        for org in ents_in(sent, ORG_LABELS):
            if q.speaker_start <= org.start_char < q.speaker_end:
                continue
            if (org._.canonical or org.text) in covered:
                continue  # already a role of the speaker in that organisation
            conf = self._member_cue(org)
            if conf is not None and conf < 0.6 and (org._.props or {}).get("generic"):
                conf = None  # "we were a Vanguard": too vague for a generic organisation
            if conf is None and self.cooccurrence:
                emit(doc, "MEMBER_OF", q.speaker, ref(org), bounds, "quote:cooccurrence", 0.3)
            elif conf is not None:
                emit(doc, "MEMBER_OF", q.speaker, ref(org), bounds, "quote:we", conf)

    def _intro_role(self, doc: Doc, q: Quote) -> None:
        """The sentence introducing the quote names the speaker's role:
        "This was explained by a finance officer:", "A GP at the same site said:"."""
        text = doc.text
        props = q.speaker.properties
        if props.get("group") or "FGD" in q.speaker.text.upper():
            return  # a focus group is not one post holder
        head = text[max(0, q.start - 600) : q.start].rstrip(" \t\n*_")
        if not head.endswith(":"):
            return
        colon = max(0, q.start - 600) + len(head) - 1
        intro = next((s for s in doc.sents if s.start_char <= colon < s.end_char), None)
        if intro is None:
            return
        roles = [r for r in ents_in(intro, ("ROLE",)) if r.end_char <= colon
                 and _introduces_speaker(r)]
        if roles:
            base = doc._.offset or 0
            span = (intro.start_char + base, colon + 1 + base)
            emit(doc, "HOLDS", q.speaker, ref(roles[-1]), span, "quote:intro", 0.6,
                 tense="current")

    def _member_cue(self, org: Span) -> float | None:
        """Confidence that the speaker belongs to ``org`` from first-person cues."""
        doc = org.doc
        first = org.start
        if org[0].lower_ == "our" or (first > 0 and doc[first - 1].lower_ == "our"):
            return self.member_confidence
        root = org.root
        if root.dep_ == "pobj" and root.head.lower_ in ("at", "in", "within", "for", "from"):
            verb = root.head.head
            if verb.pos_ in ("VERB", "AUX"):
                subjects, _ = clause_subjects(verb)
                lows = {s.lower_ for s in subjects}
                lemma = verb.lemma_.lower()
                if "i" in lows and lemma in ("work", "be", "base", "employ", "sit"):
                    return min(0.9, self.member_confidence + 0.15)
                if "we" in lows and lemma in ("work", "be", "base", "sit", "build", "do"):
                    return self.member_confidence - 0.05
        if root.dep_ in ("attr",) and root.head.lemma_.lower() == "be":
            subjects, _ = clause_subjects(root.head)
            if {s.lower_ for s in subjects} & {"we", "i"}:
                return self.member_confidence - 0.05
        if root.dep_ == "appos" and root.head.lower_ == "we":
            return self.member_confidence
        return None

    def _label_role(self, doc: Doc, q: Quote, sents: list[Span]) -> None:
        bounds = sents[-1] if sents else None
        span = sent_bounds(bounds) if bounds is not None else (q.start, q.end)
        role_ent = next((e for e in doc.ents if e.label_ == "ROLE"
                         and e.start_char + (doc._.offset or 0) >= q.label.start
                         and e.end_char + (doc._.offset or 0) <= q.label.end), None)
        role = ref(role_ent) if role_ent is not None else q.label
        emit(doc, "HOLDS", q.speaker, role, span, "quote:speaker_label", 0.8, tense="current")

    def _label_from_code(self, doc: Doc, q: Quote, sents: list[Span]) -> None:
        """ "Care home manager (8)" holds "care home manager"; "Local authority (3)" is a
        member of the local authority."""
        label = str(q.speaker.properties.get("role_label") or "")
        m = LABEL_RE.fullmatch(label.strip())
        title = (m.group(1) if m else label).strip()
        if not title or CODE_RE.fullmatch(title):
            return
        pos = q.speaker.text.find(title)
        start = q.speaker.start + max(0, pos)
        span = sent_bounds(sents[-1]) if sents else (q.start, q.end)
        role = gazetteer_lookup("roles", title)
        org = None if role else gazetteer_lookup("organisations", _org_words(title))
        if org is not None:
            canonical, props = org
            target = make_ref("ORG", start, start + len(title), title, canonical,
                              {**props, "generic": True})
            emit(doc, "MEMBER_OF", q.speaker, target, span, "quote:speaker_label", 0.75)
            return
        canonical, props = role if role else (title.lower(), {"title": title.lower()})
        target = make_ref("ROLE", start, start + len(title), title, canonical, props)
        emit(doc, "HOLDS", q.speaker, target, span, "quote:speaker_label", 0.75, tense="current")


def _introduces_speaker(role: Span) -> bool:
    """A role phrase that stands for one person ("a GP", "one local lead", "by a
    finance officer"), not a group or a topic ("GPs' workload", "the role of GPs")."""
    root = role.root
    if root.tag_ in ("NNS", "NNPS"):
        return False
    dets = {c.lower_ for c in root.children if c.dep_ in ("det", "nummod", "poss")}
    if dets & {"a", "an", "one", "another", "this", "that"}:
        return root.dep_ in ("nsubj", "nsubjpass", "pobj", "appos", "attr", "ROOT")
    return False


def _org_words(title: str) -> str:
    """"Clinical Commissioning Group employee" -> "Clinical Commissioning Group"."""
    return re.sub(r"\s+(employee|staff|member|representative|worker|officer)s?$", "",
                  title.strip(), flags=re.IGNORECASE)


@Language.factory(
    "actorgraph_rel_quotes",
    default_config={
        "roles_lexicon": None,
        "cues_lexicon": None,
        "max_paragraphs": 12,
        "max_chars": 4000,
        "cooccurrence": False,
        "member_confidence": 0.55,
    },
)
def make_quotes_component(
    nlp: Language, name: str, roles_lexicon: str | None, cues_lexicon: str | None,
    max_paragraphs: int, max_chars: int, cooccurrence: bool, member_confidence: float,
) -> QuoteRelations:
    """spaCy factory: relations from attributed quotations."""
    return QuoteRelations(RoleLexicon(roles_lexicon, cues_lexicon), int(max_paragraphs),
                          int(max_chars), bool(cooccurrence), float(member_confidence))
