"""Analog Ising machines: mean-field dynamics of a coherent Ising machine (CIM) as a ground-state solver.

* :func:`cim` — Euler–Maruyama integration of the amplitude equations
  dx_i/dt = (p(t) - 1 - x_i^2) x_i + eps e_i (sum_j J_ij x_j + h_i) + noise, for many seeded runs at
  once, with a pump ramp or any pump schedule, and the optional amplitude-heterogeneity correction
  (error feedback e_i, Leleu et al. 2019); spins are read out as sign(x).
* :func:`bifurcation_pump`, :func:`largest_eigenvalue` — the pump 1 - eps lambda_max(J) at which the
  amplitudes leave zero; :func:`pump_ramp`, :func:`coupling_table` — helpers of :func:`cim`.
* :func:`ramp_success`, :func:`running_success_curve` — success probability and time to solution
  (TTS, in integration steps) on instances with a known ground state.
* :func:`compare_solvers`, :func:`sk_tts_sample`, :func:`ea_tts_sample` — the CIM against simulated
  annealing and parallel tempering from :mod:`spinlab.mc`, with measured wall time per step and sweep.

Conventions: energies per spin, H = -sum_{i<j} J_ij s_i s_j - sum_i h_i s_i; time in units of the
oscillator loss time, run lengths in integration steps (see :mod:`spinlab.ising_machines.dynamics`).
"""

from .benchmark import (
    METHODS,
    SolverComparison,
    SuccessCurve,
    compare_solvers,
    ea_tts_sample,
    ramp_success,
    running_success_curve,
    sk_tts_sample,
)
from .dynamics import CIMResult, bifurcation_pump, cim, coupling_table, largest_eigenvalue, pump_ramp

__all__ = [
    "CIMResult",
    "METHODS",
    "SolverComparison",
    "SuccessCurve",
    "bifurcation_pump",
    "cim",
    "compare_solvers",
    "coupling_table",
    "ea_tts_sample",
    "largest_eigenvalue",
    "pump_ramp",
    "ramp_success",
    "running_success_curve",
    "sk_tts_sample",
]
