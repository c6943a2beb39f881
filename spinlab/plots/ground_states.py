"""Figures of the ground-state chapter: finite-size extrapolations and time-to-solution curves.

Conventions: energies per spin in units of J, run durations in sweeps summed over temperatures.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction

import numpy as np
from matplotlib.axes import Axes

from .._validate import check_real
from ..mc.ground_states import Extrapolation, TTSCurves, binomial_interval, time_to_solution

__all__ = ["exponent_label", "extrapolation_plot", "tts_plot"]


def exponent_label(exponent: float, size: str = "N") -> str:
    """Axis label for x = size^(-exponent) in mathtext, with the exponent as a small fraction.

    Examples
    --------
    >>> exponent_label(2 / 3)
    '$N^{-2/3}$'
    >>> exponent_label(2.0, "L")
    '$L^{-2}$'
    """
    exponent = check_real(exponent, "exponent", positive=True)
    if not isinstance(size, str) or not size:
        raise TypeError(f"size must be a non-empty string, got {size!r}")
    frac = Fraction(exponent).limit_denominator(12)
    text = str(frac) if abs(float(frac) - exponent) < 1e-9 else f"{exponent:g}"
    return f"${size}^{{-{text}}}$"


def extrapolation_plot(
    ax: Axes,
    sizes,
    values,
    errors,
    fit: Extrapolation,
    *,
    size: str = "N",
    color: str = "C0",
    label: str = "disorder average",
    references: Sequence[tuple[float, str]] = (),
) -> Axes:
    """Plot values against x = size^(-exponent) with the fitted line and the extrapolated point at x = 0.

    Parameters
    ----------
    ax : matplotlib Axes
    sizes, values, errors : 1-d arrays
        The data given to :func:`spinlab.mc.extrapolate` (errors are one standard deviation).
    fit : Extrapolation
        Its result; the line is drawn from x = 0 to the smallest size.
    size : str
        Symbol of the size in the axis label and point labels ("N" or "L").
    color, label
        Style and legend entry of the data.
    references : sequence of (value, label)
        Horizontal reference lines (e.g. the Parisi energy), drawn dashed in grey tones.

    Returns
    -------
    The same Axes, with labelled axes and a legend.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt, numpy as np
    >>> from spinlab.mc import extrapolate
    >>> N = np.array([32, 64, 128]); e = -0.76 + 0.7 * N ** (-2 / 3); err = np.full(3, 0.002)
    >>> ax = extrapolation_plot(plt.figure().gca(), N, e, err, extrapolate(N, e, err))
    >>> ax.get_xlabel()
    '$N^{-2/3}$'
    """
    if not isinstance(fit, Extrapolation):
        raise TypeError(f"fit must be an Extrapolation from spinlab.mc.extrapolate, got {type(fit).__name__}")
    n = np.asarray(sizes, dtype=np.float64)
    y = np.asarray(values, dtype=np.float64)
    err = np.asarray(errors, dtype=np.float64)
    if not (n.shape == y.shape == err.shape) or n.ndim != 1:
        raise ValueError(f"sizes, values and errors must be 1-d of equal length, got {n.shape}, {y.shape}, {err.shape}")
    x = n ** (-fit.exponent)
    ax.errorbar(x, y, yerr=err, fmt="o", color=color, capsize=3, label=label, zorder=3)
    # size labels alternate below and above the points so that neighbours do not collide
    for k, (xi, yi, ni) in enumerate(zip(x, y, n, strict=True)):
        offset = (6, -14) if k % 2 == 0 else (6, 9)
        ax.annotate(f"{size} = {ni:g}", (xi, yi), textcoords="offset points", xytext=offset, fontsize=8)
    grid = np.linspace(0.0, 1.05 * x.max(), 200)
    ax.plot(
        grid,
        fit.e_inf + fit.slope * grid,
        color=color,
        lw=1.2,
        label=f"fit e∞ + a {exponent_label(fit.exponent, size)}",
    )
    ax.errorbar(
        [0.0],
        [fit.e_inf],
        yerr=[fit.e_inf_err],
        fmt="s",
        color=color,
        mfc="white",
        capsize=4,
        label=f"e∞ = {fit.e_inf:.4f} ± {fit.e_inf_err:.4f}",
        zorder=4,
    )
    styles = ["--", ":", "-."]
    for k, (value, text) in enumerate(references):
        ax.axhline(value, color=str(0.15 + 0.25 * (k % 3)), ls=styles[k % 3], lw=1.1, label=text)
    ax.set_xlim(-0.04 * x.max(), 1.12 * x.max())
    ax.set_xlabel(exponent_label(fit.exponent, size))
    ax.set_ylabel("energy per spin e [J]")
    ax.legend(fontsize=9, loc="best")
    return ax


def tts_plot(
    ax_p: Axes,
    ax_tts: Axes,
    curves: TTSCurves,
    *,
    label: str = "",
    color: str = "C0",
    pt_color: str = "C3",
) -> tuple[Axes, Axes]:
    """Success probability (left) and TTS (right) of annealing (markers) and PT (line) against run length.

    Annealing points carry 68 % Wilson intervals (:func:`spinlab.mc.binomial_interval`), PT a
    shaded band; TTS intervals follow from the probability intervals because TTS decreases with
    p. Infinite TTS (no success) are left out, and so is the unbounded upper end of a TTS
    interval whose probability interval reaches 0. Both x axes are logarithmic, in sweeps per run
    summed over temperatures.

    Returns
    -------
    (ax_p, ax_tts)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt, spinlab
    >>> m = spinlab.models.sk(10, seed=1)
    >>> c = spinlab.mc.tts_curves(m, spinlab.exact.ground_state(m).energy, anneal_sweeps=(5, 50),
    ...                           reads=20, pt_sweeps=30, pt_runs=8, seed=0)
    >>> fig, (a, b) = plt.subplots(1, 2)
    >>> _ = tts_plot(a, b, c, label="n = 10")
    >>> b.get_yscale()
    'log'
    """
    if not isinstance(curves, TTSCurves):
        raise TypeError(f"curves must be a TTSCurves from spinlab.mc.tts_curves, got {type(curves).__name__}")
    suffix = f" ({label})" if label else ""
    lo, hi = binomial_interval(curves.anneal_p, curves.reads)
    ax_p.errorbar(
        curves.anneal_time,
        curves.anneal_p,
        yerr=[curves.anneal_p - lo, hi - curves.anneal_p],
        fmt="o",
        color=color,
        capsize=2,
        ms=4,
        label="annealing" + suffix,
    )
    plo, phi = binomial_interval(curves.pt_p, curves.pt_runs)
    ax_p.plot(curves.pt_time, curves.pt_p, color=pt_color, lw=1.3, label="parallel tempering" + suffix)
    ax_p.fill_between(curves.pt_time, plo, phi, color=pt_color, alpha=0.2, lw=0)
    ax_p.set_xscale("log")
    ax_p.set_ylim(-0.03, 1.03)
    ax_p.set_xlabel("sweeps per run (all temperatures)")
    ax_p.set_ylabel("success probability p")

    # TTS decreases with p: the upper end of the p interval gives the lower end of the TTS one.
    finite = np.isfinite(curves.anneal_tts)
    fast = _tts(hi, curves.anneal_time, curves.target)[finite]
    slow = _tts(lo, curves.anneal_time, curves.target)[finite]
    tts = curves.anneal_tts[finite]
    ax_tts.errorbar(
        curves.anneal_time[finite],
        tts,
        yerr=[tts - fast, np.where(np.isfinite(slow), slow - tts, 0.0)],
        fmt="o-",
        color=color,
        capsize=2,
        ms=4,
        lw=1,
        label="annealing" + suffix,
    )
    pt_finite = np.isfinite(curves.pt_tts)
    ax_tts.plot(
        curves.pt_time[pt_finite], curves.pt_tts[pt_finite], color=pt_color, lw=1.3, label="parallel tempering" + suffix
    )
    ax_tts.set_xscale("log")
    ax_tts.set_yscale("log")
    ax_tts.set_xlabel("sweeps per run (all temperatures)")
    ax_tts.set_ylabel(f"TTS$_{{{round(100 * curves.target)}}}$ [sweeps]")
    return ax_p, ax_tts


def _tts(p: np.ndarray, time: np.ndarray, target: float) -> np.ndarray:
    return np.asarray(time_to_solution(np.clip(p, 0.0, 1.0), time, target=target), dtype=np.float64)
