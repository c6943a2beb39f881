"""Tests of spinlab.plots.pspin: the drawn curves carry the numbers of spinlab.pspin."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from spinlab import pspin
from spinlab.plots import pspin as pplots


def test_plot_complexity_draws_the_formula_and_markers():
    fig, ax = plt.subplots()
    pplots.plot_complexity(ax, 3, normalization="crisanti-sommers")
    total, minima = ax.get_lines()[:2]
    E = total.get_xdata()
    np.testing.assert_allclose(total.get_ydata(), pspin.complexity(E, 3, normalization="crisanti-sommers"))
    np.testing.assert_allclose(
        minima.get_ydata(), pspin.complexity(E, 3, kind="minima", normalization="crisanti-sommers")
    )
    marks = [line.get_xdata()[0] for line in ax.get_lines()[3:]]
    assert marks == pytest.approx([-1.17170, -1.15470], abs=1e-4)
    assert E[0] < marks[0]
    plt.close(fig)


def test_plot_final_energies_one_histogram_per_size():
    fig, ax = plt.subplots()
    pplots.plot_final_energies(ax, {100: np.full(5, -1.55), 50: np.full(3, -1.5)}, 3)
    labels = [p.get_label() for p in ax.patches]
    assert labels == ["N = 50", "N = 100"]
    with pytest.raises(TypeError, match="finals"):
        pplots.plot_final_energies(ax, {}, 3)
    plt.close(fig)


def test_two_time_correlation_against_direct_average():
    rng = np.random.default_rng(0)
    S = pspin.to_sphere(rng.standard_normal((3, 5, 40)))
    C = pplots.two_time_correlation(S, 1, [1, 2, 4])
    direct = [np.mean([S[r, k] @ S[r, 1] / 40 for r in range(3)]) for k in (1, 2, 4)]
    np.testing.assert_allclose(C, direct, rtol=1e-12)
    assert C[0] == pytest.approx(1.0)
    with pytest.raises(ValueError, match="later"):
        pplots.two_time_correlation(S, 0, [5])
    with pytest.raises(ValueError, match="waiting"):
        pplots.two_time_correlation(S, 5, [0])
    with pytest.raises(ValueError, match="saved_states"):
        pplots.two_time_correlation(S[0], 0, [0])
