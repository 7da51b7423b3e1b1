"""Extraction quality on the hand-annotated development set: the product against the baseline.

Runs the product extraction (``actorgraph.extraction.pipeline.extract_paths``) and the naive
baseline (``bench/baseline.py``: stock spaCy NER, co-occurrence edges) on the sample corpus,
scores both against ``bench/gold/`` with :mod:`actorgraph.evaluation`, and prints per-type
precision/recall/F1 side by side, the issue's targets with PASS/FAIL, and (``--errors``) the
false positives and false negatives per type.

Relation scores are given twice: *typed* (type and both endpoints must match; the baseline's
edges are all of type ``RELATED`` so its typed recall is 0 by construction) and *untyped*
(unordered endpoint pairs only, type and labels ignored, for both systems).

Usage::

    python bench/quality.py                 # both systems, tables and targets
    python bench/quality.py --errors        # plus FP/FN listings per type (product)
    python bench/quality.py --json          # machine-readable
    python bench/quality.py --system baseline
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from baseline import baseline_paths  # noqa: E402

from actorgraph.evaluation import (  # noqa: E402
    DEFAULT_GOLD_DIR,
    ENTITY_LABELS,
    PRF,
    QualityReport,
    check_targets,
    load_gold,
    score,
)
from actorgraph.records import DocumentExtraction  # noqa: E402

DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus"


def _collect(items: Iterable[Any], warnings: list[str]) -> list[DocumentExtraction]:
    """Accept whatever ``extract_paths`` yields: extractions, (path, result) pairs, or errors."""
    out = []
    for item in items:
        if isinstance(item, DocumentExtraction):
            out.append(item)
        elif isinstance(item, Exception):
            warnings.append(f"skipped: {item}")
        elif isinstance(item, tuple | list):
            found = [x for x in item if isinstance(x, DocumentExtraction)]
            out.extend(found)
            if not found:
                warnings.append(f"skipped: {item!r}"[:200])
        elif hasattr(item, "extraction") and isinstance(item.extraction, DocumentExtraction):
            out.append(item.extraction)
        else:
            warnings.append(f"skipped: {item!r}"[:200])
    return out


def run_product(paths: list[Path]) -> tuple[list[DocumentExtraction] | None, list[str]]:
    """Run the product extraction; ``(None, [reason])`` when it cannot be imported yet."""
    try:
        pipeline = importlib.import_module("actorgraph.extraction.pipeline")
        extract_paths = pipeline.extract_paths
    except (ImportError, AttributeError) as err:
        return None, [f"product extraction not available: {err}"]
    warnings: list[str] = []
    return _collect(extract_paths(paths), warnings), warnings


def _fmt(prf: PRF | None) -> str:
    if prf is None:
        return f"{'-':>5} {'-':>5} {'-':>5}"
    return f"{prf.precision:5.2f} {prf.recall:5.2f} {prf.f1:5.2f}"


def _table(title: str, rows: list[str], getters: dict[str, Any]) -> list[str]:
    names = list(getters)
    head = f"{title:<22}" + "".join(f" | {n:^17}" for n in names)
    sub = f"{'':<22}" + "".join(f" | {'P':>5} {'R':>5} {'F1':>5}" for _ in names)
    lines = [head, sub, "-" * len(sub)]
    for row in rows:
        cells = []
        gold_n = None
        for name in names:
            prf = getters[name](row)
            cells.append(_fmt(prf))
            if prf is not None:
                gold_n = prf.tp + prf.fn
        lines.append(f"{row:<22}" + "".join(f" | {c}" for c in cells) + f"   (gold {gold_n})")
    return lines


def render(reports: dict[str, QualityReport], timings: dict[str, float]) -> str:
    """Text tables: entities, relations (typed and untyped), targets."""
    out: list[str] = []
    ent_rows = [*ENTITY_LABELS, "overall"]
    out += _table(
        "Entities",
        ent_rows,
        {
            n: (lambda r, rep=rep: rep.entities_overall if r == "overall" else rep.entities.get(r))
            for n, rep in reports.items()
        },
    )
    out.append("")
    types = sorted({t for rep in reports.values() for t in rep.relations})
    out += _table(
        "Relations (typed)",
        [*types, "overall (typed)", "untyped pairs"],
        {
            n: (
                lambda r, rep=rep: (
                    rep.relations_overall
                    if r == "overall (typed)"
                    else rep.relations_untyped
                    if r == "untyped pairs"
                    else rep.relations.get(r)
                )
            )
            for n, rep in reports.items()
        },
    )
    out.append("")
    out.append(
        "Checks: "
        + "; ".join(
            f"{n}: cited authors as Person {len(r.cited_author_persons)} "
            f"(other labels {len(r.cited_author_other)}), evidence spans differing "
            f"{len(r.evidence_mismatches)}/{r.evidence_checked}, duplicates "
            f"{r.entities_overall.duplicates} entities / "
            f"{r.relations_overall.duplicates} relations, "
            f"{timings.get(n, 0):.1f}s"
            for n, r in reports.items()
        )
    )
    out.append("")
    out.append("Targets" + "".join(f" | {n:^16}" for n in reports))
    target_rows = {n: check_targets(r) for n, r in reports.items()}
    first = next(iter(target_rows.values()))
    for i, (name, _v, op, threshold, _p) in enumerate(first):
        cells = []
        for rows in target_rows.values():
            value, passed = rows[i][1], rows[i][4]
            cells.append(f"{value:7.2f} {'PASS' if passed else 'FAIL':>7}")
        out.append(f"{name} {op} {threshold:g}".ljust(45) + "".join(f" | {c}" for c in cells))
    return "\n".join(out)


def render_errors(name: str, report: QualityReport, limit: int) -> str:
    """False positives and false negatives per type."""
    out = [f"== errors: {name} =="]
    keys = sorted(set(report.false_positives) | set(report.false_negatives))
    for key in keys:
        fps, fns = report.false_positives.get(key, []), report.false_negatives.get(key, [])
        if not fps and not fns:
            continue
        out.append(f"-- {key}: {len(fps)} false positives, {len(fns)} false negatives")
        out += [f"   FP {x}" for x in fps[:limit]]
        out += [f"   FN {x}" for x in fns[:limit]]
    for what, items in (
        ("cited authors as Person", report.cited_author_persons),
        ("evidence mismatches", report.evidence_mismatches),
    ):
        if items:
            out.append(f"-- {what}: {len(items)}")
            out += [f"   {x}" for x in items[:limit]]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--gold", type=Path, default=DEFAULT_GOLD_DIR)
    parser.add_argument("--system", choices=("both", "product", "baseline"), default="both")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--errors", action="store_true", help="list FP/FN per type")
    parser.add_argument("--limit", type=int, default=200, help="max FP/FN lines per type")
    args = parser.parse_args(argv)

    gold = load_gold(args.gold)
    paths = [args.corpus / doc for doc in sorted(gold)]
    missing = [p for p in paths if not p.is_file()]
    if missing:
        print(f"{missing[0]}: corpus document of the gold set not found", file=sys.stderr)
        return 2
    reports: dict[str, QualityReport] = {}
    timings: dict[str, float] = {}
    notes: list[str] = []
    if args.system in ("both", "product"):
        t0 = time.perf_counter()
        extractions, warnings = run_product(paths)
        notes += warnings
        if extractions is not None:
            reports["product"] = score(extractions, gold, args.corpus)
            timings["product"] = time.perf_counter() - t0
    if args.system in ("both", "baseline"):
        t0 = time.perf_counter()
        reports["baseline"] = score(list(baseline_paths(paths)), gold, args.corpus)
        timings["baseline"] = time.perf_counter() - t0
    if not reports:
        print("; ".join(notes) or "nothing to score", file=sys.stderr)
        return 2
    if args.json:
        payload = {
            name: {
                **rep.to_dict(),
                "seconds": round(timings[name], 2),
                "targets": [
                    {"target": t, "value": v, "op": op, "threshold": th, "pass": ok}
                    for t, v, op, th, ok in check_targets(rep)
                ],
                **(
                    {"false_positives": rep.false_positives, "false_negatives": rep.false_negatives}
                    if args.errors
                    else {}
                ),
            }
            for name, rep in reports.items()
        }
        payload["notes"] = notes
        print(json.dumps(payload, indent=2, ensure_ascii=False))
        return 0
    gold_rel = sum(len(g.relations) for g in gold.values())
    print(
        f"Gold: {len(gold)} documents, {gold_rel} relations, "
        f"{sum(len(g.entities) for g in gold.values())} entities"
    )
    for note in notes:
        print(f"note: {note}")
    print(render(reports, timings))
    if args.errors:
        for name, rep in reports.items():
            if name == "product" or len(reports) == 1:
                print()
                print(render_errors(name, rep, args.limit))
    return 0


if __name__ == "__main__":
    sys.exit(main())
