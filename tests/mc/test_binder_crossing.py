"""3D EA ±J, L = 4, 6, 8, parallel tempering, 150 disorder samples per size: locating Tc.

Janus (2013) gives Tc = 1.1019(29). The correlation length xi_L / L of different sizes crosses
at Tc up to small corrections: its crossings must fall in 1.10 ± 0.15 (or within three standard
errors of it where the statistics of 150 samples cannot do better). The Binder cumulant of
the ±J model has strong corrections to scaling at these sizes (Mari & Campbell 2002; Hukushima &
Campbell 2009): its curves separate above Tc and merge below it, which is what is checked.
"""

import functools

import numpy as np
import pytest

from spinlab import overlaps, sweep
from spinlab.overlaps.correlation import correlation_length

from .binder_tasks import TEMPERATURES, ea_sample

SAMPLES = 150
SWEEPS = {4: 5000, 6: 10000, 8: 20000}


@functools.cache
def measurements(L: int) -> np.ndarray:
    task = functools.partial(ea_sample, L=L, sweeps=SWEEPS[L])
    return np.array(sweep.disorder_average(task, SAMPLES, seed=1000 + L, max_workers=2, progress=False))


def binder(L: int) -> tuple[np.ndarray, np.ndarray]:
    data = measurements(L)
    est = [
        overlaps.jackknife(data[:, :2, k], lambda m: 0.5 * (3.0 - m[1] / m[0] ** 2)) for k in range(TEMPERATURES.size)
    ]
    return np.array([e.value for e in est]), np.array([e.error for e in est])


def xi_over_l(L: int) -> tuple[np.ndarray, np.ndarray]:
    data = measurements(L)
    est = [correlation_length(data[:, 2:, k], L) for k in range(TEMPERATURES.size)]
    return np.array([e.value for e in est]), np.array([e.error for e in est])


def crossing(small, large) -> tuple[float, float]:
    """Temperature where two (value, error) curves cross (the highest sign change of their difference).

    Linear interpolation between the bracketing temperatures; the error propagates the two
    curves' errors through the difference of their slopes (curves far from parallel cross sharply).
    """
    diff = large[0] - small[0]
    changes = np.flatnonzero(np.diff(np.sign(diff)) != 0)
    assert changes.size, f"no crossing in [{TEMPERATURES[0]:.2f}, {TEMPERATURES[-1]:.2f}]: diff = {diff}"
    k = changes[-1]
    t0, t1 = TEMPERATURES[k], TEMPERATURES[k + 1]
    slope = (diff[k + 1] - diff[k]) / (t1 - t0)
    error = np.hypot(small[1][k : k + 2].mean(), large[1][k : k + 2].mean()) / abs(slope)
    return float(t0 - diff[k] / slope), float(error)


@pytest.mark.slow
def test_correlation_length_crossings_locate_tc():
    curves = {L: xi_over_l(L) for L in (4, 6, 8)}
    for small, large in ((4, 6), (6, 8), (4, 8)):
        tc, error = crossing(curves[small], curves[large])
        # the window is 1.10 +- 0.15, widened to 3 standard errors where 150 samples cannot resolve the
        # crossing that well (nearly parallel curves: about +-0.2 for these sizes)
        assert abs(tc - 1.10) <= max(0.15, 3 * error), f"xi/L of L={small},{large} cross at T={tc:.3f} +- {error:.3f}"
    # deep in the paramagnet xi/L shrinks with L (below Tc the curves stay within their errors here)
    assert curves[8][0][-1] < curves[4][0][-1] - 4 * np.hypot(curves[8][1][-1], curves[4][1][-1])


@pytest.mark.slow
def test_binder_cumulants_split_above_tc_and_merge_below():
    g = {L: binder(L) for L in (4, 6, 8)}
    for L, (values, errors) in g.items():
        assert np.all(np.diff(values) < 0), f"L={L}: g must fall with T"
        assert np.all(errors < 0.03)
    hot = -1
    assert g[4][0][hot] - g[8][0][hot] > 4 * np.hypot(g[4][1][hot], g[8][1][hot])  # paramagnet: g -> 0 with L
    assert abs(g[8][0][0] - g[4][0][0]) < 0.03  # T = 0.85 < Tc: the curves have merged
