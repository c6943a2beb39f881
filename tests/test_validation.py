"""Malformed inputs must raise clear errors that name the offending argument."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import spinlab
from spinlab import exact, mc, models

SK = models.sk(6, seed=0)
ISING = models.ising2d(4)

CASES = [
    (lambda: models.sk(1), ValueError, "n"),
    (lambda: models.sk(5.0), TypeError, "n"),
    (lambda: models.sk(True), TypeError, "n"),
    (lambda: models.sk(5, couplings="uniform"), ValueError, "couplings"),
    (lambda: models.sk(5, seed=-1), ValueError, "seed"),
    (lambda: models.sk(5, seed="abc"), TypeError, "seed"),
    (lambda: models.sk(5, h=np.ones(4)), ValueError, "h"),
    (lambda: models.sk(5, h=np.nan), ValueError, "h"),
    (lambda: models.ea(4, d=4), ValueError, "d"),
    (lambda: models.ea(1), ValueError, "L"),
    (lambda: models.ising2d("8"), TypeError, "L"),
    (lambda: models.from_couplings(np.ones((3, 4))), ValueError, "J"),
    (lambda: models.from_couplings(np.array([[0, 1.0], [2.0, 0]])), ValueError, "symmetric"),
    (lambda: models.from_couplings(np.array([[1.0, 1.0], [1.0, 0]])), ValueError, "diagonal"),
    (lambda: models.from_couplings(np.array([[0, np.inf], [np.inf, 0]])), ValueError, "finite"),
    (lambda: models.from_couplings(np.array([["a", "b"], ["b", "a"]])), TypeError, "J"),
    (lambda: models.from_couplings("J"), TypeError, "J"),
    (lambda: SK.energy(np.zeros(6)), ValueError, "spins"),
    (lambda: SK.energy(np.ones(5)), ValueError, "spins"),
    (lambda: SK.energy(np.ones((2, 2, 6))), ValueError, "spins"),
    (lambda: SK.local_fields(np.array(["1"] * 6)), TypeError, "spins"),
    (lambda: exact.ground_state(models.sk(27, seed=0)), ValueError, "model.n"),
    (lambda: exact.ground_state(np.zeros((3, 3))), TypeError, "model"),
    (lambda: exact.thermo(SK, 0.0), ValueError, "T"),
    (lambda: exact.thermo(SK, [1.0, -1.0]), ValueError, "T"),
    (lambda: exact.thermo(SK, np.array([])), ValueError, "T"),
    (lambda: exact.overlap_distribution(SK, float("nan")), ValueError, "T"),
    (lambda: exact.onsager("hot"), TypeError, "T"),
    (lambda: mc.metropolis(SK, -1.0, 10), ValueError, "T"),
    (lambda: mc.metropolis(SK, 1.0, 0), ValueError, "sweeps"),
    (lambda: mc.metropolis(SK, 1.0, 10, replicas=0), ValueError, "replicas"),
    (lambda: mc.metropolis(SK, 1.0, 10, rule="glauber"), ValueError, "rule"),
    (lambda: mc.metropolis(SK, 1.0, 10, order="backwards"), ValueError, "order"),
    (lambda: mc.metropolis(SK, 1.0, 10, initial="sideways"), ValueError, "initial"),
    (lambda: mc.metropolis(SK, 1.0, 10, initial=np.ones(5)), ValueError, "initial"),
    (lambda: mc.metropolis(SK, 1.0, 10, replicas=3, initial=np.ones((2, 6))), ValueError, "initial"),
    (lambda: mc.metropolis(SK.J, 1.0, 10), TypeError, "model"),
    (lambda: mc.metropolis(SK, 1.0, 10, record_spins="yes"), TypeError, "record_spins"),
    (lambda: mc.integrated_autocorrelation_time([1.0, 2.0]), ValueError, "series"),
    (lambda: mc.mean_and_error(np.ones(10), burn_in=-1), ValueError, "burn_in"),
]


@pytest.mark.parametrize(("call", "error", "word"), CASES)
def test_malformed_input_raises_named_error(call, error, word):
    with pytest.raises(error, match=word):
        call()


def test_at_least_twenty_cases():
    assert len(CASES) >= 20


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.floats(-1e6, 1e6), st.sampled_from([np.nan, np.inf, -np.inf, 0.0])), min_size=1, max_size=4)
)
def test_temperatures_are_positive_and_finite_or_rejected(values):
    arr = np.array(values)
    if np.all(np.isfinite(arr)) and np.all(arr >= 1e-300):
        assert np.all(np.isfinite(exact.thermo(models.sk(4, seed=1), arr).free_energy))
    else:
        with pytest.raises(ValueError, match="T"):
            exact.thermo(models.sk(4, seed=1), arr)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(-3, 3), min_size=6, max_size=6))
def test_spins_outside_pm1_rejected(values):
    arr = np.array(values)
    if np.all(np.abs(arr) == 1):
        assert np.isfinite(SK.energy(arr))
    else:
        with pytest.raises(ValueError, match="spins"):
            SK.energy(arr)


def test_version_exposed():
    assert spinlab.__version__
