"""Spin models: validated couplings plus energy and local-field evaluation.

Conventions used throughout spinlab: Ising spins s_i = ±1 stored as ``int8`` and

.. math:: H(s) = -\\sum_{i<j} J_{ij} s_i s_j - \\sum_i h_i s_i,

with energies reported **per spin** (H / n) and temperatures in units of J (k_B = 1).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field

import numpy as np

from .._validate import check_spins
from ._kernels import lattice_energies, lattice_local_fields


@dataclass(frozen=True, eq=False)
class Model(ABC):
    """Base class of every spin model; see :class:`DenseModel` and :class:`LatticeModel`."""

    name: str
    h: np.ndarray

    @property
    def n(self) -> int:
        """Number of spins."""
        return int(self.h.shape[0])

    def energy(self, spins) -> float | np.ndarray:
        """Energy per spin of one configuration (shape ``(n,)``) or a batch (``(k, n)``)."""
        batch, single = check_spins(spins, self.n)
        energies = self._total_energies(batch) / self.n
        return float(energies[0]) if single else energies

    def local_fields(self, spins) -> np.ndarray:
        """Local fields h_i + sum_j J_ij s_j, same shape as ``spins``."""
        batch, single = check_spins(spins, self.n)
        fields = self._local_fields(batch)
        return fields[0] if single else fields

    @abstractmethod
    def to_dense(self) -> np.ndarray:
        """The couplings as a dense symmetric ``(n, n)`` float64 matrix with zero diagonal."""

    @abstractmethod
    def _total_energies(self, batch: np.ndarray) -> np.ndarray:
        """Total (not per-spin) energies of a 2-d int8 batch."""

    @abstractmethod
    def _local_fields(self, batch: np.ndarray) -> np.ndarray:
        """Local fields of a 2-d int8 batch."""


@dataclass(frozen=True, eq=False)
class DenseModel(Model):
    """A model with a dense symmetric coupling matrix ``J`` (SK, or any ``from_couplings``).

    Attributes
    ----------
    J : (n, n) float64 array, symmetric, zero diagonal.
    h : (n,) float64 array of external fields.
    """

    J: np.ndarray = field(default=None, repr=False)

    def to_dense(self) -> np.ndarray:
        return self.J.copy()

    def _total_energies(self, batch):
        s = batch.astype(np.float64)
        return -0.5 * np.einsum("bi,ij,bj->b", s, self.J, s) - s @ self.h

    def _local_fields(self, batch):
        return batch.astype(np.float64) @ self.J + self.h

    def __repr__(self) -> str:
        return f"DenseModel(name={self.name!r}, n={self.n})"


@dataclass(frozen=True, eq=False)
class LatticeModel(Model):
    """A nearest-neighbour model on a periodic hypercubic lattice (EA spin glass, Ising ferromagnet).

    Attributes
    ----------
    L, d : linear size and dimension; ``n = L**d`` spins, site index ``i = sum_a x_a L**a``.
    bonds_plus : (n, d) float64, coupling between site i and its neighbour in the +a direction.
    neighbours : (n, 2d) int32, neighbour table (+ directions first, then - directions).
    bonds : (n, 2d) float64, the coupling to each entry of ``neighbours``.
    """

    L: int = 0
    d: int = 0
    bonds_plus: np.ndarray = field(default=None, repr=False)
    neighbours: np.ndarray = field(default=None, repr=False)
    bonds: np.ndarray = field(default=None, repr=False)

    @classmethod
    def build(cls, name: str, L: int, d: int, bonds_plus: np.ndarray, h: np.ndarray) -> LatticeModel:
        n = L**d
        sites = np.arange(n)
        coords = np.stack([(sites // L**a) % L for a in range(d)], axis=1)
        plus = np.empty((n, d), dtype=np.int32)
        minus = np.empty((n, d), dtype=np.int32)
        for a in range(d):
            step = L**a
            plus[:, a] = sites + np.where(coords[:, a] == L - 1, -(L - 1) * step, step)
            minus[:, a] = sites + np.where(coords[:, a] == 0, (L - 1) * step, -step)
        neighbours = np.ascontiguousarray(np.concatenate([plus, minus], axis=1))
        bonds = np.concatenate([bonds_plus, bonds_plus[minus, np.arange(d)]], axis=1)
        return cls(
            name=name,
            h=h,
            L=L,
            d=d,
            bonds_plus=bonds_plus,
            neighbours=neighbours,
            bonds=np.ascontiguousarray(bonds),
        )

    def to_dense(self) -> np.ndarray:
        J = np.zeros((self.n, self.n))
        for a in range(self.d):
            np.add.at(J, (np.arange(self.n), self.neighbours[:, a]), self.bonds_plus[:, a])
            np.add.at(J, (self.neighbours[:, a], np.arange(self.n)), self.bonds_plus[:, a])
        return J

    def _total_energies(self, batch):
        return lattice_energies(batch, self.neighbours, self.bonds, self.h)

    def _local_fields(self, batch):
        return lattice_local_fields(batch, self.neighbours, self.bonds, self.h)

    def __repr__(self) -> str:
        return f"LatticeModel(name={self.name!r}, L={self.L}, d={self.d}, n={self.n})"
