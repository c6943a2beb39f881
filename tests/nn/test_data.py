"""spinlab.nn.data: shipped datasets and the seeded split."""

import numpy as np
import pytest

from spinlab.nn import data


def test_digits_shapes_ranges_and_labels():
    X, y = data.digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.allclose(X * 16, np.round(X * 16))  # 17 grey levels 0..16
    counts = np.bincount(y)
    assert counts.size == 10 and counts.sum() == 1797 and counts.min() >= 170
    X[0, 0] = 5.0  # callers get copies
    assert data.digits()[0][0, 0] == 0.0


def test_mnist5k_shapes_ranges_and_labels():
    X, y = data.mnist5k()
    assert X.shape == (5000, 784) and X.dtype == np.float64
    assert y.shape == (5000,) and y.dtype == np.int64
    assert X.min() == 0.0 and X.max() == 1.0
    assert np.allclose(X * 255, np.round(X * 255))
    assert np.bincount(y).tolist() == [500] * 10
    # real digits: ink in the middle of the 28x28 image, a blank border
    images = X.reshape(5000, 28, 28)
    assert images[:, 10:18, 10:18].mean() > 5 * images[:, :2, :].mean()
    assert 0.05 < (X > 0).mean() < 0.4
    assert data.mnist5k_path().name == "mnist_5k.csv.gz"


def test_split_is_stratified_deterministic_and_a_partition():
    X, y = data.digits()
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_fraction=0.25, seed=3)
    again = data.train_test_split(X, y, test_fraction=0.25, seed=3)
    other = data.train_test_split(X, y, test_fraction=0.25, seed=4)
    assert all(np.array_equal(a, b) for a, b in zip((X_tr, X_te, y_tr, y_te), again, strict=True))
    assert not np.array_equal(y_te, other[3])
    assert len(y_tr) + len(y_te) == 1797
    expected = np.round(0.25 * np.bincount(y)).astype(int)
    assert np.array_equal(np.bincount(y_te, minlength=10), expected)
    # a partition: every original row appears exactly once, with its label
    rows = np.concatenate([X_tr, X_te])
    labels = np.concatenate([y_tr, y_te])
    key = {r.tobytes(): lab for r, lab in zip(X, y, strict=True)}
    assert all(key[r.tobytes()] == lab for r, lab in zip(rows, labels, strict=True))
    assert np.unique(rows, axis=0).shape[0] == np.unique(X, axis=0).shape[0]


def test_split_regression_targets():
    X = np.arange(40.0).reshape(20, 2)
    y = X.sum(1)
    X_tr, X_te, y_tr, y_te = data.train_test_split(X, y, test_fraction=0.3, seed=0)
    assert X_te.shape == (6, 2) and X_tr.shape == (14, 2)
    np.testing.assert_array_equal(y_te, X_te.sum(1))
    assert sorted(np.concatenate([y_tr, y_te]).tolist()) == sorted(y.tolist())


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "word"),
    [
        ((np.zeros((5, 2)), np.zeros(4)), {}, ValueError, "same number of rows"),
        (([1, 2], np.zeros(2)), {}, TypeError, "numpy arrays"),
        ((np.zeros((5, 2)), np.zeros(5)), {"test_fraction": 1.0}, ValueError, "test_fraction"),
        ((np.zeros((5, 2)), np.zeros(5)), {"test_fraction": "a"}, TypeError, "test_fraction"),
        ((np.zeros((5, 2)), np.zeros(5)), {"test_fraction": 0.01}, ValueError, "empty test set"),
        ((np.zeros((5, 2)), np.zeros(5)), {"seed": 1.5}, TypeError, "seed"),
    ],
)
def test_split_rejects_bad_arguments(args, kwargs, error, word):
    with pytest.raises(error, match=word):
        data.train_test_split(*args, **kwargs)
