"""3D Edwards–Anderson ±J, L = 8, T = 1.1: spinlab's lattice Metropolis vs dwave-samplers and OpenJij.

One process, single thread, the same instance at fixed beta = 1/T, sequential sweeps for all;
median of several repeats. Targets: <= 4 ns per attempt and >= 3x faster than dwave-samplers.

Run: .venv/bin/python benchmarks/bench_ea.py
"""

from __future__ import annotations

from peers import dwave_ns, median_ns, openjij_ns, report

from spinlab import mc, models

L, T, SWEEPS, REPEATS = 8, 1.1, 20_000, 5


def main() -> None:
    model = models.ea(L, d=3, couplings="pm1", seed=2026)
    print(f"3D EA ±J, L={L} (n={model.n}), T={T}, {SWEEPS} sweeps, median of {REPEATS} repeats")
    mc.metropolis(model, T, 10, seed=0)
    ours = median_ns(lambda r: mc.metropolis(model, T, SWEEPS, seed=r), SWEEPS * model.n, REPEATS)
    rows = [("spinlab", ours), ("dwave-samplers", dwave_ns(model, 1 / T, SWEEPS, REPEATS))]
    rows.append(("openjij", openjij_ns(model, 1 / T, SWEEPS, REPEATS)))
    report(rows)


if __name__ == "__main__":
    main()
