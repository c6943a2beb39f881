"""Disorder averages over any :class:`concurrent.futures.Executor` (local processes, Dask, ...).

Each disorder sample is one task ``fn(sample_seed)`` that builds its own couplings from the
seed, so only a seed travels to the worker and only the (small) result comes back. The
seeds are ``SeedSequence(seed).spawn(n_samples)``: sample ``k`` gets the same seed, hence the
same result, whatever the executor, the number of workers or the order of completion.

Scale-out with Dask: ``Client(cluster).get_executor()`` is a ``concurrent.futures.Executor``;
pass it as ``executor``. On a SLURM machine, ``dask_jobqueue.SLURMCluster`` provides the
cluster (see the book's Monte Carlo chapters).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

import numpy as np
from tqdm.auto import tqdm

from ._rng import SeedLike, seed_sequence
from ._validate import check_int

__all__ = ["disorder_average", "sample_seeds"]


def sample_seeds(seed: SeedLike, n_samples: int) -> list[np.random.SeedSequence]:
    """The seed of every disorder sample: ``SeedSequence(seed).spawn(n_samples)``."""
    return seed_sequence(seed).spawn(check_int(n_samples, "n_samples", minimum=1))


def _lost_worker(exc: BaseException) -> bool:
    """A task failed because its worker process died (not because ``fn`` raised)."""
    names = {type(exc).__name__ for exc in (exc, exc.__cause__) if exc is not None}
    return isinstance(exc, BrokenProcessPool) or bool(names & {"KilledWorker", "CommClosedError"})


def disorder_average(
    fn: Callable[[np.random.SeedSequence], Any],
    n_samples: int,
    *,
    seed: SeedLike = None,
    executor: Executor | str | None = None,
    max_workers: int | None = None,
    retries: int = 2,
    progress: bool | None = None,
) -> list[Any]:
    """Run ``fn(sample_seed)`` for ``n_samples`` disorder samples and return the results in sample order.

    Parameters
    ----------
    fn : callable
        Takes a :class:`numpy.random.SeedSequence` and returns a result (picklable). It must be
        importable by the workers (defined in a module, not in ``__main__``) for process pools.
    n_samples : int
        Number of independent disorder samples.
    seed : int, SeedSequence, Generator or None
        Root seed; sample k receives ``SeedSequence(seed).spawn(n_samples)[k]``.
    executor : Executor, "serial" or None
        Any ``concurrent.futures.Executor`` (e.g. ``dask.distributed.Client(...).get_executor()``),
        ``"serial"`` to run in this process, or ``None`` for a local process pool that is
        created and shut down here.
    max_workers : int, optional
        Size of the default process pool (default: ``os.cpu_count()``).
    retries : int
        When a worker process dies (a killed process, a lost Dask worker), its samples are
        submitted again, at most this many extra rounds; an exception raised by ``fn`` itself
        is never retried and propagates.
    progress : bool or None
        Show a progress bar (default: when there are more than 8 samples).

    Returns
    -------
    list
        ``results[k] = fn(sample_seeds(seed, n_samples)[k])``, each sample exactly once.

    Examples
    --------
    >>> import numpy as np
    >>> def mean_coupling(s):
    ...     return float(np.random.default_rng(s).normal())
    >>> len(disorder_average(mean_coupling, 4, seed=1, executor="serial"))
    4
    """
    if not callable(fn):
        raise TypeError(f"fn must be callable, got {type(fn).__name__}")
    seeds = sample_seeds(seed, n_samples)
    retries = check_int(retries, "retries", minimum=0)
    show = n_samples > 8 if progress is None else bool(progress)
    results: dict[int, Any] = {}
    with tqdm(total=n_samples, unit="sample", desc="disorder samples", disable=not show) as bar:
        if executor == "serial":
            for k, s in enumerate(seeds):
                results[k] = fn(s)
                bar.update()
            return [results[k] for k in range(n_samples)]
        if executor is not None and not isinstance(executor, Executor):
            raise TypeError(f"executor must be a concurrent.futures.Executor, 'serial' or None, got {executor!r}")
        for _ in range(retries + 1):
            pending = [k for k in range(n_samples) if k not in results]
            if not pending:
                break
            own = executor is None
            pool = ProcessPoolExecutor(max_workers=max_workers or os.cpu_count()) if own else executor
            try:
                futures: dict[Future, int] = {pool.submit(fn, seeds[k]): k for k in pending}
                lost = _collect(futures, results, bar)
            finally:
                if own:
                    pool.shutdown(wait=True, cancel_futures=True)
            if not lost:
                break
        missing = [k for k in range(n_samples) if k not in results]
        if missing:
            raise RuntimeError(
                f"workers died repeatedly; samples {missing[:10]} did not complete after {retries} retries"
            )
    return [results[k] for k in range(n_samples)]


def _collect(futures: dict[Future, int], results: dict[int, Any], bar) -> bool:
    """Store finished results; return True when some tasks were lost with their worker."""
    lost = False
    for future in as_completed(futures):
        k = futures[future]
        try:
            value = future.result()
        except BaseException as exc:
            if _lost_worker(exc):
                lost = True
                continue
            raise
        if k not in results:
            results[k] = value
            bar.update()
    return lost
