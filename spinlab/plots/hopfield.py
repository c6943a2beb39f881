"""Figures for the Hopfield chapter: RS curves, the (alpha, T) phase diagram with Monte Carlo, recall traces.

Conventions of :mod:`spinlab.hopfield`: load alpha = P/N, temperatures in units of the Hebb couplings,
Mattis overlaps m = (1/N) xi . s.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from ..hopfield import PhaseDiagram, RecallRun, rbm_state, retrieval
from ..hopfield._common import check_prior

__all__ = ["overlap_curve", "plot_phase_diagram", "plot_recall_traces", "rbm_overlap_curve"]


def overlap_curve(alphas, T: float = 0.0, *, prior="binary") -> np.ndarray:
    """RS retrieval overlap m(alpha) at temperature T along a grid of loads (0 where no retrieval state exists).

    Examples
    --------
    >>> overlap_curve([0.05, 0.2]).round(3).tolist()
    [1.0, 0.0]
    """
    loads = np.atleast_1d(np.asarray(alphas, dtype=float))
    return np.array([retrieval(float(a), T, prior=prior).m for a in loads])


def rbm_overlap_curve(alphas, T: float, *, visible="binary", hidden="gaussian", prior="binary") -> np.ndarray:
    """RS retrieval overlap (cosine m / sqrt(q_d)) of the RBM at temperature T along a grid of loads.

    0 where :func:`spinlab.hopfield.rbm_state` finds no retrieval state (including loads where, with soft
    visible units, it finds no normalisable state at all), NaN where the measure itself is not normalisable,
    beta^2 d_v d_h (1 + sqrt(alpha))^2 >= 1.

    Examples
    --------
    >>> rbm_overlap_curve([0.05, 0.2], 0.5).round(3).tolist()  # the Hopfield network at T = 0.25
    [0.996, 0.0]
    """
    d_v, d_h = (check_prior(x, name) for x, name in ((visible, "visible"), (hidden, "hidden")))
    out = []
    for a in np.atleast_1d(np.asarray(alphas, dtype=float)):
        if d_v * d_h * (1.0 + np.sqrt(a)) ** 2 >= T * T:
            out.append(np.nan)
            continue
        try:
            state = rbm_state(float(a), T, visible=visible, hidden=hidden, prior=prior)
        except ValueError:
            out.append(0.0)
            continue
        out.append(state.cosine if state.phase == "retrieval" else 0.0)
    return np.array(out)


def plot_phase_diagram(ax: Axes, diagram: PhaseDiagram, *, mc=None, alpha_max: float = 0.16):
    """Draw the lines of ``diagram`` in the (alpha, T) plane, optionally over a Monte Carlo overlap map.

    Lines: T_g = 1 + sqrt(alpha) (paramagnet / spin glass), T_M (retrieval states exist below), T_c (retrieval
    states are global minima below). ``mc`` = (alphas, temperatures, overlaps) with overlaps of shape
    (len(temperatures), len(alphas)) is drawn as coloured squares (colour = mean overlap, 0 to 1); the
    returned mappable (or None) feeds ``fig.colorbar``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab.hopfield import phase_diagram
    >>> fig, ax = plt.subplots()
    >>> plot_phase_diagram(ax, phase_diagram([0.0, 0.5, 0.9], stable=False)) is None
    True
    >>> len(ax.get_lines())
    2
    >>> plt.close(fig)
    """
    mappable = None
    if mc is not None:
        alphas, temps, values = (np.asarray(x, dtype=float) for x in mc)
        if values.shape != (temps.size, alphas.size):
            raise ValueError(f"mc overlaps must have shape ({temps.size}, {alphas.size}), got {values.shape}")
        A, T = np.meshgrid(alphas, temps)
        mappable = ax.scatter(
            A.ravel(), T.ravel(), c=values.ravel(), cmap="viridis", vmin=0, vmax=1, marker="s", s=70, zorder=1
        )
    a_g = np.linspace(0.0, alpha_max, 200)
    ax.plot(a_g, 1.0 + np.sqrt(a_g), color="k", lw=2, label=r"$T_g = 1 + \sqrt{\alpha}$", zorder=3)
    temps = diagram.temperatures
    ok = temps < 1.0
    retr = np.append(diagram.retrieval[ok], 0.0)
    ax.plot(retr, np.append(temps[ok], 1.0), color="C3", lw=2, label=r"$T_M$ (retrieval states exist)", zorder=3)
    if np.isfinite(diagram.stable).any():
        stab = np.append(diagram.stable[ok], 0.0)
        ax.plot(stab, np.append(temps[ok], 1.0), color="C1", lw=2, ls="--", label=r"$T_c$ (global minima)", zorder=3)
    ax.set_xlim(0.0, alpha_max)
    ax.set_ylim(0.0, 1.0 + np.sqrt(alpha_max) + 0.45)  # head room for the legend above T_g
    ax.set_xlabel(r"load $\alpha = P/N$")
    ax.set_ylabel("temperature T")
    ax.legend(loc="upper left")
    return mappable


def plot_recall_traces(ax: Axes, run: RecallRun, *, theory: float | None = None, color="C0") -> None:
    """Overlap with the cued pattern against sweeps for every replica of ``run``; ``theory`` as a dashed line.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab.hopfield import patterns, recall
    >>> fig, ax = plt.subplots()
    >>> plot_recall_traces(ax, recall(patterns(100, 5, seed=1), 0.0, 5, replicas=3, seed=1), theory=1.0)
    >>> len(ax.get_lines())
    4
    >>> plt.close(fig)
    """
    cue = max(run.cue, 0)
    for traj in run.overlaps[:, :, cue]:
        ax.plot(run.times, traj, color=color, lw=1, alpha=0.7)
    if theory is not None:
        ax.axhline(theory, color="k", ls="--", lw=1.5)
    ax.set_xlabel("time [sweeps]")
    ax.set_ylabel(r"overlap $m$ with the cued pattern")
    ax.set_ylim(-0.05, 1.05)
