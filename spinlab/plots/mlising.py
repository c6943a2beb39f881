"""Figures of the machine-learning-the-Ising-model chapter: fields on the three lattices, PCA of configurations,
classifier crossings and their finite-size extrapolation.

Temperatures in units of J (k_B = 1); magnetisations per spin.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from .._validate import check_int
from ..mlising import CRITICAL_TEMPERATURES, FiniteSizeStudy, Lattice, PCAResult, Samples, TcEstimate
from .mc import SPIN_COLORS

__all__ = ["crossing_figure", "draw_lattice_field", "extrapolation_figure", "pca_figure", "snapshots_figure"]


def _cell(lattice: Lattice) -> np.ndarray:
    """Vertices (sites, corners, 2) of the Voronoi cell of every site (nearest-neighbour distance 1)."""
    if lattice.name == "square":
        corners = np.array([[-0.5, -0.5], [0.5, -0.5], [0.5, 0.5], [-0.5, 0.5]])
        return lattice.positions[:, None, :] + corners[None]
    if lattice.name == "triangular":  # hexagon with apothem 1/2
        angles = np.deg2rad(30 + 60 * np.arange(6))
        corners = np.stack([np.cos(angles), np.sin(angles)], axis=1) / np.sqrt(3.0)
        return lattice.positions[:, None, :] + corners[None]
    # honeycomb: triangles with inradius 1/2, pointing up on sublattice A and down on B
    angles = np.deg2rad(90 + 120 * np.arange(3))
    up = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    sign = np.where(np.arange(lattice.n) % 2 == 0, 1.0, -1.0)
    return lattice.positions[:, None, :] + sign[:, None, None] * up[None]


def draw_lattice_field(ax: Axes, lattice: Lattice, values, *, cmap=None, vmin=None, vmax=None) -> PolyCollection:
    """Draw one value per site (spins, weights ...) by colouring the site's Voronoi cell; returns the collection.

    Without ``cmap`` the values are spins and use the book's two spin colours.

    Examples
    --------
    >>> from spinlab import mlising
    >>> fig, ax = plt.subplots()
    >>> lat = mlising.honeycomb(3)
    >>> len(draw_lattice_field(ax, lat, np.ones(lat.n)).get_paths())
    18
    >>> plt.close(fig)
    """
    if not isinstance(lattice, Lattice):
        raise TypeError(f"lattice must be a spinlab.mlising.Lattice, got {type(lattice).__name__}")
    values = np.asarray(values, dtype=np.float64)
    if values.shape != (lattice.n,):
        raise ValueError(f"values must have shape ({lattice.n},) (one per site), got {values.shape}")
    if cmap is None:
        cmap = ListedColormap(SPIN_COLORS)
        vmin, vmax = -1.0, 1.0
    art = PolyCollection(_cell(lattice), array=values, cmap=cmap, linewidths=0, antialiased=False)
    art.set_clim(vmin, vmax)
    ax.add_collection(art)
    ax.autoscale_view()
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return art


def snapshots_figure(samples: Samples, temperatures: Sequence[float], *, index: int = 0) -> Figure:
    """Configuration number ``index`` at the sampled temperatures closest to ``temperatures``, side by side.

    Examples
    --------
    >>> from spinlab import mlising
    >>> s = mlising.sample(mlising.triangular(6), [2.0, 3.6, 6.0], 2, seed=0)
    >>> len(snapshots_figure(s, [2.0, 6.0]).axes)
    2
    >>> plt.close("all")
    """
    if not isinstance(samples, Samples):
        raise TypeError(f"samples must be spinlab.mlising.Samples, got {type(samples).__name__}")
    index = check_int(index, "index", minimum=0, maximum=samples.n_samples - 1)
    lattice = samples.get_lattice()
    fig, axes = plt.subplots(1, len(temperatures), figsize=(2.6 * len(temperatures), 2.8), layout="constrained")
    for ax, T in zip(np.atleast_1d(axes), temperatures, strict=True):
        k = int(np.argmin(np.abs(samples.T - T)))
        draw_lattice_field(ax, lattice, samples.configs[k, index])
        ax.set_title(f"T = {samples.T[k]:.2f} J\nm = {samples.magnetization[k, index]:+.2f}", fontsize=10)
    return fig


def pca_figure(result: PCAResult, *, n: int, exact_tc: float | None = None, n_bars: int = 10) -> Figure:
    """Left: the first principal score divided by sqrt(n) against temperature; right: explained-variance ratios.

    For a uniform first component the left panel shows the magnetisation per spin of every configuration.

    Examples
    --------
    >>> from spinlab import mlising
    >>> s = mlising.sample(mlising.square(8), [1.5, 2.3, 4.0], 20, seed=2)
    >>> len(pca_figure(mlising.pca(s), n=64, exact_tc=mlising.T_C_SQUARE).axes)
    2
    >>> plt.close("all")
    """
    if not isinstance(result, PCAResult):
        raise TypeError(f"result must be a spinlab.mlising.PCAResult, got {type(result).__name__}")
    n = check_int(n, "n", minimum=1)
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 3.8), layout="constrained", width_ratios=(1.6, 1))
    jitter = np.random.default_rng(0).uniform(-0.01, 0.01, result.row_T.size) * np.ptp(result.row_T)
    left.scatter(result.row_T + jitter, result.scores[:, 0] / np.sqrt(n), s=4, alpha=0.4, c="C0", linewidths=0)
    if exact_tc is not None:
        left.axvline(exact_tc, color="k", ls="--", lw=1, label="exact $T_c$")
        left.legend(loc="upper right")
    left.set(xlabel="temperature T (units of J)", ylabel="first PCA score / $\\sqrt{n}$", ylim=(-1.1, 1.1))
    k = min(n_bars, result.ratio.size)
    right.bar(np.arange(1, k + 1), result.ratio[:k], color="C1")
    right.set(xlabel="principal component", ylabel="explained variance ratio", yscale="log")
    right.set_xticks(np.arange(1, k + 1))
    return fig


def crossing_figure(estimates: Sequence[TcEstimate], *, ax: Axes | None = None, reduced: bool = False) -> Figure:
    """Mean predicted probability of order against T for several sizes, the 1/2 line and the exact T_c.

    ``reduced=True`` plots against T / T_c (exact), useful to put several lattices on one axis.

    Examples
    --------
    >>> from spinlab import mlising
    >>> s = mlising.sample(mlising.square(8), np.linspace(1.0, 4.0, 13), 20, seed=5)
    >>> est = mlising.locate_tc(mlising.train_classifier(s, epochs=100, seed=1), s, seed=0)
    >>> len(crossing_figure([est]).axes[0].lines) >= 2
    True
    >>> plt.close("all")
    """
    if not estimates or not all(isinstance(e, TcEstimate) for e in estimates):
        raise TypeError("estimates must be a non-empty sequence of spinlab.mlising.TcEstimate")
    fig = ax.figure if ax is not None else plt.figure(figsize=(6.4, 4.0), layout="constrained")
    ax = ax if ax is not None else fig.add_subplot()
    tc = CRITICAL_TEMPERATURES[estimates[0].lattice]
    scale = tc if reduced else 1.0
    colors = plt.cm.viridis(np.linspace(0.1, 0.85, len(estimates)))
    for est, color in zip(estimates, colors, strict=True):
        ax.errorbar(
            est.T / scale,
            est.probability,
            est.probability_err,
            color=color,
            marker="o",
            ms=3,
            lw=1.2,
            capsize=0,
            label=f"L = {est.L}: $T_c(L)$ = {est.tc:.3f}({round(1000 * est.tc_err):d})",
        )
    ax.axhline(0.5, color="0.4", lw=0.8)
    ax.axvline(tc / scale, color="k", ls="--", lw=1, label=f"exact $T_c$ = {tc:.4f}")
    xlabel = "T / $T_c$" if reduced else "temperature T (units of J)"
    ax.set(xlabel=xlabel, ylabel="mean P(ordered | s)", ylim=(-0.03, 1.03), title=f"{estimates[0].lattice} lattice")
    ax.legend(fontsize=8, loc="upper right")
    return fig


def extrapolation_figure(studies: Sequence[FiniteSizeStudy]) -> Figure:
    """T_c(L) against 1/L (nu = 1) with the fitted line for each lattice, relative to the exact T_c.

    Examples
    --------
    >>> from spinlab import mlising
    >>> study = mlising.finite_size_study("square", [6, 8], np.linspace(1.0, 4.0, 13), 20, epochs=80, seed=0)
    >>> len(extrapolation_figure([study]).axes)
    1
    >>> plt.close("all")
    """
    if not studies or not all(isinstance(s, FiniteSizeStudy) for s in studies):
        raise TypeError("studies must be a non-empty sequence of spinlab.mlising.FiniteSizeStudy")
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    for k, study in enumerate(studies):
        fit, tc = study.fit, study.exact_tc
        x = fit.L ** (-1.0 / fit.nu)
        label = f"{study.lattice}: $T_c$ = {fit.tc:.3f} ± {fit.tc_err:.3f} (exact {tc:.3f})"
        ax.errorbar(x, fit.tc_L / tc, fit.tc_L_err / tc, fmt="o", color=f"C{k}", ms=5, capsize=2, label=label)
        grid = np.linspace(0.0, x.max() * 1.05, 50)
        ax.plot(grid, (fit.tc + fit.slope * grid) / tc, color=f"C{k}", lw=1)
        ax.errorbar([0.0], [fit.tc / tc], [fit.tc_err / tc], fmt="D", color=f"C{k}", ms=6, capsize=3)
    ax.axhline(1.0, color="k", ls="--", lw=1, label="exact (Onsager, Houtappel, Wannier)")
    ax.set(xlabel="$L^{-1/\\nu}$ (1 / L for nu = 1)", ylabel="$T_c(L)$ / exact $T_c$", xlim=(-0.005, None))
    ax.legend(fontsize=8, loc="upper left")
    return fig
