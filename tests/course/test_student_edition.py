"""The student edition (make book-student): every solution removed, not hidden; exercises kept.

Distinctive strings are taken from the solutions in the chapter sources (prose phrases and solution
code lines that occur nowhere else in the chapter): each must be on the normal page and absent from
the student page and from the student's downloadable notebook.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from book_pages import chapters

pytestmark = pytest.mark.book
ROOT = Path(__file__).resolve().parents[2]
WORD = re.compile(r"[A-Za-z]+")


def normalise(text: str) -> str:
    return " ".join(text.split())


def page_text(path: Path) -> str:
    """Visible text of an HTML page: scripts and tags dropped, entities decoded, whitespace collapsed."""
    raw = path.read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S | re.I)
    return normalise(html.unescape(re.sub(r"<[^>]+>", "", raw)))


def split_solutions(source: str) -> tuple[list[str], str]:
    """Solution blocks (plain and gated) of a MyST chapter, and the chapter text without them."""
    pattern = re.compile(
        r"^```\{solution\}[^\n]*\n.*?^```[ \t]*$|^```\{solution-start\}.*?^```\{solution-end\}[^\n]*\n```[ \t]*$",
        flags=re.S | re.M,
    )
    return pattern.findall(source), pattern.sub("", source)


def distinctive_strings(chapter: str) -> list[str]:
    blocks, outside = split_solutions((ROOT / f"{chapter}.md").read_text(encoding="utf-8"))
    outside = normalise(outside)
    found: list[str] = []
    for block in blocks:
        in_code = False
        for line in block.split("\n"):
            if line.startswith("```"):
                in_code = line.startswith("```{code-cell}")
                continue
            if in_code:
                code = normalise(line)
                if len(code) >= 20 and code not in outside:
                    found.append(code)
                continue
            if line.startswith(":"):
                continue
            for segment in re.split(r"\$[^$]*\$|`[^`]*`", line):
                run: list[str] = []
                for token in segment.split() + [""]:
                    if WORD.fullmatch(token):
                        run.append(token)
                        continue
                    if len(run) >= 5 and " ".join(run) not in outside:
                        found.append(" ".join(run))
                    run = []
    return sorted(set(found))


@pytest.mark.parametrize("chapter", chapters())
def test_solutions_removed_exercises_kept(book_html, student_html, chapter):
    strings = distinctive_strings(chapter)
    assert len(strings) >= 3, f"{chapter}: too few distinctive solution strings to test with"
    normal = page_text(book_html / f"{chapter}.html")
    student = page_text(student_html / f"{chapter}.html")
    missing = [s for s in strings if s not in normal]
    assert not missing, f"{chapter}: solution text not found in the normal book: {missing[:3]}"
    leaked = [s for s in strings if s in student]
    assert not leaked, f"{chapter}: solution text in the student edition: {leaked[:3]}"

    normal_raw = (book_html / f"{chapter}.html").read_text(encoding="utf-8")
    student_raw = (student_html / f"{chapter}.html").read_text(encoding="utf-8")
    assert 'class="solution' in normal_raw and 'class="solution' not in student_raw
    exercises = re.findall(r'class="exercise[^"]*" id="([^"]+)"', normal_raw)
    assert len(exercises) >= 2
    assert re.findall(r'class="exercise[^"]*" id="([^"]+)"', student_raw) == exercises


@pytest.mark.parametrize("chapter", chapters())
def test_student_notebook_has_no_solutions(student_html, chapter):
    notebook = json.loads((student_html / "_notebooks" / f"{Path(chapter).name}.ipynb").read_text(encoding="utf-8"))
    text = normalise(" ".join("".join(cell["source"]) for cell in notebook["cells"]))
    assert "{exercise}" in text
    assert "{solution" not in text
    leaked = [s for s in distinctive_strings(chapter) if s in text]
    assert not leaked, f"{chapter}: solution text in the student notebook: {leaked[:3]}"


@pytest.mark.parametrize("chapter", chapters())
def test_student_page_source_has_no_solutions(student_html, chapter):
    text = normalise((student_html / "_sources" / f"{chapter}.md").read_text(encoding="utf-8"))
    assert "{exercise}" in text and "{solution" not in text
    leaked = [s for s in distinctive_strings(chapter) if s in text]
    assert not leaked, f"{chapter}: solution text in the student page source: {leaked[:3]}"
