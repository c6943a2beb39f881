"""Tests of spinlab.inference: Gaussian-field observations, the exact posterior, load curves, RS theory."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from scipy import integrate

from spinlab import inference as inf
from spinlab._rng import child
from spinlab.exact import codes_to_spins
from spinlab.inference._kernels import field_from_coefficients


def brute_force(instance: inf.Instance, m: int | None = None):
    """Posterior, marginals and MMSEs by a plain Python loop over all ±1 vectors (no kernels)."""
    n = instance.n
    m = instance.m if m is None else m
    spins, logw = [], []
    for x in itertools.product((-1, 1), repeat=n):
        code = sum(1 << k for k in range(n) if x[k] == 1)
        resid = instance.y[:m] - instance.fields[:m, code]
        spins.append(x)
        logw.append((code, -float(np.sum(resid**2)) / (2 * instance.noise)))
    spins = np.array(spins, dtype=float)
    codes = np.array([c for c, _ in logw])
    logw = np.array([w for _, w in logw])
    probs = np.exp(logw - logw.max())
    probs /= probs.sum()
    by_code = np.empty(2**n)
    by_code[codes] = probs
    mean = probs @ spins
    corr = (spins * probs[:, None]).T @ spins
    truth = instance.truth.astype(float)
    q = spins @ truth / n
    return {
        "posterior": by_code,
        "overlap": float(probs @ q),
        "overlap_sq": float(probs @ q**2),
        "abs_overlap": float(probs @ np.abs(q)),
        "self_overlap": float(mean @ mean / n),
        "self_overlap_sq": float(np.sum(corr**2) / n**2),
        "mmse": float(np.sum((truth - mean) ** 2) / n),
        "matrix_mmse": float(np.sum((np.outer(truth, truth) - corr) ** 2) / n**2),
        "p_truth": float(by_code[instance.truth_code]),
        "p_flip": float(by_code[instance.truth_code ^ (2**n - 1)]),
    }


def cubic_function(q):
    return q**3


COVARIANCES = ["linear", "cubic", "quadratic", {1: 0.3, 3: 0.7}, cubic_function]


# ------------------------------------------------------------------------------------------------
# fields


def test_walsh_field_matches_direct_sum():
    rng = np.random.default_rng(0)
    n = 5
    coeffs = rng.standard_normal(2**n)
    field = field_from_coefficients(coeffs)
    for code in range(2**n):
        direct = sum(coeffs[s] * (-1) ** bin(s & code).count("1") for s in range(2**n))
        assert field[code] == pytest.approx(direct, abs=1e-12)


@pytest.mark.parametrize("spec", ["linear", "cubic", {1: 0.5, 2: 0.5}, cubic_function])
def test_field_covariance_matches_phi_on_cube(spec):
    n, draws = 4, 20000
    inst = inf.sample_instance(n, draws, covariance=spec, seed=3)
    cov = inf.make_covariance(spec)
    empirical = inst.fields.T @ inst.fields / draws  # (16, 16): E V(c) V(c')
    codes = np.arange(2**n)
    dist = np.array([[bin(a ^ b).count("1") for b in codes] for a in codes])
    expected = cov.on_cube(n)
    for d in range(n + 1):
        # each entry has standard error <= sqrt(2 / draws) = 0.01; the mean over pairs is no worse
        assert empirical[dist == d].mean() == pytest.approx(expected[d], abs=0.05)


def test_on_cube_exact_for_callables_and_linear():
    q = 1 - 2 * np.arange(9) / 8
    np.testing.assert_allclose(inf.make_covariance(cubic_function).on_cube(8), q**3, atol=1e-12)
    np.testing.assert_allclose(inf.make_covariance("linear").on_cube(8), q, atol=1e-12)
    # a pure degree-3 field has covariance K_3(d) / C(n, 3), which tends to q^3 as n grows
    errors = [
        np.max(np.abs(inf.make_covariance("cubic").on_cube(n) - (1 - 2 * np.arange(n + 1) / n) ** 3))
        for n in (6, 12, 20)
    ]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.2


def test_linear_field_is_a_linear_function_of_x():
    inst = inf.sample_instance(6, 3, covariance="linear", seed=4)
    spins = codes_to_spins(np.arange(64), 6).astype(float)
    for field in inst.fields:
        a, *_ = np.linalg.lstsq(spins, field, rcond=None)
        np.testing.assert_allclose(spins @ a, field, atol=1e-10)


def test_strictly_nonlinear_spectrum_has_no_linear_part():
    assert inf.make_covariance("cubic").degree_variances(10)[1] == 0.0
    assert inf.make_covariance("cubic").derivative(0.0) == 0.0
    assert inf.make_covariance("linear").derivative(0.3) == pytest.approx(1.0)
    # q^3 evaluated on a finite cube does contain a linear Walsh part, of weight (3n - 2)/n^2
    v1 = inf.make_covariance(cubic_function).degree_variances(10)[1] * 10
    assert v1 == pytest.approx(28 / 100)


# ------------------------------------------------------------------------------------------------
# posterior


@pytest.mark.parametrize("spec", COVARIANCES)
def test_posterior_sums_to_one(spec):
    p = inf.posterior(inf.sample_instance(7, 9, covariance=spec, seed=5))
    assert p.shape == (128,)
    assert np.all(p >= 0)
    assert p.sum() == pytest.approx(1.0, abs=1e-12)


@pytest.mark.parametrize("n", [6, 7, 8])
@pytest.mark.parametrize("spec", COVARIANCES)
def test_posterior_and_stats_match_brute_force(n, spec):
    inst = inf.sample_instance(n, 2 * n, covariance=spec, noise=0.5, seed=10 + n)
    for m in (n // 2, 2 * n):
        ref = brute_force(inst, m)
        np.testing.assert_allclose(inf.posterior(inst, m), ref["posterior"], rtol=1e-9, atol=1e-14)
        stats = inf.posterior_stats(inst, m)
        for name in (
            "overlap",
            "overlap_sq",
            "abs_overlap",
            "self_overlap",
            "self_overlap_sq",
            "mmse",
            "matrix_mmse",
            "p_truth",
            "p_flip",
        ):
            assert getattr(stats, name) == pytest.approx(ref[name], abs=1e-9), name
        assert stats.distances.sum() == pytest.approx(1.0)


def test_even_covariance_cannot_tell_x_from_minus_x():
    n = 8
    inst = inf.sample_instance(n, 40, covariance="quadratic", seed=6)
    flip = np.arange(2**n) ^ (2**n - 1)
    np.testing.assert_allclose(inst.fields[:, flip], inst.fields, atol=1e-12)
    p = inf.posterior(inst)
    np.testing.assert_allclose(p[flip], p, rtol=1e-9)
    s = inf.posterior_stats(inst)
    assert s.p_truth == pytest.approx(s.p_flip)
    assert abs(s.overlap) < 1e-9 and s.mmse == pytest.approx(1.0, abs=1e-9)
    assert s.matrix_mmse < 0.05 and s.p_truth + s.p_flip > 0.9  # recovered up to the global sign
    assert inf.make_covariance("quadratic").is_even(n) and not inf.make_covariance("cubic").is_even(n)


def test_odd_covariance_gives_odd_fields():
    n = 6
    inst = inf.sample_instance(n, 5, covariance="cubic", seed=7)
    flip = np.arange(2**n) ^ (2**n - 1)
    np.testing.assert_allclose(inst.fields[:, flip], -inst.fields, atol=1e-12)


def test_no_observations_gives_the_prior():
    n = 9
    s = inf.posterior_stats(inf.sample_instance(n, 0, seed=8))
    assert s.mmse == pytest.approx(1.0, abs=1e-12)
    assert s.overlap == pytest.approx(0.0, abs=1e-12)
    assert s.overlap_sq == pytest.approx(1 / n, abs=1e-12)
    assert s.matrix_mmse == pytest.approx(1 - 1 / n, abs=1e-12)
    assert s.p_truth == pytest.approx(2.0**-n)
    np.testing.assert_allclose(s.distances, [math.comb(n, d) / 2**n for d in range(n + 1)], atol=1e-14)


@pytest.mark.parametrize("spec", ["linear", "cubic"])
def test_many_observations_give_perfect_recovery(spec):
    curve = inf.load_curve(10, [0, 8], covariance=spec, noise=1 / 3, instances=6, seed=9)
    assert np.all(curve.mmse[:, 0] == pytest.approx(1.0, abs=1e-12))
    assert np.all(curve.mmse[:, 1] < 1e-3)
    assert np.all(curve.p_truth[:, 1] > 0.999)


def test_nishimori_identity_on_average():
    # Bayes optimality: E[x* . m] = E[|m|^2] and E[q^2] = E[q12^2] averaged over instances (not per instance)
    curve = inf.load_curve(8, [0.5, 1.0], covariance={1: 0.5, 3: 0.5}, noise=0.5, instances=300, seed=11)
    for a, b in (("overlap", "self_overlap"), ("overlap_sq", "self_overlap_sq")):
        diff = getattr(curve, a) - getattr(curve, b)
        se = diff.std(axis=0, ddof=1) / np.sqrt(diff.shape[0])
        assert np.all(se > 0)
        assert np.all(np.abs(diff.mean(axis=0)) < 4 * se), (a, diff.mean(axis=0), se)


# ------------------------------------------------------------------------------------------------
# load curves and determinism


def test_load_curve_is_deterministic_and_matches_instances():
    kw = dict(covariance="cubic", noise=0.4, instances=3)
    a = inf.load_curve(7, [0.5, 1.0, 2.0], seed=12, **kw)
    b = inf.load_curve(7, [0.5, 1.0, 2.0], seed=12, **kw)
    c = inf.load_curve(7, [0.5, 1.0, 2.0], seed=13, **kw)
    for name in ("overlap", "mmse", "matrix_mmse", "p_truth"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.mmse, c.mmse)
    np.testing.assert_array_equal(a.m, [4, 7, 14])
    for i in range(3):
        inst = inf.sample_instance(7, 14, covariance="cubic", noise=0.4, seed=child(12, i))
        for j, m in enumerate(a.m):
            s = inf.posterior_stats(inst, int(m))
            assert a.mmse[i, j] == pytest.approx(s.mmse, abs=1e-12)
            assert a.overlap[i, j] == pytest.approx(s.overlap, abs=1e-12)


def test_sample_instance_is_deterministic_and_nested():
    a = inf.sample_instance(6, 5, seed=14)
    b = inf.sample_instance(6, 8, seed=14)
    np.testing.assert_array_equal(a.fields, b.fields[:5])
    np.testing.assert_array_equal(a.y, b.y[:5])
    assert a.truth_code == b.truth_code


def test_load_curve_summaries():
    c = inf.load_curve(6, [0, 1], instances=4, seed=15)
    assert c.alpha.tolist() == [0.0, 1.0] and c.instances == 4
    assert c.mean("mmse").shape == (2,) and np.all(c.sem("mmse") >= 0)
    assert np.all(inf.load_curve(6, [1], instances=1, seed=15).sem("overlap") == 0)
    with pytest.raises(ValueError, match="name"):
        c.mean("energy")


# ------------------------------------------------------------------------------------------------
# theory


def test_scalar_overlap_matches_quadrature():
    for r in (0.1, 1.0, 4.0, 20.0):
        ref = integrate.quad(
            lambda z, r=r: np.tanh(r + np.sqrt(r) * z) * np.exp(-z * z / 2) / np.sqrt(2 * np.pi), -12, 12, epsabs=1e-13
        )[0]
        assert float(inf.scalar_overlap(r)) == pytest.approx(ref, abs=1e-10)


def test_rs_linear_fixed_point_and_continuity():
    alpha = np.linspace(0.1, 3, 30)
    c = inf.rs_curve(alpha, covariance="linear", noise=1 / 3)
    r = alpha / (1 / 3 + 1 - c.overlap)  # binary linear model: r = alpha / (noise + mmse)
    np.testing.assert_allclose(c.overlap, inf.scalar_overlap(r), atol=1e-9)
    assert np.all(np.diff(c.overlap) > 0) and c.overlap[0] > 0  # no threshold: q > 0 for any alpha > 0
    assert math.isnan(inf.rs_critical_load(covariance="linear", noise=1 / 3))


def test_rs_free_entropy_is_stationary_at_fixed_points():
    from spinlab.inference.theory import _free_entropy

    cov = inf.make_covariance("cubic")
    alpha = np.array([1.5])
    q = inf.rs_curve(alpha, covariance=cov, noise=0.5).informed
    h = 1e-5
    slope = (_free_entropy(q + h, alpha, cov, 0.5) - _free_entropy(q - h, alpha, cov, 0.5)) / (2 * h)
    assert abs(slope[0]) < 1e-5


def test_all_or_nothing_threshold():
    noise = 1 / 3
    assert inf.capacity_load(noise=noise) == pytest.approx(1.0)
    assert inf.capacity_load(noise=1.0, variance=3.0) == pytest.approx(2 * math.log(2) / math.log(4))
    cubic = inf.rs_critical_load(covariance="cubic", noise=noise)
    septic = inf.rs_critical_load(covariance={7: 1.0}, noise=noise)
    assert 0.95 < cubic < 1.0 and abs(septic - 1.0) < abs(cubic - 1.0)  # REM limit: the capacity bound
    c = inf.rs_curve([cubic - 0.01, cubic + 0.01], covariance="cubic", noise=noise)
    assert c.overlap[0] == 0.0 and c.overlap[1] > 0.99  # a jump from nothing to (almost) all
    # informed free entropy in the REM limit: -ln 2 - (alpha / 2) ln(noise)
    assert c.f_informed[1] == pytest.approx(-math.log(2) - (cubic + 0.01) / 2 * math.log(noise), abs=0.02)


def test_quadratic_onset_is_continuous():
    # q = 0 loses stability at alpha = (noise + Phi(1)) / Phi''(0) = (noise + 1) / 2
    noise = 1 / 3
    onset = (noise + 1) / 2
    c = inf.rs_curve([onset - 0.02, onset + 0.02], covariance="quadratic", noise=noise)
    assert c.overlap[0] == pytest.approx(0.0, abs=1e-4) and 0 < c.overlap[1] < 0.2


# ------------------------------------------------------------------------------------------------
# validation


def test_validation_errors():
    with pytest.raises(ValueError, match="n must be"):
        inf.sample_instance(0, 1)
    with pytest.raises(ValueError, match="n must be"):
        inf.load_curve(21, [1.0])
    with pytest.raises(TypeError, match="n must be an integer"):
        inf.sample_instance(4.0, 1)
    with pytest.raises(ValueError, match="m must be"):
        inf.sample_instance(4, -1)
    with pytest.raises(ValueError, match="2\\*\\*25"):
        inf.sample_instance(20, 64)
    with pytest.raises(ValueError, match="noise"):
        inf.sample_instance(4, 1, noise=0.0)
    with pytest.raises(ValueError, match="covariance must be one of"):
        inf.sample_instance(4, 1, covariance="sine")
    with pytest.raises(TypeError, match="covariance must be"):
        inf.make_covariance(3)
    with pytest.raises(ValueError, match=">= 0"):
        inf.make_covariance({1: -1.0})
    with pytest.raises(ValueError, match="not all vanish"):
        inf.make_covariance({2: 0.0})
    with pytest.raises(ValueError, match="degree 7 > n = 5"):
        inf.sample_instance(5, 1, covariance={7: 1.0})
    with pytest.raises(ValueError, match="not positive definite"):
        inf.sample_instance(4, 1, covariance=lambda q: 1 - q**2)
    with pytest.raises(ValueError, match="loads"):
        inf.load_curve(4, [-1.0])
    with pytest.raises(ValueError, match="loads"):
        inf.load_curve(4, [])
    with pytest.raises(ValueError, match="instances must be"):
        inf.load_curve(4, [1.0], instances=0)
    inst = inf.sample_instance(4, 2, seed=1)
    with pytest.raises(ValueError, match="m must be <= 2"):
        inf.posterior(inst, 3)
    with pytest.raises(TypeError, match="instance must be"):
        inf.posterior_stats(np.zeros(16))
    with pytest.raises(ValueError, match="alpha"):
        inf.rs_curve([-0.5])
    with pytest.raises(ValueError, match="max_load"):
        inf.rs_critical_load(max_load=0.0)
    with pytest.raises(ValueError, match="q must lie"):
        inf.rs_potential([1.5], 1.0)
    with pytest.raises(ValueError, match="alpha must be"):
        inf.rs_potential([0.5], -1.0)
    with pytest.raises(ValueError, match="noise"):
        inf.capacity_load(noise=-1.0)
