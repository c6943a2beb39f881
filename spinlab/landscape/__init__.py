"""Loss landscapes of one-hidden-layer ReLU networks, probed like spin-glass energy landscapes.

The four protocols of Liao et al. (arXiv 2407.20724) on the networks of :mod:`spinlab.nn` (flat
float64 parameter vectors, mean losses in nats):

1. :func:`random_walk` — walks from a trained minimum (isotropic or layer-normalised steps, optional
   Metropolis test at a walk temperature): loss against distance, escape radius, correlation length.
2. :func:`permute_hidden`, :func:`interpolate`, :func:`swap_barriers`, :func:`align_hidden`,
   :func:`pair_barriers` — the permutation symmetry of hidden units, loss along straight lines and
   the barrier height, between permuted copies and between independently trained networks with and
   without Hungarian alignment.
3. :func:`align_solutions`, :func:`cluster_solutions`, :func:`ultrametric_analysis`,
   :func:`state_distances`, :func:`gaussian_surrogate`, :func:`function_states`,
   :func:`training_tree` — hierarchical clustering of many solutions after fixing the permutation
   gauge (or in function space), block-ordered distance matrix, cophenetic correlation and
   ultrametricity of triplets against a clusterless null model (applicable to any states, e.g. SK
   configurations), and genealogies of trainings that branch at several epochs.
4. :func:`flatness`, :func:`hessian_trace`, :func:`top_eigenvalue`, :func:`ruggedness_scan` —
   sharpness of minima (exact Hessian-vector products by the R-operator, :func:`hvp`) against test
   accuracy across batch sizes and learning rates, for minima of equal training loss
   (:func:`train_to_loss`).
"""

from .clustering import (
    GAUGES,
    LINKAGES,
    METRICS,
    Hierarchy,
    align_solutions,
    cluster_solutions,
    function_states,
    gaussian_surrogate,
    state_distances,
    ultrametric_analysis,
)
from .hessian import TopEigenvalue, TraceEstimate, hessian_matrix, hessian_trace, hvp, top_eigenvalue
from .permutation import (
    BarrierScan,
    Interpolation,
    PairBarriers,
    align_hidden,
    hidden_features,
    interpolate,
    pair_barriers,
    permute_hidden,
    solution_matrix,
    swap_barriers,
    swap_permutation,
)
from .ruggedness import MEASURES, Flatness, RuggednessScan, TargetTraining, flatness, ruggedness_scan, train_to_loss
from .tree import TrainingTree, training_tree
from .walk import MODES, RandomWalk, correlation_steps, random_direction, random_walk

__all__ = [
    "GAUGES",
    "LINKAGES",
    "MEASURES",
    "METRICS",
    "MODES",
    "BarrierScan",
    "Flatness",
    "Hierarchy",
    "Interpolation",
    "PairBarriers",
    "RandomWalk",
    "RuggednessScan",
    "TargetTraining",
    "TrainingTree",
    "TopEigenvalue",
    "TraceEstimate",
    "align_hidden",
    "align_solutions",
    "cluster_solutions",
    "correlation_steps",
    "flatness",
    "function_states",
    "gaussian_surrogate",
    "hessian_matrix",
    "hessian_trace",
    "hidden_features",
    "hvp",
    "interpolate",
    "pair_barriers",
    "permute_hidden",
    "random_direction",
    "random_walk",
    "ruggedness_scan",
    "solution_matrix",
    "state_distances",
    "swap_barriers",
    "swap_permutation",
    "top_eigenvalue",
    "train_to_loss",
    "training_tree",
    "ultrametric_analysis",
]
