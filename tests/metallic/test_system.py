"""Geometry, couplings, fields and energies of spinlab.metallic against closed forms and brute force."""

import numpy as np
import pytest

from spinlab import metallic as m


def test_rkky_closed_form():
    r = np.array([0.5, 1.0, np.pi / 2, 3.0])
    expected = 2.0 * np.cos(2 * 1.5 * r) / (1.5 * r) ** 3
    np.testing.assert_allclose(m.rkky_coupling(r, k_F=1.5, J0=2.0), expected, rtol=1e-15)
    # sign changes every pi / (2 k_F): J(pi/4) = 0 (node), J(pi/2) < 0, J(pi) > 0
    assert abs(m.rkky_coupling(np.pi / 4)) < 1e-15
    assert m.rkky_coupling(np.pi / 2) < 0 < m.rkky_coupling(np.pi)
    assert isinstance(m.rkky_coupling(1.0), float)


@pytest.mark.parametrize(
    "kwargs, exc",
    [
        ({"r": 0.0}, ValueError),
        ({"r": -1.0}, ValueError),
        ({"r": 1.0, "k_F": 0.0}, ValueError),
        ({"r": 1.0, "J0": "a"}, TypeError),
    ],
)
def test_rkky_validation(kwargs, exc):
    r = kwargs.pop("r")
    with pytest.raises(exc):
        m.rkky_coupling(r, **kwargs)


def _brute_neighbours(pos, box, cutoff):
    d = pos[None, :, :] - pos[:, None, :]
    if box is not None:
        d -= box * np.round(d / box)
    r = np.linalg.norm(d, axis=-1)
    np.fill_diagonal(r, np.inf)
    return r < cutoff, r


@pytest.mark.parametrize("periodic", [True, False])
def test_neighbour_list_matches_brute_force(periodic):
    s = m.random_system(40, density=0.1, cutoff=3.0, periodic=periodic, seed=3)
    close, r = _brute_neighbours(s.positions, s.box, s.cutoff)
    J = s.coupling_matrix()
    assert np.array_equal(J != 0, close)
    expected = np.where(close, np.cos(2 * np.where(close, r, 1.0)) / np.where(close, r, 1.0) ** 3, 0.0)
    np.testing.assert_allclose(J, expected, rtol=1e-13, atol=0)
    np.testing.assert_array_equal(J, J.T)
    rows = np.repeat(np.arange(s.n), np.diff(s.indptr))
    np.testing.assert_allclose(np.linalg.norm(s.vectors, axis=1), s.distances, rtol=1e-14)
    np.testing.assert_allclose(s.distances, r[rows, s.indices], rtol=1e-14)


def test_random_system_hard_core_and_seed():
    a = m.random_system(50, min_distance=1.2, seed=4)
    b = m.random_system(50, min_distance=1.2, seed=4)
    np.testing.assert_array_equal(a.positions, b.positions)
    _, r = _brute_neighbours(a.positions, a.box, np.inf)
    assert r.min() >= 1.2
    assert np.isclose(a.box**3, 50 / 0.08)
    assert np.all((a.positions >= 0) & (a.positions < a.box))


def test_fields_are_minus_energy_gradient():
    """h = -dH/dS for the total H = -1/2 S.(J S): central differences are exact for a quadratic H."""
    s = m.random_system(32, seed=1)
    S = m.random_spins(32, seed=2)
    J = s.coupling_matrix()

    def H(x):
        return -0.5 * np.sum(x * (J @ x))

    eps = 1e-3
    grad = np.empty_like(S)
    for i in range(s.n):
        for a in range(3):
            e = np.zeros_like(S)
            e[i, a] = eps
            grad[i, a] = (H(S + e) - H(S - e)) / (2 * eps)
    np.testing.assert_allclose(m.local_fields(s, S), -grad, atol=1e-11)
    assert np.isclose(m.energy(s, S), H(S) / s.n, rtol=1e-13)


def test_two_moments_closed_form():
    r = 1.3
    s = m.MetallicSystem(np.array([[0.0, 0.0, 0.0], [0.0, r, 0.0]]), box=None, cutoff=2.0)
    S = np.array([[1.0, 0.0, 0.0], [np.cos(0.7), np.sin(0.7), 0.0]])
    J = np.cos(2 * r) / r**3
    assert np.isclose(m.energy(s, S), -J * np.cos(0.7) / 2, rtol=1e-14)
    np.testing.assert_allclose(m.local_fields(s, S), J * S[::-1], rtol=1e-14)


def test_batches_match_single_configurations():
    s = m.random_system(32, seed=1)
    S = m.random_spins(32, n_configs=3, seed=5)
    h = m.local_fields(s, S)
    e = m.energy(s, S)
    for k in range(3):
        np.testing.assert_array_equal(h[k], m.local_fields(s, S[k]))
        assert e[k] == m.energy(s, S[k])


@pytest.mark.parametrize(
    "call, exc",
    [
        (lambda: m.MetallicSystem(np.zeros((4, 2)), box=None), ValueError),
        (lambda: m.MetallicSystem([[0, 0, 0], [1, 1, 1]], box=None), TypeError),
        (lambda: m.MetallicSystem(np.zeros((2, 3)), box=None), ValueError),
        (lambda: m.MetallicSystem(np.eye(3), box=4.0, cutoff=3.0), ValueError),
        (lambda: m.MetallicSystem(np.eye(3), box=-1.0), ValueError),
        (lambda: m.random_system(1), ValueError),
        (lambda: m.random_system(32, min_distance=5.0), ValueError),
        (lambda: m.random_system(32, periodic=1), TypeError),
        (lambda: m.random_spins(0), ValueError),
        (lambda: m.local_fields(np.eye(3), np.eye(3)), TypeError),
        (lambda: m.local_fields(m.random_system(32, seed=0), np.ones((32, 3))), ValueError),
        (lambda: m.energy(m.random_system(32, seed=0), np.ones((31, 3)) / np.sqrt(3)), ValueError),
    ],
)
def test_validation_errors(call, exc):
    with pytest.raises(exc):
        call()
