"""Clustering of solutions and states: planted trees, gauge fixing, distances, ultrametricity statistics."""

import numpy as np
import pytest
from scipy.spatial.distance import pdist, squareform

from spinlab import landscape as ls
from spinlab import models, nn, overlaps


def _planted(seed=0):
    """36 leaves: 3 groups x 3 subgroups x 4 leaves; d = 1 inside a subgroup, 2 inside a group, 4 across."""
    group = np.repeat(np.arange(3), 12)
    sub = np.repeat(np.arange(9), 4)
    D = np.where(group[:, None] != group[None, :], 4.0, np.where(sub[:, None] != sub[None, :], 2.0, 1.0))
    np.fill_diagonal(D, 0.0)
    shuffle = np.random.default_rng(seed).permutation(36)
    return D[np.ix_(shuffle, shuffle)], group[shuffle], sub[shuffle]


def _same_partition(a, b):
    return np.array_equal(a[:, None] == a[None, :], b[:, None] == b[None, :])


def test_planted_ultrametric_tree_is_recovered():
    D, group, sub = _planted()
    h = ls.ultrametric_analysis(D, n_triplets=2000, seed=1)
    assert h.cophenetic_correlation == pytest.approx(1.0, abs=1e-12)
    assert _same_partition(h.clusters(3), group) and _same_partition(h.clusters(9), sub)
    assert np.all(h.triplet_gaps == 0.0) and h.ultrametricity == 0.0
    assert h.control_gaps.mean() > 0.3
    # dendrogram order makes every group a contiguous block of the ordered matrix
    ordered_groups = group[h.order]
    assert np.count_nonzero(np.diff(ordered_groups)) == 2
    assert np.array_equal(h.ordered(), D[np.ix_(h.order, h.order)])


def test_noisy_hierarchical_points_are_nearly_ultrametric():
    rng = np.random.default_rng(2)
    centres = rng.normal(size=(3, 50)) * 3.0
    points = np.repeat(centres, 20, axis=0) + 0.3 * rng.normal(size=(60, 50))
    h = ls.ultrametric_analysis(ls.state_distances(points), n_triplets=3000, seed=3)
    assert h.cophenetic_correlation > 0.95
    assert _same_partition(h.clusters(3), np.repeat(np.arange(3), 20))
    assert h.ultrametricity < 0.3
    structureless = ls.ultrametric_analysis(ls.state_distances(rng.normal(size=(60, 3))), n_triplets=3000, seed=3)
    assert structureless.ultrametricity > 2 * h.ultrametricity


def test_equilateral_set_is_ultrametric():
    D = np.ones((5, 5)) - np.eye(5)
    h = ls.ultrametric_analysis(D, n_triplets=50, seed=0)
    assert h.ultrametricity == 0.0 and h.cophenetic_correlation == 1.0


def test_state_distances_match_scipy_and_overlaps():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(7, 12))
    np.testing.assert_allclose(ls.state_distances(x), squareform(pdist(x)) / np.sqrt(12), atol=1e-12)
    np.testing.assert_allclose(ls.state_distances(x, metric="cosine"), squareform(pdist(x, "cosine")), atol=1e-12)
    spins = rng.choice([-1, 1], size=(6, 20)).astype(np.int8)
    expected = 1.0 - np.abs(overlaps.overlap_matrix(spins))
    np.fill_diagonal(expected, 0.0)
    np.testing.assert_allclose(ls.state_distances(spins, metric="overlap"), expected, atol=1e-15)


def test_gauges_map_permuted_copies_to_one_point(trained):
    copies = [ls.permute_hidden(trained, ls.swap_permutation(6, 6, seed=s)) for s in range(4)]
    aligned = ls.align_solutions(trained, [trained, *copies], reference=0)
    assert np.all(aligned == trained.params)
    canonical = ls.align_solutions(trained, copies, gauge="canonical")
    assert np.all(canonical == canonical[0])
    assert np.array_equal(ls.align_solutions(trained, copies, gauge="none"), np.array(copies))


def test_cluster_solutions_is_deterministic_and_gauge_reduces_distances(digits_small):
    X, y, _, _ = digits_small
    runs = nn.train_many(5, X, y, width=6, epochs=10, lr=0.2, batch_size=16, seed=3, executor="serial")
    net = runs[0].network
    a = ls.cluster_solutions(net, runs, n_triplets=200, seed=4)
    b = ls.cluster_solutions(net, runs, n_triplets=200, seed=4)
    assert np.array_equal(a.triplet_gaps, b.triplet_gaps) and np.array_equal(a.linkage, b.linkage)
    raw = ls.cluster_solutions(net, runs, gauge="none", n_triplets=200, seed=4)
    # aligning every solution to solution 0 can only bring it closer to solution 0
    assert np.all(a.distances[0] <= raw.distances[0] + 1e-12)


def test_spin_states_go_through_the_same_analysis():
    ss = overlaps.sample_states(models.sk(12, seed=1), [0.4, 0.8, 1.5], 12, spacing=5, burn_in=50, seed=2)
    h = ls.ultrametric_analysis(ls.state_distances(ss.states, metric="overlap"), n_triplets=500, seed=3)
    assert h.distances.shape == (12, 12) and sorted(h.order.tolist()) == list(range(12))
    assert np.all((h.distances >= 0) & (h.distances <= 1))


def test_clustering_validation(trained):
    D, _, _ = _planted()
    with pytest.raises(ValueError, match="symmetric"):
        ls.ultrametric_analysis(D + np.triu(np.ones_like(D), 1))
    with pytest.raises(ValueError, match="at least 3"):
        ls.ultrametric_analysis(np.zeros((2, 2)))
    with pytest.raises(ValueError, match="non-negative"):
        ls.ultrametric_analysis(-D)
    with pytest.raises(ValueError, match="method"):
        ls.ultrametric_analysis(D, method="ward")
    with pytest.raises(ValueError, match="overlap"):
        ls.state_distances(np.ones((3, 4)) * 0.5, metric="overlap")
    with pytest.raises(ValueError, match="gauge"):
        ls.align_solutions(trained, [trained, trained], gauge="sorted")
    with pytest.raises(ValueError, match="reference"):
        ls.align_solutions(trained, [trained, trained], reference=2)
    with pytest.raises(ValueError, match="metric"):
        ls.cluster_solutions(trained, [trained] * 3, metric="overlap")


def test_gaussian_surrogate_has_the_sample_covariance():
    rng = np.random.default_rng(8)
    states = rng.normal(size=(5, 3)) * [1.0, 2.0, 0.5] + [3.0, -1.0, 0.0]
    mean = states.mean(axis=0)
    cov = np.cov(states, rowvar=False)
    draws = np.concatenate([ls.gaussian_surrogate(states, seed=k) for k in range(4000)])
    # 20000 Gaussian rows: mean error ~ sqrt(C_ii / 20000), covariance error ~ sqrt(2 / 20000) relative
    se = np.sqrt(np.diag(cov) / draws.shape[0])
    assert np.all(np.abs(draws.mean(axis=0) - mean) < 5 * se)
    np.testing.assert_allclose(np.cov(draws, rowvar=False), cov, atol=5 * np.sqrt(2 / draws.shape[0]) * cov.max())
    assert np.array_equal(ls.gaussian_surrogate(states, seed=1), ls.gaussian_surrogate(states, seed=1))
    with pytest.raises(ValueError, match="states"):
        ls.gaussian_surrogate(np.ones(4))


def test_function_states_are_softmax_outputs_and_gauge_free(trained, digits_small):
    X, _, _, _ = digits_small
    copy = ls.permute_hidden(trained, ls.swap_permutation(6, 6, seed=1))
    F = ls.function_states(trained, [trained, copy], X[:7])
    logits = np.maximum(X[:7] @ trained.W1 + trained.b1, 0.0) @ trained.W2 + trained.b2
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(F[0], p.ravel(), rtol=1e-12)
    np.testing.assert_allclose(F[1], F[0], rtol=1e-12)
    reg = nn.init_network(64, 3, 2, loss="mse", seed=0)
    out = np.maximum(X[:4] @ reg.W1 + reg.b1, 0.0) @ reg.W2 + reg.b2
    np.testing.assert_allclose(ls.function_states(reg, [reg], X[:4])[0], out.ravel(), rtol=1e-12)
