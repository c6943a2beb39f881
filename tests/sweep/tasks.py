"""Task functions for the executor tests (importable by worker processes)."""

import os
import time

import numpy as np

from spinlab import exact, models


def ground_state_energy(sample_seed) -> float:
    """Ground-state energy per spin of an n = 10 SK sample built from the seed."""
    return exact.ground_state(models.sk(10, seed=sample_seed)).energy


def slow_ground_state_energy(sample_seed) -> tuple[float, int]:
    time.sleep(0.15)
    return ground_state_energy(sample_seed), os.getpid()


def draw(sample_seed) -> float:
    return float(np.random.default_rng(sample_seed).normal())


def failing(sample_seed) -> float:
    raise ArithmeticError("fn itself failed")


def die_once(sample_seed, marker: str) -> float:
    """Kill the worker process the first time any sample runs, then behave."""
    if not os.path.exists(marker):
        open(marker, "w").close()
        os._exit(1)
    return draw(sample_seed)
