"""Gray-code enumeration kernels.

Configurations are indexed by an integer ``code``: bit k set <=> s_k = +1. The Gray-code
walk visits every code once, flipping one spin per step, so the energy of all 2**n
states costs O(n) per state (the flipped spin's local field update).
"""

import numpy as np
from numba import njit


@njit(cache=True)
def gray_code_energies(J, h):
    """Total energy of every configuration, indexed by code (array of length 2**n)."""
    n = J.shape[0]
    spins = -np.ones(n)
    fields = np.empty(n)
    for i in range(n):
        fields[i] = -np.sum(J[i])
    energy = 0.0
    for i in range(n):
        energy += -0.5 * spins[i] * fields[i] - h[i] * spins[i]
    energies = np.empty(1 << n)
    code = 0
    energies[0] = energy
    for step in range(1, 1 << n):
        k = 0
        while not (step >> k) & 1:
            k += 1
        energy += 2.0 * spins[k] * (fields[k] + h[k])
        spins[k] = -spins[k]
        twice = 2.0 * spins[k]
        for j in range(n):
            fields[j] += twice * J[k, j]
        code ^= 1 << k
        energies[code] = energy
    return energies


@njit(cache=True)
def boltzmann_moments(energies, emin, betas):
    """For each beta: (sum w, sum w*dE, sum w*dE**2) with w = exp(-beta*dE), dE = E - emin."""
    out = np.zeros((betas.shape[0], 3))
    for t in range(betas.shape[0]):
        beta = betas[t]
        z = 0.0
        m1 = 0.0
        m2 = 0.0
        for e in energies:
            de = e - emin
            w = np.exp(-beta * de)
            z += w
            m1 += w * de
            m2 += w * de * de
        out[t, 0] = z
        out[t, 1] = m1
        out[t, 2] = m2
    return out


@njit(cache=True)
def codes_below(energies, threshold):
    """Codes of all configurations whose energy is <= threshold."""
    count = 0
    for e in energies:
        if e <= threshold:
            count += 1
    codes = np.empty(count, dtype=np.int64)
    count = 0
    for code in range(energies.shape[0]):
        if energies[code] <= threshold:
            codes[count] = code
            count += 1
    return codes


@njit(cache=True)
def _walsh_hadamard(values):
    """In-place unnormalised Walsh–Hadamard transform of an array of length 2**n."""
    size = values.shape[0]
    half = 1
    while half < size:
        for start in range(0, size, 2 * half):
            for i in range(start, start + half):
                a = values[i]
                b = values[i + half]
                values[i] = a + b
                values[i + half] = a - b
        half *= 2


@njit(cache=True)
def hamming_distance_distribution(weights, n):
    """P(d) = sum_{s,s'} w(s) w(s') [hamming(s, s') = d] for normalised weights over 2**n codes.

    The autocorrelation over the group of bit flips is diagonalised by the Walsh–Hadamard
    transform: A(x) = sum_s w(s) w(s xor x) = WHT^{-1}(WHT(w)**2).
    """
    spectrum = weights.copy()
    _walsh_hadamard(spectrum)
    for i in range(spectrum.shape[0]):
        spectrum[i] = spectrum[i] * spectrum[i]
    _walsh_hadamard(spectrum)
    scale = 1.0 / spectrum.shape[0]
    out = np.zeros(n + 1)
    for x in range(spectrum.shape[0]):
        bits = 0
        y = x
        while y:
            y &= y - 1
            bits += 1
        out[bits] += spectrum[x] * scale
    return out
