"""Overlap observables of spin-glass simulations.

Notation: for one disorder sample, thermal averages <.> are time averages over a run; the
disorder average [.] is the mean over independent samples. Statistical errors of
disorder-averaged ratios come from the jackknife over samples (each sample is one
independent unit; within-sample correlations do not matter).
"""

from .correlation import correlation_length, fourier_susceptibilities
from .estimators import (
    Estimate,
    StateClustering,
    binder_cumulant,
    cluster_states,
    jackknife,
    overlap_histogram,
    overlap_matrix,
    spin_glass_susceptibility,
    triplet_overlaps,
)
from .finite_size import (
    BinderCrossing,
    StateSample,
    binder_crossing,
    binder_crossing_jackknife,
    binder_from_moments,
    sample_fluctuations,
    sample_states,
)

__all__ = [
    "BinderCrossing",
    "Estimate",
    "StateClustering",
    "StateSample",
    "binder_crossing",
    "binder_crossing_jackknife",
    "binder_cumulant",
    "binder_from_moments",
    "cluster_states",
    "correlation_length",
    "fourier_susceptibilities",
    "jackknife",
    "overlap_histogram",
    "overlap_matrix",
    "sample_fluctuations",
    "sample_states",
    "spin_glass_susceptibility",
    "triplet_overlaps",
]
