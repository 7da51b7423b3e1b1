"""Extraction speed and memory, measured against the bare spaCy model in the same run.

1. The bare ``nlp.pipe`` of the configured model over the text the extraction feeds it
   (the cleaned documents, reference lists left out, cut into the same chunks);
2. the full extraction (reading, cleaning, the model, every domain and relation
   component, assembly) over the same files; words/second for both and their ratio;
   also the entity side alone (relation components disabled);
3. the same with ``n_process=2``;
4. peak resident memory while streaming the corpus repeated 1x, 4x, 16x (the figures
   should stay flat: documents are streamed, never held together).

Usage: python bench/extract_speed.py [--corpus DIR] [--sizes 1,4,16] [--skip-memory]
       [--skip-speed] [--memory-files N]
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

import psutil
import spacy

from actorgraph.extraction.pipeline import (
    _clean,
    _read,
    build_nlp,
    extract_paths,
    extraction_config,
    make_chunks,
)

DEFAULT_CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"


def chunk_texts(files: list[Path], chunk_chars: int) -> list[str]:
    texts = []
    for path in files:
        clean = _clean(_read(path))
        texts += [clean.text[c.start:c.end] for c in make_chunks(clean, chunk_chars)]
    return texts


def rate(words: int, seconds: float) -> float:
    return words / seconds if seconds > 0 else float("inf")


def run_full(files: list[Path], nlp, n_process: int) -> float:
    t0 = time.perf_counter()
    n = sum(1 for _ in extract_paths(files, nlp=nlp, n_process=n_process))
    assert n == len(files)
    return time.perf_counter() - t0


def run_bare(bare, texts: list[str], n_process: int, batch_size: int) -> float:
    t0 = time.perf_counter()
    for _ in bare.pipe(texts, batch_size=batch_size, n_process=n_process):
        pass
    return time.perf_counter() - t0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--sizes", default="1,4,16")
    parser.add_argument("--skip-memory", action="store_true")
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--memory-files", type=int, default=0,
                        help="stream only the N smallest files in the memory test (0: all)")
    args = parser.parse_args()

    cfg = extraction_config()
    files = sorted(p for p in args.corpus.iterdir() if p.is_file())
    texts = chunk_texts(files, int(cfg["chunk_chars"]))
    words = sum(len(t.split()) for t in texts)
    batch = int(cfg["batch_size"])
    print(f"corpus: {len(files)} files, {len(texts)} chunks, {words} words; model {cfg['model']}")

    bare = spacy.load(cfg["model"])
    nlp = build_nlp()
    entity_only = [n for n in nlp.pipe_names if n.startswith("actorgraph_rel_")]
    run_bare(bare, texts[:2], 1, batch)  # warm up both
    run_full(files[:1], nlp, 1)

    for n_process in (() if args.skip_speed else (1, 2)):
        t_bare = run_bare(bare, texts, n_process, batch)
        t_full = run_full(files, nlp, n_process)
        print(f"\nn_process={n_process}")
        print(f"  bare nlp.pipe       {rate(words, t_bare):9.0f} words/s  ({t_bare:.1f} s)")
        print(f"  full extraction     {rate(words, t_full):9.0f} words/s  ({t_full:.1f} s)")
        print(f"  ratio full/bare     {t_bare / t_full:9.2f}")
        if n_process == 1:
            with nlp.select_pipes(disable=entity_only):
                t_ent = run_full(files, nlp, 1)
            print(f"  entity side only    {rate(words, t_ent):9.0f} words/s  ({t_ent:.1f} s)"
                  f"  ratio {t_bare / t_ent:.2f}")

    if args.skip_memory:
        return
    proc = psutil.Process()
    mem_files = sorted(files, key=lambda p: p.stat().st_size)[: args.memory_files or None]
    mem_words = sum(len(t.split()) for t in chunk_texts(mem_files, int(cfg["chunk_chars"])))
    print(f"\npeak RSS while streaming {len(mem_files)} file(s) ({mem_words} words) repeated "
          f"k times (n_process=1)")
    for k in (int(x) for x in args.sizes.split(",")):
        gc.collect()
        start = proc.memory_info().rss
        peak = start
        t0 = time.perf_counter()
        n = 0
        for _ in extract_paths(mem_files * k, nlp=nlp):
            n += 1
            peak = max(peak, proc.memory_info().rss)
        secs = time.perf_counter() - t0
        print(f"  {k:3d}x: {n:4d} documents, {k * mem_words:8d} words, {secs:7.1f} s, "
              f"peak RSS {peak / 2**20:7.1f} MiB (start {start / 2**20:7.1f} MiB)")


if __name__ == "__main__":
    main()
