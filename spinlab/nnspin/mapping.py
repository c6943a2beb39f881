"""Feed-forward networks as layered Ising models, and the spin-glass temperature of random ones.

A network with layer widths ``(N_0, ..., N_L)``, weight matrices ``W_l`` (``N_l x N_{l+1}``) and
biases ``b_l`` (on layer l + 1) becomes the Ising model

    H(s) = - sum_l sum_{i in l, j in l+1} (W_l)_{ij} s_i s_j - sum_l sum_{j in l+1} (b_l)_j s_j,

one spin per neuron (inputs included), stored layer after layer: the coupling matrix J is a
symmetric block-tridiagonal matrix with ``W_l`` in block (l, l+1), its transpose in (l+1, l) and
zeros everywhere else (no couplings inside a layer or between non-adjacent layers). Energies per spin
are H / n with n = sum_l N_l, as everywhere in spinlab.

Random weights ``(W_l)_{ij} ~ N(0, v_l)`` give the layered (multi-layer) SK model. Its spin-glass
temperature follows from the linearised overlap equations: near the transition the layer overlaps
q_l obey ``q_l = beta^2 sum_m A_{lm} q_m``, where A_{lm} is the summed coupling variance that a spin of
layer l receives from layer m, ``A_{l,l+1} = N_{l+1} v_l`` and ``A_{l+1,l} = N_l v_l``; the paramagnet
becomes unstable when ``beta^2 lambda_max(A) = 1``, i.e. ``T_c = sqrt(lambda_max(A))``
(:func:`layered_sk_tc`). For one sample, ``sqrt(rho(J o J))`` estimates it (:func:`instance_tc`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_int, check_real
from ..models import DenseModel, from_couplings
from ..nn import Network
from ..overlaps.finite_size import PTSample, pt_sample
from .mlp import MLP

__all__ = [
    "bond_matrix",
    "equal_width_tc",
    "instance_tc",
    "layer_matrix",
    "layered_energy",
    "layered_sample",
    "layered_sk_tc",
    "network_layers",
    "random_layered",
    "to_ising",
]


def _check_weights(weights) -> list[np.ndarray]:
    if isinstance(weights, np.ndarray) or not isinstance(weights, Sequence) or len(weights) < 1:
        raise TypeError("weights must be a non-empty list of 2-d arrays W_l of shape (N_l, N_{l+1})")
    out = []
    for k, W in enumerate(weights):
        W = np.asarray(W)
        if W.dtype.kind not in "iuf" or W.ndim != 2 or min(W.shape) < 1:
            raise ValueError(f"weights[{k}] must be a non-empty real 2-d array, got {W.dtype} {W.shape}")
        if out and out[-1].shape[1] != W.shape[0]:
            raise ValueError(
                f"weights[{k}] has {W.shape[0]} rows but weights[{k - 1}] has {out[-1].shape[1]} columns; "
                "consecutive matrices must share the layer between them"
            )
        if not np.all(np.isfinite(W)):
            raise ValueError(f"weights[{k}] must contain only finite values")
        out.append(W.astype(np.float64))
    return out


def network_layers(net) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Weight matrices and per-layer fields of a network.

    Parameters
    ----------
    net : spinlab.nn.Network, spinlab.nnspin.MLP, or a list of weight matrices
        A list of arrays ``[W_0, ..., W_{L-1}]`` is taken as a network without biases.

    Returns
    -------
    weights : list of (N_l, N_{l+1}) arrays (copies)
    fields : list of (N_l,) arrays, one per layer; zero on the input layer, ``b_{l-1}`` on layer l.

    Examples
    --------
    >>> from spinlab.nn import init_network
    >>> W, b = network_layers(init_network(4, 3, 2, seed=0))
    >>> [w.shape for w in W], [f.shape for f in b]
    ([(4, 3), (3, 2)], [(4,), (3,), (2,)])
    """
    if isinstance(net, Network):
        weights, biases = [net.W1.copy(), net.W2.copy()], [net.b1.copy(), net.b2.copy()]
    elif isinstance(net, MLP):
        weights = [W.copy() for W in net.weights()]
        biases = [b.copy() for b in net.biases()]
    else:
        weights = _check_weights(net)
        biases = [np.zeros(W.shape[1]) for W in weights]
    return weights, [np.zeros(weights[0].shape[0]), *biases]


def bond_matrix(weights) -> np.ndarray:
    """The symmetric block-tridiagonal coupling matrix of a layered network (see the module docstring).

    Examples
    --------
    >>> J = bond_matrix([np.array([[1.0, 2.0]]), np.array([[3.0], [4.0]])])
    >>> J.astype(int).tolist()
    [[0, 1, 2, 0], [1, 0, 0, 3], [2, 0, 0, 4], [0, 3, 4, 0]]
    """
    weights = _check_weights(weights)
    widths = [weights[0].shape[0]] + [W.shape[1] for W in weights]
    edges = np.concatenate([[0], np.cumsum(widths)])
    J = np.zeros((edges[-1], edges[-1]))
    for k, W in enumerate(weights):
        J[edges[k] : edges[k + 1], edges[k + 1] : edges[k + 2]] = W
    return J + J.T


def to_ising(net, *, fields: bool = False, scale: float = 1.0, name: str | None = None) -> DenseModel:
    """The Ising model of a network: neurons -> spins, weights -> couplings, biases -> fields.

    Parameters
    ----------
    net : spinlab.nn.Network, spinlab.nnspin.MLP or list of weight matrices
    fields : bool
        Map the biases to site fields (default False: zero field, so s -> -s is a symmetry).
    scale : float
        Multiply all couplings and fields by this factor (> 0).
    name : str or None

    Returns
    -------
    DenseModel
        Usable by :mod:`spinlab.mc` and :mod:`spinlab.tap`; spins ordered layer by layer.

    Examples
    --------
    >>> from spinlab.nn import init_network
    >>> model = to_ising(init_network(4, 3, 2, seed=0))
    >>> model.n, bool(np.all(model.J[:4, :4] == 0))
    (9, True)
    """
    if not isinstance(fields, bool):
        raise TypeError(f"fields must be True or False, got {fields!r}")
    scale = check_real(scale, "scale", positive=True)
    weights, biases = network_layers(net)
    J = scale * bond_matrix(weights)
    h = scale * np.concatenate(biases) if fields else 0.0
    widths = "-".join(str(W.shape[0]) for W in weights) + f"-{weights[-1].shape[1]}"
    return from_couplings(J, h, name=name or f"layered network {widths}")


def layered_energy(weights, spins, fields=None) -> float:
    """Energy per spin of one configuration, summed explicitly layer by layer (a reference for tests).

    Parameters
    ----------
    weights : list of (N_l, N_{l+1}) arrays
    spins : list of ±1 arrays, one per layer
    fields : list of (N_l,) arrays or None

    Examples
    --------
    >>> layered_energy([np.array([[2.0]])], [np.array([1]), np.array([-1])])
    1.0
    """
    weights = _check_weights(weights)
    if len(spins) != len(weights) + 1:
        raise ValueError(f"spins must hold {len(weights) + 1} layers, got {len(spins)}")
    s = [np.asarray(x, dtype=np.float64) for x in spins]
    total = -sum(float(s[k] @ W @ s[k + 1]) for k, W in enumerate(weights))
    if fields is not None:
        total -= sum(float(np.asarray(f) @ x) for f, x in zip(fields, s, strict=True))
    return total / sum(x.size for x in s)


def _check_layers(widths, variances) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(widths, (str, bytes)) or not hasattr(widths, "__len__") or len(widths) < 2:
        raise ValueError(f"widths must list at least 2 layer sizes, got {widths!r}")
    N = np.array([check_int(w, f"widths[{k}]", minimum=1) for k, w in enumerate(widths)], dtype=np.float64)
    if isinstance(variances, (str, bytes)) or not hasattr(variances, "__len__"):
        raise TypeError(f"variances must be a sequence of {N.size - 1} weight variances, got {variances!r}")
    if len(variances) != N.size - 1:
        raise ValueError(
            f"variances must hold one value per weight matrix (len(widths) - 1 = {N.size - 1}), got {len(variances)}"
        )
    v = np.array([check_real(x, f"variances[{k}]", positive=True) for k, x in enumerate(variances)])
    return N, v


def layer_matrix(widths, variances) -> np.ndarray:
    """The (L+1) x (L+1) layer matrix A: ``A_{l,l+1} = N_{l+1} v_l``, ``A_{l+1,l} = N_l v_l``, zero elsewhere.

    Examples
    --------
    >>> layer_matrix([2, 4], [0.5]).tolist()
    [[0.0, 2.0], [1.0, 0.0]]
    """
    N, v = _check_layers(widths, variances)
    A = np.zeros((N.size, N.size))
    idx = np.arange(N.size - 1)
    A[idx, idx + 1] = N[1:] * v
    A[idx + 1, idx] = N[:-1] * v
    return A


def layered_sk_tc(widths, variances) -> float:
    """Spin-glass temperature of the layered SK model, ``T_c = sqrt(lambda_max(A))`` (:func:`layer_matrix`).

    A is similar to the symmetric tridiagonal matrix with off-diagonal ``sqrt(N_l N_{l+1}) v_l``
    (conjugation by diag(sqrt N_l)), so its eigenvalues are real. Special cases: one weight matrix
    (bipartite SK) gives ``T_c = (N_0 N_1)^{1/4} sqrt(v_0)``, which is 1 for ``v_0 = 1/sqrt(N_0 N_1)``;
    L equal widths N with ``v_l = C/N`` give ``sqrt(2 C cos(pi/(L+2)))`` (:func:`equal_width_tc`).

    Parameters
    ----------
    widths : sequence of int
        Layer sizes N_0, ..., N_L (at least 2 layers).
    variances : sequence of float
        Weight variances v_0, ..., v_{L-1} (> 0), one per weight matrix.

    Examples
    --------
    >>> round(layered_sk_tc([100, 100], [0.01]), 12)
    1.0
    >>> round(layered_sk_tc([50, 50, 50], [0.02, 0.02]) ** 2, 12)  # 2 C cos(pi/4) with C = 1
    1.414213562373
    """
    N, v = _check_layers(widths, variances)
    off = np.sqrt(N[:-1] * N[1:]) * v
    S = np.diag(off, 1) + np.diag(off, -1)
    return float(np.sqrt(np.linalg.eigvalsh(S)[-1]))


def equal_width_tc(n_matrices: int, C: float = 1.0) -> float:
    """Closed form for L equal-width layers with ``v = C/N``: ``T_c = sqrt(2 C cos(pi / (L + 2)))``.

    A is then C times the adjacency matrix of a path of L + 1 nodes, whose largest eigenvalue is
    2 cos(pi / (L + 2)).

    Examples
    --------
    >>> round(equal_width_tc(1), 12)
    1.0
    """
    L = check_int(n_matrices, "n_matrices", minimum=1)
    C = check_real(C, "C", positive=True)
    return float(np.sqrt(2.0 * C * np.cos(np.pi / (L + 2))))


def instance_tc(J) -> float:
    """Per-sample estimate ``sqrt(rho(J o J))`` of the spin-glass temperature (J o J: entrywise square).

    For SK couplings (variance 1/n) it tends to 1; for a random layered network to :func:`layered_sk_tc`
    (E[J o J] has the block structure of A, whose block-constant eigenvectors carry lambda_max(A)).

    Examples
    --------
    >>> from spinlab.models import sk
    >>> bool(abs(instance_tc(sk(400, seed=0).J) - 1) < 0.05)
    True
    """
    if isinstance(J, DenseModel):
        J = J.J
    J = np.asarray(J, dtype=np.float64)
    if J.ndim != 2 or J.shape[0] != J.shape[1]:
        raise ValueError(f"J must be a square matrix, got shape {J.shape}")
    return float(np.sqrt(np.linalg.eigvalsh(J * J)[-1]))


def random_layered(widths, variances, *, seed: SeedLike = None) -> DenseModel:
    """A random layered SK sample: ``(W_l)_{ij} ~ N(0, v_l)`` independently, zero field.

    Examples
    --------
    >>> m = random_layered([3, 4, 2], [0.5, 0.25], seed=0)
    >>> m.n, bool(np.all(m.J[:3, 7:] == 0))
    (9, True)
    """
    N, v = _check_layers(widths, variances)
    rng = np.random.default_rng(seed_sequence(seed))
    weights = [rng.standard_normal((int(a), int(b))) * np.sqrt(var) for a, b, var in zip(N[:-1], N[1:], v, strict=True)]
    return to_ising(weights, name=f"layered SK {'-'.join(str(int(x)) for x in N)}")


def layered_sample(
    sample_seed: SeedLike, *, widths, variances, temperatures, sweeps: int, replicas: int = 2, n_windows: int = 8
) -> PTSample:
    """Disorder-sample task: :func:`random_layered` couplings simulated by parallel tempering.

    The Monte Carlo seed is a child of ``sample_seed``; bind the keywords with
    :func:`functools.partial` and pass the task to :func:`spinlab.sweep.disorder_average`.

    Examples
    --------
    >>> s = layered_sample(1, widths=[4, 4], variances=[0.25], temperatures=[0.5, 1.5], sweeps=64)
    >>> s.n, s.q2.shape[1]
    (8, 2)
    """
    model = random_layered(widths, variances, seed=seed_sequence(sample_seed))
    return pt_sample(model, temperatures, sweeps, seed=child(sample_seed, 0), replicas=replicas, n_windows=n_windows)
