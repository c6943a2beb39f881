"""Tests of Hopfield patterns, couplings, energies and the Numba retrieval dynamics."""

from __future__ import annotations

import numpy as np
import pytest

from spinlab import exact, models
from spinlab import hopfield as hf


def test_patterns_priors():
    xi = hf.patterns(2000, 50, seed=1)
    assert xi.shape == (50, 2000) and set(np.unique(xi)) == {-1.0, 1.0}
    # mean 0, variance 1 within 5 standard errors (1e5 entries; Var of xi^2 is 2 for Gaussian entries)
    for prior in ("gaussian", 0.4):
        x = hf.patterns(2000, 50, seed=2, prior=prior).ravel()
        assert abs(x.mean()) < 5 / np.sqrt(x.size)
        assert abs(np.mean(x * x) - 1) < 5 * np.sqrt(2 / x.size)
    np.testing.assert_array_equal(hf.patterns(30, 3, seed=5), hf.patterns(30, 3, seed=5))


def test_hebbian_and_energy_agree_with_the_dense_model():
    xi = hf.patterns(9, 3, seed=3, prior=0.5)
    J = hf.hebbian(xi)
    assert np.allclose(J, J.T) and np.all(np.diag(J) == 0)
    manual = sum(np.outer(x, x) for x in xi) / 9
    np.testing.assert_allclose(J - manual, -np.diag(np.diag(manual)), atol=1e-15)
    model = models.from_couplings(J)
    codes = np.arange(2**9)
    spins = exact.codes_to_spins(codes, 9)
    np.testing.assert_allclose(hf.energy(spins, xi) * 9, exact.enumerate_energies(model)[codes], atol=1e-12)


def test_cue_and_determinism():
    xi = hf.patterns(500, 10, seed=1)
    a = hf.recall(xi, 0.4, 20, noise=0.2, replicas=3, seed=7)
    b = hf.recall(xi, 0.4, 20, noise=0.2, replicas=3, seed=7)
    np.testing.assert_array_equal(a.overlaps, b.overlaps)
    np.testing.assert_array_equal(a.spins, b.spins)
    np.testing.assert_allclose(a.overlaps[:, 0, 0], 1 - 2 * 0.2)  # exactly 100 flipped spins
    assert not np.array_equal(a.overlaps, hf.recall(xi, 0.4, 20, noise=0.2, replicas=3, seed=8).overlaps)
    # overlaps recorded by the kernel equal those of the final configuration
    np.testing.assert_allclose(a.overlaps[:, -1], a.spins @ xi.T / 500, atol=1e-12)
    sparse = hf.recall(xi, 0.4, 20, record_every=5, seed=7)
    assert sparse.times.tolist() == [0, 5, 10, 15, 20]


def test_zero_temperature_dynamics_descends_to_a_local_minimum():
    xi = hf.patterns(300, 45, seed=4)  # alpha = 0.15: the cue relaxes to a nearby local minimum
    run = hf.recall(xi, 0.0, 40, noise=0.3, replicas=4, seed=5)
    # e = -(1/2) sum_mu m_mu^2 + const: non-increasing along the run
    e = -0.5 * np.sum(run.overlaps**2, axis=2)
    assert np.all(np.diff(e, axis=1) <= 1e-12)
    fields = run.spins @ hf.hebbian(xi)
    assert np.all(run.spins * fields >= 0)  # every spin aligned with its local field


@pytest.mark.parametrize("rule", ["glauber", "metropolis"])
def test_stationary_distribution_is_boltzmann(rule):
    # N = 8, P = 2: distribution of (N m_1, N m_2) against exact enumeration; 48 independent chains give
    # per-cell standard errors, every cell within 5 of them
    n, T = 8, 0.8
    xi = hf.patterns(n, 2, seed=11)
    energies = exact.enumerate_energies(models.from_couplings(hf.hebbian(xi)))
    spins = exact.codes_to_spins(np.arange(2**n), n)
    weights = np.exp(-(energies - energies.min()) / T)
    weights /= weights.sum()
    cells = [tuple(c) for c in np.rint(spins @ xi.T).astype(int)]
    keys = sorted(set(cells))
    exact_p = np.array([weights[[c == k for c in cells]].sum() for k in keys])
    run = hf.recall(xi, T, 3000, noise=0.5, rule=rule, replicas=48, record_every=2, seed=12)
    big_m = np.rint(run.overlaps[:, 50:] * n).astype(int)
    hist = np.array([[np.mean((r[:, 0] == k[0]) & (r[:, 1] == k[1])) for k in keys] for r in big_m])
    mean = hist.mean(axis=0)
    err = hist.std(axis=0, ddof=1) / np.sqrt(hist.shape[0])
    assert np.all(np.abs(mean - exact_p) < 5 * err)


def test_monte_carlo_retrieval_at_zero_temperature():
    # N = 1000 from a 10% cue: alpha = 0.05 is deep in the retrieval phase (RS m = 0.99999, all samples > 0.9);
    # alpha = 0.2 is far above alpha_c = 0.138: no retrieval state, the run ends in a spin-glass-like minimum with
    # a remnant overlap about 0.37 +- 0.07 per sample (measured), so a mean of 6 samples below 0.5 leaves a margin
    # of over 4 standard errors
    high, _ = hf.recall_overlaps(1000, [0.05], 0.0, samples=6, sweeps=30, seed=21)
    assert high[0] > 0.9
    finals = [hf.recall(hf.patterns(1000, 200, seed=s), 0.0, 30, seed=100 + s).final[0] for s in range(6)]
    assert min(hf.recall(hf.patterns(1000, 50, seed=s), 0.0, 30, seed=s).final[0] for s in range(6)) > 0.9
    assert np.mean(finals) < 0.5


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: hf.patterns(0, 3), ValueError, "n"),
        (lambda: hf.patterns(10, 2.0), TypeError, "P"),
        (lambda: hf.patterns(10, 2, prior="ternary"), ValueError, "prior"),
        (lambda: hf.hebbian(np.ones(5)), ValueError, "xi"),
        (lambda: hf.hebbian("xi"), TypeError, "xi"),
        (lambda: hf.hebbian([[1.0, np.nan]]), ValueError, "finite"),
        (lambda: hf.energy(np.zeros(4), np.ones((1, 4))), ValueError, "spins"),
        (lambda: hf.recall(np.ones((1, 4)), -1.0, 5), ValueError, "T"),
        (lambda: hf.recall(np.ones((1, 4)), 1.0, 0), ValueError, "sweeps"),
        (lambda: hf.recall(np.ones((1, 4)), 1.0, 5, rule="heat"), ValueError, "rule"),
        (lambda: hf.recall(np.ones((1, 4)), 1.0, 5, cue=1), ValueError, "cue"),
        (lambda: hf.recall(np.ones((1, 4)), 1.0, 5, noise=1.5), ValueError, "noise"),
        (lambda: hf.recall(np.ones((1, 4)), 1.0, 5, record_every=6), ValueError, "record_every"),
        (lambda: hf.recall(np.ones((1, 4)), 1.0, 5, initial=np.ones(3)), ValueError, "initial"),
        (lambda: hf.recall(np.ones((1, 4)), 1.0, 5, replicas=2, initial=np.ones((3, 4))), ValueError, "initial"),
        (lambda: hf.recall_overlaps(10, [0.1], 0.0, samples=1), ValueError, "samples"),
        (lambda: hf.recall_overlaps(10, [-0.1], 0.0), ValueError, "alphas"),
        (lambda: hf.recall_overlaps(10, [0.1], 0.5, sweeps=5, window=6), ValueError, "window"),
    ],
)
def test_validation(call, error, word):
    with pytest.raises(error, match=word):
        call()
