import importlib

import numpy as np
import pytest

from spinlab import exact, mc, models, replica

from . import reference_parisi

parisi_module = importlib.import_module("spinlab.replica.parisi")

E0_PARISI = -0.7631667  # Crisanti & Rizzo (2002); Schmidt & Oppermann (2008)


def test_rs_zero_temperature_closed_forms():
    sol = replica.rs(0.0)
    assert sol.energy == pytest.approx(-np.sqrt(2 / np.pi), abs=1e-12)
    assert sol.entropy == pytest.approx(-1 / (2 * np.pi), abs=1e-12)
    # the finite-T solution approaches the T = 0 limit (corrections O(T^2) in e, O(T) in s)
    low = replica.rs(1e-3)
    assert low.energy == pytest.approx(sol.energy, abs=1e-5)
    assert low.entropy == pytest.approx(sol.entropy, abs=2e-3)
    with_field = replica.rs(2e-3, 0.5)
    assert with_field.energy == pytest.approx(replica.rs(0.0, 0.5).energy, abs=1e-5)


def test_rs_paramagnet_and_thermodynamic_identities():
    T = 1.5
    para = replica.rs(T)
    assert para.q == 0.0
    assert para.free_energy == pytest.approx(-T * np.log(2) - 1 / (4 * T), abs=1e-12)
    assert para.energy == pytest.approx(-1 / (2 * T), abs=1e-12)
    # s = -df/dT and e = f + T s by finite differences, with and without field, below Tc too
    for T, h in ((0.6, 0.0), (0.8, 0.4), (1.3, 0.2)):
        dT = 1e-5
        f_hi, f_lo = replica.rs(T + dT, h).free_energy, replica.rs(T - dT, h).free_energy
        sol = replica.rs(T, h)
        assert -(f_hi - f_lo) / (2 * dT) == pytest.approx(sol.entropy, abs=1e-6)
        assert sol.free_energy + T * sol.entropy == pytest.approx(sol.energy, abs=1e-10)
        z = np.random.default_rng(0).standard_normal(400_000)
        assert np.mean(np.tanh((np.sqrt(sol.q) * z + h) / T) ** 2) == pytest.approx(sol.q, abs=5e-3)


def test_rs_matches_enumeration_and_monte_carlo_above_tc():
    T = 1.6
    rs_f = replica.rs(T).free_energy
    # quenched free energy of small samples (exact) approaches RS with O(1/N) corrections
    sizes = (8, 16)
    gaps = []
    for n in sizes:
        f = np.mean([exact.thermo(models.sk(n, seed=s), T).free_energy for s in range(40)])
        gaps.append(f - rs_f)
    assert abs(gaps[1]) < abs(gaps[0]) and abs(gaps[1]) < 0.05
    model = models.sk(256, seed=1)
    run = mc.metropolis(model, T, 3000, replicas=4, seed=2)
    e = run.energy[:, 500:].mean(axis=1)
    assert e.mean() == pytest.approx(replica.rs(T).energy, abs=4 * e.std(ddof=1) / 2 + 0.01)


def test_at_line():
    for T in (0.99, 0.995):
        h = replica.at_field(T)
        assert h**2 / (4 / 3 * (1 - T) ** 3) == pytest.approx(1.0, abs=0.02)
    ratios = [replica.at_field(T) ** 2 / (4 / 3 * (1 - T) ** 3) for T in (0.9, 0.95, 0.99)]
    assert ratios[0] > ratios[1] > ratios[2] > 1.0
    assert replica.at_field(1.2) == 0.0
    h = replica.at_field(0.5)
    assert not replica.rs(0.5, 0.9 * h).stable and replica.rs(0.5, 1.1 * h).stable
    assert replica.at_temperature(h) == pytest.approx(0.5, abs=1e-9)


def test_krsb_ground_state_energies_converge_monotonically():
    energies = [replica.rs(0.0).energy] + [replica.parisi(0.0, k=k).energy for k in range(1, 9)]
    assert np.all(np.diff(energies) > 0)  # each extra step raises the energy towards E0
    assert energies[-1] < E0_PARISI
    assert energies[1] == pytest.approx(-0.768828, abs=2e-6)
    assert energies[-1] - E0_PARISI < 1e-5


def test_full_rsb_ground_state_energy():
    full = replica.parisi(0.0, k="full")
    assert full.energy == pytest.approx(E0_PARISI, abs=1e-6)
    assert full.error < 1e-6 and abs(full.energy - E0_PARISI) < 1e-6
    assert [s.k for s in full.steps] == list(range(1, 9))
    # gamma(q) is increasing and grows without bound towards q = 1 (it diverges there at T = 0)
    assert np.all(np.diff(full.gamma) >= 0) and full.gamma[-1] > 4 * np.interp(0.5, full.q, full.gamma)
    values, weights = full.p_of_q()
    assert weights.sum() == pytest.approx(1.0) and weights[-1] == pytest.approx(1.0)


def test_full_rsb_at_finite_temperature():
    for T in (0.4, 0.7):
        full = replica.parisi(T, k="full")
        best_step = max(s.free_energy for s in full.steps)
        assert full.free_energy >= best_step - 1e-9  # the continuum lies beyond every k-step optimum
        assert full.free_energy - best_step < 1e-6
        values, weights = full.p_of_q()
        assert np.all(weights >= 0) and weights.sum() == pytest.approx(1.0)
        assert np.all(np.diff(full.x) >= 0) and 0 < full.x[-1] < 1
        # the top plateau q_max matches the largest k-step plateau and x(q_max) ~ its last step
        assert values[-1] == pytest.approx(full.steps[-1].q[-1], abs=1e-12)
        q_mid = full.q_of_x(np.array([0.5 * full.x[-1]]))
        assert 0 < q_mid[0] < values[-1]
    assert replica.parisi(1.2, k="full").free_energy == pytest.approx(replica.rs(1.2).free_energy, abs=1e-8)


def test_extrapolation_recovers_a_known_limit():
    k = np.arange(1, 9, dtype=float)
    limit, error = parisi_module._extrapolate(-0.5 + 0.03 * k**-4 - 0.01 * k**-5 + 0.002 * k**-6)
    assert limit == pytest.approx(-0.5, abs=1e-12) and error < 1e-12


@pytest.mark.parametrize(
    ("T", "h", "breaks", "mus"),
    [
        (0.0, 0.0, [0.5585, 0.9087], [0.3674, 1.1705, 3.548]),
        (0.5, 0.0, [0.2, 0.4, 0.6], [0.2, 0.6, 1.0, 2.0]),
        (0.5, 0.3, [0.1, 0.5, 0.7], [0.0, 0.4, 1.2, 2.0]),
        (0.0, 0.4, [0.3, 0.8], [0.0, 1.0, 3.0]),
        (0.1, 0.0, [0.6, 0.95], [1.5, 4.0, 10.0]),  # low T: the top function bends on the scale T
        (0.5, 0.0, [0.3, 0.3004, 0.6], [0.5, 0.7, 1.2, 2.0]),  # an unresolved (five-point) step
    ],
)
def test_fast_functional_matches_spline_reference(T, h, breaks, mus):
    fast = replica.functional(T, h, breaks, mus)
    assert fast == pytest.approx(reference_parisi.functional(T, h, np.array(breaks), np.array(mus)), abs=3e-9)


@pytest.mark.parametrize(("T", "h"), [(0.0, 0.0), (0.6, 0.0), (0.6, 0.4), (0.0, 0.5)])
def test_functional_gradient_matches_finite_differences(T, h):
    breaks = np.array([0.2, 0.55, 0.8]) if h else np.array([0.3, 0.7])
    mus = np.array([0.0, 0.6, 1.1, 2.5 if T == 0 else 1 / T]) if h else np.array([0.5, 1.3, 2.8 if T == 0 else 1 / T])
    f, grad_breaks, grad_mus = parisi_module._evaluate(T, h, breaks, mus)
    eps = 1e-6
    for j in range(breaks.size):
        up, down = breaks.copy(), breaks.copy()
        up[j] += eps
        down[j] -= eps
        fd = (parisi_module._evaluate(T, h, up, mus)[0] - parisi_module._evaluate(T, h, down, mus)[0]) / (2 * eps)
        assert grad_breaks[j] == pytest.approx(fd, abs=2e-7)
    free = range(1 if h else 0, mus.size - (1 if T > 0 else 0))  # x = 0 below q_0 and x = 1 on top are fixed
    for j in free:
        up, down = mus.copy(), mus.copy()
        up[j] += eps
        down[j] -= eps
        fd = (parisi_module._evaluate(T, h, breaks, up)[0] - parisi_module._evaluate(T, h, breaks, down)[0]) / (2 * eps)
        assert grad_mus[j] == pytest.approx(fd, abs=2e-7)


def test_krsb_collapses_to_rs_above_tc_and_beats_rs_below():
    for T in (1.0, 1.3):  # q -> 0 through a softmax parametrisation (and at Tc the optimum is quartic): 1e-3
        sol = replica.parisi(T, k=2)
        assert np.all(sol.q < 1e-3)
        assert sol.free_energy == pytest.approx(replica.rs(T).free_energy, abs=1e-7)
    low = replica.parisi(0.5, k=1)
    assert low.free_energy > replica.rs(0.5).free_energy  # the Parisi free energy is a maximum
    assert low.q[0] == 0.0 and 0 < low.x[0] < 1
    values, weights = low.p_of_q()
    assert weights.sum() == pytest.approx(1.0) and np.all(weights >= 0)


def test_finite_temperature_krsb_is_continuous_at_zero():
    zero = replica.parisi(0.0, k=1)
    cold = replica.parisi(0.02, k=1)
    assert cold.free_energy == pytest.approx(zero.free_energy, abs=2e-3)
    assert cold.energy == pytest.approx(zero.energy, abs=2e-3)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: replica.rs(-1.0), ValueError),
        (lambda: replica.rs("cold"), TypeError),
        (lambda: replica.parisi(0.5, k=0), ValueError),
        (lambda: replica.parisi(0.5, k="infinite"), ValueError),
        (lambda: replica.functional(0.5, 0.0, [0.5], [1.0]), ValueError),
        (lambda: replica.functional(0.5, 0.0, [0.6, 0.5], [1.0, 1.5, 2.0]), ValueError),
        (lambda: replica.parisi(-0.1), ValueError),
        (lambda: replica.at_field(0.0), ValueError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()


def test_k_power_fit_recovers_the_coefficients_and_checks_its_input():
    k = np.arange(2.0, 9.0)
    values = -0.7631667 + 0.02 * k**-4.0 - 0.01 * k**-5.0 + 0.003 * k**-6.0
    assert np.allclose(replica.k_power_fit(k, values), [-0.7631667, 0.02, -0.01, 0.003], atol=1e-9)
    assert np.allclose(replica.k_power_fit(k, 1.0 + k**-2.0, powers=(2,)), [1.0, 1.0])
    with pytest.raises(ValueError, match="at least as many k"):
        replica.k_power_fit(k[:3], values[:3])
    with pytest.raises(ValueError, match="one length"):
        replica.k_power_fit(k, values[:-1])
    with pytest.raises(ValueError, match="positive exponents"):
        replica.k_power_fit(k, values, powers=(0, 4))
    with pytest.raises(ValueError, match="k must be positive"):
        replica.k_power_fit(k - 2.0, values)
