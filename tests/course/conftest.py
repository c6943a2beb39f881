import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _built(path: Path, target: str) -> Path:
    if not (path / "index.html").exists():
        pytest.fail(f"no built book at {path}: run `make {target}` first (make test does it for you)")
    return path


@pytest.fixture(scope="session")
def book_html() -> Path:
    """The normal edition; `make test` builds it before running pytest."""
    return _built(Path(os.environ.get("SPINLAB_HTML", ROOT / "_build" / "html")), "book")


@pytest.fixture(scope="session")
def student_html(book_html) -> Path:
    """The student edition, built after the book; `make test` runs make book-student before pytest."""
    path = _built(Path(os.environ.get("SPINLAB_STUDENT_HTML", ROOT / "_build" / "student" / "html")), "book-student")
    if (path / "searchindex.js").stat().st_mtime < (book_html / "searchindex.js").stat().st_mtime:
        pytest.fail(f"the student edition at {path} is older than the book at {book_html}: run `make book-student`")
    return path
