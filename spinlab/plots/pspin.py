"""Figures for the spherical p-spin chapter: complexity curves, final-energy histograms, two-time correlations.

Conventions of :mod:`spinlab.pspin`: energies per spin in the units of the chosen normalisation
(``"var-n"``: Var H = N; ``"crisanti-sommers"``: energies divided by sqrt 2).
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from .._validate import check_int
from ..pspin import complexity, ground_state_energy, threshold_energy

__all__ = ["mark_energies", "plot_complexity", "plot_final_energies", "two_time_correlation"]


def mark_energies(ax: Axes, p: int, *, normalization: str = "var-n", vertical: bool = True) -> None:
    """Dashed lines at the ground-state energy E_0 (black) and the threshold energy E_th (red).

    Vertical lines (for an energy x-axis) by default, horizontal with ``vertical=False``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> mark_energies(ax, 3)
    >>> [round(line.get_xdata()[0], 3) for line in ax.get_lines()]
    [-1.657, -1.633]
    >>> plt.close(fig)
    """
    draw = ax.axvline if vertical else ax.axhline
    e0 = ground_state_energy(p, normalization=normalization)
    eth = threshold_energy(p, normalization=normalization)
    draw(e0, color="k", ls="--", lw=1.2, label=f"$E_0 = {e0:.3f}$")
    draw(eth, color="C3", ls="--", lw=1.2, label=rf"$E_{{\rm th}} = {eth:.3f}$")


def plot_complexity(ax: Axes, p: int, *, normalization: str = "var-n", e_min: float | None = None) -> None:
    """Annealed complexity of all critical points and of minima against the energy per spin.

    Draws :func:`spinlab.pspin.complexity` (``kind="total"`` solid, ``"minima"`` dotted) from ``e_min``
    (default a little below E_0) to 0.2 above zero, the zero line, and E_0 / E_th via :func:`mark_energies`.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> plot_complexity(ax, 3)
    >>> len(ax.get_lines())  # total, minima, zero line, E_0, E_th
    5
    >>> plt.close(fig)
    """
    e0 = ground_state_energy(p, normalization=normalization)
    lo = e0 - 0.12 * abs(e0) if e_min is None else float(e_min)
    E = np.linspace(lo, 0.2 * abs(e0), 600)
    ax.plot(E, complexity(E, p, normalization=normalization), color="C0", lw=2, label="all critical points")
    ax.plot(E, complexity(E, p, kind="minima", normalization=normalization), color="C2", lw=2, ls=":", label="minima")
    ax.axhline(0.0, color="0.5", lw=0.8)
    mark_energies(ax, p, normalization=normalization)
    ax.set_xlabel("energy per spin E")
    ax.set_ylabel(r"complexity $\Theta(E)$")


def plot_final_energies(
    ax: Axes, finals: dict, p: int, *, normalization: str = "var-n", bins: np.ndarray | None = None
) -> None:
    """Histograms (densities, step outlines) of final energies per spin, one per system size.

    ``finals`` maps N to a 1-d array of final energies; E_0 and E_th are marked.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots()
    >>> plot_final_energies(ax, {50: np.array([-1.5, -1.55, -1.6])}, 3)
    >>> ax.get_xlabel()
    'final energy per spin E'
    >>> plt.close(fig)
    """
    if not isinstance(finals, dict) or not finals:
        raise TypeError("finals must be a non-empty dict {N: array of final energies}")
    eth = threshold_energy(p, normalization=normalization)
    if bins is None:
        bins = np.linspace(ground_state_energy(p, normalization=normalization) - 0.03, eth + 0.3 * abs(eth), 40)
    for k, (n, values) in enumerate(sorted(finals.items())):
        ax.hist(
            np.asarray(values, dtype=float),
            bins=bins,
            density=True,
            histtype="step",
            lw=2,
            color=f"C{k}",
            label=f"N = {n}",
        )
    mark_energies(ax, p, normalization=normalization)
    ax.set_xlabel("final energy per spin E")
    ax.set_ylabel("probability density")


def two_time_correlation(saved_states: np.ndarray, waiting: int, later) -> np.ndarray:
    r"""Two-time correlation :math:`C(t, t_w) = x(t)\cdot x(t_w)/N`, averaged over runs.

    ``saved_states`` (runs, k, N) from :func:`spinlab.pspin.langevin` (``save_at=...``); ``waiting`` is
    the index of :math:`t_w` among the saved times and ``later`` the indices of the times t.

    Examples
    --------
    >>> x = np.ones((2, 3, 4)); x[:, 2] = [1, 1, -1, -1]
    >>> two_time_correlation(x, 0, [1, 2]).tolist()
    [1.0, 0.0]
    """
    S = np.asarray(saved_states, dtype=float)
    if S.ndim != 3:
        raise ValueError(f"saved_states must have shape (runs, times, N), got {S.shape}")
    waiting = check_int(waiting, "waiting", minimum=0, maximum=S.shape[1] - 1)
    idx = np.atleast_1d(np.asarray(later))
    if idx.dtype.kind not in "iu" or idx.size == 0 or idx.min() < 0 or idx.max() >= S.shape[1]:
        raise ValueError(f"later must be indices in [0, {S.shape[1] - 1}], got {later!r}")
    return np.einsum("rkn,rn->k", S[:, idx], S[:, waiting]) / (S.shape[0] * S.shape[2])
