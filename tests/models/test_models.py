import numpy as np
import pytest

from spinlab import models


def random_spins(rng, shape):
    return rng.choice(np.array([-1, 1], dtype=np.int8), size=shape)


def test_sk_statistics_and_symmetry():
    m = models.sk(400, seed=1)
    J = m.J
    assert np.array_equal(J, J.T) and np.all(np.diag(J) == 0)
    upper = J[np.triu_indices(400, 1)]
    # variance 1/N: sample of ~80k entries, relative standard error of the variance ~0.5 %
    assert abs(upper.var() * 400 - 1) < 0.03
    pm = models.sk(50, seed=2, couplings="pm1")
    assert np.allclose(np.abs(pm.J[np.triu_indices(50, 1)]), 1 / np.sqrt(50))


def test_same_seed_same_couplings():
    assert np.array_equal(models.sk(30, seed=5).J, models.sk(30, seed=5).J)
    assert not np.array_equal(models.sk(30, seed=5).J, models.sk(30, seed=6).J)
    assert np.array_equal(models.ea(4, seed=3).bonds, models.ea(4, seed=3).bonds)


@pytest.mark.parametrize(
    "factory",
    [
        lambda: models.ea(4, d=2, seed=1),
        lambda: models.ea(3, d=3, seed=2, couplings="gaussian"),
        lambda: models.ea(2, d=3, seed=3),
        lambda: models.ising2d(5, h=0.3),
    ],
)
def test_lattice_energy_matches_dense(factory):
    lattice = factory()
    dense = models.from_couplings(lattice.to_dense(), lattice.h)
    spins = random_spins(np.random.default_rng(0), (20, lattice.n))
    assert np.allclose(lattice.energy(spins), dense.energy(spins))
    assert np.allclose(lattice.local_fields(spins), dense.local_fields(spins))
    assert lattice.energy(spins[0]) == pytest.approx(lattice.energy(spins)[0])


def test_lattice_neighbour_table_is_symmetric():
    m = models.ea(5, d=3, seed=0)
    for i in range(m.n):
        for k in range(2 * m.d):
            j = m.neighbours[i, k]
            back = np.flatnonzero(m.neighbours[j] == i)
            assert any(m.bonds[j, b] == m.bonds[i, k] for b in back)
    assert np.count_nonzero(m.to_dense()) == m.n * 2 * m.d


def test_ising_ground_state_energy():
    m = models.ising2d(6)
    assert m.energy(np.ones(36, dtype=np.int8)) == -2.0
    checker = np.array([(-1) ** (x + y) for y in range(6) for x in range(6)], dtype=np.int8)
    assert m.energy(checker) == 2.0


def test_energy_from_local_fields_identity():
    m = models.sk(25, seed=4, h=0.2)
    s = random_spins(np.random.default_rng(1), 25)
    f = m.local_fields(s)
    # H = -1/2 s.(f - h) - h.s
    assert m.energy(s) == pytest.approx((-0.5 * s @ (f - m.h) - m.h @ s) / 25)
