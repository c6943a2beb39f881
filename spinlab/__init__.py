"""spinlab: spin-glass physics and its links to neural networks, computed.

Subpackages: :mod:`spinlab.models` (Hamiltonians), :mod:`spinlab.exact` (enumeration and
closed forms), :mod:`spinlab.mc` (Monte Carlo: Metropolis, parallel tempering, annealing,
multispin coding), :mod:`spinlab.overlaps` (P(q), Binder, ultrametricity), :mod:`spinlab.replica`
(RS, AT line, Parisi), :mod:`spinlab.tap` (TAP and AMP), :mod:`spinlab.sweep` (disorder averages),
:mod:`spinlab.nn` (small Numba networks and shipped datasets), :mod:`spinlab.pspin` (spherical p-spin
models, their complexity and dynamics).
"""

from . import exact, mc, models, nn, overlaps, pspin, replica, sweep, tap, widgets

__version__ = "0.1.0"
__all__ = ["__version__", "exact", "mc", "models", "nn", "overlaps", "pspin", "replica", "sweep", "tap", "widgets"]
