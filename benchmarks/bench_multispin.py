"""Multispin coding: 3D EA ±J, L = 8, T = 1.1, many disorder samples, vs the scalar kernel and dwave-samplers.

spinlab packs 64 samples per machine word; the peers simulate one sample at a time, so the
per-attempt cost of a peer is the same for any number of samples. From 8 words (512 samples)
on, the words of a site are updated together in vector registers. Target: <= 50 ps per attempt
(>= 250x dwave-samplers) with >= 64 samples. Times include the set-up of each call (packing the
couplings of every sample), amortised over SWEEPS sweeps.

Run: .venv/bin/python benchmarks/bench_multispin.py
"""

from __future__ import annotations

from peers import dwave_ns, median_ns, report

from spinlab import mc, models

L, T, SWEEPS, REPEATS = 8, 1.1, 4000, 3


def main() -> None:
    for samples in (64, 512):
        models_ = [models.ea(L, d=3, seed=s) for s in range(samples)]
        n = models_[0].n
        print(f"3D EA ±J, L={L}, T={T}, {samples} samples, {SWEEPS} sweeps, median of {REPEATS} repeats")
        rows = []
        for bits in ("shared", "independent"):
            mc.multispin_metropolis(models_, T, 5, seed=0, random_bits=bits, measure_every=5)
            run = lambda r, bits=bits, group=models_: mc.multispin_metropolis(  # noqa: E731
                group, T, SWEEPS, seed=r, random_bits=bits, measure_every=SWEEPS
            )
            rows.append((f"multispin/{bits}", median_ns(run, SWEEPS * n * samples, REPEATS)))
        mc.metropolis(models_[0], T, 5, seed=0)
        first = models_[0]
        rows.append(("scalar", median_ns(lambda r, m=first: mc.metropolis(m, T, SWEEPS, seed=r), SWEEPS * n, REPEATS)))
        rows.append(("dwave-samplers", dwave_ns(models_[0], 1 / T, SWEEPS, REPEATS)))
        report(rows, reference="multispin/shared")


if __name__ == "__main__":
    main()
