"""Metallic spin glass: dilute classical moments with RKKY couplings, LLG relaxation, learned local fields.

After Shi, Zhang and Chern (arXiv 2311.16964), with a classical RKKY Hamiltonian standing in for the
electrons. Unit moments S_i at random fixed positions r_i (a periodic cube or an open cluster) interact by

    H = -sum_{i<j} J_ij S_i . S_j,    J_ij = J0 cos(2 k_F r_ij) / (k_F r_ij)^3 for r_ij < cutoff, else 0,

(J > 0 ferromagnetic; energies per moment in units of J0, lengths in units of 1/k_F for k_F = 1); the local
field is h_i = sum_j J_ij S_j = -dH/dS_i.

* :func:`rkky_coupling`, :class:`MetallicSystem`, :func:`random_system` -- geometry and couplings.
* :func:`random_spins`, :func:`local_fields`, :func:`energy`.
* :func:`relax` -- Landau-Lifshitz-Gilbert dynamics (norm-preserving Heun rotation integrator), with exact
  or learned fields; :func:`snapshots` -- configurations met along relaxations (training data).
* :func:`descriptors` -- rotation-invariant descriptors of each moment's magnetic neighbourhood.
* :func:`fit_field_model` -> :class:`FieldModel` (h_i = sum_j c_ij S_j with invariant c_ij from a
  :mod:`spinlab.nn` network), :func:`evaluate` -> :class:`FieldScore`, :func:`learning_curve`.
"""

from .dynamics import Relaxation, relax, snapshots
from .learn import FieldModel, FieldScore, LearningCurve, descriptors, evaluate, fit_field_model, learning_curve
from .system import MetallicSystem, energy, local_fields, random_spins, random_system, rkky_coupling

__all__ = [
    "FieldModel",
    "FieldScore",
    "LearningCurve",
    "MetallicSystem",
    "Relaxation",
    "descriptors",
    "energy",
    "evaluate",
    "fit_field_model",
    "learning_curve",
    "local_fields",
    "random_spins",
    "random_system",
    "relax",
    "rkky_coupling",
    "snapshots",
]
