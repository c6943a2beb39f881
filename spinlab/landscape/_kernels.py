"""Numba kernels of the loss-landscape protocols: the exact Hessian-vector product of a ReLU network.

Parameter layout as in :mod:`spinlab.nn._kernels`: ``W1`` (n_in, width) row-major, ``b1`` (width,),
``W2`` (width, n_out) row-major, ``b2`` (n_out,). Loss codes: 0 = softmax cross-entropy, 1 = MSE
``(1/2B) sum_b sum_k (out_bk - Y_bk)^2``; the loss is the mean over the rows of ``X``.

The product ``H v`` is computed with Pearlmutter's R-operator ``R{f} = d/dt f(params + t v)|_{t=0}``
applied to the forward and the backward pass. The ReLU's second derivative vanishes away from its
kink, so for pre-activations ``z != 0`` the result is the exact Hessian of the piecewise-smooth loss.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..nn._kernels import CROSS_ENTROPY


@njit(cache=True)
def hvp(params, v, n_in, width, n_out, loss_kind, X, Y, out):
    """Write ``H(params) v`` of the mean loss over all rows of ``X`` into ``out`` (ReLU hidden layer)."""
    o_b1 = n_in * width
    o_W2 = o_b1 + width
    o_b2 = o_W2 + width * n_out
    n = X.shape[0]
    scale = 1.0 / n
    z = np.empty(width)
    h = np.empty(width)
    rz = np.empty(width)
    rh = np.empty(width)
    o = np.empty(n_out)
    ro = np.empty(n_out)
    d = np.empty(n_out)
    rd = np.empty(n_out)
    rdz = np.empty(width)
    for p in range(out.shape[0]):
        out[p] = 0.0
    for b in range(n):
        # forward pass and its directional derivative
        for j in range(width):
            z[j] = params[o_b1 + j]
            rz[j] = v[o_b1 + j]
        for i in range(n_in):
            x = X[b, i]
            if x == 0.0:
                continue
            base = i * width
            for j in range(width):
                z[j] += x * params[base + j]
                rz[j] += x * v[base + j]
        for j in range(width):
            if z[j] > 0.0:
                h[j] = z[j]
                rh[j] = rz[j]
            else:
                h[j] = 0.0
                rh[j] = 0.0
        for k in range(n_out):
            o[k] = params[o_b2 + k]
            ro[k] = v[o_b2 + k]
        for j in range(width):
            base = o_W2 + j * n_out
            for k in range(n_out):
                o[k] += h[j] * params[base + k]
                ro[k] += rh[j] * params[base + k] + h[j] * v[base + k]
        # output error d = dL_b/d(out) and its directional derivative rd
        if loss_kind == CROSS_ENTROPY:
            m = o[0]
            for k in range(1, n_out):
                if o[k] > m:
                    m = o[k]
            s = 0.0
            for k in range(n_out):
                d[k] = np.exp(o[k] - m)
                s += d[k]
            mean_ro = 0.0
            for k in range(n_out):
                d[k] /= s
                mean_ro += d[k] * ro[k]
            for k in range(n_out):
                rd[k] = scale * d[k] * (ro[k] - mean_ro)
                d[k] = scale * (d[k] - Y[b, k])
        else:
            for k in range(n_out):
                d[k] = scale * (o[k] - Y[b, k])
                rd[k] = scale * ro[k]
        # R-operator of the backward pass
        for k in range(n_out):
            out[o_b2 + k] += rd[k]
        for j in range(width):
            base = o_W2 + j * n_out
            s = 0.0
            for k in range(n_out):
                out[base + k] += rh[j] * d[k] + h[j] * rd[k]
                s += v[base + k] * d[k] + params[base + k] * rd[k]
            rdz[j] = s if z[j] > 0.0 else 0.0
            out[o_b1 + j] += rdz[j]
        for i in range(n_in):
            x = X[b, i]
            if x == 0.0:
                continue
            base = i * width
            for j in range(width):
                out[base + j] += x * rdz[j]
