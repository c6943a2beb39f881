"""Spin-glass and Ising models with validated couplings.

All models share the Hamiltonian H = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i with
s_i = ±1; ``model.energy`` returns H / n.

Examples
--------
>>> import spinlab
>>> model = spinlab.models.sk(8, seed=1)
>>> model.n
8
"""

from __future__ import annotations

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_couplings, check_field, check_int
from ._base import DenseModel, LatticeModel, Model

__all__ = ["DenseModel", "LatticeModel", "Model", "ea", "from_couplings", "ising2d", "sk"]

_COUPLINGS = ("gaussian", "pm1")


def _draw(rng: np.random.Generator, kind: str, size) -> np.ndarray:
    if kind == "gaussian":
        return rng.standard_normal(size)
    return rng.choice(np.array([-1.0, 1.0]), size=size)


def sk(n: int, *, seed: SeedLike = None, couplings: str = "gaussian", h=0.0) -> DenseModel:
    """Sherrington–Kirkpatrick model: all pairs coupled, J_ij ~ N(0, 1/n) or ±1/sqrt(n).

    Parameters
    ----------
    n : int
        Number of spins, >= 2.
    seed : int, SeedSequence, Generator or None
        Seed of the disorder; the same seed gives the same couplings.
    couplings : {"gaussian", "pm1"}
        Gaussian couplings of variance 1/n, or ±1/sqrt(n) with equal probability.
    h : float or (n,) array
        External field.

    Returns
    -------
    DenseModel
        With this normalisation the thermodynamic critical temperature is T_c = 1.

    Examples
    --------
    >>> m = sk(20, seed=3, couplings="pm1")
    >>> bool(abs(abs(m.J[0, 1]) * 20**0.5 - 1) < 1e-12)
    True
    """
    n = check_int(n, "n", minimum=2)
    kind = check_choice(couplings, "couplings", _COUPLINGS)
    rng = np.random.default_rng(seed_sequence(seed))
    upper = np.triu(_draw(rng, kind, (n, n)), k=1) / np.sqrt(n)
    J = upper + upper.T
    return DenseModel(name=f"SK n={n} ({kind})", h=check_field(h, n), J=J)


def ea(L: int, *, d: int = 3, couplings: str = "pm1", seed: SeedLike = None, h=0.0) -> LatticeModel:
    """Edwards–Anderson spin glass on a periodic L^d lattice with nearest-neighbour couplings.

    Parameters
    ----------
    L : int
        Linear size, >= 2 (with L = 2 each pair of neighbours is joined by two bonds).
    d : {2, 3}
        Dimension.
    couplings : {"pm1", "gaussian"}
        J = ±1 with equal probability, or J ~ N(0, 1).
    seed : int, SeedSequence, Generator or None
        Seed of the disorder.
    h : float or (L**d,) array
        External field.

    Examples
    --------
    >>> m = ea(4, d=2, seed=0)
    >>> m.n, m.neighbours.shape
    (16, (16, 4))
    """
    L = check_int(L, "L", minimum=2)
    d = check_int(d, "d", minimum=2, maximum=3)
    kind = check_choice(couplings, "couplings", _COUPLINGS)
    rng = np.random.default_rng(seed_sequence(seed))
    n = L**d
    bonds_plus = np.ascontiguousarray(_draw(rng, kind, (n, d)))
    return LatticeModel.build(f"EA {d}D L={L} ({kind})", L, d, bonds_plus, check_field(h, n))


def ising2d(L: int, *, h=0.0) -> LatticeModel:
    """Ferromagnetic Ising model (J = 1) on a periodic L x L square lattice; T_c = 2/ln(1+sqrt 2).

    Examples
    --------
    >>> import numpy as np
    >>> ising2d(8).energy(np.ones(64, dtype=np.int8))
    -2.0
    """
    L = check_int(L, "L", minimum=2)
    n = L * L
    return LatticeModel.build(f"Ising 2D L={L}", L, 2, np.ones((n, 2)), check_field(h, n))


def from_couplings(J, h=0.0, *, name: str = "custom") -> DenseModel:
    """Any model given by a dense symmetric, zero-diagonal coupling matrix ``J``.

    Examples
    --------
    >>> import numpy as np
    >>> m = from_couplings(np.array([[0.0, 1.0], [1.0, 0.0]]))
    >>> m.energy(np.array([1, 1]))
    -0.5
    """
    J = check_couplings(J, "J")
    return DenseModel(name=name, h=check_field(h, J.shape[0]), J=J)
