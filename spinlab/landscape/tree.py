"""Protocol 3, genealogies: a tree of trainings that branch from a common ancestor at several epochs.

Independently initialised networks are one way to collect many solutions; the spin-glass analogue
of Parisi's nested states is a family in which solutions share part of their history. One network
is trained with SGD; at epoch ``split_epochs[0]`` it is copied ``branching[0]`` times, and every
copy continues with its own minibatch order (its own SGD noise); at ``split_epochs[1]`` every copy
is copied again, and so on; all leaves are trained until ``epochs``. Two leaves whose lineages
separated at epoch ``t`` share their parameters up to ``t`` and then diverge under independent SGD
noise, so the distance between them is a function of ``t`` alone up to fluctuations, and the set
of leaves is ultrametric by construction if (and only if) that function separates the levels.
This is the cloning protocol used to test aging in networks (Baity-Jesi et al. 2018) and the
spawning protocol of linear-mode-connectivity studies (Frankle et al. 2020).

Seeds: the trunk (epochs before the first split) uses the shuffling stream ``child(s, 0)`` of the
root sequence ``s = child(seed, 0)``; a node with sequence ``s`` trains its segment with
``child(s, 0)`` and hands ``child(s, k + 1)`` to its ``k``-th child. A leaf therefore does not depend
on how many siblings or cousins it has.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_int, check_real
from ..nn import Network
from ._problem import heldout, problem, start_params
from .ruggedness import _check_momentum, _sgd

__all__ = ["TrainingTree", "training_tree"]


@dataclass(frozen=True)
class TrainingTree:
    """Leaves of a tree of trainings (:func:`training_tree`).

    Attributes
    ----------
    params : (m, D) float64
        Final parameters of the ``m = prod(branching)`` leaves, in lexicographic order of their paths.
    paths : (m, n_levels) int64
        ``paths[i, l]``: which child leaf ``i`` descends from at level ``l``.
    split_epochs : (n_levels,) int64
        Epochs at which the lineages split.
    epochs : int
        Total epochs of every leaf.
    train_loss, train_accuracy, test_loss, test_accuracy : (m,) float64
        Full-batch values at the leaves (test: NaN without a test set).
    """

    params: np.ndarray
    paths: np.ndarray
    split_epochs: np.ndarray
    epochs: int
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray

    def common_levels(self) -> np.ndarray:
        """(m, m) int64: number of levels two leaves share, ``l`` if they split at ``split_epochs[l]``.

        The diagonal holds ``n_levels``.
        """
        same = self.paths[:, None, :] == self.paths[None, :, :]
        return np.cumprod(same, axis=2).sum(axis=2).astype(np.int64)

    def split_epoch(self) -> np.ndarray:
        """(m, m) float64: the epoch at which two leaves' lineages separated (NaN on the diagonal)."""
        levels = self.common_levels()
        out = np.full(levels.shape, np.nan)
        mask = levels < self.split_epochs.size
        out[mask] = self.split_epochs[levels[mask]]
        return out

    def level_means(self, distances) -> tuple[np.ndarray, np.ndarray]:
        """Mean and standard deviation of ``distances`` over the pairs that split at each level, (n_levels,) each.

        ``distances`` is an (m, m) matrix over the leaves in this order (e.g. from
        :func:`~spinlab.landscape.state_distances`). A level without pairs (one child) gives NaN.
        """
        d = np.asarray(distances, dtype=np.float64)
        m = self.paths.shape[0]
        if d.shape != (m, m):
            raise ValueError(f"distances must have shape ({m}, {m}) like the leaves, got {d.shape}")
        levels = self.common_levels()
        upper = np.triu(np.ones((m, m), dtype=bool), 1)
        means, stds = np.full((2, self.split_epochs.size), np.nan)
        for k in range(self.split_epochs.size):
            pairs = d[upper & (levels == k)]
            if pairs.size:
                means[k], stds[k] = pairs.mean(), pairs.std()
        return means, stds


def training_tree(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    *,
    branching,
    split_epochs,
    epochs: int,
    batch_size: int = 32,
    lr: float = 0.05,
    momentum: float = 0.0,
    params=None,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> TrainingTree:
    """Train a genealogy of networks from ``params`` (default ``net.params``) with minibatch SGD.

    The common ancestor is trained until ``split_epochs[0]``; at each ``split_epochs[l]`` every
    lineage splits into ``branching[l]`` copies that continue with independent minibatch orders;
    every leaf is trained until ``epochs`` (see the module docstring for the seeds). The updates are
    those of :func:`spinlab.nn.train` (``batch_size``, ``lr``, ``momentum``).

    Parameters
    ----------
    net : Network
        Architecture and initialisation of the ancestor.
    X, y : arrays
        Training set.
    branching : sequence of int
        Children per lineage at each split (each >= 1); ``prod(branching)`` leaves.
    split_epochs : sequence of int
        Strictly increasing epochs of the splits, ``0 <= split_epochs[l] <= epochs``, one per level.
    epochs : int
        Total training of every leaf.
    batch_size, lr, momentum : as in :func:`spinlab.nn.train`
    params : (D,) array, optional
        Starting point of the ancestor (default ``net.params``).
    X_test, y_test : arrays, optional
        Held-out set evaluated at the leaves.
    seed : int, SeedSequence, Generator or None
    progress : bool or None
        Progress bar over the trained segments (default: off).

    Returns
    -------
    TrainingTree

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> net = nn.init_network(64, 6, 10, seed=0)
    >>> tree = training_tree(net, X[:200], y[:200], branching=[2, 3], split_epochs=[1, 3], epochs=4, seed=1)
    >>> tree.params.shape, tree.paths.tolist()[:4], tree.common_levels()[0].tolist()
    ((6, 460), [[0, 0], [0, 1], [0, 2], [1, 0]], [2, 1, 1, 0, 0, 0])
    """
    prob = problem(net, X, y)
    test = heldout(prob.net, X_test, y_test)
    theta = start_params(prob.net, params)
    branching = [check_int(b, "branching entry", minimum=1) for b in np.atleast_1d(branching)]
    splits = [check_int(e, "split_epochs entry", minimum=0) for e in np.atleast_1d(split_epochs)]
    epochs = check_int(epochs, "epochs", minimum=0)
    if not branching or len(branching) != len(splits):
        raise ValueError(
            f"branching and split_epochs must be non-empty and of equal length, got {branching} and {splits}"
        )
    if any(b <= a for a, b in zip(splits, splits[1:], strict=False)) or splits[-1] > epochs:
        raise ValueError(f"split_epochs must increase strictly and end at most at epochs = {epochs}, got {splits}")
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    lr = check_real(lr, "lr", positive=True)
    momentum = _check_momentum(momentum)

    def segment(start: np.ndarray, n_epochs: int, stream) -> np.ndarray:
        return _sgd(prob, start, batch_size, lr, momentum, n_epochs, None, 1, child(stream, 0)).params

    bounds = [*splits, epochs]
    n_segments = 1 + sum(int(np.prod(branching[: k + 1])) for k in range(len(branching)))
    bar = tqdm(total=n_segments, desc="segments", unit="segment", disable=not progress)
    root = child(seed_sequence(seed), 0)
    lineages = [(segment(theta, splits[0], root), root, ())]
    bar.update()
    for level, b in enumerate(branching):
        grown = []
        for start, stream, path in lineages:
            for k in range(b):
                sub = child(stream, k + 1)
                grown.append((segment(start, bounds[level + 1] - bounds[level], sub), sub, (*path, k)))
                bar.update()
        lineages = grown
    bar.close()
    leaves = np.array([p for p, _, _ in lineages])
    scores = np.array([prob.evaluate(p) for p in leaves])
    tests = np.array([test.evaluate(p) for p in leaves]) if test is not None else np.full_like(scores, np.nan)
    return TrainingTree(
        params=leaves,
        paths=np.array([path for _, _, path in lineages], dtype=np.int64),
        split_epochs=np.array(splits, dtype=np.int64),
        epochs=epochs,
        train_loss=scores[:, 0],
        train_accuracy=scores[:, 1],
        test_loss=tests[:, 0],
        test_accuracy=tests[:, 1],
    )
