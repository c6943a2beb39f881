"""Tests of spinlab.plots.inference: the drawn data are the curves' averages and the RS prediction."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from spinlab import inference
from spinlab.plots.inference import plot_load_curves, plot_rs_potential


@pytest.fixture(scope="module")
def curves():
    return [inference.load_curve(n, [0, 1, 2], instances=3, seed=n) for n in (5, 6)]


def test_load_curves_draw_means_and_theory(curves):
    fig, ax = plt.subplots()
    rs = inference.rs_curve([0.5, 1.5])
    plot_load_curves(ax, curves, "mmse", rs=rs, critical=1.0)
    lines = ax.get_lines()
    np.testing.assert_allclose(lines[0].get_ydata(), curves[0].mean("mmse"))
    theory = [line for line in lines if line.get_label().startswith("replica")][0]
    np.testing.assert_allclose(theory.get_ydata(), rs.mmse)
    assert any(line.get_label().startswith("α_c") for line in lines)
    plt.close(fig)


def test_nan_critical_is_skipped(curves):
    fig, ax = plt.subplots()
    plot_load_curves(ax, curves, "overlap", critical=float("nan"))
    assert not any(line.get_label().startswith("α_c") for line in ax.get_lines())
    plt.close(fig)


def test_rs_potential_is_shifted_to_zero():
    fig, ax = plt.subplots()
    q = np.linspace(0, 1, 11)
    f = inference.rs_potential(q, 1.2)
    plot_rs_potential(ax, q, {1.2: f})
    y = ax.get_lines()[0].get_ydata()
    assert y[0] == 0 and y[-1] == pytest.approx(f[-1] - f[0])
    plt.close(fig)
