from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def html_dir() -> Path:
    """The built book; `make test` builds it before running pytest."""
    path = Path(__import__("os").environ.get("SPINLAB_HTML", ROOT / "_build" / "html"))
    if not (path / "index.html").exists():
        pytest.fail(f"no built book at {path}: run `make book` first (make test does it for you)")
    return path
