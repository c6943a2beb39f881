"""Figures of the metallic-spin-glass chapter: the RKKY coupling, relaxation curves, field parity plots and
learning curves.

Energies per moment and fields in units of J0; lengths in units of 1/k_F (k_F = 1); times in units of 1/J0.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from ..metallic import FieldModel, LearningCurve, MetallicSystem, Relaxation, rkky_coupling

__all__ = ["coupling_figure", "learning_curve_figure", "parity_figure", "relaxation_figure"]


def coupling_figure(system: MetallicSystem, *, model: FieldModel | None = None, spins=None) -> Figure:
    """J(r) of ``system`` with its cutoff, the histogram of neighbour distances, and optionally the
    coefficients c_ij of a learned ``model`` (evaluated on ``spins``, default: all moments along z).

    Examples
    --------
    >>> from spinlab.metallic import random_system
    >>> fig = coupling_figure(random_system(32, seed=0))
    >>> [ax.get_xlabel() for ax in fig.axes][:1]
    ['distance $r$ ($1/k_F$)']
    >>> plt.close(fig)
    """
    if not isinstance(system, MetallicSystem):
        raise TypeError(f"system must be a MetallicSystem, got {type(system).__name__}")
    fig, (ax, hist) = plt.subplots(
        2, 1, figsize=(6.4, 4.8), sharex=True, gridspec_kw={"height_ratios": [3, 1]}, layout="constrained"
    )
    r_min = max(0.5 * float(system.distances.min()) if system.n_pairs else 0.5, 0.3)
    r = np.linspace(r_min, 1.15 * system.cutoff, 600)
    J = rkky_coupling(r, k_F=system.k_F, J0=system.J0)
    ax.plot(r, J, color="0.3", lw=1.5, label=r"$J(r) = J_0\cos(2k_Fr)/(k_Fr)^3$")
    if model is not None:
        if spins is None:
            spins = np.tile([0.0, 0.0, 1.0], (system.n, 1))
        coef = model.coefficients(system, spins)
        ax.scatter(
            np.broadcast_to(system.distances, coef.shape).ravel(),
            coef.ravel(),
            s=6,
            color="C1",
            alpha=0.5,
            label=r"learned $c_{ij}$",
            zorder=3,
        )
    ax.axvline(system.cutoff, color="C3", ls="--", lw=1, label=f"cutoff $r_c$ = {system.cutoff:g}")
    ax.axhline(0, color="0.7", lw=0.8)
    scale = float(np.abs(system.couplings).max()) if system.n_pairs else 1.0
    ax.set_ylim(-1.3 * scale, 1.3 * scale)
    ax.set_ylabel(r"coupling $J$ ($J_0$)")
    ax.legend(loc="upper right", fontsize=9)
    hist.hist(system.distances, bins=40, range=(0, system.cutoff), color="C0")
    hist.set_xlabel(r"distance $r$ ($1/k_F$)")
    hist.set_ylabel("pairs")
    for a in (ax, hist):
        a.set_facecolor("white")
    ax.set_xlabel(r"distance $r$ ($1/k_F$)")
    ax.xaxis.label.set_visible(False)
    fig.patch.set_facecolor("white")
    return fig


def relaxation_figure(runs: Mapping[str, Relaxation], *, title: str | None = None) -> Figure:
    """Exact energy per moment against time for each labelled relaxation.

    Examples
    --------
    >>> from spinlab.metallic import random_system, random_spins, relax
    >>> s = random_system(32, seed=0)
    >>> fig = relaxation_figure({"exact": relax(s, random_spins(32, seed=1), n_steps=10)})
    >>> len(fig.axes[0].lines)
    1
    >>> plt.close(fig)
    """
    if not isinstance(runs, Mapping) or not runs:
        raise ValueError("runs must be a non-empty mapping label -> Relaxation")
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    styles = ["-", "--", ":", "-."]
    for k, (label, run) in enumerate(runs.items()):
        if not isinstance(run, Relaxation):
            raise TypeError(f"runs[{label!r}] must be a Relaxation, got {type(run).__name__}")
        ax.plot(run.times, run.energies, ls=styles[k % 4], lw=2, label=label)
    ax.set_xlabel(r"time $t$ ($1/J_0$)")
    ax.set_ylabel(r"energy per moment $H/n$ ($J_0$)")
    if title:
        ax.set_title(title)
    ax.legend()
    ax.set_facecolor("white")
    fig.patch.set_facecolor("white")
    return fig


def parity_figure(true, predicted, *, label: str = "learned") -> Figure:
    """Predicted against true field components, with the diagonal, RMSE and R^2.

    Examples
    --------
    >>> h = np.random.default_rng(0).standard_normal((10, 3))
    >>> fig = parity_figure(h, h + 0.01)
    >>> fig.axes[0].get_ylabel()
    'predicted field component ($J_0$)'
    >>> plt.close(fig)
    """
    true = np.asarray(true, dtype=np.float64)
    predicted = np.asarray(predicted, dtype=np.float64)
    if true.shape != predicted.shape or true.size == 0 or true.shape[-1] != 3:
        shapes = f"{true.shape}, {predicted.shape}"
        raise ValueError(f"true and predicted must be field arrays (..., 3) of one shape, got {shapes}")
    t, p = true.ravel(), predicted.ravel()
    rmse = float(np.sqrt(np.mean((p - t) ** 2)))
    flat = true.reshape(-1, 3)
    r2 = 1.0 - float(np.sum((p - t) ** 2)) / float(np.sum((flat - flat.mean(axis=0)) ** 2))
    fig, ax = plt.subplots(figsize=(4.8, 4.6), layout="constrained")
    lim = 1.05 * float(max(np.abs(t).max(), np.abs(p).max()))
    ax.plot([-lim, lim], [-lim, lim], color="0.5", lw=1, label="exact")
    ax.scatter(t, p, s=5, alpha=0.5, color="C1", label=label)
    ax.set_xlim(-lim, lim)
    ax.set_ylim(-lim, lim)
    ax.set_aspect("equal")
    ax.set_xlabel(r"true field component $h_i^a$ ($J_0$)")
    ax.set_ylabel("predicted field component ($J_0$)")
    ax.text(0.04, 0.96, f"RMSE = {rmse:.2e}\n$R^2$ = {r2:.6f}", transform=ax.transAxes, va="top", fontsize=9)
    ax.legend(loc="lower right", fontsize=9)
    ax.set_facecolor("white")
    fig.patch.set_facecolor("white")
    return fig


def learning_curve_figure(curves: Sequence[LearningCurve], labels: Sequence[str] | None = None) -> Figure:
    """Held-out field RMSE against the number of training field vectors (log-log).

    Examples
    --------
    >>> lc = LearningCurve(np.array([4, 16]), np.array([0.1, 0.01]), np.array([0.5, 0.99]), False)
    >>> fig = learning_curve_figure([lc])
    >>> fig.axes[0].get_xscale()
    'log'
    >>> plt.close(fig)
    """
    if not curves or not all(isinstance(c, LearningCurve) for c in curves):
        raise TypeError("curves must be a non-empty sequence of LearningCurve")
    if labels is None:
        labels = ["descriptor model" if c.environment else "pair model" for c in curves]
    if len(labels) != len(curves):
        raise ValueError(f"labels must have one entry per curve ({len(curves)}), got {len(labels)}")
    fig, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    for k, (curve, label) in enumerate(zip(curves, labels, strict=True)):
        ax.plot(curve.sizes, curve.rmse, marker="os^D"[k % 4], lw=1.5, label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training field vectors")
    ax.set_ylabel(r"held-out field RMSE ($J_0$)")
    ax.legend()
    ax.set_facecolor("white")
    fig.patch.set_facecolor("white")
    return fig
