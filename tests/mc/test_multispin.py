import numpy as np
import pytest

from spinlab import exact, mc, models


@pytest.mark.parametrize(("replicas", "random_bits"), [(2, "shared"), (4, "shared"), (2, "independent")])
def test_bookkeeping_matches_unpacked_spins(replicas, random_bits):
    # two groups of words, the last one partly filled: 4 words run one by one, 8 words together
    samples = [models.ea(3, d=3, seed=s) for s in range(70)]
    res = mc.multispin_metropolis(samples, 1.4, 30, replicas=replicas, seed=1, random_bits=random_bits, measure_every=3)
    assert res.energy.shape == (replicas, 70, 10) and res.overlaps.shape == (replicas * (replicas - 1) // 2, 70, 10)
    energies = np.array([[m.energy(res.spins[r, s]) for s, m in enumerate(samples)] for r in range(replicas)])
    assert np.allclose(energies, res.energy[:, :, -1])
    assert np.allclose(res.spins.mean(axis=2), res.magnetization[:, :, -1])
    for p, (a, b) in enumerate(res.pairs):
        assert np.allclose((res.spins[a] * res.spins[b]).mean(axis=1), res.overlaps[p, :, -1])


@pytest.mark.parametrize("top", [2**31, 2**27])  # P[2] above and below 1/16 (the scalar path branches below)
@pytest.mark.parametrize("d", [2, 3])
def test_words_updated_together_match_words_updated_one_by_one(top, d):
    # the vectorised path (>= 8 words) and the scalar path (one word) draw the same numbers per word
    from spinlab.mc import _kernels

    rng = np.random.default_rng(4)
    model = models.ea(4, d=d, seed=2)
    n, z, words = model.n, 2 * d, 9
    neighbours = model.neighbours.astype(np.uint32)
    couplings = rng.integers(0, 2**64, size=(n * z, words), dtype=np.uint64, endpoint=False)
    spins = rng.integers(0, 2**64, size=(n, words), dtype=np.uint64, endpoint=False)
    states = rng.integers(0, 2**64, size=words, dtype=np.uint64, endpoint=False)
    thresholds = np.array([2**16, 2**22, top], dtype=np.uint64)
    masks = np.zeros((3, 32), dtype=np.uint64)

    def run(spins, couplings, states):
        m = np.zeros((spins.shape[1], 64, 1), dtype=np.int64)
        args = (thresholds, masks, True, 0, 7, 7, np.zeros((0, 2), dtype=np.int64), np.zeros(12, dtype=np.uint64))
        _kernels.multispin_run(neighbours, couplings, spins, states, *args, m, m.copy(), m[:0].copy())
        return spins, states

    together, together_states = run(spins.copy(), couplings, states.copy())
    assert (together != spins).mean() > 0.3
    for w in range(words):
        alone, alone_state = run(spins[:, w : w + 1].copy(), couplings[:, w : w + 1].copy(), states[w : w + 1].copy())
        assert np.array_equal(alone[:, 0], together[:, w]) and alone_state[0] == together_states[w]


@pytest.mark.parametrize("random_bits", ["independent", "shared"])
def test_lanes_sample_the_exact_boltzmann_energy(random_bits):
    # 64 different 3x3 (n = 9) ±J samples, each lane compared with its own exact energy
    samples = [models.ea(3, d=2, seed=100 + s) for s in range(64)]
    T = 1.2
    res = mc.multispin_metropolis(samples, T, 6000, replicas=8, seed=3, random_bits=random_bits)
    exact_e = np.array([exact.thermo(m, T).energy for m in samples])
    per_word = res.energy[:, :, 500:].mean(axis=2)  # (8 words, 64 samples): the words are independent
    # the sample average, word by word: 8 independent estimates of its exact value (Student t, 7 dof;
    # P(|t| > 5) = 0.002). In "shared" mode the 64 lanes of a word share their draws, so only words
    # are independent, which is why the samples are not treated as 64 independent comparisons.
    averages = per_word.mean(axis=1) - exact_e.mean()
    assert abs(averages.mean()) < 5 * averages.std(ddof=1) / np.sqrt(8)
    # each sample on its own (t with 7 dof: P(|t| > 10) = 2e-5 per sample); a wrong rule for one
    # count of unsatisfied bonds would bias every sample by many standard errors
    z = (per_word.mean(axis=0) - exact_e) / (per_word.std(axis=0, ddof=1) / np.sqrt(8))
    assert np.all(np.abs(z) < 10)


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
    samples = [models.ea(4, seed=s) for s in range(3)] + [models.ea(4, seed=3, h=0.5)]
    with pytest.raises(ValueError, match="zero field"):
        mc.multispin_metropolis(samples, 1.0, 10, random_bits="shared")
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


def test_coupling_packing_round_trip():
    from spinlab.mc.multispin import _pack_couplings, _unpack

    samples = [models.ea(3, d=3, seed=s) for s in range(70)]  # two groups, the second padded with sample 0
    visit = np.random.default_rng(1).permutation(27)
    words = _pack_couplings(samples, False, 2, visit)  # (27 * 6, 2)
    lanes = _unpack(words.T)  # (64, 2, 162): bit l of word (row, group) is lane l
    negative = np.concatenate([lanes[:, 0], lanes[:, 1]])[:70].reshape(70, 27, 6)
    assert np.array_equal(negative, np.array([m.bonds[visit] < 0 for m in samples]))
    assert np.array_equal(lanes[6:, 1], np.broadcast_to(lanes[0, 0], lanes[6:, 1].shape))  # padding lanes
