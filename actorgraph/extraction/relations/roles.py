"""Who holds which role, where, and when: ``HOLDS``, ``IN`` and ``TRANSITIONED_TO``.

A *role statement* links a holder (a ``PERSON`` entity, or the speaker of a quote
when the text says "I"/"we"/"my") to a role (a ``ROLE`` entity, or an unnamed
role "in the STP") and optionally to the organisation or site the role is in,
with a tense: ``earlier``, ``current`` or ``later``.

Holders are found from the dependency parse (subject of a copula or of
"became"/"joined"/"was appointed", an apposition, "as <role>"), then from
surface order ("Jane Doe, chief officer of the CCG") and, for an elided subject
("was chair of X at the time and is now chair of Y"), from the previous
statement of the same sentence. Tense comes from the last tense cue before the
role (``data/time_cues.json``): "was", "used to", "at that time", "previously"
-> earlier; "now", "has since become", "went on to", "joined", "moved to" ->
later; "is", "currently" -> current; no cue -> current.

For a holder with an earlier and a later (or current) statement in the same
sentence (or quote), each earlier role gets a ``TRANSITIONED_TO`` edge to each
later one. A move between organisations without a role name ("were in the
Vanguard and now in the STP", "moved from the CCG to the ICB") becomes two
unnamed roles ("role in the CCG" -> "role in the ICB"); such unnamed roles are
only emitted when they take part in a transition, or when the holder works there ("I
worked for the PCT").

Beyond statements with a holder: roles tied to an organisation in the text are placed
``IN`` it whoever holds them ("the CCG Chief Officer", "project managers in Site 1",
"Site 6 appointed an external lead"); bracketed lists of posts after an organisation
("CCG employee (leads for contracting, ...)") and "employees of X including ..." give
``IN``; "he"/"she" continue the one person of the previous sentence; statements of one
paragraph pair up across sentences; "I'm on the CCG governing body" is a member role;
"NHS England's Vanguard programme" gives ``LEADS``. Role names keep the title's own
modifiers ("external Vanguard lead") and never the dating words ("former", "new").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from actorgraph.extraction.mentions import MentionRef, make_ref
from actorgraph.extraction.relations.base import (
    ORG_LABELS,
    emit,
    ent_at,
    ent_of_token,
    ents_in,
    find_phrases,
    gazetteer_lookup,
    index_ents,
    is_negated,
    load_lexicon,
    np_ref,
    phrase_set,
    ref,
    sent_bounds,
    subtree_ents,
)

_RELATIVE = {"who", "that", "which", "whom"}
#: Verbs whose direct object is a role the subject holds ("took up the post of chair").
_HOLDING_OBJECT_VERBS = {"take", "hold", "assume", "become", "get", "land", "keep", "retain"}
#: Verbs that may carry an elided subject over from a coordinated role statement.
_ELIDED_OK = {"be", "become", "remain", "serve", "go", "move", "join", "return", "stay",
              "take", "hold", "work", "come"}


@dataclass
class Holder:
    """Who holds a role: a person mention and how sure we are."""

    ref: MentionRef
    token_i: int
    confidence: float
    first_person: bool = False

    @property
    def key(self) -> tuple[Any, ...]:
        """Identity used to group one holder's statements."""
        return (self.ref.start, self.ref.end, self.ref.canonical)


@dataclass
class RoleStatement:
    """One holder-role(-organisation) fact with its tense."""

    holder: Holder
    role: MentionRef
    org: MentionRef | None
    tense: str
    position: int
    sentence: tuple[int, int]
    confidence: float
    method: str
    unnamed: bool = False
    employed: bool = False
    removed: bool = False


class RoleLexicon:
    """The word lists the role statements use (``roles.json`` + ``time_cues.json``)."""

    def __init__(self, roles_path: str | None = None, cues_path: str | None = None) -> None:
        roles = load_lexicon("roles", roles_path)
        cues = load_lexicon("time_cues", cues_path)
        self.link_verbs = set(roles["link_verbs"])
        self.org_preps = set(roles["org_preps"])
        self.move_verbs = set(roles["move_verbs"])
        self.from_preps = set(roles["move_from_preps"])
        self.to_preps = set(roles["move_to_preps"])
        self.generic_nouns = set(roles["generic_role_nouns"])
        self.removal = phrase_set(roles["removal"])
        self.role_modifiers = set(roles.get("role_modifiers", []))
        self.speech_verbs = set(roles.get("speech_verbs", []))
        self.appoint_verbs = set(roles.get("appoint_verbs", []))
        self.list_fillers = set(roles.get("list_fillers", []))
        self.list_role_heads = set(roles.get("list_role_heads", []))
        self.cue_kind: dict[str, str] = {}
        for kind in ("current", "earlier", "later"):
            for phrase in cues[kind]:
                self.cue_kind[" ".join(phrase.lower().split())] = kind
        self.cues = phrase_set(self.cue_kind)
        self.first_person = set(cues["first_person"])
        self.first_plural = set(cues["first_person_plural"])


# --------------------------------------------------------------------------- holders


def clause_subjects(verb: Token) -> tuple[list[Token], Token]:
    """Subjects of ``verb`` (climbing conjunctions/xcomp for elided ones) and their verb."""
    v = verb
    for _ in range(6):
        subs = [c for c in v.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        if not subs:  # the parser hung the subject on the auxiliary: "we [are] seconded"
            subs = [c for a in v.children if a.dep_ in ("aux", "auxpass")
                    for c in a.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subs:
            out: list[Token] = []
            for s in subs:
                if s.lower_ in _RELATIVE:
                    s = _antecedent(s, v)
                out.extend([s, *s.conjuncts])
            return out, v
        if v.dep_ in ("conj", "xcomp") and v.head != v:
            v = v.head
            continue
        break
    return [], v


def _antecedent(rel: Token, verb: Token) -> Token:
    """What a relative pronoun stands for: "[named], who was ..." -> "[named]"."""
    i = rel.i - 1
    while i >= 0 and rel.doc[i].text in (",", "(", "-", "–"):
        i -= 1
    if i >= 0 and (ent_of_token(rel.doc[i], ("PERSON",)) is not None
                   or redacted_person(rel.doc[i]) is not None):
        return rel.doc[i]
    return verb.head if verb.dep_ == "relcl" else rel


_REDACTED_PERSON = re.compile(
    r"^\[(?:named?|name of [^\]]{1,30}|named (?:person|individual|colleague|lead|gp)|"
    r"(?:another |other )?colleague|interviewee|respondent)\]$", re.IGNORECASE)


def redacted_person(tok: Token) -> MentionRef | None:
    """A bracketed person redaction at ``tok`` ("[named]", "[name]") not tagged as an entity."""
    doc = tok.doc
    left = tok.i
    while left > 0 and doc[left].text != "[" and tok.i - left < 5:
        left -= 1
    right = tok.i
    while right < len(doc) - 1 and doc[right].text != "]" and right - tok.i < 5:
        right += 1
    span = doc[left : right + 1]
    if not _REDACTED_PERSON.match(span.text):
        return None
    base = doc._.offset or 0
    return make_ref("PERSON", span.start_char + base, span.end_char + base, span.text,
                    span.text, {"anonymised": True})


_THIRD_PERSON = {"he", "she", "his", "her", "him"}


def paragraph_break(tok: Token) -> bool:
    """True when a blank line follows ``tok`` (the end of a paragraph)."""
    return "\n\n" in tok.whitespace_ or (tok.is_space and tok.text.count("\n") >= 2)


def pronoun_antecedent(tok: Token) -> MentionRef | None:
    """The person "he"/"she"/"his"/"her" stands for: the one person named before it in the
    same or the previous sentence of the same paragraph ("Jane Smith was a nurse in the
    CCG. She is now chair of the ICS."). Two different people there: ambiguous, ``None``.
    """
    doc = tok.doc
    first = tok.sent.start
    if first > 0:
        first = doc[first - 1].sent.start
    found: dict[str, MentionRef] = {}
    i = tok.i - 1
    while i >= first:
        t = doc[i]
        if paragraph_break(t):
            break
        person = ent_of_token(t, ("PERSON",))
        if person is not None:
            found.setdefault((person._.canonical or person.text), ref(person))
            i = person.start - 1
            continue
        if t.text == "]":
            red = redacted_person(t)
            if red is not None:
                found.setdefault(red.canonical + f"@{red.start}", red)
        i -= 1
    return next(iter(found.values())) if len(found) == 1 else None


def holder_from_token(
    tok: Token, lex: RoleLexicon, speaker: MentionRef | None
) -> Holder | None:
    """Map a subject/possessor token to a holder (a PERSON entity or the speaker)."""
    person = ent_of_token(tok, ("PERSON",))
    if person is not None:
        return Holder(ref(person), person.start, 0.85)
    redacted = redacted_person(tok)
    if redacted is not None:
        return Holder(redacted, tok.i, 0.8)
    if tok.lower_ in _THIRD_PERSON:
        antecedent = pronoun_antecedent(tok)
        if antecedent is not None:
            return Holder(antecedent, tok.i, 0.65)
    if speaker is not None:
        low = tok.lower_
        if low in lex.first_person:
            return Holder(speaker, tok.i, 0.85, first_person=True)
        if low in lex.first_plural:
            return Holder(speaker, tok.i, 0.6, first_person=True)
    return None


def _climb_role_noun(tok: Token, lex: RoleLexicon) -> Token:
    """From a role's head to the slot it fills ("the role of chair" -> "role")."""
    t = tok
    for _ in range(4):
        if t.dep_ == "conj" and t.head.pos_ in ("NOUN", "PROPN"):
            t = t.head
        elif (t.dep_ == "pobj" and t.head.lower_ == "of" and t.head.head.lemma_.lower()
              in lex.generic_nouns):
            t = t.head.head
        else:
            break
    return t


def find_holder(
    role: Span, lex: RoleLexicon, speaker: MentionRef | None
) -> tuple[Holder | None, Token | None]:
    """The holder of ``role`` from the parse, and the verb that links them (if any)."""
    t = _climb_role_noun(role.root, lex)
    if t.dep_ == "appos":
        h = holder_from_token(t.head, lex, speaker)
        if h:
            return h, None
    for c in t.children:
        if c.dep_ == "appos":
            h = holder_from_token(c, lex, speaker)
            if h:
                return h, None
    if t.lemma_.lower() in lex.generic_nouns:  # "my role", not "my GP" / "our councillors"
        for c in t.children:
            if c.dep_ == "poss":
                h = holder_from_token(c, lex, speaker)
                if h:
                    return h, None
    verb = None
    if t.dep_ in ("attr", "oprd", "acomp"):
        verb = t.head
    elif t.dep_ == "dobj" and t.head.lemma_.lower() in _HOLDING_OBJECT_VERBS:
        verb = t.head
    elif t.dep_ == "nsubjpass" and t.head.lemma_.lower() in lex.link_verbs:
        verb = t.head
    elif t.dep_ == "pobj" and t.head.lower_ == "as":
        gov = t.head.head
        if gov.pos_ in ("NOUN", "PROPN") and gov.lemma_.lower() in lex.generic_nouns:
            for c in gov.children:
                if c.dep_ == "poss":
                    h = holder_from_token(c, lex, speaker)
                    if h:
                        return h, None
            return None, None
        verb = gov
    if verb is None or verb.pos_ not in ("VERB", "AUX"):
        return None, None
    subjects, _owner = clause_subjects(verb)
    for s in subjects:
        h = holder_from_token(s, lex, speaker)
        if h:
            return h, verb
    return None, verb


def surface_holder(role: Span, speaker: MentionRef | None, lex: RoleLexicon) -> Holder | None:
    """Holder by word order: "PERSON, (the) ROLE" or "ROLE PERSON" / "ROLE, PERSON"."""
    doc = role.doc
    i = role.start - 1
    while i >= 0 and doc[i].lower_ in ("the", "a", "an", "our", "their"):
        i -= 1
    if i >= 1 and doc[i].text == ",":
        person = ent_of_token(doc[i - 1], ("PERSON",))
        if person is not None and person.end == i:
            return Holder(ref(person), person.start, 0.7)
    j = role.end
    if j < len(doc) and doc[j].text == ",":
        j += 1
    if j < len(doc):
        person = ent_of_token(doc[j], ("PERSON",))
        if person is not None and person.start == j and not _is_code(person):
            return Holder(ref(person), person.start, 0.7)
    return None


def bracket_code_holder(role: Span, lex: RoleLexicon) -> Holder | None:
    """ "a senior officer of the CCG (S2R01) described ...": a singular role followed by a
    bracketed respondent code and more of the same sentence. A code closing a quotation
    ("... the practice manager. (S1R04)") has nothing after it and does not count."""
    doc = role.doc
    root = role.root
    dets = {c.lower_ for c in root.children if c.dep_ in ("det", "nummod", "poss")}
    if is_plural_role(role) or not dets & {"a", "an", "one", "the", "this", "that"}:
        return None
    _org, _s, e_i, _suffix = role_org(role, lex)
    j = max(role.end, e_i)
    if j + 2 >= len(doc) or doc[j].text not in ("(", "["):
        return None
    person = ent_of_token(doc[j + 1], ("PERSON",))
    if person is None or person.start != j + 1 or not _is_code(person):
        return None
    k = person.end
    if k + 1 >= len(doc) or doc[k].text not in (")", "]") or paragraph_break(doc[k]):
        return None
    nxt = doc[k + 1]
    if not nxt.is_alpha or nxt.sent.start != role.sent.start:
        return None
    return Holder(ref(person), person.start, 0.75)


def _is_code(person: Span) -> bool:
    props = person._.props or {}
    return bool(props.get("respondent_id") or props.get("role_label") or props.get("group"))


# --------------------------------------------------------------------------- organisations


def role_org(role: Span, lex: RoleLexicon) -> tuple[Span | None, int, int, str]:
    """The organisation/site a role is in: ``(org, span_start, span_end, suffix)``.

    ``suffix`` is a governance noun outside the organisation's entity ("board")
    that belongs in the role's name ("chair of the Vanguard board").
    """
    doc = role.doc
    prev = role.start - 1
    if prev >= 0 and doc[prev].lower_ in ("'s", "’s"):
        prev -= 1
    if prev >= 0:
        org = ent_of_token(doc[prev], ORG_LABELS)
        if org is not None and org.end in (role.start, role.start - 1):
            return org, org.start, role.end, ""
    for c in role.root.children:
        if c.dep_ == "prep" and c.lower_ in lex.org_preps:
            orgs = subtree_ents(c, ORG_LABELS)
            if orgs:
                org = orgs[0]
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                end = org.end
                suffix = ""
                if pobj is not None and pobj.i >= org.end:
                    end = pobj.i + 1
                    suffix = " ".join(t.text for t in doc[org.end : pobj.i + 1])
                return org, role.start, end, suffix
    # surface: "ROLE of/for/at (the) ORG"
    j = role.end
    if j < len(doc) and doc[j].lower_ in lex.org_preps:
        k = j + 1
        while k < len(doc) and doc[k].lower_ in ("the", "a", "our", "their", "its"):
            k += 1
        if k < len(doc):
            org = ent_of_token(doc[k], ORG_LABELS)
            if org is not None and org.start == k:
                return org, role.start, org.end, ""
    return None, role.start, role.end, ""


def verb_org(verb: Token | None, lex: RoleLexicon) -> Span | None:
    """An organisation attached to the linking verb ("worked at the CCG as ...")."""
    if verb is None:
        return None
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("at", "for", "with", "in", "within"):
            orgs = subtree_ents(c, ORG_LABELS)
            if orgs:
                return orgs[0]
        if c.dep_ == "dobj" and verb.lemma_.lower() in ("join", "rejoin"):
            org = ent_of_token(c, ORG_LABELS)
            if org is not None:
                return org
    return None


#: Words before a role title that date or qualify the holder, never part of the title.
_NOT_TITLE_WORDS = {"new", "former", "previous", "current", "then", "ex", "old", "existing",
                    "other", "same", "key", "particular", "first", "second", "only", "own",
                    "original", "future", "permanent", "temporary", "later", "earlier"}


@lru_cache(maxsize=1)
def default_lexicon() -> RoleLexicon:
    """The packaged role lexicon (for helpers called without one)."""
    return RoleLexicon()


def role_extent(role: Span, lex: RoleLexicon | None = None) -> int:
    """First token of a role's full title: the ``ROLE`` entity plus the modifiers before it
    that belong to the title ("external" + "Vanguard lead", "mental health" + "nurse").

    Compound nouns are taken unless they are another entity (an organisation prefix is the
    role's organisation, see :func:`role_org`); adjectives only from ``role_modifiers``.
    """
    lex = lex or default_lexicon()
    doc = role.doc
    start = role.start
    inside = set(range(role.start, role.end))
    while start > 0 and role.start - start < 4:
        tok = doc[start - 1]
        low = tok.lower_
        if (tok.dep_ not in ("compound", "amod", "nmod") or tok.head.i not in inside
                or ent_at(doc, tok.i) is not None or low in _NOT_TITLE_WORDS
                or not tok.is_alpha or tok.is_stop):
            break
        if tok.pos_ not in ("NOUN", "PROPN") and low not in lex.role_modifiers:
            break
        left = min(t.i for t in tok.subtree)
        if tok.pos_ in ("NOUN", "PROPN") and left < tok.i and all(
                t.is_alpha and ent_at(doc, t.i) is None and t.lower_ not in _NOT_TITLE_WORDS
                for t in doc[left : tok.i]):
            start = left  # "high level" + "managers"
        else:
            start -= 1
        inside.update(range(start, tok.i + 1))
    return start


def _title_words(tokens: Span) -> list[str]:
    return [t.text if (t.is_upper and len(t) > 1) else t.lower_ for t in tokens
            if not t.is_space]


def role_mention(role: Span, lex: RoleLexicon | None = None) -> MentionRef:
    """A Role mention for the full title of ``role`` (see :func:`role_extent`).

    The canonical name keeps the gazetteer's title for the entity itself and adds the
    modifiers ("external vanguard lead"); ``title`` is that full name.
    """
    start = role_extent(role, lex)
    props = dict(role._.props or {})
    canon = role._.canonical or role.text
    if start == role.start:
        return ref(role)
    canonical = " ".join([*_title_words(role.doc[start : role.start]), canon])
    props["title"] = canonical
    return _span_ref(role, start, role.end, canonical, props)


def _span_ref(role: Span, start_i: int, end_i: int, canonical: str,
              props: dict[str, Any]) -> MentionRef:
    doc = role.doc
    base = doc._.offset or 0
    span = doc[start_i:end_i]
    return make_ref("ROLE", span.start_char + base, span.end_char + base, span.text,
                    canonical, props)


def role_ref(role: Span, org: Span | None, start_i: int, end_i: int, suffix: str,
             lex: RoleLexicon | None = None) -> MentionRef:
    """A Role mention for ``role`` (made specific by its organisation when known)."""
    base_ref = role_mention(role, lex)
    if org is None:
        return base_ref
    props = dict(base_ref.properties)
    org_canon = org._.canonical or org.text
    suffix = " ".join(w for w in suffix.split() if any(ch.isalnum() for ch in w))
    canonical = f"{base_ref.canonical} of {org_canon}" + (f" {suffix}" if suffix else "")
    props["organisation"] = org_canon
    doc = role.doc
    base = doc._.offset or 0
    if org.start >= role.end:  # "project managers in Site 1": the mention is the title
        return make_ref("ROLE", base_ref.start, base_ref.end, base_ref.text, canonical, props)
    span = doc[min(start_i, org.start) : max(end_i, role.end)]
    return make_ref("ROLE", span.start_char + base, span.end_char + base, span.text,
                    canonical, props)


def inner_org(role: Span) -> MentionRef | None:
    """The organisation named inside a role title: "CCG lead", "PCN clinical director".

    The first word of a multi-word ``ROLE`` entity that is an organisation abbreviation
    or name in the organisation gazetteer (``data/organisations.jsonl``).
    """
    if len(role) < 2:
        return None
    first = role[0]
    hit = gazetteer_lookup("organisations", first.text)
    if hit is None or not first.is_upper:
        return None
    canonical, props = hit
    base = role.doc._.offset or 0
    return make_ref("ORG", first.idx + base, first.idx + len(first.text) + base, first.text,
                    canonical, {**props, "generic": True})


_INDEFINITE = {"a", "an", "any", "each", "every", "some", "another", "one"}


def is_plural_role(role: Span) -> bool:
    """ "GPs", "project managers": plural by tag or by an "s" the title lacks (the tagger
    reads "GPs" as a singular proper noun)."""
    if role.root.tag_ in ("NNS", "NNPS"):
        return True
    canon = (role._.canonical or "").lower()
    text = role.text.lower()
    return text.endswith("s") and not canon.endswith("s") and text != canon


def _prep_between(role: Span, org: Span) -> str:
    """The preposition linking a role to an organisation after it ("" for a prefix)."""
    if org.end <= role.start:
        return ""
    for tok in role.doc[role.end : org.start]:
        if tok.dep_ == "prep" or tok.pos_ == "ADP":
            return tok.lower_
    head = org.root.head
    return head.lower_ if head.dep_ == "prep" else "?"


def scene_org(role: Span) -> Span | None:
    """The site or organisation a clause is set in, for its role subject.

    "In Site 6 the PPIE lead could be described as ...", "For example, in Site 1 the
    Vanguard lead had ..." -> the role is in Site 6 / Site 1. Only a fronted "in/at/within"
    phrase of the role's own verb counts.
    """
    root = role.root
    if root.dep_ not in ("nsubj", "nsubjpass"):
        return None
    verb = root.head
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "at", "within") and c.i < role.start:
            pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
            if pobj is None:
                continue
            org = ent_of_token(pobj, ORG_LABELS)
            if org is not None and org.end <= role.start:
                return org
    return None


def appointing_org(role: Span, lex: RoleLexicon) -> Span | None:
    """The organisation that appoints/employs a role: "Site 6 appointed an external lead",
    "a programme manager was recruited by the CCG"."""
    root = role.root
    verb = root.head
    if verb.lemma_.lower() not in lex.appoint_verbs or is_negated(verb):
        return None
    if root.dep_ == "dobj":
        subjects, _ = clause_subjects(verb)
        for subj in subjects:
            org = ent_of_token(subj, ORG_LABELS)
            if org is not None:
                return org
    if root.dep_ == "nsubjpass":
        for c in verb.children:
            if c.dep_ == "agent":
                orgs = subtree_ents(c, ORG_LABELS)
                if orgs:
                    return orgs[0]
    return None


def holderless_in(doc: Doc, sent: Span, lex: RoleLexicon, done: set[int]) -> None:
    """``IN`` for roles tied to an organisation in the text, whoever holds them.

    "the CCG Chief Officer", "a senior officer of the CCG", "the chief exec of the local
    hospital", "the project managers in Site 1", "the CCG lead", "In Site 6 the PPIE lead
    ...", "Site 6 appointed an external Vanguard lead". ``done`` holds the start tokens of
    roles already placed by a role statement. A plural role "in" a generic organisation
    ("GPs in care homes") is a description of work, not a post, and is skipped.
    """
    bounds = sent_bounds(sent)
    for role in ents_in(sent, ("ROLE",)):
        if role.start in done or (role._.props or {}).get("source") == "speaker_label":
            continue
        org, s_i, e_i, suffix = role_org(role, lex)
        method, conf = "dep:role_of", 0.65
        if org is not None:
            prep = _prep_between(role, org)
            generic = bool((org._.props or {}).get("generic"))
            plural = is_plural_role(role)
            det = role.doc[org.start - 1].lower_ if org.start > 0 else ""
            if prep in ("with", "on", "?") or (prep == "for" and generic):
                org = None
            elif prep in ("in", "within") and plural and generic:
                org = None
            elif det in _INDEFINITE or org[0].lower_ in _INDEFINITE:
                org = None  # "a senior manager within an NHS organisation": no one body
            elif not prep and generic and org.text.islower():
                org = None  # "a hospital doctor", "care home staff": a kind of post
        if org is not None:
            emit(doc, "IN", role_ref(role, org, s_i, e_i, suffix, lex), ref(org), bounds,
                 method, conf)
            continue
        inner = inner_org(role)
        if inner is not None:
            emit(doc, "IN", ref(role), inner, bounds, "pattern:role_org_prefix", 0.65)
            continue
        where = scene_org(role) or appointing_org(role, lex)
        if where is not None:
            emit(doc, "IN", role_mention(role, lex), ref(where), bounds, "dep:role_scene", 0.6)


def unnamed_role_ref(org: Span) -> MentionRef:
    """A Role for "a role in <org>" when the text names the place but not the post."""
    org_canon = org._.canonical or org.text
    return make_ref(
        "ROLE", *_bounds(org), org.text, f"role in {org_canon}",
        {"title": "role", "category": "unspecified", "organisation": org_canon, "unnamed": True},
    )


def _bounds(span: Span) -> tuple[int, int]:
    base = span.doc._.offset or 0
    return span.start_char + base, span.end_char + base


# --------------------------------------------------------------------------- tense


def tense_before(
    sent: Span, position: int, lower: int, lex: RoleLexicon, default: str = "current"
) -> str:
    """The kind of the last tense cue in ``sent`` between token ``lower`` and ``position``."""
    window = [t for t in sent if lower <= t.i < position]
    found = find_phrases(window, lex.cues)
    if not found:
        return default
    return lex.cue_kind[found[-1][2]]


# --------------------------------------------------------------------------- statements


def removed_subject_tokens(sent: Span, lex: RoleLexicon) -> set[int]:
    """Token indices inside the subjects of removal phrases ("my role as chair ended")."""
    doc = sent.doc
    out: set[int] = set()
    for start, end, _p in find_phrases(list(sent), lex.removal):
        tokens = [doc[i] for i in range(start, end)]
        verb = next((t for t in tokens if t.head.i < start or t.head.i >= end or t.head == t),
                    tokens[0])
        subjects, _ = clause_subjects(verb)
        for subj in subjects:
            out.update(t.i for t in subj.subtree)
    return out


def role_statements(
    sent: Span, lex: RoleLexicon, speaker: MentionRef | None = None, method: str = "dep:role"
) -> list[RoleStatement]:
    """All role statements of one sentence (first person only when ``speaker`` is given)."""
    out: list[RoleStatement] = []
    bounds = sent_bounds(sent)
    last: RoleStatement | None = None
    removed = removed_subject_tokens(sent, lex)
    for role in ents_in(sent, ("ROLE",)):
        holder, verb = find_holder(role, lex, speaker)
        conf_adj = 0.0
        how = method
        if holder is None:
            holder = surface_holder(role, speaker, lex) or bracket_code_holder(role, lex)
            how = method.replace("dep:", "pattern:")
        if (holder is None and last is not None and verb is not None
                and verb.lemma_.lower() in _ELIDED_OK):
            subs, _ = clause_subjects(verb)
            between = sent.doc[last.position : role.start]
            shared = all(s.i < last.position for s in subs)
            if shared and any(t.lower_ in ("and", "but", "then") for t in between):
                holder, conf_adj, how = last.holder, -0.1, method + "+elided"
        if holder is None:
            continue
        if holder.first_person and (speaker is None or holder.confidence < 0.85):
            continue  # first person only in quotes; "we ... as clinicians" is not one post
        org, s_i, e_i, suffix = role_org(role, lex)
        org_ref = ref(org) if org is not None else None
        if org is None:
            org = verb_org(_climb_role_noun(role.root, lex), lex) or verb_org(verb, lex)
            if org is not None:
                s_i, e_i, suffix = role.start, role.end, ""
                org_ref = ref(org)
        if org is None:
            org_ref = inner_org(role)
        rref = role_ref(role, org, s_i, e_i, suffix, lex)
        lower = holder.token_i if holder.token_i < role.start else sent.start
        tense = "earlier" if role.start in removed else tense_before(sent, role.start, lower, lex)
        stmt = RoleStatement(holder, rref, org_ref, tense,
                             role.start, bounds, holder.confidence + conf_adj, how,
                             removed=role.start in removed)
        out.append(stmt)
        last = stmt
    out.extend(_org_moves(sent, lex, speaker, out, method))
    out.extend(board_seats(sent, lex, speaker, method))
    return out


#: Bodies one sits "on": "I'm on the CCG governing body", "she sits on the board".
_SEAT_BODIES = {"board", "body", "committee", "panel", "forum", "executive", "cabinet",
                "council", "group"}


def board_seats(
    sent: Span, lex: RoleLexicon, speaker: MentionRef | None, method: str = "dep:role"
) -> list[RoleStatement]:
    """ "I'm on the CCG governing body" -> the holder is a "CCG governing body member",
    ``IN`` the CCG (the organisation named in the body's phrase, else the body itself when
    it is an organisation entity). The verb is "be", "sit", "serve" or "remain"."""
    out: list[RoleStatement] = []
    doc = sent.doc
    base = doc._.offset or 0
    for prep in sent:
        if prep.lower_ != "on" or prep.dep_ != "prep":
            continue
        body = next((x for x in prep.children if x.dep_ == "pobj"), None)
        verb = prep.head
        if (body is None or body.lemma_.lower() not in _SEAT_BODIES
                or verb.lemma_.lower() not in ("be", "sit", "serve", "remain")
                or is_negated(verb)):
            continue
        holder = None
        for subj in clause_subjects(verb)[0]:
            holder = holder_from_token(subj, lex, speaker)
            if holder:
                break
        if holder is None or (holder.first_person and holder.confidence < 0.85):
            continue
        words = [t for t in body.subtree if t.i <= body.i and t.dep_ not in ("det", "poss")]
        span = doc[words[0].i : body.i + 1]
        orgs = ents_in(span, ORG_LABELS)
        if not orgs:
            continue
        name = " ".join([*_title_words(span), "member"])
        role = make_ref("ROLE", span.start_char + base, span.end_char + base, span.text, name,
                        {"title": name, "category": "governance"})
        lower = holder.token_i if holder.token_i < body.i else sent.start
        out.append(RoleStatement(holder, role, ref(orgs[0]),
                                 tense_before(sent, body.i, lower, lex), body.i,
                                 sent_bounds(sent), holder.confidence - 0.05,
                                 method.replace("role", "seat")))
    return out


def outer_token(span: Span) -> Token:
    """The token of ``span`` attached outside it: usually its root, but "[named] Mental
    Health Trust" may be parsed with "named" as a verb governing "Trust"."""
    root = span.root
    if not span.start <= root.head.i < span.end or root.head == root:
        return root
    for tok in span:
        if tok.is_alpha and (not span.start <= tok.head.i < span.end or tok.head == tok):
            return tok
    return root


def _pluperfect(verb: Token) -> bool:
    """ "had worked", "we'd built": a past before the narrated past."""
    return verb.tag_ == "VBN" and any(  # "'d" + participle is "had", never "would"
        c.dep_ == "aux" and (c.lower_ in ("had", "'d", "’d")
                             or (c.lemma_ == "have" and c.tag_ == "VBD"))
        for c in verb.children)


def _org_moves(
    sent: Span, lex: RoleLexicon, speaker: MentionRef | None,
    named: list[RoleStatement], method: str,
) -> list[RoleStatement]:
    """Unnamed roles from moves between organisations ("from the CCG to the ICB")."""
    used = {(s.holder.key, s.org.start, s.org.end) for s in named if s.org is not None}
    out: list[RoleStatement] = []
    bounds = sent_bounds(sent)
    for org in ents_in(sent, ORG_LABELS):
        root = outer_token(org)
        tense = None
        weak_slot = False
        verb: Token | None = None
        if root.dep_ in ("pobj", "pcomp") and root.head.dep_ == "prep":
            prep = root.head
            gov = prep.head
            while gov.dep_ == "prep" and gov.head != gov:  # "now in the STP" under "in"
                gov = gov.head
            if gov.pos_ == "ADV":
                gov = gov.head
            if gov.pos_ not in ("VERB", "AUX"):
                continue
            lemma = gov.lemma_.lower()
            p = prep.lower_
            if p in lex.from_preps and lemma in lex.move_verbs:
                tense = "earlier"
            elif p in lex.to_preps and lemma in lex.move_verbs:
                tense = "later"
            elif p in ("in", "at", "with", "within", "for") and _pluperfect(gov):
                tense = "earlier"  # "all that we'd built up in the Vanguard", "had worked in"
            elif p in ("in", "at", "with", "for", "within") and lemma in (
                "be", "work", "stay", "remain", "base", "employ", "sit", "end"
            ):
                tense = ""
            elif p in ("in", "at", "with", "within"):
                tense, weak_slot = "", True
            verb = gov
        elif root.dep_ == "dobj" and root.head.lemma_.lower() in ("join", "rejoin", "leave"):
            verb = root.head
            tense = "earlier" if verb.lemma_.lower() == "leave" else "later"
        if tense is None or verb is None:
            continue
        subjects, _ = clause_subjects(verb) if not weak_slot else ([], verb)
        holder = None
        for s in subjects:
            holder = holder_from_token(s, lex, speaker)
            if holder:
                break
        elided = False
        if holder is None:  # "were in X and now in Y": the parser lost the shared subject
            prior = [st for st in [*named, *out] if st.position < org.start]
            if prior:
                last = max(prior, key=lambda st: st.position)
                between = sent.doc[last.position : org.start]
                if any(t.lower_ in ("and", "but") for t in between) and any(
                        t.lower_ in ("now", "later", "then", "since", "subsequently")
                        for t in between):
                    holder, elided = last.holder, True
        if holder is None or (speaker is None and holder.first_person):
            continue
        if (holder.key, *_bounds(org)) in used:
            continue
        if not tense:
            lower = holder.token_i if holder.token_i < org.start else sent.start
            tense = tense_before(sent, org.start, lower, lex)
        employed = (not elided and not weak_slot and holder.confidence >= 0.85
                    and verb.lemma_.lower() in ("work", "employ", "base")
                    and root.head.lower_ in ("for", "at", "in", "within")
                    and not is_negated(verb))
        out.append(RoleStatement(holder, unnamed_role_ref(org), ref(org), tense, org.start,
                                 bounds, holder.confidence - (0.2 if elided else 0.1),
                                 method.replace("role", "move") + ("+elided" if elided else ""),
                                 unnamed=True, employed=employed))
    return out


def emit_statements(
    doc: Doc, statements: list[RoleStatement], across_later_only: bool = False
) -> None:
    """Write HOLDS, IN and TRANSITIONED_TO relation mentions for ``statements``.

    With ``across_later_only`` an earlier role pairs with a role of another sentence only
    when that one is explicitly later ("now", "became"), not merely current.
    """
    by_holder: dict[tuple[Any, ...], list[RoleStatement]] = {}
    for st in statements:
        by_holder.setdefault(st.holder.key, []).append(st)
    for group in by_holder.values():
        earlier = [s for s in group if s.tense == "earlier" and not s.removed]
        later = [s for s in group if s.tense in ("later", "current")]
        moving = bool(earlier and later)
        for st in group:
            if st.unnamed and not moving and not st.employed:
                continue  # "I work for the CCG" is a post; "we were in the CCG area" is not
            if st.unnamed and moving:
                distinct = {s.role.canonical for s in group}
                if len(distinct) < 2:
                    continue
            emit(doc, "HOLDS", st.holder.ref, st.role, st.sentence, st.method,
                 st.confidence, tense=st.tense)
            if st.org is not None:
                emit(doc, "IN", st.role, st.org, st.sentence, st.method,
                     min(0.9, st.confidence + 0.05))
        for e in earlier:
            for lt in later:
                if e.role.canonical == lt.role.canonical:
                    continue
                if across_later_only and e.sentence != lt.sentence and lt.tense != "later":
                    continue
                span = (min(e.sentence[0], lt.sentence[0]), max(e.sentence[1], lt.sentence[1]))
                conf = min(e.confidence, lt.confidence) - 0.05
                emit(doc, "TRANSITIONED_TO", e.role, lt.role, span, "dep:transition", conf)


def _list_items(doc: Doc, lo: int, hi: int) -> list[tuple[int, int]]:
    """Token ranges of the comma-separated items of ``doc[lo:hi]``."""
    items: list[tuple[int, int]] = []
    a = lo
    for k in range(lo, hi + 1):
        if k == hi or doc[k].text in (",", ";"):
            while a < k and (doc[a].is_space or doc[a].lower_ in ("the", "a", "an")):
                a += 1
            b = k
            while b > a and doc[b - 1].is_space:
                b -= 1
            if b > a:
                items.append((a, b))
            a = k + 1
    return items


def _split_and(doc: Doc, a: int, b: int) -> list[tuple[int, int]]:
    """Split one list item at its "and" ("vanguard and legal services")."""
    ands = [k for k in range(a, b) if doc[k].lower_ in ("and", "&")]
    if len(ands) != 1:
        return [(a, b)]
    k = ands[0]
    return [(a, k), (k + 1, b)] if k > a and k + 1 < b else [(a, b)]


def list_roles(doc: Doc, lo: int, hi: int, lex: RoleLexicon) -> list[MentionRef]:
    """Role mentions of a bracketed list of posts: "(leads for contracting, communications
    and engagement, vanguard manager, vanguard lead nurse)".

    Each item naming a role (a ``ROLE`` entity or a role head noun) is one role named by
    the whole item; "lead(s) for X" distributes over the items after it that name no role
    ("contracting lead", "communications and engagement lead"). The last item is split at
    its "and" only while such a head is being distributed ("leads for vanguard and legal
    services" -> "vanguard lead", "legal services lead").
    """
    base = doc._.offset or 0
    items = _list_items(doc, lo, hi)
    out: list[MentionRef] = []
    head: str | None = None
    for n, (a, b) in enumerate(items):
        first = doc[a]
        opens = (first.lower_ in lex.list_role_heads and b - a > 2
                 and doc[a + 1].lower_ == "for")
        parts = [(a, b)]
        if n == len(items) - 1 and (opens or head):
            parts = _split_and(doc, a, b)
        for pa, pb in parts:
            span = doc[pa:pb]
            words = _title_words(span)
            roles = ents_in(span, ("ROLE",))
            props: dict[str, Any] = {}
            if pa == a and opens:
                head = first.lower_[:-1] if first.lower_.endswith("s") else first.lower_
                topic = _title_words(doc[a + 2 : pb])
                canonical = " ".join([*topic, head])
            elif roles or (words and words[-1].lower() in lex.list_role_heads):
                head = None
                canonical = " ".join(words)
                if roles:
                    props.update(roles[-1]._.props or {})
            elif head is not None:
                canonical = " ".join([*words, head])
            else:
                continue
            props["title"] = canonical
            props.setdefault("category", "unspecified")
            out.append(make_ref("ROLE", span.start_char + base, span.end_char + base,
                                span.text, canonical, props))
    return out


def role_lists(doc: Doc, lex: RoleLexicon | None = None, max_tokens: int = 60) -> None:
    """``IN`` for roles listed in brackets after an organisation.

    "Clinical Commissioning Group employee (contracting lead, vanguard manager)",
    "Local authority (social worker, director of health and well-being)" -> each listed
    role IN the organisation (participant tables, method ``pattern:role_list``). Only
    "employee(s)", "staff", "members" and the like (``list_fillers``) may stand between
    the organisation and the bracket, so "care homes and GPs (...)" or "NHS
    organisations (commissioners, providers)" are not lists of posts.
    """
    lex = lex or default_lexicon()
    base = doc._.offset or 0
    for org in doc.ents:
        if org.label_ not in ORG_LABELS:
            continue
        j = org.end
        while j < len(doc) and j - org.end < 3 and doc[j].lower_ in lex.list_fillers:
            j += 1
        if j >= len(doc) or doc[j].text != "(":
            continue
        close = next((k for k in range(j + 1, min(len(doc), j + max_tokens))
                      if doc[k].text in (")", "(")), None)
        if close is None or doc[close].text != ")":
            continue
        span = (org.start_char + base, doc[close].idx + 1 + base)
        for role in list_roles(doc, j + 1, close, lex):
            emit(doc, "IN", role, ref(org), span, "pattern:role_list", 0.6)


@Language.factory(
    "actorgraph_rel_roles",
    default_config={"roles_lexicon": None, "cues_lexicon": None},
)
def make_roles_component(
    nlp: Language, name: str, roles_lexicon: str | None, cues_lexicon: str | None
) -> RoleRelations:
    """spaCy factory: HOLDS / IN / TRANSITIONED_TO from role statements."""
    return RoleRelations(RoleLexicon(roles_lexicon, cues_lexicon))


#: Cues inside a relative clause that date its "as <role>" before the head role ("a team
#: leader who had previously worked as a nurse") or after it ("a nurse who later became ...").
_REL_EARLIER = {"previously", "formerly", "originally", "once", "earlier", "before"}
_REL_LATER = {"later", "subsequently", "since", "now", "afterwards", "then"}


def relative_moves(doc: Doc, sent: Span, lex: RoleLexicon | None = None) -> None:
    """TRANSITIONED_TO between a role and the role its relative clause dates.

    "a team leader who had previously delivered services as a nurse" -> nurse -> team
    leader; "a nurse who later became a team leader" -> nurse -> team leader (0.7).
    """
    lex = lex or default_lexicon()
    roles = ents_in(sent, ("ROLE",))
    for head in roles:
        for rc in [c for c in head.root.children if c.dep_ == "relcl"]:
            sub = list(rc.subtree)
            if not any(t.lower_ in ("who", "that") for t in sub[:2]) or any(
                    t.dep_ == "neg" for t in sub):
                continue
            words = {t.lower_ for t in sub}
            for inner in roles:
                if inner.start <= head.start or inner.root not in sub:
                    continue
                gov = inner.root.head
                as_role = gov.lower_ == "as" or inner.root.dep_ in ("attr", "oprd")
                if not as_role:
                    continue
                if words & _REL_EARLIER:
                    first, second = inner, head
                elif words & _REL_LATER or rc.lemma_.lower() == "become":
                    first, second = head, inner
                else:
                    continue
                emit(doc, "TRANSITIONED_TO", role_ref(first, None, first.start, first.end, ""),
                     role_ref(second, None, second.start, second.end, ""), sent_bounds(sent),
                     "dep:relative_transition", 0.7)
            _relative_workplace(doc, sent, head, rc, words, lex)


#: Workplaces a relative clause may name without an organisation entity ("who had
#: worked in the health service").
_WORKPLACE_HEADS = {"service", "sector", "trust", "authority", "council", "nhs", "hospital",
                    "practice", "industry", "organisation", "organization", "department"}


def _workplace(prep: Token) -> tuple[MentionRef | None, Span | None]:
    """The organisation (entity, or a workplace noun phrase) governed by ``prep``."""
    pobj = next((x for x in prep.children if x.dep_ in ("pobj", "pcomp")), None)
    if pobj is None:
        return None, None
    org = ent_of_token(pobj, ORG_LABELS)
    if org is not None:
        return ref(org), org
    if pobj.lemma_.lower() in _WORKPLACE_HEADS and pobj.pos_ in ("NOUN", "PROPN"):
        return np_ref(pobj, "ORG"), None
    return None, None


def _relative_workplace(doc: Doc, sent: Span, head: Span, rc: Token, words: set[str],
                        lex: RoleLexicon) -> None:
    """ "a public health consultant who had worked in the health service before moving to
    the Local Authority" -> an earlier unnamed role in the health service
    ``TRANSITIONED_TO`` the consultant, who is ``IN`` the Local Authority (0.65).

    The clause's verb is one of working ("work", "be", "serve") with "in/at/for X" and is
    dated earlier (pluperfect or "previously"/"formerly"/"before"); "moving to / joining
    Y" inside the clause places the head role in Y.
    """
    if rc.lemma_.lower() not in ("work", "be", "serve", "practise", "practice"):
        return
    if not (_pluperfect(rc) or words & _REL_EARLIER):
        return
    place = next((c for c in rc.children if c.dep_ == "prep"
                  and c.lower_ in ("in", "at", "for", "within")), None)
    if place is None:
        return
    old_org, old_span = _workplace(place)
    if old_org is None:
        return
    new_org: Span | None = None
    for t in rc.subtree:
        if t.lemma_.lower() in lex.move_verbs and t != rc:
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in lex.to_preps:
                    _m, new_org = _workplace(c)
            if t.lemma_.lower() in ("join", "rejoin"):
                new_org = next((e for c in t.children if c.dep_ == "dobj"
                                for e in [ent_of_token(c, ORG_LABELS)] if e is not None), None)
    earlier = make_ref("ROLE", old_org.start, old_org.end, old_org.text,
                       f"role in {old_org.canonical}",
                       {"title": "role", "category": "unspecified",
                        "organisation": old_org.canonical, "unnamed": True})
    later = role_mention(head, lex)
    bounds = sent_bounds(sent)
    emit(doc, "TRANSITIONED_TO", earlier, later, bounds, "dep:relative_workplace", 0.65)
    if old_span is not None:
        emit(doc, "IN", earlier, old_org, bounds, "dep:relative_workplace", 0.65)
    if new_org is not None:
        emit(doc, "IN", later, ref(new_org), bounds, "dep:relative_workplace", 0.65)


def staff_of(doc: Doc, sent: Span, lex: RoleLexicon) -> None:
    """ "current and past employees of NHSE including programme leads, strategic account
    managers" -> each role ``IN`` NHSE (0.6): a staff noun (``list_fillers``) "of / at /
    from" an organisation, then "including / such as / e.g." a list of roles."""
    bounds = sent_bounds(sent)
    for tok in sent:
        if tok.lower_ not in lex.list_fillers or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        orgs = [e for c in tok.children if c.dep_ == "prep" and c.lower_ in ("of", "at", "from")
                for e in subtree_ents(c, ORG_LABELS)]
        if not orgs:
            continue
        k = orgs[-1].end
        while k < sent.end and k - orgs[-1].end < 3 and doc[k].is_punct:
            k += 1
        if k >= sent.end or doc[k].lower_ not in ("including", "such", "e.g.", "e.g"):
            continue
        intro = doc[k].head if doc[k].lower_ == "such" else doc[k]
        for role in ents_in(list(intro.subtree), ("ROLE",)):
            emit(doc, "IN", role_mention(role, lex), ref(orgs[0]), bounds, "dep:staff_of", 0.6)


def owner_leads(doc: Doc, sent: Span) -> None:
    """ "NHS England's Vanguard programme", "an NHSE New Care Models support programme" ->
    the organisation ``LEADS`` the initiative (possessive or name prefix).

    The organisation must be a named body or an abbreviation ("NHSE", "CCG"), not a
    lower-case type ("care home training scheme" is a kind of scheme, not the homes' own).
    """
    bounds = sent_bounds(sent)
    for init in ents_in(sent, ("INITIATIVE",)):
        j = init.start - 1
        if j >= 0 and doc[j].lower_ in ("'s", "’s", "'"):
            j -= 1
        if j < 0:
            continue
        org = ent_of_token(doc[j], ("ORG",))
        if org is None or org.end != j + 1 or org.text.islower():
            continue
        if (org._.props or {}).get("generic") and not org.text.isupper():
            continue
        emit(doc, "LEADS", ref(org), ref(init), bounds, "pattern:owner_initiative", 0.6)


class RoleRelations:
    """Pipeline component: role statements of named (non-quoted) holders."""

    def __init__(self, lexicon: RoleLexicon) -> None:
        self.lex = lexicon

    def __call__(self, doc: Doc) -> Doc:
        """Append HOLDS/IN/TRANSITIONED_TO mentions to ``doc._.relations``."""
        index_ents(doc)
        role_lists(doc, self.lex)
        paragraph: list[RoleStatement] = []
        for sent in doc.sents:
            if sent.start > 0 and paragraph_break(doc[sent.start - 1]):
                emit_statements(doc, paragraph, across_later_only=True)
                paragraph = []
            labels = [e.label_ for e in ents_in(sent)]
            if "INITIATIVE" in labels and "ORG" in labels:
                owner_leads(doc, sent)
            orgs = sum(lb in ORG_LABELS for lb in labels)
            if "ROLE" not in labels and orgs < 2 and not ("PERSON" in labels and orgs):
                continue
            statements = role_statements(sent, self.lex)
            paragraph.extend(statements)
            relative_moves(doc, sent, self.lex)
            if "ROLE" in labels:
                placed = {st.position for st in statements if st.org is not None}
                holderless_in(doc, sent, self.lex, placed)
                staff_of(doc, sent, self.lex)
        emit_statements(doc, paragraph, across_later_only=True)
        return doc
