"""Ingest: files -> extraction -> resolution -> store, one document per transaction.

For each file (folders are walked in sorted order):

1. hash the file's bytes (SHA-256); a document is identified by its file name;
2. if the store holds that name with the same hash, resolved with the same
   resolution settings (config ``[resolution]``, alias table, overrides file),
   it is **unchanged** and not even read;
3. otherwise extract it, resolve it against the names already stored, and
   write its contribution in one transaction (**added**, or **updated**: the
   old evidence is replaced);
4. a file that cannot be read or extracted is **skipped** with a one-line reason.

Killing the process at any moment leaves every document either wholly in or
wholly out; re-running processes the rest in the same order against the same
stored names, so the final graph is exactly that of an uninterrupted run.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tqdm import tqdm

from actorgraph.config import section
from actorgraph.graph.open_store import actorgraph_home
from actorgraph.graph.overrides import load_overrides
from actorgraph.graph.resolve import ResolutionConfig, Resolver, index_from_store
from actorgraph.graph.store import GraphStore
from actorgraph.records import DocumentExtraction, InputError

Extractor = Callable[[Path], DocumentExtraction]


@dataclass
class IngestSummary:
    """What one ingest run did."""

    added: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def add_counts(self, counts: dict[str, int]) -> None:
        """Add a write's counts (``nodes_added``, ``relationships_added``...)."""
        for key, value in counts.items():
            self.counts[key] = self.counts.get(key, 0) + int(value)

    @property
    def exit_code(self) -> int:
        """0 when every file was processed, 1 when some were skipped."""
        return 1 if self.skipped else 0

    def lines(self) -> list[str]:
        """The human-readable summary, one fact per line."""
        out = [
            f"documents: {len(self.added)} added, {len(self.unchanged)} unchanged, "
            f"{len(self.updated)} updated, {len(self.skipped)} skipped"
        ]
        out += [f"  skipped {path}: {reason}" for path, reason in self.skipped]
        c = self.counts
        out.append(
            f"nodes: {c.get('nodes_added', 0)} added, {c.get('nodes_removed', 0)} removed; "
            f"relationships: {c.get('relationships_added', 0)} added, "
            f"{c.get('relationships_removed', 0)} removed"
        )
        return out


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes (the same hash the readers record)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def overrides_path(home: str | Path | None = None, config_path: str | None = None) -> Path:
    """The overrides file: ``[resolution] overrides_file``, else ``<home>/overrides.jsonl``."""
    configured = section("resolution", config_path).get("overrides_file")
    if configured:
        return Path(str(configured)).expanduser()
    return actorgraph_home(home) / "overrides.jsonl"


def build_resolver(store: GraphStore, config_path: str | None = None,
                   home: str | Path | None = None) -> Resolver:
    """A resolver with the config's settings, the overrides file and the store's names.

    Raises :class:`~actorgraph.graph.overrides.OverridesError` for a malformed file.
    """
    config = ResolutionConfig.from_section(section("resolution", config_path))
    overrides = load_overrides(overrides_path(home, config_path))
    return Resolver(config, overrides, index_from_store(store))


def _default_extractor() -> Extractor:
    from actorgraph.extraction.pipeline import extract_document

    return extract_document


def _input_files(paths: Iterable[str | Path]) -> list[Path | InputError]:
    from actorgraph.extraction.readers import iter_input_paths

    return list(iter_input_paths(paths))


def ingest_paths(
    paths: Iterable[str | Path],
    store: GraphStore,
    *,
    resolver: Resolver | None = None,
    extract: Extractor | None = None,
    config_path: str | None = None,
    home: str | Path | None = None,
    progress: bool = True,
) -> IngestSummary:
    """Ingest files and folders into ``store``; return the summary.

    ``extract`` defaults to the extraction pipeline's ``extract_document``.
    """
    resolver = resolver or build_resolver(store, config_path, home)
    summary = IngestSummary()
    stored: dict[str, dict[str, Any]] = {d["doc"]: d for d in store.documents()}
    items = _input_files(paths)
    seen: dict[str, Path] = {}
    bar = tqdm(items, unit="doc", disable=not progress, dynamic_ncols=True, leave=False)
    for item in bar:
        if isinstance(item, InputError):
            summary.skipped.append((item.path, item.reason))
            continue
        name = item.name
        bar.set_postfix_str(name[:40])
        if name in seen:
            summary.skipped.append(
                (str(item), f"same file name as {seen[name]} (documents are named by file name)"))
            continue
        seen[name] = item
        try:
            sha = file_sha256(item)
        except OSError as err:
            summary.skipped.append((str(item), f"cannot read ({err.strerror or err})"))
            continue
        status = store.document_status(name, sha)
        if status == "unchanged":
            fingerprint = stored.get(name, {}).get("resolver")
            if fingerprint in (None, resolver.fingerprint):
                summary.unchanged.append(name)
                continue
        try:
            extraction = (extract or _default_extractor())(item)
        except InputError as err:
            summary.skipped.append((str(item), err.reason))
            continue
        except Exception as err:  # one document's failure must not stop the others
            summary.skipped.append(
                (str(item), f"extraction failed: {type(err).__name__}: {err}".splitlines()[0]))
            continue
        graph = resolver.resolve(extraction, sha)
        try:
            summary.add_counts(store.write_document(graph))
        except Exception as err:
            # A store failure is fatal; what was written so far stays, whole documents only.
            err.add_note(f"ingest stopped at {item}; documents written before it are stored")
            err.ingest_summary = summary  # type: ignore[attr-defined]
            raise
        if status == "new":
            summary.added.append(name)
            _index_written(resolver, store, graph)
        else:
            summary.updated.append(name)
            # Old names of this document may be gone: re-read what is stored.
            resolver.index = index_from_store(store)
    bar.close()
    if summary.added or summary.updated:
        store.refresh_search_index()  # Neo4j's full-text index is eventually consistent
    return summary


def _index_written(resolver: Resolver, store: GraphStore, graph: Any) -> None:
    """Add a written document's nodes to the index as the store now holds them.

    Indexing the *merged* nodes (not the contribution) keeps the index equal to
    one rebuilt from the store, which a resumed run starts from.
    """
    get_node = getattr(store, "get_node", None)
    for node in graph.nodes:
        merged = get_node(node.id) if get_node is not None else None
        if merged is not None:
            resolver.index.org_types.pop(merged.id, None)
        resolver.index.add_node(merged or node)


def remove_document(store: GraphStore, doc: str) -> bool:
    """Remove a document (by file name, or a path whose file name is stored)."""
    return store.remove_document(Path(doc).name if doc not in
                                 {d["doc"] for d in store.documents()} else doc)
