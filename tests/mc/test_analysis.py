import numpy as np
import pytest

from spinlab import mc


def ar1(phi, size, seed):
    rng = np.random.default_rng(seed)
    noise = rng.standard_normal(size)
    x = np.empty(size)
    x[0] = noise[0] / np.sqrt(1 - phi**2)
    for t in range(1, size):
        x[t] = phi * x[t - 1] + noise[t]
    return x


def test_autocorrelation_of_ar1_is_geometric():
    rho = mc.autocorrelation(ar1(0.8, 200_000, 1), 10)
    assert np.allclose(rho, 0.8 ** np.arange(11), atol=0.02)


@pytest.mark.parametrize("phi", [0.0, 0.5, 0.9])
def test_integrated_time_of_ar1(phi):
    tau = mc.integrated_autocorrelation_time(ar1(phi, 400_000, 2))
    expected = 0.5 * (1 + phi) / (1 - phi)
    assert tau == pytest.approx(expected, rel=0.08)


def test_error_bar_covers_truth_at_right_rate():
    # 200 independent AR(1) series with mean 0: about 95 % of 2-sigma intervals cover 0
    covered = 0
    for seed in range(200):
        mean, err = mc.mean_and_error(ar1(0.9, 4000, 100 + seed))
        covered += abs(mean) < 2 * err
    assert 0.88 < covered / 200 < 0.99
