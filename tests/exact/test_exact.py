import itertools

import numpy as np
import pytest

from spinlab import exact, models


def brute_force_energies(model):
    states = np.array(list(itertools.product([-1, 1], repeat=model.n)), dtype=np.int8)[:, ::-1]
    # row index of itertools.product with reversed columns == code with bit k <=> s_k = +1
    return model.energy(states) * model.n


@pytest.mark.parametrize("model", [models.sk(9, seed=1, h=0.1), models.ea(3, d=2, seed=2), models.ea(2, d=3, seed=4)])
def test_gray_code_matches_brute_force(model):
    assert np.allclose(exact.enumerate_energies(model), brute_force_energies(model))


def test_ground_state_degeneracy_known_cases():
    ising = exact.ground_state(models.ising2d(4))
    assert ising.energy == -2.0 and ising.degeneracy == 2
    # frustrated antiferromagnetic triangle: 6 ground states with energy -1/3 per spin... (E = -J * (-1) = -1 total)
    tri = models.from_couplings(-(np.ones((3, 3)) - np.eye(3)))
    gs = exact.ground_state(tri)
    assert gs.degeneracy == 6 and gs.energy == pytest.approx(-1.0 / 3)
    gauss = exact.ground_state(models.sk(14, seed=3))
    assert gauss.degeneracy == 2
    assert np.array_equal(gauss.states[0], -gauss.states[1])
    energies = brute_force_energies(models.sk(14, seed=3)) / 14
    assert gauss.energy == pytest.approx(energies.min(), abs=1e-12)


def test_thermo_two_spin_closed_form():
    m = models.from_couplings(np.array([[0, 1.0], [1.0, 0]]))
    T = np.array([0.3, 1.0, 4.0])
    th = exact.thermo(m, T)
    b = 1 / T
    # Z = 4 cosh(beta), E = -tanh(beta), per spin: /2
    assert np.allclose(th.free_energy, -T * np.log(4 * np.cosh(b)) / 2)
    assert np.allclose(th.energy, -np.tanh(b) / 2)
    assert np.allclose(th.specific_heat, b**2 / np.cosh(b) ** 2 / 2)
    assert np.allclose(th.entropy, (th.energy - th.free_energy) / T)


def test_thermo_consistency_derivatives():
    m = models.sk(10, seed=7)
    T = np.array([0.8, 0.8 + 1e-4])
    th = exact.thermo(m, T)
    # e = f + T s,  s = -df/dT,  c = de/dT
    assert -(th.free_energy[1] - th.free_energy[0]) / 1e-4 == pytest.approx(th.entropy.mean(), rel=1e-4)
    assert (th.energy[1] - th.energy[0]) / 1e-4 == pytest.approx(th.specific_heat.mean(), rel=1e-3)
    low = exact.thermo(m, 0.01)
    assert low.energy == pytest.approx(exact.ground_state(m).energy, abs=1e-9)


def test_overlap_distribution_matches_brute_force():
    m = models.sk(8, seed=11)
    T = 0.7
    e = brute_force_energies(m)
    w = np.exp(-(e - e.min()) / T)
    w /= w.sum()
    states = np.array(list(itertools.product([-1, 1], repeat=8)))[:, ::-1]
    q = states @ states.T / 8
    expected = np.array([w @ ((np.isclose(q, value)) @ w) for value in np.linspace(-1, 1, 9)])
    P = exact.overlap_distribution(m, T)
    assert np.allclose(P.q, np.linspace(-1, 1, 9))
    assert np.allclose(P.p, expected, atol=1e-12)
    assert P.p.sum() == pytest.approx(1.0)
    assert np.allclose(P.p, P.p[::-1])  # spin-flip symmetry at h = 0


def test_onsager_known_values():
    tc = exact.T_CRITICAL_2D
    assert tc == pytest.approx(2.269185, abs=1e-6)
    at_tc = exact.onsager(tc)
    assert at_tc.energy == pytest.approx(-np.sqrt(2), abs=1e-9)
    # free energy at Tc: -beta_c f = ln(2)/2 + 2G/pi (G = Catalan's constant)
    catalan = 0.915965594177219
    assert -at_tc.free_energy / tc == pytest.approx(np.log(2) / 2 + 2 * catalan / np.pi, abs=1e-9)
    low = exact.onsager(np.array([0.5, 2.0]))
    assert low.magnetization[1] == pytest.approx(0.911319377877496, abs=1e-9)
    assert low.energy[0] == pytest.approx(-2.0, abs=1e-6)
    assert exact.onsager(3.0).magnetization == 0.0
    high = exact.onsager(1000.0)
    assert high.entropy == pytest.approx(np.log(2), abs=1e-5)


def test_onsager_thermodynamic_identities():
    T = np.linspace(1.2, 3.5, 24)
    T = T[np.abs(T - exact.T_CRITICAL_2D) > 0.05]
    dT = 1e-5
    lo, hi = exact.onsager(T - dT), exact.onsager(T + dT)
    mid = exact.onsager(T)
    assert np.allclose((hi.energy - lo.energy) / (2 * dT), mid.specific_heat, rtol=1e-5, atol=1e-6)
    assert np.allclose(-(hi.free_energy - lo.free_energy) / (2 * dT), mid.entropy, rtol=1e-6, atol=1e-7)


def test_finite_lattice_approaches_onsager():
    # exact enumeration of a 4x4 periodic Ising lattice is close to the infinite lattice far from Tc
    th = exact.thermo(models.ising2d(4), np.array([1.0, 5.0]))
    ons = exact.onsager(np.array([1.0, 5.0]))
    assert th.energy[0] == pytest.approx(ons.energy[0], abs=1e-4)  # corrections ~ exp(-L/xi)
    assert th.energy[1] == pytest.approx(ons.energy[1], abs=0.05)  # high-T series converge slowly at L = 4
