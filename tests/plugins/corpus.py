"""Pytest fixtures: the sample corpus in ``../shared/corpus``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


@pytest.fixture(scope="session")
def sample_extractions(corpus_files: list[Path]) -> dict[str, Any]:
    """Every sample document extracted once per session: file name -> ``DocumentExtraction``."""
    from actorgraph.extraction.pipeline import extract_paths
    from actorgraph.records import DocumentExtraction

    out: dict[str, DocumentExtraction] = {}
    for item in extract_paths(corpus_files):
        assert isinstance(item, DocumentExtraction), f"corpus file not extracted: {item}"
        out[item.doc] = item
    return out
