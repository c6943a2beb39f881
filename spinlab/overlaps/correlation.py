"""Spin-glass correlation length of lattice models from the Fourier transform of the overlap field.

For two replicas a, b the local overlap is q_i = s^a_i s^b_i and its Fourier mode
q(k) = (1/N) sum_i q_i exp(i k . r_i). With chi(k) = N [<|q(k)|^2>], the second-moment
correlation length on an L^d torus is

    xi_L = sqrt(chi(0) / chi(k_min) - 1) / (2 sin(k_min / 2)),   k_min = 2 pi / L,

(averaged over the d directions of k_min). xi_L / L is dimensionless at Tc, so the curves of
different sizes cross there, with weaker corrections to scaling than the Binder cumulant.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_int
from .estimators import Estimate, jackknife


def fourier_susceptibilities(states_a, states_b, L: int, d: int) -> np.ndarray:
    """Thermal averages (chi(0), chi(k_min)) of one sample from paired configurations (m, L**d).

    Examples
    --------
    >>> s = np.ones((3, 16), dtype=np.int8)  # identical ordered replicas: all weight at k = 0
    >>> fourier_susceptibilities(s, s, 4, 2).round(6).tolist()
    [16.0, 0.0]
    """
    L = check_int(L, "L", minimum=2)
    d = check_int(d, "d", minimum=1, maximum=3)
    a = np.asarray(states_a)
    b = np.asarray(states_b)
    n = L**d
    if a.shape != b.shape or a.ndim != 2 or a.shape[1] != n:
        raise ValueError(f"states_a and states_b must both have shape (m, {n}), got {a.shape} and {b.shape}")
    q = (a.astype(np.float64) * b).reshape(a.shape[0], *([L] * d)[::-1])  # axes (..., y, x): x = site % L
    chi0 = np.mean(np.abs(q.sum(axis=tuple(range(1, d + 1)))) ** 2) / n
    phase = np.exp(2j * np.pi * np.arange(L) / L)
    chik = 0.0
    for axis in range(d):
        shape = [1] * (d + 1)
        shape[d - axis] = L
        mode = (q * phase.reshape(shape)).sum(axis=tuple(range(1, d + 1)))
        chik += np.mean(np.abs(mode) ** 2) / n
    return np.array([chi0, chik / d])


def correlation_length(susceptibilities, L: int) -> Estimate:
    """xi_L / L from per-sample (chi(0), chi(k_min)) pairs, shape (samples, 2), with a jackknife error."""
    L = check_int(L, "L", minimum=2)
    data = np.asarray(susceptibilities, dtype=np.float64)
    if data.ndim != 2 or data.shape[1] != 2:
        raise ValueError(f"susceptibilities must have shape (samples, 2), got {data.shape}")
    scale = 2.0 * np.sin(np.pi / L) * L
    return jackknife(data, lambda m: np.sqrt(max(m[0] / m[1] - 1.0, 0.0)) / scale)
