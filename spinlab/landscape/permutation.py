"""Protocol 2: permutation symmetry, linear interpolation and loss barriers.

Relabelling the hidden units of a one-hidden-layer network by a permutation ``perm`` (new unit ``j``
is old unit ``perm[j]``: ``W1[:, perm], b1[perm], W2[perm, :]``, ``b2`` unchanged) gives a different
point of parameter space that computes the *same* function. Every minimum therefore comes with
``width!`` copies, and the straight line between a network and its permuted copy crosses a region
of higher loss: the barrier

    B = max_alpha L((1 - alpha) theta_a + alpha theta_b) - (L(theta_a) + L(theta_b)) / 2

measures how separated the copies are. Two independently trained networks look far apart and
separated by a barrier partly because their hidden units are listed in different orders; aligning
the units first (:func:`align_hidden`, Hungarian matching of the weight vectors
``[incoming weights, bias, outgoing weights]`` of every unit) removes that gauge freedom.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np
from scipy.optimize import linear_sum_assignment
from tqdm.auto import tqdm

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_int
from ..nn import Network, TrainResult, _check_network, _check_params
from ._problem import Problem, heldout, problem, start_params

__all__ = [
    "BarrierScan",
    "Interpolation",
    "PairBarriers",
    "align_hidden",
    "hidden_features",
    "interpolate",
    "pair_barriers",
    "permute_hidden",
    "solution_matrix",
    "swap_barriers",
    "swap_permutation",
]


def _check_perm(perm, width: int) -> np.ndarray:
    arr = np.asarray(perm)
    if arr.dtype.kind not in "iu" or arr.shape != (width,):
        raise ValueError(f"perm must be an integer array of shape ({width},), got {arr.dtype} {arr.shape}")
    if not np.array_equal(np.sort(arr), np.arange(width)):
        raise ValueError(f"perm must be a permutation of 0..{width - 1}, got {arr.tolist()}")
    return arr.astype(np.int64)


def permute_hidden(net: Network, perm, *, params=None) -> np.ndarray:
    """Flat parameters with the hidden units relabelled: new unit ``j`` is old unit ``perm[j]``.

    The permuted network computes the same outputs as the original for every input (up to the
    order of floating-point summation over hidden units).

    Examples
    --------
    >>> from spinlab import nn
    >>> net = nn.init_network(4, 3, 2, seed=0)
    >>> permuted = permute_hidden(net, [2, 0, 1])
    >>> bool(np.array_equal(net.with_params(permuted).W1, net.W1[:, [2, 0, 1]]))
    True
    """
    net = _check_network(net)
    perm = _check_perm(perm, net.width)
    theta = start_params(net, params)
    out = theta.copy()
    for name, sl in (("W1", np.s_[:, perm]), ("b1", perm), ("W2", perm)):
        net.view(name, out)[...] = net.view(name, theta)[sl]
    return out


def swap_permutation(width: int, n_swapped: int, *, seed: SeedLike = None) -> np.ndarray:
    """A random permutation of ``width`` hidden units that moves exactly ``n_swapped`` of them.

    ``n_swapped`` units are chosen at random and shifted cyclically along a random order (a cycle
    moves every unit on it); the others stay. ``n_swapped`` is 0 (identity) or 2..width.

    Examples
    --------
    >>> perm = swap_permutation(10, 4, seed=0)
    >>> int(np.sum(perm != np.arange(10))), sorted(perm.tolist()) == list(range(10))
    (4, True)
    """
    width = check_int(width, "width", minimum=1)
    n_swapped = check_int(n_swapped, "n_swapped", minimum=0, maximum=width)
    if n_swapped == 1:
        raise ValueError("n_swapped must be 0 or at least 2 (a single unit cannot move alone)")
    rng = np.random.default_rng(seed_sequence(seed))
    perm = np.arange(width)
    cycle = rng.choice(width, size=n_swapped, replace=False)
    perm[cycle] = np.roll(cycle, 1)
    return perm


@dataclass(frozen=True)
class Interpolation:
    """Loss and accuracy along ``theta(alpha) = (1 - alpha) theta_a + alpha theta_b``.

    Attributes
    ----------
    alpha : (n_points,) float64
        Positions on the segment, from 0 (``theta_a``) to 1 (``theta_b``).
    train_loss, train_accuracy, test_loss, test_accuracy : (n_points,) float64
        Mean loss [nats for cross-entropy] and accuracy (test: NaN without a test set).
    barrier, test_barrier : float
        ``max(loss) - (loss[0] + loss[-1]) / 2`` on the training and test set.
    distance : float
        ``||theta_b - theta_a||``.
    """

    alpha: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    barrier: float
    test_barrier: float
    distance: float


def _barrier(loss: np.ndarray) -> float:
    return float(loss.max() - 0.5 * (loss[0] + loss[-1]))


def _path(prob: Problem, test: Problem | None, a: np.ndarray, b: np.ndarray, n_points: int) -> Interpolation:
    alpha = np.linspace(0.0, 1.0, n_points)
    records = np.full((4, n_points), np.nan)
    for k, s in enumerate(alpha):
        theta = (1.0 - s) * a + s * b
        records[:2, k] = prob.evaluate(theta)
        if test is not None:
            records[2:, k] = test.evaluate(theta)
    return Interpolation(
        alpha=alpha,
        train_loss=records[0],
        train_accuracy=records[1],
        test_loss=records[2],
        test_accuracy=records[3],
        barrier=_barrier(records[0]),
        test_barrier=_barrier(records[2]) if test is not None else float("nan"),
        distance=float(np.linalg.norm(b - a)),
    )


def interpolate(
    net: Network,
    params_a,
    params_b,
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_points: int = 21,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
) -> Interpolation:
    """Loss and accuracy on the straight line between two parameter vectors of the architecture ``net``.

    Parameters
    ----------
    net : Network
        The architecture.
    params_a, params_b : (D,) arrays
        Endpoints (``alpha = 0`` and ``alpha = 1``; both are evaluated exactly there).
    X, y : arrays
        Training set.
    n_points : int
        Equally spaced values of ``alpha`` (>= 2).
    X_test, y_test : arrays, optional
        Held-out set.

    Returns
    -------
    Interpolation

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> net = nn.train(nn.init_network(64, 8, 10, seed=0), X[:300], y[:300], epochs=20, lr=0.2, seed=1).network
    >>> path = interpolate(net, net.params, permute_hidden(net, swap_permutation(8, 8, seed=2)), X[:300], y[:300])
    >>> bool(path.barrier > 0), bool(np.isclose(path.train_loss[0], path.train_loss[-1], rtol=1e-12))
    (True, True)
    """
    prob = problem(net, X, y)
    test = heldout(prob.net, X_test, y_test)
    a = _check_params(params_a, prob.net.n_params, "params_a")
    b = _check_params(params_b, prob.net.n_params, "params_b")
    n_points = check_int(n_points, "n_points", minimum=2)
    return _path(prob, test, a, b, n_points)


def hidden_features(net: Network, *, params=None) -> np.ndarray:
    """One row per hidden unit: ``[incoming weights W1[:, j], bias b1[j], outgoing weights W2[j, :]]``.

    Examples
    --------
    >>> from spinlab import nn
    >>> hidden_features(nn.init_network(4, 3, 2, seed=0)).shape
    (3, 7)
    """
    net = _check_network(net)
    theta = start_params(net, params)
    return np.hstack([net.view("W1", theta).T, net.view("b1", theta)[:, None], net.view("W2", theta)])


def _alignment(features_ref: np.ndarray, features: np.ndarray) -> np.ndarray:
    _, perm = linear_sum_assignment(features_ref @ features.T, maximize=True)
    return perm


def align_hidden(net: Network, params_ref, params) -> tuple[np.ndarray, np.ndarray]:
    """Relabel the hidden units of ``params`` to match those of ``params_ref`` (Hungarian matching).

    The permutation maximises ``sum_j f_ref[j] . f[perm[j]]`` over the unit feature vectors of
    :func:`hidden_features` (equivalently it minimises ``sum_j ||f_ref[j] - f[perm[j]]||^2``, the
    squared distance between the two parameter vectors), solved exactly by
    :func:`scipy.optimize.linear_sum_assignment`.

    Returns
    -------
    perm : (width,) int64
        New unit ``j`` of the aligned network is unit ``perm[j]`` of ``params``.
    aligned : (D,) float64
        ``permute_hidden(net, perm, params=params)``.

    Examples
    --------
    >>> from spinlab import nn
    >>> net = nn.init_network(5, 6, 3, seed=0)
    >>> shuffled = permute_hidden(net, [3, 5, 0, 1, 4, 2])
    >>> perm, aligned = align_hidden(net, net.params, shuffled)
    >>> bool(np.array_equal(aligned, net.params))
    True
    """
    net = _check_network(net)
    ref = _check_params(params_ref, net.n_params, "params_ref")
    theta = _check_params(params, net.n_params, "params")
    perm = _alignment(hidden_features(net, params=ref), hidden_features(net, params=theta))
    return perm, permute_hidden(net, perm, params=theta)


@dataclass(frozen=True)
class BarrierScan:
    """Barriers between a network and copies with ``n_swapped`` hidden units permuted (:func:`swap_barriers`).

    Attributes
    ----------
    swaps : (S,) int64
        Numbers of moved hidden units.
    barriers, test_barriers : (S, n_repeats) float64
        Training / test barrier of each random permutation [nats].
    distances : (S, n_repeats) float64
        Euclidean distance between the network and its permuted copy.
    """

    swaps: np.ndarray
    barriers: np.ndarray
    test_barriers: np.ndarray
    distances: np.ndarray

    @property
    def mean(self) -> np.ndarray:
        """Mean training barrier per number of swapped units."""
        return self.barriers.mean(axis=1)

    @property
    def error(self) -> np.ndarray:
        """Standard error of :attr:`mean` over the random permutations (NaN for one repeat)."""
        n = self.barriers.shape[1]
        if n < 2:
            return np.full(self.swaps.size, np.nan)
        return self.barriers.std(axis=1, ddof=1) / np.sqrt(n)


def swap_barriers(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    *,
    swaps,
    n_repeats: int = 4,
    n_points: int = 21,
    params=None,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> BarrierScan:
    """Barrier between a network and its permuted copy against the number of permuted hidden units.

    For every ``k`` in ``swaps`` and every repeat ``r``, the permutation
    ``swap_permutation(width, k, seed=child(child(seed, i), r))`` (``i`` the index of ``k``) is applied
    and the straight line is scanned with :func:`interpolate`.

    Parameters
    ----------
    net : Network
        The (trained) network; ``params`` overrides its parameters.
    X, y, X_test, y_test : arrays
        Training and optional held-out set.
    swaps : sequence of int
        Numbers of moved units, each 0 or in 2..width.
    n_repeats : int
        Random permutations per entry of ``swaps``.
    n_points : int
        Points along each straight line.
    seed : int, SeedSequence, Generator or None
    progress : bool or None
        Progress bar over the permutations (default: off).

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> net = nn.train(nn.init_network(64, 8, 10, seed=0), X[:300], y[:300], epochs=20, lr=0.2, seed=1).network
    >>> scan = swap_barriers(net, X[:300], y[:300], swaps=[0, 2, 8], n_repeats=2, n_points=11, seed=3)
    >>> scan.barriers.shape, round(float(scan.mean[0]), 12)  # no swap: no barrier
    ((3, 2), 0.0)
    """
    prob = problem(net, X, y)
    test = heldout(prob.net, X_test, y_test)
    theta = start_params(prob.net, params)
    width = prob.net.width
    swaps = np.asarray([check_int(k, "swaps entry", minimum=0, maximum=width) for k in np.atleast_1d(swaps)])
    if swaps.size == 0:
        raise ValueError("swaps must contain at least one number of units")
    n_repeats = check_int(n_repeats, "n_repeats", minimum=1)
    n_points = check_int(n_points, "n_points", minimum=2)
    root = seed_sequence(seed)
    out = np.empty((3, swaps.size, n_repeats))
    bar = tqdm(total=swaps.size * n_repeats, desc="permutations", unit="path", disable=not progress)
    with bar:
        for i, k in enumerate(swaps):
            for r in range(n_repeats):
                perm = swap_permutation(width, int(k), seed=child(child(root, i), r))
                path = _path(prob, test, theta, permute_hidden(prob.net, perm, params=theta), n_points)
                out[:, i, r] = path.barrier, path.test_barrier, path.distance
                bar.update()
    return BarrierScan(swaps=swaps.astype(np.int64), barriers=out[0], test_barriers=out[1], distances=out[2])


def solution_matrix(net: Network, solutions) -> np.ndarray:
    """Stack trained solutions of the architecture ``net`` into an (m, D) array.

    ``solutions`` is a list of :class:`~spinlab.nn.TrainResult` (from :func:`spinlab.nn.train_many`),
    of :class:`~spinlab.nn.Network`, of flat parameter vectors, or an (m, D) array.

    Examples
    --------
    >>> from spinlab import nn
    >>> net = nn.init_network(4, 3, 2, seed=0)
    >>> solution_matrix(net, [net, net.params]).shape
    (2, 23)
    """
    net = _check_network(net)
    if isinstance(solutions, np.ndarray) and solutions.ndim == 2:
        rows = list(solutions)
    elif isinstance(solutions, (list, tuple)):
        rows = list(solutions)
    else:
        raise TypeError(f"solutions must be a list of TrainResult/Network/arrays or an (m, D) array, got {solutions!r}")
    out = np.empty((len(rows), net.n_params))
    for k, row in enumerate(rows):
        if isinstance(row, (TrainResult, Network)):
            if (row.n_in, row.width, row.n_out) != (net.n_in, net.width, net.n_out):
                raise ValueError(
                    f"solutions[{k}] has shape ({row.n_in}, {row.width}, {row.n_out}), "
                    f"expected ({net.n_in}, {net.width}, {net.n_out}) like net"
                )
            row = row.params
        out[k] = _check_params(row, net.n_params, f"solutions[{k}]")
    return out


@dataclass(frozen=True)
class PairBarriers:
    """Barriers between pairs of independently trained networks (:func:`pair_barriers`).

    Attributes
    ----------
    pairs : (P, 2) int64
        Indices ``(a, b)`` into the list of solutions.
    raw, aligned : (P,) float64
        Training barrier [nats] of the straight line from ``a`` to ``b`` as trained, and after
        relabelling the hidden units of ``b`` to match ``a`` (:func:`align_hidden`).
    raw_distance, aligned_distance : (P,) float64
        Euclidean distances ``||theta_b - theta_a||`` before and after the alignment.
    """

    pairs: np.ndarray
    raw: np.ndarray
    aligned: np.ndarray
    raw_distance: np.ndarray
    aligned_distance: np.ndarray


def pair_barriers(
    net: Network,
    solutions,
    X: np.ndarray,
    y: np.ndarray,
    *,
    max_pairs: int | None = None,
    n_points: int = 21,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> PairBarriers:
    """Barriers between independently trained networks, with and without aligning their hidden units.

    Parameters
    ----------
    net : Network
        The architecture.
    solutions : list or (m, D) array
        At least two trained solutions (see :func:`solution_matrix`).
    X, y : arrays
        Training set.
    max_pairs : int or None
        Use all ``m (m - 1) / 2`` pairs (None) or this many of them, drawn without replacement.
    n_points : int
        Points along each straight line.
    seed : int, SeedSequence, Generator or None
        Seed of the choice of pairs.
    progress : bool or None
        Progress bar over pairs (default: off).

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> runs = nn.train_many(3, X[:300], y[:300], width=8, epochs=5, seed=0, executor="serial")
    >>> pb = pair_barriers(runs[0].network, runs, X[:300], y[:300], n_points=11)
    >>> pb.pairs.tolist(), bool(np.all(pb.aligned_distance <= pb.raw_distance))
    ([[0, 1], [0, 2], [1, 2]], True)
    """
    prob = problem(net, X, y)
    thetas = solution_matrix(prob.net, solutions)
    m = thetas.shape[0]
    if m < 2:
        raise ValueError(f"solutions must hold at least 2 networks, got {m}")
    n_points = check_int(n_points, "n_points", minimum=2)
    pairs = np.array(list(combinations(range(m), 2)), dtype=np.int64)
    if max_pairs is not None:
        max_pairs = check_int(max_pairs, "max_pairs", minimum=1)
        if max_pairs < len(pairs):
            keep = np.random.default_rng(seed_sequence(seed)).choice(len(pairs), size=max_pairs, replace=False)
            pairs = pairs[np.sort(keep)]
    out = np.empty((4, len(pairs)))
    for p, (a, b) in enumerate(tqdm(pairs, desc="pairs", unit="pair", disable=not progress)):
        raw = _path(prob, None, thetas[a], thetas[b], n_points)
        _, aligned_b = align_hidden(prob.net, thetas[a], thetas[b])
        aligned = _path(prob, None, thetas[a], aligned_b, n_points)
        out[:, p] = raw.barrier, aligned.barrier, raw.distance, aligned.distance
    return PairBarriers(pairs=pairs, raw=out[0], aligned=out[1], raw_distance=out[2], aligned_distance=out[3])
