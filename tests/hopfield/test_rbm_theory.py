"""Tests of the RS theory of RBMs with Boolean-Gaussian priors (spinlab.hopfield.rbm_theory)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from spinlab import hopfield as hf

X_GH, W_GH = np.polynomial.hermite_e.hermegauss(120)
W_GH = W_GH / W_GH.sum()


@pytest.mark.parametrize(("d", "lam"), [(0.0, 0.7), (0.4, 0.0), (0.4, 1.2), (1.0, 0.5)])
def test_tilted_moments_match_quadrature(d, lam):
    # s = a eps + sqrt(d) g: sum over eps, Gauss-Hermite over g of the weight exp(x s + lam s^2 / 2)
    a = math.sqrt(1 - d)
    x = np.array([-2.0, -0.3, 0.0, 0.8, 3.0])
    s = np.concatenate([a + math.sqrt(d) * X_GH, -a + math.sqrt(d) * X_GH])
    w = np.concatenate([W_GH, W_GH]) / 2
    weights = w[None, :] * np.exp(x[:, None] * s[None, :] + 0.5 * lam * s[None, :] ** 2)
    z = weights.sum(axis=1)
    mean, second, logz = hf.tilted_moments(x, lam, prior=d)
    np.testing.assert_allclose(mean, weights @ s / z, rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(second, weights @ s**2 / z, rtol=1e-10)
    np.testing.assert_allclose(logz, np.log(z), rtol=1e-10, atol=1e-13)


def test_glass_temperature_closed_forms():
    for alpha in (0.01, 0.1, 0.5, 2.0):
        assert hf.rbm_glass_temperature(alpha, visible="binary", hidden="binary") == pytest.approx(alpha**0.25)
        # binary visible, Gaussian hidden: the Hopfield line T^2 = 1 + sqrt(alpha)
        assert hf.rbm_glass_temperature(alpha) ** 2 == pytest.approx(hf.glass_temperature(alpha), rel=1e-10)
        assert hf.rbm_glass_temperature(alpha, visible="gaussian", hidden="binary") ** 2 == pytest.approx(
            alpha + math.sqrt(alpha), rel=1e-10
        )
        # Gaussian-Gaussian: the edge of normalisability, beta^2 (1 + sqrt alpha)^2 = 1
        assert hf.rbm_glass_temperature(alpha, visible="gaussian", hidden="gaussian") == pytest.approx(
            1 + math.sqrt(alpha), rel=1e-10
        )


def test_gaussian_glass_line_is_the_largest_singular_value():
    # the Gaussian-Gaussian measure is normalisable while beta^2 ||W||^2 < 1; ||W||^2 -> (1 + sqrt alpha)^2
    # (Marchenko-Pastur edge); finite-size corrections are O(N^(-2/3)), about 1% here
    n, alpha = 1500, 0.25
    xi = hf.patterns(n, int(alpha * n), seed=1)
    top = math.sqrt(np.linalg.eigvalsh(xi @ xi.T / n)[-1])
    assert hf.rbm_glass_temperature(alpha, visible="gaussian", hidden="gaussian") == pytest.approx(top, rel=0.02)


@pytest.mark.parametrize(("d_v", "d_h", "alpha"), [(0.3, 0.8, 0.2), (0.0, 0.5, 0.1), (0.7, 0.1, 3.0)])
def test_exchanging_the_layers(d_v, d_h, alpha):
    # (N, P, beta) -> (P, N, beta sqrt(alpha)) maps the RBM onto itself with the roles of the layers swapped
    direct = hf.rbm_glass_temperature(alpha, visible=d_v, hidden=d_h)
    swapped = hf.rbm_glass_temperature(1 / alpha, visible=d_h, hidden=d_v)
    assert direct == pytest.approx(math.sqrt(alpha) * swapped, rel=1e-10)


@pytest.mark.parametrize(("d_v", "d_h"), [(0.0, 0.0), (0.5, 0.5), (0.3, 0.8)])
def test_spin_glass_appears_at_the_glass_temperature(d_v, d_h):
    alpha = 0.1
    T_g = hf.rbm_glass_temperature(alpha, visible=d_v, hidden=d_h)
    above = hf.rbm_state(alpha, 1.01 * T_g, visible=d_v, hidden=d_h, phase="glass")
    assert above.phase == "paramagnet" and above.q == 0.0
    # q grows linearly below T_g: q(0.99 T_g) and q(0.98 T_g) differ by a factor of about 2
    q1 = hf.rbm_state(alpha, 0.99 * T_g, visible=d_v, hidden=d_h, phase="glass").q
    q2 = hf.rbm_state(alpha, 0.98 * T_g, visible=d_v, hidden=d_h, phase="glass").q
    assert 0.0 < q1 < q2 and 1.7 < q2 / q1 < 2.3


def test_binary_paramagnet_free_energy_is_annealed():
    # Q = R = 1: -beta f = beta^2 alpha / 2, the annealed value of E Z for binary units and patterns
    alpha, T = 0.3, 1.2
    state = hf.rbm_state(alpha, T, visible="binary", hidden="binary")
    assert state.phase == "paramagnet"
    assert state.free_energy == pytest.approx(-alpha / (2 * T), rel=1e-12)


@pytest.mark.parametrize(
    ("alpha", "T", "delta"), [(0.05, 0.6, 0.0), (0.1, 0.3, 0.0), (0.005, 0.5, 0.3), (0.005, 0.9, 0.0)]
)
def test_reduces_to_hopfield_at_t_squared(alpha, T, delta):
    state = hf.rbm_state(alpha, T, prior=delta)
    hop = hf.retrieval(alpha, T * T, prior=delta)
    assert state.phase == "retrieval" and hop.exists
    assert state.m == pytest.approx(hop.m, abs=1e-9)
    assert state.q == pytest.approx(hop.q, abs=1e-9)
    assert state.q_d == pytest.approx(1.0, abs=1e-12) and state.cosine == pytest.approx(state.m, abs=1e-12)
    beta_h = 1 / T**2  # -beta f_RBM = -beta_H f_H + beta_H alpha / 2 - ln 2
    assert -state.free_energy / T == pytest.approx(-beta_h * hop.free_energy + beta_h * alpha / 2 - math.log(2), 1e-9)


def test_critical_load_reduces_to_hopfield():
    for T in (0.4, 0.7):
        assert hf.rbm_critical_load(T) == pytest.approx(hf.critical_load(T * T), rel=2e-4)
    assert hf.rbm_critical_load(1.05) == 0.0


def test_low_load_curie_weiss_with_priors():
    # alpha -> 0, binary patterns: m = a_v tanh(a_v beta^2 d_h m) + d_v beta^2 d_h m
    T, d_v, d_h = 0.8, 0.3, 0.9
    m = hf.rbm_state(1e-9, T, visible=d_v, hidden=d_h).m
    a, k = math.sqrt(1 - d_v), d_h / T**2
    assert m == pytest.approx(a * math.tanh(a * k * m) + d_v * k * m, abs=1e-6)
    # retrieval needs T^2 < d_h at alpha -> 0 (second-order onset at beta^2 d_h (a_v^2 + d_v) = 1)
    assert hf.rbm_state(1e-6, 0.95 * math.sqrt(d_h), hidden=d_h).phase == "retrieval"
    assert hf.rbm_state(1e-6, 1.05 * math.sqrt(d_h), hidden=d_h).phase == "paramagnet"


def test_broader_hidden_and_sharper_visible_priors_retrieve_more():
    hidden = [hf.rbm_critical_load(0.5, hidden=d, tol=1e-3) for d in (1.0, 0.8, 0.6)]
    assert hidden[0] > hidden[1] > hidden[2] > 0
    visible = [hf.rbm_critical_load(0.7, visible=d, tol=1e-3) for d in (0.0, 0.2)]
    assert visible[0] > visible[1] > 0


@pytest.mark.parametrize(("alpha", "T", "d_v", "d_h"), [(0.01, 0.7, 0.2, 1.0), (0.05, 0.5, 0.0, 0.7)])
def test_retrieval_overlap_against_gibbs_sampling(alpha, T, d_v, d_h):
    # N = 1000, six pattern sets; finite-size corrections: O(1/N) for Gaussian hidden units, O(N^-1/2) from the
    # binary part of the hidden prior (the condensed unit's field gains a_h / (beta sqrt N)), below 0.01 here
    theory = hf.rbm_state(alpha, T, visible=d_v, hidden=d_h).cosine
    mean, err = hf.rbm_overlaps(1000, [alpha], T, visible=d_v, hidden=d_h, samples=6, sweeps=150, window=100, seed=3)
    assert abs(mean[0] - theory) < 4 * err[0] + 0.01


def test_no_normalisable_solution_raises():
    # soft visible and Gaussian hidden units at low T: beta^2 d_v d_h ||W||^2 > 1
    with pytest.raises(ValueError, match="normalisable"):
        hf.rbm_state(0.05, 0.3, visible=0.5)


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: hf.rbm_state(0.0, 0.5), ValueError, "alpha"),
        (lambda: hf.rbm_state(0.1, 0.0), ValueError, "T"),
        (lambda: hf.rbm_state(0.1, 0.5, hidden=1.5), ValueError, "hidden"),
        (lambda: hf.rbm_state(0.1, 0.5, phase="ferro"), ValueError, "phase"),
        (lambda: hf.rbm_glass_temperature(-1.0), ValueError, "alpha"),
        (lambda: hf.rbm_critical_load(0.5, tol=0.0), ValueError, "tol"),
        (lambda: hf.tilted_moments(0.1, 2.0, prior="gaussian"), ValueError, "lam"),
        (lambda: hf.tilted_moments(np.nan), ValueError, "x"),
        (lambda: hf.rbm_overlaps(100, [0.0], 0.5), ValueError, "alphas"),
    ],
)
def test_validation(call, error, word):
    with pytest.raises(error, match=word):
        call()


@pytest.mark.parametrize(("alpha", "T"), [(0.1, 0.5), (0.03, 0.9), (0.2, 0.3)])
def test_glass_state_reduces_to_hopfield_spin_glass(alpha, T):
    state = hf.rbm_state(alpha, T, phase="glass")
    hop = hf.spin_glass(alpha, T * T)
    assert state.phase == "glass" and state.m == 0.0
    assert state.q == pytest.approx(hop.q, abs=1e-10)
    beta_h = 1 / T**2
    assert -state.free_energy / T == pytest.approx(-beta_h * hop.free_energy + beta_h * alpha / 2 - math.log(2), 1e-9)
