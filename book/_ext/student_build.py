"""Build the student edition of the book into ``_build/student/html`` (``make book-student``).

The same sources and configuration as ``make book`` plus ``spinlab_student_edition: true``, which
makes the ``spinlab_course`` extension remove every solution from the doctrees. Nothing is executed
twice: the chapters that ``make book`` executed seed a student-only execution cache
(``_build/student/.jupyter_cache``) when their provenance line matches the installed spinlab
sources. They come from the book's execution cache (``make book``, cached mode) and from
``_build/jupyter_execute`` (``CI=true make book`` executes without the cache; a cache hit leaves no
outputs there). A chapter found in neither is executed and cached for the student edition.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[2]
EXECUTED = ROOT / "_build" / "jupyter_execute"
STUDENT = ROOT / "_build" / "student"


def book_config() -> dict:
    return yaml.safe_load((ROOT / "_config.yml").read_text())


def provenance_line() -> str:
    import spinlab
    import spinlab.notebook

    return f"spinlab {spinlab.__version__} (sources {spinlab.notebook.source_hash()[:12]})"


def _printed(notebook) -> str:
    return "".join(
        output.get("text", "")
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.get("outputs", [])
    )


def executed_notebooks(book_cache: Path, executed: Path):
    """(source, notebook) of every executed chapter in the book's jupyter cache and in ``executed``."""
    if book_cache.is_dir():
        from jupyter_cache import get_cache

        cache = get_cache(str(book_cache))
        for record in cache.list_cache_records():
            yield record.uri, cache.get_cache_bundle(record.pk).nb
    for path in sorted(executed.glob("**/*.ipynb")):
        yield str(path), nbformat.read(path, as_version=4)


def seed_cache(cache_dir: Path, notebooks, provenance: str) -> list[str]:
    """Fill a fresh jupyter cache with the executed notebooks that print ``provenance``."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    shutil.rmtree(cache_dir, ignore_errors=True)
    cache = get_cache(str(cache_dir))
    seeded = set()
    for uri, notebook in notebooks:
        if provenance in _printed(notebook):
            cache.cache_notebook_bundle(CacheBundleIn(notebook, uri), check_validity=False, overwrite=True)
            seeded.add(Path(uri).stem)
    return sorted(seeded)


def write_config(path: Path, cache_dir: Path) -> None:
    config = book_config()
    config.setdefault("execute", {}).update({"execute_notebooks": "cache", "cache": str(cache_dir)})
    sphinx = config.setdefault("sphinx", {})
    sphinx["local_extensions"] = {name: str(ROOT / p) for name, p in sphinx.get("local_extensions", {}).items()}
    sphinx.setdefault("config", {})["spinlab_student_edition"] = True
    path.write_text(yaml.safe_dump(config, sort_keys=False, allow_unicode=True))


def main() -> int:
    from jupyter_book.sphinx import build_sphinx

    STUDENT.mkdir(parents=True, exist_ok=True)
    cache_dir = STUDENT / ".jupyter_cache"
    book_cache = ROOT / book_config()["execute"]["cache"]
    seeded = seed_cache(cache_dir, executed_notebooks(book_cache, EXECUTED), provenance_line())
    print(f"student edition: reusing {len(seeded)} executed chapters: {', '.join(seeded)}")
    config = STUDENT / "_config.yml"
    write_config(config, cache_dir)
    outdir = STUDENT / "html"
    shutil.rmtree(outdir, ignore_errors=True)
    result = build_sphinx(
        str(ROOT),
        str(outdir),
        noconfig=True,
        path_config=str(config),
        confoverrides={"external_toc_path": (ROOT / "_toc.yml").as_posix(), "latex_individualpages": False},
        builder="html",
        freshenv=True,
        warningiserror=True,
        keep_going=True,
    )
    if result:
        print(f"student edition build failed: {result!r}", file=sys.stderr)
        return 1
    print(f"Student edition built: open {outdir.relative_to(ROOT)}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
