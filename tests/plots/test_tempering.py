"""Tests of spinlab.plots.tempering: P(q) densities and the plotting helpers."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import overlaps  # noqa: E402
from spinlab.plots.tempering import (  # noqa: E402
    overlap_density,
    plot_overlap_density,
    plot_size_curves,
    plot_swap_acceptance,
)


@pytest.fixture
def ax():
    fig, axis = plt.subplots()
    yield axis
    plt.close(fig)


def test_density_integrates_to_one_for_any_n():
    rng = np.random.default_rng(1)
    for n in (8, 31, 128):
        q_series = rng.choice(np.linspace(-1, 1, n + 1), size=(5, 400))
        q, p, err = overlaps.overlap_histogram(q_series, n)
        q, density, density_err = overlap_density(q, p, err, n)
        assert np.sum(density) * 2 / n == pytest.approx(1.0)
        assert np.allclose(density_err, err * n / 2)


def test_density_validation():
    with pytest.raises(ValueError, match="n \\+ 1"):
        overlap_density(np.zeros(4), np.zeros(4), np.zeros(4), 8)
    with pytest.raises(ValueError, match="one length"):
        overlap_density(np.zeros(3), np.zeros(2), np.zeros(3), 2)
    with pytest.raises(TypeError, match="n"):
        overlap_density(np.zeros(3), np.zeros(3), np.zeros(3), 2.0)


def test_plot_overlap_density_draws_line_and_band(ax):
    q = np.linspace(-1, 1, 5)
    line = plot_overlap_density(ax, q, [0.1, 0.2, 0.4, 0.2, 0.1], [0.01] * 5, 4, label="n = 4")
    assert np.allclose(line.get_ydata(), [0.2, 0.4, 0.8, 0.4, 0.2])
    assert len(ax.collections) == 1  # the error band
    assert ax.get_xlabel() == "overlap q" and "P(q)" in ax.get_ylabel()


def test_plot_size_curves(ax):
    T = [1.0, 1.1, 1.2]
    curves = {"L = 4": ([0.8, 0.7, 0.6], [0.01] * 3), "L = 8": ([0.85, 0.7, 0.5], [0.02] * 3)}
    out = plot_size_curves(ax, T, curves, ylabel="Binder cumulant g")
    assert len(out) == 2
    assert np.allclose(out[1].lines[0].get_ydata(), [0.85, 0.7, 0.5])
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["L = 4", "L = 8"]
    assert ax.get_xlabel() == "temperature T [J]"
    with pytest.raises(ValueError, match="L = 2"):
        plot_size_curves(ax, T, {"L = 2": ([0.1, 0.2], [0.1, 0.1])}, ylabel="g")
    with pytest.raises(TypeError, match="mapping"):
        plot_size_curves(ax, T, [], ylabel="g")


def test_plot_swap_acceptance(ax):
    line = plot_swap_acceptance(ax, [0.5, 2.0, 8.0], [0.3, 0.9], label="ladder")
    assert np.allclose(line.get_xdata(), [1.0, 4.0]) and np.allclose(line.get_ydata(), [0.3, 0.9])
    assert ax.get_ylim() == (0.0, 1.0)
    with pytest.raises(ValueError, match="shape"):
        plot_swap_acceptance(ax, [0.5, 2.0, 8.0], [0.3])
    with pytest.raises(ValueError, match="between 0 and 1"):
        plot_swap_acceptance(ax, [0.5, 2.0], [1.3])
