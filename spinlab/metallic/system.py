"""Dilute classical moments with RKKY-like couplings: geometry, couplings, local fields and energies.

Conventions: unit classical moments S_i in three dimensions at fixed random positions r_i, energy

    H = -sum_{i<j} J_ij S_i . S_j,      J_ij = J(|r_i - r_j|) for |r_i - r_j| < cutoff, 0 beyond,
    J(r) = J0 cos(2 k_F r) / (k_F r)^3,

so J > 0 is ferromagnetic. Lengths are in the units of 1/k_F when k_F = 1 (the default), energies in units
of J0. The local field is h_i = sum_j J_ij S_j = -dH/dS_i (H the total energy); energies are reported per moment.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_int, check_real
from . import _kernels

__all__ = ["MetallicSystem", "energy", "local_fields", "random_spins", "random_system", "rkky_coupling"]


def rkky_coupling(r, *, k_F: float = 1.0, J0: float = 1.0):
    """The RKKY-like coupling J(r) = J0 cos(2 k_F r) / (k_F r)^3 (no cutoff applied).

    Parameters
    ----------
    r : float or array of float > 0
        Distances.
    k_F : float > 0
        Fermi wave number; the sign of J(r) oscillates with period pi / k_F.
    J0 : float
        Energy scale; J > 0 couples ferromagnetically in H = -sum J_ij S_i.S_j.

    Examples
    --------
    >>> round(float(rkky_coupling(np.pi)), 6)  # cos(2 pi) / pi^3
    0.032252
    """
    k_F = check_real(k_F, "k_F", positive=True)
    J0 = check_real(J0, "J0")
    arr = np.asarray(r, dtype=np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr <= 0):
        raise ValueError("r must contain only finite distances > 0")
    x = k_F * arr
    out = J0 * np.cos(2.0 * x) / x**3
    return float(out) if out.ndim == 0 else out


@dataclass(frozen=True)
class MetallicSystem:
    """Moments at fixed positions coupled by J(r) = J0 cos(2 k_F r)/(k_F r)^3 up to a cutoff.

    Attributes
    ----------
    positions : (n, 3) float64
        Positions of the moments (wrapped into [0, box) for a periodic box).
    box : float or None
        Side of the periodic cube (minimum-image distances; needs ``cutoff <= box / 2``), or ``None``
        for an open cluster (plain distances, rotation-invariant as a whole).
    k_F, J0 : float
        Parameters of the coupling (see :func:`rkky_coupling`).
    cutoff : float
        Couplings vanish for r >= cutoff (a sharp truncation: the positions are fixed, so the energy
        and the fields stay well defined).
    indptr, indices, vectors, distances, couplings : arrays (derived)
        Compressed-row neighbour list: the neighbours of site i are ``indices[indptr[i]:indptr[i+1]]``,
        ``vectors`` holds r_j - r_i (minimum image), ``couplings`` J_ij for every listed pair.

    Examples
    --------
    >>> pos = np.array([[0.0, 0.0, 0.0], [np.pi, 0.0, 0.0]])
    >>> sys2 = MetallicSystem(pos, box=None, cutoff=4.0)
    >>> sys2.n, sys2.indices.tolist(), np.round(sys2.couplings, 6).tolist()
    (2, [1, 0], [0.032252, 0.032252])
    """

    positions: np.ndarray
    box: float | None
    k_F: float = 1.0
    J0: float = 1.0
    cutoff: float = 3.5
    indptr: np.ndarray = field(init=False, repr=False)
    indices: np.ndarray = field(init=False, repr=False)
    vectors: np.ndarray = field(init=False, repr=False)
    distances: np.ndarray = field(init=False, repr=False)
    couplings: np.ndarray = field(init=False, repr=False)

    def __post_init__(self):
        pos = self.positions
        if not isinstance(pos, np.ndarray) or pos.dtype.kind not in "iuf":
            raise TypeError(f"positions must be a real numpy array of shape (n, 3), got {type(pos).__name__}")
        if pos.ndim != 2 or pos.shape[1] != 3 or pos.shape[0] < 2:
            raise ValueError(f"positions must have shape (n, 3) with n >= 2, got {pos.shape}")
        pos = np.array(pos, dtype=np.float64)
        if not np.all(np.isfinite(pos)):
            raise ValueError("positions must contain only finite values")
        k_F = check_real(self.k_F, "k_F", positive=True)
        J0 = check_real(self.J0, "J0")
        cutoff = check_real(self.cutoff, "cutoff", positive=True)
        box = self.box
        if box is not None:
            box = check_real(box, "box", positive=True)
            if cutoff > box / 2:
                raise ValueError(f"cutoff must be <= box / 2 = {box / 2} (minimum image), got {cutoff}")
            pos = np.mod(pos, box)
        indptr, indices, vectors, distances = _kernels.neighbour_list(pos, -1.0 if box is None else box, cutoff)
        if distances.size and distances.min() == 0.0:
            raise ValueError("positions must be distinct (two moments at distance 0)")
        for name, value in (
            ("positions", pos),
            ("box", box),
            ("k_F", k_F),
            ("J0", J0),
            ("cutoff", cutoff),
            ("indptr", indptr),
            ("indices", indices),
            ("vectors", vectors),
            ("distances", distances),
        ):
            object.__setattr__(self, name, value)
        couplings = rkky_coupling(distances, k_F=k_F, J0=J0) if distances.size else np.zeros(0)
        object.__setattr__(self, "couplings", np.atleast_1d(couplings))

    @property
    def n(self) -> int:
        """Number of moments."""
        return self.positions.shape[0]

    @property
    def n_pairs(self) -> int:
        """Number of directed neighbour pairs (each coupled pair counted twice)."""
        return self.indices.shape[0]

    def coupling_matrix(self) -> np.ndarray:
        """Dense symmetric (n, n) matrix of the couplings J_ij (zero diagonal)."""
        J = np.zeros((self.n, self.n))
        rows = np.repeat(np.arange(self.n), np.diff(self.indptr))
        J[rows, self.indices] = self.couplings
        return J


def random_system(
    n: int,
    *,
    density: float = 0.08,
    k_F: float = 1.0,
    J0: float = 1.0,
    cutoff: float = 3.5,
    min_distance: float = 1.0,
    periodic: bool = True,
    seed: SeedLike = None,
) -> MetallicSystem:
    """``n`` moments placed uniformly at random in a cube of side (n / density)^(1/3).

    Positions are added one at a time and redrawn while closer than ``min_distance`` to a placed one
    (random sequential addition: a hard core that keeps |J| <= J0 / (k_F min_distance)^3, as the host
    lattice spacing does in a dilute alloy).

    Parameters
    ----------
    n : int >= 2
    density : float > 0
        Moments per unit volume.
    k_F, J0, cutoff : see :class:`MetallicSystem`
    min_distance : float >= 0
    periodic : bool
        Periodic cube (default) or an open cluster in the same cube.
    seed : int, SeedSequence, Generator or None

    Examples
    --------
    >>> s = random_system(32, seed=0)
    >>> s.n, bool(s.distances.min() >= 1.0), round(s.box, 3)
    (32, True, 7.368)
    """
    n = check_int(n, "n", minimum=2)
    density = check_real(density, "density", positive=True)
    min_distance = check_real(min_distance, "min_distance")
    if min_distance < 0:
        raise ValueError(f"min_distance must be >= 0, got {min_distance}")
    if not isinstance(periodic, bool):
        raise TypeError(f"periodic must be a bool, got {type(periodic).__name__}")
    box = (n / density) ** (1.0 / 3.0)
    if n * (4.0 / 3.0) * math.pi * (min_distance / 2) ** 3 > 0.3 * box**3:
        raise ValueError(f"min_distance={min_distance} is too large for density={density}: lower one of them")
    rng = np.random.default_rng(seed_sequence(seed))
    pos = np.empty((n, 3))
    for i in range(n):
        for _ in range(10_000):
            trial = rng.uniform(0.0, box, 3)
            d = pos[:i] - trial
            if periodic:
                d -= box * np.round(d / box)
            if i == 0 or np.min(np.einsum("ij,ij->i", d, d)) >= min_distance**2:
                break
        else:
            raise ValueError(f"could not place moment {i} at min_distance={min_distance}: lower it")
        pos[i] = trial
    return MetallicSystem(pos, box if periodic else None, k_F=k_F, J0=J0, cutoff=cutoff)


def _check_system(system) -> MetallicSystem:
    if not isinstance(system, MetallicSystem):
        raise TypeError(f"system must be a spinlab.metallic.MetallicSystem, got {type(system).__name__}")
    return system


def _check_unit_spins(spins, n: int, name: str = "spins") -> tuple[np.ndarray, bool]:
    """(k, n, 3) float64 unit vectors and whether one configuration (n, 3) was given."""
    if not isinstance(spins, np.ndarray) or spins.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real numpy array of shape (n, 3) or (k, n, 3), got {type(spins).__name__}")
    if spins.ndim not in (2, 3) or spins.shape[-2:] != (n, 3):
        raise ValueError(f"{name} must have shape ({n}, 3) or (k, {n}, 3), got {spins.shape}")
    arr = np.ascontiguousarray(spins, dtype=np.float64)
    single = arr.ndim == 2
    arr = arr.reshape(-1, n, 3)
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    norms = np.linalg.norm(arr, axis=-1)
    if np.max(np.abs(norms - 1.0)) > 1e-8:
        raise ValueError(f"{name} must be unit vectors (|S_i| = 1 within 1e-8); normalise them first")
    return arr, single


def random_spins(n: int, *, n_configs: int | None = None, seed: SeedLike = None) -> np.ndarray:
    """Unit vectors drawn uniformly on the sphere: shape (n, 3), or (n_configs, n, 3).

    Examples
    --------
    >>> S = random_spins(5, n_configs=2, seed=1)
    >>> S.shape, bool(np.allclose(np.linalg.norm(S, axis=-1), 1.0))
    ((2, 5, 3), True)
    """
    n = check_int(n, "n", minimum=1)
    shape = (n, 3) if n_configs is None else (check_int(n_configs, "n_configs", minimum=1), n, 3)
    g = np.random.default_rng(seed_sequence(seed)).standard_normal(shape)
    return g / np.linalg.norm(g, axis=-1, keepdims=True)


def _fields(system: MetallicSystem, spins: np.ndarray) -> np.ndarray:
    out = np.empty_like(spins)
    _kernels.pair_fields(system.indptr, system.indices, system.couplings[None, :], spins, out)
    return out


def local_fields(system: MetallicSystem, spins: np.ndarray) -> np.ndarray:
    """Exact local fields h_i = sum_j J_ij S_j = -dH/dS_i, same shape as ``spins``.

    Examples
    --------
    >>> s = random_system(32, seed=2)
    >>> S = random_spins(32, seed=3)
    >>> bool(np.allclose(local_fields(s, S), s.coupling_matrix() @ S))
    True
    """
    system = _check_system(system)
    arr, single = _check_unit_spins(spins, system.n)
    h = _fields(system, arr)
    return h[0] if single else h


def energy(system: MetallicSystem, spins: np.ndarray):
    """Energy per moment H / n = -(1 / 2n) sum_i S_i . h_i: a float, or an array for a batch (k, n, 3).

    Examples
    --------
    >>> s = random_system(32, seed=2)
    >>> S = random_spins(32, seed=3)
    >>> bool(np.isclose(energy(s, S), -0.5 * np.sum(S * (s.coupling_matrix() @ S)) / 32))
    True
    """
    system = _check_system(system)
    arr, single = _check_unit_spins(spins, system.n)
    e = -0.5 * np.einsum("kia,kia->k", arr, _fields(system, arr)) / system.n
    return float(e[0]) if single else e
