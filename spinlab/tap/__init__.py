"""TAP mean-field equations, their solutions and free energies, and approximate message passing (AMP).

Conventions: Ising spins s_i = ±1, H = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i with a dense, symmetric,
zero-diagonal J (SK: J_ij ~ N(0, 1/N), T_c = 1); temperatures in units of J (k_B = 1), beta = 1/T;
free energies per spin in units of J.

* :func:`free_energy`, :func:`gradient`, :func:`residual` — the TAP functional
  f(m) = F_TAP/N, its gradient and the residual of the TAP equations

      m_i = tanh beta (h_i + sum_j J_ij m_j - beta m_i sum_j J_ij^2 (1 - m_j^2)),

  which are exactly the stationarity conditions of f. With ``onsager=False`` all three describe
  naive mean-field theory (no reaction term).
* :func:`solve` — distinct solutions at one temperature (damped iteration from many starts, Newton
  polishing to a residual <= 1e-10), with free energy, Hessian index and Plefka's parameter of each.
* :func:`count_solutions` — distinct solutions on a grid of temperatures, with continuation in
  temperature between grid points.
* :func:`amp` — Bolthausen's iteration, with the Onsager reaction term taken one step back, and
  :func:`state_evolution`, the scalar recursion that predicts its overlaps q_t for large N.
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass

import numpy as np
from scipy import integrate, optimize, special
from tqdm.auto import tqdm

from .._io import load_dataclass, save_dataclass
from .._rng import SeedLike, seed_sequence
from .._validate import (
    check_choice,
    check_couplings,
    check_field,
    check_int,
    check_real,
    check_temperature,
    check_temperatures,
)
from ..models import Model
from ._kernels import quench

__all__ = [
    "ACCEPT",
    "AMPResult",
    "SolutionCount",
    "StateEvolution",
    "TAPSolutions",
    "amp",
    "count_solutions",
    "free_energy",
    "gradient",
    "residual",
    "solve",
    "state_evolution",
]

#: Largest TAP residual max_i |m_i - tanh(beta H_i)| of any solution returned by :func:`solve`.
ACCEPT = 1e-10
_CANDIDATE = 1e-2  # damped-iteration residual below which a start is handed to Newton
_SWITCH = 1e-9  # damped-iteration residual at which a start stops iterating
_MERGE = 1e-4  # candidates closer than this (max-norm) are polished once
_NEWTON_STEPS = 40


# ----------------------------------------------------------------------------------------------
# argument checks
# ----------------------------------------------------------------------------------------------


def _couplings(J) -> np.ndarray:
    if isinstance(J, Model):
        J = J.to_dense()
    return check_couplings(J, "J")


def _check_magnetizations(m, n: int, name: str = "m") -> tuple[np.ndarray, bool]:
    arr = np.asarray(m)
    if arr.dtype.kind not in "iuf" or arr.dtype == bool:
        raise TypeError(f"{name} must be a real array of magnetisations, got dtype {arr.dtype}")
    if arr.ndim not in (1, 2) or arr.shape[-1] != n:
        raise ValueError(f"{name} must have shape ({n},) or (k, {n}), got shape {arr.shape}")
    arr = arr.astype(np.float64)
    if not np.all(np.isfinite(arr)) or np.any(np.abs(arr) > 1.0):
        raise ValueError(f"{name} must hold finite magnetisations with |m_i| <= 1")
    return np.atleast_2d(arr), arr.ndim == 1


def _check_bool(value, name: str) -> bool:
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def _check_fraction(value, name: str) -> float:
    value = check_real(value, name, positive=True)
    if value > 1.0:
        raise ValueError(f"{name} must lie in (0, 1], got {value}")
    return value


# ----------------------------------------------------------------------------------------------
# the TAP functional
# ----------------------------------------------------------------------------------------------


def _sech2(x: np.ndarray) -> np.ndarray:
    """1 - tanh(x)^2 without cancellation for large |x|."""
    e = np.exp(-2.0 * np.abs(x))
    return 4.0 * e / (1.0 + e) ** 2


def _beta_fields(J, J2, beta, h, m, d, lam) -> np.ndarray:
    """beta times the cavity field of every row of m (shape (k, n)); d = 1 - m^2.

    ``lam`` scales the Onsager reaction term: 1 (or True) for TAP, 0 (or False) for naive mean field,
    values in between for the homotopy that switches the reaction term on.
    """
    field = h + m @ J
    if lam:
        field = field - (lam * beta) * m * (d @ J2)
    return beta * field


def _field_jacobian(J, J2, beta, m, d, lam) -> np.ndarray:
    """A_ij = d(beta field_i)/dm_j for one magnetisation vector (symmetric)."""
    if not lam:
        return beta * J
    A = beta * J + (2.0 * lam * beta * beta) * J2 * np.outer(m, m)
    A[np.diag_indices_from(A)] = -lam * beta * beta * (J2 @ d)
    return A


def free_energy(J, T, m, h=0.0, *, onsager: bool = True):
    """TAP free energy per spin f = F_TAP/N (units of J) at magnetisations m.

    With d_i = 1 - m_i^2::

        beta F_TAP = - beta sum_{i<j} J_ij m_i m_j - beta sum_i h_i m_i
                     - (beta^2/2) sum_{i<j} J_ij^2 d_i d_j
                     + sum_i [(1+m_i)/2 ln((1+m_i)/2) + (1-m_i)/2 ln((1-m_i)/2)],

    and f = F_TAP/N. The last sum is minus the entropy of independent spins with means m_i; the
    third term is the Onsager reaction term (dropped with ``onsager=False``, which gives the naive
    mean-field free energy). At m = 0, h = 0 and for SK couplings f -> -T ln 2 - 1/(4T), the
    paramagnetic free energy.

    Parameters
    ----------
    J : (n, n) array or dense spinlab model
        Symmetric couplings with zero diagonal.
    T : float
        Temperature > 0.
    m : (n,) or (k, n) array
        Magnetisations, |m_i| <= 1.
    h : float or (n,) array
        External field.

    Returns
    -------
    float or (k,) array

    Examples
    --------
    >>> import numpy as np
    >>> J = np.array([[0.0, 1.0], [1.0, 0.0]])
    >>> round(free_energy(J, 1.0, [0.0, 0.0]), 6)  # -ln 2 - (1/2) * (1/2) * 1 / 2
    -0.943147
    """
    J = _couplings(J)
    n = J.shape[0]
    T = check_temperature(T)
    beta = 1.0 / T
    hv = check_field(h, n)
    M, single = _check_magnetizations(m, n)
    onsager = _check_bool(onsager, "onsager")
    d = 1.0 - M * M
    energy = -0.5 * np.einsum("ki,ki->k", M @ J, M) - M @ hv
    if onsager:
        energy -= 0.25 * beta * np.einsum("ki,ki->k", d @ (J * J), d)
    plus, minus = 0.5 * (1.0 + M), 0.5 * (1.0 - M)
    neg_entropy = np.sum(special.xlogy(plus, plus) + special.xlogy(minus, minus), axis=1)
    f = (energy + T * neg_entropy) / n
    return float(f[0]) if single else f


def gradient(J, T, m, h=0.0, *, onsager: bool = True):
    """Gradient of :func:`free_energy` with respect to m: df/dm_i (units of J per spin).

        N df/dm_i = T artanh(m_i) - h_i - sum_j J_ij m_j + beta m_i sum_j J_ij^2 (1 - m_j^2),

    so df/dm = 0 is the TAP equation m_i = tanh(beta H_i) (see :func:`residual`). Requires |m_i| < 1.
    """
    J = _couplings(J)
    n = J.shape[0]
    T = check_temperature(T)
    hv = check_field(h, n)
    M, single = _check_magnetizations(m, n)
    if np.any(np.abs(M) >= 1.0):
        raise ValueError("m must satisfy |m_i| < 1 for the gradient (the entropy term diverges at +-1)")
    onsager = _check_bool(onsager, "onsager")
    g = (T * np.arctanh(M) - T * _beta_fields(J, J * J, 1.0 / T, hv, M, 1.0 - M * M, onsager)) / n
    return g[0] if single else g


def residual(J, T, m, h=0.0, *, onsager: bool = True):
    """Max-norm residual of the TAP equations, max_i |m_i - tanh(beta H_i)|, with the TAP field

        H_i = h_i + sum_j J_ij m_j - beta m_i sum_j J_ij^2 (1 - m_j^2)

    (without the last term for ``onsager=False``: naive mean field). Returns a float for one vector
    of magnetisations, an array for a batch (k, n).
    """
    J = _couplings(J)
    n = J.shape[0]
    T = check_temperature(T)
    hv = check_field(h, n)
    M, single = _check_magnetizations(m, n)
    onsager = _check_bool(onsager, "onsager")
    B = _beta_fields(J, J * J, 1.0 / T, hv, M, 1.0 - M * M, onsager)
    r = np.max(np.abs(M - np.tanh(B)), axis=1)
    return float(r[0]) if single else r


def _hessian_index(J, J2, beta, m, onsager: bool) -> int:
    """Number of negative eigenvalues of the Hessian of F_TAP at m.

    The Hessian is diag(1/(1-m^2)) - A; congruence with diag(sqrt(1-m^2)) (Sylvester's law of
    inertia) turns it into I - D^1/2 A D^1/2, which stays well conditioned when spins saturate.
    """
    d = 1.0 - m * m
    s = np.sqrt(d)
    K = np.eye(m.size) - s[:, None] * _field_jacobian(J, J2, beta, m, d, onsager) * s[None, :]
    return int(np.sum(np.linalg.eigvalsh(K) < 0.0))


def _plefka(J2, beta, m) -> float:
    """Plefka's convergence parameter 1 - beta^2 c (1/N) sum_i (1 - m_i^2)^2, c = sum_ij J_ij^2 / N."""
    n = m.size
    c = float(J2.sum()) / n
    return float(1.0 - beta * beta * c * np.mean((1.0 - m * m) ** 2))


# ----------------------------------------------------------------------------------------------
# solver internals
# ----------------------------------------------------------------------------------------------


def _damped_iteration(J, J2, beta, h, M, damping, max_iter, lam):
    """m <- m + a (tanh(beta H(m)) - m) for every row, a halved-ish when the residual grows."""
    k = M.shape[0]
    step = np.full(k, damping)
    previous = np.full(k, np.inf)
    res = np.full(k, np.inf)
    active = np.arange(k)
    for _ in range(max_iter):
        if active.size == 0:
            break
        m = M[active]
        new = np.tanh(_beta_fields(J, J2, beta, h, m, 1.0 - m * m, lam))
        r = np.max(np.abs(new - m), axis=1)
        res[active] = r
        worse = active[r > previous[active]]
        step[worse] = np.maximum(0.7 * step[worse], 0.01)
        previous[active] = r
        m += step[active, None] * (new - m)
        m[np.abs(m) < 1e-150] = 0.0  # denormals near m = 0 slow the matrix products down
        M[active] = m
        active = active[r > _SWITCH]
    return M, res


def _newton(J, J2, beta, h, x, tol, lam, max_steps=_NEWTON_STEPS):
    """Newton's method on x - beta H(tanh x) = 0 (x = artanh m) with backtracking on the residual.

    Returns (x, max-norm residual of tanh x); ``lam`` scales the reaction term as in _beta_fields.
    """
    eye = np.eye(x.size)

    def evaluate(x):
        m, d = np.tanh(x), _sech2(x)
        B = _beta_fields(J, J2, beta, h, m[None, :], d[None, :], lam)[0]
        r = m - np.tanh(B)
        return B, m, d, r, float(np.linalg.norm(r))

    B, m, d, r, norm = evaluate(x)
    for _ in range(max_steps):
        if not np.isfinite(norm) or np.max(np.abs(r)) <= tol:
            break
        jac = eye - _field_jacobian(J, J2, beta, m, d, lam) * d[None, :]
        try:
            dx = np.linalg.solve(jac, B - x)
        except np.linalg.LinAlgError:
            break
        t, accepted = 1.0, False
        for _ in range(20):
            trial = x + t * dx
            if np.all(np.isfinite(trial)):
                state = evaluate(trial)
                if state[4] < norm:
                    accepted = True
                    break
            t *= 0.5
        if not accepted:
            break
        x = trial
        B, m, d, r, norm = state
    worst = float(np.max(np.abs(r))) if np.isfinite(norm) else float("inf")
    return x, worst


def _is_symmetric(h: np.ndarray) -> bool:
    return not np.any(h)


def _canonical(m: np.ndarray, symmetric: bool) -> np.ndarray:
    """At zero field return the member of the pair (m, -m) with a non-negative sum."""
    return -m if symmetric and m.sum() < 0 else m


def _match(m: np.ndarray, found: list[np.ndarray], tol: float, symmetric: bool) -> int:
    """Index of an entry of ``found`` within ``tol`` (max-norm) of m (or of -m at zero field), else -1."""
    for i, other in enumerate(found):
        if np.max(np.abs(m - other)) <= tol or (symmetric and np.max(np.abs(m + other)) <= tol):
            return i
    return -1


def _starting_points(J, h, beta, starts, root, init):
    """Row 0: m = 0. Other rows: quenched random configurations ('quench') or uniform m ('uniform')."""
    n = J.shape[0]
    rng = np.random.default_rng(root)
    M = np.zeros((starts, n))
    if starts == 1:
        return M
    if init == "quench":
        spins = rng.choice(np.array([-1, 1], dtype=np.int8), size=(starts - 1, n))
        quench(J, h, spins)
        M[1:] = spins
    else:
        M[1:] = rng.uniform(-1.0, 1.0, size=(starts - 1, n))
    return M


def _switch_on(J, J2, beta, h, x, tol):
    """Follow a naive mean-field solution (lam = 0) to a TAP solution (lam = 1) by continuation.

    The reaction-term strength lam grows in adaptive steps (Newton at each); the branch is abandoned
    when the step falls below 1e-3 (the solution disappeared, typically at a saddle-node). Returns
    x or None.
    """
    lam, step = 0.0, 0.1
    while lam < 1.0:
        target = min(1.0, lam + step)
        trial, worst = _newton(J, J2, beta, h, x, ACCEPT if target < 1.0 else tol, target, max_steps=15)
        if worst <= ACCEPT:
            x, lam, step = trial, target, min(1.5 * step, 0.25)
        else:
            step *= 0.5
            if step < 1e-3:
                return None
    return x


class _Collector:
    """Distinct solutions (as x = artanh m, canonical sign at zero field) with hit counts."""

    def __init__(self, symmetric: bool, distinct: float):
        self.symmetric, self.distinct = symmetric, distinct
        self.xs: list[np.ndarray] = []
        self.ms: list[np.ndarray] = []
        self.hits: list[int] = []

    def add(self, x: np.ndarray, hits: int = 1) -> bool:
        m = np.tanh(x)
        if self.symmetric and m.sum() < 0:
            x, m = -x, -m
        i = _match(m, self.ms, self.distinct, self.symmetric)
        if i >= 0:
            self.hits[i] += hits
            return False
        self.xs.append(x)
        self.ms.append(m)
        self.hits.append(hits)
        return True


def _candidates(M, res, symmetric):
    """Rows with residual < 1e-2, merged when closer than 1e-4: list of (m, number of rows)."""
    clusters: list[np.ndarray] = []
    sizes: list[int] = []
    for row in np.argsort(res):
        if res[row] > _CANDIDATE:
            break
        m = _canonical(M[row], symmetric)
        i = _match(m, clusters, _MERGE, symmetric)
        if i >= 0:
            sizes[i] += 1
        else:
            clusters.append(m)
            sizes.append(1)
    return list(zip(clusters, sizes, strict=True))


def _to_x(m: np.ndarray) -> np.ndarray:
    return np.arctanh(np.clip(m, -1.0 + 1e-15, 1.0 - 1e-15))


def _search(J, J2, beta, h, starts, root, damping, max_iter, tol, onsager, init, distinct, homotopy):
    """Distinct solutions reached from ``starts`` starts: a _Collector."""
    symmetric = _is_symmetric(h)
    M0 = _starting_points(J, h, beta, starts, root, init)
    found = _Collector(symmetric, distinct)
    lam = 1.0 if onsager else 0.0
    M, res = _damped_iteration(J, J2, beta, h, M0.copy(), damping, max_iter, lam)
    for m, size in _candidates(M, res, symmetric):
        x, worst = _newton(J, J2, beta, h, _to_x(m), tol, lam)
        if worst <= ACCEPT:
            found.add(x, size)
    if onsager and homotopy:
        naive = _Collector(symmetric, distinct)
        M, res = _damped_iteration(J, J2, beta, h, M0, damping, max_iter, 0.0)
        for m, size in _candidates(M, res, symmetric):
            x, worst = _newton(J, J2, beta, h, _to_x(m), ACCEPT, 0.0)
            if worst <= ACCEPT:
                naive.add(x, size)
        for x, size in zip(naive.xs, naive.hits, strict=True):
            y = _switch_on(J, J2, beta, h, x, tol)
            if y is not None:
                found.add(y, size)
    return found


def _describe(J, J2, T, h, xs, onsager):
    """Magnetisations, free energies, residuals, Hessian indices and Plefka parameters of solutions."""
    beta = 1.0 / T
    n = J.shape[0]
    if not xs:
        empty = np.zeros(0)
        return np.zeros((0, n)), empty, empty.copy(), np.zeros(0, dtype=np.int64), empty.copy()
    M = np.tanh(np.array(xs))
    f = np.atleast_1d(free_energy(J, T, M, h, onsager=onsager))
    d = np.array([_sech2(x) for x in xs])
    B = _beta_fields(J, J2, beta, h, M, d, onsager)
    res = np.max(np.abs(M - np.tanh(B)), axis=1)
    index = np.array([_hessian_index(J, J2, beta, m, onsager) for m in M], dtype=np.int64)
    plefka = np.array([_plefka(J2, beta, m) for m in M])
    return M, f, res, index, plefka


@dataclass(frozen=True)
class TAPSolutions:
    """Distinct solutions of the TAP equations at one temperature, sorted by free energy.

    Attributes
    ----------
    magnetizations : (k, n) float64
        m of each solution. At zero field (all h_i = 0) m and -m are the same solution up to the
        global spin flip; only the member with sum_i m_i >= 0 is kept.
    free_energies : (k,) float64
        TAP free energy per spin f = F_TAP/N in units of J (see :func:`free_energy`).
    residuals : (k,) float64
        max_i |m_i - tanh(beta H_i)|, always <= :data:`ACCEPT` = 1e-10.
    index : (k,) int64
        Number of negative eigenvalues of the Hessian of F_TAP: 0 for minima, 1 for saddles with
        one unstable direction, ...
    plefka : (k,) float64
        Plefka's parameter x_P = 1 - beta^2 c (1/N) sum_i (1 - m_i^2)^2 with c = sum_ij J_ij^2 / N
        (= 1 up to O(1/N) for SK). The expansion behind the TAP free energy converges only where
        x_P >= 0; below T_c the paramagnetic solution m = 0 has x_P = 1 - beta^2 < 0 and is unphysical.
    hits : (k,) int64
        Number of (start, route) pairs that ended on each solution. Every start is followed by the
        damped TAP iteration and, with ``homotopy``, also through naive mean field (see :func:`solve`).
    T, h
        Temperature and field (h as an (n,) array).
    starts, converged
        Number of starts, and the number of (start, route) pairs that ended on a returned solution
        (at most ``starts``, or 2 ``starts`` with homotopy).
    symmetric, onsager, homotopy, seed
        Whether m <-> -m was identified (zero field), whether the reaction term was used (False:
        naive mean field), whether the homotopy route ran, and the root seed entropy (a string).
    """

    magnetizations: np.ndarray
    free_energies: np.ndarray
    residuals: np.ndarray
    index: np.ndarray
    plefka: np.ndarray
    hits: np.ndarray
    T: float
    h: np.ndarray
    starts: int
    converged: int
    symmetric: bool
    onsager: bool
    homotopy: bool
    seed: str

    def __len__(self) -> int:
        return int(self.free_energies.size)

    @property
    def count(self) -> int:
        """Number of distinct solutions."""
        return len(self)

    @property
    def q(self) -> np.ndarray:
        """Self-overlap (1/N) sum_i m_i^2 of each solution."""
        return np.mean(self.magnetizations**2, axis=1)

    @property
    def minima(self) -> np.ndarray:
        """Boolean mask of local minima of the TAP free energy (index 0)."""
        return self.index == 0

    @property
    def physical(self) -> np.ndarray:
        """Boolean mask of solutions that satisfy Plefka's condition x_P >= 0."""
        return self.plefka >= 0.0

    def save(self, path) -> None:
        """Write to an ``.npz`` file (numeric arrays only, no pickle)."""
        save_dataclass(self, path)

    @classmethod
    def load(cls, path) -> TAPSolutions:
        """Read a file written by :meth:`save`."""
        loaded = load_dataclass(cls, path)
        fixes = {"T": float(loaded.T), "starts": int(loaded.starts), "converged": int(loaded.converged)}
        fixes |= {"symmetric": bool(loaded.symmetric), "onsager": bool(loaded.onsager), "seed": str(loaded.seed)}
        fixes["homotopy"] = bool(loaded.homotopy)
        return dataclasses.replace(loaded, **fixes)


def solve(
    J,
    T,
    h=0.0,
    *,
    starts: int = 64,
    seed: SeedLike = None,
    damping: float = 0.5,
    tol: float = 1e-12,
    max_iter: int = 1000,
    init: str = "quench",
    onsager: bool = True,
    homotopy: bool = True,
    distinct: float = 1e-6,
) -> TAPSolutions:
    """Distinct solutions of the TAP equations at temperature T, with their TAP free energies.

    Solves m_i = tanh beta (h_i + sum_j J_ij m_j - beta m_i sum_j J_ij^2 (1 - m_j^2)) for
    H = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i. The search has three stages:

    1. Starting points: start 0 is m = 0 (at zero field the paramagnetic solution); the other
       ``starts - 1`` are zero-temperature local minima s (every spin along its local field), each
       reached by a greedy quench from a random configuration (``init="quench"``), or uniform random
       magnetisations in (-1, 1) (``init="uniform"``).
    2. Damped iteration m <- m + a (tanh(beta H(m)) - m), all starts at once, a = ``damping``
       reduced by 30 % whenever a start's residual grows, for at most ``max_iter`` steps. Its
       linearisation is a preconditioned descent of the TAP free energy, so it settles into minima.
    3. Starts whose residual fell below 1e-2 are merged when closer than 1e-4 and polished by Newton's
       method on artanh(m) - beta H(m) = 0 (backtracking on the residual) until the residual is
       <= ``tol``. Only solutions with residual <= 1e-10 are kept; two solutions closer than
       ``distinct`` in max-norm (or m and -m at zero field) are the same.
    4. Homotopy (``homotopy=True``): below T_c the paramagnet m = 0 stays a deep minimum of the TAP
       free energy and swallows most damped iterations. So the same starts are also iterated with
       the naive mean-field equations (no reaction term, many solutions), each naive solution is
       polished, and the reaction term is then switched on, lam = 0 -> 1 in
       m = tanh beta (h + J m - lam beta m J^2 (1 - m^2)), by Newton continuation. Branches that
       reach lam = 1 are TAP solutions; most end earlier, when their solution merges with another.

    The search finds what its starts lead to, not every solution: below T_c the TAP equations of a
    finite sample have many solutions, most of them saddles with tiny basins, and the count returned
    is a lower bound that grows with ``starts``.

    Parameters
    ----------
    J : (n, n) array or dense spinlab model
        Symmetric couplings, zero diagonal (SK: J_ij ~ N(0, 1/n)).
    T : float
        Temperature > 0 in units of J.
    h : float or (n,) array
        External field.
    starts : int
        Number of starting points (>= 1).
    seed : int, SeedSequence, Generator or None
        Seed of the random starting points.
    damping : float in (0, 1]
        Initial step a of the damped iteration.
    tol : float in (0, 1e-10]
        Residual at which Newton polishing stops.
    max_iter : int
        Maximum number of damped-iteration steps.
    init : {"quench", "uniform"}
        Kind of random starting point.
    onsager : bool
        False solves the naive mean-field equations m = tanh(beta (h + J m)) instead.
    homotopy : bool
        Also reach TAP solutions from naive mean-field ones (stage 4; ignored for ``onsager=False``).
    distinct : float
        Max-norm distance below which two solutions are identified.

    Returns
    -------
    TAPSolutions

    Examples
    --------
    >>> import spinlab
    >>> J = spinlab.models.sk(50, seed=1).J
    >>> sols = solve(J, 1.5, starts=8, seed=2)   # above T_c: only the paramagnet
    >>> sols.count, float(abs(sols.magnetizations).max())
    (1, 0.0)
    """
    J = _couplings(J)
    n = J.shape[0]
    T = check_temperature(T)
    hv = check_field(h, n)
    starts = check_int(starts, "starts", minimum=1)
    damping = _check_fraction(damping, "damping")
    tol = check_real(tol, "tol", positive=True)
    if tol > ACCEPT:
        raise ValueError(f"tol must be <= {ACCEPT} (only solutions with residual <= {ACCEPT} are returned), got {tol}")
    max_iter = check_int(max_iter, "max_iter", minimum=1)
    init = check_choice(init, "init", ("quench", "uniform"))
    onsager = _check_bool(onsager, "onsager")
    homotopy = _check_bool(homotopy, "homotopy")
    distinct = check_real(distinct, "distinct", positive=True)
    root = seed_sequence(seed)
    J2 = J * J
    beta = 1.0 / T
    found = _search(J, J2, beta, hv, starts, root, damping, max_iter, tol, onsager, init, distinct, homotopy)
    M, f, res, index, plefka = _describe(J, J2, T, hv, found.xs, onsager)
    order = np.argsort(f, kind="stable")
    return TAPSolutions(
        magnetizations=M[order],
        free_energies=f[order],
        residuals=res[order],
        index=index[order],
        plefka=plefka[order],
        hits=np.asarray(found.hits, dtype=np.int64)[order],
        T=T,
        h=hv,
        starts=starts,
        converged=int(sum(found.hits)),
        symmetric=_is_symmetric(hv),
        onsager=onsager,
        homotopy=homotopy and onsager,
        seed=str(root.entropy),
    )


# ----------------------------------------------------------------------------------------------
# counting solutions on a temperature grid
# ----------------------------------------------------------------------------------------------


def _continue(J, J2, h, x, T_from, targets, tol, onsager, halvings=5):
    """Follow a solution from T_from through ``targets`` (monotone) by Newton continuation.

    Between grid points the step in T is halved whenever Newton fails; the branch ends (typically a
    saddle-node bifurcation, where the solution merges with another one) after ``halvings``
    consecutive halvings. Returns the solutions reached, as a list of (target index, x).
    """
    reached = []
    T_now, x_now = T_from, x
    for k, target in enumerate(targets):
        while T_now != target:
            step = target - T_now
            T_try = target
            for _ in range(halvings + 1):
                x_try, worst = _newton(J, J2, 1.0 / T_try, h, x_now, tol, onsager, max_steps=15)
                if worst <= ACCEPT:
                    break
                step *= 0.5
                T_try = T_now + step
            else:
                return reached
            T_now, x_now = T_try, x_try
        reached.append((k, x_now))
    return reached


@dataclass(frozen=True)
class SolutionCount:
    """Distinct TAP solutions found on a grid of temperatures (see :func:`count_solutions`).

    Attributes
    ----------
    temperatures : (K,) float64
        Ascending.
    counts, minima, physical : (K,) int64
        Number of distinct solutions at each temperature; of them, local minima of F_TAP (index 0);
        and solutions with Plefka parameter x_P >= 0.
    solution_T : (M,) float64
        Temperature of each of the M solutions listed below (all temperatures together).
    magnetizations : (M, n) float64
    free_energies, plefka : (M,) float64
        Free energy per spin (units of J) and Plefka parameter of each solution.
    index : (M,) int64
        Hessian index of each solution.
    direct : (M,) bool
        True if the search at that temperature found the solution, False if only continuation did.
    h : (n,) float64
    starts, symmetric, continuation, seed
    """

    temperatures: np.ndarray
    counts: np.ndarray
    minima: np.ndarray
    physical: np.ndarray
    solution_T: np.ndarray
    magnetizations: np.ndarray
    free_energies: np.ndarray
    plefka: np.ndarray
    index: np.ndarray
    direct: np.ndarray
    h: np.ndarray
    starts: int
    symmetric: bool
    continuation: bool
    seed: str

    def at(self, T: float) -> np.ndarray:
        """Indices (into the per-solution arrays) of the solutions at grid temperature T."""
        return np.flatnonzero(self.solution_T == T)

    def save(self, path) -> None:
        """Write to an ``.npz`` file (numeric arrays only, no pickle)."""
        save_dataclass(self, path)

    @classmethod
    def load(cls, path) -> SolutionCount:
        """Read a file written by :meth:`save`."""
        loaded = load_dataclass(cls, path)
        fixes = {"starts": int(loaded.starts), "symmetric": bool(loaded.symmetric)}
        fixes |= {"continuation": bool(loaded.continuation), "seed": str(loaded.seed)}
        return dataclasses.replace(loaded, **fixes)


def count_solutions(
    J,
    temperatures,
    *,
    starts: int = 64,
    seed: SeedLike = None,
    h=0.0,
    continuation: bool = True,
    damping: float = 0.5,
    max_iter: int = 1000,
    init: str = "quench",
    onsager: bool = True,
    homotopy: bool = True,
    distinct: float = 1e-6,
    progress: bool | None = None,
) -> SolutionCount:
    """Number of distinct TAP solutions at each temperature of a grid.

    At every temperature :func:`solve` runs with ``starts`` starts (temperature k uses the k-th
    child of ``seed``). With ``continuation=True`` every solution found is then followed up and
    down the grid by Newton continuation in T until its branch ends, and the solutions it reaches are
    added where they are new: this recovers solutions whose basins the random starts missed. For SK
    couplings at h = 0 the count is 1 (m = 0) above T_c = 1 and grows as T falls below T_c;
    like :func:`solve`, it is a lower bound on the true number.

    Parameters
    ----------
    J : (n, n) array or dense spinlab model
    temperatures : array of float
        Temperatures > 0 (sorted ascending, duplicates removed).
    starts, seed, damping, max_iter, init, onsager, homotopy, distinct
        As in :func:`solve`.
    h : float or (n,) array
        External field.
    continuation : bool
        Follow solutions between grid temperatures.
    progress : bool or None
        Show a progress bar over temperatures (None: only for long runs).

    Returns
    -------
    SolutionCount

    Examples
    --------
    >>> import spinlab
    >>> J = spinlab.models.sk(40, seed=3).J
    >>> res = count_solutions(J, [1.2, 1.6], starts=4, seed=0)
    >>> res.counts.tolist()
    [1, 1]
    """
    J = _couplings(J)
    n = J.shape[0]
    temps, _ = check_temperatures(temperatures, "temperatures")
    temps = np.unique(temps)
    hv = check_field(h, n)
    starts = check_int(starts, "starts", minimum=1)
    continuation = _check_bool(continuation, "continuation")
    if progress is not None and not isinstance(progress, bool):
        raise TypeError(f"progress must be True, False or None, got {progress!r}")
    show = progress if progress is not None else temps.size * starts * n * n > 5e9
    options = {"damping": damping, "max_iter": max_iter, "init": init, "onsager": onsager, "distinct": distinct}
    options["homotopy"] = homotopy
    root = seed_sequence(seed)
    children = root.spawn(temps.size)
    J2 = J * J
    symmetric = _is_symmetric(hv)
    found: list[list[np.ndarray]] = [[] for _ in temps]  # x = artanh m per temperature
    direct: list[list[bool]] = [[] for _ in temps]

    def add(k: int, x: np.ndarray, is_direct: bool) -> bool:
        m = np.tanh(x)
        if _match(m, [np.tanh(y) for y in found[k]], distinct, symmetric) >= 0:
            return False
        found[k].append(x)
        direct[k].append(is_direct)
        return True

    for k, T in enumerate(tqdm(temps, desc="TAP solutions", unit="T", disable=not show)):
        sols = solve(J, T, hv, starts=starts, seed=children[k], **options)
        for m in sols.magnetizations:
            add(k, np.arctanh(np.clip(m, -1.0 + 1e-16, 1.0 - 1e-16)), True)
    if continuation:
        for k, T in enumerate(temps):
            for x in [y for y, is_direct in zip(found[k], direct[k], strict=True) if is_direct]:
                for targets in (range(k + 1, temps.size), range(k - 1, -1, -1)):
                    targets = list(targets)
                    for j, y in _continue(J, J2, hv, x, T, temps[targets], 1e-12, onsager):
                        if not add(targets[j], y, False):
                            break
    rows = [(k, x, flag) for k in range(temps.size) for x, flag in zip(found[k], direct[k], strict=True)]
    solution_T = np.array([temps[k] for k, _, _ in rows])
    mags, frees, plefkas, indices = [], [], [], []
    for k, x, _ in rows:
        M, f, _, index, plefka = _describe(J, J2, temps[k], hv, [x], onsager)
        mags.append(_canonical(M[0], symmetric))
        frees.append(f[0])
        plefkas.append(plefka[0])
        indices.append(index[0])
    index_arr = np.array(indices, dtype=np.int64)
    plefka_arr = np.array(plefkas, dtype=np.float64)
    per_T = [solution_T == T for T in temps]
    return SolutionCount(
        temperatures=temps,
        counts=np.array([mask.sum() for mask in per_T], dtype=np.int64),
        minima=np.array([np.sum(mask & (index_arr == 0)) for mask in per_T], dtype=np.int64),
        physical=np.array([np.sum(mask & (plefka_arr >= 0)) for mask in per_T], dtype=np.int64),
        solution_T=solution_T,
        magnetizations=np.array(mags).reshape(len(rows), n),
        free_energies=np.array(frees, dtype=np.float64),
        plefka=plefka_arr,
        index=index_arr,
        direct=np.array([flag for _, _, flag in rows], dtype=bool),
        h=hv,
        starts=starts,
        symmetric=symmetric,
        continuation=continuation,
        seed=str(root.entropy),
    )


# ----------------------------------------------------------------------------------------------
# AMP and state evolution
# ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AMPResult:
    """Trajectory of :func:`amp`.

    Attributes
    ----------
    q : (iterations + 1,) float64
        q_t = (1/N) sum_i (m_i^t)^2 for t = 0 .. iterations.
    magnetization : (iterations + 1,) float64
        M_t = (1/N) sum_i m_i^t.
    step : (iterations,) float64
        Root-mean-square change sqrt((1/N) sum_i (m_i^{t+1} - m_i^t)^2): tends to 0 when AMP converges.
    m : (n,) float64
        Final iterate m^T.
    tap_residual : float
        Max-norm residual of the TAP equations (with the reaction term of each site) at m.
    trajectory : (iterations + 1, n) float64 or None
        Every iterate (``record=True``).
    T, h, onsager, seed
    """

    q: np.ndarray
    magnetization: np.ndarray
    step: np.ndarray
    m: np.ndarray
    tap_residual: float
    trajectory: np.ndarray | None
    T: float
    h: np.ndarray
    onsager: bool
    seed: str

    @property
    def iterations(self) -> int:
        """Number of AMP steps."""
        return int(self.step.size)


def amp(
    J,
    T,
    h=0.0,
    iterations: int = 50,
    *,
    seed: SeedLike = None,
    init="zero",
    onsager: bool = True,
    record: bool = False,
) -> AMPResult:
    """Approximate message passing for the TAP equations (Bolthausen's iteration).

        m^{t+1} = tanh beta (h + J m^t - b_t m^{t-1}),   b_t = beta c (1 - q_t),
        q_t = (1/N) sum_i (m_i^t)^2,   c = (1/N) sum_ij J_ij^2  (= 1 - 1/N on average for SK),

    with m^{-1} = 0. This is AMP with the denoiser f(x) = tanh(beta (h + x)): its Onsager
    coefficient is the mean derivative (1/N) sum_i f'(x_i^t) = beta (1 - q_t), multiplied by the
    coupling variance N <J_ij^2> = c. Because the reaction term uses the previous iterate, the
    local fields J m^t - b_t m^{t-1} of SK couplings stay Gaussian with variance q_t as N -> inf, so
    q_t follows :func:`state_evolution`. A fixed point m solves
    m = tanh beta (h + J m - beta c (1 - q) m), the TAP equations with the reaction term averaged
    over sites. ``onsager=False`` gives the naive iteration m^{t+1} = tanh beta (h + J m^t).

    Parameters
    ----------
    J : (n, n) array or dense spinlab model
    T : float
        Temperature > 0.
    h : float or (n,) array
        External field.
    iterations : int
        Number of steps (>= 1).
    seed : int, SeedSequence, Generator or None
        Used by ``init="random"`` only.
    init : "zero", "random" or (n,) array
        m^0: zeros (then m^1 = tanh(beta h) and q_0 = 0), uniform random in (-1, 1) (q_0 ~ 1/3), or
        the given magnetisations. State evolution applies when m^0 does not depend on J.
    onsager : bool
        Include the reaction term.
    record : bool
        Keep every iterate.

    Examples
    --------
    >>> import spinlab
    >>> res = amp(spinlab.models.sk(400, seed=1).J, 1.5, 0.5, 60)  # converges: T, h above the AT line
    >>> bool(res.step[-1] < 1e-9)
    True
    """
    J = _couplings(J)
    n = J.shape[0]
    T = check_temperature(T)
    beta = 1.0 / T
    hv = check_field(h, n)
    iterations = check_int(iterations, "iterations", minimum=1)
    onsager = _check_bool(onsager, "onsager")
    record = _check_bool(record, "record")
    root = seed_sequence(seed)
    if isinstance(init, str):
        init = check_choice(init, "init", ("zero", "random"))
        if init == "zero":
            m = np.zeros(n)
        else:
            m = np.random.default_rng(root).uniform(-1.0, 1.0, n)
    else:
        m = _check_magnetizations(init, n, "init")[0]
        if m.shape[0] != 1:
            raise ValueError(f"init must be 'zero', 'random' or one vector of shape ({n},), got shape {m.shape}")
        m = m[0].copy()
    c = float(np.sum(J * J)) / n
    previous = np.zeros(n)
    q = np.empty(iterations + 1)
    mag = np.empty(iterations + 1)
    step = np.empty(iterations)
    trajectory = np.empty((iterations + 1, n)) if record else None
    q[0], mag[0] = np.mean(m * m), np.mean(m)
    if record:
        trajectory[0] = m
    for t in range(iterations):
        field = hv + J @ m
        if onsager:
            field -= beta * c * (1.0 - q[t]) * previous
        new = np.tanh(beta * field)
        step[t] = np.sqrt(np.mean((new - m) ** 2))
        previous, m = m, new
        q[t + 1], mag[t + 1] = np.mean(m * m), np.mean(m)
        if record:
            trajectory[t + 1] = m
    return AMPResult(
        q=q,
        magnetization=mag,
        step=step,
        m=m,
        tap_residual=residual(J, T, m, hv),
        trajectory=trajectory,
        T=T,
        h=hv,
        onsager=onsager,
        seed=str(root.entropy),
    )


_CUT = 12.0  # |z| > 12 carries < 1e-32 of the Gaussian weight


def _gauss_mean(f, kink: float | None = None) -> float:
    """E_z f(z) for z ~ N(0, 1) by adaptive quadrature on [-12, 12], split where f is steep."""
    points = [kink] if kink is not None and -_CUT < kink < _CUT else None
    with warnings.catch_warnings():
        # a roundoff warning means the integral is already accurate to ~1e-15, below what is asked
        warnings.simplefilter("ignore", integrate.IntegrationWarning)
        value, _ = integrate.quad(
            lambda z: f(z) * math.exp(-0.5 * z * z), -_CUT, _CUT, points=points, limit=400, epsabs=1e-14, epsrel=1e-12
        )
    return value / math.sqrt(2.0 * math.pi)


def _kink(q: float, h: float) -> float | None:
    return -h / math.sqrt(q) if q > 0 else None


def _tanh_moments(beta: float, h: float, q: float) -> tuple[float, float]:
    """(E tanh(beta (h + sqrt(q) z)), E tanh^2(...))."""
    if q <= 0.0:
        t = math.tanh(beta * h)
        return t, t * t
    s = math.sqrt(q)
    m = _gauss_mean(lambda z: math.tanh(beta * (h + s * z)), _kink(q, h))
    q_next = _gauss_mean(lambda z: math.tanh(beta * (h + s * z)) ** 2, _kink(q, h))
    return m, q_next


def _fixed_point(beta: float, h: float) -> float:
    """Largest solution of q = E tanh^2(beta (h + sqrt(q) z)) (the RS Edwards-Anderson parameter)."""

    def g(q):
        return _tanh_moments(beta, h, q)[1] - q

    if h == 0.0:
        if beta <= 1.0:
            return 0.0
        lo = 0.1 * (beta * beta - 1.0) / (2.0 * beta**4)  # below the small-q root (b^2 - 1) / (2 b^4)
        if g(lo) <= 0.0:
            return 0.0
    else:
        lo = 0.0
    hi = 1.0 - 1e-15
    if g(hi) >= 0.0:
        return hi
    return float(optimize.brentq(g, lo, hi, xtol=1e-15, rtol=4 * np.finfo(float).eps, maxiter=500))


@dataclass(frozen=True)
class StateEvolution:
    """Output of :func:`state_evolution`.

    Attributes
    ----------
    q : (iterations + 1,) float64
        q_t, with q_0 the given start.
    magnetization : (iterations + 1,) float64
        M_t = E tanh(beta (h + sqrt(q_{t-1}) z)) for t >= 1; M_0 the given start.
    q_fixed, m_fixed : float
        Replica-symmetric fixed point q* = E tanh^2(beta (h + sqrt(q*) z)) (the largest root) and
        m* = E tanh(beta (h + sqrt(q*) z)).
    at_stability : float
        beta^2 E sech^4(beta (h + sqrt(q*) z)): below 1 above the de Almeida-Thouless line (RS
        stable, AMP converges), above 1 below it.
    T, h : float
    """

    q: np.ndarray
    magnetization: np.ndarray
    q_fixed: float
    m_fixed: float
    at_stability: float
    T: float
    h: float

    @property
    def above_at_line(self) -> bool:
        """True when the replica-symmetric fixed point is stable (at_stability < 1)."""
        return self.at_stability < 1.0


def state_evolution(T, h=0.0, iterations: int = 50, *, q0: float = 0.0, m0: float = 0.0) -> StateEvolution:
    """State evolution of :func:`amp` for SK couplings (J_ij ~ N(0, 1/N)) in a uniform field h.

        q_{t+1} = E_z tanh^2(beta (h + sqrt(q_t) z)),   M_{t+1} = E_z tanh(beta (h + sqrt(q_t) z)),

    z ~ N(0, 1), expectations by adaptive quadrature. As N -> inf the AMP overlaps
    (1/N) sum_i (m_i^t)^2 converge to q_t at every fixed t (Bolthausen 2014). The fixed point of
    the recursion is the replica-symmetric q of the SK model; above the de Almeida-Thouless line
    (``at_stability`` < 1) it attracts the recursion and AMP converges to a TAP solution.

    Parameters
    ----------
    T : float
        Temperature > 0.
    h : float
        Uniform field.
    iterations : int
        Number of steps (>= 1).
    q0, m0 : float
        Starting overlap q_0 in [0, 1] and magnetisation M_0 with M_0^2 <= q_0 (AMP with
        ``init="zero"``: q_0 = M_0 = 0).

    Examples
    --------
    >>> se = state_evolution(0.5, 0.0, 200, q0=0.3)
    >>> bool(abs(se.q[-1] - se.q_fixed) < 1e-10), round(se.q_fixed, 4)
    (True, 0.5304)
    """
    T = check_temperature(T)
    beta = 1.0 / T
    h = check_real(h, "h")
    iterations = check_int(iterations, "iterations", minimum=1)
    q0 = check_real(q0, "q0")
    if not 0.0 <= q0 <= 1.0:
        raise ValueError(f"q0 must lie in [0, 1], got {q0}")
    m0 = check_real(m0, "m0")
    if m0 * m0 > q0 + 1e-15:
        raise ValueError(f"m0 must satisfy m0^2 <= q0 (Cauchy-Schwarz), got m0 = {m0}, q0 = {q0}")
    q = np.empty(iterations + 1)
    mag = np.empty(iterations + 1)
    q[0], mag[0] = q0, m0
    for t in range(iterations):
        mag[t + 1], q[t + 1] = _tanh_moments(beta, h, q[t])
    q_star = _fixed_point(beta, h)
    m_star = _tanh_moments(beta, h, q_star)[0]
    s = math.sqrt(q_star)

    def sech4(z):
        y = abs(beta * (h + s * z))
        return 0.0 if y > 350.0 else math.cosh(y) ** -4

    stability = beta * beta * (_gauss_mean(sech4, _kink(q_star, h)) if q_star > 0 else sech4(0.0))
    return StateEvolution(
        q=q,
        magnetization=mag,
        q_fixed=float(q_star),
        m_fixed=float(m_star),
        at_stability=float(stability),
        T=T,
        h=h,
    )
