"""Finite-size analysis of spin-glass simulations.

* Disorder-sample tasks for :func:`spinlab.sweep.disorder_average`: :func:`ea_sample` and
  :func:`sk_sample` build one sample from a seed, run :func:`spinlab.mc.parallel_tempering` with
  two (or more) replicas and return a small :class:`PTSample` (overlap moments in logarithmic
  time windows, exchange statistics and, optionally, the overlap time series). They live in a
  module so that worker processes can import them.
* :func:`binder_from_moments`, :func:`sample_fluctuations`: disorder-averaged Binder cumulant and
  the sample-to-sample fluctuation parameters A and G, with jackknife errors over samples.
* :func:`binder_crossing`, :func:`binder_crossing_jackknife`: the temperature where the Binder
  curves of two sizes cross, with a bootstrap or jackknife error.
* :func:`sample_states`: many equilibrium configurations of one sample at one temperature,
  spaced in Monte Carlo time, for ultrametricity and clustering studies.

Conventions: Ising spins ±1, energies per spin, temperatures in units of J (k_B = 1), overlaps
q = (1/n) sum_i s^a_i s^b_i between independent replicas of the same couplings. Thermal
averages <.> are time averages within a sample; [.] is the mean over disorder samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, child, seed_sequence
from .._validate import check_int, check_temperatures
from ..mc import integrated_autocorrelation_time, parallel_tempering
from ..models import Model, ea, sk
from .estimators import Estimate, jackknife

__all__ = [
    "BinderCrossing",
    "PTSample",
    "StateSample",
    "binder_crossing",
    "binder_crossing_jackknife",
    "binder_from_moments",
    "ea_sample",
    "log_windows",
    "pt_sample",
    "sample_fluctuations",
    "sample_states",
    "sk_sample",
    "sk_states",
]


# --------------------------------------------------------------------------------------------
# seeds and windows


def log_windows(sweeps: int, n_windows: int = 8) -> np.ndarray:
    """Edges of logarithmic time windows that end with the second half of a run.

    The windows are ``[0, s/2^(W-1)), ..., [s/4, s/2), [s/2, s)`` for ``s = sweeps`` and
    ``W = n_windows`` (integer division; empty windows are dropped). Averages over successive
    windows that agree within errors indicate equilibrium; the last window is the usual
    "discard the first half" estimate.

    Parameters
    ----------
    sweeps : int
        Length of the run, >= 2.
    n_windows : int
        Number of windows wanted, >= 1.

    Returns
    -------
    (W' + 1,) int64 array of strictly increasing edges, first 0 and last ``sweeps``.

    Examples
    --------
    >>> log_windows(1024, 4).tolist()
    [0, 128, 256, 512, 1024]
    """
    sweeps = check_int(sweeps, "sweeps", minimum=2)
    n_windows = check_int(n_windows, "n_windows", minimum=1)
    edges = [0] + [sweeps >> j for j in range(n_windows - 1, -1, -1)]
    return np.unique(np.array(edges, dtype=np.int64))


def _window_means(series: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """Means of ``series[..., a:b]`` for consecutive edges, stacked along a new first axis."""
    return np.stack([series[..., a:b].mean(axis=-1) for a, b in zip(edges[:-1], edges[1:], strict=True)])


# --------------------------------------------------------------------------------------------
# one disorder sample


@dataclass(frozen=True)
class PTSample:
    """Summary of one parallel-tempering run of one disorder sample (see :func:`pt_sample`).

    Attributes
    ----------
    temperatures : (K,) float64
        Ascending temperature ladder [J].
    n : int
        Number of spins.
    edges : (W + 1,) int64
        Logarithmic window edges in sweeps (:func:`log_windows`).
    energy : (W, K) float64
        Energy per spin averaged over each window and over replicas.
    q2, q4, abs_q : (W, K) float64
        Window averages of q^2, q^4 and |q|, averaged over replica pairs.
    swap_acceptance : (K - 1,) float64
        Exchange acceptance between neighbouring temperatures.
    round_trips : (replicas,) int64
        Completed round trips of the walkers of each replica ladder.
    round_trip_time : float
        Mean sweeps per round trip of one walker (inf if none).
    overlaps : (pairs, K, sweeps - sweeps // 2) int16 or None
        n q (an integer) for every sweep of the second half of the run, when asked for.
    """

    temperatures: np.ndarray
    n: int
    edges: np.ndarray
    energy: np.ndarray
    q2: np.ndarray
    q4: np.ndarray
    abs_q: np.ndarray
    swap_acceptance: np.ndarray
    round_trips: np.ndarray
    round_trip_time: float
    overlaps: np.ndarray | None = None

    def overlap_series(self, k: int) -> np.ndarray:
        """Overlap time series q(t) at temperature index ``k`` (pairs concatenated), as float64."""
        if self.overlaps is None:
            raise ValueError("this sample kept no overlap series; run it with keep_overlaps=True")
        k = check_int(k, "k", minimum=-self.temperatures.size, maximum=self.temperatures.size - 1)
        return self.overlaps[:, k].ravel().astype(np.float64) / self.n


def pt_sample(
    model: Model,
    temperatures,
    sweeps: int,
    *,
    seed: SeedLike = None,
    replicas: int = 2,
    n_windows: int = 8,
    keep_overlaps: bool = False,
) -> PTSample:
    """Run parallel tempering on ``model`` and reduce the records to a :class:`PTSample`.

    Parameters
    ----------
    model : Model
        One disorder sample.
    temperatures : array of float
        At least two distinct temperatures [J].
    sweeps : int
        Sweeps per temperature, >= 2.
    seed : int, SeedSequence, Generator or None
        Seed of the Monte Carlo run.
    replicas : int
        Independent ladders, >= 2 (overlaps need two).
    n_windows : int
        Number of logarithmic windows (:func:`log_windows`).
    keep_overlaps : bool
        Also return n q for every sweep of the second half (int16; a few hundred kB).

    Returns
    -------
    PTSample

    Examples
    --------
    >>> from spinlab import models
    >>> s = pt_sample(models.sk(16, seed=1), [0.5, 1.0], 256, seed=2, n_windows=3)
    >>> s.edges.tolist(), s.q2.shape
    ([0, 64, 128, 256], (3, 2))
    """
    sweeps = check_int(sweeps, "sweeps", minimum=2)
    replicas = check_int(replicas, "replicas", minimum=2)
    if not isinstance(keep_overlaps, bool):
        raise TypeError(f"keep_overlaps must be True or False, got {keep_overlaps!r}")
    edges = log_windows(sweeps, n_windows)
    res = parallel_tempering(model, temperatures, sweeps, replicas=replicas, seed=seed, progress=False)
    q = res.overlaps
    kept = None
    if keep_overlaps:
        kept = np.rint(q[:, :, sweeps // 2 :] * model.n).astype(np.int16)
    return PTSample(
        temperatures=res.temperatures,
        n=model.n,
        edges=edges,
        energy=_window_means(res.energy, edges).mean(axis=1),
        q2=_window_means(q**2, edges).mean(axis=1),
        q4=_window_means(q**4, edges).mean(axis=1),
        abs_q=_window_means(np.abs(q), edges).mean(axis=1),
        swap_acceptance=res.swap_acceptance,
        round_trips=res.round_trips,
        round_trip_time=res.round_trip_time,
        overlaps=kept,
    )


def ea_sample(
    sample_seed: SeedLike,
    *,
    L: int,
    temperatures,
    sweeps: int,
    d: int = 3,
    couplings: str = "pm1",
    replicas: int = 2,
    n_windows: int = 8,
    keep_overlaps: bool = False,
) -> PTSample:
    """Disorder-sample task: an Edwards–Anderson sample ``models.ea(L, d=d, seed=sample_seed)``
    simulated by parallel tempering.

    The Monte Carlo seed is a child of ``sample_seed`` (independent of the couplings), so the
    result depends on ``sample_seed`` alone. Bind the keyword arguments with
    :func:`functools.partial` and pass the task to :func:`spinlab.sweep.disorder_average`.

    Parameters
    ----------
    sample_seed : int, SeedSequence, Generator or None
        Seed of the sample (couplings and Monte Carlo).
    L, d, couplings
        As in :func:`spinlab.models.ea`.
    temperatures, sweeps, replicas, n_windows, keep_overlaps
        As in :func:`pt_sample`.

    Examples
    --------
    >>> from functools import partial
    >>> from spinlab.sweep import disorder_average
    >>> task = partial(ea_sample, L=3, temperatures=[1.0, 1.5], sweeps=64)
    >>> out = disorder_average(task, 2, seed=1, executor="serial")
    >>> out[0].n, out[0].q2.shape[1]
    (27, 2)
    """
    model = ea(L, d=d, couplings=couplings, seed=seed_sequence(sample_seed))
    return pt_sample(
        model,
        temperatures,
        sweeps,
        seed=child(sample_seed, 0),
        replicas=replicas,
        n_windows=n_windows,
        keep_overlaps=keep_overlaps,
    )


def sk_sample(
    sample_seed: SeedLike,
    *,
    n: int,
    temperatures,
    sweeps: int,
    couplings: str = "gaussian",
    replicas: int = 2,
    n_windows: int = 8,
    keep_overlaps: bool = True,
) -> PTSample:
    """Disorder-sample task: an SK sample ``models.sk(n, seed=sample_seed)`` simulated by
    parallel tempering, keeping the overlap series of the second half by default.

    Parameters
    ----------
    sample_seed : int, SeedSequence, Generator or None
        Seed of the sample (couplings and, through a child seed, the Monte Carlo).
    n, couplings
        As in :func:`spinlab.models.sk` (J_ij ~ N(0, 1/n), T_c = 1).
    temperatures, sweeps, replicas, n_windows, keep_overlaps
        As in :func:`pt_sample`.

    Examples
    --------
    >>> s = sk_sample(3, n=12, temperatures=[0.5, 1.5], sweeps=100)
    >>> s.overlaps.shape  # (pairs, K, second half of the run)
    (1, 2, 50)
    """
    model = sk(n, couplings=couplings, seed=seed_sequence(sample_seed))
    return pt_sample(
        model,
        temperatures,
        sweeps,
        seed=child(sample_seed, 0),
        replicas=replicas,
        n_windows=n_windows,
        keep_overlaps=keep_overlaps,
    )


# --------------------------------------------------------------------------------------------
# disorder averages


def _moments(q2, q4) -> tuple[np.ndarray, np.ndarray, bool]:
    m2 = np.asarray(q2, dtype=np.float64)
    m4 = np.asarray(q4, dtype=np.float64)
    if m2.shape != m4.shape:
        raise ValueError(f"q2 and q4 must have the same shape, got {m2.shape} and {m4.shape}")
    if m2.ndim not in (1, 2) or m2.shape[0] < 2:
        raise ValueError(f"q2 must have shape (samples,) or (samples, K) with at least 2 samples, got {m2.shape}")
    if not (np.all(np.isfinite(m2)) and np.all(np.isfinite(m4))):
        raise ValueError("q2 and q4 must be finite")
    if np.any(m2 < 0) or np.any(m4 < 0):
        raise ValueError("q2 and q4 are thermal averages of even powers and must be >= 0")
    single = m2.ndim == 1
    return np.atleast_2d(m2.T).T, np.atleast_2d(m4.T).T, single


def _binder(m: np.ndarray) -> float:
    return 0.5 * (3.0 - m[1] / m[0] ** 2)


def binder_from_moments(q2, q4) -> tuple[np.ndarray, np.ndarray] | tuple[float, float]:
    """Binder cumulant g = (3 - [<q^4>] / [<q^2>]^2) / 2 from per-sample moments, with jackknife errors.

    Parameters
    ----------
    q2, q4 : (samples,) or (samples, K) arrays
        Thermal averages <q^2> and <q^4> of each disorder sample (at K temperatures).

    Returns
    -------
    g, error : arrays of shape (K,), or floats for 1-d input.

    Examples
    --------
    >>> q2 = np.array([0.25, 0.25, 0.25])
    >>> binder_from_moments(q2, q2**2)  # a sharp |q| = 0.5 in every sample gives g = 1
    (1.0, 0.0)
    """
    m2, m4, single = _moments(q2, q4)
    out = [jackknife(np.stack([m2[:, k], m4[:, k]], axis=1), _binder) for k in range(m2.shape[1])]
    g = np.array([e.value for e in out])
    err = np.array([e.error for e in out])
    return (float(g[0]), float(err[0])) if single else (g, err)


def sample_fluctuations(q2, q4) -> tuple[Estimate, Estimate]:
    """Sample-to-sample fluctuation parameters A and G of the spin-glass susceptibility.

    A = ([<q^2>^2] - [<q^2>]^2) / [<q^2>]^2 and G = ([<q^2>^2] - [<q^2>]^2) / ([<q^4>] - [<q^2>]^2)
    (Marinari et al. 1998; Bokil et al. 1999). In a paramagnet both vanish as n -> infinity
    (P_J(q) self-averages); in a phase with replica symmetry breaking A stays finite
    (non-self-averaging) and G tends to 1/3 (Guerra's identities).

    Parameters
    ----------
    q2, q4 : (samples,) arrays
        Thermal averages <q^2> and <q^4> of each disorder sample at one temperature.

    Returns
    -------
    (A, G) : two :class:`~spinlab.overlaps.Estimate` with jackknife errors over samples.

    Examples
    --------
    >>> c = np.array([0.2, 0.4, 0.6, 0.8])  # every sample has a sharp overlap |q| = c
    >>> A, G = sample_fluctuations(c**2, c**4)
    >>> round(G.value, 12), round(G.error, 12)  # no thermal fluctuations: G = 1 exactly
    (1.0, 0.0)
    """
    m2, m4, single = _moments(q2, q4)
    if not single:
        raise ValueError(f"q2 must be 1-d (one temperature), got shape {np.shape(q2)}")
    data = np.stack([m2[:, 0], m4[:, 0], m2[:, 0] ** 2], axis=1)
    A = jackknife(data, lambda m: (m[2] - m[0] ** 2) / m[0] ** 2)
    G = jackknife(data, lambda m: (m[2] - m[0] ** 2) / (m[1] - m[0] ** 2))
    return A, G


# --------------------------------------------------------------------------------------------
# crossings


@dataclass(frozen=True)
class BinderCrossing:
    """Crossing temperature of two Binder curves.

    Attributes
    ----------
    value : float
        Crossing temperature [J] of the full data (nan if the fitted curves do not cross).
    error : float
        Standard error from the resampling (bootstrap or jackknife).
    success : float
        Fraction of resampled data sets whose curves crossed inside the range.
    """

    value: float
    error: float
    success: float

    def __iter__(self):
        return iter((self.value, self.error))


def _check_curves(temperatures, *curves) -> tuple[np.ndarray, list[np.ndarray]]:
    temps, scalar = check_temperatures(temperatures, "temperatures")
    if scalar or temps.size < 2:
        raise ValueError(f"temperatures must hold at least 2 values, got {temperatures!r}")
    if np.any(np.diff(temps) <= 0):
        raise ValueError("temperatures must be strictly increasing")
    out = []
    for name, curve in curves:
        arr = np.asarray(curve, dtype=np.float64)
        if arr.shape != temps.shape:
            raise ValueError(f"{name} must have shape {temps.shape} like temperatures, got {arr.shape}")
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must be finite")
        out.append(arr)
    return temps, out


def _crossing(T: np.ndarray, diff: np.ndarray, weights: np.ndarray | None, degree: int) -> float:
    """Root of a (weighted) polynomial fit to ``diff`` inside [T.min(), T.max()], nan if none."""
    centre, scale = T.mean(), np.ptp(T)
    x = (T - centre) / scale
    coeffs = np.polyfit(x, diff, degree, w=weights)
    roots = np.roots(coeffs) if np.any(coeffs[:-1] != 0) else np.array([])
    roots = roots[np.abs(roots.imag) < 1e-9].real
    roots = roots[(roots >= x.min() - 1e-12) & (roots <= x.max() + 1e-12)]
    if roots.size == 0:
        return float("nan")
    if roots.size > 1:  # several roots: take the one nearest a sign change of the data themselves
        change = np.flatnonzero(np.sign(diff[:-1]) * np.sign(diff[1:]) <= 0)
        if change.size:
            i = change[np.argmin(np.abs(x[change]))]
            reference = x[i] - diff[i] * (x[i + 1] - x[i]) / (diff[i + 1] - diff[i] or 1.0)
        else:
            reference = 0.0
        roots = roots[[np.argmin(np.abs(roots - reference))]]
    return float(centre + scale * roots[0])


def binder_crossing(
    temperatures,
    g_small,
    g_large,
    *,
    err_small=None,
    err_large=None,
    degree: int = 1,
    n_boot: int = 2000,
    seed: SeedLike = 0,
) -> BinderCrossing:
    """Temperature where the Binder curves of two system sizes cross, with a bootstrap error.

    The difference d(T) = g_large(T) - g_small(T) is fitted by a polynomial of degree
    ``degree`` (weighted by 1 / sqrt(err_small^2 + err_large^2) when errors are given) and its
    root inside the temperature range is the crossing. The error is the standard deviation of
    the crossing over ``n_boot`` parametric bootstrap copies of the curves, each point redrawn
    from a Gaussian with its error bar (points treated as independent: for curves from the
    same samples at all T prefer :func:`binder_crossing_jackknife`).

    Parameters
    ----------
    temperatures : (K,) array
        Strictly increasing temperatures [J], K >= degree + 1. Pass only the points near the
        crossing where a low-order polynomial describes d(T).
    g_small, g_large : (K,) arrays
        Binder cumulants of the smaller and the larger size.
    err_small, err_large : (K,) arrays or None
        Their standard errors (both or neither); without them the error is 0.
    degree : int
        Degree of the polynomial fit, 1 (straight line) to 3.
    n_boot : int
        Bootstrap copies, >= 10.
    seed : int, SeedSequence, Generator or None
        Seed of the bootstrap draws.

    Returns
    -------
    BinderCrossing

    Examples
    --------
    >>> T = np.array([1.0, 1.1, 1.2, 1.3])
    >>> cross = binder_crossing(T, 0.5 - 0.5 * (T - 1.15), 0.5 - 1.5 * (T - 1.15))
    >>> round(cross.value, 10), cross.error
    (1.15, 0.0)
    """
    temps, (gs, gl) = _check_curves(temperatures, ("g_small", g_small), ("g_large", g_large))
    degree = check_int(degree, "degree", minimum=1, maximum=3)
    if temps.size < degree + 1:
        raise ValueError(f"temperatures must hold at least degree + 1 = {degree + 1} points, got {temps.size}")
    n_boot = check_int(n_boot, "n_boot", minimum=10)
    if (err_small is None) != (err_large is None):
        raise ValueError("give both err_small and err_large, or neither")
    if err_small is None:
        value = _crossing(temps, gl - gs, None, degree)
        return BinderCrossing(value, 0.0, 1.0 if np.isfinite(value) else 0.0)
    _, (es, el) = _check_curves(temps, ("err_small", err_small), ("err_large", err_large))
    if np.any(es < 0) or np.any(el < 0):
        raise ValueError("err_small and err_large must be >= 0")
    sigma = np.sqrt(es**2 + el**2)
    weights = 1.0 / sigma if np.all(sigma > 0) else None
    value = _crossing(temps, gl - gs, weights, degree)
    rng = np.random.default_rng(seed_sequence(seed))
    noise = rng.standard_normal((n_boot, 2, temps.size))
    boots = np.array([_crossing(temps, (gl + el * z[1]) - (gs + es * z[0]), weights, degree) for z in noise])
    found = boots[np.isfinite(boots)]
    error = float(found.std(ddof=1)) if found.size > 1 else float("nan")
    return BinderCrossing(value, error, found.size / n_boot)


def binder_crossing_jackknife(
    temperatures,
    small: tuple,
    large: tuple,
    *,
    degree: int = 1,
) -> BinderCrossing:
    """Crossing of two Binder curves from per-sample moments, with a jackknife error over samples.

    Each size's curve g(T) is built from its samples (:func:`binder_from_moments`); the crossing
    is located as in :func:`binder_crossing`. Leaving out one sample of one size at a time gives
    the jackknife variance of that size; the two (independent) contributions add. Because a
    sample is left out at all temperatures together, correlations between the temperatures of
    a parallel-tempering ladder are accounted for.

    Parameters
    ----------
    temperatures : (K,) array
        Strictly increasing temperatures [J].
    small, large : tuples (q2, q4) of (samples, K) arrays
        Per-sample thermal moments <q^2>, <q^4> for the smaller and the larger size.
    degree : int
        Degree of the polynomial fit of g_large - g_small, 1 to 3.

    Returns
    -------
    BinderCrossing

    Examples
    --------
    >>> T = np.array([1.0, 1.2])
    >>> q2 = np.full((3, 2), 0.3)  # three identical samples per size
    >>> small = (q2, np.array([2.0, 2.6]) * q2**2)  # g = (3 - ratio) / 2 = 0.5, 0.2
    >>> large = (q2, np.array([1.6, 2.8]) * q2**2)  # g = 0.7, 0.1
    >>> c = binder_crossing_jackknife(T, small, large)
    >>> round(c.value, 6), c.error
    (1.133333, 0.0)
    """
    if not (isinstance(small, tuple) and len(small) == 2 and isinstance(large, tuple) and len(large) == 2):
        raise TypeError("small and large must be tuples (q2, q4) of per-sample moment arrays")
    temps, _ = _check_curves(temperatures)
    degree = check_int(degree, "degree", minimum=1, maximum=3)
    if temps.size < degree + 1:
        raise ValueError(f"temperatures must hold at least degree + 1 = {degree + 1} points, got {temps.size}")
    sets = []
    for name, (q2, q4) in (("small", small), ("large", large)):
        m2, m4, single = _moments(q2, q4)
        if single or m2.shape[1] != temps.size:
            raise ValueError(f"{name} moments must have shape (samples, {temps.size}), got {np.shape(q2)}")
        sets.append(np.stack([m2, m4], axis=1))  # (samples, 2, K)

    def curve(data: np.ndarray) -> np.ndarray:
        mean = data.mean(axis=0)
        return 0.5 * (3.0 - mean[1] / mean[0] ** 2)

    full = [curve(s) for s in sets]
    diff = full[1] - full[0]
    if np.allclose(diff, 0.0, atol=1e-14):
        return BinderCrossing(float("nan"), float("nan"), 0.0)
    value = _crossing(temps, diff, None, degree)
    variance, tried, found = 0.0, 0, 0
    for which, data in enumerate(sets):
        m = data.shape[0]
        loo = []
        for i in range(m):
            curves = list(full)
            curves[which] = curve(np.delete(data, i, axis=0))
            loo.append(_crossing(temps, curves[1] - curves[0], None, degree))
        loo = np.array(loo)
        tried += m
        ok = loo[np.isfinite(loo)]
        found += ok.size
        if ok.size > 1:
            variance += (m - 1) / m * np.sum((ok - ok.mean()) ** 2)
    error = float(np.sqrt(variance)) if found > 1 else float("nan")
    return BinderCrossing(value, error, found / tried)


# --------------------------------------------------------------------------------------------
# equilibrium states


@dataclass(frozen=True)
class StateSample:
    """Equilibrium configurations of one sample at one temperature (see :func:`sample_states`).

    Attributes
    ----------
    states : (m, n) int8
        The configurations, in the order they were taken (replicas interleaved).
    energy : (m,) float64
        Their energies per spin.
    temperature : float
        The temperature [J] they were sampled at (lowest rung of the ladder).
    spacing, burn_in : int
        Sweeps between snapshots of one replica, and sweeps discarded first.
    tau_energy, tau_overlap : float
        Integrated autocorrelation times [sweeps] of the energy and of the replica overlap q
        at that temperature, measured over the sampling phase; ``spacing`` should exceed both.
    swap_acceptance : (K - 1,) float64
        Exchange acceptance of the ladder during the sampling phase.
    """

    states: np.ndarray
    energy: np.ndarray
    temperature: float
    spacing: int
    burn_in: int
    tau_energy: float
    tau_overlap: float
    swap_acceptance: np.ndarray


def sample_states(
    model: Model,
    temperatures,
    n_states: int,
    *,
    spacing: int,
    burn_in: int,
    replicas: int = 2,
    seed: SeedLike = None,
) -> StateSample:
    """Draw ``n_states`` equilibrium configurations at the lowest temperature of a PT ladder.

    After ``burn_in`` sweeps of :func:`spinlab.mc.parallel_tempering`, the run continues in
    chunks of ``spacing`` sweeps; after each chunk the configuration of every replica at the
    lowest temperature is stored. Configurations are therefore ``spacing`` sweeps apart along
    each (continuous) Markov chain, and the chains of different replicas are independent.

    Parameters
    ----------
    model : Model
        One disorder sample.
    temperatures : array of float
        Ladder of at least two distinct temperatures [J]; states are taken at the lowest.
    n_states : int
        Number of configurations, >= 1.
    spacing : int
        Sweeps between snapshots, >= 1 (choose it above ``tau_overlap``).
    burn_in : int
        Sweeps discarded before the first snapshot, >= 0.
    replicas : int
        Independent ladders, >= 2 (the overlap between two of them measures tau_overlap).
    seed : int, SeedSequence, Generator or None
        Seed of the Monte Carlo.

    Returns
    -------
    StateSample

    Examples
    --------
    >>> from spinlab import models
    >>> ss = sample_states(models.sk(10, seed=1), [0.5, 1.0, 2.0], 6, spacing=5, burn_in=100, seed=2)
    >>> ss.states.shape, ss.temperature
    ((6, 10), 0.5)
    """
    temps, _ = check_temperatures(temperatures, "temperatures")
    temps = np.sort(temps)
    n_states = check_int(n_states, "n_states", minimum=1)
    spacing = check_int(spacing, "spacing", minimum=1)
    burn_in = check_int(burn_in, "burn_in", minimum=0)
    replicas = check_int(replicas, "replicas", minimum=2)
    n = model.n
    chunks = -(-n_states // replicas)
    initial: str | np.ndarray = "random"
    if burn_in > 0:
        res = parallel_tempering(model, temps, burn_in, replicas=replicas, seed=child(seed, 0), progress=False)
        initial = res.spins.reshape(-1, n)
    states, q_series, e_series = [], [], []
    accepts = np.zeros(temps.size - 1)
    for c in range(chunks):
        res = parallel_tempering(
            model, temps, spacing, replicas=replicas, seed=child(seed, c + 1), initial=initial, progress=False
        )
        initial = res.spins.reshape(-1, n)
        states.append(res.spins[:, 0].copy())
        q_series.append(res.overlaps[0, 0])
        e_series.append(res.energy[0, 0])
        accepts += res.swap_acceptance
    states = np.concatenate(states)[:n_states]
    q_all, e_all = np.concatenate(q_series), np.concatenate(e_series)
    tau_q = integrated_autocorrelation_time(q_all) if q_all.size >= 4 else float("nan")
    tau_e = integrated_autocorrelation_time(e_all) if e_all.size >= 4 else float("nan")
    return StateSample(
        states=states,
        energy=np.asarray(model.energy(states), dtype=np.float64),
        temperature=float(temps[0]),
        spacing=spacing,
        burn_in=burn_in,
        tau_energy=float(tau_e),
        tau_overlap=float(tau_q),
        swap_acceptance=accepts / chunks,
    )


def sk_states(
    sample_seed: SeedLike,
    *,
    n: int,
    temperatures,
    n_states: int,
    spacing: int,
    burn_in: int,
    couplings: str = "gaussian",
    replicas: int = 2,
) -> StateSample:
    """Disorder-sample task: equilibrium states of ``models.sk(n, seed=sample_seed)`` at the lowest temperature.

    Runs :func:`sample_states` with a Monte Carlo seed that is a child of ``sample_seed``; bind
    the keyword arguments with :func:`functools.partial` for :func:`spinlab.sweep.disorder_average`.

    Examples
    --------
    >>> ss = sk_states(4, n=16, temperatures=[0.5, 1.0, 1.5], n_states=4, spacing=10, burn_in=50)
    >>> ss.states.shape, ss.temperature
    ((4, 16), 0.5)
    """
    model = sk(n, couplings=couplings, seed=seed_sequence(sample_seed))
    return sample_states(
        model,
        temperatures,
        n_states,
        spacing=spacing,
        burn_in=burn_in,
        replicas=replicas,
        seed=child(sample_seed, 0),
    )
