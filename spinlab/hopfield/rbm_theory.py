"""Replica-symmetric theory of the RBM with Boolean-Gaussian priors on visible units, hidden units and patterns.

Model (as :func:`spinlab.hopfield.rbm_sample`): N visible units sigma_i, P = alpha N hidden units tau_mu,
weights xi_i^mu / sqrt(N), Gibbs weight p_v(sigma) p_h(tau) exp(beta sum_{i, mu} xi_i^mu sigma_i tau_mu / sqrt N).
Every prior is a member of the family x = sqrt(1 - d) eps + sqrt(d) g (eps = ±1, g ~ N(0, 1), unit variance):
visible d_v, hidden d_h, patterns delta. Free energies are per visible unit, k_B = 1.

Tilted unit. A unit of the family in the tilt exp(x s + lam s^2 / 2) (x a field times beta, lam a self-coupling)
is again a Gaussian mixture; with g = 1 - lam d > 0 and u = a x / g (a = sqrt(1 - d)):

    <s> = (a tanh u + d x) / g,   <s^2> = (a^2 + 2 a d x tanh u + d^2 x^2) / g^2 + d / g,
    ln E e^{x s + lam s^2 / 2} = -ln(g) / 2 + (a^2 lam + d x^2) / (2 g) + ln cosh u.

RS equations. One pattern (xi^1) is condensed: its hidden unit grows to tau_1 = sqrt(N) beta d_h m (only the
Gaussian part of the hidden prior can follow a field of order sqrt N; the binary part adds O(sqrt N) to an O(N)
exponent), so the visible units feel the signal beta^2 d_h m xi. The other hidden units act as Gaussian noise.
With order parameters m = E xi <sigma>, q = E <sigma>^2, Q = E <sigma^2> (visible) and p = E <tau>^2,
R = E <tau^2> (non-condensed hidden units):

    visible: x = beta^2 d_h m xi + beta sqrt(alpha p) z,   lam_v = beta^2 alpha (R - p),
    hidden:  x = beta sqrt(q) z,                            lam_h = beta^2 (Q - q),

    -beta f = -beta^2 d_h m^2 / 2 - (beta^2 alpha / 2) (Q R - q p) + E_{xi, z} ln Z_v + alpha E_z ln Z_h,

each average over z ~ N(0, 1) and the pattern prior. The Gaussian part of xi merges with the noise, and Stein's
lemma gives m = a_p E <sigma> + delta beta^2 d_h m E d<sigma>/dx, so every average is one-dimensional.
For binary visible and Gaussian hidden units this is the AGS theory of the Hopfield network at temperature
T^2 (:func:`spinlab.hopfield.retrieval`), with -beta f = -beta^2 f_Hopfield + beta^2 alpha / 2 - ln 2.

Paramagnet and spin-glass line. At m = q = p = 0 the self-overlaps solve Q = S(beta^2 alpha R, d_v),
R = S(beta^2 Q, d_h) with S(lam, d) = (1 - d) / (1 - lam d)^2 + d / (1 - lam d) (the variance of a tilted unit,
S = 1 + lam d (2 - d) + O(lam^2), i.e. (E s^4 - 1) / 2 to first order). Linearising, q = beta^2 alpha Q^2 p and
p = beta^2 R^2 q, so the paramagnet becomes unstable towards a spin glass where

    beta^2 sqrt(alpha) Q R = 1.

Closed forms: binary-binary T_g = alpha^(1/4); binary visible, Gaussian hidden T_g^2 = 1 + sqrt(alpha) (the
Hopfield line at temperature T^2); Gaussian-Gaussian T_g = 1 + sqrt(alpha) (the edge of the Marchenko-Pastur
spectrum, where the measure stops being normalisable). Exchanging the layers maps (alpha, T, d_v, d_h) to
(1 / alpha, T / sqrt(alpha), d_h, d_v).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import optimize

from .._validate import check_real, check_temperature
from ._common import check_load, check_prior
from .theory import _nodes

__all__ = ["RBMState", "rbm_critical_load", "rbm_glass_temperature", "rbm_state", "tilted_moments"]


def _tilted(x, lam: float, d: float):
    """<s>, d<s>/dx, <s^2>, ln Z of a family unit in the tilt exp(x s + lam s^2 / 2) (module docstring)."""
    a = math.sqrt(1.0 - d)
    g = 1.0 - lam * d
    u = a * x / g
    t = np.tanh(u)
    mean = (a * t + d * x) / g
    slope = (a * a * (1.0 - t * t) / g + d) / g
    second = (a * a + 2.0 * a * d * x * t + d * d * x * x) / (g * g) + d / g
    au = np.abs(u)
    logz = -0.5 * math.log(g) + (a * a * lam + d * x * x) / (2.0 * g) + au + np.log1p(np.exp(-2.0 * au)) - math.log(2)
    return mean, slope, second, logz


def tilted_moments(x, lam: float = 0.0, *, prior="binary"):
    """Mean, second moment and log-normaliser of a Boolean-Gaussian unit s in the tilt exp(x s + lam s^2 / 2).

    The unit is s = sqrt(1 - d) eps + sqrt(d) g with eps = ±1, g ~ N(0, 1); ``x`` (scalar or array) is the field
    times beta and ``lam`` a self-coupling with lam * d < 1. Closed forms in the module docstring.

    Examples
    --------
    >>> mean, second, logz = tilted_moments(0.5, prior="binary")
    >>> round(float(mean), 6), float(second)  # tanh(0.5), s^2 = 1
    (0.462117, 1.0)
    >>> [round(float(v), 6) for v in tilted_moments(0.5, 0.2, prior="gaussian")]  # N(0.5 / 0.8, 1 / 0.8)
    [0.625, 1.640625, 0.267822]
    """
    d = check_prior(prior, "prior")
    lam = check_real(lam, "lam")
    if lam * d >= 1.0:
        raise ValueError(f"lam * d must be < 1 for a normalisable tilt, got lam = {lam}, d = {d}")
    arr = np.asarray(x, dtype=float)
    if not np.all(np.isfinite(arr)):
        raise ValueError("x must be finite")
    mean, _, second, logz = _tilted(arr, lam, d)
    if arr.ndim == 0:
        return float(mean), float(second), float(logz)
    return mean, second, logz


def _variance(lam: float, d: float) -> float:
    """S(lam, d): second moment of a field-free family unit in the tilt exp(lam s^2 / 2) (inf if not normalisable)."""
    g = 1.0 - lam * d
    if g <= 0.0:
        return math.inf
    return (1.0 - d) / (g * g) + d / g


def rbm_glass_temperature(alpha: float, *, visible="binary", hidden="gaussian") -> float:
    """Paramagnet / spin-glass temperature T_g(alpha) of the RBM with Boolean-Gaussian unit priors.

    The solution of beta^2 sqrt(alpha) Q R = 1 together with the paramagnetic equations Q = S(beta^2 alpha R, d_v),
    R = S(beta^2 Q, d_h) (module docstring): eliminating R leaves Q = S(sqrt(alpha) / Q, d_v), one root, and then
    one equation for beta^2, both solved by Brent's method. T_g = alpha^(1/4) for binary units on both layers
    and T_g^2 = 1 + sqrt(alpha) for binary visible and Gaussian hidden units (the Hopfield line at T^2).

    Parameters
    ----------
    alpha : float
        Ratio P/N of hidden to visible units, > 0.
    visible, hidden : "binary", "gaussian" or float in [0, 1]
        Gaussian fractions d_v, d_h of the unit priors.

    Examples
    --------
    >>> round(rbm_glass_temperature(0.0625, visible="binary", hidden="binary"), 10)  # alpha^(1/4)
    0.5
    >>> round(rbm_glass_temperature(0.25), 10) == round(math.sqrt(1.5), 10)
    True
    """
    alpha = check_load(alpha, "alpha")
    d_v = check_prior(visible, "visible")
    d_h = check_prior(hidden, "hidden")
    root_alpha = math.sqrt(alpha)
    # on the line R = 1 / (beta^2 sqrt(alpha) Q), so Q = S(sqrt(alpha) / Q, d_v): one root, S falls as Q grows
    Q = 1.0
    if d_v > 0.0:
        lo = max(1.0, root_alpha * d_v * (1.0 + 1e-15))
        hi = 2.0 * lo
        while _variance(root_alpha / hi, d_v) > hi:
            hi *= 2.0
        Q = optimize.brentq(lambda x: _variance(root_alpha / x, d_v) - x, lo, hi, xtol=1e-15, rtol=1e-15)
    # then 1 / (mu sqrt(alpha) Q) = S(mu Q, d_h) for mu = beta^2: the left side falls, the right side rises
    top = 1.0 / (Q * d_h) if d_h > 0 else math.inf
    hi = min(1.0, 0.5 * top)
    while 1.0 / (hi * root_alpha * Q) > _variance(hi * Q, d_h):
        hi = min(2.0 * hi, 0.5 * (hi + top))
    low = hi / 2.0
    while 1.0 / (low * root_alpha * Q) < _variance(low * Q, d_h):
        low /= 2.0
    mu = optimize.brentq(lambda u: u * root_alpha * Q * _variance(u * Q, d_h) - 1.0, low, hi, xtol=1e-16, rtol=1e-15)
    return 1.0 / math.sqrt(mu)


@dataclass(frozen=True)
class RBMState:
    """RS state of the RBM at (alpha, T) (module :mod:`spinlab.hopfield.rbm_theory`).

    ``m`` Mattis overlap of the visible layer with pattern 1, ``q`` and ``q_d`` = E <sigma>^2 and E <sigma^2>
    (visible), ``p`` and ``p_d`` the same for the non-condensed hidden units, ``free_energy`` per visible unit.
    ``phase`` is "retrieval" (m > 0), "glass" (m = 0, q > 0) or "paramagnet" (q = 0). Priors are Gaussian
    fractions (visible d_v, hidden d_h, patterns delta).
    """

    alpha: float
    T: float
    visible: float
    hidden: float
    prior: float
    m: float
    q: float
    q_d: float
    p: float
    p_d: float
    free_energy: float
    phase: str

    @property
    def cosine(self) -> float:
        """Normalised overlap m / sqrt(q_d) (patterns have unit variance): the cosine between layer and pattern."""
        return self.m / math.sqrt(self.q_d)


def _quadrature(kink: float, width: float):
    """Cached nodes of :func:`spinlab.hopfield.theory._nodes`, graded near ``kink`` on the scale ``width``.

    Both are snapped to a coarse grid (width to two digits, kink to width / 16) so that nearby calls share
    nodes; the 16-point panels resolve tanh to full precision wherever the kink falls inside them.
    """
    width = float(f"{width:.2g}")
    step = width / 16.0
    return _nodes(round(kink / step) * step, width)


class _Model:
    """The RS map (m, q, Q, p, R) -> new values at fixed (alpha, beta) and priors, and the free energy."""

    def __init__(self, alpha: float, beta: float, d_v: float, d_h: float, delta: float):
        self.alpha, self.beta, self.d_v, self.d_h, self.delta = alpha, beta, d_v, d_h, delta

    def _average(self, center: float, width: float, lam: float, d: float) -> np.ndarray:
        """E_z of (<s>, d<s>/dx, <s>^2, <s^2>, ln Z) at x = center + width z."""
        if width <= 1e-300:
            mean, slope, second, logz = _tilted(np.array([center]), lam, d)
            return np.array([mean[0], slope[0], mean[0] ** 2, second[0], logz[0]])
        a = math.sqrt(1.0 - d)
        scale = (1.0 - lam * d) / (a * width) if a > 0 else 1.0
        z, w = _quadrature(-center / width, min(scale, 1.0))
        mean, slope, second, logz = _tilted(center + width * z, lam, d)
        return np.array([w @ mean, w @ slope, w @ (mean * mean), w @ second, w @ logz])

    def hidden(self, q: float, Q: float) -> np.ndarray | None:
        lam = self.beta**2 * (Q - q)
        if lam * self.d_h >= 1.0:
            return None
        return self._average(0.0, self.beta * math.sqrt(max(q, 0.0)), lam, self.d_h)

    def visible(self, m: float, p: float, R: float) -> np.ndarray | None:
        b2 = self.beta**2
        lam = b2 * self.alpha * (R - p)
        if lam * self.d_v >= 1.0:
            return None
        signal = b2 * self.d_h * m
        center = signal * math.sqrt(1.0 - self.delta)
        width = math.sqrt(self.delta * signal**2 + b2 * self.alpha * max(p, 0.0))
        return self._average(center, width, lam, self.d_v)

    def step(self, v: np.ndarray) -> np.ndarray | None:
        m, q, Q, p, R = v
        hid = self.hidden(q, Q)
        if hid is None:
            return None
        vis = self.visible(m, hid[2], hid[3])
        if vis is None:
            return None
        m_new = math.sqrt(1.0 - self.delta) * vis[0] + self.delta * self.beta**2 * self.d_h * m * vis[1]
        return np.array([m_new, vis[2], vis[3], hid[2], hid[3]])

    def free_energy(self, v: np.ndarray) -> float:
        m, q, Q, p, R = v
        b2 = self.beta**2
        hid = self.hidden(q, Q)
        vis = self.visible(m, p, R)
        minus_bf = -0.5 * b2 * self.d_h * m * m - 0.5 * b2 * self.alpha * (Q * R - q * p) + vis[4]
        return -(minus_bf + self.alpha * hid[4]) / self.beta


def _solve(model: _Model, start: np.ndarray) -> np.ndarray | None:
    """Damped fixed-point iteration from ``start``, polished by Powell's hybrid method; None if no solution.

    The damping halves whenever a step leaves the normalisable region or the step size grows (oscillation).
    """
    v, prev, eta, last = start, start, 1.0, math.inf
    for _ in range(60):
        new = model.step(v)
        if new is None or not np.all(np.isfinite(new)):
            if v is prev or eta < 1e-3:
                return None
            eta *= 0.5
            v = prev + 0.5 * (v - prev)
            continue
        size = float(np.max(np.abs(new - v)))
        if size < 1e-13:
            return new
        if size > last:
            eta = max(0.5 * eta, 0.05)
        last = size
        prev, v = v, v + eta * (new - v)
        if v[0] < 1e-7 and start[0] > 0:  # the overlap has died out: no retrieval state
            return None

    def residual(u):
        nxt = model.step(u)
        return np.full(5, 1e3) if nxt is None else nxt - u

    sol = optimize.root(residual, v, method="hybr", options={"xtol": 1e-13})
    if not sol.success or np.max(np.abs(residual(sol.x))) > 1e-9:
        return None
    return sol.x


def _glass(model: _Model) -> np.ndarray | None:
    """Spin-glass / paramagnetic state (m = 0); None when no normalisable one is found.

    Binary visible units (Q = 1): the hidden moments are explicit in q, so q = E tanh^2(...) is one equation,
    solved by Brent's method. It is valid for q > 1 - 1 / (beta^2 d_h) (normalisable hidden units), where the
    residual is positive at the lower end (the hidden response diverges) and negative at q -> 1; the paramagnet
    q = 0 is returned where the residual is negative already at small q (above T_g). Soft visible units: the
    damped iteration of :func:`_solve` from m = 0, q = 1.
    """
    if model.d_v > 0.0:
        return _solve(model, np.array([0.0, 1.0, 1.0, 1.0, 1.0]))

    def moments(q):
        hid = model.hidden(q, 1.0)
        return hid[2], hid[3]

    def excess(q):
        p, R = moments(q)
        return model.visible(0.0, p, R)[2] - q

    q_min = 1.0 - 1.0 / (model.beta**2 * model.d_h) if model.d_h > 0 else -math.inf
    if q_min <= 0.0 and excess(1e-10) <= 0.0:
        _, R = moments(0.0)
        return np.array([0.0, 0.0, 1.0, 0.0, R])
    lo = max(q_min, 0.0) + 1e-9 * (1.0 - max(q_min, 0.0))
    q = float(optimize.brentq(excess, lo, 1.0 - 1e-15, xtol=1e-15, rtol=1e-13))
    p, R = moments(q)
    return np.array([0.0, q, 1.0, p, R])


def rbm_state(alpha: float, T: float, *, visible="binary", hidden="gaussian", prior="binary", phase="retrieval"):
    """Replica-symmetric state of the RBM with Boolean-Gaussian priors at load alpha and temperature T > 0.

    Solves the RS equations of :mod:`spinlab.hopfield.rbm_theory` by fixed-point iteration (then Powell's
    hybrid method) from a retrieval start (m = 1, q = 1) for ``phase="retrieval"``. The m = 0 state is found
    for ``phase="glass"``, or when the retrieval start does not lead to m > 0 (check ``state.phase``): for
    binary visible units by Brent's method in q (always succeeds), otherwise by iteration from m = 0, q = 1.
    With binary visible and Gaussian hidden units it is the Hopfield state at temperature T^2. With Gaussian
    parts in both layers (d_v d_h > 0) the iteration can run off to infinite amplitude; then ValueError is
    raised. This happens where the measure is not normalisable, but also before: e.g. at alpha = 0.005,
    T = 0.6, d_v = 0.3 the iteration diverges although a solution should exist, and for soft visible units the
    m = 0 state is often not found beyond the retrieval region.

    Parameters
    ----------
    alpha : float
        Load P/N > 0.
    T : float
        Temperature > 0 of the RBM.
    visible, hidden, prior : "binary", "gaussian" or float in [0, 1]
        Gaussian fractions of the visible units, hidden units and pattern entries.
    phase : "retrieval" or "glass"
        Which solution to start from.

    Examples
    --------
    >>> s = rbm_state(0.05, 0.6)  # the Hopfield network at T = 0.36
    >>> s.phase, round(s.m, 4)
    ('retrieval', 0.9791)
    >>> rbm_state(0.05, 0.6, hidden=0.5).phase  # the signal beta^2 d_h m is too weak
    'glass'
    """
    alpha = check_load(alpha, "alpha")
    T = check_temperature(T)
    d_v = check_prior(visible, "visible")
    d_h = check_prior(hidden, "hidden")
    delta = check_prior(prior, "prior")
    if phase not in ("retrieval", "glass"):
        raise ValueError(f"phase must be 'retrieval' or 'glass', got {phase!r}")
    model = _Model(alpha, 1.0 / T, d_v, d_h, delta)
    v = None
    if phase == "retrieval":
        v = _solve(model, np.array([1.0, 1.0, 1.0, 1.0, 1.0]))
        if v is not None and v[0] < 1e-6:
            v = None
    if v is None:
        v = _glass(model)
    if v is None:
        raise ValueError(
            f"no normalisable RS solution found at alpha = {alpha}, T = {T} for these priors; with Gaussian parts "
            "in both layers the measure stops being normalisable (beta^2 d_v d_h ||W||^2 >= 1), and close to that "
            "boundary the iteration can run away before; raise T or make a layer more binary"
        )
    m, q = float(v[0]), float(v[1])
    if m > 1e-6:
        name = "retrieval"
    elif q > 1e-8:
        name = "glass"
    else:
        name = "paramagnet"
        m = q = 0.0
        v = np.array([0.0, 0.0, v[2], 0.0, v[4]])
    f = float(model.free_energy(v))
    return RBMState(alpha, T, d_v, d_h, delta, m, q, float(v[2]), float(v[3]), float(v[4]), f, name)


def rbm_critical_load(T: float, *, visible="binary", hidden="gaussian", prior="binary", tol: float = 1e-4) -> float:
    """Largest load alpha_M(T) at which the RBM has an RS retrieval state (bisection on the load, to relative ``tol``).

    0 when there is none even as alpha -> 0 (then T^2 >= d_h for binary visible units and patterns).

    Examples
    --------
    >>> round(rbm_critical_load(0.5), 3)  # the Hopfield network at T = 0.25
    0.114
    """
    T = check_temperature(T)
    tol = check_real(tol, "tol", positive=True)

    def retrieves(alpha):
        try:
            return rbm_state(alpha, T, visible=visible, hidden=hidden, prior=prior).phase == "retrieval"
        except ValueError:
            return False

    lo = 1e-6
    if not retrieves(lo):
        return 0.0
    hi = 0.02
    while retrieves(hi):
        lo, hi = hi, 2.0 * hi
        if hi > 64.0:
            return math.inf
    while hi - lo > tol * hi:
        mid = math.sqrt(lo * hi) if hi > 2.0 * lo else 0.5 * (lo + hi)
        lo, hi = (mid, hi) if retrieves(mid) else (lo, mid)
    return lo
