"""Cost of the relation components: the extraction pipeline with and without them.

Runs, in one process, the configured pipeline (model + entity components) over the
cleaned sample corpus cut into paragraphs, then the same with the relation
components, and prints words per second for both and their ratio.

    python bench/relations_speed.py [FOLDER] [--repeat N] [--rounds R]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from actorgraph.extraction.cleaning import clean_text
from actorgraph.extraction.components.transport import relations_of
from actorgraph.extraction.pipeline import build_nlp
from actorgraph.extraction.relations import RELATION_COMPONENTS

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"


def _paragraphs(folder: Path) -> list[str]:
    out: list[str] = []
    for path in sorted(p for p in folder.iterdir() if p.is_file()):
        text = clean_text(path.read_text("utf-8-sig"), path.suffix.lstrip(".") or "txt").text
        out.extend(p for p in text.split("\n\n") if p.strip())
    return out


def _run(nlp, paras: list[str], disable: list[str]) -> tuple[float, int]:  # noqa: ANN001
    start = time.perf_counter()
    n_rel = 0
    with nlp.select_pipes(disable=disable):
        for doc in nlp.pipe(paras, batch_size=64):
            n_rel += len(relations_of(doc))
    return time.perf_counter() - start, n_rel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(CORPUS))
    parser.add_argument("--repeat", type=int, default=1, help="copies of the corpus")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved runs, best kept")
    args = parser.parse_args()
    paras = _paragraphs(Path(args.folder)) * args.repeat
    words = sum(len(p.split()) for p in paras)
    nlp = build_nlp()
    rel = [n for n in nlp.pipe_names if n in RELATION_COMPONENTS]
    _run(nlp, paras[:20], [])  # warm up
    bases, fulls = [], []
    for _ in range(args.rounds):  # interleaved, best of N: the machine may be shared
        bases.append(_run(nlp, paras, rel)[0])
        seconds, n_rel = _run(nlp, paras, [])
        fulls.append(seconds)
    base, full = min(bases), min(fulls)
    print(f"paragraphs={len(paras)} words={words} relation mentions={n_rel}")
    print(f"without relation components: {words / base:,.0f} words/s ({base:.1f} s)")
    print(f"with relation components:    {words / full:,.0f} words/s ({full:.1f} s)")
    print(f"throughput kept: {base / full:.1%}")


if __name__ == "__main__":
    main()
