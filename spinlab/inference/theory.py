"""Large-n predictions: the replica-symmetric (RS) overlap and the all-or-nothing load.

Because the fields enter the replicated partition function only through their covariance Phi(Q_ab), the
Bayes-optimal RS computation is that of a generalised linear model with Gaussian noise in which every
overlap Q is replaced by Phi(Q). With Nishimori's identities (posterior–truth overlap = posterior–posterior
overlap = q) the free entropy per spin, up to constants, is

    f(q) = E_xi log cosh(r + sqrt(r) xi) - r/2 - r q/2 - (alpha/2) ln(noise + Phi(1) - Phi(q)),

with the conjugate signal-to-noise ratio r = alpha Phi'(q) / (noise + Phi(1) - Phi(q)); its stationary points
satisfy q = E_xi tanh(r + sqrt(r) xi), the overlap of a single ±1 spin seen through a Gaussian channel of
signal-to-noise ratio r (the decoupled scalar problem). The Bayes-optimal q maximises f; MMSE = 1 - q.

For a strictly nonlinear covariance (Phi'(0) = 0), q = 0 is always a solution, and in the limit of a
random-energy-like field the informed branch has q -> 1. Comparing f(0) = -(alpha/2) ln(noise + Phi(1)) with
f(1) = -ln 2 - (alpha/2) ln(noise) gives the all-or-nothing load alpha_c = 2 ln 2 / ln(1 + Phi(1)/noise), the
load at which M alpha channel uses of capacity (1/2) log2(1 + snr) bits carry the n bits of x*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize

from .._validate import check_real
from .model import Covariance, _check_noise, make_covariance

__all__ = ["RSCurve", "capacity_load", "rs_critical_load", "rs_curve", "rs_potential", "scalar_overlap"]

# trapezoid rule for Gaussian averages: exponentially accurate for these analytic integrands (error < 1e-10
# for r <= 100, where the poles of tanh(r + sqrt(r) z) approach the real axis)
_NODES = np.linspace(-12.0, 12.0, 601)
_WEIGHTS = np.exp(-(_NODES**2) / 2)
_WEIGHTS /= _WEIGHTS.sum()


def _log_cosh(u: np.ndarray) -> np.ndarray:
    a = np.abs(u)
    return a + np.log1p(np.exp(-2.0 * a)) - np.log(2.0)


def scalar_overlap(r) -> np.ndarray:
    """E_xi tanh(r + sqrt(r) xi): overlap of the posterior mean of one ±1 spin seen at signal-to-noise r.

    Examples
    --------
    >>> float(scalar_overlap(0.0)), round(float(scalar_overlap(50.0)), 6)
    (0.0, 1.0)
    """
    r = np.clip(np.asarray(r, dtype=np.float64), 0.0, None)
    u = r[..., None] + np.sqrt(r)[..., None] * _NODES
    return np.tanh(u) @ _WEIGHTS


def _psi_in(r: np.ndarray) -> np.ndarray:
    u = r[..., None] + np.sqrt(r)[..., None] * _NODES
    return _log_cosh(u) @ _WEIGHTS - r / 2


def _conjugate(q, alpha, cov: Covariance, noise: float):
    gap = noise + cov(1.0) - cov(q)
    return np.clip(alpha * cov.derivative(q) / gap, 0.0, None), gap


def _free_entropy(q, alpha, cov: Covariance, noise: float):
    r, gap = _conjugate(q, alpha, cov, noise)
    return _psi_in(r) - r * q / 2 - alpha / 2 * np.log(gap)


def rs_potential(q, alpha: float, *, covariance="cubic", noise: float = 1 / 3) -> np.ndarray:
    """The RS free entropy f(q) of the module docstring at overlaps ``q`` in [0, 1] (up to a constant).

    Its stationary points are the RS fixed points; the Bayes-optimal overlap is its global maximum.

    Examples
    --------
    >>> f = rs_potential([0.0, 1.0], 2.0, covariance="cubic", noise=1 / 3)
    >>> bool(f[1] > f[0])  # above the all-or-nothing load the informed point wins
    True
    """
    q = np.asarray(q, dtype=np.float64)
    if not np.all((q >= 0) & (q <= 1)):
        raise ValueError(f"q must lie in [0, 1], got {q!r}")
    alpha = check_real(alpha, "alpha")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    return _free_entropy(q, alpha, make_covariance(covariance), _check_noise(noise))


def _fixed_point(q0, alpha, cov: Covariance, noise: float, tol: float = 1e-12, max_iter: int = 20000):
    q = np.full_like(alpha, q0)
    for _ in range(max_iter):
        new = scalar_overlap(_conjugate(q, alpha, cov, noise)[0])
        if np.max(np.abs(new - q)) < tol:
            return new
        q = new
    return q


@dataclass(frozen=True)
class RSCurve:
    """RS solution at loads ``alpha``: the ``uninformed`` branch (iterated from q = 0) and the ``informed``
    one (from q = 1) with their free entropies, and the Bayes-optimal ``overlap`` (the branch of larger free
    entropy) with ``mmse`` = 1 - overlap."""

    alpha: np.ndarray
    uninformed: np.ndarray
    informed: np.ndarray
    f_uninformed: np.ndarray
    f_informed: np.ndarray

    @property
    def overlap(self) -> np.ndarray:
        """Bayes-optimal overlap q(alpha)."""
        return np.where(self.f_informed > self.f_uninformed, self.informed, self.uninformed)

    @property
    def mmse(self) -> np.ndarray:
        """Bayes-optimal MMSE per spin, 1 - q(alpha)."""
        return 1.0 - self.overlap


def rs_curve(alpha, *, covariance="cubic", noise: float = 1 / 3) -> RSCurve:
    """Replica-symmetric overlap and MMSE at loads ``alpha`` (see the module docstring).

    Examples
    --------
    >>> c = rs_curve([0.5, 2.0], covariance="cubic", noise=1 / 3)
    >>> [round(float(q), 3) for q in c.overlap]
    [0.0, 1.0]
    """
    a = np.asarray(alpha, dtype=np.float64).ravel()
    if a.size == 0 or not np.all(np.isfinite(a)) or np.any(a < 0):
        raise ValueError(f"alpha must be a non-empty array of finite loads >= 0, got {alpha!r}")
    cov = make_covariance(covariance)
    noise = _check_noise(noise)
    low = _fixed_point(0.0, a, cov, noise)
    high = _fixed_point(1.0, a, cov, noise)
    return RSCurve(
        alpha=a,
        uninformed=low,
        informed=high,
        f_uninformed=_free_entropy(low, a, cov, noise),
        f_informed=_free_entropy(high, a, cov, noise),
    )


def rs_critical_load(*, covariance="cubic", noise: float = 1 / 3, max_load: float = 10.0) -> float:
    """Load where the informed RS branch overtakes the uninformed one (first-order jump); NaN if the two
    branches never separate below ``max_load`` (a continuous onset, as for the linear covariance).

    Examples
    --------
    >>> round(rs_critical_load(covariance="cubic", noise=1 / 3), 3)
    0.993
    """
    max_load = check_real(max_load, "max_load", positive=True)
    cov = make_covariance(covariance)
    noise = _check_noise(noise)
    grid = np.linspace(max_load / 100, max_load, 100)
    curve = rs_curve(grid, covariance=cov, noise=noise)
    split = np.abs(curve.informed - curve.uninformed) > 1e-6
    gap = curve.f_informed - curve.f_uninformed
    wins = np.flatnonzero(split & (gap > 0))
    if wins.size == 0 or wins[0] == 0 or not split[wins[0] - 1]:
        return float("nan")
    k = wins[0]

    def difference(a):
        c = rs_curve([a], covariance=cov, noise=noise)
        return float(c.f_informed[0] - c.f_uninformed[0])

    return float(optimize.brentq(difference, grid[k - 1], grid[k], xtol=1e-10))


def capacity_load(*, noise: float = 1 / 3, variance: float = 1.0) -> float:
    """All-or-nothing load alpha_c = 2 ln 2 / ln(1 + variance / noise): n bits through alpha n Gaussian
    channels of capacity (1/2) log2(1 + variance / noise) bits each (``variance`` = Phi(1)).

    Examples
    --------
    >>> capacity_load(noise=1 / 3)
    1.0
    """
    noise = _check_noise(noise)
    variance = check_real(variance, "variance (Phi(1))", positive=True)
    return float(2.0 * np.log(2.0) / np.log1p(variance / noise))
