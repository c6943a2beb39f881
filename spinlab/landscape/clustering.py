"""Protocol 3: hierarchical clustering of trained solutions (or of any states) and ultrametricity.

Trained networks are only comparable after fixing the permutation gauge of their hidden units
(:mod:`spinlab.landscape.permutation`): :func:`align_solutions` relabels every solution to match a
reference (Hungarian matching) or puts the units of each in a canonical order. The distance matrix
of the aligned solutions is then analysed like the overlap matrix of spin-glass states
(:func:`ultrametric_analysis`): an average-linkage dendrogram, the matrix in dendrogram order (the
analogue of Parisi's block matrix), the cophenetic correlation (1 for an exactly ultrametric
matrix) and the statistics of triangles.

Ultrametricity: in an ultrametric space every triangle is isosceles with the two *largest* sides
equal, ``d_max = d_mid``. For random triplets we record ``K = (d_max - d_mid) / sigma_d``, with
``sigma_d`` the standard deviation of all pairwise distances (which removes the trivial
concentration of high-dimensional distances). The control draws the three sides independently
from the same set of pairwise distances (the matrix entries shuffled), i.e. the same distances
without any tree structure; an ultrametric set has ``K`` concentrated at 0, the control does not.
A stronger null model is :func:`gaussian_surrogate`: Gaussian states with the same mean and
covariance as the real ones (same spread, same anisotropy, same typical distances, but no
clusters). :func:`state_distances` turns any (m, n) array of states (network parameters, spin
configurations from :func:`spinlab.overlaps.sample_states`, network outputs from
:func:`function_states`) into such a distance matrix.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.cluster import hierarchy
from scipy.spatial.distance import squareform

from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_int
from ..nn import Network, _check_network, _check_X, _codes, _kernels
from .permutation import _alignment, hidden_features, permute_hidden, solution_matrix

__all__ = [
    "GAUGES",
    "LINKAGES",
    "METRICS",
    "Hierarchy",
    "align_solutions",
    "cluster_solutions",
    "function_states",
    "gaussian_surrogate",
    "state_distances",
    "ultrametric_analysis",
]

GAUGES = ("hungarian", "canonical", "none")
METRICS = ("euclidean", "cosine", "overlap")
LINKAGES = ("average", "complete", "single", "weighted")


def align_solutions(net: Network, solutions, *, gauge: str = "hungarian", reference: int = 0) -> np.ndarray:
    """Fix the permutation gauge of many solutions; returns an (m, D) array.

    ``gauge="hungarian"``: every solution is aligned to ``solutions[reference]`` with
    :func:`~spinlab.landscape.align_hidden`. ``gauge="canonical"``: the hidden units of every
    solution are sorted by decreasing norm of their feature vector ``[W1[:, j], b1[j], W2[j, :]]``
    (no reference; a discontinuous but unique gauge for distinct norms). ``gauge="none"``: as trained.

    Examples
    --------
    >>> from spinlab import nn
    >>> from spinlab.landscape import swap_permutation
    >>> net = nn.init_network(4, 5, 2, seed=0)
    >>> copies = [permute_hidden(net, swap_permutation(5, 5, seed=s)) for s in range(3)]
    >>> aligned = align_solutions(net, [net, *copies])
    >>> bool(np.all(aligned == net.params))
    True
    """
    net = _check_network(net)
    thetas = solution_matrix(net, solutions)
    check_choice(gauge, "gauge", GAUGES)
    m = thetas.shape[0]
    reference = check_int(reference, "reference", minimum=0, maximum=m - 1)
    if gauge == "none":
        return thetas
    out = np.empty_like(thetas)
    ref_features = hidden_features(net, params=thetas[reference])
    for k in range(m):
        features = hidden_features(net, params=thetas[k])
        if gauge == "hungarian":
            perm = _alignment(ref_features, features)
        else:
            perm = np.argsort(-np.linalg.norm(features, axis=1), kind="stable")
        out[k] = permute_hidden(net, perm, params=thetas[k])
    return out


def state_distances(states, *, metric: str = "euclidean") -> np.ndarray:
    """Distance matrix (m, m) between the rows of an (m, n) array of states.

    ``"euclidean"``: ``||a - b|| / sqrt(n)`` (root-mean-square difference per coordinate).
    ``"cosine"``: ``1 - a.b / (||a|| ||b||)``, in [0, 2].
    ``"overlap"``: ``1 - |q_ab|`` with ``q_ab = a.b / n``, for ±1 spin configurations (the global
    spin flip is ignored), in [0, 1].

    Examples
    --------
    >>> s = np.array([[1, 1, 1, 1], [1, 1, -1, -1], [-1, -1, -1, -1]])
    >>> state_distances(s, metric="overlap").tolist()
    [[0.0, 1.0, 0.0], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]
    """
    check_choice(metric, "metric", METRICS)
    arr = np.asarray(states)
    if arr.dtype.kind not in "iuf" or arr.ndim != 2 or arr.shape[0] < 2 or arr.shape[1] < 1:
        raise ValueError(f"states must be a real (m, n) array with m >= 2, got {arr.dtype} {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("states must contain only finite values")
    gram = arr @ arr.T
    if metric == "overlap":
        if not np.all(np.abs(arr) == 1.0):
            raise ValueError("metric='overlap' needs ±1 spin configurations in states")
        out = 1.0 - np.abs(gram) / arr.shape[1]
    elif metric == "cosine":
        norms = np.sqrt(np.diag(gram))
        if np.any(norms == 0):
            raise ValueError("metric='cosine' needs states with non-zero norm")
        out = 1.0 - gram / np.outer(norms, norms)
    else:
        sq = np.diag(gram)
        out = np.sqrt(np.clip(sq[:, None] + sq[None, :] - 2.0 * gram, 0.0, None) / arr.shape[1])
    out = np.clip(0.5 * (out + out.T), 0.0, None)
    np.fill_diagonal(out, 0.0)
    return out


def function_states(net: Network, solutions, X: np.ndarray) -> np.ndarray:
    """The functions computed by many solutions, one row per solution: outputs on the inputs ``X``.

    For a cross-entropy network the row is the softmax probabilities of all rows of ``X``, flattened
    to length ``n * n_out`` (so ``state_distances(..., metric="euclidean")`` is the root-mean-square
    difference of predicted probabilities); for an MSE network the raw outputs. Unlike parameter
    vectors these states need no gauge fixing: permuted copies of a network give identical rows.

    Examples
    --------
    >>> from spinlab import nn
    >>> from spinlab.landscape import swap_permutation
    >>> net = nn.init_network(4, 5, 3, seed=0)
    >>> X = np.random.default_rng(1).normal(size=(6, 4))
    >>> F = function_states(net, [net, permute_hidden(net, swap_permutation(5, 5, seed=2))], X)
    >>> F.shape, bool(np.allclose(F[0], F[1])), bool(np.allclose(F[0].reshape(6, 3).sum(axis=1), 1.0))
    ((2, 18), True, True)
    """
    net = _check_network(net)
    thetas = solution_matrix(net, solutions)
    X = _check_X(X, net)
    n_in, width, n_out, act, _ = _codes(net)
    rows = np.empty((thetas.shape[0], X.shape[0] * n_out))
    for k, theta in enumerate(thetas):
        out = _kernels.forward_all(theta, n_in, width, n_out, act, X)
        if net.loss == "cross_entropy":
            out = np.exp(out - out.max(axis=1, keepdims=True))
            out /= out.sum(axis=1, keepdims=True)
        rows[k] = out.ravel()
    return rows


def gaussian_surrogate(states, *, seed: SeedLike = None) -> np.ndarray:
    """Gaussian states with the mean and covariance of ``states``: the null model of "no clusters".

    Row ``i`` is ``mean + sum_j z_ij (s_j - mean) / sqrt(m - 1)`` with independent standard normal
    ``z_ij``, so every surrogate state has exactly the sample covariance of the ``m`` states as its
    covariance: the same spread and anisotropy (and typical distances) but a single Gaussian cloud.
    A hierarchy that is real shows a higher cophenetic correlation and a lower ultrametricity
    (:func:`ultrametric_analysis`) than the surrogates; continuous coordinates result, so use
    ``metric="euclidean"`` (for ±1 spins fix the global flip first, e.g. ``s * sign(s @ s[0])``).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> clusters = np.repeat(rng.normal(size=(3, 40)) * 4, 10, axis=0) + rng.normal(size=(30, 40))
    >>> real = ultrametric_analysis(state_distances(clusters), n_triplets=500, seed=1)
    >>> null = ultrametric_analysis(state_distances(gaussian_surrogate(clusters, seed=2)), n_triplets=500, seed=1)
    >>> bool(real.cophenetic_correlation > null.cophenetic_correlation)
    True
    """
    arr = np.asarray(states)
    if arr.dtype.kind not in "iuf" or arr.ndim != 2 or arr.shape[0] < 2:
        raise ValueError(f"states must be a real (m, n) array with m >= 2, got {arr.dtype} {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)):
        raise ValueError("states must contain only finite values")
    m = arr.shape[0]
    mean = arr.mean(axis=0)
    z = np.random.default_rng(seed_sequence(seed)).standard_normal((m, m))
    return mean + z @ (arr - mean) / np.sqrt(m - 1)


@dataclass(frozen=True)
class Hierarchy:
    """Hierarchical clustering and ultrametricity of a distance matrix (:func:`ultrametric_analysis`).

    Attributes
    ----------
    distances : (m, m) float64
        The input distances, in the original order.
    linkage : (m - 1, 4) float64
        scipy linkage matrix.
    order : (m,) int64
        Leaf order of the dendrogram.
    cophenetic_correlation : float
        Pearson correlation between the distances and the tree's (ultrametric) cophenetic distances.
    triplet_gaps, control_gaps : (n_triplets,) float64
        ``K = (d_max - d_mid) / sigma_d`` of random triplets of distinct states, and of triplets
        whose three sides are drawn independently from all pairwise distances (the shuffled control).
    method : str
        Linkage method.
    """

    distances: np.ndarray
    linkage: np.ndarray
    order: np.ndarray
    cophenetic_correlation: float
    triplet_gaps: np.ndarray
    control_gaps: np.ndarray
    method: str

    def ordered(self) -> np.ndarray:
        """The distance matrix with rows and columns in dendrogram order (block structure)."""
        return self.distances[np.ix_(self.order, self.order)]

    def clusters(self, n_clusters: int) -> np.ndarray:
        """Flat cluster labels 1..n_clusters from cutting the tree (``scipy ... fcluster``, ``maxclust``)."""
        n_clusters = check_int(n_clusters, "n_clusters", minimum=1, maximum=self.order.size)
        return hierarchy.fcluster(self.linkage, n_clusters, criterion="maxclust")

    @property
    def ultrametricity(self) -> float:
        """Mean triplet gap relative to the control, ``<K> / <K>_control``: 0 ultrametric, about 1 structureless.

        All distances equal (an equilateral, hence ultrametric, set) gives 0.
        """
        control = self.control_gaps.mean()
        return float(self.triplet_gaps.mean() / control) if control > 0 else 0.0


def _check_distances(distances) -> np.ndarray:
    arr = np.asarray(distances)
    if arr.dtype.kind not in "iuf" or arr.ndim != 2 or arr.shape[0] != arr.shape[1]:
        raise ValueError(f"distances must be a square real matrix, got {arr.dtype} {arr.shape}")
    if arr.shape[0] < 3:
        raise ValueError(f"distances must describe at least 3 states, got {arr.shape[0]}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 0):
        raise ValueError("distances must be finite and non-negative")
    if not np.allclose(arr, arr.T, rtol=1e-10, atol=1e-12) or np.any(np.diag(arr) != 0):
        raise ValueError("distances must be symmetric with a zero diagonal (see state_distances)")
    return 0.5 * (arr + arr.T)


def _gaps(sides: np.ndarray, scale: float) -> np.ndarray:
    sides = np.sort(sides, axis=1)
    return (sides[:, 2] - sides[:, 1]) / scale


def ultrametric_analysis(
    distances, *, method: str = "average", n_triplets: int = 10_000, seed: SeedLike = None
) -> Hierarchy:
    """Cluster a distance matrix hierarchically and measure how ultrametric it is.

    Parameters
    ----------
    distances : (m, m) array
        Symmetric, non-negative, zero diagonal, m >= 3 (e.g. from :func:`state_distances`).
    method : {"average", "complete", "single", "weighted"}
        Linkage rule of :func:`scipy.cluster.hierarchy.linkage`.
    n_triplets : int
        Random triplets of distinct states (and as many control triplets).
    seed : int, SeedSequence, Generator or None
        Seed of the triplets.

    Returns
    -------
    Hierarchy

    Examples
    --------
    >>> d = np.array([[0, 1, 4, 4], [1, 0, 4, 4], [4, 4, 0, 2], [4, 4, 2, 0]], dtype=float)
    >>> h = ultrametric_analysis(d, n_triplets=100, seed=0)
    >>> round(h.cophenetic_correlation, 6), h.clusters(2).tolist(), float(h.triplet_gaps.max())
    (1.0, [1, 1, 2, 2], 0.0)
    """
    D = _check_distances(distances)
    check_choice(method, "method", LINKAGES)
    n_triplets = check_int(n_triplets, "n_triplets", minimum=1)
    m = D.shape[0]
    condensed = squareform(D, checks=False)
    linkage = hierarchy.linkage(condensed, method=method)
    correlation = hierarchy.cophenet(linkage, condensed)[0] if np.ptp(condensed) > 0 else 1.0
    rng = np.random.default_rng(seed_sequence(seed))
    picks = np.argsort(rng.random((n_triplets, m)), axis=1)[:, :3]
    a, b, c = picks.T
    scale = condensed.std()
    scale = scale if scale > 0 else 1.0
    triplet = _gaps(np.stack([D[a, b], D[b, c], D[a, c]], axis=1), scale)
    control = _gaps(rng.choice(condensed, size=(n_triplets, 3)), scale)
    return Hierarchy(
        distances=D,
        linkage=linkage,
        order=hierarchy.leaves_list(linkage).astype(np.int64),
        cophenetic_correlation=float(correlation),
        triplet_gaps=triplet,
        control_gaps=control,
        method=method,
    )


def cluster_solutions(
    net: Network,
    solutions,
    *,
    gauge: str = "hungarian",
    reference: int = 0,
    metric: str = "euclidean",
    method: str = "average",
    n_triplets: int = 10_000,
    seed: SeedLike = None,
) -> Hierarchy:
    """Hierarchical clustering of trained solutions after fixing the permutation gauge.

    ``align_solutions`` (``gauge``, ``reference``), then ``state_distances`` (``metric``:
    ``"euclidean"`` or ``"cosine"``) of the aligned parameter vectors, then
    :func:`ultrametric_analysis` (``method``, ``n_triplets``, ``seed``).

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> runs = nn.train_many(4, X[:300], y[:300], width=8, epochs=3, seed=0, executor="serial")
    >>> h = cluster_solutions(runs[0].network, runs, n_triplets=50, seed=1)
    >>> h.distances.shape, sorted(h.order.tolist())
    ((4, 4), [0, 1, 2, 3])
    """
    check_choice(metric, "metric", METRICS[:2])
    aligned = align_solutions(net, solutions, gauge=gauge, reference=reference)
    distances = state_distances(aligned, metric=metric)
    return ultrametric_analysis(distances, method=method, n_triplets=n_triplets, seed=seed)
