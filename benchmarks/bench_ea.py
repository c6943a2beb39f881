"""3D Edwards–Anderson ±J, L = 8, T = 1.1: spinlab's lattice Metropolis vs dwave-samplers.

Both run single-threaded in this process on the same instance at fixed beta = 1/T (dwave's
simulated annealing with a one-value custom schedule). Each is timed over several repeats;
the script prints the median nanoseconds per attempted spin flip and the ratio.

Run: .venv/bin/python benchmarks/bench_ea.py
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")

import numpy as np  # noqa: E402

from spinlab import mc, models  # noqa: E402

L, T, SWEEPS, REPEATS = 8, 1.1, 20_000, 5


def time_spinlab(model) -> float:
    mc.metropolis(model, T, 10, seed=0)  # compile / load the cached kernel
    times = []
    for r in range(REPEATS):
        start = time.perf_counter()
        run = mc.metropolis(model, T, SWEEPS, seed=r)
        times.append(time.perf_counter() - start)
    second_half = run.energy[0, SWEEPS // 2 :].mean()
    print(f"spinlab: final energy per spin {run.energy[0, -1]:.4f}, mean over 2nd half {second_half:.4f}")
    return float(np.median(times)) / (SWEEPS * model.n) * 1e9


def time_dwave(model) -> float:
    from dwave.samplers import SimulatedAnnealingSampler

    dense = model.to_dense()
    rows, cols = np.triu_indices(model.n, 1)
    keep = dense[rows, cols] != 0
    # dwave's Ising energy is sum J_ij s_i s_j: our couplings enter with the opposite sign
    couplings = {
        (int(i), int(j)): -float(v) for i, j, v in zip(rows[keep], cols[keep], dense[rows, cols][keep], strict=True)
    }
    fields = {i: 0.0 for i in range(model.n)}
    sampler = SimulatedAnnealingSampler()
    options = dict(num_reads=1, beta_schedule_type="custom", beta_schedule=[1.0 / T], randomize_order=False)
    sampler.sample_ising(fields, couplings, num_sweeps_per_beta=10, seed=0, **options)
    times = []
    for r in range(REPEATS):
        start = time.perf_counter()
        result = sampler.sample_ising(fields, couplings, num_sweeps_per_beta=SWEEPS, seed=r + 1, **options)
        times.append(time.perf_counter() - start)
    print(f"dwave-samplers: final energy per spin {result.first.energy / model.n:.4f}")
    return float(np.median(times)) / (SWEEPS * model.n) * 1e9


def main() -> None:
    model = models.ea(L, d=3, couplings="pm1", seed=2026)
    print(f"3D EA ±J, L={L} (n={model.n}), T={T}, {SWEEPS} sweeps, median of {REPEATS} repeats")
    ours = time_spinlab(model)
    theirs = time_dwave(model)
    print(f"spinlab        {ours:6.2f} ns per spin-flip attempt")
    print(f"dwave-samplers {theirs:6.2f} ns per spin-flip attempt")
    print(f"ratio (dwave / spinlab): {theirs / ours:.2f}x")


if __name__ == "__main__":
    main()
