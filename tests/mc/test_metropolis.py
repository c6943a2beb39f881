"""Monte Carlo against exact answers. Error bars come from independent replicas (their
run-averages are independent and identically distributed), so '4 standard errors'
means a false alarm rate below 1e-4 per comparison for normal estimates."""

import numpy as np
import pytest

from spinlab import exact, mc, models

SK12 = models.sk(12, seed=2024)


def replica_means(series, burn_in):
    return series[:, burn_in:].mean(axis=1)


@pytest.mark.parametrize("T", [0.5, 1.5])
@pytest.mark.parametrize("rule", ["metropolis", "heatbath"])
def test_sk12_energy_and_specific_heat_match_enumeration(T, rule):
    run = mc.metropolis(SK12, T, 12_000, replicas=24, seed=7, rule=rule)
    burn = 1000
    th = exact.thermo(SK12, T)
    e = replica_means(run.energy, burn)
    assert abs(e.mean() - th.energy) < 4 * e.std(ddof=1) / np.sqrt(e.size)
    c = run.energy[:, burn:].var(axis=1) * SK12.n / T**2
    assert abs(c.mean() - th.specific_heat) < 4 * c.std(ddof=1) / np.sqrt(c.size)


@pytest.mark.parametrize("T", [0.5, 1.5])
def test_sk12_overlap_distribution_matches_enumeration(T):
    run = mc.metropolis(SK12, T, 12_000, replicas=32, seed=8)
    burn = 1000
    disjoint = [p for p, (a, b) in enumerate(run.pairs) if b == a + 1 and a % 2 == 0]
    exact_p = exact.overlap_distribution(SK12, T)
    edges = np.append(exact_p.q - 1 / SK12.n, 1 + 1 / SK12.n)
    hist = np.array([np.histogram(run.overlaps[p, burn:], bins=edges)[0] for p in disjoint], dtype=float)
    hist /= hist.sum(axis=1, keepdims=True)
    mean = hist.mean(axis=0)
    se = hist.std(axis=0, ddof=1) / np.sqrt(len(disjoint))
    assert np.all(np.abs(mean - exact_p.p) < 4 * se + 1e-4)
    if T == 0.5:
        assert exact_p.moment(2) > 0.3  # broad P(q) below Tc, the signature the test must see


@pytest.mark.parametrize(
    ("rule", "order"), [("metropolis", "random"), ("metropolis", "sequential"), ("heatbath", "random")]
)
def test_state_histogram_is_boltzmann_n4(rule, order):
    rng = np.random.default_rng(3)
    upper = np.triu(rng.standard_normal((4, 4)), 1)
    model = models.from_couplings(upper + upper.T, h=rng.normal(0, 0.5, 4))
    T = 0.9
    run = mc.metropolis(model, T, 4000, replicas=32, seed=11, rule=rule, order=order, record_spins=True)
    codes = ((run.states[:, 200:] > 0) * (1 << np.arange(4))).sum(axis=2)
    freq = np.array([np.bincount(c, minlength=16) for c in codes], dtype=float)
    freq /= freq.sum(axis=1, keepdims=True)
    energies = exact.enumerate_energies(model)
    boltzmann = np.exp(-(energies - energies.min()) / T)
    boltzmann /= boltzmann.sum()
    se = freq.std(axis=0, ddof=1) / np.sqrt(freq.shape[0])
    assert np.all(np.abs(freq.mean(axis=0) - boltzmann) < 4 * se + 1e-4)


@pytest.mark.slow
@pytest.mark.parametrize(("T", "allowance"), [(1.5, 0.001), (2.0, 0.002), (3.0, 0.002)])
def test_ising2d_matches_onsager(T, allowance):
    L = 48
    run = mc.metropolis(models.ising2d(L), T, 20_000, replicas=8, seed=5, initial="up")
    burn = 2000
    ons = exact.onsager(T)
    e = replica_means(run.energy, burn)
    # finite-size corrections decay as exp(-L/xi) with xi of a few sites away from Tc: covered by `allowance`
    assert abs(e.mean() - ons.energy) < 4 * e.std(ddof=1) / np.sqrt(e.size) + allowance
    m = replica_means(np.abs(run.magnetization), burn)
    if T < exact.T_CRITICAL_2D:
        assert abs(m.mean() - ons.magnetization) < 4 * m.std(ddof=1) / np.sqrt(m.size) + allowance
    else:
        # above Tc the finite-lattice |m| is a fluctuation ~ sqrt(chi T / N): it halves when N quadruples
        small = mc.metropolis(models.ising2d(L // 2), T, 20_000, replicas=8, seed=6)
        ratio = replica_means(np.abs(small.magnetization), burn).mean() / m.mean()
        assert m.mean() < 0.1
        assert 1.6 < ratio < 2.5


def test_same_seed_identical_and_records_consistent():
    model = models.ea(4, d=3, seed=1)
    a = mc.metropolis(model, 1.2, 50, replicas=3, seed=42, record_spins=True)
    b = mc.metropolis(model, 1.2, 50, replicas=3, seed=42, record_spins=True)
    c = mc.metropolis(model, 1.2, 50, replicas=3, seed=43)
    for name in ("energy", "magnetization", "spins", "overlaps", "states"):
        assert np.array_equal(getattr(a, name), getattr(b, name))
    assert not np.array_equal(a.energy, c.energy)
    # incremental energy and magnetisation bookkeeping equals a fresh evaluation
    assert np.allclose(a.energy[:, -1], model.energy(a.spins))
    assert np.allclose(a.energy, model.energy(a.states.reshape(-1, model.n)).reshape(3, 50))
    assert np.allclose(a.magnetization, a.states.mean(axis=2))
    q01 = (a.states[0] * a.states[1]).mean(axis=1)
    assert np.allclose(a.overlaps[0], q01) and a.pairs.tolist() == [[0, 1], [0, 2], [1, 2]]


def test_gaussian_lattice_and_dense_bookkeeping():
    for model in (models.ea(3, d=2, couplings="gaussian", seed=2), models.sk(30, seed=3, h=0.2)):
        run = mc.metropolis(model, 0.7, 30, replicas=2, seed=1, rule="heatbath", order="random")
        assert np.allclose(run.energy[:, -1], model.energy(run.spins))


def test_save_load_roundtrip(tmp_path):
    run = mc.metropolis(models.ising2d(6), 2.0, 20, replicas=2, seed=9)
    path = tmp_path / "run.npz"
    run.save(path)
    back = mc.MCResult.load(path)
    assert back.T == 2.0 and back.rule == "metropolis" and back.seed == 9 and back.states is None
    assert np.array_equal(back.overlaps, run.overlaps)
    with np.load(path, allow_pickle=False) as data:
        assert "energy" in data


def test_ground_state_reached_at_low_temperature():
    model = models.sk(12, seed=5)
    run = mc.metropolis(model, 0.05, 300, replicas=4, seed=1)
    assert run.energy[:, -1].min() == pytest.approx(exact.ground_state(model).energy, abs=1e-12)


def test_chunked_run_with_progress_is_identical(monkeypatch):
    import spinlab.mc._engine as engine

    model = models.ea(4, d=2, seed=3)
    whole = mc.metropolis(model, 1.5, 40, replicas=2, seed=4, progress=False)
    monkeypatch.setattr(engine, "CHUNK_ATTEMPTS", 100)  # 100 // 32 = 3 sweeps per chunk
    chunked = mc.metropolis(model, 1.5, 40, replicas=2, seed=4, progress=True)
    assert np.array_equal(whole.energy, chunked.energy)
    assert np.array_equal(whole.overlaps, chunked.overlaps)
    with pytest.raises(TypeError, match="progress"):
        mc.metropolis(model, 1.5, 5, progress="yes")


def test_float32_dense_kernel_matches_enumeration():
    T = 0.7
    run = mc.metropolis(SK12, T, 8000, replicas=16, seed=12, precision="float32")
    e = replica_means(run.energy, 800)
    assert abs(e.mean() - exact.thermo(SK12, T).energy) < 4 * e.std(ddof=1) / np.sqrt(e.size)
    assert np.allclose(run.energy[:, -1], SK12.energy(run.spins), atol=1e-12)  # refreshed exactly
    pt = mc.parallel_tempering(SK12, [0.5, 1.0], 100, seed=1, precision="float32")
    assert pt.energy.shape == (2, 2, 100)
    with pytest.raises(ValueError, match="precision"):
        mc.metropolis(models.ea(3, seed=1), 1.0, 5, precision="float32")
    with pytest.raises(ValueError, match="precision"):
        mc.metropolis(SK12, 1.0, 5, precision="half")


@pytest.mark.parametrize(
    ("rule", "order"), [("metropolis", "sequential"), ("metropolis", "random"), ("heatbath", "sequential")]
)
def test_dense_kernel_takes_the_textbook_decisions(rule, order):
    # same random words, fields recomputed from scratch: the kernel's table brackets, integer
    # thresholds, incremental fields and specialised sweep must give exactly these configurations
    from spinlab._kernels import next_uint64
    from spinlab._rng import seed_sequence
    from spinlab.mc import _engine

    model = models.sk(10, seed=4, h=0.3)
    T, sweeps, n = 0.6, 40, 10
    run = mc.metropolis(model, T, sweeps, seed=3, rule=rule, order=order, record_spins=True)
    state = _engine.new_state(model, [T], 1, seed_sequence(3), "random", sweeps, False)
    spins = state.spins[0, 0].astype(np.int64)
    rng = state.rng[0, 0].copy()
    counter = int(rng[0])  # sequential Metropolis: a SplitMix64 counter, n draws per sweep
    beta = 1.0 / T
    for t in range(sweeps):
        for step in range(n):
            i = step if order == "sequential" else ((int(next_uint64(rng)) >> 32) * n) >> 32
            field = model.h[i] + model.J[i] @ spins
            if rule == "metropolis" and order == "sequential":
                u = ((_splitmix_output(counter + (i + 1) * _GAMMA) >> 11) + 1) * 2.0**-53
                flip = 2.0 * beta * spins[i] * field <= -np.log(u)
            elif rule == "metropolis":
                x = 2.0 * beta * spins[i] * field
                flip = x <= 0 or (int(next_uint64(rng)) >> 11) * 2.0**-53 < np.exp(-x)
            else:
                up = (int(next_uint64(rng)) >> 11) * 2.0**-53 < 1.0 / (1.0 + np.exp(-2.0 * beta * field))
                flip = up != (spins[i] > 0)
            if flip:
                spins[i] = -spins[i]
        counter += n * _GAMMA
        assert np.array_equal(spins, run.states[0, t]), f"sweep {t}"


_GAMMA = 0x9E3779B97F4A7C15


def _splitmix_output(z):
    """SplitMix64's output function on the counter value z (plain Python integers)."""
    mask = 2**64 - 1
    z &= mask
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
    return z ^ (z >> 31)


@pytest.mark.parametrize("beta", [0.05, 2.0, 40.0])
def test_sequential_metropolis_thresholds_bound_the_exact_ones(beta):
    # the vectorised -ln u / (2 beta) sits just above the exact value: within twice the slack, where
    # the sweep decides with the exact logarithm
    from spinlab.mc import _kernels

    counter = 2**63 + 12345
    theta = np.empty(4096)
    _kernels._metropolis_thresholds(np.uint64(counter), beta, theta)
    u = np.array([((_splitmix_output(counter + (i + 1) * _GAMMA) >> 11) + 1) * 2.0**-53 for i in range(4096)])
    exact = -np.log(u) / (2.0 * beta)
    band = 2.0 * _kernels._THRESHOLD_SLACK / (2.0 * beta)
    assert np.all(theta >= exact) and np.all(theta - exact <= band)
    assert np.median(theta - exact) > 0.25 * band  # the slack is there, not lost to rounding


def test_records_without_pairs_or_states_match_full_records():
    # one replica and no stored configurations take the drivers' short record path
    model = models.sk(20, seed=1)
    for precision in ("float64", "float32"):
        short = mc.metropolis(model, 0.8, 40, seed=2, precision=precision)
        full = mc.metropolis(model, 0.8, 40, seed=2, precision=precision, record_spins=True)
        assert np.array_equal(short.energy, full.energy)
        assert np.array_equal(short.magnetization, full.magnetization)
        assert np.allclose(full.energy[0], model.energy(full.states[0]), atol=1e-5)


def test_aligned_copies_only_when_needed():
    from spinlab.mc._engine import aligned

    base = np.arange(40, dtype=np.float64)
    shifted = base[1:33].reshape(4, 8)  # 8 bytes past base's start: never on a 64-byte boundary with it
    for array in (base, shifted):
        out = aligned(array, np.float32)
        assert out.ctypes.data % 64 == 0 and out.dtype == np.float32 and np.array_equal(out, array)
        assert out.flags.c_contiguous
    again = aligned(out)
    assert again is out
