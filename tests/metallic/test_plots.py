"""Figures of the metallic chapter: labelled axes, the right artists, validation."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import metallic as m  # noqa: E402
from spinlab.plots import metallic as pm  # noqa: E402


@pytest.fixture(scope="module")
def system():
    return m.random_system(32, seed=0)


def test_coupling_figure_with_model(system):
    model = m.fit_field_model(system, m.snapshots(system, 2, seed=1), environment=False, max_iter=5, seed=0)
    fig = pm.coupling_figure(system, model=model)
    ax, hist = fig.axes
    assert ax.get_ylabel() and hist.get_xlabel() and hist.get_ylabel()
    assert len(ax.collections) == 1 and ax.collections[0].get_offsets().shape == (system.n_pairs, 2)
    assert sum(p.get_height() for p in hist.patches) == system.n_pairs
    plt.close(fig)


def test_relaxation_and_parity_and_learning_curve(system):
    S0 = m.random_spins(32, seed=1)
    fig = pm.relaxation_figure({"a": m.relax(system, S0, n_steps=5), "b": m.relax(system, S0, n_steps=5)}, title="t")
    assert len(fig.axes[0].lines) == 2 and fig.axes[0].get_xlabel()
    plt.close(fig)
    h = m.local_fields(system, S0)
    fig = pm.parity_figure(h, h)
    assert "R^2$ = 1.000000" in fig.axes[0].texts[0].get_text()
    plt.close(fig)
    lc = m.LearningCurve(np.array([1, 2]), np.array([0.2, 0.1]), np.array([0.5, 0.8]), True)
    fig = pm.learning_curve_figure([lc, lc], ["x", "y"])
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["x", "y"]
    plt.close(fig)


def test_plot_validation(system):
    with pytest.raises(TypeError):
        pm.coupling_figure("system")
    with pytest.raises(ValueError):
        pm.relaxation_figure({})
    with pytest.raises(TypeError):
        pm.relaxation_figure({"a": 1})
    with pytest.raises(ValueError):
        pm.parity_figure(np.zeros((2, 3)), np.zeros((3, 3)))
    with pytest.raises(TypeError):
        pm.learning_curve_figure([])
    lc = m.LearningCurve(np.array([1]), np.array([0.2]), np.array([0.5]), True)
    with pytest.raises(ValueError):
        pm.learning_curve_figure([lc], ["a", "b"])
