"""Tests of spinlab.overlaps.finite_size: sample tasks, Binder crossings, fluctuation parameters, state sampler."""

from __future__ import annotations

from functools import partial

import numpy as np
import pytest

from spinlab import exact, models, sweep
from spinlab.overlaps import finite_size as fs

# ---------------------------------------------------------------------------------------------
# windows and tasks


def test_log_windows():
    assert fs.log_windows(1000, 3).tolist() == [0, 250, 500, 1000]
    assert fs.log_windows(8, 10).tolist() == [0, 1, 2, 4, 8]  # empty windows dropped
    assert fs.log_windows(2, 1).tolist() == [0, 2]  # one window: the whole run
    assert fs.log_windows(2, 2).tolist() == [0, 1, 2]
    with pytest.raises(ValueError, match="sweeps"):
        fs.log_windows(1)
    with pytest.raises(TypeError, match="n_windows"):
        fs.log_windows(100, 2.0)


def test_pt_sample_window_means_match_the_raw_run():
    from spinlab import mc

    model = models.sk(12, seed=4)
    temps = [0.5, 0.9, 1.4]
    s = fs.pt_sample(model, temps, 400, seed=7, n_windows=3, keep_overlaps=True)
    raw = mc.parallel_tempering(model, temps, 400, replicas=2, seed=7, progress=False)
    q = raw.overlaps[0]
    assert s.edges.tolist() == [0, 100, 200, 400]
    assert np.allclose(s.q2[-1], (q[:, 200:] ** 2).mean(axis=1))
    assert np.allclose(s.q4[1], (q[:, 100:200] ** 4).mean(axis=1))
    assert np.allclose(s.abs_q[0], np.abs(q[:, :100]).mean(axis=1))
    assert np.allclose(s.energy[-1], raw.energy[:, :, 200:].mean(axis=(0, 2)))
    assert np.array_equal(s.overlap_series(2), q[2, 200:])
    assert s.overlaps.dtype == np.int16 and s.overlaps.shape == (1, 3, 200)
    assert np.array_equal(s.swap_acceptance, raw.swap_acceptance)


def test_tasks_are_deterministic_and_independent_of_executor():
    temps = [0.9, 1.3]
    task = partial(fs.ea_sample, L=3, temperatures=temps, sweeps=128)
    serial = sweep.disorder_average(task, 4, seed=5, executor="serial")
    pooled = sweep.disorder_average(task, 4, seed=5, max_workers=2)
    for a, b in zip(serial, pooled, strict=True):
        assert np.array_equal(a.q2, b.q2) and np.array_equal(a.energy, b.energy)
    assert len({float(s.q2[-1, 0]) for s in serial}) == 4  # different samples
    # calling the task twice with the same SeedSequence object gives the same answer (no spawn side effect)
    seed = np.random.SeedSequence(3)
    first, second = task(seed), task(seed)
    assert np.array_equal(first.q2, second.q2)
    assert first.overlaps is None
    with pytest.raises(ValueError, match="keep_overlaps"):
        first.overlap_series(0)


def test_sk_sample_reproduces_exact_overlap_moments():
    # n = 10: the exact <q^2> and <q^4> of the sample at T = 0.5 by enumeration
    seed = np.random.SeedSequence(21)
    s = fs.sk_sample(seed, n=10, temperatures=[0.5, 0.8, 1.2, 1.8], sweeps=40_000)
    P = exact.overlap_distribution(models.sk(10, seed=np.random.SeedSequence(21)), 0.5)
    q = s.overlap_series(0)
    assert abs(np.mean(q**2) - P.moment(2)) < 0.02
    assert abs(np.mean(q**4) - P.moment(4)) < 0.02
    assert np.allclose(s.q2[-1, 0], np.mean(q**2))


def test_task_validation():
    with pytest.raises(ValueError, match="replicas"):
        fs.sk_sample(1, n=8, temperatures=[0.5, 1.0], sweeps=10, replicas=1)
    with pytest.raises(ValueError, match="sweeps"):
        fs.ea_sample(1, L=3, temperatures=[0.5, 1.0], sweeps=1)
    with pytest.raises(TypeError, match="keep_overlaps"):
        fs.sk_sample(1, n=8, temperatures=[0.5, 1.0], sweeps=10, keep_overlaps="yes")
    with pytest.raises(ValueError, match="L"):
        fs.ea_sample(1, L=1, temperatures=[0.5, 1.0], sweeps=10)


# ---------------------------------------------------------------------------------------------
# Binder cumulant and fluctuation parameters


def test_binder_from_moments_matches_jackknife_of_series():
    from spinlab import overlaps

    rng = np.random.default_rng(2)
    series = rng.normal(size=(30, 500)) * rng.uniform(0.2, 1.0, size=(30, 1))
    g, err = fs.binder_from_moments((series**2).mean(axis=1), (series**4).mean(axis=1))
    ref = overlaps.binder_cumulant(series)
    assert g == pytest.approx(ref.value) and err == pytest.approx(ref.error)
    g2, err2 = fs.binder_from_moments(np.stack([(series**2).mean(1)] * 3, 1), np.stack([(series**4).mean(1)] * 3, 1))
    assert g2.shape == (3,) and np.allclose(g2, g) and np.allclose(err2, err)


def test_sample_fluctuations_exact_cases():
    c = np.array([0.1, 0.5, 0.7, 0.9, 0.3])
    A, G = fs.sample_fluctuations(c**2, c**4)
    assert G.value == pytest.approx(1.0, abs=1e-12) and G.error == pytest.approx(0.0, abs=1e-12)
    # A is the relative variance of <q^2>_J; the jackknife removes the O(1/m) bias of the plug-in value
    m2 = c**2
    plug_in = m2.var() / m2.mean() ** 2
    assert A.value > plug_in and A.value == pytest.approx(plug_in, rel=0.3)
    same = np.full(6, 0.3)
    A0, G0 = fs.sample_fluctuations(same, 2.0 * same**2)
    assert A0.value == pytest.approx(0.0, abs=1e-12) and G0.value == pytest.approx(0.0, abs=1e-12)


def test_sample_fluctuations_vanish_for_self_averaging_gaussian_overlaps():
    rng = np.random.default_rng(8)
    q = rng.normal(scale=0.1, size=(200, 4000))  # the same P(q) in every sample
    A, G = fs.sample_fluctuations((q**2).mean(1), (q**4).mean(1))
    assert abs(A.value) < 0.01 and abs(G.value) < 0.01  # only thermal noise: ~ 2 / 4000


@pytest.mark.parametrize(
    ("args", "error", "word"),
    [
        ((np.ones(3), np.ones(4)), ValueError, "same shape"),
        ((np.ones(1), np.ones(1)), ValueError, "2 samples"),
        ((np.array([0.1, np.nan]), np.ones(2)), ValueError, "finite"),
        ((np.array([0.1, -0.2]), np.ones(2)), ValueError, ">= 0"),
    ],
)
def test_moment_validation(args, error, word):
    with pytest.raises(error, match=word):
        fs.binder_from_moments(*args)
    with pytest.raises(error, match=word):
        fs.sample_fluctuations(*args)


def test_sample_fluctuations_needs_one_temperature():
    with pytest.raises(ValueError, match="q2 must be 1-d"):
        fs.sample_fluctuations(np.ones((4, 2)), np.ones((4, 2)))


# ---------------------------------------------------------------------------------------------
# crossings


def test_crossing_of_two_straight_lines_is_exact():
    T = np.linspace(0.9, 1.5, 7)
    g_small = 0.7 - 0.3 * (T - 1.1019)
    g_large = 0.7 - 0.9 * (T - 1.1019)
    for degree in (1, 2, 3):
        c = fs.binder_crossing(T, g_small, g_large, degree=degree)
        assert c.value == pytest.approx(1.1019, abs=1e-9)
        assert c.error == 0.0 and c.success == 1.0


def test_crossing_outside_range_is_nan():
    T = np.linspace(0.9, 1.5, 7)
    c = fs.binder_crossing(T, 0.7 - 0.3 * (T - 2.0), 0.7 - 0.9 * (T - 2.0))
    assert np.isnan(c.value) and c.success == 0.0


def test_bootstrap_error_matches_linear_error_propagation():
    T = np.linspace(0.9, 1.5, 7)
    T0, slope, sigma = 1.1, -0.6, 0.01
    g_small = np.full_like(T, 0.7)
    g_large = 0.7 + slope * (T - T0)
    err = np.full_like(T, sigma)
    c = fs.binder_crossing(T, g_small, g_large, err_small=err, err_large=err, n_boot=4000, seed=3)
    # weighted straight-line fit to d(T): Var(T*) = s^2 (1/K + (T* - mean T)^2 / sum (T - mean T)^2) / slope^2
    s = np.sqrt(2) * sigma
    expected = s / abs(slope) * np.sqrt(1 / T.size + (T0 - T.mean()) ** 2 / np.sum((T - T.mean()) ** 2))
    assert c.value == pytest.approx(T0, abs=1e-9)
    assert c.error == pytest.approx(expected, rel=0.08)
    assert c.success == 1.0


def test_several_roots_pick_the_sign_change_nearest_the_middle():
    T = np.linspace(0.5, 1.5, 11)
    d = (T - 0.8) * (T - 1.45)  # the data change sign at 0.8 and again between 1.4 and 1.5
    c = fs.binder_crossing(T, np.zeros_like(T), d, degree=2)
    assert c.value == pytest.approx(0.8, abs=1e-9)
    c = fs.binder_crossing(T, np.zeros_like(T), (T - 0.55) * (T - 1.2), degree=2)
    assert c.value == pytest.approx(1.2, abs=1e-9)


def test_jackknife_crossing_error_matches_a_direct_leave_one_out():
    rng = np.random.default_rng(4)
    T = np.linspace(0.9, 1.5, 6)
    m = 40

    def moments(slope):
        # per-sample Gaussian-like moments with ratio r(T) = 3 - 2 g(T), g linear in T, plus noise
        q2 = rng.uniform(0.1, 0.5, size=(m, T.size))
        g = 0.7 + slope * (T - 1.1)
        q4 = (3 - 2 * g) * q2**2 * rng.uniform(0.8, 1.2, size=(m, T.size))
        return q2, q4

    small, large = moments(-0.3), moments(-0.9)
    c = fs.binder_crossing_jackknife(T, small, large)
    g_s, _ = fs.binder_from_moments(*small)
    g_l, _ = fs.binder_from_moments(*large)
    plain = fs.binder_crossing(
        T, (3 - small[1].mean(0) / small[0].mean(0) ** 2) / 2, (3 - large[1].mean(0) / large[0].mean(0) ** 2) / 2
    )
    assert c.value == pytest.approx(plain.value, abs=1e-12)
    # direct leave-one-out over the small size only, compared with a run where the large size has no noise
    loo = []
    for i in range(m):
        keep = np.delete(np.arange(m), i)
        gs = (3 - small[1][keep].mean(0) / small[0][keep].mean(0) ** 2) / 2
        gl = (3 - large[1].mean(0) / large[0].mean(0) ** 2) / 2
        loo.append(fs.binder_crossing(T, gs, gl).value)
    loo = np.array(loo)
    var_small = (m - 1) / m * np.sum((loo - loo.mean()) ** 2)
    assert c.error**2 > var_small  # the large size adds its own variance
    assert c.error**2 < 4 * var_small
    assert c.success == 1.0
    assert 0.9 < c.value < 1.5 and np.all(np.isfinite([g_s, g_l]))


def test_crossing_validation():
    T = np.array([1.0, 1.1, 1.2])
    g = np.array([0.5, 0.4, 0.3])
    with pytest.raises(ValueError, match="increasing"):
        fs.binder_crossing(T[::-1], g, g)
    with pytest.raises(ValueError, match="g_large"):
        fs.binder_crossing(T, g, g[:2])
    with pytest.raises(ValueError, match="both err_small and err_large"):
        fs.binder_crossing(T, g, g, err_small=g)
    with pytest.raises(ValueError, match="degree"):
        fs.binder_crossing(T, g, g, degree=3)
    with pytest.raises(ValueError, match="degree"):
        fs.binder_crossing(T, g, g, degree=4)
    with pytest.raises(TypeError, match="tuples"):
        fs.binder_crossing_jackknife(T, np.ones((3, 3)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="small moments"):
        fs.binder_crossing_jackknife(T, (np.ones((4, 2)), np.ones((4, 2))), (np.ones((4, 3)), np.ones((4, 3))))
    with pytest.raises(ValueError, match="temperatures"):
        fs.binder_crossing([1.0], [0.5], [0.5])


# ---------------------------------------------------------------------------------------------
# equilibrium states


def test_sample_states_follow_the_boltzmann_distribution():
    model = models.sk(12, seed=9)
    T = 0.6
    ss = fs.sample_states(model, [T, 0.9, 1.3, 2.0], 3000, spacing=5, burn_in=500, seed=4)
    assert ss.states.shape == (3000, 12) and ss.states.dtype == np.int8
    assert np.allclose(ss.energy, model.energy(ss.states))
    assert ss.temperature == T and ss.spacing == 5
    assert ss.tau_overlap < ss.spacing  # the snapshots are effectively independent
    th = exact.thermo(model, T)
    # mean energy per spin against enumeration; error from the spread of the (nearly independent) snapshots
    err = ss.energy.std(ddof=1) / np.sqrt(ss.energy.size)
    assert abs(ss.energy.mean() - th.energy) < 4 * err + 1e-3
    # fraction of snapshots in a ground state against its exact Boltzmann probability
    gs = exact.ground_state(model)
    energies = exact.enumerate_energies(model)
    weights = np.exp(-(energies - energies.min()) / T)
    p_ground = gs.degeneracy * 1.0 / weights.sum()
    hits = np.isclose(ss.energy, gs.energy, atol=1e-9).mean()
    assert abs(hits - p_ground) < 4 * np.sqrt(p_ground * (1 - p_ground) / 3000) + 0.01


def test_sample_states_wrong_temperature_is_detected():
    # the same check must fail for a sampler at another temperature (the test has power)
    model = models.sk(12, seed=9)
    ss = fs.sample_states(model, [0.9, 1.3, 2.0], 2000, spacing=5, burn_in=300, seed=4)
    err = ss.energy.std(ddof=1) / np.sqrt(ss.energy.size)
    assert abs(ss.energy.mean() - exact.thermo(model, 0.6).energy) > 6 * err


def test_sample_states_is_deterministic_and_validates():
    model = models.ea(3, d=2, seed=1)
    a = fs.sample_states(model, [0.5, 1.0], 5, spacing=3, burn_in=0, seed=2)
    b = fs.sample_states(model, [1.0, 0.5], 5, spacing=3, burn_in=0, seed=2)
    assert np.array_equal(a.states, b.states) and a.states.shape == (5, 9)
    assert a.temperature == 0.5
    with pytest.raises(ValueError, match="spacing"):
        fs.sample_states(model, [0.5, 1.0], 5, spacing=0, burn_in=0)
    with pytest.raises(ValueError, match="n_states"):
        fs.sample_states(model, [0.5, 1.0], 0, spacing=1, burn_in=0)
    with pytest.raises(ValueError, match="burn_in"):
        fs.sample_states(model, [0.5, 1.0], 2, spacing=1, burn_in=-1)
    with pytest.raises(ValueError, match="replicas"):
        fs.sample_states(model, [0.5, 1.0], 2, spacing=1, burn_in=0, replicas=1)
    with pytest.raises(ValueError, match="temperatures"):
        fs.sample_states(model, [0.5], 2, spacing=1, burn_in=0)


def test_sk_states_task_matches_a_direct_call_and_any_executor():
    task = partial(fs.sk_states, n=16, temperatures=[0.5, 1.0, 1.6], n_states=6, spacing=4, burn_in=40)
    serial = sweep.disorder_average(task, 3, seed=8, executor="serial")
    pooled = sweep.disorder_average(task, 3, seed=8, max_workers=2)
    for a, b in zip(serial, pooled, strict=True):
        assert np.array_equal(a.states, b.states)
    seed = sweep.sample_seeds(8, 3)[1]
    model = models.sk(16, seed=seed)
    assert np.allclose(serial[1].energy, model.energy(serial[1].states))  # the states belong to that sample
    assert not np.array_equal(serial[0].states, serial[1].states)
