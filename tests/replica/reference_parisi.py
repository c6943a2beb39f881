"""Independent reference for the Parisi functional: cubic splines on a y-grid and Gauss–Legendre
quadrature split at the kink of Phi (slow, accurate to ~1e-9). The package's fast trapezoid/adjoint
kernel (spinlab.replica._kernels) is tested against it."""

import numpy as np
from scipy import interpolate, special

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
