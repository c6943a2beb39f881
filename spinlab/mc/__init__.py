"""Monte Carlo sampling of spinlab models.

:func:`metropolis` runs single-spin-flip Markov chains (Metropolis or heat bath) for any
number of independent replicas of one model at one temperature, recording per-sweep energy
and magnetisation per spin and, with two or more replicas, the overlaps between replicas.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from itertools import combinations

import numpy as np
from tqdm.auto import tqdm

from .._io import load_dataclass, save_dataclass
from .._rng import SeedLike, seed_sequence, xoshiro_states
from .._validate import check_choice, check_int, check_spins, check_temperature
from ..models import DenseModel, LatticeModel, Model
from . import _kernels
from .analysis import autocorrelation, integrated_autocorrelation_time, mean_and_error

__all__ = [
    "MCResult",
    "autocorrelation",
    "integrated_autocorrelation_time",
    "mean_and_error",
    "metropolis",
]

_RULES = {"metropolis": _kernels.METROPOLIS, "heatbath": _kernels.HEAT_BATH}


@dataclass(frozen=True)
class MCResult:
    """Output of :func:`metropolis`.

    Attributes
    ----------
    energy, magnetization : (replicas, sweeps) float64
        Energy and magnetisation per spin after every sweep.
    spins : (replicas, n) int8
        Final configurations.
    overlaps : (pairs, sweeps) float64 or None
        q_ab = (1/n) sum_i s^a_i s^b_i after every sweep for every replica pair in ``pairs``.
    pairs : (pairs, 2) int64 or None
        Replica indices (a, b), a < b, in the order of ``overlaps``.
    states : (replicas, sweeps, n) int8 or None
        Every configuration, when the run asked for ``record_spins=True``.
    T, sweeps, rule, order, seed, model
        The parameters that made the run (``seed`` is the root entropy, an integer).
    """

    energy: np.ndarray
    magnetization: np.ndarray
    spins: np.ndarray
    overlaps: np.ndarray | None
    pairs: np.ndarray | None
    states: np.ndarray | None
    T: float
    sweeps: int
    rule: str
    order: str
    seed: int
    model: str

    @property
    def replicas(self) -> int:
        """Number of replicas."""
        return int(self.spins.shape[0])

    def save(self, path) -> None:
        """Write the result to an ``.npz`` file (no pickle)."""
        save_dataclass(self, path)

    @classmethod
    def load(cls, path) -> MCResult:
        """Read a result written by :meth:`save`."""
        loaded = load_dataclass(cls, path)
        fixes = {"T": float(loaded.T), "sweeps": int(loaded.sweeps), "seed": int(loaded.seed)}
        fixes.update({name: str(getattr(loaded, name)) for name in ("rule", "order", "model")})
        return dataclasses.replace(loaded, **fixes)


def _initial_spins(initial, model: Model, replicas: int, generators) -> np.ndarray:
    n = model.n
    if isinstance(initial, str):
        check_choice(initial, "initial", ("random", "up", "down"))
        if initial == "random":
            return np.stack([g.choice(np.array([-1, 1], dtype=np.int8), size=n) for g in generators])
        return np.full((replicas, n), 1 if initial == "up" else -1, dtype=np.int8)
    spins, single = check_spins(initial, n, "initial")
    if single:
        return np.repeat(spins, replicas, axis=0)
    if spins.shape[0] != replicas:
        raise ValueError(f"initial must have shape ({n},) or ({replicas}, {n}), got {spins.shape}")
    return spins.copy()


_CHUNK_ATTEMPTS = 50_000_000
_AUTO_PROGRESS_ATTEMPTS = 1_000_000_000


def _chunks(sweeps: int, attempts_per_sweep: int) -> list[tuple[int, int]]:
    """Split the run into pieces of about ``_CHUNK_ATTEMPTS`` attempted flips."""
    size = max(1, _CHUNK_ATTEMPTS // attempts_per_sweep)
    return [(start, min(start + size, sweeps)) for start in range(0, sweeps, size)]


def _show_progress(progress: bool | None, chunks: list[tuple[int, int]]) -> bool:
    if progress is None:
        return len(chunks) * _CHUNK_ATTEMPTS >= _AUTO_PROGRESS_ATTEMPTS
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    return progress


def _integer_tables(model: LatticeModel, beta: float, rule: int):
    """Acceptance thresholds when couplings and fields are small integers, else None."""
    bonds, h = model.bonds, model.h
    if not (np.all(bonds == np.round(bonds)) and np.all(h == np.round(h))):
        return None
    offset = int(np.max(np.abs(bonds).sum(axis=1) + np.abs(h)))
    if offset > 1000:
        return None
    fields = np.arange(-offset, offset + 1, dtype=np.float64)
    if rule == _kernels.METROPOLIS:
        prob = np.exp(-2.0 * beta * np.maximum(fields, 0.0))
    else:
        prob = 0.5 * (1.0 + np.tanh(beta * fields))
    thresholds = np.minimum(prob * 2.0**64, 2.0**64 - 4096.0).astype(np.uint64)
    return bonds.astype(np.int32), thresholds, offset


def metropolis(
    model: Model,
    T: float,
    sweeps: int,
    *,
    replicas: int = 1,
    seed: SeedLike = None,
    rule: str = "metropolis",
    order: str = "sequential",
    initial="random",
    record_spins: bool = False,
    progress: bool | None = None,
) -> MCResult:
    """Single-spin-flip Monte Carlo of ``model`` at temperature ``T``.

    Parameters
    ----------
    model : Model
        Any spinlab model. Dense models keep all local fields up to date (O(n) per accepted
        flip); lattice models gather fields from their neighbour table, with exact
        integer acceptance tables when couplings and fields are integers (±J, Ising).
    T : float
        Temperature in units of J, > 0.
    sweeps : int
        Number of sweeps (n attempted flips each); one record per sweep.
    replicas : int
        Independent chains on the same couplings, each with its own random stream.
    seed : int, SeedSequence, Generator or None
        Root seed; replica r uses ``SeedSequence(seed).spawn(replicas)[r]``.
    rule : {"metropolis", "heatbath"}
        Acceptance min(1, exp(-dE/T)), or the heat-bath (Glauber) choice of the new spin.
    order : {"sequential", "random"}
        Visit sites 0..n-1 in turn, or pick a uniformly random site for each attempt.
    initial : {"random", "up", "down"} or array
        Starting configuration(s): shape (n,) for all replicas or (replicas, n).
    record_spins : bool
        Also return every configuration (memory: replicas * sweeps * n bytes).
    progress : bool or None
        Show a progress bar; ``None`` shows one for runs of more than ~10**9 attempted flips.

    Returns
    -------
    MCResult

    Examples
    --------
    >>> import spinlab
    >>> run = metropolis(spinlab.models.ising2d(16), 1.5, 200, seed=1, initial="up")
    >>> run.energy.shape
    (1, 200)
    """
    if not isinstance(model, Model):
        raise TypeError(f"model must be a spinlab model (e.g. spinlab.models.ea(8)), got {type(model).__name__}")
    T = check_temperature(T)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    replicas = check_int(replicas, "replicas", minimum=1)
    rule_code = _RULES[check_choice(rule, "rule", tuple(_RULES))]
    random_order = check_choice(order, "order", ("sequential", "random")) == "random"
    if not isinstance(record_spins, bool):
        raise TypeError(f"record_spins must be True or False, got {record_spins!r}")
    root = seed_sequence(seed)
    children = [child.spawn(2) for child in root.spawn(replicas)]
    generators = [np.random.default_rng(init) for init, _ in children]
    rng = xoshiro_states([stream for _, stream in children])
    spins = _initial_spins(initial, model, replicas, generators)
    n = model.n
    beta = 1.0 / T
    pairs = np.array(list(combinations(range(replicas), 2)), dtype=np.int64).reshape(-1, 2)
    energies = np.empty((replicas, sweeps))
    magnets = np.empty((replicas, sweeps))
    overlaps = np.empty((pairs.shape[0], sweeps))
    states = np.empty((replicas, sweeps if record_spins else 0, n), dtype=np.int8)
    energy = model.energy(spins) * n
    magnet = spins.sum(axis=1).astype(np.int64)
    fields = model.local_fields(spins)
    if isinstance(model, DenseModel):
        kernel, head = _kernels.dense_run, (model.J, spins, fields)
        tail = (beta, rule_code, random_order)
    elif isinstance(model, LatticeModel):
        neighbours = model.neighbours.astype(np.uint32)
        tables = _integer_tables(model, beta, rule_code)
        if tables is None:
            kernel, head = _kernels.lattice_run_float, (neighbours, model.bonds, spins, fields)
            tail = (beta, rule_code, random_order)
        else:
            bonds, thresholds, offset = tables
            kernel, head = _kernels.lattice_run_table, (neighbours, bonds, spins, np.rint(fields).astype(np.int32))
            tail = (thresholds, offset, rule_code, random_order)
    else:
        raise TypeError(f"model type {type(model).__name__} has no Monte Carlo kernel")
    chunks = _chunks(sweeps, replicas * n)
    bar = tqdm(total=sweeps, unit="sweep", desc=f"Monte Carlo T={T:g}", disable=not _show_progress(progress, chunks))
    with bar:
        for t_start, t_stop in chunks:
            kernel(*head, energy, magnet, rng, *tail, t_start, t_stop, pairs, energies, magnets, overlaps, states)
            bar.update(t_stop - t_start)
    return MCResult(
        energy=energies,
        magnetization=magnets,
        spins=spins,
        overlaps=overlaps if replicas >= 2 else None,
        pairs=pairs if replicas >= 2 else None,
        states=states if record_spins else None,
        T=T,
        sweeps=sweeps,
        rule=rule,
        order=order,
        seed=int(root.entropy),
        model=model.name,
    )
