"""Zero-temperature blocking: brute force, exact chain decimation, global minimum preserved."""

import itertools

import numpy as np
import pytest

from spinlab import encodings as E


@pytest.mark.parametrize("rule", E.BLOCK_RULES)
def test_block_landscape_brute_force(rule):
    problem = E.random_sk(9, seed=2)
    blocks = E.contiguous_blocks(9, 3)
    coarse = E.block_landscape(problem, blocks, rule=rule)
    best = {}
    for s in itertools.product([1, -1], repeat=9):
        sigma = tuple(E.block_spins(np.array(s), blocks, rule=rule))
        best[sigma] = min(best.get(sigma, np.inf), E.cost(problem, np.array(s)))
    for c in range(8):
        sigma = tuple(1 - 2 * ((c >> b) & 1) for b in range(3))
        assert coarse.costs[c] == pytest.approx(best[sigma], abs=1e-14)
    assert coarse.global_min == pytest.approx(E.exhaustive(problem).optimum, abs=1e-14)
    assert coarse.preimage_sizes().sum() == 8


def test_block_spins_rules():
    s = np.array([1, -1, -1, 1, 1, -1])
    assert list(E.block_spins(s, E.contiguous_blocks(6, 3))) == [-1, 1]
    assert list(E.block_spins(s, E.contiguous_blocks(6, 2), rule="decimation")) == [1, -1, 1]
    assert E.block_spins(np.vstack([s, -s]), E.contiguous_blocks(6, 3)).tolist() == [[-1, 1], [1, -1]]


@pytest.mark.parametrize("seed", range(3))
def test_chain_decimation_is_exact(seed):
    """F(sigma) of decimation equals the renormalised chain J' = sgn(Ja Jb) min(|Ja|, |Jb|) plus a constant."""
    n = 13
    problem = E.random_chain(n, seed=seed)
    bonds = np.diag(problem.J, 1)
    blocks = [np.array([2 * k, 2 * k + 1]) for k in range(6)] + [np.array([12])]
    coarse = E.block_landscape(problem, blocks, rule="decimation")
    new_bonds, constant = E.decimate_chain(bonds)
    renormalised = E.spin_glass_problem(E.chain_couplings(new_bonds))
    for c in range(2**7):
        sigma = np.array([1 - 2 * ((c >> b) & 1) for b in range(7)])
        expected = (E.cost(renormalised, sigma) * 7 + constant) / n
        assert coarse.costs[c] == pytest.approx(expected, abs=1e-12)


def test_blocking_reduces_minima_of_a_chain():
    problem = E.random_chain(15, seed=0)
    fine = E.exhaustive(problem)
    coarse = E.block_landscape(problem, E.contiguous_blocks(15, 3))
    assert coarse.n_minima <= fine.n_minima
    assert coarse.global_min == pytest.approx(fine.optimum)
