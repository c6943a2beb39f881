"""Hopfield networks, their replica-symmetric theory, and restricted Boltzmann machines (RBMs).

Conventions: N Ising spins s_i = ±1, P = alpha N patterns xi^mu with zero-mean, unit-variance entries, Hebb
couplings J_ij = (1/N) sum_mu xi_i^mu xi_j^mu (J_ii = 0), H = -sum_{i<j} J_ij s_i s_j, energies and free energies
per spin, temperatures in units of these couplings (k_B = 1), Mattis overlaps m_mu = (1/N) xi^mu . s.

* :func:`patterns`, :func:`hebbian`, :func:`energy` -- random patterns (Boolean, Gaussian or in between), the
  Hebb rule, energies per spin.
* :func:`recall`, :func:`recall_overlaps` -- asynchronous retrieval dynamics (T = 0, Glauber or Metropolis) from
  a noisy cue in Numba, and the final overlap against the load averaged over pattern sets.
* :func:`retrieval`, :func:`spin_glass`, :func:`critical_load`, :func:`global_stability_load`,
  :func:`glass_temperature`, :func:`phase_diagram` -- the AGS replica-symmetric theory (T >= 0) and its
  generalisation to Boolean-Gaussian pattern priors (equations in :mod:`spinlab.hopfield.theory`).
* :func:`rbm_sample`, :func:`hidden_log_factor`, :func:`hopfield_temperature` -- alternating Gibbs sampling of
  an RBM with weights xi / sqrt(N) and Boolean-Gaussian unit priors; with Gaussian hidden units its visible
  marginal is the Hopfield network at temperature T^2; :func:`rbm_overlaps` measures retrieval by sampling.
* :func:`rbm_state`, :func:`rbm_critical_load`, :func:`rbm_glass_temperature`, :func:`tilted_moments` -- the
  replica-symmetric theory of the RBM with Boolean-Gaussian priors on visible units, hidden units and patterns
  (equations in :mod:`spinlab.hopfield.rbm_theory`).
"""

from .network import RecallRun, energy, hebbian, patterns, recall, recall_overlaps
from .rbm import RBMRun, hidden_log_factor, hopfield_temperature, rbm_overlaps, rbm_sample
from .rbm_theory import RBMState, rbm_critical_load, rbm_glass_temperature, rbm_state, tilted_moments
from .theory import (
    PhaseDiagram,
    RetrievalSolution,
    SpinGlassSolution,
    critical_load,
    glass_temperature,
    global_stability_load,
    phase_diagram,
    retrieval,
    spin_glass,
)

__all__ = [
    "PhaseDiagram",
    "RBMRun",
    "RBMState",
    "RecallRun",
    "RetrievalSolution",
    "SpinGlassSolution",
    "critical_load",
    "energy",
    "glass_temperature",
    "global_stability_load",
    "hebbian",
    "hidden_log_factor",
    "hopfield_temperature",
    "patterns",
    "phase_diagram",
    "rbm_critical_load",
    "rbm_glass_temperature",
    "rbm_overlaps",
    "rbm_sample",
    "rbm_state",
    "recall",
    "recall_overlaps",
    "retrieval",
    "spin_glass",
    "tilted_moments",
]
