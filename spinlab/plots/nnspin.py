"""Plot helpers for the chapter on neural networks as spin models.

Conventions: temperatures in units of the network weights (k_B = 1), training time in SGD steps,
eigenvalues of the bond matrix J of :func:`spinlab.nnspin.to_ising` in the same units.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.ticker import FormatStrFormatter, NullFormatter

__all__ = ["plot_power_law", "plot_spectrum"]


def plot_spectrum(ax: Axes, eigenvalues, *, reference=None, bins: int = 40, label: str = "trained") -> None:
    """Histogram (density) of a bond-matrix spectrum, optionally over a reference spectrum (initialisation).

    The reference is drawn as an outline and its largest eigenvalue (edge of the random bulk) as a dotted
    line, so outliers of the trained spectrum stand out.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> plot_spectrum(ax, np.array([-1.0, 0.0, 3.0]), reference=np.array([-1.0, 0.0, 1.0]))
    >>> ax.get_xlabel()
    'eigenvalue of J [weight units]'
    >>> plt.close(fig)
    """
    eig = np.asarray(eigenvalues, dtype=np.float64)
    if eig.ndim != 1 or eig.size < 2 or not np.all(np.isfinite(eig)):
        raise ValueError(f"eigenvalues must be a finite 1-d array of at least 2 values, got shape {eig.shape}")
    bins = int(bins)
    values = [eig] if reference is None else [eig, np.asarray(reference, dtype=np.float64)]
    lo, hi = min(v.min() for v in values), max(v.max() for v in values)
    edges = np.linspace(lo, hi, bins + 1) if hi > lo else bins
    ax.hist(eig, bins=edges, density=True, color="C0", alpha=0.7, label=label)
    if reference is not None:
        ref = values[1]
        ax.hist(ref, bins=edges, density=True, histtype="step", color="k", lw=1.2, label="initialisation")
        ax.axvline(ref.max(), color="k", ls=":", lw=1)
    ax.set(xlabel="eigenvalue of J [weight units]", ylabel="density")
    ax.legend(frameon=False)


def plot_power_law(ax: Axes, t, Tc, fit=None, *, color: str = "C0", label: str = "") -> None:
    """Melting temperature against training steps on log-log axes: every seed, the mean, and the fit.

    Parameters
    ----------
    ax : matplotlib Axes
    t : (K,) array of steps > 0
    Tc : (S, K) array (NaN: no hidden-order solution)
    fit : :class:`spinlab.nnspin.PowerLawFit` or None
        Drawn as a dashed line over the fitted range, labelled with the exponent and its interval.
    color, label : str

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> plot_power_law(ax, [1.0, 10.0], [[1.0, 2.0], [1.1, 2.1]])
    >>> ax.get_xscale(), ax.get_yscale()
    ('log', 'log')
    >>> plt.close(fig)
    """
    t = np.asarray(t, dtype=np.float64)
    Y = np.atleast_2d(np.asarray(Tc, dtype=np.float64))
    if t.ndim != 1 or Y.shape[1] != t.size:
        raise ValueError(f"Tc must have shape (seeds, {t.size}), got {Y.shape}")
    for row in Y:
        ax.plot(t, row, "o", color=color, alpha=0.35, ms=4)
    counts = np.sum(np.isfinite(Y), axis=0)
    logs = np.where(np.isfinite(Y), np.log(np.where(np.isfinite(Y), Y, 1.0)), 0.0).sum(axis=0)
    mean = np.where(counts > 0, np.exp(logs / np.maximum(counts, 1)), np.nan)
    ax.plot(t, mean, "s", color=color, ms=6, label=f"{label} geometric mean".strip())
    if fit is not None:
        line = fit.prefactor * t**fit.exponent
        text = f"fit a = {fit.exponent:.2f} [{fit.low:.2f}, {fit.high:.2f}]"
        ax.plot(t, line, "--", color=color, label=f"{label} {text}".strip())
    ax.set(xscale="log", yscale="log", xlabel="training time t [SGD steps]", ylabel="melting temperature T_c")
    ax.set_xticks(t)  # label the checkpoints themselves
    ax.xaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.yaxis.set_major_formatter(FormatStrFormatter("%g"))
    ax.yaxis.set_minor_formatter(FormatStrFormatter("%g"))
    ax.legend(frameon=False, fontsize=8)
