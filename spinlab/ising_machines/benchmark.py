"""Success probability and time to solution of the CIM, and its comparison with annealing and tempering.

Two ways to run the machine, two ways to read it:

* :func:`ramp_success` — the plain CIM with a pump ramp: each run of S steps ramps p once and
  succeeds if sign(x) at the end is a ground state; p(S) for several ramp lengths S.
* :func:`running_success_curve` — the feedback (amplitude-heterogeneity corrected) CIM, which keeps
  searching: a run stopped after t steps succeeds if sign(x) was a ground state at any step <= t,
  as for parallel tempering.

Both give a :class:`SuccessCurve` whose TTS (``spinlab.mc.time_to_solution``) is in integration steps
(one step updates all N amplitudes once: the analogue of one sweep, and of one round trip of a
measurement-feedback CIM). :func:`compare_solvers` puts the optimal TTS of both CIM variants next to
those of simulated annealing and parallel tempering from :func:`spinlab.mc.tts_curves` (in sweeps,
summed over temperatures) and measures the wall time per step and per sweep, so the two units can be
converted honestly. :func:`sk_tts_sample` and :func:`ea_tts_sample` are disorder-average tasks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_int, check_real
from ..mc.ground_states import (
    TTSCurves,
    binomial_interval,
    running_success,
    success_probability,
    time_to_solution,
    tts_curves,
)
from ..models import Model, ea, sk
from .dynamics import _check_model, cim

__all__ = [
    "METHODS",
    "SolverComparison",
    "SuccessCurve",
    "compare_solvers",
    "ea_tts_sample",
    "ramp_success",
    "running_success_curve",
    "sk_tts_sample",
]

METHODS = ("cim", "cac", "anneal", "pt")

# Settings of the comparison used by the chapter; every one can be overridden.
CIM_DEFAULTS = {"steps": (10, 30, 100, 300, 1000), "runs": 64}
CAC_DEFAULTS = {"steps": 1000, "runs": 32, "beta": 0.2, "target": 0.5, "noise": 0.1}
MC_DEFAULTS = {"anneal_sweeps": (1, 3, 10, 30, 100, 300), "reads": 64, "pt_sweeps": 200, "pt_runs": 48}


@dataclass(frozen=True)
class SuccessCurve:
    """Success probability and TTS against run length (steps) of one CIM variant on one instance.

    Attributes
    ----------
    time : (k,) float64
        Run lengths in steps.
    p, p_low, p_high : (k,) float64
        Success fraction and its 68 % Wilson interval.
    tts : (k,) float64
        Time to solution in steps at each run length (inf where p = 0).
    runs : int
        Independent runs behind each fraction.
    target : float
        Success probability of the TTS (0.99: TTS_99).
    ground_energy : float
    """

    time: np.ndarray
    p: np.ndarray
    p_low: np.ndarray
    p_high: np.ndarray
    tts: np.ndarray
    runs: int
    target: float
    ground_energy: float

    def optimal(self) -> tuple[float, float]:
        """(minimum TTS, the run length that achieves it), in steps."""
        k = int(np.argmin(self.tts))
        return float(self.tts[k]), float(self.time[k])

    def tts_interval(self) -> tuple[np.ndarray, np.ndarray]:
        """TTS at the upper and lower ends of the Wilson interval of p (so low TTS first)."""
        return (
            time_to_solution(self.p_high, self.time, target=self.target),
            time_to_solution(self.p_low, self.time, target=self.target),
        )


def _curve(time_, p, runs, target, ground_energy) -> SuccessCurve:
    low, high = binomial_interval(p, runs)
    return SuccessCurve(
        time=np.asarray(time_, dtype=np.float64),
        p=p,
        p_low=np.asarray(low),
        p_high=np.asarray(high),
        tts=np.asarray(time_to_solution(p, time_, target=target)),
        runs=runs,
        target=target,
        ground_energy=ground_energy,
    )


def _check_lengths(steps, name: str) -> np.ndarray:
    lengths = np.asarray(steps)
    if lengths.ndim != 1 or lengths.size == 0 or lengths.dtype.kind not in "iu" or np.any(lengths < 1):
        raise ValueError(f"{name} must be a non-empty sequence of integers >= 1, got {steps!r}")
    return lengths


def ramp_success(
    model: Model,
    ground_energy: float,
    steps=CIM_DEFAULTS["steps"],
    *,
    runs: int = 64,
    target: float = 0.99,
    tol: float = 1e-9,
    seed: SeedLike = None,
    **options,
) -> SuccessCurve:
    """Success of the pump-ramp CIM against the ramp length: ``runs`` runs of :func:`cim` per length.

    Parameters
    ----------
    model : Model
    ground_energy : float
        Exact ground-state energy per spin (e.g. from :func:`spinlab.exact.ground_state`).
    steps : sequence of int
        Ramp lengths S; the pump rate is (p_end - p_start) / (S dt).
    runs : int
    target, tol
        As in :func:`spinlab.mc.time_to_solution` and :func:`spinlab.mc.success_probability`.
    seed
        Length k uses child k of the root.
    **options
        Passed to :func:`cim` (``eps``, ``pump`` as a (start, end) pair, ``noise``, ``dt`` ...).

    Examples
    --------
    >>> import spinlab
    >>> model = spinlab.models.ea(3, d=2, seed=1)
    >>> curve = ramp_success(model, spinlab.exact.ground_state(model).energy, (10, 100), runs=16, seed=0)
    >>> curve.p.shape, bool(curve.p[1] > 0)
    ((2,), True)
    """
    model = _check_model(model)
    ground_energy = check_real(ground_energy, "ground_energy")
    lengths = _check_lengths(steps, "steps")
    runs = check_int(runs, "runs", minimum=1)
    if "record_every" not in options:
        options["record_every"] = int(lengths.max()) + 1  # only the final readout matters
    root = seed_sequence(seed)
    p = np.empty(lengths.size)
    for k, S in enumerate(lengths):
        res = cim(model, int(S), runs=runs, seed=child(root, k), **options)
        p[k] = success_probability(res.energies, ground_energy, tol=tol)
    return _curve(lengths, p, runs, target, ground_energy)


def running_success_curve(
    model: Model,
    ground_energy: float,
    steps: int = CAC_DEFAULTS["steps"],
    *,
    runs: int = 32,
    target: float = 0.99,
    tol: float = 1e-9,
    seed: SeedLike = None,
    **options,
) -> SuccessCurve:
    """Success of a CIM run stopped after t = 1 .. ``steps`` steps, counting any ground state seen so far.

    The natural readout of the feedback variant (default ``feedback=True`` with the chapter's
    settings ``beta=0.2, target=0.5, noise=0.1``, constant pump -0.5; any of them can be overridden).
    The weak noise keeps the runs independent: without it, runs from tiny random initial amplitudes are
    pulled onto one trajectory by the initial growth along the top eigenvector of J.

    Examples
    --------
    >>> import spinlab
    >>> model = spinlab.models.sk(10, seed=3)
    >>> curve = running_success_curve(model, spinlab.exact.ground_state(model).energy, 200, runs=8, seed=0)
    >>> curve.time.shape, float(curve.p[-1])
    ((200,), 1.0)
    """
    model = _check_model(model)
    ground_energy = check_real(ground_energy, "ground_energy")
    steps = check_int(steps, "steps", minimum=1)
    runs = check_int(runs, "runs", minimum=1)
    settings = {key: value for key, value in CAC_DEFAULTS.items() if key not in ("steps", "runs")}
    settings["feedback"] = True
    settings.update(options)
    settings["record_every"] = 1
    res = cim(model, steps, runs=runs, seed=seed, **settings)
    p = running_success(res.trace, ground_energy, tol=tol)
    return _curve(np.arange(1, steps + 1), p, runs, target, ground_energy)


@dataclass(frozen=True)
class SolverComparison:
    """Optimal TTS of the four solvers on one instance (:func:`compare_solvers`).

    Attributes
    ----------
    tts : dict method -> float
        Optimal TTS_99: steps for "cim" and "cac", sweeps (summed over temperatures) for "anneal" and "pt".
    run_length : dict method -> float
        The run length (same unit) at which the optimum is reached.
    seconds_per_unit : dict method -> float
        Wall time of one step (one run) or one sweep measured during the comparison.
    cim, cac : SuccessCurve
    mc : spinlab.mc.TTSCurves
    """

    tts: dict
    run_length: dict
    seconds_per_unit: dict
    cim: SuccessCurve
    cac: SuccessCurve
    mc: TTSCurves

    def wall_tts(self, method: str) -> float:
        """Optimal TTS of ``method`` converted to seconds with the measured cost per step or sweep."""
        if method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(map(repr, METHODS))}, got {method!r}")
        return self.tts[method] * self.seconds_per_unit[method]


def compare_solvers(
    model: Model,
    ground_energy: float,
    *,
    seed: SeedLike = None,
    cim_options: dict | None = None,
    cac_options: dict | None = None,
    mc_options: dict | None = None,
) -> SolverComparison:
    """Optimal TTS_99 of the ramp CIM, the feedback CIM, simulated annealing and parallel tempering.

    Seeds: ``seed`` itself goes to :func:`spinlab.mc.tts_curves` (which uses its children 0 and 1
    for annealing and PT, so those numbers equal a direct call), child 2 to the ramp CIM and
    child 3 to the feedback CIM. Options override ``CIM_DEFAULTS`` (with
    ``steps`` and ``runs`` and any :func:`cim` keyword), ``CAC_DEFAULTS`` and ``MC_DEFAULTS``.

    Examples
    --------
    >>> import spinlab
    >>> model = spinlab.models.sk(8, seed=1)
    >>> c = compare_solvers(model, spinlab.exact.ground_state(model).energy, seed=0,
    ...                     cim_options={"steps": (30, 100), "runs": 16}, cac_options={"steps": 100, "runs": 8},
    ...                     mc_options={"anneal_sweeps": (1, 10), "reads": 16, "pt_sweeps": 20, "pt_runs": 8})
    >>> sorted(c.tts), all(np.isfinite(v) for v in c.tts.values())
    (['anneal', 'cac', 'cim', 'pt'], True)
    """
    model = _check_model(model)
    ground_energy = check_real(ground_energy, "ground_energy")
    root = seed_sequence(seed)
    cim_opts = {**CIM_DEFAULTS, **(cim_options or {})}
    cac_opts = {**CAC_DEFAULTS, **(cac_options or {})}
    mc_opts = {**MC_DEFAULTS, **(mc_options or {})}

    start = time.perf_counter()
    ramp = ramp_success(model, ground_energy, cim_opts.pop("steps"), seed=child(root, 2), **cim_opts)
    cim_seconds = (time.perf_counter() - start) / (ramp.time.sum() * ramp.runs)

    start = time.perf_counter()
    cac = running_success_curve(model, ground_energy, cac_opts.pop("steps"), seed=child(root, 3), **cac_opts)
    cac_seconds = (time.perf_counter() - start) / (cac.time[-1] * cac.runs)

    start = time.perf_counter()
    curves = tts_curves(model, ground_energy, seed=root, **mc_opts)
    mc_seconds = (time.perf_counter() - start) / (
        curves.anneal_time.sum() * curves.reads + curves.pt_time[-1] * curves.pt_runs
    )
    tts, length = {}, {}
    tts["cim"], length["cim"] = ramp.optimal()
    tts["cac"], length["cac"] = cac.optimal()
    for method in ("anneal", "pt"):
        tts[method], length[method] = curves.optimal(method)
    seconds = {"cim": cim_seconds, "cac": cac_seconds, "anneal": mc_seconds, "pt": mc_seconds}
    return SolverComparison(tts=tts, run_length=length, seconds_per_unit=seconds, cim=ramp, cac=cac, mc=curves)


def _sample_tts(model: Model, root, options: dict) -> np.ndarray:
    from ..exact import ground_state

    comp = compare_solvers(model, ground_energy=ground_state(model).energy, seed=child(root, 1), **options)
    return np.array([comp.tts[m] for m in METHODS] + [comp.seconds_per_unit[m] for m in METHODS])


def sk_tts_sample(sample_seed, n: int, **options) -> np.ndarray:
    """Optimal TTS of (cim, cac, anneal, pt) and their seconds per step/sweep on one SK sample.

    A task for :func:`spinlab.sweep.disorder_average`: couplings from child 0 of ``sample_seed``
    (the same samples as :func:`spinlab.mc.sk_tts_sample`), solvers from child 1; ``options`` go to
    :func:`compare_solvers`. Exact ground state by enumeration (n <= 26).

    Returns
    -------
    (8,) float64
        TTS of the four methods in ``METHODS`` order, then their wall seconds per step or sweep.

    Examples
    --------
    >>> out = sk_tts_sample(1, 8, cim_options={"steps": (30, 100), "runs": 8}, cac_options={"steps": 100, "runs": 4},
    ...                     mc_options={"anneal_sweeps": (1, 10), "reads": 8, "pt_sweeps": 20, "pt_runs": 4})
    >>> out.shape
    (8,)
    """
    root = seed_sequence(sample_seed)
    model = sk(check_int(n, "n", minimum=2, maximum=26), seed=child(root, 0))
    return _sample_tts(model, root, options)


def ea_tts_sample(sample_seed, L: int, *, d: int = 2, couplings: str = "pm1", **options) -> np.ndarray:
    """As :func:`sk_tts_sample` for a periodic EA sample of L^d <= 26 spins (seeds as in ``mc.ea_ground_state_sample``).

    Examples
    --------
    >>> out = ea_tts_sample(1, 3, cim_options={"steps": (30, 100), "runs": 8}, cac_options={"steps": 100, "runs": 4},
    ...                     mc_options={"anneal_sweeps": (1, 10), "reads": 8, "pt_sweeps": 20, "pt_runs": 4})
    >>> out.shape
    (8,)
    """
    L = check_int(L, "L", minimum=2)
    d = check_int(d, "d", minimum=1, maximum=3)
    if L**d > 26:
        raise ValueError(f"L**d must be <= 26 for exact enumeration, got L={L}, d={d} ({L**d} spins)")
    root = seed_sequence(sample_seed)
    model = ea(L, d=d, couplings=couplings, seed=child(root, 0))
    return _sample_tts(model, root, options)
