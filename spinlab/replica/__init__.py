"""Replica theory of the SK model: the replica-symmetric solution, the de Almeida–Thouless line
and Parisi's k-step replica-symmetry-breaking solution (at T > 0 and at T = 0).

Examples
--------
>>> from spinlab import replica
>>> round(replica.rs(0.0).energy, 6)
-0.797885
"""

from .parisi import ParisiSolution, functional, k_power_fit, parisi
from .rs import RSSolution, at_field, at_temperature, rs

__all__ = ["ParisiSolution", "RSSolution", "at_field", "at_temperature", "functional", "k_power_fit", "parisi", "rs"]
