"""A validated (network, data) pair whose loss, gradient and Hessian-vector product are cheap to call in loops."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..nn import Network, _check_network, _check_params, _check_X, _codes, _kernels, _targets
from . import _kernels as _lk


@dataclass(frozen=True)
class Problem:
    """The architecture ``net`` with inputs ``X``, float targets ``Y`` and integer ``labels`` (may be empty)."""

    net: Network
    X: np.ndarray
    Y: np.ndarray
    labels: np.ndarray

    def evaluate(self, params: np.ndarray) -> tuple[float, float]:
        """(mean loss, accuracy; NaN for regression targets)."""
        value, acc = _kernels.evaluate(params, *_codes(self.net), self.X, self.Y, self.labels)
        return float(value), float(acc)

    def loss(self, params: np.ndarray) -> float:
        return self.evaluate(params)[0]

    def gradient(self, params: np.ndarray) -> np.ndarray:
        grad = np.empty(self.net.n_params)
        _kernels.loss_and_grad(params, *_codes(self.net), self.X, self.Y, np.arange(self.X.shape[0]), grad)
        return grad

    def hvp(self, params: np.ndarray, v: np.ndarray) -> np.ndarray:
        out = np.empty(self.net.n_params)
        net = self.net
        _lk.hvp(params, v, net.n_in, net.width, net.n_out, _codes(net)[4], self.X, self.Y, out)
        return out


def problem(net, X, y, *, names: tuple[str, str] = ("X", "y"), relu: bool = False) -> Problem:
    """Validate ``net`` (a ReLU network when ``relu``) and the data set ``X, y``."""
    net = _check_network(net)
    if relu and net.activation != "relu":
        raise ValueError(
            f"net.activation must be 'relu' here (the Hessian of a sign network vanishes almost everywhere), "
            f"got {net.activation!r}"
        )
    X = _check_X(X, net, names[0])
    Y, labels = _targets(y, net, X.shape[0], names[1])
    return Problem(net, X, Y, labels)


def heldout(net, X_test, y_test) -> Problem | None:
    """The held-out set, or None when neither array is given."""
    if (X_test is None) != (y_test is None):
        raise ValueError("X_test and y_test must be given together")
    if X_test is None:
        return None
    return problem(net, X_test, y_test, names=("X_test", "y_test"))


def start_params(net: Network, params) -> np.ndarray:
    """``params`` validated (a copy), or a copy of ``net.params`` when None."""
    if params is None:
        return net.params.copy()
    return _check_params(params, net.n_params, "params", copy=True)


def blocks(net: Network) -> list[slice]:
    """The slices of W1, b1, W2, b2 in the flat parameter vector."""
    return list(net.slices().values())
