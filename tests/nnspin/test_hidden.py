"""TAP analysis: solutions at 1e-10 residual, melting by continuation, power-law fit."""

import numpy as np
import pytest

from spinlab import nnspin, tap
from spinlab.nn import data


def _mattis_plus_layers(seed=0, strength=3.0):
    """A layered network whose weights carry a planted rank-one pattern on top of random ones."""
    rng = np.random.default_rng(seed)
    widths = (10, 12, 8)
    xi = [np.sign(rng.standard_normal(w)) for w in widths]
    weights = [
        strength * np.outer(xi[k], xi[k + 1]) / np.sqrt(widths[k] * widths[k + 1])
        + rng.standard_normal((widths[k], widths[k + 1])) / np.sqrt(widths[k])
        for k in range(2)
    ]
    return weights, np.concatenate(xi)


def test_planted_pattern_melts_at_paramagnet_instability():
    weights, xi = _mattis_plus_layers()
    J = nnspin.bond_matrix(weights)
    T_para = nnspin.paramagnet_instability(J)
    D = np.diag(np.sum(J * J, axis=1))
    g = [np.linalg.eigvalsh(J / T - D / T**2)[-1] - 1 for T in (T_para, 1.01 * T_para, 0.99 * T_para)]
    assert abs(g[0]) < 1e-9 and g[1] < 0 < g[2]  # brute force: top Hessian eigenvalue crosses zero there
    grid = np.linspace(1.01 * T_para, 10 * T_para, 200)  # and nowhere above it
    assert all(np.linalg.eigvalsh(J / T - D / T**2)[-1] < 1 for T in grid)
    sols = tap.solve(J, 0.5 * T_para, starts=16, seed=1)
    hidden = sols.magnetizations[np.flatnonzero(sols.q > 1e-8)[0]]
    assert tap.residual(J, 0.5 * T_para, hidden) <= 1e-10
    assert abs(hidden @ xi) / (np.linalg.norm(hidden) * np.sqrt(xi.size)) > 0.7  # aligned with the plant
    melt = nnspin.melting_temperature(J, hidden, 0.5 * T_para)
    for T, m in zip(melt.temperatures, melt.magnetizations, strict=True):
        assert tap.residual(J, T, m) <= 1e-10
    assert melt.merged
    # continuous bifurcation from m = 0: the branch ends where the paramagnet loses stability
    assert melt.Tc == pytest.approx(T_para, rel=2e-3)
    assert np.all(np.diff(melt.q) < 0)


def test_paramagnet_instability_absent_for_random_couplings_and_exact_for_ferromagnet():
    model = nnspin.random_layered([30, 30], [1 / 30], seed=2)
    assert np.isnan(nnspin.paramagnet_instability(model.J))
    n = 9
    J = (np.ones((n, n)) - np.eye(n)) / (n - 1)
    # top eigenvalue 1, D = 1/(n-1): largest root of T^2 - T + 1/8 = 0
    assert nnspin.paramagnet_instability(J) == pytest.approx((1 + np.sqrt(0.5)) / 2, rel=1e-10)


def test_analyse_trained_network_and_determinism():
    X, y = data.digits()
    X = nnspin.pool_images(X, 8)
    res = nnspin.train_mlp(
        nnspin.init_mlp((16, 12, 10), activation="sign", seed=3), X, y, checkpoints=[0, 1500], lr=0.05, seed=4
    )
    first = nnspin.analyse_network(res.network(-1), X[:200], starts=8, seed=5)
    again = nnspin.analyse_network(res.network(-1), X[:200], starts=8, seed=5)
    assert first.n_solutions == again.n_solutions and np.array_equal(first.hidden, again.hidden, equal_nan=True)
    assert np.isfinite(first.Tc) and first.Tc > first.T
    assert tap.residual(nnspin.to_ising(res.network(-1)).J, first.T, first.hidden) <= 1e-10
    # random direction: E|cos| = sqrt(2 / (pi n)) = 0.13 for n = 38
    assert first.hidden_overlap > 0.2
    assert 0.0 < first.basin <= 1.0
    start = nnspin.analyse_network(res.network(0), X[:200], starts=8, seed=5)
    assert first.eigenvalues[-1] > start.eigenvalues[-1]


def test_task_overlap_and_patterns():
    net = nnspin.init_mlp((3, 4, 2), seed=0)
    P = nnspin.activation_patterns(net, np.random.default_rng(0).random((10, 3)))
    assert P.shape == (10, 9) and set(np.unique(P)) <= {-1, 1}
    assert nnspin.task_overlap(P[0].astype(float) * 0.3, P[:1]) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="paramagnet"):
        nnspin.task_overlap(np.zeros(9), P)


def test_power_law_fit_recovers_exponent_and_covers_it():
    rng = np.random.default_rng(6)
    t = np.geomspace(10, 1000, 8)
    Tc = 0.7 * t[None, :] ** 0.3 * np.exp(0.05 * rng.standard_normal((6, t.size)))
    fit = nnspin.fit_power_law(t, Tc, seed=1)
    assert fit.low < 0.3 < fit.high
    assert fit.exponent == pytest.approx(0.3, abs=0.05)
    with pytest.raises(ValueError, match="Tc must have shape"):
        nnspin.fit_power_law(t, Tc[:, :3])
    with pytest.raises(ValueError, match="at least one finite value"):
        nnspin.fit_power_law(t, np.full((2, t.size), np.nan))
    holes = Tc.copy()
    holes[0, :3] = np.nan  # a seed without hidden order early on: left out of those means only
    assert nnspin.fit_power_law(t, holes, seed=1).exponent == pytest.approx(0.3, abs=0.05)


def test_melting_validation():
    J = nnspin.bond_matrix([np.ones((2, 2))])
    with pytest.raises(ValueError, match="must solve the TAP equations"):
        nnspin.melting_temperature(J, np.full(4, 0.5), 0.5)
    with pytest.raises(ValueError, match="nothing to melt"):
        nnspin.melting_temperature(J, np.zeros(4), 0.5)
