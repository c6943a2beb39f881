"""Figures of the cover-encodings chapter: minimum counts, walk success, autocorrelation, preimage sizes.

All helpers draw on a matplotlib Axes passed in and return it. Costs are residues (number partitioning, in the
units of the weights) or energies per spin (spin glasses, units of J).

Examples
--------
>>> import matplotlib.pyplot as plt
>>> from spinlab import encodings
>>> land = encodings.exhaustive(encodings.partition_problem([8, 7, 6, 5, 4]), "cover")
>>> fig, ax = plt.subplots()
>>> preimage_plot(ax, land).get_ylabel()
'preimage size (genotypes per phenotype)'
>>> plt.close(fig)
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from .._validate import check_choice
from ..encodings import Autocorrelation, Landscape, MinimaScan

__all__ = ["autocorrelation_plot", "minima_plot", "preimage_plot", "success_plot"]

STATS = {
    "n_minima": "local minima (plateaus)",
    "n_traps": "trapping local minima",
    "success": "adaptive walks reaching the optimum",
    "optimal_fraction": "fraction of genotypes at the optimum",
    "rho1": "one-step autocorrelation rho(1)",
}
COLOURS = ("C0", "C3")
NAMES = ("direct", "cover")


def minima_plot(ax: Axes, scan: MinimaScan, stat: str = "n_traps", *, log: bool = True) -> Axes:
    """Instance average (± standard error) of ``stat`` against n for the direct and the cover encoding.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab.encodings import minima_scan
    >>> fig, ax = plt.subplots()
    >>> minima_plot(ax, minima_scan("spin_glass", [6, 8], 2, n_walks=10, seed=0)).get_xlabel()
    'number of spins n'
    >>> plt.close(fig)
    """
    stat = check_choice(stat, "stat", tuple(STATS))
    mean, err = scan.mean(stat), scan.error(stat)
    for e in range(2):
        ax.errorbar(scan.sizes, mean[e], yerr=err[e], marker="o", ms=4, capsize=3, color=COLOURS[e], label=NAMES[e])
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="number of spins n", ylabel=STATS[stat])
    ax.legend(frameon=False)
    return ax


def success_plot(ax: Axes, scan: MinimaScan, *, label: str = "") -> Axes:
    """Fraction of adaptive walks that reach the optimum against n, both encodings (linear axes)."""
    mean, err = scan.mean("success"), scan.error("success")
    for e in range(2):
        ax.errorbar(
            scan.sizes, mean[e], yerr=err[e], marker="o", ms=4, capsize=3, color=COLOURS[e], label=f"{NAMES[e]}{label}"
        )
    ax.set(xlabel="number of spins n", ylabel=STATS["success"], ylim=(-0.02, 1.02))
    ax.legend(frameon=False)
    return ax


def autocorrelation_plot(ax: Axes, curves: list[Autocorrelation], *, exact_n: int | None = None) -> Axes:
    """``rho(k)`` of random walks (log scale), one curve per encoding; optionally the elementary ``(1 - 4/n)^k``."""
    for ac in curves:
        colour = COLOURS[NAMES.index(ac.encoding)] if ac.encoding in NAMES else None
        keep = ac.rho > 0
        ax.plot(
            ac.lags[keep],
            ac.rho[keep],
            "o-",
            ms=3,
            color=colour,
            label=f"{ac.encoding}, l = {ac.correlation_length:.1f} flips",
        )
    if exact_n is not None:
        lags = np.arange(max(ac.lags[-1] for ac in curves) + 1)
        ax.plot(lags, (1 - 4 / exact_n) ** lags, "k--", lw=1, label=f"(1 - 4/n)^k, n = {exact_n}")
    ax.set_yscale("log")
    ax.set(xlabel="lag k [single flips]", ylabel="autocorrelation rho(k)")
    ax.legend(frameon=False, fontsize=8)
    return ax


def preimage_plot(ax: Axes, landscape: Landscape) -> Axes:
    """Preimage size of every phenotype class against its cost; the direct encoding's constant 2 for reference.

    Residues of number partitioning go on a symmetric-log axis (linear below 1), energies per spin on a linear one.
    """
    if not isinstance(landscape, Landscape):
        raise TypeError(f"landscape must be an encodings.Landscape, got {type(landscape).__name__}")
    sizes = landscape.preimage_sizes()
    costs = landscape.phenotype_costs()
    hit = sizes > 0
    ax.scatter(costs[hit], sizes[hit], s=4, alpha=0.4, color=COLOURS[1], label=f"{landscape.encoding} encoding")
    ax.axhline(2, color=COLOURS[0], lw=1, label="direct encoding (s and -s)")
    ax.set_yscale("log")
    if landscape.problem.kind == "partition":  # residues span decades and may be 0: log beyond 1, linear below
        ax.set_xscale("symlog", linthresh=1.0)
        ax.set_xlim(left=0)
    unit = "residue" if landscape.problem.kind == "partition" else "energy per spin [J]"
    ax.set(xlabel=f"phenotype cost ({unit})", ylabel="preimage size (genotypes per phenotype)")
    ax.legend(frameon=False, fontsize=8)
    return ax
