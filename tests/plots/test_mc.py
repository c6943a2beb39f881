"""Tests of the Monte Carlo chapter helpers: scans against exact answers, P(q), the run figure."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

from spinlab import exact, mc, models
from spinlab.plots.mc import ScanResult, ising_run_figure, overlap_histogram, temperature_scan


@pytest.fixture(scope="module")
def ising_scan() -> ScanResult:
    return temperature_scan(models.ising2d(16), [3.0], 6000, burn_in=500, replicas=4, seed=11)


def test_scan_matches_onsager_at_high_temperature(ising_scan):
    # At T = 3 the correlation length is ~2 lattice spacings: L = 16 is effectively infinite.
    ref = exact.onsager(3.0)
    assert abs(ising_scan.energy[0] - ref.energy) < 4 * ising_scan.energy_err[0]
    assert abs(ising_scan.specific_heat[0] - ref.specific_heat) < 4 * ising_scan.specific_heat_err[0]
    assert 0 < ising_scan.energy_err[0] < 0.005
    assert 0.5 <= ising_scan.tau_energy[0] < 5


def test_scan_error_bars_discriminate(ising_scan):
    # The same data must be incompatible with the exact energy at a nearby temperature.
    wrong = exact.onsager(3.1)
    assert abs(ising_scan.energy[0] - wrong.energy) > 10 * ising_scan.energy_err[0]


def test_scan_matches_enumeration_for_sk():
    model = models.sk(8, seed=4)
    temps = np.array([0.6, 1.5])
    scan = temperature_scan(model, temps, 8000, replicas=4, seed=3)
    ref = exact.thermo(model, temps)
    assert np.all(np.abs(scan.energy - ref.energy) < 4 * scan.energy_err)
    assert np.all(np.abs(scan.specific_heat - ref.specific_heat) < 4 * scan.specific_heat_err)
    assert scan.T.tolist() == temps.tolist()
    assert scan.burn_in == 800 and scan.replicas == 4 and scan.seed == 3


def test_scan_is_deterministic_and_heatbath_agrees():
    model = models.ising2d(8)
    a = temperature_scan(model, [2.5], 500, seed=5)
    b = temperature_scan(model, [2.5], 500, seed=5)
    assert np.array_equal(a.energy, b.energy)
    hb = temperature_scan(model, [2.5], 4000, seed=6, rule="heatbath", order="random")
    ref = temperature_scan(model, [2.5], 4000, seed=7)
    assert abs(hb.energy[0] - ref.energy[0]) < 4 * np.hypot(hb.energy_err[0], ref.energy_err[0])


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        ({"model": np.zeros((4, 4))}, TypeError, "model"),
        ({"temperatures": [-1.0]}, ValueError, "temperatures"),
        ({"sweeps": 2.5}, TypeError, "sweeps"),
        ({"burn_in": 95}, ValueError, "burn_in"),
        ({"replicas": 0}, ValueError, "replicas"),
        ({"rule": "glauber"}, ValueError, "rule"),
        ({"order": "checkerboard"}, ValueError, "order"),
        ({"blocks": 1}, ValueError, "blocks"),
        ({"progress": "yes"}, TypeError, "progress"),
    ],
)
def test_scan_validation(kwargs, error, word):
    args = {"model": models.ising2d(4), "temperatures": [2.0], "sweeps": 100}
    args.update(kwargs)
    with pytest.raises(error, match=word):
        temperature_scan(args.pop("model"), args.pop("temperatures"), args.pop("sweeps"), **args)


def test_overlap_histogram_matches_enumeration():
    model = models.sk(8, seed=1)
    central = {}
    for T in (0.5, 1.5):
        run = mc.metropolis(model, T, 6000, replicas=32, seed=2)
        q, p, p_err = overlap_histogram(run, burn_in=500)
        ref = exact.overlap_distribution(model, T)
        assert np.allclose(q, ref.q)
        assert p.sum() == pytest.approx(1.0)
        assert np.all(p_err > 0)
        # 16 disjoint pairs give the errors; the exact P(q) is symmetric, so compare the symmetrised histogram
        symmetric = 0.5 * (p + p[::-1])
        assert np.all(np.abs(symmetric - ref.p) < 5 * p_err + 2e-3)
        central[T] = p[np.abs(q) < 0.3].sum()
    # Below T_c the weight sits at large |q|; above, at small |q|.
    assert central[0.5] < 0.35 < 0.55 < central[1.5], central


def test_overlap_histogram_uses_disjoint_pairs_and_validates():
    model = models.sk(6, seed=0)
    single = mc.metropolis(model, 1.0, 50, seed=1)
    with pytest.raises(ValueError, match="result"):
        overlap_histogram(single)
    with pytest.raises(TypeError, match="result"):
        overlap_histogram(np.zeros((2, 10)))
    pair = mc.metropolis(model, 1.0, 50, replicas=3, seed=1)
    q, p, p_err = overlap_histogram(pair)
    assert np.all(np.isnan(p_err))  # (0, 1) is the only disjoint pair among three replicas
    expected = np.bincount(np.rint((pair.overlaps[0] + 1) * 3).astype(int), minlength=7) / 50
    assert np.allclose(p, expected)
    with pytest.raises(ValueError, match="burn_in"):
        overlap_histogram(pair, burn_in=50)


def test_ising_run_figure_layouts():
    model = models.ising2d(8)
    runs = [mc.metropolis(model, T, 20, seed=1) for T in (1.5, 2.3, 3.0)]
    fig = ising_run_figure(runs[0])
    assert len(fig.axes) == 3
    image = fig.axes[2].get_images()[0].get_array()
    assert np.array_equal(np.asarray(image), runs[0].spins[0].reshape(8, 8))
    plt.close(fig)
    fig = ising_run_figure(runs, reference=False)
    assert len(fig.axes) == 5
    assert fig.axes[3].get_xlabel() == "Monte Carlo time [sweeps]"
    assert len(fig.axes[3].get_lines()) == 3
    plt.close(fig)


def test_ising_run_figure_validation():
    with pytest.raises(TypeError, match="runs"):
        ising_run_figure([])
    sk_run = mc.metropolis(models.sk(6, seed=0), 1.0, 5, seed=0)
    with pytest.raises(ValueError, match="square"):
        ising_run_figure(sk_run)
    run = mc.metropolis(models.ising2d(4), 1.0, 5, seed=0)
    with pytest.raises(ValueError, match="replica"):
        ising_run_figure(run, replica=1)
    with pytest.raises(ValueError, match="runs"):
        ising_run_figure([run] * 7)
