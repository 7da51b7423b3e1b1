"""Speed of reading + cleaning, against a trivial baseline measured in the same run.

Prints, for each corpus document and for the corpus concatenated 1x, 2x, 4x and 8x:
characters, the time of ``clean_text``, the time of a baseline (one regex pass
that collapses white space, the least any cleaner does), their ratio, and the
time per MB, so linearity shows as a flat ms/MB column.

Run: ``python bench/clean_speed.py [FOLDER]`` (default ``../shared/corpus``).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from actorgraph.extraction.cleaning import clean_text
from actorgraph.extraction.readers import iter_input_paths, read_document

REPO = Path(__file__).resolve().parents[1]
WS = re.compile(r"\s+")


def best_of(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def row(label: str, text: str, fmt: str) -> None:
    t_clean = best_of(lambda: clean_text(text, fmt))
    t_base = best_of(lambda: WS.sub(" ", text))
    mb = len(text) / 1e6
    print(f"{label:<34} {len(text):>10,} {t_clean * 1000:>9.1f} {t_base * 1000:>9.2f} "
          f"{t_clean / max(t_base, 1e-9):>8.1f} {t_clean * 1000 / mb:>8.0f}")


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "corpus"
    print(f"{'document':<34} {'chars':>10} {'clean ms':>9} {'base ms':>9} {'ratio':>8} "
          f"{'ms/MB':>8}")
    texts = []
    for item in iter_input_paths([folder]):
        if isinstance(item, Exception):
            print(item)
            continue
        t0 = time.perf_counter()
        doc = read_document(item)
        t_read = time.perf_counter() - t0
        texts.append(doc.text)
        row(f"{doc.name} (read {t_read * 1000:.0f} ms)", doc.text, doc.format)
    corpus = "\n\n".join(texts)
    for k in (1, 2, 4, 8):
        row(f"corpus x{k}", "\n\n".join([corpus] * k), "txt")


if __name__ == "__main__":
    main()
