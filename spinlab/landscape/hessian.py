"""Curvature of the training loss of a ReLU network: Hessian-vector products, Hutchinson trace, top eigenvalue.

The Hessian ``H`` is that of the mean training loss (see :mod:`spinlab.nn` for the normalisation) with
respect to the flat parameter vector. ``H v`` is computed exactly by the R-operator (Pearlmutter 1994)
in a Numba kernel, at the cost of about two gradient evaluations and without forming ``H``. The
ReLU's kink contributes nothing: the result is the Hessian of the smooth piece of the loss on which
``params`` lies (exact whenever no pre-activation is exactly zero).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_int, check_real
from ..nn import Network, _check_params
from ._problem import Problem, problem, start_params

__all__ = ["TopEigenvalue", "TraceEstimate", "hessian_matrix", "hessian_trace", "hvp", "top_eigenvalue"]


def hvp(net: Network, X: np.ndarray, y: np.ndarray, v: np.ndarray, *, params=None) -> np.ndarray:
    """Hessian-vector product ``H v`` of the mean loss at ``params`` (default ``net.params``).

    Parameters
    ----------
    net : Network
        A ReLU network (its architecture; its parameters unless ``params`` is given).
    X, y : arrays
        Data set (see :func:`spinlab.nn.loss_and_grad`).
    v : (D,) array
        Direction in parameter space.
    params : (D,) array, optional
        Point at which the Hessian is taken.

    Returns
    -------
    (D,) float64

    Examples
    --------
    >>> from spinlab import nn
    >>> net = nn.init_network(3, 4, 2, seed=0)
    >>> X, y = np.eye(3), np.array([0, 1, 1])
    >>> v = np.ones(net.n_params)
    >>> Hv = hvp(net, X, y, v)
    >>> eps = 1e-5
    >>> g_plus = nn.loss_and_grad(net.params + eps * v, net, X, y)[1]
    >>> g_minus = nn.loss_and_grad(net.params - eps * v, net, X, y)[1]
    >>> bool(np.allclose(Hv, (g_plus - g_minus) / (2 * eps), atol=1e-7))
    True
    """
    prob = problem(net, X, y, relu=True)
    theta = start_params(prob.net, params)
    v = _check_params(v, prob.net.n_params, "v")
    return prob.hvp(theta, v)


def hessian_matrix(net: Network, X: np.ndarray, y: np.ndarray, *, params=None) -> np.ndarray:
    """The full (D, D) Hessian, built column by column as ``H e_p`` (use for small networks only).

    The matrix is returned as computed (not symmetrised): its asymmetry is rounding error only.

    Examples
    --------
    >>> from spinlab import nn
    >>> net = nn.init_network(3, 4, 2, seed=0)
    >>> H = hessian_matrix(net, np.eye(3), np.array([0, 1, 1]))
    >>> H.shape, bool(np.allclose(H, H.T, atol=1e-12))
    ((26, 26), True)
    """
    prob = problem(net, X, y, relu=True)
    theta = start_params(prob.net, params)
    D = prob.net.n_params
    H = np.empty((D, D))
    e = np.zeros(D)
    for p in range(D):
        e[p] = 1.0
        H[:, p] = prob.hvp(theta, e)
        e[p] = 0.0
    return H


@dataclass(frozen=True)
class TraceEstimate:
    """Hutchinson estimate of tr H.

    Attributes
    ----------
    value : float
        Mean of ``z^T H z`` over the probes.
    error : float
        Its standard error (sample standard deviation / sqrt(n_probes)).
    samples : (n_probes,) float64
        The individual ``z^T H z``.
    """

    value: float
    error: float
    samples: np.ndarray


def trace_estimate(prob: Problem, theta: np.ndarray, n_probes: int, seed: SeedLike) -> TraceEstimate:
    rng = np.random.default_rng(seed_sequence(seed))
    samples = np.empty(n_probes)
    for k in range(n_probes):
        z = rng.choice(np.array([-1.0, 1.0]), size=theta.size)
        samples[k] = z @ prob.hvp(theta, z)
    error = samples.std(ddof=1) / np.sqrt(n_probes) if n_probes > 1 else float("nan")
    return TraceEstimate(value=float(samples.mean()), error=float(error), samples=samples)


def hessian_trace(
    net: Network, X: np.ndarray, y: np.ndarray, *, params=None, n_probes: int = 32, seed: SeedLike = None
) -> TraceEstimate:
    """Hutchinson's unbiased estimate ``tr H = E[z^T H z]`` with Rademacher probes ``z`` (entries ±1).

    The variance of one probe is ``2 sum_{p != q} H_pq^2``: the estimate is exact for a diagonal Hessian.

    Parameters
    ----------
    net, X, y, params
        As in :func:`hvp`.
    n_probes : int
        Number of probes (>= 1; >= 2 for an error bar).
    seed : int, SeedSequence, Generator or None
        Seed of the probes.

    Examples
    --------
    >>> from spinlab import nn
    >>> net = nn.init_network(3, 4, 2, seed=0)
    >>> X, y = np.eye(3), np.array([0, 1, 1])
    >>> est = hessian_trace(net, X, y, n_probes=200, seed=1)
    >>> exact = np.trace(hessian_matrix(net, X, y))
    >>> bool(abs(est.value - exact) < 4 * est.error)
    True
    """
    prob = problem(net, X, y, relu=True)
    theta = start_params(prob.net, params)
    n_probes = check_int(n_probes, "n_probes", minimum=1)
    return trace_estimate(prob, theta, n_probes, seed)


@dataclass(frozen=True)
class TopEigenvalue:
    """Result of power iteration on the Hessian.

    Attributes
    ----------
    value : float
        Rayleigh quotient ``v^T H v`` of the final unit vector: the eigenvalue of largest magnitude.
    vector : (D,) float64
        The unit eigenvector.
    residual : float
        ``||H v - value v||``.
    iterations : int
        Hessian-vector products used.
    converged : bool
        Whether ``residual <= tol * |value|`` was reached.
    """

    value: float
    vector: np.ndarray
    residual: float
    iterations: int
    converged: bool


def power_iteration(prob: Problem, theta: np.ndarray, max_iter: int, tol: float, seed: SeedLike) -> TopEigenvalue:
    v = np.random.default_rng(seed_sequence(seed)).standard_normal(theta.size)
    v /= np.linalg.norm(v)
    value, residual = 0.0, np.inf
    for it in range(1, max_iter + 1):
        w = prob.hvp(theta, v)
        value = float(v @ w)
        residual = float(np.linalg.norm(w - value * v))
        norm = np.linalg.norm(w)
        if residual <= tol * abs(value) or norm == 0.0:
            return TopEigenvalue(value, v, residual, it, True)
        v = w / norm
    return TopEigenvalue(value, v, residual, max_iter, False)


def top_eigenvalue(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    *,
    params=None,
    max_iter: int = 1000,
    tol: float = 1e-6,
    seed: SeedLike = None,
) -> TopEigenvalue:
    """Eigenvalue of largest magnitude of the Hessian by power iteration with Hessian-vector products.

    At a minimum the Hessian is positive semi-definite and this is the top eigenvalue (the sharpness).
    The iteration ``v <- H v / ||H v||`` starts from a seeded Gaussian vector and stops when the
    residual ``||H v - lambda v|| <= tol |lambda|`` (the eigenvalue error is then of order
    ``tol^2 |lambda|^2 / gap``) or after ``max_iter`` products.

    Examples
    --------
    >>> from spinlab import nn
    >>> net = nn.init_network(3, 4, 2, seed=0)
    >>> X, y = np.eye(3), np.array([0, 1, 1])
    >>> top = top_eigenvalue(net, X, y, tol=1e-10, max_iter=10_000, seed=0)
    >>> eig = np.linalg.eigvalsh(hessian_matrix(net, X, y))
    >>> top.converged, bool(np.isclose(top.value, eig[np.argmax(np.abs(eig))], rtol=1e-8))
    (True, True)
    """
    prob = problem(net, X, y, relu=True)
    theta = start_params(prob.net, params)
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    tol = check_real(tol, "tol", positive=True)
    return power_iteration(prob, theta, max_iter, tol, seed)
