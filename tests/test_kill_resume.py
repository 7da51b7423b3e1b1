"""Kill ``actorgraph ingest`` with SIGKILL mid-run, re-run: exactly the uninterrupted graph."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N_DOCS = 12


def split_corpus(corpus_files: list[Path], out: Path, n_docs: int = N_DOCS) -> list[Path]:
    """Cut the real sample documents into ``n_docs`` genre documents at paragraph breaks."""
    out.mkdir()
    paragraphs = []
    for path in corpus_files[:2]:
        text = path.read_text("utf-8-sig")
        paragraphs += [p for p in text.split("\n\n") if p.strip()]
    size = sum(len(p) for p in paragraphs) // n_docs + 1
    files, chunk = [], []
    for para in paragraphs:
        chunk.append(para)
        if sum(len(p) for p in chunk) >= size and len(files) < n_docs - 1:
            files.append("\n\n".join(chunk))
            chunk = []
    files.append("\n\n".join(chunk))
    paths = []
    for i, text in enumerate(files):
        path = out / f"part_{i:02d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def ingest_cmd(docs: Path) -> list[str]:
    return [sys.executable, "-m", "actorgraph.cli.main", "ingest", "--no-progress", str(docs)]


def env_for(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("NEO4J_URI", "ACTORGRAPH_CONFIG", "ACTORGRAPH_STORE")}
    env["ACTORGRAPH_HOME"] = str(home)
    return env


def stored_docs(home: Path) -> int:
    db = home / "graph.sqlite"
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:  # the schema is not created yet
        return 0


def kill_after(docs: Path, home: Path, n_stored: int) -> int:
    """Start an ingest, SIGKILL it once ``n_stored`` documents are in; return how many were."""
    proc = subprocess.Popen(ingest_cmd(docs), env=env_for(home), stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    deadline = time.monotonic() + 600
    try:
        while stored_docs(home) < n_stored:
            if proc.poll() is not None:
                pytest.fail(f"ingest ended before the kill: {proc.stderr.read().decode()[-500:]}")
            assert time.monotonic() < deadline, "ingest made no progress"
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    return stored_docs(home)


def export(home: Path, out: Path) -> dict:
    subprocess.run([sys.executable, "-m", "actorgraph.cli.main", "export", "--format", "json",
                    str(out)], env=env_for(home), check=True, capture_output=True)
    return json.loads(out.read_text("utf-8"))


def test_killed_ingest_resumes_to_the_uninterrupted_graph(tmp_path, corpus_files):
    docs = tmp_path / "docs"
    split_corpus(corpus_files, docs)

    clean_home = tmp_path / "clean"
    done = subprocess.run(ingest_cmd(docs), env=env_for(clean_home), capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stderr[-2000:]
    assert f"documents: {N_DOCS} added" in done.stdout
    expected = export(clean_home, tmp_path / "clean.json")

    killed_home = tmp_path / "killed"
    first = kill_after(docs, killed_home, 2)
    second = kill_after(docs, killed_home, first + 3)
    assert 2 <= first < second < N_DOCS, (first, second)
    with sqlite3.connect(killed_home / "graph.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # every stored document is wholly in: its Document node and MENTIONED_IN edges exist
        stored = [r[0] for r in conn.execute("SELECT doc FROM documents")]
        nodes = {r[0] for r in conn.execute("SELECT id FROM nodes WHERE label = 'Document'")}
        assert nodes == {f"Document:{d}" for d in stored}
    resumed = subprocess.run(ingest_cmd(docs), env=env_for(killed_home), capture_output=True,
                             text=True)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert f"documents: {N_DOCS - second} added, {second} unchanged" in resumed.stdout
    assert export(killed_home, tmp_path / "resumed.json") == expected
