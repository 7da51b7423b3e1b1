"""``IMPLEMENTS``: a site or organisation runs an initiative, with a status.

Statuses: ``implemented`` ("Site 3 introduced social prescribing", "the MDT was
set up in Site 2"), ``continued`` ("the MDT has continued", "was sustained after
the funding ended"), ``stopped`` ("was decommissioned", "stopped when funding
ended", "was not continued") and ``planned`` ("plans to introduce", "will
launch", "aspires to roll out").

The verb decides the status (``data/implements.json``); a planning verb or
auxiliary over an implementing verb ("plans to introduce", "will set up") makes
it ``planned``; a negated continuing verb ("was not continued") makes it
``stopped``; other negations produce nothing. The implementer is the active
subject, the passive agent ("by the CCG"), a place phrase ("in Site 3", "at
the trust", "In Site 5, ..."), or the site that owns the initiative ("Site 3's
MDT", "the MDT in Site 2").
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from actorgraph.extraction.relations.base import (
    ORG_LABELS,
    emit,
    ent_of_token,
    ents_in,
    find_phrases,
    index_ents,
    lemma_with_particle,
    load_lexicon,
    np_ents,
    phrase_set,
    ref,
    sent_bounds,
    subtree_ents,
)
from actorgraph.extraction.relations.org_patterns import previous_subject_site

STATUSES = ("implemented", "continued", "stopped", "planned")


class ImplementsLexicon:
    """Word lists from ``data/implements.json``."""

    def __init__(self, path: str | None = None) -> None:
        data = load_lexicon("implements", path)
        self.verbs: dict[str, str] = {}
        for status in STATUSES:
            for verb in data[status]:
                self.verbs.setdefault(verb, status)
        self.weak = set(data["weak_verbs"])
        self.planned_cues = phrase_set(data["planned_cues"])
        self.site_heads = set(data["site_heads"])
        self.basis_verbs = set(data["basis_verbs"])


class ImplementsRelations:
    """Pipeline component: IMPLEMENTS mentions with status."""

    def __init__(self, lexicon: ImplementsLexicon, use_weak_verbs: bool) -> None:
        self.lex = lexicon
        self.use_weak = use_weak_verbs

    def __call__(self, doc: Doc) -> Doc:
        """Append IMPLEMENTS mentions to ``doc._.relations``."""
        index_ents(doc)
        for sent in doc.sents:
            if not any(doc[i].ent_type_ == "INITIATIVE" for i in range(sent.start, sent.end)):
                continue
            for tok in sent:
                if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
                    self._from_verb(doc, sent, tok)
                    self._site_type(doc, sent, tok)
        return doc

    def _site_type(self, doc: Doc, sent: Span, verb: Token) -> None:
        """"Site 3 was an EHCH Vanguard" / "Site 5 was based on four elements: X, Y"."""
        lemma = verb.lemma_.lower()
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects and verb.dep_ == "conj":  # "Site 5 served X and was based on Y"
            subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        sites = [e for s in subjects for e in [ent_of_token(s, ORG_LABELS)] if e is not None]
        if not sites and any(s.lower_ in ("it", "this") for s in subjects):
            sites = previous_subject_site(sent)  # "Site 5 was a PACS Vanguard. It was ..."
        if not sites:
            return
        found: list[Span] = []
        if lemma == "be":
            for attr in (c for c in verb.children if c.dep_ == "attr"):
                if attr.lemma_.lower() in self.lex.site_heads:
                    found += np_ents(attr, ("INITIATIVE",))
        elif lemma in self.lex.basis_verbs:
            pobjs = [p for c in verb.children if c.dep_ == "prep" and c.lower_ in
                     ("on", "upon", "around", "round") for p in c.children if p.dep_ == "pobj"]
            # "built around three elements: X, Y" parsed with "around" as a quantifier
            pobjs += [c for c in verb.children if c.dep_ == "dobj" and any(
                q.dep_ == "nummod" and any(g.dep_ == "quantmod" for g in q.children)
                for q in c.children)]
            for p in pobjs:
                found += subtree_ents(p, ("INITIATIVE",))
                colon = next((t.i for t in sent if t.i > p.i and t.text == ":"), None)
                if not found and colon is not None and colon - p.i <= 2:  # "on four elements: X, Y"
                    found += ents_in(sent.doc[colon + 1 : sent.end], ("INITIATIVE",))
        for site in sites:
            for init in found:
                emit(doc, "IMPLEMENTS", ref(site), ref(init), sent_bounds(sent),
                     "dep:implements", 0.7, status="implemented")

    def _status_of(self, tok: Token) -> str | None:
        lem = lemma_with_particle(tok)
        return self.lex.verbs.get(lem) or self.lex.verbs.get(tok.lemma_.lower())

    def _from_verb(self, doc: Doc, sent: Span, verb: Token) -> None:
        status = self._status_of(verb)
        if status is None:
            return
        lem = lemma_with_particle(verb)
        content = verb
        if status in ("planned", "continued"):
            xcomps = [c for c in verb.children if c.dep_ == "xcomp"]
            if xcomps and self._status_of(xcomps[0]) in ("implemented", "continued", "stopped"):
                content = xcomps[0]
            elif status == "planned":
                return  # "we hope the MDT works" is no plan to implement
        elif verb.dep_ == "xcomp" and self._status_of(verb.head) in ("planned", "continued"):
            return  # handled from the governing verb
        weak = lem in self.lex.weak or verb.lemma_.lower() in self.lex.weak
        if weak and not self.use_weak:
            return
        negated = any(c.dep_ == "neg" for c in verb.children)
        if negated:
            if status != "continued":
                return
            status = "stopped"
        if status == "implemented" and self._planned(verb):
            status = "planned"
        passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in content.children) or any(
            c.dep_ == "nsubjpass" for c in verb.children)
        subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not subjects and verb.dep_ in ("conj", "xcomp", "advcl", "relcl"):
            subjects = [c for c in verb.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            if verb.dep_ == "relcl":
                subjects = [verb.head]
        objects = [c for c in content.children if c.dep_ in ("dobj", "attr")]
        initiatives: list[Span] = []
        implementers: list[Span] = []
        confidence = 0.6 if weak else 0.85
        for s in subjects:
            for head in [s, *s.conjuncts]:
                ent = ent_of_token(head, ("INITIATIVE",))
                if ent is not None and (passive or status in ("continued", "stopped")):
                    initiatives.append(ent)
                org = ent_of_token(head, ORG_LABELS)
                if org is not None and not passive:
                    implementers.append(org)
        if not passive:
            for o in objects:
                initiatives.extend(np_ents(o, ("INITIATIVE",)))
        if not implementers:
            implementers = self._place_of(verb, content)
            confidence -= 0.05
        if not implementers and initiatives:
            owner = _owner(initiatives[0])
            if owner is not None:
                implementers = [owner]
                confidence -= 0.1
        if weak:  # "have"/"use"/"include" only for a named site or organisation
            implementers = [i for i in implementers if not (i._.props or {}).get("generic")]
        seen = set()
        for site in implementers:
            for init in initiatives:
                key = (site.start, init.start)
                if key in seen or site.label_ not in ORG_LABELS:
                    continue
                seen.add(key)
                emit(doc, "IMPLEMENTS", ref(site), ref(init), sent_bounds(sent),
                     "dep:implements", confidence, status=status)

    def _planned(self, verb: Token) -> bool:
        window = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
        window += [verb.head] if verb.dep_ == "xcomp" else []
        found = find_phrases(window, self.lex.planned_cues)
        return bool(found)

    def _place_of(self, verb: Token, content: Token) -> list[Span]:
        """Sites/organisations in "by X", "in X", "at X", "across X" on the verb."""
        out: list[Span] = []
        for v in {verb, content}:
            for c in v.children:
                if c.dep_ == "agent" or (c.dep_ == "prep" and c.lower_ in ("in", "at", "across",
                                                                          "within", "by")):
                    out.extend(subtree_ents(c, ORG_LABELS))
        return out


def _owner(initiative: Span) -> Span | None:
    """The site that owns an initiative: "Site 3's MDT", "the MDT in Site 2"."""
    doc = initiative.doc
    prev = initiative.start - 1
    if prev >= 0 and doc[prev].lower_ in ("'s", "’s"):
        prev -= 1
    if prev >= 0:
        e = ent_of_token(doc[prev], ORG_LABELS)
        if e is not None and e.end >= initiative.start - 1:
            return e
    for c in initiative.root.children:
        if c.dep_ == "prep" and c.lower_ in ("in", "at"):
            found = subtree_ents(c, ORG_LABELS)
            if found:
                return found[0]
    return None


@Language.factory(
    "actorgraph_rel_implements",
    default_config={"lexicon": None, "use_weak_verbs": True},
)
def make_implements_component(
    nlp: Language, name: str, lexicon: str | None, use_weak_verbs: bool
) -> ImplementsRelations:
    """spaCy factory: IMPLEMENTS (Site/Organisation -> Initiative, with status)."""
    return ImplementsRelations(ImplementsLexicon(lexicon), bool(use_weak_verbs))
