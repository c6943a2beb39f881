"""Helpers for the replica-method chapter: disorder-sample tasks, RS curves and plots.

* :func:`sk_exact_sample` and :func:`sk_pt_energy_sample` are tasks for
  :func:`spinlab.sweep.disorder_average` (importable, so worker processes can run them): one SK
  sample built from a seed, its exact thermodynamics by enumeration or its parallel-tempering
  energies.
* :func:`rs_curves` tabulates :func:`spinlab.replica.rs` along a temperature grid.
* :func:`plot_rs_order` and :func:`plot_phase_diagram` draw the order parameter, the
  de Almeida–Thouless stability parameter and the (T, h) phase diagram.

Conventions: H = -sum_{i<j} J_ij s_i s_j - h sum_i s_i with J_ij ~ N(0, 1/N) (T_c = 1),
energies, free energies and entropies per spin, temperatures and fields in units of J (k_B = 1).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes

from .._rng import SeedLike, child
from .._validate import check_int, check_real, check_temperatures
from ..exact import thermo
from ..mc import parallel_tempering
from ..models import sk
from ..replica import rs

__all__ = [
    "RSCurves",
    "plot_phase_diagram",
    "plot_rs_order",
    "rs_curves",
    "sk_exact_sample",
    "sk_pt_energy_sample",
]


def sk_exact_sample(sample_seed: SeedLike, *, n: int, temperatures) -> np.ndarray:
    """Exact free energy, energy and entropy per spin of one SK sample, by enumeration.

    The couplings are ``models.sk(n, seed=child 0 of sample_seed)`` (J_ij ~ N(0, 1/n)).

    Returns
    -------
    (3, K) float64 array: rows f, e, s at the K temperatures.

    Examples
    --------
    >>> sk_exact_sample(1, n=6, temperatures=[0.5, 2.0]).shape
    (3, 2)
    """
    n = check_int(n, "n", minimum=2, maximum=26)
    temps, _ = check_temperatures(temperatures, "temperatures")
    th = thermo(sk(n, seed=child(sample_seed, 0)), temps)
    return np.stack([th.free_energy, th.energy, th.entropy])


def sk_pt_energy_sample(sample_seed: SeedLike, *, n: int, temperatures, sweeps: int) -> np.ndarray:
    """Energy per spin of one SK sample by parallel tempering, in two time windows.

    Couplings from child 0 of ``sample_seed``, the Monte Carlo from child 1. One ladder runs
    ``sweeps`` sweeps; the energy is averaged over sweeps [s/4, s/2) and [s/2, s) (s = sweeps).
    Agreement of the two windows is the equilibration check; the second is the estimate.

    Returns
    -------
    (2, K) float64 array: the two window means at the K temperatures (ascending).

    Examples
    --------
    >>> out = sk_pt_energy_sample(1, n=16, temperatures=[0.5, 1.0, 2.0], sweeps=400)
    >>> out.shape
    (2, 3)
    """
    n = check_int(n, "n", minimum=2)
    sweeps = check_int(sweeps, "sweeps", minimum=4)
    model = sk(n, seed=child(sample_seed, 0))
    res = parallel_tempering(model, temperatures, sweeps, replicas=1, seed=child(sample_seed, 1), progress=False)
    e = res.energy[0]
    return np.stack([e[:, sweeps // 4 : sweeps // 2].mean(axis=1), e[:, sweeps // 2 :].mean(axis=1)])


@dataclass(frozen=True)
class RSCurves:
    """The replica-symmetric solution along a temperature grid at one field ``h``.

    Attributes
    ----------
    T : (K,) float64
        Temperatures [J].
    h : float
        Field [J].
    q, magnetization, free_energy, energy, entropy : (K,) float64
        RS order parameter, magnetisation and thermodynamics per spin.
    stability : (K,) float64
        beta^2 E_z sech^4(beta (sqrt(q) z + h)); RS is stable where it is <= 1.
    """

    T: np.ndarray
    h: float
    q: np.ndarray
    magnetization: np.ndarray
    free_energy: np.ndarray
    energy: np.ndarray
    entropy: np.ndarray
    stability: np.ndarray

    @property
    def stable(self) -> np.ndarray:
        """Boolean mask of the temperatures where the RS solution is stable."""
        return self.stability <= 1.0 + 1e-12


def rs_curves(T, h: float = 0.0) -> RSCurves:
    """Tabulate :func:`spinlab.replica.rs` at the temperatures ``T`` (all > 0) and field ``h``.

    Examples
    --------
    >>> c = rs_curves([0.5, 1.5])
    >>> float(c.q[1]), bool(c.stable[1]), bool(c.stable[0])
    (0.0, True, False)
    """
    temps, _ = check_temperatures(T)
    h = check_real(h, "h")
    sols = [rs(float(t), h) for t in temps]

    def column(name):
        return np.array([getattr(s, name) for s in sols])

    return RSCurves(
        T=temps,
        h=h,
        q=column("q"),
        magnetization=column("magnetization"),
        free_energy=column("free_energy"),
        energy=column("energy"),
        entropy=column("entropy"),
        stability=column("stability"),
    )


def _split_by_stability(curves: RSCurves, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two copies of ``values``: NaN outside the stable part, and NaN outside the unstable part.

    The unstable copy also keeps the stable points next to it, so the two pieces join.
    """
    stable = curves.stable
    near_unstable = ~stable
    near_unstable[1:] |= ~stable[:-1]
    near_unstable[:-1] |= ~stable[1:]
    return np.where(stable, values, np.nan), np.where(near_unstable, values, np.nan)


def plot_rs_order(
    ax_q: Axes,
    ax_stability: Axes,
    curves: RSCurves,
    *,
    color=None,
    label: str | None = None,
    T_mark: float | None = None,
) -> None:
    """Draw q(T) on ``ax_q`` and the stability parameter on ``ax_stability`` for one field.

    Both curves are solid where RS is stable and dashed where it is not (below the AT line).
    The stability axis is logarithmic with a horizontal line at 1. ``T_mark`` adds a marker at
    that temperature (values interpolated along the curves).
    """
    for ax, values in ((ax_q, curves.q), (ax_stability, curves.stability)):
        stable_part, unstable_part = _split_by_stability(curves, values)
        (line,) = ax.plot(curves.T, stable_part, color=color, lw=2, label=label)
        ax.plot(curves.T, unstable_part, color=line.get_color(), lw=2, ls="--")
        if T_mark is not None:
            ax.plot([T_mark], [np.interp(T_mark, curves.T, values)], "o", color=line.get_color(), ms=9, mec="k")
    ax_q.set_xlabel("temperature T [J]")
    ax_q.set_ylabel("RS order parameter q")
    ax_stability.set_xlabel("temperature T [J]")
    ax_stability.set_ylabel(r"stability parameter $\beta^2\, \mathbb{E}_z \operatorname{sech}^4$")
    ax_stability.set_yscale("log")
    ax_stability.axhline(1.0, color="k", lw=1)


def plot_phase_diagram(ax: Axes, T_line, h_line, *, T_max: float = 1.4, h_max: float = 2.0) -> None:
    """Shade the (T, h) plane: replica symmetry broken below the AT line, RS stable above it.

    ``T_line``, ``h_line`` are points of the de Almeida–Thouless line (from
    :func:`spinlab.replica.at_field` or :func:`spinlab.replica.at_temperature`), in any order,
    reaching h >= ``h_max`` at their low-temperature end (the line diverges as T -> 0). The line
    is clipped at ``h_max`` and closed with the point (T_c, 0) = (1, 0). The field axis shows
    h >= 0; the diagram is symmetric under h -> -h.
    """
    T_line = np.asarray(T_line, dtype=float)
    h_line = np.asarray(h_line, dtype=float)
    if T_line.shape != h_line.shape or T_line.ndim != 1 or T_line.size == 0:
        raise ValueError(f"T_line and h_line must be 1-d arrays of one length, got {T_line.shape}, {h_line.shape}")
    if T_max <= 1.0 or h_max <= 0.0:
        raise ValueError(f"need T_max > 1 and h_max > 0, got T_max = {T_max}, h_max = {h_max}")
    order = np.argsort(T_line)
    T_edge = np.concatenate([[0.0], T_line[order], [1.0]])
    h_edge = np.minimum(np.concatenate([[h_max], h_line[order], [0.0]]), h_max)
    ax.fill_between(T_edge, 0.0, h_edge, color="tab:red", alpha=0.25, lw=0, label="RS unstable (RSB)")
    ax.fill_between(T_edge, h_edge, h_max, color="tab:blue", alpha=0.15, lw=0, label="RS stable")
    ax.fill_between([1.0, T_max], 0.0, h_max, color="tab:blue", alpha=0.15, lw=0)
    drawn = np.concatenate([[False], h_line[order] <= h_max, [True]])
    ax.plot(T_edge[drawn], h_edge[drawn], color="k", lw=2, label="AT line")
    ax.plot([1.0, T_max], [0.0, 0.0], color="tab:blue", lw=4, solid_capstyle="butt", label="paramagnet (q = 0)")
    ax.plot([1.0], [0.0], "o", color="k", ms=6, clip_on=False)
    ax.set_xlim(0.0, T_max)
    ax.set_ylim(0.0, h_max)
    ax.set_xlabel("temperature T [J]")
    ax.set_ylabel("field h [J]")
