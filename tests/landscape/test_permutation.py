"""Permutation symmetry of hidden units, interpolation paths, barriers and Hungarian alignment."""

import numpy as np
import pytest

from spinlab import landscape as ls
from spinlab import nn
from spinlab.nn import _kernels


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_permuted_network_computes_the_same_function(digits_small, loss):
    X, y, _, _ = digits_small
    net = nn.init_network(64, 9, 10, loss=loss, seed=3)
    net = net.with_params(net.params + 0.1 * np.random.default_rng(0).normal(size=net.n_params))
    perm = np.random.default_rng(1).permutation(9)
    permuted = ls.permute_hidden(net, perm)
    assert not np.array_equal(permuted, net.params)
    out = _kernels.forward_all(net.params, 64, 9, 10, 0, X)
    out_perm = _kernels.forward_all(permuted, 64, 9, 10, 0, X)
    np.testing.assert_allclose(out_perm, out, rtol=0, atol=1e-12)
    target = y if loss == "cross_entropy" else np.eye(10)[y]
    value, grad = nn.loss_and_grad(net.params, net, X, target)
    value_p, grad_p = nn.loss_and_grad(permuted, net, X, target)
    assert value_p == pytest.approx(value, abs=1e-12)
    # the gradient transforms like the parameters
    np.testing.assert_allclose(grad_p, ls.permute_hidden(net, perm, params=grad), atol=1e-12)


def test_permutation_blocks_and_inverse(tiny):
    net, _, _ = tiny
    perm = np.array([2, 0, 3, 1])
    p = net.with_params(ls.permute_hidden(net, perm))
    assert np.array_equal(p.W1, net.W1[:, perm]) and np.array_equal(p.b1, net.b1[perm])
    assert np.array_equal(p.W2, net.W2[perm]) and np.array_equal(p.b2, net.b2)
    assert np.array_equal(ls.permute_hidden(net, np.argsort(perm), params=p.params), net.params)


@pytest.mark.parametrize("k", [0, 2, 3, 7, 10])
def test_swap_permutation_moves_exactly_k_units(k):
    perm = ls.swap_permutation(10, k, seed=k)
    assert sorted(perm.tolist()) == list(range(10))
    assert int(np.sum(perm != np.arange(10))) == k
    assert np.array_equal(perm, ls.swap_permutation(10, k, seed=k))


def test_interpolation_endpoints_are_the_endpoint_losses(trained, digits_small):
    X, y, Xt, yt = digits_small
    other = nn.train(nn.init_network(64, 6, 10, seed=7), X, y, epochs=20, lr=0.2, batch_size=16, seed=8).params
    path = ls.interpolate(trained, trained.params, other, X, y, n_points=11, X_test=Xt, y_test=yt)
    assert path.train_loss[0] == nn.loss(trained.params, trained, X, y)
    assert path.train_loss[-1] == nn.loss(other, trained, X, y)
    assert path.test_accuracy[0] == nn.accuracy(trained, Xt, yt)
    assert path.test_accuracy[-1] == nn.accuracy(trained, Xt, yt, params=other)
    np.testing.assert_allclose(path.alpha, np.linspace(0, 1, 11))
    assert path.barrier == pytest.approx(path.train_loss.max() - 0.5 * (path.train_loss[0] + path.train_loss[-1]))
    assert path.barrier >= 0 and np.isfinite(path.test_barrier)
    mid = 0.5 * trained.params + 0.5 * other
    assert path.train_loss[5] == pytest.approx(nn.loss(mid, trained, X, y), rel=1e-12)
    assert path.distance == pytest.approx(np.linalg.norm(other - trained.params))


def test_permuted_copy_of_trained_net_is_separated_by_a_barrier(trained, digits_small):
    X, y, _, _ = digits_small
    scan = ls.swap_barriers(trained, X, y, swaps=[0, 2, 6], n_repeats=3, n_points=11, seed=0)
    assert np.all(np.abs(scan.barriers[0]) < 1e-12) and np.all(scan.distances[0] == 0.0)
    assert np.all(scan.barriers[2] > 0.05)  # full relabelling of a trained net: a clear barrier
    assert np.all(scan.distances[2] > scan.distances[1].min())
    assert np.isnan(scan.test_barriers).all()
    again = ls.swap_barriers(trained, X, y, swaps=[0, 2, 6], n_repeats=3, n_points=11, seed=0)
    assert np.array_equal(scan.barriers, again.barriers)
    assert scan.error.shape == (3,) and scan.mean[0] == pytest.approx(0.0, abs=1e-12)


def test_hungarian_alignment_recovers_a_random_permutation(trained):
    sigma = np.random.default_rng(4).permutation(trained.width)
    shuffled = ls.permute_hidden(trained, sigma)
    perm, aligned = ls.align_hidden(trained, trained.params, shuffled)
    assert np.array_equal(perm, np.argsort(sigma))
    assert np.array_equal(aligned, trained.params)


def test_alignment_never_increases_the_distance(digits_small):
    X, y, _, _ = digits_small
    runs = nn.train_many(4, X, y, width=6, epochs=15, lr=0.2, batch_size=16, seed=2, executor="serial")
    pb = ls.pair_barriers(runs[0].network, runs, X, y, n_points=9)
    assert pb.pairs.shape == (6, 2)
    # the identity is one of the assignments, so the optimal one is at least as close
    assert np.all(pb.aligned_distance <= pb.raw_distance + 1e-12)
    assert np.all(pb.raw >= 0) and np.all(pb.aligned >= 0)
    sub = ls.pair_barriers(runs[0].network, runs, X, y, n_points=9, max_pairs=3, seed=1)
    again = ls.pair_barriers(runs[0].network, runs, X, y, n_points=9, max_pairs=3, seed=1)
    assert np.array_equal(sub.pairs, again.pairs) and np.array_equal(sub.aligned, again.aligned)
    rows = [pb.pairs.tolist().index(pair) for pair in sub.pairs.tolist()]
    np.testing.assert_array_equal(sub.raw, pb.raw[rows])


def test_permutation_validation(trained, digits_small):
    X, y, Xt, _ = digits_small
    with pytest.raises(ValueError, match="permutation"):
        ls.permute_hidden(trained, [0, 0, 1, 2, 3, 4])
    with pytest.raises(ValueError, match="shape"):
        ls.permute_hidden(trained, [0, 1])
    with pytest.raises(ValueError, match="n_swapped"):
        ls.swap_permutation(6, 1)
    with pytest.raises(ValueError, match="n_swapped"):
        ls.swap_permutation(6, 7)
    with pytest.raises(ValueError, match="n_points"):
        ls.interpolate(trained, trained.params, trained.params, X, y, n_points=1)
    with pytest.raises(ValueError, match="params_b"):
        ls.interpolate(trained, trained.params, trained.params[:-1], X, y)
    with pytest.raises(ValueError, match="together"):
        ls.interpolate(trained, trained.params, trained.params, X, y, X_test=Xt)
    with pytest.raises(ValueError, match="at least 2"):
        ls.pair_barriers(trained, [trained], X, y)
    with pytest.raises(ValueError, match="solutions\\[1\\]"):
        ls.pair_barriers(trained, [trained, nn.init_network(64, 5, 10, seed=0)], X, y)
    with pytest.raises(ValueError, match="swaps"):
        ls.swap_barriers(trained, X, y, swaps=[])
