"""Tests of spinlab.plots.hopfield."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import hopfield as hf  # noqa: E402
from spinlab.plots.hopfield import overlap_curve, plot_phase_diagram, plot_recall_traces  # noqa: E402


def test_overlap_curve_matches_retrieval():
    loads = [0.05, 0.13, 0.15]
    m = overlap_curve(loads, 0.0)
    assert m.tolist() == [hf.retrieval(a, 0.0).m for a in loads] and m[-1] == 0.0


def test_phase_diagram_plot_with_monte_carlo_map():
    diagram = hf.phase_diagram([0.0, 0.4, 0.8, 1.1])
    fig, ax = plt.subplots()
    values = np.linspace(0, 1, 6).reshape(2, 3)
    mappable = plot_phase_diagram(ax, diagram, mc=([0.02, 0.05, 0.1], [0.2, 0.6], values))
    np.testing.assert_allclose(mappable.get_array(), values.ravel())
    lines = ax.get_lines()
    assert len(lines) == 3
    x, y = lines[0].get_data()
    np.testing.assert_allclose(y, 1 + np.sqrt(x))  # T_g
    x, y = lines[1].get_data()
    np.testing.assert_allclose(x[:3], diagram.retrieval[:3])
    assert x[-1] == 0.0 and y[-1] == 1.0  # the retrieval line ends at (0, 1)
    with pytest.raises(ValueError, match="shape"):
        plot_phase_diagram(ax, diagram, mc=([0.02], [0.2, 0.6], values))
    plt.close(fig)


def test_recall_traces():
    run = hf.recall(hf.patterns(100, 5, seed=1), 0.0, 6, replicas=2, cue=2, seed=1)
    fig, ax = plt.subplots()
    plot_recall_traces(ax, run)
    lines = ax.get_lines()
    assert len(lines) == 2
    np.testing.assert_allclose(lines[1].get_ydata(), run.overlaps[1, :, 2])
    plt.close(fig)
