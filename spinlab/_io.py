"""Safe result files: frozen dataclasses of numpy arrays and scalars saved as ``.npz`` (no pickle)."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np


def save_dataclass(obj, path: str | os.PathLike) -> Path:
    """Write every non-``None`` field of the dataclass ``obj`` to ``path`` (``.npz``)."""
    path = Path(path)
    arrays = {
        f.name: np.asarray(getattr(obj, f.name)) for f in dataclasses.fields(obj) if getattr(obj, f.name) is not None
    }
    for name, value in arrays.items():
        if value.dtype == object:
            raise TypeError(f"field {name!r} cannot be saved without pickle")
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        np.savez(handle, **arrays)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    return path


def load_dataclass(cls, path: str | os.PathLike):
    """Rebuild a dataclass of type ``cls`` from a file written by :func:`save_dataclass`."""
    with np.load(Path(path), allow_pickle=False) as data:
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name not in data:
                kwargs[f.name] = None
                continue
            value = data[f.name]
            kwargs[f.name] = value.item() if value.ndim == 0 else value
    return cls(**kwargs)
