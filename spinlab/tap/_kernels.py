"""Numba kernels of :mod:`spinlab.tap`: zero-temperature quenches that seed the TAP solver.

Everything BLAS-shaped (the damped TAP iteration over a batch of starts, AMP, Newton steps) stays in
numpy, where matrix products are already optimal; only the spin-by-spin quench loop is compiled.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def quench(J, h, spins):
    """Greedy single-spin-flip descent to a one-spin-flip-stable state, in place, for every row.

    Sites are swept in order 0..n-1; a spin is flipped whenever it points against its local field
    h_i + sum_j J_ij s_j (strictly), and sweeps repeat until a whole sweep flips nothing. Each flip
    lowers the energy, so the loop ends. Returns the number of sweeps of each row.

    Parameters
    ----------
    J : (n, n) float64, symmetric, zero diagonal
    h : (n,) float64
    spins : (k, n) int8, overwritten with the quenched configurations
    """
    k, n = spins.shape
    sweeps = np.zeros(k, dtype=np.int64)
    field = np.empty(n)
    for row in range(k):
        for i in range(n):
            acc = h[i]
            for j in range(n):
                acc += J[i, j] * spins[row, j]
            field[i] = acc
        changed = True
        while changed:
            changed = False
            sweeps[row] += 1
            for i in range(n):
                if spins[row, i] * field[i] < 0.0:
                    spins[row, i] = -spins[row, i]
                    delta = 2.0 * spins[row, i]
                    for j in range(n):
                        field[j] += delta * J[j, i]
                    changed = True
    return sweeps
