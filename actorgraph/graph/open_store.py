"""Choosing and opening the store.

The store is chosen by, in order: the ``kind`` argument (the CLI's ``--store
embedded|neo4j``), the environment variable ``ACTORGRAPH_STORE``, ``neo4j``
when ``NEO4J_URI`` is set, the config's ``[store] default``, else ``embedded``.

The embedded store lives in the folder ``home`` names, else ``$ACTORGRAPH_HOME``,
else ``~/.actorgraph``, as ``graph.sqlite``. That folder also holds the user's
``overrides.jsonl``.
"""

from __future__ import annotations

import os
from pathlib import Path

from actorgraph.config import section
from actorgraph.graph.store import GraphStore

STORE_KINDS = ("embedded", "neo4j")


def actorgraph_home(home: str | Path | None = None) -> Path:
    """Return the folder of the embedded store and the overrides file."""
    if home is not None:
        return Path(home).expanduser()
    env = os.environ.get("ACTORGRAPH_HOME")
    return Path(env).expanduser() if env else Path.home() / ".actorgraph"


def store_kind(kind: str | None = None, config_path: str | None = None) -> str:
    """Return which store to use (see the module docstring for the order)."""
    chosen = kind or os.environ.get("ACTORGRAPH_STORE")
    if not chosen:
        chosen = "neo4j" if os.environ.get("NEO4J_URI") else None
    if not chosen:
        chosen = str(section("store", config_path).get("default", "embedded"))
    chosen = chosen.strip().lower()
    if chosen not in STORE_KINDS:
        raise ValueError(f"unknown store {chosen!r}: expected one of {', '.join(STORE_KINDS)}")
    return chosen


def open_store(kind: str | None = None, home: str | Path | None = None,
               config_path: str | None = None) -> GraphStore:
    """Open the chosen store: :class:`SQLiteStore` or :class:`Neo4jStore`."""
    chosen = store_kind(kind, config_path)
    if chosen == "embedded":
        from actorgraph.graph.sqlite_store import SQLiteStore

        return SQLiteStore(actorgraph_home(home) / "graph.sqlite")
    from actorgraph.graph.neo4j_store import Neo4jStore

    if hasattr(Neo4jStore, "from_env"):
        return Neo4jStore.from_env()
    return Neo4jStore(
        uri=os.environ.get("NEO4J_URI", "bolt://localhost:7687"),
        user=os.environ.get("NEO4J_USER", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD"),
        database=os.environ.get("NEO4J_DATABASE") or None,
    )
