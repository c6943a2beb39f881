"""Hessian-vector products (R-operator), Hutchinson trace and power iteration against exact answers."""

import numpy as np
import pytest

from spinlab import landscape as ls
from spinlab import nn


def _fd_hvp(net, X, y, params, v, eps=1e-5):
    """Central differences of the analytic gradient: error O(eps^2 |v|^3 L''') + O(1e-16 |g| / eps)."""
    g_plus = nn.loss_and_grad(params + eps * v, net, X, y)[1]
    g_minus = nn.loss_and_grad(params - eps * v, net, X, y)[1]
    return (g_plus - g_minus) / (2 * eps)


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_hvp_matches_finite_differences_of_the_gradient(loss):
    rng = np.random.default_rng(0)
    net = nn.init_network(5, 7, 3, loss=loss, seed=1)
    X = rng.normal(size=(13, 5))
    y = rng.integers(0, 3, 13) if loss == "cross_entropy" else rng.normal(size=(13, 3))
    params = net.params + 0.2 * rng.normal(size=net.n_params)
    for _ in range(3):
        v = rng.normal(size=net.n_params)
        exact = ls.hvp(net, X, y, v, params=params)
        np.testing.assert_allclose(exact, _fd_hvp(net, X, y, params, v), rtol=1e-6, atol=1e-8)


def test_hvp_is_linear_and_symmetric(tiny):
    net, X, y = tiny
    rng = np.random.default_rng(1)
    u, v = rng.normal(size=(2, net.n_params))
    Hu, Hv = ls.hvp(net, X, y, u), ls.hvp(net, X, y, v)
    np.testing.assert_allclose(ls.hvp(net, X, y, 2.0 * u - 3.0 * v), 2.0 * Hu - 3.0 * Hv, atol=1e-12)
    assert u @ Hv == pytest.approx(v @ Hu, rel=1e-12)
    H = ls.hessian_matrix(net, X, y)
    np.testing.assert_allclose(H, H.T, atol=1e-13)
    np.testing.assert_allclose(H @ v, Hv, atol=1e-12)


def test_output_bias_block_has_closed_form(tiny):
    """d^2 L / d b2^2 = mean_b (diag p_b - p_b p_b^T) for cross-entropy and the identity for MSE."""
    net, X, y = tiny
    b2 = net.slices()["b2"]
    logits = nn._kernels.forward_all(net.params, net.n_in, net.width, net.n_out, 0, X)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    expected = np.mean([np.diag(q) - np.outer(q, q) for q in p], axis=0)
    np.testing.assert_allclose(ls.hessian_matrix(net, X, y)[b2, b2], expected, atol=1e-14)
    mse = nn.Network(net.n_in, net.width, net.n_out, "relu", "mse", net.params.copy())
    targets = np.random.default_rng(2).normal(size=(X.shape[0], net.n_out))
    np.testing.assert_allclose(ls.hessian_matrix(mse, X, targets)[b2, b2], np.eye(net.n_out), atol=1e-14)


def test_hutchinson_trace_within_statistical_error_of_exact_trace(trained, digits_small):
    X, y, _, _ = digits_small
    exact = np.trace(ls.hessian_matrix(trained, X, y))
    est = ls.hessian_trace(trained, X, y, n_probes=300, seed=3)
    # 4 standard errors: a false failure has probability < 1e-4 (the mean of 300 probes is near-Gaussian)
    assert abs(est.value - exact) < 4 * est.error
    assert est.error < 0.05 * exact
    assert est.samples.shape == (300,)


def test_hutchinson_probe_variance_matches_off_diagonal_weight(tiny):
    """Var(z^T H z) = 2 sum_{p != q} H_pq^2 for Rademacher z."""
    net, X, y = tiny
    H = ls.hessian_matrix(net, X, y)
    expected = 2.0 * (np.sum(H**2) - np.sum(np.diag(H) ** 2))
    est = ls.hessian_trace(net, X, y, n_probes=4000, seed=4)
    # the sample variance of 4000 draws is within ~10 % (its relative sd is about sqrt(kurtosis / 4000) < 5 %)
    assert est.samples.var(ddof=1) == pytest.approx(expected, rel=0.15)


def test_power_iteration_matches_eigvalsh(trained, digits_small):
    X, y, _, _ = digits_small
    eigenvalues, vectors = np.linalg.eigh(ls.hessian_matrix(trained, X, y))
    top = ls.top_eigenvalue(trained, X, y, tol=1e-9, max_iter=20_000, seed=5)
    k = np.argmax(np.abs(eigenvalues))
    assert top.converged
    assert top.value == pytest.approx(eigenvalues[k], rel=1e-9)
    assert abs(top.vector @ vectors[:, k]) == pytest.approx(1.0, abs=1e-8)
    assert top.residual <= 1e-9 * abs(top.value)


def test_power_iteration_reports_non_convergence(trained, digits_small):
    X, y, _, _ = digits_small
    top = ls.top_eigenvalue(trained, X, y, tol=1e-14, max_iter=3, seed=5)
    assert not top.converged and top.iterations == 3


def test_curvature_estimates_are_deterministic(trained, digits_small):
    X, y, _, _ = digits_small
    a = ls.hessian_trace(trained, X, y, n_probes=5, seed=9)
    b = ls.hessian_trace(trained, X, y, n_probes=5, seed=9)
    c = ls.hessian_trace(trained, X, y, n_probes=5, seed=10)
    assert np.array_equal(a.samples, b.samples) and not np.array_equal(a.samples, c.samples)
    t1 = ls.top_eigenvalue(trained, X, y, max_iter=30, seed=9)
    t2 = ls.top_eigenvalue(trained, X, y, max_iter=30, seed=9)
    assert t1.value == t2.value and np.array_equal(t1.vector, t2.vector)


def test_hessian_validation(tiny):
    net, X, y = tiny
    sign = nn.init_network(3, 4, 3, activation="sign", seed=0)
    with pytest.raises(ValueError, match="activation"):
        ls.hvp(sign, X, y, np.ones(sign.n_params))
    with pytest.raises(ValueError, match="v must have shape"):
        ls.hvp(net, X, y, np.ones(3))
    with pytest.raises(ValueError, match="n_probes"):
        ls.hessian_trace(net, X, y, n_probes=0)
    with pytest.raises(ValueError, match="tol"):
        ls.top_eigenvalue(net, X, y, tol=0.0)
    with pytest.raises(ValueError, match="params must have shape"):
        ls.hessian_matrix(net, X, y, params=np.zeros(4))
    with pytest.raises(TypeError, match="net must be"):
        ls.hessian_trace("net", X, y)
