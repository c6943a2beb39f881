"""Single-spin-flip Monte Carlo kernels (Metropolis and heat bath).

All drivers share one layout: ``spins`` (R, n) int8 replicas and ``fields`` (R, n) local
fields h_i + sum_j J_ij s_j, both updated in place (the fields after every accepted flip,
so an attempt reads two numbers); one xoshiro256+ state per replica in ``rng`` (R, 4)
uint64; per-sweep records for sweeps ``t_start <= t < t_stop`` written to preallocated arrays
(the caller runs long simulations in chunks to report progress). ``rule`` is 0 for Metropolis,
1 for heat bath; ``random_order`` picks a uniformly random site per attempt (detailed
balance at every step) instead of the sequential sweep 0..n-1 (which preserves the
Boltzmann distribution too). Indices are cast to unsigned integers so that Numba emits no
negative-index wraparound code in the inner loops.
"""

import numpy as np
from numba import njit

from .._kernels import xoshiro_step

METROPOLIS = 0
HEAT_BATH = 1
_U32 = np.uint32


@njit(cache=True)
def _record(t, spins, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out):
    replicas, n = spins.shape
    for r in range(replicas):
        energies_out[r, t] = energy[r] / n
        magnets_out[r, t] = magnet[r] / n
        if states_out.shape[1] > 0:
            states_out[r, t, :] = spins[r]
    for p in range(pairs.shape[0]):
        a = pairs[p, 0]
        b = pairs[p, 1]
        acc = 0
        for i in range(n):
            acc += spins[a, i] * spins[b, i]
        overlaps_out[p, t] = acc / n


@njit(cache=True, inline="always")
def _pick_site(step, n, random_order, s0, s1, s2, s3):
    """Site of this attempt: ``step`` in a sequential sweep, else uniform (Lemire's multiply-shift)."""
    if random_order:
        bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
        return _U32(((bits >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32)), s0, s1, s2, s3
    return _U32(step), s0, s1, s2, s3


@njit(cache=True)
def dense_run(
    J,
    spins,
    fields,
    energy,
    magnet,
    rng,
    beta,
    rule,
    random_order,
    t_start,
    t_stop,
    pairs,
    energies_out,
    magnets_out,
    overlaps_out,
    states_out,
):
    """Sweeps of a dense model: fields of all n spins change when one spin flips (row J[i])."""
    replicas, n = spins.shape
    for t in range(t_start, t_stop):
        for r in range(replicas):
            s0, s1, s2, s3 = rng[r, 0], rng[r, 1], rng[r, 2], rng[r, 3]
            config = spins[r]
            local = fields[r]
            for step in range(n):
                i, s0, s1, s2, s3 = _pick_site(step, n, random_order, s0, s1, s2, s3)
                s = config[i]
                delta = 2.0 * s * local[i]
                bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
                u = (bits >> np.uint64(11)) * (1.0 / 9007199254740992.0)
                if rule == METROPOLIS:
                    flip = delta <= 0.0 or u < np.exp(-beta * delta)
                else:
                    flip = (u < 1.0 / (1.0 + np.exp(-2.0 * beta * local[i]))) != (s > 0)
                if flip:
                    energy[r] += delta
                    magnet[r] -= 2 * s
                    config[i] = -s
                    change = -2.0 * s
                    row = J[i]
                    for j in range(n):
                        local[j] += change * row[j]
            rng[r, 0], rng[r, 1], rng[r, 2], rng[r, 3] = s0, s1, s2, s3
        _record(t, spins, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out)


@njit(cache=True)
def lattice_run_float(
    neighbours,
    bonds,
    spins,
    fields,
    energy,
    magnet,
    rng,
    beta,
    rule,
    random_order,
    t_start,
    t_stop,
    pairs,
    energies_out,
    magnets_out,
    overlaps_out,
    states_out,
):
    """Sweeps of a lattice model with real couplings; a flip updates the fields of its z neighbours."""
    replicas, n = spins.shape
    z = _U32(neighbours.shape[1])
    for t in range(t_start, t_stop):
        for r in range(replicas):
            s0, s1, s2, s3 = rng[r, 0], rng[r, 1], rng[r, 2], rng[r, 3]
            config = spins[r]
            local = fields[r]
            for step in range(n):
                i, s0, s1, s2, s3 = _pick_site(step, n, random_order, s0, s1, s2, s3)
                s = config[i]
                delta = 2.0 * s * local[i]
                bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
                u = (bits >> np.uint64(11)) * (1.0 / 9007199254740992.0)
                if rule == METROPOLIS:
                    flip = delta <= 0.0 or u < np.exp(-beta * delta)
                else:
                    flip = (u < 1.0 / (1.0 + np.exp(-2.0 * beta * local[i]))) != (s > 0)
                if flip:
                    energy[r] += delta
                    magnet[r] -= 2 * s
                    config[i] = -s
                    change = -2.0 * s
                    for k in range(z):
                        local[neighbours[i, k]] += change * bonds[i, k]
            rng[r, 0], rng[r, 1], rng[r, 2], rng[r, 3] = s0, s1, s2, s3
        _record(t, spins, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out)


@njit(cache=True)
def lattice_run_table(
    neighbours,
    bonds,
    spins,
    fields,
    energy,
    magnet,
    rng,
    thresholds,
    offset,
    rule,
    random_order,
    t_start,
    t_stop,
    pairs,
    energies_out,
    magnets_out,
    overlaps_out,
    states_out,
):
    """Sweeps of a lattice model with integer couplings and fields, using acceptance tables.

    The local field f is an integer in [-offset, offset]. Metropolis flips when s*f <= 0
    (no random number drawn), else when a 64-bit random word is below
    ``thresholds[s*f + offset]`` (= exp(-2 beta s f) * 2**64); heat bath sets s = +1 when
    the word is below ``thresholds[f + offset]`` (= P(s = +1) * 2**64).
    """
    replicas, n = spins.shape
    z = _U32(neighbours.shape[1])
    for t in range(t_start, t_stop):
        for r in range(replicas):
            s0, s1, s2, s3 = rng[r, 0], rng[r, 1], rng[r, 2], rng[r, 3]
            config = spins[r]
            local = fields[r]
            for step in range(n):
                i, s0, s1, s2, s3 = _pick_site(step, n, random_order, s0, s1, s2, s3)
                s = config[i]
                f = local[i]
                if rule == METROPOLIS:
                    x = s * f
                    if x <= 0:
                        flip = True
                    else:
                        bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
                        flip = bits < thresholds[_U32(x + offset)]
                else:
                    bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
                    flip = (bits < thresholds[_U32(f + offset)]) != (s > 0)
                if flip:
                    energy[r] += 2.0 * s * f
                    magnet[r] -= 2 * s
                    config[i] = -s
                    change = -2 * s
                    for k in range(z):
                        local[neighbours[i, k]] += change * bonds[i, k]
            rng[r, 0], rng[r, 1], rng[r, 2], rng[r, 3] = s0, s1, s2, s3
        _record(t, spins, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out)
