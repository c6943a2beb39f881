"""PCA of Ising configurations: the first component is the magnetisation."""

import numpy as np
import pytest

from spinlab.mlising import pca, sample, square, triangular


@pytest.fixture(scope="module")
def data():
    return sample(square(12), np.linspace(1.2, 3.6, 9), 60, seed=7)


def test_first_component_is_uniform(data):
    r = pca(data, n_components=5)
    assert r.uniform_overlap(0) > 0.98
    assert r.components[0].sum() > 0  # sign convention
    assert r.ratio[0] > 5 * r.ratio[1]
    # the first score is sqrt(n) times the centred magnetisation
    m = data.magnetization.ravel()
    assert abs(np.corrcoef(r.scores[:, 0], m)[0, 1]) > 0.98


def test_matches_covariance_eigendecomposition(data):
    r = pca(data, n_components=4)
    X = data.X.astype(float)
    C = np.cov(X, rowvar=False, bias=True)
    values, vectors = np.linalg.eigh(C)
    assert np.allclose(r.variance, values[::-1][:4])
    assert r.total_variance == pytest.approx(np.trace(C))
    for k in range(2):  # non-degenerate leading directions agree up to sign
        assert abs(vectors[:, -1 - k] @ r.components[k]) == pytest.approx(1.0, abs=1e-8)
    assert np.allclose(r.components @ r.components.T, np.eye(4), atol=1e-10)


def test_variance_split(data):
    r = pca(data, n_components=2)
    within, between = r.variance_split(0)
    assert within + between == pytest.approx(r.variance[0])
    assert between < 0.1 * within  # +m and -m cancel in every temperature's mean (global flips)
    within_abs, between_abs = r.variance_split(0, absolute=True)
    assert between_abs > within_abs  # |PC1| = sqrt(n) |m| changes mostly with temperature
    assert within_abs + between_abs == pytest.approx(np.var(np.abs(r.scores[:, 0])))


def test_other_lattice_and_plain_arrays():
    s = sample(triangular(8), [2.0, 3.6, 6.0], 50, seed=1)
    r = pca(s.X, n_components=2, T=s.row_T)
    assert r.uniform_overlap(0) > 0.95
    with pytest.raises(ValueError, match="needs the temperature"):
        pca(s.X, n_components=2).variance_split(0)


def test_validation(data):
    with pytest.raises(ValueError, match="T must be None"):
        pca(data, T=data.row_T)
    with pytest.raises(ValueError, match="T must have shape"):
        pca(data.X, T=[1.0, 2.0])
    with pytest.raises(ValueError, match="n_components must be >= 1"):
        pca(data, n_components=0)
    with pytest.raises(ValueError, match="data must be Samples"):
        pca(np.ones(5))
    with pytest.raises(ValueError, match="component must be <="):
        pca(data, n_components=2).uniform_overlap(3)
