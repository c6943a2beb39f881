"""Plot helpers of the nnspin chapter."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from spinlab import nnspin
from spinlab.plots import nnspin as nplots


def test_power_law_plot_draws_seeds_mean_and_fit():
    t = np.array([10.0, 100.0, 1000.0])
    Tc = np.array([[1.0, 2.0, np.nan], [1.0, 2.0, 4.0]])
    fit = nnspin.fit_power_law(t, Tc, seed=0)
    fig, ax = plt.subplots()
    nplots.plot_power_law(ax, t, Tc, fit)
    mean = ax.lines[2].get_ydata()
    assert np.allclose(mean, [1.0, 2.0, 4.0])  # geometric mean over the seeds that have a value
    assert "fit a = " in ax.get_legend().get_texts()[-1].get_text()
    with pytest.raises(ValueError, match="Tc must have shape"):
        nplots.plot_power_law(ax, t, Tc[:, :2])
    plt.close(fig)


def test_spectrum_plot_marks_bulk_edge():
    fig, ax = plt.subplots()
    nplots.plot_spectrum(ax, np.array([-2.0, 0.0, 5.0]), reference=np.array([-1.0, 0.5, 1.5]))
    assert ax.lines[0].get_xdata()[0] == 1.5
    with pytest.raises(ValueError, match="eigenvalues"):
        nplots.plot_spectrum(ax, np.array([np.nan, 1.0]))
    plt.close(fig)
