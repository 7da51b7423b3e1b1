"""Small hand-built graphs in the export form, shared by the query tests.

The scenario (a care-home Vanguard becoming part of an ICS) is written as
``DocumentGraph`` records, so the same data can be written into either store
and also turned into the export-form ``nx.MultiDiGraph`` directly.
"""

from __future__ import annotations

import networkx as nx

from actorgraph.graph.store import DocumentGraph, DocumentRecord, EdgeRecord, NodeRecord
from actorgraph.records import Evidence

DOC = "scenario.txt"
TEXT = (
    "S1R04 was the vanguard programme lead and is now the ICS director of integration. "
    "P2 was a vanguard GP lead and later chaired the PCN. "
    "S1R07, a care home manager, worked with the vanguard team. "
    "The vanguard GP lead post was removed when funding ended in 2018. "
    "Site 1 implemented the MDT model and stopped the falls service. "
    "Site 2 continued its multidisciplinary team meetings. "
    "The MDT model spread from Site 1 to Site 2 in 2017. "
    "The care home model was scaled up into the PCN contract in 2020. "
    "S1R04 led the MDT model in the vanguard and at the ICS. "
)


def ev(phrase: str) -> Evidence:
    """Evidence pointing at the sentence of ``TEXT`` that contains ``phrase``."""
    i = TEXT.index(phrase)
    start = TEXT.rfind(". ", 0, i)
    start = 0 if start < 0 else start + 2
    end = TEXT.index(". ", i) + 1
    return Evidence(DOC, start, end, TEXT[start:end])


def scenario_document() -> DocumentGraph:
    """The scenario as one document's contribution."""
    n = NodeRecord
    e = EdgeRecord
    nodes = [
        n("Person:s1r04", "Person", "S1R04", properties={"respondent_id": "S1R04", "site": "1"},
          evidence=[ev("S1R04 was")]),
        n("Person:p2", "Person", "P2", evidence=[ev("P2 was")]),
        n("Person:s1r07", "Person", "S1R07", properties={"respondent_id": "S1R07"},
          evidence=[ev("S1R07, a care")]),
        n("Role:programme lead", "Role", "vanguard programme lead", evidence=[ev("S1R04 was")]),
        n("Role:ics director", "Role", "ICS director of integration", evidence=[ev("S1R04 was")]),
        n("Role:gp lead", "Role", "vanguard GP lead", properties={"status": "removed"},
          evidence=[ev("P2 was")]),
        n("Role:pcn chair", "Role", "PCN chair", evidence=[ev("P2 was")]),
        n("Role:care home manager", "Role", "care home manager", evidence=[ev("S1R07, a care")]),
        n("Site:site 1", "Site", "Site 1 care home vanguard",
          properties={"site_code": "Site 1", "programme": "Vanguard", "model_type": "ECH"},
          evidence=[ev("Site 1 implemented")]),
        n("Site:site 2", "Site", "Site 2", properties={"site_code": "Site 2", "level": "place"},
          evidence=[ev("Site 2 continued")]),
        n("Organisation:ics", "Organisation", "the ICS",
          properties={"org_type": "ICS", "sector": "NHS", "level": "system"},
          evidence=[ev("S1R04 was")]),
        n("Organisation:pcn", "Organisation", "the PCN",
          properties={"org_type": "PCN", "sector": "NHS", "level": "neighbourhood"},
          evidence=[ev("P2 was")]),
        n("Organisation:care home", "Organisation", "care home",
          properties={"org_type": "CARE_HOME", "sector": "INDEPENDENT", "level": "neighbourhood"},
          evidence=[ev("S1R07, a care")]),
        n("Organisation:pcn contract", "Organisation", "PCN contract",
          properties={"org_type": "NATIONAL_BODY", "level": "national"},
          evidence=[ev("scaled up")]),
        n("Initiative:mdt", "Initiative", "MDT model", aliases=["multidisciplinary team meetings"],
          properties={"category": "MDT"}, evidence=[ev("Site 1 implemented")]),
        n("Initiative:mdt meetings", "Initiative", "multidisciplinary team meetings",
          properties={"category": "MDT"}, evidence=[ev("Site 2 continued")]),
        n("Initiative:falls", "Initiative", "falls service", evidence=[ev("Site 1 implemented")]),
        n("Initiative:care home model", "Initiative", "care home model",
          evidence=[ev("scaled up")]),
    ]
    edges = [
        e("HOLDS|s1r04|lead", "HOLDS", "Person:s1r04", "Role:programme lead",
          {"tense": "earlier", "method": "rule", "confidence": 0.9}, [ev("S1R04 was")]),
        e("HOLDS|s1r04|dir", "HOLDS", "Person:s1r04", "Role:ics director",
          {"tense": "current", "method": "rule", "confidence": 0.9}, [ev("S1R04 was")]),
        e("IN|lead", "IN", "Role:programme lead", "Site:site 1", {}, [ev("S1R04 was")]),
        e("IN|dir", "IN", "Role:ics director", "Organisation:ics", {}, [ev("S1R04 was")]),
        e("HOLDS|p2|gp", "HOLDS", "Person:p2", "Role:gp lead", {}, [ev("P2 was")]),
        e("HOLDS|p2|chair", "HOLDS", "Person:p2", "Role:pcn chair", {}, [ev("P2 was")]),
        e("TRANSITIONED_TO|gp|chair", "TRANSITIONED_TO", "Role:gp lead", "Role:pcn chair", {},
          [ev("P2 was")]),
        e("IN|gp", "IN", "Role:gp lead", "Site:site 1", {}, [ev("P2 was")]),
        e("IN|chair", "IN", "Role:pcn chair", "Organisation:pcn", {}, [ev("P2 was")]),
        e("HOLDS|s1r07|chm", "HOLDS", "Person:s1r07", "Role:care home manager",
          {"tense": "current"}, [ev("S1R07, a care")]),
        e("IN|chm", "IN", "Role:care home manager", "Organisation:care home", {},
          [ev("S1R07, a care")]),
        e("PARTNER_OF|s1r07|s1r04", "PARTNER_OF", "Person:s1r07", "Person:s1r04", {},
          [ev("S1R07, a care")]),
        e("IMPLEMENTS|s1|mdt", "IMPLEMENTS", "Site:site 1", "Initiative:mdt",
          {"status": "implemented"}, [ev("Site 1 implemented")]),
        e("IMPLEMENTS|s1|falls", "IMPLEMENTS", "Site:site 1", "Initiative:falls",
          {"status": "stopped"}, [ev("Site 1 implemented")]),
        e("IMPLEMENTS|s2|mdtm", "IMPLEMENTS", "Site:site 2", "Initiative:mdt meetings",
          {"status": "continued"}, [ev("Site 2 continued")]),
        e("SPREAD_TO|s1|s2|mdt", "SPREAD_TO", "Site:site 1", "Site:site 2",
          {"initiative": "Initiative:mdt", "mode": "spread"}, [ev("spread from Site 1")]),
        e("SPREAD_TO|s1|pcnc|chm", "SPREAD_TO", "Site:site 1", "Organisation:pcn contract",
          {"initiative": "Initiative:care home model", "mode": "scale-up"}, [ev("scaled up")]),
        e("LEADS|s1r04|mdt", "LEADS", "Person:s1r04", "Initiative:mdt", {},
          [ev("S1R04 led")]),
        e("IMPLEMENTS|ics|mdt", "IMPLEMENTS", "Organisation:ics", "Initiative:mdt",
          {"status": "implemented"}, [ev("S1R04 led")]),
        e("MEMBER_OF|s1r04|site2", "MEMBER_OF", "Person:s1r04", "Site:site 2", {},
          [ev("spread from Site 1")]),
    ]
    doc = DocumentRecord(DOC, f"/tmp/{DOC}", "0" * 64, len(TEXT))
    return DocumentGraph(doc, nodes, edges)


def to_export_graph(graphs: list[DocumentGraph]) -> nx.MultiDiGraph:
    """The export form of one or more contributions (single-contribution merge only)."""
    G = nx.MultiDiGraph()
    for dg in graphs:
        G.add_node(f"Document:{dg.document.doc}", label="Document", name=dg.document.doc,
                   aliases=[], evidence=[])
        for node in dg.nodes:
            G.add_node(node.id, label=node.label, name=node.name, aliases=sorted(node.aliases),
                       evidence=[e.to_dict() for e in sorted(node.evidence)], **node.properties)
            G.add_edge(node.id, f"Document:{dg.document.doc}",
                       key=f"MENTIONED_IN|{node.id}|{dg.document.doc}", type="MENTIONED_IN",
                       evidence=[e.to_dict() for e in sorted(node.evidence)])
        for edge in dg.edges:
            G.add_edge(edge.source, edge.target, key=edge.key, type=edge.type,
                       evidence=[e.to_dict() for e in sorted(edge.evidence)], **edge.properties)
    return G


def scenario_graph() -> nx.MultiDiGraph:
    """The scenario in export form."""
    return to_export_graph([scenario_document()])
