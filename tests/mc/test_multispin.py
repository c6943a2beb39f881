import numpy as np
import pytest

from spinlab import exact, mc, models


def test_bookkeeping_matches_unpacked_spins():
    samples = [models.ea(3, d=3, seed=s) for s in range(70)]  # two groups of words, last one partly filled
    res = mc.multispin_metropolis(samples, 1.4, 30, replicas=2, seed=1, random_bits="shared", measure_every=3)
    assert res.energy.shape == (2, 70, 10) and res.overlaps.shape == (1, 70, 10)
    energies = np.array([samples[s].energy(res.spins[r, s]) for r in range(2) for s in range(70)]).reshape(2, 70)
    assert np.allclose(energies, res.energy[:, :, -1])
    assert np.allclose(res.spins.mean(axis=2), res.magnetization[:, :, -1])
    assert np.allclose((res.spins[0] * res.spins[1]).mean(axis=1), res.overlaps[0, :, -1])


@pytest.mark.parametrize("random_bits", ["independent", "shared"])
def test_lanes_sample_the_exact_boltzmann_energy(random_bits):
    # 64 different 3x3 (n = 9) ±J samples, each lane compared with its own exact energy
    samples = [models.ea(3, d=2, seed=100 + s) for s in range(64)]
    T = 1.2
    res = mc.multispin_metropolis(samples, T, 6000, replicas=4, seed=3, random_bits=random_bits)
    exact_e = np.array([exact.thermo(m, T).energy for m in samples])
    per_word = res.energy[:, :, 500:].mean(axis=2)  # (replicas, samples): independent words
    diff = per_word.mean(axis=0) - exact_e
    se = per_word.std(axis=0, ddof=1) / 2
    z = diff / se
    # 64 independent comparisons: the mean z is N(0, 1/64) and |z| beyond 5 would be a bug
    assert abs(z.mean()) < 4 / 8 and np.all(np.abs(z) < 6)


def test_independent_replicas_of_one_sample_match_scalar_overlaps():
    model = models.ea(4, d=2, seed=7)
    T = 1.0
    multi = mc.multispin_metropolis(model, T, 4000, replicas=2, seed=5)  # 64 replica pairs, one per lane
    q2_multi = (multi.overlaps[0, :, 400:] ** 2).mean(axis=1)
    P = exact.overlap_distribution(model, T)
    assert abs(q2_multi.mean() - P.moment(2)) < 4 * q2_multi.std(ddof=1) / 8
    scalar = mc.metropolis(model, T, 4000, replicas=16, seed=6)
    disjoint = [p for p, (a, b) in enumerate(scalar.pairs) if b == a + 1 and a % 2 == 0]
    q2_scalar = (scalar.overlaps[disjoint, 400:] ** 2).mean(axis=1)
    pooled = np.sqrt(q2_multi.var(ddof=1) / 64 + q2_scalar.var(ddof=1) / len(disjoint))
    assert abs(q2_multi.mean() - q2_scalar.mean()) < 4 * pooled


def test_multispin_validation():
    with pytest.raises(ValueError, match="shared"):
        mc.multispin_metropolis(models.ea(4, seed=1), 1.0, 10, random_bits="shared")
    with pytest.raises(ValueError, match="±1 couplings"):
        mc.multispin_metropolis(models.ea(4, seed=1, couplings="gaussian"), 1.0, 10)
    with pytest.raises(ValueError, match="lattice"):
        mc.multispin_metropolis([models.ea(4, seed=1), models.ea(5, seed=1)], 1.0, 10)
    with pytest.raises(TypeError, match="model_or_models"):
        mc.multispin_metropolis(models.sk(8, seed=1), 1.0, 10)
    with pytest.raises(ValueError, match="measure_every"):
        mc.multispin_metropolis(models.ea(4, seed=1), 1.0, 10, measure_every=11)


@pytest.mark.parametrize("z", [4, 6])
def test_shared_acceptance_is_the_per_lane_metropolis_rule(z):
    # lane l with u unsatisfied bonds flips when 2u >= z or draw < P[u] * 2**32
    from spinlab.mc import _kernels

    rng = np.random.default_rng(z)
    T = 0.9
    thresholds = np.full(3, 2**32, dtype=np.uint64)
    for u in range((z + 1) // 2):
        thresholds[u] = np.uint64(np.exp(-2.0 * (z - 2 * u) / T) * 2.0**32)
    draws = np.concatenate([thresholds[:2] - 1, thresholds[:2], rng.integers(0, 2**32, size=200, dtype=np.uint64)])
    for draw in draws:
        counts = rng.integers(0, z + 1, size=64)
        c0, c1, c2 = (
            np.bitwise_or.reduce(((counts >> b) & 1).astype(np.uint64) << np.arange(64, dtype=np.uint64))
            for b in range(3)
        )
        accept = _kernels._shared_accept(c0, c1, c2, np.uint64(draw), *thresholds)
        lanes = (np.uint64(accept) >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
        expected = (2 * counts >= z) | (draw < thresholds[np.minimum(counts, 2)])
        assert np.array_equal(lanes.astype(bool), expected)


def test_lane_packing_round_trip():
    from spinlab.mc import _kernels
    from spinlab.mc.multispin import _unpack

    bits = np.random.default_rng(1).random((64, 300)) < 0.5
    words = _kernels.pack_lanes(bits)
    assert words.dtype == np.uint64 and np.array_equal(_unpack(words), bits)
    assert _kernels.pack_lanes(bits[:1])[0] == np.uint64(bits[0, 0])  # lane 0 is bit 0
