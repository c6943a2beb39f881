"""Population annealing: a population of Metropolis chains cooled step by step and resampled by weight.

At each temperature step from beta_{k-1} to beta_k, replica i carries the weight
w_i = exp(-(beta_k - beta_{k-1}) E_i). The mean weight Q_k estimates Z(beta_k) / Z(beta_{k-1}), so
ln Z(beta_k) = n ln 2 + sum_{j <= k} ln Q_j (the population starts at beta_0 = 0, where uniform random
configurations are exact samples and Z = 2**n). Resampling in proportion to w_i turns the population
into a sample at beta_k, which Metropolis sweeps then decorrelate. Copies keep their own random
streams (each chain slot keeps its generator; only configurations move), so duplicates diverge.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_int, check_temperatures
from ..models import Model
from . import _engine
from .metropolis import check_model


@dataclass(frozen=True)
class PopulationResult:
    """Output of :func:`population_annealing`; arrays have one entry per temperature step.

    Attributes
    ----------
    temperatures : (K,) float64
        The temperatures, hottest first.
    log_partition : (K,) float64
        Estimate of ln Z at each temperature.
    free_energy : (K,) float64
        -T ln Z / n, the free energy per spin.
    energy : (K,) float64
        Population mean of the energy per spin after each step's sweeps.
    effective_fraction : (K,) float64
        Effective sample size of the resampling weights over R, (sum w)**2 / (R sum w**2): near 1
        when the step was small enough that the population still represents the new temperature.
    families : (K,) int64
        Number of initial replicas (at beta = 0) that still have descendants.
    best_energy : float
        Lowest energy per spin seen at the end of any step; ``best_state`` its configuration.
    spins : (R, n) int8
        The final population.
    population, sweeps, seed
    """

    temperatures: np.ndarray
    log_partition: np.ndarray
    free_energy: np.ndarray
    energy: np.ndarray
    effective_fraction: np.ndarray
    families: np.ndarray
    best_energy: float
    best_state: np.ndarray
    spins: np.ndarray
    population: int
    sweeps: int
    seed: int


def _systematic_resample(weights: np.ndarray, uniform: float) -> np.ndarray:
    """Ancestor of each of the R new replicas: replica i gets floor or ceil of R w_i / sum(w) copies."""
    count = weights.size
    cumulative = np.cumsum(weights)
    points = (uniform + np.arange(count)) * (cumulative[-1] / count)
    return np.minimum(np.searchsorted(cumulative, points, side="right"), count - 1)


def population_annealing(
    model: Model,
    temperatures,
    *,
    population: int = 1000,
    sweeps: int = 10,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> PopulationResult:
    """Population annealing of ``model`` from infinite temperature down the given temperatures.

    Parameters
    ----------
    model : Model
        Any spinlab model.
    temperatures : array_like
        Decreasing temperatures (units of J) of the steps; the population starts at T = infinity.
    population : int
        Number of replicas R (>= 2).
    sweeps : int
        Metropolis sweeps of every replica after each resampling.
    seed : int, SeedSequence, Generator or None
        Replica slot r uses child r of ``SeedSequence(seed).spawn(2)[0]`` (as the chains of
        :func:`metropolis`); the resampling draws from child 1.
    progress : bool or None
        Show a progress bar over the steps; ``None`` shows one for more than ~10**9 attempted flips.

    Returns
    -------
    PopulationResult

    Examples
    --------
    >>> import spinlab
    >>> run = population_annealing(spinlab.models.sk(8, seed=1), [2.0, 1.0, 0.5], population=200, seed=3)
    >>> run.free_energy.shape
    (3,)
    """
    model = check_model(model)
    temps, _ = check_temperatures(temperatures, "temperatures")
    temps = np.atleast_1d(temps)
    if np.any(np.diff(temps) >= 0):
        raise ValueError(f"temperatures must decrease (the population is cooled), got {temps}")
    population = check_int(population, "population", minimum=2)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    root = seed_sequence(seed)
    chains_seed, resampling_seed = root.spawn(2)
    resampler = np.random.default_rng(resampling_seed)
    n = model.n
    betas = 1.0 / temps
    state = _engine.new_state(model, temps[:1], population, chains_seed, "random", sweeps, False, overlaps=False)
    stepper = _engine.Stepper(model, betas[:1], _engine.RULES["metropolis"], False, 1, state)
    family = np.arange(population)
    log_z = n * np.log(2.0)
    steps = temps.size
    log_partition, energy, effective, families = (np.empty(steps) for _ in range(4))
    best_energy, best_state = np.inf, state.spins[0, 0].copy()
    previous = 0.0
    total = steps * sweeps * population * n
    with _engine.progress_bar(progress, total, steps, 0, "population annealing") as bar:
        for k, beta in enumerate(betas):
            log_weights = -(beta - previous) * state.energy[:, 0]
            shift = log_weights.max()
            weights = np.exp(log_weights - shift)
            log_z += shift + np.log(weights.mean())
            effective[k] = weights.sum() ** 2 / (population * (weights**2).sum())
            ancestors = _systematic_resample(weights, resampler.random())
            for name in ("spins", "energy", "magnet"):  # generators stay with their slots
                setattr(state, name, getattr(state, name)[ancestors])
            state.fields = _engine.aligned(state.fields[ancestors])
            family = family[ancestors]
            stepper.state = state
            stepper.set_betas(np.array([beta]))
            state.done[...] = 0
            stepper.advance(sweeps)
            log_partition[k] = log_z
            energy[k] = state.energy[:, 0].mean() / n
            families[k] = np.unique(family).size
            lowest = int(np.argmin(state.energy[:, 0]))
            if state.energy[lowest, 0] / n < best_energy:
                best_energy, best_state = float(state.energy[lowest, 0] / n), state.spins[lowest, 0].copy()
            previous = beta
            bar.update(1)
    return PopulationResult(
        temperatures=temps,
        log_partition=log_partition,
        free_energy=-temps * log_partition / n,
        energy=energy,
        effective_fraction=effective,
        families=families.astype(np.int64),
        best_energy=best_energy,
        best_state=best_state,
        spins=state.spins[:, 0].copy(),
        population=population,
        sweeps=sweeps,
        seed=int(root.entropy),
    )
