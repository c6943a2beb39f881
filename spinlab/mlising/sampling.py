"""Equilibrium configurations of the Ising ferromagnet at a list of temperatures: :func:`sample`."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from .._io import load_dataclass, save_dataclass
from .._rng import SeedLike, child, seed_sequence, xoshiro_states
from .._validate import check_choice, check_int, check_temperatures
from . import _kernels
from .lattices import Lattice, lattice

__all__ = ["SAMPLERS", "Samples", "sample"]

SAMPLERS = ("wolff", "metropolis")


@dataclass(frozen=True)
class Samples:
    """Output of :func:`sample`: ``n_samples`` configurations at each of the temperatures ``T``.

    Attributes
    ----------
    configs : (temperatures, n_samples, n) int8
        Spin configurations (±1), in the site order of the lattice.
    energy, magnetization : (temperatures, n_samples) float64
        Energy per spin ``-(1/n) sum_<ij> s_i s_j`` and magnetisation per spin of every configuration.
    T : (temperatures,) float64
        Temperatures in units of J.
    clusters_per_sample : (temperatures,) float64
        Wolff clusters grown between two records (0 for Metropolis).
    lattice, L, sampler, sweeps, burn_in, seed
        What made the run (``seed`` is the root entropy).

    Examples
    --------
    >>> s = sample(lattice("square", 8), [1.0, 4.0], 5, seed=1)
    >>> s.configs.shape, s.X.shape, s.row_T.tolist()[:6]
    ((2, 5, 64), (10, 64), [1.0, 1.0, 1.0, 1.0, 1.0, 4.0])
    """

    configs: np.ndarray
    energy: np.ndarray
    magnetization: np.ndarray
    T: np.ndarray
    clusters_per_sample: np.ndarray
    lattice: str
    L: int
    sampler: str
    sweeps: int
    burn_in: int
    seed: int

    @property
    def n(self) -> int:
        """Number of spins."""
        return int(self.configs.shape[2])

    @property
    def n_samples(self) -> int:
        """Configurations per temperature."""
        return int(self.configs.shape[1])

    @property
    def X(self) -> np.ndarray:
        """All configurations as one (temperatures * n_samples, n) int8 matrix, temperature-major."""
        return self.configs.reshape(-1, self.n)

    @property
    def row_T(self) -> np.ndarray:
        """Temperature of every row of :attr:`X`."""
        return np.repeat(self.T, self.n_samples)

    def get_lattice(self) -> Lattice:
        """The lattice the samples live on."""
        return lattice(self.lattice, self.L)

    def save(self, path) -> None:
        """Write the samples to an ``.npz`` file (no pickle)."""
        save_dataclass(self, path)

    @classmethod
    def load(cls, path) -> Samples:
        """Read samples written by :meth:`save`."""
        r = load_dataclass(cls, path)
        ints = {k: int(getattr(r, k)) for k in ("L", "sweeps", "burn_in", "seed")}
        return dataclasses.replace(r, lattice=str(r.lattice), sampler=str(r.sampler), **ints)


def sample(
    lattice: Lattice,
    T,
    n_samples: int,
    *,
    sampler: str = "wolff",
    sweeps: int = 1,
    burn_in: int = 50,
    initial: str = "up",
    global_flip: bool = True,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> Samples:
    """Equilibrium configurations of the ferromagnet (J = 1, h = 0) on ``lattice`` at every temperature.

    Each temperature is an independent chain with its own random stream (child k of ``seed`` for temperature k),
    equilibrated for ``burn_in`` sweeps and then recorded ``n_samples`` times, ``sweeps`` sweeps apart.

    Parameters
    ----------
    lattice : Lattice
        From :func:`~spinlab.mlising.square`, :func:`~spinlab.mlising.triangular`, :func:`~spinlab.mlising.honeycomb`.
    T : float or 1-d array
        Temperatures in units of J, > 0.
    n_samples : int
        Configurations recorded per temperature (>= 1).
    sampler : {"wolff", "metropolis"}
        Wolff single-cluster updates or sequential single-spin Metropolis sweeps. A Wolff "sweep" is a fixed
        number of clusters, ceil(n / c) with c the mean cluster size measured during the burn-in, so that it
        flips ~n spins at every temperature (a data-dependent number of clusters would bias the records).
        Metropolis decorrelates slowly near T_c (critical slowing down, tau ~ L**2.17 sweeps).
    sweeps : int
        Sweeps between two recorded configurations (>= 1).
    burn_in : int
        Sweeps discarded before the first record (>= 0; at least one is run to measure the cluster size).
    initial : {"up", "random"}
        Starting configuration of every chain: all spins +1 or uniformly random.
    global_flip : bool
        Before each record, reverse all spins with probability 1/2. This move leaves the Boltzmann distribution
        unchanged (h = 0, the energy is even in s) and puts equal weight on +m and -m below T_c, where neither
        Metropolis nor Wolff (at low T one cluster is nearly the whole lattice) would do so reliably.
    seed : int, SeedSequence, Generator or None
        Root seed; the same seed gives identical samples.
    progress : bool or None
        Progress bar over temperatures (default: off).

    Returns
    -------
    Samples

    Examples
    --------
    >>> s = sample(lattice("triangular", 6), [2.0, 6.0], 20, seed=3)
    >>> bool(abs(s.magnetization[0]).mean() > abs(s.magnetization[1]).mean())
    True
    """
    if not isinstance(lattice, Lattice):
        raise TypeError(f"lattice must be a spinlab.mlising.Lattice (e.g. mlising.square(16)), got {type(lattice)}")
    temps, _ = check_temperatures(T)
    n_samples = check_int(n_samples, "n_samples", minimum=1)
    check_choice(sampler, "sampler", SAMPLERS)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    burn_in = check_int(burn_in, "burn_in", minimum=0)
    check_choice(initial, "initial", ("up", "random"))
    root = seed_sequence(seed)
    children = root.spawn(len(temps))
    states = xoshiro_states(children)
    algorithm = _kernels.WOLFF if sampler == "wolff" else _kernels.METROPOLIS
    n = lattice.n
    configs = np.empty((len(temps), n_samples, n), dtype=np.int8)
    energy = np.empty((len(temps), n_samples))
    magnet = np.empty((len(temps), n_samples))
    clusters = np.zeros(len(temps))
    for k in tqdm(range(len(temps)), desc=f"{sampler} {lattice.name} L={lattice.L}", disable=not progress):
        if initial == "up":
            spins = np.ones(n, dtype=np.int8)
        else:
            spins = np.random.default_rng(child(children[k], 0)).choice(np.array([-1, 1], dtype=np.int8), n)
        beta = 1.0 / temps[k]
        chain = (states[k], configs[k], energy[k], magnet[k])
        options = (algorithm, burn_in, sweeps, bool(global_flip))
        clusters[k] = _kernels.sample_chain(spins, lattice.neighbours, beta, *options, *chain)
    return Samples(
        configs=configs,
        energy=energy,
        magnetization=magnet,
        T=temps,
        clusters_per_sample=clusters,
        lattice=lattice.name,
        L=lattice.L,
        sampler=sampler,
        sweeps=sweeps,
        burn_in=burn_in,
        seed=int(root.entropy),
    )
