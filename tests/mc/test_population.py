import numpy as np
import pytest

from spinlab import exact, mc, models

TEMPS = np.geomspace(3.0, 0.3, 30)


@pytest.fixture(scope="module")
def runs():
    model = models.sk(12, seed=5, h=0.1)
    return model, [mc.population_annealing(model, TEMPS, population=1000, sweeps=5, seed=s) for s in range(6)]


def test_free_energy_and_energy_match_enumeration(runs):
    # six independent runs: their mean against the exact value, with a Student-t (5 dof) allowance
    model, results = runs
    for k in (5, 15, 29):
        th = exact.thermo(model, TEMPS[k])
        for name, expected in (("free_energy", th.free_energy), ("energy", th.energy)):
            values = np.array([getattr(r, name)[k] for r in results])
            error = values.std(ddof=1) / np.sqrt(values.size)
            assert error < 5e-3, (name, k, error)  # the runs are precise enough for the check to bite
            assert abs(values.mean() - expected) < 5 * error + 1e-4, (name, k, values.mean(), expected)


def test_population_diagnostics_and_ground_state(runs):
    model, results = runs
    run = results[0]
    assert run.free_energy.shape == run.energy.shape == run.families.shape == (TEMPS.size,)
    assert np.all(np.diff(run.families) <= 0) and run.families[0] <= 1000
    assert np.all((run.effective_fraction > 0) & (run.effective_fraction <= 1))
    assert run.best_energy == pytest.approx(exact.ground_state(model).energy, abs=1e-12)
    assert model.energy(run.best_state) == pytest.approx(run.best_energy, abs=1e-12)
    assert run.spins.shape == (1000, 12)


def test_same_seed_same_run_and_validation():
    model = models.ea(3, d=2, seed=1)
    a = mc.population_annealing(model, [2.0, 1.0], population=50, sweeps=2, seed=9)
    b = mc.population_annealing(model, [2.0, 1.0], population=50, sweeps=2, seed=9)
    assert np.array_equal(a.spins, b.spins) and np.array_equal(a.log_partition, b.log_partition)
    with pytest.raises(ValueError, match="decrease"):
        mc.population_annealing(model, [1.0, 2.0])
    with pytest.raises(ValueError, match="population"):
        mc.population_annealing(model, [1.0], population=1)


def test_resampling_keeps_expected_copies():
    # systematic resampling: replica i gets floor or ceil of R w_i / sum(w) copies
    from spinlab.mc.population import _systematic_resample

    weights = np.random.default_rng(2).exponential(size=200)
    for uniform in (0.0, 0.37, 0.999):
        copies = np.bincount(_systematic_resample(weights, uniform), minlength=200)
        expected = 200 * weights / weights.sum()
        assert copies.sum() == 200 and np.all(np.abs(copies - expected) < 1)
