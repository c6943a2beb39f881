"""Replica-symmetric (RS) solution of the SK model and the de Almeida–Thouless line.

SK model: H = -sum_{i<j} J_ij s_i s_j - h sum_i s_i, J_ij ~ N(0, 1/N). The RS free energy per spin is

    -beta f = E_z ln 2 cosh(beta (sqrt(q) z + h)) + beta^2 (1 - q)^2 / 4,

stationary at q = E_z tanh^2(beta (sqrt(q) z + h)). The RS solution is locally stable while
beta^2 E_z sech^4(beta (sqrt(q) z + h)) <= 1 (de Almeida and Thouless 1978).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import optimize, special

from .._validate import check_real
from ._gauss import gaussian_expectation


@dataclass(frozen=True)
class RSSolution:
    """RS order parameters and thermodynamics per spin at (T, h)."""

    T: float
    h: float
    q: float
    magnetization: float
    free_energy: float
    energy: float
    entropy: float
    stability: float

    @property
    def stable(self) -> bool:
        """True when the replicon eigenvalue is non-negative: beta^2 E sech^4 <= 1 (above the AT line)."""
        return self.stability <= 1.0 + 1e-12


def _check_T(T, allow_zero: bool = True) -> float:
    T = check_real(T, "T")
    if T < 0 or (T == 0 and not allow_zero):
        raise ValueError(f"T must be {'>= 0' if allow_zero else '> 0'}, got {T}")
    return T


def _kink(q: float, h: float) -> float | None:
    return -h / np.sqrt(q) if q > 0 else None


def _width(beta: float, q: float) -> float:
    """Scale in z on which tanh(beta (sqrt(q) z + h)) changes."""
    return 1.0 / (beta * np.sqrt(q)) if q > 0 else 0.0


def _fixed_point_q(beta: float, h: float) -> float:
    def residual(q):
        return (
            gaussian_expectation(lambda z: np.tanh(beta * (np.sqrt(q) * z + h)) ** 2, _kink(q, h), _width(beta, q)) - q
        )

    if h == 0.0:
        if beta <= 1.0:
            return 0.0
        lo = min(1e-6, 0.5 * (1.0 - 1.0 / beta))  # below the root, q ~ 1 - T near Tc
        if residual(lo) <= 0:
            return 0.0
    else:
        lo = 0.0
    hi = 1.0 - 1e-300
    if residual(hi) >= 0:
        return 1.0
    return float(optimize.brentq(residual, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500))


def rs(T: float, h: float = 0.0) -> RSSolution:
    """Replica-symmetric solution of the SK model at temperature T >= 0 and field h.

    Returns q, the magnetisation m = E tanh(beta(sqrt(q) z + h)), and the free energy, energy
    and entropy per spin, with e = -(beta/2)(1 - q^2) - h m and s = beta (e - f). At T = 0 the
    limit q -> 1 with C = beta (1 - q) = sqrt(2/pi) exp(-h^2/2) is taken analytically:
    e = -C - h erf(h/sqrt 2) and s = -C^2/4 (= -1/(2 pi) at h = 0, the famous negative entropy).

    Examples
    --------
    >>> sol = rs(0.0)
    >>> round(sol.energy, 6), round(sol.entropy, 6)
    (-0.797885, -0.159155)
    """
    T = _check_T(T)
    h = check_real(h, "h")
    if T == 0.0:
        c = np.sqrt(2.0 / np.pi) * np.exp(-(h**2) / 2.0)
        m = float(special.erf(h / np.sqrt(2.0)))
        energy = float(-c - h * m)
        return RSSolution(0.0, h, 1.0, m, energy, energy, float(-(c**2) / 4.0), float("inf"))
    beta = 1.0 / T
    q = _fixed_point_q(beta, h)
    kink, width = _kink(q, h), _width(beta, q)

    def field(z):
        return beta * (np.sqrt(q) * z + h)

    log2cosh = gaussian_expectation(lambda z: np.logaddexp(field(z), -field(z)), kink, width)
    minus_beta_f = log2cosh + beta**2 * (1.0 - q) ** 2 / 4.0
    free = -T * minus_beta_f
    m = gaussian_expectation(lambda z: np.tanh(field(z)), kink, width)
    energy = -(beta / 2.0) * (1.0 - q**2) - h * m
    entropy = beta * (energy - free)
    stability = beta**2 * gaussian_expectation(
        lambda z: np.cosh(field(z)) ** -4 if abs(field(z)) < 350 else 0.0, kink, width
    )
    return RSSolution(T, h, float(q), float(m), float(free), float(energy), float(entropy), float(stability))


def at_field(T: float) -> float:
    """Field h on the de Almeida–Thouless line at temperature T (0 for T >= 1).

    Below the line (h < at_field(T)) the RS solution is unstable and replica symmetry is broken.
    Near T_c = 1, h_AT^2 ~ (4/3)(1 - T)^3.

    Examples
    --------
    >>> round(at_field(0.99) ** 2 / (4 / 3 * 0.01**3), 2)  # -> 1 as T -> Tc
    1.01
    """
    T = _check_T(T, allow_zero=False)
    if T >= 1.0:
        return 0.0

    def excess(h):
        return rs(T, h).stability - 1.0

    hi = max(4.0 * (1.0 - T) ** 1.5, 1e-3)
    while excess(hi) > 0:
        hi *= 2.0
        if hi > 1e3:
            raise ValueError(f"no AT field found below h = 1000 at T = {T}")
    return float(optimize.brentq(excess, 0.0, hi, xtol=1e-14, rtol=1e-12))


def at_temperature(h: float) -> float:
    """Temperature on the de Almeida–Thouless line at field h >= 0 (the inverse of :func:`at_field`)."""
    h = abs(check_real(h, "h"))
    if h == 0.0:
        return 1.0

    def excess(T):
        return rs(T, h).stability - 1.0

    lo = 1e-3
    while excess(lo) <= 0:
        lo /= 10.0
        if lo < 1e-12:
            raise ValueError(f"no AT temperature found for h = {h}")
    return float(optimize.brentq(excess, lo, 1.0, xtol=1e-14, rtol=1e-12))
