"""Ground states by heuristic search: success probabilities, time to solution, finite-size fits.

* :func:`ground_state_search` — the lowest energy found by simulated annealing (best of
  ``runs`` reads) or by parallel tempering (lowest energy seen at the coldest temperature),
  with the configuration that has it.
* :func:`success_probability`, :func:`running_success`, :func:`binomial_interval` and
  :func:`time_to_solution` — the time-to-solution (TTS) analysis of a solver on instances whose
  exact ground state is known.
* :func:`pt_coldest_traces` — the energy at the coldest temperature after every sweep of many
  independent parallel-tempering ladders.
* :func:`tts_curves` — success probability and TTS of annealing and PT on one instance.
* :func:`sk_ground_state_sample`, :func:`ea_ground_state_sample`, :func:`sk_tts_sample` —
  importable task functions for :func:`spinlab.sweep.disorder_average` (one disorder sample
  per call).
* :func:`extrapolate` — weighted least-squares fit of e(N) = e_inf + a N^(-omega).

Conventions: energies per spin, temperatures in units of J (k_B = 1), and time measured in
sweeps (n attempted single-spin flips), summed over every chain and every temperature.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_choice, check_int, check_real, check_temperatures
from ..models import Model, ea, sk
from . import _engine
from .annealing import anneal, field_scale
from .metropolis import check_model

__all__ = [
    "Extrapolation",
    "SearchResult",
    "binomial_interval",
    "default_ladder",
    "ea_ground_state_sample",
    "extrapolate",
    "ground_state_search",
    "pt_coldest_traces",
    "running_success",
    "TTSCurves",
    "sk_ground_state_sample",
    "sk_tts_sample",
    "success_probability",
    "time_to_solution",
    "tts_curves",
]

_METHODS = ("anneal", "pt")
# Per-sweep records of a run: too large to copy at every chunk, and rewritten identically by a replay.
# Every other array of the run state (configurations, fields, generators, counters) is saved.
_RECORDS = ("pairs", "energies", "magnets", "overlaps", "states")


def _matches(energies: np.ndarray, ground_energy: float, tol: float) -> np.ndarray:
    return energies <= ground_energy + tol * (1.0 + abs(ground_energy))


def _check_energies(energies, name: str, ndim: int) -> np.ndarray:
    arr = np.asarray(energies)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be an array of real numbers, got dtype {arr.dtype}")
    if arr.ndim != ndim or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty {ndim}-d array, got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def _check_tol(tol) -> float:
    tol = check_real(tol, "tol")
    if tol < 0:
        raise ValueError(f"tol must be >= 0, got {tol}")
    return tol


def success_probability(energies, ground_energy: float, *, tol: float = 1e-9) -> float:
    """Fraction of runs whose final energy per spin equals the ground-state energy.

    A run succeeds when ``e <= ground_energy + tol * (1 + |ground_energy|)``.

    Parameters
    ----------
    energies : 1-d array
        Energy per spin at the end of each independent run (e.g. ``AnnealResult.energies``).
    ground_energy : float
        The exact ground-state energy per spin (e.g. ``spinlab.exact.ground_state(model).energy``).
    tol : float
        Relative tolerance for rounding errors.

    Examples
    --------
    >>> success_probability([-0.7, -0.75, -0.75, -0.74], -0.75)
    0.5
    """
    arr = _check_energies(energies, "energies", 1)
    ground_energy = check_real(ground_energy, "ground_energy")
    return float(np.mean(_matches(arr, ground_energy, _check_tol(tol))))


def running_success(traces, ground_energy: float, *, tol: float = 1e-9) -> np.ndarray:
    """Fraction of runs that have seen the ground state by each sweep.

    Parameters
    ----------
    traces : (runs, sweeps) array
        Energy per spin of independent runs after every sweep (e.g. from :func:`pt_coldest_traces`).
    ground_energy, tol
        As in :func:`success_probability`.

    Returns
    -------
    (sweeps,) float64
        ``p[t]`` = fraction of runs whose lowest energy in sweeps ``0..t`` is the ground state.

    Examples
    --------
    >>> running_success([[-0.5, -1.0, -0.5], [-0.5, -0.5, -1.0]], -1.0).tolist()
    [0.0, 0.5, 1.0]
    """
    arr = _check_energies(traces, "traces", 2)
    ground_energy = check_real(ground_energy, "ground_energy")
    hit = _matches(np.minimum.accumulate(arr, axis=1), ground_energy, _check_tol(tol))
    return hit.mean(axis=0)


def binomial_interval(p, runs: int, *, z: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a success probability measured from ``runs`` independent runs.

    Unlike p ± sqrt(p(1-p)/runs) it stays inside [0, 1] and is not empty at p = 0 or 1.

    Parameters
    ----------
    p : float or array
        Observed success fractions.
    runs : int
        Number of independent runs behind each fraction.
    z : float
        Half-width in standard deviations (1 for a 68 % interval).

    Returns
    -------
    (low, high) arrays of the shape of ``p``.

    Examples
    --------
    >>> low, high = binomial_interval(0.0, 100)
    >>> float(low), round(float(high), 4)
    (0.0, 0.0099)
    """
    arr = np.asarray(p, dtype=np.float64)
    if np.any(~np.isfinite(arr)) or np.any((arr < 0) | (arr > 1)):
        raise ValueError(f"p must lie in [0, 1], got {p!r}")
    runs = check_int(runs, "runs", minimum=1)
    z = check_real(z, "z", positive=True)
    denom = 1.0 + z * z / runs
    centre = (arr + z * z / (2 * runs)) / denom
    half = z * np.sqrt(arr * (1 - arr) / runs + z * z / (4 * runs * runs)) / denom
    # the interval always contains p (exactly, despite rounding at p = 0 and p = 1)
    return np.clip(np.minimum(centre - half, arr), 0.0, 1.0), np.clip(np.maximum(centre + half, arr), 0.0, 1.0)


def time_to_solution(p, time_per_run, *, target: float = 0.99):
    """Time to find the ground state with probability ``target`` by independent restarts.

    With success probability p per run of duration t, R runs all fail with probability
    (1 - p)^R; requiring this to be 1 - target gives

        TTS = t * ln(1 - target) / ln(1 - p),

    with at least one run (TTS = t when p >= target) and TTS = inf when p = 0.

    Parameters
    ----------
    p : float or array
        Success probability of one run, in [0, 1].
    time_per_run : float or array
        Duration of one run (any unit: sweeps, seconds, ...), > 0; broadcast against ``p``.
    target : float
        Required overall success probability, in (0, 1).

    Returns
    -------
    float or ndarray
        TTS in the unit of ``time_per_run``.

    Examples
    --------
    >>> round(time_to_solution(0.5, 100.0), 3)  # ln(0.01) / ln(0.5) = 6.64 runs
    664.386
    >>> time_to_solution(0.0, 100.0), time_to_solution(1.0, 100.0)
    (inf, 100.0)
    """
    target = check_real(target, "target")
    if not 0.0 < target < 1.0:
        raise ValueError(f"target must lie strictly between 0 and 1, got {target}")
    parr = np.asarray(p, dtype=np.float64)
    if np.any(~np.isfinite(parr)) or np.any((parr < 0) | (parr > 1)):
        raise ValueError(f"p must lie in [0, 1], got {p!r}")
    tarr = np.asarray(time_per_run, dtype=np.float64)
    if np.any(~np.isfinite(tarr)) or np.any(tarr <= 0):
        raise ValueError(f"time_per_run must be finite and > 0, got {time_per_run!r}")
    with np.errstate(divide="ignore"):
        runs = np.log1p(-target) / np.log1p(-np.minimum(parr, 1.0))
    runs = np.where(parr >= target, 1.0, np.where(parr <= 0, np.inf, np.maximum(runs, 1.0)))
    out = tarr * runs
    return float(out) if out.ndim == 0 else out


def default_ladder(model: Model, count: int | None = None, *, low: float = 0.25, high: float = 1.0) -> np.ndarray:
    """Geometric temperature ladder for ground-state searches, from ``low`` s to ``high`` s.

    s is :func:`spinlab.mc.field_scale` (1 for SK, 2 for the 2D ±J EA model, sqrt(6) in 3D), so
    the ladder spans the same physical range for any normalisation: nearly frozen at the bottom
    (the coldest configurations sit close to local minima), at or above the glass temperature at
    the top (T_c = 1 for SK, 1.1 for the 3D ±J model; 0 in 2D). The default ``count`` is
    max(6, ceil(0.7 sqrt(n))): relative energy fluctuations shrink as 1/sqrt(n), so the
    temperature gaps that keep exchanges going must shrink alike.

    Examples
    --------
    >>> import spinlab
    >>> default_ladder(spinlab.models.ea(8, d=2, seed=1)).round(2).tolist()  # field scale 2, n = 64
    [0.5, 0.66, 0.87, 1.15, 1.52, 2.0]
    """
    model = check_model(model)
    count = max(6, math.ceil(0.7 * math.sqrt(model.n))) if count is None else check_int(count, "count", minimum=2)
    low = check_real(low, "low", positive=True)
    high = check_real(high, "high", positive=True)
    if high <= low:
        raise ValueError(f"high must exceed low, got low={low}, high={high}")
    scale = field_scale(model)
    return np.geomspace(low * scale, high * scale, count)


@dataclass(frozen=True)
class SearchResult:
    """Output of :func:`ground_state_search`.

    Attributes
    ----------
    energy : float
        Lowest energy per spin found.
    state : (n,) int8
        A configuration with that energy.
    run_energies : (runs,) float64
        Lowest energy per spin of each independent run (anneal: each read after its quench;
        PT: each ladder's coldest temperature over all sweeps).
    method : str
        "anneal" or "pt".
    sweeps : int
        Sweeps per run (anneal: annealing sweeps per read, without the quench; PT: sweeps per
        temperature).
    runs : int
        Reads (anneal) or independent ladders (PT).
    budget : int
        Sweeps spent in total (sweeps x runs, times the number of temperatures for PT).
    temperatures : (K,) float64
        The PT ladder (empty for annealing).
    seed : int
        Root entropy of the search.
    """

    energy: float
    state: np.ndarray
    run_energies: np.ndarray
    method: str
    sweeps: int
    runs: int
    budget: int
    temperatures: np.ndarray
    seed: int


def _pt_search(model: Model, temps: np.ndarray, sweeps: int, runs: int, root: np.random.SeedSequence):
    """PT that also returns the configuration with the lowest energy seen at the coldest temperature.

    The run advances in about 16 chunks, saving the dynamic state at the start of each chunk
    that sets a new record. At the end the record chunk is replayed from its saved state up to
    the record sweep (bit for bit: configurations, fields and random generators all live in the
    saved arrays), which costs at most one chunk.
    """
    state = _engine.new_state(model, temps, runs, root, "random", sweeps, False, overlaps=False)
    stepper = _engine.Stepper(model, 1.0 / temps, _engine.RULES["metropolis"], False, 1, state)
    best_energy, best_sweep, best_run, saved = np.inf, 0, 0, None
    every = max(1, math.ceil(sweeps / 16))
    for end in _engine.chunk_ends(0, sweeps, runs * temps.size * model.n, every):
        start = int(state.done)
        snapshot = {name: value.copy() for name, value in state.arrays().items() if name not in _RECORDS}
        stepper.advance(end)
        cold = state.energies[:, 0, start:end]
        r, t = np.unravel_index(np.argmin(cold), cold.shape)
        if cold[r, t] < best_energy:
            best_energy, best_sweep, best_run, saved = float(cold[r, t]), start + int(t) + 1, int(r), snapshot
    run_energies = state.energies[:, 0, :].min(axis=1)
    if best_sweep < sweeps:
        for name, value in saved.items():
            setattr(state, name, value)
        stepper.advance(best_sweep)
    best_state = state.spins[best_run, state.slot[best_run, 0]].copy()
    return best_energy, best_state, run_energies


def ground_state_search(
    model: Model,
    method: str = "anneal",
    *,
    budget: int = 20_000,
    runs: int | None = None,
    seed: SeedLike = None,
    temperatures=None,
    schedule="geometric",
) -> SearchResult:
    """Search for a ground state with a fixed total number of sweeps.

    Parameters
    ----------
    model : Model
        Any spinlab model.
    method : {"anneal", "pt"}
        ``"anneal"``: ``runs`` reads of :func:`spinlab.mc.anneal` with ``budget // runs`` sweeps
        each (plus its 20 zero-temperature quench sweeps); the answer is the best read.
        ``"pt"``: ``runs`` independent parallel-tempering ladders with ``budget // (runs * K)``
        sweeps per temperature; the answer is the lowest energy seen at the coldest temperature.
    budget : int
        Total sweeps over all runs and temperatures (one sweep = n attempted flips).
    runs : int or None
        Independent runs (default 16 reads for annealing, 2 ladders for PT).
    seed : int, SeedSequence, Generator or None
        Root seed of the search.
    temperatures : array or None
        PT ladder (default :func:`default_ladder`); ignored by annealing.
    schedule
        Annealing schedule (see :func:`spinlab.mc.anneal`); ignored by PT.

    Returns
    -------
    SearchResult

    Examples
    --------
    >>> import spinlab
    >>> model = spinlab.models.sk(14, seed=3)
    >>> exact = spinlab.exact.ground_state(model).energy
    >>> res = ground_state_search(model, "pt", budget=4000, seed=1)
    >>> bool(abs(res.energy - exact) < 1e-12), bool(abs(model.energy(res.state) - res.energy) < 1e-12)
    (True, True)
    """
    model = check_model(model)
    method = check_choice(method, "method", _METHODS)
    budget = check_int(budget, "budget", minimum=1)
    runs = (16 if method == "anneal" else 2) if runs is None else check_int(runs, "runs", minimum=1)
    root = seed_sequence(seed)
    if method == "anneal":
        sweeps = budget // runs
        if sweeps < 1:
            raise ValueError(f"budget must be at least runs = {runs} sweeps for annealing, got {budget}")
        res = anneal(model, schedule, sweeps, reads=runs, seed=root)
        return SearchResult(
            energy=res.best_energy,
            state=res.best_state,
            run_energies=res.energies,
            method=method,
            sweeps=sweeps,
            runs=runs,
            budget=sweeps * runs,
            temperatures=np.empty(0),
            seed=int(root.entropy),
        )
    if temperatures is None:
        temps = default_ladder(model)
    else:
        temps, scalar = check_temperatures(temperatures, "temperatures")
        if scalar or temps.size < 2 or np.unique(temps).size != temps.size:
            raise ValueError("temperatures must hold at least two distinct values")
        temps = np.sort(temps)
    sweeps = budget // (runs * temps.size)
    if sweeps < 1:
        raise ValueError(
            f"budget must be at least runs x temperatures = {runs * temps.size} sweeps for PT, got {budget}"
        )
    energy, state, run_energies = _pt_search(model, temps, sweeps, runs, root)
    return SearchResult(
        energy=energy,
        state=state,
        run_energies=run_energies,
        method=method,
        sweeps=sweeps,
        runs=runs,
        budget=sweeps * runs * temps.size,
        temperatures=temps,
        seed=int(root.entropy),
    )


def pt_coldest_traces(model: Model, temperatures, sweeps: int, *, runs: int = 32, seed: SeedLike = None) -> np.ndarray:
    """Energy per spin at the coldest temperature after every sweep of ``runs`` independent PT ladders.

    Run r is ``parallel_tempering(model, temperatures, sweeps, replicas=1)`` with seed
    ``SeedSequence(seed).spawn(runs)[r]`` (single-ladder runs: no overlap bookkeeping).
    Feed the result to :func:`running_success`; one run of t sweeps costs t K sweeps.

    Returns
    -------
    (runs, sweeps) float64

    Examples
    --------
    >>> import spinlab
    >>> tr = pt_coldest_traces(spinlab.models.sk(10, seed=1), [0.3, 0.6, 1.2], 50, runs=4, seed=0)
    >>> tr.shape
    (4, 50)
    """
    from .tempering import parallel_tempering

    model = check_model(model)
    runs = check_int(runs, "runs", minimum=1)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    root = seed_sequence(seed)
    out = np.empty((runs, sweeps))
    for r in range(runs):
        res = parallel_tempering(model, temperatures, sweeps, replicas=1, seed=child(root, r), progress=False)
        out[r] = res.energy[0, 0]
    return out


@dataclass(frozen=True)
class TTSCurves:
    """Success probability and time to solution of annealing and PT on one instance (:func:`tts_curves`).

    Times are sweeps per run, summed over temperatures: an anneal of S sweeps costs
    S + quench_sweeps, a PT ladder run for t sweeps costs t K.

    Attributes
    ----------
    ground_energy : float
        Exact ground-state energy per spin used as the target.
    anneal_time, anneal_p, anneal_tts : (k,) float64
        Duration of one anneal, fraction of ``reads`` that ended in a ground state, TTS.
    pt_time, pt_p, pt_tts : (sweeps,) float64
        The same for PT stopped after t = 1, 2, ... sweeps (success: the ground state was seen at
        the coldest temperature).
    reads, pt_runs : int
        Independent runs behind each probability.
    target : float
        Success probability of the TTS.
    """

    ground_energy: float
    anneal_time: np.ndarray
    anneal_p: np.ndarray
    anneal_tts: np.ndarray
    pt_time: np.ndarray
    pt_p: np.ndarray
    pt_tts: np.ndarray
    reads: int
    pt_runs: int
    target: float

    def optimal(self, method: str) -> tuple[float, float]:
        """(minimum TTS, the run duration that achieves it) for "anneal" or "pt"."""
        method = check_choice(method, "method", _METHODS)
        time, tts = (self.anneal_time, self.anneal_tts) if method == "anneal" else (self.pt_time, self.pt_tts)
        k = int(np.argmin(tts))
        return float(tts[k]), float(time[k])


def tts_curves(
    model: Model,
    ground_energy: float,
    *,
    anneal_sweeps=(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000),
    reads: int = 100,
    quench_sweeps: int = 5,
    temperatures=None,
    pt_sweeps: int = 300,
    pt_runs: int = 64,
    target: float = 0.99,
    seed: SeedLike = None,
    tol: float = 1e-9,
) -> TTSCurves:
    """Time-to-solution curves of simulated annealing and parallel tempering on one instance.

    For each length S in ``anneal_sweeps``, ``reads`` anneals (default schedule) give the
    success probability p(S); :func:`pt_coldest_traces` with ``pt_runs`` ladders gives p(t) for
    every PT length t <= ``pt_sweeps``; :func:`time_to_solution` turns both into TTS.

    Parameters
    ----------
    model : Model
    ground_energy : float
        Exact ground-state energy per spin (from :func:`spinlab.exact.ground_state`).
    anneal_sweeps : sequence of int
        Annealing lengths (sweeps, without the quench).
    reads : int
        Anneals per length.
    quench_sweeps : int
        Zero-temperature sweeps after each anneal (counted in its time).
    temperatures : array or None
        PT ladder (default :func:`default_ladder`).
    pt_sweeps, pt_runs : int
        Length and number of independent PT ladders.
    target : float
        Success probability of the TTS (0.99 gives TTS_99).
    seed : int, SeedSequence, Generator or None
        Root seed (child 0 for annealing, 1 for PT).
    tol : float
        Relative energy tolerance of a success.

    Returns
    -------
    TTSCurves

    Examples
    --------
    >>> import spinlab
    >>> model = spinlab.models.sk(12, seed=2)
    >>> e0 = spinlab.exact.ground_state(model).energy
    >>> c = tts_curves(model, e0, anneal_sweeps=(10, 100), reads=20, pt_sweeps=50, pt_runs=8, seed=1)
    >>> c.anneal_p.shape, c.pt_p.shape
    ((2,), (50,))
    """
    model = check_model(model)
    ground_energy = check_real(ground_energy, "ground_energy")
    lengths = np.asarray(anneal_sweeps)
    if lengths.ndim != 1 or lengths.size == 0 or lengths.dtype.kind not in "iu" or np.any(lengths < 1):
        raise ValueError(f"anneal_sweeps must be a non-empty sequence of integers >= 1, got {anneal_sweeps!r}")
    reads = check_int(reads, "reads", minimum=1)
    quench_sweeps = check_int(quench_sweeps, "quench_sweeps", minimum=0)
    pt_sweeps = check_int(pt_sweeps, "pt_sweeps", minimum=1)
    temps = default_ladder(model) if temperatures is None else np.sort(check_temperatures(temperatures)[0])
    root = seed_sequence(seed)
    anneal_root = child(root, 0)
    p_anneal = np.empty(lengths.size)
    for k, S in enumerate(lengths):
        res = anneal(model, "geometric", int(S), reads=reads, seed=child(anneal_root, k), quench_sweeps=quench_sweeps)
        p_anneal[k] = success_probability(res.energies, ground_energy, tol=tol)
    anneal_time = lengths.astype(np.float64) + quench_sweeps
    traces = pt_coldest_traces(model, temps, pt_sweeps, runs=pt_runs, seed=child(root, 1))
    p_pt = running_success(traces, ground_energy, tol=tol)
    pt_time = np.arange(1, pt_sweeps + 1, dtype=np.float64) * temps.size
    return TTSCurves(
        ground_energy=ground_energy,
        anneal_time=anneal_time,
        anneal_p=p_anneal,
        anneal_tts=time_to_solution(p_anneal, anneal_time, target=target),
        pt_time=pt_time,
        pt_p=p_pt,
        pt_tts=time_to_solution(p_pt, pt_time, target=target),
        reads=reads,
        pt_runs=pt_runs,
        target=target,
    )


def sk_tts_sample(sample_seed, n: int, **options) -> tuple[float, float]:
    """Optimal TTS (annealing, PT) in sweeps for one SK sample, exact ground state by enumeration.

    A task for :func:`spinlab.sweep.disorder_average`: couplings from child 0 of
    ``sample_seed``, the solvers from child 1; ``options`` go to :func:`tts_curves`.
    Needs n <= 26 (enumeration holds 2^n energies in memory).

    Examples
    --------
    >>> tts_sa, tts_pt = sk_tts_sample(3, 10, anneal_sweeps=(10, 50), reads=20, pt_sweeps=40, pt_runs=8)
    >>> tts_sa > 0 and tts_pt > 0
    True
    """
    from ..exact import ground_state

    root = seed_sequence(sample_seed)
    model = sk(check_int(n, "n", minimum=2, maximum=26), seed=child(root, 0))
    curves = tts_curves(model, ground_state(model).energy, seed=child(root, 1), **options)
    return curves.optimal("anneal")[0], curves.optimal("pt")[0]


def _sample_search(model: Model, sample_seed, method: str, budget: int, runs: int | None) -> float:
    return ground_state_search(model, method, budget=budget, runs=runs, seed=child(sample_seed, 1)).energy


def sk_ground_state_sample(
    sample_seed,
    n: int,
    *,
    method: str = "anneal",
    budget: int = 32_000,
    runs: int | None = None,
    couplings: str = "gaussian",
) -> float:
    """Best energy per spin found for one SK disorder sample (a task for ``disorder_average``).

    The couplings use child 0 of ``sample_seed`` and the search child 1, so calls with a
    different ``budget`` or ``method`` see the same sample. Bind the options with
    :func:`functools.partial`, which keeps the task importable by worker processes.

    Examples
    --------
    >>> from functools import partial
    >>> from spinlab.sweep import disorder_average
    >>> task = partial(sk_ground_state_sample, n=12, budget=4000)
    >>> len(disorder_average(task, 3, seed=1, executor="serial"))
    3
    """
    root = seed_sequence(sample_seed)
    model = sk(check_int(n, "n", minimum=2), seed=child(root, 0), couplings=couplings)
    return _sample_search(model, root, method, budget, runs)


def ea_ground_state_sample(
    sample_seed,
    L: int,
    *,
    d: int = 2,
    couplings: str = "pm1",
    method: str = "pt",
    budget: int = 100_000,
    runs: int | None = None,
) -> float:
    """Best energy per spin found for one periodic EA sample of size L^d (a task for ``disorder_average``).

    Seeds as in :func:`sk_ground_state_sample`.

    Examples
    --------
    >>> e = ea_ground_state_sample(1, 4, budget=6000)
    >>> bool(-2.0 <= e <= -1.0)
    True
    """
    root = seed_sequence(sample_seed)
    model = ea(check_int(L, "L", minimum=2), d=d, couplings=couplings, seed=child(root, 0))
    return _sample_search(model, root, method, budget, runs)


@dataclass(frozen=True)
class Extrapolation:
    """Fit of e(N) = e_inf + a N^(-omega) by :func:`extrapolate`.

    Attributes
    ----------
    e_inf, e_inf_err : float
        Extrapolated value and its one-standard-deviation error.
    slope, slope_err : float
        Amplitude a of the correction and its error.
    exponent : float
        The fixed omega.
    chi2 : float
        Weighted sum of squared residuals (with ``errors`` given), else the plain one.
    dof : int
        Points minus 2.
    covariance : (2, 2) float64
        Covariance of (e_inf, a).
    """

    e_inf: float
    e_inf_err: float
    slope: float
    slope_err: float
    exponent: float
    chi2: float
    dof: int
    covariance: np.ndarray

    def __call__(self, sizes) -> np.ndarray:
        """The fitted curve at ``sizes``."""
        return self.e_inf + self.slope * np.asarray(sizes, dtype=np.float64) ** (-self.exponent)


def extrapolate(sizes, values, errors=None, *, exponent: float = 2.0 / 3.0) -> Extrapolation:
    """Fit values(N) = e_inf + a N^(-exponent) by (weighted) linear least squares in x = N^(-exponent).

    Parameters
    ----------
    sizes : 1-d array
        System sizes N (or linear sizes L, with the matching exponent), > 0.
    values : 1-d array
        Measured values at those sizes (e.g. disorder-averaged ground-state energies per spin).
    errors : 1-d array or None
        One-standard-deviation errors of ``values``. With them the fit is weighted by 1/err^2
        and the parameter errors come from the covariance (X^T W X)^-1, taking the errors at face
        value (compare ``chi2`` with ``dof``). Without them the fit is unweighted and the
        covariance is scaled by the residual variance chi2 / dof (needs >= 3 points).
    exponent : float
        The fixed correction exponent omega > 0 (2/3 for SK ground states).

    Returns
    -------
    Extrapolation

    Examples
    --------
    >>> import numpy as np
    >>> N = np.array([32, 64, 128, 256])
    >>> fit = extrapolate(N, -0.76 + 0.7 * N ** (-2 / 3), np.full(4, 1e-3))
    >>> round(fit.e_inf, 6), round(fit.slope, 6)
    (-0.76, 0.7)
    """
    x = _check_energies(sizes, "sizes", 1)
    y = _check_energies(values, "values", 1)
    if np.any(x <= 0):
        raise ValueError("sizes must be > 0")
    if y.shape != x.shape:
        raise ValueError(f"values must have the shape of sizes {x.shape}, got {y.shape}")
    if np.unique(x).size < 2:
        raise ValueError("sizes must contain at least two distinct values")
    exponent = check_real(exponent, "exponent", positive=True)
    design = np.column_stack([np.ones_like(x), x ** (-exponent)])
    if errors is None:
        if x.size < 3:
            raise ValueError("an unweighted fit needs at least 3 points to estimate its error; pass errors")
        weights = np.ones_like(x)
    else:
        err = _check_energies(errors, "errors", 1)
        if err.shape != x.shape:
            raise ValueError(f"errors must have the shape of sizes {x.shape}, got {err.shape}")
        if np.any(err <= 0):
            raise ValueError("errors must be > 0")
        weights = 1.0 / err**2
    normal = design.T @ (weights[:, None] * design)
    cov = np.linalg.inv(normal)
    params = cov @ (design.T @ (weights * y))
    resid = y - design @ params
    chi2 = float(np.sum(weights * resid**2))
    dof = x.size - 2
    if errors is None:
        cov = cov * chi2 / dof
    return Extrapolation(
        e_inf=float(params[0]),
        e_inf_err=float(np.sqrt(cov[0, 0])),
        slope=float(params[1]),
        slope_err=float(np.sqrt(cov[1, 1])),
        exponent=exponent,
        chi2=chi2,
        dof=dof,
        covariance=cov,
    )
