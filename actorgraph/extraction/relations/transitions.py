"""Removed roles: "my role wasn't in the new structure", "the post was removed".

A removal phrase (``data/roles.json`` ``removal``: "was removed", "disappeared",
"wasn't in the new structure", "was made redundant", ...) whose subject is a role
(a ``ROLE`` entity, or "my role" / "her post" / "the job") gives:

* ``HOLDS`` holder -> role (``tense: earlier``) when the holder is known (the
  possessor: "my" = the quote's speaker, "Jane Smith's post");
* ``TRANSITIONED_TO`` role -> the removed role, with ``removed: true``; the
  target is a Role mention of the same words whose canonical name ends in
  " (removed)" and whose ``status`` is ``removed``.

When the holder stated an earlier role in the same sentence or quote, that role
is the one removed; an unnamed "my role" is placed in the organisation the
sentence names ("my job disappeared when the vanguard ended" -> role in the
vanguard).

A plural post with no holder ("many of these roles disappeared") is removed as such, or
as the role named just before it ("... the account managers ... the roles were
dissolved").

Organisational succession (``SUCCEEDED_BY``): "X began as A, moving later into B" and
"A (abbr) and subsequently B" for bodies of successive structure types.

Role-to-role transitions with a later role live in :mod:`.roles`.
"""

from __future__ import annotations

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
    ref,
    sent_bounds,
    subtree_ents,
)
from actorgraph.extraction.relations.roles import (
    Holder,
    RoleLexicon,
    RoleStatement,
    clause_subjects,
    holder_from_token,
    paragraph_break,
    role_mention,
    role_org,
    role_ref,
    unnamed_role_ref,
)


def removed_ref(role: MentionRef) -> MentionRef:
    """The removed counterpart of ``role`` (same words, ``status: removed``)."""
    props = {**role.properties, "status": "removed"}
    return make_ref("ROLE", role.start, role.end, role.text, f"{role.canonical} (removed)",
                    props)


def removed_roles(
    sent: Span,
    lex: RoleLexicon,
    speaker: MentionRef | None = None,
    known: list[RoleStatement] | None = None,
) -> int:
    """Emit removed-role relations for ``sent``; returns how many removals were found."""
    doc = sent.doc
    found = 0
    for start, end, _phrase in find_phrases(list(sent), lex.removal):
        tokens = [doc[i] for i in range(start, end)]
        verb = next((t for t in tokens if t.head.i < start or t.head.i >= end or t.head == t),
                    tokens[0])
        if verb.pos_ not in ("VERB", "AUX"):
            continue
        subjects, _ = clause_subjects(verb)
        for subj in subjects:
            if _emit_removal(sent, subj, lex, speaker, known or []):
                found += 1
    return found


_QUANTIFIERS = {"many", "some", "most", "all", "several", "few", "both", "none", "each",
                "half", "majority", "number", "lot", "lots"}
_PLURAL_POSTS = {"role", "post", "job", "position"}


def _quantified(subj: Token) -> Token:
    """ "many of these roles" -> "roles"."""
    if subj.lower_ in _QUANTIFIERS:
        for c in subj.children:
            if c.dep_ == "prep" and c.lower_ == "of":
                pobj = next((x for x in c.children if x.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return subj


def _antecedent_role(subj: Token) -> Span | None:
    """ "the roles" / "these posts": the last role named before them in the same or the
    previous sentence of the paragraph ("... monitoring by the account managers had a
    detrimental effect. Towards the end, the roles were dissolved")."""
    doc = subj.doc
    first = subj.sent.start
    if first > 0:
        first = doc[first - 1].sent.start
    i = subj.i - 1
    while i >= first:
        tok = doc[i]
        if paragraph_break(tok):
            return None
        role = ent_of_token(tok, ("ROLE",))
        if role is not None:
            return role
        i -= 1
    return None


def _posts_ref(subj: Token) -> MentionRef:
    """A Role for a bare plural "roles" / "posts" (with its compound modifiers)."""
    doc = subj.doc
    start = min([subj.i] + [c.i for c in subj.children if c.dep_ in ("compound", "amod")
                            and c.i < subj.i and c.lower_ not in ("these", "those")])
    span = doc[start : subj.i + 1]
    base = doc._.offset or 0
    name = " ".join(t.lower_ for t in span)
    return make_ref("ROLE", span.start_char + base, span.end_char + base, span.text, name,
                    {"title": name, "category": "unspecified", "unnamed": True})


def _emit_removal(sent: Span, subj, lex: RoleLexicon, speaker, known) -> bool:  # noqa: ANN001
    doc = sent.doc
    subj = _quantified(subj)
    role_ent = ent_of_token(subj, ("ROLE",))
    for c in subj.children:  # "the programme manager post"
        if role_ent is None and c.dep_ in ("compound", "nmod", "amod"):
            role_ent = ent_of_token(c, ("ROLE",))
    holder: Holder | None = None
    for c in subj.children:
        if c.dep_ == "poss":
            holder = holder_from_token(c, lex, speaker)
    generic = subj.lemma_.lower() in lex.generic_nouns
    if role_ent is None and not generic:
        return False
    if speaker is None and holder is not None and holder.first_person:
        return False
    org: Span | None = None
    role: MentionRef | None = None
    confidence = 0.75
    if holder is not None:
        prior = [s for s in known if s.holder.key == holder.key and s.tense != "later"]
        if prior:
            role, org_ref = prior[-1].role, prior[-1].org
            if org_ref is not None:
                org = next((e for e in doc.ents if e.start_char + (doc._.offset or 0)
                            == org_ref.start), None)
    if role is None and role_ent is not None:
        org, s_i, e_i, suffix = role_org(role_ent, lex)
        role = role_ref(role_ent, org, s_i, e_i, suffix)
    plural_posts = (holder is None and subj.tag_ == "NNS"
                    and subj.lemma_.lower() in _PLURAL_POSTS)
    if role is None and plural_posts and any(
            c.lower_ in ("the", "these", "those") for c in subj.children):
        antecedent = _antecedent_role(subj)
        if antecedent is not None:
            role, confidence = role_mention(antecedent, lex), 0.6
    if role is None and plural_posts and not any(
            c.dep_ == "poss" for c in subj.children):  # "many of these roles disappeared"
        role, confidence = _posts_ref(subj), 0.55
    if role is None:
        orgs = [e for e in ents_in(sent, ORG_LABELS) if "structure" not in
                doc[e.end : e.end + 2].text.lower()]
        if orgs:
            org = orgs[0]
            role = unnamed_role_ref(org)
            confidence = 0.65
        elif holder is not None:
            span = doc[min(c.i for c in subj.subtree) : subj.i + 1]
            base = doc._.offset or 0
            role = make_ref("ROLE", span.start_char + base, span.end_char + base, span.text,
                            f"role of {holder.ref.canonical}",
                            {"title": "role", "category": "unspecified", "unnamed": True})
            confidence = 0.6
        elif plural_posts:  # "once the funding ended many of these roles disappeared"
            role, confidence = _posts_ref(subj), 0.55
        else:
            return False
    bounds = sent_bounds(sent)
    if holder is not None:
        emit(doc, "HOLDS", holder.ref, role, bounds, "dep:removed_role",
             min(confidence, holder.confidence), tense="earlier")
    if org is not None:
        emit(doc, "IN", role, ref(org), bounds, "dep:removed_role", confidence)
    target = removed_ref(role)
    emit(doc, "TRANSITIONED_TO", role, target, bounds, "dep:removed_role",
         confidence - 0.05, removed=True)
    return True


#: Bodies that succeed one another as structures (PCT -> CCG -> ICB, STP -> ICS).
SUCCESSIVE_TYPES = {"PCT", "CCG", "STP", "ICS", "ICB", "ACO", "ALLIANCE", "VANGUARD", "PCN",
                    "BOARD", "PARTNERSHIP"}
_LATER = {"subsequently", "later", "then", "eventually", "afterwards", "thereafter"}
#: Words that make "A and later B" about bodies being formed, not about visiting them.
_FORMATION = {"development", "introduction", "creation", "emergence", "announcement",
              "establishment", "formation", "arrival", "advent", "evolution", "transition",
              "rise", "replace", "rename", "evolve", "succeed", "supersede", "transform",
              "develop", "introduce", "create", "establish", "form", "announce", "emerge"}
_EVOLVE = {"move", "evolve", "develop", "turn", "grow", "transform", "become", "change",
           "transition", "shift", "merge", "morph", "mature"}


def _org_type(ent: Span) -> str:
    return str((ent._.props or {}).get("org_type") or "").upper()


def began_as(doc: Doc, sent: Span) -> None:
    """ "X began as a loose provider alliance, moving later into a provider board" ->
    the alliance ``SUCCEEDED_BY`` the board ("started as A and evolved into B")."""
    bounds = sent_bounds(sent)
    for tok in sent:
        if tok.lemma_.lower() not in ("begin", "start") or tok.pos_ not in ("VERB", "AUX"):
            continue
        firsts = [e for c in tok.children if c.dep_ == "prep" and c.lower_ == "as"
                  for e in subtree_ents(c, ORG_LABELS)]
        if not firsts:
            continue
        for v in tok.children:
            if v.dep_ not in ("advcl", "conj", "xcomp") or v.lemma_.lower() not in _EVOLVE:
                continue
            for c in v.children:
                if c.dep_ == "prep" and c.lower_ in ("into", "to"):
                    for new in subtree_ents(c, ORG_LABELS):
                        emit(doc, "SUCCEEDED_BY", ref(firsts[0]), ref(new), bounds,
                             "dep:began_as", 0.7)


def later_coordination(doc: Doc, sent: Span) -> None:
    """ "the development of Sustainability and Transformation Partnerships (STPs) and
    subsequently Integrated Care Systems" -> STP ``SUCCEEDED_BY`` ICS.

    Two organisations of different successive structure types (:data:`SUCCESSIVE_TYPES`)
    joined only by "and"/"," and a "later" word ("subsequently", "later", "then"),
    bracketed abbreviations aside, in a sentence about bodies being formed ("development",
    "introduction", "replaced", "renamed", ...). Other pairs ("the CCG and later the
    council") and other sentences ("we spoke to the CCG and later the STP") are listed
    actors, not successors.
    """
    if not {t.lemma_.lower() for t in sent} & _FORMATION:
        return  # "we spoke to the CCG and later the STP": a sequence of visits
    ents = ents_in(sent, ("ORG",))
    bounds = sent_bounds(sent)
    for a, b in zip(ents, ents[1:], strict=False):
        ta, tb = _org_type(a), _org_type(b)
        if not (ta in SUCCESSIVE_TYPES and tb in SUCCESSIVE_TYPES) or ta == tb:
            continue
        words: list[str] = []
        depth = 0
        for t in doc[a.end : b.start]:
            if t.text in ("(", "["):
                depth += 1
            elif t.text in (")", "]"):
                depth = max(0, depth - 1)
            elif depth == 0 and not t.is_space:
                words.append(t.lower_)
        if words and set(words) & _LATER and set(words) <= _LATER | {"and", ",", "the"}:
            emit(doc, "SUCCEEDED_BY", ref(a), ref(b), bounds, "pattern:later_coordination", 0.7)


class TransitionRelations:
    """Pipeline component: removed roles outside quotations (named holders) and
    organisational succession ("began as A, moving later into B"; "A and subsequently B").
    """

    def __init__(self, lexicon: RoleLexicon) -> None:
        self.lex = lexicon

    def __call__(self, doc: Doc) -> Doc:
        """Append removed-role mentions to ``doc._.relations``."""
        index_ents(doc)
        for sent in doc.sents:
            removed_roles(sent, self.lex)
            began_as(doc, sent)
            later_coordination(doc, sent)
        return doc


@Language.factory(
    "actorgraph_rel_transitions",
    default_config={"roles_lexicon": None, "cues_lexicon": None},
)
def make_transitions_component(
    nlp: Language, name: str, roles_lexicon: str | None, cues_lexicon: str | None
) -> TransitionRelations:
    """spaCy factory: TRANSITIONED_TO to removed roles."""
    return TransitionRelations(RoleLexicon(roles_lexicon, cues_lexicon))

