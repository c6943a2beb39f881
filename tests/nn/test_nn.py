"""spinlab.nn: gradients, flat-parameter views, determinism, training, train_many."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from spinlab import nn
from spinlab.nn import _kernels, data


def _central_differences(net, params, X, y, eps=1e-6):
    grad = np.empty_like(params)
    for p in range(params.size):
        step = np.zeros_like(params)
        step[p] = eps
        grad[p] = (nn.loss(params + step, net, X, y) - nn.loss(params - step, net, X, y)) / (2 * eps)
    return grad


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_relu_gradient_matches_finite_differences(loss):
    rng = np.random.default_rng(0)
    net = nn.init_network(5, 7, 3, loss=loss, seed=1)
    X = rng.normal(size=(11, 5))
    y = rng.integers(0, 3, 11) if loss == "cross_entropy" else rng.normal(size=(11, 3))
    params = net.params + 0.1 * rng.normal(size=net.n_params)
    value, grad = nn.loss_and_grad(params, net, X, y)
    assert value == pytest.approx(nn.loss(params, net, X, y), rel=1e-12)
    np.testing.assert_allclose(grad, _central_differences(net, params, X, y), rtol=1e-5, atol=1e-8)


def _ste_reference(net, params, X, Y, loss):
    """The straight-through gradient written out with numpy (independent of the kernel)."""
    W1, b1, W2, b2 = (net.view(name, params) for name in nn.PARAM_NAMES)
    z = X @ W1 + b1
    h = np.where(z >= 0, 1.0, -1.0)
    out = h @ W2 + b2
    B = X.shape[0]
    if loss == "cross_entropy":
        p = np.exp(out - out.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        dout = (p - Y) / B
    else:
        dout = (out - Y) / B
    dz = (dout @ W2.T) * (np.abs(z) <= 1.0)
    return np.concatenate([(X.T @ dz).ravel(), dz.sum(0), (h.T @ dout).ravel(), dout.sum(0)])


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_sign_straight_through_backward_rule(loss):
    rng = np.random.default_rng(2)
    net = nn.init_network(6, 9, 4, activation="sign", loss=loss, seed=3)
    X = rng.normal(size=(13, 6))
    if loss == "cross_entropy":
        y = rng.integers(0, 4, 13)
        Y = np.eye(4)[y]
    else:
        y = Y = rng.normal(size=(13, 4))
    _, grad = nn.loss_and_grad(net.params, net, X, y)
    z = X @ net.W1 + net.b1
    assert np.any(np.abs(z) > 1) and np.any(np.abs(z) <= 1)  # both branches of the STE are exercised
    np.testing.assert_allclose(grad, _ste_reference(net, net.params, X, Y, loss), rtol=1e-10, atol=1e-12)
    # The output layer sees sign(z) exactly: its gradient is the true derivative (finite differences).
    fd = _central_differences(net, net.params, X, y)
    tail = net.slices()["W2"].start
    np.testing.assert_allclose(grad[tail:], fd[tail:], rtol=1e-5, atol=1e-8)
    # A hidden unit whose pre-activation is outside [-1, 1] for every sample gets no gradient.
    W1 = net.W1.copy()
    W1[:, 0] = 0.0
    params = net.params.copy()
    net.view("W1", params)[...] = W1
    net.view("b1", params)[0] = 3.0
    _, grad = nn.loss_and_grad(params, net, X, y)
    assert np.all(net.view("W1", grad)[:, 0] == 0.0) and net.view("b1", grad)[0] == 0.0


def test_sign_forward_is_sign():
    net = nn.init_network(3, 5, 2, activation="sign", loss="mse", seed=0)
    X = np.random.default_rng(1).normal(size=(4, 3))
    out = nn.predict(net, X)
    h = np.where(X @ net.W1 + net.b1 >= 0, 1.0, -1.0)
    np.testing.assert_allclose(out, h @ net.W2 + net.b2, rtol=1e-12)


def test_flat_views_alias_parameters():
    net = nn.init_network(4, 6, 3, seed=0)
    sizes = [4 * 6, 6, 6 * 3, 3]
    assert net.n_params == sum(sizes) == net.params.size
    for name in nn.PARAM_NAMES:
        block = net.view(name)
        assert np.shares_memory(block, net.params)
        assert block is not net.params and block.base is not None
    net.W1[2, 5] = 11.0
    assert net.params[2 * 6 + 5] == 11.0
    net.b1[...] = 7.0
    assert np.all(net.params[24:30] == 7.0)
    net.params[30 + 1 * 3 + 2] = -4.0
    assert net.W2[1, 2] == -4.0
    net.b2[0] = 9.0
    assert net.params[-3] == 9.0
    # the same views work on any flat vector, and loss uses that vector, not net.params
    other = np.zeros(net.n_params)
    net.view("b2", other)[...] = [0.0, 5.0, 0.0]
    X = np.ones((2, 4))
    assert nn.predict(net, X, params=other).tolist() == [1, 1]
    assert nn.loss(other, net, X, np.array([1, 1])) < nn.loss(other, net, X, np.array([0, 0]))


def test_init_scaling_and_determinism():
    a = nn.init_network(400, 300, 10, seed=5)
    b = nn.init_network(400, 300, 10, seed=5)
    c = nn.init_network(400, 300, 10, seed=6)
    assert np.array_equal(a.params, b.params)
    assert not np.allclose(a.params, c.params)
    assert a.W1.std() == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # He
    assert a.W2.std() == pytest.approx(np.sqrt(1 / 300), rel=0.05)
    assert np.all(a.b1 == 0) and np.all(a.b2 == 0)
    s = nn.init_network(400, 300, 10, activation="sign", seed=5)
    assert s.W1.std() == pytest.approx(np.sqrt(1 / 400), rel=0.02)  # LeCun


@pytest.fixture(scope="module")
def digits_split():
    X, y = data.digits()
    return data.train_test_split(X, y, test_fraction=0.25, seed=0)


def test_training_is_deterministic(digits_split):
    X_tr, X_te, y_tr, y_te = digits_split
    net = nn.init_network(64, 16, 10, seed=1)
    before = net.params.copy()
    r1 = nn.train(net, X_tr, y_tr, epochs=3, lr=0.05, momentum=0.5, seed=2)
    r2 = nn.train(net, X_tr, y_tr, epochs=3, lr=0.05, momentum=0.5, seed=2)
    r3 = nn.train(net, X_tr, y_tr, epochs=3, lr=0.05, momentum=0.5, seed=3)
    assert np.array_equal(net.params, before)  # train does not modify its input
    assert np.array_equal(r1.params, r2.params) and np.array_equal(r1.train_loss, r2.train_loss)
    assert not np.allclose(r1.params, r3.params)
    assert np.array_equal(r1.initial_params, before)
    assert np.all(np.isnan(r1.test_loss))


def test_digits_width64_reaches_90_percent(digits_split):
    X_tr, X_te, y_tr, y_te = digits_split
    net = nn.init_network(64, 64, 10, seed=0)
    res = nn.train(net, X_tr, y_tr, epochs=20, batch_size=32, lr=0.01, momentum=0.9, seed=1, X_test=X_te, y_test=y_te)
    assert res.train_loss.shape == res.test_accuracy.shape == (21,)
    assert res.test_accuracy[0] < 0.3
    assert res.test_accuracy[-1] > 0.90, res.test_accuracy
    assert res.train_loss[-1] < 0.2 * res.train_loss[0]
    assert res.test_accuracy[-1] == pytest.approx(nn.accuracy(res.network, X_te, y_te))
    assert res.test_loss[-1] == pytest.approx(nn.loss(res.params, net, X_te, y_te))


def test_sign_network_learns_digits(digits_split):
    X_tr, X_te, y_tr, y_te = digits_split
    net = nn.init_network(64, 64, 10, activation="sign", seed=0)
    res = nn.train(net, X_tr, y_tr, epochs=10, lr=0.01, momentum=0.9, seed=1, X_test=X_te, y_test=y_te)
    assert res.test_accuracy[-1] > 0.8


def test_mse_regression_recovers_linear_target():
    rng = np.random.default_rng(4)
    A = rng.normal(size=(3, 2))
    c = np.array([0.5, -1.0])
    X = rng.normal(size=(600, 3))
    Y = X @ A + c
    net = nn.init_network(3, 32, 2, loss="mse", seed=0)
    start = nn.loss(net.params, net, X, Y)
    res = nn.train(net, X, Y, epochs=100, batch_size=32, lr=0.01, momentum=0.9, seed=1)
    assert np.isnan(res.train_accuracy).all()
    assert res.train_loss[-1] < 1e-3 * start
    X_new = rng.normal(size=(200, 3))
    error = nn.predict(res.network, X_new) - (X_new @ A + c)
    assert np.sqrt(np.mean(error**2)) < 0.02 * np.std(X_new @ A)  # fresh points, same distribution
    # the best affine fit to the trained network's outputs recovers A and c
    design = np.hstack([X_new, np.ones((200, 1))])
    coef = np.linalg.lstsq(design, nn.predict(res.network, X_new), rcond=None)[0]
    np.testing.assert_allclose(coef[:3], A, atol=0.03)
    np.testing.assert_allclose(coef[3], c, atol=0.03)


def test_mse_one_output_accepts_1d_targets():
    X = np.linspace(-1, 1, 50)[:, None]
    net = nn.init_network(1, 8, 1, loss="mse", seed=0)
    assert nn.loss(net.params, net, X, 2 * X[:, 0]) == pytest.approx(nn.loss(net.params, net, X, 2 * X))


def test_last_partial_batch_matches_python_loop(digits_split):
    X_tr, _, y_tr, _ = digits_split
    X, y = X_tr[:70], y_tr[:70]  # 70 = 2 * 32 + 6
    net = nn.init_network(64, 8, 10, seed=0)
    res = nn.train(net, X, y, epochs=2, batch_size=32, lr=0.1, momentum=0.5, seed=9)
    rng = np.random.default_rng(np.random.SeedSequence(9))
    params, velocity = net.params.copy(), np.zeros(net.n_params)
    for _ in range(2):
        order = rng.permutation(70)
        for start in range(0, 70, 32):
            rows = order[start : start + 32]
            _, grad = nn.loss_and_grad(params, net, X[rows], y[rows])
            velocity = 0.5 * velocity + grad
            params = params - 0.1 * velocity
    np.testing.assert_allclose(res.params, params, rtol=1e-12, atol=1e-14)


def test_save_load_roundtrip(tmp_path, digits_split):
    X_tr, _, y_tr, _ = digits_split
    res = nn.train(nn.init_network(64, 4, 10, seed=0), X_tr, y_tr, epochs=1, seed=0)
    res.save(tmp_path / "r.npz")
    back = nn.TrainResult.load(tmp_path / "r.npz")
    assert back.activation == "relu" and back.epochs == 1 and isinstance(back.lr, float)
    assert np.array_equal(back.params, res.params)


def test_train_many_identical_serial_and_process_pool(digits_split):
    X_tr, X_te, y_tr, y_te = digits_split
    kwargs = dict(width=8, epochs=2, lr=0.05, seed=11, X_test=X_te, y_test=y_te)
    serial = nn.train_many(3, X_tr, y_tr, executor="serial", **kwargs)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = nn.train_many(3, X_tr, y_tr, executor=pool, **kwargs)
    for a, b in zip(serial, pooled, strict=True):
        assert np.array_equal(a.params, b.params)
        assert np.array_equal(a.test_accuracy, b.test_accuracy)
    assert not np.allclose(serial[0].initial_params, serial[1].initial_params)
    assert serial[0].n_out == 10


def test_kernel_codes_are_the_documented_ones():
    assert (_kernels.RELU, _kernels.SIGN, _kernels.CROSS_ENTROPY, _kernels.MSE) == (0, 1, 0, 1)


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        (dict(n_in=0, width=4, n_out=2), ValueError, "n_in"),
        (dict(n_in=3, width=2.5, n_out=2), TypeError, "width"),
        (dict(n_in=3, width=4, n_out=1), ValueError, "n_out"),
        (dict(n_in=3, width=4, n_out=2, activation="tanh"), ValueError, "activation"),
        (dict(n_in=3, width=4, n_out=2, loss="hinge"), ValueError, "loss"),
        (dict(n_in=3, width=4, n_out=2, seed=-1), ValueError, "seed"),
    ],
)
def test_init_network_rejects_bad_arguments(kwargs, error, word):
    with pytest.raises(error, match=word):
        nn.init_network(**kwargs)


def test_bad_inputs_raise_clear_errors():
    net = nn.init_network(3, 4, 2, seed=0)
    X, y = np.zeros((5, 3)), np.zeros(5, dtype=int)
    with pytest.raises(ValueError, match="params"):
        nn.loss(np.zeros(7), net, X, y)
    with pytest.raises(TypeError, match="params"):
        nn.loss(list(net.params), net, X, y)
    with pytest.raises(ValueError, match="params"):
        nn.loss(np.full(net.n_params, np.nan), net, X, y)
    with pytest.raises(TypeError, match="net"):
        nn.loss(net.params, "net", X, y)
    with pytest.raises(ValueError, match=r"X must have shape \(n, 3\)"):
        nn.loss(net.params, net, np.zeros((5, 4)), y)
    with pytest.raises(ValueError, match="X must contain only finite"):
        nn.loss(net.params, net, np.full((5, 3), np.inf), y)
    with pytest.raises(ValueError, match="y must have 5 rows"):
        nn.loss(net.params, net, X, y[:4])
    with pytest.raises(ValueError, match="class labels in"):
        nn.loss(net.params, net, X, y + 2)
    with pytest.raises(TypeError, match="integer array of class labels"):
        nn.loss(net.params, net, X, np.zeros(5))
    with pytest.raises(ValueError, match="name"):
        net.view("W3")
    with pytest.raises(TypeError, match="float64"):
        net.view("W1", np.zeros(net.n_params, dtype=np.float32))
    with pytest.raises(ValueError, match="params must have shape"):
        net.view("W1", np.zeros(3))
    with pytest.raises(ValueError, match="epochs"):
        nn.train(net, X, y, epochs=-1)
    with pytest.raises(ValueError, match="batch_size"):
        nn.train(net, X, y, epochs=1, batch_size=0)
    with pytest.raises(ValueError, match="lr"):
        nn.train(net, X, y, epochs=1, lr=0.0)
    with pytest.raises(ValueError, match="momentum"):
        nn.train(net, X, y, epochs=1, momentum=1.0)
    with pytest.raises(ValueError, match="X_test and y_test"):
        nn.train(net, X, y, epochs=1, X_test=X)
    with pytest.raises(ValueError, match="X_test"):
        nn.train(net, X, y, epochs=1, X_test=np.zeros((2, 5)), y_test=y[:2])
    with pytest.raises(FloatingPointError, match="lr"):
        diverging = nn.init_network(3, 4, 1, activation="sign", loss="mse", seed=0)
        nn.train(diverging, X, np.ones(5), epochs=200, lr=1e3)
    with pytest.raises(TypeError, match="y must be a 1-d integer"):
        nn.accuracy(nn.init_network(3, 4, 2, loss="mse", seed=0), X, np.zeros((5, 2)))
    with pytest.raises(ValueError, match="n_networks"):
        nn.train_many(0, X, y, width=4, epochs=1)
    with pytest.raises(ValueError, match="lr"):
        nn.train_many(2, X, np.array([0, 1, 0, 1, 0]), width=4, epochs=1, lr=-1.0, executor="serial")
    with pytest.raises(ValueError, match="shape"):
        nn.Network(3, 4, 2, "relu", "cross_entropy", np.zeros(5))
