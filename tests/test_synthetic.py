"""The synthetic corpus generator: genre features, ground truth, determinism, graphs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from actorgraph.records import NODE_LABELS, RELATION_TYPES
from actorgraph.synthetic import iter_documents, synthetic_document_graphs, write_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory):
    out = tmp_path_factory.mktemp("synthetic")
    truth = write_corpus(out, 40, seed=7)
    return out, truth


def text_of(out: Path, doc: str) -> str:
    return (out / doc).read_text("utf-8")


def test_writes_the_documents_and_a_ground_truth_file(corpus) -> None:
    out, truth = corpus
    files = sorted(p.name for p in out.glob("*.txt"))
    assert files == sorted(truth.documents) and len(files) == 40
    lines = (out / "ground_truth.jsonl").read_text("utf-8").splitlines()
    assert [json.loads(line)["documents"] for line in lines] == [[d] for d in truth.documents]


def test_planted_people_moves_and_spreads_are_in_their_documents(corpus) -> None:
    out, truth = corpus
    assert truth.moves and truth.spreads and truth.implementations
    assert any(s.mode == "scale-up" for s in truth.spreads)
    assert {i.status for i in truth.implementations} >= {"implemented", "continued", "stopped"}
    for person in truth.people:
        text = text_of(out, person.doc)
        assert re.fullmatch(r"S\d+R\d{2}", person.respondent_id)
        assert person.respondent_id in text
        assert person.site in text
    for move in truth.moves:
        text = text_of(out, move.doc)
        assert move.respondent_id in text and move.from_role in text and move.to_role in text
        assert move.from_org.startswith("Site ")
        assert move.to_org.endswith((" STP", " ICS"))
        # the later organisation is named (fully, or as "the STP"/"the ICS" after its definition)
        assert move.to_org in text or move.to_org.split()[-1] in text
    for spread in truth.spreads:
        text = text_of(out, spread.doc)
        assert spread.source in text and spread.target in text
    # respondent codes are unique within a document, and reused across documents (study scope)
    per_doc: dict[str, list[str]] = {}
    for person in truth.people:
        per_doc.setdefault(person.doc, []).append(person.respondent_id)
    assert all(len(codes) == len(set(codes)) for codes in per_doc.values())
    all_codes = [c for codes in per_doc.values() for c in codes]
    assert len(all_codes) > len(set(all_codes))


def test_abbreviations_are_defined_once_and_then_used_bare(corpus) -> None:
    out, truth = corpus
    for doc, abbreviations in truth.abbreviations.items():
        text = text_of(out, doc)
        assert abbreviations["CCG"] == "Clinical Commissioning Group"
        for abbreviation, long_form in abbreviations.items():
            assert text.count(f"{long_form} ({abbreviation})") == 1
            after = text.split(f"({abbreviation})", 1)[1]
            assert re.search(rf"\b{re.escape(abbreviation)}s?\b", after), (doc, abbreviation)


def test_citations_and_reference_list_name_authors_who_are_not_actors(corpus) -> None:
    out, truth = corpus
    for doc in truth.documents:
        text = text_of(out, doc)
        body, references = text.split("\nReferences\n", 1)
        authors = truth.cited_authors[doc]
        assert authors
        assert re.search(r"\([A-Z][a-z]+( et al\.| and [A-Z][a-z]+)?, \d{4}\)", body)
        for author in authors:
            assert author in references
        planted = {o.split()[0] for o in truth.organisations[doc]}
        assert not planted & set(authors)


def test_same_seed_same_bytes_other_seed_other_text(tmp_path: Path) -> None:
    one = write_corpus(tmp_path / "one", 5, seed=3)
    two = write_corpus(tmp_path / "two", 5, seed=3)
    three = write_corpus(tmp_path / "three", 5, seed=4)
    assert three.documents == one.documents
    assert one == two
    for doc in one.documents:
        assert (tmp_path / "one" / doc).read_bytes() == (tmp_path / "two" / doc).read_bytes()
    assert any((tmp_path / "one" / d).read_bytes() != (tmp_path / "three" / d).read_bytes()
               for d in one.documents)


def test_documents_are_streamed_and_independent_of_corpus_size() -> None:
    stream = iter_documents(10_000, seed=1)
    first = [next(stream) for _ in range(3)]  # a generator: nothing else is built
    small = list(iter_documents(3, seed=1))
    # names are padded for the larger corpus, but each text depends only on (seed, index)
    assert [t for _, t, _ in first] == [t for _, t, _ in small]


def test_bad_size_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="n_docs"):
        write_corpus(tmp_path, -1)


def test_document_graphs_are_valid_and_sum_to_the_size() -> None:
    graphs = list(synthetic_document_graphs(3_000, seed=5, relationships_per_document=400))
    assert sum(len(g.edges) for g in graphs) == 3_000
    assert len({g.document.doc for g in graphs}) == len(graphs)
    shared = {}
    for graph in graphs:
        ids = [n.id for n in graph.nodes]
        assert len(ids) == len(set(ids))
        keys = [e.key for e in graph.edges]
        assert len(keys) == len(set(keys))
        doc_id = f"Document:{graph.document.doc}"
        assert doc_id in ids
        for node in graph.nodes:
            assert node.label in NODE_LABELS
            if node.label != "Document":
                assert node.evidence
                assert f"MENTIONED_IN|{node.id}|{doc_id}" in keys
                shared.setdefault(node.id, set()).add(graph.document.doc)
            for ev in node.evidence:
                assert ev.doc == graph.document.doc and ev.end - ev.start == len(ev.text)
        for edge in graph.edges:
            assert edge.type in RELATION_TYPES
            assert edge.source in ids and edge.target in ids
            assert edge.evidence
    # organisations and national initiatives are shared by documents, so stores must merge them
    assert len(shared["Organisation:nhs england"]) == len(graphs)
    assert any(len(docs) > 1 for node_id, docs in shared.items()
               if node_id.startswith("Organisation:") and node_id != "Organisation:nhs england")
    again = list(synthetic_document_graphs(3_000, seed=5, relationships_per_document=400))
    assert again == graphs
