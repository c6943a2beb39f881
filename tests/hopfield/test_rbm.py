"""Tests of the RBM: the Hopfield equivalence by enumeration and alternating Gibbs sampling against exact laws."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from spinlab import exact, models
from spinlab import hopfield as hf

X_GH, W_GH = np.polynomial.hermite_e.hermegauss(80)
W_GH = W_GH / W_GH.sum()


def hidden_factor_by_quadrature(v, xi, T, d):
    """prod_mu E_tau exp(beta H_mu tau) with tau = a eps + sqrt(d) g, by summing eps and Gauss-Hermite over g."""
    H = xi @ v / math.sqrt(xi.shape[1])
    a = math.sqrt(1 - d)
    out = 1.0
    for h in H:
        out *= sum(0.5 * np.sum(W_GH * np.exp((e * a + math.sqrt(d) * X_GH) * h / T)) for e in (-1, 1))
    return out


def visible_configs(n):
    return np.array(list(itertools.product([-1.0, 1.0], repeat=n)))


def test_gaussian_hidden_marginal_is_hopfield_at_t_squared():
    n, T = 8, 0.9
    xi = hf.patterns(n, 3, seed=1)
    configs = exact.codes_to_spins(np.arange(2**n), n).astype(float)  # row k is configuration code k
    rbm = np.array([hidden_factor_by_quadrature(v, xi, T, 1.0) for v in configs])
    rbm /= rbm.sum()
    T_h = hf.hopfield_temperature(T)
    assert T_h == pytest.approx(0.81)
    model = models.from_couplings(hf.hebbian(xi))
    energies = exact.enumerate_energies(model)
    hop = np.exp(-(energies - energies.min()) / T_h)
    hop /= hop.sum()
    np.testing.assert_allclose(rbm, hop, rtol=1e-10)


@pytest.mark.parametrize("d", [0.0, 0.5, 1.0])
def test_hidden_log_factor_matches_quadrature(d):
    xi = hf.patterns(6, 2, seed=2, prior=0.3)
    v = visible_configs(6)[::7]
    direct = np.log([hidden_factor_by_quadrature(x, xi, 0.7, d) for x in v])
    np.testing.assert_allclose(hf.hidden_log_factor(v, xi, 0.7, hidden=d), direct, rtol=1e-10)


@pytest.mark.parametrize("hidden", ["gaussian", 0.4, "binary"])
def test_gibbs_sampling_reproduces_the_visible_marginal(hidden):
    # binary visible units, N = 8, P = 2: law of (N m_1, N m_2) from 40 chains vs exact p(v) ∝ exp(hidden_log_factor)
    n, T = 8, 0.9
    xi = hf.patterns(n, 2, seed=3)
    configs = visible_configs(n)
    logw = hf.hidden_log_factor(configs, xi, T, hidden=hidden)
    p = np.exp(logw - logw.max())
    p /= p.sum()
    cells = [tuple(c) for c in np.rint(configs @ xi.T).astype(int)]
    keys = sorted(set(cells))
    exact_p = np.array([p[[c == k for c in cells]].sum() for k in keys])
    run = hf.rbm_sample(xi, T, 3000, hidden=hidden, replicas=40, record_every=2, seed=4)
    big_m = np.rint(run.overlaps[:, 50:] * n).astype(int)
    hist = np.array([[np.mean((r[:, 0] == k[0]) & (r[:, 1] == k[1])) for k in keys] for r in big_m])
    mean = hist.mean(axis=0)
    err = hist.std(axis=0, ddof=1) / np.sqrt(hist.shape[0])
    assert np.all(np.abs(mean - exact_p) < 5 * err)


def test_gibbs_sampling_with_soft_visible_units():
    # binary hidden units (P = 3, 8 states), visible prior d_v = 0.4: exact E[m_1^2] by summing the hidden states.
    # Given tau, visible units are independent with mean a tanh(beta a F) + d beta F and variance
    # a^2 (1 - tanh^2(beta a F)) + d, F_i = (1/sqrt N) sum_mu xi_i^mu tau_mu.
    n, T, d = 10, 0.8, 0.4
    a = math.sqrt(1 - d)
    xi = hf.patterns(n, 3, seed=5)
    taus = np.array(list(itertools.product([-1.0, 1.0], repeat=3)))
    F = taus @ xi / math.sqrt(n)
    t = np.tanh(a * F / T)
    logw = np.sum(np.log(np.cosh(a * F / T)) + 0.5 * d * (F / T) ** 2, axis=1)
    w = np.exp(logw - logw.max())
    w /= w.sum()
    mean_v = a * t + d * F / T
    var_v = a * a * (1 - t * t) + d
    m1 = mean_v @ xi[0] / n
    m1_sq = m1**2 + var_v @ (xi[0] ** 2) / n**2
    expect = w @ m1_sq
    run = hf.rbm_sample(xi, T, 4000, visible=d, hidden="binary", replicas=32, record_every=2, seed=6)
    per_chain = np.mean(run.overlaps[:, 50:, 0] ** 2, axis=1)
    err = per_chain.std(ddof=1) / math.sqrt(per_chain.size)
    assert abs(per_chain.mean() - expect) < 5 * err


def test_rbm_records_determinism_and_normalisability():
    xi = hf.patterns(12, 2, seed=7)
    a = hf.rbm_sample(xi, 1.0, 30, replicas=2, record_every=10, record_visible=True, seed=8)
    b = hf.rbm_sample(xi, 1.0, 30, replicas=2, record_every=10, record_visible=True, seed=8)
    np.testing.assert_array_equal(a.overlaps, b.overlaps)
    assert a.visible.shape == (2, 4, 12) and a.times.tolist() == [0, 10, 20, 30]
    np.testing.assert_allclose(a.overlaps, a.visible @ xi.T / 12, atol=1e-12)
    np.testing.assert_array_equal(a.final, a.visible[:, -1])
    assert set(np.unique(a.visible)) <= {-1.0, 1.0}
    with pytest.raises(ValueError, match="normalisable"):
        hf.rbm_sample(xi, 0.5, 10, visible="gaussian", hidden="gaussian")
    hf.rbm_sample(xi, 3.0, 10, visible="gaussian", hidden="gaussian", seed=1)  # small beta: allowed


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: hf.rbm_sample(np.ones((1, 4)), 0.0, 5), ValueError, "T"),
        (lambda: hf.rbm_sample(np.ones((1, 4)), 1.0, 5, visible=2.0), ValueError, "visible"),
        (lambda: hf.rbm_sample(np.ones((1, 4)), 1.0, 5, hidden=None), TypeError, "hidden"),
        (lambda: hf.rbm_sample(np.ones((1, 4)), 1.0, 5, record_visible=1), TypeError, "record_visible"),
        (lambda: hf.rbm_sample(np.ones((1, 4)), 1.0, 5, initial=np.ones(3)), ValueError, "initial"),
        (lambda: hf.hidden_log_factor(np.ones(3), np.ones((1, 4)), 1.0), ValueError, "visible"),
        (lambda: hf.hopfield_temperature(-1.0), ValueError, "T"),
    ],
)
def test_validation(call, error, word):
    with pytest.raises(error, match=word):
        call()
