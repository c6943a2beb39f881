"""Multispin coding: 64 ±J lattice systems per machine word, updated with bitwise logic.

Lane l of every uint64 word holds one system. Two layouts:

* a **list of models** (different disorder samples on the same lattice): lane l is sample l;
  groups of 64 samples fill successive words;
* a **single model**: all 64 lanes are independent replicas of that one sample.

``replicas`` independent words per group run side by side (with their own random streams);
overlaps are measured between replica words, lane by lane.

Random numbers (``random_bits``):

* ``"independent"`` — every lane compares its own uniform number with its acceptance
  probability (a bit-serial comparison costing about eight 64-bit random words per site).
  Lanes are statistically independent: always valid, including for many replicas of one sample.
* ``"shared"`` — one uniform number per site for all 64 lanes of a word. Each lane on its own
  follows exact Metropolis dynamics, but lanes are correlated: valid only when the lanes are
  different disorder samples (a list of models), whose averages are then unbiased; refused for
  a single model.

Each word has its own SplitMix64 stream. In the shared mode with at least 8 words (512 samples,
or fewer samples with several replicas) all words of a site are updated together, a loop the
compiler turns into AVX-512 instructions: about 30 ps per spin-flip attempt against about 60 ps
one word at a time (3D EA, L = 8; ``benchmarks/bench_multispin.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_int, check_temperature
from ..models import LatticeModel
from . import _kernels


@dataclass(frozen=True)
class MultispinResult:
    """Output of :func:`multispin_metropolis` (``systems`` = lanes in use).

    Attributes
    ----------
    energy, magnetization : (replicas, systems, measurements) float64, per spin.
    overlaps : (pairs, systems, measurements) float64 or None
        Overlap between replica words ``pairs[p]`` of each system.
    pairs : (pairs, 2) or None
    spins : (replicas, systems, n) int8 final configurations.
    measure_every, sweeps, T, random_bits, seed
    """

    energy: np.ndarray
    magnetization: np.ndarray
    overlaps: np.ndarray | None
    pairs: np.ndarray | None
    spins: np.ndarray
    measure_every: int
    sweeps: int
    T: float
    random_bits: str
    seed: int


def _check_models(model_or_models) -> tuple[list[LatticeModel], bool]:
    single = isinstance(model_or_models, LatticeModel)
    if not single and not isinstance(model_or_models, (list, tuple)):
        raise TypeError(
            f"model_or_models must be a lattice model or a list of them, got {type(model_or_models).__name__}"
        )
    models = [model_or_models] if single else list(model_or_models)
    if not models or not all(isinstance(m, LatticeModel) for m in models):
        raise TypeError("model_or_models must be a lattice model (spinlab.models.ea) or a non-empty list of them")
    first = models[0]
    if any((m.L, m.d) != (first.L, first.d) for m in models):
        raise ValueError("model_or_models must share one lattice (same L and d)")
    return models, single


def _pack_couplings(models: list[LatticeModel], single: bool, groups: int, visit: np.ndarray) -> np.ndarray:
    """(n z, groups) coupling words, rows in visiting order; checks that every sample is ±J without field.

    Bit l of word (row, g) is set where the coupling is -1 for sample 64 g + l; lanes past the
    last sample repeat sample 0 (their results are dropped).
    """
    n, z = models[0].bonds.shape
    lane_models = models * 64 if single else models + [models[0]] * (groups * 64 - len(models))
    signs = np.zeros((groups, n * z), dtype=np.uint64)
    others = _kernels.pack_signs(np.stack([m.bonds.reshape(-1) for m in lane_models]), signs)
    others[: len(models)] |= np.stack([m.h for m in models]).any(axis=1)
    if others.any():
        bad = lane_models[int(np.argmax(others))].name
        raise ValueError(f"multispin coding needs ±1 couplings and zero field; {bad} has others")
    return np.ascontiguousarray(signs.T.reshape(n, z, groups)[visit].reshape(n * z, groups))


def _unpack(words: np.ndarray) -> np.ndarray:
    """(...) uint64 -> (64, ...) booleans."""
    octets = np.ascontiguousarray(words, dtype="<u8")[..., None].view(np.uint8)  # (..., 8)
    return np.moveaxis(np.unpackbits(octets, axis=-1, bitorder="little"), -1, 0).astype(bool)


def multispin_metropolis(
    model_or_models,
    T: float,
    sweeps: int,
    *,
    replicas: int = 1,
    seed: SeedLike = None,
    random_bits: str = "independent",
    measure_every: int = 1,
) -> MultispinResult:
    """Metropolis sweeps of many ±J lattice systems at once, 64 per word.

    Parameters
    ----------
    model_or_models : LatticeModel or list of LatticeModel
        ±1 couplings, zero field, one shared lattice. A list gives one system per sample; a
        single model gives 64 independent replicas of it.
    T : float
        Temperature (units of J).
    sweeps : int
        Sequential sweeps over all sites.
    replicas : int
        Independent words per group of 64 systems (>= 2 for overlaps).
    seed : int, SeedSequence, Generator or None
        Word (g, r) uses child ``g * replicas + r`` of ``SeedSequence(seed).spawn(groups * replicas)``:
        its first child draws the initial spins, its second seeds the word's SplitMix64 stream.
    random_bits : {"independent", "shared"}
        See the module docstring: "shared" is faster, valid for lists of samples only.
    measure_every : int
        Sweeps between measurements of energy, magnetisation and overlaps.

    Examples
    --------
    >>> import spinlab
    >>> samples = [spinlab.models.ea(4, d=3, seed=s) for s in range(64)]
    >>> res = multispin_metropolis(samples, 1.5, 20, seed=1, random_bits="shared")
    >>> res.energy.shape
    (1, 64, 20)
    """
    models, single = _check_models(model_or_models)
    T = check_temperature(T)
    sweeps = check_int(sweeps, "sweeps", minimum=1)
    replicas = check_int(replicas, "replicas", minimum=1)
    measure_every = check_int(measure_every, "measure_every", minimum=1, maximum=sweeps)
    shared = check_choice(random_bits, "random_bits", ("independent", "shared")) == "shared"
    if shared and single:
        raise ValueError(
            "random_bits='shared' correlates the 64 lanes of a word, which is only valid when lanes are "
            "different disorder samples: pass a list of models, or use random_bits='independent'"
        )
    first = models[0]
    n, z = first.n, first.neighbours.shape[1]
    systems = 64 if single else len(models)
    groups = -(-systems // 64)
    # sites renumbered sublattice by sublattice (checkerboard): the kernel sweeps 0..n-1 in that order
    coords = np.stack([(np.arange(n) // first.L**a) % first.L for a in range(first.d)], axis=1)
    parity = coords.sum(axis=1) % 2
    visit = np.concatenate([np.flatnonzero(parity == 0), np.flatnonzero(parity == 1)])
    position = np.empty(n, dtype=np.int64)
    position[visit] = np.arange(n)
    neighbours = np.ascontiguousarray(position[first.neighbours[visit]]).astype(np.uint32)
    words = groups * replicas  # word w = g * replicas + r
    couplings = np.ascontiguousarray(np.repeat(_pack_couplings(models, single, groups, visit), replicas, axis=1))
    root = seed_sequence(seed)
    spins = np.empty((n, words), dtype=np.uint64)
    rng = np.empty(words, dtype=np.uint64)
    for w, child in enumerate(root.spawn(words)):
        init, stream = child.spawn(2)
        spins[:, w] = np.random.default_rng(init).integers(0, 2**64, size=n, dtype=np.uint64, endpoint=False)[visit]
        rng[w] = stream.generate_state(1, dtype=np.uint64)[0]
    thresholds = np.full(3, 2**32, dtype=np.uint64)
    for u in range((z + 1) // 2):
        thresholds[u] = np.uint64(min(np.exp(-2.0 * (z - 2 * u) / T) * 2.0**32, 2.0**32 - 1))
    bit = np.uint64(1) << np.arange(32, dtype=np.uint64)
    masks = np.where((thresholds[:, None] & bit[None, :]) != 0, np.uint64(2**64 - 1), np.uint64(0)).astype(np.uint64)
    measurements = sweeps // measure_every
    pairs = np.array(list(combinations(range(replicas), 2)), dtype=np.int64).reshape(-1, 2)
    word_pairs = (np.arange(groups)[:, None, None] * replicas + pairs[None]).reshape(-1, 2)
    unsat = np.zeros((words, 64, measurements), dtype=np.int64)
    ones = np.zeros_like(unsat)
    diff = np.zeros((word_pairs.shape[0], 64, measurements), dtype=np.int64)
    counter = np.zeros(int(np.ceil(np.log2(n * z + 2))) + 1, dtype=np.uint64)
    _kernels.multispin_run(
        neighbours,
        couplings,
        spins,
        rng,
        thresholds,
        masks,
        shared,
        0,
        sweeps,
        measure_every,
        word_pairs,
        counter,
        unsat,
        ones,
        diff,
    )
    final_words = np.empty_like(spins)
    final_words[visit] = spins  # back to the model's site numbering

    def lanes_first(a):  # (groups * X, 64, M) -> (X, systems, M)
        a = a.reshape(groups, -1, 64, a.shape[-1])
        return np.concatenate(list(a), axis=1) if a.shape[1] else a[0]

    bonds_total = n * z // 2
    energy = lanes_first((2.0 * unsat - bonds_total) / n)[:, :systems]
    magnet = lanes_first((2.0 * ones - n) / n)[:, :systems]
    overlaps = lanes_first(1.0 - 2.0 * diff / n)[:, :systems] if replicas >= 2 else None
    final = np.where(_unpack(final_words.T), 1, -1).astype(np.int8)  # (64, words, n)
    final = final.reshape(64, groups, replicas, n).transpose(2, 1, 0, 3).reshape(replicas, groups * 64, n)
    final = final[:, :systems]
    return MultispinResult(
        energy=energy,
        magnetization=magnet,
        overlaps=overlaps,
        pairs=pairs if replicas >= 2 else None,
        spins=np.ascontiguousarray(final),
        measure_every=measure_every,
        sweeps=sweeps,
        T=T,
        random_bits=random_bits,
        seed=int(root.entropy),
    )
