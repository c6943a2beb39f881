"""spinlab: spin-glass physics and its links to neural networks, computed.

Subpackages: :mod:`spinlab.models` (Hamiltonians), :mod:`spinlab.exact` (enumeration and
closed forms), :mod:`spinlab.mc` (Monte Carlo: Metropolis, parallel tempering, annealing,
multispin coding), :mod:`spinlab.overlaps` (P(q), Binder, ultrametricity), :mod:`spinlab.replica`
(RS, AT line, Parisi), :mod:`spinlab.tap` (TAP and AMP), :mod:`spinlab.sweep` (disorder averages),
:mod:`spinlab.nn` (small Numba networks and shipped datasets), :mod:`spinlab.pspin` (spherical p-spin
models, their complexity and dynamics), :mod:`spinlab.landscape` (loss-landscape protocols on trained
networks), :mod:`spinlab.hopfield` (Hopfield networks, RBMs, AGS theory), :mod:`spinlab.mlising` (machine
learning the Ising model), :mod:`spinlab.encodings` (cover encodings of rugged landscapes),
:mod:`spinlab.ising_machines` (coherent Ising machines), :mod:`spinlab.inference` (all-or-nothing inference),
:mod:`spinlab.metallic` (metallic spin glasses, LLG dynamics, learned local fields), :mod:`spinlab.nnspin`
(trained networks read as layered Ising models, TAP on their bonds).
"""

from . import (
    encodings,
    exact,
    hopfield,
    inference,
    ising_machines,
    landscape,
    mc,
    metallic,
    mlising,
    models,
    nn,
    nnspin,
    overlaps,
    pspin,
    replica,
    sweep,
    tap,
    widgets,
)

__version__ = "0.1.0"
__all__ = [
    "__version__",
    "encodings",
    "exact",
    "hopfield",
    "inference",
    "ising_machines",
    "landscape",
    "mc",
    "metallic",
    "mlising",
    "models",
    "nn",
    "nnspin",
    "overlaps",
    "pspin",
    "replica",
    "sweep",
    "tap",
    "widgets",
]
