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

Role-to-role transitions with a later role live in :mod:`.roles`.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span

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
)
from actorgraph.extraction.relations.roles import (
    Holder,
    RoleLexicon,
    RoleStatement,
    clause_subjects,
    holder_from_token,
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


def _emit_removal(sent: Span, subj, lex: RoleLexicon, speaker, known) -> bool:  # noqa: ANN001
    doc = sent.doc
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


class TransitionRelations:
    """Pipeline component: removed roles outside quotations (named holders)."""

    def __init__(self, lexicon: RoleLexicon) -> None:
        self.lex = lexicon

    def __call__(self, doc: Doc) -> Doc:
        """Append removed-role mentions to ``doc._.relations``."""
        index_ents(doc)
        for sent in doc.sents:
            removed_roles(sent, self.lex)
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

