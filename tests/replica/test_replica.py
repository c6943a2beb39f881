import numpy as np
import pytest

from spinlab import exact, mc, models, replica

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


@pytest.mark.slow
def test_krsb_ground_state_energies_converge_monotonically():
    energies = [replica.rs(0.0).energy] + [replica.parisi(0.0, k=k).energy for k in (1, 2, 3)]
    assert np.all(np.diff(energies) > 0)  # each extra step raises the energy towards E0
    assert energies[-1] < E0_PARISI
    assert energies[1] == pytest.approx(-0.768828, abs=2e-6)
    assert energies[-1] - E0_PARISI < 3e-4


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
        (lambda: replica.parisi(-0.1), ValueError),
        (lambda: replica.at_field(0.0), ValueError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
