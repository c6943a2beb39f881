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

Sequential Metropolis on a dense model draws its numbers differently: word 0 of the buffer's
``rng`` row is a SplitMix64 counter, and each sweep starts by turning n draws into thresholds
(:func:`_metropolis_thresholds`, vectorised), so that an attempt is one comparison.
"""

import numpy as np
from numba import njit

from .._kernels import SPLITMIX_GAMMA, bits_float, float_bits, splitmix_mix, xoshiro_step

METROPOLIS = 0
HEAT_BATH = 1
_U32 = np.uint32
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53
# exp(-k / _EXP_STEPS) for k = 0 .. _EXP_LIMIT * _EXP_STEPS: brackets exp(-x) between two table entries so
# that most Metropolis decisions need no call to exp (the exact value is computed only when the
# uniform number falls between the brackets, with probability below 1 / _EXP_STEPS).
_EXP_STEPS = 64
_EXP_LIMIT = 40
_EXP_TABLE = np.exp(-np.arange(_EXP_LIMIT * _EXP_STEPS + 2) / _EXP_STEPS)
# The same brackets as integers: for a 53-bit integer w, w * 2**-53 < t exactly when w < ceil(t * 2**53)
# (t * 2**53 is exact), so the integer comparisons below take the same decisions as the float ones.
_EXP_THRESHOLDS = np.ceil(_EXP_TABLE * 2.0**53).astype(np.uint64)
_LN2 = float(np.log(2.0))
_SQRT2 = float(np.sqrt(2.0))
_MANTISSA = np.uint64((1 << 52) - 1)
_EXPONENT_OF_ONE = np.uint64(1023 << 52)
_THRESHOLD_SLACK = 1e-7  # bound on the error of the vectorised -ln u (3e-8) with margin


@njit(cache=True, inline="always")
def _pick_site(step, n, random_order, s0, s1, s2, s3):
    """Site of this attempt: ``step`` in a sequential sweep, else uniform (Lemire's multiply-shift)."""
    if random_order:
        bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
        return _U32(((bits >> np.uint64(32)) * np.uint64(n)) >> np.uint64(32)), s0, s1, s2, s3
    return _U32(step), s0, s1, s2, s3


@njit(cache=True, inline="always")
def _float_decision(spin, field, beta, rule, s0, s1, s2, s3):
    """Flip decision for a real local field (dE = 2 * spin * field).

    Metropolis: downhill moves flip without a random number; uphill moves compare a uniform
    u = w * 2**-53 (w the top 53 random bits) with exp(-x), x = beta dE, first against the
    bracketing table entries as integers (exact decision unless u falls between them), then
    against exp itself. ``y = 64 x`` is formed as (±128 beta) * field, which rounds exactly like
    x (scaling by a power of two is exact), so ``int(y)`` indexes the table without a division.
    """
    if rule == METROPOLIS:
        scale = 2.0 * _EXP_STEPS * beta
        y = (scale if spin > 0 else -scale) * field
        if y <= 0.0:
            return True, s0, s1, s2, s3
        bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
        w = bits >> np.uint64(11)
        if y < _EXP_LIMIT * _EXP_STEPS:
            k = _U32(y)  # unsigned: no negative-index wraparound code
            if w < _EXP_THRESHOLDS[k + _U32(1)]:
                return True, s0, s1, s2, s3
            if w >= _EXP_THRESHOLDS[k]:
                return False, s0, s1, s2, s3
        return w * _TO_UNIT < np.exp(-(y / _EXP_STEPS)), s0, s1, s2, s3
    bits, s0, s1, s2, s3 = xoshiro_step(s0, s1, s2, s3)
    u = (bits >> np.uint64(11)) * _TO_UNIT
    return (u < 1.0 / (1.0 + np.exp(-2.0 * beta * field))) != (spin > 0), s0, s1, s2, s3


@njit(cache=True, inline="always")
def _twos(local):
    """(2, -2) in the precision of the local fields: the factor -2 s of a flip, exact, that keeps
    float32 loops in float32."""
    twos = np.empty(2, dtype=local.dtype)
    twos[0] = 2.0
    twos[1] = -2.0
    return twos


@njit(cache=True, inline="always")
def _add_row(J, local, i, change):
    """local += change * J[i] after a flip of spin i (change = -2 s_i, a power of two: exact products).

    J[i, j] is indexed in place: a row view would cost a reference-count increment per flip and a
    decrement per attempt. One loop for both signs: a branch on the sign of the flipped spin would
    be mispredicted half the time.
    """
    for j in range(local.shape[0]):
        local[j] += change * J[i, j]


@njit(cache=True, inline="always")
def _sweep_dense(J, config, local, beta, rule, random_order, state, twos):
    """One sweep of a dense model (``twos`` = :func:`_twos`); returns the change of total energy and
    magnetisation."""
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
            _add_row(J, local, i, twos[1] if s > 0 else twos[0])
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
def _record(t, spins, slot, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out, stride):
    chains, temps, n = spins.shape
    for r in range(chains):
        for k in range(temps):
            b = slot[r, k]
            energies_out[r, k, t] = energy[r, b] / n
            magnets_out[r, k, t] = magnet[r, b] / n
            if states_out.shape[2] > 0 and (t + 1) % stride == 0:
                states_out[r, k, (t + 1) // stride - 1, :] = spins[r, b]
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


@njit(cache=True, inline="always")
def _finish_sweep(t, state, betas, exchange, records):
    """Replica exchange and records after sweep t (``state``, ``exchange`` and ``records`` as in the drivers).

    Inlined into the drivers, with the exchange and the overlap/configuration records called only
    when there is something to do: a call per sweep with all these arrays costs ~1 ns per attempt at n = 256.
    """
    spins, _, energy, magnet, _, slot = state
    swap_every, swap_rng, swap_tries, swap_accepts, direction, round_trips = exchange
    pairs, energies_out, magnets_out, overlaps_out, states_out, stride = records
    chains, temps, n = spins.shape
    if temps > 1:
        _exchange(t, swap_every, slot, energy, betas, swap_rng, swap_tries, swap_accepts, direction, round_trips)
    if pairs.shape[0] > 0 or states_out.shape[2] > 0:
        _record(t, spins, slot, energy, magnet, pairs, energies_out, magnets_out, overlaps_out, states_out, stride)
        return
    for r in range(chains):
        for k in range(temps):
            b = slot[r, k]
            energies_out[r, k, t] = energy[r, b] / n
            magnets_out[r, k, t] = magnet[r, b] / n


# The three drivers share one layout:
#   state    = (spins, fields, energy, magnet, rng, slot)
#   exchange = (swap_every, swap_rng, swap_tries, swap_accepts, direction, round_trips)
#   records  = (pairs, energies_out, magnets_out, overlaps_out, states_out, stride)
# (configurations are stored after every ``stride``-th sweep when states_out is not empty)
# and differ only in the sweep they call (Numba types every branch of a runtime switch, so a
# single driver would have to type-check each sweep against every coupling layout).


@njit(cache=True, inline="always")
def _uniform_from_counter(counter, i):
    """u_i = (w_i + 1) 2**-53 in (0, 1], w_i the top 53 bits of SplitMix64 output i + 1 from ``counter``."""
    w = splitmix_mix(counter + np.uint64(i + 1) * SPLITMIX_GAMMA) >> np.uint64(11)
    return np.float64(w + np.uint64(1)) * _TO_UNIT


@njit(cache=True, inline="always")
def _metropolis_thresholds(counter, beta, theta):
    """theta[i] = (E_i + slack) / (2 beta), upper bounds on the thresholds of the n exponential
    variates E_i = -ln u_i of one sweep.

    u_i as in :func:`_uniform_from_counter`. The logarithm is computed here, to a known accuracy,
    so that the loop vectorises: u = m 2**e with m in [1/sqrt 2, sqrt 2) read from the bits of
    the double, and ln m = 2 atanh(t), t = (m - 1)/(m + 1), |t| < 0.1716, summed to t**7: the
    neglected terms are below 3e-8 in E (``_THRESHOLD_SLACK`` with margin), and attempts that
    close to their threshold are decided exactly by the sweep.
    """
    scale = -0.5 / beta
    slack = _THRESHOLD_SLACK * 0.5 / beta
    for i in range(theta.shape[0]):
        b = float_bits(_uniform_from_counter(counter, i))
        m = bits_float((b & _MANTISSA) | _EXPONENT_OF_ONE)
        e = np.int64(b >> np.uint64(52)) - 1023
        high = m > _SQRT2
        m = 0.5 * m if high else m
        e = e + 1 if high else e
        t = (m - 1.0) / (m + 1.0)
        z = t * t
        theta[i] = (e * _LN2 + 2.0 * t * (1.0 + z * (1 / 3 + z * (1 / 5 + z * (1 / 7))))) * scale + slack


@njit(cache=True, inline="always")
def _sweep_dense_metropolis(J, config, local, beta, state, theta, twos):
    """Sequential Metropolis sweep of a dense model with its thresholds drawn first.

    Site i flips when s_i h_i <= E_i / (2 beta), E_i = -ln u_i, i.e. with probability
    min(1, exp(-2 beta s_i h_i)). Against the vectorised upper bounds ``theta`` most attempts are
    one comparison (a rejection); within twice the slack below them (probability ~1e-7) the
    exact -ln u_i decides. ``state[0]`` is the SplitMix64 counter (advanced by n); ``twos`` is
    :func:`_twos`.
    """
    n = config.shape[0]
    counter = state[0]
    _metropolis_thresholds(counter, beta, theta)
    state[0] = counter + np.uint64(n) * SPLITMIX_GAMMA
    scale = 0.5 / beta
    band = 2.0 * _THRESHOLD_SLACK * scale
    d_energy = 0.0
    d_magnet = 0
    for step in range(n):
        i = _U32(step)
        s = config[i]
        field = np.float64(local[i])
        x = field if s > 0 else -field
        if x > theta[i]:
            continue
        if x > theta[i] - band and x > -np.log(_uniform_from_counter(counter, step)) * scale:
            continue
        d_energy += 2.0 * x
        d_magnet -= 2 * s
        config[i] = -s
        _add_row(J, local, i, twos[1] if s > 0 else twos[0])
    return d_energy, d_magnet


@njit(cache=True, error_model="numpy")  # no zero-division checks: they would stop the vectorisation
def _dense_chain(J, config, local, beta, rng, energy, magnet, energies_out, magnets_out, t_start, t_stop):
    """Sequential Metropolis sweeps t_start..t_stop of one chain with nothing to do between sweeps
    but record its energy and magnetisation per spin; returns the final totals.

    The tight loop of the common single-temperature run (the general driver's per-sweep
    bookkeeping costs about 0.5 ns per attempt at n = 256).
    """
    n = config.shape[0]
    theta = np.empty(n)
    twos = _twos(local)
    for t in range(t_start, t_stop):
        de, dm = _sweep_dense_metropolis(J, config, local, beta, rng, theta, twos)
        energy += de
        magnet += dm
        energies_out[t] = energy / n
        magnets_out[t] = magnet / n
    return energy, magnet


@njit(cache=True, error_model="numpy")  # as _dense_chain
def dense_run(J, state, betas, rule, random_order, t_start, t_stop, exchange, records):
    """Sweeps (and replica exchanges) of a dense model."""
    spins, fields, energy, magnet, rng, slot = state
    plain = rule == METROPOLIS and not random_order
    pairs, energies_out, magnets_out, _, states_out, _ = records
    if plain and spins.shape[1] == 1 and pairs.shape[0] == 0 and states_out.shape[2] == 0:
        for r in range(spins.shape[0]):  # one temperature, nothing shared between chains: one chain at a time
            config, local, out_e, out_m = spins[r, 0], fields[r, 0], energies_out[r, 0], magnets_out[r, 0]
            totals = _dense_chain(
                J, config, local, betas[0], rng[r, 0], energy[r, 0], magnet[r, 0], out_e, out_m, t_start, t_stop
            )
            energy[r, 0], magnet[r, 0] = totals
        return
    theta = np.empty(spins.shape[2])
    twos = _twos(fields)
    for t in range(t_start, t_stop):
        for r in range(spins.shape[0]):
            for k in range(spins.shape[1]):
                b = slot[r, k]
                if plain:
                    de, dm = _sweep_dense_metropolis(J, spins[r, b], fields[r, b], betas[k], rng[r, b], theta, twos)
                else:
                    de, dm = _sweep_dense(J, spins[r, b], fields[r, b], betas[k], rule, random_order, rng[r, b], twos)
                energy[r, b] += de
                magnet[r, b] += dm
        _finish_sweep(t, state, betas, exchange, records)


@njit(cache=True)
def lattice_run_float(neighbours, bonds, state, betas, rule, random_order, t_start, t_stop, exchange, records):
    """Sweeps (and replica exchanges) of a lattice model with real couplings."""
    spins, fields, energy, magnet, rng, slot = state
    for t in range(t_start, t_stop):
        for r in range(spins.shape[0]):
            for k in range(spins.shape[1]):
                b = slot[r, k]
                config, local = spins[r, b], fields[r, b]
                de, dm = _sweep_lattice_float(neighbours, bonds, config, local, betas[k], rule, random_order, rng[r, b])
                energy[r, b] += de
                magnet[r, b] += dm
        _finish_sweep(t, state, betas, exchange, records)


@njit(cache=True)
def lattice_run_table(
    neighbours, bonds, state, betas, thresholds, offset, rule, random_order, t_start, t_stop, exchange, records
):
    """Sweeps (and replica exchanges) of a lattice model with integer couplings (``thresholds`` (K, m))."""
    spins, fields, energy, magnet, rng, slot = state
    for t in range(t_start, t_stop):
        for r in range(spins.shape[0]):
            for k in range(spins.shape[1]):
                b = slot[r, k]
                config, local, table = spins[r, b], fields[r, b], thresholds[k]
                de, dm = _sweep_lattice_table(
                    neighbours, bonds, config, local, table, offset, rule, random_order, rng[r, b]
                )
                energy[r, b] += de
                magnet[r, b] += dm
        _finish_sweep(t, state, betas, exchange, records)


# --- multispin coding: 64 systems per uint64 word ---------------------------------------------
#
# A site holds W words side by side: ``spins[i, w]`` (n, W), word w = g * replicas + r for group g of
# 64 systems and replica word r. Bit l of a word is lane l (1 <=> s = +1); bit l of
# ``couplings[i * z + k, w]`` is 1 when the coupling of site i to its neighbour k is -1 in lane l
# (the same for every replica word of a group). A bond is unsatisfied (J s_i s_j < 0) exactly when
# s_i xor s_j xor c = 1, and flipping spin i changes the energy by 2 (z - 2 u) for u unsatisfied
# bonds, so the move depends on u only: always accepted when 2u >= z, else with probability
# p_u = exp(-2 beta (z - 2u)) held as 32-bit integers P[u] = p_u * 2**32. From _WIDE words on, the
# loop over the words of a site runs innermost over contiguous memory and is vectorised (eight words
# per AVX-512 instruction); with fewer words, each word is swept on its own.
#
# Random numbers: word w owns a SplitMix64 state ``rng[w]``; its k-th draw is
# splitmix_mix(rng[w] + k * gamma). A sweep's draws are made in one block before the sweep.

_ZERO = np.uint64(0)
_WIDE = 8  # from this many words (one AVX-512 register) on, the words of a site are updated together


@njit(cache=True)
def pack_signs(bonds, out):
    """Bit s % 64 of ``out[s // 64, j]`` := (bonds[s, j] < 0) for ±1 couplings ``bonds`` (S, m).

    ``out`` (groups, m) starts at zero. Returns, per sample, whether some coupling is not ±1.
    Sample by sample, the loop over couplings is contiguous and branch-free (vectorised).
    """
    samples, m = bonds.shape
    others = np.zeros(samples, dtype=np.bool_)
    for s in range(samples):
        bit = np.uint64(1) << np.uint64(s % 64)
        row = out[s // 64]
        count = 0
        for j in range(m):
            b = bonds[s, j]
            count += abs(b) != 1.0
            row[j] |= bit & (_ZERO - np.uint64(b < 0.0))
        others[s] = count > 0
    return others


@njit(cache=True)
def _add_to_counter(counter, word):
    """Add one bit per lane to a vertical (bit-sliced) counter."""
    carry = word
    for b in range(counter.shape[0]):
        if carry == _ZERO:
            return
        next_carry = counter[b] & carry
        counter[b] ^= carry
        carry = next_carry


@njit(cache=True)
def _unpack_counter(counter, out):
    for lane in range(64):
        value = 0
        for b in range(counter.shape[0]):
            value += int((counter[b] >> np.uint64(lane)) & np.uint64(1)) << b
        out[lane] = value


@njit(cache=True, inline="always")
def _unsatisfied_count(spins, couplings, i, w, base, sites, z):
    """(s, c0, c1, c2): word w of site i and its bit-sliced count of unsatisfied bonds.

    ``sites`` holds the neighbours of i (z = 4 or 6 entries used) and ``couplings[base + k, w]``
    the coupling words; the count c = c0 + 2 c1 + 4 c2 per lane comes from a full-adder tree.
    """
    si = spins[i, w]
    a = si ^ spins[sites[0], w] ^ couplings[base, w]
    b = si ^ spins[sites[1], w] ^ couplings[base + 1, w]
    c = si ^ spins[sites[2], w] ^ couplings[base + 2, w]
    d = si ^ spins[sites[3], w] ^ couplings[base + 3, w]
    ab = a ^ b
    s_abc = ab ^ c
    k_abc = (a & b) | (c & ab)
    if z == 4:
        c0 = s_abc ^ d
        carry = s_abc & d
        return si, c0, k_abc ^ carry, k_abc & carry
    e = si ^ spins[sites[4], w] ^ couplings[base + 4, w]
    f = si ^ spins[sites[5], w] ^ couplings[base + 5, w]
    de = d ^ e
    s_def = de ^ f
    k_def = (d & e) | (f & de)
    c0 = s_abc ^ s_def
    carry = s_abc & s_def
    kk = k_abc ^ k_def
    return si, c0, kk ^ carry, (k_abc & k_def) | (carry & kk)


@njit(cache=True, inline="always")
def _neighbours_of(neighbours, i, z):
    """The z neighbours of site i as a 6-tuple (z = 4: the last two entries repeat the fourth)."""
    last = neighbours[i, 3]
    if z == 4:
        return (neighbours[i, 0], neighbours[i, 1], neighbours[i, 2], last, last, last)
    return (neighbours[i, 0], neighbours[i, 1], neighbours[i, 2], last, neighbours[i, 4], neighbours[i, 5])


@njit(cache=True, inline="always")
def _shared_accept(c0, c1, c2, draw, p0, p1, p2):
    """Lanes that flip for one 32-bit uniform ``draw`` shared by the word, without branches.

    ``p_u`` = P[u] * 2**32 (2**32 when 2u >= z) increases with u, so the lanes
    accepted are those whose count u has draw < P[u]: the union over u of
    (count >= u) & (draw < P[u]); a count >= 3 always flips (z <= 6).
    """
    ge2 = c1 | c2
    ge1 = c0 | ge2
    take2 = _ZERO - np.uint64(draw < p2)
    take1 = _ZERO - np.uint64(draw < p1)
    take0 = _ZERO - np.uint64(draw < p0)
    return (c2 | (c1 & c0)) | (take2 & ge2) | (take1 & ge1) | take0


@njit(cache=True, inline="always")
def _shared_sweep(spins, neighbours, couplings, rng, draws, thresholds, z, words):
    """One sweep 0..n-1 of ``words`` words (spins (n, words)), one 32-bit uniform per site and word.

    The sweep's draws come first (draw i of word w = top 32 bits of its (i + 1)-th SplitMix64
    output, vectorised), then the sites, each with the loop over words innermost: the neighbour
    indices of a site are read once for all words. ``words`` = 1 as a constant gives the plain
    scalar sweep; there, when P[2] < 1/16 (low temperature), a draw above it is predictable enough
    to branch on and skip the general mask. The thresholds are read into locals once: stores into
    ``spins`` could alias them.
    """
    n = spins.shape[0]
    for i in range(n):
        step = np.uint64(i + 1) * SPLITMIX_GAMMA
        for w in range(words):
            draws[i, w] = splitmix_mix(rng[w] + step) >> np.uint64(32)
    for w in range(words):
        rng[w] += np.uint64(n) * SPLITMIX_GAMMA
    p0, p1, p2 = thresholds[0], thresholds[1], thresholds[2]
    rare = words == 1 and p2 < np.uint64(1 << 28)
    for step in range(n):
        i = _U32(step)
        base = i * _U32(z)
        sites = _neighbours_of(neighbours, i, z)
        for w in range(words):
            si, c0, c1, c2 = _unsatisfied_count(spins, couplings, i, w, base, sites, z)
            draw = draws[i, w]
            if rare and draw >= p2:  # one word at low temperature: only counts >= 3 flip, predictably
                spins[i, w] = si ^ (c2 | (c1 & c0))
            else:
                spins[i, w] = si ^ _shared_accept(c0, c1, c2, draw, p0, p1, p2)


@njit(cache=True, inline="always")
def _independent_sweep(spins, neighbours, couplings, rng, masks, z):
    """One sweep of one word (spins (n, 1)) in which each lane draws its own uniform.

    Lane l flips when its uniform is below P[u_l]: compared bit by bit from the most significant
    bit down, a lane is decided at the first bit where its random bit and the bit of P[u_l]
    differ (accepted when the random bit is 0); about eight random words per site.
    """
    state = rng[0]
    for step in range(spins.shape[0]):
        i = _U32(step)
        si, c0, c1, c2 = _unsatisfied_count(spins, couplings, i, 0, i * _U32(z), _neighbours_of(neighbours, i, z), z)
        accept = c2 | (c1 & c0) if z == 6 else c1 | c2
        eq0 = ~(c0 | c1 | c2)
        eq1 = c0 & ~(c1 | c2)
        eq2 = c1 & ~(c0 | c2)
        undecided = ~accept
        j = 31
        while undecided != _ZERO and j >= 0:
            state += SPLITMIX_GAMMA
            bits = splitmix_mix(state)
            p_bits = (eq0 & masks[0, j]) | (eq1 & masks[1, j]) | (eq2 & masks[2, j])
            accept |= undecided & p_bits & ~bits
            undecided &= ~(p_bits ^ bits)
            j -= 1
        spins[i, 0] = si ^ accept
    rng[0] = state


@njit(cache=True, inline="always")
def _run_words(neighbours, couplings, spins, rng, thresholds, masks, shared, sweeps, z):
    """``sweeps`` sweeps of spins (n, W): all W words at once (shared draws) or W = 1 (independent)."""
    if shared:
        draws = np.empty(spins.shape, dtype=np.uint64)
        words = spins.shape[1]
        for _ in range(sweeps):
            if words == 1:  # the scalar sweep of one word, its loop over words removed
                _shared_sweep(spins, neighbours, couplings, rng, draws, thresholds, z, 1)
            else:
                _shared_sweep(spins, neighbours, couplings, rng, draws, thresholds, z, words)
    else:
        for _ in range(sweeps):
            _independent_sweep(spins, neighbours, couplings, rng, masks, z)


@njit(cache=True)
def _run_block(neighbours, couplings, spins, rng, thresholds, masks, shared, sweeps):
    """:func:`_run_words` with the coordination z as a constant (no test of z inside the loops)."""
    if neighbours.shape[1] == 6:
        _run_words(neighbours, couplings, spins, rng, thresholds, masks, shared, sweeps, 6)
    else:
        _run_words(neighbours, couplings, spins, rng, thresholds, masks, shared, sweeps, 4)


@njit(cache=True)
def _measure(spins, neighbours, couplings, pairs, m, counter, unsat_out, ones_out, diff_out):
    """Per-lane counts of unsatisfied bonds and up spins of every word, and differing spins of word pairs."""
    n, words = spins.shape
    z = neighbours.shape[1]
    lanes = np.empty(64, dtype=np.int64)
    for w in range(words):
        counter[:] = 0
        for i in range(n):
            for k in range(z // 2):  # the first z/2 neighbours: each bond once
                _add_to_counter(counter, spins[i, w] ^ spins[neighbours[i, k], w] ^ couplings[i * z + k, w])
        _unpack_counter(counter, lanes)
        unsat_out[w, :, m] = lanes
        counter[:] = 0
        for i in range(n):
            _add_to_counter(counter, spins[i, w])
        _unpack_counter(counter, lanes)
        ones_out[w, :, m] = lanes
    for p in range(pairs.shape[0]):
        a, b = pairs[p, 0], pairs[p, 1]
        counter[:] = 0
        for i in range(n):
            _add_to_counter(counter, spins[i, a] ^ spins[i, b])
        _unpack_counter(counter, lanes)
        diff_out[p, :, m] = lanes


@njit(cache=True)
def multispin_run(
    neighbours,
    couplings,
    spins,
    rng,
    thresholds,
    masks,
    shared,
    t_start,
    t_stop,
    measure_every,
    pairs,
    counter,
    unsat_out,
    ones_out,
    diff_out,
):
    """Metropolis sweeps of W words of 64 ±J lattice systems each (z = 4 or 6; layout above).

    Sites are visited in the order 0..n-1; the caller numbers them sublattice by sublattice
    (checkerboard: consecutive updates within a sublattice never depend on each other).
    ``thresholds`` (3,) uint64 holds P[u] = exp(-2 beta (z - 2u)) * 2**32 for 2u < z and 2**32
    otherwise; ``masks[u, j]`` is all ones when bit j of P[u] is set. ``shared`` uses one 32-bit
    uniform per site for all lanes of a word (lanes correlated: valid only when lanes are
    different samples), and updates all words together when there are at least ``_WIDE`` of them;
    otherwise each word runs on its own (contiguous copies), and in the independent mode each
    lane draws its own uniform. Every ``measure_every`` sweeps, the per-lane counts of
    unsatisfied bonds and up spins of every word, and of differing spins for each word pair in
    ``pairs``, go to ``*_out[..., m]``.
    """
    n, words = spins.shape
    together = shared and words >= _WIDE
    # one word at a time: each word's spins and couplings as contiguous rows (W, n) and (W, n z)
    rows = spins if together else np.ascontiguousarray(spins.T)
    row_couplings = couplings if together else np.ascontiguousarray(couplings.T)
    t = t_start
    while t < t_stop:
        block = min(measure_every - t % measure_every, t_stop - t)  # sweeps up to the next measurement
        if together:
            _run_block(neighbours, couplings, spins, rng, thresholds, masks, True, block)
        else:
            for w in range(words):
                word = rows[w].reshape((n, 1))
                bonds = row_couplings[w].reshape((couplings.shape[0], 1))
                _run_block(neighbours, bonds, word, rng[w : w + 1], thresholds, masks, shared, block)
        t += block
        if t % measure_every == 0:
            m = t // measure_every - 1
            if together:
                _measure(spins, neighbours, couplings, pairs, m, counter, unsat_out, ones_out, diff_out)
            else:
                _measure(rows.T, neighbours, row_couplings.T, pairs, m, counter, unsat_out, ones_out, diff_out)
    if not together:
        spins[...] = rows.T
