"""Disorder-sample task for the 3D EA finite-size-scaling test (importable by worker processes)."""

import numpy as np

from spinlab import mc, models
from spinlab.overlaps.correlation import fourier_susceptibilities

TEMPERATURES = np.geomspace(0.85, 1.6, 10)
RECORD_EVERY = 20


def ea_sample(sample_seed, L: int, sweeps: int) -> np.ndarray:
    """Per temperature, from the second half of a parallel-tempering run: <q^2>, <q^4>, chi(0), chi(k_min).

    Returns an array of shape (4, K).
    """
    model_seed, run_seed = sample_seed.spawn(2)
    model = models.ea(L, d=3, seed=model_seed)
    res = mc.parallel_tempering(
        model, TEMPERATURES, sweeps, replicas=2, seed=run_seed, record_spins=True, record_every=RECORD_EVERY,
        progress=False,
    )  # fmt: skip
    q = res.overlaps[0, :, sweeps // 2 :]
    half = res.states.shape[2] // 2
    chi = np.array(
        [fourier_susceptibilities(res.states[0, k, half:], res.states[1, k, half:], L, 3) for k in range(q.shape[0])]
    )
    return np.stack([np.mean(q**2, axis=1), np.mean(q**4, axis=1), chi[:, 0], chi[:, 1]])
