"""Direct and cover encodings of a problem, analysed exhaustively and by walks.

*Direct encoding*: the genotype is the spin configuration itself, ``s_i = 1 - 2 g_i``. *Cover encoding*: the
genotype ``y`` in ``{0, 1}^n`` selects the free sites; pinned sites (``y_i = 0``) are fixed to ``s_i = +1`` and the
decoder (:func:`decode`) completes the free ones: ``decoder="greedy"`` (any problem) or ``"differencing"``
(Karmarkar–Karp, number partitioning only; the pinned items then form one block that may land on either side).
Each genotype thus stands for the restricted problem "optimise over the free sites", and the decoder is a cheap
stand-in for its exact solution (the *oracle*). Both
genotype spaces have ``2**n`` points and the same move set, single bit flips, so their landscapes can be compared
point by point.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .._rng import SeedLike, child, seed_sequence, xoshiro_states
from .._validate import check_choice, check_int
from . import _kernels as K
from .problems import Problem, _check_problem

ENCODINGS = ("direct", "cover")
DECODERS = ("greedy", "differencing")
RULES = ("steepest", "first")
MAX_EXHAUSTIVE = 22


def _encoding_code(problem: Problem, encoding: str, decoder: str) -> int:
    encoding = check_choice(encoding, "encoding", ENCODINGS)
    decoder = check_choice(decoder, "decoder", DECODERS)
    if encoding == "direct":
        return K.DIRECT
    if decoder == "differencing":
        if problem.kind != "partition":
            raise ValueError("decoder='differencing' (Karmarkar–Karp) needs a partition problem; use 'greedy'")
        return K.COVER_DIFFERENCING
    return K.COVER


def decode(problem: Problem, genotype, *, decoder: str = "greedy") -> np.ndarray:
    """Phenotype (int8 spins) of cover-encoding genotypes: one ``(n,)`` or a batch ``(k, n)`` of 0/1 flags.

    ``decoder="greedy"``: pinned sites (0) hold +1; the free sites (1) are visited in ``problem.order`` (decreasing
    weight, or decreasing ``sum_j |J_ij|``) and each takes the sign of its field from the sites already set; a zero
    field gives +1. For number partitioning this is the rule "put the next largest free item on the lighter side".

    ``decoder="differencing"`` (number partitioning): the pinned items are merged into one number, their sum, and
    Karmarkar–Karp differencing runs on it and the free items: the two largest numbers are repeatedly replaced by
    their difference, which sends their blocks to opposite sides.

    Examples
    --------
    >>> from spinlab.encodings import partition_problem
    >>> p = partition_problem([8, 7, 6, 5, 4])
    >>> decode(p, [1, 1, 1, 1, 1])  # all free: the greedy heuristic, residue 4
    array([ 1, -1, -1,  1,  1], dtype=int8)
    >>> decode(p, [0, 0, 1, 1, 1])  # pin 8 and 7 on one side: the others go opposite, residue 0
    array([ 1,  1, -1, -1, -1], dtype=int8)
    >>> decode(p, [1, 1, 1, 1, 1], decoder="differencing")  # Karmarkar–Karp: 8-7=1, 6-5=1, 4-1=3, 3-1=2
    array([-1,  1, -1,  1,  1], dtype=int8)
    """
    problem = _check_problem(problem)
    code = _encoding_code(problem, "cover", decoder)
    arr = np.asarray(genotype)
    if arr.dtype.kind not in "iub":
        raise TypeError(f"genotype must be an integer or boolean array of 0/1 flags, got dtype {arr.dtype}")
    if arr.ndim not in (1, 2) or arr.shape[-1] != problem.n:
        raise ValueError(f"genotype must have shape ({problem.n},) or (k, {problem.n}), got shape {arr.shape}")
    if not np.all((arr == 0) | (arr == 1)):
        raise ValueError("genotype must contain only 0 (pinned) and 1 (free)")
    batch = np.atleast_2d(arr).astype(np.int64)
    codes = batch @ (np.int64(1) << np.arange(problem.n, dtype=np.int64))
    out = np.empty(batch.shape, dtype=np.int8)
    h = np.empty(problem.n)
    label = np.empty(problem.n, dtype=np.int64)
    for row, g in enumerate(codes):
        K.genotype_cost(problem.code, code, problem.J, problem.weights, problem.order, int(g), out[row], h, label)
    return out[0] if arr.ndim == 1 else out


def genotype_bits(index: int, n: int) -> np.ndarray:
    """The 0/1 flags of genotype number ``index`` (bit ``i`` is flag ``i``).

    Examples
    --------
    >>> genotype_bits(6, 4)
    array([0, 1, 1, 0], dtype=int8)
    """
    n = check_int(n, "n", minimum=1, maximum=62)
    index = check_int(index, "index", minimum=0, maximum=2**n - 1)
    return ((index >> np.arange(n)) & 1).astype(np.int8)


@dataclass(frozen=True, eq=False)
class Landscape:
    """Exhaustive analysis of one encoding of a problem (all ``2**n`` genotypes, single-flip moves).

    Attributes
    ----------
    problem : the :class:`Problem`.
    encoding : ``"direct"``, ``"cover"`` or ``"block"`` (see :func:`spinlab.encodings.block_landscape`).
    decoder : ``""`` (direct), ``"greedy"``, ``"differencing"`` (cover) or ``"exact"`` (block).
    costs : (2**n,) cost of every genotype (residue, or energy per spin).
    phenotypes : (2**n,) canonical phenotype index in ``[0, 2**(N-1))`` (N fine spins, ``s_0 = +1`` gauge).
    is_minimum : (2**n,) bool, genotype belongs to a local-minimum plateau.
    n_minima : number of local minima, counted as plateaus (maximal equal-cost connected sets) with no strictly
        lower neighbour.
    n_traps : local minima whose cost exceeds the global minimum.
    global_min : the lowest cost (equal to the problem's optimum unless the decoder never reaches it).
    optimum : the problem's optimum over all spin configurations.
    rho1 : exact autocorrelation of costs between neighbours, ``1 - <(f(x) - f(y))^2> / (2 Var f)``.
    """

    problem: Problem
    encoding: str
    decoder: str
    costs: np.ndarray = field(repr=False)
    phenotypes: np.ndarray = field(repr=False)
    is_minimum: np.ndarray = field(repr=False)
    n_minima: int
    n_traps: int
    global_min: float
    optimum: float
    rho1: float

    @property
    def n(self) -> int:
        """Number of genotype bits."""
        return int(np.log2(self.costs.shape[0]))

    @property
    def correlation_length(self) -> float:
        """Weinberger's correlation length ``-1 / ln rho(1)`` in flips (``inf`` if ``rho(1) >= 1``)."""
        return float(-1.0 / np.log(self.rho1)) if 0 < self.rho1 < 1 else float("inf")

    @property
    def optimal_fraction(self) -> float:
        """Fraction of genotypes whose phenotype is optimal (cost within 1e-12 of the optimum)."""
        return float(np.mean(self.costs <= self.optimum + 1e-12 * max(1.0, abs(self.optimum))))

    def preimage_sizes(self) -> np.ndarray:
        """Number of genotypes decoding to each phenotype class (length ``2**(N-1)``; sums to ``2**n``)."""
        return np.bincount(self.phenotypes, minlength=2 ** (self.problem.n - 1))

    def phenotype_costs(self) -> np.ndarray:
        """Cost of each phenotype class (length ``2**(N-1)``), from the direct encoding of the problem."""
        return _table(self.problem, K.DIRECT)[0][0::2]  # direct genotype 2k has s_0 = +1 and phenotype index k


def _table(problem: Problem, encoding: int) -> tuple[np.ndarray, np.ndarray]:
    n = problem.n
    costs = np.empty(2**n)
    codes = np.empty(2**n, dtype=np.int64)
    K.landscape_table(problem.code, encoding, problem.J, problem.weights, problem.order, n, costs, codes)
    return costs, codes


def _analyse(problem: Problem, encoding: str, decoder: str, costs, codes, optimum: float) -> Landscape:
    n = int(np.log2(costs.shape[0]))
    is_minimum = np.empty(costs.shape[0], dtype=np.bool_)
    labels = np.empty(costs.shape[0], dtype=np.int64)
    n_minima = K.plateau_minima(costs, n, is_minimum, labels)
    tol = 1e-12 * max(1.0, abs(optimum))
    n_traps = np.unique(labels[is_minimum & (costs > optimum + tol)]).shape[0]
    return Landscape(
        problem,
        encoding,
        decoder,
        costs,
        codes,
        is_minimum,
        int(n_minima),
        int(n_traps),
        float(costs.min()),
        float(optimum),
        float(K.neighbour_rho(costs, n)),
    )


def exhaustive(problem: Problem, encoding: str = "direct", *, decoder: str = "greedy") -> Landscape:
    """Tabulate and analyse all ``2**n`` genotypes of one encoding (n <= 22).

    Parameters
    ----------
    problem : a :class:`Problem`.
    encoding : ``"direct"`` (genotype = spins) or ``"cover"`` (genotype = free-site flags).
    decoder : ``"greedy"`` or ``"differencing"`` (partitioning only); see :func:`decode`. Ignored when direct.

    Examples
    --------
    >>> from spinlab.encodings import partition_problem
    >>> p = partition_problem([8, 7, 6, 5, 4])
    >>> d, c = exhaustive(p, "direct"), exhaustive(p, "cover")
    >>> d.optimum, c.global_min, int(c.preimage_sizes().sum())
    (0.0, 0.0, 32)
    """
    problem = _check_problem(problem)
    code = _encoding_code(problem, encoding, decoder)
    check_int(problem.n, "problem.n", maximum=MAX_EXHAUSTIVE)
    direct_costs, direct_codes = _table(problem, K.DIRECT)
    optimum = float(direct_costs.min())
    if code == K.DIRECT:
        return _analyse(problem, encoding, "", direct_costs, direct_codes, optimum)
    costs, codes = _table(problem, code)
    return _analyse(problem, encoding, decoder, costs, codes, optimum)


@dataclass(frozen=True, eq=False)
class Walks:
    """Adaptive walks (strict descent under single flips) from uniform random genotypes.

    Attributes
    ----------
    rule : ``"steepest"`` or ``"first"`` (first improvement in random order).
    neutral : whether equal-cost moves were allowed off non-minimum plateaus.
    final_genotypes : (n_walks,) genotype index where each walk stopped.
    final_costs : (n_walks,) cost there.
    steps : (n_walks,) number of accepted moves.
    success : fraction of walks that stopped at the problem's optimum.
    error : binomial standard error of ``success``.
    seed : the seed entropy used.
    """

    rule: str
    neutral: bool
    final_genotypes: np.ndarray = field(repr=False)
    final_costs: np.ndarray = field(repr=False)
    steps: np.ndarray = field(repr=False)
    success: float
    error: float
    seed: int


def adaptive_walks(
    landscape: Landscape,
    n_walks: int = 1000,
    *,
    rule: str = "steepest",
    neutral: bool = False,
    max_steps: int = 100_000,
    seed: SeedLike = None,
) -> Walks:
    """Run ``n_walks`` adaptive walks on an exhaustively tabulated landscape and measure how often they succeed.

    A walk moves to a strictly better neighbour (the best one, or the first found in a random order). When none is
    left a plain walk stops; with ``neutral=True`` it drifts over equal-cost neighbours until it sits on a
    local-minimum plateau (or ``max_steps`` moves are spent). Success means stopping at the problem's optimum.

    Examples
    --------
    >>> from spinlab.encodings import partition_problem
    >>> land = exhaustive(partition_problem([8, 7, 6, 5, 4]), "cover")
    >>> w = adaptive_walks(land, 200, seed=1)
    >>> 0.0 <= w.success <= 1.0, w.steps.shape
    (True, (200,))
    """
    if not isinstance(landscape, Landscape):
        raise TypeError(f"landscape must be an encodings.Landscape (from exhaustive), got {type(landscape).__name__}")
    n_walks = check_int(n_walks, "n_walks", minimum=1)
    rule = check_choice(rule, "rule", RULES)
    if not isinstance(neutral, (bool, np.bool_)):
        raise TypeError(f"neutral must be True or False, got {type(neutral).__name__}")
    max_steps = check_int(max_steps, "max_steps", minimum=1)
    root = seed_sequence(seed)
    rng = np.random.default_rng(child(root, 0))
    starts = rng.integers(0, landscape.costs.shape[0], size=n_walks, dtype=np.int64)
    state = xoshiro_states([child(root, 1)])[0]
    final = np.empty(n_walks, dtype=np.int64)
    steps = np.empty(n_walks, dtype=np.int64)
    K.adaptive_walks(
        landscape.costs,
        landscape.n,
        starts,
        rule == "first",
        bool(neutral),
        landscape.is_minimum,
        max_steps,
        state,
        final,
        steps,
    )
    final_costs = landscape.costs[final]
    tol = 1e-12 * max(1.0, abs(landscape.optimum))
    success = float(np.mean(final_costs <= landscape.optimum + tol))
    return Walks(
        rule,
        bool(neutral),
        final,
        final_costs,
        steps,
        success,
        float(np.sqrt(success * (1 - success) / n_walks)),
        root.entropy,
    )


@dataclass(frozen=True, eq=False)
class Autocorrelation:
    """Cost autocorrelation along unbiased random walks of single flips.

    Attributes
    ----------
    encoding : ``"direct"`` or ``"cover"``.
    decoder : ``""`` (direct), ``"greedy"`` or ``"differencing"``.
    lags : (max_lag + 1,) lags in flips.
    rho : (max_lag + 1,) autocorrelation ``rho(k)``, pooled over walks (``rho(0) = 1``).
    correlation_length : ``-1 / ln rho(1)`` in flips.
    """

    encoding: str
    decoder: str
    lags: np.ndarray = field(repr=False)
    rho: np.ndarray = field(repr=False)
    correlation_length: float


def autocorrelation(
    problem: Problem,
    encoding: str = "direct",
    *,
    n_walks: int = 20,
    length: int = 2000,
    max_lag: int = 20,
    decoder: str = "greedy",
    seed: SeedLike = None,
) -> Autocorrelation:
    """Random-walk estimate of the cost autocorrelation ``rho(k)`` (any n <= 62; costs decoded on the fly).

    Each walk starts at a uniform random genotype and flips one uniformly chosen bit per step. ``rho(k)`` is the
    covariance of costs ``k`` steps apart divided by the variance, both pooled over all walks. For a quadratic
    spin-glass energy in the direct encoding the exact result is ``(1 - 4/n)**k``.

    Examples
    --------
    >>> from spinlab.encodings import random_sk
    >>> ac = autocorrelation(random_sk(16, seed=0), n_walks=4, length=4000, max_lag=3, seed=1)
    >>> bool(abs(ac.rho[1] - 0.75) < 0.05)
    True
    """
    problem = _check_problem(problem)
    code = _encoding_code(problem, encoding, decoder)
    n_walks = check_int(n_walks, "n_walks", minimum=1)
    max_lag = check_int(max_lag, "max_lag", minimum=1)
    length = check_int(length, "length", minimum=max_lag + 2)
    states = xoshiro_states(seed_sequence(seed).spawn(n_walks))
    series = np.empty((n_walks, length))
    for w in range(n_walks):
        K.random_walk_costs(
            problem.code, code, problem.J, problem.weights, problem.order, problem.n, states[w], series[w]
        )
    dec = "" if code == K.DIRECT else decoder
    centred = series - series.mean()
    var = np.mean(centred**2)
    if var == 0.0:
        return Autocorrelation(encoding, dec, np.arange(max_lag + 1), np.ones(max_lag + 1), float("inf"))
    rho = np.array([np.mean(centred[:, : length - k] * centred[:, k:]) / var for k in range(max_lag + 1)])
    length_ = float(-1.0 / np.log(rho[1])) if 0 < rho[1] < 1 else float("inf")
    return Autocorrelation(encoding, dec, np.arange(max_lag + 1), rho, length_)
