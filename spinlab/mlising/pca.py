"""Principal component analysis of spin configurations (numpy SVD): :func:`pca`."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from threadpoolctl import threadpool_limits

from .._validate import check_int
from .sampling import Samples

__all__ = ["PCAResult", "pca"]


@dataclass(frozen=True)
class PCAResult:
    """Principal components of a set of configurations (rows of X, one per configuration).

    The covariance matrix ``C = X_c^T X_c / M`` of the centred data ``X_c = X - mean`` has eigenvectors
    ``components[k]`` (unit norm, sign fixed so that their sum is >= 0) and eigenvalues ``variance[k]``.

    Attributes
    ----------
    components : (k, n) float64
        Leading principal directions, largest variance first.
    variance : (k,) float64
        Variance of the data along each direction (eigenvalues of C).
    ratio : (k,) float64
        Explained-variance ratios ``variance / trace(C)``.
    scores : (M, k) float64
        Projections of the centred configurations on the components.
    mean : (n,) float64
        Mean configuration.
    row_T : (M,) float64
        Temperature of each configuration (NaN when unknown).
    total_variance : float
        ``trace(C)``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> X = np.sign(rng.standard_normal((50, 1)) + 0.1 * rng.standard_normal((50, 9)))
    >>> r = pca(X, n_components=2)
    >>> r.uniform_overlap(0) > 0.99  # the first component is (1, ..., 1) / 3
    True
    """

    components: np.ndarray
    variance: np.ndarray
    ratio: np.ndarray
    scores: np.ndarray
    mean: np.ndarray
    row_T: np.ndarray
    total_variance: float

    def uniform_overlap(self, component: int = 0) -> float:
        """|cosine| between ``components[component]`` and the uniform vector (1, ..., 1) / sqrt(n).

        A value near 1 says the component measures the magnetisation: its score is ``sqrt(n) (m - <m>)``.
        """
        component = check_int(component, "component", minimum=0, maximum=len(self.variance) - 1)
        v = self.components[component]
        return float(abs(v.sum()) / np.sqrt(v.size))

    def variance_split(self, component: int = 0, *, absolute: bool = False) -> tuple[float, float]:
        """Split the variance of one score into (within-temperature, between-temperature) parts.

        By the law of total variance, ``Var(y) = E_T[Var(y | T)] + Var_T(E[y | T])`` for the score y (or |y|
        when ``absolute``), with temperatures weighted by their number of rows. The two parts sum to
        ``variance[component]`` (absolute=False). For the Ising model the raw first score has almost no
        between-temperature part (the +m and -m states cancel in each mean); its absolute value has.

        Examples
        --------
        >>> r = pca(np.array([[2, 2], [-2, -2], [1, 1], [-1, -1]]), T=[1.0, 1.0, 2.0, 2.0])
        >>> [round(v, 6) for v in r.variance_split(0)], [round(v, 6) for v in r.variance_split(0, absolute=True)]
        ([5.0, 0.0], [0.0, 0.5])
        """
        component = check_int(component, "component", minimum=0, maximum=len(self.variance) - 1)
        if np.isnan(self.row_T).any():
            raise ValueError("variance_split needs the temperature of every row: pass T to pca or use Samples")
        y = self.scores[:, component]
        if absolute:
            y = np.abs(y)
        temps, inverse, counts = np.unique(self.row_T, return_inverse=True, return_counts=True)
        means = np.bincount(inverse, weights=y) / counts
        within = np.bincount(inverse, weights=(y - means[inverse]) ** 2).sum() / y.size
        between = float(np.sum(counts * (means - y.mean()) ** 2) / y.size)
        return float(within), between


def pca(data, *, n_components: int = 10, T=None) -> PCAResult:
    """Principal components of configurations by a thin SVD of the centred data matrix.

    Parameters
    ----------
    data : Samples or (M, n) array
        Configurations, one per row (``Samples.X``), ±1 or real.
    n_components : int
        Number of leading components kept (capped at min(M, n)).
    T : (M,) array, optional
        Temperature of each row (taken from ``Samples`` when ``data`` is one).

    Returns
    -------
    PCAResult

    Examples
    --------
    >>> from spinlab import mlising
    >>> s = mlising.sample(mlising.square(8), [1.5, 2.3, 4.0], 40, seed=2)
    >>> r = pca(s, n_components=3)
    >>> r.uniform_overlap(0) > 0.95, bool(r.ratio[0] > 5 * r.ratio[1])
    (True, True)
    """
    if isinstance(data, Samples):
        if T is not None:
            raise ValueError("T must be None when data is a Samples object (its temperatures are used)")
        X, row_T = data.X, data.row_T
    else:
        X = np.asarray(data)
        if X.dtype.kind not in "iuf" or X.ndim != 2 or X.shape[0] < 2:
            raise ValueError(f"data must be Samples or a real (M, n) array with M >= 2, got {getattr(X, 'shape', X)}")
        if T is None:
            row_T = np.full(X.shape[0], np.nan)
        else:
            row_T = np.asarray(T, dtype=np.float64)
            if row_T.shape != (X.shape[0],):
                raise ValueError(f"T must have shape ({X.shape[0]},) (one temperature per row), got {row_T.shape}")
    n_components = check_int(n_components, "n_components", minimum=1)
    X = X.astype(np.float64)
    if not np.all(np.isfinite(X)):
        raise ValueError("data must contain only finite values")
    mean = X.mean(axis=0)
    centred = X - mean
    # one BLAS thread: these matrices are small, and a multi-threaded SVD on a busy machine can be 20x slower
    with threadpool_limits(limits=1, user_api="blas"):
        _, singular, vt = np.linalg.svd(centred, full_matrices=False)
    k = min(n_components, vt.shape[0])
    components = vt[:k] * np.where(vt[:k].sum(axis=1) < 0, -1.0, 1.0)[:, None]
    variance = singular**2 / X.shape[0]
    total = float(variance.sum())
    return PCAResult(
        components=components,
        variance=variance[:k],
        ratio=variance[:k] / total,
        scores=centred @ components.T,
        mean=mean,
        row_T=row_T,
        total_variance=total,
    )
