"""Every chapter page links its notebook (.ipynb made by jupytext at build time) and names the spinlab version."""

from __future__ import annotations

import re
import urllib.request
from pathlib import Path
from urllib.parse import urljoin

import jupytext
import nbformat
import pytest
from book_pages import chapters, static_server

import spinlab

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
LINK = re.compile(r'<a class="reference download spinlab-notebook" href="([^"]+)" download="([^"]+)">')
VERSION = re.compile(r'<span class="spinlab-version">spinlab ([^ ]+) \(sources ([0-9a-f]{12})\)</span>')


@pytest.fixture(scope="module")
def server(book_html):
    with static_server(book_html) as url:
        yield url


@pytest.mark.parametrize("chapter", chapters())
def test_chapter_offers_its_notebook(book_html, server, chapter):
    page = (book_html / f"{chapter}.html").read_text(encoding="utf-8")
    links = LINK.findall(page)
    assert len(links) == 1, f"{chapter}: expected one notebook link, found {len(links)}"
    href, name = links[0]
    assert name == f"{Path(chapter).name}.ipynb"
    with urllib.request.urlopen(urljoin(f"{server}/{chapter}.html", href), timeout=30) as response:
        assert response.status == 200
        notebook = nbformat.reads(response.read().decode("utf-8"), as_version=4)
    nbformat.validate(notebook)
    assert notebook.metadata.kernelspec.name == "python3"
    source = jupytext.read(ROOT / f"{chapter}.md", fmt="md:myst")
    expected = [cell.source for cell in source.cells if cell.cell_type == "code"]
    assert [cell.source for cell in notebook.cells if cell.cell_type == "code"] == expected
    assert "spinlab.notebook" in expected[0]


@pytest.mark.parametrize("chapter", chapters())
def test_chapter_names_the_spinlab_version(book_html, chapter):
    page = (book_html / f"{chapter}.html").read_text(encoding="utf-8")
    found = VERSION.findall(page)
    assert len(found) == 1, f"{chapter}: no spinlab version line"
    assert found[0][0] == spinlab.__version__
    # the same line as the output of the chapter's first (provenance) cell
    assert page.count(f"spinlab {found[0][0]} (sources {found[0][1]})") >= 2
