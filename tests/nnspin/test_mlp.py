"""Multi-layer perceptron: gradients, straight-through estimator, determinism, validation."""

import numpy as np
import pytest

from spinlab import nn, nnspin


def _data(seed=0, n=7, n_in=5, classes=3):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, n_in)), rng.integers(0, classes, size=n)


@pytest.mark.parametrize("activation", ["relu", "tanh"])
def test_gradient_matches_central_differences(activation):
    X, y = _data()
    net = nnspin.init_mlp((5, 4, 6, 3), activation=activation, output_scale=1.7, seed=1)
    net.params[...] += 0.1 * np.random.default_rng(2).standard_normal(net.n_params)  # nonzero biases
    _, grad = nnspin.mlp_loss_and_grad(net.params, net, X, y)
    eps = 1e-6
    fd = np.empty_like(grad)
    for k in range(net.n_params):
        e = np.zeros(net.n_params)
        e[k] = eps
        fd[k] = (
            nnspin.mlp_loss_and_grad(net.params + e, net, X, y)[0]
            - nnspin.mlp_loss_and_grad(net.params - e, net, X, y)[0]
        ) / (2 * eps)
    # central differences: O(eps^2) truncation plus O(1e-16 / eps) rounding, so 1e-7 absolute is safe
    assert np.max(np.abs(fd - grad)) < 1e-7


@pytest.mark.parametrize("activation", ["relu", "sign"])
def test_one_hidden_layer_equals_spinlab_nn(activation):
    """Same flat order and straight-through convention as spinlab.nn (an independent Numba implementation)."""
    X, y = _data(3)
    ref = nn.init_network(5, 4, 3, activation=activation, seed=4)
    ref.params[...] += 0.2 * np.random.default_rng(5).standard_normal(ref.n_params)
    mine = nnspin.MLP((5, 4, 3), activation, 1.0, ref.params.copy())
    value, grad = nnspin.mlp_loss_and_grad(mine.params, mine, X, y)
    value_ref, grad_ref = nn.loss_and_grad(ref.params, ref, X, y)
    assert value == pytest.approx(value_ref, rel=1e-12)
    assert np.allclose(grad, grad_ref, rtol=1e-10, atol=1e-13)


def test_sign_forward_and_straight_through():
    net = nnspin.MLP((1, 1, 2), "sign", 1.0, np.array([1.0, 0.0, 1.0, -1.0, 0.0, 0.0]))
    z = nnspin.mlp_forward(net, np.array([[0.0], [0.5], [-2.0]]))
    assert z[1].tolist() == [[1.0, -1.0], [1.0, -1.0], [-1.0, 1.0]]  # sign(0) = +1
    _, g = nnspin.mlp_loss_and_grad(net.params, net, np.array([[-2.0]]), np.array([0]))
    assert g[0] == 0.0 and g[1] == 0.0  # |z| > 1: no gradient through the sign unit
    _, g = nnspin.mlp_loss_and_grad(net.params, net, np.array([[0.5]]), np.array([0]))
    assert g[0] != 0.0


def test_training_is_deterministic_and_learns():
    X, y = nn.data.digits()
    X = nnspin.pool_images(X, 8)
    steps = nnspin.log_checkpoints(300, 4)
    runs = [
        nnspin.train_mlp(nnspin.init_mlp((16, 12, 10), seed=0), X, y, checkpoints=steps, lr=0.1, seed=1)
        for _ in range(2)
    ]
    assert np.array_equal(runs[0].params, runs[1].params)
    assert np.array_equal(runs[0].steps, steps)
    assert np.array_equal(runs[0].params[0], nnspin.init_mlp((16, 12, 10), seed=0).params)
    assert runs[0].train_accuracy[-1] > 0.5 > runs[0].train_accuracy[0]
    net = runs[0].network()
    assert nnspin.mlp_accuracy(net, X, y) == runs[0].train_accuracy[-1]


def test_pool_images_and_checkpoints():
    X = np.arange(64.0).reshape(1, 64)
    assert nnspin.pool_images(X, 8)[0, 0] == np.mean([0, 1, 8, 9])
    assert nnspin.log_checkpoints(1, 3).tolist() == [0, 1]


def test_mlp_validation():
    with pytest.raises(ValueError, match="at least 2 layer sizes"):
        nnspin.init_mlp((4,))
    with pytest.raises(ValueError, match="number of classes"):
        nnspin.init_mlp((4, 1))
    with pytest.raises(ValueError, match="activation"):
        nnspin.init_mlp((4, 2), activation="gelu")
    with pytest.raises(ValueError, match="output_scale must be > 0"):
        nnspin.init_mlp((4, 2), output_scale=0.0)
    net = nnspin.init_mlp((4, 2), seed=0)
    with pytest.raises(ValueError, match="X must have shape"):
        nnspin.mlp_accuracy(net, np.ones((3, 5)), np.zeros(3, dtype=int))
    with pytest.raises(ValueError, match="labels in"):
        nnspin.mlp_loss_and_grad(net.params, net, np.ones((2, 4)), np.array([0, 2]))
    with pytest.raises(ValueError, match="params must be"):
        nnspin.mlp_loss_and_grad(np.ones(3), net, np.ones((2, 4)), np.array([0, 1]))
    with pytest.raises(ValueError, match="batch_size"):
        nnspin.train_mlp(net, np.ones((2, 4)), np.array([0, 1]), checkpoints=[1], batch_size=3)
    with pytest.raises(TypeError, match="net must be"):
        nnspin.mlp_forward("net", np.ones((2, 4)))
