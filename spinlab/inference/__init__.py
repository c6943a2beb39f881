"""Exact Bayesian inference of a hidden ±1 vector seen through Gaussian random fields (all-or-nothing).

Model (Bereyhi, Loureiro, Krzakala, Müller, Schulz-Baldes, arXiv 2201.09986, as documented in
:mod:`spinlab.inference.model`): x* uniform on {±1}^n, observations y_mu = V_mu(x*) + sqrt(noise) xi_mu for
mu = 1..M = alpha n, with independent centred Gaussian fields of covariance E V(x) V(x') = Phi(x . x' / n).

* :func:`make_covariance` — Phi from a preset (``"linear"``, ``"quadratic"``, ``"cubic"``), Walsh-degree
  weights {k: c_k} (Phi = sum_k c_k q^k) or any callable; :class:`Covariance` gives Phi, Phi' and the exact
  finite-n spectrum of the fields.
* :func:`sample_instance`, :func:`posterior`, :func:`posterior_stats` — one instance with all its fields
  stored, its exact posterior over all 2^n vectors, overlaps and MMSEs.
* :func:`load_curve` — the same summaries against the load, streamed over fields and averaged over instances.
* :func:`rs_curve`, :func:`rs_potential`, :func:`rs_critical_load`, :func:`capacity_load`, :func:`scalar_overlap` — the
  replica-symmetric prediction for large n and the all-or-nothing load 2 ln 2 / ln(1 + Phi(1)/noise).

Symmetry: a covariance with only even Walsh degrees (e.g. Phi = q^2) gives even fields, V(-x) = V(x); then
x* and -x* have equal posterior weight, the posterior mean is 0 and the sign-blind quantities
(``overlap_sq``, ``abs_overlap``, ``matrix_mmse``) are the meaningful ones.
"""

from .curves import LoadCurve, load_curve
from .model import (
    Covariance,
    Instance,
    PosteriorStats,
    make_covariance,
    posterior,
    posterior_stats,
    sample_instance,
)
from .theory import RSCurve, capacity_load, rs_critical_load, rs_curve, rs_potential, scalar_overlap

__all__ = [
    "Covariance",
    "Instance",
    "LoadCurve",
    "PosteriorStats",
    "RSCurve",
    "capacity_load",
    "load_curve",
    "make_covariance",
    "posterior",
    "posterior_stats",
    "rs_critical_load",
    "rs_curve",
    "rs_potential",
    "sample_instance",
    "scalar_overlap",
]
