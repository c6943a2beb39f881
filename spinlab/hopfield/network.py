"""Hopfield networks: random patterns, Hebb couplings, energy and retrieval dynamics from a noisy cue.

Conventions: N Ising spins s_i = ±1, P patterns xi^mu (rows of a (P, N) array), Hebb couplings
J_ij = (1/N) sum_mu xi_i^mu xi_j^mu with J_ii = 0, H = -sum_{i<j} J_ij s_i s_j, energies per spin, temperatures in
units of these couplings (k_B = 1). The Mattis overlap with pattern mu is m_mu = (1/N) xi^mu . s.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, child, seed_sequence, xoshiro_states
from .._validate import check_choice, check_int, check_real, check_spins
from ._common import check_overlap_scan, check_prior
from ._kernels import HEAT_BATH, METROPOLIS, ZERO_T
from ._kernels import recall as _recall_kernel

__all__ = ["RecallRun", "energy", "hebbian", "patterns", "recall", "recall_overlaps"]

_RULES = {"glauber": HEAT_BATH, "metropolis": METROPOLIS}


def patterns(n: int, P: int, *, seed: SeedLike = None, prior="binary") -> np.ndarray:
    """P random patterns of n entries with zero mean and unit variance, as a (P, n) float64 array.

    ``prior`` is "binary" (xi = ±1 with probability 1/2), "gaussian" (xi ~ N(0, 1)) or a Gaussian fraction
    delta in [0, 1] of the Boolean-Gaussian family xi = sqrt(1 - delta) eps + sqrt(delta) g.

    Examples
    --------
    >>> xi = patterns(6, 2, seed=1)
    >>> xi.shape, sorted(set(xi.ravel().tolist()))
    ((2, 6), [-1.0, 1.0])
    """
    n = check_int(n, "n", minimum=1)
    P = check_int(P, "P", minimum=1)
    delta = check_prior(prior, "prior")
    rng = np.random.default_rng(seed_sequence(seed))
    eps = rng.choice(np.array([-1.0, 1.0]), size=(P, n))
    if delta == 0.0:
        return eps
    return np.sqrt(1.0 - delta) * eps + np.sqrt(delta) * rng.standard_normal((P, n))


def _check_patterns(xi, name: str = "xi") -> np.ndarray:
    arr = np.asarray(xi) if isinstance(xi, (np.ndarray, list, tuple)) else None
    if arr is None:
        raise TypeError(f"{name} must be a (P, n) array of patterns, got {type(xi).__name__}")
    if arr.dtype.kind not in "iuf" or arr.dtype == bool:
        raise TypeError(f"{name} must hold real numbers, got dtype {arr.dtype}")
    if arr.ndim != 2 or arr.shape[0] < 1 or arr.shape[1] < 2:
        raise ValueError(f"{name} must have shape (P, n) with P >= 1 and n >= 2, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def hebbian(xi) -> np.ndarray:
    """Hebb couplings J = (1/N) sum_mu xi^mu xi^mu^T with zero diagonal, for patterns xi of shape (P, N).

    Examples
    --------
    >>> hebbian([[1, -1, 1]])
    array([[ 0.        , -0.33333333,  0.33333333],
           [-0.33333333,  0.        , -0.33333333],
           [ 0.33333333, -0.33333333,  0.        ]])
    """
    xi = _check_patterns(xi)
    J = xi.T @ xi / xi.shape[1]
    np.fill_diagonal(J, 0.0)
    return J


def energy(spins, xi):
    """Energy per spin e = -(1/N) sum_{i<j} J_ij s_i s_j of one (n,) or several (k, n) configurations.

    Computed from the overlaps: e = -(1/2) sum_mu m_mu^2 + sum_{mu, i} (xi_i^mu)^2 / (2 N^2).

    Examples
    --------
    >>> xi = patterns(100, 1, seed=0)
    >>> float(energy(xi[0].astype(int), xi))  # -(1/2)(1 - 1/N)
    -0.495
    """
    xi = _check_patterns(xi)
    n = xi.shape[1]
    s, single = check_spins(spins, n)
    m = s @ xi.T / n
    e = -0.5 * np.sum(m * m, axis=1) + np.sum(xi * xi) / (2.0 * n * n)
    return e[0] if single else e


@dataclass(frozen=True)
class RecallRun:
    """Result of :func:`recall`.

    ``overlaps`` (R, K, P): Mattis overlaps of every replica with every pattern at sweeps ``times`` (K,),
    record 0 being the cue; ``spins`` (R, N) the final configurations; ``cue`` the cued pattern (-1 when an
    explicit initial configuration was given).
    """

    overlaps: np.ndarray
    times: np.ndarray
    spins: np.ndarray
    T: float
    rule: str
    cue: int
    noise: float

    @property
    def final(self) -> np.ndarray:
        """Final overlap of each replica with the cued pattern, shape (R,)."""
        return self.overlaps[:, -1, max(self.cue, 0)]


def _cue_configs(xi, cue, noise, replicas, rng) -> np.ndarray:
    n = xi.shape[1]
    base = np.where(xi[cue] >= 0, 1, -1).astype(np.int8)
    flips = int(round(noise * n))
    out = np.tile(base, (replicas, 1))
    for row in out:
        row[rng.choice(n, size=flips, replace=False)] *= -1
    return out


def recall(
    xi,
    T: float,
    sweeps: int,
    *,
    cue: int = 0,
    noise: float = 0.1,
    rule: str = "glauber",
    replicas: int = 1,
    record_every: int = 1,
    initial=None,
    seed: SeedLike = None,
) -> RecallRun:
    """Asynchronous (random sequential) Hopfield dynamics from a noisy cue, recording Mattis overlaps.

    Every replica starts from sign(xi^cue) with exactly round(noise * N) randomly chosen spins flipped
    (initial overlap 1 - 2 noise for Boolean patterns), or from ``initial``. A sweep is N single-spin attempts at
    uniformly random sites. At T = 0 each attempt aligns the spin with its local field (s_i -> sign h_i, unchanged
    when h_i = 0): the energy never rises and the run ends in a local minimum. At T > 0 the attempts follow
    ``rule`` ("glauber": heat bath, "metropolis"), both of which leave the Boltzmann distribution exp(-H/T)
    invariant.

    Parameters
    ----------
    xi : (P, N) array
        Patterns (Hebb couplings are built implicitly, zero diagonal).
    T : float
        Temperature >= 0.
    sweeps : int
        Number of sweeps >= 1.
    cue, noise : int, float
        Pattern to start near, and the fraction of its spins flipped (0 <= noise <= 1).
    rule : "glauber" or "metropolis"
        Acceptance rule at T > 0 (ignored at T = 0).
    replicas : int
        Independent runs (independent cues and random streams).
    record_every : int
        Overlaps are recorded at sweep 0 and every ``record_every`` sweeps.
    initial : (N,) or (R, N) array of ±1, optional
        Explicit starting configurations (then ``cue`` and ``noise`` are not used).
    seed : int, SeedSequence, Generator or None
        Child 0 draws the cues, child 1 + r drives replica r.

    Examples
    --------
    >>> xi = patterns(400, 20, seed=1)
    >>> run = recall(xi, 0.0, 10, noise=0.2, seed=2)
    >>> float(run.overlaps[0, 0, 0]), float(run.final[0])
    (0.6, 1.0)
    """
    xi = _check_patterns(xi)
    P, n = xi.shape
    T = check_real(T, "T")
    if T < 0:
        raise ValueError(f"T must be >= 0, got {T}")
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    rule = check_choice(rule, "rule", tuple(_RULES))
    replicas = check_int(replicas, "replicas", minimum=1)
    record_every = check_int(record_every, "record_every", minimum=1, maximum=sweeps)
    root = seed_sequence(seed)
    if initial is None:
        cue = check_int(cue, "cue", minimum=0, maximum=P - 1)
        noise = check_real(noise, "noise")
        if not 0.0 <= noise <= 1.0:
            raise ValueError(f"noise must lie in [0, 1] (fraction of flipped spins), got {noise}")
        spins = _cue_configs(xi, cue, noise, replicas, np.random.default_rng(child(root, 0)))
    else:
        spins, single = check_spins(initial, n, "initial")
        if single:
            spins = np.tile(spins, (replicas, 1))
        elif spins.shape[0] != replicas:
            raise ValueError(f"initial must have shape ({n},) or ({replicas}, {n}), got {spins.shape}")
        cue, noise = -1, float("nan")
    spins = np.ascontiguousarray(spins.copy())
    states = xoshiro_states([child(root, 1 + r) for r in range(replicas)])
    out = np.empty((replicas, sweeps // record_every + 1, P))
    beta = 1.0 / T if T > 0 else np.inf
    code = ZERO_T if T == 0 else _RULES[rule]
    _recall_kernel(np.ascontiguousarray(xi.T), spins, beta, code, sweeps, record_every, states, out)
    times = np.arange(out.shape[1]) * record_every
    return RecallRun(out, times, spins, T, rule if T > 0 else "zero-temperature", cue, noise)


def recall_overlaps(
    n: int,
    alphas,
    T: float,
    *,
    samples: int = 10,
    sweeps: int = 30,
    noise: float = 0.1,
    prior="binary",
    rule: str = "glauber",
    window: int = 1,
    seed: SeedLike = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Final overlap with the cued pattern after ``sweeps`` sweeps of :func:`recall`, against the load.

    For each load alpha, ``samples`` independent pattern sets of P = max(1, round(alpha n)) patterns
    (seed child k for load k, its children for the samples) are drawn and one noisy cue of pattern 0 is
    relaxed in each; its overlap is averaged over the last ``window`` sweeps (use a window > 1 at T > 0, where
    the overlap fluctuates). Returns the mean over samples and its standard error, shape (len(alphas),).

    Examples
    --------
    >>> mean, err = recall_overlaps(200, [0.02], 0.0, samples=3, seed=1)
    >>> mean.round(2).tolist()
    [1.0]
    """
    n, loads, samples, sweeps, window = check_overlap_scan(n, alphas, samples, sweeps, window)
    root = seed_sequence(seed)
    mean, err = np.empty(loads.size), np.empty(loads.size)
    for k, alpha in enumerate(loads):
        finals = np.empty(samples)
        P = max(1, int(round(alpha * n)))
        for s in range(samples):
            ss = child(child(root, k), s)
            xi = patterns(n, P, seed=child(ss, 0), prior=prior)
            run = recall(xi, T, sweeps, noise=noise, rule=rule, seed=child(ss, 1))
            finals[s] = run.overlaps[0, -window:, 0].mean()
        mean[k], err[k] = finals.mean(), finals.std(ddof=1) / np.sqrt(samples)
    return mean, err
