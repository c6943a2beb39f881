"""Wolff and Metropolis samplers against Onsager's exact energy, exact enumeration and the Boltzmann law."""

import numpy as np
import pytest
from scipy import stats

from spinlab import exact
from spinlab.mc import mean_and_error
from spinlab.mlising import Samples, honeycomb, lattice, sample, square, triangular


@pytest.mark.parametrize(("sampler", "L"), [("wolff", 32), ("wolff", 16), ("metropolis", 24)])
def test_energy_matches_onsager(sampler, L):
    # Away from T_c the correlation length (< 5 at these T) is far below L: finite-size corrections are
    # exponentially small and the test compares with the infinite-lattice u(T) within 4 autocorrelation-
    # corrected standard errors.
    temps = np.array([1.8, 2.6, 3.2])
    run = sample(square(L), temps, 3000, sampler=sampler, seed=11)
    for k, T in enumerate(temps):
        mean, err = mean_and_error(run.energy[k])
        assert abs(mean - exact.onsager(T).energy) < 4 * err + 1e-4, (sampler, L, T, mean, err)


@pytest.mark.parametrize("sampler", ["wolff", "metropolis"])
@pytest.mark.parametrize(("name", "L"), [("triangular", 3), ("triangular", 4), ("honeycomb", 2), ("honeycomb", 3)])
def test_small_lattices_match_enumeration(sampler, name, L):
    lat = lattice(name, L)
    temps = lat.T_c * np.array([0.6, 1.0, 1.6])
    truth = exact.thermo(lat.to_model(), temps).energy
    run = sample(lat, temps, 20000, sampler=sampler, seed=5)
    for k in range(len(temps)):
        mean, err = mean_and_error(run.energy[k])
        assert abs(mean - truth[k]) < 4 * err + 1e-9, (name, L, temps[k], mean, err, truth[k])


def boltzmann_classes(lat, T):
    """Exact probabilities of the (energy, magnetisation) classes of a tiny lattice."""
    codes = np.arange(2**lat.n)
    spins = (2 * ((codes[:, None] >> np.arange(lat.n)) & 1) - 1).astype(np.int8)
    e = np.round(lat.energy(spins) * lat.n).astype(int)
    m = spins.sum(axis=1).astype(int)
    w = np.exp(-(e - e.min()) / T)
    return e, m, w / w.sum()


@pytest.mark.parametrize("sampler", ["wolff", "metropolis"])
def test_detailed_balance_distribution(sampler):
    # chi-square test of the sampled (E, M) classes of an 8-spin honeycomb lattice against the Boltzmann law;
    # classes with fewer than 10 expected counts are pooled. Three sweeps between records make them
    # nearly independent at this size; a correct sampler fails with probability 1e-4.
    lat = honeycomb(2)
    T = 1.4
    e, m, p = boltzmann_classes(lat, T)
    keys = e * 1000 + m
    classes, inverse = np.unique(keys, return_inverse=True)
    p_class = np.bincount(inverse, weights=p)
    run = sample(lat, [T], 20000, sampler=sampler, sweeps=3, seed=9)
    e_run = np.round(run.energy[0] * lat.n).astype(int)
    m_run = np.round(run.magnetization[0] * lat.n).astype(int)
    observed = np.array([np.sum(e_run * 1000 + m_run == key) for key in classes])
    assert observed.sum() == 20000  # every sampled state belongs to an allowed class
    expected = p_class * 20000
    big = expected >= 10
    obs = np.append(observed[big], observed[~big].sum())
    exp_ = np.append(expected[big], expected[~big].sum())
    chi2 = np.sum((obs - exp_) ** 2 / exp_)
    assert stats.chi2.sf(chi2, obs.size - 1) > 1e-4, (chi2, obs.size)


def test_determinism_and_independent_seeds():
    lat = triangular(6)
    a = sample(lat, [2.0, 5.0], 30, seed=3)
    b = sample(lat, [2.0, 5.0], 30, seed=3)
    c = sample(lat, [2.0, 5.0], 30, seed=4)
    assert np.array_equal(a.configs, b.configs) and np.array_equal(a.energy, b.energy)
    assert not np.array_equal(a.configs[1], c.configs[1])
    assert a.configs.dtype == np.int8 and set(np.unique(a.configs)) == {-1, 1}
    # recorded observables belong to the recorded configurations
    assert np.allclose(a.energy.ravel(), lat.energy(a.X))
    assert np.allclose(a.magnetization.ravel(), a.X.mean(axis=1))


def test_random_initial_state_equilibrates():
    # from a random start at T = 0.6 T_c the Wolff chain orders within the burn-in
    run = sample(square(16), [1.4], 50, initial="random", seed=2)
    assert np.all(np.abs(run.magnetization[0]) > 0.9)
    assert abs(run.energy[0].mean() - exact.onsager(1.4).energy) < 0.01  # std of the mean ~ 0.002


def test_global_flip_balances_the_sign_below_tc():
    run = sample(square(12), [1.2], 2000, sampler="metropolis", seed=1)
    frac = np.mean(run.magnetization[0] > 0)
    assert abs(frac - 0.5) < 4 * 0.5 / np.sqrt(2000)
    stuck = sample(square(12), [1.2], 200, sampler="metropolis", global_flip=False, seed=1)
    assert np.all(stuck.magnetization[0] > 0)  # single spin flips cannot reverse an ordered 12 x 12 lattice


def test_wolff_clusters_per_record_shrink_with_temperature():
    run = sample(square(16), [1.5, 2.27, 4.0], 10, seed=2)
    assert run.clusters_per_sample[0] <= run.clusters_per_sample[1] < run.clusters_per_sample[2]


def test_save_load_roundtrip(tmp_path):
    run = sample(honeycomb(3), [1.0, 2.0], 5, seed=0)
    run.save(tmp_path / "s.npz")
    back = Samples.load(tmp_path / "s.npz")
    assert np.array_equal(back.configs, run.configs)
    assert (back.lattice, back.L, back.sampler, back.seed) == ("honeycomb", 3, "wolff", 0)
    assert back.get_lattice().n == 18


def test_validation():
    lat = square(4)
    with pytest.raises(TypeError, match="lattice must be"):
        sample("square", [1.0], 5)
    with pytest.raises(ValueError, match="T must be"):
        sample(lat, -1.0, 5)
    with pytest.raises(ValueError, match="n_samples must be >= 1"):
        sample(lat, [1.0], 0)
    with pytest.raises(ValueError, match="sampler must be one of"):
        sample(lat, [1.0], 5, sampler="heatbath")
    with pytest.raises(ValueError, match="sweeps must be >= 1"):
        sample(lat, [1.0], 5, sweeps=0)
    with pytest.raises(ValueError, match="initial must be one of"):
        sample(lat, [1.0], 5, initial="down")
