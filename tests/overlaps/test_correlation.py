import numpy as np
import pytest

from spinlab.overlaps.correlation import correlation_length, fourier_susceptibilities


def test_plane_wave_overlap_field():
    # q_i = cos-like pattern along x only: chi(k_min) picks it up along x, not along y
    L = 8
    x = np.arange(L * L) % L
    pattern = np.where(np.cos(2 * np.pi * x / L) >= 0, 1, -1).astype(np.int8)
    ones = np.ones((2, L * L), dtype=np.int8)
    chi0, chik = fourier_susceptibilities(ones, np.tile(pattern, (2, 1)), L, 2)
    assert chi0 == pytest.approx(0.0, abs=1e-12)
    assert chik > 1.0


def test_uncorrelated_overlap_field_has_zero_length():
    rng = np.random.default_rng(1)
    L, d = 6, 3
    pairs = np.array([fourier_susceptibilities(*rng.choice([-1, 1], size=(2, 400, L**d)), L, d) for _ in range(30)])
    # white noise: chi(0) = chi(k) = 1 (each a mean of 12000 exponential variables: 1 % errors), so xi ~ 0
    assert pairs.mean(axis=0) == pytest.approx([1.0, 1.0], abs=0.04)
    assert abs(correlation_length(pairs, L).value) < 0.15


def test_exponential_correlations_give_their_length():
    # a 1D-like check in d = 2: chi(k) of an Ornstein-Zernike field, chi(k) = 1 / (xi^-2 + 4 sin^2(k/2))
    L = 16
    xi_true = 3.0
    chi0 = 1.0 / xi_true**-2
    chik = 1.0 / (xi_true**-2 + 4 * np.sin(np.pi / L) ** 2)
    est = correlation_length(np.array([[chi0, chik], [chi0, chik]]), L)
    assert est.value * L == pytest.approx(xi_true)


def test_bad_shapes():
    with pytest.raises(ValueError, match="states_a"):
        fourier_susceptibilities(np.ones((2, 10)), np.ones((2, 10)), 4, 2)
    with pytest.raises(ValueError, match="susceptibilities"):
        correlation_length(np.ones((3, 3)), 4)
