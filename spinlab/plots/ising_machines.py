"""Figures of the Ising-machine chapter: amplitudes through the bifurcation, success curves, TTS against size.

Conventions: amplitudes in units of the saturation amplitude, run lengths in integration steps (CIM) or
sweeps summed over temperatures (annealing, PT).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.axes import Axes

from .._validate import check_int
from ..ising_machines import CIMResult, SuccessCurve

__all__ = ["amplitude_plot", "median_interval", "success_plot", "tts_scaling_plot"]


def amplitude_plot(ax: Axes, result: CIMResult, *, run: int = 0, against: str = "pump") -> Axes:
    """Amplitudes x_i of one run against the pump p (or the step), with the bifurcation pump marked.

    ``result`` needs ``record_amplitudes=True``. With ``against="pump"`` the x axis is p(t) at each
    record (use it for monotonic ramps), with ``"step"`` the step number.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt, spinlab
    >>> from spinlab.ising_machines import cim
    >>> res = cim(spinlab.models.sk(8, seed=1), 50, runs=1, record_amplitudes=True, seed=0)
    >>> amplitude_plot(plt.figure().gca(), res).get_xlabel()
    'pump p'
    """
    if not isinstance(result, CIMResult) or result.amplitudes is None:
        raise ValueError("result must be a CIMResult computed with record_amplitudes=True")
    run = check_int(run, "run", minimum=0, maximum=result.amplitudes.shape[0] - 1)
    if against not in ("pump", "step"):
        raise ValueError(f"against must be 'pump' or 'step', got {against!r}")
    x = result.pump[result.times - 1] if against == "pump" else result.times
    amps = result.amplitudes[run]
    final = np.sign(amps[-1])
    for i in range(amps.shape[1]):
        ax.plot(x, amps[:, i], lw=0.9, color="C3" if final[i] > 0 else "C0", alpha=0.8)
    if against == "pump":
        ax.axvline(result.threshold, color="k", ls="--", lw=1, label=f"bifurcation $p_{{th}}$ = {result.threshold:.2f}")
        ax.set_xlabel("pump p")
        ax.legend(loc="upper left")
    else:
        ax.set_xlabel("integration step")
    ax.axhline(0, color="0.5", lw=0.6)
    ax.set_ylabel("amplitude $x_i$")
    return ax


def success_plot(ax: Axes, curve: SuccessCurve, *, color: str = "C0", label: str | None = None, rate=None) -> Axes:
    """Success probability with its 68 % Wilson interval against the run length (or the pump rate).

    ``rate``: None plots against the run length in steps; a number ``Delta p / dt`` plots against the
    pump rate ``rate / S`` (pump change per unit time for a ramp of S steps), on log axes.

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt, spinlab
    >>> from spinlab.ising_machines import ramp_success
    >>> m = spinlab.models.ea(3, d=2, seed=1)
    >>> c = ramp_success(m, spinlab.exact.ground_state(m).energy, (10, 100), runs=8, seed=0)
    >>> success_plot(plt.figure().gca(), c).get_ylabel()
    'success probability'
    """
    x = curve.time if rate is None else float(rate) / curve.time
    err = [curve.p - curve.p_low, curve.p_high - curve.p]
    if curve.time.size > 40:
        ax.plot(x, curve.p, color=color, label=label)
        ax.fill_between(x, curve.p_low, curve.p_high, color=color, alpha=0.2, lw=0)
    else:
        ax.errorbar(x, curve.p, yerr=err, fmt="o-", color=color, capsize=3, label=label)
    ax.set_xscale("log")
    ax.set_ylim(-0.02, 1.02)
    ax.set_xlabel("run length [steps]" if rate is None else "pump rate dp/dt [1 / loss time]")
    ax.set_ylabel("success probability")
    return ax


def median_interval(values, *, resamples: int = 1000, seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Median over samples (axis 0) and the 16th and 84th percentiles of its bootstrap distribution.

    The samples are resampled with replacement ``resamples`` times (seeded); the percentile interval is
    a 68 % interval of the median that, unlike median ± standard error, stays positive for positive data.

    Returns
    -------
    (median, low, high), each of shape ``values.shape[1:]`` (or (1,) for 1-d input).

    Examples
    --------
    >>> med, low, high = median_interval(np.array([1.0, 2.0, 3.0, 4.0, 100.0]))
    >>> float(med[0]), bool(low[0] <= 3.0 <= high[0])
    (3.0, True)
    """
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim == 1:
        arr = arr[:, None]
    if arr.ndim != 2 or arr.shape[0] < 2:
        raise ValueError(f"values must hold at least two samples along axis 0, got shape {arr.shape}")
    resamples = check_int(resamples, "resamples", minimum=10)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, arr.shape[0], (resamples, arr.shape[0]))
    boot = np.median(arr[picks], axis=1)
    low, high = np.percentile(boot, [16, 84], axis=0)
    return np.median(arr, axis=0), low, high


def tts_scaling_plot(
    ax: Axes,
    sizes,
    samples: dict,
    methods: Sequence[tuple[int, str, str]],
    *,
    size_label: str = "number of spins N",
) -> Axes:
    """Median optimal TTS over samples against size, with bootstrap 68 % intervals of the median, for several methods.

    Parameters
    ----------
    sizes : 1-d array
        The sizes, keys of ``samples``.
    samples : dict size -> (samples, columns) array
        Per-sample optimal TTS, one column per method (e.g. from :func:`spinlab.ising_machines.sk_tts_sample`).
    methods : sequence of (column, label, color)

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> rng = np.random.default_rng(0)
    >>> data = {8: rng.uniform(10, 20, (5, 2)), 12: rng.uniform(30, 60, (5, 2))}
    >>> ax = tts_scaling_plot(plt.figure().gca(), [8, 12], data, [(0, "a", "C0"), (1, "b", "C1")])
    >>> ax.get_yscale()
    'log'
    """
    sizes = np.asarray(sizes)
    offsets = np.linspace(-0.015, 0.015, len(methods)) if len(methods) > 1 else np.zeros(1)
    for (column, label, color), shift in zip(methods, offsets, strict=True):
        stats = np.array([np.concatenate(median_interval(samples[s][:, column])) for s in sizes])
        med, low, high = stats.T
        ax.errorbar(
            sizes * (1 + shift), med, yerr=[med - low, high - med], fmt="o-", color=color, capsize=3, label=label
        )
    ax.set_yscale("log")
    ax.set_xticks(sizes)
    ax.set_xticklabels([str(s) for s in sizes])
    ax.set_xlabel(size_label)
    ax.set_ylabel("median optimal TTS$_{99}$")
    return ax
