"""LLG integrator: norm conservation, Lyapunov energy, energy conservation, exact precession, equivariance."""

import numpy as np
import pytest

from spinlab import metallic as m
from spinlab.metallic import _kernels


@pytest.fixture(scope="module")
def system():
    return m.random_system(48, seed=5)


def test_omega_reproduces_llg_right_hand_side():
    rng = np.random.default_rng(0)
    S = rng.standard_normal((20, 3))
    S /= np.linalg.norm(S, axis=1, keepdims=True)
    h = rng.standard_normal((20, 3))
    w = np.empty_like(S)
    _kernels.llg_omega(S, h, 0.3, w)
    rhs = -np.cross(S, h) - 0.3 * np.cross(S, np.cross(S, h))
    np.testing.assert_allclose(np.cross(w, S), rhs, atol=1e-14)


def test_norm_conserved_without_renormalisation(system):
    run = m.relax(system, m.random_spins(system.n, seed=6), alpha=0.2, dt=0.05, n_steps=1000, record_every=100)
    # each step is a rotation: |S| changes only by round-off (~1e-16 per step)
    assert run.norm_error < 1e-12
    assert np.max(np.abs(np.linalg.norm(run.spins, axis=1) - 1)) < 1e-12


@pytest.mark.parametrize("alpha", [0.05, 0.5, 2.0])
def test_energy_decreases_monotonically_with_damping(system, alpha):
    run = m.relax(system, m.random_spins(system.n, seed=6), alpha=alpha, dt=0.02, n_steps=600)
    assert np.all(np.diff(run.energies) < 0)
    assert run.energies[-1] < run.energies[0] - 0.05


def test_zero_damping_conserves_energy_to_second_order(system):
    S0 = m.random_spins(system.n, seed=6)
    drift = []
    for dt in (0.04, 0.02):
        run = m.relax(system, S0, alpha=0.0, dt=dt, n_steps=int(round(10 / dt)))
        drift.append(np.max(np.abs(run.energies - run.energies[0])))
    # bounded drift over t = 10 (|E| ~ 0.1) and at least second order in dt (measured: ratio ~ 8)
    assert drift[1] < 1e-7
    assert drift[0] / drift[1] > 4


def test_two_spin_precession_exact():
    """Two coupled moments at alpha = 0: S1 precesses about S1 + S2 (conserved) at rate J |S1 + S2|."""
    r = 1.1
    s = m.MetallicSystem(np.array([[0.0, 0.0, 0.0], [r, 0.0, 0.0]]), box=None, cutoff=2.0)
    J = np.cos(2 * r) / r**3
    S0 = np.array([[1.0, 0.0, 0.0], [np.cos(1.0), np.sin(1.0) * np.cos(0.4), np.sin(1.0) * np.sin(0.4)]])
    total = S0.sum(axis=0)
    t = 5.0
    k = total / np.linalg.norm(total)
    theta = J * np.linalg.norm(total) * t
    v = S0[0]
    exact = v * np.cos(theta) + np.cross(k, v) * np.sin(theta) + k * (k @ v) * (1 - np.cos(theta))
    errors = []
    for dt in (0.01, 0.005):
        run = m.relax(s, S0, alpha=0.0, dt=dt, n_steps=int(round(t / dt)))
        errors.append(np.linalg.norm(run.spins[0] - exact))
        np.testing.assert_allclose(run.spins.sum(axis=0), total, atol=1e-12)
    assert errors[1] < 1e-5
    assert 3.0 < errors[0] / errors[1] < 5.0  # second order


def test_dynamics_equivariant_under_spin_rotation(system):
    S0 = m.random_spins(system.n, seed=7)
    R = np.linalg.qr(np.random.default_rng(8).standard_normal((3, 3)))[0]
    R *= np.sign(np.linalg.det(R))
    a = m.relax(system, S0, alpha=0.3, n_steps=200)
    b = m.relax(system, S0 @ R.T, alpha=0.3, n_steps=200)
    np.testing.assert_allclose(b.spins, a.spins @ R.T, atol=1e-11)
    np.testing.assert_allclose(b.energies, a.energies, atol=1e-12)


def test_relax_records_and_leaves_input(system):
    S0 = m.random_spins(system.n, seed=9)
    keep = S0.copy()
    run = m.relax(system, S0, n_steps=25, record_every=10, dt=0.1)
    np.testing.assert_array_equal(S0, keep)
    np.testing.assert_allclose(run.times, [0.0, 1.0, 2.0, 2.5])
    assert np.isclose(run.energies[0], m.energy(system, S0), rtol=1e-13)
    assert np.isclose(run.energies[-1], m.energy(system, run.spins), rtol=1e-14)
    assert not run.learned


def test_snapshots_seeded_and_unit(system):
    a = m.snapshots(system, 3, max_steps=50, seed=1)
    b = m.snapshots(system, 3, max_steps=50, seed=1)
    np.testing.assert_array_equal(a, b)
    assert np.max(np.abs(np.linalg.norm(a, axis=-1) - 1)) < 1e-12
    # with max_steps = 0 the snapshots are the random starts themselves
    c = m.snapshots(system, 2, max_steps=0, seed=2)
    start = np.random.SeedSequence(2).spawn(2)[1].spawn(2)[0]
    np.testing.assert_array_equal(c[1], m.random_spins(system.n, seed=start))


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"alpha": -0.1}, ValueError),
        ({"dt": 0.0}, ValueError),
        ({"n_steps": -1}, ValueError),
        ({"record_every": 0}, ValueError),
        ({"model": "exact"}, TypeError),
    ],
)
def test_relax_validation(system, kwargs, exc):
    with pytest.raises(exc):
        m.relax(system, m.random_spins(system.n, seed=0), **kwargs)


def test_relax_rejects_batches(system):
    with pytest.raises(ValueError, match="one configuration"):
        m.relax(system, m.random_spins(system.n, n_configs=2, seed=0))
    with pytest.raises(ValueError):
        m.snapshots(system, 0)
