"""Energy and local-field kernels for dense and lattice models."""

import numpy as np
from numba import njit


@njit(cache=True)
def lattice_local_fields(spins, neighbours, bonds, field):
    """h_i = sum_k bonds[i, k] * s[neighbours[i, k]] + field[i] for each configuration row."""
    batch, n = spins.shape
    out = np.empty((batch, n), dtype=np.float64)
    for b in range(batch):
        for i in range(n):
            acc = field[i]
            for k in range(neighbours.shape[1]):
                acc += bonds[i, k] * spins[b, neighbours[i, k]]
            out[b, i] = acc
    return out


@njit(cache=True)
def lattice_energies(spins, neighbours, bonds, field):
    """Total energy -sum_{<ij>} J_ij s_i s_j - sum_i h_i s_i of each configuration row."""
    batch, n = spins.shape
    out = np.empty(batch, dtype=np.float64)
    for b in range(batch):
        bond_sum = 0.0
        field_sum = 0.0
        for i in range(n):
            acc = 0.0
            for k in range(neighbours.shape[1]):
                acc += bonds[i, k] * spins[b, neighbours[i, k]]
            bond_sum += acc * spins[b, i]
            field_sum += field[i] * spins[b, i]
        out[b] = -0.5 * bond_sum - field_sum
    return out
