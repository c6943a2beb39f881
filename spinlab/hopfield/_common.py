"""Argument checks shared by the Hopfield and RBM modules."""

from __future__ import annotations

import numbers

import numpy as np

from .._validate import check_int, check_real

PRIOR_NAMES = {"binary": 0.0, "gaussian": 1.0}


def check_prior(value, name: str, *, allow_gaussian: bool = True) -> float:
    """A prior of the Boolean-Gaussian family: "binary" (0), "gaussian" (1) or its Gaussian fraction in [0, 1].

    The family is x = sqrt(1 - delta) eps + sqrt(delta) g with eps = ±1 and g ~ N(0, 1) (unit variance).
    """
    if isinstance(value, str):
        if value not in PRIOR_NAMES:
            raise ValueError(f"{name} must be 'binary', 'gaussian' or a number in [0, 1], got {value!r}")
        delta = PRIOR_NAMES[value]
    elif isinstance(value, numbers.Real) and not isinstance(value, bool):
        delta = check_real(value, name)
        if not 0.0 <= delta <= 1.0:
            raise ValueError(f"{name} (the Gaussian fraction) must lie in [0, 1], got {delta}")
    else:
        raise TypeError(f"{name} must be 'binary', 'gaussian' or a number in [0, 1], got {type(value).__name__}")
    if delta >= 1.0 and not allow_gaussian:
        raise ValueError(f"{name} must have a Gaussian fraction < 1 here, got {value!r}")
    return float(delta)


def check_load(value, name: str = "alpha", *, allow_zero: bool = False) -> float:
    """A load alpha = P/N: finite, > 0 (or >= 0 with ``allow_zero``)."""
    value = check_real(value, name)
    if value < 0 or (value == 0 and not allow_zero):
        raise ValueError(f"{name} must be {'>= 0' if allow_zero else '> 0'}, got {value}")
    return value


def check_loads(alphas, name: str = "alphas") -> np.ndarray:
    """One load or a non-empty 1-d array of loads, each checked by :func:`check_load`."""
    loads = np.atleast_1d(np.asarray(alphas, dtype=float))
    if loads.ndim != 1 or loads.size == 0:
        raise ValueError(f"{name} must be a load or a 1-d array of loads, got {alphas!r}")
    for a in loads:
        check_load(float(a), name)
    return loads


def check_overlap_scan(n, alphas, samples, sweeps, window) -> tuple[int, np.ndarray, int, int, int]:
    """Arguments of the overlap-against-load scans (recall_overlaps, rbm_overlaps), checked."""
    n = check_int(n, "n", minimum=2)
    loads = check_loads(alphas)
    samples = check_int(samples, "samples", minimum=2)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    window = check_int(window, "window", minimum=1, maximum=sweeps)
    return n, loads, samples, sweeps, window
