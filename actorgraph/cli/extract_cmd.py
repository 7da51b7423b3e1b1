"""CLI: ``actorgraph extract FILE... [--json]``.

Extracts each file (folders are walked recursively) and prints, per document, a one-line
summary or, with ``--json``, a JSON array of the extractions (``DocumentExtraction.to_dict``)
streamed to stdout one document at a time. A file that cannot be read is skipped with one
line on stderr naming it and the reason. The last line on stderr is the summary
("N files processed, M skipped").

Exit status: 0 when every file was processed; 1 when some were skipped; 2 on a fatal
error (bad config, unknown model) or when nothing was given.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from pathlib import Path
from typing import Annotated

import typer

from actorgraph.records import DocumentExtraction, InputError


def _summary_line(ex: DocumentExtraction) -> str:
    counts = Counter(e.label for e in ex.entities)
    labels = ", ".join(f"{label} {n}" for label, n in sorted(counts.items()))
    return (f"{ex.doc}: {len(ex.entities)} entities ({labels or 'none'}), "
            f"{len(ex.relations)} relations")


def extract(
    files: Annotated[list[Path], typer.Argument(help="Files or folders to extract.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the extractions as JSON.")] = False,
    n_process: Annotated[int | None, typer.Option(
        "--n-process", help="Worker processes (default: [extraction] n_process).")] = None,
    config: Annotated[Path | None, typer.Option(
        "--config", help="A TOML file merged over the defaults.")] = None,
) -> None:
    """Extract people, roles, organisations, sites, initiatives, places and relations."""
    from actorgraph.config import section
    from actorgraph.extraction.pipeline import build_nlp, extract_paths

    try:
        if config is not None:
            if not config.is_file():
                raise ValueError(f"{config}: no such config file")
            os.environ["ACTORGRAPH_CONFIG"] = str(config)
        settings = section("extraction", str(config) if config else None)
        nlp = build_nlp(settings)
    except (OSError, ValueError) as err:
        typer.echo(f"actorgraph extract: error: {err}", err=True)
        raise typer.Exit(2) from err

    processed, skipped = 0, []
    first = True
    if as_json:
        typer.echo("[", nl=False)
    for item in extract_paths(files, n_process=n_process, nlp=nlp, config=settings):
        if isinstance(item, InputError):
            skipped.append(item)
            typer.echo(f"skipped: {item}", err=True)
            continue
        processed += 1
        if as_json:
            typer.echo(("\n" if first else ",\n") + json.dumps(item.to_dict(), ensure_ascii=False),
                       nl=False)
            first = False
        else:
            typer.echo(_summary_line(item))
        for warning in item.warnings:
            typer.echo(f"warning: {warning}", err=True)
    if as_json:
        typer.echo("\n]")
    total = processed + len(skipped)
    typer.echo(f"actorgraph extract: {total} file{'s' if total != 1 else ''}: "
               f"{processed} processed, {len(skipped)} skipped", err=True)
    if total == 0:
        raise typer.Exit(2)
    raise typer.Exit(1 if skipped else 0)


def register(app: typer.Typer) -> None:
    """Add the ``extract`` command to ``app``."""
    app.command("extract")(extract)
