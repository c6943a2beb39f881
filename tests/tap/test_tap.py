"""Tests of spinlab.tap: the TAP functional and its stationarity, solutions, counting, AMP, state evolution."""

from __future__ import annotations

import numpy as np
import pytest

from spinlab import exact, models, tap
from spinlab.tap import _hessian_index


def exact_magnetizations(model, T):
    """<s_i> by enumeration of all 2**n configurations."""
    energies = exact.enumerate_energies(model)  # total energies, indexed by code
    weights = np.exp(-(energies - energies.min()) / T)
    spins = exact.codes_to_spins(np.arange(energies.size), model.n).astype(np.float64)
    return weights @ spins / weights.sum()


@pytest.fixture(scope="module")
def sk100():
    return models.sk(100, seed=1).J


@pytest.fixture(scope="module")
def low_t_solutions(sk100):
    return tap.solve(sk100, 0.7, starts=100, seed=5)


# ------------------------------------------------------------------------------------------------
# the functional
# ------------------------------------------------------------------------------------------------


def test_free_energy_closed_forms():
    # two spins, J = 1: f = (-m1 m2 - h (m1 + m2) - (beta/2) (1-m1^2)(1-m2^2) + T sum entropy) / 2
    J = np.array([[0.0, 1.0], [1.0, 0.0]])
    m = np.array([0.3, -0.6])
    T, h = 0.8, 0.2
    plus, minus = (1 + m) / 2, (1 - m) / 2
    neg_s = np.sum(plus * np.log(plus) + minus * np.log(minus))
    expect = (-m[0] * m[1] - h * m.sum() - (1 / T) / 2 * (1 - m[0] ** 2) * (1 - m[1] ** 2) + T * neg_s) / 2
    assert tap.free_energy(J, T, m, h) == pytest.approx(expect, abs=1e-14)
    naive = (-m[0] * m[1] - h * m.sum() + T * neg_s) / 2
    assert tap.free_energy(J, T, m, h, onsager=False) == pytest.approx(naive, abs=1e-14)
    # saturated spins: the entropy term vanishes, no NaN
    assert tap.free_energy(J, T, [1.0, 1.0]) == pytest.approx(-0.5, abs=1e-15)


def test_paramagnetic_free_energy_of_sk():
    J = models.sk(400, seed=2).J
    T = 1.7
    c = np.sum(J * J) / 400  # = (N-1)/N on average
    f = tap.free_energy(J, T, np.zeros(400))
    assert f == pytest.approx(-T * np.log(2) - c / (4 * T), abs=1e-14)
    assert f == pytest.approx(-T * np.log(2) - 1 / (4 * T), abs=0.01)


@pytest.mark.parametrize("onsager", [True, False])
def test_gradient_matches_finite_differences(onsager):
    # The derivation check: the analytic gradient (whose zero is the TAP equation) is the derivative
    # of free_energy. A sign or factor error in the reaction term of either would show here.
    n, T, h = 30, 0.6, 0.1
    J = models.sk(n, seed=3).J
    m = np.random.default_rng(0).uniform(-0.9, 0.9, n)
    eps = 1e-6
    fd = np.array(
        [
            (
                tap.free_energy(J, T, m + eps * e, h, onsager=onsager)
                - tap.free_energy(J, T, m - eps * e, h, onsager=onsager)
            )
            / (2 * eps)
            for e in np.eye(n)
        ]
    )
    grad = tap.gradient(J, T, m, h, onsager=onsager)
    # central differences: truncation ~eps^2 f''' ~ 1e-12, roundoff ~1e-16 |f| / eps ~ 1e-10
    assert np.max(np.abs(fd - grad)) < 1e-8
    assert np.max(np.abs(grad)) > 1e-3  # a generic point is not stationary


def test_gradient_vanishes_at_solutions(low_t_solutions, sk100):
    sols = low_t_solutions
    assert sols.count >= 2
    eps = 1e-6
    for m in sols.magnetizations:
        fd = np.array(
            [
                (tap.free_energy(sk100, 0.7, m + eps * e) - tap.free_energy(sk100, 0.7, m - eps * e)) / (2 * eps)
                for e in np.eye(100)
            ]
        )
        # df/dm_i = (T/N)(artanh m_i - beta H_i): a residual <= 1e-10 gives |df/dm| ~ 1e-12; FD noise ~1e-10
        assert np.max(np.abs(fd)) < 2e-9
        # ... while a point 1e-3 away is visibly not stationary (|grad f| ~ eigenvalue * 1e-3 / N ~ 1e-5)
        nearby = m + 1e-3 * np.random.default_rng(0).standard_normal(100)
        assert np.max(np.abs(tap.gradient(sk100, 0.7, nearby))) > 1e-7


def test_hessian_index_matches_finite_difference_hessian():
    n, T = 12, 0.4
    J = models.sk(n, seed=8).J
    rng = np.random.default_rng(1)
    eps = 1e-6
    for _ in range(5):
        m = rng.uniform(-0.95, 0.95, n)
        hess = np.array(
            [(tap.gradient(J, T, m + eps * e) - tap.gradient(J, T, m - eps * e)) / (2 * eps) for e in np.eye(n)]
        )
        negative = int(np.sum(np.linalg.eigvalsh(0.5 * (hess + hess.T)) < 0))
        assert _hessian_index(J, J * J, 1 / T, m, True) == negative


# ------------------------------------------------------------------------------------------------
# solutions
# ------------------------------------------------------------------------------------------------


def test_solutions_are_fixed_points_and_distinct(low_t_solutions, sk100):
    sols = low_t_solutions
    assert np.all(sols.residuals <= tap.ACCEPT)
    assert np.all(tap.residual(sk100, 0.7, sols.magnetizations) <= tap.ACCEPT)
    assert np.all(np.diff(sols.free_energies) >= 0)
    assert np.allclose(sols.free_energies, tap.free_energy(sk100, 0.7, sols.magnetizations))
    M = sols.magnetizations
    for a in range(len(sols)):
        assert M[a].sum() >= 0  # canonical member of the pair (m, -m) at zero field
        for b in range(a):
            assert np.max(np.abs(M[a] - M[b])) > 1e-6 and np.max(np.abs(M[a] + M[b])) > 1e-6
    # below T_c the paramagnet is still a solution, but it violates Plefka's condition (x_P = 1 - beta^2 c)
    para = np.flatnonzero(np.max(np.abs(M), axis=1) < 1e-8)
    assert para.size == 1
    c = np.sum(sk100**2) / 100
    assert sols.plefka[para[0]] == pytest.approx(1 - c / 0.7**2, abs=1e-12)
    assert np.any(sols.physical & sols.minima)  # and a genuine spin-glass solution exists
    assert sols.converged <= 2 * sols.starts and sols.hits.sum() == sols.converged


def test_unique_paramagnet_above_tc(sk100):
    sols = tap.solve(sk100, 1.5, starts=50, seed=2)
    assert sols.count == 1
    assert np.max(np.abs(sols.magnetizations[0])) < 1e-12
    assert sols.index[0] == 0 and sols.physical[0]
    # naive mean field is wrong here: its transition sits at T = lambda_max(J) ~ 2, so it has extra solutions
    naive = tap.solve(sk100, 1.5, starts=50, seed=2, onsager=False)
    assert naive.count > 1


def test_high_temperature_solution_agrees_with_enumeration():
    T, h = 2.0, 0.3
    errors_tap, errors_naive = [], []
    for seed in range(3):
        model = models.sk(16, seed=seed, h=h)
        exact_m = exact_magnetizations(model, T)
        sols = tap.solve(model.J, T, h, starts=8, seed=1)
        naive = tap.solve(model.J, T, h, starts=8, seed=1, onsager=False)
        assert sols.count == 1 and naive.count == 1
        assert np.all(sols.residuals <= tap.ACCEPT)
        errors_tap.append(np.abs(sols.magnetizations[0] - exact_m))
        errors_naive.append(np.abs(naive.magnetizations[0] - exact_m))
    errors_tap, errors_naive = np.array(errors_tap), np.array(errors_naive)
    # TAP is exact for SK up to O(1/N) = 0.06 corrections (measured: max 0.02, mean 0.004) ...
    assert errors_tap.max() < 0.04
    assert errors_tap.mean() < 0.01
    # ... naive mean field misses the reaction field and is an order of magnitude worse (mean 0.04)
    assert errors_naive.mean() > 4 * errors_tap.mean()


def test_count_grows_below_tc():
    # Disorder average over three N = 100 samples (counts are lower bounds from 100 starts each):
    # measured (T = 0.15, 0.7, 1.5): sample counts (2, 3, 1), (5, 1, 1), (6, 1, 1).
    temps = [0.15, 0.7, 1.5]
    counts = np.array(
        [tap.count_solutions(models.sk(100, seed=s).J, temps, starts=100, seed=7).counts for s in (1, 2, 3)]
    )
    assert np.all(counts[:, 2] == 1)
    mean = counts.mean(axis=0)
    assert mean[0] > mean[1] > mean[2] == 1


def test_count_solutions_records_every_solution():
    J = models.sk(60, seed=4).J
    temps = [0.3, 0.5, 1.2]
    res = tap.count_solutions(J, temps, starts=40, seed=1)
    assert res.counts.sum() == res.solution_T.size == res.free_energies.size
    for k, T in enumerate(res.temperatures):
        idx = res.at(T)
        assert idx.size == res.counts[k]
        assert np.all(tap.residual(J, T, res.magnetizations[idx]) <= tap.ACCEPT)
        assert np.allclose(res.free_energies[idx], tap.free_energy(J, T, res.magnetizations[idx]))
        assert res.minima[k] == np.sum(res.index[idx] == 0)
        assert res.physical[k] == np.sum(res.plefka[idx] >= 0)


def test_results_round_trip(tmp_path, low_t_solutions):
    path = tmp_path / "sols.npz"
    low_t_solutions.save(path)
    back = tap.TAPSolutions.load(path)
    assert np.array_equal(back.magnetizations, low_t_solutions.magnetizations)
    assert back.T == low_t_solutions.T and back.seed == low_t_solutions.seed
    assert back.symmetric is True and back.homotopy is True
    res = tap.count_solutions(models.sk(30, seed=1).J, [0.5, 1.5], starts=8, seed=0)
    res.save(tmp_path / "count.npz")
    again = tap.SolutionCount.load(tmp_path / "count.npz")
    assert np.array_equal(again.counts, res.counts) and again.continuation is True


# ------------------------------------------------------------------------------------------------
# AMP and state evolution
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("T", "h"), [(0.8, 0.5), (1.2, 0.3)])
def test_amp_tracks_state_evolution(T, h):
    n, iterations = 2000, 30
    se = tap.state_evolution(T, h, iterations)
    assert se.above_at_line
    dev_amp, dev_naive = [], []
    for seed in (10, 11, 12):
        J = models.sk(n, seed=seed).J
        dev_amp.append(np.abs(tap.amp(J, T, h, iterations).q - se.q))
        dev_naive.append(np.abs(tap.amp(J, T, h, iterations, onsager=False).q - se.q))
    dev_amp, dev_naive = np.array(dev_amp), np.array(dev_naive)
    # q_t fluctuates from sample to sample by O(N^-1/2) = 0.022 (measured max 0.03 over t and samples)
    assert dev_amp.max() < 2.5 / np.sqrt(n)
    assert dev_amp.mean() < 1.0 / np.sqrt(n)  # measured 0.012 and 0.005
    # without the Onsager term the overlaps leave state evolution by O(1) (measured 0.3)
    assert dev_naive.max() > 0.2


def test_amp_first_steps_and_convergence():
    J = models.sk(1000, seed=4).J
    T, h = 1.2, 0.3
    res = tap.amp(J, T, h, 40, record=True)
    assert res.q[0] == 0 and res.q[1] == pytest.approx(np.tanh(h / T) ** 2, abs=1e-15)
    assert np.allclose(res.trajectory[-1], res.m) and res.trajectory.shape == (41, 1000)
    assert res.step[-1] < 1e-4  # converges above the AT line ...
    # ... to a fixed point of the TAP equations with the site-averaged reaction term beta c (1 - q) m_i,
    m, c = res.m, np.sum(J * J) / 1000
    averaged = np.tanh((h + J @ m - (1 / T) * c * (1 - np.mean(m * m)) * m) / T)
    assert np.max(np.abs(averaged - m)) < 1e-3
    # which differs from the site-resolved one (sum_j J_ij^2 (1 - m_j^2) fluctuates by ~sqrt(2/N) = 0.045)
    assert 1e-3 < res.tap_residual < 0.1
    below = tap.amp(J, 0.5, 0.0, 60, init="random", seed=3)
    assert tap.state_evolution(0.5, 0.0, 1).at_stability > 1
    assert below.step[-10:].min() > 0.3  # ... and keeps moving by O(1) below it


def test_state_evolution_fixed_point_and_at_line():
    se = tap.state_evolution(0.6, 0.4, 200, q0=0.2, m0=0.1)
    beta = 1 / 0.6
    z, w = np.polynomial.hermite_e.hermegauss(201)
    w = w / w.sum()
    args = beta * (0.4 + np.sqrt(se.q_fixed) * z)
    assert se.q_fixed == pytest.approx(w @ np.tanh(args) ** 2, abs=1e-12)
    assert se.m_fixed == pytest.approx(w @ np.tanh(args), abs=1e-12)
    assert se.at_stability == pytest.approx(beta**2 * (w @ np.cosh(args) ** -4), abs=1e-10)
    if se.above_at_line:
        assert se.q[-1] == pytest.approx(se.q_fixed, abs=1e-10)
    # near T_c at h = 0: q ~ (beta^2 - 1) / (2 beta^4), and zero above T_c
    T = 0.98
    b = 1 / T
    assert tap.state_evolution(T, 0.0, 1).q_fixed == pytest.approx((b * b - 1) / (2 * b**4), rel=0.1)
    assert tap.state_evolution(1.3, 0.0, 1).q_fixed == 0.0
    # the AT line near T_c: h_AT^2 ~ (4/3)(1 - T)^3, i.e. h_AT(0.9) ~ 0.037
    assert not tap.state_evolution(0.9, 0.02, 1).above_at_line
    assert tap.state_evolution(0.9, 0.08, 1).above_at_line


# ------------------------------------------------------------------------------------------------
# validation
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "match"),
    [
        ({"J": np.ones((3, 4))}, ValueError, "J must be a square"),
        ({"J": np.array([[0.0, 1.0], [2.0, 0.0]])}, ValueError, "J must be symmetric"),
        ({"J": np.eye(3)}, ValueError, "zero diagonal"),
        ({"J": np.array([[0.0, np.nan], [np.nan, 0.0]])}, ValueError, "J must contain only finite"),
        ({"J": "couplings"}, TypeError, "J must be a numpy array"),
        ({"T": 0.0}, ValueError, "T must be > 0"),
        ({"T": -1.0}, ValueError, "T must be > 0"),
        ({"T": "hot"}, TypeError, "T must be a real number"),
        ({"starts": 0}, ValueError, "starts must be >= 1"),
        ({"starts": 2.5}, TypeError, "starts must be an integer"),
        ({"damping": 0.0}, ValueError, "damping must be > 0"),
        ({"damping": 1.5}, ValueError, r"damping must lie in \(0, 1\]"),
        ({"tol": 1e-6}, ValueError, "tol must be <="),
        ({"max_iter": 0}, ValueError, "max_iter must be >= 1"),
        ({"init": "random"}, ValueError, "init must be one of"),
        ({"h": np.zeros(5)}, ValueError, "h must be a scalar or have shape"),
        ({"onsager": 1}, TypeError, "onsager must be True or False"),
    ],
)
def test_solve_rejects_bad_arguments(kwargs, error, match):
    args = {"J": models.sk(4, seed=0).J, "T": 1.0}
    args.update(kwargs)
    J, T = args.pop("J"), args.pop("T")
    with pytest.raises(error, match=match):
        tap.solve(J, T, **args)


def test_other_functions_reject_bad_arguments():
    J = models.sk(6, seed=0).J
    with pytest.raises(ValueError, match="m must have shape"):
        tap.free_energy(J, 1.0, np.zeros(5))
    with pytest.raises(ValueError, match=r"\|m_i\| <= 1"):
        tap.residual(J, 1.0, np.full(6, 1.5))
    with pytest.raises(ValueError, match=r"\|m_i\| < 1"):
        tap.gradient(J, 1.0, np.ones(6))
    with pytest.raises(ValueError, match="temperatures"):
        tap.count_solutions(J, [0.5, -1.0], starts=2, seed=0)
    with pytest.raises(ValueError, match="starts must be >= 1"):
        tap.count_solutions(J, [0.5], starts=0, seed=0)
    with pytest.raises(ValueError, match="iterations must be >= 1"):
        tap.amp(J, 1.0, 0.0, 0)
    with pytest.raises(ValueError, match="init must be one of"):
        tap.amp(J, 1.0, 0.0, 5, init="ones")
    with pytest.raises(ValueError, match="init must have shape"):
        tap.amp(J, 1.0, 0.0, 5, init=np.zeros(4))
    with pytest.raises(ValueError, match="T must be > 0"):
        tap.amp(J, 0.0, 0.0, 5)
    with pytest.raises(ValueError, match="q0 must lie in"):
        tap.state_evolution(1.0, 0.0, 5, q0=1.5)
    with pytest.raises(ValueError, match="m0 must satisfy"):
        tap.state_evolution(1.0, 0.0, 5, q0=0.01, m0=0.5)
    with pytest.raises(TypeError, match="h must be a real number"):
        tap.state_evolution(1.0, "x", 5)
