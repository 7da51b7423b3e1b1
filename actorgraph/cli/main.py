"""The ``actorgraph`` command line: one Typer app, one module per command group."""

from __future__ import annotations

import typer

from actorgraph.cli import app_cmd, extract_cmd, ingest_cmd, query_cmd

app = typer.Typer(
    name="actorgraph",
    help="Build and query a knowledge graph of actors in health-policy documents.",
    no_args_is_help=True,
    add_completion=False,
)

for module in (extract_cmd, ingest_cmd, query_cmd, app_cmd):
    module.register(app)


if __name__ == "__main__":  # pragma: no cover
    app()
