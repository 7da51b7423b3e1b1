"""Pytest fixtures: the sample corpus in ``../shared/corpus``."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CORPUS_DIR = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """The folder of real sample documents (must exist: CI puts ``shared/`` beside the repo)."""
    assert CORPUS_DIR.is_dir(), f"sample corpus not found at {CORPUS_DIR}"
    return CORPUS_DIR


@pytest.fixture(scope="session")
def corpus_files(corpus_dir: Path) -> list[Path]:
    """The sample documents, sorted by name."""
    return sorted(p for p in corpus_dir.iterdir() if p.is_file())
