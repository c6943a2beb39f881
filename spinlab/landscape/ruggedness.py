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

A fair comparison needs minima of equal depth: with a fixed number of epochs a large batch takes
far fewer SGD steps and stops at a higher training loss, and sharpness and test accuracy then
mostly measure how far training got. :func:`train_to_loss` runs SGD until the full-batch training
loss first drops to a target (checked every ``check_every`` steps), and ``ruggedness_scan(...,
target_loss=...)`` uses it, so that every configuration is compared at (nearly) the same training
loss; the scan records the loss reached, the SGD steps and the epochs used.
"""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_choice, check_int, check_real
from ..nn import Network, _codes, _kernels, init_network
from ..sweep import disorder_average
from ._problem import Problem, problem, start_params
from .hessian import power_iteration, trace_estimate
from .walk import MODES, _direction

__all__ = ["MEASURES", "Flatness", "RuggednessScan", "TargetTraining", "flatness", "ruggedness_scan", "train_to_loss"]

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
    "epochs",
    "steps",
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


@dataclass(frozen=True)
class TargetTraining:
    """Result of :func:`train_to_loss`.

    Attributes
    ----------
    params : (D,) float64
        Parameters where training stopped.
    train_loss : float
        Full-batch mean training loss there [nats for cross-entropy].
    reached : bool
        Whether ``train_loss <= target`` (False: stopped after ``max_epochs``).
    steps : int
        SGD steps taken (minibatch updates).
    epochs : float
        Passes over the training set, ``steps`` counted in units of ``ceil(n / batch_size)``.
    target : float
    batch_size : int
    lr : float
    momentum : float
    check_every : int
        SGD steps between two evaluations of the full training loss.
    """

    params: np.ndarray
    train_loss: float
    reached: bool
    steps: int
    epochs: float
    target: float
    batch_size: int
    lr: float
    momentum: float
    check_every: int


def _sgd(prob: Problem, theta, batch_size, lr, momentum, max_epochs, target, check_every, seed) -> TargetTraining:
    """Minibatch SGD as in :func:`spinlab.nn.train` (same shuffling stream), stopping when the loss reaches target."""
    codes = _codes(prob.net)
    n = prob.X.shape[0]
    per_epoch = -(-n // batch_size)
    rng = np.random.default_rng(seed_sequence(seed))
    params, velocity = theta.copy(), np.zeros_like(theta)
    value, steps, reached = prob.loss(params), 0, False
    check = target is not None
    reached = check and value <= target
    for epoch in range(max_epochs):
        if reached:
            break
        order = rng.permutation(n)
        chunk = check_every * batch_size if check else n
        for start in range(0, n, chunk):
            part = order[start : start + chunk]
            _kernels.sgd_epoch(params, velocity, *codes, prob.X, prob.Y, part, batch_size, lr, momentum)
            steps += -(-part.size // batch_size)
            if not np.all(np.isfinite(params)):
                raise FloatingPointError(f"training diverged at epoch {epoch + 1}: lower lr (got {lr})")
            if check:
                value = prob.loss(params)
                if value <= target:
                    reached = True
                    break
    if not check:
        value = prob.loss(params)
    return TargetTraining(
        params=params,
        train_loss=float(value),
        reached=bool(reached),
        steps=steps,
        epochs=steps / per_epoch,
        target=float("nan") if target is None else float(target),
        batch_size=batch_size,
        lr=lr,
        momentum=momentum,
        check_every=check_every,
    )


def _check_every(check_every, n: int, batch_size: int) -> int:
    if check_every is None:
        return max(1, -(-n // (10 * batch_size)))
    return check_int(check_every, "check_every", minimum=1)


def _check_momentum(momentum) -> float:
    momentum = check_real(momentum, "momentum")
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    return momentum


def train_to_loss(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    *,
    target: float,
    max_epochs: int,
    batch_size: int = 32,
    lr: float = 0.05,
    momentum: float = 0.0,
    check_every: int | None = None,
    params=None,
    seed: SeedLike = None,
) -> TargetTraining:
    """Minibatch SGD from ``params`` (default ``net.params``) until the full training loss drops to ``target``.

    The updates and the shuffling stream are those of :func:`spinlab.nn.train` (every epoch a fresh
    permutation from ``numpy.random.default_rng(seed_sequence(seed))``, minibatches of
    ``batch_size``, heavy-ball momentum), so a run that never reaches the target is bit-identical
    to ``nn.train(..., epochs=max_epochs)``. Every ``check_every`` SGD steps (default: about ten
    times per epoch, ``ceil(n / (10 batch_size))``) the mean loss on the whole training set is
    evaluated, and training stops at the first check where it is ``<= target``. The loss can
    overshoot the target by at most the decrease of ``check_every`` steps.

    Parameters
    ----------
    net : Network
        Architecture (and starting point unless ``params`` is given).
    X, y : arrays
        Training set.
    target : float
        Training-loss target [nats for cross-entropy], > 0.
    max_epochs : int
        Upper limit on the passes over the training set (>= 0).
    batch_size, lr, momentum : as in :func:`spinlab.nn.train`
    check_every : int, optional
        SGD steps between checks (>= 1).
    seed : int, SeedSequence, Generator or None
        Seed of the shuffling orders.

    Returns
    -------
    TargetTraining

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> net = nn.init_network(64, 8, 10, seed=0)
    >>> run = train_to_loss(net, X[:300], y[:300], target=0.3, max_epochs=200, batch_size=16, lr=0.1, seed=1)
    >>> run.reached, bool(run.train_loss <= 0.3), run.steps > 0
    (True, True, True)
    """
    prob = problem(net, X, y)
    theta = start_params(prob.net, params)
    target = check_real(target, "target", positive=True)
    max_epochs = check_int(max_epochs, "max_epochs", minimum=0)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    lr = check_real(lr, "lr", positive=True)
    momentum = _check_momentum(momentum)
    check_every = _check_every(check_every, prob.X.shape[0], batch_size)
    return _sgd(prob, theta, batch_size, lr, momentum, max_epochs, target, check_every, seed)


class _RuggednessTask:
    """One training + measurement of :func:`ruggedness_scan` (picklable for process pools)."""

    def __init__(self, X, y, X_test, y_test, arch: dict, train_options: dict, measure_options: dict):
        self.X, self.y, self.X_test, self.y_test = X, y, X_test, y_test
        self.arch, self.train_options, self.measure = arch, train_options, measure_options

    def __call__(self, task_seed: np.random.SeedSequence) -> np.ndarray:
        net = init_network(**self.arch, seed=child(task_seed, 0))
        prob = problem(net, self.X, self.y)
        test = problem(net, self.X_test, self.y_test, names=("X_test", "y_test"))
        run = _sgd(prob, net.params, **self.train_options, seed=child(task_seed, 1))
        m = self.measure
        flat = _flatness(prob, run.params, m["radius"], m["n_directions"], m["mode"], child(task_seed, 2))
        trace = trace_estimate(prob, run.params, m["n_probes"], child(task_seed, 3))
        top = power_iteration(prob, run.params, m["max_iter"], m["tol"], child(task_seed, 4))
        train_loss, train_acc = prob.evaluate(run.params)
        test_loss, test_acc = test.evaluate(run.params)
        return np.array(
            [flat.rise, trace.value, top.value, train_loss, test_loss, train_acc, test_acc,
             train_acc - test_acc, test_loss - train_loss, run.epochs, run.steps]
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
        test accuracy), ``loss_gap`` (test - train loss), ``epochs`` (passes over the training set
        used) and ``steps`` (SGD steps used).
    radius : float
    mode : str
    epochs : int
        Number of epochs (``target_loss`` NaN) or the upper limit on them.
    target_loss : float
        Training-loss target of :func:`train_to_loss` (NaN: fixed number of epochs).
    seed : int
        Root entropy; network ``s`` has the same initialisation for every batch size and learning rate.
    """

    batch_sizes: np.ndarray
    lrs: np.ndarray
    values: dict
    radius: float
    mode: str
    epochs: int
    target_loss: float
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

    def reached(self) -> np.ndarray:
        """Fraction of the networks of each configuration that reached ``target_loss``, shape (n_b, n_l).

        All ones without a target (every run completed its epochs).
        """
        if np.isnan(self.target_loss):
            return np.ones(self.values["train_loss"].shape[:2])
        return (self.values["train_loss"] <= self.target_loss).mean(axis=2)


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
    target_loss: float | None = None,
    check_every: int | None = None,
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
    every configuration (paired comparison). Each task trains with minibatch SGD, for ``epochs``
    epochs (``target_loss=None``, as :func:`spinlab.nn.train`) or until the full training loss first
    drops to ``target_loss`` (:func:`train_to_loss`, at most ``epochs`` epochs, a check every
    ``check_every`` steps: the protocol that compares minima of equal depth), and then
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
    target_loss : float, optional
        Train every network to this full-batch training loss [nats] (``epochs`` is then the limit;
        check ``RuggednessScan.reached()``).
    check_every : int, optional
        SGD steps between loss checks (default: about ten per epoch for each batch size).
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
    >>> equal = ruggedness_scan(X[:200], y[:200], X[200:300], y[200:300], width=8, epochs=200, target_loss=0.5,
    ...                         batch_sizes=[8, 64], n_seeds=2, n_probes=4, max_iter=20, seed=0, executor="serial")
    >>> equal.reached().tolist(), bool(np.all(equal.values["train_loss"] <= 0.5))
    ([[1.0], [1.0]], True)
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
    if target_loss is not None:
        target_loss = check_real(target_loss, "target_loss", positive=True)
    if check_every is not None:
        check_every = check_int(check_every, "check_every", minimum=1)
    momentum = _check_momentum(momentum)
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
    # validate the architecture and both data sets here, before any worker starts
    net = init_network(**arch, seed=0)
    problem(net, X, y)
    problem(net, X_test, y_test, names=("X_test", "y_test"))
    root = seed_sequence(seed)
    configs = [(b, lr) for b in batch_sizes for lr in lrs]
    show = len(configs) * n_seeds > 8 if progress is None else bool(progress)
    own = executor is None
    pool = ProcessPoolExecutor(max_workers=max_workers or os.cpu_count()) if own else executor
    rows = []
    try:
        for b, lr in tqdm(configs, desc="batch size / lr", unit="config", disable=not show):
            every = _check_every(check_every, X.shape[0], int(b)) if target_loss is not None else 1
            options = dict(batch_size=int(b), lr=float(lr), momentum=momentum, max_epochs=epochs, target=target_loss,
                           check_every=every)  # fmt: skip
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
        target_loss=float("nan") if target_loss is None else target_loss,
        seed=int(root.entropy),
    )
