"""Single-temperature Monte Carlo: :func:`metropolis` and its :class:`MCResult`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .._io import load_dataclass, save_dataclass
from .._rng import SeedLike, seed_sequence
from .._validate import check_int, check_temperature
from ..models import Model
from . import _engine


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


def check_model(model) -> Model:
    if not isinstance(model, Model):
        raise TypeError(f"model must be a spinlab model (e.g. spinlab.models.ea(8)), got {type(model).__name__}")
    return model


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
    precision: str = "float64",
    progress: bool | None = None,
) -> MCResult:
    """Single-spin-flip Monte Carlo of ``model`` at temperature ``T``.

    Parameters
    ----------
    model : Model
        Any spinlab model. Dense models keep all local fields up to date (O(n) per accepted
        flip); lattice models update the fields of the z neighbours, with exact integer
        acceptance tables when couplings and fields are integers (±J, Ising).
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
    precision : {"float64", "float32"}
        Storage of couplings and local fields of dense models. float32 halves the memory
        traffic of the field updates; the fields are recomputed exactly every
        1000 sweeps so rounding cannot accumulate.
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
    model = check_model(model)
    T = check_temperature(T)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    replicas = check_int(replicas, "replicas", minimum=1)
    rule_code, random_order = _engine.check_options(rule, order, record_spins)
    root = seed_sequence(seed)
    state = _engine.new_state(model, [T], replicas, root, initial, sweeps, record_spins)
    stepper = _engine.Stepper(model, np.array([1.0 / T]), rule_code, random_order, 1, state, precision)
    every = _engine.SINGLE_PRECISION_CHUNK if stepper.single else None
    ends = _engine.chunk_ends(0, sweeps, replicas * model.n, every)
    with _engine.progress_bar(progress, sweeps * replicas * model.n, sweeps, 0, f"Monte Carlo T={T:g}") as bar:
        for end in ends:
            start = int(state.done)
            stepper.advance(end)
            bar.update(end - start)
    many = replicas >= 2
    return MCResult(
        energy=state.energies[:, 0],
        magnetization=state.magnets[:, 0],
        spins=state.spins[:, 0],
        overlaps=state.overlaps[:, 0] if many else None,
        pairs=state.pairs if many else None,
        states=state.states[:, 0] if record_spins else None,
        T=T,
        sweeps=sweeps,
        rule=rule,
        order=order,
        seed=int(root.entropy),
        model=model.name,
    )
