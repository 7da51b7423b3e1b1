"""``actorgraph app --address``: the server listens where it is told, and on loopback by default."""

from __future__ import annotations

import doctest
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _free_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


def test_address_option_in_the_streamlit_command() -> None:
    from actorgraph.cli import app_cmd

    default = app_cmd.streamlit_command(app_cmd.APP_HOME, 8501)
    everywhere = app_cmd.streamlit_command(app_cmd.APP_HOME, 8501, "0.0.0.0")
    flags = dict(zip(default[5::2], default[6::2], strict=True))
    assert flags["--server.address"] == app_cmd.DEFAULT_ADDRESS == "127.0.0.1"
    assert dict(zip(everywhere[5::2], everywhere[6::2], strict=True))["--server.address"] == (
        "0.0.0.0")
    assert doctest.testmod(app_cmd).failed == 0


def test_app_help_lists_address_and_rejects_a_blank_one() -> None:
    from typer.testing import CliRunner

    from actorgraph.cli.main import app

    result = CliRunner().invoke(app, ["app", "--help"])
    assert result.exit_code == 0 and "--address" in result.output
    refused = CliRunner().invoke(app, ["app", "--address", " "])
    assert refused.exit_code == 2 and "--address" in refused.output


@pytest.mark.parametrize("address", [None, "127.0.0.2"])
def test_app_listens_on_the_address_given(address: str | None, tmp_path: Path) -> None:
    """The server answers on the address asked for (default 127.0.0.1) and on no other.

    127.0.0.2 is another loopback address on Linux: a server bound there does not answer on
    127.0.0.1, and one bound to 127.0.0.1 does not answer on 127.0.0.2.
    """
    bound = address or "127.0.0.1"
    other = "127.0.0.2" if bound == "127.0.0.1" else "127.0.0.1"
    port = _free_port(bound)
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["ACTORGRAPH_STORE"] = "embedded"
    cmd = [sys.executable, "-m", "actorgraph.cli.main", "app", "--store", "embedded",
           "--home", str(tmp_path / "home"), "--port", str(port)]
    if address:
        cmd += ["--address", address]
    log_path = tmp_path / "streamlit.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    try:
        deadline = time.monotonic() + 90
        while not _healthy(f"http://{bound}:{port}"):
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the app did not start: {log_path.read_text(errors='replace')}")
            time.sleep(0.3)
        assert not _healthy(f"http://{other}:{port}")
        assert ("listening on 127.0.0.2" in log_path.read_text()) == (address is not None)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)
