"""Energy landscapes of small spin systems: local minima, frustration, gauge transforms, drawings.

Everything here works on the output of :func:`spinlab.exact.enumerate_energies` (total
energies of all 2**n configurations indexed by code, bit k set <=> s_k = +1) or on spinlab
models directly. Energies passed in are **total** energies; drawings show energies **per spin**
(in units of J). Conventions: H = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i, spins ±1.

Examples
--------
>>> import spinlab
>>> from spinlab.plots import landscape
>>> energies = spinlab.exact.enumerate_energies(spinlab.models.ising2d(3))
>>> landscape.single_flip_minima(energies, strict=True).tolist()  # all down, all up
[0, 511]
"""

from __future__ import annotations

import numbers

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from .._validate import check_real, check_spins
from ..models import DenseModel, LatticeModel, Model

__all__ = [
    "gauge_transform",
    "hypercube_edges",
    "hypercube_layout",
    "plaquette_frustration",
    "plot_ea2d",
    "plot_hypercube",
    "single_flip_minima",
    "steepest_descent",
]

MAX_DRAWN_SPINS = 10


def _check_energies(energies, name: str = "energies") -> tuple[np.ndarray, int]:
    """A 1-d finite float array whose length is a power of two >= 2; returns it and n."""
    if not isinstance(energies, np.ndarray):
        raise TypeError(
            f"{name} must be a numpy array (from spinlab.exact.enumerate_energies), got {type(energies).__name__}"
        )
    if energies.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {energies.dtype}")
    size = energies.shape[0] if energies.ndim == 1 else -1
    if size < 2 or size & (size - 1):
        raise ValueError(f"{name} must be a 1-d array of length 2**n with n >= 1, got shape {energies.shape}")
    if not np.all(np.isfinite(energies)):
        raise ValueError(f"{name} must contain only finite values")
    return energies.astype(np.float64, copy=False), size.bit_length() - 1


def _check_model(model, name: str = "model") -> Model:
    if not isinstance(model, Model):
        raise TypeError(f"{name} must be a spinlab model (e.g. spinlab.models.ea(4, d=2)), got {type(model).__name__}")
    return model


def single_flip_minima(energies: np.ndarray, *, strict: bool = False, atol: float = 1e-9) -> np.ndarray:
    """Codes of the configurations that no single spin flip can lower in energy.

    A configuration s is a *single-flip local minimum* when E(s with spin k flipped) >= E(s) - atol
    for every k (with ``strict=True``: > E(s) + atol, so flat directions are excluded). Models with
    integer couplings (±J) have many zero-cost flips; ``strict`` separates isolated minima from
    plateaus.

    Parameters
    ----------
    energies : (2**n,) float array
        Total energies indexed by code, as returned by :func:`spinlab.exact.enumerate_energies`.
    strict : bool
        Require every flip to raise the energy by more than ``atol``.
    atol : float
        Absolute energy tolerance (units of J) for comparing energies, >= 0.

    Returns
    -------
    (k,) int64 array of codes, increasing.

    Examples
    --------
    >>> import numpy as np
    >>> single_flip_minima(np.array([-1.0, 1.0, 1.0, -1.0])).tolist()  # two coupled spins
    [0, 3]
    """
    energies, n = _check_energies(energies)
    atol = check_real(atol, "atol")
    if atol < 0:
        raise ValueError(f"atol must be >= 0, got {atol}")
    if not isinstance(strict, bool):
        raise TypeError(f"strict must be True or False, got {type(strict).__name__}")
    codes = np.arange(energies.shape[0], dtype=np.int64)
    stable = np.ones(energies.shape[0], dtype=bool)
    for k in range(n):
        neighbour = energies[codes ^ (1 << k)]
        stable &= neighbour > energies + atol if strict else neighbour >= energies - atol
    return np.flatnonzero(stable).astype(np.int64)


def steepest_descent(energies: np.ndarray, starts=None, *, atol: float = 1e-9) -> np.ndarray:
    """Where zero-temperature steepest descent by single spin flips ends, for each starting code.

    At each step the flip that lowers the energy most is made (ties go to the lowest spin index);
    the walk stops when no flip lowers the energy by more than ``atol``. The end points are
    single-flip local minima (:func:`single_flip_minima`), and grouping starts by their end point
    gives the basins of attraction of the minima.

    Parameters
    ----------
    energies : (2**n,) float array
        Total energies indexed by code, from :func:`spinlab.exact.enumerate_energies`.
    starts : int array, optional
        Starting codes in [0, 2**n); all 2**n configurations when omitted.
    atol : float
        Smallest energy decrease (units of J) that counts as a descent, >= 0.

    Returns
    -------
    int64 array of end codes, same shape as ``starts``.

    Examples
    --------
    >>> import numpy as np
    >>> steepest_descent(np.array([-1.0, 1.0, 1.0, -1.0])).tolist()  # ties: flip spin 0 first
    [0, 0, 3, 3]
    """
    energies, n = _check_energies(energies)
    atol = check_real(atol, "atol")
    if atol < 0:
        raise ValueError(f"atol must be >= 0, got {atol}")
    if starts is None:
        current = np.arange(energies.shape[0], dtype=np.int64)
    else:
        current = np.asarray(starts)
        if current.dtype.kind not in "iu":
            raise TypeError(f"starts must be an array of integer codes, got dtype {current.dtype}")
        if current.size and (current.min() < 0 or current.max() >= energies.shape[0]):
            raise ValueError(
                f"starts must lie in [0, {energies.shape[0]}), got values in [{current.min()}, {current.max()}]"
            )
        current = current.astype(np.int64)
    shape = current.shape
    current = current.ravel().copy()
    flips = np.int64(1) << np.arange(n, dtype=np.int64)
    active = np.arange(current.size)
    while active.size:
        neighbours = current[active, None] ^ flips[None, :]
        best = np.argmin(energies[neighbours], axis=1)
        target = neighbours[np.arange(active.size), best]
        moves = energies[target] < energies[current[active]] - atol
        current[active[moves]] = target[moves]
        active = active[moves]
    return current.reshape(shape)


def plaquette_frustration(model: LatticeModel) -> np.ndarray:
    """Which elementary plaquettes of a lattice model are frustrated.

    The plaquette with lower-left corner at site i in the plane of directions (a, b), a < b, has bonds
    J(i, i+a), J(i+a, i+a+b), J(i+b, i+a+b) and J(i, i+b). It is frustrated when their product is
    negative: then no spin configuration satisfies all four bonds. The result is unchanged by a gauge
    transformation (:func:`gauge_transform`).

    Parameters
    ----------
    model : LatticeModel
        A periodic lattice model (e.g. :func:`spinlab.models.ea`).

    Returns
    -------
    (n, d(d-1)/2) bool array; column order (0,1), (0,2), (1,2) for d = 3 (one column in 2D).

    Examples
    --------
    >>> import spinlab
    >>> plaquette_frustration(spinlab.models.ising2d(4)).sum()  # a ferromagnet is never frustrated
    np.int64(0)
    """
    model = _check_model(model)
    if not isinstance(model, LatticeModel):
        raise TypeError(f"model must be a LatticeModel (lattice with plaquettes), got {type(model).__name__}")
    plus, nb = model.bonds_plus, model.neighbours
    sites = np.arange(model.n)
    columns = []
    for a in range(model.d):
        for b in range(a + 1, model.d):
            ia, ib = nb[:, a], nb[:, b]
            product = plus[sites, a] * plus[ia, b] * plus[ib, a] * plus[sites, b]
            columns.append(product < 0)
    return np.stack(columns, axis=1)


def gauge_transform(model: Model, epsilon) -> Model:
    """Apply the gauge transformation s_i -> eps_i s_i, J_ij -> eps_i eps_j J_ij, h_i -> eps_i h_i.

    The transformed model has exactly the same energy spectrum: the configuration with code c in the
    old model has the energy of the configuration with code c XOR mask in the new one, where mask has
    bit i set wherever eps_i = -1. Lattice models stay lattice models.

    Parameters
    ----------
    model : Model
        Any spinlab model.
    epsilon : (n,) array of ±1
        The gauge signs.

    Examples
    --------
    >>> import numpy as np, spinlab
    >>> m = spinlab.models.ising2d(2)
    >>> g = gauge_transform(m, np.array([1, -1, -1, 1]))
    >>> float(g.energy(np.array([1, -1, -1, 1])))  # the image of the all-up ground state
    -2.0
    """
    model = _check_model(model)
    eps, single = check_spins(epsilon, model.n, "epsilon")
    if not single:
        raise ValueError(f"epsilon must have shape ({model.n},), got shape {np.shape(epsilon)}")
    eps = eps[0].astype(np.float64)
    h = eps * model.h
    if isinstance(model, LatticeModel):
        plus = model.bonds_plus * eps[:, None] * eps[model.neighbours[:, : model.d]]
        return LatticeModel.build(f"{model.name} (gauge transformed)", model.L, model.d, np.ascontiguousarray(plus), h)
    J = model.to_dense() * np.outer(eps, eps)
    return DenseModel(name=f"{model.name} (gauge transformed)", h=h, J=J)


def _check_n(n, name: str = "n", maximum: int = 20) -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(n).__name__} {n!r}")
    if not 1 <= int(n) <= maximum:
        raise ValueError(f"{name} must be between 1 and {maximum}, got {n}")
    return int(n)


def hypercube_edges(n: int) -> np.ndarray:
    """All single-spin-flip moves as pairs of codes (c, c XOR 2**k) with c < c XOR 2**k.

    Returns an (n 2**(n-1), 2) int64 array: the edges of the n-dimensional hypercube.

    Examples
    --------
    >>> hypercube_edges(2).tolist()
    [[0, 1], [2, 3], [0, 2], [1, 3]]
    """
    n = _check_n(n)
    codes = np.arange(1 << n, dtype=np.int64)
    pairs = []
    for k in range(n):
        low = codes[(codes >> k) & 1 == 0]
        pairs.append(np.stack([low, low | (1 << k)], axis=1))
    return np.concatenate(pairs)


def hypercube_layout(n: int) -> np.ndarray:
    """Planar positions of the 2**n configurations: the projection sum_k s_k r_k (cos(pi k/n), sin(pi k/n)).

    A Petrie-like projection that draws the hypercube as a near-symmetric polygon. The radii
    r_k = 1 + 0.3 k/(n-1) break the exact symmetry of the regular projection, which would put
    distinct configurations on the same point; with them all 2**n positions are distinct for n <= 8.
    The configuration -s sits at the point opposite to s. Returns a (2**n, 2) float array indexed by code.

    Examples
    --------
    >>> hypercube_layout(1).tolist()  # s_0 = -1 at the left, +1 at the right
    [[-1.0, 0.0], [1.0, 0.0]]
    """
    n = _check_n(n)
    angles = np.pi * np.arange(n) / n
    radii = 1.0 + 0.3 * np.arange(n) / max(n - 1, 1)
    directions = np.stack([np.cos(angles), np.sin(angles)], axis=1) * radii[:, None]
    bits = (np.arange(1 << n)[:, None] >> np.arange(n)) & 1
    positions = (2 * bits - 1) @ directions
    positions[np.abs(positions) < 1e-12] = 0.0
    return positions


def _ground_codes(energies: np.ndarray) -> np.ndarray:
    return np.flatnonzero(energies <= energies.min() + 1e-9 * (1 + abs(energies.min())))


def plot_hypercube(
    energies: np.ndarray,
    *,
    layout: str = "projection",
    ax: Axes | None = None,
    cmap: str = "viridis",
    colorbar: bool = True,
) -> Axes:
    """Draw all 2**n configurations (n <= 10) and the single-flip moves between them.

    Single-flip local minima (:func:`single_flip_minima`, non-strict) are circled in red; the ground
    states are drawn as stars.

    Parameters
    ----------
    energies : (2**n,) float array
        Total energies from :func:`spinlab.exact.enumerate_energies`.
    layout : {"projection", "landscape"}
        ``"projection"``: the hypercube drawn by :func:`hypercube_layout`, nodes coloured by energy per
        spin. ``"landscape"``: x is the Hamming distance from the first ground state (number of spins
        that differ), y the energy per spin; edges join configurations one flip apart.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    cmap : str
        Matplotlib colour map for the energy per spin (projection layout).
    colorbar : bool
        Add a colour bar labelled "energy per spin e [J]" (projection layout).

    Examples
    --------
    >>> import spinlab
    >>> ax = plot_hypercube(spinlab.exact.enumerate_energies(spinlab.models.sk(4, seed=0)))
    >>> len(ax.collections) >= 2
    True
    """
    energies, n = _check_energies(energies)
    if n > MAX_DRAWN_SPINS:
        raise ValueError(f"energies must describe at most {MAX_DRAWN_SPINS} spins to be drawn, got n = {n}")
    if layout not in ("projection", "landscape"):
        raise ValueError(f"layout must be 'projection' or 'landscape', got {layout!r}")
    if ax is None:
        _, ax = plt.subplots(figsize=(5.0, 4.6))
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    per_spin = energies / n
    ground = _ground_codes(energies)
    if layout == "projection":
        pos = hypercube_layout(n)
    else:
        distance = np.bitwise_count(np.arange(1 << n, dtype=np.int64) ^ ground[0])
        pos = np.stack([distance.astype(np.float64), per_spin], axis=1)
    edges = hypercube_edges(n)
    ax.add_collection(LineCollection(pos[edges], colors="0.75", linewidths=0.5, zorder=1))
    minima = single_flip_minima(energies)
    others = np.setdiff1d(minima, ground)
    if layout == "projection":
        points = ax.scatter(*pos.T, c=per_spin, cmap=cmap, s=40, zorder=2, edgecolors="0.3", linewidths=0.4)
        if colorbar:
            ax.figure.colorbar(points, ax=ax, label="energy per spin e [J]", shrink=0.85)
    else:
        ax.scatter(*pos.T, c="0.35", s=14, zorder=2, label="configuration")
    ax.scatter(
        *pos[others].T, s=140, facecolors="none", edgecolors="tab:red", linewidths=1.5, zorder=3, label="local minimum"
    )
    ax.scatter(
        *pos[ground].T, s=220, marker="*", c="tab:red", edgecolors="k", linewidths=0.5, zorder=4, label="ground state"
    )
    if layout == "projection":
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for side in ("left", "bottom", "top", "right"):
            ax.spines[side].set_visible(False)
        ax.legend(loc="lower right", fontsize=9, framealpha=0.9, frameon=True)
    else:
        ax.set_xticks(range(n + 1))
        ax.set_xlabel("Hamming distance from the ground state")
        ax.set_ylabel("energy per spin e [J]")
        ax.legend(loc="upper left", fontsize=9, framealpha=0.9, frameon=True)
    return ax


def plot_ea2d(
    model: LatticeModel, spins=None, *, ax: Axes | None = None, title: str | None = None, legend: bool = False
) -> Axes:
    """Draw a 2D periodic lattice model: bonds, frustrated plaquettes and (optionally) a spin configuration.

    Ferromagnetic bonds (J > 0) are solid blue, antiferromagnetic ones (J < 0) dashed red, with widths
    proportional to |J|. Frustrated plaquettes (:func:`plaquette_frustration`) are shaded. Bonds that
    wrap around the torus are drawn as half-length stubs at both edges. With ``spins``, up spins are
    filled and down spins open circles, and bonds left unsatisfied (J_ij s_i s_j < 0) are underlaid in
    yellow.

    Parameters
    ----------
    model : LatticeModel
        A two-dimensional lattice model (``model.d == 2``).
    spins : (n,) array of ±1, optional
        A configuration to show, site index i = x + L*y.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made when omitted.
    title : str, optional
        Axes title.
    legend : bool
        Explain the symbols in a legend placed to the right of the axes.

    Examples
    --------
    >>> import spinlab
    >>> ax = plot_ea2d(spinlab.models.ea(4, d=2, seed=1))
    >>> tuple(float(v) for v in ax.get_xlim())
    (-0.5, 3.5)
    """
    model = _check_model(model)
    if not isinstance(model, LatticeModel) or model.d != 2:
        raise ValueError(f"model must be a two-dimensional LatticeModel, got {model!r}")
    if spins is not None:
        batch, single = check_spins(spins, model.n)
        if not single:
            raise ValueError(f"spins must have shape ({model.n},), got shape {np.shape(spins)}")
        spins = batch[0]
    if ax is None:
        _, ax = plt.subplots(figsize=(4.6, 4.6))
    elif not isinstance(ax, Axes):
        raise TypeError(f"ax must be a matplotlib Axes or None, got {type(ax).__name__}")
    L = model.L
    sites = np.arange(model.n)
    x, y = sites % L, sites // L
    frustrated = plaquette_frustration(model)[:, 0]
    for i in np.flatnonzero(frustrated):
        for shift_x in (0, -L) if x[i] == L - 1 else (0,):
            for shift_y in (0, -L) if y[i] == L - 1 else (0,):
                ax.add_patch(
                    Rectangle((x[i] + shift_x, y[i] + shift_y), 1, 1, color="tab:orange", alpha=0.35, lw=0, zorder=0)
                )
    scale = np.abs(model.bonds_plus).max() or 1.0
    for a, (dx, dy) in enumerate(((1, 0), (0, 1))):
        for i in sites:
            J = model.bonds_plus[i, a]
            j = model.neighbours[i, a]
            wraps = (x[i] + dx >= L) or (y[i] + dy >= L)
            segments = (
                [[(x[i], y[i]), (x[i] + dx / 2, y[i] + dy / 2)], [(x[j] - dx / 2, y[j] - dy / 2), (x[j], y[j])]]
                if wraps
                else [[(x[i], y[i]), (x[i] + dx, y[i] + dy)]]
            )
            style = {"color": "tab:blue", "linestyle": "-"} if J > 0 else {"color": "tab:red", "linestyle": "--"}
            width = 0.5 + 2.5 * abs(J) / scale
            for seg in segments:
                (x0, y0), (x1, y1) = seg
                if spins is not None and J * spins[i] * spins[j] < 0:
                    ax.plot([x0, x1], [y0, y1], color="gold", lw=width + 6, solid_capstyle="butt", zorder=1)
                ax.plot([x0, x1], [y0, y1], lw=width, zorder=2, **style)
    if spins is not None:
        up = spins > 0
        ax.scatter(x[up], y[up], s=120, c="k", zorder=3)
        ax.scatter(x[~up], y[~up], s=120, facecolors="white", edgecolors="k", linewidths=1.5, zorder=3)
    else:
        ax.scatter(x, y, s=40, c="k", zorder=3)
    ax.set_xlim(-0.5, L - 0.5)
    ax.set_ylim(-0.5, L - 0.5)
    ax.set_aspect("equal")
    ax.set_xticks(range(L))
    ax.set_yticks(range(L))
    ax.set_xlabel("lattice column x")
    ax.set_ylabel("lattice row y")
    ax.grid(False)
    if title is not None:
        ax.set_title(title)
    if legend:
        handles = [
            Line2D([], [], color="tab:blue", lw=2, label="J > 0"),
            Line2D([], [], color="tab:red", lw=2, ls="--", label="J < 0"),
            Patch(color="tab:orange", alpha=0.35, label="frustrated\nplaquette"),
        ]
        if spins is not None:
            handles += [
                Line2D([], [], color="gold", lw=6, label="unsatisfied\nbond"),
                Line2D([], [], marker="o", color="k", ls="", ms=9, label="spin +1"),
                Line2D([], [], marker="o", mfc="white", mec="k", ls="", ms=9, label="spin −1"),
            ]
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9, frameon=False)
    return ax
