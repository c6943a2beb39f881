"""Single-spin-flip Monte Carlo kernels (Metropolis and heat bath) with replica exchange.

Layout shared by every driver. ``spins`` (R, K, n) int8 holds R independent chains, each with
K configuration buffers; ``slot`` (R, K) says which buffer sits at temperature index k
(temperatures ascending, so k = 0 is the coldest). Every buffer carries its local fields
``fields`` (R, K, n) (h_i + sum_j J_ij s_j, updated after each accepted flip so that an
attempt reads two numbers), its total energy and magnetisation, and its own xoshiro256+
state in ``rng`` (R, K, 4); a replica exchange swaps slot entries, never arrays. Plain
Monte Carlo at one temperature is the case K = 1.

Per-sweep records for sweeps ``t_start <= t < t_stop`` go to preallocated arrays indexed by
temperature (the caller runs long simulations in chunks to report progress and write
checkpoints). ``rule`` is 0 for Metropolis, 1 for heat bath; ``random_order`` picks a
uniformly random site per attempt (detailed balance at every step) instead of the sequential
sweep 0..n-1 (which preserves the Boltzmann distribution too). Indices are cast to unsigned
integers so that Numba emits no negative-index wraparound code in the inner loops.
"""

import numpy as np
from numba import njit

from .._kernels import xoshiro_step

METROPOLIS = 0
HEAT_BATH = 1
_U32 = np.uint32
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53


@njit(cache=True, inline="always")
def _pick_site(step, n, random_order, s0, s1, s2, s3):
    """Site of this attempt: ``step`` in a sequential sweep, else uniform (Lemire's multiply-shift)."""
    if random_order:
        bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
        return _U32(((bits >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32)), s0, s1, s2, s3
    return _U32(step), s0, s1, s2, s3


@njit(cache=True, inline="always")
def _float_decision(spin, field, beta, rule, s0, s1, s2, s3):
    """Flip decision for a real local field (dE = 2 * spin * field)."""
    bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
    u = (bits >> np.uint64(11)) * _TO_UNIT
    if rule == METROPOLIS:
        delta = 2.0 * spin * field
        return delta <= 0.0 or u < np.exp(-beta * delta), s0, s1, s2, s3
    return (u < 1.0 / (1.0 + np.exp(-2.0 * beta * field))) != (spin > 0), s0, s1, s2, s3


@njit(cache=True, inline="always")
def _sweep_dense(J, config, local, beta, rule, random_order, state):
    """One sweep of a dense model; returns the change of total energy and magnetisation."""
    n = config.shape[0]
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    d_energy = 0.0
    d_magnet = 0
    for step in range(n):
        i, s0, s1, s2, s3 = _pick_site(step, n, random_order, s0, s1, s2, s3)
        s = config[i]
        flip, s0, s1, s2, s3 = _float_decision(s, local[i], beta, rule, s0, s1, s2, s3)
        if flip:
            d_energy += 2.0 * s * local[i]
            d_magnet -= 2 * s
            config[i] = -s
            change = -2.0 * s
            row = J[i]
            for j in range(n):
                local[j] += change * row[j]
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return d_energy, d_magnet


@njit(cache=True, inline="always")
def _sweep_lattice_float(neighbours, bonds, config, local, beta, rule, random_order, state):
    """One sweep of a lattice model with real couplings."""
    n = config.shape[0]
    z = _U32(neighbours.shape[1])
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    d_energy = 0.0
    d_magnet = 0
    for step in range(n):
        i, s0, s1, s2, s3 = _pick_site(step, n, random_order, s0, s1, s2, s3)
        s = config[i]
        flip, s0, s1, s2, s3 = _float_decision(s, local[i], beta, rule, s0, s1, s2, s3)
        if flip:
            d_energy += 2.0 * s * local[i]
            d_magnet -= 2 * s
            config[i] = -s
            change = -2.0 * s
            for k in range(z):
                local[neighbours[i, k]] += change * bonds[i, k]
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return d_energy, d_magnet


@njit(cache=True, inline="always")
def _sweep_lattice_table(neighbours, bonds, config, local, thresholds, offset, rule, random_order, state):
    """One sweep of a lattice model with integer couplings and fields, using acceptance tables.

    The local field f is an integer in [-offset, offset]. Metropolis flips when s*f <= 0
    (no random number drawn), else when a 64-bit random word is below
    ``thresholds[s*f + offset]`` (= exp(-2 beta s f) * 2**64); heat bath sets s = +1 when
    the word is below ``thresholds[f + offset]`` (= P(s = +1) * 2**64).
    """
    n = config.shape[0]
    z = _U32(neighbours.shape[1])
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    d_energy = 0
    d_magnet = 0
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
            d_energy += 2 * s * f
            d_magnet -= 2 * s
            config[i] = -s
            change = -2 * s
            for k in range(z):
                local[neighbours[i, k]] += change * bonds[i, k]
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return float(d_energy), d_magnet


@njit(cache=True)
def _exchange(t, swap_every, slot, energy, betas, swap_rng, swap_tries, swap_accepts, direction, round_trips):
    """Replica-exchange moves between neighbouring temperatures of every chain, after sweep t.

    A swap of the configurations at k and k + 1 is accepted with probability
    min(1, exp((beta_k - beta_{k+1}) (E_k - E_{k+1}))). ``direction`` remembers, per buffer, the
    last end of the temperature ladder it visited (+1 coldest, -1 hottest, 0 neither yet); a
    buffer that travels coldest -> hottest -> coldest completes a round trip.
    """
    chains, temps = slot.shape
    if temps < 2 or (t + 1) % swap_every != 0:
        return
    for r in range(chains):
        s0, s1, s2, s3 = swap_rng[r, 0], swap_rng[r, 1], swap_rng[r, 2], swap_rng[r, 3]
        for k in range(temps - 1):
            a = slot[r, k]
            b = slot[r, k + 1]
            log_ratio = (betas[k] - betas[k + 1]) * (energy[r, a] - energy[r, b])
            swap_tries[k] += 1
            accept = log_ratio >= 0.0
            if not accept:
                bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
                accept = (bits >> np.uint64(11)) * _TO_UNIT < np.exp(log_ratio)
            if accept:
                swap_accepts[k] += 1
                slot[r, k] = b
                slot[r, k + 1] = a
        swap_rng[r, 0], swap_rng[r, 1], swap_rng[r, 2], swap_rng[r, 3] = s0, s1, s2, s3
        coldest = slot[r, 0]
        hottest = slot[r, temps - 1]
        if direction[r, coldest] == -1:
            round_trips[r, coldest] += 1
        direction[r, coldest] = 1
        direction[r, hottest] = -1


@njit(cache=True)
def _record(t, spins, slot, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out):
    chains, temps, n = spins.shape
    for r in range(chains):
        for k in range(temps):
            b = slot[r, k]
            energies_out[r, k, t] = energy[r, b] / n
            magnets_out[r, k, t] = magnet[r, b] / n
            if states_out.shape[2] > 0:
                states_out[r, k, t, :] = spins[r, b]
    for p in range(pairs.shape[0]):
        ra = pairs[p, 0]
        rb = pairs[p, 1]
        for k in range(temps):
            x = spins[ra, slot[ra, k]]
            y = spins[rb, slot[rb, k]]
            acc = 0
            for i in range(n):
                acc += x[i] * y[i]
            overlaps_out[p, k, t] = acc / n


@njit(cache=True)
def dense_run(
    J,
    spins,
    fields,
    energy,
    magnet,
    rng,
    slot,
    betas,
    rule,
    random_order,
    t_start,
    t_stop,
    swap_every,
    swap_rng,
    swap_tries,
    swap_accepts,
    direction,
    round_trips,
    pairs,
    energies_out,
    magnets_out,
    overlaps_out,
    states_out,
):
    """Sweeps (and replica exchanges) of a dense model."""
    chains, temps, _ = spins.shape
    for t in range(t_start, t_stop):
        for r in range(chains):
            for k in range(temps):
                b = slot[r, k]
                de, dm = _sweep_dense(J, spins[r, b], fields[r, b], betas[k], rule, random_order, rng[r, b])
                energy[r, b] += de
                magnet[r, b] += dm
        _exchange(t, swap_every, slot, energy, betas, swap_rng, swap_tries, swap_accepts, direction, round_trips)
        _record(t, spins, slot, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out)


@njit(cache=True)
def lattice_run_float(
    neighbours,
    bonds,
    spins,
    fields,
    energy,
    magnet,
    rng,
    slot,
    betas,
    rule,
    random_order,
    t_start,
    t_stop,
    swap_every,
    swap_rng,
    swap_tries,
    swap_accepts,
    direction,
    round_trips,
    pairs,
    energies_out,
    magnets_out,
    overlaps_out,
    states_out,
):
    """Sweeps (and replica exchanges) of a lattice model with real couplings."""
    chains, temps, _ = spins.shape
    for t in range(t_start, t_stop):
        for r in range(chains):
            for k in range(temps):
                b = slot[r, k]
                de, dm = _sweep_lattice_float(
                    neighbours, bonds, spins[r, b], fields[r, b], betas[k], rule, random_order, rng[r, b]
                )
                energy[r, b] += de
                magnet[r, b] += dm
        _exchange(t, swap_every, slot, energy, betas, swap_rng, swap_tries, swap_accepts, direction, round_trips)
        _record(t, spins, slot, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out)


@njit(cache=True)
def lattice_run_table(
    neighbours,
    bonds,
    spins,
    fields,
    energy,
    magnet,
    rng,
    slot,
    betas,
    thresholds,
    offset,
    rule,
    random_order,
    t_start,
    t_stop,
    swap_every,
    swap_rng,
    swap_tries,
    swap_accepts,
    direction,
    round_trips,
    pairs,
    energies_out,
    magnets_out,
    overlaps_out,
    states_out,
):
    """Sweeps (and replica exchanges) of a lattice model with integer couplings (``thresholds`` (K, m))."""
    chains, temps, _ = spins.shape
    for t in range(t_start, t_stop):
        for r in range(chains):
            for k in range(temps):
                b = slot[r, k]
                de, dm = _sweep_lattice_table(
                    neighbours, bonds, spins[r, b], fields[r, b], thresholds[k], offset, rule, random_order, rng[r, b]
                )
                energy[r, b] += de
                magnet[r, b] += dm
        _exchange(t, swap_every, slot, energy, betas, swap_rng, swap_tries, swap_accepts, direction, round_trips)
        _record(t, spins, slot, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out)
