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

import dataclasses
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from actorgraph.extraction.mentions import MentionRef, doc_text, make_ref
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
    RoleStatement,
    clause_subjects,
    emit_statements,
    is_plural_role,
    role_mention,
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
        for m in rx.finditer(doc_text(doc)):
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
    text = doc_text(doc)
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


def own_site(statement: RoleStatement, speaker: MentionRef) -> RoleStatement:
    """Read "the Vanguard" / "our Vanguard" in a respondent's quote as the respondent's own
    site: S1R04's "we were in [the Vanguard]" is a role in Site 1.

    Only a bare, unnamed Vanguard (no site code of its own) is replaced, and only when the
    speaker's code carries a site.
    """
    org = statement.org
    site = str(speaker.properties.get("site") or "")
    if org is None or not site.lower().startswith("site"):
        return statement
    props = org.properties
    words = re.sub(r"[\[\]]", " ", org.canonical).lower().split()
    words = [w for w in words if w not in ("the", "our", "a", "this")]
    if props.get("site_code") or words not in (["vanguard"], ["vanguards"]):
        return statement
    site_ref = make_ref("SITE", org.start, org.end, org.text, site, {"site_code": site})
    role = statement.role
    role_props = {**role.properties, "organisation": site}
    return dataclasses.replace(
        statement, org=site_ref,
        role=make_ref("ROLE", role.start, role.end, role.text, role.canonical, role_props))


def fellow_roles(doc: Doc, sents: list[Span], speaker: MentionRef, lex: RoleLexicon) -> None:
    """ "every other project manager that I've spoken to", "all the other GPs I know", "as
    a fellow GP": the speaker holds that role too (0.55)."""
    for sent in sents:
        if not any(t.lower_ in ("i", "me", "my", "we", "us") for t in sent):
            continue
        for role in ents_in(sent, ("ROLE",)):
            before = [t.lower_ for t in doc[max(sent.start, role.start - 3) : role.start]]
            fellow = (before[-2:] == ["every", "other"] or before[-3:] == ["all", "the", "other"]
                      or before[-1:] == ["fellow"] or before[-2:] == ["all", "other"])
            if fellow:
                emit(doc, "HOLDS", speaker, role_mention(role, lex), sent_bounds(sent),
                     "quote:fellow_role", 0.55, tense="current")


def site_became(doc: Doc, sents: list[Span], speaker: MentionRef) -> None:
    """ "So then we became a kind of [Vanguard name] Alliance" said by a site's respondent:
    the site ``SUCCEEDED_BY`` that body (0.6). Not "we became part / a member of X" (that
    is membership), not a Vanguard ("we became a Vanguard" starts the site), not negated."""
    site = str(speaker.properties.get("site") or "")
    if not site.lower().startswith("site"):
        return
    for sent in sents:
        for verb in sent:
            if verb.lemma_.lower() != "become" or any(c.dep_ == "neg" for c in verb.children):
                continue
            if not any(c.dep_ == "nsubj" and c.lower_ == "we" for c in verb.children):
                continue
            for attr in [c for c in verb.children if c.dep_ in ("attr", "oprd")]:
                if attr.lemma_.lower() in ("part", "member", "partner", "one"):
                    continue
                orgs = [ref(e) for e in ents_in(list(attr.subtree), ("ORG",))
                        if str((e._.props or {}).get("org_type") or "").upper() != "VANGUARD"
                        and "vanguard" != (e._.canonical or e.text).strip("[] ").lower()]
                named = orgs or _named_after_site(list(attr.subtree))
                if not named:
                    continue
                site_ref = make_ref("SITE", speaker.start, speaker.end, site, site,
                                    {"site_code": site})
                emit(doc, "SUCCEEDED_BY", site_ref, named[0], sent_bounds(sent),
                     "quote:site_became", 0.6)


#: Heads that make a body of a (redacted) site name: "[Vanguard name] Alliance".
_BODY_HEADS = {"alliance", "partnership", "board", "collaborative", "network", "trust",
               "federation", "consortium"}


def _named_after_site(tokens: list[Token]) -> list[MentionRef]:
    """ "[Vanguard name] Alliance": a site mention followed by a body noun is a body."""
    if not tokens:
        return []
    doc = tokens[0].doc
    base = doc._.offset or 0
    for site in ents_in(tokens, ("SITE",)):
        j, start = site.end, site.start
        if j < len(doc) and doc[j].text == "]" and start > 0 and doc[start - 1].text == "[":
            j, start = j + 1, start - 1  # "[Site 5] Alliance" with the site inside brackets
        if j < len(doc) and doc[j].lower_ in _BODY_HEADS:
            span = doc[start : j + 1]
            props = {"org_type": "ALLIANCE"} if doc[j].lower_ == "alliance" else {}
            return [make_ref("ORG", span.start_char + base, span.end_char + base, span.text,
                             span.text, props)]
    return []


def secondments(
    sents: list[Span], speaker: MentionRef, known: list[RoleStatement]
) -> list[RoleStatement]:
    """ "we are both seconded from [named] Mental Health Trust" said by a site's respondent:
    the speaker now holds a seconded role in their own site (the earlier role in the trust
    comes from the move "from X", see :mod:`.roles`). A secondment "to/into X" names its
    own destination and needs nothing here."""
    site = str(speaker.properties.get("site") or "")
    if not site.lower().startswith("site"):
        return []
    out: list[RoleStatement] = []
    base = sents[0].doc._.offset or 0 if sents else 0
    for sent in sents:
        for tok in sent:
            if tok.lemma_.lower() != "second" or tok.pos_ not in ("VERB", "AUX"):
                continue
            preps = {c.lower_ for c in tok.children if c.dep_ == "prep"}
            if "from" not in preps or preps & {"to", "into"}:
                continue
            subjects, _ = clause_subjects(tok)
            if not any(x.lower_ in ("i", "we") for x in subjects):
                continue
            start, end = tok.idx + base, tok.idx + len(tok.text) + base
            holder = next((st.holder for st in known if st.holder.first_person), None)
            if holder is None:
                continue
            role = make_ref("ROLE", start, end, tok.text, "seconded role",
                            {"title": "seconded role", "category": "unspecified",
                             "organisation": site, "unnamed": True})
            site_ref = make_ref("SITE", speaker.start, speaker.end, site, site,
                                {"site_code": site})
            out.append(RoleStatement(holder, role, site_ref, "current", tok.i,
                                     sent_bounds(sent), 0.6, "quote:secondment"))
    return out


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
        covered = {s.org.canonical for s in statements if s.org is not None}
        statements = [own_site(st, q.speaker) for st in statements]
        statements.extend(secondments(sents, q.speaker, statements))
        emit_statements(doc, statements)
        site_became(doc, sents, q.speaker)
        if not (q.speaker.properties.get("group") or "FGD" in q.speaker.text.upper()):
            fellow_roles(doc, sents, q.speaker, self.lex)
        covered |= {s.org.canonical for s in statements if s.org is not None}
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
        """The paragraph introducing the quote names the speaker's role.

        "This was explained by a finance officer:", "A GP at the same site said:" (the
        sentence ending in the colon), or an earlier sentence of the same paragraph whose
        role is the subject of a speech verb ("The lead GP in this site also explained the
        importance of engagement. Many had been suspicious ...:", "Site 6 appointed an
        external lead who described their role ...:"), unless a respondent code stands
        between that role and the quote (someone else was quoted already).
        """
        text = doc_text(doc)
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
        base = doc._.offset or 0
        roles = [r for r in ents_in(intro, ("ROLE",)) if r.end_char <= colon
                 and _introduces_speaker(r)]
        if roles:
            span = (intro.start_char + base, colon + 1 + base)
            emit(doc, "HOLDS", q.speaker, role_mention(roles[-1], self.lex), span,
                 "quote:intro", 0.6, tense="current")
            return
        para_start = text.rfind("\n\n", 0, intro.start_char) + 1
        earlier = [s for s in doc.sents if para_start <= s.start_char < intro.start_char]
        pronoun = _pronoun_speaker(intro, self.lex)
        for n, sent in enumerate(reversed([*earlier, intro])):
            found = [r for r in ents_in(sent, ("ROLE",)) if r.end_char <= colon
                     and _speaks(r, self.lex, subject_only=pronoun and n == 1)]
            if not found:
                continue
            role = found[-1]
            between = doc.char_span(role.end_char, colon, alignment_mode="expand")
            if between is not None and ents_in(between, ("PERSON",)):
                return
            span = (sent.start_char + base, sent.end_char + base)
            emit(doc, "HOLDS", q.speaker, role_mention(role, self.lex), span,
                 "quote:intro_speaker", 0.55, tense="current")
            return

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
    finance officer"), not a group or a topic ("GPs' workload", "the role of GPs"), nor
    two people ("this service manager and voluntary sector respondent")."""
    root = role.root
    if is_plural_role(role) or root.dep_ == "conj" or any(
            c.dep_ == "conj" for c in root.children):
        return False
    dets = {c.lower_ for c in root.children if c.dep_ in ("det", "nummod", "poss")}
    if dets & {"a", "an", "one", "another", "this", "that"}:
        return root.dep_ in ("nsubj", "nsubjpass", "pobj", "appos", "attr", "ROOT")
    return False


def _pronoun_speaker(sent: Span, lex: RoleLexicon) -> bool:
    """The sentence's speaker is a pronoun: "They described their role:" (active)."""
    return any(t.dep_ == "nsubj" and t.lower_ in ("they", "he", "she", "s)he")
               and t.head.lemma_.lower() in lex.speech_verbs for t in sent)


def _speaks(role: Span, lex: RoleLexicon, subject_only: bool = False) -> bool:
    """One person in a role who speaks: the singular active subject of a speech verb ("the
    lead GP ... explained"), or a role whose relative clause speaks ("an external lead who
    described their role"). With ``subject_only`` (the next sentence is "They described
    ...:") any singular subject counts ("the PPIE lead could be described as ...").
    A passive "the chief officer was described as" is talk *about* the role holder."""
    root = role.root
    if is_plural_role(role) or root.dep_ == "conj" or any(
            c.dep_ == "conj" for c in root.children):
        return False
    doc = role.doc
    dets = {c.lower_ for c in root.children if c.dep_ in ("det", "nummod", "poss")}
    dets |= {t.lower_ for t in doc[max(0, role.start - 1) : role.start]}  # "The programme lead"
    if not dets & {"a", "an", "one", "another", "this", "that", "the"}:
        return False
    if subject_only and root.dep_ in ("nsubj", "nsubjpass"):
        return True
    if root.dep_ == "nsubj" and root.head.lemma_.lower() in lex.speech_verbs:
        return True
    return any(c.dep_ == "relcl" and c.lemma_.lower() in lex.speech_verbs
               and any(x.dep_ == "nsubj" and x.lower_ in ("who", "that") for x in c.children)
               for c in root.children)


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
