"""Live code (`make live`): a chapter's code cells run on a local Jupyter server from the built book.

Starts book/_ext/live.py (the Jupyter server and the static book, both on 127.0.0.1), checks that the
server only accepts the book's origin, opens a chapter in Chromium, presses the play button, runs the
chapter's imports and its `explore` cell, moves the live slider and sees the figure change.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest
from book_pages import chromium

pytestmark = [pytest.mark.book, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
CHAPTER = "book/hopfield.html"
STARTUP_S = 90


@pytest.fixture(scope="module")
def live(html_dir):
    env = dict(os.environ, NUMBA_CACHE_DIR=str(ROOT / ".numba_cache"), PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "book" / "_ext" / "live.py"), "--html", str(html_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    try:
        line = process.stdout.readline()
        found = re.search(r"open (http://127\.0\.0\.1:\d+)/index\.html", line)
        assert found, f"live.py did not start: {line!r} (exit code {process.poll()})"
        config = json.loads((html_dir / "_static" / "live-config.json").read_text())
        yield {"origin": found.group(1), **config}
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
    assert not (html_dir / "_static" / "live-config.json").exists(), "live.py left its token behind"


def _request(url: str, token: str, origin: str, method: str = "GET"):
    headers = {"Authorization": f"token {token}", "Origin": origin}
    request = urllib.request.Request(url, headers=headers, method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers.get("Access-Control-Allow-Origin")
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get("Access-Control-Allow-Origin")


def test_server_is_local_and_accepts_only_the_book(live):
    for url in (live["origin"], live["baseUrl"]):
        assert urlparse(url).hostname == "127.0.0.1"
    assert len(live["token"]) >= 32
    kernels = f"{live['baseUrl']}/api/kernels"
    assert _request(kernels, live["token"], live["origin"]) == (200, live["origin"])
    # another origin: the CORS header names only the book, so a browser on another page gets no answer
    assert _request(kernels, live["token"], "http://127.0.0.1:9")[1] == live["origin"]
    assert _request(kernels, live["token"], "http://127.0.0.1:9", "OPTIONS")[1] == live["origin"]
    assert _request(kernels, "wrong-token", live["origin"])[0] == 403


RUN_CELLS = """async () => {
    const cells = window.thebe.notebook.cells;
    const isImports = (s) => s.trim().split('\\n').every(l => /^(import |from \\S+ import |\\s*$)/.test(l));
    const widget = cells.findIndex(c => c.source.includes('explore('));
    if (widget < 0) return 'no explore cell';
    for (const cell of cells.slice(0, widget).filter(c => isImports(c.source)).concat([cells[widget]])) {
        await cell.execute();
    }
    return widget;
}"""


def test_live_widget_cell_runs_and_responds(live, html_dir):
    assert (html_dir / CHAPTER).exists(), f"{CHAPTER} is not in the built book"
    remote: list[str] = []
    errors: list[str] = []

    def route(request_route):
        url = request_route.request.url
        if url.startswith(("data:", "blob:")) or urlparse(url).hostname == "127.0.0.1":
            request_route.continue_()
        else:
            remote.append(url)
            request_route.abort()

    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.route("**/*", route)
        page.goto(f"{live['origin']}/{CHAPTER}", wait_until="load")
        page.click("button.btn-spinlab-live")
        page.wait_for_function(
            "['ready', 'failed'].includes(document.documentElement.dataset.spinlabLive)", timeout=STARTUP_S * 1000
        )
        status = page.inner_text("#spinlab-live-status")
        assert page.evaluate("document.documentElement.dataset.spinlabLive") == "ready", status
        widget = page.evaluate(RUN_CELLS)
        assert isinstance(widget, int), widget
        box = page.locator("[data-output]").nth(widget)
        box.locator(".widget-slider").first.wait_for(timeout=STARTUP_S * 1000)
        image = box.locator(".jupyter-widgets img, .widget-output img").first
        image.wait_for(timeout=STARTUP_S * 1000)
        before = image.get_attribute("src")
        readout_before = box.locator(".widget-readout").first.inner_text()
        box.locator(".noUi-handle").first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(
            """([index, before]) => {
                const img = document.querySelectorAll('[data-output]')[index].querySelector('.widget-output img');
                return img !== null && img.src !== before;
            }""",
            arg=[widget, before],
            timeout=STARTUP_S * 1000,
        )
        assert box.locator(".widget-readout").first.inner_text() != readout_before
        outputs = box.inner_text()
    assert "Traceback" not in outputs and "Error" not in outputs, outputs
    assert not remote, f"requests to other hosts: {remote}"
    assert not errors, errors
