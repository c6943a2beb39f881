"""Cost of parallel tempering with measurements on, relative to the bare Metropolis kernel.

3D EA ±J, L = 8, 16 temperatures in [0.9, 2.0], 2 replicas, energies, magnetisations and
replica overlaps recorded at every temperature after every sweep, swaps every sweep. Two bare
references without exchanges or overlaps: metropolis() with 2 replicas at each of the same 16
temperatures (the same attempts, so the same acceptance rates: this isolates the cost of the
exchanges and measurements), and metropolis() at the single temperature T = 1.1 (cheaper per
attempt than the ladder average because fewer flips are accepted). Target: PT at most 20% slower
per attempt than the bare kernel.

Run: .venv/bin/python benchmarks/bench_pt.py
"""

from __future__ import annotations

import numpy as np
from peers import median_ns, report

from spinlab import mc, models

L, SWEEPS, REPEATS = 8, 2000, 3


def main() -> None:
    model = models.ea(L, d=3, seed=2026)
    temps = np.geomspace(0.9, 2.0, 16)
    print(f"3D EA ±J, L={L}, {temps.size} temperatures x 2 replicas, {SWEEPS} sweeps, median of {REPEATS}")
    mc.parallel_tempering(model, temps, 5, seed=0)
    mc.metropolis(model, 1.1, 5, seed=0)
    attempts = SWEEPS * model.n
    ladder = median_ns(
        lambda r: [mc.metropolis(model, float(T), SWEEPS, replicas=2, seed=r) for T in temps], attempts * 32, REPEATS
    )
    single = median_ns(lambda r: mc.metropolis(model, 1.1, SWEEPS * 32, seed=r), attempts * 32, REPEATS)
    pt = median_ns(lambda r: mc.parallel_tempering(model, temps, SWEEPS, seed=r), attempts * 32, REPEATS)
    report(
        [("metropolis, same ladder", ladder), ("metropolis at T = 1.1", single), ("parallel tempering", pt)],
        reference="metropolis, same ladder",
    )


if __name__ == "__main__":
    main()
