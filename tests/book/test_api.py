"""The API reference part (book/api, Sphinx autodoc) covers every public spinlab module and resolves links."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pytest
import yaml

import spinlab

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
API = ROOT / "book" / "api"
KEY_OBJECTS = [
    "spinlab.models.sk",
    "spinlab.exact.onsager",
    "spinlab.mc.metropolis",
    "spinlab.mc.parallel_tempering",
    "spinlab.overlaps.binder_cumulant",
    "spinlab.replica.parisi",
    "spinlab.replica.rs",
    "spinlab.tap.solve",
    "spinlab.hopfield.retrieval",
    "spinlab.widgets.explore",
    "spinlab.sweep.disorder_average",
]


def public_modules() -> list[str]:
    return sorted(m.name for m in pkgutil.iter_modules(spinlab.__path__) if not m.name.startswith("_"))


def api_toc_files() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    part = next(p for p in toc["parts"] if p.get("caption") == "API reference")
    files = []
    for entry in part["chapters"]:
        files += [entry["file"]] + [s["file"] for s in entry.get("sections", [])]
    return files


def test_key_objects_exist():
    import importlib

    for name in KEY_OBJECTS:
        module, attr = name.rsplit(".", 1)
        assert hasattr(importlib.import_module(module), attr), f"{name} is not public: update KEY_OBJECTS"


def test_every_public_module_has_an_api_page():
    toc = api_toc_files()
    assert toc[0] == "book/api/index"
    for name in public_modules():
        page = API / f"{name}.md"
        assert page.exists(), f"spinlab.{name} has no API page: add book/api/{name}.md and list it in _toc.yml"
        assert f"book/api/{name}" in toc, f"book/api/{name}.md is not in the API part of _toc.yml"
        assert f"automodule:: spinlab.{name}" in page.read_text()


def test_api_pages_document_key_functions(html_dir):
    for name in KEY_OBJECTS:
        module = name.split(".")[1]
        html = (html_dir / "book" / "api" / f"{module}.html").read_text()
        assert f'id="{name}"' in html, f"{name} is not documented in book/api/{module}.html"
    replica = (html_dir / "book" / "api" / "replica.html").read_text()
    assert "Parameters" in replica and "Returns" in replica, "numpy sections were not rendered (napoleon)"


def test_chapter_references_to_the_api_resolve(html_dir):
    """Every {py:...} role in a chapter (and in the API index) links to a documented object."""
    index = (html_dir / "book" / "api" / "index.html").read_text()
    assert 'href="replica.html#spinlab.replica.parisi"' in index
    xref = re.compile(r'(<a class="reference internal"[^>]*>)?<code class="xref py[^"]*"[^>]*>(.*?)</code>')
    unresolved = []
    for page in sorted(html_dir.glob("book/*.html")) + [html_dir / "book" / "api" / "index.html"]:
        html = page.read_text()
        for match in xref.finditer(html):
            if match.group(1) is None:
                unresolved.append(f"{page.relative_to(html_dir)}: {re.sub('<[^>]+>', '', match.group(2))}")
    assert not unresolved, "unresolved references to the API:\n" + "\n".join(unresolved)


def test_docstring_bars_are_escaped_outside_literals():
    import importlib.util

    spec = importlib.util.spec_from_file_location("spinlab_api", ROOT / "book" / "_ext" / "spinlab_api.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    lines = [
        "Magnetisations, |m_i| <= 1; ``|x|`` and :math:`|q|` stay.",
        "The formula::",
        "",
        "    |a| - b",
        "",
        ">>> abs(-1)  # |x|",
        "Back to prose |y|.",
    ]
    assert module.escape_docstring_bars(lines) == [
        "Magnetisations, \\|m_i\\| <= 1; ``|x|`` and :math:`|q|` stay.",
        "The formula::",
        "",
        "    |a| - b",
        "",
        ">>> abs(-1)  # |x|",
        "Back to prose \\|y\\|.",
    ]
