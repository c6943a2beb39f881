"""Unit tests of the course-kit helpers in book/_ext (no book build needed)."""

from __future__ import annotations

import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "book" / "_ext"))

import spinlab_course  # noqa: E402
import student_build  # noqa: E402

CHAPTER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
    format_version: 0.13
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A chapter

```{code-cell} ipython3
x = 1
```

```{exercise}
:label: ex-one
Compute the first thing.
```

```{solution} ex-one
:class: dropdown
The first answer uses a nested block:
```python
secret_plain = 42
```
and ends here.
```

````{exercise}
:label: ex-two
Compute the second thing.
````

```{solution-start} ex-two
:class: dropdown
```
The second answer is computed below.

```{code-cell} ipython3
secret_gated = 43
```
Still part of the second answer.
```{solution-end}
```

Text after the exercises stays.

```{code-cell} ipython3
y = 2
```
"""


def test_strip_solutions_from_notebook():
    notebook = jupytext.reads(CHAPTER, fmt="md:myst")
    spinlab_course.strip_solutions(notebook)
    text = "\n".join(cell.source for cell in notebook.cells)
    assert [c.source for c in notebook.cells if c.cell_type == "code"] == ["x = 1", "y = 2"]
    for gone in ("secret_plain", "first answer", "and ends here", "second answer", "{solution"):
        assert gone not in text
    for kept in ("Compute the first thing.", "Compute the second thing.", "````{exercise}", "Text after the exercises"):
        assert kept in text


def test_strip_solutions_from_page_source():
    lines, open_block = spinlab_course._strip_markdown(CHAPTER.split("\n"), False)
    text = "\n".join(lines)
    assert not open_block
    assert "secret" not in text and "answer" not in text and "{solution" not in text
    assert "x = 1" in text and "y = 2" in text and "Compute the second thing." in text


def _executed(provenance: str, source: str) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell(source)
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text=provenance + "\n")]
    notebook = nbformat.v4.new_notebook(cells=[cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


def test_seed_cache_keeps_only_current_outputs(tmp_path):
    jupyter_cache = pytest.importorskip("jupyter_cache")
    current = "spinlab 0.1.0 (sources aaaaaaaaaaaa)"
    notebooks = [
        ("book/new.md", _executed(current, "print('new')")),
        ("book/old.md", _executed("spinlab 0.1.0 (sources bbbbbbbbbbbb)", "print('old')")),
    ]
    seeded = student_build.seed_cache(tmp_path / "cache", iter(notebooks), current)
    assert seeded == ["new"]
    cache = jupyter_cache.get_cache(str(tmp_path / "cache"))
    assert cache.match_cache_notebook(_executed("", "print('new')")).uri == "book/new.md"
    with pytest.raises(KeyError):
        cache.match_cache_notebook(_executed("", "print('old')"))
