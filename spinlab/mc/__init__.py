"""Monte Carlo sampling of spinlab models.

* :func:`metropolis` — single-spin-flip Markov chains (Metropolis or heat bath) for any
  number of independent replicas at one temperature, with per-sweep energy, magnetisation
  and replica overlaps.
* :func:`parallel_tempering` — replica exchange on a temperature ladder, with swap
  statistics, round trips and bit-exact checkpoint/resume; :func:`tune_temperatures`
  re-spaces a ladder to equalise exchange rates.
* :func:`autocorrelation`, :func:`integrated_autocorrelation_time`, :func:`mean_and_error` —
  time-series analysis of the output.
"""

from .analysis import autocorrelation, integrated_autocorrelation_time, mean_and_error
from .metropolis import MCResult, metropolis
from .tempering import PTResult, parallel_tempering, tune_temperatures

__all__ = [
    "MCResult",
    "PTResult",
    "autocorrelation",
    "integrated_autocorrelation_time",
    "mean_and_error",
    "metropolis",
    "parallel_tempering",
    "tune_temperatures",
]
