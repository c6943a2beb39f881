"""Plot helpers of the Ising-machine chapter."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import models  # noqa: E402
from spinlab.ising_machines import cim  # noqa: E402
from spinlab.plots.ising_machines import amplitude_plot, median_interval, tts_scaling_plot  # noqa: E402


def test_median_interval_brackets_the_median_and_collapses_for_constant_data():
    values = np.column_stack([np.arange(1.0, 10.0), np.full(9, 5.0)])
    med, low, high = median_interval(values, seed=1)
    assert med.tolist() == [5.0, 5.0]
    assert low[0] < 5.0 < high[0] and low[1] == high[1] == 5.0
    # the bootstrap median of 9 samples lies between the 2nd and 8th order statistics with probability > 0.99
    assert 2.0 <= low[0] and high[0] <= 8.0
    with pytest.raises(ValueError, match="values"):
        median_interval(np.ones((1, 3)))


def test_amplitude_plot_draws_one_line_per_spin_and_needs_amplitudes():
    model = models.sk(6, seed=0)
    res = cim(model, 40, runs=2, record_amplitudes=True, seed=0)
    fig, ax = plt.subplots()
    amplitude_plot(ax, res, run=1, against="step")
    assert len(ax.lines) == model.n + 1  # amplitudes and the zero line
    with pytest.raises(ValueError, match="record_amplitudes"):
        amplitude_plot(ax, cim(model, 10, runs=1, seed=0))
    with pytest.raises(ValueError, match="against"):
        amplitude_plot(ax, res, against="time")
    with pytest.raises(ValueError, match="run"):
        amplitude_plot(ax, res, run=2)
    plt.close(fig)


def test_tts_scaling_plot_draws_the_medians():
    data = {8: np.array([[1.0, 10.0], [3.0, 30.0], [2.0, 20.0]]), 12: np.array([[4.0, 40.0], [6.0, 60.0], [5.0, 50.0]])}
    fig, ax = plt.subplots()
    tts_scaling_plot(ax, [8, 12], data, [(0, "a", "C0"), (1, "b", "C1")])
    medians = sorted(np.asarray(line.get_ydata()).tolist() for line in ax.lines if len(line.get_ydata()) == 2)
    assert [2.0, 5.0] in medians and [20.0, 50.0] in medians
    plt.close(fig)
