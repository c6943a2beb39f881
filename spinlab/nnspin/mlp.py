"""A small multi-layer perceptron in numpy: any depth, explicit backpropagation, flat parameters.

The network with layer widths ``(N_0, N_1, ..., N_L)`` computes

    z_1 = x W_0 + b_0,   h_l = act(z_l),   z_{l+1} = h_l W_l + b_l,   out = alpha z_L,

with ``act`` ReLU, tanh or sign (trained with the straight-through estimator: forward
``sign(z)`` with ``sign(0) = +1``, backward ``1{|z| <= 1}``, the convention of :mod:`spinlab.nn`),
and ``alpha`` the output scale (large alpha: lazy training, small alpha: rich training). The loss
is the mean softmax cross-entropy ``-(1/B) sum_b log softmax(out_b)[y_b]``. All parameters live in
one flat float64 vector in the order ``W_0, b_0, W_1, b_1, ...`` (matrices row-major), the same
order as :class:`spinlab.nn.Network` for one hidden layer.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_int, check_real

__all__ = [
    "MLP",
    "MLPTrainResult",
    "init_mlp",
    "log_checkpoints",
    "mlp_accuracy",
    "mlp_forward",
    "mlp_loss_and_grad",
    "pool_images",
    "train_mlp",
]

ACTIVATIONS = ("relu", "tanh", "sign")


def _check_widths(widths) -> tuple[int, ...]:
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__len__"):
        raise TypeError(f"widths must be a sequence of layer sizes, got {type(widths).__name__}")
    if len(widths) < 2:
        raise ValueError(f"widths must hold at least 2 layer sizes (input and output), got {list(widths)}")
    return tuple(check_int(w, f"widths[{k}]", minimum=1) for k, w in enumerate(widths))


@dataclass(frozen=True)
class MLP:
    """A dense feed-forward network of any depth whose parameters are one flat vector.

    Attributes
    ----------
    widths : tuple of int
        Layer sizes ``(N_0, ..., N_L)``: inputs, hidden layers, outputs (classes, >= 2).
    activation : {"relu", "tanh", "sign"}
        Hidden activation (sign: straight-through estimator in training).
    output_scale : float
        alpha > 0 multiplying the output logits.
    params : (D,) float64
        ``[W_0.ravel(), b_0, W_1.ravel(), b_1, ...]``; :meth:`weights` and :meth:`biases` are views.

    Examples
    --------
    >>> net = init_mlp((4, 3, 3, 2), seed=0)
    >>> net.n_params, [w.shape for w in net.weights()]
    (35, [(4, 3), (3, 3), (3, 2)])
    """

    widths: tuple
    activation: str
    output_scale: float
    params: np.ndarray

    def __post_init__(self):
        widths = _check_widths(self.widths)
        if widths[-1] < 2:
            raise ValueError(f"the last width (number of classes) must be >= 2, got {widths[-1]}")
        object.__setattr__(self, "widths", widths)
        check_choice(self.activation, "activation", ACTIVATIONS)
        object.__setattr__(self, "output_scale", check_real(self.output_scale, "output_scale", positive=True))
        object.__setattr__(self, "params", _check_params(self.params, self.n_params))

    @property
    def n_params(self) -> int:
        """Dimension D of the parameter space."""
        return sum(a * b + b for a, b in zip(self.widths[:-1], self.widths[1:], strict=True))

    def _blocks(self, params: np.ndarray) -> list[tuple[np.ndarray, np.ndarray]]:
        out, start = [], 0
        for a, b in zip(self.widths[:-1], self.widths[1:], strict=True):
            W = params[start : start + a * b].reshape(a, b)
            start += a * b
            out.append((W, params[start : start + b]))
            start += b
        return out

    def weights(self, params: np.ndarray | None = None) -> list[np.ndarray]:
        """Views of the weight matrices ``W_l`` (shape ``(N_l, N_{l+1})``) into ``params`` (default: own)."""
        flat = self.params if params is None else _check_params(params, self.n_params)
        return [W for W, _ in self._blocks(flat)]

    def biases(self, params: np.ndarray | None = None) -> list[np.ndarray]:
        """Views of the biases ``b_l`` (shape ``(N_{l+1},)``) into ``params`` (default: own)."""
        flat = self.params if params is None else _check_params(params, self.n_params)
        return [b for _, b in self._blocks(flat)]

    def with_params(self, params) -> MLP:
        """The same architecture with other parameters (a float64 copy)."""
        return dataclasses.replace(self, params=np.array(params, dtype=np.float64))


def _check_params(params, D: int) -> np.ndarray:
    if not isinstance(params, np.ndarray):
        raise TypeError(f"params must be a flat numpy array of length {D}, got {type(params).__name__}")
    if params.dtype.kind not in "iuf" or params.shape != (D,):
        raise ValueError(f"params must be a real array of shape ({D},), got {params.dtype} {params.shape}")
    params = np.ascontiguousarray(params, dtype=np.float64)
    if not np.all(np.isfinite(params)):
        raise ValueError("params must contain only finite values")
    return params


def _check_net(net) -> MLP:
    if not isinstance(net, MLP):
        raise TypeError(f"net must be a spinlab.nnspin.MLP (see init_mlp), got {type(net).__name__}")
    return net


def _check_data(net: MLP, X, y=None) -> tuple[np.ndarray, np.ndarray | None]:
    if not isinstance(X, np.ndarray) or X.dtype.kind not in "iuf":
        raise TypeError(f"X must be a real numpy array of shape (n, {net.widths[0]}), got {type(X).__name__}")
    if X.ndim != 2 or X.shape[1] != net.widths[0] or X.shape[0] < 1:
        raise ValueError(f"X must have shape (n, {net.widths[0]}) with n >= 1, got {X.shape}")
    X = np.ascontiguousarray(X, dtype=np.float64)
    if y is None:
        return X, None
    if not isinstance(y, np.ndarray) or y.dtype.kind not in "iu" or y.shape != (X.shape[0],):
        raise ValueError(f"y must be an integer label array of shape ({X.shape[0]},), got {getattr(y, 'shape', y)}")
    if y.min() < 0 or y.max() >= net.widths[-1]:
        raise ValueError(f"y must hold labels in [0, {net.widths[-1] - 1}], got [{y.min()}, {y.max()}]")
    return X, y.astype(np.int64)


def init_mlp(
    widths, *, activation: str = "relu", output_scale: float = 1.0, gain: float | None = None, seed: SeedLike = None
) -> MLP:
    """A freshly initialised network: ``W_l ~ N(0, gain / N_l)``, biases zero.

    Parameters
    ----------
    widths : sequence of int
        ``(N_0, ..., N_L)`` with ``N_L >= 2`` classes.
    activation : {"relu", "tanh", "sign"}
    output_scale : float
        alpha > 0 (see the module docstring).
    gain : float or None
        Variance gain; default 2 for ReLU (He) and 1 otherwise (LeCun). The weight variance of
        layer l is ``v_l = gain / N_l``: this is the random layered SK model of
        :func:`spinlab.nnspin.layered_sk_tc`.
    seed : int, SeedSequence, Generator or None

    Examples
    --------
    >>> a = init_mlp((8, 5, 3), seed=1); b = init_mlp((8, 5, 3), seed=1)
    >>> bool(np.array_equal(a.params, b.params)), a.n_params
    (True, 63)
    """
    widths = _check_widths(widths)
    check_choice(activation, "activation", ACTIVATIONS)
    gain = (2.0 if activation == "relu" else 1.0) if gain is None else check_real(gain, "gain", positive=True)
    rng = np.random.default_rng(seed_sequence(seed))
    size = sum(a * b + b for a, b in zip(widths[:-1], widths[1:], strict=True))
    net = MLP(widths, activation, output_scale, np.zeros(size))
    for W in net.weights():
        W[...] = rng.standard_normal(W.shape) * np.sqrt(gain / W.shape[0])
    return net


def _act(z: np.ndarray, kind: str) -> np.ndarray:
    if kind == "relu":
        return np.maximum(z, 0.0)
    if kind == "tanh":
        return np.tanh(z)
    return np.where(z >= 0.0, 1.0, -1.0)


def _act_grad(z: np.ndarray, h: np.ndarray, kind: str) -> np.ndarray:
    if kind == "relu":
        return (z > 0.0).astype(np.float64)
    if kind == "tanh":
        return 1.0 - h * h
    return (np.abs(z) <= 1.0).astype(np.float64)


def _forward(net: MLP, params: np.ndarray, X: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Pre-activations z_1..z_L (z_L = unscaled logits) and activations h_0 = X, h_1..h_{L-1}."""
    blocks = net._blocks(params)
    hs, zs = [X], []
    for k, (W, b) in enumerate(blocks):
        z = hs[-1] @ W + b
        zs.append(z)
        if k < len(blocks) - 1:
            hs.append(_act(z, net.activation))
    return zs, hs


def mlp_forward(net: MLP, X: np.ndarray, *, params=None) -> list[np.ndarray]:
    """Pre-activations of every non-input layer, ``[z_1, ..., z_L]`` (z_L: logits before the scale alpha).

    Examples
    --------
    >>> net = init_mlp((3, 4, 2), seed=0)
    >>> [z.shape for z in mlp_forward(net, np.eye(3))]
    [(3, 4), (3, 2)]
    """
    net = _check_net(net)
    params = net.params if params is None else _check_params(params, net.n_params)
    X, _ = _check_data(net, X)
    return _forward(net, params, X)[0]


def _loss_grad(net: MLP, params: np.ndarray, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    zs, hs = _forward(net, params, X)
    logits = net.output_scale * zs[-1]
    logits = logits - logits.max(axis=1, keepdims=True)
    logp = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    B = X.shape[0]
    value = -float(np.mean(logp[np.arange(B), y]))
    delta = np.exp(logp)
    delta[np.arange(B), y] -= 1.0
    delta *= net.output_scale / B  # d loss / d z_L
    grad = np.empty_like(params)
    grads = net._blocks(grad)
    weights = net.weights(params)
    for k in range(len(weights) - 1, -1, -1):
        gW, gb = grads[k]
        gW[...] = hs[k].T @ delta
        gb[...] = delta.sum(axis=0)
        if k > 0:
            delta = (delta @ weights[k].T) * _act_grad(zs[k - 1], hs[k], net.activation)
    return value, grad


def mlp_loss_and_grad(params, net: MLP, X: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean cross-entropy at the flat parameters ``params`` and its gradient (straight-through for sign).

    Examples
    --------
    >>> net = init_mlp((3, 4, 4, 2), activation="tanh", seed=0)
    >>> value, grad = mlp_loss_and_grad(net.params, net, np.eye(3), np.array([0, 1, 1]))
    >>> grad.shape, value > 0
    ((46,), True)
    """
    net = _check_net(net)
    params = _check_params(params, net.n_params)
    X, y = _check_data(net, X, y)
    return _loss_grad(net, params, X, y)


def mlp_accuracy(net: MLP, X: np.ndarray, y: np.ndarray, *, params=None) -> float:
    """Fraction of rows whose largest logit is at the label ``y``.

    Examples
    --------
    >>> net = init_mlp((3, 4, 2), seed=0)
    >>> 0.0 <= mlp_accuracy(net, np.eye(3), np.array([0, 1, 1])) <= 1.0
    True
    """
    net = _check_net(net)
    params = net.params if params is None else _check_params(params, net.n_params)
    X, y = _check_data(net, X, y)
    return float(np.mean(np.argmax(_forward(net, params, X)[0][-1], axis=1) == y))


@dataclass(frozen=True)
class MLPTrainResult:
    """Output of :func:`train_mlp`.

    Attributes
    ----------
    steps : (K,) int64
        SGD steps (minibatch updates) at the checkpoints, ascending (0 = initialisation).
    params : (K, D) float64
        Flat parameters at each checkpoint.
    train_loss, train_accuracy : (K,) float64
        Mean loss / accuracy on the whole training set at each checkpoint.
    widths, activation, output_scale, batch_size, lr, seed
        What made the run (``seed``: root entropy of the shuffling stream).
    """

    steps: np.ndarray
    params: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    widths: tuple
    activation: str
    output_scale: float
    batch_size: int
    lr: float
    seed: int

    def network(self, k: int = -1) -> MLP:
        """The network at checkpoint ``k``."""
        k = check_int(k, "k", minimum=-self.steps.size, maximum=self.steps.size - 1)
        return MLP(self.widths, self.activation, self.output_scale, self.params[k].copy())


def log_checkpoints(total: int, count: int) -> np.ndarray:
    """Step 0 and about ``count`` log-spaced distinct steps from 1 to ``total`` (inclusive).

    Examples
    --------
    >>> log_checkpoints(100, 5).tolist()
    [0, 1, 3, 10, 32, 100]
    """
    total = check_int(total, "total", minimum=1)
    count = check_int(count, "count", minimum=1)
    steps = np.unique(np.rint(np.logspace(0, np.log10(total), count)).astype(np.int64))
    return np.concatenate([[0], steps])


def train_mlp(
    net: MLP,
    X: np.ndarray,
    y: np.ndarray,
    *,
    checkpoints,
    batch_size: int = 32,
    lr: float = 0.05,
    seed: SeedLike = None,
) -> MLPTrainResult:
    """Plain minibatch SGD from ``net.params`` (not modified), recording checkpoints.

    Epochs visit the rows in fresh random orders (from ``default_rng(seed_sequence(seed))``) in
    minibatches of ``batch_size`` (an incomplete last batch of an epoch is skipped); each minibatch is
    one step ``params <- params - lr * grad``. Same seed and start give bit-identical results.

    Parameters
    ----------
    net : MLP
    X, y : training inputs (n, N_0) and integer labels (n,)
    checkpoints : sequence of int
        Steps at which to record the parameters (>= 0, e.g. :func:`log_checkpoints`).
    batch_size : int
        1 <= batch_size <= n.
    lr : float
        Learning rate > 0 (for output scale alpha, lazy-training comparisons use lr / alpha^2).
    seed : int, SeedSequence, Generator or None

    Examples
    --------
    >>> from spinlab.nn import data
    >>> X, y = data.digits()
    >>> res = train_mlp(init_mlp((64, 16, 10), seed=0), X, y, checkpoints=[0, 50], seed=1)
    >>> bool(res.train_loss[1] < res.train_loss[0])
    True
    """
    net = _check_net(net)
    X, y = _check_data(net, X, y)
    steps = np.unique(np.asarray([check_int(c, "checkpoints", minimum=0) for c in checkpoints], dtype=np.int64))
    if steps.size == 0:
        raise ValueError("checkpoints must hold at least one step")
    batch_size = check_int(batch_size, "batch_size", minimum=1, maximum=X.shape[0])
    lr = check_real(lr, "lr", positive=True)
    root = seed_sequence(seed)
    rng = np.random.default_rng(root)
    per_epoch = X.shape[0] // batch_size
    params = net.params.copy()
    saved = np.empty((steps.size, params.size))
    loss = np.empty(steps.size)
    acc = np.empty(steps.size)
    step, k, order = 0, 0, None
    while k < steps.size:
        if step == steps[k]:
            saved[k] = params
            loss[k] = _loss_grad(net, params, X, y)[0]
            acc[k] = np.mean(np.argmax(_forward(net, params, X)[0][-1], axis=1) == y)
            k += 1
            continue
        if step % per_epoch == 0:
            order = rng.permutation(X.shape[0])
        rows = order[(step % per_epoch) * batch_size : (step % per_epoch + 1) * batch_size]
        params -= lr * _loss_grad(net, params, X[rows], y[rows])[1]
        if not np.all(np.isfinite(params)):
            raise FloatingPointError(f"training diverged at step {step + 1}: lower lr (got {lr})")
        step += 1
    return MLPTrainResult(
        steps=steps,
        params=saved,
        train_loss=loss,
        train_accuracy=acc,
        widths=net.widths,
        activation=net.activation,
        output_scale=net.output_scale,
        batch_size=batch_size,
        lr=lr,
        seed=int(root.entropy),
    )


def pool_images(X: np.ndarray, side: int, factor: int = 2) -> np.ndarray:
    """Average-pool flattened square images ``side x side`` over ``factor x factor`` blocks.

    Used to shrink the 8x8 digits to 4x4 (16 input spins), which keeps TAP on the bond matrix cheap.

    Examples
    --------
    >>> pool_images(np.arange(16.0).reshape(1, 16), 4).tolist()
    [[2.5, 4.5, 10.5, 12.5]]
    """
    side = check_int(side, "side", minimum=1)
    factor = check_int(factor, "factor", minimum=1)
    X = np.asarray(X, dtype=np.float64)
    if side % factor or X.ndim != 2 or X.shape[1] != side * side:
        raise ValueError(f"X must have shape (n, {side * side}) and side a multiple of factor = {factor}")
    k = side // factor
    return X.reshape(-1, k, factor, k, factor).mean(axis=(2, 4)).reshape(-1, k * k)
