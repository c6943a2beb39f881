"""Graded assignments (make assignments): otter-grader, graded offline with `otter run`, no Docker.

For every assignment: the reference solution scores full marks, the student notebook as handed out
scores zero, a plausible mistake loses exactly the points of the questions it breaks, and neither
solutions nor hidden tests reach the student notebook.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ROOT / "assignments"
BUILT = ROOT / "_build" / "assignments"

# One plausible mistake per assignment: (reference code, wrong code, questions whose points are lost).
MISTAKES = {
    "metropolis": ("u < np.exp(-beta * dE)", "u < np.exp(beta * dE)", {"q2", "q3"}),  # sign of the exponent
    "replica-symmetric": ("return beta * (energy - free)", "return beta * (free - energy)", {"q3"}),  # sign of s
    "permutation-symmetry": ("np.linspace(0.0, 1.0, n_points)", "np.linspace(0.0, 1.0, n_points - 1)", {"q2", "q3"}),
}


def names() -> list[str]:
    return sorted(p.stem for p in SOURCES.glob("*.md") if p.name != "README.md")


def built(name: str) -> Path:
    folder = BUILT / name
    student = folder / "student" / f"{name}.ipynb"
    if not student.exists() or student.stat().st_mtime < (SOURCES / f"{name}.md").stat().st_mtime:
        pytest.fail(f"assignment {name} is missing or older than its source: run `make assignments`")
    return folder


def question_points(name: str) -> dict[str, float]:
    source = (SOURCES / f"{name}.md").read_text(encoding="utf-8")
    found = re.findall(r"# BEGIN QUESTION\nname: (\S+)\npoints: ([0-9.]+)", source)
    return {q: float(p) for q, p in found}


def hidden_tests(name: str) -> list[str]:
    """Lines of the hidden test cells (code cells starting with '# HIDDEN') found nowhere else in the source."""
    source = (SOURCES / f"{name}.md").read_text(encoding="utf-8")
    pattern = re.compile(r"^```\{code-cell\}[^\n]*\n# HIDDEN\n(.*?)^```", flags=re.S | re.M)
    outside = pattern.sub("", source)
    lines = {line.strip() for cell in pattern.findall(source) for line in cell.split("\n")}
    return sorted(line for line in lines if len(line) > 12 and line not in outside)


def grade(notebook: Path, name: str, out: Path) -> dict[str, float]:
    """Scores per question from `otter run` on ``notebook``, results written to the new folder ``out``."""
    zip_path = built(name) / "autograder" / f"{name}-autograder.zip"
    out.mkdir()
    otter = Path(sys.executable).with_name("otter")
    command = [str(otter), "run", "--no-logo", "-a", str(zip_path), "-o", str(out), str(notebook)]
    subprocess.run(command, check=True, cwd=out, capture_output=True, timeout=600)
    results = json.loads((out / "results.json").read_text())
    return {t["name"]: float(t["score"]) for t in results["tests"] if "score" in t and t["name"] != "Public Tests"}


def test_at_least_three_assignments():
    assert len(names()) >= 3
    assert set(MISTAKES) == set(names()), "every assignment needs a plausible mistake in MISTAKES"


@pytest.mark.parametrize("name", names())
def test_student_notebook_has_no_solutions_or_hidden_tests(name):
    folder = built(name)
    student = (folder / "student" / f"{name}.ipynb").read_text(encoding="utf-8")
    hidden = hidden_tests(name)
    assert len(hidden) >= 5
    leaked = [line for line in hidden if line in student]
    assert not leaked, f"hidden test text in the student notebook: {leaked[:3]}"
    assert "HIDDEN" not in student and "BEGIN SOLUTION" not in student and "# SOLUTION" not in student
    reference_code, _, _ = MISTAKES[name]
    assert reference_code not in student
    with zipfile.ZipFile(folder / "autograder" / f"{name}-autograder.zip") as archive:
        tests = " ".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("tests/"))
    defs = [line for line in hidden if line.startswith("def ")]
    assert defs and all(line in tests for line in defs), "hidden tests missing from the autograder"
    assert reference_code in (folder / "autograder" / f"{name}.ipynb").read_text(encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize("name", names())
def test_grading(name, tmp_path):
    points = question_points(name)
    assert len(points) >= 3
    folder = built(name)

    assert grade(folder / "autograder" / f"{name}.ipynb", name, tmp_path / "reference") == points
    assert grade(folder / "student" / f"{name}.ipynb", name, tmp_path / "blank") == dict.fromkeys(points, 0.0)

    reference_code, wrong_code, broken = MISTAKES[name]
    notebook = nbformat.read(folder / "autograder" / f"{name}.ipynb", as_version=4)
    changed = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and reference_code in cell.source:
            cell.source = cell.source.replace(reference_code, wrong_code)
            changed += 1
    assert changed == 1
    wrong = tmp_path / "wrong" / f"{name}.ipynb"
    wrong.parent.mkdir()
    nbformat.write(notebook, wrong)
    expected = {q: (0.0 if q in broken else p) for q, p in points.items()}
    assert grade(wrong, name, tmp_path / "mistake") == expected
