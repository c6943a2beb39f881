"""Tests of the ground-state chapter figures."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from spinlab import exact, mc, models
from spinlab.plots.ground_states import exponent_label, extrapolation_plot, tts_plot


def test_exponent_label():
    assert exponent_label(2 / 3) == "$N^{-2/3}$"
    assert exponent_label(2.0, "L") == "$L^{-2}$"
    assert exponent_label(0.123456) == "$N^{-0.123456}$"
    with pytest.raises(ValueError, match="exponent"):
        exponent_label(0.0)
    with pytest.raises(TypeError, match="size"):
        exponent_label(1.0, "")


def test_extrapolation_plot_draws_data_fit_and_limit():
    N = np.array([32.0, 64, 128, 256])
    values = -0.76 + 0.7 * N ** (-2 / 3)
    errors = np.full(4, 0.002)
    fit = mc.extrapolate(N, values, errors)
    fig, ax = plt.subplots()
    extrapolation_plot(ax, N, values, errors, fit, references=[(-0.7632, "Parisi"), (-0.7979, "RS")])
    # the fit line starts at x = 0 with the extrapolated value and passes through the data
    fit_line = next(line for line in ax.get_lines() if len(line.get_xdata()) == 200)
    assert fit_line.get_xdata()[0] == 0.0 and fit_line.get_ydata()[0] == pytest.approx(fit.e_inf)
    assert np.interp(N ** (-2 / 3), fit_line.get_xdata(), fit_line.get_ydata()) == pytest.approx(values, abs=1e-6)
    refs = [line for line in ax.get_lines() if np.allclose(line.get_ydata(), -0.7979)]
    assert len(refs) == 1
    labels = ax.get_legend_handles_labels()[1]
    assert any(label.startswith("e∞ = -0.7600") for label in labels) and "Parisi" in labels
    assert ax.get_xlabel() == "$N^{-2/3}$" and "energy per spin" in ax.get_ylabel()
    assert len(ax.texts) == 4  # one size label per point
    plt.close(fig)
    with pytest.raises(TypeError, match="fit"):
        extrapolation_plot(ax, N, values, errors, fit=(fit.e_inf, fit.slope))
    with pytest.raises(ValueError, match="equal length"):
        extrapolation_plot(ax, N, values[:3], errors, fit)


def test_tts_plot_leaves_out_infinite_times():
    model = models.sk(12, seed=7)
    e0 = exact.ground_state(model).energy
    curves = mc.tts_curves(model, e0, anneal_sweeps=(1, 10, 100), reads=30, pt_sweeps=60, pt_runs=8, seed=3)
    # force a failure at the first annealing length and check it is not drawn
    p = curves.anneal_p.copy()
    p[0] = 0.0
    broken = mc.TTSCurves(
        **{**curves.__dict__, "anneal_p": p, "anneal_tts": mc.time_to_solution(p, curves.anneal_time)}
    )
    fig, (ax_p, ax_t) = plt.subplots(1, 2)
    tts_plot(ax_p, ax_t, broken, label="n = 12")
    assert ax_p.get_xscale() == "log" and ax_t.get_yscale() == "log"
    assert "success probability" in ax_p.get_ylabel() and "TTS" in ax_t.get_ylabel()
    drawn = [c.lines[0].get_xdata() for c in ax_t.containers if c.get_label().startswith("annealing")]
    assert len(drawn) == 1 and drawn[0].tolist() == [15.0, 105.0]  # the failed 1 + 5 sweeps is left out
    pt_line = next(line for line in ax_p.get_lines() if line.get_label().startswith("parallel"))
    assert np.array_equal(pt_line.get_ydata(), curves.pt_p)
    plt.close(fig)
    with pytest.raises(TypeError, match="curves"):
        tts_plot(ax_p, ax_t, {"p": p})
