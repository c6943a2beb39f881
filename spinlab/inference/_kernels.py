"""Enumeration kernels for exact Bayesian inference of a hidden ±1 vector.

Configurations are indexed by an integer ``code``: bit k set <=> x_k = +1 (as in ``spinlab.exact``).
A Gaussian random field on {±1}^n whose covariance depends only on the overlap is diagonal in the
Walsh basis chi_S(x) = prod_{k in S} x_k, so one field is the Walsh–Hadamard transform of independent
Gaussian coefficients, and the spectrum of a posterior gives all its spin correlations at once.
"""

import numpy as np
from numba import njit

from ..exact._kernels import _walsh_hadamard


@njit(cache=True)
def _popcount(value):
    bits = 0
    while value:
        value &= value - 1
        bits += 1
    return bits


@njit(cache=True)
def field_from_coefficients(coefficients):
    """Field values V(code) = sum_S a_S (-1)^popcount(S & code) for Walsh coefficients ``a`` (copied)."""
    values = coefficients.copy()
    _walsh_hadamard(values)
    return values


@njit(cache=True)
def add_observation(loglik, field, y, noise_var):
    """loglik[code] -= (y - field[code])**2 / (2 noise_var), in place."""
    scale = 0.5 / noise_var
    for code in range(loglik.shape[0]):
        r = y - field[code]
        loglik[code] -= scale * r * r


@njit(cache=True)
def normalise(loglik):
    """Posterior probabilities exp(loglik) / Z and log Z, computed relative to max(loglik)."""
    top = loglik.max()
    probs = np.empty(loglik.shape[0])
    z = 0.0
    for code in range(loglik.shape[0]):
        w = np.exp(loglik[code] - top)
        probs[code] = w
        z += w
    probs /= z
    return probs, top + np.log(z)


@njit(cache=True)
def truth_distance_histogram(probs, truth_code, n):
    """h[d] = posterior probability that x differs from the truth in exactly d spins."""
    out = np.zeros(n + 1)
    for code in range(probs.shape[0]):
        out[_popcount(code ^ truth_code)] += probs[code]
    return out


@njit(cache=True)
def spectral_weights(probs, n, max_degree):
    """W_k = sum_{|S| = k} <chi_S>^2 for k = 0..max_degree (posterior correlations of order k)."""
    spectrum = probs.copy()
    _walsh_hadamard(spectrum)
    out = np.zeros(max_degree + 1)
    for subset in range(spectrum.shape[0]):
        k = _popcount(subset)
        if k <= max_degree:
            out[k] += spectrum[subset] * spectrum[subset]
    return out
