"""Pytest fixtures for a real Neo4j 5.26 server: ``neo4j_server`` and ``neo4j_store``.

When ``NEO4J_URI`` is set (e.g. a server from ``docker compose up``), the tests use it with
``NEO4J_USER``/``NEO4J_PASSWORD``. Otherwise the session starts the Java runner in
``tools/neo4j-runner`` (built by ``.ci/neo4j-runner.sh`` if needed) on a free loopback port, with
authentication enabled and a random password, and stops it at the end of the session.

:class:`Neo4jProcess` is also used by ``bench/ingest_speed.py`` and by the fault tests, which
start a private server that they stop and restart on the same data directory.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
RUNNER_DIR = REPO / "tools" / "neo4j-runner"
BUILD_SCRIPT = REPO / ".ci" / "neo4j-runner.sh"
READY_PREFIX = "NEO4J_READY "
#: Seconds to wait for the ready line ($ACTORGRAPH_NEO4J_START_TIMEOUT overrides).
START_TIMEOUT = float(os.environ.get("ACTORGRAPH_NEO4J_START_TIMEOUT", "180"))
#: Garbage collector for the tests: small and single-threaded, enough for test-sized graphs.
TEST_GC_OPTS = ["-XX:+UseSerialGC"]
#: The JVM flags of the ``neo4j.conf`` that Neo4j 5.26 ships (and so the ``neo4j:5.26`` image
#: that docker-compose.yml runs): benchmarks start the server with these, so that they measure
#: a server configured as users run it (G1 rather than the tests' serial collector).
NEO4J_CONF_JVM_OPTS = [
    "-XX:+UseG1GC",
    "-XX:-OmitStackTraceInFastThrow",
    "-XX:+AlwaysPreTouch",
    "-XX:+UnlockExperimentalVMOptions",
    "-XX:+TrustFinalNonStaticFields",
    "-XX:+DisableExplicitGC",
    "-Djdk.nio.maxCachedBufferSize=1024",
]
JAVA_OPTS = [
    "-Xms256m",
    "-Xmx1g",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
]


class Neo4jStartError(RuntimeError):
    """The runner could not be built or did not become ready; the message holds the log tail."""


def build_runner() -> None:
    """Build the runner with ``.ci/neo4j-runner.sh`` (a no-op when it is up to date)."""
    proc = subprocess.run(
        ["bash", str(BUILD_SCRIPT)], capture_output=True, text=True, timeout=1800, check=False
    )
    if proc.returncode != 0:
        raise Neo4jStartError(f"building the Neo4j runner failed:\n{proc.stdout}{proc.stderr}")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _tail(path: Path, n: int = 40) -> str:
    try:
        lines = path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return "(no log)"
    return "\n".join(lines[-n:])


class Neo4jProcess:
    """One Neo4j server process started from the runner, with its own data directory.

    ``start()`` may be called again after ``stop()``/``kill()``: the server comes back on the same
    port with the same data (the home directory is kept until :meth:`cleanup`).
    """

    def __init__(self, password: str | None = None, port: int | None = None,
                 java_opts: list[str] | None = None, like_neo4j_conf: bool = False) -> None:
        self.password = password or "ag-" + secrets.token_hex(8)
        #: JVM options after the defaults (a later ``-Xmx`` wins), e.g. a bigger page cache
        #: with ``-Dactorgraph.pagecache=<bytes>`` for benchmarks.
        self.java_opts = list(java_opts or [])
        #: ``like_neo4j_conf``: the JVM flags of Neo4j's shipped neo4j.conf instead of the
        #: tests' small serial collector (benchmarks).
        self.gc_opts = NEO4J_CONF_JVM_OPTS if like_neo4j_conf else TEST_GC_OPTS
        self.user = "neo4j"
        self.port = port or free_port()
        self.workdir = Path(tempfile.mkdtemp(prefix="actorgraph-neo4j-"))
        self.log_path = self.workdir / "server.log"
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def uri(self) -> str:
        """The Bolt URI of this server."""
        return f"bolt://127.0.0.1:{self.port}"

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start the server and wait for its ready line; raise :class:`Neo4jStartError` if not."""
        build_runner()
        classpath = f"{RUNNER_DIR / 'target' / 'classes'}:{RUNNER_DIR / 'target' / 'lib'}/*"
        home = self.workdir / "home"
        home.mkdir(exist_ok=True)
        cmd = ["java", *JAVA_OPTS, *self.gc_opts, *self.java_opts, "-Dactorgraph.watchStdin=true",
               "-cp", classpath,
               "Neo4jTestServer", str(home), str(self.port), self.password]
        log = open(self.log_path, "ab")  # noqa: SIM115 - the child owns it until it exits
        try:
            self.proc = subprocess.Popen(
                # stdin stays open while we live: the runner exits when it closes
                cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.PIPE,
                start_new_session=True,
            )
        finally:
            log.close()
        start = self.log_path.stat().st_size if self.log_path.exists() else 0
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.log_path.read_bytes()[start:].decode("utf-8", errors="replace")
            if READY_PREFIX in text:
                return
            if self.proc.poll() is not None:
                raise Neo4jStartError(
                    f"Neo4j runner exited with code {self.proc.returncode} before it was ready; "
                    f"log tail ({self.log_path}):\n{_tail(self.log_path)}"
                )
            time.sleep(0.2)
        self.stop()
        raise Neo4jStartError(
            f"Neo4j runner not ready after {timeout:.0f}s; log tail ({self.log_path}):\n"
            f"{_tail(self.log_path)}"
        )

    def stop(self, timeout: float = 60.0) -> None:
        """Stop the server cleanly (SIGTERM runs Neo4j's shutdown), killing it after ``timeout``."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=30)
        self._close_stdin()
        self.proc = None

    def _close_stdin(self) -> None:
        if self.proc is not None and self.proc.stdin is not None:
            try:
                self.proc.stdin.close()
            except OSError:
                pass

    def kill(self) -> None:
        """Kill the server abruptly (SIGKILL): no shutdown, as in a crash or power loss."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        self._close_stdin()
        self.proc = None

    def cleanup(self) -> None:
        """Stop the server and remove its data directory."""
        self.stop()
        shutil.rmtree(self.workdir, ignore_errors=True)


@dataclass
class Neo4jServer:
    """Where the tests' Neo4j server is, and how to log in."""

    uri: str
    user: str
    password: str | None
    database: str | None = None
    process: Neo4jProcess | None = None


@pytest.fixture(scope="session")
def neo4j_server() -> Iterator[Neo4jServer]:
    """A running Neo4j: ``$NEO4J_URI`` if set, else a private server started for the session."""
    uri = os.environ.get("NEO4J_URI")
    if uri:
        yield Neo4jServer(
            uri=uri,
            user=os.environ.get("NEO4J_USER", "neo4j"),
            password=os.environ.get("NEO4J_PASSWORD"),
            database=os.environ.get("NEO4J_DATABASE") or None,
        )
        return
    process = Neo4jProcess()
    try:
        process.start()
    except Neo4jStartError as err:
        process.cleanup()
        pytest.fail(str(err), pytrace=False)
    try:
        yield Neo4jServer(process.uri, process.user, process.password, None, process)
    finally:
        process.cleanup()


@pytest.fixture
def neo4j_store(neo4j_server: Neo4jServer) -> Iterator[object]:
    """An empty :class:`~actorgraph.graph.neo4j_store.Neo4jStore` on the session's server."""
    from actorgraph.graph.neo4j_store import Neo4jStore

    store = Neo4jStore(
        uri=neo4j_server.uri,
        user=neo4j_server.user,
        password=neo4j_server.password,
        database=neo4j_server.database,
    )
    try:
        store.wipe()
        yield store
    finally:
        store.close()
