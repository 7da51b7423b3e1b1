"""``actorgraph app``: start the Streamlit web app (on localhost unless ``--address`` says)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

#: The app's entry page, relative to the repository (the app is not packaged).
APP_HOME = Path(__file__).resolve().parents[2] / "app" / "Home.py"

#: The interface the app listens on by default: loopback only, so nothing on the network
#: reaches it unless the user says so with ``--address``.
DEFAULT_ADDRESS = "127.0.0.1"


def browse_url(address: str, port: int) -> str:
    """The URL to open for a server listening on ``address``.

    >>> browse_url("127.0.0.1", 8501), browse_url("0.0.0.0", 80), browse_url("::1", 8501)
    ('http://localhost:8501', 'http://localhost:80', 'http://[::1]:8501')
    """
    if address in (DEFAULT_ADDRESS, "localhost", "0.0.0.0", "::"):
        host = "localhost"  # an all-interfaces server answers on localhost too
    else:
        host = f"[{address}]" if ":" in address else address
    return f"http://{host}:{port}"


def streamlit_command(home: Path, port: int, address: str = DEFAULT_ADDRESS) -> list[str]:
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
        port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8501,
        address: Annotated[
            str,
            typer.Option(
                "--address",
                help="Interface to listen on: 127.0.0.1 (default, this machine only), "
                "0.0.0.0 for every interface (e.g. in a container), or one address.",
            ),
        ] = DEFAULT_ADDRESS,
    ) -> None:
        """Start the web app on http://localhost:PORT (no internet needed, no telemetry).

        It listens on 127.0.0.1 only, unless ``--address`` names another interface.
        """
        address = address.strip()
        if not address or any(c.isspace() for c in address):
            typer.echo(f"--address {address!r}: give an IP address or host name", err=True)
            raise typer.Exit(2)
        if not APP_HOME.is_file():
            typer.echo(f"{APP_HOME}: app not found (run from a source checkout)", err=True)
            raise typer.Exit(2)
        env = dict(os.environ)
        if store:
            env["ACTORGRAPH_STORE"] = store
        if home:
            env["ACTORGRAPH_HOME"] = str(home.resolve())
        env["STREAMLIT_BROWSER_GATHER_USAGE_STATS"] = "false"
        where = "" if address == DEFAULT_ADDRESS else f" (listening on {address})"
        typer.echo(f"actorgraph app on {browse_url(address, port)}{where}", err=True)
        cmd = streamlit_command(APP_HOME, port, address)
        if os.name == "posix":
            # Become the server, so that a signal to this process (Ctrl-C, a test's
            # terminate()) reaches Streamlit itself and leaves no orphan behind.
            os.execve(cmd[0], cmd, env)
        try:
            code = subprocess.call(cmd, env=env)
        except KeyboardInterrupt:
            code = 0
        raise typer.Exit(code)
