"""Numba kernels for one-hidden-layer dense networks: forward pass, hand-written backprop, SGD epochs.

Parameter layout (one flat float64 vector of length D = n_in*width + width + width*n_out + n_out):
``W1`` (n_in, width) row-major, then ``b1`` (width,), ``W2`` (width, n_out) row-major, ``b2`` (n_out,).

Codes: activation 0 = ReLU, 1 = sign with straight-through estimator; loss 0 = softmax cross-entropy,
1 = mean squared error ``(1/2B) sum_b sum_k (out_bk - Y_bk)^2``. Targets ``Y`` are always a float
array (B, n_out): one-hot rows for classification.
"""

from __future__ import annotations

import numpy as np
from numba import njit

RELU = 0
SIGN = 1
CROSS_ENTROPY = 0
MSE = 1


@njit(cache=True)
def _forward(params, n_in, width, n_out, act, X, idx, z, h, out):
    """Fill pre-activations ``z``, hidden units ``h`` and outputs ``out`` for the rows ``X[idx]``."""
    o_b1 = n_in * width
    o_W2 = o_b1 + width
    o_b2 = o_W2 + width * n_out
    nb = idx.shape[0]
    for b in range(nb):
        r = idx[b]
        for j in range(width):
            z[b, j] = params[o_b1 + j]
        for i in range(n_in):
            x = X[r, i]
            if x == 0.0:
                continue
            base = i * width
            for j in range(width):
                z[b, j] += x * params[base + j]
        for j in range(width):
            if act == RELU:
                h[b, j] = z[b, j] if z[b, j] > 0.0 else 0.0
            else:
                h[b, j] = 1.0 if z[b, j] >= 0.0 else -1.0
        for k in range(n_out):
            out[b, k] = params[o_b2 + k]
        for j in range(width):
            hj = h[b, j]
            if hj == 0.0:
                continue
            base = o_W2 + j * n_out
            for k in range(n_out):
                out[b, k] += hj * params[base + k]


@njit(cache=True)
def _output_loss(out, Y, idx, loss_kind, dout, scale):
    """Sum over the batch of the per-sample loss; ``dout`` gets ``scale * d(loss_b)/d(out_b)``."""
    nb, n_out = out.shape[0], out.shape[1]
    total = 0.0
    for b in range(nb):
        r = idx[b]
        if loss_kind == CROSS_ENTROPY:
            m = out[b, 0]
            for k in range(1, n_out):
                if out[b, k] > m:
                    m = out[b, k]
            s = 0.0
            for k in range(n_out):
                s += np.exp(out[b, k] - m)
            logz = m + np.log(s)
            for k in range(n_out):
                y = Y[r, k]
                total -= y * (out[b, k] - logz)
                dout[b, k] = scale * (np.exp(out[b, k] - logz) - y)
        else:
            for k in range(n_out):
                d = out[b, k] - Y[r, k]
                total += 0.5 * d * d
                dout[b, k] = scale * d
    return total


@njit(cache=True)
def _backward(params, n_in, width, n_out, act, X, idx, z, h, dout, dh, grad):
    """Accumulate into ``grad`` (zeroed here) the gradient given ``dout`` = dL/d(out)."""
    o_b1 = n_in * width
    o_W2 = o_b1 + width
    o_b2 = o_W2 + width * n_out
    nb = idx.shape[0]
    for p in range(grad.shape[0]):
        grad[p] = 0.0
    for b in range(nb):
        for k in range(n_out):
            grad[o_b2 + k] += dout[b, k]
        for j in range(width):
            base = o_W2 + j * n_out
            hj = h[b, j]
            s = 0.0
            for k in range(n_out):
                grad[base + k] += hj * dout[b, k]
                s += params[base + k] * dout[b, k]
            # dh/dz: ReLU derivative, or the straight-through estimator 1{|z| <= 1} for sign.
            zj = z[b, j]
            if act == RELU:
                dh[b, j] = s if zj > 0.0 else 0.0
            else:
                dh[b, j] = s if abs(zj) <= 1.0 else 0.0
        for j in range(width):
            grad[o_b1 + j] += dh[b, j]
        r = idx[b]
        for i in range(n_in):
            x = X[r, i]
            if x == 0.0:
                continue
            base = i * width
            for j in range(width):
                grad[base + j] += x * dh[b, j]


@njit(cache=True)
def loss_and_grad(params, n_in, width, n_out, act, loss_kind, X, Y, idx, grad):
    """Mean loss over the rows ``idx``; its gradient (STE for sign) is written into ``grad``."""
    nb = idx.shape[0]
    z = np.empty((nb, width))
    h = np.empty((nb, width))
    out = np.empty((nb, n_out))
    dout = np.empty((nb, n_out))
    dh = np.empty((nb, width))
    _forward(params, n_in, width, n_out, act, X, idx, z, h, out)
    total = _output_loss(out, Y, idx, loss_kind, dout, 1.0 / nb)
    _backward(params, n_in, width, n_out, act, X, idx, z, h, dout, dh, grad)
    return total / nb


@njit(cache=True)
def forward_all(params, n_in, width, n_out, act, X):
    """Network outputs (logits or regression values) for every row of ``X``, shape (n, n_out)."""
    n = X.shape[0]
    idx = np.arange(n)
    z = np.empty((n, width))
    h = np.empty((n, width))
    out = np.empty((n, n_out))
    _forward(params, n_in, width, n_out, act, X, idx, z, h, out)
    return out


@njit(cache=True)
def evaluate(params, n_in, width, n_out, act, loss_kind, X, Y, labels):
    """(mean loss, fraction of rows whose argmax output equals ``labels``; NaN when ``labels`` is empty)."""
    n = X.shape[0]
    out = forward_all(params, n_in, width, n_out, act, X)
    dout = np.empty((n, n_out))
    total = _output_loss(out, Y, np.arange(n), loss_kind, dout, 0.0)
    if labels.shape[0] == 0:
        return total / n, np.nan
    correct = 0
    for b in range(n):
        best = 0
        for k in range(1, n_out):
            if out[b, k] > out[b, best]:
                best = k
        if best == labels[b]:
            correct += 1
    return total / n, correct / n


@njit(cache=True)
def sgd_epoch(params, velocity, n_in, width, n_out, act, loss_kind, X, Y, order, batch_size, lr, momentum):
    """One pass over ``order`` in minibatches (the last one may be smaller); updates in place.

    Heavy-ball update ``v <- momentum * v + g``, ``params <- params - lr * v``. Returns the mean
    minibatch loss seen during the epoch (before each step).
    """
    n = order.shape[0]
    D = params.shape[0]
    grad = np.empty(D)
    z = np.empty((batch_size, width))
    h = np.empty((batch_size, width))
    out = np.empty((batch_size, n_out))
    dout = np.empty((batch_size, n_out))
    dh = np.empty((batch_size, width))
    total = 0.0
    start = 0
    while start < n:
        stop = min(start + batch_size, n)
        idx = order[start:stop]
        nb = stop - start
        _forward(params, n_in, width, n_out, act, X, idx, z[:nb], h[:nb], out[:nb])
        total += _output_loss(out[:nb], Y, idx, loss_kind, dout[:nb], 1.0 / nb)
        _backward(params, n_in, width, n_out, act, X, idx, z[:nb], h[:nb], dout[:nb], dh[:nb], grad)
        for p in range(D):
            velocity[p] = momentum * velocity[p] + grad[p]
            params[p] -= lr * velocity[p]
        start = stop
    return total / n
