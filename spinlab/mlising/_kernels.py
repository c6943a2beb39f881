"""Samplers of the ferromagnetic Ising model (J = 1, h = 0) on any lattice given by a neighbour table.

``neighbours`` (n, z) int64 lists the z neighbours of every site; a bond appears twice (once from each end).
Every kernel advances a xoshiro256+ ``state`` (four uint64 words) in place.

* :func:`wolff_cluster` grows one Wolff cluster from a uniformly random seed site, adding each aligned
  neighbour with probability ``p_add = 1 - exp(-2 beta)``, and flips it (rejection-free).
* :func:`metropolis_sweep` is one sequential Metropolis sweep with the acceptance ``accept[s * f + z]``
  (f = sum of the neighbouring spins) precomputed as ``min(1, exp(-2 beta s f))``.
* :func:`sample_chain` equilibrates one chain and records ``configs`` with ``sweeps`` sweeps between
  records; for Wolff a "sweep" is a fixed number of clusters that flips n spins on average.
"""

import numpy as np
from numba import njit

from .._kernels import next_double, next_uint64

WOLFF = 0
METROPOLIS = 1


@njit(cache=True)
def wolff_cluster(spins, neighbours, p_add, state, stack):
    """Grow and flip one Wolff cluster; returns its size. ``stack`` is scratch space of length n."""
    n = spins.shape[0]
    z = neighbours.shape[1]
    seed = np.int64(((next_uint64(state) >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32))
    old = spins[seed]
    spins[seed] = -old
    stack[0] = seed
    top = 1
    size = 1
    while top > 0:
        top -= 1
        i = stack[top]
        for k in range(z):
            j = neighbours[i, k]
            if spins[j] == old and next_double(state) < p_add:
                spins[j] = -old
                stack[top] = j
                top += 1
                size += 1
    return size


@njit(cache=True)
def metropolis_sweep(spins, neighbours, accept, state):
    """One sequential Metropolis sweep over sites 0..n-1."""
    n = spins.shape[0]
    z = neighbours.shape[1]
    for i in range(n):
        s = spins[i]
        f = 0
        for k in range(z):
            f += spins[neighbours[i, k]]
        x = s * f
        if x <= 0 or next_double(state) < accept[x + z]:
            spins[i] = -s


@njit(cache=True)
def energy_and_magnetization(spins, neighbours):
    """Energy per spin -(1/n) sum_<ij> s_i s_j and magnetisation per spin of one configuration."""
    n = spins.shape[0]
    z = neighbours.shape[1]
    bonds = 0
    total = 0
    for i in range(n):
        s = spins[i]
        total += s
        for k in range(z):
            bonds += s * spins[neighbours[i, k]]
    return -0.5 * bonds / n, total / n


@njit(cache=True)
def _burn_in(spins, neighbours, algorithm, p_add, accept, sweeps, state, stack):
    """``sweeps`` sweeps (Wolff: clusters until >= n spins flipped per sweep); returns the mean cluster size."""
    n = spins.shape[0]
    clusters = 0
    flipped = 0
    for _ in range(sweeps):
        if algorithm == WOLFF:
            target = flipped + n
            while flipped < target:
                flipped += wolff_cluster(spins, neighbours, p_add, state, stack)
                clusters += 1
        else:
            metropolis_sweep(spins, neighbours, accept, state)
    return flipped / max(clusters, 1)


@njit(cache=True)
def sample_chain(
    spins, neighbours, beta, algorithm, burn_in, sweeps, global_flip, state, configs, energy, magnetization
):
    """Equilibrate ``spins`` for ``burn_in`` sweeps, then record len(configs) samples ``sweeps`` apart.

    For Wolff, the burn-in measures the mean cluster size c, and the recording phase grows a FIXED number
    ``ceil(sweeps * n / c)`` of clusters between records: stopping after a number of clusters that depends
    on their sizes would bias the recorded configurations (the last cluster of a sweep is size-biased).
    With ``global_flip``, every record is preceded by a flip of all spins with probability 1/2, a move that
    keeps the Boltzmann distribution (h = 0) and gives both signs of m equal weight even where the updates
    cannot reverse the magnetisation (Metropolis below T_c, Wolff with an even number of lattice-wide clusters).
    Returns that number of clusters per record (0 for Metropolis).
    """
    n = spins.shape[0]
    z = neighbours.shape[1]
    p_add = 1.0 - np.exp(-2.0 * beta)
    accept = np.empty(2 * z + 1)
    for x in range(-z, z + 1):
        accept[x + z] = min(1.0, np.exp(-2.0 * beta * x))
    stack = np.empty(n, dtype=np.int64)
    mean_size = _burn_in(spins, neighbours, algorithm, p_add, accept, max(burn_in, 1), state, stack)
    per_record = 0
    if algorithm == WOLFF:
        per_record = max(1, np.int64(np.ceil(sweeps * n / mean_size)))
    for t in range(configs.shape[0]):
        if algorithm == WOLFF:
            for _ in range(per_record):
                wolff_cluster(spins, neighbours, p_add, state, stack)
        else:
            for _ in range(sweeps):
                metropolis_sweep(spins, neighbours, accept, state)
        if global_flip and next_double(state) < 0.5:
            for i in range(n):
                spins[i] = -spins[i]
        configs[t] = spins
        energy[t], magnetization[t] = energy_and_magnetization(spins, neighbours)
    return per_record
