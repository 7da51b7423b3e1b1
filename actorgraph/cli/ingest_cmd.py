"""CLI: ``ingest``, ``remove``, ``export`` and ``stats``.

Exit status: 0 when everything asked for was done; 1 when ``ingest`` skipped
some files (each named with its reason in the summary) or ``remove`` found no
such document; 2 on a fatal error (store unreachable, malformed overrides or
config, unknown format), with a one-line message on stderr.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer

StoreOpt = Annotated[
    str | None,
    typer.Option("--store", help="embedded or neo4j (default: $ACTORGRAPH_STORE, "
                 "neo4j if $NEO4J_URI is set, else embedded)."),
]
ConfigOpt = Annotated[
    Path | None, typer.Option("--config", help="A TOML file merged over the defaults."),
]


def _fail(command: str, err: BaseException) -> typer.Exit:
    typer.echo(f"actorgraph {command}: error: {err}", err=True)
    return typer.Exit(2)


def _open(command: str, store: str | None, config: Path | None):  # noqa: ANN202
    from actorgraph.graph.open_store import open_store

    if config is not None:
        if not config.is_file():
            raise _fail(command, FileNotFoundError(f"{config}: no such config file"))
        os.environ["ACTORGRAPH_CONFIG"] = str(config)
    try:
        return open_store(store, config_path=str(config) if config else None)
    except Exception as err:  # any failure to open the store is fatal and reported in one line
        raise _fail(command, err) from err


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders to ingest.")],
    store: StoreOpt = None,
    config: ConfigOpt = None,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
) -> None:
    """Extract, resolve and store documents; print what changed."""
    from actorgraph.graph.ingest import ingest_paths

    graph_store = _open("ingest", store, config)
    try:
        summary = ingest_paths(paths, graph_store, config_path=str(config) if config else None,
                               progress=progress)
    except Exception as err:  # a fatal error: the documents written so far stay whole
        partial = getattr(err, "ingest_summary", None)
        if partial is not None:
            for line in partial.lines():
                typer.echo(line)
        raise _fail("ingest", err) from err
    finally:
        graph_store.close()
    for line in summary.lines():
        typer.echo(line)
    raise typer.Exit(summary.exit_code)


def remove(
    doc: Annotated[str, typer.Argument(help="The document's file name (or its path).")],
    store: StoreOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Remove a document's evidence and the nodes and relationships left with none."""
    from actorgraph.graph.ingest import remove_document

    graph_store = _open("remove", store, config)
    try:
        before = graph_store.stats()
        removed = remove_document(graph_store, doc)
        after = graph_store.stats()
    except Exception as err:
        raise _fail("remove", err) from err
    finally:
        graph_store.close()
    if not removed:
        typer.echo(f"actorgraph remove: no document named {Path(doc).name!r} in the store",
                   err=True)
        raise typer.Exit(1)
    n = sum(before["nodes"].values()) - sum(after["nodes"].values())
    r = sum(before["relationships"].values()) - sum(after["relationships"].values())
    typer.echo(f"removed {Path(doc).name}: {n} nodes and {r} relationships left with no evidence")


def export(
    out: Annotated[Path, typer.Argument(help="Output file (a folder for csv).")],
    fmt: Annotated[str, typer.Option("--format", help="json, graphml, gexf or csv.")] = "json",
    store: StoreOpt = None,
    config: ConfigOpt = None,
) -> None:
    """Write the whole graph as node-link JSON, GraphML, GEXF or neo4j-admin CSV."""
    from actorgraph.graph.export import FORMATS, export_graph

    if fmt not in FORMATS:
        raise _fail("export", ValueError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}"))
    graph_store = _open("export", store, config)
    try:
        graph = graph_store.to_networkx()
        files = export_graph(graph, fmt, out)
    except Exception as err:
        raise _fail("export", err) from err
    finally:
        graph_store.close()
    typer.echo(f"wrote {graph.number_of_nodes()} nodes and {graph.number_of_edges()} "
               f"relationships to {', '.join(str(f) for f in files)}")
    if fmt == "csv":
        typer.echo("import with: neo4j-admin database import full --nodes=nodes.csv "
                   "--relationships=relationships.csv --array-delimiter=\";\" neo4j")


def stats(
    store: StoreOpt = None,
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print node counts by label and relationship counts by type."""
    graph_store = _open("stats", store, config)
    try:
        counts = graph_store.stats()
        n_docs = len(graph_store.documents())
    except Exception as err:
        raise _fail("stats", err) from err
    finally:
        graph_store.close()
    if as_json:
        typer.echo(json.dumps({"documents": n_docs, **counts}, indent=1, sort_keys=True))
        return
    typer.echo(f"store: {graph_store.kind}; documents: {n_docs}")
    for title, part in (("nodes", counts["nodes"]), ("relationships", counts["relationships"])):
        typer.echo(f"{title}: {sum(part.values())}")
        for name, n in sorted(part.items()):
            typer.echo(f"  {name:<16} {n}")


def register(app: typer.Typer) -> None:
    """Add ``ingest``, ``remove``, ``export`` and ``stats`` to ``app``."""
    app.command("ingest")(ingest)
    app.command("remove")(remove)
    app.command("export")(export)
    app.command("stats")(stats)
