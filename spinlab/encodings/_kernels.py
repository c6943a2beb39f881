"""Numba kernels of the cover-encoding landscapes.

Genotypes are integers ``g`` in ``[0, 2**n)`` read bit by bit. In the *direct* encoding bit ``i`` set means spin
``s_i = -1``; in the *cover* encodings bit ``i`` set means that site ``i`` is free (``y_i = 1``) and left to a
decoder, while the pinned sites (bit clear) are held together on one side (greedy decoder: ``s_i = +1``).
Problem codes: ``PARTITION`` (cost = residue ``|sum_i a_i s_i|``) and ``SPIN_GLASS`` (cost = ``H(s) / n``
with ``H = -sum_{i<j} J_ij s_i s_j``). Phenotype codes are canonical under the global flip: the configuration is
first flipped so that ``s_0 = +1``, then bits ``1..n-1`` (set for ``s_i = -1``) form an index in
``[0, 2**(n-1))``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .._kernels import next_double

PARTITION = 0
SPIN_GLASS = 1
DIRECT = 0
COVER = 1
COVER_DIFFERENCING = 2


@njit(cache=True)
def spins_of(g, n, out):
    """Direct encoding: write the spins of genotype ``g`` into ``out`` (bit set = spin -1)."""
    for i in range(n):
        out[i] = -1 if (g >> i) & 1 else 1


@njit(cache=True)
def cost_of(kind, J, a, s):
    """Cost of configuration ``s``: residue ``|sum a_i s_i|`` or energy per spin ``H / n``, summed in fixed order."""
    n = s.shape[0]
    if kind == PARTITION:
        total = 0.0
        for i in range(n):
            total += a[i] * s[i]
        return abs(total)
    energy = 0.0
    for i in range(n):
        row = 0.0
        for j in range(i + 1, n):
            row += J[i, j] * s[j]
        energy -= row * s[i]
    return energy / n


@njit(cache=True)
def phenotype_code(s):
    """Canonical index of ``s`` modulo the global flip (``s_0`` taken as +1)."""
    n = s.shape[0]
    flip = s[0] < 0
    code = 0
    for i in range(1, n):
        minus = s[i] < 0
        if minus != flip:
            code |= 1 << (i - 1)
    return code


@njit(cache=True)
def decode(kind, J, a, order, g, s, h):
    """Cover encoding: greedy completion of the pinned configuration selected by genotype ``g``.

    Pinned sites (bit clear) get ``s_i = +1``. Free sites are visited in ``order`` and each is set to the sign of
    its field from the sites already set (pinned and earlier free ones); a zero field gives +1. For number
    partitioning this puts item ``i`` on the lighter side, ``s_i = -sign(sum_set a_j s_j)``; for spin glasses
    the field is ``h_i = sum_set J_ij s_j``. ``h`` is workspace of length n.
    """
    n = s.shape[0]
    if kind == PARTITION:
        partial = 0.0
        for i in range(n):
            if (g >> i) & 1:
                s[i] = 0
            else:
                s[i] = 1
                partial += a[i]
        for k in range(n):
            i = order[k]
            if (g >> i) & 1:
                if partial > 0.0:
                    s[i] = -1
                else:
                    s[i] = 1
                partial += a[i] * s[i]
        return
    for i in range(n):
        h[i] = 0.0
        s[i] = 0 if (g >> i) & 1 else 1
    for j in range(n):
        if s[j] != 0:
            for i in range(n):
                h[i] += J[i, j]
    for k in range(n):
        i = order[k]
        if (g >> i) & 1:
            s[i] = -1 if h[i] < 0.0 else 1
            for m in range(n):
                h[m] += J[m, i] * s[i]


@njit(cache=True)
def decode_differencing(a, g, s, value, label):
    """Cover encoding of number partitioning with the Karmarkar–Karp differencing decoder.

    The pinned items (bit clear) are merged into one number, their sum, standing for a block that stays on one
    side. Then, as in Karmarkar–Karp, the two largest remaining numbers are replaced by their difference, which
    puts their blocks on opposite sides, until one number, the residue, is left. A block is named by one of its
    sites (a free site, the first pinned site, or after a merge the name of the larger block), ties go to the
    lower name, and ``label`` holds each site's block. ``value`` and ``label`` are workspaces of length n.
    """
    n = s.shape[0]
    root = -1
    for i in range(n):
        s[i] = 1
        value[i] = -1.0
        if (g >> i) & 1:
            label[i] = i
            value[i] = a[i]
        else:
            if root < 0:
                root = i
                value[i] = 0.0
            label[i] = root
            value[root] += a[i]
    while True:
        x = -1
        y = -1
        for i in range(n):
            if value[i] < 0.0:
                continue
            if x < 0 or value[i] > value[x]:
                y = x
                x = i
            elif y < 0 or value[i] > value[y]:
                y = i
        if y < 0:
            return
        value[x] -= value[y]
        value[y] = -1.0
        for i in range(n):
            if label[i] == y:
                label[i] = x
                s[i] = -s[i]


@njit(cache=True)
def genotype_cost(kind, encoding, J, a, order, g, s, h, label):
    """Cost of genotype ``g`` in the given encoding; the phenotype is left in ``s`` (``h``, ``label``: workspace)."""
    n = s.shape[0]
    if encoding == DIRECT:
        spins_of(g, n, s)
    elif encoding == COVER:
        decode(kind, J, a, order, g, s, h)
    else:
        decode_differencing(a, g, s, h, label)
    return cost_of(kind, J, a, s)


@njit(cache=True)
def landscape_table(kind, encoding, J, a, order, n, costs, codes):
    """Exhaustive table over all ``2**n`` genotypes: cost and canonical phenotype code of each."""
    s = np.empty(n, dtype=np.int8)
    h = np.empty(n)
    label = np.empty(n, dtype=np.int64)
    for g in range(1 << n):
        costs[g] = genotype_cost(kind, encoding, J, a, order, g, s, h, label)
        codes[g] = phenotype_code(s)


@njit(cache=True)
def _root(parent, x):
    while parent[x] != x:
        parent[x] = parent[parent[x]]
        x = parent[x]
    return x


@njit(cache=True)
def plateau_minima(costs, n, is_minimum, labels):
    """Local minima of a hypercube landscape counted as neutral plateaus.

    A plateau is a maximal set of genotypes connected by single flips of equal cost. It is a local minimum when no
    member has a neighbour of strictly lower cost. Writes each genotype's plateau label (its smallest member) into
    ``labels``, marks the genotypes of minimum plateaus in ``is_minimum`` and returns the number of minimum plateaus.
    """
    size = costs.shape[0]
    parent = np.arange(size)
    exit_ = np.zeros(size, dtype=np.bool_)
    for g in range(size):
        for i in range(n):
            other = g ^ (1 << i)
            if costs[other] < costs[g]:
                exit_[g] = True
            elif other > g and costs[other] == costs[g]:
                ra = _root(parent, g)
                rb = _root(parent, other)
                if ra != rb:
                    parent[max(ra, rb)] = min(ra, rb)
    has_exit = np.zeros(size, dtype=np.bool_)
    for g in range(size):
        if exit_[g]:
            has_exit[_root(parent, g)] = True
    count = 0
    for g in range(size):
        r = _root(parent, g)
        labels[g] = r
        is_minimum[g] = not has_exit[r]
        if r == g and not has_exit[g]:
            count += 1
    return count


@njit(cache=True)
def neighbour_rho(costs, n):
    """Exact one-step autocorrelation ``1 - E[(f(x) - f(y))^2] / (2 Var f)``, x uniform, y a uniform neighbour."""
    size = costs.shape[0]
    mean = 0.0
    for g in range(size):
        mean += costs[g]
    mean /= size
    var = 0.0
    for g in range(size):
        var += (costs[g] - mean) ** 2
    var /= size
    if var == 0.0:
        return 1.0
    diff = 0.0
    for g in range(size):
        for i in range(n):
            diff += (costs[g] - costs[g ^ (1 << i)]) ** 2
    diff /= size * n
    return 1.0 - diff / (2.0 * var)


@njit(cache=True)
def adaptive_walks(costs, n, starts, first_improvement, neutral, is_minimum, max_steps, state, final, steps):
    """Adaptive walks on a tabulated landscape under single flips.

    A strictly better neighbour is always taken: the best one (steepest descent, lowest index among equals) or the
    first found in a fresh random order (first improvement). Without one, a plain walk stops; a ``neutral`` walk
    stops only on a local-minimum plateau (``is_minimum``) and otherwise moves to a uniformly chosen neighbour of
    equal cost. ``steps`` counts accepted moves; a walk is cut after ``max_steps`` moves.
    """
    perm = np.arange(n)
    for w in range(starts.shape[0]):
        g = starts[w]
        count = 0
        while count < max_steps:
            best = g
            if first_improvement:
                for k in range(n - 1, 0, -1):
                    j = int(next_double(state) * (k + 1))
                    perm[k], perm[j] = perm[j], perm[k]
                for k in range(n):
                    other = g ^ (1 << perm[k])
                    if costs[other] < costs[g]:
                        best = other
                        break
            else:
                for i in range(n):
                    other = g ^ (1 << i)
                    if costs[other] < costs[best]:
                        best = other
            if best == g and neutral and not is_minimum[g]:
                n_equal = 0
                for i in range(n):
                    if costs[g ^ (1 << i)] == costs[g]:
                        n_equal += 1
                pick = int(next_double(state) * n_equal)
                for i in range(n):
                    if costs[g ^ (1 << i)] == costs[g]:
                        if pick == 0:
                            best = g ^ (1 << i)
                            break
                        pick -= 1
            if best == g:
                break
            g = best
            count += 1
        final[w] = g
        steps[w] = count


@njit(cache=True)
def random_walk_costs(kind, encoding, J, a, order, n, state, out):
    """Costs along one unbiased random walk of single flips from a uniform random genotype (``n <= 62``)."""
    s = np.empty(n, dtype=np.int8)
    h = np.empty(n)
    label = np.empty(n, dtype=np.int64)
    g = 0
    for i in range(n):
        if next_double(state) < 0.5:
            g |= 1 << i
    for t in range(out.shape[0]):
        out[t] = genotype_cost(kind, encoding, J, a, order, g, s, h, label)
        g ^= 1 << int(next_double(state) * n)


@njit(cache=True)
def block_table(fine_costs, n, members, sizes, majority, coarse_costs, argmin):
    """Minimum of the fine costs over every block configuration (zero-temperature blocking).

    Block ``b`` holds sites ``members[b, :sizes[b]]``; its spin is the majority of them (odd sizes) or, for
    decimation, the spin of its first member. Coarse bit ``b`` set means block spin -1.
    """
    m = sizes.shape[0]
    for c in range(1 << m):
        coarse_costs[c] = np.inf
        argmin[c] = -1
    for g in range(1 << n):
        c = 0
        for b in range(m):
            if majority:
                total = 0
                for k in range(sizes[b]):
                    total += 1 - 2 * ((g >> members[b, k]) & 1)
                minus = total < 0
            else:
                minus = (g >> members[b, 0]) & 1 == 1
            if minus:
                c |= 1 << b
        if fine_costs[g] < coarse_costs[c]:
            coarse_costs[c] = fine_costs[g]
            argmin[c] = g
