"""Figures of the loss-landscape chapter: random walks, interpolation paths, barriers, dendrograms, sharpness.

All helpers draw on matplotlib Axes passed in and return them. Losses are mean cross-entropies in
nats, distances Euclidean in parameter space (the flat parameter vector of :mod:`spinlab.nn`).

Examples
--------
>>> import matplotlib.pyplot as plt
>>> from spinlab import landscape as ls
>>> h = ls.ultrametric_analysis(np.array([[0, 1, 3], [1, 0, 3], [3, 3, 0.0]]), n_triplets=10, seed=0)
>>> fig, axes = plt.subplots(1, 2)
>>> hierarchy_plot(axes[0], axes[1], h).get_ylabel()
'state (dendrogram order)'
>>> plt.close(fig)
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes
from matplotlib.patches import Rectangle
from scipy.cluster import hierarchy

from .._validate import check_choice
from ..landscape import MEASURES, BarrierScan, Hierarchy, Interpolation, PairBarriers, RandomWalk, RuggednessScan

__all__ = [
    "barrier_plot",
    "hierarchy_plot",
    "interpolation_plot",
    "pair_barrier_plot",
    "ruggedness_plot",
    "triplet_plot",
    "walk_plot",
]

LABELS = {
    "flatness": "loss rise at fixed radius [nats]",
    "trace": "Hessian trace tr H [nats]",
    "top_eigenvalue": "top Hessian eigenvalue [nats]",
    "train_loss": "training loss [nats]",
    "test_loss": "test loss [nats]",
    "train_accuracy": "training accuracy",
    "test_accuracy": "test accuracy",
    "accuracy_gap": "generalisation gap (train - test accuracy)",
    "loss_gap": "generalisation gap (test - train loss) [nats]",
    "epochs": "epochs of training",
    "steps": "SGD steps",
}


def _check(obj, cls, name: str):
    if not isinstance(obj, cls):
        raise TypeError(f"{name} must be a spinlab.landscape.{cls.__name__}, got {type(obj).__name__}")
    return obj


def walk_plot(ax: Axes, walk: RandomWalk, *, color: str = "C0", label: str | None = None) -> Axes:
    """Training (solid) and test (dashed, when recorded) loss against the distance from the start.

    The escape threshold ``train_loss[0] + threshold`` is a dotted line and the escape radius a
    vertical mark.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab import landscape as ls, nn
    >>> net = nn.init_network(3, 4, 2, seed=0)
    >>> walk = ls.random_walk(net, np.eye(3), np.array([0, 1, 1]), n_steps=20, step_size=0.5, seed=1)
    >>> fig, ax = plt.subplots()
    >>> walk_plot(ax, walk).get_xlabel()
    'distance from the start ||θ - θ₀||'
    >>> plt.close(fig)
    """
    _check(walk, RandomWalk, "walk")
    text = label or f"{walk.mode}, step {walk.step_size:g}"
    ax.plot(walk.distance, walk.train_loss, color=color, lw=1.2, label=f"train, {text}")
    if np.all(np.isfinite(walk.test_loss)):
        ax.plot(walk.distance, walk.test_loss, color=color, lw=1.0, ls="--", label=f"test, {text}")
    ax.axhline(walk.train_loss[0] + walk.threshold, color="0.5", lw=0.8, ls=":")
    if np.isfinite(walk.escape_radius):
        ax.axvline(walk.escape_radius, color=color, lw=0.8, ls=":")
    ax.set(xlabel="distance from the start ||θ - θ₀||", ylabel="mean loss [nats]")
    return ax


def interpolation_plot(
    ax: Axes, path: Interpolation, *, color: str = "C0", label: str = "", accuracy: bool = False
) -> Axes:
    """Loss (or accuracy) along the straight line ``(1 - alpha) theta_a + alpha theta_b``; test dashed.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab import landscape as ls, nn
    >>> net = nn.init_network(3, 4, 2, seed=0)
    >>> path = ls.interpolate(net, net.params, ls.permute_hidden(net, [1, 0, 3, 2]), np.eye(3), np.array([0, 1, 1]))
    >>> fig, ax = plt.subplots()
    >>> interpolation_plot(ax, path, label="copy").get_xlabel()
    'interpolation parameter α'
    >>> plt.close(fig)
    """
    _check(path, Interpolation, "path")
    train, test = (path.train_accuracy, path.test_accuracy) if accuracy else (path.train_loss, path.test_loss)
    ax.plot(path.alpha, train, color=color, marker="o", ms=3, lw=1.2, label=f"train {label}".strip())
    if np.all(np.isfinite(test)):
        ax.plot(path.alpha, test, color=color, ls="--", lw=1.0, label=f"test {label}".strip())
    ax.set(xlabel="interpolation parameter α", ylabel="accuracy" if accuracy else "mean loss [nats]", xlim=(0, 1))
    return ax


def barrier_plot(ax: Axes, scan: BarrierScan, *, color: str = "C0", test: bool = True) -> Axes:
    """Mean barrier (± standard error over random permutations) against the number of swapped hidden units.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab import landscape as ls, nn
    >>> net = nn.init_network(3, 4, 2, seed=0)
    >>> scan = ls.swap_barriers(net, np.eye(3), np.array([0, 1, 1]), swaps=[0, 2, 4], n_repeats=2, seed=0)
    >>> fig, ax = plt.subplots()
    >>> barrier_plot(ax, scan).get_ylabel()
    'barrier height [nats]'
    >>> plt.close(fig)
    """
    _check(scan, BarrierScan, "scan")
    ax.errorbar(scan.swaps, scan.mean, yerr=scan.error, color=color, marker="o", capsize=3, label="training set")
    if test and np.all(np.isfinite(scan.test_barriers)):
        n = scan.test_barriers.shape[1]
        err = scan.test_barriers.std(axis=1, ddof=1) / np.sqrt(n) if n > 1 else None
        ax.errorbar(
            scan.swaps, scan.test_barriers.mean(axis=1), yerr=err, color=color, marker="s", ls="--", mfc="white",
            capsize=3, label="test set",
        )  # fmt: skip
    ax.set(xlabel="number of permuted hidden units", ylabel="barrier height [nats]")
    return ax


def pair_barrier_plot(ax: Axes, pairs: PairBarriers) -> Axes:
    """Barrier of each pair of independent networks after Hungarian alignment against the raw barrier.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab import landscape as ls, nn
    >>> nets = [nn.init_network(3, 4, 2, seed=s).params for s in range(3)]
    >>> pb = ls.pair_barriers(nn.init_network(3, 4, 2), nets, np.eye(3), np.array([0, 1, 1]))
    >>> fig, ax = plt.subplots()
    >>> pair_barrier_plot(ax, pb).get_xlabel()
    'barrier as trained [nats]'
    >>> plt.close(fig)
    """
    _check(pairs, PairBarriers, "pairs")
    top = max(float(pairs.raw.max()), float(pairs.aligned.max()), 1e-12) * 1.08
    ax.plot([0, top], [0, top], color="0.6", lw=0.8, ls=":", label="no change")
    ax.scatter(pairs.raw, pairs.aligned, s=18, color="C3", label="pairs of networks")
    ax.set(xlabel="barrier as trained [nats]", ylabel="barrier after alignment [nats]", xlim=(0, top), ylim=(0, top))
    return ax


def hierarchy_plot(
    ax_tree: Axes,
    ax_matrix: Axes,
    h: Hierarchy,
    *,
    cmap: str = "viridis",
    n_clusters: int | None = None,
    label: str = "distance",
    colorbar: bool = True,
) -> Axes:
    """Dendrogram (``ax_tree``) and the distance matrix in dendrogram order (``ax_matrix``, returned).

    With ``n_clusters`` the tree is cut into that many clusters: the cut is a dashed line halfway
    between the two merge heights that bracket it, the branches below it are coloured by cluster and
    every cluster is outlined as a block on the ordered matrix.

    Examples
    --------
    See the module docstring.
    """
    _check(h, Hierarchy, "h")
    m = h.order.size
    threshold = 0.0
    if n_clusters is not None:
        if isinstance(n_clusters, bool) or not isinstance(n_clusters, (int, np.integer)) or not 1 <= n_clusters <= m:
            raise ValueError(f"n_clusters must be an integer in [1, {m}], got {n_clusters!r}")
        heights = np.concatenate([[0.0], h.linkage[:, 2], [h.linkage[-1, 2] * 1.05]])
        threshold = 0.5 * (heights[m - n_clusters] + heights[m - n_clusters + 1])
    hierarchy.dendrogram(h.linkage, ax=ax_tree, no_labels=True, color_threshold=threshold, above_threshold_color="0.3")
    ax_tree.set(ylabel=f"linkage {label}", xticks=[])
    image = ax_matrix.imshow(h.ordered(), cmap=cmap, interpolation="nearest")
    if colorbar:
        ax_matrix.figure.colorbar(image, ax=ax_matrix, label=label, shrink=0.8)
    if n_clusters is not None:
        ax_tree.axhline(threshold, color="k", ls="--", lw=1)
        labels = h.clusters(n_clusters)[h.order]
        edges = np.concatenate([[0], np.flatnonzero(np.diff(labels)) + 1, [m]]) - 0.5
        for a, b in zip(edges[:-1], edges[1:], strict=True):
            ax_matrix.add_patch(Rectangle((a, a), b - a, b - a, fill=False, edgecolor="white", lw=1.2))
    ax_matrix.set(xlabel="state (dendrogram order)", ylabel="state (dendrogram order)")
    return ax_matrix


def triplet_plot(ax: Axes, h: Hierarchy, *, label: str = "states", bins: int = 40) -> Axes:
    """Histograms of the triplet gap ``K = (d_max - d_mid) / sigma_d`` for the states and the shuffled control.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab import landscape as ls
    >>> h = ls.ultrametric_analysis(ls.state_distances(np.random.default_rng(0).normal(size=(8, 3))), seed=0)
    >>> fig, ax = plt.subplots()
    >>> triplet_plot(ax, h).get_xlabel()
    'triplet gap (d_max - d_mid) / σ_d'
    >>> plt.close(fig)
    """
    _check(h, Hierarchy, "h")
    edges = np.linspace(0.0, max(h.triplet_gaps.max(), h.control_gaps.max(), 1e-12), bins + 1)
    ax.hist(h.control_gaps, bins=edges, density=True, color="0.7", label="control (shuffled distances)")
    ax.hist(h.triplet_gaps, bins=edges, density=True, histtype="step", lw=1.6, color="C0", label=label)
    ax.set(xlabel="triplet gap (d_max - d_mid) / σ_d", ylabel="probability density")
    return ax


def ruggedness_plot(
    ax: Axes, scan: RuggednessScan, *, x: str = "flatness", y: str = "test_accuracy", lr_index: int = 0
) -> Axes:
    """Mean ± standard error over seeds of measure ``y`` against measure ``x``, one point per batch size.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from spinlab import landscape as ls, nn
    >>> X, y = nn.data.digits()
    >>> scan = ls.ruggedness_scan(X[:100], y[:100], X[100:150], y[100:150], width=4, epochs=1, batch_sizes=[8, 32],
    ...                           n_seeds=2, n_probes=2, max_iter=5, seed=0, executor="serial")
    >>> fig, ax = plt.subplots()
    >>> ruggedness_plot(ax, scan, x="trace").get_xlabel()
    'Hessian trace tr H [nats]'
    >>> plt.close(fig)
    """
    _check(scan, RuggednessScan, "scan")
    check_choice(x, "x", MEASURES)
    check_choice(y, "y", MEASURES)
    if not 0 <= lr_index < scan.lrs.size:
        raise ValueError(f"lr_index must be in [0, {scan.lrs.size - 1}], got {lr_index}")
    mx, my = scan.mean(x)[:, lr_index], scan.mean(y)[:, lr_index]
    ex, ey = scan.error(x)[:, lr_index], scan.error(y)[:, lr_index]
    ax.errorbar(mx, my, xerr=ex, yerr=ey, ls="none", marker="o", capsize=3, color="C0")
    for b, px, py in zip(scan.batch_sizes, mx, my, strict=True):
        ax.annotate(f"B={b}", (px, py), textcoords="offset points", xytext=(5, 5), fontsize=9)
    ax.set(xlabel=LABELS[x], ylabel=LABELS[y], title=f"learning rate {scan.lrs[lr_index]:g}")
    return ax
