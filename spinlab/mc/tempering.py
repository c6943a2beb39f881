"""Parallel tempering (replica exchange Monte Carlo) with checkpoints that resume bit for bit."""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_int, check_temperatures
from ..models import Model
from . import _engine
from .metropolis import check_model

_FORMAT = 2  # 2: sequential Metropolis on dense models draws from a SplitMix64 counter (rng word 0)


@dataclass(frozen=True)
class PTResult:
    """Output of :func:`parallel_tempering`; temperature index k is ascending in T.

    Attributes
    ----------
    temperatures : (K,) float64
    energy, magnetization : (replicas, K, sweeps) float64
        Per spin, after every sweep, for the configuration at each temperature.
    overlaps : (pairs, K, sweeps) float64 or None
        Overlap between replicas ``pairs[p]`` at each temperature after every sweep.
    pairs : (pairs, 2) int64 or None
    spins : (replicas, K, n) int8
        Final configuration at each temperature.
    states : (replicas, K, sweeps // record_every, n) int8 or None
        The configurations after every ``record_every``-th sweep (``record_spins=True``).
    swap_acceptance : (K - 1,) float64
        Accepted fraction of exchanges between temperatures k and k + 1.
    round_trips : (replicas,) int64
        Completed coldest -> hottest -> coldest journeys of all walkers of each replica.
    sweeps, swap_every, rule, order, seed, model
    """

    temperatures: np.ndarray
    energy: np.ndarray
    magnetization: np.ndarray
    overlaps: np.ndarray | None
    pairs: np.ndarray | None
    spins: np.ndarray
    states: np.ndarray | None
    swap_acceptance: np.ndarray
    round_trips: np.ndarray
    sweeps: int
    swap_every: int
    rule: str
    order: str
    seed: int
    model: str

    @property
    def round_trip_time(self) -> float:
        """Mean sweeps per round trip of one walker (inf when none completed)."""
        walkers = self.energy.shape[0] * self.energy.shape[1]
        total = int(self.round_trips.sum())
        return self.sweeps * walkers / total if total else float("inf")


def _fingerprint(model: Model, temperatures: np.ndarray, settings: dict) -> str:
    digest = hashlib.sha256()
    digest.update(model.to_dense().tobytes())
    digest.update(model.h.tobytes())
    digest.update(temperatures.tobytes())
    digest.update(repr(sorted(settings.items())).encode())
    return digest.hexdigest()


def _save_checkpoint(path: Path, state: _engine.RunState, fingerprint: str) -> None:
    arrays = state.arrays()
    arrays["fingerprint"] = np.array(fingerprint)
    arrays["format"] = np.array(_FORMAT)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        np.savez(handle, **arrays)
        handle.flush()
        os.fsync(handle.fileno())
    tmp.replace(path)


def _load_checkpoint(path: Path, fingerprint: str) -> _engine.RunState:
    try:
        with np.load(path, allow_pickle=False) as data:
            stored = {name: data[name] for name in data.files}
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        raise ValueError(
            f"checkpoint {path} is truncated or corrupted ({type(exc).__name__}: {exc}); delete it to start afresh"
        ) from exc
    if int(stored.get("format", -1)) != _FORMAT or "fingerprint" not in stored:
        raise ValueError(f"checkpoint {path} was not written by this version of parallel_tempering; delete it")
    if str(stored.pop("fingerprint")) != fingerprint:
        raise ValueError(
            f"checkpoint {path} belongs to a different run (model, temperatures, sweeps, replicas, seed or "
            "options differ); use another path or delete it"
        )
    stored.pop("format")
    try:
        return _engine.RunState(**stored)
    except TypeError as exc:
        raise ValueError(f"checkpoint {path} is incomplete: {exc}") from exc


def parallel_tempering(
    model: Model,
    temperatures,
    sweeps: int,
    *,
    replicas: int = 2,
    seed: SeedLike = None,
    swap_every: int = 1,
    rule: str = "metropolis",
    order: str = "sequential",
    initial="random",
    record_spins: bool = False,
    record_every: int = 1,
    precision: str = "float64",
    checkpoint: str | Path | None = None,
    checkpoint_every: int = 1000,
    progress: bool | None = None,
) -> PTResult:
    """Replica-exchange Monte Carlo of ``model`` on a ladder of temperatures.

    Every sweep updates each configuration at its temperature; every ``swap_every`` sweeps
    neighbouring temperatures k, k + 1 exchange configurations with probability
    min(1, exp((1/T_k - 1/T_{k+1}) (E_k - E_{k+1}))), which keeps the product of Boltzmann
    distributions invariant. ``replicas`` independent ladders run on the same couplings so that
    overlaps between them can be measured at each temperature.

    Parameters
    ----------
    model : Model
        Any spinlab model.
    temperatures : array of float
        At least two distinct temperatures > 0 (sorted ascending internally).
    sweeps : int
        Sweeps per temperature (one record per sweep).
    replicas : int
        Independent ladders (>= 2 for overlaps).
    seed : int, SeedSequence, Generator or None
        Root seed: ladder r uses ``SeedSequence(seed).spawn(replicas)[r]``.
    swap_every : int
        Sweeps between exchange rounds.
    rule, order, initial, record_spins, precision, progress
        As in :func:`metropolis`.
    record_every : int
        With ``record_spins``, store the configurations after every ``record_every``-th sweep only
        (``states`` then has ``sweeps // record_every`` entries per temperature).
    checkpoint : path or None
        Write the full state (configurations, fields, generator words, counters, records and
        sweep counter) atomically to this ``.npz`` every ``checkpoint_every`` sweeps. If the
        file exists, the run resumes from it and finishes exactly as an uninterrupted run.
        Files hold only numeric arrays (no pickle).

    Returns
    -------
    PTResult

    Examples
    --------
    >>> import spinlab
    >>> res = parallel_tempering(spinlab.models.sk(16, seed=1), [0.4, 0.7, 1.0], 200, seed=2)
    >>> res.energy.shape, res.swap_acceptance.shape
    ((2, 3, 200), (2,))
    """
    model = check_model(model)
    temps, scalar = check_temperatures(temperatures, "temperatures")
    if scalar or temps.size < 2 or np.unique(temps).size != temps.size:
        raise ValueError("temperatures must hold at least two distinct values; use metropolis for one temperature")
    temps = np.sort(temps)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    replicas = check_int(replicas, "replicas", minimum=1)
    swap_every = check_int(swap_every, "swap_every", minimum=1)
    checkpoint_every = check_int(checkpoint_every, "checkpoint_every", minimum=1)
    rule_code, random_order = _engine.check_options(rule, order, record_spins)
    record_every = check_int(record_every, "record_every", minimum=1, maximum=sweeps)
    root = seed_sequence(seed)
    start_from = initial if isinstance(initial, str) else hashlib.sha256(np.asarray(initial).tobytes()).hexdigest()
    settings = {"sweeps": sweeps, "replicas": replicas, "seed": root.entropy, "swap_every": swap_every}
    settings |= {
        "rule": rule,
        "order": order,
        "record": (record_spins, record_every),
        "initial": start_from,
        "precision": precision,
    }
    path = None if checkpoint is None else Path(checkpoint)
    fingerprint = _fingerprint(model, temps, settings)
    if path is not None and path.exists():
        state = _load_checkpoint(path, fingerprint)
    else:
        state = _engine.new_state(model, temps, replicas, root, initial, sweeps, record_spins, record_every)
    stepper = _engine.Stepper(model, 1.0 / temps, rule_code, random_order, swap_every, state, precision)
    start = int(state.done)
    attempts = replicas * temps.size * model.n
    every = checkpoint_every if path is not None else None
    if stepper.single:
        every = min(every or sweeps, _engine.SINGLE_PRECISION_CHUNK)
    ends = _engine.chunk_ends(start, sweeps, attempts, every)
    with _engine.progress_bar(
        progress, sweeps * attempts, sweeps, start, f"parallel tempering ({temps.size} T)"
    ) as bar:
        for end in ends:
            before = int(state.done)
            stepper.advance(end)
            if path is not None:
                _save_checkpoint(path, state, fingerprint)
            bar.update(end - before)
    many = replicas >= 2
    final = np.take_along_axis(state.spins, state.slot[:, :, None], axis=1)
    tries = np.maximum(state.swap_tries, 1)
    return PTResult(
        temperatures=temps,
        energy=state.energies,
        magnetization=state.magnets,
        overlaps=state.overlaps if many else None,
        pairs=state.pairs if many else None,
        spins=final,
        states=state.states if record_spins else None,
        swap_acceptance=state.swap_accepts / tries,
        round_trips=state.round_trips.sum(axis=1),
        sweeps=sweeps,
        swap_every=swap_every,
        rule=rule,
        order=order,
        seed=int(root.entropy),
        model=model.name,
    )


def tune_temperatures(
    model: Model,
    temperatures,
    *,
    sweeps: int = 2000,
    rounds: int = 4,
    seed: SeedLike = None,
    replicas: int = 1,
) -> np.ndarray:
    """Re-space a temperature ladder (same ends, same count) to equalise exchange acceptance.

    Each round runs a short :func:`parallel_tempering` and rescales the gaps in beta = 1/T:
    with acceptance A_k ~ exp(-c_k (delta beta_k)^2) locally, the new gaps are proportional to
    delta beta_k / sqrt(-ln A_k), normalised to keep the range of beta.

    Returns
    -------
    (K,) ascending temperatures.
    """
    temps, _ = check_temperatures(temperatures, "temperatures")
    temps = np.sort(temps)
    rounds = check_int(rounds, "rounds", minimum=1)
    seeds = seed_sequence(seed).spawn(rounds)
    for r in range(rounds):
        result = parallel_tempering(model, temps, sweeps, replicas=replicas, seed=seeds[r], progress=False)
        betas = 1.0 / temps
        gaps = betas[:-1] - betas[1:]
        acceptance = np.clip(result.swap_acceptance, 1e-3, 0.999)
        new_gaps = gaps / np.sqrt(-np.log(acceptance))
        new_gaps *= gaps.sum() / new_gaps.sum()
        betas = betas[0] - np.concatenate([[0.0], np.cumsum(new_gaps)])
        temps = np.sort(1.0 / betas)
    return temps
