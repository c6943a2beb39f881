"""Plot helpers of spinlab.plots.minima draw the data they are given and reject other objects."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import landscape as ls  # noqa: E402
from spinlab.plots import minima  # noqa: E402


def test_walk_and_interpolation_plots_draw_the_curves(trained, digits_small):
    X, y, Xt, yt = digits_small
    walk = ls.random_walk(trained, X, y, n_steps=30, step_size=0.5, X_test=Xt, y_test=yt, seed=0)
    path = ls.interpolate(trained, trained.params, ls.permute_hidden(trained, [5, 4, 3, 2, 1, 0]), X, y, n_points=7)
    fig, (a, b) = plt.subplots(1, 2)
    minima.walk_plot(a, walk)
    np.testing.assert_array_equal(a.lines[0].get_xdata(), walk.distance)
    np.testing.assert_array_equal(a.lines[1].get_ydata(), walk.test_loss)
    minima.interpolation_plot(b, path, accuracy=True)
    np.testing.assert_array_equal(b.lines[0].get_ydata(), path.train_accuracy)
    assert len(b.lines) == 1  # no test set, no dashed curve
    plt.close(fig)


def test_hierarchy_plot_shows_the_ordered_matrix():
    D = np.array([[0, 3, 1, 3], [3, 0, 3, 1], [1, 3, 0, 3], [3, 1, 3, 0.0]])
    h = ls.ultrametric_analysis(D, n_triplets=20, seed=0)
    fig, (a, b) = plt.subplots(1, 2)
    minima.hierarchy_plot(a, b, h)
    np.testing.assert_array_equal(b.images[0].get_array(), h.ordered())
    plt.close(fig)


def test_plots_reject_other_objects():
    fig, ax = plt.subplots()
    for fn in (minima.walk_plot, minima.interpolation_plot, minima.barrier_plot, minima.pair_barrier_plot):
        with pytest.raises(TypeError, match="spinlab.landscape"):
            fn(ax, object())
    with pytest.raises(TypeError, match="Hierarchy"):
        minima.triplet_plot(ax, np.zeros((3, 3)))
    plt.close(fig)


def test_hierarchy_plot_cut_outlines_the_planted_blocks():
    D = np.array([[0, 1, 4, 4, 4], [1, 0, 4, 4, 4], [4, 4, 0, 2, 2], [4, 4, 2, 0, 2], [4, 4, 2, 2, 0.0]])
    h = ls.ultrametric_analysis(D, n_triplets=20, seed=0)
    fig, (a, b) = plt.subplots(1, 2)
    minima.hierarchy_plot(a, b, h, n_clusters=2, colorbar=False)
    sizes = sorted(p.get_width() for p in b.patches)
    assert sizes == [2.0, 3.0]
    assert a.lines[-1].get_ydata()[0] == pytest.approx(3.0)  # halfway between the merges at 2 and 4
    with pytest.raises(ValueError, match="n_clusters"):
        minima.hierarchy_plot(a, b, h, n_clusters=6)
    plt.close(fig)
