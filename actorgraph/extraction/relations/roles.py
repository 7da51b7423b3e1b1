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
only emitted when they take part in a transition.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from actorgraph.extraction.mentions import MentionRef, make_ref
from actorgraph.extraction.relations.base import (
    ORG_LABELS,
    emit,
    ent_of_token,
    ents_in,
    find_phrases,
    index_ents,
    load_lexicon,
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


def role_ref(role: Span, org: Span | None, start_i: int, end_i: int, suffix: str) -> MentionRef:
    """A Role mention for ``role`` (made specific by its organisation when known)."""
    props = dict(role._.props or {})
    canon = role._.canonical or role.text
    props.setdefault("title", canon.lower())
    if org is None:
        return ref(role)
    org_canon = org._.canonical or org.text
    canonical = f"{canon} of {org_canon}" + (f" {suffix}" if suffix else "")
    props["organisation"] = org_canon
    doc = role.doc
    base = doc._.offset or 0
    span = doc[min(start_i, role.start, org.start) : max(end_i, role.end)]
    return make_ref("ROLE", span.start_char + base, span.end_char + base, span.text,
                    canonical, props)


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
            holder = surface_holder(role, speaker, lex)
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
        if org is None:
            org = verb_org(_climb_role_noun(role.root, lex), lex) or verb_org(verb, lex)
            if org is not None:
                s_i, e_i, suffix = role.start, role.end, ""
        rref = role_ref(role, org, s_i, e_i, suffix)
        lower = holder.token_i if holder.token_i < role.start else sent.start
        tense = "earlier" if role.start in removed else tense_before(sent, role.start, lower, lex)
        stmt = RoleStatement(holder, rref, ref(org) if org is not None else None, tense,
                             role.start, bounds, holder.confidence + conf_adj, how,
                             removed=role.start in removed)
        out.append(stmt)
        last = stmt
    out.extend(_org_moves(sent, lex, speaker, out, method))
    return out


def _org_moves(
    sent: Span, lex: RoleLexicon, speaker: MentionRef | None,
    named: list[RoleStatement], method: str,
) -> list[RoleStatement]:
    """Unnamed roles from moves between organisations ("from the CCG to the ICB")."""
    used = {(s.holder.key, s.org.start, s.org.end) for s in named if s.org is not None}
    out: list[RoleStatement] = []
    bounds = sent_bounds(sent)
    for org in ents_in(sent, ORG_LABELS):
        root = org.root
        tense = None
        weak_slot = False
        verb: Token | None = None
        if root.dep_ == "pobj" and root.head.dep_ == "prep":
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
        out.append(RoleStatement(holder, unnamed_role_ref(org), ref(org), tense, org.start,
                                 bounds, holder.confidence - (0.2 if elided else 0.1),
                                 method.replace("role", "move") + ("+elided" if elided else ""),
                                 unnamed=True))
    return out


def emit_statements(doc: Doc, statements: list[RoleStatement]) -> None:
    """Write HOLDS, IN and TRANSITIONED_TO relation mentions for ``statements``."""
    by_holder: dict[tuple[Any, ...], list[RoleStatement]] = {}
    for st in statements:
        by_holder.setdefault(st.holder.key, []).append(st)
    for group in by_holder.values():
        earlier = [s for s in group if s.tense == "earlier" and not s.removed]
        later = [s for s in group if s.tense in ("later", "current")]
        moving = bool(earlier and later)
        for st in group:
            if st.unnamed and not moving:
                continue
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
                span = (min(e.sentence[0], lt.sentence[0]), max(e.sentence[1], lt.sentence[1]))
                conf = min(e.confidence, lt.confidence) - 0.05
                emit(doc, "TRANSITIONED_TO", e.role, lt.role, span, "dep:transition", conf)


def role_lists(doc: Doc, max_tokens: int = 60) -> None:
    """``IN`` for roles listed in brackets after an organisation.

    "Clinical Commissioning Group employee (contracting lead, vanguard manager)" ->
    each listed role IN the organisation (participant tables, method
    ``pattern:role_list``).
    """
    base = doc._.offset or 0
    for org in doc.ents:
        if org.label_ not in ORG_LABELS:
            continue
        j = org.end
        while j < len(doc) and j - org.end < 3 and doc[j].text != "(" and doc[j].is_alpha:
            j += 1
        if j >= len(doc) or doc[j].text != "(":
            continue
        close = next((k for k in range(j + 1, min(len(doc), j + max_tokens))
                      if doc[k].text in (")", "(")), None)
        if close is None or doc[close].text != ")":
            continue
        roles = ents_in(doc[j + 1 : close], ("ROLE",))
        span = (org.start_char + base, doc[close].idx + 1 + base)
        for role in roles:
            emit(doc, "IN", ref(role), ref(org), span, "pattern:role_list", 0.6)


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


def relative_moves(doc: Doc, sent: Span) -> None:
    """TRANSITIONED_TO between a role and the role its relative clause dates.

    "a team leader who had previously delivered services as a nurse" -> nurse -> team
    leader; "a nurse who later became a team leader" -> nurse -> team leader (0.7).
    """
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


class RoleRelations:
    """Pipeline component: role statements of named (non-quoted) holders."""

    def __init__(self, lexicon: RoleLexicon) -> None:
        self.lex = lexicon

    def __call__(self, doc: Doc) -> Doc:
        """Append HOLDS/IN/TRANSITIONED_TO mentions to ``doc._.relations``."""
        index_ents(doc)
        role_lists(doc)
        for sent in doc.sents:
            labels = [e.label_ for e in ents_in(sent)]
            if "ROLE" not in labels and sum(lb in ORG_LABELS for lb in labels) < 2:
                continue
            emit_statements(doc, role_statements(sent, self.lex))
            relative_moves(doc, sent)
        return doc
