"""Argument checks shared by the public API.

Every helper raises :class:`TypeError` (wrong kind of object) or :class:`ValueError`
(right kind, wrong value) with a message that names the argument, says what was
expected and what was received.
"""

from __future__ import annotations

import numbers

import numpy as np


def check_int(value, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """Return ``value`` as an ``int`` after checking its type and range."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be an integer, got {type(value).__name__} {value!r}")
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be >= {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise ValueError(f"{name} must be <= {maximum}, got {value}")
    return value


def check_real(value, name: str, *, positive: bool = False) -> float:
    """Return ``value`` as a finite ``float`` (strictly positive when asked)."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")
    value = float(value)
    if not np.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}")
    if positive and value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return value


def check_temperature(T, name: str = "T") -> float:
    """A single temperature: a finite real number > 0 whose inverse is finite (units of J, k_B = 1)."""
    value = check_real(T, name, positive=True)
    if value < 1e-300:
        raise ValueError(f"{name} must be >= 1e-300 so that 1/{name} is finite, got {value}")
    return value


def check_temperatures(T, name: str = "T") -> tuple[np.ndarray, bool]:
    """A scalar or 1-d array of temperatures > 0; returns (1-d float array, was_scalar)."""
    if np.isscalar(T) or (isinstance(T, np.ndarray) and T.ndim == 0):
        value = T.item() if isinstance(T, np.ndarray) else T
        return np.array([check_temperature(value, name)]), True
    arr = np.asarray(T)
    if arr.dtype.kind not in "iuf" or arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a positive number or a non-empty 1-d array of them, got {T!r}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)) or np.any(arr < 1e-300):
        raise ValueError(f"every entry of {name} must be finite and >= 1e-300 (so 1/{name} is finite), got {arr}")
    return arr, False


def check_choice(value, name: str, choices: tuple[str, ...]) -> str:
    """``value`` must be one of the strings in ``choices``."""
    if not isinstance(value, str) or value not in choices:
        raise ValueError(f"{name} must be one of {', '.join(map(repr, choices))}, got {value!r}")
    return value


def check_couplings(J, name: str = "J") -> np.ndarray:
    """A dense coupling matrix: square, real, finite, symmetric, zero diagonal."""
    if not isinstance(J, np.ndarray):
        if isinstance(J, (list, tuple)):
            J = np.asarray(J)
        else:
            raise TypeError(f"{name} must be a numpy array, got {type(J).__name__}")
    if J.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold real numbers, got dtype {J.dtype}")
    if J.ndim != 2 or J.shape[0] != J.shape[1]:
        raise ValueError(f"{name} must be a square 2-d matrix, got shape {J.shape}")
    if J.shape[0] < 1:
        raise ValueError(f"{name} must describe at least one spin, got shape {J.shape}")
    J = J.astype(np.float64)
    if not np.all(np.isfinite(J)):
        raise ValueError(f"{name} must contain only finite values")
    if not np.allclose(J, J.T, rtol=1e-12, atol=1e-12):
        worst = np.unravel_index(np.argmax(np.abs(J - J.T)), J.shape)
        raise ValueError(f"{name} must be symmetric: {name}[{worst[0]}, {worst[1]}] != {name}[{worst[1]}, {worst[0]}]")
    if np.any(np.diag(J) != 0):
        raise ValueError(f"{name} must have a zero diagonal (no self-couplings); use J - np.diag(np.diag(J))")
    return np.ascontiguousarray(0.5 * (J + J.T))


def check_field(h, n: int, name: str = "h") -> np.ndarray:
    """A uniform (scalar) or site-dependent (length ``n``) external field."""
    if np.isscalar(h):
        return np.full(n, check_real(h, name), dtype=np.float64)
    arr = np.asarray(h)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a real number or an array of them, got dtype {arr.dtype}")
    if arr.shape != (n,):
        raise ValueError(f"{name} must be a scalar or have shape ({n},), got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr.astype(np.float64)


def check_spins(spins, n: int, name: str = "spins") -> tuple[np.ndarray, bool]:
    """One configuration (shape ``(n,)``) or a batch (shape ``(k, n)``) of ±1 spins.

    Returns the configurations as a 2-d int8 array and whether a single one was given.
    """
    arr = np.asarray(spins)
    if arr.dtype.kind not in "iuf" or arr.dtype == bool:
        raise TypeError(f"{name} must be an integer array of +1/-1 values, got dtype {arr.dtype}")
    if arr.ndim not in (1, 2) or arr.shape[-1] != n:
        raise ValueError(f"{name} must have shape ({n},) or (k, {n}), got shape {arr.shape}")
    if not np.all((arr == 1) | (arr == -1)):
        raise ValueError(f"{name} must contain only +1 and -1")
    single = arr.ndim == 1
    return np.ascontiguousarray(np.atleast_2d(arr).astype(np.int8)), single
