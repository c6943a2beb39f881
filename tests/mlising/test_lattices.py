"""Neighbour tables of the square, triangular and honeycomb lattices, and the exact critical temperatures."""

import numpy as np
import pytest

from spinlab import exact
from spinlab.mlising import (
    CRITICAL_TEMPERATURES,
    T_C_HONEYCOMB,
    T_C_SQUARE,
    T_C_TRIANGULAR,
    honeycomb,
    lattice,
    square,
    triangular,
)

CASES = [("square", 5, 4, 25), ("triangular", 4, 6, 16), ("honeycomb", 3, 3, 18), ("honeycomb", 2, 3, 8)]


def adjacency(lat):
    A = np.zeros((lat.n, lat.n), dtype=int)
    np.add.at(A, (np.repeat(np.arange(lat.n), lat.z), lat.neighbours.ravel()), 1)
    return A


@pytest.mark.parametrize(("name", "L", "z", "n"), CASES)
def test_coordination_symmetry_simple_graph(name, L, z, n):
    lat = lattice(name, L)
    assert (lat.n, lat.z) == (n, z)
    A = adjacency(lat)
    assert np.array_equal(A, A.T)  # j neighbour of i <=> i neighbour of j
    assert np.all(np.diag(A) == 0)
    assert A.max() == 1  # no double bonds, even at the smallest allowed L
    assert np.all(A.sum(axis=1) == z)


@pytest.mark.parametrize(("name", "L", "z", "n"), CASES)
def test_bonds_have_unit_length_under_periodic_images(name, L, z, n):
    lat = lattice(name, L)
    # lattice vectors of the periodic box
    if name == "square":
        a1, a2 = np.array([1.0, 0.0]), np.array([0.0, 1.0])
    elif name == "triangular":
        a1, a2 = np.array([1.0, 0.0]), np.array([0.5, np.sqrt(3) / 2])
    else:
        a1, a2 = np.array([np.sqrt(3), 0.0]), np.array([np.sqrt(3) / 2, 1.5])
    images = np.array([i * L * a1 + j * L * a2 for i in (-1, 0, 1) for j in (-1, 0, 1)])
    d = lat.positions[lat.neighbours] - lat.positions[:, None, :]  # (n, z, 2)
    lengths = np.min(np.linalg.norm(d[:, :, None, :] + images[None, None], axis=-1), axis=-1)
    assert np.allclose(lengths, 1.0)


@pytest.mark.parametrize("name", ["square", "triangular"])
def test_translation_invariance(name):
    L = 5
    lat = lattice(name, L)
    x, y = np.arange(L * L) % L, np.arange(L * L) // L
    shift = ((x + 2) % L) + L * ((y + 3) % L)  # a periodic translation of the sites
    assert np.array_equal(lat.neighbours[shift], shift[lat.neighbours])


def test_honeycomb_translation_invariance():
    L = 4
    lat = honeycomb(L)
    cell, sub = np.arange(lat.n) // 2, np.arange(lat.n) % 2
    x, y = cell % L, cell // L
    shift = 2 * (((x + 1) % L) + L * ((y + 3) % L)) + sub
    assert np.array_equal(lat.neighbours[shift], shift[lat.neighbours])
    # bipartite: A sites only bond to B sites
    assert np.all(lat.neighbours % 2 != sub[:, None])


def test_exact_critical_temperatures():
    assert T_C_SQUARE == pytest.approx(2.269185, abs=1e-6)
    assert T_C_TRIANGULAR == pytest.approx(3.640957, abs=1e-6)
    assert T_C_HONEYCOMB == pytest.approx(1.518651, abs=1e-6)
    # the closed-form criticality conditions (Kramers-Wannier; Houtappel; Wannier)
    assert np.sinh(2 / T_C_SQUARE) == pytest.approx(1.0)
    assert np.exp(4 / T_C_TRIANGULAR) == pytest.approx(3.0)
    assert np.cosh(2 / T_C_HONEYCOMB) == pytest.approx(2.0)
    assert T_C_SQUARE == pytest.approx(exact.T_CRITICAL_2D)
    for name, tc in CRITICAL_TEMPERATURES.items():
        assert lattice(name, 4).T_c == tc


@pytest.mark.parametrize(("name", "L"), [("square", 4), ("triangular", 3), ("honeycomb", 2)])
def test_energy_matches_dense_model(name, L):
    lat = lattice(name, L)
    rng = np.random.default_rng(0)
    spins = rng.choice(np.array([-1, 1], dtype=np.int8), size=(20, lat.n))
    assert np.allclose(lat.energy(spins), lat.to_model().energy(spins))
    assert lat.energy(np.ones(lat.n, dtype=np.int8)) == -lat.z / 2


def test_validation():
    with pytest.raises(ValueError, match="L must be >= 3"):
        square(2)
    with pytest.raises(ValueError, match="L must be >= 3"):
        triangular(2)
    with pytest.raises(ValueError, match="L must be >= 2"):
        honeycomb(1)
    with pytest.raises(TypeError, match="L must be an integer"):
        square(4.0)
    with pytest.raises(ValueError, match="name must be one of"):
        lattice("kagome", 4)
    with pytest.raises(ValueError, match="spins must have shape"):
        square(3).energy(np.ones(8))
