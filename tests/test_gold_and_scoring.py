"""The hand-annotated gold set, the scorer (hand-computed P/R/F1) and the naive baseline."""

from __future__ import annotations

import importlib.util
import json
from collections import Counter
from pathlib import Path

import pytest

from actorgraph.evaluation import (
    DEFAULT_GOLD_DIR,
    GoldFormatError,
    check_evidence,
    check_targets,
    load_gold,
    load_gold_file,
    normalise_name,
    score,
)
from actorgraph.records import RELATION_TYPES, DocumentExtraction, Entity, Evidence, Relation

# Every SPEC relation type except MENTIONED_IN, which the graph layer derives.
SPEC_TYPES = set(RELATION_TYPES) - {"MENTIONED_IN"}


@pytest.fixture(scope="module")
def gold():
    return load_gold()


# ----------------------------------------------------------------------------- gold files


def test_gold_covers_every_corpus_document(gold, corpus_files):
    assert sorted(gold) == sorted(p.name for p in corpus_files)


def test_gold_size_and_type_coverage(gold):
    relations = [r for g in gold.values() for r in g.relations]
    types = Counter(r.type for r in relations)
    assert len(relations) >= 150
    assert set(types) == SPEC_TYPES, set(types) ^ SPEC_TYPES
    assert types["TRANSITIONED_TO"] >= 5 and types["SPREAD_TO"] >= 10


def test_every_evidence_is_verbatim_in_its_document(gold, corpus_dir):
    for doc, g in gold.items():
        original = (corpus_dir / doc).read_text("utf-8-sig")
        for rel in g.relations:
            assert rel.evidence.strip(), f"{doc}:{rel.line}: empty evidence"
            assert rel.evidence in original, f"{doc}:{rel.line}: evidence not verbatim"


def test_relation_endpoints_and_properties_are_consistent(gold):
    for doc, g in gold.items():
        declared = {(e.label, e.name) for e in g.entities}
        for rel in g.relations:
            for end in (rel.source, rel.target):
                assert (end.label, end.name) in declared, f"{doc}:{rel.line}: {end.name}"
            if rel.type == "SPREAD_TO":
                assert rel.properties["mode"] in ("spread", "scale-up")
                ini = rel.properties.get("initiative")
                assert ini is None or ("Initiative", ini) in declared, f"{doc}:{rel.line}"
            if rel.type == "IMPLEMENTS":
                assert rel.target.label == "Initiative"
                statuses = ("implemented", "continued", "stopped", "planned")
                assert rel.properties["status"] in statuses
            if rel.type == "TRANSITIONED_TO":
                assert rel.source.label == rel.target.label == "Role"
            if rel.type == "HOLDS":
                assert (rel.source.label, rel.target.label) == ("Person", "Role")


def test_cited_authors_are_never_gold_actors(gold):
    for doc, g in gold.items():
        actors = {normalise_name(e.name) for e in g.entities if e.label == "Person"}
        for name in g.cited_authors:
            assert normalise_name(name) not in actors, f"{doc}: {name}"


def test_bad_gold_file_names_file_and_line(tmp_path):
    bad = tmp_path / "x.jsonl"
    bad.write_text('{"kind": "entity", "label": "Site", "name": "Site 1"}\n{"kind": "relation"\n')
    with pytest.raises(GoldFormatError, match=r"x\.jsonl:2: invalid JSON"):
        load_gold_file(bad)
    bad.write_text('{"kind": "relation", "type": "IN"}\n')
    with pytest.raises(GoldFormatError, match=r"x\.jsonl:1: relation record lacks"):
        load_gold_file(bad)
    with pytest.raises(GoldFormatError, match="gold folder not found"):
        load_gold(tmp_path / "nope")


# ----------------------------------------------------------------------------- scorer

DOC = "mini.txt"
TEXT = (
    "NHS England funded the Vanguards. Site 3 spread its pathway to Site 4.\n"
    "The CCGs worked with the council (Checkland et al., 2019). S1R04 moved to the STP.\n"
)


def _write_gold(folder: Path) -> None:
    recs = [
        {"kind": "document", "doc": DOC},
        {"kind": "entity", "label": "Organisation", "name": "NHS England", "aliases": ["NHSE"]},
        {
            "kind": "entity",
            "label": "Organisation",
            "name": "Clinical Commissioning Group",
            "aliases": ["CCG"],
        },
        {
            "kind": "entity",
            "label": "Organisation",
            "name": "local authority",
            "aliases": ["council"],
        },
        {"kind": "entity", "label": "Site", "name": "Site 3"},
        {"kind": "entity", "label": "Site", "name": "Site 4"},
        {
            "kind": "entity",
            "label": "Initiative",
            "name": "Hospital transfer pathway",
            "aliases": ["pathway"],
        },
        {"kind": "entity", "label": "Person", "name": "S1R04"},
        {
            "kind": "relation",
            "type": "SPREAD_TO",
            "source": {"label": "Site", "name": "Site 3"},
            "target": {"label": "Site", "name": "Site 4"},
            "properties": {"initiative": "Hospital transfer pathway", "mode": "spread"},
            "evidence": "Site 3 spread its pathway to Site 4.",
        },
        {
            "kind": "relation",
            "type": "PARTNER_OF",
            "source": {"label": "Organisation", "name": "Clinical Commissioning Group"},
            "target": {"label": "Organisation", "name": "local authority"},
            "properties": {},
            "evidence": "The CCGs worked with the council",
        },
        {
            "kind": "relation",
            "type": "FUNDS",
            "source": {"label": "Organisation", "name": "NHS England"},
            "target": {"label": "Site", "name": "Site 3"},
            "properties": {},
            "evidence": "NHS England funded the Vanguards.",
        },
        {"kind": "cited_author", "name": "Checkland"},
    ]
    (folder / "mini.jsonl").write_text("\n".join(json.dumps(r) for r in recs) + "\n")


def _ev(text: str, fragment: str) -> Evidence:
    start = text.index(fragment)
    return Evidence(DOC, start, start + len(fragment), fragment)


def _prediction(folder: Path) -> DocumentExtraction:
    path = folder / DOC
    path.write_text(TEXT, encoding="utf-8")
    ents = [
        Entity("e1", "Organisation", "NHSE", evidence=[_ev(TEXT, "NHS England funded")]),
        Entity("e2", "Organisation", "the CCGs", evidence=[_ev(TEXT, "The CCGs")]),
        Entity("e3", "Organisation", "Council"),  # alias, case
        Entity("e4", "Site", "Site 3"),
        Entity("e5", "Site", "site 4"),
        Entity("e6", "Initiative", "pathway"),
        Entity("e7", "Person", "Checkland"),  # a cited author predicted as an actor
        Entity("e8", "Organisation", "NHS England’s"),  # duplicate of e1 (possessive)
        Entity("e9", "Place", "Leeds"),
    ]
    bad = Evidence(DOC, 0, 11, "NHS Englanx")  # wrong text for the span
    rels = [
        Relation(
            "SPREAD_TO",
            "e4",
            "e5",
            {"initiative": "e6", "mode": "spread"},
            evidence=[_ev(TEXT, "Site 3 spread its pathway to Site 4.")],
        ),
        Relation("PARTNER_OF", "e3", "e2", evidence=[bad]),  # reversed: direction-free
        Relation("FUNDS", "e4", "e1"),  # reversed: directed type, so wrong
        Relation("MENTIONED_IN", "e1", "e4"),  # never scored
    ]
    return DocumentExtraction(DOC, str(path), "", len(TEXT), entities=ents, relations=rels)


def test_normalisation_handles_case_articles_plurals_possessives_punctuation():
    assert normalise_name("The  CCGs’") == normalise_name("ccg")
    assert normalise_name("Care-Homes") == normalise_name("care home")
    assert normalise_name("NHS England's") == "nhs england"
    assert normalise_name("[Site 5]") == normalise_name("site 5")
    assert normalise_name("PACS") == normalise_name("PACs")
    assert normalise_name("process") == "process"


def test_scorer_hand_computed(tmp_path):
    _write_gold(tmp_path)
    gold = load_gold(tmp_path)
    report = score([_prediction(tmp_path)], gold)
    org = report.entities["Organisation"]
    # NHSE (alias), the CCGs (article+plural), Council (alias+case) match; NHS England's dup.
    assert (org.tp, org.fp, org.fn, org.duplicates) == (3, 0, 0, 1)
    assert (org.precision, org.recall, org.f1) == (1.0, 1.0, 1.0)
    person = report.entities["Person"]
    assert (person.tp, person.fp, person.fn) == (0, 1, 1)
    place = report.entities["Place"]
    assert (place.tp, place.fp, place.fn) == (0, 1, 0)
    overall = report.entities_overall
    # tp: 3 org + 2 site + 1 initiative = 6; fp: Checkland + Leeds = 2; fn: S1R04 = 1
    assert (overall.tp, overall.fp, overall.fn) == (6, 2, 1)
    assert overall.precision == pytest.approx(6 / 8)
    assert overall.recall == pytest.approx(6 / 7)
    assert overall.f1 == pytest.approx(2 * (6 / 8) * (6 / 7) / (6 / 8 + 6 / 7))
    # relations: SPREAD_TO and reversed PARTNER_OF match; reversed FUNDS is FP and its gold FN
    rel = report.relations_overall
    assert (rel.tp, rel.fp, rel.fn) == (2, 1, 1)
    assert rel.f1 == pytest.approx(2 / 3)
    assert report.relations["FUNDS"].fp == 1 and report.relations["FUNDS"].fn == 1
    assert "MENTIONED_IN" not in report.relations
    assert report.spread_initiative_correct == 1
    # untyped pairs ignore type and direction: all three gold pairs found
    assert (report.relations_untyped.tp, report.relations_untyped.fp) == (3, 0)
    assert report.cited_author_persons == ["mini.txt: Person:Checkland"]
    assert report.evidence_checked == 4
    assert len(report.evidence_mismatches) == 1
    targets = {name: ok for name, _v, _op, _t, ok in check_targets(report)}
    assert targets["cited authors as Person"] is False
    assert targets["evidence spans differing from original"] is False


def test_missing_prediction_counts_all_gold_as_false_negatives(tmp_path):
    _write_gold(tmp_path)
    report = score([], load_gold(tmp_path), check_spans=False)
    assert report.relations_overall.fn == 3
    assert report.entities_overall.fn == 7
    assert report.entities_overall.tp == 0


def test_evidence_check_reads_the_original_file(tmp_path):
    ext = _prediction(tmp_path)
    checked, bad = check_evidence([ext])
    assert checked == 4 and len(bad) == 1 and "text differs" in bad[0]
    (tmp_path / DOC).unlink()
    checked, bad = check_evidence([ext])
    assert all("source file not found" in b for b in bad) and len(bad) == checked


# ----------------------------------------------------------------------------- baseline


def _load_baseline():
    path = Path(__file__).resolve().parents[1] / "bench" / "baseline.py"
    spec = importlib.util.spec_from_file_location("bench_baseline", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_baseline_runs_on_a_corpus_document_and_scores(corpus_dir, gold):
    baseline = _load_baseline()
    path = corpus_dir / "000_7ae6bd6e2f5c0e06.txt"
    ext = baseline.baseline_extract(path, baseline.load_model())
    assert ext.doc == path.name and ext.entities and ext.relations
    assert {r.type for r in ext.relations} == {baseline.BASELINE_RELATION}
    assert {e.label for e in ext.entities} <= set(baseline.LABEL_MAP.values())
    report = score([ext], {path.name: gold[path.name]})
    assert report.evidence_checked > 0 and report.evidence_mismatches == []
    assert report.relations_overall.tp == 0  # untyped edges never match a typed relation
    assert report.relations_overall.fn == len(gold[path.name].relations)
    assert report.entities["Organisation"].tp > 0  # e.g. NHS England is found
    assert 0.0 <= report.relations_untyped.f1 < 1.0


def test_default_gold_dir_is_in_the_repository():
    assert DEFAULT_GOLD_DIR.is_dir() and (DEFAULT_GOLD_DIR / "GUIDELINES.md").is_file()
