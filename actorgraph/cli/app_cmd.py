"""``actorgraph app``: start the Streamlit web app on localhost."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

#: The app's entry page, relative to the repository (the app is not packaged).
APP_HOME = Path(__file__).resolve().parents[2] / "app" / "Home.py"


def streamlit_command(home: Path, port: int, address: str = "127.0.0.1") -> list[str]:
    """The command line that serves ``home`` headless, offline and without usage statistics."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(home),
        "--server.headless",
        "true",
        "--server.address",
        address,
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
    ]


def register(app: typer.Typer) -> None:
    """Add the ``app`` command to ``app``."""

    @app.command("app")
    def run_app(
        store: Annotated[
            str | None,
            typer.Option("--store", help='"embedded" or "neo4j" (default from the config).'),
        ] = None,
        home: Annotated[
            Path | None,
            typer.Option("--home", help="Folder of the embedded store (default $ACTORGRAPH_HOME)."),
        ] = None,
        port: Annotated[int, typer.Option("--port", help="Port on localhost.")] = 8501,
    ) -> None:
        """Start the web app on http://localhost:PORT (no internet needed, no telemetry)."""
        if not APP_HOME.is_file():
            typer.echo(f"{APP_HOME}: app not found (run from a source checkout)", err=True)
            raise typer.Exit(2)
        env = dict(os.environ)
        if store:
            env["ACTORGRAPH_STORE"] = store
        if home:
            env["ACTORGRAPH_HOME"] = str(home.resolve())
        env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
        typer.echo(f"actorgraph app on http://localhost:{port}", err=True)
        cmd = streamlit_command(APP_HOME, port)
        if os.name == "posix":
            # Become the server, so that a signal to this process (Ctrl-C, a test's
            # terminate()) reaches Streamlit itself and leaves no orphan behind.
            os.execve(cmd[0], cmd, env)
        try:
            code = subprocess.call(cmd, env=env)
        except KeyboardInterrupt:
            code = 0
        raise typer.Exit(code)
