"""Plot helpers for the parallel-tempering and overlap chapters.

Conventions: temperatures in units of J (k_B = 1); overlaps q = (1/n) sum_i s^a_i s^b_i take the
n + 1 values -1, -1 + 2/n, ..., 1, so a histogram of probabilities p_k per value becomes a
probability *density* P(q) = p_k n / 2 (bins of width 2/n), which can be compared across n.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from matplotlib.axes import Axes
from matplotlib.lines import Line2D

from .._validate import check_int, check_temperatures

__all__ = ["overlap_density", "plot_overlap_density", "plot_size_curves", "plot_swap_acceptance"]


def overlap_density(q, p, err, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Convert per-value overlap probabilities into a probability density P(q) = p n / 2.

    Parameters
    ----------
    q, p, err : (n + 1,) or (n // 2 + 1,) arrays
        Overlap values, probabilities and their errors, as returned by
        :func:`spinlab.overlaps.overlap_histogram` (``absolute=True`` gives the shorter form).
    n : int
        Number of spins.

    Returns
    -------
    q, density, density_error : arrays
        The density integrates to one over q (sum of density * 2 / n = 1 for the full form).

    Examples
    --------
    >>> q, d, e = overlap_density([-1.0, 0.0, 1.0], [0.25, 0.5, 0.25], [0.0, 0.1, 0.0], 2)
    >>> d.tolist(), e.tolist()
    ([0.25, 0.5, 0.25], [0.0, 0.1, 0.0])
    """
    n = check_int(n, "n", minimum=1)
    q = np.asarray(q, dtype=np.float64)
    p = np.asarray(p, dtype=np.float64)
    err = np.asarray(err, dtype=np.float64)
    if q.ndim != 1 or p.shape != q.shape or err.shape != q.shape:
        raise ValueError(f"q, p and err must be 1-d arrays of one length, got {q.shape}, {p.shape}, {err.shape}")
    if q.size not in (n + 1, n // 2 + 1):
        raise ValueError(f"q must hold the n + 1 = {n + 1} overlap values (or the non-negative half), got {q.size}")
    return q, p * n / 2.0, err * n / 2.0


def plot_overlap_density(
    ax: Axes, q, p, err, n: int, *, label: str | None = None, color=None, band_alpha: float = 0.25, **line
) -> Line2D:
    """Draw P(q) as a line with a shaded one-sigma band (see :func:`overlap_density`).

    Returns the line; the band is an extra ``PolyCollection`` on ``ax``. Axis labels are set to
    "overlap q" and "probability density P(q)".

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> line = plot_overlap_density(ax, [-1.0, 0.0, 1.0], [0.25, 0.5, 0.25], [0.0, 0.1, 0.0], 2, label="n = 2")
    >>> line.get_ydata().tolist()
    [0.25, 0.5, 0.25]
    >>> plt.close(fig)
    """
    q, density, error = overlap_density(q, p, err, n)
    (artist,) = ax.plot(q, density, color=color, label=label, **({"lw": 1.3} | line))
    band = np.nan_to_num(error)
    ax.fill_between(q, density - band, density + band, color=artist.get_color(), alpha=band_alpha, lw=0)
    ax.set_xlabel("overlap q")
    ax.set_ylabel("probability density P(q)")
    return artist


def plot_size_curves(
    ax: Axes,
    temperatures,
    curves: Mapping,
    *,
    ylabel: str,
    xlabel: str = "temperature T [J]",
    markers: str = "osD^v<>",
) -> list:
    """Plot one curve with error bars per system size against temperature.

    Parameters
    ----------
    ax : matplotlib Axes
    temperatures : (K,) array
        Temperatures [J].
    curves : mapping label -> (values, errors)
        One entry per size, e.g. ``{"L = 4": (g, g_err), ...}``; values and errors of shape (K,).
    ylabel, xlabel : str
        Axis labels.
    markers : str
        Marker symbols used in turn.

    Returns
    -------
    list of the ``ErrorbarContainer`` objects, in the order of ``curves``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> out = plot_size_curves(ax, [1.0, 1.2], {"L = 4": ([0.8, 0.6], [0.01, 0.02])}, ylabel="g")
    >>> len(out), ax.get_ylabel()
    (1, 'g')
    >>> plt.close(fig)
    """
    temps, _ = check_temperatures(temperatures, "temperatures")
    if not isinstance(curves, Mapping) or not curves:
        raise TypeError("curves must be a non-empty mapping label -> (values, errors)")
    out = []
    for index, (label, pair) in enumerate(curves.items()):
        values, errors = (np.asarray(a, dtype=np.float64) for a in pair)
        if values.shape != temps.shape or errors.shape != temps.shape:
            raise ValueError(f"curve {label!r} must have values and errors of shape {temps.shape}")
        marker = markers[index % len(markers)]
        out.append(ax.errorbar(temps, values, errors, fmt=f"{marker}-", ms=4, lw=1, capsize=2, label=str(label)))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.legend()
    return out


def plot_swap_acceptance(ax: Axes, temperatures, acceptance, *, label: str | None = None, **style) -> Line2D:
    """Plot the exchange acceptance of each neighbouring pair at the pair's geometric-mean temperature.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> line = plot_swap_acceptance(ax, [1.0, 4.0, 9.0], [0.5, 0.6])
    >>> line.get_xdata().tolist()
    [2.0, 6.0]
    >>> plt.close(fig)
    """
    temps, scalar = check_temperatures(temperatures, "temperatures")
    rates = np.asarray(acceptance, dtype=np.float64)
    if scalar or temps.size < 2 or rates.shape != (temps.size - 1,):
        raise ValueError(f"acceptance must have shape ({temps.size - 1},) for {temps.size} temperatures")
    if np.any((rates < 0) | (rates > 1)):
        raise ValueError("acceptance must lie between 0 and 1")
    mid = np.sqrt(temps[:-1] * temps[1:])
    (artist,) = ax.plot(mid, rates, **({"marker": "o", "ms": 4, "lw": 1} | style), label=label)
    ax.set_xlabel("temperature of the pair sqrt(T_k T_k+1) [J]")
    ax.set_ylabel("swap acceptance")
    ax.set_ylim(0, 1)
    return artist
