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
