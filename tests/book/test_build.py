"""The built book: every chapter executed, versioned, with figures and collapsed solutions."""

import re
from pathlib import Path

import pytest
from book_pages import chapters

import spinlab

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]


def prose_words(source: str) -> int:
    without_code = re.sub(r"^```.*?^```", "", source, flags=re.S | re.M)
    return len(without_code.split())


@pytest.mark.parametrize("chapter", chapters())
def test_chapter_source_is_complete(chapter):
    source = (ROOT / f"{chapter}.md").read_text()
    assert prose_words(source) >= 1500, f"{chapter}: fewer than 1500 words of prose"
    assert len(re.findall(r"^```\{exercise\}", source, flags=re.M)) >= 2
    first_cell = source.split("```{code-cell}", 1)[1].split("```", 1)[0]
    assert "hide-input" in first_cell and "spinlab.notebook" in first_cell


@pytest.mark.parametrize("chapter", chapters())
def test_chapter_executed_without_errors(html_dir, chapter):
    html = (html_dir / f"{chapter}.html").read_text()
    assert f"spinlab {spinlab.__version__} (sources" in html, "provenance cell missing or not executed"
    assert "Traceback" not in html and 'class="output traceback' not in html
    assert "NumbaWarning" not in html and "NumbaPerformanceWarning" not in html
    assert html.count("<img") >= 1, "no figure rendered"
    assert "dropdown" in html and "solution" in html
