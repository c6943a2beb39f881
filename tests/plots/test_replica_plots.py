"""Tests of spinlab.plots.replica: disorder-sample tasks, RS curves and the plotting helpers."""

from __future__ import annotations

from functools import partial

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import exact, models, replica  # noqa: E402
from spinlab._rng import child  # noqa: E402
from spinlab.plots.replica import (  # noqa: E402
    plot_phase_diagram,
    plot_rs_order,
    rs_curves,
    sk_exact_sample,
    sk_pt_energy_sample,
)
from spinlab.sweep import disorder_average  # noqa: E402


@pytest.fixture
def axes():
    fig, pair = plt.subplots(1, 2)
    yield pair
    plt.close(fig)


def test_exact_sample_is_enumeration_of_the_seeded_sample():
    temps = np.array([0.4, 1.0, 3.0])
    out = sk_exact_sample(5, n=8, temperatures=temps)
    th = exact.thermo(models.sk(8, seed=child(5, 0)), temps)
    assert out.shape == (3, 3)
    assert np.allclose(out, [th.free_energy, th.energy, th.entropy])
    assert np.allclose(out[0], out[1] - temps * out[2])  # f = e - T s


def test_exact_sample_through_disorder_average_is_deterministic():
    task = partial(sk_exact_sample, n=6, temperatures=[0.5, 2.0])
    first = disorder_average(task, 3, seed=1, executor="serial")
    again = disorder_average(task, 3, seed=1, executor="serial")
    assert all(np.array_equal(a, b) for a, b in zip(first, again, strict=True))
    assert not np.array_equal(first[0], first[1])


def test_pt_energy_sample_matches_enumeration():
    temps = np.array([0.6, 1.0, 2.0])
    out = sk_pt_energy_sample(3, n=10, temperatures=temps, sweeps=8000)
    ref = exact.thermo(models.sk(10, seed=child(3, 0)), temps).energy
    assert out.shape == (2, 3)
    assert np.allclose(out[1], ref, atol=0.01)
    assert np.allclose(out[0], out[1], atol=0.02)


def test_samples_reject_bad_arguments():
    with pytest.raises(ValueError):
        sk_exact_sample(1, n=40, temperatures=[1.0])
    with pytest.raises(ValueError):
        sk_pt_energy_sample(1, n=8, temperatures=[1.0, 2.0], sweeps=2)


def test_rs_curves_tabulate_rs():
    T = np.array([0.3, 0.8, 1.5])
    curves = rs_curves(T, 0.2)
    for k, t in enumerate(T):
        sol = replica.rs(t, 0.2)
        assert curves.q[k] == sol.q and curves.energy[k] == sol.energy
        assert curves.stability[k] == sol.stability and curves.stable[k] == sol.stable
    assert curves.h == 0.2 and np.array_equal(curves.T, T)
    with pytest.raises(ValueError):
        rs_curves([0.0, 1.0])


def test_plot_rs_order_splits_stable_and_unstable(axes):
    ax_q, ax_s = axes
    curves = rs_curves(np.linspace(0.5, 1.5, 11))  # unstable below T = 1, stable above
    plot_rs_order(ax_q, ax_s, curves, color="C1", label="h = 0", T_mark=0.8)
    solid, dashed, marker = ax_q.get_lines()
    assert solid.get_linestyle() == "-" and dashed.get_linestyle() == "--"
    solid_y, dashed_y = np.asarray(solid.get_ydata()), np.asarray(dashed.get_ydata())
    assert np.all(np.isnan(solid_y[curves.T < 1])) and np.all(np.isfinite(solid_y[curves.T >= 1]))
    assert np.all(np.isfinite(dashed_y[curves.T <= 1]))  # the dashed part joins the solid one
    assert marker.get_xdata()[0] == 0.8
    assert ax_s.get_yscale() == "log" and ax_q.get_xlabel() == "temperature T [J]"
    assert any(np.allclose(line.get_ydata(), 1.0) for line in ax_s.get_lines())


def test_phase_diagram_regions(axes):
    ax = axes[0]
    T_line = np.array([0.9, 0.5, 0.2])
    h_line = np.array([replica.at_field(t) for t in T_line])
    plot_phase_diagram(ax, T_line, h_line, T_max=1.3, h_max=1.0)  # the T = 0.2 point lies above h_max
    assert ax.get_xlim() == (0.0, 1.3) and ax.get_ylim() == (0.0, 1.0)
    at_line = next(line for line in ax.get_lines() if line.get_label() == "AT line")
    x, y = at_line.get_data()
    assert np.all(np.asarray(y) <= 1.0) and x[-1] == 1.0 and y[-1] == 0.0
    assert len(ax.collections) == 3
    with pytest.raises(ValueError):
        plot_phase_diagram(ax, T_line, h_line[:2])
    with pytest.raises(ValueError):
        plot_phase_diagram(ax, T_line, h_line, T_max=0.9)
