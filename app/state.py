"""Shared state for every page: the store, its content version, and cached queries.

* The store is a ``st.cache_resource`` (one connection per store settings, shared
  by all sessions and reruns).
* The *content version* is a short hash of the stored documents and their
  SHA-256; every cached result is keyed on it, so an ingest (which changes it)
  invalidates them and moving between pages never recomputes them.
* The resolved graph (``store.to_networkx()``) is a ``st.cache_resource`` too:
  it is large and read-only, and ``st.cache_data`` would copy it on every read.
* Tables from the query layer are ``st.cache_data`` (small, copied safely).

Pages import this module and call the query layer through it; they hold no
business logic.
"""

from __future__ import annotations

import hashlib
import os
import threading
from pathlib import Path
from typing import Any

import networkx as nx
import streamlit as st

APP_DIR = Path(__file__).resolve().parent

#: Environment variables that choose the store (see actorgraph.graph.open_store).
STORE_ENV = ("ACTORGRAPH_STORE", "ACTORGRAPH_HOME", "NEO4J_URI", "NEO4J_USER", "NEO4J_DATABASE")


def store_settings() -> tuple[str | None, ...]:
    """The environment that selects the store, as a hashable cache key."""
    return tuple(os.environ.get(name) or None for name in STORE_ENV)


@st.cache_resource(show_spinner=False)
def _open_store(settings: tuple[str | None, ...]) -> Any:
    from actorgraph.graph.open_store import open_store

    kind, home = settings[0], settings[1]
    return open_store(kind=kind, home=home)


# The embedded store's one SQLite connection must not be used by two script
# threads (two browser sessions) at once.
_LOCK = threading.RLock()


def get_store() -> Any:
    """The store chosen by the environment (cached; one per settings)."""
    return _open_store(store_settings())


class _DocumentIndex:
    """The stored documents read once: the list, its content version, and by file name."""

    def __init__(self, docs: list[dict[str, Any]], settings: tuple[str | None, ...]) -> None:
        self.docs = docs
        self.version = _hash_documents(docs, settings)
        self.by_name = {str(d.get("doc")): d for d in docs}


@st.cache_resource(show_spinner=False, ttl=30, max_entries=4)
def _documents(settings: tuple[str | None, ...]) -> _DocumentIndex:
    # A resource, not data: with 10,000 documents ``st.cache_data`` would unpickle the list
    # on every call, and the evidence widgets look a document up for every sentence drawn.
    with _LOCK:
        return _DocumentIndex(list(get_store().documents()), settings)


def documents() -> list[dict[str, Any]]:
    """The stored documents; re-read every 30 s, and at once after an ingest in the app.

    This list versions every other cached result, so an ingest from the command
    line while the app runs shows up within 30 seconds. Read-only.
    """
    return _documents(store_settings()).docs


def refresh() -> None:
    """Forget the document list (call after changing the store from the app)."""
    _documents.clear()


def _hash_documents(docs: list[dict[str, Any]], settings: tuple[str | None, ...]) -> str:
    h = hashlib.sha256(repr(settings).encode())
    for d in sorted(docs, key=lambda d: str(d.get("doc"))):
        h.update(f"{d.get('doc')}\0{d.get('sha256')}\n".encode())
    return h.hexdigest()[:16]


def content_version(docs: list[dict[str, Any]] | None = None) -> str:
    """A short hash of the stored documents and their checksums, plus the store settings."""
    settings = store_settings()
    index = _documents(settings)
    if docs is None or docs is index.docs:
        return index.version
    return _hash_documents(docs, settings)


@st.cache_resource(show_spinner="Loading the graph…", max_entries=4)
def _graph(version: str) -> nx.MultiDiGraph:
    with _LOCK:
        return get_store().to_networkx()


def graph(version: str | None = None) -> nx.MultiDiGraph:
    """The whole resolved graph (read-only: never modify it in a page)."""
    return _graph(version or content_version())


@st.cache_data(show_spinner=False, max_entries=8)
def graph_size(version: str) -> tuple[int, int]:
    """``(nodes, relationships)`` of the graph (counting a multigraph's edges takes a second)."""
    G = graph(version)
    return G.number_of_nodes(), G.number_of_edges()


@st.cache_data(show_spinner=False, max_entries=8)
def stats(version: str) -> dict[str, dict[str, int]]:
    """Counts by label and relationship type."""
    with _LOCK:
        return get_store().stats()


def store_description() -> str:
    """One line naming the store in use, without secrets."""
    store = get_store()
    kind = getattr(store, "kind", type(store).__name__)
    where = getattr(store, "path", None) or getattr(store, "uri", None)
    if where is None and kind == "neo4j":
        where = os.environ.get("NEO4J_URI")
    return f"{kind}" + (f" at {where}" if where else "")


@st.cache_data(show_spinner=False, max_entries=64)
def document_text(doc: str, path: str, sha256: str) -> str | None:
    """The original text of a stored document, or ``None`` if it cannot be read now.

    Evidence offsets index this text, so it is read exactly as ingestion read it.
    """
    from actorgraph.extraction.readers import read_document

    if not Path(path).is_file():
        return None
    try:
        raw = read_document(path)
    except Exception:  # noqa: BLE001 - unreadable now: the app shows the sentence alone
        return None
    # A file edited since ingestion no longer matches the evidence offsets.
    return raw.text if not sha256 or raw.sha256 == sha256 else None


@st.cache_resource(show_spinner=False, max_entries=64)
def entity_relationships(version: str, node_id: str) -> list[dict[str, Any]]:
    """Every relationship of a node with its evidence (see ``components.entity``).

    A resource, not data: a hub can have thousands of rows, and ``st.cache_data``
    would unpickle a copy on every run. Treat it as read-only.
    """
    from components.entity import relationship_rows

    return relationship_rows(graph(version), node_id)


@st.cache_data(show_spinner=False, max_entries=64)
def entity_document_names(version: str, node_id: str) -> list[str]:
    """``components.entity.entity_documents``: the documents a node is mentioned in."""
    from components.entity import entity_documents

    return entity_documents(graph(version), node_id)


@st.cache_resource(show_spinner=False, max_entries=64)
def entity_relationship_table(version: str, node_id: str) -> Any:
    """The Entity page's relationship table (one row per relationship)."""
    import pandas as pd

    return pd.DataFrame(
        [
            {
                "type": r["type"],
                "direction": "→" if r["direction"] == "out" else "←",
                "other": r["other_name"],
                "other label": r["other_label"],
                "evidence": len(r["evidence"]),
                "properties": ", ".join(f"{k}={v}" for k, v in r["properties"].items()),
            }
            for r in entity_relationships(version, node_id)
        ],
        columns=["type", "direction", "other", "other label", "evidence", "properties"],
    )


def doc_paths() -> dict[str, dict[str, Any]]:
    """Stored documents by file name (read-only)."""
    return _documents(store_settings()).by_name


def open_entity(node_id: str) -> None:
    """Remember ``node_id`` as the selected entity and go to the Entity page."""
    st.session_state["entity_id"] = node_id
    # The Entity page moves this into its text box before drawing it (a drawn
    # widget's state cannot be set in the same run).
    st.session_state["entity_pending"] = node_id
    st.switch_page("pages/3_Entity.py")


def require_documents() -> str | None:
    """Return the content version, or draw a hint and return ``None`` for an empty store."""
    docs = documents()
    if not docs:
        st.info("The store is empty. Ingest documents on the **Ingest** page first.")
        return None
    return content_version(docs)


def page_setup(title: str, icon: str = "🕸️") -> None:
    """Common page set-up: wide layout, title, and the store in use in the sidebar."""
    st.set_page_config(page_title=f"{title} · actorgraph", page_icon=icon, layout="wide")
    st.title(title)
    try:
        st.sidebar.caption(f"Store: {store_description()}")
    except Exception as err:  # noqa: BLE001 - shown to the user, the page then stops
        st.error(f"Cannot open the store: {err}")
        st.stop()


@st.cache_data(show_spinner=False, max_entries=8)
def documents_frame(version: str) -> Any:
    """The stored documents as a table (no checksums beyond a short prefix)."""
    import pandas as pd

    rows = []
    for d in documents():
        row = {k: v for k, v in d.items() if not isinstance(v, list | dict)}
        if isinstance(row.get("sha256"), str):
            row["sha256"] = row["sha256"][:12]
        rows.append(row)
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=8)
def cached_health(version: str) -> dict[str, Any]:
    """Entities with no relationship besides MENTIONED_IN (see components.entity)."""
    from components.entity import extraction_health

    return extraction_health(graph(version))


def skipped_documents() -> list[dict[str, str]]:
    """Files the last ingest in this app session could not read, with the reason."""
    return list(st.session_state.get("ingest_errors", []))


def upload_dir() -> Path:
    """Where uploaded files are kept (evidence points back into them): ``<home>/uploads``."""
    from actorgraph.graph.open_store import actorgraph_home

    return actorgraph_home(store_settings()[1]) / "uploads"


def save_uploads(files: list[Any]) -> list[Path]:
    """Write uploaded files to :func:`upload_dir` under their own names; return the paths."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for f in files:
        path = folder / Path(f.name).name
        path.write_bytes(f.getvalue())
        out.append(path)
    return out


def expand_inputs(text: str) -> list[Any]:
    """Files under a folder (or the file itself), and an error item for what cannot be read."""
    from actorgraph.extraction.readers import iter_input_paths

    return list(iter_input_paths([Path(text).expanduser()]))


def ingest_each(items: list[Any]) -> Any:
    """Ingest one file at a time (so the page can show progress); yield a result row per file.

    Each row has ``file``, ``result`` (added, updated, unchanged, skipped) and
    ``detail`` (the reason for a skipped file, else the counts written).
    """
    from actorgraph.graph.ingest import build_resolver, ingest_paths

    store = get_store()
    home = store_settings()[1]
    with _LOCK:
        resolver = build_resolver(store, home=home)
    for item in items:
        if not isinstance(item, Path):  # an InputError from expand_inputs
            yield {"file": str(item.path), "result": "skipped", "detail": item.reason}
            continue
        with _LOCK:
            summary = ingest_paths([item], store, resolver=resolver, home=home, progress=False)
        if summary.skipped:
            _, reason = summary.skipped[0]
            yield {"file": item.name, "result": "skipped", "detail": reason}
            continue
        result = "added" if summary.added else "updated" if summary.updated else "unchanged"
        c = summary.counts
        detail = (
            f"{c.get('nodes_added', 0)} nodes, "
            f"{c.get('relationships_added', 0)} relationships added"
            if result != "unchanged"
            else "same file already stored"
        )
        yield {"file": item.name, "result": result, "detail": detail}


# --------------------------------------------------------------------------- boundary spanners


def partitions() -> list[str]:
    """Boundary partitions the spanner measures accept."""
    from actorgraph.queries.network import PARTITIONS

    return list(PARTITIONS)


def default_partition() -> str:
    """The configured default partition (``[spanners] partition``)."""
    from actorgraph.config import section

    return str(section("spanners").get("partition", "org_type"))


def spanner_weights() -> dict[str, float]:
    """The configured weights of the combined score (``[spanners.weights]``)."""
    from actorgraph.config import section

    return {k: float(v) for k, v in section("spanners").get("weights", {}).items()}


@st.cache_resource(show_spinner="Ranking boundary spanners…", max_entries=16)
def spanner_rows(version: str, partition: str) -> list[dict[str, Any]]:
    """``queries.spanners.spanner_table`` on the cached graph.

    A resource, not data (one row per person: tens of thousands in a large graph, which
    ``st.cache_data`` would unpickle on every run). Read-only.
    """
    from actorgraph.queries.spanners import spanner_table

    return spanner_table(graph(version), partition)


@st.cache_resource(show_spinner=False, max_entries=16)
def spanner_table_frame(version: str, partition: str) -> Any:
    """:func:`spanner_rows` as the page's table (``components.tables.spanner_frame``)."""
    from components.tables import spanner_frame

    return spanner_frame(spanner_rows(version, partition))


@st.cache_resource(show_spinner=False, max_entries=16)
def spanner_parts(version: str, partition: str, weights: tuple[tuple[str, float], ...]) -> Any:
    """Each measure's share of the score of the top 20 (``components.tables.score_parts``)."""
    from components.tables import score_parts

    return score_parts(spanner_rows(version, partition), dict(weights)).head(20)


@st.cache_data(show_spinner=False, max_entries=16)
def spanner_csv(version: str, partition: str) -> bytes:
    """The spanner table as CSV bytes (what the page's download button serves)."""
    return spanner_table_frame(version, partition).to_csv(index=False).encode("utf-8")


@st.cache_resource(show_spinner=False, max_entries=16)
def spanner_labels(version: str, partition: str) -> dict[str, str]:
    """``{person id: "rank. name"}`` in rank order, for the page's person picker."""
    return {r["id"]: f"{r['rank']}. {r['name']}" for r in spanner_rows(version, partition)}


@st.cache_data(show_spinner=False, max_entries=64)
def spanner_explanation(version: str, person_id: str, partition: str) -> dict[str, Any]:
    """``queries.spanners.explain_spanner`` on the cached graph."""
    from actorgraph.queries.spanners import explain_spanner

    return explain_spanner(graph(version), person_id, partition)


# --------------------------------------------------------------------------- explore


@st.cache_data(show_spinner=False, max_entries=128)
def search_nodes(version: str, text: str, limit: int = 25) -> list[dict[str, Any]]:
    """``queries.search.search`` on the cached graph (Document nodes left out)."""
    from actorgraph.queries.search import search

    labels = [lab for lab in facets(version)["labels"] if lab != "Document"]
    return search(graph(version), text, limit, labels=labels)


@st.cache_data(show_spinner=False, max_entries=8)
def facets(version: str) -> dict[str, list[str]]:
    """The values the Explore filters offer: labels, relationship types, sectors, documents."""
    G = graph(version)
    labels = sorted({str(d.get("label")) for _, d in G.nodes(data=True) if d.get("label")})
    sectors = sorted({str(d["sector"]) for _, d in G.nodes(data=True) if d.get("sector")})
    types = sorted({str(d.get("type")) for _, _, d in G.edges(data=True) if d.get("type")})
    docs = sorted(str(d.get("doc")) for d in documents())
    return {"labels": labels, "types": types, "sectors": sectors, "docs": docs}


@st.cache_resource(show_spinner=False, max_entries=64)
def neighbourhood_view(
    version: str,
    centre: str,
    depth: int,
    labels: tuple[str, ...],
    types: tuple[str, ...],
    sectors: tuple[str, ...],
    docs: tuple[str, ...],
    max_nodes: int,
) -> nx.MultiDiGraph:
    """``queries.search.neighbourhood`` with the page's filters, cut to ``max_nodes``."""
    from components.network import cap_view, keep_sectors

    from actorgraph.queries.search import neighbourhood

    sub = neighbourhood(
        graph(version), centre, depth, labels or None, types or None, docs or None
    )
    return cap_view(keep_sectors(sub, list(sectors), centre), centre, max_nodes)


@st.cache_data(show_spinner=False, max_entries=64)
def view_sizes(
    version: str,
    centre: str,
    depth: int,
    labels: tuple[str, ...],
    types: tuple[str, ...],
    sectors: tuple[str, ...],
    docs: tuple[str, ...],
    max_nodes: int,
    measure: str,
) -> dict[str, float]:
    """The chosen centrality of each node in the view."""
    from components.network import view_measure

    view = neighbourhood_view(version, centre, depth, labels, types, sectors, docs, max_nodes)
    return view_measure(view, measure)


@st.cache_resource(show_spinner=False, max_entries=64)
def view_elements(
    version: str,
    centre: str,
    depth: int,
    labels: tuple[str, ...],
    types: tuple[str, ...],
    sectors: tuple[str, ...],
    docs: tuple[str, ...],
    max_nodes: int,
    measure: str,
) -> Any:
    """The laid-out view (``components.network.network_elements``), sized by ``measure``.

    Cached: a spring layout of a few hundred nodes takes a second or more, and the page
    redraws it on every rerun. Read-only.
    """
    from components.network import network_elements

    view = neighbourhood_view(version, centre, depth, labels, types, sectors, docs, max_nodes)
    sizes = view_sizes(version, centre, depth, labels, types, sectors, docs, max_nodes, measure)
    return network_elements(view, centre=centre, sizes=sizes)


# --------------------------------------------------------------------------- role transfers


def _query_source(version: str) -> Any:
    """What transfer queries read: the Neo4j store itself (Cypher), else the cached graph."""
    store = get_store()
    return store if getattr(store, "kind", None) == "neo4j" else graph(version)


@st.cache_data(show_spinner="Finding role transfers…", max_entries=32)
def transfers(version: str, source: str, target: str) -> list[dict[str, Any]]:
    """``queries.transfers.transfer_paths`` (Cypher on Neo4j, networkx otherwise)."""
    from actorgraph.queries.transfers import transfer_paths

    with _LOCK:
        return transfer_paths(_query_source(version), source, target)


@st.cache_data(show_spinner=False, max_entries=32)
def transfer_links(version: str, source: str, target: str) -> list[dict[str, Any]]:
    """``queries.transfers.sankey_links`` of :func:`transfers`."""
    from actorgraph.queries.transfers import sankey_links

    return sankey_links(transfers(version, source, target))


@st.cache_data(show_spinner=False, max_entries=32)
def removed_roles(version: str, source: str | None) -> list[dict[str, Any]]:
    """``queries.transfers.ended_roles`` on the cached graph."""
    from actorgraph.queries.transfers import ended_roles

    return ended_roles(graph(version), source or None)


# --------------------------------------------------------------------------- query page

#: The saved questions answered through the query layer (on either store).
SAVED_QUESTIONS = [
    "Who are the boundary spanners? (top 25, by organisation type)",
    "Where did the people go? (Vanguard to STP/ICS)",
    "How did initiatives spread?",
    "Which roles ended with no successor?",
    "How big is the graph? (counts by label and type)",
]


def saved_answer(version: str, question: str) -> Any:
    """The answer to one of :data:`SAVED_QUESTIONS` as a table."""
    import pandas as pd
    from components.tables import spanner_frame

    if question == SAVED_QUESTIONS[0]:
        rows = spanner_rows(version, "org_type")[:25]
        return spanner_frame(rows).drop(columns=["groups"], errors="ignore")
    if question == SAVED_QUESTIONS[1]:
        paths = transfers(version, "vanguard", "stp") + transfers(version, "vanguard", "ics")
        return pd.DataFrame(
            [
                {
                    "person": t["person_name"],
                    "from_role": t["source"].get("role_name"),
                    "from_org": t["source"].get("org_name"),
                    "to_role": t["target"].get("role_name"),
                    "to_org": t["target"].get("org_name"),
                }
                for t in paths
            ],
            columns=["person", "from_role", "from_org", "to_role", "to_org"],
        ).drop_duplicates()
    if question == SAVED_QUESTIONS[2]:
        return pd.DataFrame(spread_rows(version))
    if question == SAVED_QUESTIONS[3]:
        return pd.DataFrame(
            [
                {
                    "role": e["role_name"],
                    "reason": e["reason"],
                    "in": ", ".join(str(o["name"]) for o in e["orgs"]),
                }
                for e in removed_roles(version, None)
            ],
            columns=["role", "reason", "in"],
        )
    counts = stats(version)
    rows = [{"kind": "node", "name": k, "count": v} for k, v in counts["nodes"].items()]
    rows += [{"kind": "relationship", "name": k, "count": v}
             for k, v in counts["relationships"].items()]
    return pd.DataFrame(rows)


def is_neo4j() -> bool:
    """Whether the app runs on the Neo4j store."""
    return getattr(get_store(), "kind", None) == "neo4j"


def run_console(text: str, limit: int) -> Any:
    """Run a console query on the Neo4j store: checked, then in a READ transaction."""
    from actorgraph.queries.console import run_read_query

    store = get_store()
    driver = getattr(store, "driver", None) or getattr(store, "_driver", None)
    database = getattr(store, "database", None) or getattr(store, "_database", None)
    return run_read_query(driver, text, database=database, limit=limit)


# --------------------------------------------------------------------------- export

#: Formats the Export page offers (those of ``actorgraph.graph.export``).
EXPORT_FORMATS = ["json", "graphml", "gexf", "csv"]
_MIME = {
    "json": "application/json",
    "graphml": "application/xml",
    "gexf": "application/xml",
    "csv": "application/zip",
}


@st.cache_resource(show_spinner="Writing the export…", max_entries=4)
def export_bytes(version: str, fmt: str) -> tuple[bytes, str, str]:
    """The whole graph exported by ``actorgraph.graph.export``: ``(bytes, file name, mime)``.

    A resource, not data: the export of a large graph is hundreds of megabytes, which
    ``st.cache_data`` would copy on every run.
    """
    import io
    import tempfile
    import zipfile

    from actorgraph.graph.export import export_graph

    with tempfile.TemporaryDirectory(prefix="actorgraph-export-") as tmp:
        if fmt == "csv":
            files = export_graph(graph(version), "csv", Path(tmp) / "csv")
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for f in files:
                    zf.write(f, arcname=f.name)
            return buf.getvalue(), "actorgraph-csv.zip", _MIME[fmt]
        out = Path(tmp) / f"actorgraph.{fmt}"
        export_graph(graph(version), fmt, out)
        return out.read_bytes(), out.name, _MIME[fmt]


@st.cache_data(show_spinner=False, max_entries=16)
def table_csv(version: str, table: str) -> bytes:
    """A whole-graph table (``nodes``, ``relationships``, ``documents``) as CSV bytes."""
    import pandas as pd

    frames = {
        "nodes": node_table,
        "relationships": edge_table,
        "documents": lambda v: pd.DataFrame(documents()),
    }
    return frames[table](version).to_csv(index=False).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=4)
def node_table(version: str) -> Any:
    """One row per node: id, label, name, aliases, number of evidence items, properties."""
    import pandas as pd

    rows = []
    for n, d in graph(version).nodes(data=True):
        row = {"id": n, "label": d.get("label"), "name": d.get("name"),
               "aliases": "; ".join(d.get("aliases") or []),
               "evidence": len(d.get("evidence") or [])}
        row.update({k: v for k, v in d.items()
                    if k not in row and not isinstance(v, list | dict)})
        rows.append(row)
    return pd.DataFrame(rows)


@st.cache_data(show_spinner=False, max_entries=4)
def edge_table(version: str) -> Any:
    """One row per relationship: source, type, target, evidence count and the first sentence."""
    import pandas as pd
    from components.evidence import evidence_records

    rows = []
    for u, v, d in graph(version).edges(data=True):
        ev = evidence_records(d.get("evidence") or [])
        row = {"source": u, "type": d.get("type"), "target": v, "evidence": len(ev),
               "first_sentence": ev[0]["text"] if ev else ""}
        row.update({k: val for k, val in d.items()
                    if k not in row and not isinstance(val, list | dict)})
        rows.append(row)
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- initiative spread


@st.cache_data(show_spinner=False, max_entries=8)
def initiative_list(version: str) -> list[dict[str, Any]]:
    """``queries.spread.initiatives`` on the cached graph."""
    from actorgraph.queries.spread import initiatives

    return initiatives(graph(version))


@st.cache_data(show_spinner=False, max_entries=8)
def initiative_groups(version: str) -> list[dict[str, Any]]:
    """``queries.spread.initiative_groups`` (similar names grouped) on the cached graph."""
    from actorgraph.queries.spread import initiative_groups as groups

    return groups(graph(version))


@st.cache_resource(show_spinner="Building the site-by-initiative matrix…", max_entries=8)
def matrix(version: str, grouped: bool) -> dict[str, Any]:
    """``queries.spread.initiative_matrix``, optionally with initiatives grouped.

    A resource, not data: it holds every cell's evidence (tens of thousands of cells in a
    large graph) and ``st.cache_data`` would unpickle a copy on every run. Read-only.
    """
    from actorgraph.queries.spread import initiative_matrix

    return initiative_matrix(graph(version), initiative_groups(version) if grouped else None)


@st.cache_data(show_spinner=False, max_entries=16)
def matrix_counts(version: str, grouped: bool) -> dict[str, int]:
    """Sizes of :func:`matrix`: ``sites``, ``initiatives`` and ``cells`` (implementations)."""
    m = matrix(version, grouped)
    return {key: len(m[key]) for key in ("sites", "initiatives", "cells")}


@st.cache_data(show_spinner=False, max_entries=16)
def matrix_shown(version: str, grouped: bool) -> Any:
    """The heatmap's status frame: :func:`matrix` cut to its busiest sites and initiatives."""
    from components.spread import busiest, status_frame

    return status_frame(busiest(matrix(version, grouped)))


@st.cache_data(show_spinner=False, max_entries=16)
def matrix_csv(version: str, grouped: bool) -> bytes:
    """The whole matrix as CSV, one row per implementation (``components.spread.matrix_rows``)."""
    from components.spread import matrix_rows

    return matrix_rows(matrix(version, grouped)).to_csv(index=False).encode("utf-8")


@st.cache_data(show_spinner=False, max_entries=64)
def spread(version: str, initiative_id: str, grouped: bool) -> dict[str, Any]:
    """``queries.spread.initiative_spread`` for one initiative."""
    from actorgraph.queries.spread import initiative_spread

    return initiative_spread(
        graph(version), initiative_id, initiative_groups(version) if grouped else None
    )


@st.cache_resource(show_spinner=False, max_entries=64)
def spread_elements(version: str, initiative_id: str, grouped: bool) -> Any:
    """The laid-out network of one initiative's spread (at most ``SPREAD_MAX_NODES`` places).

    Cached: a spring layout of a hundred places takes a second, and the page redraws it on
    every rerun. Read-only.
    """
    from components.network import network_elements
    from components.spread import spread_view

    return network_elements(spread_view(spread(version, initiative_id, grouped)))


@st.cache_data(show_spinner=False, max_entries=8)
def spread_rows(version: str) -> list[dict[str, Any]]:
    """Every SPREAD_TO relationship, flat (for the saved question)."""
    from components.spread import spread_edges

    return spread_edges(graph(version))
