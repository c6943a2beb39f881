"""Machine learning the Ising model (Alamino, arXiv 2402.11701): data, PCA and minimal classifiers.

* :mod:`~spinlab.mlising.lattices` -- periodic square, triangular and honeycomb lattices as neighbour tables,
  with their exact critical temperatures :data:`T_C_SQUARE`, :data:`T_C_TRIANGULAR`, :data:`T_C_HONEYCOMB`.
* :func:`sample` -- equilibrium configurations (int8) at a list of temperatures by Wolff cluster or Metropolis
  updates (seeded xoshiro streams, one per temperature), with energies and magnetisations per spin.
* :func:`pca` -- principal components (numpy SVD); the first one is the uniform vector, i.e. the magnetisation.
* :func:`train_classifier` -- a network without hidden layer, spin-flip symmetry imposed by ``|u . s|``;
  :func:`train_hidden` -- the same task without the symmetry, where two hidden ReLU units suffice.
* :func:`locate_tc`, :func:`extrapolate_tc`, :func:`finite_size_study` -- the temperature where the predicted
  probability of order crosses 1/2, and its extrapolation ``T_c(L) = T_c + a / L``.

Conventions: J = 1 ferromagnetic nearest-neighbour bonds, h = 0, spins int8 ±1, energies and magnetisations per
spin, temperatures in units of J (k_B = 1).
"""

from .classify import (
    FiniteSizeFit,
    FiniteSizeStudy,
    HiddenClassifier,
    PhaseClassifier,
    TcEstimate,
    extrapolate_tc,
    finite_size_study,
    locate_tc,
    train_classifier,
    train_hidden,
    training_set,
)
from .lattices import (
    CRITICAL_TEMPERATURES,
    LATTICES,
    T_C_HONEYCOMB,
    T_C_SQUARE,
    T_C_TRIANGULAR,
    Lattice,
    honeycomb,
    lattice,
    square,
    triangular,
)
from .pca import PCAResult, pca
from .sampling import SAMPLERS, Samples, sample

__all__ = [
    "CRITICAL_TEMPERATURES",
    "FiniteSizeFit",
    "FiniteSizeStudy",
    "HiddenClassifier",
    "PCAResult",
    "PhaseClassifier",
    "TcEstimate",
    "extrapolate_tc",
    "finite_size_study",
    "locate_tc",
    "pca",
    "train_classifier",
    "train_hidden",
    "training_set",
    "LATTICES",
    "SAMPLERS",
    "T_C_HONEYCOMB",
    "T_C_SQUARE",
    "T_C_TRIANGULAR",
    "Lattice",
    "Samples",
    "honeycomb",
    "lattice",
    "sample",
    "square",
    "triangular",
]
