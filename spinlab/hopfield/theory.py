"""Replica-symmetric theory of the Hopfield model (Amit, Gutfreund and Sompolinsky, AGS) and its generalisation
to pattern priors between Boolean and Gaussian.

Model: N Ising spins, P = alpha N patterns with i.i.d. entries of zero mean and unit variance,
H = -sum_{i<j} J_ij s_i s_j with the Hebb couplings J_ij = (1/N) sum_mu xi_i^mu xi_j^mu (zero diagonal).
Energies and free energies are per spin, temperatures in the units of these couplings (k_B = 1).

Pattern prior (one parameter, ``delta`` in [0, 1]): xi = a eps + sqrt(delta) g with a = sqrt(1 - delta),
eps = ±1 and g ~ N(0, 1): delta = 0 gives Boolean patterns (the AGS model), delta = 1 Gaussian ones.

RS equations for a state that retrieves pattern 1 (overlap m) while the other patterns act as Gaussian noise
(only their variance enters). With h = xi m + sqrt(alpha r) z, z ~ N(0, 1), and D = 1 - beta (1 - q):

    m = E_{xi,z} xi tanh(beta h),   q = E_{xi,z} tanh^2(beta h),   r = q / D^2,

    f = alpha/2 + m^2/2 + (alpha / (2 beta)) [ln D - beta q / D] + (alpha beta / 2) r (1 - q)
        - (1/beta) E_{xi,z} ln 2 cosh(beta h),

    e = alpha/2 - m^2/2 - alpha / (2 D) - (alpha beta / 2) r (1 - q).

The term alpha/2 is the removed diagonal (J_ii = 0). Because xi m + sqrt(alpha r) z = a m eps + w z' with
w^2 = delta m^2 + alpha r (Gaussian part of xi merged with the noise), every average is one-dimensional and by
Stein's lemma the first equation becomes m = a E tanh(beta (a m + w z)) + delta m beta (1 - q).
For Boolean patterns these are exactly the AGS equations. At delta = 1 they force beta (1 - q) = 1, D = 0: with
Gaussian patterns no retrieval state exists at any alpha > 0 (the couplings are invariant under rotations in
pattern space, so no single pattern is singled out).

T = 0 (beta -> infinity, q -> 1, C = beta (1 - q) finite). With y = a m / (sqrt(2) w):

    m = a erf(y) + delta m C,   C = sqrt(2/pi) exp(-y^2) / w,   r = 1 / (1 - C)^2,
    alpha = (w^2 - delta m^2) / r,   e = f = (alpha - m^2 - alpha r) / 2,

which for Boolean patterns is AGS's sqrt(2 alpha) y = erf(y) - (2 / sqrt(pi)) y exp(-y^2). All quantities are
closed-form functions of y; the critical load is the maximum of alpha(y) (0.1379 for Boolean patterns).

Spin-glass solution (m = 0, any prior): q = E tanh^2(beta sqrt(alpha r) z), r = q / D^2, which bifurcates from the
paramagnet q = 0 at T_g = 1 + sqrt(alpha). At T = 0: C = sqrt(2/pi) / (sqrt(alpha) + sqrt(2/pi)) and
e = -sqrt(2 alpha / pi) - 1/pi.

Solving at T > 0: the retrieval branch is parametrised by the noise width w. For fixed (w, T) the largest root
m(w) of the m equation is found by bracketing, then q(w) and alpha(w) = (w^2 - delta m^2) D^2 / q follow. A load
alpha has a retrieval solution exactly when alpha <= max_w alpha(w) (the critical load); the retrieval state is
the root of alpha(w) = alpha with the smallest w (the largest overlap; the other root is the unstable branch).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import optimize

from .._validate import check_real
from ._common import check_load, check_prior

__all__ = [
    "PhaseDiagram",
    "RetrievalSolution",
    "SpinGlassSolution",
    "critical_load",
    "glass_temperature",
    "global_stability_load",
    "phase_diagram",
    "retrieval",
    "spin_glass",
]

_SQRT2PI = math.sqrt(2.0 / math.pi)
_GL_X, _GL_W = np.polynomial.legendre.leggauss(16)
_UNIFORM = np.arange(-10.0, 10.5, 1.0)
_GRADED = np.array([0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0])
_TINY = 1e-300


@lru_cache(maxsize=4096)
def _nodes(kink: float, width: float) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights of E_z f(z), z ~ N(0, 1), for f that varies on the scale ``width`` around ``kink``.

    Composite 16-point Gauss-Legendre on [-10, 10] (outside lies < 2e-23 of the weight), with panel edges every
    unit and graded towards the kink at kink ± width * (0, 1/4, ..., 64).
    """
    edges = np.concatenate([_UNIFORM, kink + width * _GRADED, kink - width * _GRADED[1:]])
    edges = np.unique(np.clip(edges, -10.0, 10.0))
    lo, hi = edges[:-1], edges[1:]
    half = 0.5 * (hi - lo)
    z = (0.5 * (hi + lo))[:, None] + half[:, None] * _GL_X[None, :]
    w = half[:, None] * _GL_W[None, :] * np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
    return z.ravel(), w.ravel()


def _averages(beta: float, center: float, width: float, *, log: bool = False):
    """E tanh(x), E tanh^2(x) (and E ln 2 cosh(x) / beta) for x = beta (center + width z)."""
    if width <= 0.0:
        t = math.tanh(beta * center)
        lc = (abs(beta * center) + math.log1p(math.exp(-2.0 * abs(beta * center)))) / beta
        return (t, t * t, lc) if log else (t, t * t)
    z, wt = _nodes(round(-center / width, 12), round(1.0 / (beta * width), 12))
    x = beta * (center + width * z)
    t = np.tanh(x)
    out = (float(wt @ t), float(wt @ (t * t)))
    if log:
        ax = np.abs(x)
        out = (*out, float(wt @ (ax + np.log1p(np.exp(-2.0 * ax)))) / beta)
    return out


@dataclass(frozen=True)
class RetrievalSolution:
    """RS retrieval state of the Hopfield model at load ``alpha`` and temperature ``T``.

    ``m`` is the Mattis overlap with the retrieved pattern (0 when no retrieval state exists; then ``q``, ``r``
    and the thermodynamic fields are NaN). ``q`` is the Edwards-Anderson parameter, ``r`` the (scaled) mean
    square overlap with the other patterns, ``C`` = beta (1 - q) (finite at T = 0). Free energy, energy and
    entropy are per spin. ``prior`` is the pattern prior's Gaussian fraction delta.
    """

    alpha: float
    T: float
    prior: float
    m: float
    q: float
    r: float
    C: float
    free_energy: float
    energy: float
    entropy: float

    @property
    def exists(self) -> bool:
        """True when the retrieval state exists at (alpha, T)."""
        return self.m > 0.0


@dataclass(frozen=True)
class PhaseDiagram:
    """Lines of the Hopfield (alpha, T) phase diagram, each as a load per temperature of ``temperatures``.

    ``glass`` is the paramagnet / spin-glass line alpha_g(T) = (T - 1)^2 for T >= 1 (T_g = 1 + sqrt(alpha)),
    NaN for T < 1. ``retrieval`` is alpha_M(T), the largest load with a retrieval state (the line T_M), 0 for
    T >= 1. ``stable`` is alpha_c(T), below which the retrieval state has a lower RS free energy than the spin
    glass (the line T_c; NaN where not computed or T >= 1).
    """

    temperatures: np.ndarray
    glass: np.ndarray
    retrieval: np.ndarray
    stable: np.ndarray
    prior: float


def glass_temperature(alpha):
    """Paramagnet / spin-glass transition of the Hopfield model, T_g = 1 + sqrt(alpha).

    Examples
    --------
    >>> glass_temperature(0.25)
    1.5
    """
    if np.isscalar(alpha):
        return 1.0 + math.sqrt(check_load(alpha, "alpha", allow_zero=True))
    arr = np.asarray(alpha, dtype=float)
    if arr.ndim != 1 or not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError("alpha must be a load >= 0 or a 1-d array of finite loads >= 0")
    return 1.0 + np.sqrt(arr)


def _check_T(T) -> float:
    T = check_real(T, "T")
    if T < 0:
        raise ValueError(f"T must be >= 0, got {T}")
    return T


# ----------------------------------------------------------------------------------------------
# T = 0: closed form in y
# ----------------------------------------------------------------------------------------------


def _zero_t(y: float, delta: float) -> dict:
    """All T = 0 retrieval quantities as functions of y = a m / (sqrt 2 w)."""
    a = math.sqrt(1.0 - delta)
    erf = math.erf(y)
    k = 2.0 * y * math.exp(-y * y) / (math.sqrt(math.pi) * a * a * erf)
    C = k / (1.0 + delta * k)
    m = a * erf / (1.0 - delta * C)
    w = a * m / (math.sqrt(2.0) * y)
    r = 1.0 / (1.0 - C) ** 2
    alpha = (w * w - delta * m * m) / r
    return {"m": m, "C": C, "r": r, "alpha": alpha}


def _zero_t_peak(delta: float) -> tuple[float, float]:
    """(y, alpha) at the maximum of alpha(y): the T = 0 critical load."""
    res = optimize.minimize_scalar(
        lambda y: -_zero_t(y, delta)["alpha"], bounds=(0.05, 8.0), method="bounded", options={"xatol": 1e-12}
    )
    return float(res.x), -float(res.fun)


def _retrieval_zero_t(alpha: float, delta: float) -> RetrievalSolution:
    y_peak, alpha_peak = _zero_t_peak(delta)
    if alpha > alpha_peak:
        return _no_retrieval(alpha, 0.0, delta)
    hi = y_peak
    while _zero_t(hi, delta)["alpha"] > alpha:
        hi *= 2.0
    y = optimize.brentq(lambda y: _zero_t(y, delta)["alpha"] - alpha, y_peak, hi, xtol=1e-14, rtol=1e-15)
    s = _zero_t(y, delta)
    energy = 0.5 * (alpha - s["m"] ** 2 - alpha * s["r"])
    return RetrievalSolution(alpha, 0.0, delta, s["m"], 1.0, s["r"], s["C"], energy, energy, 0.0)


# ----------------------------------------------------------------------------------------------
# T > 0: the branch parametrised by the noise width w
# ----------------------------------------------------------------------------------------------


def _m_residual(m: float, w: float, beta: float, delta: float) -> float:
    a = math.sqrt(1.0 - delta)
    t, t2 = _averages(beta, a * m, w)
    return a * t + delta * m * beta * (1.0 - t2) - m


_M_SCAN = np.concatenate([np.linspace(0.95, 0.1, 18), [0.05, 0.02, 1e-2, 3e-3, 1e-3, 1e-4, 1e-5]])


def _largest_m(w: float, beta: float, delta: float) -> float:
    """Largest positive root of the m equation at noise width w (0 when there is none).

    The residual is negative at m = 1 (|m| <= E|xi| <= 1); the scan walks down to the first positive value.
    """
    prev = 1.0
    for m in _M_SCAN:
        if _m_residual(m, w, beta, delta) > 0.0:
            return float(optimize.brentq(_m_residual, m, prev, args=(w, beta, delta), xtol=1e-15, rtol=1e-14))
        prev = m
    return 0.0


def _branch_point(w: float, beta: float, delta: float) -> dict | None:
    """m, q, r, D and alpha on the retrieval branch at noise width w (None where m = 0 or D <= 0)."""
    m = _largest_m(w, beta, delta)
    if m <= 0.0:
        return None
    a = math.sqrt(1.0 - delta)
    _, q = _averages(beta, a * m, w)
    D = 1.0 - beta * (1.0 - q)
    if D <= 0.0 or q <= 0.0:
        return None
    r = q / (D * D)
    return {"m": m, "q": q, "r": r, "D": D, "alpha": (w * w - delta * m * m) / r, "w": w}


def _w_star(beta: float) -> float:
    """Width where beta E sech^2(beta w z) = 1: beyond it m(w) = 0 (Boolean patterns)."""

    def slope(w):
        return beta * (1.0 - _averages(beta, 0.0, w)[1]) - 1.0

    hi = 1.0
    while slope(hi) > 0:
        hi *= 2.0
    return float(optimize.brentq(slope, 1e-9, hi, xtol=1e-14))


@lru_cache(maxsize=256)
def _branch(T: float, delta: float) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Grid of the branch alpha(w) at temperature T < 1: (w grid, alpha grid, w at the peak, peak alpha)."""
    beta = 1.0 / T
    grid = _w_star(beta) * np.geomspace(1e-5, 1.0, 90)
    alphas = np.full(grid.size, -np.inf)
    for k, w in enumerate(grid):
        p = _branch_point(w, beta, delta)
        if p is not None:
            alphas[k] = p["alpha"]
        elif np.isfinite(alphas[:k]).any():
            break
    k = int(np.argmax(alphas))
    if not np.isfinite(alphas[k]) or alphas[k] <= 0:
        return grid, alphas, float("nan"), 0.0
    lo, hi = grid[max(k - 1, 0)], grid[min(k + 1, grid.size - 1)]

    def neg_alpha(w):
        p = _branch_point(w, beta, delta)
        return -p["alpha"] if p is not None else 0.0

    res = optimize.minimize_scalar(neg_alpha, bounds=(lo, hi), method="bounded", options={"xatol": 1e-12 * hi})
    w_peak, a_peak = (float(res.x), -float(res.fun)) if -res.fun >= alphas[k] else (float(grid[k]), float(alphas[k]))
    return grid, alphas, w_peak, a_peak


def _thermo(alpha: float, T: float, delta: float, m: float, w: float, q: float, r: float, D: float):
    beta = 1.0 / T
    a = math.sqrt(1.0 - delta)
    lc = _averages(beta, a * m, w, log=True)[2]
    f = (
        0.5 * alpha
        + 0.5 * m * m
        + alpha / (2.0 * beta) * (math.log(D) - beta * q / D)
        + 0.5 * alpha * beta * r * (1.0 - q)
        - lc
    )
    e = 0.5 * alpha - 0.5 * m * m - alpha / (2.0 * D) - 0.5 * alpha * beta * r * (1.0 - q)
    return f, e, beta * (e - f)


def _no_retrieval(alpha: float, T: float, delta: float) -> RetrievalSolution:
    nan = float("nan")
    return RetrievalSolution(alpha, T, delta, 0.0, nan, nan, nan, nan, nan, nan)


def _retrieval_finite_t(alpha: float, T: float, delta: float) -> RetrievalSolution:
    if T >= 1.0:
        return _no_retrieval(alpha, T, delta)
    beta = 1.0 / T
    grid, alphas, w_peak, a_peak = _branch(T, delta)
    if alpha > a_peak:
        return _no_retrieval(alpha, T, delta)
    before = np.flatnonzero((grid < w_peak) & (alphas >= alpha))
    hi = grid[before[0]] if before.size else w_peak
    lower = np.flatnonzero((grid < hi) & np.isfinite(alphas))

    def excess(w):
        p = _branch_point(w, beta, delta)
        return (p["alpha"] if p is not None else -1.0) - alpha

    lo = grid[lower[-1]] if lower.size else hi
    while excess(lo) >= 0.0 and lo > 1e-150:  # loads below the grid: alpha(w) ~ w^2 for small w
        lo *= 1e-3

    w = float(optimize.brentq(excess, lo, hi, xtol=1e-15, rtol=1e-13)) if excess(hi) > 0 else hi
    p = _branch_point(w, beta, delta)
    f, e, s = _thermo(alpha, T, delta, p["m"], w, p["q"], p["r"], p["D"])
    return RetrievalSolution(alpha, T, delta, p["m"], p["q"], p["r"], beta * (1.0 - p["q"]), f, e, s)


def retrieval(alpha: float, T: float, *, prior="binary") -> RetrievalSolution:
    """Replica-symmetric retrieval state of the Hopfield model at load alpha > 0 and temperature T >= 0.

    Solves the AGS equations (module docstring) for the state with overlap m > 0 with one pattern; for
    ``prior="binary"`` these are

        m = E tanh(beta (m + sqrt(alpha r) z)),  q = E tanh^2(beta (m + sqrt(alpha r) z)),
        r = q / (1 - beta (1 - q))^2,

    and at T = 0 (C = beta (1 - q)) m = erf(y), C = (2 y / (sqrt(pi) m)) exp(-y^2), r = 1 / (1 - C)^2 with
    y = m / sqrt(2 alpha r). When no retrieval state exists (alpha above :func:`critical_load`) the result has
    m = 0 and NaN elsewhere.

    Parameters
    ----------
    alpha : float
        Load P/N > 0.
    T : float
        Temperature >= 0 (units of the Hebb couplings).
    prior : "binary", "gaussian" or float in [0, 1]
        Pattern prior: the Gaussian fraction delta of xi = sqrt(1 - delta) eps + sqrt(delta) g.

    Examples
    --------
    >>> sol = retrieval(0.1, 0.0)
    >>> round(sol.m, 4), round(sol.energy, 4)
    (0.998, -0.5002)
    >>> retrieval(0.2, 0.0).m
    0.0
    """
    alpha = check_load(alpha, "alpha")
    T = _check_T(T)
    delta = check_prior(prior, "prior", allow_gaussian=True)
    if delta >= 1.0:
        return _no_retrieval(alpha, T, delta)
    if T == 0.0:
        return _retrieval_zero_t(alpha, delta)
    return _retrieval_finite_t(alpha, T, delta)


def critical_load(T: float = 0.0, *, prior="binary") -> float:
    """Largest load alpha_M(T) at which the RS retrieval state exists (the AGS line T_M, read as alpha(T)).

    The retrieval solutions at temperature T form one branch alpha(w) (module docstring); a load has a
    retrieval state exactly when it does not exceed the branch's maximum, so the existence threshold that a
    bisection in alpha would find is that maximum, computed directly: a grid over w refined by bounded Brent.
    At T = 0 it is the maximum of the closed form alpha(y): 0.1379 for Boolean patterns. It is 0 for T >= 1
    and for Gaussian patterns.

    Examples
    --------
    >>> round(critical_load(0.0), 4)
    0.1379
    """
    T = _check_T(T)
    delta = check_prior(prior, "prior", allow_gaussian=True)
    if delta >= 1.0 or T >= 1.0:
        return 0.0
    if T == 0.0:
        return _zero_t_peak(delta)[1]
    return float(_branch(T, delta)[3])


@dataclass(frozen=True)
class SpinGlassSolution:
    """RS spin-glass state (m = 0) at (alpha, T): q, r, C = beta (1 - q), f, e per spin (q = 0 above T_g)."""

    alpha: float
    T: float
    q: float
    r: float
    C: float
    free_energy: float
    energy: float


def spin_glass(alpha: float, T: float) -> SpinGlassSolution:
    """RS spin-glass solution (m = 0) of the Hopfield model; the paramagnet q = 0 above T_g = 1 + sqrt(alpha).

    Solves q = E tanh^2(beta sqrt(alpha r) z), r = q / (1 - beta (1 - q))^2 by bracketing q in
    (max(0, 1 - T), 1). It does not depend on the pattern prior. At T = 0,
    e = -sqrt(2 alpha / pi) - 1/pi.

    Examples
    --------
    >>> round(spin_glass(0.1, 0.0).energy, 4)
    -0.5706
    """
    alpha = check_load(alpha, "alpha")
    T = _check_T(T)
    if T == 0.0:
        C = _SQRT2PI / (math.sqrt(alpha) + _SQRT2PI)
        r = 1.0 / (1.0 - C) ** 2
        e = 0.5 * (alpha - alpha * r)
        return SpinGlassSolution(alpha, 0.0, 1.0, r, C, e, e)
    beta = 1.0 / T
    if T >= 1.0 + math.sqrt(alpha):
        f = 0.5 * alpha + alpha / (2.0 * beta) * math.log(1.0 - beta) - T * math.log(2.0)
        return SpinGlassSolution(alpha, T, 0.0, 0.0, beta, f, 0.5 * alpha - alpha / (2.0 * (1.0 - beta)))

    def excess(q):
        D = 1.0 - beta * (1.0 - q)
        r = q / (D * D)
        return q - _averages(beta, 0.0, math.sqrt(alpha * r))[1]

    lo = max(0.0, 1.0 - T) + 1e-13
    q = float(optimize.brentq(excess, lo, 1.0 - 1e-16, xtol=1e-15, rtol=1e-14))
    D = 1.0 - beta * (1.0 - q)
    r = q / (D * D)
    f, e, _ = _thermo(alpha, T, 0.0, 0.0, math.sqrt(alpha * r), q, r, D)
    return SpinGlassSolution(alpha, T, q, r, beta * (1.0 - q), f, e)


def global_stability_load(T: float, *, prior="binary") -> float:
    """Load alpha_c(T) below which the retrieval state has a lower RS free energy than the spin glass (line T_c).

    Found by Brent's method on f_retrieval - f_spin-glass in (0, :func:`critical_load`). NaN when the
    retrieval state is never the global minimum at this T (or T >= 1). At T = 0 it is 0.0519 for Boolean
    patterns (AGS quote 0.051).

    Examples
    --------
    >>> round(global_stability_load(0.0), 4)
    0.0519
    """
    T = _check_T(T)
    delta = check_prior(prior, "prior", allow_gaussian=True)
    top = critical_load(T, prior=delta)
    if top <= 0.0:
        return float("nan")

    def gap(alpha):
        return retrieval(alpha, T, prior=delta).free_energy - spin_glass(alpha, T).free_energy

    lo, hi = top * 1e-4, top * (1.0 - 1e-9)
    if gap(lo) >= 0.0:
        return float("nan")
    if gap(hi) <= 0.0:
        return top
    return float(optimize.brentq(gap, lo, hi, xtol=1e-10, rtol=1e-10))


def phase_diagram(temperatures, *, prior="binary", stable: bool = True) -> PhaseDiagram:
    """The lines of the Hopfield phase diagram at the given temperatures (see :class:`PhaseDiagram`).

    Examples
    --------
    >>> pd = phase_diagram([0.0, 0.5, 1.2], stable=False)
    >>> np.round(pd.retrieval, 3).tolist(), np.round(pd.glass, 2).tolist()
    ([0.138, 0.059, 0.0], [nan, nan, 0.04])
    """
    temps = np.asarray(temperatures, dtype=float)
    if temps.ndim != 1 or temps.size == 0 or not np.all(np.isfinite(temps)) or np.any(temps < 0):
        raise ValueError(f"temperatures must be a non-empty 1-d array of finite values >= 0, got {temperatures!r}")
    delta = check_prior(prior, "prior", allow_gaussian=True)
    if not isinstance(stable, bool):
        raise TypeError(f"stable must be True or False, got {stable!r}")
    glass = np.where(temps >= 1.0, (temps - 1.0) ** 2, np.nan)
    retr = np.array([critical_load(float(T), prior=delta) for T in temps])
    stab = np.full(temps.size, np.nan)
    if stable:
        stab = np.array([global_stability_load(float(T), prior=delta) if T < 1.0 else np.nan for T in temps])
    return PhaseDiagram(temps, glass, retr, stab, delta)
