"""Flatness at fixed radius and the batch-size / learning-rate scan of sharpness against generalisation."""

from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest

from spinlab import landscape as ls
from spinlab import nn
from spinlab._rng import seed_sequence


@pytest.mark.parametrize("mode", ls.MODES)
def test_flatness_is_the_mean_rise_along_the_seeded_directions(trained, digits_small, mode):
    X, y, _, _ = digits_small
    f = ls.flatness(trained, X, y, radius=0.7, n_directions=5, mode=mode, seed=3)
    rng = np.random.default_rng(seed_sequence(3))
    base = nn.loss(trained.params, trained, X, y)
    for k in range(5):
        xi = rng.standard_normal(trained.n_params)
        if mode == "isotropic":
            d = xi / np.linalg.norm(xi)
        else:
            d = np.concatenate(
                [xi[s] * np.linalg.norm(trained.params[s]) / np.linalg.norm(xi[s]) for s in trained.slices().values()]
            )
        assert f.rises[k] == pytest.approx(nn.loss(trained.params + 0.7 * d, trained, X, y) - base, abs=1e-12)
    assert f.rise == pytest.approx(f.rises.mean()) and f.error == pytest.approx(f.rises.std(ddof=1) / np.sqrt(5))


def test_random_direction_norms(trained):
    d = ls.random_direction(trained, seed=1)
    assert np.linalg.norm(d) == pytest.approx(1.0)
    d = ls.random_direction(trained, mode="layer", seed=1)
    for s in trained.slices().values():
        assert np.linalg.norm(d[s]) == pytest.approx(np.linalg.norm(trained.params[s]))


def test_random_unit_directions_average_the_curvature_to_the_mean_eigenvalue(tiny):
    """E[d^T H d] = tr H / D for uniformly random unit vectors d: the basis of the quadratic walk prediction."""
    net, X, y = tiny
    H = ls.hessian_matrix(net, X, y)
    samples = []
    for k in range(3000):
        d = ls.random_direction(net, seed=k)
        samples.append(d @ H @ d)
    samples = np.array(samples)
    # 5 standard errors of the mean of 3000 independent draws
    assert abs(samples.mean() - np.trace(H) / net.n_params) < 5 * samples.std(ddof=1) / np.sqrt(samples.size)


def test_flatness_grows_quadratically_at_large_radius(trained, digits_small):
    X, y, _, _ = digits_small
    r1 = ls.flatness(trained, X, y, radius=2.0, n_directions=32, seed=4)
    r2 = ls.flatness(trained, X, y, radius=4.0, n_directions=32, seed=4)
    # same directions: beyond the gradient term the rise is ~ r^2 tr H / (2D), 4x from r = 2 to 4
    assert 2.0 < r2.rise / r1.rise < 6.0


def _scan(executor="serial", epochs=3, seed=0):
    X, y = nn.data.digits()
    return ls.ruggedness_scan(
        X[:150], y[:150], X[150:250], y[150:250], width=6, epochs=epochs, batch_sizes=[4, 50], lrs=[0.05, 0.1],
        n_seeds=2, n_directions=3, n_probes=3, max_iter=10, seed=seed, executor=executor,
    )  # fmt: skip


def test_ruggedness_scan_shapes_consistency_and_determinism():
    scan = _scan()
    assert set(scan.values) == set(ls.MEASURES)
    for v in scan.values.values():
        assert v.shape == (2, 2, 2) and np.all(np.isfinite(v))
    np.testing.assert_allclose(
        scan.values["accuracy_gap"], scan.values["train_accuracy"] - scan.values["test_accuracy"]
    )
    assert scan.mean("trace").shape == (2, 2) and scan.error("trace").shape == (2, 2)
    again = _scan()
    for name in ls.MEASURES:
        assert np.array_equal(scan.values[name], again.values[name])
    assert not np.array_equal(scan.values["trace"], _scan(seed=1).values["trace"])


def test_scan_pairs_initialisations_across_configurations():
    """Without training every configuration measures the same initial networks with the same probes."""
    v = _scan(epochs=0).values
    for name in ls.MEASURES:
        assert np.all(v[name] == v[name][:1, :1])
    assert not np.all(v["trace"][..., 0] == v["trace"][..., 1])  # two different networks


def test_scan_is_independent_of_the_executor():
    with ProcessPoolExecutor(max_workers=2) as pool:
        parallel = _scan(executor=pool)
    serial = _scan()
    for name in ls.MEASURES:
        assert np.array_equal(parallel.values[name], serial.values[name])


def test_ruggedness_validation(trained, digits_small):
    X, y, Xt, yt = digits_small
    with pytest.raises(ValueError, match="radius"):
        ls.flatness(trained, X, y, radius=0.0)
    with pytest.raises(ValueError, match="n_directions"):
        ls.flatness(trained, X, y, radius=1.0, n_directions=0)
    with pytest.raises(ValueError, match="mode"):
        ls.flatness(trained, X, y, radius=1.0, mode="filter")
    kwargs = dict(width=4, epochs=1, executor="serial")
    with pytest.raises(ValueError, match="batch_sizes"):
        ls.ruggedness_scan(X, y, Xt, yt, batch_sizes=[0], **kwargs)
    with pytest.raises(ValueError, match="lrs"):
        ls.ruggedness_scan(X, y, Xt, yt, batch_sizes=[8], lrs=[-0.1], **kwargs)
    with pytest.raises(ValueError, match="n_probes"):
        ls.ruggedness_scan(X, y, Xt, yt, batch_sizes=[8], n_probes=1, **kwargs)
    with pytest.raises(TypeError, match="class labels"):
        ls.ruggedness_scan(X, y.astype(float), Xt, yt, batch_sizes=[8], **kwargs)
    with pytest.raises(ValueError, match="y_test"):
        ls.ruggedness_scan(X, y, Xt, yt[:3], batch_sizes=[8], **kwargs)
    with pytest.raises(ValueError, match="name"):
        ls.ruggedness_scan(X[:50], y[:50], Xt, yt, batch_sizes=[8], n_seeds=1, **kwargs).mean("sharpness")


def test_train_to_loss_without_reaching_the_target_is_nn_train(digits_small):
    X, y, _, _ = digits_small
    net = nn.init_network(64, 6, 10, seed=2)
    run = ls.train_to_loss(net, X, y, target=1e-9, max_epochs=4, batch_size=16, lr=0.1, check_every=3, seed=5)
    ref = nn.train(net, X, y, epochs=4, batch_size=16, lr=0.1, seed=5)
    assert not run.reached and np.array_equal(run.params, ref.params)
    assert run.steps == 4 * 13 and run.epochs == 4.0  # ceil(200 / 16) = 13 steps per epoch
    assert run.train_loss == pytest.approx(ref.train_loss[-1], abs=1e-12)


def test_train_to_loss_stops_at_the_first_check_below_the_target(digits_small):
    X, y, _, _ = digits_small
    net = nn.init_network(64, 6, 10, seed=2)
    ref = nn.train(net, X, y, epochs=40, batch_size=16, lr=0.1, momentum=0.5, seed=6)
    target = 0.5 * (ref.train_loss[10] + ref.train_loss[11])  # decreasing curve: first reached at epoch 11
    first = int(np.argmax(ref.train_loss <= target))
    # one check per epoch: the stopping point must be exactly the first epoch of nn.train below the target
    run = ls.train_to_loss(
        net, X, y, target=target, max_epochs=40, batch_size=16, lr=0.1, momentum=0.5, check_every=13, seed=6
    )
    assert run.reached and run.epochs == first and run.steps == 13 * first
    assert np.array_equal(run.params, nn.train(net, X, y, epochs=first, batch_size=16, lr=0.1, momentum=0.5,
                                               seed=6).params)  # fmt: skip
    # finer checks stop earlier or at the same point, never above the target
    fine = ls.train_to_loss(net, X, y, target=target, max_epochs=40, batch_size=16, lr=0.1, momentum=0.5, seed=6)
    assert fine.reached and fine.train_loss <= target and fine.steps <= run.steps and fine.check_every == 2
    start = ls.train_to_loss(net, X, y, target=10.0, max_epochs=5, seed=0)
    assert start.reached and start.steps == 0 and np.array_equal(start.params, net.params)


def test_scan_to_a_target_compares_minima_of_equal_depth():
    X, y = nn.data.digits()
    kwargs = dict(width=6, batch_sizes=[8, 100], lrs=[0.1], n_seeds=2, n_directions=2, n_probes=2, max_iter=5,
                  seed=3, executor="serial")  # fmt: skip
    fixed = ls.ruggedness_scan(X[:200], y[:200], X[200:300], y[200:300], epochs=5, **kwargs)
    # fixed epochs: ceil(200 / B) steps per epoch, so the large batch takes far fewer steps and stays higher
    np.testing.assert_array_equal(fixed.values["steps"][:, 0, 0], [5 * 25, 5 * 2])
    assert np.all(fixed.values["epochs"] == 5) and np.all(fixed.reached() == 1) and np.isnan(fixed.target_loss)
    assert np.all(fixed.values["train_loss"][1] > fixed.values["train_loss"][0])
    equal = ls.ruggedness_scan(X[:200], y[:200], X[200:300], y[200:300], epochs=2000, target_loss=0.3, **kwargs)
    loss = equal.values["train_loss"]
    assert np.all(equal.reached() == 1) and np.all(loss <= 0.3) and np.all(loss > 0.25)
    assert np.all(equal.values["epochs"][1] > equal.values["epochs"][0])


def test_train_to_loss_validation(digits_small):
    X, y, _, _ = digits_small
    net = nn.init_network(64, 6, 10, seed=2)
    with pytest.raises(ValueError, match="target"):
        ls.train_to_loss(net, X, y, target=0.0, max_epochs=1)
    with pytest.raises(ValueError, match="check_every"):
        ls.train_to_loss(net, X, y, target=0.1, max_epochs=1, check_every=0)
    with pytest.raises(ValueError, match="momentum"):
        ls.train_to_loss(net, X, y, target=0.1, max_epochs=1, momentum=1.0)
    with pytest.raises(ValueError, match="target_loss"):
        ls.ruggedness_scan(X, y, X, y, width=4, epochs=1, batch_sizes=[8], target_loss=-1.0, executor="serial")
