"""Seed handling: every random stream in spinlab derives from one user seed.

A user seed (``int``, :class:`numpy.random.SeedSequence`, :class:`numpy.random.Generator`
or ``None``) is turned into a :class:`~numpy.random.SeedSequence`; independent streams
(one per replica, sample or worker) come from :meth:`~numpy.random.SeedSequence.spawn`.
Numba kernels never touch a global generator: they receive the 256-bit state of a
xoshiro256+ generator (four ``uint64`` words) per stream and advance it in place.
"""

from __future__ import annotations

import numpy as np

SeedLike = int | np.random.SeedSequence | np.random.Generator | None


def seed_sequence(seed: SeedLike) -> np.random.SeedSequence:
    """Turn any accepted seed into a :class:`numpy.random.SeedSequence`.

    Parameters
    ----------
    seed : int, SeedSequence, Generator or None
        ``None`` draws fresh entropy from the operating system; a ``Generator``
        contributes one 128-bit draw, so the call advances it.

    Examples
    --------
    >>> seed_sequence(7).entropy
    7
    """
    if seed is None or isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
        if seed is not None and int(seed) < 0:
            raise ValueError(f"seed must be a non-negative integer, got {seed}")
        return np.random.SeedSequence(None if seed is None else int(seed))
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if isinstance(seed, np.random.Generator):
        return np.random.SeedSequence(int(seed.integers(0, 2**63)))
    raise TypeError(
        f"seed must be an int, numpy.random.SeedSequence, numpy.random.Generator or None, got {type(seed).__name__}"
    )


def spawn(seed: SeedLike, count: int) -> list[np.random.SeedSequence]:
    """Return ``count`` independent child seed sequences of ``seed``."""
    return seed_sequence(seed).spawn(count)


def child(seed: SeedLike, index: int) -> np.random.SeedSequence:
    """Child ``index`` of ``seed``, equal to ``seed_sequence(seed).spawn(index + 1)[index]``,
    without advancing the spawn counter (so repeated calls give the same child).

    Examples
    --------
    >>> root = np.random.SeedSequence(5)
    >>> child(root, 1).generate_state(1) == root.spawn(2)[1].generate_state(1)
    array([ True])
    """
    root = seed_sequence(seed)
    return np.random.SeedSequence(root.entropy, spawn_key=(*root.spawn_key, index), pool_size=root.pool_size)


def xoshiro_states(children: list[np.random.SeedSequence]) -> np.ndarray:
    """Kernel generator states, one row of four ``uint64`` words per child sequence.

    A state of all zeros is a fixed point of xoshiro, so such a row (probability
    2**-256) is replaced by a constant.
    """
    states = np.empty((len(children), 4), dtype=np.uint64)
    for row, child in enumerate(children):
        words = child.generate_state(4, dtype=np.uint64)
        if not words.any():
            words[0] = np.uint64(0x9E3779B97F4A7C15)
        states[row] = words
    return states
