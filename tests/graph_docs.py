"""Build realistic ``DocumentExtraction``s by hand from real text, for the graph tests.

Evidence is computed from the text itself (the sentence holding a mention), so
``evidence.text == text[start:end]`` holds as it does for the real extraction.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

from actorgraph.records import DocumentExtraction, Entity, Evidence, Relation

_SENT_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text`` (ends at . ! ? or a blank line)."""
    spans, start = [], 0
    for match in _SENT_END.finditer(text):
        if text[start:match.start()].strip():
            spans.append((start, match.start()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentence_of(text: str, pos: int) -> tuple[int, int]:
    """The sentence span holding character ``pos``."""
    for start, end in sentences(text):
        if start <= pos < end:
            return start, end
    raise ValueError(f"no sentence at {pos}")


def make_extraction(
    doc: str,
    text: str,
    entities: list[tuple[str, str, str, dict[str, Any]]],
    relations: list[tuple[str, str, str, dict[str, Any]]] = (),
    abbreviations: dict[str, str] | None = None,
    aliases: dict[str, list[str]] | None = None,
) -> DocumentExtraction:
    """Entities ``(id, label, name, props)``: evidence = every sentence naming them.

    Relations ``(type, source, target, props)``: evidence = the first sentence
    naming both (else the source's first sentence).
    """
    aliases = aliases or {}
    ents, first = [], {}
    for eid, label, name, props in entities:
        evidence, positions = [], []
        for surface in [name, *aliases.get(eid, [])]:
            for match in re.finditer(re.escape(surface), text):
                s, e = sentence_of(text, match.start())
                evidence.append(Evidence(doc, s, e, text[s:e]))
                positions.append(match.start())
        assert evidence, f"{name!r} is not in the text of {doc}"
        first[eid] = sorted(set(evidence))
        ents.append(Entity(eid, label, name, list(aliases.get(eid, [])), dict(props),
                           sorted(set(evidence)), "test", 0.9))
    rels = []
    for rtype, src, dst, props in relations:
        both = [ev for ev in first[src] if ev in set(first[dst])]
        rels.append(Relation(rtype, src, dst, dict(props), (both or first[src])[:1], "test", 0.8))
    return DocumentExtraction(doc, f"/corpus/{doc}", hashlib.sha256(text.encode()).hexdigest(),
                              len(text), None, ents, rels, dict(abbreviations or {}))


def write_doc(folder: Path, name: str, text: str) -> Path:
    """Write a document file and return its path."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# -- two short reports for end-to-end ingest with the real extraction ------------------------

REPORT_1 = """Case study: Site 1

Site 1 was one of the care home vanguards funded by NHS England (NHSE) in 2015. The
vanguard was led by Airedale, Wharfedale and Craven Clinical Commissioning Group (CCG)
with the local authority and Airedale NHS Foundation Trust.

The CCG introduced a multidisciplinary team (MDT) for care homes and a telehealth
service. When vanguard funding ended in 2018 the telehealth service stopped, but the
MDT continued and was later spread to neighbouring practices.

"We were always talking to NHSE about the next step" (S1R04, programme lead)
"""

REPORT_2 = """Findings from Site 2

In Site 2 the Primary Care Network (PCN) took on the Enhanced Health in Care Homes
service. The clinical director (S2R01) had previously been the vanguard's clinical
lead. NHS England's regional team supported the PCN.

"The vanguard gave us the relationships we now use in the PCN" (S2R01, clinical director)
"""


# -- a small hand-annotated corpus in the genre ------------------------------------------------

TEXT_A = (
    "Site 1 was a care home vanguard led by Tower Hamlets Clinical Commissioning Group (THCCG). "
    "The vanguard worked closely with NHS England and the local authority.\n\n"
    "THCCG funded a multidisciplinary team (MDT) for care homes across the borough. "
    "The care home MDT was later spread to Site 2.\n\n"
    "The programme lead (S1R04) said the CCG valued the MDT. "
    "S1R04 held the role of programme lead at THCCG until 2018.\n"
)

TEXT_B = (
    "Respondent S1R04 described how NHSE supported the Enhanced Health in Care Homes framework. "
    "Tower Hamlets CCG commissioned the care home MDT from the community trust.\n\n"
    "The care home MDTs stopped when vanguard funding ended. "
    "NHS England's regional team held monthly calls with the site.\n"
)

TEXT_C = (
    "Leeds North CCG and Bradford City CCG joined the West Yorkshire alliance. "
    "The CCG chair (S2R01) said the CCG was cautious.\n\n"
    "NHS E asked each CCG to report monthly.\n"
)


def doc_a() -> DocumentExtraction:
    """Site 1's case study: THCCG defined, a spread, a respondent and a role."""
    return make_extraction("a.txt", TEXT_A, [
        ("e1", "Site", "Site 1", {"site_code": "Site 1", "model_type": "ECH"}),
        ("e2", "Organisation", "Tower Hamlets Clinical Commissioning Group", {"org_type": "CCG"}),
        ("e3", "Organisation", "THCCG", {}),
        ("e4", "Organisation", "NHS England", {}),
        ("e5", "Organisation", "the local authority", {"generic": True,
                                                       "org_type": "LOCAL_AUTHORITY"}),
        ("e6", "Initiative", "care home MDT", {"category": "MDT"}),
        ("e7", "Site", "Site 2", {"site_code": "Site 2"}),
        ("e8", "Person", "S1R04", {"respondent_id": "S1R04", "anonymised": True}),
        ("e9", "Role", "programme lead", {"title": "programme lead", "category": "programme"}),
        ("e10", "Organisation", "the CCG", {"generic": True, "org_type": "CCG"}),
    ], [
        ("LEADS", "e2", "e1", {}),
        ("PARTNER_OF", "e1", "e4", {}),
        ("FUNDS", "e3", "e6", {}),
        ("SPREAD_TO", "e1", "e7", {"initiative": "e6", "mode": "spread"}),
        ("HOLDS", "e8", "e9", {"tense": "earlier", "end": "2018"}),
        ("IN", "e9", "e3", {}),
        ("IMPLEMENTS", "e1", "e6", {"status": "implemented"}),
    ], abbreviations={"THCCG": "Tower Hamlets Clinical Commissioning Group",
                      "MDT": "multidisciplinary team"})


def doc_b() -> DocumentExtraction:
    """Another report: NHSE alias, the same respondent code (another study), a stop."""
    return make_extraction("b.txt", TEXT_B, [
        ("e1", "Person", "S1R04", {"respondent_id": "S1R04", "anonymised": True}),
        ("e2", "Organisation", "NHSE", {}),
        ("e3", "Initiative", "Enhanced Health in Care Homes framework", {}),
        ("e4", "Organisation", "Tower Hamlets CCG", {"org_type": "CCG"}),
        ("e5", "Initiative", "care home MDTs", {"category": "MDT"}),
        ("e6", "Organisation", "the community trust", {"generic": True,
                                                       "org_type": "NHS_TRUST"}),
        ("e7", "Organisation", "NHS England's regional team", {}),
    ], [
        ("SUPPORTS_UNKNOWN_TYPE_IS_KEPT", "e2", "e3", {}),
        ("COMMISSIONS", "e4", "e5", {}),
        ("IMPLEMENTS", "e4", "e5", {"status": "stopped"}),
        ("PART_OF", "e7", "e2", {}),
    ], aliases={"e5": ["care home MDT"]})


def doc_c() -> DocumentExtraction:
    """Two CCGs named, so "the CCG" stays generic; NHS E alias."""
    return make_extraction("c.txt", TEXT_C, [
        ("e1", "Organisation", "Leeds North CCG", {"org_type": "CCG"}),
        ("e2", "Organisation", "Bradford City CCG", {"org_type": "CCG"}),
        ("e3", "Organisation", "West Yorkshire alliance", {"org_type": "ALLIANCE"}),
        ("e4", "Person", "S2R01", {"respondent_id": "S2R01", "anonymised": True}),
        ("e5", "Role", "CCG chair", {"title": "chair"}),
        ("e6", "Organisation", "the CCG", {"generic": True, "org_type": "CCG"}),
        ("e7", "Organisation", "NHS E", {}),
    ], [
        ("MEMBER_OF", "e1", "e3", {}),
        ("MEMBER_OF", "e2", "e3", {}),
        ("HOLDS", "e4", "e5", {"tense": "current"}),
        ("IN", "e5", "e6", {}),
    ])


def hand_corpus() -> list[DocumentExtraction]:
    """The three hand-annotated documents."""
    return [doc_a(), doc_b(), doc_c()]
