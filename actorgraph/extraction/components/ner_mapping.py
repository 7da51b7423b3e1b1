"""Map the stock NER's labels to the graph's and drop its noise.

ORG stays ORG (unless it is debris such as "Table 3", a journal, a lower-case phrase);
GPE/LOC become PLACE; PERSON stays only when it looks like a person's name (two or more
name-shaped words, or a title such as "Dr" before it); every other label is dropped.
Runs right after the stock ``ner`` so that later components see the graph's labels.
"""

from __future__ import annotations

import re
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from actorgraph.extraction.components.entity_merge import label_span, normalise_name
from actorgraph.extraction.mentions import doc_text

_JUNK_ORG = re.compile(
    r"^(?:table|figure|fig|box|appendix|section|chapter|page|annex|phase|theme|wave|type|"
    r"doi|http|www|journal|vol)\b|\d|journal|press|et al|@|[()\[\]]|\w\.\w",
    re.IGNORECASE,
)
_NOT_ACRONYMS = {"PI", "FGD", "PPIE", "UK", "GP", "MDT", "QOF", "HR", "IT", "OK", "TV", "PDF",
                 "NB", "AND", "THE", "OF"}
_NOT_NAMES = {"appendix", "table", "figure", "section", "chapter", "box", "annex", "part", "phase",
              "site", "type", "group", "model", "wave", "case", "study", "theme", "vanguard",
              "care", "health", "trust", "england", "nhs", "programme", "board", "team"}
_SECTOR_WORDS = {"primary", "secondary", "acute", "community", "social", "care", "health",
                 "healthcare", "services", "service", "integrated", "integration", "mental",
                 "urgent", "emergency", "and", "of", "the", "public", "general", "practice",
                 "new", "model", "models", "local", "national", "system", "systems", "&"}
_CASE_MIX = re.compile(r"\b(?!Mc|Mac)[A-Za-z]*[a-z][A-Z]")
_TITLES = {"dr", "dr.", "professor", "prof", "prof.", "mr", "mrs", "ms", "miss", "sir", "dame",
           "lord", "baroness", "lady", "cllr", "councillor"}
_NAME_WORD = re.compile(
    r"^(?:[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?|[A-Z]\.?|Mc[A-Z][a-z]+|O'[A-Z][a-z]+)$")
_ORG_HEADS: list[tuple[re.Pattern[str], dict[str, Any]]] = [
    (re.compile(p, re.IGNORECASE), props)
    for p, props in [
        (r"\bCCG\b|clinical commissioning group",
         {"org_type": "CCG", "sector": "NHS", "level": "place"}),
        (r"\b(?:NHS )?(?:foundation )?trust\b|\bhospitals?\b",
         {"org_type": "NHS_TRUST", "sector": "NHS", "level": "place"}),
        (r"\bcouncil\b|\bauthority\b",
         {"org_type": "LOCAL_AUTHORITY", "sector": "LOCAL_GOVERNMENT", "level": "place"}),
        (r"\buniversity\b|\bcollege\b|\bschool of\b|\binstitute\b",
         {"org_type": "ACADEMIC", "sector": "ACADEMIC", "level": "national"}),
        (r"\bcharity\b|\bhospice\b|\bage uk\b|\bfoundation\b",
         {"org_type": "VOLUNTARY", "sector": "VOLUNTARY", "level": "place"}),
        (r"\bpractice\b|\bsurgery\b|\bmedical centre\b",
         {"org_type": "GP_PRACTICE", "sector": "NHS", "level": "neighbourhood"}),
        (r"\bfederation\b", {"org_type": "GP_FEDERATION", "sector": "NHS", "level": "place"}),
        (r"\bpartnership\b|\balliance\b|\bnetwork\b",
         {"org_type": "ALLIANCE", "sector": "NHS", "level": "system"}),
    ]
]


def org_props(text: str) -> dict[str, Any]:
    """Guess ``org_type``/``sector``/``level`` of a named organisation from its head words."""
    for pattern, props in _ORG_HEADS:
        if pattern.search(text):
            return dict(props)
    return {"org_type": "OTHER"}


def looks_like_person(span: Span) -> bool:
    """Two or more name-shaped words, or one after a title ("Dr Smith")."""
    words = [t.text for t in span if not t.is_punct]
    if not words or any(ch.isdigit() for ch in span.text) or "\n" in span.text:
        return False
    if any(w.lower() in _NOT_NAMES for w in words):
        return False
    if words[0].lower() in _TITLES:
        return len(words) >= 2 and all(_NAME_WORD.match(w) for w in words[1:])
    before = span.doc[span.start - 1].lower_ if span.start > 0 else ""
    if before in _TITLES:
        return all(_NAME_WORD.match(w) for w in words)
    return 2 <= len(words) <= 4 and all(_NAME_WORD.match(w) for w in words) and any(
        len(w) > 2 for w in words)


def _whole_line(span: Span) -> bool:
    text = doc_text(span.doc)
    start = text.rfind("\n", 0, span.start_char) + 1
    end = text.find("\n", span.end_char)
    line = text[start: end if end >= 0 else len(text)]
    return line.strip(" \t#*.:") == span.text.strip()


def junk_place(span: Span) -> bool:
    """Stock-NER GPE/LOC debris: lower-case, brackets, a heading word."""
    text = span.text.strip()
    if not text[:1].isupper() or re.search(r"[()\[\]\d]|et al", text):
        return True
    return len(span) == 1 and span[0].pos_ != "PROPN"


def junk_org(span: Span) -> bool:
    """Stock-NER ORG debris: captions, numbers, journals, lower-case phrases."""
    text = span.text.strip()
    if len(text) < 2 or not any(c.isupper() for c in text) or "\n" in text:
        return True
    if _CASE_MIX.search(text):  # small-caps debris of converted PDFs ("suCCess", "ChAnges")
        return True
    words = [t for t in span if t.is_alpha]
    if len(words) == 1 and not (text.isupper() and text not in _NOT_ACRONYMS):
        return True  # one title-case word: a heading word or a cited surname, rarely an org
    if words and all(len(t) <= 2 for t in words):
        return True  # initials ("AC / JB")
    if words and all(t.lower_ in _SECTOR_WORDS for t in words):
        return True  # a kind of care, not a body ("Primary Care", "Acute Care")
    if _whole_line(span) and org_props(text).get("org_type") == "OTHER":
        return True  # a heading the model took for a name
    if org_props(text).get("org_type") == "OTHER" and _phrase_not_name(span, words):
        return True  # a title-case phrase ("Presence of Boundary Spanners", "Beliefs & Values")
    if text.upper() in _DEPARTMENTS or _NOT_ACTOR_ORG.search(text):
        return True  # a hospital department, an affiliation's sub-unit, an ethics committee
    return bool(_JUNK_ORG.search(text))


# Hospital departments and services the model tags as ORG; they are not bodies that act.
_DEPARTMENTS = {"A&E", "A & E", "ED", "ICU", "ITU", "OOH", "OPD"}
# Academic sub-units of author affiliations and research-governance committees.
_NOT_ACTOR_ORG = re.compile(
    r"^(?:faculty|school|division) of\b|\bethics committee\b|\bresearch ethics\b",
    re.IGNORECASE)
_PHRASE_STARTS = {"VERB", "AUX", "ADV", "PRON", "DET", "ADP", "SCONJ", "CCONJ"}
_PLURAL_TAGS = {"NNS", "NNPS"}
# Plural endings of common nouns, for title-case words the tagger takes for proper nouns.
_PLURAL_ENDINGS = ("ies", "ers", "ors", "ants", "ents", "ions", "ings", "ities")
_BODY_PLURALS = {"bodies", "organisations", "organizations", "authorities", "trusts", "providers",
                 "councils", "partnerships", "networks", "groups", "teams", "boards", "agencies",
                 "commissioners", "services", "institutes", "associations", "alliances",
                 "practices", "federations", "charities", "hospitals", "homes", "systems"}


def _phrase_not_name(span: Span, words: list[Any]) -> bool:
    """A title-case phrase rather than a body's name (no organisation head word in it).

    Starts with a verb or function word ("Integrate the Services"), or ends in a plural
    common noun ("Beliefs & Values", "Presence of Boundary Spanners", "Project Management
    Officers"): the names of bodies end in a singular head ("... Association", "... Fund")
    or are acronyms.
    """
    if not words or any(t.is_upper and len(t) > 1 for t in words):
        return False
    first, last = words[0], words[-1]
    if first.pos_ in _PHRASE_STARTS and first.lower_ not in _TITLES:
        return True
    low = last.lower_
    if low in _BODY_PLURALS:
        return False
    plural = last.tag_ in _PLURAL_TAGS or low.endswith(_PLURAL_ENDINGS) or (
        low.endswith("s") and not low.endswith(("ss", "us", "is")) and last.lemma_.lower() != low)
    return plural and len(low) > 3


class NerMapping:
    """Relabel stock NER entities to the graph's labels; drop the rest."""

    def __init__(self, nlp: Language, name: str, person_confidence: float,
                 org_confidence: float, place_confidence: float) -> None:
        self.name = name
        self.person_confidence = person_confidence
        self.org_confidence = org_confidence
        self.place_confidence = place_confidence

    def __call__(self, doc: Doc) -> Doc:
        """Replace ``doc.ents`` by the mapped, filtered entities."""
        out: list[Span] = []
        for ent in doc.ents:
            if ent._.props:  # already set by a domain component
                out.append(ent)
                continue
            span = _trim(ent)
            if span is None:
                continue
            label = ent.label_
            if label == "ORG" and not junk_org(span):
                out.append(label_span(span, "ORG", normalise_name(span.text),
                                      {**org_props(span.text), "generic": False},
                                      "ner", self.org_confidence))
            elif label in ("GPE", "LOC") and not junk_place(span):
                place_type = "area" if label == "GPE" else "region"
                out.append(label_span(span, "PLACE", normalise_name(span.text),
                                      {"place_type": place_type}, "ner", self.place_confidence))
            elif label == "PERSON" and looks_like_person(span):
                out.append(label_span(span, "PERSON", normalise_name(span.text),
                                      {"anonymised": False}, "ner", self.person_confidence))
        doc.ents = out
        return doc


def _trim(span: Span) -> Span | None:
    """Drop a leading determiner and edge punctuation from a stock entity."""
    start, end = span.start, span.end
    doc = span.doc
    while start < end and (doc[start].is_punct or doc[start].lower_ in ("the", "a", "an")):
        start += 1
    while end > start and doc[end - 1].is_punct:
        end -= 1
    return doc[start:end] if end > start else None


@Language.factory(
    "actorgraph_ner_mapping",
    default_config={"person_confidence": 0.6, "org_confidence": 0.6, "place_confidence": 0.7},
)
def make_ner_mapping(nlp: Language, name: str, person_confidence: float, org_confidence: float,
                     place_confidence: float) -> NerMapping:
    """Build the stock-NER mapping component."""
    return NerMapping(nlp, name, person_confidence, org_confidence, place_confidence)
