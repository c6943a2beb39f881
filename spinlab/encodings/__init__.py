"""Cover encodings of rugged landscapes (Klemm, Mehta and Stadler, Bull. Math. Biol. 80, 2154 (2018)).

A *genotype* is mapped to a configuration (the *phenotype*) by a deterministic heuristic, and local search runs on
the genotypes. Here both problems are Ising problems on n spins: number partitioning (cost = residue
``|sum a_i s_i|``) and spin glasses (cost = ``H / n``, ``H = -sum_{i<j} J_ij s_i s_j``).

- :mod:`~spinlab.encodings.problems` — instances: :func:`partition_problem`, :func:`random_partition`,
  :func:`spin_glass_problem`, :func:`random_sk`, :func:`random_chain`, :func:`cost`.
- :mod:`~spinlab.encodings.landscape` — the direct encoding (genotype = spins) and the cover encoding (genotype =
  set of free sites, pinned sites held together, completion by a greedy or a Karmarkar–Karp decoder,
  :func:`decode`); :func:`exhaustive` local-minimum counts, preimage sizes and exact one-step autocorrelation
  for n <= 22; :func:`adaptive_walks`; :func:`autocorrelation` along random walks.
- :mod:`~spinlab.encodings.blocking` — zero-temperature real-space blocking (majority rule, decimation) with the
  same analysis, the renormalisation-group analogue of a coarse-graining encoding; exact chain decimation.
- :mod:`~spinlab.encodings.scan` — local-minimum counts and walk success against n over random instances.
"""

from .blocking import BLOCK_RULES, block_landscape, block_spins, contiguous_blocks, decimate_chain
from .landscape import (
    DECODERS,
    ENCODINGS,
    RULES,
    Autocorrelation,
    Landscape,
    Walks,
    adaptive_walks,
    autocorrelation,
    decode,
    exhaustive,
    genotype_bits,
)
from .problems import (
    KINDS,
    Problem,
    chain_couplings,
    cost,
    partition_problem,
    random_chain,
    random_partition,
    random_sk,
    spin_glass_problem,
)
from .scan import MinimaScan, minima_scan

__all__ = [
    "BLOCK_RULES",
    "DECODERS",
    "ENCODINGS",
    "KINDS",
    "RULES",
    "Autocorrelation",
    "Landscape",
    "MinimaScan",
    "Problem",
    "Walks",
    "adaptive_walks",
    "autocorrelation",
    "block_landscape",
    "block_spins",
    "chain_couplings",
    "contiguous_blocks",
    "cost",
    "decimate_chain",
    "decode",
    "exhaustive",
    "genotype_bits",
    "minima_scan",
    "partition_problem",
    "random_chain",
    "random_partition",
    "random_sk",
    "spin_glass_problem",
]
