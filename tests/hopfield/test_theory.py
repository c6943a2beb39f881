"""Tests of the replica-symmetric (AGS) theory in spinlab.hopfield.theory."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import special

from spinlab import hopfield as hf


def test_critical_load_at_zero_temperature_matches_ags():
    # AGS (1985, 1987): alpha_c = 0.138 with m = 0.967 at the edge
    alpha_c = hf.critical_load(0.0)
    assert 0.1375 <= alpha_c <= 0.1385
    edge = hf.retrieval(alpha_c * (1 - 1e-9), 0.0)
    assert edge.m == pytest.approx(0.967, abs=1e-3)
    # the closed form sqrt(2 alpha) y = erf(y) - (2 / sqrt(pi)) y exp(-y^2) at the solution
    y = edge.m / math.sqrt(2 * edge.alpha * edge.r)
    assert math.sqrt(2 * edge.alpha) * y == pytest.approx(
        math.erf(y) - 2 / math.sqrt(math.pi) * y * math.exp(-y * y), abs=1e-12
    )


def test_no_retrieval_above_the_critical_load():
    for T in (0.0, 0.3):
        top = hf.critical_load(T)
        assert hf.retrieval(top * 0.99, T).exists
        above = hf.retrieval(top * 1.01, T)
        assert above.m == 0.0 and not above.exists and math.isnan(above.free_energy)
    assert hf.retrieval(0.2, 0.0).m == 0.0
    assert hf.retrieval(0.01, 1.0).m == 0.0 and hf.critical_load(1.2) == 0.0


def test_small_load_retrieves_almost_perfectly():
    sol = hf.retrieval(0.05, 0.0)
    assert 0.0 < 1.0 - sol.m < 1e-4  # m = erf(y), y about 3.2
    assert sol.energy == pytest.approx(-0.5, abs=1e-5)
    assert 1.0 - hf.retrieval(0.01, 0.0).m < 1e-15  # y about 7
    # finite T, alpha -> 0: the Curie-Weiss equation m = tanh(m / T)
    T = 0.6
    cw = hf.retrieval(1e-7, T).m
    assert cw == pytest.approx(math.tanh(cw / T), abs=1e-5)


@pytest.mark.parametrize("alpha", [0.03, 0.1, 0.135])
def test_zero_temperature_limit_is_continuous(alpha):
    # differences vanish at least linearly in T (slope of m about 0.03 near alpha_c, where the RS line re-enters)
    zero = hf.retrieval(alpha, 0.0)
    for T in (1e-4, 1e-3):
        warm = hf.retrieval(alpha, T)
        assert abs(warm.m - zero.m) <= 0.05 * T
        assert abs(warm.C - zero.C) <= 0.5 * T
        assert abs(warm.energy - zero.energy) <= 0.05 * T
        assert abs(warm.free_energy - zero.energy) <= 0.05 * T
    assert hf.critical_load(1e-3) == pytest.approx(hf.critical_load(0.0), abs=1e-4)


def test_glass_temperature_and_spin_glass_solution():
    assert hf.glass_temperature(0.25) == 1.5
    np.testing.assert_allclose(hf.glass_temperature(np.array([0.0, 0.04])), [1.0, 1.2])
    alpha = 0.09  # T_g = 1.3
    assert hf.spin_glass(alpha, 1.31).q == 0.0
    q_below = hf.spin_glass(alpha, 1.29).q
    assert 0.0 < q_below < 0.1
    # paramagnetic free energy: -T ln 2 + alpha/2 + (alpha T / 2) ln(1 - 1/T)
    T = 2.0
    para = -T * math.log(2) + alpha / 2 + alpha * T / 2 * math.log(1 - 1 / T)
    assert hf.spin_glass(alpha, T).free_energy == pytest.approx(para, abs=1e-14)
    # T = 0 closed form and continuity
    e0 = -math.sqrt(2 * alpha / math.pi) - 1 / math.pi
    assert hf.spin_glass(alpha, 0.0).energy == pytest.approx(e0, abs=1e-14)
    assert hf.spin_glass(alpha, 1e-3).energy == pytest.approx(e0, abs=1e-5)


@pytest.mark.parametrize(("solver", "T"), [("retrieval", 0.3), ("retrieval", 0.6), ("spin_glass", 0.5)])
def test_energy_is_the_temperature_derivative_of_beta_f(solver, T):
    fn = getattr(hf, solver)
    alpha, dT = 0.03, 1e-4

    def beta_f(t):
        return fn(alpha, t).free_energy / t

    slope = (beta_f(T + dT) - beta_f(T - dT)) / (1 / (T + dT) - 1 / (T - dT))
    sol = fn(alpha, T)
    assert slope == pytest.approx(sol.energy, abs=1e-7)
    if solver == "retrieval":
        assert sol.entropy == pytest.approx((sol.energy - sol.free_energy) / T, abs=1e-12)


@pytest.mark.parametrize("delta", [0.0, 0.3])
def test_solution_satisfies_the_two_dimensional_equations(delta):
    # independent of the Stein reduction: product Gauss-Hermite quadrature over (g, z) and the sum over eps
    alpha, T = 0.004, 0.4
    sol = hf.retrieval(alpha, T, prior=delta)
    x, w = np.polynomial.hermite_e.hermegauss(160)
    w = w / w.sum()
    xi = math.sqrt(1 - delta) + math.sqrt(delta) * x[:, None]
    h = xi * sol.m + math.sqrt(alpha * sol.r) * x[None, :]
    t = np.tanh(h / T)
    weights = w[:, None] * w[None, :]
    assert np.sum(weights * xi * t) == pytest.approx(sol.m, abs=1e-9)
    assert np.sum(weights * t * t) == pytest.approx(sol.q, abs=1e-9)
    assert sol.r == pytest.approx(sol.q / (1 - (1 - sol.q) / T) ** 2, rel=1e-12)


def test_retrieval_line_near_t_equal_one():
    # AGS: T_M = 1 - 1.95 sqrt(alpha) for small alpha
    for T in (0.99, 0.98):
        assert hf.critical_load(T) == pytest.approx(((1 - T) / 1.95) ** 2, rel=0.02)


def test_global_stability_at_zero_temperature():
    alpha = hf.global_stability_load(0.0)
    assert 0.050 <= alpha <= 0.053  # AGS: about 0.051
    # there the retrieval energy (about -1/2) equals -sqrt(2 alpha / pi) - 1 / pi
    assert hf.retrieval(alpha, 0.0).energy == pytest.approx(-math.sqrt(2 * alpha / math.pi) - 1 / math.pi, abs=1e-8)
    for T in (0.2, 0.5):
        a = hf.global_stability_load(T)
        assert 0 < a < hf.critical_load(T)
        assert hf.retrieval(a, T).free_energy == pytest.approx(hf.spin_glass(a, T).free_energy, abs=1e-8)


def test_phase_diagram_lines():
    temps = np.array([0.2, 0.4, 0.6, 0.8, 1.1, 1.3])
    pd = hf.phase_diagram(temps)
    assert np.all(np.diff(pd.retrieval[:4]) < 0) and np.all(pd.retrieval[4:] == 0)
    np.testing.assert_allclose(pd.glass[4:], (temps[4:] - 1) ** 2)
    assert np.all(np.isnan(pd.glass[:4]))
    assert np.all(pd.stable[:4] < pd.retrieval[:4]) and np.all(np.isnan(pd.stable[4:]))


def test_pattern_prior_shrinks_retrieval():
    loads = [hf.critical_load(0.0, prior=d) for d in (0.0, 0.1, 0.3, 0.6)]
    assert np.all(np.diff(loads) < 0) and loads[-1] > 0
    assert hf.critical_load(0.0, prior="gaussian") == 0.0
    assert hf.retrieval(0.001, 0.0, prior="gaussian").m == 0.0
    # alpha -> 0 at T = 0: m = E|xi| = a erf(a / sqrt(2 delta)) + sqrt(2 delta / pi) exp(-a^2 / (2 delta))
    delta = 0.3
    a = math.sqrt(1 - delta)
    mean_abs = a * special.erf(a / math.sqrt(2 * delta)) + math.sqrt(2 * delta / math.pi) * math.exp(
        -a * a / (2 * delta)
    )
    assert hf.retrieval(1e-9, 0.0, prior=delta).m == pytest.approx(mean_abs, abs=1e-6)
    # the finite-T solver joins the closed-form T = 0 solution
    zero = hf.retrieval(0.002, 0.0, prior=delta)
    assert hf.retrieval(0.002, 1e-3, prior=delta).m == pytest.approx(zero.m, abs=1e-4)
    assert hf.critical_load(0.3, prior=0.1) < hf.critical_load(0.3)


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: hf.retrieval(0.0, 0.0), ValueError, "alpha"),
        (lambda: hf.retrieval(-0.1, 0.0), ValueError, "alpha"),
        (lambda: hf.retrieval("0.1", 0.0), TypeError, "alpha"),
        (lambda: hf.retrieval(0.1, -1.0), ValueError, "T"),
        (lambda: hf.retrieval(0.1, 0.0, prior="uniform"), ValueError, "prior"),
        (lambda: hf.retrieval(0.1, 0.0, prior=1.5), ValueError, "prior"),
        (lambda: hf.critical_load(float("nan")), ValueError, "T"),
        (lambda: hf.glass_temperature(-1.0), ValueError, "alpha"),
        (lambda: hf.phase_diagram([]), ValueError, "temperatures"),
        (lambda: hf.phase_diagram([0.5], stable="yes"), TypeError, "stable"),
    ],
)
def test_validation(call, error, word):
    with pytest.raises(error, match=word):
        call()
