"""Estimators of overlap observables over disorder samples (see :mod:`spinlab.overlaps`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_int, check_spins


@dataclass(frozen=True)
class Estimate:
    """A value with its standard error."""

    value: float
    error: float

    def __iter__(self):
        return iter((self.value, self.error))


def _per_sample(series, name: str) -> list[np.ndarray]:
    if isinstance(series, np.ndarray):
        if series.ndim == 1:
            series = series[None, :]
        if series.ndim != 2:
            raise ValueError(f"{name} must be (samples, time) or a list of 1-d series, got shape {series.shape}")
        rows = list(series)
    elif isinstance(series, Sequence) and not isinstance(series, str) and len(series) > 0:
        rows = [np.asarray(row, dtype=np.float64).ravel() for row in series]
    else:
        raise TypeError(f"{name} must be a 2-d array or a non-empty list of 1-d arrays")
    for row in rows:
        if row.size == 0 or not np.all(np.isfinite(row)):
            raise ValueError(f"every series in {name} must be non-empty and finite")
    return [np.asarray(row, dtype=np.float64) for row in rows]


def jackknife(per_sample: np.ndarray, statistic: Callable[[np.ndarray], float]) -> Estimate:
    """Jackknife estimate of ``statistic`` of the mean over samples, with its standard error.

    Parameters
    ----------
    per_sample : (samples, k) array
        One row of thermal averages per disorder sample.
    statistic : callable
        Maps the k disorder-averaged columns to a number.

    Examples
    --------
    >>> rows = np.array([[1.0], [2.0], [3.0], [4.0]])
    >>> est = jackknife(rows, lambda m: m[0])
    >>> est.value, round(est.error, 6)  # the usual standard error of the mean
    (2.5, 0.645497)
    """
    data = np.asarray(per_sample, dtype=np.float64)
    if data.ndim == 1:
        data = data[:, None]
    m = data.shape[0]
    if m < 2:
        raise ValueError(f"jackknife needs at least 2 samples, got {m}")
    total = data.sum(axis=0)
    leave_one_out = np.array([statistic((total - data[i]) / (m - 1)) for i in range(m)])
    full = statistic(total / m)
    bias_corrected = m * full - (m - 1) * leave_one_out.mean()
    error = np.sqrt((m - 1) / m * np.sum((leave_one_out - leave_one_out.mean()) ** 2))
    return Estimate(float(bias_corrected), float(error))


def binder_cumulant(overlaps) -> Estimate:
    """Binder cumulant g = (3 - [<q^4>] / [<q^2>]^2) / 2 with its jackknife error over samples.

    g -> 1 in a phase with a non-zero, sharp overlap and -> 0 for Gaussian q (paramagnet); curves
    for different sizes cross at the critical temperature.

    Parameters
    ----------
    overlaps : (samples, time) array or list of 1-d arrays
        Replica overlap time series, one per disorder sample.

    Examples
    --------
    >>> q = np.full((5, 100), 0.7)
    >>> binder_cumulant(q).value
    1.0
    """
    rows = _per_sample(overlaps, "overlaps")
    moments = np.array([[np.mean(q**2), np.mean(q**4)] for q in rows])
    return jackknife(moments, lambda m: 0.5 * (3.0 - m[1] / m[0] ** 2))


def spin_glass_susceptibility(overlaps, n: int) -> Estimate:
    """chi_SG = n [<q^2>] with its error over samples (n = number of spins)."""
    n = check_int(n, "n", minimum=1)
    rows = _per_sample(overlaps, "overlaps")
    return jackknife(np.array([[np.mean(q**2)] for q in rows]), lambda m: n * m[0])


def overlap_histogram(overlaps, n: int, *, absolute: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Disorder-averaged P(q) on the n + 1 possible overlap values, with errors over samples.

    Returns ``(q, p, error)``: each sample's histogram is normalised to 1, then averaged.
    With ``absolute=True`` the distribution of |q| (values 0..1) is returned.

    Examples
    --------
    >>> q, p, err = overlap_histogram(np.array([[1.0, -1.0, 1.0, 1.0]]), 2)
    >>> q.tolist(), p.tolist()
    ([-1.0, 0.0, 1.0], [0.25, 0.0, 0.75])
    """
    n = check_int(n, "n", minimum=1)
    rows = _per_sample(overlaps, "overlaps")
    values = 1.0 - 2.0 * np.arange(n, -1, -1) / n
    edges = np.append(values - 1.0 / n, 1.0 + 1.0 / n)
    hists = []
    for q in rows:
        counts = np.histogram(np.abs(q) if absolute else q, bins=edges)[0].astype(np.float64)
        hists.append(counts / counts.sum())
    hists = np.array(hists)
    if absolute:
        keep = values >= -1e-12
        values = values[keep]
        hists = hists[:, keep]
    error = hists.std(axis=0, ddof=1) / np.sqrt(len(rows)) if len(rows) > 1 else np.full(values.size, np.nan)
    return values, hists.mean(axis=0), error


def overlap_matrix(states) -> np.ndarray:
    """Matrix of mutual overlaps q_ab = (1/n) sum_i s^a_i s^b_i of configurations (m, n)."""
    arr = np.asarray(states)
    if arr.ndim != 2:
        raise ValueError(f"states must have shape (m, n), got {arr.shape}")
    spins, _ = check_spins(arr, arr.shape[1], "states")
    s = spins.astype(np.float64)
    return s @ s.T / s.shape[1]


def triplet_overlaps(states, *, n_triplets: int = 10_000, seed: SeedLike = None, absolute: bool = True) -> np.ndarray:
    """Sorted overlaps (q_min, q_mid, q_max) of random triplets of distinct configurations.

    Ultrametricity of the Gibbs states predicts q_min = q_mid (the two smallest overlaps of a
    triangle are equal) in the thermodynamic limit; the spread of q_mid - q_min measures the
    violation at finite size. ``absolute`` uses |q| (removes the global spin-flip symmetry).

    Returns
    -------
    (n_triplets, 3) float array, each row ascending.
    """
    Q = overlap_matrix(states)
    m = Q.shape[0]
    if m < 3:
        raise ValueError(f"states must hold at least 3 configurations, got {m}")
    n_triplets = check_int(n_triplets, "n_triplets", minimum=1)
    rng = np.random.default_rng(seed_sequence(seed))
    picks = np.array([rng.choice(m, size=3, replace=False) for _ in range(n_triplets)])
    a, b, c = picks.T
    triangle = np.stack([Q[a, b], Q[b, c], Q[a, c]], axis=1)
    if absolute:
        triangle = np.abs(triangle)
    return np.sort(triangle, axis=1)


@dataclass(frozen=True)
class StateClustering:
    """Hierarchical clustering of configurations by the distance d = (1 - q) / 2 (or 1 - |q|).

    Attributes
    ----------
    linkage : scipy linkage matrix.
    order : leaf order of the dendrogram (use it to block-order ``overlaps``).
    overlaps : (m, m) overlap matrix in the original order.
    cophenetic_correlation : correlation between the input distances and the tree's
        cophenetic (ultrametric) distances; 1 means the data are exactly ultrametric.
    """

    linkage: np.ndarray
    order: np.ndarray
    overlaps: np.ndarray
    cophenetic_correlation: float

    def ordered_overlaps(self) -> np.ndarray:
        """The overlap matrix with rows and columns in dendrogram order (a Parisi-like block matrix)."""
        return self.overlaps[np.ix_(self.order, self.order)]


def cluster_states(states, *, method: str = "average", absolute: bool = True) -> StateClustering:
    """Cluster configurations hierarchically (``scipy.cluster.hierarchy``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> base = rng.choice([-1, 1], size=(2, 50))
    >>> noisy = np.repeat(base, 5, axis=0) * np.where(rng.random((10, 50)) < 0.05, -1, 1)
    >>> cluster_states(noisy).cophenetic_correlation > 0.9
    True
    """
    method = check_choice(method, "method", ("average", "complete", "single", "weighted"))
    Q = overlap_matrix(states)
    if Q.shape[0] < 3:
        raise ValueError(f"states must hold at least 3 configurations, got {Q.shape[0]}")
    distance = 1.0 - np.abs(Q) if absolute else (1.0 - Q) / 2.0
    np.fill_diagonal(distance, 0.0)
    condensed = squareform(np.clip(distance, 0.0, None), checks=False)
    linkage = hierarchy.linkage(condensed, method=method)
    correlation, _ = hierarchy.cophenet(linkage, condensed)
    order = hierarchy.leaves_list(linkage)
    return StateClustering(linkage=linkage, order=order, overlaps=Q, cophenetic_correlation=float(correlation))
