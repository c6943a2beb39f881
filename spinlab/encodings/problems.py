"""Problem instances for the encoding landscapes: number partitioning and Ising spin glasses.

Both are quadratic in Ising spins ``s_i = +-1``. Number partitioning with positive weights ``a_i`` has the cost
``E(s) = |sum_i a_i s_i|`` (the residue, in the units of the weights); its square is an Ising energy,
``E(s)^2 = sum_i a_i^2 + 2 H(s)`` with ``H = -sum_{i<j} J_ij s_i s_j`` and antiferromagnetic ``J_ij = -a_i a_j``.
Spin glasses have the cost ``H(s) / n``, the energy per spin.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_couplings, check_int, check_spins
from . import _kernels as K

KINDS = ("partition", "spin_glass")


@dataclass(frozen=True, eq=False)
class Problem:
    """A cost landscape on ``n`` Ising spins together with the visiting order of the greedy decoder.

    Attributes
    ----------
    kind : ``"partition"`` (cost = residue ``|sum a_i s_i|``) or ``"spin_glass"`` (cost = ``H / n``).
    J : (n, n) float64 couplings, symmetric with zero diagonal (``-a_i a_j`` for partitioning).
    weights : (n,) float64 positive weights for partitioning; zeros for spin glasses.
    order : (n,) int64 decoder order: decreasing weight ``a_i`` or decreasing ``sum_j |J_ij|``, ties by index.
    name : a label for figures.
    """

    kind: str
    J: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    order: np.ndarray = field(repr=False)
    name: str = ""

    @property
    def n(self) -> int:
        """Number of spins (items)."""
        return int(self.J.shape[0])

    @property
    def code(self) -> int:
        return K.PARTITION if self.kind == "partition" else K.SPIN_GLASS


def _strength_order(strength: np.ndarray) -> np.ndarray:
    return np.argsort(-strength, kind="stable").astype(np.int64)


def partition_problem(weights, *, name: str = "partition") -> Problem:
    """Number partitioning of the given positive weights.

    Parameters
    ----------
    weights : array of n >= 2 finite positive numbers (integers keep the residues exact up to 2**53).

    Examples
    --------
    >>> p = partition_problem([4, 5, 6, 7, 8])
    >>> p.n, p.order.tolist()
    (5, [4, 3, 2, 1, 0])
    >>> cost(p, [1, 1, -1, -1, 1])
    4.0
    """
    a = np.asarray(weights)
    if a.dtype.kind not in "iuf" or a.dtype == bool:
        raise TypeError(f"weights must be an array of real numbers, got dtype {a.dtype}")
    if a.ndim != 1 or a.shape[0] < 2:
        raise ValueError(f"weights must be a 1-d array of at least 2 numbers, got shape {a.shape}")
    a = a.astype(np.float64)
    if not np.all(np.isfinite(a)) or np.any(a <= 0):
        raise ValueError("weights must be finite and > 0; number partitioning needs positive weights")
    J = -np.outer(a, a)
    np.fill_diagonal(J, 0.0)
    return Problem("partition", J, a, _strength_order(a), name)


def random_partition(n: int, *, bits: int = 20, seed: SeedLike = None) -> Problem:
    """Random partitioning instance: n integers drawn uniformly from ``1 .. 2**bits`` (bits <= 40: exact residues).

    With ``bits`` well above ``n`` (here 20 against n <= 20) the instance is in the hard phase where the optimum
    is typically unique up to the global flip (Mertens' control parameter ``bits / n > 1``).

    Examples
    --------
    >>> p = random_partition(8, bits=10, seed=1)
    >>> p.n, bool(p.weights.max() <= 2**10)
    (8, True)
    """
    n = check_int(n, "n", minimum=2, maximum=62)
    bits = check_int(bits, "bits", minimum=1, maximum=40)
    rng = np.random.default_rng(seed_sequence(seed))
    return partition_problem(rng.integers(1, 2**bits, endpoint=True, size=n), name=f"partition n={n}")


def spin_glass_problem(J, *, name: str = "spin glass") -> Problem:
    """Ising spin glass with the given couplings; cost ``H(s) / n`` with ``H = -sum_{i<j} J_ij s_i s_j``.

    Examples
    --------
    >>> p = spin_glass_problem(np.array([[0, 1.0], [1.0, 0]]))
    >>> cost(p, [1, 1]), cost(p, [1, -1])
    (-0.5, 0.5)
    """
    Jc = check_couplings(J)
    if Jc.shape[0] < 2:
        raise ValueError(f"J must describe at least 2 spins, got shape {Jc.shape}")
    return Problem("spin_glass", Jc, np.zeros(Jc.shape[0]), _strength_order(np.abs(Jc).sum(axis=1)), name)


def random_sk(n: int, *, seed: SeedLike = None) -> Problem:
    """Sherrington–Kirkpatrick instance, ``J_ij ~ N(0, 1/n)``.

    Examples
    --------
    >>> random_sk(6, seed=0).J.shape
    (6, 6)
    """
    n = check_int(n, "n", minimum=2, maximum=62)
    rng = np.random.default_rng(seed_sequence(seed))
    upper = np.triu(rng.normal(0.0, 1.0 / np.sqrt(n), size=(n, n)), 1)
    return spin_glass_problem(upper + upper.T, name=f"SK n={n}")


def random_chain(n: int, *, seed: SeedLike = None) -> Problem:
    """Open Ising chain with Gaussian nearest-neighbour bonds ``J_{i,i+1} ~ N(0, 1)``.

    Examples
    --------
    >>> p = random_chain(5, seed=0)
    >>> int(np.count_nonzero(p.J)) // 2
    4
    """
    n = check_int(n, "n", minimum=2, maximum=62)
    rng = np.random.default_rng(seed_sequence(seed))
    return spin_glass_problem(chain_couplings(rng.normal(size=n - 1)), name=f"chain n={n}")


def chain_couplings(bonds) -> np.ndarray:
    """Coupling matrix of an open chain with ``J_{i,i+1} = bonds[i]``.

    Examples
    --------
    >>> chain_couplings([1.0, -2.0])[1]
    array([ 1.,  0., -2.])
    """
    b = np.asarray(bonds, dtype=np.float64)
    if b.ndim != 1 or b.shape[0] < 1:
        raise ValueError(f"bonds must be a 1-d array of at least one bond, got shape {b.shape}")
    n = b.shape[0] + 1
    J = np.zeros((n, n))
    J[np.arange(n - 1), np.arange(1, n)] = b
    return J + J.T


def _check_problem(problem) -> Problem:
    if not isinstance(problem, Problem):
        raise TypeError(f"problem must be an encodings.Problem (see partition_problem), got {type(problem).__name__}")
    return problem


def cost(problem: Problem, spins) -> float | np.ndarray:
    """Cost of one configuration (float) or a batch (array): residue, or energy per spin for spin glasses.

    Examples
    --------
    >>> cost(partition_problem([3, 1, 2]), [[1, -1, -1], [1, 1, 1]])
    array([0., 6.])
    """
    problem = _check_problem(problem)
    batch, single = check_spins(spins, problem.n)
    out = np.array([K.cost_of(problem.code, problem.J, problem.weights, s) for s in batch])
    return float(out[0]) if single else out
