"""Monte Carlo sampling of spinlab models.

* :func:`metropolis` — single-spin-flip Markov chains (Metropolis or heat bath) for any
  number of independent replicas at one temperature, with per-sweep energy, magnetisation
  and replica overlaps.
* :func:`parallel_tempering` — replica exchange on a temperature ladder, with swap
  statistics, round trips and bit-exact checkpoint/resume; :func:`tune_temperatures`
  re-spaces a ladder to equalise exchange rates.
* :func:`multispin_metropolis` — 64 ±J lattice systems per machine word (multispin coding).
* :func:`anneal` — simulated annealing with schedules set from the model's field scale.
* :func:`population_annealing` — a population of chains cooled and resampled by Boltzmann
  weight, with the free energy along the way.
* :func:`autocorrelation`, :func:`integrated_autocorrelation_time`, :func:`mean_and_error` —
  time-series analysis of the output.
"""

from .analysis import autocorrelation, integrated_autocorrelation_time, mean_and_error
from .annealing import AnnealResult, anneal, field_scale
from .ground_states import (
    Extrapolation,
    SearchResult,
    TTSCurves,
    binomial_interval,
    default_ladder,
    ea_ground_state_sample,
    extrapolate,
    ground_state_search,
    pt_coldest_traces,
    running_success,
    sk_ground_state_sample,
    sk_tts_sample,
    success_probability,
    time_to_solution,
    tts_curves,
)
from .metropolis import MCResult, metropolis
from .multispin import MultispinResult, multispin_metropolis
from .population import PopulationResult, population_annealing
from .tempering import PTResult, parallel_tempering, tune_temperatures

__all__ = [
    "AnnealResult",
    "anneal",
    "field_scale",
    "MCResult",
    "PTResult",
    "autocorrelation",
    "integrated_autocorrelation_time",
    "mean_and_error",
    "metropolis",
    "MultispinResult",
    "multispin_metropolis",
    "parallel_tempering",
    "PopulationResult",
    "population_annealing",
    "tune_temperatures",
    "Extrapolation",
    "SearchResult",
    "binomial_interval",
    "default_ladder",
    "ea_ground_state_sample",
    "extrapolate",
    "ground_state_search",
    "pt_coldest_traces",
    "running_success",
    "sk_ground_state_sample",
    "sk_tts_sample",
    "success_probability",
    "time_to_solution",
    "TTSCurves",
    "tts_curves",
]
