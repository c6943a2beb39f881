"""Tests of spinlab.plots.landscape against exact answers and brute force."""

from __future__ import annotations

import itertools

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

import spinlab  # noqa: E402
from spinlab.exact import codes_to_spins, enumerate_energies  # noqa: E402
from spinlab.plots import landscape  # noqa: E402


def brute_force_minima(model, strict):
    """Local minima by flipping each spin of each configuration explicitly."""
    n = model.n
    found = []
    for code in range(1 << n):
        s = codes_to_spins(np.array([code]), n)[0]
        e = model.energy(s) * n
        ok = True
        for k in range(n):
            t = s.copy()
            t[k] = -t[k]
            de = model.energy(t) * n - e
            if (strict and de <= 1e-9) or (not strict and de < -1e-9):
                ok = False
                break
        if ok:
            found.append(code)
    return found


@pytest.mark.parametrize("strict", [False, True])
def test_single_flip_minima_matches_brute_force(strict):
    for model in (spinlab.models.sk(8, seed=4), spinlab.models.ea(3, d=2, seed=2)):
        got = landscape.single_flip_minima(enumerate_energies(model), strict=strict)
        assert got.tolist() == brute_force_minima(model, strict)


def test_single_flip_minima_exact_cases():
    # ferromagnet: strictly stable states are exactly all-down (code 0) and all-up
    energies = enumerate_energies(spinlab.models.ising2d(3))
    assert landscape.single_flip_minima(energies, strict=True).tolist() == [0, 511]
    # antiferromagnetic triangle: the six states with two aligned spins are the (flat) minima
    J = -(np.ones((3, 3)) - np.eye(3))
    energies = enumerate_energies(spinlab.models.from_couplings(J))
    assert landscape.single_flip_minima(energies).tolist() == [1, 2, 3, 4, 5, 6]
    assert landscape.single_flip_minima(energies, strict=True).size == 0


def test_single_flip_minima_validation():
    with pytest.raises(ValueError, match="energies"):
        landscape.single_flip_minima(np.zeros(6))
    with pytest.raises(TypeError, match="energies"):
        landscape.single_flip_minima([0.0, 1.0])
    with pytest.raises(ValueError, match="atol"):
        landscape.single_flip_minima(np.zeros(4), atol=-1.0)


def test_plaquette_frustration_single_negative_bond():
    # one antiferromagnetic bond frustrates the 2 (2D) or 4 (3D) plaquettes that contain it
    for d, expected in ((2, 2), (3, 4)):
        L = 4
        plus = np.ones((L**d, d))
        plus[5, 0] = -1.0
        model = spinlab.models.LatticeModel.build("test", L, d, plus, np.zeros(L**d))
        frustrated = landscape.plaquette_frustration(model)
        assert frustrated.shape == (L**d, d * (d - 1) // 2)
        assert frustrated.sum() == expected
    assert landscape.plaquette_frustration(spinlab.models.ising2d(5)).sum() == 0


def test_plaquette_frustration_matches_loop_products():
    model = spinlab.models.ea(4, d=2, seed=7)
    J = model.to_dense()
    L = model.L
    frustrated = landscape.plaquette_frustration(model)[:, 0]
    for x, y in itertools.product(range(L), range(L)):
        corners = [x + L * y, (x + 1) % L + L * y, (x + 1) % L + L * ((y + 1) % L), x + L * ((y + 1) % L)]
        product = np.prod([J[corners[k], corners[(k + 1) % 4]] for k in range(4)])
        assert frustrated[x + L * y] == (product < 0)
    # every bond lies on two plaquettes of a torus, so the number of frustrated ones is even
    for seed in range(5):
        assert landscape.plaquette_frustration(spinlab.models.ea(5, d=2, seed=seed)).sum() % 2 == 0


@pytest.mark.parametrize(
    "model",
    [spinlab.models.ea(3, d=2, seed=1, h=0.3), spinlab.models.sk(9, seed=2, h=0.2), spinlab.models.ea(2, d=3, seed=3)],
)
def test_gauge_transform_permutes_spectrum(model):
    rng = np.random.default_rng(0)
    eps = rng.choice(np.array([-1, 1]), size=model.n)
    gauged = landscape.gauge_transform(model, eps)
    assert type(gauged) is type(model)
    mask = int(np.sum(1 << np.flatnonzero(eps < 0)))
    old, new = enumerate_energies(model), enumerate_energies(gauged)
    codes = np.arange(1 << model.n)
    np.testing.assert_allclose(new[codes ^ mask], old, atol=1e-12)
    if isinstance(model, spinlab.models.LatticeModel) and model.L > 2:
        np.testing.assert_array_equal(landscape.plaquette_frustration(gauged), landscape.plaquette_frustration(model))


def test_gauge_transform_validation():
    with pytest.raises(ValueError, match="epsilon"):
        landscape.gauge_transform(spinlab.models.sk(4, seed=0), np.array([1, 0, 1, 1]))
    with pytest.raises(TypeError, match="model"):
        landscape.gauge_transform(np.eye(3), np.ones(3))


def test_hypercube_edges_and_layout():
    n = 5
    edges = landscape.hypercube_edges(n)
    assert edges.shape == (n * 2 ** (n - 1), 2)
    flips = edges[:, 0] ^ edges[:, 1]
    assert np.all(np.bitwise_count(flips) == 1)
    assert len({tuple(e) for e in edges.tolist()}) == edges.shape[0]
    pos = landscape.hypercube_layout(n)
    assert pos.shape == (1 << n, 2)
    # the flipped configuration -s sits opposite to s
    np.testing.assert_allclose(pos[::-1], -pos, atol=1e-12)
    # no two configurations share a point (the regular projection would stack some of them)
    for m in range(2, 9):
        p = landscape.hypercube_layout(m)
        gaps = np.linalg.norm(p[:, None, :] - p[None, :, :], axis=-1)[np.triu_indices(1 << m, 1)]
        assert gaps.min() > 1e-3
    with pytest.raises(ValueError, match="n"):
        landscape.hypercube_layout(0)


def test_plots_draw():
    model = spinlab.models.ea(4, d=2, seed=0)
    gs = spinlab.exact.ground_state(model)
    ax = landscape.plot_ea2d(model, gs.states[0], title="test", legend=True)
    assert ax.get_title() == "test"
    for layout in ("projection", "landscape"):
        ax = landscape.plot_hypercube(enumerate_energies(spinlab.models.sk(5, seed=1)), layout=layout)
        assert ax.get_legend() is not None
    assert ax.get_xlabel().startswith("Hamming")
    with pytest.raises(ValueError, match="layout"):
        landscape.plot_hypercube(np.zeros(4), layout="circle")
    with pytest.raises(ValueError, match="at most"):
        landscape.plot_hypercube(np.zeros(1 << 11))
    with pytest.raises(ValueError, match="two-dimensional"):
        landscape.plot_ea2d(spinlab.models.sk(4, seed=0))
    plt.close("all")


def test_steepest_descent_matches_explicit_walk():
    model = spinlab.models.sk(9, seed=11)
    energies = enumerate_energies(model)
    ends = landscape.steepest_descent(energies)
    minima = set(landscape.single_flip_minima(energies).tolist())
    assert set(ends.tolist()) <= minima
    for start in range(0, 1 << model.n, 7):
        code = start
        while True:
            candidates = [code ^ (1 << k) for k in range(model.n)]
            best = min(candidates, key=lambda c: (energies[c], candidates.index(c)))
            if energies[best] >= energies[code] - 1e-9:
                break
            code = best
        assert ends[start] == code
    # every minimum is its own end point, and starts keep their shape
    some = np.array(sorted(minima)).reshape(-1, 1)
    np.testing.assert_array_equal(landscape.steepest_descent(energies, some), some)


def test_steepest_descent_ferromagnet_and_validation():
    # a fully connected ferromagnet with an odd number of spins flows to the majority's sign
    n = 5
    model = spinlab.models.from_couplings(np.ones((n, n)) - np.eye(n))
    ends = landscape.steepest_descent(enumerate_energies(model))
    majority_up = np.bitwise_count(np.arange(1 << n)) > n // 2
    np.testing.assert_array_equal(ends, np.where(majority_up, (1 << n) - 1, 0))
    with pytest.raises(ValueError, match="starts"):
        landscape.steepest_descent(np.zeros(8), np.array([8]))
    with pytest.raises(TypeError, match="starts"):
        landscape.steepest_descent(np.zeros(8), np.array([0.5]))
