"""Local-minimum counts, correlation and adaptive-walk success against system size, over random instances."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from tqdm.auto import tqdm

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_choice, check_int
from .landscape import DECODERS, MAX_EXHAUSTIVE, RULES, adaptive_walks, exhaustive
from .problems import KINDS, random_partition, random_sk


@dataclass(frozen=True, eq=False)
class MinimaScan:
    """Exhaustive statistics of the direct and cover encodings over ``n_instances`` random instances per size.

    Every array has shape ``(2, len(sizes), n_instances)``; axis 0 is the encoding (0 = direct, 1 = cover).

    Attributes
    ----------
    kind : ``"partition"`` or ``"spin_glass"`` (SK).
    decoder : decoder of the cover encoding.
    sizes : (len(sizes),) numbers of spins.
    n_minima : local minima (plateaus) per instance.
    n_traps : local minima above the optimum.
    rho1 : exact one-step autocorrelation.
    success : fraction of adaptive walks that reach the optimum.
    optimal_fraction : fraction of genotypes that decode to an optimum.
    """

    kind: str
    decoder: str
    sizes: np.ndarray
    n_minima: np.ndarray = field(repr=False)
    n_traps: np.ndarray = field(repr=False)
    rho1: np.ndarray = field(repr=False)
    success: np.ndarray = field(repr=False)
    optimal_fraction: np.ndarray = field(repr=False)
    seed: int = 0

    def mean(self, name: str) -> np.ndarray:
        """Instance average of one statistic, shape ``(2, len(sizes))``."""
        return getattr(self, name).mean(axis=-1)

    def error(self, name: str) -> np.ndarray:
        """Standard error of the instance average, shape ``(2, len(sizes))``."""
        values = getattr(self, name)
        return values.std(axis=-1, ddof=1) / np.sqrt(values.shape[-1]) if values.shape[-1] > 1 else 0 * values[..., 0]


def minima_scan(
    kind: str,
    sizes,
    n_instances: int = 10,
    *,
    n_walks: int = 200,
    rule: str = "steepest",
    neutral: bool = False,
    decoder: str = "greedy",
    bits: int = 20,
    seed: SeedLike = None,
    progress: bool = False,
) -> MinimaScan:
    """Exhaustive local-minimum counts and adaptive-walk success of both encodings for each size in ``sizes``.

    ``decoder`` selects the cover encoding's decoder (``"differencing"`` only for partitioning); walks follow
    ``rule`` and ``neutral`` as in :func:`adaptive_walks`. Every instance has its own child seed, so results are
    reproducible and independent of the other sizes. Partitioning instances use integers in ``1 .. 2**bits``;
    spin glasses are SK.

    Examples
    --------
    >>> s = minima_scan("partition", [6, 8], 3, n_walks=50, seed=0)
    >>> s.n_minima.shape, bool((s.n_minima >= 1).all())
    ((2, 2, 3), True)
    """
    kind = check_choice(kind, "kind", KINDS)
    rule = check_choice(rule, "rule", RULES)
    decoder = check_choice(decoder, "decoder", DECODERS)
    if decoder == "differencing" and kind != "partition":
        raise ValueError("decoder='differencing' (Karmarkar–Karp) needs kind='partition'; use 'greedy'")
    sizes = np.asarray([check_int(int(n), "sizes", minimum=3, maximum=MAX_EXHAUSTIVE) for n in np.atleast_1d(sizes)])
    n_instances = check_int(n_instances, "n_instances", minimum=1)
    n_walks = check_int(n_walks, "n_walks", minimum=1)
    root = seed_sequence(seed)
    shape = (2, sizes.shape[0], n_instances)
    out = {name: np.empty(shape) for name in ("n_minima", "n_traps", "rho1", "success", "optimal_fraction")}
    bar = tqdm(total=sizes.shape[0] * n_instances, desc="instances", unit="instance", disable=not progress)
    for a, n in enumerate(sizes):
        for k in range(n_instances):
            seeds = child(child(root, int(n)), k).spawn(2)
            if kind == "partition":
                problem = random_partition(int(n), bits=bits, seed=seeds[0])
            else:
                problem = random_sk(int(n), seed=seeds[0])
            for e, encoding in enumerate(("direct", "cover")):
                land = exhaustive(problem, encoding, decoder=decoder)
                out["n_minima"][e, a, k] = land.n_minima
                out["n_traps"][e, a, k] = land.n_traps
                out["rho1"][e, a, k] = land.rho1
                out["optimal_fraction"][e, a, k] = land.optimal_fraction
                out["success"][e, a, k] = adaptive_walks(
                    land, n_walks, rule=rule, neutral=neutral, seed=child(seeds[1], e)
                ).success
            bar.update()
    bar.close()
    return MinimaScan(kind, decoder, sizes, seed=root.entropy, **out)
