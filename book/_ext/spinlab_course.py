"""Course kit for the spinlab book (loaded by ``spinlab_book``).

* Every chapter page links its notebook: the MyST source converted by jupytext at build time to
  ``_notebooks/<chapter>.ipynb`` in the HTML output, and states which spinlab version computed its
  outputs (the provenance line printed by the chapter's first cell).
* Student edition (``spinlab_student_edition = True``): every sphinx-exercise solution, gated
  ``solution-start``/``solution-end`` blocks and their code cells included, is removed from the
  doctree right after it is read (after execution, so cached outputs are reused), from the
  downloadable notebooks and from the page sources copied to ``_sources/``.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from docutils import nodes

PROVENANCE = re.compile(r"spinlab \S+ \(sources [0-9a-f]+\)")
NOTEBOOK_DIR = "_notebooks"
_FENCE = re.compile(r"^(`{3,}|~{3,})(.*)$")
_SOLUTION_OPEN = re.compile(r"^\{solution(-start)?\}")
_SOLUTION_END = re.compile(r"^\{solution-end\}")


def is_student_edition(config) -> bool:
    return bool(getattr(config, "spinlab_student_edition", False))


def _strip_markdown(lines: list[str], inside_gated: bool) -> tuple[list[str], bool]:
    """Drop solution directives from markdown lines; report whether a gated solution stays open."""
    kept: list[str] = []
    fences: list[str] = []  # open fences of the block being skipped (outermost first)
    skipping_directive = None  # "solution", "start" or "end" while inside such a directive fence
    for line in lines:
        match = _FENCE.match(line.strip())
        if skipping_directive is not None:
            if match and not match.group(2).strip() and match.group(1)[0] == fences[-1][0]:
                if len(match.group(1)) >= len(fences[-1]):
                    fences.pop()
                    if not fences:
                        inside_gated = skipping_directive == "start"
                        skipping_directive = None
            elif match and match.group(2).strip():
                fences.append(match.group(1))
            continue
        if match and _SOLUTION_OPEN.match(match.group(2).strip()) and not inside_gated:
            skipping_directive = "start" if match.group(2).strip().startswith("{solution-start}") else "solution"
            fences = [match.group(1)]
            continue
        if match and _SOLUTION_END.match(match.group(2).strip()) and inside_gated:
            skipping_directive = "end"
            fences = [match.group(1)]
            continue
        if not inside_gated:
            kept.append(line)
    return kept, inside_gated or skipping_directive == "start"


def strip_solutions(notebook) -> None:
    """Remove sphinx-exercise solutions (plain and gated, with their code cells) from a notebook in place."""
    cells = []
    inside_gated = False
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lines, inside_gated = _strip_markdown(cell.source.split("\n"), inside_gated)
            cell.source = "\n".join(lines).strip("\n")
            if cell.source.strip():
                cells.append(cell)
        elif not inside_gated:
            cells.append(cell)
    notebook.cells = cells


def _remove_solutions(app, doctree) -> None:
    if not is_student_edition(app.config):
        return
    from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

    for node in list(doctree.findall(lambda n: isinstance(n, solution_node | solution_start_node | solution_end_node))):
        node.parent.remove(node)


def _strip_copied_sources(app, exception) -> None:
    """Student edition: remove the solutions from the page sources that Sphinx copied to ``_sources/``."""
    if exception is not None or not is_student_edition(app.config):
        return
    for path in (Path(app.outdir) / "_sources").rglob("*.md"):
        lines, _ = _strip_markdown(path.read_text(encoding="utf-8").split("\n"), False)
        path.write_text("\n".join(lines), encoding="utf-8")


def _is_notebook_source(path: Path) -> bool:
    if path.suffix != ".md" or not path.is_file():
        return False
    head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
    return head.startswith("---") and "jupytext:" in head and "kernelspec:" in head


def _write_notebook(app, docname: str) -> str | None:
    """Write the chapter's notebook into the output; return its path relative to the output folder."""
    source = Path(app.env.doc2path(docname))
    if not _is_notebook_source(source):
        return None
    import jupytext

    notebook = jupytext.read(source, fmt="md:myst")
    notebook.metadata.pop("jupytext", None)
    if is_student_edition(app.config):
        strip_solutions(notebook)
    relative = f"{NOTEBOOK_DIR}/{source.stem}.ipynb"
    target = Path(app.outdir) / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    jupytext.write(notebook, target, fmt="ipynb")
    return relative


def _provenance(doctree) -> str | None:
    for block in doctree.findall(nodes.literal_block):
        found = PROVENANCE.search(block.astext())
        if found:
            return found.group(0)
    return None


def _add_course_header(app, pagename, templatename, context, doctree) -> None:
    if doctree is None or app.builder.format != "html" or "body" not in context:
        return
    relative = _write_notebook(app, pagename)
    if relative is None:
        return
    name = Path(relative).name
    parts = [
        f'<a class="reference download spinlab-notebook" href="{context["pathto"](relative, 1)}" '
        f'download="{name}">Download this chapter as a notebook ({name})</a>'
    ]
    provenance = _provenance(doctree)
    if provenance:
        parts.append(f'outputs computed with <span class="spinlab-version">{html.escape(provenance)}</span>')
    if is_student_edition(app.config):
        parts.append("student edition (solutions removed)")
    badge = '<p class="spinlab-course" style="font-size: 0.85em; opacity: 0.8;">' + " · ".join(parts) + "</p>"
    body = context["body"]
    end = body.find("</h1>")
    context["body"] = body[: end + 5] + badge + body[end + 5 :] if end >= 0 else badge + body


def setup(app):
    app.add_config_value("spinlab_student_edition", False, "env", types=[bool])
    app.connect("build-finished", _strip_copied_sources)
    app.connect("doctree-read", _remove_solutions, priority=400)
    app.connect("html-page-context", _add_course_header)
    return {"version": "0.1", "parallel_read_safe": True, "parallel_write_safe": True}
