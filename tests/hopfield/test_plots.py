"""Tests of spinlab.plots.hopfield."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import hopfield as hf  # noqa: E402
from spinlab.plots.hopfield import (  # noqa: E402
    overlap_curve,
    plot_phase_diagram,
    plot_recall_traces,
    rbm_overlap_curve,
)


def test_overlap_curve_matches_retrieval():
    loads = [0.05, 0.13, 0.15]
    m = overlap_curve(loads, 0.0)
    assert m.tolist() == [hf.retrieval(a, 0.0).m for a in loads] and m[-1] == 0.0


def test_rbm_overlap_curve_marks_retrieval_glass_and_divergence():
    # soft visible units (d_v = 0.2) with Gaussian hidden units at T = 0.7: retrieval at low load, none at 0.06;
    # at alpha = 0.4, beta^2 d_v d_h (1 + sqrt(alpha))^2 = 1.08 > 1 and the measure is not normalisable
    loads = [0.01, 0.06, 0.4]
    curve = rbm_overlap_curve(loads, 0.7, visible=0.2)
    state = hf.rbm_state(0.01, 0.7, visible=0.2)
    assert curve[0] == pytest.approx(state.m / np.sqrt(state.q_d), abs=1e-12) and 0 < curve[0] < 1
    assert curve[1] == 0.0 and np.isnan(curve[2])
    assert rbm_overlap_curve([0.05], 0.6, hidden=0.4).tolist() == [0.0]


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
