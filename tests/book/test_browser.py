"""Open every page of the built book in headless Chromium, served from 127.0.0.1 only.

Fails on console errors, on any request to another host, on math left untypeset, on
broken images and on widget views that did not render. Saves a screenshot per page
under _build/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import pytest
from book_pages import chromium, static_server

pytestmark = pytest.mark.book


@pytest.fixture(scope="module")
def server(html_dir):
    with static_server(html_dir) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


def pages(html_dir: Path) -> list[str]:
    return sorted(p.relative_to(html_dir).as_posix() for p in (html_dir / "book").glob("*.html"))


def test_book_has_chapters(html_dir):
    names = pages(html_dir)
    for chapter in ("intro", "frustration", "monte-carlo"):
        assert f"book/{chapter}.html" in names


def test_every_page_renders_offline(html_dir, server, browser):
    shots = html_dir.parent / "screenshots"
    shots.mkdir(exist_ok=True)
    problems: list[str] = []
    for name in pages(html_dir):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        page = context.new_page()
        errors: list[str] = []
        remote: list[str] = []
        page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))

        def route(request_route, remote=remote):
            host = urlparse(request_route.request.url).hostname
            if request_route.request.url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost"):
                request_route.continue_()
            else:
                remote.append(request_route.request.url)
                request_route.abort()

        page.route("**/*", route)
        page.goto(f"{server}/{name}", wait_until="load")
        page.wait_for_load_state("networkidle")
        html = (html_dir / name).read_text()
        if "\\(" in html or "\\[" in html or 'class="math' in html:
            try:
                page.wait_for_selector("mjx-container", state="attached", timeout=60_000)
            except Exception:
                problems.append(f"{name}: math was not typeset by MathJax")
        if "application/vnd.jupyter.widget-view+json" in html:
            try:
                widget_views = ".jupyter-widgets, .widget-slider, .jp-OutputArea"
                page.wait_for_selector(widget_views, state="attached", timeout=60_000)
            except Exception:
                problems.append(f"{name}: widget views did not render")
        if "spinlab-explore-" in html:
            moved = page.evaluate(
                """() => Array.from(document.querySelectorAll('div[id^="spinlab-explore-"]')).map(box => {
                    const img = box.querySelector('img');
                    const control = box.querySelector('input[type=range], select');
                    const before = img.src;
                    // move to the far end away from the default (a default may sit at either extreme)
                    if (control.tagName === 'SELECT') {
                        const last = control.options.length - 1;
                        control.selectedIndex = control.selectedIndex === last ? 0 : last;
                    } else {
                        const atMax = parseFloat(control.value) >= parseFloat(control.max);
                        control.value = atMax ? control.min : control.max;
                    }
                    control.dispatchEvent(new Event('input', {bubbles: true}));
                    control.dispatchEvent(new Event('change', {bubbles: true}));
                    return img.src !== before;
                })"""
            )
            problems += [
                f"{name}: precomputed slider {k} did not change its figure" for k, ok in enumerate(moved) if not ok
            ]
        page.wait_for_timeout(300)
        broken = page.evaluate(
            "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.src)"
        )
        page.screenshot(path=str(shots / (Path(name).stem + ".png")), full_page=False)
        problems += [f"{name}: console error: {e}" for e in errors]
        problems += [f"{name}: request to another host: {u}" for u in remote]
        problems += [f"{name}: image not loaded: {src}" for src in broken]
        context.close()
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(("query", "expected"), [("Parisi", "book/parisi.html"), ("Hebbian", "book/hopfield.html")])
def test_search_finds_chapters_offline(server, browser, query, expected):
    """The theme's client-side search (searchindex.js, no server) lists the chapter that treats the term."""
    page = browser.new_page()
    remote = []
    page.on("request", lambda r: remote.append(r.url) if urlparse(r.url).hostname != "127.0.0.1" else None)
    page.route(lambda url: urlparse(url).hostname != "127.0.0.1", lambda route: route.abort())
    page.goto(f"{server}/search.html?q={query}")
    page.wait_for_selector("#search-results li", timeout=60_000)
    links = page.evaluate("Array.from(document.querySelectorAll('#search-results li a')).map(a => a.href)")
    page.close()
    assert any(expected in link for link in links), f"search for {query!r} did not list {expected}: {links[:5]}"
    assert remote == []
