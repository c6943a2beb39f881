"""Set-up shared by every chapter: quiet Numba warnings, a readable plot style, provenance.

Examples
--------
>>> import spinlab.notebook
>>> spinlab.notebook.setup().startswith("spinlab ")
True
"""

from __future__ import annotations

import hashlib
import warnings
from functools import cache
from pathlib import Path

import matplotlib as mpl
from numba.core.errors import NumbaWarning

from . import __version__

STYLE = {
    "figure.facecolor": "white",
    "axes.facecolor": "white",
    "savefig.facecolor": "white",
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 110,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "font.size": 11,
    "axes.labelsize": 11,
    "legend.frameon": False,
}


@cache
def source_hash() -> str:
    """SHA-256 over the package's Python sources (path and content), as hex."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def setup() -> str:
    """Prepare a chapter's kernel and return a provenance line to print.

    Silences Numba's performance warnings (they must not reach the rendered book) and
    applies spinlab's plot style (white background, labelled grids, 6.4 x 4 inch figures).
    """
    warnings.filterwarnings("ignore", category=NumbaWarning)
    mpl.rcParams.update(STYLE)
    return f"spinlab {__version__} (sources {source_hash()[:12]})"
