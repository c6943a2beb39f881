"""Timing helpers shared by the benchmark scripts: spinlab and its peers on one instance.

Every function returns the median CPU time (``time.process_time``: all threads of this process)
per attempted single-spin flip in nanoseconds over ``repeats`` runs of ``sweeps`` sweeps at fixed
inverse temperature ``beta``; the peers get the same couplings in their own sign convention
(their Ising energy is +sum J s s). CPU time rather than wall time keeps the ratios meaningful
on a machine shared with other jobs (time-slicing does not count); on an idle machine the two
agree for these single-threaded runs.
"""

from __future__ import annotations

import time

import numpy as np


def ising_terms(model) -> tuple[dict, dict]:
    """(h, J) dictionaries of ``model`` for dimod-style samplers (E = sum h s + sum J s s)."""
    dense = model.to_dense()
    rows, cols = np.triu_indices(model.n, 1)
    keep = dense[rows, cols] != 0
    couplings = {
        (int(i), int(j)): -float(v) for i, j, v in zip(rows[keep], cols[keep], dense[rows, cols][keep], strict=True)
    }
    fields = {i: -float(model.h[i]) for i in range(model.n)}
    return fields, couplings


def median_ns(run, attempts: int, repeats: int) -> float:
    times = []
    for r in range(repeats):
        start = time.process_time()
        run(r)
        times.append(time.process_time() - start)
    return float(np.median(times)) / attempts * 1e9


def dwave_ns(model, beta: float, sweeps: int, repeats: int) -> float:
    from dwave.samplers import SimulatedAnnealingSampler

    h, J = ising_terms(model)
    sampler = SimulatedAnnealingSampler()
    options = dict(num_reads=1, beta_schedule_type="custom", beta_schedule=[beta], randomize_order=False)
    sampler.sample_ising(h, J, num_sweeps_per_beta=5, seed=0, **options)
    return median_ns(
        lambda r: sampler.sample_ising(h, J, num_sweeps_per_beta=sweeps, seed=r + 1, **options),
        sweeps * model.n,
        repeats,
    )


def openjij_ns(model, beta: float, sweeps: int, repeats: int) -> float | None:
    """OpenJij's SASampler at fixed beta, or None when openjij is not installed."""
    try:
        import openjij
    except ImportError:
        return None
    h, J = ising_terms(model)
    sampler = openjij.SASampler()
    sampler.sample_ising(h, J, schedule=[(beta, 5)], num_reads=1, seed=1)
    return median_ns(
        lambda r: sampler.sample_ising(h, J, schedule=[(beta, sweeps)], num_reads=1, seed=r + 1),
        sweeps * model.n,
        repeats,
    )


def report(rows: list[tuple[str, float | None]], reference: str = "spinlab") -> None:
    """Print ns per attempt for each engine and the ratio of each peer to ``reference``."""
    values = dict(rows)
    ours = values[reference]
    for name, ns in rows:
        if ns is None:
            print(f"{name:>16}: not installed")
            continue
        unit = f"{ns * 1000:8.1f} ps" if ns < 1 else f"{ns:8.2f} ns"
        ratio = "" if name == reference else f"   ratio {name} / {reference}: {ns / ours:6.2f}x"
        print(f"{name:>16}: {unit} per spin-flip attempt{ratio}")
