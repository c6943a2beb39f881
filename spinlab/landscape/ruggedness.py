"""Protocol 4: flatness and curvature of trained minima against generalisation.

Three measures of how sharp a minimum ``theta`` of the mean training loss ``L`` is:

* **flatness** (:func:`flatness`): the mean rise ``L(theta + r d) - L(theta)`` over random directions
  ``d`` at a fixed radius ``r`` (unit directions, or layer-normalised ones, see
  :func:`~spinlab.landscape.random_direction`); a finite-radius measure that sees beyond the quadratic
  region;
* the **Hessian trace** ``tr H`` (Hutchinson, :func:`~spinlab.landscape.hessian_trace`): for a
  quadratic minimum the isotropic rise is ``r^2 tr H / (2 D)``;
* the **top Hessian eigenvalue** (power iteration, :func:`~spinlab.landscape.top_eigenvalue`).

:func:`ruggedness_scan` trains many networks across batch sizes and learning rates and puts these
measures next to the test accuracy and the generalisation gap (Keskar et al. 2017: large batches
find sharper minima that generalise worse).
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_choice, check_int, check_real
from ..nn import Network, init_network, train
from ..sweep import disorder_average
from ._problem import Problem, problem, start_params
from .hessian import power_iteration, trace_estimate
from .walk import MODES, _direction

__all__ = ["MEASURES", "Flatness", "RuggednessScan", "flatness", "ruggedness_scan"]

MEASURES = (
    "flatness",
    "trace",
    "top_eigenvalue",
    "train_loss",
    "test_loss",
    "train_accuracy",
    "test_accuracy",
    "accuracy_gap",
    "loss_gap",
)


@dataclass(frozen=True)
class Flatness:
    """Loss rise at a fixed radius (:func:`flatness`).

    Attributes
    ----------
    rise : float
        Mean of ``L(theta + r d) - L(theta)`` over the directions [nats for cross-entropy].
    error : float
        Its standard error (NaN for one direction).
    rises : (n_directions,) float64
        The individual rises.
    radius : float
    mode : str
    """

    rise: float
    error: float
    rises: np.ndarray
    radius: float
    mode: str


def _flatness(prob: Problem, theta: np.ndarray, radius: float, n_directions: int, mode: str, seed) -> Flatness:
    rng = np.random.default_rng(seed_sequence(seed))
    base = prob.loss(theta)
    rises = np.empty(n_directions)
    for k in range(n_directions):
        rises[k] = prob.loss(theta + radius * _direction(prob.net, theta, mode, rng)) - base
    error = rises.std(ddof=1) / np.sqrt(n_directions) if n_directions > 1 else float("nan")
    return Flatness(float(rises.mean()), float(error), rises, radius, mode)


def flatness(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    *,
    radius: float,
    n_directions: int = 16,
    mode: str = "isotropic",
    params=None,
    seed: SeedLike = None,
) -> Flatness:
    """Mean rise of the training loss at distance ``radius`` along random directions.

    Parameters
    ----------
    net : Network
        Architecture and (unless ``params`` is given) the point probed.
    X, y : arrays
        Training set.
    radius : float
        Euclidean distance (``mode="isotropic"``) or relative block displacement (``mode="layer"``), > 0.
    n_directions : int
        Independent random directions (>= 1).
    mode : {"isotropic", "layer"}
    seed : int, SeedSequence, Generator or None

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> net = nn.train(nn.init_network(64, 8, 10, seed=0), X[:300], y[:300], epochs=20, lr=0.2, seed=1).network
    >>> small = flatness(net, X[:300], y[:300], radius=1.0, seed=2)
    >>> large = flatness(net, X[:300], y[:300], radius=4.0, seed=2)
    >>> bool(0 < small.rise < large.rise)
    True
    """
    prob = problem(net, X, y)
    theta = start_params(prob.net, params)
    radius = check_real(radius, "radius", positive=True)
    n_directions = check_int(n_directions, "n_directions", minimum=1)
    check_choice(mode, "mode", MODES)
    return _flatness(prob, theta, radius, n_directions, mode, seed)


class _RuggednessTask:
    """One training + measurement of :func:`ruggedness_scan` (picklable for process pools)."""

    def __init__(self, X, y, X_test, y_test, arch: dict, train_options: dict, measure_options: dict):
        self.X, self.y, self.X_test, self.y_test = X, y, X_test, y_test
        self.arch, self.train_options, self.measure = arch, train_options, measure_options

    def __call__(self, task_seed: np.random.SeedSequence) -> np.ndarray:
        net = init_network(**self.arch, seed=child(task_seed, 0))
        res = train(
            net, self.X, self.y, X_test=self.X_test, y_test=self.y_test, seed=child(task_seed, 1), **self.train_options
        )
        prob = problem(net, self.X, self.y)
        m = self.measure
        flat = _flatness(prob, res.params, m["radius"], m["n_directions"], m["mode"], child(task_seed, 2))
        trace = trace_estimate(prob, res.params, m["n_probes"], child(task_seed, 3))
        top = power_iteration(prob, res.params, m["max_iter"], m["tol"], child(task_seed, 4))
        train_loss, test_loss = res.train_loss[-1], res.test_loss[-1]
        train_acc, test_acc = res.train_accuracy[-1], res.test_accuracy[-1]
        return np.array(
            [flat.rise, trace.value, top.value, train_loss, test_loss, train_acc, test_acc,
             train_acc - test_acc, test_loss - train_loss]
        )  # fmt: skip


@dataclass(frozen=True)
class RuggednessScan:
    """Sharpness and generalisation of networks trained across batch sizes and learning rates.

    Attributes
    ----------
    batch_sizes : (n_b,) int64
    lrs : (n_l,) float64
    values : dict of str to (n_b, n_l, n_seeds) float64
        One array per name in ``MEASURES``: ``flatness`` (mean loss rise at ``radius``), ``trace``
        (Hutchinson estimate of tr H), ``top_eigenvalue``, final full-batch ``train_loss`` /
        ``test_loss`` [nats] and ``train_accuracy`` / ``test_accuracy``, ``accuracy_gap`` (train -
        test accuracy) and ``loss_gap`` (test - train loss).
    radius : float
    mode : str
    epochs : int
    seed : int
        Root entropy; network ``s`` has the same initialisation for every batch size and learning rate.
    """

    batch_sizes: np.ndarray
    lrs: np.ndarray
    values: dict
    radius: float
    mode: str
    epochs: int
    seed: int

    def mean(self, name: str) -> np.ndarray:
        """Mean of measure ``name`` over seeds, shape (n_b, n_l)."""
        return self.values[check_choice(name, "name", MEASURES)].mean(axis=2)

    def error(self, name: str) -> np.ndarray:
        """Standard error over seeds of measure ``name``, shape (n_b, n_l) (NaN for one seed)."""
        v = self.values[check_choice(name, "name", MEASURES)]
        if v.shape[2] < 2:
            return np.full(v.shape[:2], np.nan)
        return v.std(axis=2, ddof=1) / np.sqrt(v.shape[2])


def ruggedness_scan(
    X: np.ndarray,
    y: np.ndarray,
    X_test: np.ndarray,
    y_test: np.ndarray,
    *,
    width: int,
    epochs: int,
    batch_sizes,
    lrs=(0.05,),
    n_seeds: int = 4,
    momentum: float = 0.0,
    radius: float = 1.0,
    mode: str = "isotropic",
    n_directions: int = 8,
    n_probes: int = 16,
    max_iter: int = 200,
    tol: float = 1e-4,
    seed: SeedLike = None,
    executor: Executor | str | None = None,
    max_workers: int | None = None,
    progress: bool | None = None,
) -> RuggednessScan:
    """Train ``n_seeds`` ReLU networks per (batch size, learning rate) and measure sharpness and generalisation.

    Every configuration runs the tasks of :func:`spinlab.sweep.disorder_average` with the same root
    ``seed``: network ``s`` starts from the same initialisation and gets the same shuffling stream in
    every configuration (paired comparison). Each task trains with :func:`spinlab.nn.train` and then
    measures :func:`flatness` (``radius``, ``mode``, ``n_directions``), the Hutchinson trace
    (``n_probes``) and the top eigenvalue (power iteration, ``max_iter``, ``tol``) of the training-loss
    Hessian at the end point.

    Parameters
    ----------
    X, y, X_test, y_test : arrays
        Training and test sets (integer labels).
    width, epochs, momentum : as in :func:`spinlab.nn.init_network` / :func:`spinlab.nn.train`
    batch_sizes, lrs : sequences
        Batch sizes (int >= 1) and learning rates (> 0) to scan.
    n_seeds : int
        Networks per configuration.
    seed : int, SeedSequence, Generator or None
    executor, max_workers
        As in :func:`spinlab.sweep.disorder_average`; with ``None`` one local process pool is created
        and reused for all configurations.
    progress : bool or None
        Progress bar over configurations and trainings (default: when more than 8 trainings).

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> scan = ruggedness_scan(X[:200], y[:200], X[200:300], y[200:300], width=8, epochs=2,
    ...                        batch_sizes=[8, 64], n_seeds=2, n_probes=4, max_iter=20, seed=0, executor="serial")
    >>> scan.values["trace"].shape, scan.mean("test_accuracy").shape
    ((2, 1, 2), (2, 1))
    """
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        raise ValueError(f"X must be a 2-d numpy array (n, n_in), got {getattr(X, 'shape', type(X).__name__)}")
    if not isinstance(y, np.ndarray) or y.dtype.kind not in "iu" or y.ndim != 1:
        raise TypeError("y must be a 1-d integer array of class labels")
    batch_sizes = np.array([check_int(b, "batch_sizes entry", minimum=1) for b in np.atleast_1d(batch_sizes)])
    lrs = np.array([check_real(lr, "lrs entry", positive=True) for lr in np.atleast_1d(lrs)])
    if batch_sizes.size == 0 or lrs.size == 0:
        raise ValueError("batch_sizes and lrs must each contain at least one value")
    n_seeds = check_int(n_seeds, "n_seeds", minimum=1)
    epochs = check_int(epochs, "epochs", minimum=0)
    check_choice(mode, "mode", MODES)
    measure = dict(
        radius=check_real(radius, "radius", positive=True),
        mode=mode,
        n_directions=check_int(n_directions, "n_directions", minimum=1),
        n_probes=check_int(n_probes, "n_probes", minimum=2),
        max_iter=check_int(max_iter, "max_iter", minimum=1),
        tol=check_real(tol, "tol", positive=True),
    )
    arch = dict(n_in=X.shape[1], width=width, n_out=int(y.max()) + 1, activation="relu", loss="cross_entropy")
    base = dict(epochs=epochs, momentum=momentum, progress=False)
    # validate every argument here (one zero-epoch training), before any worker starts
    init_network(**arch, seed=0)
    train(init_network(**arch, seed=0), X, y, X_test=X_test, y_test=y_test, **{**base, "epochs": 0})
    root = seed_sequence(seed)
    configs = [(b, lr) for b in batch_sizes for lr in lrs]
    show = len(configs) * n_seeds > 8 if progress is None else bool(progress)
    own = executor is None
    pool = ProcessPoolExecutor(max_workers=max_workers or os.cpu_count()) if own else executor
    rows = []
    try:
        for b, lr in tqdm(configs, desc="batch size / lr", unit="config", disable=not show):
            options = {**base, "batch_size": int(b), "lr": float(lr)}
            task = _RuggednessTask(X, y, X_test, y_test, arch, options, measure)
            # the same child for every configuration: network s gets the same seeds everywhere
            results = disorder_average(task, n_seeds, seed=child(root, 0), executor=pool, progress=False)
            rows.append(np.array(results))
    finally:
        if own:
            pool.shutdown(wait=True, cancel_futures=True)
    data = np.array(rows).reshape(batch_sizes.size, lrs.size, n_seeds, len(MEASURES))
    return RuggednessScan(
        batch_sizes=batch_sizes.astype(np.int64),
        lrs=lrs,
        values={name: data[..., k] for k, name in enumerate(MEASURES)},
        radius=measure["radius"],
        mode=mode,
        epochs=epochs,
        seed=int(root.entropy),
    )
