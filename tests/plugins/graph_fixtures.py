"""Pytest fixtures (graph): the sample corpus ingested once into an embedded store.

* ``ingested_home``: a temporary ``ACTORGRAPH_HOME`` folder whose embedded store
  (``graph.sqlite``) holds the sample corpus, ingested once per session with the
  real extraction pipeline. Treat it as read-only; copy it to modify it.
* ``ingested_store``: an open :class:`~actorgraph.graph.sqlite_store.SQLiteStore`
  on it (session-scoped, read-only by convention).
* ``ingested_graph``: its ``to_networkx()`` export form.

To use the store from the CLI or the app in a test, set ``ACTORGRAPH_HOME`` to
``ingested_home`` (e.g. ``monkeypatch.setenv``) and ``ACTORGRAPH_STORE=embedded``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest


@pytest.fixture(scope="session")
def ingested_home(tmp_path_factory: pytest.TempPathFactory, corpus_files: list[Path],
                  sample_extractions: dict) -> Path:
    """An ACTORGRAPH_HOME holding the sample corpus in its embedded store.

    The documents go through the real ingest (resolution, store); their extraction is the
    session's ``sample_extractions`` (the real pipeline's output), so the corpus is extracted
    once per test session, not twice.
    """
    from actorgraph.graph.ingest import ingest_paths
    from actorgraph.graph.sqlite_store import SQLiteStore

    def extracted(path: Path):  # noqa: ANN202 (a DocumentExtraction)
        return sample_extractions[Path(path).name]

    home = tmp_path_factory.mktemp("actorgraph_home")
    with SQLiteStore(home / "graph.sqlite") as store:
        summary = ingest_paths(corpus_files, store, home=home, progress=False,
                               extract=extracted)
    assert not summary.skipped, summary.lines()
    assert len(summary.added) == len(corpus_files), summary.lines()
    return home


@pytest.fixture(scope="session")
def ingested_store(ingested_home: Path) -> Iterator:
    """The embedded store of ``ingested_home`` (do not write to it)."""
    from actorgraph.graph.sqlite_store import SQLiteStore

    store = SQLiteStore(ingested_home / "graph.sqlite")
    yield store
    store.close()


@pytest.fixture(scope="session")
def ingested_graph(ingested_store) -> nx.MultiDiGraph:
    """The sample corpus graph in the export form (treat as read-only)."""
    return ingested_store.to_networkx()
