"""Figures of the ml-ising chapter: labelled axes, one artist per site, input checks."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import mlising  # noqa: E402
from spinlab.plots import mlising as mplots  # noqa: E402


@pytest.fixture(scope="module")
def data():
    return mlising.sample(mlising.square(8), np.linspace(1.0, 4.0, 13), 20, seed=5)


def test_lattice_field_and_snapshots(data):
    fig, ax = plt.subplots()
    lat = mlising.triangular(5)
    art = mplots.draw_lattice_field(ax, lat, np.arange(lat.n), cmap="coolwarm")
    assert len(art.get_paths()) == 25 and np.array_equal(art.get_array(), np.arange(25))
    # the Voronoi cells tile the plane: their total area is the area of the periodic box
    for lat in (mlising.square(4), mlising.triangular(4), mlising.honeycomb(4)):
        cells = mplots._cell(lat)
        x, y = cells[..., 0], cells[..., 1]
        area = 0.5 * np.abs(np.sum(x * np.roll(y, -1, axis=1) - np.roll(x, -1, axis=1) * y, axis=1))
        box = {"square": 1.0, "triangular": np.sqrt(3) / 2, "honeycomb": 1.5 * np.sqrt(3)}[lat.name] * 16
        assert area.sum() == pytest.approx(box)
    with pytest.raises(ValueError, match="one per site"):
        mplots.draw_lattice_field(ax, lat, np.ones(3))
    with pytest.raises(TypeError, match="lattice must be"):
        mplots.draw_lattice_field(ax, "square", np.ones(3))
    fig = mplots.snapshots_figure(data, [1.0, 2.3, 4.0], index=3)
    assert [a.get_title().split("\n")[0] for a in fig.axes] == ["T = 1.00 J", "T = 2.25 J", "T = 4.00 J"]
    with pytest.raises(ValueError, match="index must be <="):
        mplots.snapshots_figure(data, [1.0], index=20)
    plt.close("all")


def test_pca_crossing_extrapolation_figures(data):
    fig = mplots.pca_figure(mlising.pca(data), n=data.n, exact_tc=mlising.T_C_SQUARE)
    left, right = fig.axes
    assert "temperature" in left.get_xlabel() and "explained" in right.get_ylabel()
    est = mlising.locate_tc(mlising.train_classifier(data, epochs=100, seed=1), data, seed=0)
    fig = mplots.crossing_figure([est], reduced=True)
    assert fig.axes[0].get_xlabel() == "T / $T_c$"
    study = mlising.finite_size_study("honeycomb", [4, 6], np.linspace(0.6, 3.0, 13), 20, epochs=80, seed=0)
    fig = mplots.extrapolation_figure([study])
    assert "exact" in fig.axes[0].get_ylabel()
    with pytest.raises(TypeError, match="TcEstimate"):
        mplots.crossing_figure([])
    with pytest.raises(TypeError, match="FiniteSizeStudy"):
        mplots.extrapolation_figure([est])
    with pytest.raises(TypeError, match="PCAResult"):
        mplots.pca_figure(data, n=64)
    plt.close("all")
