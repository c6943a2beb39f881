"""SK model, N = 256, T = 0.5: spinlab's dense Metropolis vs dwave-samplers and OpenJij at the same fixed beta.

Targets: <= 5 ns per attempt and >= 6x faster than dwave-samplers. Every engine runs SWEEPS
sequential sweeps per call, long enough that the set-up of a call (a few hundred microseconds
for spinlab, more for the peers) is a small part of the time; with 4000 sweeps the peers'
set-up inflated their cost per attempt (dwave-samplers 31 ns instead of 25 ns).

Run: .venv/bin/python benchmarks/bench_sk.py
"""

from __future__ import annotations

from peers import dwave_ns, median_ns, openjij_ns, report

from spinlab import mc, models

N, T, SWEEPS, REPEATS = 256, 0.5, 20000, 5


def main() -> None:
    model = models.sk(N, seed=2026)
    print(f"SK N={N}, T={T}, {SWEEPS} sweeps, median of {REPEATS} repeats")
    mc.metropolis(model, T, 10, seed=0)
    mc.metropolis(model, T, 10, seed=0, precision="float32")
    ours = median_ns(lambda r: mc.metropolis(model, T, SWEEPS, seed=r), SWEEPS * N, REPEATS)
    single = median_ns(lambda r: mc.metropolis(model, T, SWEEPS, seed=r, precision="float32"), SWEEPS * N, REPEATS)
    rows = [("spinlab", ours), ("spinlab float32", single), ("dwave-samplers", dwave_ns(model, 1 / T, SWEEPS, REPEATS))]
    rows.append(("openjij", openjij_ns(model, 1 / T, SWEEPS, REPEATS)))
    report(rows)


if __name__ == "__main__":
    main()
