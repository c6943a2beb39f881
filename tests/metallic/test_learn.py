"""Descriptors and the learned field model: brute force, invariance, equivariance, gradients, determinism."""

import numpy as np
import pytest

from spinlab import metallic as m
from spinlab.metallic import learn


def _rotation(seed, proper=True):
    R = np.linalg.qr(np.random.default_rng(seed).standard_normal((3, 3)))[0]
    R *= np.sign(np.linalg.det(R))
    return R if proper else -R


@pytest.fixture(scope="module")
def system():
    return m.random_system(48, seed=5)


@pytest.fixture(scope="module")
def cluster():
    """An open cluster: rotating its positions is an exact symmetry."""
    return m.random_system(40, density=0.1, periodic=False, seed=6)


@pytest.fixture(scope="module")
def pair_model(system):
    return m.fit_field_model(system, m.snapshots(system, 4, seed=1), environment=False, seed=0)


@pytest.fixture(scope="module")
def env_model(system):
    return m.fit_field_model(system, m.snapshots(system, 2, seed=1), environment=True, max_iter=40, seed=0)


def test_descriptors_brute_force():
    s = m.random_system(12, density=0.05, periodic=False, seed=2)
    S = m.random_spins(12, seed=3)
    rc, M = 3.0, 4
    mu = np.linspace(0, rc, M)
    sig = mu[1]
    G = m.descriptors(s, S, n_radial=M, cutoff=rc)
    expected = np.zeros_like(G)
    f = lambda r: 0.5 * (np.cos(np.pi * r / rc) + 1) * (r < rc)  # noqa: E731
    for i in range(12):
        nb = [j for j in range(12) if j != i and np.linalg.norm(s.positions[j] - s.positions[i]) < rc]
        for j in nb:
            rij = np.linalg.norm(s.positions[j] - s.positions[i])
            expected[i, :M] += S[i] @ S[j] * np.exp(-((rij - mu) ** 2) / (2 * sig**2)) * f(rij)
        for a, j in enumerate(nb):
            for k in nb[a + 1 :]:
                u, v = s.positions[j] - s.positions[i], s.positions[k] - s.positions[i]
                cos = u @ v / np.linalg.norm(u) / np.linalg.norm(v)
                w = f(np.linalg.norm(u)) * f(np.linalg.norm(v))
                expected[i, M] += S[j] @ S[k] * (1 + cos) / 2 * w
                expected[i, M + 1] += S[j] @ S[k] * (1 - cos) / 2 * w
                expected[i, M + 2] += (S[i] @ np.cross(S[j], S[k])) ** 2 * w
    np.testing.assert_allclose(G, expected, rtol=1e-12, atol=1e-14)
    assert np.count_nonzero(expected[:, M:]) > 12  # the cluster has neighbour triples


@pytest.mark.parametrize("proper", [True, False])
def test_descriptors_invariant_under_global_spin_rotation(system, proper):
    S = m.snapshots(system, 3, seed=4)
    R = _rotation(7, proper)
    np.testing.assert_allclose(m.descriptors(system, S @ R.T), m.descriptors(system, S), rtol=0, atol=1e-12)


def test_descriptors_invariant_under_rotation_of_positions_and_spins(cluster):
    S = m.random_spins(cluster.n, seed=8)
    R, Q = _rotation(9), _rotation(10)
    moved = m.MetallicSystem(cluster.positions @ Q.T + 3.0, box=None, cutoff=cluster.cutoff)
    np.testing.assert_allclose(m.descriptors(moved, S @ R.T), m.descriptors(cluster, S), rtol=0, atol=1e-12)


@pytest.mark.parametrize("which", ["pair_model", "env_model"])
def test_learned_fields_equivariant(request, system, which):
    model = request.getfixturevalue(which)
    S = m.snapshots(system, 2, seed=11)
    R = _rotation(12)
    np.testing.assert_allclose(model.predict(system, S @ R.T), model.predict(system, S) @ R.T, rtol=0, atol=1e-12)
    # time reversal: S -> -S flips the field
    np.testing.assert_allclose(model.predict(system, -S), -model.predict(system, S), rtol=0, atol=1e-15)


def test_learned_fields_invariant_under_rotation_of_positions(cluster):
    model = m.fit_field_model(cluster, m.snapshots(cluster, 2, seed=1), environment=True, max_iter=10, seed=0)
    S = m.random_spins(cluster.n, seed=13)
    R, Q = _rotation(14), _rotation(15)
    moved = m.MetallicSystem(cluster.positions @ Q.T - 1.0, box=None, cutoff=cluster.cutoff)
    np.testing.assert_allclose(model.predict(moved, S @ R.T), model.predict(cluster, S) @ R.T, rtol=0, atol=1e-12)


def test_pair_model_learns_rkky(system, pair_model):
    """Trained on field vectors only, the pair model's c(r) reproduces J(r); held-out R^2 ~ 0.99999."""
    test = m.snapshots(system, 4, seed=21)
    score = m.evaluate(pair_model, system, test)
    assert score.r2 > 0.999 and score.n_vectors == 4 * system.n
    coef = pair_model.coefficients(system, test)
    assert coef.shape == (1, system.n_pairs)
    rms_J = np.sqrt(np.mean(system.couplings**2))
    assert np.sqrt(np.mean((coef[0] - system.couplings) ** 2)) < 0.02 * rms_J
    # transfer to a new disorder realisation with the same statistics
    other = m.random_system(48, seed=99)
    assert m.evaluate(pair_model, other, m.snapshots(other, 2, seed=3)).r2 > 0.999
    assert pair_model.loss_history[-1] < 1e-3 * pair_model.loss_history[0]


def test_training_gradient_matches_finite_differences(system):
    spins = m.snapshots(system, 2, seed=1)
    for environment in (False, True):
        model = m.fit_field_model(system, spins, environment=environment, width=6, max_iter=0, seed=3)
        X, mask = learn._inputs(environment, model.n_radial, model.cutoff, system, spins)
        Xs = (X - model.x_mean) / model.x_std
        weight = np.ones((2, system.n, 1))
        weight[0, :5] = 0.0
        objective = learn._objective(model, Xs, mask, system, spins, m.local_fields(system, spins), weight)
        theta = model.net.params
        value, grad = objective(theta)
        rng = np.random.default_rng(4)
        for _ in range(4):
            d = rng.standard_normal(theta.size)
            eps = 1e-6
            fd = (objective(theta + eps * d)[0] - objective(theta - eps * d)[0]) / (2 * eps)
            assert np.isclose(grad @ d, fd, rtol=1e-5, atol=1e-10)


def test_sites_mask_ignores_unselected_targets(system):
    spins = m.snapshots(system, 2, seed=1)
    fields = m.local_fields(system, spins)
    sites = np.zeros((2, system.n), dtype=bool)
    sites[0, :20] = True
    noisy = fields.copy()
    noisy[~sites] += 10.0
    a = m.fit_field_model(system, spins, fields, sites=sites, environment=False, max_iter=15, seed=2)
    b = m.fit_field_model(system, spins, noisy, sites=sites, environment=False, max_iter=15, seed=2)
    np.testing.assert_array_equal(a.net.params, b.net.params)


def test_model_deterministic_for_seed(system):
    spins = m.snapshots(system, 2, seed=1)
    a = m.fit_field_model(system, spins, environment=True, max_iter=15, seed=5)
    b = m.fit_field_model(system, spins, environment=True, max_iter=15, seed=5)
    c = m.fit_field_model(system, spins, environment=True, max_iter=15, seed=6)
    np.testing.assert_array_equal(a.net.params, b.net.params)
    np.testing.assert_array_equal(a.loss_history, b.loss_history)
    assert not np.array_equal(a.net.params, c.net.params)


def test_relax_with_learned_fields(system, pair_model, env_model):
    S0 = m.random_spins(system.n, seed=30)
    exact = m.relax(system, S0, alpha=0.3, n_steps=300, record_every=50)
    learned = m.relax(system, S0, alpha=0.3, n_steps=300, record_every=50, model=pair_model)
    assert learned.learned and learned.norm_error < 1e-12
    # the pair model's field is conservative: exact-energy curves agree to the field error
    np.testing.assert_allclose(learned.energies, exact.energies, atol=2e-3)
    env = m.relax(system, S0, alpha=0.3, n_steps=20, model=env_model)
    assert env.energies[-1] < env.energies[0]


def test_learning_curve_shapes_and_nesting(system):
    train, test = m.snapshots(system, 2, seed=1), m.snapshots(system, 2, seed=2)
    lc = m.learning_curve(system, train, test, [3, 96], environment=False, max_iter=200, seed=1)
    assert lc.sizes.tolist() == [3, 96] and not lc.environment
    assert lc.rmse[1] < lc.rmse[0]  # 3 field vectors cannot pin down c(r); 96 do
    with pytest.raises(ValueError, match="sizes"):
        m.learning_curve(system, train, test, [0], environment=False)
    with pytest.raises(ValueError, match="sizes"):
        m.learning_curve(system, train, test, [2 * system.n + 1], environment=False)


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"environment": 1}, TypeError),
        ({"n_radial": 1}, ValueError),
        ({"width": 0}, ValueError),
        ({"max_iter": -1}, ValueError),
        ({"cutoff": 10.0}, ValueError),
        ({"sites": np.ones(3, dtype=bool)}, ValueError),
        ({"sites": np.zeros((2, 48), dtype=bool)}, ValueError),
        ({"fields": np.zeros((3, 48, 3))}, ValueError),
        ({"fields": np.full((2, 48, 3), np.nan)}, ValueError),
    ],
)
def test_fit_validation(system, kwargs, exc):
    with pytest.raises(exc):
        m.fit_field_model(system, m.snapshots(system, 2, seed=1, max_steps=0), **kwargs)


def test_model_use_validation(system, pair_model):
    small = m.random_system(48, cutoff=2.0, seed=1)
    with pytest.raises(ValueError, match="cutoff"):
        pair_model.predict(small, m.random_spins(48, seed=0))
    with pytest.raises(TypeError):
        m.evaluate("model", system, m.random_spins(48, seed=0))
    with pytest.raises(ValueError):
        m.descriptors(system, m.random_spins(48, seed=0), n_radial=1)
