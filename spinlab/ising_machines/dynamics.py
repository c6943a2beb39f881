r"""Mean-field amplitude equations of a coherent Ising machine, integrated for many runs at once.

The model (the standard classical mean-field form of a measurement-feedback CIM)
---------------------------------------------------------------------------------
Each spin is the in-phase amplitude :math:`x_i` of a degenerate optical parametric oscillator, in units
in which the saturation amplitude is 1 and time in units of the linear loss time of one oscillator:

.. math::
    \frac{dx_i}{dt} = \bigl(p(t) - 1 - x_i^2\bigr)\,x_i
        + \varepsilon\, e_i \Bigl(\sum_j J_{ij} x_j + h_i\Bigr) + \sigma\,\xi_i(t),

with :math:`p(t)` the pump (in units of the oscillation threshold of a lone oscillator), ε the
coupling strength, ξ_i independent white noises and σ their strength. Without noise and with
:math:`e_i = 1` the flow is gradient descent of

.. math:: V(x) = \sum_i \Bigl[\frac{1-p}{2} x_i^2 + \frac{x_i^4}{4}\Bigr]
          - \frac{\varepsilon}{2} \sum_{i \ne j} J_{ij} x_i x_j - \varepsilon \sum_i h_i x_i ,

whose quartic walls force :math:`|x_i| \to \sqrt{p-1}` far above threshold, where V becomes
:math:`\varepsilon (p-1) H(\mathrm{sign}\,x)` plus a constant. The origin loses stability at the
**bifurcation pump** :math:`p_{\rm th} = 1 - \varepsilon \lambda_{\max}(J)` (for h = 0): the
linearisation is :math:`\dot x = (p - 1 + \varepsilon J) x`, and the eigenvector of the largest
eigenvalue grows first. The spins are read out as :math:`s_i = \mathrm{sign}(x_i)` (+1 at x = 0).

Amplitude-heterogeneity correction (optional, ``feedback=True``)
-----------------------------------------------------------------
After Leleu, Yamamura, McMahon, Aihara and Yamamoto, PRL 122, 040607 (2019): error variables
:math:`e_i > 0` multiply the injected field and obey :math:`\dot e_i = -\beta (x_i^2 - a) e_i`. They
push every squared amplitude towards the target a, which removes the bias of unequal amplitudes and
turns the local minima of V into unstable points, so the dynamics keeps searching; the answer is
the lowest energy of sign(x) seen during the run.

Discretisation and units of time
--------------------------------
Synchronous Euler–Maruyama with step ``dt``: every term uses the state before the step and the noise
adds :math:`\sigma \sqrt{dt}\, \mathcal N(0, 1)`. One **step** updates all N amplitudes once with one
product :math:`Jx`; it is the analogue of a Monte Carlo sweep, and of one **round trip** of the
pulses in a measurement-feedback CIM, whose discrete round-trip map is exactly such an Euler step
(with ``dt`` the fraction of the loss time spent per round trip). Run lengths and times to solution
are therefore counted in steps. Energies are per spin, :math:`H/N` with
:math:`H = -\sum_{i<j} J_{ij} s_i s_j - \sum_i h_i s_i`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .._rng import SeedLike, child, seed_sequence, xoshiro_states
from .._validate import check_int, check_real
from ..models import Model
from ._kernels import cim_runs

__all__ = ["CIMResult", "bifurcation_pump", "cim", "coupling_table", "largest_eigenvalue", "pump_ramp"]


def _check_model(model) -> Model:
    if not isinstance(model, Model):
        raise TypeError(f"model must be a spinlab model (e.g. spinlab.models.sk(16)), got {type(model).__name__}")
    return model


def coupling_table(model: Model) -> tuple[np.ndarray, np.ndarray]:
    """Padded neighbour table of the nonzero couplings: (neighbours (n, k) int64, weights (n, k) float64).

    Row i lists the columns j with J_ij != 0 and their values; shorter rows are padded with j = i and
    weight 0. k is the largest number of nonzero couplings in a row (n - 1 for SK, 2d on a lattice).

    Examples
    --------
    >>> import spinlab
    >>> nb, w = coupling_table(spinlab.models.ea(4, d=2, seed=1))
    >>> nb.shape, sorted(set(np.abs(w).ravel().tolist()))
    ((16, 4), [1.0])
    """
    J = _check_model(model).to_dense()
    n = J.shape[0]
    nonzero = J != 0
    k = max(1, int(nonzero.sum(axis=1).max()))
    neighbours = np.tile(np.arange(n)[:, None], (1, k))
    weights = np.zeros((n, k))
    for i in range(n):
        cols = np.flatnonzero(nonzero[i])
        neighbours[i, : cols.size] = cols
        weights[i, : cols.size] = J[i, cols]
    return neighbours, weights


def largest_eigenvalue(model: Model) -> float:
    """Largest eigenvalue of the coupling matrix J (about 2 for SK couplings of variance 1/N).

    Examples
    --------
    >>> import spinlab
    >>> round(largest_eigenvalue(spinlab.models.ising2d(4)), 6)  # 2d for the ferromagnet
    4.0
    """
    return float(np.linalg.eigvalsh(_check_model(model).to_dense())[-1])


def bifurcation_pump(model: Model, eps: float) -> float:
    """Pump at which the origin x = 0 of the noise-free amplitude equations loses stability: 1 - eps lambda_max(J).

    Examples
    --------
    >>> import spinlab
    >>> bifurcation_pump(spinlab.models.ising2d(4), 0.1)
    0.6
    """
    eps = check_real(eps, "eps", positive=True)
    return 1.0 - eps * largest_eigenvalue(model)


def pump_ramp(steps: int, start: float, end: float) -> np.ndarray:
    """Linear pump schedule p(t_k), k = 0 .. steps - 1, from ``start`` to ``end`` (both included).

    Examples
    --------
    >>> pump_ramp(5, 0.0, 2.0).tolist()
    [0.0, 0.5, 1.0, 1.5, 2.0]
    """
    steps = check_int(steps, "steps", minimum=1)
    start = check_real(start, "start")
    end = check_real(end, "end")
    return np.linspace(start, end, steps) if steps > 1 else np.array([end])


@dataclass(frozen=True)
class CIMResult:
    """Output of :func:`cim`.

    Attributes
    ----------
    energies : (runs,) float64
        Energy per spin of sign(x) after the last step.
    states : (runs, n) int8
        Those final configurations.
    best_energies : (runs,) float64
        Lowest energy per spin of sign(x) over the recorded steps of each run (the readout of the
        feedback variant, which keeps moving).
    best_states : (runs, n) int8
        Configurations with those energies.
    trace : (runs, records) float64
        Energy per spin of sign(x) after each recorded step.
    times : (records,) int64
        The step numbers of the records (record_every, 2 record_every, ...).
    amplitudes : (runs, records, n) float64 or None
        The amplitudes at the recorded steps (``record_amplitudes=True``).
    final_amplitudes, final_feedback : (runs, n) float64
        x and e after the last step.
    pump : (steps,) float64
        p at every step.
    dt, eps, noise : float
        Step, coupling strength, noise strength sigma.
    threshold : float
        :func:`bifurcation_pump` of the model at this eps.
    feedback : bool
        Whether amplitude-heterogeneity correction was on (then ``beta``, ``target`` apply).
    beta, target : float
    seed : int
        Root entropy.
    """

    energies: np.ndarray
    states: np.ndarray
    best_energies: np.ndarray
    best_states: np.ndarray
    trace: np.ndarray
    times: np.ndarray
    amplitudes: np.ndarray | None
    final_amplitudes: np.ndarray
    final_feedback: np.ndarray
    pump: np.ndarray
    dt: float
    eps: float
    noise: float
    threshold: float
    feedback: bool
    beta: float
    target: float
    seed: int

    @property
    def steps(self) -> int:
        """Integration steps per run."""
        return int(self.pump.size)

    @property
    def best_energy(self) -> float:
        """Lowest energy per spin over all runs, final or recorded."""
        return float(min(self.energies.min(), self.best_energies.min()))


def _initial(initial, runs: int, n: int, rng: np.random.Generator) -> np.ndarray:
    if np.isscalar(initial) and not isinstance(initial, (str, bytes)):
        scale = check_real(initial, "initial")
        if scale < 0:
            raise ValueError(f"initial must be >= 0 (std of the initial amplitudes) or an array, got {scale}")
        return scale * rng.standard_normal((runs, n))
    arr = np.asarray(initial)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"initial must be a real number or an array of amplitudes, got dtype {arr.dtype}")
    if arr.shape not in ((n,), (runs, n)):
        raise ValueError(f"initial must have shape ({n},) or ({runs}, {n}), got {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError("initial must contain only finite amplitudes")
    return np.array(np.broadcast_to(arr.astype(np.float64), (runs, n)))


def cim(
    model: Model,
    steps: int = 500,
    *,
    dt: float = 0.1,
    eps: float | None = None,
    pump=None,
    noise: float = 0.2,
    runs: int = 64,
    initial=0.01,
    feedback: bool = False,
    beta: float = 0.2,
    target: float = 0.5,
    record_every: int = 1,
    record_amplitudes: bool = False,
    seed: SeedLike = None,
) -> CIMResult:
    """Integrate the mean-field CIM amplitude equations for ``runs`` independent runs (module docstring).

    Parameters
    ----------
    model : Model
        Any spinlab model; its field h enters as ``eps * h_i``.
    steps : int
        Euler–Maruyama steps per run (ignored when ``pump`` is an array).
    dt : float
        Step in units of the oscillator loss time (> 0; dt <= 0.2 keeps Euler stable for p <= 3).
    eps : float or None
        Coupling strength; default 2 / lambda_max(J), so that the bifurcation sits at p_th = -1
        (p < 0 is a net linear loss above the natural one; the equations do not mind).
    pump : None, (start, end) or array
        None: without feedback a linear ramp from p_th - 0.5 to 2.5 (a final gain p - 1 = 1.5
        saturates every amplitude near 1.2); with feedback the constant p = -0.5.
        (start, end): a linear ramp between them; an array: p at every step.
    noise : float
        sigma >= 0, strength of the white noise on every amplitude.
    runs : int
        Independent runs; the initial amplitudes use child 0 of ``seed`` and the noise of run r
        child r of child 1.
    initial : float or array
        A number: standard deviation of independent Gaussian initial amplitudes; or explicit initial
        amplitudes of shape (n,) (all runs) or (runs, n).
    feedback : bool
        Amplitude-heterogeneity correction (Leleu et al. 2019): de_i/dt = -beta (x_i^2 - target) e_i,
        e_i(0) = 1. Its default pump is the constant p = -0.5; read the answer from ``best_energies`` or
        from ``trace`` (the machine keeps moving).
    beta, target : float
        Rate and target squared amplitude of the feedback (> 0).
    record_every : int
        Record the energy of sign(x) (and the amplitudes) every this many steps.
    record_amplitudes : bool
        Keep x at every record (memory runs x records x n).
    seed : int, SeedSequence, Generator or None

    Returns
    -------
    CIMResult

    Examples
    --------
    >>> import spinlab
    >>> model = spinlab.models.sk(10, seed=3)
    >>> res = cim(model, 300, runs=16, seed=1)
    >>> e0 = spinlab.exact.ground_state(model).energy
    >>> bool(np.isclose(res.energies.min(), e0)), res.trace.shape
    (True, (16, 300))
    """
    model = _check_model(model)
    n = model.n
    if not isinstance(feedback, (bool, np.bool_)):
        raise TypeError(f"feedback must be True or False, got {type(feedback).__name__}")
    feedback = bool(feedback)
    dt = check_real(dt, "dt", positive=True)
    lam = largest_eigenvalue(model)
    if eps is None:
        if lam <= 0:
            raise ValueError("the couplings have no positive eigenvalue; pass eps explicitly")
        eps = 2.0 / lam
    eps = check_real(eps, "eps", positive=True)
    threshold = 1.0 - eps * lam
    if pump is None:
        steps = check_int(steps, "steps", minimum=1)
        pump = np.full(steps, -0.5) if feedback else pump_ramp(steps, threshold - 0.5, 2.5)
    elif isinstance(pump, tuple):
        if len(pump) != 2:
            raise ValueError(f"pump must be None, (start, end) or an array, got a tuple of length {len(pump)}")
        pump = pump_ramp(
            check_int(steps, "steps", minimum=1), check_real(pump[0], "pump[0]"), check_real(pump[1], "pump[1]")
        )
    else:
        arr = np.asarray(pump)
        if arr.dtype.kind not in "iuf" or arr.ndim != 1 or arr.size == 0:
            raise ValueError(f"pump must be None, (start, end) or a non-empty 1-d array of numbers, got {pump!r}")
        if not np.all(np.isfinite(arr)):
            raise ValueError("pump must contain only finite values")
        pump = arr.astype(np.float64)
    noise = check_real(noise, "noise")
    if noise < 0:
        raise ValueError(f"noise must be >= 0, got {noise}")
    runs = check_int(runs, "runs", minimum=1)
    beta = check_real(beta, "beta", positive=True)
    target = check_real(target, "target", positive=True)
    record_every = check_int(record_every, "record_every", minimum=1)
    root = seed_sequence(seed)
    x = _initial(initial, runs, n, np.random.default_rng(child(root, 0)))
    e = np.ones((runs, n))
    rng = xoshiro_states(child(root, 1).spawn(runs))
    records = pump.size // record_every
    trace = np.empty((runs, records))
    amplitudes = np.empty((runs, records if record_amplitudes else 0, n))
    best = np.empty(runs)
    best_spins = np.ones((runs, n), dtype=np.int8)
    neighbours, weights = coupling_table(model)
    ok = cim_runs(
        neighbours,
        weights,
        model.h,
        x,
        e,
        pump,
        dt,
        eps,
        noise,
        beta,
        target,
        feedback,
        rng,
        record_every,
        trace,
        amplitudes,
        best,
        best_spins,
    )
    if not ok:
        raise ValueError(f"the amplitudes diverged: dt={dt} is too large for this pump and eps; reduce dt")
    states = np.where(x >= 0, 1, -1).astype(np.int8)
    energies = np.atleast_1d(model.energy(states))
    better = energies < best
    best = np.where(better, energies, best)
    best_spins[better] = states[better]
    return CIMResult(
        energies=energies,
        states=states,
        best_energies=best,
        best_states=best_spins,
        trace=trace,
        times=np.arange(1, records + 1, dtype=np.int64) * record_every,
        amplitudes=amplitudes if record_amplitudes else None,
        final_amplitudes=x,
        final_feedback=e,
        pump=pump,
        dt=dt,
        eps=eps,
        noise=noise,
        threshold=threshold,
        feedback=feedback,
        beta=beta,
        target=target,
        seed=int(root.entropy),
    )
