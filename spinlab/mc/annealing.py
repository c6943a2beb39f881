"""Simulated annealing with temperature schedules set from the model's physical energy scale."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_int, check_real, check_temperatures
from ..models import Model
from . import _engine
from .metropolis import check_model


@dataclass(frozen=True)
class AnnealResult:
    """Output of :func:`anneal`.

    Attributes
    ----------
    energies : (reads,) float64
        Energy per spin of each read's final state after the zero-temperature quench.
    states : (reads, n) int8
        Those final states (single-flip local minima).
    best_energy : float
        Lowest energy per spin over the reads; ``best_state`` its configuration.
    trace : (reads, sweeps) float64
        Energy per spin after every annealing sweep.
    temperatures : (sweeps,) float64
        The temperature of every sweep.
    field_scale : float
        The physical scale used to set the default schedule (rms local field, see :func:`field_scale`).
    """

    energies: np.ndarray
    states: np.ndarray
    best_energy: float
    best_state: np.ndarray
    trace: np.ndarray
    temperatures: np.ndarray
    field_scale: float


def field_scale(model: Model) -> float:
    """Root-mean-square local field in the paramagnet, sqrt(mean_i (sum_j J_ij^2 + h_i^2)).

    This is the width of the distribution of energy changes at high temperature: 1 for SK
    (J_ij ~ N(0, 1/N)), sqrt(2d) for the ±J EA model in d dimensions.
    """
    J = model.to_dense()
    return float(np.sqrt(np.mean(np.sum(J**2, axis=1) + model.h**2)))


def schedule_temperatures(model: Model, schedule, sweeps: int) -> np.ndarray:
    """Temperature of each sweep for a named schedule, a (T_hot, T_cold) pair or an explicit array.

    Named schedules ("geometric", "linear") run from T_hot = 3 s to T_cold = 0.02 s, where s is
    :func:`field_scale`: hot enough that the first sweeps randomise every spin, cold enough that
    the last ones only descend, for any normalisation of the couplings.
    """
    scale = field_scale(model)
    if isinstance(schedule, str):
        kind = check_choice(schedule, "schedule", ("geometric", "linear"))
        hot, cold = 3.0 * scale, 0.02 * scale
    elif isinstance(schedule, tuple) and len(schedule) == 2:
        kind = "geometric"
        hot = check_real(schedule[0], "schedule[0]", positive=True)
        cold = check_real(schedule[1], "schedule[1]", positive=True)
        if cold >= hot:
            raise ValueError(f"schedule must be (T_hot, T_cold) with T_hot > T_cold, got {schedule}")
    else:
        temps, _ = check_temperatures(schedule, "schedule")
        if temps.size != sweeps:
            raise ValueError(f"an explicit schedule must give one temperature per sweep ({sweeps}), got {temps.size}")
        return temps
    if kind == "geometric":
        return np.geomspace(hot, cold, sweeps)
    return np.linspace(hot, cold, sweeps)


def anneal(
    model: Model,
    schedule="geometric",
    sweeps: int = 1000,
    *,
    reads: int = 16,
    seed: SeedLike = None,
    rule: str = "metropolis",
    quench_sweeps: int = 20,
) -> AnnealResult:
    """Simulated annealing: ``reads`` independent Metropolis chains cooled along ``schedule``.

    Parameters
    ----------
    model : Model
    schedule : "geometric", "linear", (T_hot, T_cold) or array of length ``sweeps``
        See :func:`schedule_temperatures`; named schedules use the model's field scale.
    sweeps : int
        Annealing sweeps (one temperature each).
    reads : int
        Independent runs; read r uses ``SeedSequence(seed).spawn(reads)[r]``.
    quench_sweeps : int
        Zero-temperature sweeps at the end (greedy descent to a single-flip local minimum).

    Examples
    --------
    >>> import spinlab
    >>> res = anneal(spinlab.models.sk(12, seed=1), sweeps=200, reads=4, seed=2)
    >>> bool(res.best_energy <= res.energies.max())
    True
    """
    model = check_model(model)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    reads = check_int(reads, "reads", minimum=1)
    quench_sweeps = check_int(quench_sweeps, "quench_sweeps", minimum=0)
    rule_code = _engine.RULES[check_choice(rule, "rule", tuple(_engine.RULES))]
    temps = schedule_temperatures(model, schedule, sweeps)
    total = sweeps + quench_sweeps
    state = _engine.new_state(model, [1.0], reads, seed_sequence(seed), "random", total, False, overlaps=False)
    stepper = _engine.Stepper(model, np.array([1.0 / temps[0]]), rule_code, False, 1, state)
    quench = np.full(quench_sweeps, 1e-6 * field_scale(model))
    for t, T in enumerate(np.concatenate([temps, quench])):
        stepper.set_betas(np.array([1.0 / T]))
        stepper.advance(t + 1)
    energies = state.energies[:, 0, -1].copy()
    best = int(np.argmin(energies))
    final = state.spins[:, 0].copy()
    return AnnealResult(
        energies=energies,
        states=final,
        best_energy=float(energies[best]),
        best_state=final[best].copy(),
        trace=state.energies[:, 0, :sweeps].copy(),
        temperatures=temps,
        field_scale=field_scale(model),
    )
