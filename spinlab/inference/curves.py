"""Overlap and MMSE of the exact posterior against the load alpha = M / n, averaged over instances."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_int
from ._kernels import add_observation, normalise
from .model import MAX_N, _check_noise, _Source, _summary, make_covariance

__all__ = ["LoadCurve", "load_curve"]

QUANTITIES = (
    "overlap",
    "overlap_sq",
    "abs_overlap",
    "self_overlap",
    "self_overlap_sq",
    "mmse",
    "matrix_mmse",
    "p_truth",
    "p_flip",
)


@dataclass(frozen=True)
class LoadCurve:
    """Posterior summaries (see :class:`~spinlab.inference.PosteriorStats`) at loads ``alpha = m / n``.

    Every quantity in ``QUANTITIES`` is an array of shape (instances, len(m)); instance i was drawn from
    ``child(seed, i)`` and observed through its first m fields, so each row is one instance receiving
    more and more observations.
    """

    n: int
    m: np.ndarray
    covariance: str
    noise: float
    seed: int
    overlap: np.ndarray
    overlap_sq: np.ndarray
    abs_overlap: np.ndarray
    self_overlap: np.ndarray
    self_overlap_sq: np.ndarray
    mmse: np.ndarray
    matrix_mmse: np.ndarray
    p_truth: np.ndarray
    p_flip: np.ndarray

    @property
    def alpha(self) -> np.ndarray:
        """Loads alpha = m / n."""
        return self.m / self.n

    @property
    def instances(self) -> int:
        """Number of instances averaged."""
        return int(self.overlap.shape[0])

    def mean(self, name: str) -> np.ndarray:
        """Average of quantity ``name`` over instances, one value per load."""
        return np.mean(self._get(name), axis=0)

    def sem(self, name: str) -> np.ndarray:
        """Standard error of that average (0 for a single instance)."""
        values = self._get(name)
        if values.shape[0] < 2:
            return np.zeros(values.shape[1])
        return np.std(values, axis=0, ddof=1) / np.sqrt(values.shape[0])

    def _get(self, name: str) -> np.ndarray:
        if name not in QUANTITIES:
            raise ValueError(f"name must be one of {', '.join(map(repr, QUANTITIES))}, got {name!r}")
        return getattr(self, name)


def load_curve(
    n: int,
    loads,
    *,
    covariance="cubic",
    noise: float = 1 / 3,
    instances: int = 16,
    seed: SeedLike = 0,
    progress: bool = False,
) -> LoadCurve:
    """Exact-posterior overlap and MMSE against the load for ``instances`` random instances.

    Fields are generated one at a time and folded into the log-likelihood of all 2^n vectors, so memory is
    O(2^n) and the cost O(M n 2^n) per instance (about 1 s per instance at n = 20, M = 60).

    Parameters
    ----------
    n : int
        Hidden spins, 1 <= n <= 20.
    loads : array_like
        Loads alpha >= 0; each is rounded to the nearest m = round(alpha n) (duplicates merged).
    covariance, noise
        The observation model, as in :func:`~spinlab.inference.sample_instance`.
    instances : int
        Independent instances (x*, fields, noise), instance i seeded by ``child(seed, i)``.
    seed : int or SeedSequence
        Root seed (an int, or a SeedSequence with an int entropy, so that the result records it).
    progress : bool
        Show a tqdm bar over instances.

    Examples
    --------
    >>> c = load_curve(6, [0, 1, 3], covariance="linear", instances=2, seed=1)
    >>> c.alpha.tolist(), c.overlap.shape, float(c.mean("mmse")[0])
    ([0.0, 1.0, 3.0], (2, 3), 1.0)
    """
    n = check_int(n, "n", minimum=1, maximum=MAX_N)
    instances = check_int(instances, "instances", minimum=1)
    alpha = np.asarray(loads, dtype=np.float64).ravel()
    if alpha.size == 0 or not np.all(np.isfinite(alpha)) or np.any(alpha < 0):
        raise ValueError(f"loads must be a non-empty array of finite numbers >= 0, got {loads!r}")
    ms = np.unique(np.rint(alpha * n).astype(np.int64))
    cov = make_covariance(covariance)
    noise = _check_noise(noise)
    root = seed_sequence(seed)
    if not isinstance(root.entropy, int):
        raise ValueError("seed must be an int or a SeedSequence with an int entropy (the curve records it)")
    out = {name: np.empty((instances, ms.size)) for name in QUANTITIES}
    for i in tqdm(range(instances), disable=not progress, desc=f"n = {n}"):
        source = _Source(n, cov, noise, child(root, i))
        loglik = np.zeros(2**n)
        done = 0
        for j, m in enumerate(ms):
            while done < m:
                field, y = source.next()
                add_observation(loglik, field, y, noise)
                done += 1
            stats = _summary(normalise(loglik)[0], source.truth_code, n)
            for name in QUANTITIES:
                out[name][i, j] = getattr(stats, name)
    return LoadCurve(n=n, m=ms, covariance=cov.name, noise=noise, seed=int(root.entropy), **out)
