"""Parisi's replica-symmetry-breaking solution of the SK model: k steps at T > 0 and T = 0.

Conventions: H = -sum_{i<j} J_ij s_i s_j - h sum_i s_i with J_ij ~ N(0, 1/N); energies per spin.

The Parisi functional is written through a non-decreasing function mu(t) on t in [0, 1]
(mu = x(t)/T at T > 0, with x the Parisi order function; at T = 0, mu = gamma of the
zero-temperature formula, the limit of beta x). With Phi(1, y) = T ln cosh(y / T) (|y| at T = 0)
and, on an interval where mu is constant,

    Phi(t_lo, y) = (1 / mu) ln E_z exp(mu Phi(t_hi, y + sqrt(t_hi - t_lo) z))   (E_z Phi(...) if mu = 0),

the free energy per spin is

    f(mu) = -T ln 2 - Phi(0, h) + (1/2) int_0^1 mu(t) t dt,

and the equilibrium free energy is its maximum over mu (equivalently the minimum of the
Parisi functional -f/T). k-step RSB restricts x to k + 1 plateaus: 0 on [0, q_0), m_1..m_k on
the next intervals, 1 on [q_k, 1]. At T = 0 the top plateau shrinks to nothing (q_k -> 1) and
gamma_1..gamma_k remain on [q_0, q_1), ..., [q_{k-1}, 1).

Numerics. The recursion runs on a uniform y-grid with the trapezoidal rule (spectrally accurate for
the Gaussian averages, see :mod:`spinlab.replica._kernels`), and the gradient with respect to every
plateau value and breakpoint is the exact derivative of the discrete recursion (an adjoint pass),
so L-BFGS converges to ~1e-12 in f. Full RSB (``k="full"``) solves k = 1..8 by continuation and
extrapolates in 1/k (the k-step energies approach the continuum as k^-4).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from scipy import interpolate, optimize, special
from threadpoolctl import threadpool_limits

from .._validate import check_int, check_real
from . import _kernels

__all__ = ["ParisiSolution", "functional", "parisi"]

_HALF_WIDTH = 12.0  # the grid spans |y - 0| <= 12 + |h|: beyond it Phi - |y| is constant to 1e-30
_DY_MAX = 0.04
_DY_REFINEMENTS = 4  # dy = 0.04 / 2^j, j <= 4
_FULL_STEPS = 8  # k-step solutions used by k="full"
_FULL_POWERS = (4, 5, 6)


def _grid_step(T: float, t: np.ndarray) -> float:
    """Grid spacing resolving every Gaussian step and the top function (quantised to 0.04 / 2^j)."""
    v = np.diff(t)
    scales = [np.sqrt(x) for x in v[:-1] if x > 4e-4]  # narrower steps use the three-point kernel
    scales.append(T if T > 0 else np.sqrt(max(v[-1], 1e-12)))
    j = int(np.ceil(np.log2(1.2 * _DY_MAX / min(scales))))
    return _DY_MAX / 2 ** min(max(j, 0), _DY_REFINEMENTS)


def _top(T: float, y: np.ndarray, s2: float, mu: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """psi = Phi - |y| at the lowest point of the top plateau, and its derivatives in s^2 and mu.

    T > 0: mu = 1/T, Phi = T ln cosh(y/T) + s^2/(2T). T = 0: Phi = (1/g) ln E exp(g |y + s z|)
    = (g s^2/2) + (1/g) logaddexp(g y + ln N((y + g s^2)/s), -g y + ln N((-y + g s^2)/s)).
    """
    if T > 0:
        psi = T * (np.log1p(np.exp(-2.0 * np.abs(y) / T)) - np.log(2.0)) + s2 / (2.0 * T)
        return psi, np.full(y.size, 1.0 / (2.0 * T)), np.zeros(y.size)
    g, s2 = mu, max(s2, 1e-14)
    s = np.sqrt(s2)
    u_a, u_b = (y + g * s2) / s, (-y + g * s2) / s
    log_na, log_nb = special.log_ndtr(u_a), special.log_ndtr(u_b)
    a, b = g * y + log_na, -g * y + log_nb
    both = np.logaddexp(a, b)
    F = 0.5 * g * g * s2 + both
    p_a = np.exp(a - both)
    p_b = 1.0 - p_a
    r_a = np.exp(-0.5 * u_a**2 - 0.5 * np.log(2.0 * np.pi) - log_na)  # Mills ratios phi / N
    r_b = np.exp(-0.5 * u_b**2 - 0.5 * np.log(2.0 * np.pi) - log_nb)
    dF_dg = g * s2 + p_a * (y + s * r_a) + p_b * (-y + s * r_b)
    du_a = -0.5 * y / (s2 * s) + 0.5 * g / s
    du_b = 0.5 * y / (s2 * s) + 0.5 * g / s
    dF_ds2 = 0.5 * g * g + p_a * r_a * du_a + p_b * r_b * du_b
    return F / g - np.abs(y), dF_ds2 / g, dF_dg / g - F / g**2


def _evaluate(T: float, h: float, breaks: np.ndarray, mus: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """f(mu) and its gradient with respect to the breakpoints and the plateau weights."""
    t = np.concatenate([[0.0], breaks, [1.0]])
    dy = _grid_step(T, t)
    half = _HALF_WIDTH + abs(h)
    m = int(round(half / dy))
    y = (np.arange(2 * m + 1) - m) * dy
    psi, d_s2, d_mu_top = _top(T, y, 1.0 - t[-2], mus[-1])
    phi0, d_mu, d_v = _kernels.value_and_gradient(t, mus, float(h), dy, half, psi, d_s2, d_mu_top)
    widths = t[1:] ** 2 - t[:-1] ** 2
    f = -(T * np.log(2.0) if T > 0 else 0.0) - phi0 + 0.25 * np.sum(mus * widths)
    grad_mus = -d_mu + 0.25 * widths
    grad_breaks = -(d_v[:-1] - d_v[1:]) + 0.5 * t[1:-1] * (mus[:-1] - mus[1:])
    return float(f), grad_breaks, grad_mus


def functional(T: float, h: float, breaks, mus) -> float:
    """Free energy per spin f(mu) for a step function mu (the Parisi functional, maximised over mu).

    Parameters
    ----------
    T, h : temperature (>= 0) and field.
    breaks : increasing t_1 < ... < t_{L-1} in (0, 1): the plateaus are [0, t_1), ..., [t_{L-1}, 1].
    mus : the L values of mu on those plateaus (non-decreasing; mu = x / T at T > 0). At T > 0 the
        top value must be 1/T (x = 1); at T = 0 it is gamma on the top plateau [t_{L-1}, 1].

    Examples
    --------
    >>> round(functional(1.5, 0.0, [], [1 / 1.5]), 6)  # RS paramagnet: -T ln 2 - 1/(4T)
    -1.206387
    >>> round(functional(0.0, 0.0, [], [0.817264]), 6)  # one-step RSB at T = 0
    -0.768828
    """
    T, h = check_real(T, "T"), check_real(h, "h")
    breaks, mus = np.asarray(breaks, dtype=float), np.asarray(mus, dtype=float)
    if mus.size != breaks.size + 1:
        raise ValueError(f"mus needs one value per plateau: {breaks.size + 1} for {breaks.size} breaks")
    if breaks.size and (np.any(np.diff(breaks) < 0) or breaks[0] < 0 or breaks[-1] > 1):
        raise ValueError("breaks must be non-decreasing inside [0, 1]")
    if T > 0 and not np.isclose(mus[-1], 1.0 / T):
        raise ValueError(f"at T > 0 the top plateau has x = 1: pass mus[-1] = 1/T = {1.0 / T}")
    return _evaluate(T, h, breaks, mus)[0]


@dataclass(frozen=True)
class ParisiSolution:
    """A Parisi solution: k-step (``k`` an int) or the full-RSB extrapolation (``k == "full"``).

    Attributes
    ----------
    T, h : temperature and field.
    k : number of RSB steps, or ``"full"``.
    q : k-step: the plateau values q_0 <= ... <= q_k (q_k = 1 at T = 0). Full: a grid of overlaps
        from q_min to q_max on which ``x`` and ``gamma`` tabulate the continuous order function.
    x : k-step: the breakpoints m_1 <= ... <= m_k of x(q) (zeros at T = 0). Full: x(q) on ``q``.
    free_energy, energy : per spin (equal at T = 0, where both are the ground-state energy).
    gamma : T = 0 only: the limits gamma_j = lim beta m_j (k-step), or gamma(q) on ``q`` (full).
    error : full only: an estimate of the extrapolation error of ``energy`` (spread of the fits).
    steps : full only: the k-step solutions (k = 1..8) the extrapolation is built from.

    The full-RSB order function is interpolated monotonically through the 8-step staircase (each
    plateau of x(q) drawn at the middle of its q-interval), so it is accurate to ~1e-2; the
    energies are accurate to ~1e-7 (the extrapolation in 1/k).
    """

    T: float
    h: float
    k: int | str
    q: np.ndarray
    x: np.ndarray
    free_energy: float
    energy: float
    gamma: np.ndarray | None = field(default=None)
    error: float = 0.0
    steps: tuple = field(default=(), repr=False)

    def p_of_q(self) -> tuple[np.ndarray, np.ndarray]:
        """The overlap distribution as atoms: values q and weights summing to one.

        k-step: P(q) = sum_j (x_{j+1} - x_j) delta(q - q_j) (x_0 = 0, x_{k+1} = 1). Full: the
        continuous part dx/dq as weights on the grid ``q`` (increments of x) plus the atom
        1 - x(q_max) at q_max. At T = 0 all the weight sits at q = 1.
        """
        if self.k == "full":
            weights = np.diff(np.concatenate([[0.0], self.x]))
            weights[-1] += 1.0 - self.x[-1]
            return self.q.copy(), weights
        x = np.concatenate([[0.0], self.x, [1.0]])
        return self.q.copy(), np.diff(x)

    def q_of_x(self, x) -> np.ndarray:
        """The order function q(x) at the points ``x`` in [0, 1] (T > 0)."""
        if self.T == 0:
            raise ValueError("at T = 0 x(q) = 0: use gamma and q (the limit of beta x) instead")
        x = np.asarray(x, dtype=float)
        if self.k == "full":
            return np.interp(x, self.x, self.q)
        return self.q[np.searchsorted(self.x, x, side="right")]


def _softmax_cumsum(u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    p = np.exp(u - u.max())
    p /= p.sum()
    return np.cumsum(p)[:-1], p


def _softmax_cumsum_adjoint(grad_out: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Gradient with respect to the free logits u (the last logit is pinned at 0)."""
    tail = np.concatenate([np.cumsum(grad_out[::-1])[::-1], [0.0]])
    return (p * (tail - np.dot(p, tail)))[:-1]


def _initial_guess(T: float, h: float, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Plateau values and x (or gamma) spread so that no two plateaus start equal (a saddle)."""
    if T > 0:
        q_top = min(1.0 - 0.5 * T, 0.98) if T < 1 else 0.5
        q = q_top * (np.arange(k + 1) / k) ** 0.5  # q_0 = 0 first
        x = np.clip(T * np.arange(1, k + 1) / (k + 1), 1e-3, 0.999)
    else:
        q = 1.0 - (1.0 - np.arange(k) / k) ** 1.5  # q_0 = 0, ..., denser near 1
        x = 0.5 * 4.0 ** (np.arange(k) / max(k - 1, 1))
    if h != 0.0:
        q = np.maximum(q, 0.05 * (1 + np.arange(q.size)) / q.size)
    return q, x


def _split(q: np.ndarray, x: np.ndarray, T: float) -> tuple[np.ndarray, np.ndarray]:
    """A (k+1)-step starting point from a k-step solution: halve its widest q-interval."""
    widths = np.diff(q)
    j = int(np.argmax(widths))
    q_new = np.insert(q, j + 1, q[j] + 0.5 * widths[j])
    edges = np.concatenate([[0.0], x, [1.0 if T > 0 else 2.0 * x[-1] + 1.0]])
    x_new = np.insert(x, j, 0.5 * (edges[j] + edges[j + 1]) if j < x.size else x[-1] * 0.9)
    return q_new, np.sort(x_new)


def _solve(T: float, h: float, k: int, q0=None, x0=None):
    """Maximise f over the plateau values and breakpoints of a k-step mu.

    T > 0: q_0 <= ... <= q_k and x: m_1 <= ... <= m_k in [0, 1] (mu = m / T, top plateau x = 1).
    T = 0: q_0 <= ... <= q_{k-1} < 1 and 0 < gamma_1 <= ... <= gamma_k. q_0 = 0 when h = 0.
    Parameters are mapped to unconstrained variables (softmax increments for q and m,
    log-increments for gamma) and optimised by L-BFGS-B with the exact gradient.
    Returns (breaks, mus, q, x_or_gamma, f).
    """
    free_q0 = h != 0.0
    n_q = (k + 1 if T > 0 else k) - (0 if free_q0 else 1)
    below = [0.0] if free_q0 else []

    def unpack(u):
        q, p_q = _softmax_cumsum(np.concatenate([u[:n_q], [0.0]]))
        if T > 0:
            x, p_x = _softmax_cumsum(np.concatenate([u[n_q:], [0.0]]))
            mus = np.concatenate([below, x / T, [1.0 / T]])
        else:
            p_x = np.exp(u[n_q:])
            x = np.cumsum(p_x)
            mus = np.concatenate([below, x])
        return q, x, mus, p_q, p_x

    def pack(q, x):
        q = np.asarray(q, dtype=float)
        q_free = q if free_q0 else q[1:]
        edges = np.diff(np.concatenate([[0.0], q_free, [1.0]]))
        u_q = np.log(np.maximum(edges, 1e-12))
        u_q = (u_q - u_q[-1])[:-1]
        if T > 0:
            steps = np.diff(np.concatenate([[0.0], x, [1.0]]))
            u_x = np.log(np.maximum(steps, 1e-12))
            u_x = (u_x - u_x[-1])[:-1]
        else:
            u_x = np.log(np.maximum(np.diff(np.concatenate([[0.0], x])), 1e-12))
        return np.concatenate([u_q, u_x])

    def objective(u):
        q, _, mus, p_q, p_x = unpack(u)
        f, grad_breaks, grad_mus = _evaluate(T, h, q, mus)
        g_q = _softmax_cumsum_adjoint(-grad_breaks, p_q)
        g_mus = -grad_mus[len(below) :]
        if T > 0:
            g_x = _softmax_cumsum_adjoint(g_mus[:-1] / T, p_x)
        else:
            g_x = p_x * np.cumsum(g_mus[::-1])[::-1]
        return -f, np.concatenate([g_q, g_x])

    if q0 is None or x0 is None:
        q0, x0 = _initial_guess(T, h, k)
    with threadpool_limits(limits=1, user_api="blas"):  # L-BFGS's tiny BLAS calls only contend in threads
        res = optimize.minimize(
            objective,
            pack(q0, x0),
            jac=True,
            method="L-BFGS-B",
            options={"ftol": 1e-15, "gtol": 1e-11, "maxiter": 5000, "maxcor": 30},
        )
    q, x, _, _, _ = unpack(res.x)
    q = q if free_q0 else np.concatenate([[0.0], q])
    return (*_step_function(T, h, q, x), q, x, -res.fun)


def _step_function(T: float, h: float, q: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Breakpoints and plateau weights of mu for plateaus q and steps x (m_j, or gamma_j at T = 0)."""
    below = [0.0] if h != 0.0 else []
    breaks = q if h != 0.0 else q[1:]
    mus = np.concatenate([below, x / T, [1.0 / T]]) if T > 0 else np.concatenate([below, x])
    return breaks, mus


@functools.lru_cache(maxsize=256)
def _best_solution(T: float, h: float, k: int):
    """Optimise from a spread-out guess and from the split (k-1)-step optimum; keep the larger f.

    A k-step function contains every (k-1)-step one, so f never decreases with k: where both
    searches end below the (k-1)-step optimum (flat landscapes near T_c), that optimum is kept.
    Memoised on (T, h, k): the solution for k reuses the one for k - 1, and chapters ask for the
    same points repeatedly. Callers must not modify the returned arrays.
    """
    best = _solve(T, h, k)
    if k > 1:
        _, _, q_prev, x_prev, f_prev = _best_solution(T, h, k - 1)
        q_start, x_start = _split(q_prev if T > 0 else np.append(q_prev, 1.0), x_prev, T)
        candidate = _solve(T, h, k, q_start if T > 0 else q_start[:-1], x_start)
        if candidate[4] > best[4]:
            best = candidate
        if best[4] < f_prev:
            # the (k-1)-step optimum with a zero-width extra plateau is a k-step function with equal f
            q_pad, x_pad = np.append(q_prev, q_prev[-1]), np.append(x_prev, x_prev[-1])
            best = (*_step_function(T, h, q_pad, x_pad), q_pad, x_pad, f_prev)
    return best


def _energy(T: float, h: float, breaks: np.ndarray, mus: np.ndarray, free: float) -> float:
    """e = f - T df/dT at the optimal (fixed) plateaus q_j and x_j: mu = x / T scales with 1/T."""
    if T == 0:
        return free
    dT = 1e-5 * T
    f_up = _evaluate(T + dT, h, breaks, mus * T / (T + dT))[0]
    f_dn = _evaluate(T - dT, h, breaks, mus * T / (T - dT))[0]
    return free - T * (f_up - f_dn) / (2 * dT)


def _k_step(T: float, h: float, k: int) -> ParisiSolution:
    breaks, mus, q, x, free = _best_solution(T, h, k)
    q, x = q.copy(), x.copy()
    if T == 0:
        return ParisiSolution(0.0, h, k, np.append(q, 1.0), np.zeros(k), free, free, gamma=x)
    return ParisiSolution(T, h, k, q, x, free, _energy(T, h, breaks, mus, free))


def k_power_fit(k, values, powers=_FULL_POWERS) -> np.ndarray:
    """Least-squares fit of values(k) = c_0 + sum_p c_p k^-p over the given k (the k -> infinity limit is c_0).

    Parameters
    ----------
    k : array_like of positive numbers
        Numbers of RSB steps (or any positive abscissa).
    values : array_like, same length as ``k``
        The k-step quantities (energies, free energies, ...).
    powers : sequence of positive numbers
        The correction exponents p; ``len(powers) + 1 <= len(k)``. :func:`parisi` with ``k="full"``
        uses (4, 5, 6), the ground-state energy converging like k^-4.

    Returns
    -------
    numpy.ndarray
        (c_0, c_p for each power), in the order of ``powers``.

    Examples
    --------
    >>> k = np.arange(1.0, 7.0)
    >>> coefficients = k_power_fit(k, -0.76 + 0.1 * k**-4.0)
    >>> round(float(coefficients[0]), 12), round(float(coefficients[1]), 12)
    (-0.76, 0.1)
    """
    k = np.asarray(k, dtype=float)
    values = np.asarray(values, dtype=float)
    exponents = np.asarray(powers, dtype=float)
    if k.ndim != 1 or values.shape != k.shape:
        raise ValueError(f"k and values must be 1-D arrays of one length, got shapes {k.shape} and {values.shape}")
    if exponents.ndim != 1 or exponents.size == 0 or np.any(exponents <= 0):
        raise ValueError(f"powers must be a non-empty sequence of positive exponents, got {powers!r}")
    if k.size < exponents.size + 1:
        raise ValueError(f"fitting {exponents.size + 1} coefficients needs at least as many k; got {k.size}")
    if np.any(~np.isfinite(k)) or np.any(k <= 0) or np.any(~np.isfinite(values)):
        raise ValueError("k must be positive and k and values finite")
    design = np.column_stack([np.ones_like(k)] + [k**-p for p in exponents])
    return np.linalg.lstsq(design, values, rcond=None)[0]


def _extrapolate(values: np.ndarray) -> tuple[float, float]:
    """Limit k -> infinity of values[k-1] ~ v + a k^-4 + b k^-5 + c k^-6, with an error estimate.

    Least squares on the last five k, and the exact fit on the last four: their spread is the error.
    """
    k = np.arange(1, values.size + 1, dtype=float)
    five, four = (float(k_power_fit(k[-last:], values[-last:])[0]) for last in (5, 4))
    return five, abs(five - four)


def _continuum(finest: ParisiSolution, T: float) -> tuple[np.ndarray, np.ndarray]:
    """The continuous order function through the finest staircase, on a 200-point q grid.

    x(q) (gamma(q) at T = 0) of a k-step solution is m_j on [q_{j-1}, q_j): the continuum is drawn
    through the middles of those intervals, (q_{j-1} + q_j)/2 -> m_j, from x(q_0) = 0 (h = 0) or
    m_1 / 2 (h > 0); at T > 0 it reaches q_max = q_k at x_max, the linear extrapolation of the last two
    points (monotone PCHIP interpolation in between). Zero-width plateaus are merged first.
    """
    q = finest.q if T > 0 else finest.q[:-1]  # plateaus below the top (q_k = 1 at T = 0)
    steps = finest.x if T > 0 else finest.gamma
    keep = np.concatenate([[True], np.diff(q) > 1e-9])
    if T > 0:
        q, steps = q[keep], steps[keep[1:]]
    else:
        q, steps = q[keep], np.append(steps[:-1][keep[1:]], steps[-1])
    if q.size < 2:  # replica symmetric: P(q) is one atom
        return q[:1], np.zeros(1)
    middles = 0.5 * (q[:-1] + q[1:])
    inner = steps[: middles.size]
    knots_q = np.concatenate([[q[0]], middles])
    knots_x = np.concatenate([[0.0 if finest.h == 0 else 0.5 * inner[0]], inner])
    if T > 0:
        slope = (inner[-1] - inner[-2]) / (middles[-1] - middles[-2]) if middles.size > 1 else inner[-1] / middles[-1]
        x_max = min(max(inner[-1] + slope * (q[-1] - middles[-1]), inner[-1]), 1.0)
        knots_q, knots_x = np.append(knots_q, q[-1]), np.append(knots_x, x_max)
    grid = np.linspace(knots_q[0], knots_q[-1], 200)
    return grid, interpolate.PchipInterpolator(knots_q, knots_x)(grid)


@functools.lru_cache(maxsize=64)
def _full(T: float, h: float) -> ParisiSolution:
    steps = [_k_step(T, h, k) for k in range(1, _FULL_STEPS + 1)]
    energy, error = _extrapolate(np.array([s.energy for s in steps]))
    free, free_error = _extrapolate(np.array([s.free_energy for s in steps]))
    grid, order = _continuum(steps[-1], T)
    if T == 0:
        return ParisiSolution(
            0.0, h, "full", grid, np.zeros_like(grid), energy, energy, gamma=order, error=error, steps=tuple(steps)
        )
    return ParisiSolution(T, h, "full", grid, order, free, energy, error=max(error, free_error), steps=tuple(steps))


def parisi(T: float, h: float = 0.0, *, k: int | str = 1) -> ParisiSolution:
    """Replica-symmetry-breaking solution of the SK model at temperature T >= 0 and field h.

    ``k`` is the number of RSB steps (1..12) or ``"full"`` for the continuous (full-RSB) solution.
    Every parameter is optimised (the plateau values q_j and the breakpoints, x = m_j at T > 0
    or gamma_j = lim beta m_j at T = 0), except q_0 = 0 at h = 0 where symmetry fixes it.
    ``k="full"`` solves k = 1..8 by continuation and extrapolates the energies in 1/k (they
    approach the continuum as k^-4); its order function x(q) is tabulated on a grid.
    Energies per spin; the energy at T > 0 is f - T df/dT at the optimal (fixed) parameters.

    Examples
    --------
    >>> sol = parisi(0.0, k=1)
    >>> round(sol.energy, 6)  # one step of RSB at T = 0 (RS: -0.797885)
    -0.768828
    >>> full = parisi(0.0, k="full")
    >>> round(full.energy, 6), full.error < 1e-6  # Crisanti & Rizzo: -0.7631667
    (-0.763167, True)
    """
    T = check_real(T, "T")
    if T < 0:
        raise ValueError(f"T must be >= 0, got {T}")
    h = check_real(h, "h")
    if isinstance(k, str):
        if k != "full":
            raise ValueError(f"k must be a number of steps (1..12) or 'full', got {k!r}")
        return _full(T, h)
    k = check_int(k, "k", minimum=1, maximum=12)
    return _k_step(T, h, k)
