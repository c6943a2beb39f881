"""Numba kernels of the coherent-Ising-machine amplitude equations (Euler–Maruyama, many runs at once).

Couplings come as a padded neighbour table: row i lists the columns ``neighbours[i, :]`` of the nonzero
J_ij and their values ``weights[i, :]`` (padding entries have weight 0 and point at i itself), so dense and
lattice models share one kernel and a step costs one pass over the nonzero couplings.
"""

import numpy as np
from numba import njit

from .._kernels import next_double

_TWO_PI = 2.0 * np.pi


@njit(cache=True)
def fill_normal(state, out):
    """Fill ``out`` with independent standard normal draws (Box–Muller on the xoshiro stream ``state``)."""
    n = out.size
    i = 0
    while i < n:
        u1 = 1.0 - next_double(state)  # in (0, 1]: log is finite
        u2 = next_double(state)
        radius = np.sqrt(-2.0 * np.log(u1))
        out[i] = radius * np.cos(_TWO_PI * u2)
        if i + 1 < n:
            out[i + 1] = radius * np.sin(_TWO_PI * u2)
        i += 2


@njit(cache=True)
def fields_into(neighbours, weights, h, v, out):
    """out_i = h_i + sum_j J_ij v_j for a real vector v (amplitudes or spins)."""
    n, k = neighbours.shape
    for i in range(n):
        acc = h[i]
        for a in range(k):
            acc += weights[i, a] * v[neighbours[i, a]]
        out[i] = acc


@njit(cache=True)
def sign_energy(neighbours, weights, h, x, spins):
    """Energy per spin of the configuration s = sign(x) (s = +1 where x >= 0); fills ``spins``."""
    n, k = neighbours.shape
    for i in range(n):
        spins[i] = 1.0 if x[i] >= 0.0 else -1.0
    total = 0.0
    for i in range(n):
        coupling = 0.0
        for a in range(k):
            coupling += weights[i, a] * spins[neighbours[i, a]]
        total -= spins[i] * (0.5 * coupling + h[i])
    return total / n


@njit(cache=True)
def cim_runs(
    neighbours,
    weights,
    h,
    x,
    e,
    pump,
    dt,
    eps,
    sigma,
    beta,
    target,
    feedback,
    rng,
    record_every,
    trace,
    amplitudes,
    best_energy,
    best_spins,
):
    """Integrate every run r of dx/dt = (p(t) - 1 - x^2) x + eps e (J x + h) + sigma dW/dt in place.

    x, e : (runs, n) amplitudes and feedback weights (e stays 1 unless ``feedback``; with it
    de/dt = -beta (x^2 - target) e). Step t uses pump[t] and the state before the step for every term
    (synchronous Euler–Maruyama, increment sqrt(dt) sigma N(0, 1)). After steps record_every,
    2 record_every, ... the energy per spin of sign(x) goes to trace[r, m] and, when amplitudes has
    records, x goes to amplitudes[r, m]. best_energy[r], best_spins[r] keep the lowest recorded energy.
    Returns False if an amplitude became non-finite (the step was too large).
    """
    runs, n = x.shape
    steps = pump.size
    keep_amplitudes = amplitudes.shape[1] > 0
    field = np.empty(n)
    noise = np.zeros(n)
    spins = np.empty(n)
    root_dt = np.sqrt(dt)
    for r in range(runs):
        xr = x[r]
        er = e[r]
        state = rng[r]
        best_energy[r] = np.inf
        m = 0
        for t in range(steps):
            fields_into(neighbours, weights, h, xr, field)
            if sigma > 0.0:
                fill_normal(state, noise)
            gain = pump[t] - 1.0
            for i in range(n):
                xi = xr[i]
                drift = (gain - xi * xi) * xi + eps * er[i] * field[i]
                xr[i] = xi + dt * drift + sigma * root_dt * noise[i]
                if feedback:
                    er[i] -= dt * beta * (xi * xi - target) * er[i]
            if (t + 1) % record_every == 0:
                for i in range(n):
                    if not np.isfinite(xr[i]):
                        return False
                energy = sign_energy(neighbours, weights, h, xr, spins)
                trace[r, m] = energy
                if keep_amplitudes:
                    amplitudes[r, m] = xr
                if energy < best_energy[r]:
                    best_energy[r] = energy
                    for i in range(n):
                        best_spins[r, i] = np.int8(spins[i])
                m += 1
        for i in range(n):
            if not np.isfinite(xr[i]):
                return False
    return True
