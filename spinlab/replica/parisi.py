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
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import numpy as np
from scipy import interpolate, optimize, special

from .._validate import check_int, check_real

_GRID_HALF_WIDTH = 14.0
_GRID_POINTS = 1401


class _Grid:
    """Uniform grid of local fields y with spline evaluation and linear extrapolation outside.

    The default spacing 0.02 resolves Phi to ~1e-9; at low T the terminal T ln cosh(y/T) bends
    on the scale T, so the spacing shrinks to T/5 there.
    """

    def __init__(self, h: float, points: int = _GRID_POINTS, T: float = 0.0):
        half = _GRID_HALF_WIDTH + abs(h)
        if 0 < T < 0.1:
            points = max(points, int(2 * half / (T / 5.0)) | 1)
        self.y = np.linspace(-half, half, points)

    def evaluate(self, values: np.ndarray, at: np.ndarray) -> np.ndarray:
        spline = interpolate.CubicSpline(self.y, values, bc_type="not-a-knot", extrapolate=False)
        out = spline(np.clip(at, self.y[0], self.y[-1]))
        lo, hi = at < self.y[0], at > self.y[-1]
        if lo.any():
            out[lo] += spline(self.y[0], 1) * (at[lo] - self.y[0])
        if hi.any():
            out[hi] += spline(self.y[-1], 1) * (at[hi] - self.y[-1])
        return out

    def convolve(self, values: np.ndarray, variance: float, mu: float, points: np.ndarray | None = None) -> np.ndarray:
        """One Parisi step on the grid (or at ``points``): Gaussian spread ``variance``, weight ``mu``.

        Phi(y + sigma z) bends sharply where y + sigma z = 0 (on the scale T), so the Gaussian
        average is split there: Gauss–Legendre rules on [-L, z*] and [z*, L], z* = -y / sigma.
        """
        y = self.y if points is None else points
        if variance <= 0:
            return self.evaluate(values, y) if points is not None else values.copy()
        sigma = np.sqrt(variance)
        nodes, weights = self._split_rule(y / sigma)
        shifted = y[:, None] + sigma * nodes
        at = self.evaluate(values, shifted.ravel()).reshape(shifted.shape)
        if mu == 0.0:
            return np.sum(at * weights, axis=1)
        base = at.max(axis=1)
        return base + np.log(np.sum(np.exp(mu * (at - base[:, None])) * weights, axis=1)) / mu

    @staticmethod
    def _split_rule(shift: np.ndarray, order: int = 48, limit: float = 11.0):
        """Nodes (points, 2 order) and Gaussian weights for E_z f(z) split at z* = -shift."""
        xi, w = np.polynomial.legendre.leggauss(order)
        split = np.clip(-shift, -limit + 1e-3, limit - 1e-3)[:, None]
        left_half = 0.5 * (split + limit)
        right_half = 0.5 * (limit - split)
        left = -limit + left_half * (xi[None, :] + 1.0)
        right = split + right_half * (xi[None, :] + 1.0)
        nodes = np.concatenate([left, right], axis=1)
        lengths = np.concatenate([np.repeat(left_half, order, axis=1), np.repeat(right_half, order, axis=1)], axis=1)
        weights = np.tile(w, 2)[None, :] * lengths * np.exp(-0.5 * nodes**2) / np.sqrt(2.0 * np.pi)
        return nodes, weights


def _top_level(grid: _Grid, T: float, t_top: float, mu_top: float) -> np.ndarray:
    """Phi on the grid at t_top, propagated in closed form from t = 1 over the top plateau."""
    y = grid.y
    var = 1.0 - t_top
    if T > 0:
        # mu = beta on [t_top, 1]: E cosh((y + s z)/T) = cosh(y/T) exp(s^2 / (2 T^2))
        return T * (np.logaddexp(y / T, -y / T) - np.log(2.0)) + var / (2.0 * T)
    g, s = mu_top, np.sqrt(var)
    if s == 0:
        return np.abs(y)
    # E exp(g |y + s z|) = exp(g^2 s^2 / 2) [e^{g y} Phi((y + g s^2)/s) + e^{-g y} Phi((-y + g s^2)/s)]
    a = g * y + special.log_ndtr((y + g * s * s) / s)
    b = -g * y + special.log_ndtr((-y + g * s * s) / s)
    return (0.5 * g * g * s * s + np.logaddexp(a, b)) / g


def functional(T: float, h: float, breaks: np.ndarray, mus: np.ndarray, grid: _Grid | None = None) -> float:
    """Free energy per spin f(mu) for a step function mu.

    Parameters
    ----------
    breaks : increasing t_1 < ... < t_{L-1} in (0, 1): the plateaus are [0, t_1), ..., [t_{L-1}, 1].
    mus : the L values of mu on those plateaus (non-decreasing). At T > 0 the top value must be
        1/T (x = 1); at T = 0 the top plateau uses the closed form with terminal |y|.
    """
    grid = grid or _Grid(h)
    t = np.concatenate([[0.0], np.asarray(breaks, dtype=float), [1.0]])
    mus = np.asarray(mus, dtype=float)
    values = _top_level(grid, T, t[-2], mus[-1])
    for level in range(len(mus) - 2, 0, -1):
        values = grid.convolve(values, t[level + 1] - t[level], mus[level])
    phi0 = grid.convolve(values, t[1] - t[0], mus[0], points=np.array([h]))[0] if len(mus) > 1 else None
    if phi0 is None:  # one plateau only: evaluate the top level directly at y = h
        phi0 = grid.evaluate(values, np.array([h]))[0]
    integral = 0.5 * np.sum(mus * (t[1:] ** 2 - t[:-1] ** 2) / 2.0)
    return float(-(T * np.log(2.0) if T > 0 else 0.0) - phi0 + integral)


@dataclass(frozen=True)
class ParisiSolution:
    """k-step RSB solution: breakpoints ``q`` (plateau values q_0..q_k) and ``x`` (m_1..m_k).

    ``free_energy`` and ``energy`` are per spin; ``q_of_x`` returns the staircase; ``p_of_q``
    the overlap distribution P(q) = sum_j (x_{j+1} - x_j) delta(q - q_j) as (values, weights).
    """

    T: float
    h: float
    k: int
    q: np.ndarray
    x: np.ndarray
    free_energy: float
    energy: float
    gamma: np.ndarray | None = field(default=None)

    def p_of_q(self) -> tuple[np.ndarray, np.ndarray]:
        """Overlap values q_j and their weights x_{j+1} - x_j (x_0 = 0, x_{k+1} = 1)."""
        x = np.concatenate([[0.0], self.x, [1.0]])
        return self.q.copy(), np.diff(x)


def _softmax_cumsum(u: np.ndarray) -> np.ndarray:
    p = np.exp(u - u.max())
    p /= p.sum()
    return np.cumsum(p)[:-1]


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


def _solve(T: float, h: float, k: int, grid: _Grid, q0=None, x0=None):
    """Maximise f over the plateau values and breakpoints of a k-step mu.

    T > 0: q_0 <= ... <= q_k and x: m_1 <= ... <= m_k in [0, 1] (mu = m / T, top plateau x = 1).
    T = 0: q_0 <= ... <= q_{k-1} < 1 and 0 < gamma_1 <= ... <= gamma_k. q_0 = 0 when h = 0.
    Parameters are mapped to unconstrained variables (softmax increments for q and m,
    log-increments for gamma) and optimised by L-BFGS-B with finite-difference gradients.
    Returns (breaks, mus, q, x_or_gamma, f).
    """
    free_q0 = h != 0.0
    n_q = (k + 1 if T > 0 else k) - (0 if free_q0 else 1)

    def unpack(u):
        q = _softmax_cumsum(np.concatenate([u[:n_q], [0.0]]))
        q = q if free_q0 else np.concatenate([[0.0], q])
        if T > 0:
            x = _softmax_cumsum(np.concatenate([u[n_q:], [0.0]]))
            mus = np.concatenate([[0.0], x / T, [1.0 / T]])
        else:
            x = np.cumsum(np.exp(u[n_q:]))
            mus = np.concatenate([[0.0], x])
        breaks = q
        if not free_q0:
            breaks, mus = q[1:], mus[1:]
        return breaks, mus, q, x

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
        breaks, mus, _, _ = unpack(u)
        return -functional(T, h, breaks, mus, grid)

    if q0 is None or x0 is None:
        q0, x0 = _initial_guess(T, h, k)
    res = optimize.minimize(
        objective, pack(q0, x0), method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-10, "maxiter": 2000}
    )
    breaks, mus, q, x = unpack(res.x)
    return breaks, mus, q, x, -res.fun


@functools.lru_cache(maxsize=256)
def _best_solution(T: float, h: float, k: int):
    """Optimise from a spread-out guess and from the split (k-1)-step optimum; keep the larger f.

    Memoised on (T, h, k): the solution for k reuses the one for k - 1, and chapters ask for the
    same points repeatedly. Callers must not modify the returned arrays.
    """
    grid = _Grid(h, T=T)
    best = _solve(T, h, k, grid)
    if k > 1:
        _, _, q_prev, x_prev, _ = _best_solution(T, h, k - 1)
        if T == 0:
            q_prev = q_prev[:-1] if q_prev.size > x_prev.size else q_prev
        q_start, x_start = _split(q_prev if T > 0 else np.append(q_prev, 1.0), x_prev, T)
        if T == 0:
            q_start = q_start[:-1]
        candidate = _solve(T, h, k, grid, q_start, x_start)
        if candidate[4] > best[4]:
            best = candidate
    return best


def parisi(T: float, h: float = 0.0, *, k: int = 1) -> ParisiSolution:
    """k-step replica-symmetry-breaking solution of the SK model at temperature T >= 0 and field h.

    Every parameter is optimised (the plateau values q_j and the breakpoints, x = m_j at T > 0
    or gamma_j = lim beta m_j at T = 0), except q_0 = 0 at h = 0 where symmetry fixes it.
    Energies per spin; the energy at T > 0 is f - T df/dT at the optimal (fixed) parameters.

    Examples
    --------
    >>> sol = parisi(0.0, k=1)
    >>> round(sol.energy, 6)  # one step of RSB at T = 0 (RS: -0.797885; full RSB: -0.763167)
    -0.768828
    """
    T = check_real(T, "T")
    if T < 0:
        raise ValueError(f"T must be >= 0, got {T}")
    h = check_real(h, "h")
    k = check_int(k, "k", minimum=1, maximum=8)
    breaks, mus, q, x, free = _best_solution(T, h, k)
    q, x = q.copy(), x.copy()
    if T == 0:
        return ParisiSolution(0.0, h, k, np.append(q, 1.0), np.zeros(k), free, free, gamma=x)
    # energy = f - T df/dT at the optimal (fixed) plateaus q_j and x_j: mu = x / T scales with 1/T
    grid = _Grid(h, T=T)
    dT = 1e-5 * T
    f_up = functional(T + dT, h, breaks, mus * T / (T + dT), grid)
    f_dn = functional(T - dT, h, breaks, mus * T / (T - dT), grid)
    entropy = -(f_up - f_dn) / (2 * dT)
    return ParisiSolution(T, h, k, q, x, free, free + T * entropy)
