"""Monte Carlo helpers for the chapters: temperature scans with honest error bars, the Monte Carlo
overlap histogram P(q), and the trace-plus-snapshot figure of 2D Ising runs.

Conventions: energies and magnetisations per spin, temperatures in units of J (k_B = 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure

from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_int, check_temperatures
from ..exact import onsager
from ..mc import MCResult, integrated_autocorrelation_time, mean_and_error, metropolis
from ..models import Model

__all__ = ["SPIN_COLORS", "ScanResult", "ising_run_figure", "overlap_histogram", "temperature_scan"]

#: Colours of s = -1 and s = +1 in spin snapshots.
SPIN_COLORS = ("#1f3b73", "#f2c14e")


@dataclass(frozen=True)
class ScanResult:
    """Equilibrium averages per spin at each temperature of :func:`temperature_scan`.

    Attributes
    ----------
    T : (k,) float64
        Temperatures in units of J.
    energy, energy_err : (k,) float64
        Mean energy per spin and its standard error (autocorrelation-corrected).
    abs_magnetization, abs_magnetization_err : (k,) float64
        Mean of |m| (m = magnetisation per spin) and its standard error.
    specific_heat, specific_heat_err : (k,) float64
        c = n (<e^2> - <e>^2) / T^2 per spin, with a block-jackknife error.
    tau_energy, tau_abs_magnetization : (k,) float64
        Integrated autocorrelation times in sweeps (convention 1/2 + sum rho), averaged over replicas.
    sweeps, burn_in, replicas, rule, order, seed, model
        The parameters of the runs (``seed`` is the root entropy).
    """

    T: np.ndarray
    energy: np.ndarray
    energy_err: np.ndarray
    abs_magnetization: np.ndarray
    abs_magnetization_err: np.ndarray
    specific_heat: np.ndarray
    specific_heat_err: np.ndarray
    tau_energy: np.ndarray
    tau_abs_magnetization: np.ndarray
    sweeps: int
    burn_in: int
    replicas: int
    rule: str
    order: str
    seed: int
    model: str


def _pooled_mean(series: np.ndarray) -> tuple[float, float, float]:
    """Mean over independent replicas (rows), its error and the mean tau_int."""
    estimates = [mean_and_error(row) for row in series]
    means = np.array([m for m, _ in estimates])
    errors = np.array([e for _, e in estimates])
    tau = float(np.mean([integrated_autocorrelation_time(row) for row in series]))
    return float(means.mean()), float(np.sqrt(np.sum(errors**2)) / len(errors)), tau


def _jackknife_specific_heat(energy: np.ndarray, n: int, T: float, blocks: int) -> tuple[float, float]:
    """c = n Var(e) / T^2 from all rows, with a leave-one-block-out jackknife error."""
    length = energy.shape[1] // blocks
    cut = energy[:, : length * blocks].reshape(energy.shape[0] * blocks, length)
    s1 = cut.sum(axis=1)
    s2 = (cut**2).sum(axis=1)
    total = cut.size
    keep = total - length
    mean = (s1.sum() - s1) / keep
    jack = n * ((s2.sum() - s2) / keep - mean**2) / T**2
    full = n * float(cut.var()) / T**2
    k = jack.size
    return full, float(np.sqrt((k - 1) / k * np.sum((jack - jack.mean()) ** 2)))


def temperature_scan(
    model: Model,
    temperatures,
    sweeps: int,
    *,
    burn_in: int | None = None,
    replicas: int = 4,
    seed: SeedLike = None,
    rule: str = "metropolis",
    order: str = "sequential",
    initial="random",
    blocks: int = 10,
    progress: bool = False,
) -> ScanResult:
    """Equilibrium energy, |m| and specific heat per spin, with error bars, at several temperatures.

    At each temperature, ``replicas`` independent chains of :func:`spinlab.mc.metropolis` run for
    ``sweeps`` sweeps; the first ``burn_in`` are discarded. Means and errors of e and |m| use
    :func:`spinlab.mc.mean_and_error` on each chain (error inflated by the integrated
    autocorrelation time) and combine the independent chains. The specific heat
    c = n (<e^2> - <e>^2) / T^2 gets a jackknife error over ``blocks`` blocks per chain.

    Parameters
    ----------
    model : Model
        Any spinlab model.
    temperatures : float or 1-d array
        Temperatures in units of J, > 0.
    sweeps : int
        Sweeps per chain, including the burn-in.
    burn_in : int or None
        Sweeps discarded at the start of every chain (default ``sweeps // 10``).
    replicas : int
        Independent chains per temperature.
    seed : int, SeedSequence, Generator or None
        Root seed; temperature k uses child k of ``SeedSequence(seed)``.
    rule, order, initial
        Passed to :func:`spinlab.mc.metropolis`.
    blocks : int
        Jackknife blocks per chain for the specific-heat error (each should be much longer than
        the autocorrelation time).
    progress : bool
        Show a tqdm progress bar over temperatures.

    Returns
    -------
    ScanResult

    Examples
    --------
    >>> import spinlab
    >>> scan = temperature_scan(spinlab.models.ising2d(8), [3.0], 2000, seed=1)
    >>> bool(abs(scan.energy[0] - spinlab.exact.onsager(3.0).energy) < 0.05)
    True
    """
    if not isinstance(model, Model):
        raise TypeError(f"model must be a spinlab model (e.g. spinlab.models.ising2d(16)), got {type(model).__name__}")
    temps, _ = check_temperatures(temperatures, "temperatures")
    sweeps = check_int(sweeps, "sweeps", minimum=8)
    burn_in = sweeps // 10 if burn_in is None else check_int(burn_in, "burn_in", minimum=0)
    replicas = check_int(replicas, "replicas", minimum=1)
    blocks = check_int(blocks, "blocks", minimum=2)
    if sweeps - burn_in < 4 * blocks:
        raise ValueError(
            f"burn_in must leave at least 4 * blocks = {4 * blocks} sweeps, got sweeps={sweeps}, burn_in={burn_in}"
        )
    check_choice(rule, "rule", ("metropolis", "heatbath"))
    check_choice(order, "order", ("sequential", "random"))
    if not isinstance(progress, bool):
        raise TypeError(f"progress must be True or False, got {progress!r}")
    root = seed_sequence(seed)
    children = root.spawn(temps.size)
    rows = {key: np.empty(temps.size) for key in ("e", "de", "m", "dm", "c", "dc", "te", "tm")}
    loop = zip(temps, children, strict=True)
    if progress:
        from tqdm.auto import tqdm

        loop = tqdm(loop, total=temps.size, desc="temperatures")
    for k, (T, child) in enumerate(loop):
        run = metropolis(
            model, float(T), sweeps, replicas=replicas, seed=child, rule=rule, order=order, initial=initial
        )
        energy = run.energy[:, burn_in:]
        rows["e"][k], rows["de"][k], rows["te"][k] = _pooled_mean(energy)
        rows["m"][k], rows["dm"][k], rows["tm"][k] = _pooled_mean(np.abs(run.magnetization[:, burn_in:]))
        rows["c"][k], rows["dc"][k] = _jackknife_specific_heat(energy, model.n, float(T), blocks)
    return ScanResult(
        T=temps,
        energy=rows["e"],
        energy_err=rows["de"],
        abs_magnetization=rows["m"],
        abs_magnetization_err=rows["dm"],
        specific_heat=rows["c"],
        specific_heat_err=rows["dc"],
        tau_energy=rows["te"],
        tau_abs_magnetization=rows["tm"],
        sweeps=sweeps,
        burn_in=burn_in,
        replicas=replicas,
        rule=rule,
        order=order,
        seed=int(root.entropy),
        model=model.name,
    )


def overlap_histogram(result: MCResult, *, burn_in: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monte Carlo P(q) on the n + 1 possible overlaps, from disjoint replica pairs.

    The overlap q = (1/n) sum_i s^a_i s^b_i of two replicas takes the values q_k = -1 + 2k/n.
    Only the disjoint pairs (0, 1), (2, 3), ... are used, so the histograms of different pairs
    are statistically independent; the error bar is the standard error of the mean over pairs.

    Parameters
    ----------
    result : MCResult
        A run with at least two replicas (at least four for an error bar).
    burn_in : int
        Sweeps discarded at the start.

    Returns
    -------
    q : (n + 1,) float64
        Overlap values from -1 to 1 (the same grid as :func:`spinlab.exact.overlap_distribution`).
    p : (n + 1,) float64
        Probabilities (sum to 1).
    p_err : (n + 1,) float64
        Standard errors (NaN with a single pair).

    Examples
    --------
    >>> import spinlab
    >>> run = spinlab.mc.metropolis(spinlab.models.sk(6, seed=0), 1.0, 500, replicas=4, seed=2)
    >>> q, p, p_err = overlap_histogram(run, burn_in=50)
    >>> q.size, round(float(p.sum()), 12)
    (7, 1.0)
    """
    if not isinstance(result, MCResult):
        raise TypeError(f"result must be an MCResult from spinlab.mc.metropolis, got {type(result).__name__}")
    if result.overlaps is None or result.replicas < 2:
        raise ValueError(f"result must have at least 2 replicas to measure overlaps, got {result.replicas}")
    burn_in = check_int(burn_in, "burn_in", minimum=0, maximum=result.sweeps - 1)
    n = result.spins.shape[1]
    wanted = {(a, a + 1) for a in range(0, result.replicas - 1, 2)}
    rows = [k for k, (a, b) in enumerate(result.pairs.tolist()) if (a, b) in wanted]
    q_values = result.overlaps[rows, burn_in:]
    index = np.rint((q_values + 1.0) * n / 2.0).astype(np.int64)
    hists = np.stack([np.bincount(row, minlength=n + 1) / row.size for row in index])
    p = hists.mean(axis=0)
    p_err = hists.std(axis=0, ddof=1) / np.sqrt(len(rows)) if len(rows) > 1 else np.full(n + 1, np.nan)
    q = -1.0 + 2.0 * np.arange(n + 1) / n
    return q, p, p_err


def _side(result: MCResult) -> int:
    n = result.spins.shape[1]
    L = int(round(np.sqrt(n)))
    if L * L != n:
        raise ValueError(f"runs must be on a square L x L lattice, got a run with n = {n} spins")
    return L


def ising_run_figure(
    runs: MCResult | Sequence[MCResult],
    *,
    reference: bool = True,
    replica: int = 0,
    figsize: tuple[float, float] | None = None,
) -> Figure:
    """Energy and |m| traces of 2D Ising runs next to their final spin configurations.

    One run gives a single row: energy trace, |m| trace, snapshot (the widget layout).
    Several runs give one snapshot per run on top and both traces, one colour per run, below.

    Parameters
    ----------
    runs : MCResult or sequence of MCResult
        Runs of :func:`spinlab.models.ising2d` (site i = x + L y), at most 6.
    reference : bool
        Draw the infinite-lattice equilibrium values (Onsager energy, Yang magnetisation) as dashed lines.
    replica : int
        Which replica of each run to show.
    figsize : (width, height) or None
        Figure size in inches; a layout-dependent default when None.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> import spinlab
    >>> run = spinlab.mc.metropolis(spinlab.models.ising2d(16), 2.0, 50, seed=0)
    >>> fig = ising_run_figure(run)
    >>> len(fig.axes)
    3
    """
    runs = [runs] if isinstance(runs, MCResult) else list(runs)
    if not runs or not all(isinstance(r, MCResult) for r in runs):
        raise TypeError("runs must be an MCResult or a non-empty sequence of MCResult")
    if len(runs) > 6:
        raise ValueError(f"runs must hold at most 6 runs, got {len(runs)}")
    if not isinstance(reference, bool):
        raise TypeError(f"reference must be True or False, got {reference!r}")
    replica = check_int(replica, "replica", minimum=0, maximum=min(r.replicas for r in runs) - 1)
    sides = [_side(r) for r in runs]
    cmap = ListedColormap(list(SPIN_COLORS))
    k = len(runs)
    if k == 1:
        fig = plt.figure(figsize=figsize or (9.0, 3.4), layout="constrained")
        grid = fig.add_gridspec(1, 3, width_ratios=[1.0, 1.0, 0.8])
        ax_e, ax_m = fig.add_subplot(grid[0, 0]), fig.add_subplot(grid[0, 1])
        snaps = [fig.add_subplot(grid[0, 2])]
    else:
        fig = plt.figure(figsize=figsize or (9.0, 6.0), layout="constrained")
        outer = fig.add_gridspec(2, 1, height_ratios=[1.0, 1.1])
        snaps = [fig.add_subplot(cell) for cell in outer[0].subgridspec(1, k)]
        bottom = outer[1].subgridspec(1, 2)
        ax_e, ax_m = fig.add_subplot(bottom[0]), fig.add_subplot(bottom[1])
    for idx, (run, L, ax_s) in enumerate(zip(runs, sides, snaps, strict=True)):
        colour = f"C{idx}"
        t = np.arange(1, run.sweeps + 1)
        label = f"T = {run.T:.2f}"
        ax_e.plot(t, run.energy[replica], color=colour, lw=1.0, label=label)
        ax_m.plot(t, np.abs(run.magnetization[replica]), color=colour, lw=1.0, label=label)
        if reference:
            exact = onsager(run.T)
            ax_e.axhline(exact.energy, color=colour, ls="--", lw=1.0)
            ax_m.axhline(exact.magnetization, color=colour, ls="--", lw=1.0)
        ax_s.imshow(
            run.spins[replica].reshape(L, L), cmap=cmap, vmin=-1, vmax=1, origin="lower", interpolation="nearest"
        )
        ax_s.set_xticks([])
        ax_s.set_yticks([])
        ax_s.grid(False)
        ax_s.set_title(f"T = {run.T:.2f} J, L = {L}", fontsize=10)
        if k > 1:
            for spine in ax_s.spines.values():
                spine.set_color(colour)
                spine.set_linewidth(2.0)
                spine.set_visible(True)
    ax_e.set_xlabel("Monte Carlo time [sweeps]")
    ax_e.set_ylabel("energy per spin e [J]")
    ax_m.set_xlabel("Monte Carlo time [sweeps]")
    ax_m.set_ylabel("|magnetisation| per spin |m|")
    ax_m.set_ylim(-0.02, 1.02)
    handles, labels = ax_e.get_legend_handles_labels()
    if reference:
        (line,) = ax_e.plot([], [], color="0.4", ls="--", lw=1.0)
        handles.append(line)
        labels.append("exact equilibrium, L = ∞")
    fig.legend(handles, labels, loc="outside lower center", ncol=len(labels), fontsize=9)
    return fig
