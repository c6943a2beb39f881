"""Encodings checked against plain-Python brute force on tiny instances."""

import itertools

import numpy as np
import pytest

from spinlab import encodings as E

N_TINY = 6


def problems():
    return [
        E.random_partition(N_TINY, bits=6, seed=3),
        E.partition_problem([5, 5, 4, 3, 3, 2]),  # many ties: plateaus in both encodings
        E.random_sk(N_TINY, seed=4),
    ]


def py_cost(problem, s):
    if problem.kind == "partition":
        return abs(sum(a * x for a, x in zip(problem.weights, s, strict=True)))
    n = len(s)
    return -sum(problem.J[i, j] * s[i] * s[j] for i in range(n) for j in range(i + 1, n)) / n


def py_decode(problem, y):
    """The greedy completion written out: pinned +1, free sites in order take the sign of their partial field."""
    n = len(y)
    s = [1 if y[i] == 0 else 0 for i in range(n)]
    for i in problem.order:
        if y[i]:
            field = sum(problem.J[i, j] * s[j] for j in range(n))
            s[i] = -1 if field < 0 else 1
    return s


def py_differencing(weights, y):
    """Karmarkar–Karp on {sum of pinned items} + free items, tracking blocks as lists of (site, relative sign)."""
    pinned = [i for i in range(len(y)) if y[i] == 0]
    blocks = {i: (weights[i], [(i, 1)]) for i in range(len(y)) if y[i] == 1}
    if pinned:
        blocks[pinned[0]] = (sum(weights[i] for i in pinned), [(i, 1) for i in pinned])
    while len(blocks) > 1:
        x, z = sorted(blocks, key=lambda name: (-blocks[name][0], name))[:2]
        (vx, mx), (vz, mz) = blocks[x], blocks.pop(z)
        blocks[x] = (vx - vz, mx + [(i, -sign) for i, sign in mz])
    s = [0] * len(y)
    for i, sign in next(iter(blocks.values()))[1]:
        s[i] = sign
    return s


def py_table(problem, encoding):
    n = problem.n
    costs = []
    for g in range(2**n):
        bits = [(g >> i) & 1 for i in range(n)]
        if encoding == "direct":
            s = [1 - 2 * b for b in bits]
        elif encoding == "cover":
            s = py_decode(problem, bits)
        else:
            s = py_differencing(list(problem.weights), bits)
        costs.append(py_cost(problem, s))
    return costs


VARIANTS = [("direct", "greedy"), ("cover", "greedy"), ("cover", "differencing")]


def py_minima(costs, n):
    """Plateaus by breadth-first search; a plateau is a minimum if no member has a strictly lower neighbour."""
    seen, minima, labels = set(), [], {}
    for g in range(len(costs)):
        if g in seen:
            continue
        plateau, stack = {g}, [g]
        while stack:
            x = stack.pop()
            for i in range(n):
                y = x ^ (1 << i)
                if costs[y] == costs[x] and y not in plateau:
                    plateau.add(y)
                    stack.append(y)
        seen |= plateau
        if not any(costs[x ^ (1 << i)] < costs[x] for x in plateau for i in range(n)):
            minima.append(plateau)
            for x in plateau:
                labels[x] = min(plateau)
    return minima


@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("index", range(3))
def test_exhaustive_matches_brute_force(index, variant):
    problem = problems()[index]
    encoding, decoder = variant
    if decoder == "differencing" and problem.kind != "partition":
        with pytest.raises(ValueError, match="differencing"):
            E.exhaustive(problem, encoding, decoder=decoder)
        return
    land = E.exhaustive(problem, encoding, decoder=decoder)
    costs = py_table(problem, "differencing" if decoder == "differencing" else encoding)
    np.testing.assert_allclose(land.costs, costs, rtol=0, atol=1e-12)
    minima = py_minima(list(land.costs), problem.n)  # same plateaus on the kernel's own (bitwise) costs
    optimum = min(py_table(problem, "direct"))
    assert land.n_minima == len(minima)
    assert land.n_traps == sum(1 for m in minima if land.costs[next(iter(m))] > optimum + 1e-12)
    assert set(np.flatnonzero(land.is_minimum)) == set().union(*minima)
    assert land.optimum == pytest.approx(optimum, abs=1e-12)
    c = np.array(costs)
    pairs = [(c[g] - c[g ^ (1 << i)]) ** 2 for g in range(len(c)) for i in range(problem.n)]
    assert land.rho1 == pytest.approx(1 - np.mean(pairs) / (2 * c.var()), abs=1e-12)


@pytest.mark.parametrize("index", range(3))
def test_decoder_valid_and_bookkeeping_exact(index):
    problem = problems()[index]
    n = problem.n
    genotypes = np.array(list(itertools.product([0, 1], repeat=n)))
    phen = E.decode(problem, genotypes)
    assert set(np.unique(phen)) <= {-1, 1}
    assert np.all(phen[genotypes == 0] == 1)  # pinned sites stay +1
    for y, s in zip(genotypes, phen, strict=True):
        assert list(s) == py_decode(problem, list(y))
    land = E.exhaustive(problem, "cover")
    index_of = genotypes @ (1 << np.arange(n))
    recomputed = E.cost(problem, phen)
    if problem.kind == "partition":
        assert np.array_equal(land.costs[index_of], recomputed)  # integers: exact
    else:
        np.testing.assert_allclose(land.costs[index_of], recomputed, rtol=0, atol=1e-14)
    canon = phen * phen[:, :1]
    codes = ((canon[:, 1:] < 0) * (1 << np.arange(n - 1))).sum(axis=1)
    assert np.array_equal(land.phenotypes[index_of], codes)


@pytest.mark.parametrize("index", range(2))
def test_differencing_decoder_keeps_pinned_items_together(index):
    problem = problems()[index]
    genotypes = np.array(list(itertools.product([0, 1], repeat=problem.n)))
    phen = E.decode(problem, genotypes, decoder="differencing")
    for y, s in zip(genotypes, phen, strict=True):
        assert list(s) == py_differencing(list(problem.weights), list(y))
        assert len(set(s[y == 0])) <= 1  # the pinned block lands on one side
    land = E.exhaustive(problem, "cover", decoder="differencing")
    assert np.array_equal(land.costs[genotypes @ (1 << np.arange(problem.n))], E.cost(problem, phen))
    assert land.preimage_sizes().sum() == 2**problem.n


def test_partition_greedy_decoder_example():
    p = E.partition_problem([8, 7, 6, 5, 4])
    assert E.cost(p, E.decode(p, [1, 1, 1, 1, 1])) == 4.0  # greedy: 8 | 7 6 | 5 4 placed on the lighter side
    assert E.cost(p, E.decode(p, [0, 0, 1, 1, 1])) == 0.0  # 8 + 7 = 6 + 5 + 4


@pytest.mark.parametrize("index", range(3))
def test_preimage_sizes_sum_to_genotype_space(index):
    problem = problems()[index]
    for encoding in E.ENCODINGS:
        sizes = E.exhaustive(problem, encoding).preimage_sizes()
        assert sizes.shape == (2 ** (problem.n - 1),)
        assert sizes.sum() == 2**problem.n
    assert np.all(E.exhaustive(problem, "direct").preimage_sizes() == 2)


@pytest.mark.parametrize("decoder", E.DECODERS)
@pytest.mark.parametrize("seed", range(4))
def test_partition_cover_is_surjective(seed, decoder):
    """Pinning the heavier side and leaving the lighter one free reproduces any partition: every class is hit."""
    land = E.exhaustive(E.random_partition(10, bits=12, seed=seed), "cover", decoder=decoder)
    assert land.preimage_sizes().min() >= 1
    assert land.global_min == land.optimum


def test_phenotype_costs_match_classes():
    problem = problems()[2]
    land = E.exhaustive(problem, "cover")
    pc = land.phenotype_costs()
    for k in (0, 5, 17, 31):
        s = np.array([1] + [1 - 2 * ((k >> (i - 1)) & 1) for i in range(1, problem.n)])
        assert pc[k] == pytest.approx(E.cost(problem, s), abs=1e-14)


@pytest.mark.parametrize("n", [5, 8, 11])
def test_sk_direct_rho1_is_elementary(n):
    """A quadratic energy is an eigenfunction of the hypercube Laplacian: rho(1) = 1 - 4/n for every instance."""
    assert E.exhaustive(E.random_sk(n, seed=n), "direct").rho1 == pytest.approx(1 - 4 / n, abs=1e-12)


def test_random_walk_autocorrelation_matches_exact():
    n = 16
    ac = E.autocorrelation(E.random_sk(n, seed=1), "direct", n_walks=8, length=5000, max_lag=4, seed=2)
    assert ac.rho[0] == pytest.approx(1.0)
    # ~40000 correlated samples, correlation time ~ n/4: standard error of rho(k) about 0.015
    np.testing.assert_allclose(ac.rho[1:], (1 - 4 / n) ** np.arange(1, 5), atol=0.06)
    assert ac.correlation_length == pytest.approx(-1 / np.log(ac.rho[1]))


def test_random_walk_cover_agrees_with_exhaustive_rho1():
    problem = E.random_partition(10, bits=12, seed=7)
    exact = E.exhaustive(problem, "cover").rho1
    ac = E.autocorrelation(problem, "cover", n_walks=8, length=5000, max_lag=1, seed=3)
    assert ac.rho[1] == pytest.approx(exact, abs=0.06)


def py_steepest(costs, n, g):
    while True:
        best = min(range(n), key=lambda i: (costs[g ^ (1 << i)], i))
        if costs[g ^ (1 << best)] >= costs[g]:
            return g
        g ^= 1 << best


@pytest.mark.parametrize("encoding", E.ENCODINGS)
def test_steepest_walk_success_matches_exact_basins(encoding):
    problem = E.random_partition(8, bits=10, seed=5)
    land = E.exhaustive(problem, encoding)
    ends = [py_steepest(land.costs, 8, g) for g in range(256)]
    p = np.mean(land.costs[ends] <= land.optimum)
    w = E.adaptive_walks(land, 4000, seed=1)
    assert abs(w.success - p) < 4 * np.sqrt(p * (1 - p) / 4000) + 1e-9
    assert np.array_equal(w.final_costs, land.costs[w.final_genotypes])


@pytest.mark.parametrize("rule", E.RULES)
def test_walks_end_in_local_minima(rule):
    problem = E.partition_problem([5, 5, 4, 3, 3, 2, 7, 9])
    land = E.exhaustive(problem, "cover")
    plain = E.adaptive_walks(land, 200, rule=rule, seed=3)
    for g in plain.final_genotypes:  # no strictly better neighbour
        assert all(land.costs[g ^ (1 << i)] >= land.costs[g] for i in range(land.n))
    neutral = E.adaptive_walks(land, 200, rule=rule, neutral=True, seed=3)
    assert land.is_minimum[neutral.final_genotypes].all()  # neutral walks stop only on minimum plateaus
    assert neutral.success >= plain.success - 0.1


def test_neutral_walks_always_succeed_without_traps():
    land = E.exhaustive(E.random_sk(10, seed=1), "cover")
    if land.n_traps == 0:
        assert E.adaptive_walks(land, 300, neutral=True, seed=0).success == 1.0
    direct = E.exhaustive(E.random_sk(10, seed=1), "direct")
    assert direct.n_traps > 0 and E.adaptive_walks(direct, 300, neutral=True, seed=0).success < 1.0


def test_determinism_for_a_seed():
    land = E.exhaustive(E.random_partition(9, seed=1), "direct")
    a = E.adaptive_walks(land, 100, rule="first", seed=42)
    b = E.adaptive_walks(land, 100, rule="first", seed=42)
    c = E.adaptive_walks(land, 100, rule="first", seed=43)
    assert np.array_equal(a.final_costs, b.final_costs) and np.array_equal(a.steps, b.steps)
    assert not np.array_equal(a.steps, c.steps)
    assert np.array_equal(E.random_sk(7, seed=3).J, E.random_sk(7, seed=3).J)
    x = E.autocorrelation(E.random_sk(8, seed=0), "cover", n_walks=2, length=50, max_lag=3, seed=9)
    y = E.autocorrelation(E.random_sk(8, seed=0), "cover", n_walks=2, length=50, max_lag=3, seed=9)
    assert np.array_equal(x.rho, y.rho)
