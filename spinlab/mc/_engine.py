"""Set-up and stepping shared by :func:`metropolis` and :func:`parallel_tempering`.

The whole state of a run lives in the numpy arrays of :class:`RunState` (configurations,
local fields, energies, random-generator words, the temperature-slot map, swap and
round-trip counters, and the records so far), so a run can be cut into chunks, written to a
checkpoint and resumed bit for bit.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import combinations

import numpy as np
from tqdm.auto import tqdm

from .._rng import xoshiro_states
from .._validate import check_choice, check_spins
from ..models import DenseModel, LatticeModel, Model
from . import _kernels

RULES = {"metropolis": _kernels.METROPOLIS, "heatbath": _kernels.HEAT_BATH}
ORDERS = ("sequential", "random")
CHUNK_ATTEMPTS = 50_000_000
SINGLE_PRECISION_CHUNK = 1000  # sweeps between exact refreshes of float32 local fields
AUTO_PROGRESS_ATTEMPTS = 1_000_000_000


@dataclass
class RunState:
    """Mutable arrays of a run (see :mod:`spinlab.mc._kernels` for the layout)."""

    spins: np.ndarray
    fields: np.ndarray
    energy: np.ndarray
    magnet: np.ndarray
    rng: np.ndarray
    slot: np.ndarray
    swap_rng: np.ndarray
    swap_tries: np.ndarray
    swap_accepts: np.ndarray
    direction: np.ndarray
    round_trips: np.ndarray
    pairs: np.ndarray
    energies: np.ndarray
    magnets: np.ndarray
    overlaps: np.ndarray
    states: np.ndarray
    stride: np.ndarray
    done: np.ndarray

    def arrays(self) -> dict[str, np.ndarray]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


def aligned(array: np.ndarray, dtype=None) -> np.ndarray:
    """A C-contiguous copy of ``array`` (as ``dtype``) starting on a 64-byte boundary, or ``array``
    itself when it already is one.

    The kernels' vector loops over local fields and coupling rows run a third slower on data that
    straddles cache lines (numpy aligns small allocations to 16 bytes only).
    """
    dtype = np.dtype(array.dtype if dtype is None else dtype)
    if array.dtype == dtype and array.flags.c_contiguous and array.ctypes.data % 64 == 0:
        return array
    nbytes = array.size * dtype.itemsize
    buffer = np.empty(nbytes + 64, dtype=np.uint8)
    start = -buffer.ctypes.data % 64
    out = buffer[start : start + nbytes].view(dtype).reshape(array.shape)
    out[...] = array
    return out


def check_options(rule, order, record_spins) -> tuple[int, bool]:
    """Validate the options shared by every sampler; return (rule code, random site order)."""
    rule_code = RULES[check_choice(rule, "rule", tuple(RULES))]
    random_order = check_choice(order, "order", ORDERS) == "random"
    if not isinstance(record_spins, bool):
        raise TypeError(f"record_spins must be True or False, got {record_spins!r}")
    return rule_code, random_order


def initial_spins(initial, model: Model, count: int, generators) -> np.ndarray:
    """Starting configurations (count, n) from "random", "up", "down" or an array."""
    n = model.n
    if isinstance(initial, str):
        check_choice(initial, "initial", ("random", "up", "down"))
        if initial == "random":
            return np.stack([g.choice(np.array([-1, 1], dtype=np.int8), size=n) for g in generators])
        return np.full((count, n), 1 if initial == "up" else -1, dtype=np.int8)
    spins, single = check_spins(initial, n, "initial")
    if single:
        return np.repeat(spins, count, axis=0)
    if spins.shape[0] != count:
        raise ValueError(f"initial must have shape ({n},) or ({count}, {n}), got {spins.shape}")
    return spins.copy()


def new_state(
    model, temperatures, chains, root, initial, sweeps, record_spins, record_every: int = 1, overlaps: bool = True
) -> RunState:
    """Fresh state: chain r, buffer k start at temperature k with its own seeds.

    ``overlaps=False`` records no replica overlaps (no chain pairs: for many chains, all pairs
    would cost O(chains**2) per sweep).

    Chain r uses ``root.spawn(chains)[r]``; its children 0..K-1 seed the K buffers (each split
    into an initial-configuration generator and a kernel stream), child K the swap moves.
    """
    temps = len(temperatures)
    n = model.n
    chain_seqs = root.spawn(chains)
    generators, kernel_seqs, swap_seqs = [], [], []
    for chain in chain_seqs:
        kids = chain.spawn(temps + 1)
        for kid in kids[:temps]:
            init, stream = kid.spawn(2)
            generators.append(np.random.default_rng(init))
            kernel_seqs.append(stream)
        swap_seqs.append(kids[temps])
    spins = initial_spins(initial, model, chains * temps, generators).reshape(chains, temps, n)
    flat = spins.reshape(-1, n)
    pairs = np.array(list(combinations(range(chains), 2)) if overlaps else [], dtype=np.int64).reshape(-1, 2)
    return RunState(
        spins=spins,
        fields=model.local_fields(flat).reshape(chains, temps, n),
        energy=(model.energy(flat) * n).reshape(chains, temps),
        magnet=flat.sum(axis=1).astype(np.int64).reshape(chains, temps),
        rng=xoshiro_states(kernel_seqs).reshape(chains, temps, 4),
        slot=np.tile(np.arange(temps, dtype=np.int64), (chains, 1)),
        swap_rng=xoshiro_states(swap_seqs),
        swap_tries=np.zeros(max(temps - 1, 0), dtype=np.int64),
        swap_accepts=np.zeros(max(temps - 1, 0), dtype=np.int64),
        direction=np.zeros((chains, temps), dtype=np.int64),
        round_trips=np.zeros((chains, temps), dtype=np.int64),
        pairs=pairs,
        energies=np.empty((chains, temps, sweeps)),
        magnets=np.empty((chains, temps, sweeps)),
        overlaps=np.empty((pairs.shape[0], temps, sweeps)),
        states=np.empty((chains, temps, sweeps // record_every if record_spins else 0, n), dtype=np.int8),
        stride=np.array(record_every, dtype=np.int64),
        done=np.zeros((), dtype=np.int64),
    )


def integer_tables(model: LatticeModel, betas: np.ndarray, rule: int):
    """Acceptance thresholds (K, 2*offset+1) when couplings and fields are small integers, else None."""
    bonds, h = model.bonds, model.h
    if not (np.all(bonds == np.round(bonds)) and np.all(h == np.round(h))):
        return None
    offset = int(np.max(np.abs(bonds).sum(axis=1) + np.abs(h)))
    if offset > 1000:
        return None
    local = np.arange(-offset, offset + 1, dtype=np.float64)
    if rule == _kernels.METROPOLIS:
        prob = np.exp(-2.0 * betas[:, None] * np.maximum(local, 0.0)[None, :])
    else:
        prob = 0.5 * (1.0 + np.tanh(betas[:, None] * local[None, :]))
    thresholds = np.minimum(prob * 2.0**64, 2.0**64 - 4096.0).astype(np.uint64)
    return bonds.astype(np.int32), thresholds, offset


class Stepper:
    """Binds a model, its kernel and a :class:`RunState`; :meth:`advance` runs sweeps."""

    def __init__(
        self,
        model: Model,
        betas: np.ndarray,
        rule: int,
        random_order: bool,
        swap_every: int,
        state,
        precision: str = "float64",
    ):
        self.state = state
        self.model, self.rule, self.random_order = model, rule, random_order
        self.single = check_choice(precision, "precision", ("float64", "float32")) == "float32"
        if self.single and not isinstance(model, DenseModel):
            raise ValueError(
                "precision='float32' applies to dense models (SK, from_couplings); lattices use exact tables"
            )
        if isinstance(model, DenseModel):
            self.kernel = _kernels.dense_run
            self.head = (aligned(model.J, np.float32 if self.single else np.float64),)
            self.params = (rule, random_order)
            state.fields = aligned(state.fields, np.float32 if self.single else np.float64)
        elif isinstance(model, LatticeModel):
            neighbours = model.neighbours.astype(np.uint32)
            tables = integer_tables(model, betas, rule)
            if tables is None:
                self.kernel = _kernels.lattice_run_float
                self.head = (neighbours, model.bonds)
                self.params = (rule, random_order)
            else:
                bonds, thresholds, offset = tables
                self.kernel = _kernels.lattice_run_table
                self.head = (neighbours, bonds)
                self.params = (thresholds, offset, rule, random_order)
                if state.fields.dtype != np.int32:
                    state.fields = np.rint(state.fields).astype(np.int32)
        else:
            raise TypeError(f"model type {type(model).__name__} has no Monte Carlo kernel")
        self.swap_every = swap_every
        self.betas = betas

    def set_betas(self, betas: np.ndarray) -> None:
        """Change the inverse temperatures (annealing) without touching the state."""
        if self.kernel is _kernels.lattice_run_table:
            _, thresholds, offset = integer_tables(self.model, betas, self.rule)
            self.params = (thresholds, offset, self.rule, self.random_order)
        self.betas = betas

    def advance(self, t_stop: int) -> None:
        s = self.state
        t_start = int(s.done)
        state = (s.spins, s.fields, s.energy, s.magnet, s.rng, s.slot)
        exchange = (self.swap_every, s.swap_rng, s.swap_tries, s.swap_accepts, s.direction, s.round_trips)
        records = (s.pairs, s.energies, s.magnets, s.overlaps, s.states, int(s.stride))
        self.kernel(*self.head, state, self.betas, *self.params, t_start, t_stop, exchange, records)
        s.done[...] = t_stop
        if self.single:
            self.refresh()

    def refresh(self) -> None:
        """Recompute local fields and energies exactly (float32 fields accumulate rounding)."""
        s = self.state
        flat = s.spins.reshape(-1, self.model.n)
        s.fields[...] = self.model.local_fields(flat).reshape(s.fields.shape)
        s.energy[...] = (self.model.energy(flat) * self.model.n).reshape(s.energy.shape)


def chunk_ends(start: int, sweeps: int, attempts_per_sweep: int, every: int | None = None) -> list[int]:
    """End points of chunks of about ``CHUNK_ATTEMPTS`` flips (and at most ``every`` sweeps)."""
    size = max(1, CHUNK_ATTEMPTS // max(1, attempts_per_sweep))
    if every is not None:
        size = min(size, every)
    return list(range(start + size, sweeps, size)) + [sweeps] if start < sweeps else []


def progress_bar(progress, total_attempts: int, sweeps: int, done: int, desc: str):
    if progress is None:
        show = total_attempts >= AUTO_PROGRESS_ATTEMPTS
    elif isinstance(progress, bool):
        show = progress
    else:
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    return tqdm(total=sweeps, initial=done, unit="sweep", desc=desc, disable=not show)
