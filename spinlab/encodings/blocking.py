"""Zero-temperature real-space blocking: the renormalisation-group view of a cover encoding.

Group the n spins into m blocks and give each block one spin, by majority rule (odd block sizes) or by
decimation (the block spin is the spin of the block's first site). The coarse landscape assigns to each block
configuration ``sigma`` the lowest cost of all fine configurations that block to it,
``F(sigma) = min_{s -> sigma} E(s)``: the zero-temperature limit of tracing out the fine degrees of freedom. Read as
an encoding, ``sigma`` is a genotype of m < n variables and the decoder returns the exact minimiser in its block
class (an exact oracle), so the global minimum survives blocking by construction.
"""

from __future__ import annotations

import numpy as np

from .._validate import check_choice, check_int, check_spins
from . import _kernels as K
from .landscape import MAX_EXHAUSTIVE, Landscape, _analyse, _table
from .problems import Problem, _check_problem

BLOCK_RULES = ("majority", "decimation")


def contiguous_blocks(n: int, size: int) -> list[np.ndarray]:
    """Consecutive blocks ``[0..size-1], [size..2 size-1], ...`` of ``n`` sites (``size`` must divide ``n``).

    Examples
    --------
    >>> [b.tolist() for b in contiguous_blocks(6, 3)]
    [[0, 1, 2], [3, 4, 5]]
    """
    n = check_int(n, "n", minimum=1)
    size = check_int(size, "size", minimum=1, maximum=n)
    if n % size:
        raise ValueError(f"size must divide n = {n}, got {size}")
    return [np.arange(b, b + size) for b in range(0, n, size)]


def _check_blocks(blocks, n: int, rule: str) -> tuple[np.ndarray, np.ndarray]:
    if not isinstance(blocks, (list, tuple)) or not blocks:
        raise TypeError("blocks must be a non-empty list of integer arrays (see contiguous_blocks)")
    arrays = [np.asarray(b) for b in blocks]
    if any(b.ndim != 1 or b.size == 0 or b.dtype.kind not in "iu" for b in arrays):
        raise ValueError("blocks must be non-empty 1-d integer arrays of site indices")
    joined = np.concatenate(arrays)
    if joined.shape[0] != n or not np.array_equal(np.sort(joined), np.arange(n)):
        raise ValueError(f"blocks must partition the sites 0..{n - 1}: every site exactly once")
    if rule == "majority" and any(b.size % 2 == 0 for b in arrays):
        raise ValueError("majority rule needs odd block sizes (no ties); use rule='decimation' for even sizes")
    sizes = np.array([b.size for b in arrays], dtype=np.int64)
    members = np.zeros((len(arrays), sizes.max()), dtype=np.int64)
    for row, b in enumerate(arrays):
        members[row, : b.size] = b
    return members, sizes


def block_spins(spins, blocks, *, rule: str = "majority") -> np.ndarray:
    """Block spins of one configuration ``(n,)`` or a batch ``(k, n)``.

    Examples
    --------
    >>> block_spins([1, -1, -1, 1, 1, -1], contiguous_blocks(6, 3))
    array([-1,  1], dtype=int8)
    >>> block_spins([1, -1, -1, 1, 1, -1], contiguous_blocks(6, 2), rule="decimation")
    array([ 1, -1,  1], dtype=int8)
    """
    arr = np.asarray(spins)
    n = arr.shape[-1] if arr.ndim in (1, 2) else -1
    batch, single = check_spins(spins, n)
    rule = check_choice(rule, "rule", BLOCK_RULES)
    members, sizes = _check_blocks(blocks, batch.shape[1], rule)
    out = np.empty((batch.shape[0], sizes.shape[0]), dtype=np.int8)
    for b in range(sizes.shape[0]):
        sites = members[b, : sizes[b]]
        out[:, b] = np.sign(batch[:, sites].sum(axis=1)) if rule == "majority" else batch[:, sites[0]]
    return out[0] if single else out


def block_landscape(problem: Problem, blocks, *, rule: str = "majority") -> Landscape:
    """Exhaustive coarse landscape ``F(sigma) = min_{s -> sigma} E(s)`` over the ``2**m`` block configurations.

    Returns a :class:`Landscape` with ``encoding="block"``: costs, local minima (plateaus under single block-spin
    flips), ``rho1`` and the phenotype (canonical class of the minimising fine configuration) of each block
    configuration. Fine size n <= 22.

    Examples
    --------
    >>> from spinlab.encodings import exhaustive, random_chain
    >>> p = random_chain(9, seed=2)
    >>> coarse = block_landscape(p, contiguous_blocks(9, 3))
    >>> coarse.n, coarse.global_min == exhaustive(p).optimum
    (3, True)
    """
    problem = _check_problem(problem)
    check_int(problem.n, "problem.n", maximum=MAX_EXHAUSTIVE)
    rule = check_choice(rule, "rule", BLOCK_RULES)
    members, sizes = _check_blocks(blocks, problem.n, rule)
    fine_costs, fine_codes = _table(problem, K.DIRECT)
    m = sizes.shape[0]
    coarse = np.empty(2**m)
    argmin = np.empty(2**m, dtype=np.int64)
    K.block_table(fine_costs, problem.n, members, sizes, rule == "majority", coarse, argmin)
    return _analyse(problem, "block", "exact", coarse, fine_codes[argmin], float(fine_costs.min()))


def decimate_chain(bonds) -> tuple[np.ndarray, float]:
    """Exact zero-temperature decimation of every second spin of an open chain (sites 1, 3, 5, ... removed).

    Minimising over the spin between bonds ``J_a`` and ``J_b`` leaves one bond
    ``J' = sign(J_a J_b) min(|J_a|, |J_b|)`` and adds the constant ``-max(|J_a|, |J_b|)`` to the energy. Returns the
    new bonds and the total constant (total energy, not per spin). The chain must have an even number of bonds.

    Examples
    --------
    >>> decimate_chain([2.0, -0.5, 1.0, 3.0])
    (array([-0.5,  1. ]), -5.0)
    """
    b = np.asarray(bonds, dtype=np.float64)
    if b.ndim != 1 or b.shape[0] < 2 or b.shape[0] % 2:
        raise ValueError(f"bonds must be a 1-d array with an even number (>= 2) of bonds, got shape {b.shape}")
    left, right = np.abs(b[0::2]), np.abs(b[1::2])
    new = np.sign(b[0::2] * b[1::2]) * np.minimum(left, right)
    return new, float(-np.maximum(left, right).sum())
