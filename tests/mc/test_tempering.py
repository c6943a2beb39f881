import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from spinlab import exact, mc, models

SK12 = models.sk(12, seed=2024)


def test_pt_matches_enumeration_sk12():
    temps = [0.4, 0.55, 0.75, 1.0, 1.3]
    res = mc.parallel_tempering(SK12, temps, 8000, replicas=16, seed=3)
    burn = 800
    th = exact.thermo(SK12, np.array(temps))
    e = res.energy[:, :, burn:].mean(axis=2)  # (replicas, K): independent ladders
    se = e.std(axis=0, ddof=1) / np.sqrt(e.shape[0])
    assert np.all(np.abs(e.mean(axis=0) - th.energy) < 4 * se)
    # P(q) at the coldest temperature from disjoint replica pairs
    disjoint = [p for p, (a, b) in enumerate(res.pairs) if b == a + 1 and a % 2 == 0]
    P = exact.overlap_distribution(SK12, 0.4)
    edges = np.append(P.q - 1 / 12, 1 + 1 / 12)
    hist = np.array([np.histogram(res.overlaps[p, 0, burn:], bins=edges)[0] for p in disjoint], dtype=float)
    hist /= hist.sum(axis=1, keepdims=True)
    se_p = hist.std(axis=0, ddof=1) / np.sqrt(len(disjoint))
    assert np.all(np.abs(hist.mean(axis=0) - P.p) < 4 * se_p + 1e-4)
    assert np.all(res.swap_acceptance > 0.2)
    assert res.round_trips.sum() > 0 and np.isfinite(res.round_trip_time)


def test_swaps_keep_each_temperature_boltzmann_n4():
    rng = np.random.default_rng(5)
    upper = np.triu(rng.standard_normal((4, 4)), 1)
    model = models.from_couplings(upper + upper.T, h=rng.normal(0, 0.4, 4))
    temps = np.array([0.35, 0.6, 1.1])
    res = mc.parallel_tempering(model, temps, 3000, replicas=24, seed=6, record_spins=True, order="random")
    energies = exact.enumerate_energies(model)
    for k, T in enumerate(temps):
        codes = ((res.states[:, k, 200:] > 0) * (1 << np.arange(4))).sum(axis=2)
        freq = np.array([np.bincount(c, minlength=16) for c in codes], dtype=float)
        freq /= freq.sum(axis=1, keepdims=True)
        w = np.exp(-(energies - energies.min()) / T)
        w /= w.sum()
        se = freq.std(axis=0, ddof=1) / np.sqrt(freq.shape[0])
        assert np.all(np.abs(freq.mean(axis=0) - w) < 4 * se + 1e-4), f"T={T}"
    assert np.all(res.swap_acceptance > 0.05)


def test_pt_lattice_bookkeeping_and_reproducibility():
    model = models.ea(3, d=3, seed=1)
    a = mc.parallel_tempering(model, [0.9, 1.2, 1.6], 60, replicas=2, seed=4, record_spins=True)
    b = mc.parallel_tempering(model, [1.6, 0.9, 1.2], 60, replicas=2, seed=4, record_spins=True)
    assert np.array_equal(a.energy, b.energy) and np.array_equal(a.temperatures, [0.9, 1.2, 1.6])
    flat = a.states.reshape(-1, model.n)
    assert np.allclose(a.energy.reshape(-1), model.energy(flat))
    assert np.allclose(a.energy[:, :, -1], model.energy(a.spins.reshape(-1, model.n)).reshape(2, 3))
    q = (a.states[0] * a.states[1]).mean(axis=-1)
    assert np.allclose(a.overlaps[0], q)


def test_kill_and_resume_is_bit_identical(tmp_path):
    model = models.ea(4, d=3, seed=8)
    temps = [0.8, 1.0, 1.3, 1.7]
    reference = mc.parallel_tempering(model, temps, 4000, replicas=2, seed=21)
    path = tmp_path / "pt.npz"
    worker = Path(__file__).with_name("pt_worker.py")
    proc = subprocess.Popen([sys.executable, str(worker), str(path)])
    deadline = time.time() + 120
    while not path.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.02)
    time.sleep(0.05)
    proc.kill()
    proc.wait()
    assert path.exists(), "the worker never wrote a checkpoint"
    done = int(np.load(path)["done"])
    assert 0 < done < 4000, f"the kill should land mid-run (checkpoint at sweep {done})"
    resumed = mc.parallel_tempering(model, temps, 4000, replicas=2, seed=21, checkpoint=path, checkpoint_every=50)
    for name in ("energy", "magnetization", "overlaps", "spins", "swap_acceptance", "round_trips"):
        assert np.array_equal(getattr(reference, name), getattr(resumed, name)), name


def test_bad_checkpoints_give_clear_errors(tmp_path):
    model = models.sk(8, seed=1)
    path = tmp_path / "pt.npz"
    mc.parallel_tempering(model, [0.5, 1.0], 20, seed=1, checkpoint=path, checkpoint_every=5)
    with pytest.raises(ValueError, match="different run"):
        mc.parallel_tempering(model, [0.5, 1.0], 20, seed=2, checkpoint=path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="truncated or corrupted"):
        mc.parallel_tempering(model, [0.5, 1.0], 20, seed=1, checkpoint=path)
    path.write_bytes(b"not a checkpoint")
    with pytest.raises(ValueError, match="truncated or corrupted"):
        mc.parallel_tempering(model, [0.5, 1.0], 20, seed=1, checkpoint=path)


def test_tuning_equalises_acceptance():
    model = models.sk(64, seed=3)
    start = np.linspace(0.3, 1.5, 8)
    before = mc.parallel_tempering(model, start, 3000, replicas=1, seed=1).swap_acceptance
    tuned = mc.tune_temperatures(model, start, sweeps=2000, rounds=4, seed=2)
    after = mc.parallel_tempering(model, tuned, 3000, replicas=1, seed=1).swap_acceptance
    assert tuned[0] == pytest.approx(0.3) and tuned[-1] == pytest.approx(1.5) and np.all(np.diff(tuned) > 0)
    assert after.std() < 0.6 * before.std()


@pytest.mark.parametrize(
    ("kwargs", "error", "word"),
    [
        ({"temperatures": [1.0]}, ValueError, "temperatures"),
        ({"temperatures": [1.0, 1.0]}, ValueError, "temperatures"),
        ({"temperatures": [1.0, -2.0]}, ValueError, "temperatures"),
        ({"swap_every": 0}, ValueError, "swap_every"),
        ({"checkpoint_every": 0}, ValueError, "checkpoint_every"),
        ({"replicas": 0}, ValueError, "replicas"),
    ],
)
def test_pt_validation(kwargs, error, word):
    args = {"temperatures": [0.5, 1.0], "sweeps": 5} | kwargs
    with pytest.raises(error, match=word):
        mc.parallel_tempering(models.sk(6, seed=0), **args)


def test_record_every_subsamples_the_full_record():
    model = models.ea(3, d=2, seed=2)
    full = mc.parallel_tempering(model, [0.8, 1.5], 40, replicas=2, seed=3, record_spins=True)
    sparse = mc.parallel_tempering(model, [0.8, 1.5], 40, replicas=2, seed=3, record_spins=True, record_every=8)
    assert sparse.states.shape == (2, 2, 5, model.n)
    assert np.array_equal(sparse.states, full.states[:, :, 7::8])
    with pytest.raises(ValueError, match="record_every"):
        mc.parallel_tempering(model, [0.8, 1.5], 40, record_every=0)
