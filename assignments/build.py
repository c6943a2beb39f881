"""Generate the graded assignments (``make assignments``).

Each ``assignments/<name>.md`` is ONE instructor notebook (jupytext MyST) in otter-grader's assign
format: reference solutions between ``# BEGIN SOLUTION``/``# END SOLUTION`` markers, public and
``# HIDDEN`` tests in ``BEGIN TESTS`` blocks. For each one this script writes, under
``_build/assignments/<name>/``:

* ``student/<name>.ipynb`` — the notebook handed to students (no solutions, no hidden tests);
* ``autograder/<name>.ipynb`` — the reference solution;
* ``autograder/<name>-autograder.zip`` — every test, for ``otter run`` (offline, no Docker):
  ``otter run -a _build/assignments/<name>/autograder/<name>-autograder.zip submission.ipynb``.

otter assign runs the tests on the reference solution and fails if any does not pass.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import jupytext

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = ROOT / "_build" / "assignments"


def sources() -> list[Path]:
    return sorted(p for p in HERE.glob("*.md") if p.name != "README.md")


def build(source: Path, out: Path = OUT) -> Path:
    """Run otter assign on one instructor notebook; return its output folder."""
    name = source.stem
    target = out / name
    shutil.rmtree(target, ignore_errors=True)
    master = out / ".masters" / f"{name}.ipynb"
    master.parent.mkdir(parents=True, exist_ok=True)
    notebook = jupytext.read(source, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    jupytext.write(notebook, master, fmt="ipynb")
    otter = Path(sys.executable).with_name("otter")
    subprocess.run([str(otter), "assign", str(master), str(target)], check=True, cwd=master.parent)
    zips = sorted((target / "autograder").glob(f"{name}-autograder_*.zip"))
    if len(zips) != 1:
        raise RuntimeError(f"otter assign left {len(zips)} autograder zips in {target / 'autograder'}")
    zips[0].rename(target / "autograder" / f"{name}-autograder.zip")
    return target


def main() -> int:
    for source in sources():
        print(f"assignment {source.stem}: {build(source).relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
