"""Trees of trainings: exact reproduction from the documented seeds, genealogy bookkeeping, distances by split."""

import numpy as np
import pytest

from spinlab import landscape as ls
from spinlab import nn
from spinlab._rng import child, seed_sequence


def test_leaves_are_chains_of_nn_train_with_the_documented_seeds(digits_small):
    X, y, Xt, yt = digits_small
    net = nn.init_network(64, 5, 10, seed=0)
    opts = dict(batch_size=20, lr=0.1, momentum=0.3)
    tree = ls.training_tree(net, X, y, branching=[2, 2], split_epochs=[1, 3], epochs=4, X_test=Xt, y_test=yt,
                            seed=7, **opts)  # fmt: skip
    root = child(seed_sequence(7), 0)
    trunk = nn.train(net, X, y, epochs=1, seed=child(root, 0), **opts).params
    for i, (a, b) in enumerate(tree.paths):
        s1 = child(root, a + 1)
        mid = nn.train(net.with_params(trunk), X, y, epochs=2, seed=child(s1, 0), **opts).params
        s2 = child(s1, b + 1)
        leaf = nn.train(net.with_params(mid), X, y, epochs=1, seed=child(s2, 0), **opts).params
        assert np.array_equal(tree.params[i], leaf)
        assert tree.train_loss[i] == pytest.approx(nn.loss(leaf, net, X, y), abs=1e-12)
        assert tree.test_accuracy[i] == pytest.approx(nn.accuracy(net, Xt, yt, params=leaf))
    assert tree.paths.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]


def test_genealogy_bookkeeping_against_brute_force(digits_small):
    X, y, _, _ = digits_small
    tree = ls.training_tree(nn.init_network(64, 4, 10, seed=1), X, y, branching=[3, 1, 2], split_epochs=[0, 1, 2],
                            epochs=2, seed=2)  # fmt: skip
    m = 6
    levels, split = tree.common_levels(), tree.split_epoch()
    for i in range(m):
        for j in range(m):
            shared = 0
            while shared < 3 and tree.paths[i, shared] == tree.paths[j, shared]:
                shared += 1
            assert levels[i, j] == shared
            assert (np.isnan(split[i, j]) and i == j) or split[i, j] == [0, 1, 2][shared]
    # the last split is at the final epoch: the two leaves of each last branching are identical
    d = ls.state_distances(tree.params)
    assert np.all(d[levels == 2] == 0.0) and np.all(d[levels < 2] > 0)
    means, stds = tree.level_means(d)
    assert means.shape == (3,) and np.isnan(means[1]) and means[2] == 0.0 and stds[2] == 0.0
    assert means[0] == pytest.approx(d[np.triu(levels == 0, 1)].mean())


def test_lineages_that_split_later_stay_closer(digits_small):
    X, y, _, _ = digits_small
    tree = ls.training_tree(nn.init_network(64, 8, 10, seed=3), X, y, branching=[3, 3, 3], split_epochs=[0, 4, 16],
                            epochs=18, lr=0.2, seed=4)  # fmt: skip
    d = ls.state_distances(tree.params)
    means, stds = tree.level_means(d)
    assert means[0] > means[1] > means[2] > 0
    # separated levels make the 27 leaves more tree-like than clusterless clouds with the same covariance
    h = ls.ultrametric_analysis(d, n_triplets=2000, seed=5)
    nulls = [
        ls.ultrametric_analysis(ls.state_distances(ls.gaussian_surrogate(tree.params, seed=s)), n_triplets=2000, seed=5)
        for s in range(6)
    ]
    assert h.cophenetic_correlation > max(n.cophenetic_correlation for n in nulls)
    assert h.ultrametricity < np.mean([n.ultrametricity for n in nulls])


def test_training_tree_validation(digits_small):
    X, y, _, _ = digits_small
    net = nn.init_network(64, 4, 10, seed=0)
    with pytest.raises(ValueError, match="equal length"):
        ls.training_tree(net, X, y, branching=[2, 2], split_epochs=[1], epochs=3)
    with pytest.raises(ValueError, match="increase strictly"):
        ls.training_tree(net, X, y, branching=[2, 2], split_epochs=[2, 2], epochs=3)
    with pytest.raises(ValueError, match="increase strictly"):
        ls.training_tree(net, X, y, branching=[2], split_epochs=[4], epochs=3)
    with pytest.raises(ValueError, match="branching entry"):
        ls.training_tree(net, X, y, branching=[0], split_epochs=[1], epochs=3)
    with pytest.raises(ValueError, match="y_test"):
        ls.training_tree(net, X, y, branching=[2], split_epochs=[1], epochs=3, X_test=X)
    tree = ls.training_tree(net, X, y, branching=[2], split_epochs=[1], epochs=1)
    with pytest.raises(ValueError, match="shape"):
        tree.level_means(np.zeros((3, 3)))
