"""The pipeline end to end: chunking, streaming, evidence in the original text, the corpus."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from actorgraph.extraction.pipeline import (
    build_nlp,
    extract_document,
    extract_paths,
    make_chunks,
)
from actorgraph.records import DocumentExtraction, InputError

REPORT = """# Evaluation of the Riverside Vanguard

## Introduction

The Five Year Forward View (NHS England, 2014) created the Vanguard programme.
The Clinical Commissioning Group (CCG) in Site 2 worked with the local authority.

## Findings

*We set up multidisciplinary teams in every care home and the CCG paid for it. (S2R04)*

Later the CCG and Northshire County Council agreed to keep the MDT (Moulton and Sandfort, 2017).

## References

Moulton S, Sandfort JR. The strategic action field framework. Policy Polit 2017;45:1-18.
Checkland K, Coleman A, Croke S. National evaluation. Manchester: PRUComm; 2019.
"""


@pytest.fixture(scope="module")
def nlp():
    return build_nlp()


def _check_evidence(ex: DocumentExtraction, original: str) -> int:
    n = 0
    for item in [*ex.entities, *ex.relations]:
        assert item.evidence, item
        for ev in item.evidence:
            assert ev.doc == ex.doc
            assert ev.text == original[ev.start:ev.end]
            n += 1
    return n


def test_report_extraction(nlp, tmp_path: Path):
    path = tmp_path / "report.md"
    path.write_text(REPORT, "utf-8")
    ex = extract_document(path, nlp=nlp)
    assert ex.doc == "report.md" and ex.n_chars == len(REPORT)
    assert _check_evidence(ex, REPORT) > 0
    by_name = {(e.label, e.name): e for e in ex.entities}
    ccg = by_name[("Organisation", "Clinical Commissioning Group")]
    assert {"CCG"} <= set(ccg.aliases) | {ccg.name}
    assert len(ccg.evidence) >= 3
    assert ("Person", "S2R04") in by_name
    assert by_name[("Person", "S2R04")].properties["site"] == "Site 2"
    assert ("Site", "Site 2") in by_name
    assert ex.abbreviations["CCG"] == "Clinical Commissioning Group"
    # Nothing from the reference list or the citations.
    refs_at = REPORT.index("## References")
    for e in ex.entities:
        assert all(ev.start < refs_at for ev in e.evidence), e
    names = " ".join(e.name for e in ex.entities)
    for author in ("Moulton", "Sandfort", "Checkland", "Coleman", "Croke"):
        assert author not in names


def test_evidence_survives_cleaning_of_markup(nlp, tmp_path: Path):
    text = ("\ufeff<p>The <b>Care   Quality\nCommission</b> inspected the care-\nhome; "
            "NHS&nbsp;England agreed.</p>\n")
    path = tmp_path / "page.html"
    path.write_bytes(text.encode("utf-8"))
    ex = extract_document(path, nlp=nlp)
    original = text.lstrip("\ufeff")
    assert _check_evidence(ex, original) > 0
    names = {e.name for e in ex.entities}
    assert {"Care Quality Commission", "NHS England"} <= names


def test_chunks_cut_at_paragraphs_and_keep_attribution(nlp):
    paras = []
    for i in range(40):
        paras.append(f"*Quote number {i} goes on for a while about the vanguard and care homes "
                     f"and what we did with them over the years of the programme.*")
        paras.append(f"(S1R{i:02d})")
    text = "\n\n".join(paras)

    class Clean:
        def __init__(self, t):
            self.text, self.sections, self.references_start = t, [], None

    chunks = make_chunks(Clean(text), max_chars=700)
    assert len(chunks) > 5
    assert chunks[0].start == 0 and chunks[-1].end == len(text)
    for a, b in zip(chunks, chunks[1:], strict=False):
        assert a.end == b.start
    for c in chunks:
        piece = text[c.start:c.end].strip()
        assert piece.startswith("*Quote"), piece[:40]
        assert re.search(r"\(S1R\d\d\)$", piece), piece[-40:]
        assert len(piece) <= 700 + 80


def test_long_document_is_chunked_and_offsets_hold(nlp, tmp_path: Path):
    body = "\n\n".join(
        f"In Site {i % 6 + 1} the CCG and the STP ran social prescribing with GP practices. "
        f"The programme director said it worked (S{i % 6 + 1}R{i:02d})." for i in range(120))
    path = tmp_path / "long.txt"
    path.write_text(body, "utf-8")
    ex = extract_document(path, nlp=nlp, config={"chunk_chars": 1500})
    assert _check_evidence(ex, body) > 0
    codes = {e.properties.get("respondent_id") for e in ex.entities if e.label == "Person"}
    assert len(codes) == 120
    sites = {e.name for e in ex.entities if e.label == "Site"}
    assert {f"Site {i}" for i in range(1, 7)} <= sites


def test_stream_yields_in_order_with_errors(nlp, tmp_path: Path):
    (tmp_path / "a.txt").write_text("The CCG met NHS England in 2016.", "utf-8")
    (tmp_path / "b.txt").write_text("", "utf-8")
    (tmp_path / "c.txt").write_text("Site 3 ran MDTs with care homes.", "utf-8")
    items = list(extract_paths([tmp_path / "a.txt", tmp_path / "missing.txt", tmp_path / "b.txt",
                                tmp_path / "c.txt"], nlp=nlp))
    kinds = [type(i).__name__ for i in items]
    assert kinds == ["DocumentExtraction", "InputError", "InputError", "DocumentExtraction"]
    assert "missing.txt" in str(items[1]) and "b.txt" in str(items[2])
    assert [items[0].doc, items[3].doc] == ["a.txt", "c.txt"]


def test_two_processes_give_the_same_result(nlp, tmp_path: Path):
    for i in range(3):
        (tmp_path / f"d{i}.txt").write_text(
            f"In Site {i} the CCG worked with NHS England on MDTs (S{i}R01).", "utf-8")
    one = [x.to_dict() for x in extract_paths([tmp_path], nlp=nlp, n_process=1)]
    two = [x.to_dict() for x in extract_paths([tmp_path], nlp=nlp, n_process=2)]
    assert one == two and len(one) == 3


def test_unknown_component_is_reported():
    with pytest.raises(ValueError, match="actorgraph_nope"):
        build_nlp({"entity_components": ["actorgraph_nope"]})


def test_extract_document_raises_input_error(nlp, tmp_path: Path):
    with pytest.raises(InputError, match="nothing.txt"):
        extract_document(tmp_path / "nothing.txt", nlp=nlp)


# -- the sample corpus (extracted once per session) --------------------------------------------


def test_corpus_evidence_is_the_original_slice(sample_extractions, corpus_dir: Path):
    from actorgraph.extraction.readers import read_document

    assert len(sample_extractions) == 3
    for name, ex in sample_extractions.items():
        original = read_document(corpus_dir / name).text
        assert _check_evidence(ex, original) > 50


def _cited_surnames(text: str) -> set[str]:
    """Surnames in author-year citations and reference entries, found independently."""
    names = set(re.findall(r"(?<![A-Za-z] )\b([A-Z][a-z][A-Za-z'’\-]+)(?: and [A-Z][a-z]+)? et al",
                           text))
    names |= set(re.findall(r"\(([A-Z][a-z][A-Za-z'’\-]+)(?: (?:and|&) [A-Z][a-z]+)?,? "
                            r"(?:19|20)\d\d", text))
    names |= set(re.findall(r"(?m)^(?:\d+\.?\s+)?([A-Z][a-z][A-Za-z'’\-]+),? (?:[A-Z]{1,2}|"
                            r"[A-Z]\.)[,. ]", text))
    return names - {"NHS", "The", "In", "Department", "Health", "Care", "National", "Public"}


def test_corpus_has_no_cited_authors_as_actors(sample_extractions, corpus_dir: Path):
    n_cited = 0
    for name, ex in sample_extractions.items():
        cited = _cited_surnames((corpus_dir / name).read_text("utf-8"))
        n_cited += len(cited)
        for e in ex.entities:
            if e.label == "Person" and not e.properties.get("anonymised"):
                assert not set(e.name.replace("'s", "").split()) & cited, (name, e.name)
            if e.method == "ner" and len(e.name.split()) == 1:
                assert e.name not in cited, (name, e.label, e.name)
    assert n_cited > 20
    people = [e.name for ex in sample_extractions.values() for e in ex.entities
              if e.label == "Person" and not e.properties.get("anonymised")]
    for author in ("Kath Checkland", "Anna Coleman", "Checkland", "Moulton", "Sandfort"):
        assert author not in people


def test_corpus_finds_sites_codes_and_organisations(sample_extractions):
    def names(doc_prefix: str, label: str) -> set[str]:
        ex = next(v for k, v in sample_extractions.items() if k.startswith(doc_prefix))
        return {e.name for e in ex.entities if e.label == label}

    report = "003_"
    assert {f"Site {i}" for i in range(1, 7)} <= names(report, "Site")
    assert {"S1R04", "S1R03", "S5 FGD", "S2 FGD", "S3R01"} <= names(report, "Person")
    assert {"NHS England", "Clinical Commissioning Group", "Integrated Care System",
            "Sustainability and Transformation Partnership",
            "Primary Care Network"} <= names(report, "Organisation")
    assert {"multidisciplinary team", "MSK pathway",
            "New Care Models programme"} <= names(report, "Initiative")
    assert {"ID002", "ID021"} <= names("001_", "Person")
    assert {"Care Quality Commission", "NHS England"} <= names("001_", "Organisation")
    assert {"GP (2)", "Care home manager (8)"} <= names("000_", "Person")
    assert {"Clinical Commissioning Group", "care home"} <= names("000_", "Organisation")
    sites = {e.name: e for e in next(v for k, v in sample_extractions.items()
                                     if k.startswith(report)).entities if e.label == "Site"}
    assert sites["Site 1"].properties.get("site_code") == "Site 1"


def test_codes_merge_across_padding_and_spacing(nlp, tmp_path: Path):
    path = tmp_path / "codes.txt"
    path.write_text("It worked (S2R012).\n\nYes it did (S2R12).\n\nThen ID 017 spoke, and ID017 "
                    "agreed. (S2R01) disagreed.", "utf-8")
    ex = extract_document(path, nlp=nlp)
    people = sorted((e.name, tuple(e.aliases), len(e.evidence)) for e in ex.entities
                    if e.label == "Person")
    assert len(people) == 3, people
    assert {p[0] for p in people} >= {"S2R01", "ID017"}


def test_relation_mentions_survive_plain_data_transport():
    from actorgraph.extraction.components.transport import relation_from_data, relation_to_data
    from actorgraph.extraction.mentions import RelationMention, make_ref

    site = make_ref("SITE", 0, 6, "Site 1", props={"site_code": "Site 1"})
    mdt = make_ref("INITIATIVE", 20, 24, "MDTs", "multidisciplinary team", {"category": "MDT"})
    area = make_ref("PLACE", 30, 36, "[area]", props={"aliases": ["a", "b"]})
    rm = RelationMention("SPREAD_TO", site, area, (0, 40), {"initiative": mdt, "mode": "spread"},
                         "test", 0.7)
    back = relation_from_data(relation_to_data(rm))
    assert back == rm


def test_failing_relation_component_is_a_warning(tmp_path: Path):
    from spacy.language import Language

    @Language.component("actorgraph_rel_test_boom")
    def boom(doc):  # noqa: ARG001
        raise RuntimeError("boom")

    nlp = build_nlp({"relation_components": ["actorgraph_rel_test_boom"]})
    path = tmp_path / "a.txt"
    path.write_text("The CCG met NHS England.", "utf-8")
    ex = extract_document(path, nlp=nlp)
    assert {e.name for e in ex.entities} >= {"NHS England", "Clinical Commissioning Group"}
    assert any("actorgraph_rel_test_boom failed" in w and "boom" in w for w in ex.warnings)


def test_whole_pipeline_saves_and_loads_with_its_data(nlp, tmp_path: Path):
    import spacy

    nlp.to_disk(tmp_path / "pipeline")
    assert (tmp_path / "pipeline" / "actorgraph_gazetteer" / "patterns.jsonl").is_file()
    assert (tmp_path / "pipeline" / "actorgraph_redactions" / "redactions.jsonl").is_file()
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.pipe_names == nlp.pipe_names
    doc = loaded("NHSE met the CCG in [area a] (S1R04).")
    assert [(e.text, e.label_, e._.canonical) for e in doc.ents] == [
        ("NHSE", "ORG", "NHS England"), ("CCG", "ORG", "Clinical Commissioning Group"),
        ("[area a]", "PLACE", "[area a]"), ("S1R04", "PERSON", "S1R04")]
