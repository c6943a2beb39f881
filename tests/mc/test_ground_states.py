"""Ground-state search, success probabilities, time to solution and finite-size extrapolation."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from spinlab import exact, mc, models, sweep
from spinlab._rng import child

# ---------------------------------------------------------------- success probability and TTS


def test_success_probability_counts_ground_states_within_tolerance():
    e0 = -0.75
    energies = np.array([-0.75, -0.75 + 1e-12, -0.74, -0.7, -0.75 - 1e-13])
    assert mc.success_probability(energies, e0) == pytest.approx(3 / 5)
    assert mc.success_probability(energies, e0, tol=0.02) == pytest.approx(4 / 5)
    with pytest.raises(ValueError, match="energies"):
        mc.success_probability(np.zeros((2, 2)), e0)
    with pytest.raises(TypeError, match="energies"):
        mc.success_probability(["a", "b"], e0)
    with pytest.raises(ValueError, match="tol"):
        mc.success_probability(energies, e0, tol=-1.0)
    with pytest.raises(TypeError, match="ground_energy"):
        mc.success_probability(energies, "low")


def test_running_success_uses_the_running_minimum():
    traces = np.array(
        [
            [-0.5, -1.0, -0.5, -0.5],  # hits at t = 1 and then leaves: still a success
            [-0.5, -0.5, -0.5, -1.0],
            [-0.5, -0.5, -0.5, -0.5],
        ]
    )
    p = mc.running_success(traces, -1.0)
    assert p.tolist() == pytest.approx([0.0, 1 / 3, 1 / 3, 2 / 3])
    with pytest.raises(ValueError, match="traces"):
        mc.running_success(np.zeros(3), -1.0)


def test_time_to_solution_closed_form():
    p = np.array([0.0, 0.01, 0.3, 0.5, 0.9, 0.99, 1.0])
    tts = mc.time_to_solution(p, 10.0)
    assert tts[0] == np.inf
    assert tts[-1] == 10.0 and tts[-2] == 10.0  # p >= target: a single run
    # (1 - p)^(TTS / t) = 1 - target for the intermediate ones
    inner = slice(1, 5)
    assert (1 - p[inner]) ** (tts[inner] / 10.0) == pytest.approx(np.full(4, 0.01), rel=1e-12)
    assert mc.time_to_solution(0.5, 1.0) == pytest.approx(np.log(0.01) / np.log(0.5))
    assert np.all(np.diff(tts[1:-1]) <= 0)  # more likely success, shorter TTS
    # another target and broadcasting of times
    assert mc.time_to_solution(0.5, [1.0, 2.0], target=0.75).tolist() == pytest.approx([2.0, 4.0])
    # at least one run even when ln(1 - target) / ln(1 - p) < 1
    assert mc.time_to_solution(0.95, 3.0, target=0.9) == 3.0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"p": 1.2, "time_per_run": 1.0}, "p must"),
        ({"p": np.nan, "time_per_run": 1.0}, "p must"),
        ({"p": 0.5, "time_per_run": 0.0}, "time_per_run"),
        ({"p": 0.5, "time_per_run": 1.0, "target": 1.0}, "target"),
        ({"p": 0.5, "time_per_run": 1.0, "target": 0.0}, "target"),
    ],
)
def test_time_to_solution_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        mc.time_to_solution(**kwargs)


def test_binomial_interval_values_and_coverage():
    low, high = mc.binomial_interval(np.array([0.0, 1.0]), 100)
    assert low[0] == 0.0 and high[1] == 1.0
    assert high[0] == pytest.approx(1 / 101)  # z^2 / (n + z^2) with z = 1
    # a 68 % interval covers the true p in about 68 % of experiments
    rng = np.random.default_rng(5)
    true_p, runs = 0.3, 60
    phat = rng.binomial(runs, true_p, size=4000) / runs
    low, high = mc.binomial_interval(phat, runs)
    coverage = np.mean((low <= true_p) & (true_p <= high))
    assert 0.62 < coverage < 0.76
    assert np.all((low <= phat) & (phat <= high))
    z2_low, z2_high = mc.binomial_interval(phat, runs, z=2.0)
    assert np.all(z2_low <= low) and np.all(z2_high >= high)
    with pytest.raises(ValueError, match="p must"):
        mc.binomial_interval(-0.1, 10)
    with pytest.raises(ValueError, match="runs"):
        mc.binomial_interval(0.5, 0)


# ---------------------------------------------------------------- ground-state search


def test_default_ladder_follows_field_scale():
    sk_ladder = mc.default_ladder(models.sk(100, seed=1))
    assert sk_ladder.size == 7  # ceil(0.7 * 10)
    scale = mc.field_scale(models.sk(100, seed=1))
    assert sk_ladder[0] == pytest.approx(0.25 * scale) and sk_ladder[-1] == pytest.approx(scale)
    ea_ladder = mc.default_ladder(models.ea(4, d=2, seed=1), 4, low=0.5, high=2.0)
    assert ea_ladder.tolist() == pytest.approx([1.0, 1.587401, 2.519842, 4.0], rel=1e-6)
    with pytest.raises(ValueError, match="high"):
        mc.default_ladder(models.sk(10, seed=1), low=1.0, high=0.5)
    with pytest.raises(ValueError, match="count"):
        mc.default_ladder(models.sk(10, seed=1), 1)


@pytest.mark.parametrize("method", ["anneal", "pt"])
@pytest.mark.parametrize(
    "model",
    [models.sk(16, seed=11), models.ea(4, d=2, couplings="gaussian", seed=12), models.ea(4, d=2, seed=13)],
    ids=["sk16", "ea2d-gauss", "ea2d-pm1"],
)
def test_search_finds_exact_ground_state(model, method):
    gs = exact.ground_state(model)
    res = mc.ground_state_search(model, method, budget=6000, seed=3)
    assert res.energy == pytest.approx(gs.energy, abs=1e-12)
    assert model.energy(res.state) == pytest.approx(res.energy, abs=1e-12)
    # the returned configuration is one of the enumerated ground states
    assert any(np.array_equal(res.state, s) for s in gs.states)
    assert res.run_energies.min() == pytest.approx(res.energy)
    assert res.method == method and res.budget <= 6000 and res.state.dtype == np.int8


def test_search_budget_accounting_and_reproducibility():
    model = models.sk(20, seed=2)
    sa = mc.ground_state_search(model, "anneal", budget=1000, runs=8, seed=1)
    assert (sa.sweeps, sa.runs, sa.budget) == (125, 8, 1000) and sa.run_energies.shape == (8,)
    temps = np.array([0.3, 0.5, 0.8, 1.2])
    pt = mc.ground_state_search(model, "pt", budget=1000, runs=2, seed=1, temperatures=temps[::-1])
    assert (pt.sweeps, pt.runs, pt.budget) == (125, 2, 1000)
    assert np.array_equal(pt.temperatures, temps)
    again = mc.ground_state_search(model, "pt", budget=1000, runs=2, seed=1, temperatures=temps)
    assert again.energy == pt.energy and np.array_equal(again.state, pt.state)


def test_pt_search_matches_parallel_tempering_and_replays_the_record_state():
    # A 12 x 12 ±J lattice with a small budget: the record is set in the middle of the run,
    # so the returned state comes from replaying a chunk.
    model = models.ea(12, d=2, seed=4)
    temps = mc.default_ladder(model)
    res = mc.ground_state_search(model, "pt", budget=2 * temps.size * 400, seed=9)
    ref = mc.parallel_tempering(model, temps, 400, replicas=2, seed=9)
    cold = ref.energy[:, 0, :]
    assert res.energy == cold.min()
    assert np.array_equal(res.run_energies, cold.min(axis=1))
    assert model.energy(res.state) == pytest.approx(res.energy, abs=1e-12)
    assert np.argmin(cold.min(axis=0)) < 399  # the record is not at the last sweep
    # and no single-spin flip lowers the energy of the record state by much (it came from T = 0.5)
    assert res.energy < -1.3


def test_search_validation():
    model = models.sk(8, seed=1)
    with pytest.raises(ValueError, match="method"):
        mc.ground_state_search(model, "exhaustive")
    with pytest.raises(ValueError, match="budget"):
        mc.ground_state_search(model, "anneal", budget=4, runs=8)
    with pytest.raises(ValueError, match="budget"):
        mc.ground_state_search(model, "pt", budget=10, runs=2, temperatures=[0.5, 1.0, 2.0, 3.0, 4.0, 5.0])
    with pytest.raises(ValueError, match="runs"):
        mc.ground_state_search(model, budget=100, runs=0)
    with pytest.raises(TypeError, match="budget"):
        mc.ground_state_search(model, budget=100.0)
    with pytest.raises(ValueError, match="temperatures"):
        mc.ground_state_search(model, "pt", temperatures=[1.0, 1.0])
    with pytest.raises(TypeError, match="model"):
        mc.ground_state_search(np.zeros((3, 3)))


def test_pt_coldest_traces_are_single_ladder_runs():
    model = models.sk(12, seed=5)
    temps = [0.3, 0.6, 1.2]
    traces = mc.pt_coldest_traces(model, temps, 60, runs=3, seed=4)
    assert traces.shape == (3, 60)
    root = np.random.SeedSequence(4)
    second = mc.parallel_tempering(model, temps, 60, replicas=1, seed=child(root, 1))
    assert np.array_equal(traces[1], second.energy[0, 0])
    assert not np.array_equal(traces[0], traces[1])
    assert traces.min() >= exact.ground_state(model).energy - 1e-12


# ---------------------------------------------------------------- TTS curves and tasks


def test_tts_curves_on_an_enumerated_instance():
    model = models.sk(14, seed=6)
    e0 = exact.ground_state(model).energy
    curves = mc.tts_curves(model, e0, anneal_sweeps=(2, 20, 200), reads=40, pt_sweeps=200, pt_runs=16, seed=2)
    assert curves.anneal_time.tolist() == [7.0, 25.0, 205.0]  # quench of 5 sweeps counted
    assert curves.pt_time[0] == mc.default_ladder(model).size
    assert np.all(np.diff(curves.pt_p) >= 0) and curves.pt_p[-1] == 1.0
    assert np.all((curves.anneal_p >= 0) & (curves.anneal_p <= 1)) and curves.anneal_p[-1] > 0.5
    expected = mc.time_to_solution(curves.anneal_p, curves.anneal_time)
    assert np.array_equal(curves.anneal_tts, expected)
    best, at = curves.optimal("pt")
    assert best == curves.pt_tts.min() and at in curves.pt_time
    with pytest.raises(ValueError, match="anneal_sweeps"):
        mc.tts_curves(model, e0, anneal_sweeps=(0, 10))
    with pytest.raises(ValueError, match="method"):
        curves.optimal("exhaustive")


def test_sample_tasks_agree_with_enumeration_and_executors():
    seeds = sweep.sample_seeds(21, 3)
    for s in seeds:
        root = np.random.SeedSequence(s.entropy, spawn_key=s.spawn_key)
        e0 = exact.ground_state(models.sk(12, seed=child(root, 0))).energy
        assert mc.sk_ground_state_sample(s, 12, budget=4000) == pytest.approx(e0)
        # the couplings do not depend on the solver or the budget
        assert mc.sk_ground_state_sample(s, 12, method="pt", budget=3000) == pytest.approx(e0)
        lattice = exact.ground_state(models.ea(4, d=2, seed=child(root, 0))).energy
        assert mc.ea_ground_state_sample(s, 4, budget=6000) == pytest.approx(lattice)
    task = partial(mc.sk_ground_state_sample, n=10, budget=2000)
    serial = sweep.disorder_average(task, 4, seed=3, executor="serial")
    pooled = sweep.disorder_average(task, 4, seed=3, max_workers=2)
    assert serial == pooled
    tts_sa, tts_pt = mc.sk_tts_sample(seeds[0], 10, anneal_sweeps=(5, 50), reads=20, pt_sweeps=40, pt_runs=8)
    assert 0 < tts_sa < np.inf and 0 < tts_pt < np.inf
    with pytest.raises(ValueError, match="n must be <= 26"):
        mc.sk_tts_sample(seeds[0], 40)


# ---------------------------------------------------------------- extrapolation


def test_extrapolate_recovers_exact_parameters():
    N = np.array([32.0, 64, 128, 256, 512])
    values = -0.7632 + 0.71 * N ** (-2 / 3)
    fit = mc.extrapolate(N, values, np.full(5, 1e-3))
    assert fit.e_inf == pytest.approx(-0.7632, abs=1e-12) and fit.slope == pytest.approx(0.71, abs=1e-10)
    assert fit.chi2 == pytest.approx(0.0, abs=1e-18) and fit.dof == 3
    assert fit(np.array([1e12])) == pytest.approx([-0.7632], abs=1e-8)
    L = np.array([8.0, 12, 16, 24])
    lattice = mc.extrapolate(L, -1.4015 + 1.3 / L**2, np.full(4, 1e-3), exponent=2.0)
    assert lattice.e_inf == pytest.approx(-1.4015) and lattice.slope == pytest.approx(1.3)


def test_extrapolate_errors_have_the_right_coverage():
    # Synthetic data with known Gaussian noise: the quoted error must be the true scatter.
    rng = np.random.default_rng(8)
    N = np.array([32.0, 64, 128, 256, 512])
    sigma = np.array([0.004, 0.003, 0.002, 0.0015, 0.001])
    truth = -0.7632 + 0.7 * N ** (-2 / 3)
    fits = [mc.extrapolate(N, truth + sigma * rng.standard_normal(5), sigma) for _ in range(2000)]
    e_inf = np.array([f.e_inf for f in fits])
    err = fits[0].e_inf_err
    assert all(f.e_inf_err == err for f in fits)  # fixed by the design and the errors
    assert np.std(e_inf) == pytest.approx(err, rel=0.06)
    assert np.mean(np.abs(e_inf + 0.7632) < err) == pytest.approx(0.683, abs=0.03)
    assert np.mean([f.chi2 for f in fits]) == pytest.approx(3.0, rel=0.08)  # chi2 with dof = 3
    # a wrong exponent leaves a systematic error much larger than the statistical one
    wrong = mc.extrapolate(N, truth, sigma, exponent=1.0)
    assert abs(wrong.e_inf + 0.7632) > 3 * wrong.e_inf_err


def test_extrapolate_unweighted_and_validation():
    N = np.array([10.0, 20, 40, 80])
    rng = np.random.default_rng(1)
    values = -1.0 + 0.5 / N + 1e-3 * rng.standard_normal(4)
    fit = mc.extrapolate(N, values, exponent=1.0)
    assert abs(fit.e_inf + 1.0) < 4 * fit.e_inf_err and fit.e_inf_err > 0
    with pytest.raises(ValueError, match="at least 3 points"):
        mc.extrapolate(N[:2], values[:2])
    with pytest.raises(ValueError, match="values"):
        mc.extrapolate(N, values[:3])
    with pytest.raises(ValueError, match="errors"):
        mc.extrapolate(N, values, np.array([0.1, 0.1, 0.0, 0.1]))
    with pytest.raises(ValueError, match="sizes"):
        mc.extrapolate(np.array([-1.0, 2, 3]), values[:3])
    with pytest.raises(ValueError, match="two distinct"):
        mc.extrapolate(np.array([4.0, 4, 4]), values[:3])
    with pytest.raises(ValueError, match="exponent"):
        mc.extrapolate(N, values, exponent=-1.0)
