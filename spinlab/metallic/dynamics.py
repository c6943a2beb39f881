"""Landau-Lifshitz-Gilbert relaxation of the moments with exact or learned local fields.

The equation of motion (time in units of 1/J0, gyromagnetic ratio 1) is

    dS_i/dt = -S_i x h_i - alpha S_i x (S_i x h_i) = omega_i x S_i,   omega_i = h_i + alpha S_i x h_i,

in the Landau-Lifshitz form (the Gilbert form is the same with time rescaled by 1 + alpha^2). With h = -dH/dS
the energy obeys dH/dt = -alpha sum_i |S_i x h_i|^2 <= 0 and is conserved at alpha = 0.

Integrator: a Heun (second-order Runge-Kutta) step on the rotation group. omega is evaluated at S(t) and at
the predictor S* = Rot(omega(S(t)) dt) S(t); the step rotates every S_i(t) by the mean of the two angular
velocities times dt (Rodrigues' formula). Rotations preserve |S_i| = 1 to round-off, with no renormalisation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_int, check_real
from . import _kernels
from .learn import FieldModel
from .system import MetallicSystem, _check_system, _check_unit_spins, _fields, random_spins

__all__ = ["Relaxation", "relax", "snapshots"]


@dataclass(frozen=True)
class Relaxation:
    """A relaxation trajectory.

    Attributes
    ----------
    times : (m,) float64
        Recorded times (every ``record_every`` steps, including 0 and the end).
    energies : (m,) float64
        Exact energy per moment H/n at those times (also when the dynamics used a learned field).
    spins : (n, 3) float64
        Final configuration.
    norm_error : float
        max over steps and moments of ||S_i| - 1|.
    alpha, dt : float
    n_steps : int
    learned : bool
        Whether the fields came from a :class:`~spinlab.metallic.FieldModel`.
    """

    times: np.ndarray
    energies: np.ndarray
    spins: np.ndarray
    norm_error: float
    alpha: float
    dt: float
    n_steps: int
    learned: bool


def _integrate(field, S, alpha, dt, n_steps, record_every, system):
    """Heun steps on the rotation group; returns (times, energies, final spins, norm error)."""
    n = S.shape[1]
    w1, w2, pred, new = (np.empty((n, 3)) for _ in range(4))
    times, energies = [0.0], [-0.5 * float(np.sum(S * _fields(system, S))) / n]
    norm_error = 0.0
    for step in range(1, n_steps + 1):
        _kernels.llg_omega(S[0], field(S)[0], alpha, w1)
        _kernels.rotate(S[0], w1, dt, pred)
        _kernels.llg_omega(pred, field(pred[None])[0], alpha, w2)
        _kernels.rotate(S[0], 0.5 * (w1 + w2), dt, new)
        S = new[None].copy()
        norm_error = max(norm_error, float(np.max(np.abs(np.sqrt(np.sum(new**2, axis=1)) - 1.0))))
        if step % record_every == 0 or step == n_steps:
            times.append(step * dt)
            energies.append(-0.5 * float(np.sum(S * _fields(system, S))) / n)
    return np.array(times), np.array(energies), S[0], norm_error


def relax(
    system: MetallicSystem,
    spins: np.ndarray,
    *,
    alpha: float = 0.1,
    dt: float = 0.02,
    n_steps: int = 500,
    record_every: int = 1,
    model: FieldModel | None = None,
) -> Relaxation:
    """Integrate the LLG equation from ``spins`` with exact fields, or with the fields of ``model``.

    Parameters
    ----------
    system : MetallicSystem
    spins : (n, 3) unit vectors
        Initial configuration (not modified).
    alpha : float >= 0
        Gilbert damping; 0 gives precession only (energy conserved up to the integrator's O(dt^2) error).
    dt : float > 0
        Time step in units of 1/J0; keep max |h| dt well below 1.
    n_steps, record_every : int
    model : FieldModel, optional
        Learned fields drive the dynamics; the energies reported are still the exact H/n.

    Examples
    --------
    >>> from spinlab.metallic import random_system, random_spins
    >>> s = random_system(32, seed=0)
    >>> run = relax(s, random_spins(32, seed=1), alpha=0.5, n_steps=200, record_every=50)
    >>> run.times.tolist(), bool(np.all(np.diff(run.energies) < 0)), run.norm_error < 1e-12
    ([0.0, 1.0, 2.0, 3.0, 4.0], True, True)
    """
    system = _check_system(system)
    S, single = _check_unit_spins(spins, system.n)
    if not single:
        raise ValueError(f"spins must be one configuration of shape ({system.n}, 3), got {spins.shape}")
    alpha = check_real(alpha, "alpha")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    dt = check_real(dt, "dt", positive=True)
    n_steps = check_int(n_steps, "n_steps", minimum=0)
    record_every = check_int(record_every, "record_every", minimum=1)
    if model is None:

        def field(x):
            return _fields(system, x)

    elif isinstance(model, FieldModel):
        field = model.field_function(system)
    else:
        raise TypeError(f"model must be a FieldModel or None, got {type(model).__name__}")
    times, energies, final, norm_error = _integrate(field, S.copy(), alpha, dt, n_steps, record_every, system)
    return Relaxation(times, energies, final, norm_error, alpha, dt, n_steps, model is not None)


def snapshots(
    system: MetallicSystem,
    n_configs: int,
    *,
    alpha: float = 0.1,
    dt: float = 0.02,
    max_steps: int = 400,
    seed: SeedLike = None,
) -> np.ndarray:
    """Configurations met during relaxations: each starts from random spins and runs a random number of steps.

    Configuration k starts from independent uniformly random spins and is relaxed with exact fields for a
    number of steps drawn uniformly from {0, ..., max_steps}, so the set spans hot (random) to partly
    relaxed states, the states a learned field must handle during a quench.

    Returns
    -------
    (n_configs, n, 3) float64 unit vectors

    Examples
    --------
    >>> from spinlab.metallic import random_system
    >>> s = random_system(32, seed=0)
    >>> snapshots(s, 3, seed=1, max_steps=20).shape
    (3, 32, 3)
    """
    system = _check_system(system)
    n_configs = check_int(n_configs, "n_configs", minimum=1)
    alpha = check_real(alpha, "alpha")
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    dt = check_real(dt, "dt", positive=True)
    max_steps = check_int(max_steps, "max_steps", minimum=0)
    children = seed_sequence(seed).spawn(n_configs)
    out = np.empty((n_configs, system.n, 3))

    def field(x):
        return _fields(system, x)

    for k, child in enumerate(children):
        start, length = child.spawn(2)
        steps = int(np.random.default_rng(length).integers(0, max_steps + 1))
        S = random_spins(system.n, seed=start)[None]
        out[k] = _integrate(field, S, alpha, dt, steps, max(steps, 1), system)[2]
    return out
