"""TAP analysis of trained networks: solution counts, the hidden-order solution and its melting temperature.

Conventions: the bond matrix J of :func:`spinlab.nnspin.to_ising` at zero field (biases off, so m and -m
are one solution), TAP equations and free energies per spin of :mod:`spinlab.tap`, temperatures in units
of the weights (k_B = 1).

* :func:`paramagnet_instability` — the highest temperature at which the paramagnet m = 0 of the TAP free
  energy loses stability, lambda_max(beta J - beta^2 D) = 1 with D_ii = sum_j J_ij^2. A coupling matrix
  with an eigenvalue outside its random bulk (a trained network) has such a crossing; for SK couplings
  the curve only touches 1 at T = 1 (the TAP paramagnet is marginal below T_c) and NaN is returned.
* :func:`melting_temperature` — continuation in T of one TAP solution (Newton in x = artanh m) until it
  merges with the paramagnet or ends at a saddle-node.
* :func:`activation_patterns`, :func:`task_overlap` — the network's own ±1 activity on data, and the
  cosine overlap of a TAP magnetisation with it (our definition of "aligned with the task").
* :func:`analyse_network` — everything above for one network; :func:`fit_power_law` — T_c(t) ~ t^a with a
  bootstrap over seeds.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .. import tap
from .._rng import SeedLike, seed_sequence
from .._validate import check_couplings, check_int, check_real, check_temperature
from ..nn import Network
from .mapping import instance_tc, to_ising
from .mlp import MLP, _act, _forward

__all__ = [
    "CheckpointAnalysis",
    "Melting",
    "PowerLawFit",
    "activation_patterns",
    "analyse_network",
    "fit_power_law",
    "melting_temperature",
    "paramagnet_instability",
    "task_overlap",
]


def _J(J) -> np.ndarray:
    if hasattr(J, "to_dense"):
        J = J.to_dense()
    return check_couplings(J, "J")


def paramagnet_instability(J) -> float:
    """Highest T at which m = 0 stops being a local minimum of the zero-field TAP free energy.

    The TAP Hessian at m = 0 is proportional to P(T) / T^2 with P(T) = T^2 - T J + D, D = diag(sum_j J_ij^2),
    so the instability is where g(T) = lambda_max(J/T - D/T^2) - 1 first reaches 0 coming from high T. The
    candidates are the real roots of det P(T) = 0, the real eigenvalues of the companion matrix
    [[0, 1], [-D, J]] (one eigen-decomposition of size 2n); the largest root at which g changes sign
    (checked at T (1 +- 1e-6)) is returned, or NaN when there is none (no instability; for pure SK
    couplings g only touches 0 at T = 1).

    Examples
    --------
    >>> J = (np.ones((9, 9)) - np.eye(9)) / 8   # ferromagnet: top eigenvalue 1, D = 1/8
    >>> round(paramagnet_instability(J), 6)  # largest root of 1/T - 1/(8 T^2) = 1, (1 + 2**-0.5) / 2
    0.853553
    """
    J = _J(J)
    n = J.shape[0]
    D = np.diag(np.sum(J * J, axis=1))
    companion = np.block([[np.zeros((n, n)), np.eye(n)], [-D, J]])
    roots = np.linalg.eigvals(companion)
    real = np.sort(roots.real[(np.abs(roots.imag) <= 1e-9 * np.abs(roots)) & (roots.real > 0)])[::-1]

    def g(T):
        return np.linalg.eigvalsh(J / T - D / T**2)[-1] - 1.0

    for T in real:
        if g(T * (1 + 1e-6)) < 0.0 < g(T * (1 - 1e-6)):
            return float(T)
    return float("nan")


def _newton(J, J2, beta, x, tol=1e-12, max_steps=30):
    """Newton on F(x) = x - beta H(tanh x) with backtracking; returns (x, max_i |m_i - tanh(beta H_i)|)."""

    def evaluate(x):
        m = np.tanh(x)
        d = 1.0 - m * m
        B = beta * (J @ m - beta * m * (J2 @ d))
        return m, d, B, np.max(np.abs(m - np.tanh(B)))

    m, d, B, res = evaluate(x)
    for _ in range(max_steps):
        if res <= tol:
            break
        A = beta * J + 2.0 * beta * beta * J2 * np.outer(m, m)
        A[np.diag_indices_from(A)] = -beta * beta * (J2 @ d)
        jac = np.eye(x.size) - A * d[None, :]
        try:
            step = np.linalg.solve(jac, x - B)
        except np.linalg.LinAlgError:
            break
        for _ in range(12):
            trial = evaluate(x - step)
            if trial[3] < res:
                break
            step *= 0.5
        else:
            break
        x = x - step
        m, d, B, res = trial
    return x, res


@dataclass(frozen=True)
class Melting:
    """Continuation of one TAP solution upward in temperature (see :func:`melting_temperature`).

    Attributes
    ----------
    Tc : float
        Highest temperature at which the branch was followed (the melting temperature, to ``resolution``).
    temperatures, q : (K,) float64
        Temperatures reached and the self-overlap q = (1/n) sum m_i^2 there.
    magnetizations : (K, n) float64
        The solution at each temperature (residual <= 1e-10 each).
    merged : bool
        True if the branch ended on the paramagnet (continuous melting: its last q is below 2 % of
        its first), False if it ended at finite q (saddle-node, discontinuous disappearance).
    """

    Tc: float
    temperatures: np.ndarray
    q: np.ndarray
    magnetizations: np.ndarray
    merged: bool


def melting_temperature(
    J, m, T: float, *, rel_step: float = 0.05, resolution: float = 1e-4, q_min: float = 1e-8, T_max: float = 1e3
) -> Melting:
    """Follow the zero-field TAP solution ``m`` (valid at ``T``) to higher T until it disappears.

    Each step raises T by ``rel_step * T`` and re-solves by Newton from the previous solution. When
    Newton fails, or lands on the paramagnet (q < ``q_min``), the step is halved, until it is below
    ``resolution * T``; the last temperature reached is T_c.

    Parameters
    ----------
    J : (n, n) array or dense model
    m : (n,) array
        A TAP solution at temperature T (residual <= 1e-10, e.g. from :func:`spinlab.tap.solve`).
    T : float
    rel_step, resolution, q_min, T_max : float

    Returns
    -------
    Melting

    Examples
    --------
    >>> from spinlab import tap
    >>> xi = np.sign(np.random.default_rng(0).standard_normal(30))
    >>> J = np.outer(xi, xi) / 30; np.fill_diagonal(J, 0.0)
    >>> sol = tap.solve(J, 0.5, starts=4, seed=1)
    >>> melt = melting_temperature(J, sol.magnetizations[0], 0.5)
    >>> melt.merged, abs(melt.Tc - paramagnet_instability(J)) < 1e-3
    (True, True)
    """
    J = _J(J)
    T = check_temperature(T)
    rel_step = check_real(rel_step, "rel_step", positive=True)
    resolution = check_real(resolution, "resolution", positive=True)
    q_min = check_real(q_min, "q_min", positive=True)
    T_max = check_real(T_max, "T_max", positive=True)
    m = np.asarray(m, dtype=np.float64)
    if m.shape != (J.shape[0],) or np.any(np.abs(m) >= 1.0):
        raise ValueError(f"m must have shape ({J.shape[0]},) with |m_i| < 1, got shape {m.shape}")
    if tap.residual(J, T, m) > tap.ACCEPT:
        raise ValueError(f"m must solve the TAP equations at T = {T} (residual <= {tap.ACCEPT})")
    if np.mean(m * m) < q_min:
        raise ValueError("m is the paramagnet (q < q_min): there is nothing to melt")
    J2 = J * J
    x = np.arctanh(m)
    Ts, qs, ms = [T], [float(np.mean(m * m))], [m.copy()]
    step = rel_step * T
    while T < T_max:
        x_try, res = _newton(J, J2, 1.0 / (T + step), x)
        q = float(np.mean(np.tanh(x_try) ** 2))
        if res <= tap.ACCEPT and q >= q_min:
            T, x = T + step, x_try
            Ts.append(T)
            qs.append(q)
            ms.append(np.tanh(x))
            continue
        if step < resolution * T:
            break
        step *= 0.5
    # continuous melting: q vanishes linearly at T_c, so within resolution * T of it q is tiny; a
    # saddle-node ends the branch at a q comparable with its low-temperature value
    return Melting(T, np.array(Ts), np.array(qs), np.array(ms), qs[-1] < 0.02 * qs[0])


def activation_patterns(net, X: np.ndarray) -> np.ndarray:
    """The network's ±1 activity on data: one spin configuration (layer by layer) per input row.

    Neuron i of a hidden or output layer gets sign(z_i(x) - mean_x z_i(x)) (z: pre-activation), an input
    pixel sign(x_i - mean_x x_i); ties give +1. Centring removes the trivial always-on/always-off offset,
    so that the patterns describe how the network's activity *varies* with the input.

    Examples
    --------
    >>> from spinlab.nn import init_network
    >>> P = activation_patterns(init_network(3, 4, 2, seed=0), np.eye(3))
    >>> P.shape, P.dtype
    ((3, 9), dtype('int8'))
    """
    if isinstance(net, MLP):
        zs = _forward(net, net.params, np.asarray(X, dtype=np.float64))[0]
    elif isinstance(net, Network):
        z1 = np.asarray(X, dtype=np.float64) @ net.W1 + net.b1
        zs = [z1, _act(z1, net.activation) @ net.W2 + net.b2]
    else:
        raise TypeError(f"net must be a spinlab.nn.Network or spinlab.nnspin.MLP, got {type(net).__name__}")
    layers = [np.asarray(X, dtype=np.float64), *zs]
    return np.concatenate([np.where(a >= a.mean(axis=0), 1, -1).astype(np.int8) for a in layers], axis=1)


def task_overlap(m, patterns) -> float:
    """Mean over data of |cos| between a TAP magnetisation m and the activation patterns sigma(x).

    ``(1/P) sum_x |sum_i m_i sigma_i(x)| / (n sqrt(q))`` with q = (1/n) sum_i m_i^2: 1 if m points along
    every pattern, about sqrt(2/(pi n)) for a direction unrelated to the network's activity.

    Examples
    --------
    >>> round(task_overlap(np.array([0.5, -0.5]), np.array([[1, -1], [-1, 1]])), 12)
    1.0
    """
    m = np.asarray(m, dtype=np.float64)
    P = np.asarray(patterns, dtype=np.float64)
    if P.ndim != 2 or P.shape[1] != m.size:
        raise ValueError(f"patterns must have shape (P, {m.size}), got {P.shape}")
    norm = np.sqrt(np.sum(m * m)) * np.sqrt(m.size)
    if norm == 0:
        raise ValueError("m must not be the paramagnet m = 0")
    return float(np.mean(np.abs(P @ m)) / norm)


@dataclass(frozen=True)
class CheckpointAnalysis:
    """TAP analysis of one network (see :func:`analyse_network`).

    Attributes
    ----------
    T : float
        Temperature of the solution count.
    n_solutions : int
        Distinct TAP solutions found at T (m and -m counted once), including the paramagnet if found.
    free_energies : (k,) float64
        Their TAP free energies per spin, ascending.
    hidden : (n,) float64
        The hidden-order solution: the non-paramagnetic solution of lowest free energy (NaN if none).
    hidden_overlap : float
        :func:`task_overlap` of ``hidden`` with the network's activation patterns on the data.
    basin : float
        Fraction of the solver's converged (start, route) pairs that ended on ``hidden`` (0 if none).
    Tc : float
        Melting temperature of ``hidden`` (:func:`melting_temperature`), NaN if none.
    merged : bool
        Whether it melted continuously into the paramagnet.
    T_para : float
        :func:`paramagnet_instability` of the bond matrix (NaN if none).
    T_glass : float
        :func:`instance_tc` of the bond matrix.
    eigenvalues : (n,) float64
        Spectrum of the bond matrix, ascending.
    """

    T: float
    n_solutions: int
    free_energies: np.ndarray
    hidden: np.ndarray
    hidden_overlap: float
    basin: float
    Tc: float
    merged: bool
    T_para: float
    T_glass: float
    eigenvalues: np.ndarray


def analyse_network(
    net, X: np.ndarray, *, T: float | None = None, T_rel: float = 0.5, starts: int = 32, seed: SeedLike = None
) -> CheckpointAnalysis:
    """Solve TAP on a network's bond matrix (zero field) at T; find, follow and characterise the hidden order.

    Parameters
    ----------
    net : spinlab.nn.Network or spinlab.nnspin.MLP
    X : (P, N_0) array
        Data whose activation patterns define the task overlap.
    T : float or None
        Temperature of the search (:func:`spinlab.tap.solve`, ``starts`` starts, ``seed``). Default
        ``T_rel * T_ref`` with ``T_ref = max(T_glass, T_para)`` (NaN ignored): the landscape at the same
        reduced temperature for every network. (Far below T_ref the saturated, bipartite-like layered
        couplings make the damped iteration of the solver fail, and only m = 0 is returned.)
    T_rel : float
        Reduced temperature used when ``T`` is None.
    starts : int
    seed : int, SeedSequence, Generator or None

    Examples
    --------
    >>> from spinlab.nn import init_network
    >>> X = np.random.default_rng(0).random((20, 6))
    >>> a = analyse_network(init_network(6, 5, 3, seed=0), X, starts=8, seed=1)
    >>> a.n_solutions >= 1, a.eigenvalues.shape
    (True, (14,))
    """
    starts = check_int(starts, "starts", minimum=1)
    J = to_ising(net).J
    T_para, T_glass = paramagnet_instability(J), instance_tc(J)
    if T is None:
        T = check_real(T_rel, "T_rel", positive=True) * np.nanmax([T_glass, T_para])
    T = check_temperature(T)
    sols = tap.solve(J, T, starts=starts, seed=seed_sequence(seed))
    nontrivial = np.flatnonzero(sols.q > 1e-8)
    hidden = np.full(J.shape[0], np.nan)
    overlap, Tc, merged, basin = float("nan"), float("nan"), False, 0.0
    if nontrivial.size:
        hidden = sols.magnetizations[nontrivial[0]]
        basin = float(sols.hits[nontrivial[0]] / max(sols.converged, 1))
        overlap = task_overlap(hidden, activation_patterns(net, X))
        melt = melting_temperature(J, hidden, T)
        Tc, merged = melt.Tc, melt.merged
    return CheckpointAnalysis(
        T=T,
        n_solutions=sols.count,
        free_energies=sols.free_energies,
        hidden=hidden,
        hidden_overlap=overlap,
        basin=basin,
        Tc=Tc,
        merged=merged,
        T_para=T_para,
        T_glass=T_glass,
        eigenvalues=np.linalg.eigvalsh(J),
    )


@dataclass(frozen=True)
class PowerLawFit:
    """Fit log T_c = log c + a log t (see :func:`fit_power_law`).

    Attributes
    ----------
    exponent, prefactor : float
        a and c of the fit to the seed-averaged log T_c.
    low, high : float
        Bootstrap percentile interval of a (``level`` confidence, resampling seeds).
    level : float
    boot : (n_boot,) float64
        Bootstrap exponents.
    """

    exponent: float
    prefactor: float
    low: float
    high: float
    level: float
    boot: np.ndarray


def fit_power_law(t, Tc, *, n_boot: int = 2000, level: float = 0.95, seed: SeedLike = 0) -> PowerLawFit:
    """Least-squares power law T_c = c t^a on log-log axes, with a bootstrap over seeds.

    Parameters
    ----------
    t : (K,) array
        Training times > 0 (steps).
    Tc : (S, K) array
        Melting temperatures > 0 of S independent trainings (seeds) at those times; NaN marks a
        checkpoint where no hidden-order solution was found and is left out of that time's mean.
    n_boot : int
        Bootstrap resamples of the S seeds (with replacement); each is refitted.
    level : float in (0, 1)
    seed : int, SeedSequence, Generator or None

    Examples
    --------
    >>> t = np.array([1.0, 10.0, 100.0])
    >>> fit = fit_power_law(t, np.array([2 * t**0.5, 3 * t**0.5]))
    >>> round(fit.exponent, 12), round(fit.low, 12), round(fit.high, 12)
    (0.5, 0.5, 0.5)
    """
    t = np.asarray(t, dtype=np.float64)
    Y = np.asarray(Tc, dtype=np.float64)
    if t.ndim != 1 or t.size < 2 or np.any(t <= 0) or not np.all(np.isfinite(t)):
        raise ValueError(f"t must be a 1-d array of at least 2 positive times, got {t!r}")
    if Y.ndim != 2 or Y.shape[1] != t.size or Y.shape[0] < 1:
        raise ValueError(f"Tc must have shape (seeds, {t.size}), got {Y.shape}")
    if np.any(np.isinf(Y)) or np.any(Y <= 0) or np.any(np.all(np.isnan(Y), axis=0)):
        raise ValueError("Tc must be > 0 or NaN, with at least one finite value per time (drop the others)")
    n_boot = check_int(n_boot, "n_boot", minimum=10)
    level = check_real(level, "level")
    if not 0.0 < level < 1.0:
        raise ValueError(f"level must lie in (0, 1), got {level}")
    logt, logY = np.log(t), np.log(Y)

    def slope(rows):
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            mean = np.nanmean(logY[rows], axis=0)
        ok = np.isfinite(mean)
        return np.polyfit(logt[ok], mean[ok], 1) if ok.sum() >= 2 else np.array([np.nan, np.nan])

    a, b = slope(np.arange(Y.shape[0]))
    rng = np.random.default_rng(seed_sequence(seed))
    picks = rng.integers(0, Y.shape[0], size=(n_boot, Y.shape[0]))
    boot = np.array([slope(p)[0] for p in picks])
    boot = boot[np.isfinite(boot)]
    lo, hi = np.quantile(boot, [(1 - level) / 2, (1 + level) / 2])
    return PowerLawFit(float(a), float(np.exp(b)), float(lo), float(hi), level, boot)
