"""``SPREAD_TO``: an initiative moving from one site, organisation or place to another.

A spread statement needs a trigger (a verb such as "spread", "roll out", "scale
up", "extend", "adopt", "pick up", or a noun such as "roll-out"), an initiative
(an ``INITIATIVE`` entity in the trigger's subject or object, or — for "it" /
"this approach" — the last initiative of the previous sentences), where it went
(the object of "to", "into", "across", "via", ...; the adopter for "adopt" /
"pick up") and where it came from ("from X", the active subject, a site that
owns the initiative: "an initiative in site 3", or the last site named in the
previous sentences). A destination that is not an entity ("the rest of the CCG
area", "neighbouring practices") becomes a generic Place or Organisation.

``mode`` is ``scale-up`` when the trigger or the sentence says so ("scaled up",
"nationally", "national roll-out", "into the PCN contract", "Network Contract
DES", "across the country"), else ``spread``.

The relation carries ``properties["initiative"]`` (the initiative's mention,
which the assembly turns into the Initiative entity id; absent when the thing spread is
unnamed: "an initiative in site 3 was spread to ...") and ``mode``.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from actorgraph.extraction.mentions import MentionRef, RelationMention, doc_text, make_ref
from actorgraph.extraction.relations.base import (
    PLACE_LABELS,
    emit,
    ent_of_token,
    ents_in,
    find_phrases,
    index_ents,
    lemma_with_particle,
    load_lexicon,
    np_ref,
    phrase_set,
    ref,
    sent_bounds,
    subtree_ents,
)
from actorgraph.extraction.relations.org_patterns import code_site


class SpreadLexicon:
    """Word lists from ``data/spread.json``."""

    def __init__(self, path: str | None = None) -> None:
        data = load_lexicon("spread", path)
        self.verbs = set(data["verbs"])
        self.intransitive = set(data["intransitive_ok"])
        self.nouns = phrase_set(data["nouns"])
        self.adopting = set(data["adopting_verbs"])
        self.scale_up = phrase_set(data["scale_up_cues"])
        self.target_preps = set(data["target_preps"])
        self.source_preps = set(data["source_preps"])
        self.place_heads = set(data["place_heads"])
        self.org_heads = set(data["org_heads"])
        self.negative_objects = set(data["negative_objects"])
        self.contract_heads = set(data["contract_heads"])
        self.national = phrase_set(data["national_cues"])
        self.national_name = str(data["national_name"])
        self.elsewhere_verbs = set(data.get("elsewhere_verbs", []))
        self.elsewhere_mods = set(data.get("elsewhere_modifiers", []))
        self.wish_words = set(data.get("wish_words", []))
        self.origin_verbs = set(data.get("origin_verbs", []))
        self.area_anaphors = set(data.get("area_anaphors", []))
        self.area_org_types = set(data.get("area_org_types", []))
        self.reuse_verbs = set(data.get("reuse_verbs", []))
        self.policy_heads = set(data.get("policy_heads", []))
        self.comparison_preps = set(data.get("comparison_preps", []))
        self.member_heads = set(data.get("member_heads", []))


_PRONOUNS = {"it", "this", "that", "they", "these", "them"}
_DEFINITE = {"this", "that", "these", "those", "the", "its", "their", "our", "such"}
#: Heads of an unnamed initiative that may stand as the thing spread ("an initiative in
#: site 3 was spread to ...", "the pharmacist post has spread to the local region").
_UNNAMED_HEADS = {"initiative", "initiatives", "post", "posts", "role", "training", "practice",
                  "learning", "lesson", "lessons", "innovation", "innovations", "element",
                  "elements", "model", "models", "scheme", "schemes", "service", "services",
                  "influence", "learnings", "forum", "forums", "fora", "toolkit", "toolkits",
                  "guide", "guides"}
_ANAPHOR_HEADS = {"approach", "model", "initiative", "scheme", "service", "pathway",
                  "programme", "intervention", "idea", "project", "work"}


class SpreadRelations:
    """Pipeline component: SPREAD_TO mentions."""

    def __init__(self, lexicon: SpreadLexicon, context_sentences: int) -> None:
        self.lex = lexicon
        self.context = context_sentences

    def __call__(self, doc: Doc) -> Doc:
        """Append SPREAD_TO mentions to ``doc._.relations``."""
        index_ents(doc)
        sents = list(doc.sents)
        self._last: tuple[int, Span | None, MentionRef] | None = None
        self._origins = self._find_origins(doc)
        self._summaries: list[tuple[int, RelationMention]] = []
        for k, sent in enumerate(sents):
            self._k = k
            previous = sents[max(0, k - self.context) : k]
            before = len(doc._.relations or [])
            for trigger in self._triggers(sent):
                self._from_trigger(doc, sent, trigger, previous)
            self._similar(doc, sent)
            self._reused(doc, sent)
            self._policy(doc, sent, previous)
            self._drop_summaries(doc, k, (doc._.relations or [])[before:])
        return doc

    def _drop_summaries(self, doc: Doc, k: int, new: list[RelationMention]) -> None:
        """A generic destination announced before a colon ("this approach had spread to other
        areas:") gives way to the named destinations that follow it from the same source
        ("[area a] has picked it up"): the summary is dropped once they come."""
        rels = doc._.relations or []
        base = doc._.offset or 0
        for rel in new:
            tail = doc_text(doc)[rel.target.end - base :].lstrip(" ")
            if rel.type == "SPREAD_TO" and rel.target.properties.get("generic") and \
                    tail.startswith(":"):
                self._summaries.append((k, rel))
        self._summaries = [(j, r) for j, r in self._summaries if k - j <= self.context + 1]
        for j, summary in list(self._summaries):
            if any(r.type == "SPREAD_TO" and not r.target.properties.get("generic")
                   and r.target.start > summary.target.end
                   and r.source.canonical == summary.source.canonical for r in new):
                if summary in rels:
                    rels.remove(summary)
                self._summaries.remove((j, summary))

    # ------------------------------------------------------------------ context

    def _find_origins(self, doc: Doc) -> dict[str, MentionRef]:
        """Where each initiative of the chunk is said to come from: "the Buurtzorg model
        originating in the Netherlands", "an MDT approach developed in Site 1" (first
        statement wins). A later spread of the same initiative that names no source takes
        this one."""
        out: dict[str, MentionRef] = {}
        for ent in doc.ents:
            if ent.label_ != "INITIATIVE":
                continue
            key = (ent._.canonical or ent.text).lower()
            if key in out:
                continue
            verbs = [c for c in ent.root.children if c.dep_ == "acl"]
            if ent.end < len(doc) and doc[ent.end].tag_ in ("VBG", "VBN"):
                verbs.append(doc[ent.end])  # "the X model originating in ..." (any attachment)
            for verb in verbs:
                if verb.lemma_.lower() not in self.lex.origin_verbs:
                    continue
                for prep in verb.children:
                    if prep.dep_ == "prep" and prep.lower_ in ("in", "from", "at"):
                        found = subtree_ents(prep, ("PLACE", "SITE"))
                        if found:
                            out[key] = ref(found[0])
                            break
                if key in out:
                    break
        return out

    def _reused(self, doc: Doc, sent: Span) -> None:
        """An adopter taking up what the last spread statement spread, named by an anaphor:
        "... Health and Wellbeing Boards had reported that they had implemented the scheme
        in their area", "the council now runs it too" (0.5, same initiative and source)."""
        recent = self._recent()
        if recent is None or self._last is None or self._last[0] == self._k:
            return
        for verb in sent:
            if verb.lemma_.lower() not in self.lex.reuse_verbs or _negated(verb) or \
                    _wished(verb, self.lex.wish_words):
                continue
            objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")]
            if not any(_is_anaphor(o) for o in objs):
                continue
            subj = next((c for c in verb.children if c.dep_ == "nsubj"), None)
            if subj is None:
                continue
            adopters = [e for e in subtree_ents(subj, PLACE_LABELS)]
            if not adopters and subj.lower_ in ("they", "these", "those") and \
                    verb.dep_ in ("ccomp", "conj"):
                # "40% of the Boards reported that they had implemented it"
                up = [c for c in verb.head.children if c.dep_ == "nsubj"]
                adopters = [e for u in up for e in subtree_ents(u, PLACE_LABELS)]
            if not adopters:
                continue
            initiative, source = recent
            extra = {"initiative": ref(initiative)} if initiative is not None else {}
            for adopter in adopters:
                target = ref(adopter)
                if _same_place(target, source):
                    continue
                mode = "scale-up" if self._is_scale_up(sent, "") else "spread"
                emit(doc, "SPREAD_TO", source, target, sent_bounds(sent),
                     "dep:spread+reused", 0.5, mode=mode, **extra)

    def _policy(self, doc: Doc, sent: Span, previous: list[Span]) -> None:
        """Scale-up by becoming national policy: "everything we had been doing ... is now
        national policy", "the model became national policy" (source: the speaker's site
        or the site of the context; target: the country)."""
        for tok in sent:
            if tok.lemma_.lower() not in self.lex.policy_heads or tok.dep_ not in (
                    "attr", "oprd", "acomp"):
                continue
            if not any(c.dep_ == "amod" and c.lower_ in ("national", "government")
                       for c in tok.children):
                continue
            verb = tok.head
            if verb.lemma_.lower() not in ("be", "become") or _negated(verb) or \
                    _wished(verb, self.lex.wish_words):
                continue
            if any(c.dep_ == "aux" and c.lower_ in ("could", "would", "should", "might", "may")
                   for c in verb.children):
                continue
            subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is None:
                continue
            found = subtree_ents(subj, ("INITIATIVE",))
            work = subj.lemma_.lower() in _ANAPHOR_HEADS | _UNNAMED_HEADS | _WORK_WORDS
            if not found and not work:
                continue
            source = self._speaker_site(sent) or self._context_site(sent, tok, previous)
            if source is None:
                continue
            start = min(c.i for c in tok.children if c.dep_ == "amod")
            span = doc[start : tok.i + 1]
            base = doc._.offset or 0
            target = make_ref("PLACE", span.start_char + base, span.end_char + base, span.text,
                              self.lex.national_name,
                              {"place_type": "country", "level": "national"})
            extra = {"initiative": ref(found[0])} if found else {}
            emit(doc, "SPREAD_TO", source, target, sent_bounds(sent), "dep:spread+policy",
                 0.6, mode="scale-up", **extra)

    def _speaker_site(self, sent: Span) -> MentionRef | None:
        """The site of the respondent code that attributes the sentence ("(S2R01)")."""
        for ent in ents_in(sent, ("PERSON",)):
            site = code_site(ent)
            if site is not None:
                return site
        return None

    def _context_site(self, sent: Span, trig: Token, previous: list[Span]) -> MentionRef | None:
        """The last numbered site named before ``trig`` (this sentence or the context)."""
        before = ents_in([t for t in sent if t.i < trig.i], ("SITE",))
        pool = [e for s in previous for e in ents_in(s, ("SITE",))] + before
        pool = [e for e in pool if not self._compared(e)]
        named = [e for e in pool if any(ch.isdigit() for ch in e.text)]
        return ref(named[-1]) if named else None

    def _compared(self, ent: Span) -> bool:
        """A site named only as a comparison ("like the Vanguards, it ...")."""
        root = ent.root
        return root.dep_ == "pobj" and root.head.lower_ in self.lex.comparison_preps

    def _area_body(self, head: Token, sent: Span, previous: list[Span]) -> MentionRef | None:
        """"across the area" with nothing else said: the area of the body the context is
        about (the last ICS/STP/CCG-like organisation named in this or the previous
        sentences), else ``None``."""
        if head.lower_ not in self.lex.area_anaphors:
            return None
        mods = [c for c in head.children if c.dep_ not in ("punct",)]
        if [c.lower_ for c in mods] != ["the"]:
            return None
        before = ents_in([t for t in sent if t.i < head.i], ("ORG",))
        pool = [e for s in previous for e in ents_in(s, ("ORG",))] + before
        pool = [e for e in pool
                if str((e._.props or {}).get("org_type", "")).upper() in self.lex.area_org_types]
        return _latest_name(pool[-1]) if pool else None

    def _recent(self) -> tuple[Span | None, MentionRef] | None:
        """The initiative and source of the last spread statement, when it is close enough
        for "it" to refer to the same thing ("... [area a] has picked it up")."""
        if self._last is None or self._k - self._last[0] > self.context + 2:
            return None
        return self._last[1], self._last[2]

    def _similar(self, doc: Doc, sent: Span) -> None:
        """Hedged spread: "[area b] have something similar (to it)", "X now has a similar
        scheme" right after a spread statement: same initiative and source (0.5)."""
        recent = self._recent()
        if recent is None:
            return
        for tok in sent:
            if tok.lemma_.lower() not in ("have", "run", "use", "develop", "introduce") or \
                    _negated(tok):
                continue
            obj = next((c for c in tok.children if c.dep_ == "dobj" and any(
                a.dep_ == "amod" and a.lower_ == "similar" for a in c.children)), None)
            if obj is None:
                continue
            adopter = next((ent_of_token(c, PLACE_LABELS) for c in tok.children
                            if c.dep_ == "nsubj" and ent_of_token(c, PLACE_LABELS)), None)
            if adopter is None:  # a bracketed name the parser left unattached
                near = [e for e in ents_in(sent, PLACE_LABELS)
                        if e.end <= tok.i and tok.i - e.end <= 2]
                adopter = near[-1] if near else None
            if adopter is None:
                continue
            initiative, source = recent
            target = ref(adopter)
            if (target.start, target.end) == (source.start, source.end):
                continue
            extra = {"initiative": ref(initiative)} if initiative is not None else {}
            emit(doc, "SPREAD_TO", source, target, sent_bounds(sent), "dep:spread+similar",
                 0.5, mode="spread", **extra)

    # ------------------------------------------------------------------ triggers

    def _triggers(self, sent: Span) -> list[Token]:
        out = []
        for tok in sent:
            if tok.pos_ in ("VERB", "AUX") or tok.tag_.startswith("VB"):
                lem = lemma_with_particle(tok)
                if lem in self.lex.verbs or tok.lemma_.lower() in self.lex.verbs:
                    out.append(tok)
                elif self._elsewhere(tok):
                    out.append(tok)
        for start, _end, _p in find_phrases(list(sent), self.lex.nouns):
            tok = sent.doc[start]
            if tok.pos_ in ("NOUN", "PROPN") or tok.dep_ in ("pobj", "dobj", "nsubj", "compound"):
                if tok not in out:
                    out.append(tok)
        return out

    def _elsewhere_targets(self, verb: Token) -> list[Token]:
        """Destinations of an implementing verb that point elsewhere: "set up MDTs across a
        wider geographical area", "were implemented in the neighbouring region"."""
        lex = self.lex
        if lemma_with_particle(verb) not in lex.elsewhere_verbs and \
                verb.lemma_.lower() not in lex.elsewhere_verbs:
            return []
        out = []
        for prep in verb.children:
            if prep.dep_ != "prep" or prep.lower_ not in lex.target_preps:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj" or pobj.lower_ not in lex.place_heads | lex.org_heads:
                    continue
                if any(c.dep_ in ("amod", "compound") and c.lower_ in lex.elsewhere_mods
                       for c in pobj.children):
                    out.append(pobj)
        return out

    def _elsewhere(self, verb: Token) -> bool:
        return bool(self._elsewhere_targets(verb))

    def _from_trigger(self, doc: Doc, sent: Span, trig: Token, previous: list[Span]) -> None:
        lex = self.lex
        lemma = lemma_with_particle(trig)
        base = trig.lemma_.lower()
        verbal = trig.pos_ in ("VERB", "AUX") or trig.tag_.startswith("VB")
        if verbal and _negated(trig):
            return
        if _wished(trig, lex.wish_words):
            return  # "has aspirations to roll out X", "hoped to spread it"
        if not verbal and _hypothetical(trig):
            return  # "held the belief that a national roll out was possible"
        objects = [c for c in trig.children if c.dep_ in ("dobj", "nsubjpass")]
        subjects = [c for c in trig.children if c.dep_ == "nsubj"]
        if not objects and not subjects and trig.dep_ in ("xcomp", "conj"):
            inherited = [c for c in trig.head.children if c.dep_ in ("nsubj", "nsubjpass")]
            up = trig.head
            for _ in range(2):  # "X ..., and hence was reported to be rolling out ..."
                if inherited or up.dep_ not in ("xcomp", "conj") or up.head is up:
                    break
                up = up.head
                inherited = [c for c in up.children if c.dep_ in ("nsubj", "nsubjpass")]
            local = _surface_subject(trig) if trig.dep_ == "conj" else None
            if local is not None:  # "..., and elements of X are being rolled out"
                inherited = [local]
            if lemma_with_particle(trig) in self.lex.intransitive or any(
                    c.dep_ == "auxpass" for c in trig.children):
                objects = inherited
            else:
                subjects = inherited
        if verbal and trig.dep_ == "acl" and not objects and not subjects:
            # "initiatives ... being passed over to the STP" / "practices adopting the MDT"
            (objects if trig.tag_ == "VBN" else subjects).append(trig.head)
        objects = [_antecedent(t, trig) for t in objects]
        subjects = [_antecedent(t, trig) for t in subjects]
        if not subjects and trig.dep_ in ("xcomp", "conj") and verbal and not any(
                c.dep_ == "auxpass" for c in trig.children):
            # "the STP was reported to have adopted X", "Site 3 developed X and spread it"
            subjects = [c for c in trig.head.children if c.dep_ in ("nsubj", "nsubjpass")]
        for o in objects:
            if o.lemma_.lower() in lex.negative_objects:
                return
        confidence = 0.85
        method = "dep:spread"
        # --- initiative
        initiative: Span | None = None
        unnamed_head: Token | None = None
        recent_source: MentionRef | None = None
        for slot in (objects, subjects,
                     [c for c in trig.children if c.dep_ == "prep" and c.lower_ == "of"]):
            for tok in slot:
                found = subtree_ents(tok, ("INITIATIVE",))
                if found:
                    initiative = found[0]
                    break
            if initiative is not None:
                break
        if initiative is None and not verbal and trig.head.pos_ in ("VERB", "AUX"):
            found = ents_in([c for c in trig.head.children if c.dep_ in ("nsubj", "nsubjpass")
                             for c in c.subtree], ("INITIATIVE",))
            initiative = found[0] if found else None
        if initiative is None:
            anaphor = [t for t in objects + subjects if t.lower_ in _PRONOUNS or (
                t.lemma_.lower() in _ANAPHOR_HEADS
                and any(c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in t.children))]
            found = [e for s in previous for e in ents_in(s, ("INITIATIVE",))]
            before = ents_in([t for t in sent if t.i < trig.i], ("INITIATIVE",))
            pool = found + before
            recent = self._recent()
            if anaphor and pool:
                initiative = pool[-1]
                confidence -= 0.25
                method = "dep:spread+context"
            elif anaphor and recent is not None and any(t.lower_ in _PRONOUNS for t in anaphor):
                initiative, recent_source = recent  # "it" continues the last spread statement
                confidence -= 0.3
                method = "dep:spread+previous"
            else:
                # An unnamed initiative ("an initiative in site 3 was spread to ...",
                # "the community pharmacist post has spread to ..."): no initiative property.
                slots = objects + subjects
                if not verbal or trig.tag_ == "VBG":  # "spreading of lessons into ICSs"
                    slots += [g for c in trig.children if c.dep_ == "prep" and c.lower_ == "of"
                              for g in c.children if g.dep_ == "pobj"]
                unnamed = [t for t in slots
                           if t.lemma_.lower() in _ANAPHOR_HEADS | _UNNAMED_HEADS]
                if not unnamed:
                    return
                unnamed_head = unnamed[0]
                confidence -= 0.2
                method = "dep:spread+unnamed"
        # --- destinations
        targets: list[MentionRef] = []
        preps = [c for c in trig.children if c.dep_ == "prep" and c.lower_ in lex.target_preps]
        advmods = [c for c in trig.children if c.dep_ == "advmod"]
        for adv in advmods:  # "more widely across the region"
            preps.extend(c for c in adv.children if c.dep_ == "prep"
                         and c.lower_ in lex.target_preps)
        elsewhere = set(self._elsewhere_targets(trig)) if verbal else set()
        for prep in preps:
            if prep.lower_ == "in" and lemma not in ("roll out", "adopt", "take up", "pick up",
                                                     "replicate", "embed") and not elsewhere:
                continue
            for pobj in [c for c in prep.children if c.dep_ == "pobj"]:
                listed = [ref(e) for c in pobj.children  # "other locations, including site 4"
                          if c.dep_ == "prep" and c.lower_ in ("including", "like", "such")
                          for e in subtree_ents(c, PLACE_LABELS)]
                if not listed:  # "including site (4)": a site code the entities missed
                    listed = [r for c in pobj.children
                              if c.dep_ == "prep" and c.lower_ in ("including", "like", "such")
                              for r in _site_codes(c)]
                targets.extend(listed)
                appos = [c for c in pobj.children if c.dep_ == "appos"]  # "a wave, the ICS"
                for head in [pobj, *pobj.conjuncts, *appos]:
                    if elsewhere and head not in elsewhere:
                        continue
                    body = self._area_body(head, sent, previous)
                    target = body or self._endpoint(head, exclude=initiative)
                    if target is not None and not (listed and target.properties.get("generic")):
                        targets.append(target)
                        if body is not None:
                            method += "+area_context"
                            confidence -= 0.15
                        targets.extend(self._list_mates(head))
        adopter_source = None
        if lemma in lex.adopting or base in lex.adopting:
            agents = [p for c in trig.children if c.dep_ == "agent"
                      for p in c.children if p.dep_ == "pobj"]
            for s in subjects + agents:
                for head in [s, *s.conjuncts]:
                    t = self._endpoint(head, exclude=initiative)
                    if t is not None:
                        targets.append(t)
        else:
            for s in subjects:
                e = ent_of_token(s, PLACE_LABELS)
                if e is not None:
                    adopter_source = ref(e)
        if not targets and self._is_national(sent):
            targets.append(self._national_target(sent))
        if not targets:
            return
        # --- source
        source = None
        for prep in [c for c in trig.children if c.dep_ == "prep" and c.lower_ in lex.source_preps]:
            for pobj in [c for c in prep.children if c.dep_ == "pobj"]:
                source = self._endpoint(pobj, exclude=initiative)
        if source is None and adopter_source is not None:
            source = adopter_source
        if source is None and recent_source is not None:
            source = recent_source
        if source is None:
            owned = initiative if initiative is not None else (
                doc[unnamed_head.i : unnamed_head.i + 1] if unnamed_head is not None else None)
            source = self._owner(owned) if owned is not None else None
            if source is not None:
                confidence -= 0.1
        if source is None and initiative is not None:
            source = self._origins.get((initiative._.canonical or initiative.text).lower())
            if source is not None:
                confidence -= 0.2
                method += "+origin"
        if source is None:
            before = ents_in([t for t in sent if t.i < trig.i], ("SITE",))
            pool = [e for s in previous for e in ents_in(s, ("SITE",))] + before
            pool = [e for e in pool if not self._compared(e)]
            if not pool:
                return
            named = [e for e in pool if any(ch.isdigit() for ch in e.text)]
            source = ref((named or pool)[-1])  # "in site 1, local Vanguard members ..."
            confidence -= 0.3
            method += "+source_context"
        source = self._specific_site(doc, source, sent)
        mode = "scale-up" if self._is_scale_up(sent, lemma) else "spread"
        extra = {"initiative": ref(initiative)} if initiative is not None else {}
        for target in targets:
            if _same_place(target, source):
                continue
            emit(doc, "SPREAD_TO", source, target, sent_bounds(sent), method,
                 max(0.3, confidence), mode=mode, **extra)
        self._last = (self._k, initiative, source)

    # ------------------------------------------------------------------ helpers

    def _endpoint(self, head: Token, exclude: Span | None) -> MentionRef | None:
        """Where a spread went: an entity at ``head``, or a generic place/organisation."""
        ent = ent_of_token(head, PLACE_LABELS)
        doc = head.doc
        if ent is not None and ent.start >= 2 and doc[ent.start - 1].text in ("-", "–") and \
                doc[ent.start - 2].lower_ == "non":
            ent = None  # "non-Vanguard sites" are not the Vanguard sites
        elif ent is not None:
            return ref(ent)
        if ent_of_token(head, ("INITIATIVE", "PERSON", "ROLE")) is not None:
            return None
        inner = self._compound_ent(head)
        if inner is not None:  # "learning disability home workers": the homes
            return ref(inner)
        low = head.lower_
        if low in self.lex.contract_heads:
            inner = subtree_ents(head, ("ORG",))
            return ref(inner[0]) if inner else None
        if low in self.lex.place_heads or low in self.lex.org_heads:
            inner = [e for e in subtree_ents(head, PLACE_LABELS)
                     if exclude is None or e.start != exclude.start]
            if low in ("rest", "part", "parts", "whole") and not inner:
                return None
            label = "PLACE" if low in self.lex.place_heads else "ORG"
            return np_ref(head, label)
        return None

    def _compound_ent(self, head: Token) -> Span | None:
        """An organisation or place named as the modifier of a noun for its people ("care home
        staff", "GP practice teams"): the entity ends right before ``head``."""
        if head.lemma_.lower() not in self.lex.member_heads or head.i == 0:
            return None  # "in the care home setting" is no care home
        ent = ent_of_token(head.doc[head.i - 1], PLACE_LABELS)
        if ent is None or ent.end != head.i or ent.root.head != head:
            return None
        return ent

    def _list_mates(self, head: Token) -> list[MentionRef]:
        """The other members of a list that shares one head noun with an entity: "to
        residential, nursing and learning disability home workers" -> residential home,
        nursing home (besides the learning disability home itself)."""
        ent = ent_of_token(head, PLACE_LABELS)
        if ent is None:
            ent = self._compound_ent(head)
        if ent is None or len(ent) < 2:
            return []
        noun = ent[-1]
        if noun.lower_ not in self.lex.org_heads | self.lex.place_heads:
            return []
        doc = head.doc
        j = ent.start - 1
        if j < 1 or doc[j].lower_ not in ("and", "or"):
            return []
        mates: list[Token] = []
        j -= 1
        while j >= 0:
            tok = doc[j]
            if not tok.is_alpha or tok.pos_ not in ("ADJ", "NOUN", "PROPN", "VERB") or \
                    ent_of_token(tok) is not None:
                break
            mates.append(tok)
            if j >= 1 and doc[j - 1].text == ",":
                j -= 2
                continue
            break
        if not mates:
            return []
        base = doc._.offset or 0
        props = dict(ent._.props or {})
        props["generic"] = True
        out = []
        for tok in reversed(mates):
            name = f"{tok.text} {noun.lemma_.lower()}"
            out.append(make_ref(ent.label_, tok.idx + base, tok.idx + len(tok.text) + base,
                                tok.text, name, props))
        return out

    def _owner(self, initiative: Span) -> MentionRef | None:
        """The site/organisation an initiative belongs to ("an initiative in site 3")."""
        doc = initiative.doc
        prev = initiative.start - 1
        if prev >= 0 and doc[prev].lower_ in ("'s", "’s"):
            prev -= 1
        if prev >= 0:
            e = ent_of_token(doc[prev], ("SITE", "ORG"))
            if e is not None and e.end >= initiative.start - 1:
                return ref(e)
        children = list(initiative.root.children)
        children += [g for c in children if c.dep_ == "acl" for g in c.children]
        for c in children:
            if c.dep_ == "prep" and c.lower_ in ("in", "at", "from", "of", "by", "under"):
                found = subtree_ents(c, ("SITE", "ORG"))
                if found:
                    return ref(found[0])
        head = initiative.root.head
        if initiative.root.dep_ in ("nsubj", "nsubjpass"):
            for c in head.children:
                if c.dep_ == "prep" and c.lower_ in ("in", "at") and c.i < initiative.start:
                    found = subtree_ents(c, ("SITE",))
                    if found:
                        return ref(found[0])
        return None

    def _specific_site(self, doc: Doc, source: MentionRef, sent: Span) -> MentionRef:
        """"the Vanguard" (singular, definite) as a source is the site under discussion:
        the last numbered/named Site of the sentence or the ``site_context`` before it."""
        if source.label != "SITE" or any(ch.isdigit() for ch in source.canonical):
            return source
        base = doc._.offset or 0
        start = source.start - base
        if doc_text(doc)[source.end - base:source.end - base + 2] in ("'s", "’s"):
            return source  # "the Vanguard's": often a plural
        words = doc_text(doc)[max(0, start - 12):start].lower().split()
        if source.text.lower().rstrip().endswith("s") or not words or words[-1] not in (
                "the", "this", "our", "their", "local", "that"):
            return source
        first = max(0, sent.start - 400)
        pool = [e for e in ents_in(doc[first:sent.end], ("SITE",))
                if e.start_char < start and any(ch.isdigit() for ch in (e._.canonical or e.text))]
        if not pool:
            return source
        return ref(pool[-1])

    def _is_national(self, sent: Span) -> bool:
        return bool(find_phrases(list(sent), self.lex.national))

    def _national_target(self, sent: Span) -> MentionRef:
        """The country as a whole, anchored on the cue that says so ("nationally")."""
        start, end, _p = find_phrases(list(sent), self.lex.national)[0]
        span = sent.doc[start:end]
        base = sent.doc._.offset or 0
        return make_ref("PLACE", span.start_char + base, span.end_char + base, span.text,
                        self.lex.national_name, {"place_type": "country", "level": "national"})

    def _is_scale_up(self, sent: Span, lemma: str) -> bool:
        if lemma in ("scale up", "scale"):
            return True
        return bool(find_phrases(list(sent), self.lex.scale_up))


#: Subjects that stand for work done ("everything we had been doing is now national policy").
_WORK_WORDS = {"everything", "work", "what", "all", "much", "most", "this", "it", "that"}


def _latest_name(ent: Span) -> MentionRef:
    """"STP/ICS": a body named by its old and new names is the new one (the ICS)."""
    text = ent.text
    cut = text.rfind("/")
    last = text[cut + 1 :].strip()
    if cut < 0 or not last:
        return ref(ent)
    start = ent.start_char + text.index(last, cut)
    base = ent.doc._.offset or 0
    return make_ref(ent.label_, start + base, start + len(last) + base, last, last,
                    dict(ent._.props or {}))


def _is_anaphor(tok: Token) -> bool:
    """"it", "this", or a definite initiative-like noun ("the scheme", "this approach")."""
    if tok.lower_ in _PRONOUNS:
        return True
    return tok.lemma_.lower() in _ANAPHOR_HEADS and any(
        c.dep_ in ("det", "poss") and c.lower_ in _DEFINITE for c in tok.children)


def _wished(tok: Token, words: set[str]) -> bool:
    """A trigger governed by a wish: "has aspirations to roll out", "hoped to spread"."""
    t = tok
    for _ in range(3):
        if t.dep_ not in ("xcomp", "acl", "advcl", "relcl", "ccomp", "conj") or t.head is t:
            return False
        t = t.head
        if t.lemma_.lower() in words or t.lower_ in words:
            return True
    return False


def _same_place(a: MentionRef, b: MentionRef) -> bool:
    """The same span, or the same name (a list member that is the source itself)."""
    return (a.start, a.end) == (b.start, b.end) or (
        a.label == b.label and a.canonical.lower() == b.canonical.lower())


def _surface_subject(verb: Token) -> Token | None:
    """The noun phrase right before a coordinated verb's auxiliaries, when the parser
    attached it elsewhere ("X was done, and elements of Y are being rolled out")."""
    auxes = [c.i for c in verb.children if c.dep_ in ("aux", "auxpass") and c.i < verb.i]
    first = min(auxes, default=verb.i)
    if first == 0:
        return None
    tok = verb.doc[first - 1]
    if tok.pos_ not in ("NOUN", "PROPN"):
        return None
    while tok.dep_ in ("pobj", "prep", "compound") and tok.head.i < tok.i:
        tok = tok.head
    return tok if tok.pos_ in ("NOUN", "PROPN") and tok.i > verb.head.i else None


_SITE_CODE = re.compile(r"\b[Ss]ite\s*\(?\s*(\d{1,2}|[A-Z])\s*\)?(?![\w])")


def _site_codes(tok: Token) -> list[MentionRef]:
    """Site codes written out in ``tok``'s subtree ("site (4)", "Site 2") as Site mentions."""
    doc = tok.doc
    sub = list(tok.subtree)
    start, end = sub[0].idx, sub[-1].idx + len(sub[-1].text)
    base = doc._.offset or 0
    out = []
    for m in _SITE_CODE.finditer(doc_text(doc), start, end):
        out.append(make_ref("SITE", m.start() + base, m.end() + base, m.group(0),
                            f"Site {m.group(1)}", {"site_code": f"Site {m.group(1)}"}))
    return out


def _antecedent(tok: Token, verb: Token) -> Token:
    """The noun a relative pronoun stands for ("new services, which were ... rolled out")."""
    if tok.lower_ not in ("which", "that", "who"):
        return tok
    v = verb
    for _ in range(4):
        if v.dep_ == "relcl":
            return _before_parenthesis(tok) or v.head
        if v.dep_ not in ("conj", "xcomp") or v.head is v:
            break
        v = v.head
    return tok


_HYPOTHETICAL = {"possible", "feasible", "likely", "desirable", "conceivable", "achievable",
                 "plausible", "hoped", "envisaged"}


def _hypothetical(noun: Token) -> bool:
    """A nominal trigger that is only said to be possible: "a national roll out was
    possible", "a roll-out would be feasible"."""
    if noun.dep_ not in ("nsubj", "nsubjpass"):
        return False
    verb = noun.head
    return any(c.dep_ in ("acomp", "attr") and c.lower_ in _HYPOTHETICAL for c in verb.children)


def _before_parenthesis(pronoun: Token) -> Token | None:
    """"co-ordinators (a feature of the model) who were ...": a relative pronoun right after
    a parenthesis stands for the noun before the parenthesis."""
    doc = pronoun.doc
    if pronoun.i < 2 or doc[pronoun.i - 1].text != ")":
        return None
    depth = 0
    for j in range(pronoun.i - 1, max(pronoun.i - 30, 0), -1):
        depth += {")": 1, "(": -1}.get(doc[j].text, 0)
        if depth == 0:
            prev = doc[j - 1] if j > 0 else None
            return prev if prev is not None and prev.pos_ in ("NOUN", "PROPN") else None
    return None


def _negated(tok: Token) -> bool:
    t = tok
    for _ in range(3):
        if any(c.dep_ == "neg" for c in t.children):
            return True
        if t.dep_ in ("xcomp", "conj") and t.head != t:
            t = t.head
        else:
            break
    return False


@Language.factory(
    "actorgraph_rel_spread",
    default_config={"lexicon": None, "context_sentences": 2},
)
def make_spread_component(
    nlp: Language, name: str, lexicon: str | None, context_sentences: int
) -> SpreadRelations:
    """spaCy factory: SPREAD_TO (initiative, from, to, mode)."""
    return SpreadRelations(SpreadLexicon(lexicon), int(context_sentences))


def describe(rel: Any) -> str:
    """One-line text of a SPREAD_TO mention (for debugging and docs)."""
    p = rel.properties
    init = p.get("initiative")
    name = getattr(init, "canonical", init)
    return f"{name}: {rel.source.canonical} -> {rel.target.canonical} ({p.get('mode')})"
