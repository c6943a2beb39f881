"""spinlab: spin-glass physics and its links to neural networks, computed.

Subpackages: :mod:`spinlab.models` (Hamiltonians), :mod:`spinlab.exact` (enumeration and
closed forms), :mod:`spinlab.mc` (Monte Carlo).
"""

from . import exact, mc, models, overlaps, replica, sweep, tap

__version__ = "0.1.0"
__all__ = ["__version__", "exact", "mc", "models", "overlaps", "replica", "sweep", "tap"]
