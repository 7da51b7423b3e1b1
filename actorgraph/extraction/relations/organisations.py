"""Relations between organisations (and their people): succession, structure, money, lead.

* ``SUCCEEDED_BY`` — "CCGs were replaced by ICBs", "ICBs replaced CCGs", "the STP
  became the ICS", "evolved into", "transitioned to", "was succeeded by".
  Endpoints: organisations, sites and initiatives (a Vanguard -> the ICS, the
  ECH model -> the EHCH service), never a person.
* ``PART_OF`` — "GP practices in the PCN", "X is part of Y", "Y includes X".
* ``MEMBER_OF`` — "a member of the board", "sits on the Alliance board",
  "the Alliance of partners including the CCG and the council".
* ``PARTNER_OF`` — "a partnership between the trust and the council", "the CCG
  partnered with the council", "worked in partnership with".
* ``LEADS`` — "led by the CCG", "the CCG leads the programme", "CCG-led".
* ``FUNDS`` — "funded by NHS England", "NHS England funded Site 3".
* ``COMMISSIONS`` — "commissioned by the CCG", "the CCG commissions the service".

Also (see ``docs/relations.md``): nominal funding ("investment in X by Y", "NHSE funding was
essential to establish X"), funding received by the quoted speaker's site, work contracted
out "to" a body, units of national bodies, boards and alliances of a described Site,
"with CCG involvement", "our partners: A, B and C" in a coded quote, and the collective
Vanguards / support programme as parts of the national programme.

Verbs and nouns are in ``data/organisations.json``.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from actorgraph.extraction.mentions import doc_text, make_ref
from actorgraph.extraction.relations.base import (
    ORG_LABELS,
    emit,
    ent_of_token,
    ents_in,
    gazetteer_lookup,
    index_ents,
    lemma_with_particle,
    load_lexicon,
    ref,
    sent_bounds,
)
from actorgraph.extraction.relations.org_patterns import (
    WE,
    left_entity,
    np_entity,
    previous_subject_site,
    speaker_site,
)

_SUCCESSION_LABELS = ("ORG", "SITE", "INITIATIVE")
_ACTOR_LABELS = ("ORG", "SITE", "PERSON")
_THING_LABELS = ("ORG", "SITE", "INITIATIVE")
#: A "relationship between A and B" so described is no partnership.
_STRAINED = {"poor", "strained", "difficult", "tense", "fractured", "broken", "bad",
             "adversarial", "competitive", "weak", "fragile", "hostile"}


class OrganisationLexicon:
    """Word lists from ``data/organisations.json``."""

    def __init__(self, path: str | None = None) -> None:
        d = load_lexicon("organisations", path)
        self.succ_passive = set(d["succession_passive"])
        self.succ_forward = set(d["succession_active_forward"])
        self.succ_forward_preps = set(d["succession_active_forward_preps"])
        self.succ_backward = set(d["succession_active_backward"])
        self.lead = set(d["lead_verbs"])
        self.fund = set(d["fund_verbs"])
        self.commission = set(d["commission_verbs"])
        self.partner_nouns = set(d["partner_nouns"])
        self.partner_verbs = set(d["partner_verbs"])
        self.member_nouns = set(d["member_nouns"])
        self.member_targets = set(d["member_targets"])
        self.containment_heads = set(d["containment_heads"])
        self.include_verbs = set(d["include_verbs"])
        self.include_heads = set(d["include_heads"])
        self.succession_cues = set(d["succession_cues"])
        self.succession_fillers = set(d["succession_fillers"])
        self.unit_heads = set(d["unit_heads"])
        self.fund_receivers = set(d["fund_receive_verbs"])
        self.fund_nouns = set(d.get("fund_nouns", []))
        self.programme_member_heads = set(d.get("programme_member_heads", []))
        self.national_programme = str(d.get("national_programme", ""))
        self.model_categories = set(d.get("programme_model_categories", []))
        self.quantity_heads = set(d.get("quantity_heads", []))
        self.governance_heads = set(d.get("governance_heads", []))
        self.partner_group_nouns = set(d.get("partner_group_nouns", []))
        self.involvement_nouns = set(d.get("involvement_nouns", []))


_PRONOUNS = {"it", "they", "we", "he", "she", "i", "you", "which", "who", "that", "this"}
#: Nouns of a study whose "of" phrase is the thing studied, not the thing funded.
_STUDY_HEADS = {"evaluation", "evaluations", "study", "studies", "research", "review",
                "analysis", "assessment", "appraisal", "audit", "report"}


#: A "relationship between A and B" is a partnership only when it is good or being built.
_GOOD = {"good", "strong", "close", "effective", "positive", "productive", "working",
         "constructive", "collaborative", "trusting", "excellent", "better", "stronger",
         "closer", "improved"}
_BUILD = {"build", "develop", "strengthen", "foster", "improve", "forge", "establish", "create",
          "nurture", "cement", "deepen", "enhance", "form"}


def _good_relationship(noun: Token) -> bool:
    """"built relationships between A and B", "a close relationship between A and B" — but
    not "relationships between A and B were discussed in terms of mistrust"."""
    if any(c.dep_ == "amod" and c.lower_ in _GOOD for c in noun.children):
        return True
    return noun.dep_ == "dobj" and noun.head.lemma_.lower() in _BUILD


def _inside_study(tok: Token) -> bool:
    """"an evaluation of the programme, funded by X": ``tok`` is the object of a study's
    "of" phrase, so what X funded is the study, not ``tok``."""
    return (tok.dep_ == "pobj" and tok.head.lower_ == "of"
            and tok.head.head.lower_ in _STUDY_HEADS)


def _titled_after(agents: list[Token]) -> list[Span]:
    """The titled project right after a funder: "research funded by the NIHR Policy Research
    Programme 'National evaluation of the Vanguard programme'" -> the evaluation."""
    out: list[Span] = []
    for agent in agents:
        doc = agent.doc
        titled = ent_of_token(agent, ("INITIATIVE",))
        if titled is not None and titled.start > 0 and doc[titled.start - 1].is_quote:
            out.append(titled)  # the parser made the quoted title the head of "by ..."
            continue
        j = max(t.i for t in agent.subtree) + 1
        while j < len(doc) and doc[j].is_punct and doc[j].text not in (".", ";") and \
                j - agent.i < 6:
            j += 1
        ent = ent_of_token(doc[j], ("INITIATIVE",)) if j < len(doc) else None
        if ent is not None and ent.start == j:
            out.append(ent)
    return out


def _np_ents(tokens: list[Token], labels: tuple[str, ...]) -> list[Span]:
    """Entities of the noun phrases at ``tokens`` and their conjuncts (see
    :func:`~.org_patterns.np_entity`)."""
    out: list[Span] = []
    for t in tokens:
        for h in [t, *t.conjuncts]:
            e = np_entity(h, labels)
            if e is not None and all(e.start != x.start for x in out):
                out.append(e)
    return out


def _ents(tokens: list[Token], labels: tuple[str, ...], conj: bool = True) -> list[Span]:
    out: list[Span] = []
    for t in tokens:
        for h in [t, *t.conjuncts] if conj else [t]:
            e = ent_of_token(h, labels)
            if e is not None and all(e.start != x.start for x in out):
                out.append(e)
    return out


def _antecedent(tok: Token) -> Token:
    """What a relative pronoun stands for: "Site 2 was a Vanguard that was led by the CCG"
    -> Site 2 (the copula's subject when the antecedent is its complement), "the board,
    which includes X" -> board."""
    if tok.lower_ not in ("that", "which", "who") or tok.dep_ not in ("nsubj", "nsubjpass"):
        return tok
    verb = tok.head
    for _ in range(3):
        if verb.dep_ == "relcl":
            break
        if verb.dep_ not in ("conj", "xcomp") or verb.head is verb:
            return tok
        verb = verb.head
    else:
        return tok
    noun = verb.head
    if noun.dep_ == "attr" and ent_of_token(noun, ("ORG", "SITE")) is not None:
        subj = [c for c in noun.head.children if c.dep_ == "nsubj"]
        if subj and ent_of_token(subj[0], ("ORG", "SITE")) is not None:
            return subj[0]
    return noun


def _owning_site(tok: Token) -> Span | None:
    """The Site a phrase describes: climbing the parse from "an alliance of partners" in
    "Site 5 was a Vanguard provided by an alliance of partners" reaches Site 5."""
    t = tok
    for _ in range(6):
        if t.head is t:
            return None
        t = t.head
        if t.dep_ == "attr":
            subject = _ents(_subjects(t.head), ("SITE",))
            if subject:
                return subject[0]
        site = ent_of_token(t, ("SITE",))
        if site is not None:
            return site if any(ch.isdigit() for ch in site.text) else None
    return None


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _pobjs(tok: Token, preps: set[str] | tuple[str, ...]) -> list[Token]:
    return [p for c in tok.children if (c.dep_ in ("prep", "agent", "dative"))
            and c.lower_ in preps for p in c.children if p.dep_ == "pobj"]


def _agents(tok: Token) -> list[Token]:
    return [p for c in tok.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]


def _subjects(tok: Token) -> list[Token]:
    subs = _children(tok, "nsubj")
    if not subs and tok.dep_ in ("conj", "xcomp") and tok.head != tok:
        subs = _children(tok.head, "nsubj")
    return subs


class OrganisationRelations:
    """Pipeline component: organisation relations."""

    def __init__(self, lexicon: OrganisationLexicon) -> None:
        self.lex = lexicon

    def __call__(self, doc: Doc) -> Doc:
        """Append organisation relation mentions to ``doc._.relations``."""
        index_ents(doc)
        for sent in doc.sents:
            n_ents = sum(1 for e in doc.ents if e.start >= sent.start and e.end <= sent.end)
            bounds = sent_bounds(sent)
            if n_ents:
                self._programme(doc, sent, bounds)
                self._name_prefix(doc, sent, bounds)
            if n_ents < 1:  # one entity is enough when the other end is a quote's speaker
                continue
            self._succession_cues(doc, sent, bounds)
            self._governance_parts(doc, sent, bounds)
            self._site_named_bodies(doc, sent, bounds)
            self._our_partners(doc, sent, bounds)
            for tok in sent:
                if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
                    self._verb(doc, tok, bounds)
                if tok.pos_ in ("NOUN", "PROPN") or tok.lower_ == "led":
                    self._noun(doc, tok, bounds)
                if tok.lower_ in self.lex.fund_nouns and tok.dep_ not in ("ROOT", "conj"):
                    self._fund_noun(doc, tok, bounds)
        return doc

    # ------------------------------------------------------------------ verbs

    def _verb(self, doc: Doc, v: Token, bounds: tuple[int, int]) -> None:
        if any(c.dep_ == "neg" for c in v.children):
            return
        text = doc_text(v.doc)
        para = max(text.rfind("\n\n", 0, v.idx), v.sent.start_char - 400, 0)
        before = text[para : v.idx]
        if before.count("(") > before.count(")"):
            return  # inside a parenthesis or a table cell list: "(leads for contracting ...)"
        lem = v.lemma_.lower()
        lemp = lemma_with_particle(v)
        passive = bool(_children(v, "nsubjpass", "auxpass"))
        subj_p = _children(v, "nsubjpass")
        if not subj_p and passive and v.dep_ == "acl":
            subj_p = [v.head]  # "a programme led by the CCG"
        if not subj_p and v.dep_ == "acl" and v.tag_ == "VBN":
            subj_p, passive = [v.head], True
        if not subj_p and v.dep_ == "advcl" and v.tag_ == "VBN" and _agents(v) and not any(
                c.dep_ in ("nsubj", "mark") for c in v.children):
            # "a programme was established, led by NHS England"
            subj_p, passive = _children(v.head, "nsubjpass", "nsubj"), True
        if not subj_p and not passive and v.dep_ == "conj" and v.tag_ == "VBN" and _agents(v):
            # "X was commissioned and funded by Y": the second participle shares X
            head = v.head
            subj_p = _children(head, "nsubjpass") or ([head.head] if head.dep_ == "acl" else [])
            passive = bool(subj_p)
        conj = True
        if not subj_p and passive:  # "... and CCGs were replaced by": subject lost in parse
            aux = min((c.i for c in v.children if c.dep_ in ("auxpass", "aux")), default=v.i)
            if aux > 0 and ent_of_token(v.doc[aux - 1], _SUCCESSION_LABELS) is not None:
                subj_p, conj = [v.doc[aux - 1]], False
        agents = _agents(v)
        if not agents and passive or (not agents and v.dep_ == "acl" and v.tag_ == "VBN"):
            # "research commissioned and funded by X": the agent hangs on the last conjunct
            agents = [a for c in v.children if c.dep_ == "conj" and c.tag_ == "VBN"
                      for a in _agents(c)]
        subjects = [_antecedent(t) for t in _subjects(v)]
        subj_p = [_antecedent(t) for t in subj_p]
        objects = _children(v, "dobj")
        emit_ = self._emitter(doc, bounds)

        # succession
        if passive and lem in self.lex.succ_passive:
            for old in _ents(subj_p, _SUCCESSION_LABELS, conj):
                for new in _ents(agents, _SUCCESSION_LABELS):
                    emit_("SUCCEEDED_BY", old, new, "dep:succession", 0.85)
        elif not passive and lem in self.lex.succ_backward and lemp != "take over":
            for new in _ents(subjects, _SUCCESSION_LABELS):
                for old in _ents(objects, _SUCCESSION_LABELS):
                    emit_("SUCCEEDED_BY", old, new, "dep:succession", 0.8)
        if lemp == "take over":
            for new in _ents(subjects, _SUCCESSION_LABELS):
                for old in _ents(_pobjs(v, ("from",)), _SUCCESSION_LABELS):
                    emit_("SUCCEEDED_BY", old, new, "dep:succession", 0.75)
        if lem in self.lex.succ_forward:
            if lem == "become":
                news = [e for c in _children(v, "attr", "oprd", "acomp")
                        for e in [ent_of_token(c, _SUCCESSION_LABELS)] if e is not None]
            else:
                news = _ents(_pobjs(v, self.lex.succ_forward_preps), _SUCCESSION_LABELS)
                if lem in ("develop", "grow") and not any(
                        c.lower_ == "into" for c in v.children):
                    news = []
            for old in _ents(subjects, _SUCCESSION_LABELS):
                for new in news:
                    if self._compatible(old, new):
                        emit_("SUCCEEDED_BY", old, new, "dep:succession", 0.8)

        # lead / fund / commission
        for verbs, rel, method in ((self.lex.lead, "LEADS", "dep:leads"),
                                   (self.lex.fund, "FUNDS", "dep:funds"),
                                   (self.lex.commission, "COMMISSIONS", "dep:commissions")):
            if lem not in verbs:
                continue
            if passive:
                actors = _np_ents(agents, _ACTOR_LABELS)
                if any(_inside_study(t) for t in subj_p):
                    # "a national evaluation of the programme, funded by X": the evaluation
                    studies = [e for t in subj_p for e in [ent_of_token(t.head.head,
                                                                       ("INITIATIVE",))] if e]
                    for actor in actors:
                        for thing in studies:
                            emit_(rel, actor, thing, method, 0.75)
                    continue
                things = _ents(subj_p, _THING_LABELS, conj)
                if not things and any(t.lower_ in _STUDY_HEADS for t in subj_p):
                    things = _titled_after(agents)  # "research funded by X 'Title'"
                for actor in actors:
                    for thing in things:
                        emit_(rel, actor, thing, method, 0.85)
            else:
                things = _ents(objects, _THING_LABELS)
                if rel == "COMMISSIONS":
                    things += _ents(_pobjs(v, ("from",)), ("ORG",))
                if rel == "FUNDS" and lem == "invest":
                    things += _ents(_pobjs(v, ("in",)), _THING_LABELS)
                actors = _ents(subjects, _ACTOR_LABELS)
                if not actors and not any(t.lower_ in _PRONOUNS for t in subjects):
                    near = left_entity(v, ("ORG",))  # "[named charity] funded our ..."
                    actors = [near] if near is not None else []
                for actor in actors:
                    for thing in things:
                        emit_(rel, actor, thing, method, 0.8)

        if lem in self.lex.commission:
            self._contract_out(doc, v, passive, subjects, agents, bounds)

        # "Site 3 secured funding from NHS England"; "we got the funding from X (S4R03)"
        if lem in self.lex.fund_receivers and not passive:
            for o in objects:
                if o.lemma_.lower() in self.lex.fund_nouns:
                    funders = _np_ents(_pobjs(o, ("from",)) + _pobjs(v, ("from",)), ("ORG",))
                    for funder in funders:
                        for receiver in _ents(subjects, ORG_LABELS):
                            emit_("FUNDS", funder, receiver, "dep:funds", 0.75)
                        if any(t.lower_ in WE for t in subjects):
                            site = speaker_site(v)
                            if site is not None:
                                emit(doc, "FUNDS", ref(funder), site, bounds,
                                     "dep:funds+speaker", 0.6)

        # partnership verbs: "the CCG partnered with the council"
        if lem in self.lex.partner_verbs:
            partners = _ents(_pobjs(v, ("with", "alongside")), ORG_LABELS)
            strong = lem in ("partner", "ally", "collaborate") or any(
                t.lower_ in ("partnership", "jointly", "closely") for t in v.subtree)
            if strong:
                for a in _ents(subjects or subj_p, ORG_LABELS):
                    for b in partners:
                        emit_("PARTNER_OF", a, b, "dep:partner", 0.75)

        # membership/containment verbs: "Y includes X", "X joined Y", "X sits on Y"
        if lem in self.lex.include_verbs:
            for whole in _ents(subjects, ORG_LABELS):
                if whole.root.lower_ not in self.lex.include_heads and not any(
                        w in whole.text.lower() for w in self.lex.include_heads):
                    continue
                rel = "MEMBER_OF" if any(w in whole.text.lower()
                                         for w in self.lex.member_targets) else "PART_OF"
                listed = objects + [p for o in objects  # "a range of X and Y"
                                    if o.lemma_.lower() in self.lex.quantity_heads
                                    for p in _pobjs(o, ("of",))]
                for part in _ents(listed + _pobjs(v, ("of",)), ORG_LABELS):
                    emit_(rel, part, whole, f"dep:{rel.lower()}", 0.7)
        if lemp in ("sit on", "sit") or lem == "join":
            targets = _ents(objects + _pobjs(v, ("on",)), ORG_LABELS)
            for member in _ents(subjects, ("ORG",)):
                for group in targets:
                    emit_("MEMBER_OF", member, group, "dep:member_of", 0.7)
            if lemp in ("sit on", "sit"):
                for member in _ents(subjects, ("PERSON",)):
                    for group in targets:
                        emit_("MEMBER_OF", member, group, "dep:member_of", 0.75)

    # ------------------------------------------------------------------ surface

    def _succession_cues(self, doc: Doc, sent: Span, bounds: tuple[int, int]) -> None:
        """"STPs (later ICSs)", "PCTs and subsequently CCGs", "the STP, now the ICS"."""
        orgs = [e for e in ents_in(sent, ORG_LABELS)]
        for a, b in zip(orgs, orgs[1:], strict=False):
            between = [t.lower_ for t in doc[a.end : b.start]]
            words = [w for w in between if w not in ("(", ",", "and", "the", "a", "an", "–",
                                                     "-", "or")]
            if not words or len(between) > 5:
                continue
            cues = [w for w in words if w in self.lex.succession_cues]
            if cues and all(w in self.lex.succession_cues or w in self.lex.succession_fillers
                            for w in words):
                if (a._.canonical or a.text) != (b._.canonical or b.text):
                    emit(doc, "SUCCEEDED_BY", ref(a), ref(b), bounds, "pattern:succession",
                         0.65)

    def _name_prefix(self, doc: Doc, sent: Span, bounds: tuple[int, int]) -> None:
        """"NHS England vanguard team" is PART_OF NHS England (a named unit of an
        organisation the gazetteer knows)."""
        base = doc._.offset or 0
        for ent in ents_in(sent, ("ORG",)):
            if len(ent) < 2 or ent[-1].lower_ not in self.lex.unit_heads:
                continue
            for k in range(len(ent) - 1, 0, -1):
                prefix = ent[:k]
                known = gazetteer_lookup("organisations", prefix.text)
                if known is None:
                    continue
                canonical, props = known
                if canonical.lower() == (ent._.canonical or ent.text).lower():
                    break
                whole = make_ref("ORG", prefix.start_char + base, prefix.end_char + base,
                                 prefix.text, canonical, props)
                emit(doc, "PART_OF", ref(ent), whole, bounds, "pattern:unit_of", 0.7)
                break

    # ------------------------------------------------------------------ nouns

    def _noun(self, doc: Doc, n: Token, bounds: tuple[int, int]) -> None:
        low = n.lower_
        emit_ = self._emitter(doc, bounds)
        # "a partnership between A and B"
        if low in self.lex.partner_nouns and not any(
                c.dep_ == "amod" and c.lower_ in _STRAINED for c in n.children) and (
                low not in ("relationship", "relationships") or _good_relationship(n)):
            members = _ents(_pobjs(n, ("between", "of")), ORG_LABELS)
            for i, a in enumerate(members):
                for b in members[i + 1 :]:
                    emit_("PARTNER_OF", a, b, "dep:partnership", 0.8)
            # "the CCG, in partnership with the council, set up ..."
            partners = _ents(_pobjs(n, ("with",)), ORG_LABELS)
            if partners and n.head.dep_ == "prep":
                gov = n.head.head
                firsts = (_ents(_subjects(gov) + _children(gov, "nsubjpass"), ORG_LABELS)
                          if gov.pos_ in ("VERB", "AUX") else _ents([gov], ORG_LABELS))
                for a in firsts:
                    for b in partners:
                        emit_("PARTNER_OF", a, b, "dep:partnership", 0.75)
            whole = ent_of_token(n, ORG_LABELS)
            included = _ents([p for c in n.children if c.dep_ == "prep"
                              for p in c.subtree if p.dep_ == "pobj"
                              and p.head.lower_ == "including"], ORG_LABELS)
            if whole is None and included:  # "Site 5 was a Vanguard run by an alliance
                whole = _owning_site(n)      # of partners including X": X is in Site 5
            if whole is not None:
                for part in included:
                    emit_("MEMBER_OF", part, whole, "dep:member_of", 0.7)
        # "a CCG-led programme"
        if low == "led" and n.i >= 2 and n.doc[n.i - 1].text in ("-", "–"):
            leader = ent_of_token(n.doc[n.i - 2], _ACTOR_LABELS)
            thing = ent_of_token(n.head, _THING_LABELS) if n.head != n else None
            if leader is not None and thing is not None:
                emit_("LEADS", leader, thing, "pattern:x-led", 0.7)
        # "A and B were developed as part of the Vanguard programme"
        if low == "part" and n.dep_ == "pobj" and n.head.lower_ == "as":
            wholes = _ents(_pobjs(n, ("of",)), _THING_LABELS)
            gov = n.head.head
            subs = _children(gov, "nsubj", "nsubjpass") if gov.pos_ in ("VERB", "AUX") else []
            subs += [a for s in subs for a in s.children if a.dep_ == "appos"]
            parts = _ents(subs, _THING_LABELS)
            for a in parts:
                for b in wholes:
                    emit_("PART_OF", a, b, "dep:part_of", 0.7)
        # "X is a member of Y", "X, part of Y"
        if low in self.lex.member_nouns:
            groups = _ents(_pobjs(n, ("of", "on")), ORG_LABELS)
            if not groups:
                return
            holders: list[Span] = []
            if n.dep_ in ("attr", "appos"):
                holders = _ents(_subjects(n.head) if n.dep_ == "attr" else [n.head],
                                ("ORG", "SITE", "PERSON"))
            rel = "PART_OF" if low == "part" else "MEMBER_OF"
            for h in holders:
                for g in groups:
                    if rel == "PART_OF" and h.label_ == "PERSON":
                        continue
                    emit_(rel, h, g, f"dep:{rel.lower()}", 0.8)
        if low in self.lex.involvement_nouns and n.head.lower_ == "with":
            self._involvement(doc, n, bounds)
        # "GP practices in the PCN", "the public health team at the council"
        part = ent_of_token(n, ("ORG",))
        if part is not None and n == part.root and low in self.lex.containment_heads:
            preps = [c for c in n.children if c.dep_ == "prep"
                     and c.lower_ in ("in", "within", "at")]
            nexts = [n.doc[c.i + 2] if n.doc[c.i + 1].lower_ in ("the", "a", "its", "their")
                     else n.doc[c.i + 1] for c in preps if c.i + 2 < len(n.doc)]
            for whole in [e for t in nexts for e in [ent_of_token(t, ("ORG",))] if e][:1]:
                if whole.start != part.start:
                    emit_("PART_OF", part, whole, "dep:part_of", 0.65)

    def _contract_out(self, doc: Doc, v: Token, passive: bool, subjects: list[Token],
                      agents: list[Token], bounds: tuple[int, int]) -> None:
        """"X was contracted out by A to B", "A outsourced X to B", "they in turn contracted
        it out to B": A COMMISSIONS B (the contractor named in the "to" phrase, or in a
        parenthesis inside it: "to organisations that ... (Commissioning Support Units)")."""
        holders = [v, *[c for c in v.children if c.dep_ == "prt"]]
        tos = [p for h in holders for c in h.children if c.dep_ == "prep" and c.lower_ == "to"
               for p in c.children if p.dep_ == "pobj"]
        contractors = []
        for pobj in tos:
            found = ents_in(list(pobj.subtree), ("ORG",))
            if found:
                contractors.append(found[0])
        if not contractors:
            return
        actors = _np_ents(agents, ("ORG", "SITE")) if passive else _ents(subjects, ORG_LABELS)
        if not actors and not passive and any(s.lower_ == "they" for s in subjects):
            # "CSUs; they in turn contracted it out to consultants": the nearest plural body
            earlier = [e for e in ents_in(list(v.sent), ("ORG",)) if e.end <= subjects[0].i
                       and e[-1].tag_ in ("NNS", "NNPS")]
            actors = earlier[-1:]
        for actor in actors:
            for contractor in contractors:
                if actor.start != contractor.start:
                    emit(doc, "COMMISSIONS", ref(actor), ref(contractor), bounds,
                         "dep:contract_out", 0.7)

    def _involvement(self, doc: Doc, n: Token, bounds: tuple[int, int]) -> None:
        """"(Site 1 / This) was a provider-led Vanguard, with CCG involvement": the body whose
        involvement is named is MEMBER_OF the Site the clause describes (0.6)."""
        k = n.i - 1
        if k > 0 and doc[k].text == ")":  # "Clinical Commissioning Group (CCG) involvement"
            opening = next((j for j in range(k - 1, max(k - 6, 0), -1) if doc[j].text == "("),
                           None)
            k = opening - 1 if opening is not None else k
        org = ent_of_token(doc[k], ("ORG",)) if k >= 0 else None
        if org is None or org.end != k + 1:
            return
        verb = n.head.head
        for _ in range(4):
            if verb.pos_ in ("VERB", "AUX") or verb.dep_ == "ROOT":
                break
            verb = verb.head
        subjects = _subjects(verb)
        sites = [e for e in _ents(subjects, ("SITE",)) if any(ch.isdigit() for ch in e.text)]
        if not sites and any(s.lower_ in ("this", "it") for s in subjects):
            sites = previous_subject_site(n.sent)
        for site in sites:
            emit(doc, "MEMBER_OF", ref(org), ref(site), bounds, "dep:involvement", 0.6)

    def _fund_noun(self, doc: Doc, n: Token, bounds: tuple[int, int]) -> None:
        """Funding stated as a noun: "investment in X by Y", "funding for X from Y",
        "Y funding was essential to establish X" (Y the funder, X the funded)."""
        if any(c.dep_ == "neg" or c.lower_ in ("no", "without") for c in n.children):
            return
        if n.head.lower_ in ("without", "no") or n.head.dep_ == "neg":
            return
        emit_ = self._emitter(doc, bounds)
        funders = _np_ents(_pobjs(n, ("by", "from")), ("ORG",))
        funders += [e for c in n.children if c.dep_ in ("compound", "poss", "nmod")
                    for e in [ent_of_token(c, ("ORG",))] if e is not None]
        before = ent_of_token(n.doc[n.i - 1], ("ORG",)) if n.i > 0 else None
        if before is not None and before.end == n.i and all(
                before.start != f.start for f in funders):
            funders.append(before)  # "NHSE funding": the parser may leave NHSE unattached
        objs = _pobjs(n, ("in", "for", "of", "to", "into"))
        things = _ents(objs, _THING_LABELS)
        # "investment in X by Y": the parser hangs "by Y" on X
        funders += _np_ents([p for o in objs for p in _pobjs(o, ("by", "from"))], ("ORG",))
        if not things and n.dep_ in ("nsubj", "nsubjpass"):
            # "NHSE funding was essential to establish the Vanguard"
            verb = n.head
            comps = [c for c in verb.children if c.dep_ in ("xcomp", "advcl")]
            comps += [g for c in verb.children if c.dep_ == "acomp"
                      for g in c.children if g.dep_ == "xcomp"]
            things = _ents([o for c in comps for o in c.children if o.dep_ == "dobj"],
                           ("SITE", "INITIATIVE"))
        for funder in funders:
            for thing in things:
                if thing.start == funder.start:
                    continue
                if thing.label_ == "ORG" and thing.root.lower_ not in ("vanguard", "vanguards"):
                    continue
                emit_("FUNDS", funder, thing, "dep:funds_noun", 0.7)

    def _our_partners(self, doc: Doc, sent: Span, bounds: tuple[int, int]) -> None:
        """"... our local partners: the hospital, the ambulance service, the CCG and the
        council (S3R01)": organisations listed after "our partners/providers" in a quote
        whose speaker's code names a site are MEMBER_OF that site (0.55)."""
        for tok in sent:
            if tok.lower_ not in self.lex.partner_group_nouns:
                continue
            if not any(c.dep_ == "poss" and c.lower_ == "our" for c in tok.children):
                continue
            after = [t for t in sent if t.i > tok.i]
            if not after or after[0].text not in (":", ";", ",", "(", "-", "–", "—") and \
                    after[0].lower_ not in ("including", "namely", "so", "such", "like"):
                continue
            listed = [e for e in ents_in(after, ("ORG",)) if e.start - tok.i <= 40]
            if len(listed) < 2:
                continue
            site = speaker_site(tok)
            if site is None:
                continue
            for org in listed:
                emit(doc, "MEMBER_OF", ref(org), site, bounds, "pattern:our_partners", 0.55)

    def _site_named_bodies(self, doc: Doc, sent: Span, bounds: tuple[int, int]) -> None:
        """"the vanguard steering group", "the Site 5 Vanguard board", "the Site 2 programme
        board": a board or group named after the site right before it is PART_OF that site."""
        for ent in ents_in(sent, ("ORG",)):
            if ent[-1].lower_ not in self.lex.governance_heads or ent.start == 0:
                continue
            props = ent._.props or {}
            if props.get("abbreviation") or props.get("org_type") not in (
                    None, "", "ALLIANCE", "BOARD", "VANGUARD"):
                continue
            site = ent_of_token(doc[ent.start - 1], ("SITE",))
            if site is None or site.end != ent.start:
                continue
            emit(doc, "PART_OF", ref(ent), ref(site), bounds, "pattern:site_body", 0.7)

    def _governance_parts(self, doc: Doc, sent: Span, bounds: tuple[int, int]) -> None:
        """"Site 2 was a Vanguard that was driven by a partnership board", "Site 4 ...
        began as a provider alliance, moving later into a provider board": the boards and
        alliances of a sentence that describes a numbered Site are PART_OF it."""
        for tok in sent:
            if tok.dep_ != "attr" or tok.lemma_.lower() not in self.lex.programme_member_heads:
                continue
            sites = [e for e in _ents(_subjects(tok.head), ("SITE",))
                     if any(ch.isdigit() for ch in e.text)]
            if not sites:
                continue
            clauses = [c for c in tok.children if c.dep_ in ("relcl", "acl")]
            for ent in ents_in([t for c in clauses for t in c.subtree], ("ORG",)):
                if ent[-1].lower_ not in self.lex.governance_heads:
                    continue
                props = ent._.props or {}
                if props.get("abbreviation") or props.get("org_type") not in (
                        None, "", "ALLIANCE", "BOARD", "VANGUARD"):
                    continue  # a named organisation type (STP, ICP) is no body of the site
                if ent.root.head.dep_ == "agent" and ent.root.head.head.lemma_.lower() in \
                        self.lex.lead:
                    continue  # "led by the partnership board": LEADS, not structure
                for site in sites:
                    emit(doc, "PART_OF", ref(ent), ref(site), bounds, "dep:site_body", 0.65)

    def _programme(self, doc: Doc, sent: Span, bounds: tuple[int, int]) -> None:
        """Sites and care-model types as parts of the national programme.

        "Site 1 was a MCP Vanguard" -> Site 1 PART_OF the programme (0.7); a care-model type
        named in a sentence that names the programme ("three types of New Care Models were
        established: MCPs, PACS ...") -> PART_OF the programme (0.6).
        """
        lex = self.lex
        ents = [e for e in doc.ents if e.start >= sent.start and e.end <= sent.end]
        programmes = [e for e in ents if e.label_ == "INITIATIVE"
                      and (e._.props or {}).get("category") == "programme"]
        emit_ = self._emitter(doc, bounds)
        national = [e for e in programmes if (e._.canonical or e.text) == lex.national_programme]
        if national:  # the care-model types belong to the national programme, not to any
            for e in ents:  # programme ("communities of practice" of the support programme)
                if e.label_ == "INITIATIVE" and (e._.props or {}).get("category") in \
                        lex.model_categories:
                    emit_("PART_OF", e, national[0], "cooccur:care_model", 0.6)
            for e in ents:  # "the Vanguards" of a sentence naming the programme are its sites
                if e.label_ == "SITE" and e.text.lower().endswith("vanguards") and not any(
                        ch.isdigit() for ch in e.text):
                    emit_("PART_OF", e, national[0], "cooccur:programme_sites", 0.55)
        if not lex.national_programme or not lex.programme_member_heads:
            return
        for tok in sent:
            if tok.dep_ != "attr" or tok.lemma_.lower() not in lex.programme_member_heads:
                continue
            if not any(c.dep_ == "det" and c.lower_ in ("a", "an", "one") for c in tok.children):
                continue
            for site in _ents(_subjects(tok.head), ("SITE",)):
                if programmes:
                    emit_("PART_OF", site, programmes[0], "dep:programme_member", 0.7)
                    continue
                base = doc._.offset or 0
                target = make_ref("INITIATIVE", tok.idx + base, tok.idx + len(tok.text) + base,
                                  tok.text, lex.national_programme,
                                  {"category": "programme", "scope": "national"})
                emit(doc, "PART_OF", ref(site), target, bounds, "dep:programme_member", 0.7)

    # ------------------------------------------------------------------ helpers

    @staticmethod
    def _compatible(old: Span, new: Span) -> bool:
        """Succession stays among organisations/sites or among initiatives."""
        if old.label_ == "INITIATIVE" or new.label_ == "INITIATIVE":
            return old.label_ == new.label_
        return True

    @staticmethod
    def _emitter(doc: Doc, bounds: tuple[int, int]):  # noqa: ANN205
        def _emit(rel: str, a: Span, b: Span, method: str, conf: float) -> None:
            if a.start == b.start:
                return
            emit(doc, rel, ref(a), ref(b), bounds, method, conf)
        return _emit


@Language.factory("actorgraph_rel_organisations", default_config={"lexicon": None})
def make_organisations_component(
    nlp: Language, name: str, lexicon: str | None
) -> OrganisationRelations:
    """spaCy factory: SUCCEEDED_BY, PART_OF, MEMBER_OF, PARTNER_OF, LEADS, FUNDS, COMMISSIONS."""
    return OrganisationRelations(OrganisationLexicon(lexicon))

