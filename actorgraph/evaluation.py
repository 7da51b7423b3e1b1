"""Scoring extractions against the hand-annotated development set (``bench/gold/``).

The gold set is one JSONL file per corpus document (``<doc stem>.jsonl``) with four kinds of
record (see ``bench/gold/GUIDELINES.md``)::

    {"kind": "document", "doc": "000_x.txt", "title": "..."}
    {"kind": "entity", "label": "Organisation", "name": "NHS England", "aliases": ["NHSE"],
     "properties": {"org_type": "NATIONAL_BODY"}}
    {"kind": "relation", "type": "SPREAD_TO", "source": {"label": "Site", "name": "Site 3"},
     "target": {"label": "Site", "name": "Site 4"}, "properties": {"initiative": "...",
     "mode": "spread"}, "evidence": "a verbatim substring of the document"}
    {"kind": "cited_author", "name": "Checkland"}

Matching rules (documented in ``docs/quality.md``):

* **Entities** match on (document, label, normalised name): a predicted entity matches a gold
  entity when any of its name/aliases equals the gold name or any gold alias after
  :func:`normalise_name` (case, articles, plurals, possessives, punctuation, whitespace).
  ``Role`` names may also match fuzzily (token-sort ratio >= ``ROLE_FUZZ``). Matching is
  one-to-one; a second prediction for an already matched gold entity is a *duplicate*
  (reported, counted neither as TP nor as FP). Bracketed person redactions (``[named]``)
  are not scored as entities on either side.
* **Relations** match on (document, type, source match, target match). ``PARTNER_OF`` is
  direction-free (either orientation matches); every other type is directed. For
  ``SPREAD_TO`` a candidate whose ``initiative`` also matches is preferred.
  ``MENTIONED_IN`` is not scored.
* **Untyped** relation scores compare unordered endpoint pairs only, ignoring the relation
  type and the endpoint labels (used to compare against baselines with untyped edges).

Worked example::

    >>> prf = PRF(tp=3, fp=1, fn=3)
    >>> (round(prf.precision, 2), round(prf.recall, 2), round(prf.f1, 2))
    (0.75, 0.5, 0.6)
    >>> normalise_name("The CCGs'") == normalise_name("CCG")
    True
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from actorgraph.records import DocumentExtraction, Entity, Evidence

#: Labels whose entities are scored.
ENTITY_LABELS: tuple[str, ...] = ("Person", "Organisation", "Site", "Initiative", "Place", "Role")
#: Relation types that are never scored (structural, not extracted facts).
UNSCORED_RELATION_TYPES: frozenset[str] = frozenset({"MENTIONED_IN"})
#: Direction-free relation types.
SYMMETRIC_TYPES: frozenset[str] = frozenset({"PARTNER_OF"})
#: Minimum rapidfuzz token-sort ratio for two Role names to match.
ROLE_FUZZ = 85.0
#: Default location of the gold files.
DEFAULT_GOLD_DIR = Path(__file__).resolve().parents[1] / "bench" / "gold"

_ARTICLES = {"the", "a", "an"}
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})
_ACRONYM_PLURAL = re.compile(r"\b([A-Z][A-Z0-9&]+)s\b")
_POSSESSIVE = re.compile(r"(\w)'s?\b")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")
_REDACTION = re.compile(r"^\[[^\]]*\]$")
#: Labels whose bare bracketed redactions (``[named]``, ``[name of site]``) are not scored as
#: entities: they stand for a respondent's own person or site and are resolved via codes.
REDACTION_UNSCORED_LABELS: frozenset[str] = frozenset({"Person", "Site"})
#: Domain abbreviations applied to names on both sides before comparison (long -> short),
#: in addition to the abbreviations a document defines (``DocumentExtraction.abbreviations``).
BUILTIN_ABBREVIATIONS: dict[str, str] = {
    "clinical commissioning group": "ccg",
    "sustainability and transformation partnership": "stp",
    "sustainability and transformation plan": "stp",
    "integrated care system": "ics",
    "integrated care board": "icb",
    "primary care network": "pcn",
    "nhs england": "nhse",
    "care quality commission": "cqc",
    "general practitioner": "gp",
    "multidisciplinary team": "mdt",
    "multi disciplinary team": "mdt",
    "musculoskeletal": "msk",
    "enhanced health in care home": "ehch",
    "new care model": "ncm",
}


class GoldFormatError(ValueError):
    """A gold file that cannot be used; ``str(err)`` names the file, line and reason."""


def normalise_name(name: str) -> str:
    """Return the comparison key of a name.

    Folds case and Unicode quotes, drops possessives (``CCG's`` -> ``CCG``), plural ``s`` of
    acronyms (``MCPs``) and of ordinary words longer than three letters (``homes`` ->
    ``home``, but not ``-ss``/``-us``/``-is`` endings), articles, punctuation and extra
    whitespace; ``&`` reads as ``and``.

    >>> normalise_name("the Care Homes’ ")
    'care home'
    >>> normalise_name("MCPs") == normalise_name("MCP")
    True
    """
    text = unicodedata.normalize("NFKC", name).translate(_QUOTES)
    text = _ACRONYM_PLURAL.sub(r"\1", text)
    text = _POSSESSIVE.sub(r"\1", text).replace("&", " and ").lower()
    tokens = []
    for token in _NON_ALNUM.sub(" ", text).split():
        if token in _ARTICLES:
            continue
        if len(token) > 3 and token.endswith("s") and not token.endswith(("ss", "us", "is")):
            token = token[:-1]
        tokens.append(token)
    return " ".join(tokens)


def abbreviation_pairs(abbreviations: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """Normalised ``(long form, abbreviation)`` pairs: built-in plus ``abbreviations``.

    ``abbreviations`` maps abbreviation -> long form, as in
    :attr:`~actorgraph.records.DocumentExtraction.abbreviations`. Longest long forms first.
    """
    pairs = dict(BUILTIN_ABBREVIATIONS)
    for short, long in (abbreviations or {}).items():
        nlong, nshort = normalise_name(long), normalise_name(short)
        if nlong and nshort and nlong != nshort and len(nlong.split()) > 1:
            pairs.setdefault(nlong, nshort)
    return sorted(pairs.items(), key=lambda kv: -len(kv[0]))


_BUILTIN_PAIRS = abbreviation_pairs()


def name_keys(names: Iterable[str], pairs: list[tuple[str, str]] | None = None) -> set[str]:
    """Comparison keys of a list of names: each normalised, plus its abbreviated form.

    >>> sorted(name_keys(["Sustainability and Transformation Partnerships"]))
    ['stp', 'sustainability and transformation partnership']
    """
    pairs = _BUILTIN_PAIRS if pairs is None else pairs
    keys: set[str] = set()
    for name in names:
        key = normalise_name(name)
        if not key:
            continue
        keys.add(key)
        short = f" {key} "
        for long, abbr in pairs:
            short = short.replace(f" {long} ", f" {abbr} ")
        keys.add(short.strip())
    return keys


def is_redaction(name: str) -> bool:
    """True for a bare bracketed redaction such as ``[named]`` or ``[name]``."""
    return bool(_REDACTION.match(name.strip()))


# --------------------------------------------------------------------------- gold model


@dataclass
class GoldEntity:
    """One annotated entity: label, canonical name, aliases and properties."""

    label: str
    name: str
    aliases: list[str] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)

    @property
    def keys(self) -> set[str]:
        """Normalised name and aliases, with built-in abbreviations applied."""
        return name_keys([self.name, *self.aliases])


@dataclass
class GoldRelation:
    """One annotated relation between two gold endpoints, with its verbatim evidence."""

    type: str
    source: GoldEntity
    target: GoldEntity
    properties: dict[str, Any]
    evidence: str
    line: int = 0

    def describe(self) -> str:
        """One line for error listings."""
        extra = f" [{self.properties['initiative']}]" if self.properties.get("initiative") else ""
        return (
            f"{self.source.label}:{self.source.name} -{self.type}-> "
            f"{self.target.label}:{self.target.name}{extra}"
        )


@dataclass
class GoldDocument:
    """All gold records of one corpus document."""

    doc: str
    title: str = ""
    entities: list[GoldEntity] = field(default_factory=list)
    relations: list[GoldRelation] = field(default_factory=list)
    cited_authors: list[str] = field(default_factory=list)
    path: Path | None = None

    def entity(self, label: str, name: str) -> GoldEntity | None:
        """Return the declared entity ``(label, name)``, if any."""
        for ent in self.entities:
            if ent.label == label and ent.name == name:
                return ent
        return None


def load_gold_file(path: Path) -> GoldDocument:
    """Parse one gold JSONL file; raise :class:`GoldFormatError` naming file:line on bad input."""
    path = Path(path)
    gold = GoldDocument(doc=path.stem + ".txt", path=path)
    pending: list[tuple[int, dict[str, Any]]] = []
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise GoldFormatError(f"{path}: cannot read gold file: {err}") from err
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rec = json.loads(line)
        except json.JSONDecodeError as err:
            raise GoldFormatError(f"{path}:{number}: invalid JSON: {err.msg}") from err
        kind = rec.get("kind") if isinstance(rec, dict) else None
        if kind == "document":
            gold.doc = str(rec.get("doc") or gold.doc)
            gold.title = str(rec.get("title") or "")
        elif kind == "entity":
            _require(rec, ("label", "name"), path, number)
            gold.entities.append(
                GoldEntity(
                    rec["label"],
                    rec["name"],
                    list(rec.get("aliases") or []),
                    dict(rec.get("properties") or {}),
                )
            )
        elif kind == "relation":
            _require(rec, ("type", "source", "target", "evidence"), path, number)
            pending.append((number, rec))
        elif kind == "cited_author":
            _require(rec, ("name",), path, number)
            gold.cited_authors.append(rec["name"])
        else:
            raise GoldFormatError(f"{path}:{number}: unknown record kind {kind!r}")
    for number, rec in pending:
        ends = []
        for side in ("source", "target"):
            ref = rec[side]
            if not isinstance(ref, dict) or "label" not in ref or "name" not in ref:
                raise GoldFormatError(f"{path}:{number}: relation {side} needs label and name")
            ent = gold.entity(ref["label"], ref["name"])
            ends.append(ent or GoldEntity(ref["label"], ref["name"]))
        gold.relations.append(
            GoldRelation(
                rec["type"],
                ends[0],
                ends[1],
                dict(rec.get("properties") or {}),
                rec["evidence"],
                number,
            )
        )
    return gold


def _require(rec: dict[str, Any], keys: Iterable[str], path: Path, number: int) -> None:
    missing = [k for k in keys if k not in rec]
    if missing:
        raise GoldFormatError(f"{path}:{number}: {rec.get('kind')} record lacks {missing}")


def load_gold(gold_dir: Path | str = DEFAULT_GOLD_DIR) -> dict[str, GoldDocument]:
    """Load every ``*.jsonl`` gold file of a folder, keyed by document file name."""
    gold_dir = Path(gold_dir)
    if not gold_dir.is_dir():
        raise GoldFormatError(f"{gold_dir}: gold folder not found")
    docs = {}
    for path in sorted(gold_dir.glob("*.jsonl")):
        gold = load_gold_file(path)
        docs[gold.doc] = gold
    if not docs:
        raise GoldFormatError(f"{gold_dir}: no *.jsonl gold files")
    return docs


# --------------------------------------------------------------------------- metrics


@dataclass
class PRF:
    """Counts and precision/recall/F1 of one row of a score table."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    duplicates: int = 0

    @property
    def precision(self) -> float:
        """``tp / (tp + fp)``; 0 when nothing was predicted."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """``tp / (tp + fn)``; 0 when there is no gold."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: PRF) -> None:
        """Accumulate another row's counts."""
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.duplicates += other.duplicates

    def to_dict(self) -> dict[str, float | int]:
        """JSON-ready form with rounded ratios."""
        return {
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "duplicates": self.duplicates,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


@dataclass
class QualityReport:
    """Scores of one system against the gold set."""

    entities: dict[str, PRF] = field(default_factory=dict)
    relations: dict[str, PRF] = field(default_factory=dict)
    relations_overall: PRF = field(default_factory=PRF)
    relations_untyped: PRF = field(default_factory=PRF)
    spread_initiative_correct: int = 0
    cited_author_persons: list[str] = field(default_factory=list)
    cited_author_other: list[str] = field(default_factory=list)
    evidence_checked: int = 0
    evidence_mismatches: list[str] = field(default_factory=list)
    false_positives: dict[str, list[str]] = field(default_factory=dict)
    false_negatives: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def entities_overall(self) -> PRF:
        """Micro-average over all scored entity labels."""
        total = PRF()
        for prf in self.entities.values():
            total.add(prf)
        return total

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "entities": {k: v.to_dict() for k, v in self.entities.items()},
            "entities_overall": self.entities_overall.to_dict(),
            "relations": {k: v.to_dict() for k, v in self.relations.items()},
            "relations_overall": self.relations_overall.to_dict(),
            "relations_untyped": self.relations_untyped.to_dict(),
            "spread_initiative_correct": self.spread_initiative_correct,
            "cited_author_persons": len(self.cited_author_persons),
            "cited_author_persons_examples": self.cited_author_persons[:20],
            "cited_author_other": len(self.cited_author_other),
            "evidence_checked": self.evidence_checked,
            "evidence_mismatches": len(self.evidence_mismatches),
            "evidence_mismatch_examples": self.evidence_mismatches[:20],
            "warnings": self.warnings,
        }


# --------------------------------------------------------------------------- matching


def _pred_keys(ent: Entity, pairs: list[tuple[str, str]] | None = None) -> set[str]:
    return name_keys([ent.name, *ent.aliases], pairs)


def names_match(gold: GoldEntity, pred: Entity, pairs: list[tuple[str, str]] | None = None) -> bool:
    """True when the predicted entity's name or an alias equals a gold name/alias.

    Both sides are compared by :func:`name_keys` (normalised, abbreviations applied with
    ``pairs``, default the built-in ones). Role names also match fuzzily (token-sort ratio
    >= :data:`ROLE_FUZZ`).
    """
    gkeys = gold.keys if pairs is None else name_keys([gold.name, *gold.aliases], pairs)
    pkeys = _pred_keys(pred, pairs)
    if gkeys & pkeys:
        return True
    if gold.label == "Role" and pred.label == "Role":
        return any(fuzz.token_sort_ratio(g, p) >= ROLE_FUZZ for g in gkeys for p in pkeys)
    return False


def entity_matches(
    gold: GoldEntity, pred: Entity, typed: bool = True, pairs: list[tuple[str, str]] | None = None
) -> bool:
    """Label (when ``typed``) and name match."""
    if typed and gold.label != pred.label:
        return False
    return names_match(gold, pred, pairs)


def _scored_entity(label: str, name: str) -> bool:
    return label in ENTITY_LABELS and not (
        label in REDACTION_UNSCORED_LABELS and is_redaction(name)
    )


def _match_entities(gold: GoldDocument, pred: DocumentExtraction, report: QualityReport) -> None:
    for label in ENTITY_LABELS:
        golds = [g for g in gold.entities if g.label == label and _scored_entity(label, g.name)]
        preds = [p for p in pred.entities if p.label == label and _scored_entity(label, p.name)]
        pairs = abbreviation_pairs(pred.abbreviations)
        prf = report.entities.setdefault(label, PRF())
        matched: set[int] = set()
        fps = report.false_positives.setdefault(f"entity:{label}", [])
        for p in preds:
            cands = [i for i, g in enumerate(golds) if names_match(g, p, pairs)]
            free = [i for i in cands if i not in matched]
            if free:
                exact = [i for i in free if normalise_name(golds[i].name) in _pred_keys(p, pairs)]
                matched.add((exact or free)[0])
                prf.tp += 1
            elif cands:
                prf.duplicates += 1
            else:
                prf.fp += 1
                fps.append(f"{gold.doc}: {p.name}")
        fns = report.false_negatives.setdefault(f"entity:{label}", [])
        for i, g in enumerate(golds):
            if i not in matched:
                prf.fn += 1
                fns.append(f"{gold.doc}: {g.name}")


def _endpoints_match(
    rel: GoldRelation,
    src: Entity,
    tgt: Entity,
    typed: bool = True,
    pairs: list[tuple[str, str]] | None = None,
) -> bool:
    def same(g: GoldEntity, p: Entity) -> bool:
        return entity_matches(g, p, typed, pairs)

    if same(rel.source, src) and same(rel.target, tgt):
        return True
    if rel.type in SYMMETRIC_TYPES or not typed:
        return same(rel.source, tgt) and same(rel.target, src)
    return False


def _initiative_matches(
    gold: GoldDocument,
    rel: GoldRelation,
    props: dict[str, Any],
    by_id: dict[str, Entity],
    pairs: list[tuple[str, str]] | None = None,
) -> bool:
    wanted = rel.properties.get("initiative")
    got = by_id.get(str(props.get("initiative")))
    if not wanted or got is None:
        return False
    gent = gold.entity("Initiative", wanted) or GoldEntity("Initiative", wanted)
    return names_match(gent, got, pairs)


def _match_relations(gold: GoldDocument, pred: DocumentExtraction, report: QualityReport) -> None:
    by_id = {e.id: e for e in pred.entities}
    pairs = abbreviation_pairs(pred.abbreviations)
    golds = list(gold.relations)
    matched: set[int] = set()
    for rel in pred.relations:
        if rel.type in UNSCORED_RELATION_TYPES:
            continue
        src, tgt = by_id.get(rel.source), by_id.get(rel.target)
        prf = report.relations.setdefault(rel.type, PRF())
        if src is None or tgt is None:
            report.warnings.append(f"{pred.doc}: relation {rel.type} has an unknown endpoint id")
            prf.fp += 1
            continue
        cands = [
            i
            for i, g in enumerate(golds)
            if g.type == rel.type and _endpoints_match(g, src, tgt, pairs=pairs)
        ]
        free = [i for i in cands if i not in matched]
        if free:
            best = [
                i for i in free if _initiative_matches(gold, golds[i], rel.properties, by_id, pairs)
            ]
            choice = (best or free)[0]
            matched.add(choice)
            prf.tp += 1
            if best and rel.type == "SPREAD_TO":
                report.spread_initiative_correct += 1
        elif cands:
            prf.duplicates += 1
        else:
            prf.fp += 1
            report.false_positives.setdefault(f"relation:{rel.type}", []).append(
                f"{gold.doc}: {src.label}:{src.name} -{rel.type}-> {tgt.label}:{tgt.name}"
            )
    for i, g in enumerate(golds):
        prf = report.relations.setdefault(g.type, PRF())
        if i not in matched:
            prf.fn += 1
            report.false_negatives.setdefault(f"relation:{g.type}", []).append(
                f"{gold.doc}: {g.describe()}"
            )


def _match_untyped(gold: GoldDocument, pred: DocumentExtraction, report: QualityReport) -> None:
    by_id = {e.id: e for e in pred.entities}
    pairs = abbreviation_pairs(pred.abbreviations)
    gold_pairs: list[GoldRelation] = []
    seen: set[frozenset[str]] = set()
    for g in gold.relations:
        key = frozenset({normalise_name(g.source.name), normalise_name(g.target.name)})
        if key not in seen:
            seen.add(key)
            gold_pairs.append(g)
    pred_pairs: dict[frozenset[str], tuple[Entity, Entity]] = {}
    for rel in pred.relations:
        if rel.type in UNSCORED_RELATION_TYPES:
            continue
        src, tgt = by_id.get(rel.source), by_id.get(rel.target)
        if src is None or tgt is None:
            continue
        pred_pairs.setdefault(frozenset({src.id, tgt.id}), (src, tgt))
    matched: set[int] = set()
    prf = report.relations_untyped
    for src, tgt in pred_pairs.values():
        cands = [
            i
            for i, g in enumerate(gold_pairs)
            if _endpoints_match(g, src, tgt, typed=False, pairs=pairs)
        ]
        free = [i for i in cands if i not in matched]
        if free:
            matched.add(free[0])
            prf.tp += 1
        elif cands:
            prf.duplicates += 1
        else:
            prf.fp += 1
    prf.fn += len(gold_pairs) - len(matched)


def _cited_keys(gold: dict[str, GoldDocument]) -> list[list[str]]:
    keys = {normalise_name(n) for g in gold.values() for n in g.cited_authors} - {""}
    return [k.split() for k in sorted(keys)]


def _contains(tokens: list[str], seq: list[str]) -> bool:
    n = len(seq)
    return any(tokens[i : i + n] == seq for i in range(len(tokens) - n + 1))


def _check_cited(
    gold: GoldDocument, pred: DocumentExtraction, cited: list[list[str]], report: QualityReport
) -> None:
    pairs = abbreviation_pairs(pred.abbreviations)
    for ent in pred.entities:
        if ent.label in ("Document", "Role"):
            continue
        if any(g.label == ent.label and names_match(g, ent, pairs) for g in gold.entities):
            continue
        tokens = normalise_name(ent.name).split()
        if any(_contains(tokens, seq) for seq in cited):
            note = f"{pred.doc}: {ent.label}:{ent.name}"
            if ent.label == "Person":
                report.cited_author_persons.append(note)
            else:
                report.cited_author_other.append(note)


def check_evidence(
    extractions: Iterable[DocumentExtraction], corpus_dir: Path | None = None
) -> tuple[int, list[str]]:
    """Re-read each source file and compare every evidence span with its slice.

    Returns ``(number checked, list of mismatch descriptions)``. The file of an evidence is
    found beside the extraction's ``path`` (or in ``corpus_dir``) by the evidence's ``doc``.
    """
    cache: dict[str, str | None] = {}
    checked = 0
    bad: list[str] = []

    def original(ext: DocumentExtraction, doc: str) -> str | None:
        if doc not in cache:
            candidates = [Path(ext.path).parent / doc]
            if doc == ext.doc:
                candidates.insert(0, Path(ext.path))
            if corpus_dir is not None:
                candidates.append(Path(corpus_dir) / doc)
            cache[doc] = None
            for cand in candidates:
                if cand.is_file():
                    cache[doc] = cand.read_text("utf-8-sig")
                    break
        return cache[doc]

    for ext in extractions:
        items: list[tuple[str, Evidence]] = []
        for ent in ext.entities:
            items += [(f"entity {ent.label}:{ent.name}", ev) for ev in ent.evidence]
        for rel in ext.relations:
            items += [(f"relation {rel.type}", ev) for ev in rel.evidence]
        for what, ev in items:
            checked += 1
            text = original(ext, ev.doc)
            if text is None:
                bad.append(f"{ev.doc}: {what}: source file not found")
            elif not (0 <= ev.start <= ev.end <= len(text)) or text[ev.start : ev.end] != ev.text:
                bad.append(f"{ev.doc}[{ev.start}:{ev.end}]: {what}: text differs from original")
    return checked, bad


def score(
    extractions: Iterable[DocumentExtraction],
    gold: dict[str, GoldDocument] | None = None,
    corpus_dir: Path | None = None,
    check_spans: bool = True,
) -> QualityReport:
    """Score predicted extractions against the gold set.

    Parameters
    ----------
    extractions:
        One :class:`~actorgraph.records.DocumentExtraction` per document; documents without
        gold are skipped with a warning, gold documents without a prediction count as all
        false negatives.
    gold:
        Output of :func:`load_gold` (default: the repository's ``bench/gold``).
    corpus_dir:
        Where to find original files for the evidence check when ``path`` does not point
        to them.
    check_spans:
        Re-read the originals and count evidence spans that differ from their slice.

    Returns
    -------
    QualityReport
    """
    gold = load_gold() if gold is None else gold
    extractions = list(extractions)
    report = QualityReport()
    cited = _cited_keys(gold)
    seen: set[str] = set()
    for ext in extractions:
        gdoc = gold.get(ext.doc)
        if gdoc is None:
            report.warnings.append(f"{ext.doc}: no gold annotations, not scored")
            continue
        seen.add(ext.doc)
        _match_entities(gdoc, ext, report)
        _match_relations(gdoc, ext, report)
        _match_untyped(gdoc, ext, report)
        _check_cited(gdoc, ext, cited, report)
    for doc, gdoc in gold.items():
        if doc not in seen:
            empty = DocumentExtraction(doc=doc, path="", sha256="", n_chars=0)
            _match_entities(gdoc, empty, report)
            _match_relations(gdoc, empty, report)
            _match_untyped(gdoc, empty, report)
    for prf in report.relations.values():
        report.relations_overall.add(prf)
    if check_spans:
        report.evidence_checked, report.evidence_mismatches = check_evidence(
            extractions, corpus_dir
        )
    return report


#: The issue's targets: (description, metric getter, comparison, threshold).
TARGETS: tuple[tuple[str, str, float], ...] = (
    ("entity:Site F1", ">=", 0.85),
    ("entity:Organisation F1", ">=", 0.85),
    ("entity:Initiative F1", ">=", 0.85),
    ("entity:Person F1", ">=", 0.85),
    ("relations overall F1", ">=", 0.75),
    ("relation:TRANSITIONED_TO F1", ">=", 0.70),
    ("relation:SPREAD_TO F1", ">=", 0.70),
    ("cited authors as Person", "==", 0),
    ("evidence spans differing from original", "==", 0),
)


def target_value(report: QualityReport, name: str) -> float:
    """Value of one named target metric of :data:`TARGETS`."""
    if name.startswith("entity:"):
        return report.entities.get(name.split(":", 1)[1].split()[0], PRF()).f1
    if name.startswith("relation:"):
        return report.relations.get(name.split(":", 1)[1].split()[0], PRF()).f1
    if name == "relations overall F1":
        return report.relations_overall.f1
    if name == "cited authors as Person":
        return float(len(report.cited_author_persons))
    if name == "evidence spans differing from original":
        return float(len(report.evidence_mismatches))
    raise KeyError(name)


def check_targets(report: QualityReport) -> list[tuple[str, float, str, float, bool]]:
    """Return ``(target, value, op, threshold, passed)`` for every target of the issue."""
    rows = []
    for name, op, threshold in TARGETS:
        value = target_value(report, name)
        passed = value >= threshold if op == ">=" else value == threshold
        rows.append((name, value, op, threshold, passed))
    return rows
