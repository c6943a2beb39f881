"""Restricted Boltzmann machines with Boolean-Gaussian unit priors and their Hopfield equivalent.

An RBM with N visible units v_i, P hidden units tau_mu and weights W_i^mu = xi_i^mu / sqrt(N) has the Gibbs
measure

    P(v, tau) ∝ p_v(v) p_h(tau) exp(beta sum_{i, mu} v_i W_i^mu tau_mu),   beta = 1/T,

with factorised unit priors from the Boolean-Gaussian family x = sqrt(1 - d) eps + sqrt(d) g (eps = ±1,
g ~ N(0, 1)): d = 0 is a binary ±1 unit, d = 1 a standard Gaussian one. Integrating out a hidden unit in the field
H_mu = (1/sqrt N) xi^mu . v gives E_tau exp(beta H tau) = cosh(beta a_h H) exp(d_h beta^2 H^2 / 2), so for
Gaussian hidden units (d_h = 1) and binary visible units the visible marginal is

    P(v) ∝ exp((beta^2 / (2N)) sum_mu (xi^mu . v)^2) ∝ exp(-beta^2 H_Hopfield(v)),

the Hopfield network with Hebb couplings at temperature T_Hopfield = T^2. The measure is normalisable unless
both layers have Gaussian parts with beta^2 d_v d_h ||W||^2 >= 1 (||W|| the largest singular value).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, child, seed_sequence, xoshiro_states
from .._validate import check_int, check_temperature
from ._common import check_overlap_scan, check_prior
from ._kernels import rbm_gibbs
from .network import _check_patterns, patterns

__all__ = ["RBMRun", "hidden_log_factor", "hopfield_temperature", "rbm_overlaps", "rbm_sample"]


def hopfield_temperature(T: float) -> float:
    """Temperature T^2 of the Hopfield network equal to the visible marginal of a Gaussian-hidden RBM at T.

    Examples
    --------
    >>> hopfield_temperature(0.5)
    0.25
    """
    return check_temperature(T) ** 2


def hidden_log_factor(visible, xi, T: float, *, hidden="gaussian"):
    """log E_tau exp(beta v^T W tau): the factor of the visible marginal left by integrating out the hidden layer.

    Equal to sum_mu [ln cosh(beta a_h H_mu) + d_h beta^2 H_mu^2 / 2] with H_mu = (1/sqrt N) xi^mu . v, so
    P(v) ∝ p_v(v) exp(hidden_log_factor(v)). ``visible`` has shape (N,) or (k, N).

    Examples
    --------
    >>> xi = np.array([[1.0, 1.0]])
    >>> round(float(hidden_log_factor([1.0, 1.0], xi, 1.0)), 6)  # H = sqrt(2): H^2 / 2
    1.0
    """
    xi = _check_patterns(xi)
    n = xi.shape[1]
    beta = 1.0 / check_temperature(T)
    d = check_prior(hidden, "hidden")
    v = np.asarray(visible, dtype=float)
    if v.ndim not in (1, 2) or v.shape[-1] != n:
        raise ValueError(f"visible must have shape ({n},) or (k, {n}), got {v.shape}")
    H = np.atleast_2d(v) @ xi.T / np.sqrt(n)
    x = beta * np.sqrt(1.0 - d) * np.abs(H)
    out = np.sum(x + np.log1p(np.exp(-2.0 * x)) - np.log(2.0) + 0.5 * d * beta**2 * H * H, axis=1)
    return out[0] if v.ndim == 1 else out


@dataclass(frozen=True)
class RBMRun:
    """Result of :func:`rbm_sample`.

    ``overlaps`` (R, K, P): visible Mattis overlaps (1/N) xi^mu . v at sweeps ``times``; ``visible`` (R, K, N)
    the recorded visible layers (None unless requested); ``final`` (R, N) the last visible layers.
    """

    overlaps: np.ndarray
    times: np.ndarray
    final: np.ndarray
    visible: np.ndarray | None
    T: float
    visible_prior: float
    hidden_prior: float


def rbm_sample(
    xi,
    T: float,
    sweeps: int,
    *,
    visible="binary",
    hidden="gaussian",
    replicas: int = 1,
    record_every: int = 1,
    record_visible: bool = False,
    initial=None,
    seed: SeedLike = None,
) -> RBMRun:
    """Alternating Gibbs sampling of the RBM with weights xi / sqrt(N) at temperature T.

    Each sweep draws all hidden units given the visible layer, then all visible units given the hidden layer,
    each from its exact conditional law (module docstring). ``visible`` and ``hidden`` are priors of the
    Boolean-Gaussian family: "binary", "gaussian" or the Gaussian fraction d in [0, 1].

    Parameters
    ----------
    xi : (P, N) array
        Patterns; the weights are xi / sqrt(N).
    T : float
        Temperature > 0.
    sweeps : int
        Number of block-Gibbs sweeps.
    replicas : int
        Independent chains.
    record_every : int
        Record at sweep 0 and every ``record_every`` sweeps.
    record_visible : bool
        Also keep the visible layers at the recorded sweeps.
    initial : (N,) or (R, N) array, optional
        Starting visible layers; by default drawn from the visible prior.
    seed : int, SeedSequence, Generator or None
        Child 0 draws the starting layers, child 1 + r drives chain r.

    Examples
    --------
    >>> xi = np.array([[1.0, 1.0, -1.0, 1.0]])
    >>> run = rbm_sample(xi, 0.5, 200, replicas=2, seed=1)
    >>> run.overlaps.shape, bool(np.all(np.abs(run.overlaps) <= 1))
    ((2, 201, 1), True)
    """
    xi = _check_patterns(xi)
    P, n = xi.shape
    T = check_temperature(T)
    beta = 1.0 / T
    d_v = check_prior(visible, "visible")
    d_h = check_prior(hidden, "hidden")
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    replicas = check_int(replicas, "replicas", minimum=1)
    record_every = check_int(record_every, "record_every", minimum=1, maximum=sweeps)
    if not isinstance(record_visible, bool):
        raise TypeError(f"record_visible must be True or False, got {record_visible!r}")
    if d_v > 0 and d_h > 0:
        norm2 = np.linalg.norm(xi, 2) ** 2 / n
        if beta**2 * d_v * d_h * norm2 >= 1.0:
            raise ValueError(
                f"the RBM measure is not normalisable: beta^2 d_v d_h ||W||^2 = {beta**2 * d_v * d_h * norm2:.3f} "
                ">= 1; raise T or make one layer (more) binary"
            )
    root = seed_sequence(seed)
    if initial is None:
        rng = np.random.default_rng(child(root, 0))
        eps = rng.choice(np.array([-1.0, 1.0]), size=(replicas, n))
        layer = np.sqrt(1.0 - d_v) * eps + np.sqrt(d_v) * rng.standard_normal((replicas, n))
    else:
        layer = np.asarray(initial, dtype=float)
        if layer.ndim == 1:
            layer = np.tile(layer, (replicas, 1))
        if layer.shape != (replicas, n) or not np.all(np.isfinite(layer)):
            raise ValueError(f"initial must be finite with shape ({n},) or ({replicas}, {n}), got {layer.shape}")
    layer = np.ascontiguousarray(layer.copy())
    K = sweeps // record_every + 1
    overlaps = np.empty((replicas, K, P))
    configs = np.empty((replicas, K if record_visible else 0, n))
    states = xoshiro_states([child(root, 1 + r) for r in range(replicas)])
    a_v, a_h = np.sqrt(1.0 - d_v), np.sqrt(1.0 - d_h)
    xi_rows = np.ascontiguousarray(xi.T)
    rbm_gibbs(xi_rows, layer, beta, a_v, d_v, a_h, d_h, sweeps, record_every, states, overlaps, configs)
    times = np.arange(K) * record_every
    return RBMRun(overlaps, times, layer, configs if record_visible else None, T, d_v, d_h)


def rbm_overlaps(
    n: int,
    alphas,
    T: float,
    *,
    visible="binary",
    hidden="gaussian",
    prior="binary",
    samples: int = 6,
    sweeps: int = 200,
    window: int = 100,
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Equilibrium overlap of the RBM's visible layer with a stored pattern, against the load, by Gibbs sampling.

    For each load, ``samples`` pattern sets of P = max(1, round(alpha n)) patterns are drawn (seed child k for
    load k, its children for the samples); one chain per set starts at the pattern xi^1 itself and runs
    ``sweeps`` sweeps of :func:`rbm_sample`. The normalised overlap (cosine) xi^1 . v / (|xi^1| |v|) is
    averaged over the last ``window`` sweeps; for binary visible units and patterns it is the Mattis overlap.
    Returns its mean over samples and the standard error, shape (len(alphas),).

    Examples
    --------
    >>> mean, err = rbm_overlaps(200, [0.02], 0.5, samples=2, sweeps=20, window=10, seed=1)
    >>> bool(mean[0] > 0.9)
    True
    """
    n, loads, samples, sweeps, window = check_overlap_scan(n, alphas, samples, sweeps, window)
    root = seed_sequence(seed)
    mean, err = np.empty(loads.size), np.empty(loads.size)
    for k, alpha in enumerate(loads):
        values = np.empty(samples)
        for s in range(samples):
            ss = child(child(root, k), s)
            xi = patterns(n, max(1, int(round(alpha * n))), seed=child(ss, 0), prior=prior)
            run = rbm_sample(
                xi, T, sweeps, visible=visible, hidden=hidden, initial=xi[0], record_visible=True, seed=child(ss, 1)
            )
            layers = run.visible[0, -window:]
            values[s] = np.mean(layers @ xi[0] / (np.linalg.norm(xi[0]) * np.linalg.norm(layers, axis=1)))
        mean[k], err[k] = values.mean(), values.std(ddof=1) / np.sqrt(samples)
    return mean, err
