"""Random walks from a trained minimum: determinism, bookkeeping of steps and distances, Metropolis limits."""

import numpy as np
import pytest

from spinlab import landscape as ls
from spinlab import nn
from spinlab._rng import seed_sequence


def _replay(net, mode, step_size, n_steps, seed):
    """Positions of a free walk rebuilt from the documented proposal rule and random stream."""
    theta = net.params.copy()
    if mode == "isotropic":
        scales = np.full(theta.size, step_size / np.sqrt(theta.size))
    else:
        scales = np.empty(theta.size)
        for block in net.slices().values():
            scales[block] = step_size * np.linalg.norm(theta[block]) / np.sqrt(theta[block].size)
    rng = np.random.default_rng(seed_sequence(seed))
    positions = [theta.copy()]
    for _ in range(n_steps):
        theta = theta + scales * rng.standard_normal(theta.size)
        rng.random()
        positions.append(theta.copy())
    return np.array(positions)


@pytest.mark.parametrize("mode", ls.MODES)
def test_free_walk_distances_and_losses_match_replayed_positions(trained, digits_small, mode):
    X, y, _, _ = digits_small
    walk = ls.random_walk(trained, X, y, n_steps=40, step_size=0.05, mode=mode, seed=11)
    positions = _replay(trained, mode, 0.05, 40, 11)
    np.testing.assert_allclose(walk.distance, np.linalg.norm(positions - positions[0], axis=1), rtol=1e-12)
    np.testing.assert_allclose(walk.params, positions[-1], rtol=1e-12)
    losses = [nn.loss(p, trained, X, y) for p in positions[::10]]
    np.testing.assert_allclose(walk.train_loss[::10], losses, rtol=1e-12)
    assert walk.acceptance == 1.0 and walk.distance[0] == 0.0


def test_isotropic_step_length_is_step_size(trained, digits_small):
    X, y, _, _ = digits_small
    walk = ls.random_walk(trained, X, y, n_steps=50, step_size=0.3, seed=1)
    # |delta|^2 = 0.09 chi^2_D / D: the mean of 50 steps has relative sd sqrt(2 / (50 D)) = 0.3 %
    assert walk.step_length == pytest.approx(0.3, rel=0.02)
    # a free walk of n steps: E ||theta_n - theta_0||^2 = n step^2
    assert walk.distance[-1] ** 2 == pytest.approx(50 * 0.09, rel=0.5)


def test_layer_step_moves_every_block_by_the_relative_step(trained, digits_small):
    X, y, _, _ = digits_small
    walk = ls.random_walk(trained, X, y, n_steps=1, step_size=0.1, mode="layer", seed=2)
    for name in ("W1", "W2"):
        block = trained.slices()[name]
        change = np.linalg.norm(walk.params[block] - trained.params[block]) / np.linalg.norm(trained.params[block])
        assert change == pytest.approx(0.1, rel=0.15)  # chi over sqrt(n) with n >= 60 entries


def test_walk_is_deterministic_for_a_seed(trained, digits_small):
    X, y, Xt, yt = digits_small
    kwargs = dict(n_steps=30, step_size=0.1, temperature=0.01, X_test=Xt, y_test=yt)
    a = ls.random_walk(trained, X, y, seed=3, **kwargs)
    b = ls.random_walk(trained, X, y, seed=3, **kwargs)
    c = ls.random_walk(trained, X, y, seed=4, **kwargs)
    for name in ("distance", "train_loss", "test_loss", "test_accuracy", "params"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.train_loss, c.train_loss)
    assert np.all(np.isfinite(a.test_loss))


def test_metropolis_limits(trained, digits_small):
    X, y, _, _ = digits_small
    cold = ls.random_walk(trained, X, y, n_steps=60, step_size=0.5, temperature=1e-12, seed=5)
    assert np.all(np.diff(cold.train_loss) <= 0.0)  # only downhill moves survive at T -> 0
    assert cold.acceptance < 0.5
    hot = ls.random_walk(trained, X, y, n_steps=60, step_size=0.5, temperature=1e6, seed=5)
    free = ls.random_walk(trained, X, y, n_steps=60, step_size=0.5, seed=5)
    assert hot.acceptance == 1.0
    assert np.array_equal(hot.train_loss, free.train_loss)  # same proposals, all accepted


def test_escape_radius_is_first_crossing(trained, digits_small):
    X, y, _, _ = digits_small
    walk = ls.random_walk(trained, X, y, n_steps=200, step_size=0.3, threshold=0.2, seed=6)
    first = np.flatnonzero(walk.train_loss > walk.train_loss[0] + 0.2)
    assert first.size > 0
    assert walk.escape_radius == walk.distance[first[0]]
    assert np.all(walk.train_loss[: first[0]] <= walk.train_loss[0] + 0.2)
    assert np.isnan(ls.random_walk(trained, X, y, n_steps=3, step_size=1e-6, seed=6).escape_radius)
    assert np.isnan(walk.test_loss).all()


def test_correlation_steps_of_ar1_with_trend():
    rng = np.random.default_rng(0)
    x = np.zeros(40_000)
    for t in range(1, x.size):
        x[t] = np.exp(-1 / 8) * x[t - 1] + rng.standard_normal()
    trend = 1e-3 * np.arange(x.size)
    # rho(s) = exp(-s / 8); statistical error of the crossing at N = 40000 is a few per cent
    assert ls.correlation_steps(x + trend) == pytest.approx(8.0, rel=0.08)
    # white noise: rho(1) ~ 0 +- 0.005, the interpolated crossing is at 1 - 1/e
    assert ls.correlation_steps(rng.standard_normal(40_000)) == pytest.approx(1 - np.exp(-1), abs=0.02)


def test_walk_validation(trained, digits_small):
    X, y, Xt, yt = digits_small
    with pytest.raises(ValueError, match="step_size"):
        ls.random_walk(trained, X, y, n_steps=5, step_size=0.0)
    with pytest.raises(ValueError, match="mode"):
        ls.random_walk(trained, X, y, n_steps=5, step_size=0.1, mode="diagonal")
    with pytest.raises(ValueError, match="temperature"):
        ls.random_walk(trained, X, y, n_steps=5, step_size=0.1, temperature=-1.0)
    with pytest.raises(ValueError, match="n_steps"):
        ls.random_walk(trained, X, y, n_steps=0, step_size=0.1)
    with pytest.raises(ValueError, match="together"):
        ls.random_walk(trained, X, y, n_steps=5, step_size=0.1, X_test=Xt)
    with pytest.raises(ValueError, match="X must have shape"):
        ls.random_walk(trained, X[:, :5], y, n_steps=5, step_size=0.1)
