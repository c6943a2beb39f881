"""Observations of a hidden ±1 vector through Gaussian random fields, and its exact posterior.

The model (our reading of Bereyhi, Loureiro, Krzakala, Müller and Schulz-Baldes, arXiv 2201.09986):
a hidden x* drawn uniformly from {±1}^n is observed through M = alpha n noisy field values

    y_mu = V_mu(x*) + sqrt(noise) xi_mu,    mu = 1..M,   xi_mu ~ N(0, 1),

where V_1..V_M are independent centred Gaussian random fields on {±1}^n, known to the estimator, with

    E[V_mu(x) V_nu(x')] = delta_{mu nu} Phi(x . x' / n).

``Phi(q) = q`` gives the linear model V_mu(x) = a_mu . x / sqrt(n) with Gaussian a_mu; a covariance with
Phi'(0) = 0 is *strictly nonlinear*. The posterior is exp(-sum_mu (y_mu - V_mu(x))^2 / (2 noise)) / Z under
the uniform prior, computed exactly by enumerating all 2^n vectors (n <= 20).

Fields are sampled exactly in the Walsh basis chi_S(x) = prod_{k in S} x_k: V(x) = sum_S a_S chi_S(x) with
independent a_S ~ N(0, v_|S|), which has covariance sum_k v_k K_k(d) (K_k Krawtchouk polynomials, d the
Hamming distance), a function of the overlap q = 1 - 2d/n.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_int, check_real
from ..exact import codes_to_spins
from ._kernels import add_observation, field_from_coefficients, normalise, spectral_weights, truth_distance_histogram

__all__ = [
    "Covariance",
    "Instance",
    "PosteriorStats",
    "make_covariance",
    "posterior",
    "posterior_stats",
    "sample_instance",
]

MAX_N = 20
PRESETS = {"linear": {1: 1.0}, "quadratic": {2: 1.0}, "cubic": {3: 1.0}}
MAX_STORED = 2**25


def _krawtchouk(n: int) -> np.ndarray:
    """K[k, d] = sum_j (-1)^j C(d, j) C(n - d, k - j) = sum_{|S| = k} chi_S(x) chi_S(x') at distance d."""
    table = np.zeros((n + 1, n + 1))
    for k in range(n + 1):
        for d in range(n + 1):
            table[k, d] = sum((-1) ** j * math.comb(d, j) * math.comb(n - d, k - j) for j in range(min(k, d) + 1))
    return table


@dataclass(frozen=True)
class Covariance:
    """Covariance function Phi(q) of the observation fields.

    Either ``weights`` (c_0, c_1, ...): the field is a sum of pure Walsh degrees k with variances c_k, so that
    Phi(q) = sum_k c_k q^k for large n and the degrees absent from ``weights`` are absent at every n (a field
    with c_1 = 0 is strictly nonlinear at finite n too); or ``function``: any callable Phi(q) on [-1, 1], used
    exactly at the n + 1 overlaps of the n-cube.
    """

    name: str
    weights: tuple[float, ...] | None = None
    function: Callable | None = None

    def __call__(self, q) -> np.ndarray:
        """Phi(q) (the large-n covariance) at overlaps ``q``."""
        q = np.asarray(q, dtype=np.float64)
        if self.weights is not None:
            return np.polynomial.polynomial.polyval(q, self.weights)
        return np.asarray(self.function(q), dtype=np.float64) * np.ones_like(q)

    def derivative(self, q) -> np.ndarray:
        """Phi'(q): exact for ``weights``, a central (one-sided at ±1) difference of step 1e-6 otherwise."""
        q = np.asarray(q, dtype=np.float64)
        if self.weights is not None:
            return np.polynomial.polynomial.polyval(q, np.polynomial.polynomial.polyder(self.weights))
        step = 1e-6
        hi = np.minimum(q + step, 1.0)
        lo = np.maximum(q - step, -1.0)
        return (self(hi) - self(lo)) / (hi - lo)

    def degree_variances(self, n: int) -> np.ndarray:
        """Variances v_k (k = 0..n) of the Walsh coefficients a_S with |S| = k of a field on {±1}^n.

        Raises ValueError if Phi is not a covariance on the n-cube (some v_k < 0).
        """
        n = check_int(n, "n", minimum=1, maximum=MAX_N)
        if self.weights is not None:
            if any(c > 0 for c in self.weights[n + 1 :]):
                raise ValueError(
                    f"covariance {self.name!r} has Walsh degree {len(self.weights) - 1} > n = {n}: "
                    "a field on n spins has no such component; use more spins or lower degrees"
                )
            out = np.zeros(n + 1)
            for k, c in enumerate(self.weights[: n + 1]):
                out[k] = c / math.comb(n, k)
            return out
        phi = self(1.0 - 2.0 * np.arange(n + 1) / n)
        out = _krawtchouk(n).T @ phi / 2.0**n
        scale = max(float(np.abs(out).max()), 1e-300)
        if np.any(out < -1e-9 * scale):
            k = int(np.argmin(out))
            raise ValueError(
                f"covariance {self.name!r} is not positive definite on the {n}-cube: Walsh degree {k} has variance "
                f"{out[k]:.3g} < 0; use a mixture of powers q^k with non-negative weights"
            )
        return np.clip(out, 0.0, None)

    def on_cube(self, n: int) -> np.ndarray:
        """The exact covariance of the sampled fields at Hamming distance d = 0..n (overlap 1 - 2d/n)."""
        return _krawtchouk(n).T @ self.degree_variances(n)

    def is_even(self, n: int) -> bool:
        """True if V(-x) = V(x) on the n-cube (no odd Walsh degree), so x* and -x* cannot be told apart."""
        return not np.any(self.degree_variances(n)[1::2] > 0)


def make_covariance(spec) -> Covariance:
    """A :class:`Covariance` from a preset name, a mapping {degree: weight}, a callable Phi(q) or a Covariance.

    Presets: ``"linear"`` (Phi = q), ``"quadratic"`` (q^2), ``"cubic"`` (q^3). Weights must be >= 0.

    Examples
    --------
    >>> c = make_covariance({1: 0.5, 3: 0.5})
    >>> float(c(1.0)), float(c.derivative(0.0))
    (1.0, 0.5)
    """
    if isinstance(spec, Covariance):
        return spec
    if isinstance(spec, str):
        if spec not in PRESETS:
            raise ValueError(
                f"covariance must be one of {', '.join(map(repr, PRESETS))}, a mapping or a callable, got {spec!r}"
            )
        return _covariance_from_weights(PRESETS[spec], spec)
    if isinstance(spec, Mapping):
        return _covariance_from_weights(spec, "+".join(f"{float(v):g}q^{k}" for k, v in sorted(spec.items())))
    if callable(spec):
        return Covariance(name=getattr(spec, "__name__", "custom"), function=spec)
    raise TypeError(
        f"covariance must be a preset name, a mapping {{degree: weight}} or a callable Phi(q), "
        f"got {type(spec).__name__}"
    )


def _covariance_from_weights(weights: Mapping, name: str) -> Covariance:
    """Covariance with Walsh-degree weights {k: c_k} (all c_k >= 0, at least one > 0)."""
    if not weights:
        raise ValueError("covariance weights must name at least one degree, e.g. {1: 1.0}")
    top = max(check_int(k, "covariance degree", minimum=0, maximum=MAX_N) for k in weights)
    coeffs = [0.0] * (top + 1)
    for k, value in weights.items():
        c = check_real(value, f"covariance weight of degree {k}")
        if c < 0:
            raise ValueError(f"covariance weight of degree {k} must be >= 0 (a variance), got {c}")
        coeffs[int(k)] = c
    if sum(coeffs) <= 0:
        raise ValueError(f"covariance weights must not all vanish, got {dict(weights)}")
    return Covariance(name=name, weights=tuple(coeffs))


def _check_noise(noise) -> float:
    return check_real(noise, "noise (variance of the observation noise)", positive=True)


class _Source:
    """Random draws of one instance, in a fixed order: truth, then (field, noise) per observation."""

    def __init__(self, n: int, cov: Covariance, noise: float, seed: SeedLike):
        self.n = n
        self.noise = noise
        self.rng = np.random.default_rng(seed_sequence(seed))
        degrees = np.bitwise_count(np.arange(2**n, dtype=np.uint32)).astype(np.int64)
        std = np.sqrt(cov.degree_variances(n))[degrees]
        self.active = np.flatnonzero(std > 0)
        self.scale = std[self.active]
        self.truth_code = int(self.rng.integers(0, 2**n))
        self.coefficients = np.zeros(2**n)

    def next(self) -> tuple[np.ndarray, float]:
        self.coefficients[self.active] = self.scale * self.rng.standard_normal(self.active.size)
        field = field_from_coefficients(self.coefficients)
        y = field[self.truth_code] + math.sqrt(self.noise) * self.rng.standard_normal()
        return field, float(y)


@dataclass(frozen=True)
class Instance:
    """One inference problem: ``truth`` x* (int8 ±1, code ``truth_code``), the ``fields`` V_mu at all 2^n
    configurations (shape (M, 2^n), indexed by code), the observations ``y`` (M,), the noise variance and the
    covariance that generated the fields."""

    truth: np.ndarray
    truth_code: int
    fields: np.ndarray
    y: np.ndarray
    noise: float
    covariance: Covariance

    @property
    def n(self) -> int:
        """Number of hidden spins."""
        return int(self.truth.size)

    @property
    def m(self) -> int:
        """Number of observations M."""
        return int(self.y.size)


def sample_instance(n: int, m: int, *, covariance="cubic", noise: float = 1 / 3, seed: SeedLike = None) -> Instance:
    """Draw x*, M independent fields with covariance Phi and the noisy observations y (see the module docstring).

    Parameters
    ----------
    n : int
        Hidden spins, 1 <= n <= 20.
    m : int
        Observations M >= 0 (load alpha = M / n); all fields are stored, so M 2^n <= 2^25.
    covariance : str, mapping, callable or Covariance
        Phi(q): see :func:`make_covariance` (default ``"cubic"``: Phi = q^3, strictly nonlinear).
    noise : float
        Variance of the observation noise (default 1/3: signal-to-noise ratio Phi(1)/noise = 3).
    seed : int, SeedSequence, Generator or None
        Instances with the same seed share x* and their first fields: M observations extend M' < M ones.

    Examples
    --------
    >>> inst = sample_instance(6, 4, covariance="linear", seed=1)
    >>> inst.fields.shape, inst.y.shape
    ((4, 64), (4,))
    """
    n = check_int(n, "n", minimum=1, maximum=MAX_N)
    m = check_int(m, "m", minimum=0)
    if m * 2**n > MAX_STORED:
        raise ValueError(
            f"m * 2**n must be <= 2**25 to store every field, got m = {m}, n = {n}; "
            "use spinlab.inference.load_curve, which streams the fields"
        )
    cov = make_covariance(covariance)
    source = _Source(n, cov, _check_noise(noise), seed)
    fields = np.empty((m, 2**n))
    y = np.empty(m)
    for mu in range(m):
        fields[mu], y[mu] = source.next()
    truth = codes_to_spins([source.truth_code], n)[0]
    return Instance(truth=truth, truth_code=source.truth_code, fields=fields, y=y, noise=source.noise, covariance=cov)


def _check_instance(instance, m) -> int:
    if not isinstance(instance, Instance):
        raise TypeError(
            f"instance must be a spinlab.inference.Instance (from sample_instance), got {type(instance).__name__}"
        )
    if m is None:
        return instance.m
    return check_int(m, "m", minimum=0, maximum=instance.m)


def _log_likelihood(instance: Instance, m: int) -> np.ndarray:
    loglik = np.zeros(instance.fields.shape[1])
    for mu in range(m):
        add_observation(loglik, instance.fields[mu], float(instance.y[mu]), instance.noise)
    return loglik


def posterior(instance: Instance, m: int | None = None) -> np.ndarray:
    """Exact posterior P(x | y_1..y_m) of all 2^n vectors, indexed by code (uniform prior; default m = M).

    Examples
    --------
    >>> p = posterior(sample_instance(4, 3, seed=2))
    >>> p.shape, round(float(p.sum()), 12)
    ((16,), 1.0)
    """
    m = _check_instance(instance, m)
    return normalise(_log_likelihood(instance, m))[0]


@dataclass(frozen=True)
class PosteriorStats:
    """Exact posterior summaries of one instance (q = x . x* / n, q12 = overlap of two posterior samples).

    ``overlap`` = E[q] = m . x* / n (m the posterior mean), ``overlap_sq`` = E[q^2], ``abs_overlap`` = E|q|,
    ``self_overlap`` = E[q12] = |m|^2 / n, ``self_overlap_sq`` = E[q12^2], ``mmse`` = |x* - m|^2 / n,
    ``matrix_mmse`` = |x* x*^T - <x x^T>|_F^2 / n^2 (blind to the sign of x), ``p_truth`` = P(x*),
    ``p_flip`` = P(-x*), ``distances``: posterior probability of Hamming distance d = 0..n from x*.
    """

    overlap: float
    overlap_sq: float
    abs_overlap: float
    self_overlap: float
    self_overlap_sq: float
    mmse: float
    matrix_mmse: float
    p_truth: float
    p_flip: float
    distances: np.ndarray


def _summary(probs: np.ndarray, truth_code: int, n: int) -> PosteriorStats:
    hist = truth_distance_histogram(probs, truth_code, n)
    q = 1.0 - 2.0 * np.arange(n + 1) / n
    weights = spectral_weights(probs, n, min(2, n))
    overlap = float(hist @ q)
    overlap_sq = float(hist @ q**2)
    self_overlap = float(weights[1]) / n
    self_overlap_sq = (n + 2.0 * float(weights[2])) / n**2 if n > 1 else 1.0
    return PosteriorStats(
        overlap=overlap,
        overlap_sq=overlap_sq,
        abs_overlap=float(hist @ np.abs(q)),
        self_overlap=self_overlap,
        self_overlap_sq=self_overlap_sq,
        mmse=max(1.0 - 2.0 * overlap + self_overlap, 0.0),
        matrix_mmse=max(1.0 - 2.0 * overlap_sq + self_overlap_sq, 0.0),
        p_truth=float(hist[0]),
        p_flip=float(hist[n]),
        distances=hist,
    )


def posterior_stats(instance: Instance, m: int | None = None) -> PosteriorStats:
    """Overlaps and MMSEs of the exact posterior given the first ``m`` observations (default all).

    Examples
    --------
    >>> s = posterior_stats(sample_instance(8, 0, seed=3))  # no data: the prior
    >>> round(s.mmse, 12), round(s.overlap_sq, 12)  # prior MMSE 1, E[q^2] = 1/n
    (1.0, 0.125)
    """
    m = _check_instance(instance, m)
    return _summary(posterior(instance, m), instance.truth_code, instance.n)
