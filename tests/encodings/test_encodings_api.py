"""Validation errors, scans and plot helpers of spinlab.encodings."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from spinlab import encodings as E  # noqa: E402
from spinlab._rng import child  # noqa: E402
from spinlab.plots import encodings as P  # noqa: E402


def test_problem_validation():
    with pytest.raises(ValueError, match="weights"):
        E.partition_problem([1, -2, 3])
    with pytest.raises(ValueError, match="weights"):
        E.partition_problem([1])
    with pytest.raises(TypeError, match="weights"):
        E.partition_problem(["a", "b"])
    with pytest.raises(ValueError, match="symmetric"):
        E.spin_glass_problem(np.array([[0, 1.0], [2.0, 0]]))
    with pytest.raises(ValueError, match="n must be >= 2"):
        E.random_sk(1)
    with pytest.raises(TypeError, match="problem"):
        E.cost(np.eye(3), [1, 1, 1])
    with pytest.raises(ValueError, match="spins"):
        E.cost(E.partition_problem([1, 2]), [1, 0])


def test_landscape_validation():
    p = E.partition_problem([3, 2, 1])
    with pytest.raises(ValueError, match="encoding"):
        E.exhaustive(p, "gray")
    with pytest.raises(ValueError, match="problem.n"):
        E.exhaustive(E.random_partition(23, seed=0))
    with pytest.raises(ValueError, match="genotype"):
        E.decode(p, [0, 2, 1])
    with pytest.raises(ValueError, match="genotype"):
        E.decode(p, [0, 1])
    with pytest.raises(ValueError, match="decoder"):
        E.decode(p, [0, 1, 1], decoder="kk")
    with pytest.raises(ValueError, match="differencing"):
        E.decode(E.random_sk(3, seed=0), [0, 1, 1], decoder="differencing")
    with pytest.raises(TypeError, match="landscape"):
        E.adaptive_walks(p)
    land = E.exhaustive(p)
    with pytest.raises(ValueError, match="rule"):
        E.adaptive_walks(land, rule="random")
    with pytest.raises(ValueError, match="n_walks"):
        E.adaptive_walks(land, 0)
    with pytest.raises(TypeError, match="neutral"):
        E.adaptive_walks(land, neutral="yes")
    with pytest.raises(ValueError, match="length"):
        E.autocorrelation(p, length=5, max_lag=10)


def test_blocking_validation():
    p = E.random_sk(6, seed=0)
    with pytest.raises(ValueError, match="partition"):
        E.block_landscape(p, [np.array([0, 1, 2]), np.array([2, 3, 4])])
    with pytest.raises(ValueError, match="odd"):
        E.block_landscape(p, E.contiguous_blocks(6, 2))
    with pytest.raises(ValueError, match="rule"):
        E.block_landscape(p, E.contiguous_blocks(6, 3), rule="mean")
    with pytest.raises(TypeError, match="blocks"):
        E.block_landscape(p, np.arange(6))
    with pytest.raises(ValueError, match="divide"):
        E.contiguous_blocks(7, 2)
    with pytest.raises(ValueError, match="even"):
        E.decimate_chain([1.0, 2.0, 3.0])


def test_genotype_bits_roundtrip():
    assert E.genotype_bits(11, 5).tolist() == [1, 1, 0, 1, 0]
    with pytest.raises(ValueError, match="index"):
        E.genotype_bits(32, 5)


def test_minima_scan_reproducible_and_consistent():
    a = E.minima_scan("partition", [6, 8], 3, n_walks=40, seed=5)
    b = E.minima_scan("partition", [6, 8], 3, n_walks=40, seed=5)
    assert np.array_equal(a.n_minima, b.n_minima) and np.array_equal(a.success, b.success)
    assert np.all(a.n_traps <= a.n_minima) and np.all(a.n_minima >= 1)
    problem = E.random_partition(8, bits=20, seed=child(child(5, 8), 1).spawn(2)[0])
    assert a.n_minima[0, 1, 1] == E.exhaustive(problem, "direct").n_minima
    assert a.mean("n_minima").shape == (2, 2) and a.error("success").shape == (2, 2)
    with pytest.raises(ValueError, match="kind"):
        E.minima_scan("tsp", [6])
    with pytest.raises(ValueError, match="sizes"):
        E.minima_scan("partition", [30])
    with pytest.raises(ValueError, match="differencing"):
        E.minima_scan("spin_glass", [6], decoder="differencing")


def test_plots_label_axes():
    scan = E.minima_scan("spin_glass", [6, 7], 2, n_walks=20, seed=0)
    land = E.exhaustive(E.random_sk(7, seed=0), "cover")
    curves = [
        E.autocorrelation(E.random_sk(7, seed=0), enc, n_walks=2, length=200, max_lag=5, seed=1) for enc in E.ENCODINGS
    ]
    fig, axes = plt.subplots(1, 4)
    assert P.minima_plot(axes[0], scan, "n_minima").get_ylabel() == "local minima (plateaus)"
    assert P.success_plot(axes[1], scan).get_xlabel() == "number of spins n"
    assert P.autocorrelation_plot(axes[2], curves, exact_n=7).get_yscale() == "log"
    assert "preimage" in P.preimage_plot(axes[3], land).get_ylabel()
    with pytest.raises(ValueError, match="stat"):
        P.minima_plot(axes[0], scan, "bogus")
    plt.close(fig)
