"""Periodic two-dimensional lattices as neighbour tables, and their exact critical temperatures.

Every lattice has L x L unit cells with periodic boundaries. The square and triangular lattices have one site per
cell (site ``i = x + L y``), the honeycomb lattice two (``i = 2 (x + L y) + b`` with sublattice b = 0 (A) or 1 (B)).
Couplings are ferromagnetic, J = 1 on every nearest-neighbour bond, no field; energies are per spin,
``e = -(1/n) sum_<ij> s_i s_j``, temperatures in units of J.

Exact critical temperatures (Onsager 1944; Houtappel 1950; Wannier 1950):

* square (z = 4): ``T_c = 2 / ln(1 + sqrt 2) = 2.269185``
* triangular (z = 6): ``T_c = 4 / ln 3 = 3.640957``
* honeycomb (z = 3): ``T_c = 2 / ln(2 + sqrt 3) = 1.518651``
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._validate import check_choice, check_int, check_spins
from ..models import DenseModel, from_couplings
from ._kernels import energy_and_magnetization

__all__ = [
    "CRITICAL_TEMPERATURES",
    "LATTICES",
    "T_C_HONEYCOMB",
    "T_C_SQUARE",
    "T_C_TRIANGULAR",
    "Lattice",
    "honeycomb",
    "lattice",
    "square",
    "triangular",
]

T_C_SQUARE = 2.0 / np.log1p(np.sqrt(2.0))
T_C_TRIANGULAR = 4.0 / np.log(3.0)
T_C_HONEYCOMB = 2.0 / np.log(2.0 + np.sqrt(3.0))
LATTICES = ("square", "triangular", "honeycomb")
#: Exact critical temperature of the ferromagnet (J = 1) on each lattice.
CRITICAL_TEMPERATURES = {"square": T_C_SQUARE, "triangular": T_C_TRIANGULAR, "honeycomb": T_C_HONEYCOMB}
# Smallest L without double bonds: a square or triangular lattice with L = 2 reaches the same site twice.
_MIN_L = {"square": 3, "triangular": 3, "honeycomb": 2}


@dataclass(frozen=True, eq=False)
class Lattice:
    """A periodic lattice of ``n`` Ising spins.

    Attributes
    ----------
    name : {"square", "triangular", "honeycomb"}
    L : int
        Unit cells per side.
    neighbours : (n, z) int64
        The z nearest neighbours of every site (each bond appears once from each end).
    positions : (n, 2) float64
        Site coordinates in the plane (nearest-neighbour distance 1), for drawing.

    Examples
    --------
    >>> lat = honeycomb(4)
    >>> lat.n, lat.z, round(lat.T_c, 6)
    (32, 3, 1.518651)
    """

    name: str
    L: int
    neighbours: np.ndarray = field(repr=False)
    positions: np.ndarray = field(repr=False)

    @property
    def n(self) -> int:
        """Number of spins."""
        return int(self.neighbours.shape[0])

    @property
    def z(self) -> int:
        """Coordination number."""
        return int(self.neighbours.shape[1])

    @property
    def T_c(self) -> float:
        """Exact critical temperature of the infinite lattice (units of J)."""
        return float(CRITICAL_TEMPERATURES[self.name])

    def energy(self, spins) -> np.ndarray | float:
        """Energy per spin ``-(1/n) sum_<ij> s_i s_j`` of one configuration (float) or a batch (array).

        Examples
        --------
        >>> square(4).energy(np.ones(16, dtype=np.int8))  # 2 bonds per spin
        -2.0
        """
        batch, single = check_spins(spins, self.n)
        out = np.array([energy_and_magnetization(row, self.neighbours)[0] for row in batch])
        return float(out[0]) if single else out

    def to_model(self) -> DenseModel:
        """The same system as a dense :mod:`spinlab.models` model (for exact enumeration of small lattices).

        Examples
        --------
        >>> from spinlab import exact
        >>> round(exact.thermo(triangular(3).to_model(), 1.0).energy, 4)  # nearly the ground state, -3
        -2.9999
        """
        J = np.zeros((self.n, self.n))
        rows = np.repeat(np.arange(self.n), self.z)
        np.add.at(J, (rows, self.neighbours.ravel()), 1.0)
        return from_couplings(J, name=f"{self.name} L={self.L}")


def _cells(L: int) -> tuple[np.ndarray, np.ndarray]:
    cells = np.arange(L * L)
    return cells % L, cells // L


def _index(x, y, L: int) -> np.ndarray:
    return (x % L) + L * (y % L)


def _offsets_lattice(name: str, L: int, offsets, positions: np.ndarray) -> Lattice:
    x, y = _cells(L)
    neighbours = np.stack([_index(x + dx, y + dy, L) for dx, dy in offsets], axis=1).astype(np.int64)
    return Lattice(name, L, np.ascontiguousarray(neighbours), positions)


def square(L: int) -> Lattice:
    """Periodic L x L square lattice (z = 4), neighbours in the order +x, +y, -x, -y.

    Examples
    --------
    >>> square(3).neighbours[0].tolist()
    [1, 3, 2, 6]
    """
    L = check_int(L, "L", minimum=_MIN_L["square"])
    x, y = _cells(L)
    return _offsets_lattice("square", L, ((1, 0), (0, 1), (-1, 0), (0, -1)), np.stack([x, y], axis=1).astype(float))


def triangular(L: int) -> Lattice:
    """Periodic triangular lattice of L x L sites (z = 6), cells spanned by (1, 0) and (1/2, sqrt(3)/2).

    Neighbours in the order (+1, 0), (0, +1), (-1, +1), (-1, 0), (0, -1), (+1, -1) in cell coordinates.

    Examples
    --------
    >>> triangular(4).z
    6
    """
    L = check_int(L, "L", minimum=_MIN_L["triangular"])
    x, y = _cells(L)
    positions = np.stack([x + 0.5 * y, 0.5 * np.sqrt(3.0) * y], axis=1)
    offsets = ((1, 0), (0, 1), (-1, 1), (-1, 0), (0, -1), (1, -1))
    return _offsets_lattice("triangular", L, offsets, positions)


def honeycomb(L: int) -> Lattice:
    """Periodic honeycomb lattice of L x L cells with two sites each (n = 2 L**2, z = 3).

    Site A of cell (x, y) bonds to B of cells (x, y), (x - 1, y), (x, y - 1); cells are spanned by
    (sqrt 3, 0) and (sqrt(3)/2, 3/2), and B sits at (sqrt(3)/2, 1/2) from A.

    Examples
    --------
    >>> honeycomb(2).neighbours[0].tolist()  # A(0, 0) -> B(0, 0), B(1, 0), B(0, 1)
    [1, 3, 5]
    """
    L = check_int(L, "L", minimum=_MIN_L["honeycomb"])
    x, y = _cells(L)
    a_sites = 2 * _index(x, y, L)
    to_b = [2 * _index(x + dx, y + dy, L) + 1 for dx, dy in ((0, 0), (-1, 0), (0, -1))]
    to_a = [2 * _index(x + dx, y + dy, L) for dx, dy in ((0, 0), (1, 0), (0, 1))]
    neighbours = np.empty((2 * L * L, 3), dtype=np.int64)
    neighbours[a_sites] = np.stack(to_b, axis=1)
    neighbours[a_sites + 1] = np.stack(to_a, axis=1)
    origin = np.stack([np.sqrt(3.0) * (x + 0.5 * y), 1.5 * y], axis=1)
    positions = np.empty((2 * L * L, 2))
    positions[a_sites] = origin
    positions[a_sites + 1] = origin + np.array([0.5 * np.sqrt(3.0), 0.5])
    return Lattice("honeycomb", L, neighbours, positions)


def lattice(name: str, L: int) -> Lattice:
    """The lattice called ``name`` ("square", "triangular" or "honeycomb") with L x L cells.

    Examples
    --------
    >>> lattice("square", 8).n
    64
    """
    check_choice(name, "name", LATTICES)
    return {"square": square, "triangular": triangular, "honeycomb": honeycomb}[name](L)
