"""Plots for the all-or-nothing chapter: exact-posterior load curves against the replica prediction.

Quantities are those of :class:`spinlab.inference.LoadCurve` (overlap q = x . x* / n with the hidden vector,
MMSE per spin); loads alpha = M / n are dimensionless.
"""

from __future__ import annotations

import matplotlib
import numpy as np
from matplotlib.axes import Axes

from ..inference import LoadCurve, RSCurve

__all__ = ["plot_load_curves", "plot_rs_potential"]

LABELS = {
    "overlap": "overlap  m·x*/N",
    "abs_overlap": "E|q|  (posterior)",
    "overlap_sq": "E[q²]  (posterior)",
    "mmse": "MMSE per spin",
    "matrix_mmse": "matrix MMSE",
    "p_truth": "posterior weight of x*",
}


def plot_load_curves(
    ax: Axes,
    curves: list[LoadCurve],
    quantity: str = "overlap",
    *,
    rs: RSCurve | None = None,
    critical: float | None = None,
    cmap: str = "viridis",
) -> Axes:
    """Instance-averaged ``quantity`` against the load, one line with error bars (1 s.e.) per curve.

    ``rs`` adds the replica-symmetric prediction (its overlap, or its MMSE when ``quantity`` is ``"mmse"``),
    ``critical`` a vertical line at the predicted all-or-nothing load.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab import inference
    >>> fig, ax = plt.subplots()
    >>> c = inference.load_curve(6, [0, 1, 2], instances=2, seed=0)
    >>> plot_load_curves(ax, [c], "mmse", critical=1.0).get_xlabel()
    'load α = M/N'
    >>> plt.close(fig)
    """
    colors = _colors(cmap, len(curves))
    for color, curve in zip(colors, curves, strict=True):
        ax.errorbar(
            curve.alpha,
            curve.mean(quantity),
            yerr=curve.sem(quantity),
            color=color,
            marker="o",
            ms=3,
            lw=1.2,
            capsize=2,
            label=f"N = {curve.n} ({curve.instances} inst.)",
        )
    if rs is not None:
        values = rs.mmse if quantity == "mmse" else rs.overlap
        ax.plot(rs.alpha, values, color="k", lw=2, ls="--", label="replica (N → ∞)")
    if critical is not None and np.isfinite(critical):
        ax.axvline(critical, color="C3", lw=1, ls=":", label=f"α_c = {critical:.3f}")
    ax.set(xlabel="load α = M/N", ylabel=LABELS.get(quantity, quantity))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="best")
    return ax


def plot_rs_potential(ax: Axes, q: np.ndarray, potentials: dict[float, np.ndarray], *, cmap: str = "plasma") -> Axes:
    """RS free entropy f(q) - f(0) for several loads (``potentials`` maps alpha to f on the grid ``q``).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> q = np.linspace(0, 1, 5)
    >>> plot_rs_potential(ax, q, {1.0: q**2}).get_ylabel()
    'f(q) − f(0)  (nats per spin)'
    >>> plt.close(fig)
    """
    colors = _colors(cmap, len(potentials))
    for color, (alpha, f) in zip(colors, potentials.items(), strict=True):
        ax.plot(q, f - f[0], color=color, lw=1.6, label=f"α = {alpha:.2f}")
    ax.axhline(0, color="0.5", lw=0.8)
    ax.set(xlabel="overlap q", ylabel="f(q) − f(0)  (nats per spin)")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    return ax


def _colors(cmap: str, count: int):
    return matplotlib.colormaps[cmap](np.linspace(0.1, 0.85, max(count, 1)))[:count]
