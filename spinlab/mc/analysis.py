"""Time-series analysis for Monte Carlo output: autocorrelations and honest error bars."""

from __future__ import annotations

import numpy as np

from .._validate import check_int


def _as_series(series, name: str = "series") -> np.ndarray:
    arr = np.asarray(series, dtype=np.float64)
    if arr.ndim != 1 or arr.size < 4:
        raise ValueError(f"{name} must be a 1-d array with at least 4 entries, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must contain only finite values")
    return arr


def autocorrelation(series, max_lag: int | None = None) -> np.ndarray:
    """Normalised autocorrelation function rho(t), t = 0..max_lag, computed with an FFT.

    Examples
    --------
    >>> rho = autocorrelation(np.sin(np.arange(200) / 5.0), 3)
    >>> float(rho[0])
    1.0
    """
    x = _as_series(series)
    max_lag = x.size - 1 if max_lag is None else check_int(max_lag, "max_lag", minimum=0, maximum=x.size - 1)
    x = x - x.mean()
    size = 1 << int(np.ceil(np.log2(2 * x.size)))
    spectrum = np.fft.rfft(x, size)
    acf = np.fft.irfft(spectrum * np.conj(spectrum), size)[: max_lag + 1]
    if acf[0] == 0:
        return np.where(np.arange(max_lag + 1) == 0, 1.0, 0.0)
    return acf / acf[0]


def integrated_autocorrelation_time(series, *, window_factor: float = 5.0) -> float:
    """tau_int = 1/2 + sum_t rho(t), summed up to Sokal's self-consistent window W >= c tau_int(W).

    With this convention the variance of the mean of N correlated samples is 2 tau_int sigma^2 / N,
    so an uncorrelated series has tau_int = 1/2.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> round(integrated_autocorrelation_time(rng.standard_normal(100_000)), 1)
    0.5
    """
    rho = autocorrelation(series)
    tau = 0.5 + np.cumsum(rho[1:])
    window = np.arange(1, rho.size)
    ok = window >= window_factor * tau
    last = int(np.argmax(ok)) if ok.any() else rho.size - 2
    return float(max(tau[last], 0.5))


def mean_and_error(series, *, burn_in: int = 0) -> tuple[float, float]:
    """Mean of ``series[burn_in:]`` and its standard error corrected for autocorrelation."""
    x = _as_series(np.asarray(series)[check_int(burn_in, "burn_in", minimum=0) :], "series[burn_in:]")
    tau = integrated_autocorrelation_time(x)
    return float(x.mean()), float(np.sqrt(2.0 * tau * x.var(ddof=1) / x.size))
