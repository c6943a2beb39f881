import os
import signal
import threading
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from spinlab import sweep

from . import tasks


def test_results_identical_across_executors():
    serial = sweep.disorder_average(tasks.ground_state_energy, 12, seed=3, executor="serial")
    with ThreadPoolExecutor(3) as pool:
        threaded = sweep.disorder_average(tasks.ground_state_energy, 12, seed=3, executor=pool)
    processes = sweep.disorder_average(tasks.ground_state_energy, 12, seed=3, max_workers=2)
    assert serial == threaded == processes
    assert len(set(serial)) == 12  # different couplings per sample
    # the disorder average is physical: SK ground state ~ -0.76 minus finite-size corrections
    assert -0.85 < np.mean(serial) < -0.6


def test_seeds_are_spawned_children():
    values = sweep.disorder_average(tasks.draw, 5, seed=9, executor="serial")
    expected = [float(np.random.default_rng(s).normal()) for s in np.random.SeedSequence(9).spawn(5)]
    assert values == expected


def test_errors_of_fn_propagate_and_bad_arguments():
    with pytest.raises(ArithmeticError):
        sweep.disorder_average(tasks.failing, 3, seed=1, executor="serial")
    with pytest.raises(ArithmeticError):
        sweep.disorder_average(tasks.failing, 3, seed=1, max_workers=1)
    with pytest.raises(TypeError, match="executor"):
        sweep.disorder_average(tasks.draw, 3, executor="dask")
    with pytest.raises(ValueError, match="n_samples"):
        sweep.disorder_average(tasks.draw, 0)
    with pytest.raises(TypeError, match="fn"):
        sweep.disorder_average(3, 2)


@pytest.mark.slow
def test_dask_local_cluster_survives_a_killed_worker():
    distributed = pytest.importorskip("distributed")
    cluster = distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0"
    )
    client = distributed.Client(cluster)
    try:
        expected = sweep.disorder_average(tasks.ground_state_energy, 24, seed=11, executor="serial")
        pids = list(client.run(os.getpid).values())
        killer = threading.Timer(1.0, os.kill, args=(pids[0], signal.SIGKILL))
        killer.start()
        out = sweep.disorder_average(tasks.slow_ground_state_energy, 24, seed=11, executor=client.get_executor())
        killer.join()
        energies = [energy for energy, _ in out]
        assert energies == expected  # every sample exactly once, in order, same values
        assert pids[0] not in {pid for _, pid in out[-6:]}  # the late samples ran without the killed process
    finally:
        client.close()
        cluster.close()


def test_process_pool_death_is_retried(tmp_path):
    fn = __import__("functools").partial(tasks.die_once, marker=str(tmp_path / "died"))
    out = sweep.disorder_average(fn, 6, seed=2, max_workers=2)
    assert out == sweep.disorder_average(tasks.draw, 6, seed=2, executor="serial")
    assert (tmp_path / "died").exists()
