"""End to end in a real headless browser: the app on localhost against the ingested sample corpus.

Starts ``actorgraph app`` on a free loopback port, drives Debian's Chromium with
Playwright (``.ci/browser-deps.sh`` installs it), searches for an entity, opens
it, reads an evidence sentence, opens the boundary-spanner and role-transfer
pages, and saves screenshots under ``test-artifacts/``. Every request the page
makes is recorded: none may leave localhost (the app must work offline, behind
NHS firewalls that block CDNs).
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}
TIMEOUT_MS = 90_000

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def app_url(ingested_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``actorgraph app`` serving the ingested sample corpus on a free localhost port."""
    port = _free_port()
    log_path = tmp_path_factory.mktemp("app") / "streamlit.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
    env["ACTORGRAPH_HOME"] = str(ingested_home)
    env["ACTORGRAPH_STORE"] = "embedded"
    cmd = [sys.executable, "-m", "actorgraph.cli.main", "app", "--store", "embedded",
           "--home", str(ingested_home), "--port", str(port)]
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = log_path.read_text(errors="replace")[-3000:]
                pytest.fail(f"the app did not start: {tail}")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser_page(app_url: str) -> Iterator[tuple[object, list[str]]]:
    """A Chromium page (1400x1000) and the list of every URL it requests."""
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run .ci/browser-deps.sh")
    from playwright.sync_api import sync_playwright

    requests: list[str] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.set_default_timeout(TIMEOUT_MS)
        page.on("request", lambda req: requests.append(req.url))
        try:
            yield page, requests
        finally:
            browser.close()


def _entity_to_find(home: Path) -> tuple[str, str, list[str]]:
    """A well-evidenced entity: what to type, the id the search ranks first, its sentences."""
    from actorgraph.graph.open_store import open_store
    from actorgraph.queries.search import search

    store = open_store("embedded", home)
    try:
        G = store.to_networkx()
    finally:
        store.close()
    ranked = sorted(
        (
            n for n, d in G.nodes(data=True)
            if d.get("label") in ("Organisation", "Person", "Site") and d.get("evidence")
            and any(e.get("type") != "MENTIONED_IN" for _, _, e in G.out_edges(n, data=True))
        ),
        key=lambda n: (-G.degree(n), n),
    )
    assert ranked, "the ingested corpus has no entity with relationships"
    for node in ranked:
        name = str(G.nodes[node]["name"])
        hits = search(G, name, 25, labels=[lab for lab in
                                           {d.get("label") for _, d in G.nodes(data=True)}
                                           if lab and lab != "Document"])
        if hits and hits[0]["id"] == node:
            sentences = [str(e["text"]) for e in G.nodes[node]["evidence"]]
            for _, _, d in G.edges(node, data=True):
                sentences += [str(e["text"]) for e in d.get("evidence") or []]
            return name, node, sentences
    pytest.fail("no entity is ranked first when searched by its own name")


def _shot(page, name: str, focus: str | None = None) -> Path:
    """Save a screenshot of the viewport, scrolled to ``focus`` (a selector) when given."""
    ARTIFACTS.mkdir(exist_ok=True)
    if focus and page.locator(focus).count():
        page.locator(focus).first.scroll_into_view_if_needed()
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=False)
    return path


def _wait_idle(page) -> None:
    """Wait until Streamlit has finished the current script run."""
    page.wait_for_selector("[data-testid='stApp']")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText"
        ".includes('Running')",
        timeout=TIMEOUT_MS,
    )


def test_search_open_entity_and_read_evidence(browser_page, app_url, ingested_home) -> None:
    page, requests = browser_page
    name, node, sentences = _entity_to_find(ingested_home)

    page.goto(app_url)
    page.get_by_text("Questions").first.wait_for()
    _shot(page, "home")

    page.goto(f"{app_url}/Explore")
    box = page.get_by_label("Search by name, alias or respondent code")
    box.fill(name)
    box.press("Enter")
    page.get_by_text("match(es)").first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    _wait_idle(page)
    _shot(page, "explore", ".js-plotly-plot")

    page.get_by_role("button", name=f"Open {name}").first.click()
    page.get_by_role("heading", name="Entity").first.wait_for()
    page.locator("mark").first.wait_for()
    _wait_idle(page)
    assert page.get_by_text(node, exact=False).count() >= 1
    marked = [" ".join(t.split()) for t in page.locator("mark").all_inner_texts()]
    wanted = {" ".join(s.split()) for s in sentences}
    assert set(marked) & wanted, f"no evidence sentence of {node} is shown highlighted"
    _shot(page, "entity", "mark")


def test_clicking_a_node_opens_it(browser_page, app_url, ingested_home) -> None:
    page, _ = browser_page
    name, node, _ = _entity_to_find(ingested_home)
    page.goto(f"{app_url}/Explore")
    box = page.get_by_label("Search by name, alias or respondent code")
    box.fill(name)
    box.press("Enter")
    plot = page.locator(".js-plotly-plot").first
    plot.wait_for()
    _wait_idle(page)
    plot.scroll_into_view_if_needed()
    time.sleep(1)
    # Node markers: the biggest is the centre; click the one farthest from it.
    boxes = [b for b in (p.bounding_box() for p in
                         plot.locator(".scatterlayer .trace path.point").all()) if b]
    assert len(boxes) >= 2, "the neighbourhood view has fewer than two nodes"
    centre = max(boxes, key=lambda b: b["width"])

    def mid(b: dict) -> tuple[float, float]:
        return b["x"] + b["width"] / 2, b["y"] + b["height"] / 2

    cx, cy = mid(centre)
    target = max((b for b in boxes if b["width"] > 6),  # not an edge's mid-point marker
                 key=lambda b: (mid(b)[0] - cx) ** 2 + (mid(b)[1] - cy) ** 2)
    x, y = mid(target)
    page.mouse.move(x, y)
    time.sleep(0.5)
    page.mouse.click(x, y)
    page.get_by_role("heading", name="Entity").first.wait_for()
    _wait_idle(page)
    opened = page.locator("input[aria-label='Node id']").input_value()
    assert opened and opened != node


def test_question_pages(browser_page, app_url) -> None:
    page, _ = browser_page
    page.goto(f"{app_url}/Boundary_spanners")
    page.get_by_text("People ranked").first.wait_for()
    page.get_by_text("Why is this person a spanner?").first.wait_for()
    _wait_idle(page)
    _shot(page, "boundary_spanners")

    page.goto(f"{app_url}/Role_transfers")
    page.get_by_text("People who moved").first.wait_for()
    _wait_idle(page)
    _shot(page, "role_transfers", ".js-plotly-plot")

    for path, marker, shot in (
        ("Overview", "Nodes by label", "overview"),
        ("Initiative_spread", "Sites and organisations", "initiative_spread"),
        ("Query", "Saved questions", "query"),
    ):
        page.goto(f"{app_url}/{path}")
        page.get_by_text(marker).first.wait_for()
        _wait_idle(page)
        _shot(page, shot)


def test_no_request_leaves_localhost(browser_page, app_url) -> None:
    page, requests = browser_page
    # Load a page with charts here too, so this test stands alone.
    page.goto(f"{app_url}/Boundary_spanners")
    page.get_by_text("People ranked").first.wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    _wait_idle(page)
    assert any(urlparse(u).path.endswith(".js") for u in requests), "no script was loaded"
    outside = sorted(
        {u for u in requests
         if urlparse(u).scheme in ("http", "https", "ws", "wss")
         and (urlparse(u).hostname or "") not in LOCAL_HOSTS}
    )
    assert outside == []
