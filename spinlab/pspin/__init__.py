r"""The pure spherical p-spin model: its landscape in theory and gradient dynamics on it.

Model and normalisations
------------------------
Configurations are real vectors on the sphere :math:`|x|^2 = N`; energies are per spin,
:math:`E = H(x)/N`, and temperatures are in the same units as H (Boltzmann weight
:math:`e^{-H/T}`). Two normalisations are offered, everywhere through ``normalization=``:

``"var-n"`` (default)
    :math:`H(x) = N^{-(p-1)/2} \sum_{i_1,\dots,i_p=1}^{N} J_{i_1\dots i_p} x_{i_1}\cdots x_{i_p}`,
    summed over **all ordered tuples** (repeated indices included) with i.i.d. standard normal
    J. Then :math:`\mathbb{E}\,H(x)H(y) = N\,\xi(x\cdot y/N)` with :math:`\xi(q) = q^p` exactly
    at every N, in particular Var H = N on the sphere.
``"crisanti-sommers"``
    :math:`H(x) = -\sum_{i_1<\dots<i_p} J_{i_1\dots i_p} x_{i_1}\cdots x_{i_p}` with
    :math:`\langle J^2\rangle = p!/(2N^{p-1})` (distinct indices only). Then
    :math:`\xi(q) = q^p/2` up to O(1/N) terms, so every energy and temperature is the var-N one
    divided by :math:`\sqrt 2`.

Landscape (Kac–Rice complexity)
-------------------------------
Derivation sketch in the var-N normalisation. Rotational invariance makes every point of the
sphere equivalent, so the mean number of critical points at energy per spin u is the area of the
sphere times the density of the Riemannian gradient at zero times the conditional mean of
:math:`|\det \nabla^2_{\rm sph} H|` given H = Nu. Differentiating the covariance
:math:`N(x\cdot y/N)^p` shows that at a point the tangent gradient has i.i.d. N(0, p) entries,
the tangent Euclidean Hessian is :math:`\sqrt{p(p-1)}\,M` with M a GOE matrix whose spectrum
fills [-2, 2], and both are independent of H. The radial part of the gradient is
:math:`x\cdot\nabla H/|x| = pH/\sqrt N` (H is homogeneous of degree p), which gives the
spherical Hessian :math:`\sqrt{p(p-1)}\,M - p\,u\,\mathbb 1`. Its spectrum is a semicircle of
radius :math:`2\sqrt{p(p-1)}` centred at :math:`-pu`: every critical point below

.. math:: E_{\rm th} = -E_\infty, \qquad E_\infty = 2\sqrt{(p-1)/p}

is (with overwhelming probability) a minimum, and above it the bulk has an extensive number of
descending directions. Collecting the exponential factors (area
:math:`\tfrac12\log(2\pi e)`, gradient density :math:`-\tfrac12\log 2\pi p`, determinant
:math:`\tfrac12\log p(p-1) + \Phi(2u/E_\infty)`, energy density :math:`-u^2/2`, with
:math:`\Phi(s) = \int\log|\lambda - s|\,\rho_{\rm sc}(\lambda)\,d\lambda`) gives, for u <= 0,

.. math::
    \Theta_p(u) = \tfrac12\log(p-1) - \frac{p-2}{4(p-1)}u^2 - I(u), \qquad
    I(u) = \frac{2}{E_\infty^2}\int_u^{-E_\infty}\!\!\sqrt{z^2 - E_\infty^2}\,dz
    = -\frac{u}{E_\infty^2}\sqrt{u^2 - E_\infty^2}
      - \log\frac{-u + \sqrt{u^2 - E_\infty^2}}{E_\infty}

for :math:`u < -E_\infty` and I = 0 otherwise. I is the cost of an isolated eigenvalue leaving
the semicircle; a minimum above the threshold needs all N of them out, which is not exponential
in N but impossible at this order. This is the Auffinger–Ben Arous–Černý result, stated (as
they do) cumulatively: :math:`\Theta` is the growth rate of the mean number of critical points
with energy at most u, so it is flat at :math:`\tfrac12\log(p-1)` for u >= 0, and the minima
count :math:`\Theta_{p,0}` equals :math:`\Theta_p` below the threshold and stays at
:math:`\Theta_p(-E_\infty) = \tfrac12\log(p-1) - (p-2)/p` above it. The ground-state energy
:math:`E_0` is the zero of :math:`\Theta_p` (the annealed count is tight for pure p-spin,
p >= 3). For p = 2 the quadratic term vanishes, :math:`\Theta_2 = -I`, and
:math:`E_0 = E_{\rm th} = -\sqrt 2` (the lowest eigenvalue of the coupling matrix).

Dynamics: at zero temperature gradient descent from a random start does not reach E_0: it slows
down near the marginal minima at E_th. At finite temperature the equilibrium dynamics freezes
below :math:`T_d`, the highest T at which :math:`\beta^2\xi'(q) = q/(1-q)` has a root q > 0
(the long-time plateau of the correlation); maximising :math:`q^{p-2}(1-q)` gives
:math:`T_d^2 = p(p-2)^{p-2}/(2(p-1)^{p-1})` in the Crisanti–Sommers normalisation
(:math:`\sqrt{3/8}` for p = 3) and twice that in var-N. Below :math:`T_d` the dynamics ages towards
the threshold states of that temperature (:func:`dynamic_energy`).

At finite N gradient descent does stop, at genuine local minima a little above E_th whose lowest
Hessian eigenvalues (:meth:`SphericalPSpin.hessian_spectrum`) sit just above zero: for p = 3 in
var-N the mean final energy is E_th + 0.121 at N = 50, + 0.069 at N = 100 and + 0.049 at N = 200
(about 1.6 N^(-2/3)); the step size does not matter as long as it is stable (lr < ~0.2).

Contents: :func:`spherical` (a sample, with energy, gradients, Hessian), :func:`complexity`
(total, minima, fixed index), :func:`threshold_energy`, :func:`ground_state_energy`,
:func:`dynamic_temperature`, :func:`dynamic_energy`, and the dynamics :func:`gradient_descent`
(projected, several starts per sample in one pass over the couplings, optional stop at a
critical point) and :func:`langevin` (Euler–Maruyama, optional saved states).

Examples
--------
>>> from spinlab import pspin
>>> round(pspin.threshold_energy(3), 4), round(pspin.ground_state_energy(3), 4)
(-1.633, -1.657)
"""

from __future__ import annotations

import dataclasses
import itertools
import math
from dataclasses import dataclass

import numpy as np
from scipy import linalg, optimize

from .._rng import SeedLike, seed_sequence, spawn
from .._validate import check_choice, check_int, check_real, check_temperature
from . import _kernels

NORMALIZATIONS = ("var-n", "crisanti-sommers")
KINDS = ("total", "minima", "index")
MAX_COEFFICIENTS = 2**27  # 1 GiB of float64
MAX_TENSOR_ENTRIES = 2**25  # 256 MiB of float64

__all__ = [
    "DynamicsResult",
    "SphericalPSpin",
    "complexity",
    "dynamic_energy",
    "dynamic_temperature",
    "gradient_descent",
    "ground_state_energy",
    "langevin",
    "spherical",
    "threshold_energy",
    "to_sphere",
]


# ----------------------------------------------------------------------------- theory


def _check_p(p, *, maximum: int | None = None) -> int:
    return check_int(p, "p", minimum=2, maximum=maximum)


def _scale(normalization) -> float:
    """Energy unit relative to var-N: 1 for var-N, 1/sqrt(2) for Crisanti–Sommers."""
    check_choice(normalization, "normalization", NORMALIZATIONS)
    return 1.0 if normalization == "var-n" else 1.0 / math.sqrt(2.0)


def _e_inf(p: int) -> float:
    return 2.0 * math.sqrt((p - 1) / p)


def _edge_cost(u: np.ndarray, e_inf: float) -> np.ndarray:
    """I(u) in var-N units: cost of one GOE eigenvalue at u below the edge -e_inf (0 above)."""
    out = np.zeros_like(u)
    below = u < -e_inf
    v = u[below]
    root = np.sqrt(v * v - e_inf * e_inf)
    out[below] = -v * root / e_inf**2 - np.log((-v + root) / e_inf)
    return out


def _theta_varn(u: np.ndarray, p: int, kind: str, index: int = 0) -> np.ndarray:
    e_inf = _e_inf(p)
    half_log = 0.5 * math.log(p - 1)
    if kind == "total":
        v = np.minimum(u, 0.0)
        weight = 1
    else:
        v = np.minimum(u, -e_inf)
        weight = 1 if kind == "minima" else index + 1
    return half_log - (p - 2) / (4.0 * (p - 1)) * v * v - weight * _edge_cost(v, e_inf)


def complexity(E, p: int, *, kind: str = "total", index: int | None = None, normalization: str = "var-n"):
    r"""Annealed complexity of the pure spherical p-spin model (Auffinger–Ben Arous–Černý).

    Growth rate :math:`\lim N^{-1}\log\mathbb E\,\#\{\text{critical points (or minima) with }
    H/N \le E\}` of the mean number of critical points (``kind="total"``), local minima
    (``kind="minima"``) or critical points with exactly ``index`` descending directions
    (``kind="index"``) with energy per spin at most E. The formula and its derivation are in the
    module docstring; it is negative below the ground-state energy. For a fixed index k the
    large-deviation cost I(u) of an eigenvalue outside the semicircle is paid k + 1 times
    (Auffinger–Ben Arous–Černý), so :math:`\Theta_{p,k}(u) = \tfrac12\log(p-1) -
    \frac{p-2}{4(p-1)}u^2 - (k+1)I(u)` below the threshold and constant above it; ``"minima"`` is
    k = 0.

    Parameters
    ----------
    E : float or array_like
        Energy per spin, in the units of ``normalization``.
    p : int
        Order of the interaction, >= 2.
    kind : {"total", "minima", "index"}
    index : int, optional
        Number of descending directions k >= 0; required with ``kind="index"`` only.
    normalization : {"var-n", "crisanti-sommers"}
        Var H = N, or Crisanti–Sommers :math:`\langle J^2\rangle = p!/(2N^{p-1})` (energies
        divided by sqrt 2).

    Returns
    -------
    float or ndarray
        Same shape as ``E``.

    Examples
    --------
    >>> round(float(complexity(0.0, 3)), 4)  # log(2) / 2: all critical points
    0.3466
    >>> round(float(complexity(threshold_energy(3), 3, kind="minima")), 4)  # log(2)/2 - 1/3
    0.0132
    >>> complexity(-1.65, 3, kind="index", index=1) < complexity(-1.65, 3, kind="minima")
    True
    """
    p = _check_p(p)
    check_choice(kind, "kind", KINDS)
    if kind == "index":
        if index is None:
            raise ValueError('index must be given (an int >= 0) with kind="index"')
        index = check_int(index, "index", minimum=0)
    elif index is not None:
        raise ValueError(f'index is only used with kind="index", got kind={kind!r} and index={index!r}')
    scale = _scale(normalization)
    arr = np.asarray(E)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"E must be a real number or an array of them, got {type(E).__name__} {E!r}")
    u = np.atleast_1d(arr.astype(np.float64)) / scale
    if not np.all(np.isfinite(u)):
        raise ValueError("E must contain only finite values")
    out = _theta_varn(u, p, kind, index or 0)
    return float(out[0]) if arr.ndim == 0 else out.reshape(arr.shape)


def threshold_energy(p: int, *, normalization: str = "var-n") -> float:
    r"""Threshold energy per spin :math:`E_{\rm th} = -2\sqrt{(p-1)/p}` (var-N).

    Below it almost all critical points are minima; gradient descent from random starts
    ends near it. In Crisanti–Sommers normalisation it is :math:`-\sqrt{2(p-1)/p}`.

    Parameters
    ----------
    p : int
        Order of the interaction, >= 2.
    normalization : {"var-n", "crisanti-sommers"}

    Examples
    --------
    >>> round(threshold_energy(3, normalization="crisanti-sommers"), 6)  # -2/sqrt(3)
    -1.154701
    """
    p = _check_p(p)
    return -_e_inf(p) * _scale(normalization)


def ground_state_energy(p: int, *, normalization: str = "var-n") -> float:
    r"""Ground-state energy per spin :math:`E_0`: the zero of the total complexity.

    For p >= 3 it is the root of :math:`\Theta_p(E) = 0` below the threshold (found with
    Brent's method to ~1e-13); for p = 2 it equals the threshold, :math:`-\sqrt 2` in var-N
    (:math:`-1` in Crisanti–Sommers).

    Parameters
    ----------
    p : int
        Order of the interaction, >= 2.
    normalization : {"var-n", "crisanti-sommers"}

    Examples
    --------
    >>> round(ground_state_energy(3, normalization="crisanti-sommers"), 4)
    -1.1717
    >>> ground_state_energy(2)
    -1.4142135623730951
    """
    p = _check_p(p)
    scale = _scale(normalization)
    e_inf = _e_inf(p)
    if p == 2:
        return -e_inf * scale

    def theta(u):
        return float(_theta_varn(np.array([u]), p, "total")[0])

    lo = -e_inf
    while theta(lo) > 0:
        lo *= 1.5
    root = optimize.brentq(theta, lo, -e_inf, xtol=1e-14, rtol=4 * np.finfo(float).eps)
    return root * scale


def dynamic_temperature(p: int, *, normalization: str = "crisanti-sommers") -> float:
    r"""Dynamic (mode-coupling) temperature :math:`T_d` of the pure spherical p-spin model.

    :math:`T_d^2 = p(p-2)^{p-2}/(2(p-1)^{p-1})` in Crisanti–Sommers normalisation (twice that
    in var-N); below :math:`T_d` equilibrium dynamics no longer decorrelates. For p = 2 the
    formula gives the continuous transition T_c (1 in Crisanti–Sommers). Note the default
    normalisation here is Crisanti–Sommers, the one in which :math:`T_d` is usually quoted.

    Parameters
    ----------
    p : int
        Order of the interaction, >= 2.
    normalization : {"crisanti-sommers", "var-n"}

    Examples
    --------
    >>> round(dynamic_temperature(3) ** 2, 12)  # 3/8
    0.375
    """
    p = _check_p(p)
    scale = _scale(normalization)
    td2 = p * float(p - 2) ** (p - 2) / (2.0 * float(p - 1) ** (p - 1))
    return math.sqrt(2.0 * td2) * scale


def dynamic_energy(T: float, p: int, *, normalization: str = "crisanti-sommers") -> float:
    r"""Long-time energy per spin of Langevin dynamics from a random start, N -> infinity (Cugliandolo–Kurchan).

    Above :math:`T_d` the dynamics equilibrates in the paramagnet, :math:`E = -\beta\,\xi(1)`. Below it,
    it ages towards the threshold states of temperature T: with :math:`\xi(q) = q^p/2`
    (Crisanti–Sommers), q the largest root of the marginality condition
    :math:`\beta^2\xi''(q)(1-q)^2 = 1` and :math:`x = (p-2)(1-q)/q`,

    .. math:: E_\infty(T) = -\frac{\beta}{2}\left[1 - (1 - x)\,q^p\right],

    which is continuous at :math:`T_d` and tends to :func:`threshold_energy` as T -> 0. In var-N
    units energies and temperatures are multiplied by sqrt 2.

    Parameters
    ----------
    T : float
        Temperature (>= 0) in the units of ``normalization``.
    p : int
        Order of the interaction, >= 2.
    normalization : {"crisanti-sommers", "var-n"}

    Examples
    --------
    >>> round(dynamic_energy(0.0, 3), 6) == round(threshold_energy(3, normalization="crisanti-sommers"), 6)
    True
    >>> round(dynamic_energy(0.5, 3), 4), round(dynamic_energy(1.0, 3), 4)  # aging; paramagnet -1/(2T)
    (-0.8867, -0.5)
    """
    p = _check_p(p)
    scale = _scale(normalization)
    T = check_real(T, "T")
    if T < 0:
        raise ValueError(f"T must be >= 0, got {T}")
    t = T / (scale * math.sqrt(2.0))  # temperature in Crisanti-Sommers units
    if t == 0.0:
        return threshold_energy(p, normalization=normalization)
    td = dynamic_temperature(p)
    beta = 1.0 / t
    if t >= td:
        return -beta / 2.0 * scale * math.sqrt(2.0)
    q_d = (p - 2) / (p - 1)

    def marginal(q):
        return beta**2 * p * (p - 1) / 2.0 * q ** (p - 2) * (1.0 - q) ** 2 - 1.0

    q = optimize.brentq(marginal, q_d, 1.0, xtol=1e-15)
    x = (p - 2) * (1.0 - q) / q
    return -beta / 2.0 * (1.0 - (1.0 - x) * q**p) * scale * math.sqrt(2.0)


# ----------------------------------------------------------------------------- model


@dataclass(frozen=True, eq=False)
class SphericalPSpin:
    """A sample of the spherical p-spin Hamiltonian (see :func:`spherical`).

    Attributes
    ----------
    n, p : int
    normalization : str
    seed : int
        Root entropy of the disorder.
    coefficients : (C(n + p - 1, p),) float64
        :math:`H(x) = \\sum_{i_1\\le\\dots\\le i_p} c\\, x_{i_1}\\cdots x_{i_p}`, one coefficient
        per multiset of indices in the order of
        ``itertools.combinations_with_replacement(range(n), p)``.
    """

    n: int
    p: int
    normalization: str
    seed: int
    coefficients: np.ndarray

    def _points(self, x, name="x"):
        arr = np.asarray(x)
        if arr.dtype.kind not in "iuf":
            raise TypeError(f"{name} must be a real array, got dtype {arr.dtype}")
        if arr.ndim not in (1, 2) or arr.shape[-1] != self.n:
            raise ValueError(f"{name} must have shape ({self.n},) or (k, {self.n}), got shape {arr.shape}")
        arr = np.ascontiguousarray(np.atleast_2d(arr), dtype=np.float64)
        if not np.all(np.isfinite(arr)):
            raise ValueError(f"{name} must contain only finite values")
        return arr, np.ndim(x) == 1

    def hamiltonian(self, x):
        """Total H(x) (not per spin) for one point (n,) or a batch (k, n); any x, on the sphere or not."""
        X, single = self._points(x)
        H, _ = _kernels.gradients(self.coefficients, self.p, X)
        return float(H[0]) if single else H

    def energy(self, x):
        """Energy per spin H(x)/n; meant for points on the sphere |x|^2 = n (see :func:`to_sphere`).

        Examples
        --------
        >>> m = spherical(30, 3, seed=0)
        >>> x = to_sphere(np.ones(30))
        >>> abs(m.energy(x)) < 1.0
        True
        """
        X, single = self._points(x)
        H, _ = _kernels.gradients(self.coefficients, self.p, X)
        H = H / self.n
        return float(H[0]) if single else H

    def gradient(self, x):
        """Euclidean gradient of the total H at x, shape like ``x``."""
        X, single = self._points(x)
        _, G = _kernels.gradients(self.coefficients, self.p, X)
        return G[0] if single else G

    def riemannian_gradient(self, x):
        """Gradient of H projected on the tangent space of the sphere through x: g - (g.x / |x|^2) x."""
        X, single = self._points(x)
        _, G = _kernels.gradients(self.coefficients, self.p, X)
        G = G - (np.sum(G * X, axis=1) / np.sum(X * X, axis=1))[:, None] * X
        return G[0] if single else G

    def hessian(self, x) -> np.ndarray:
        """Euclidean Hessian (n, n) of the total H at one point x (n,), any x."""
        X, single = self._points(x)
        if not single:
            raise ValueError(f"x must be one point of shape ({self.n},), got shape {np.shape(x)}")
        out = np.empty((self.n, self.n))
        _kernels.hessian_into(self.coefficients, self.p, X[0], out)
        return out

    def hessian_spectrum(self, x) -> np.ndarray:
        r"""Eigenvalues (n - 1, ascending) of the Riemannian Hessian of the total H at x on the sphere.

        On the sphere :math:`|x|^2 = n` it is :math:`P\,(\nabla^2 H - (x\cdot\nabla H/n)\,\mathbb 1)\,P`
        restricted to the tangent space (P the tangent projector); at a point of energy per spin E
        the shift is pE. At a critical point the number of negative eigenvalues is its index.
        x is rescaled onto the sphere first.

        Examples
        --------
        >>> m = spherical(20, 2, seed=0)
        >>> x = to_sphere(np.ones(20))
        >>> m.hessian_spectrum(x).shape
        (19,)
        """
        y = to_sphere(self._points(x)[0][0])
        hess = self.hessian(y)
        shift = float(y @ self.gradient(y)) / self.n
        basis = linalg.null_space(y[None, :])  # orthonormal basis of the tangent space, (n, n - 1)
        return np.linalg.eigvalsh(basis.T @ hess @ basis - shift * np.eye(self.n - 1))

    def tensor(self) -> np.ndarray:
        """Dense symmetric coupling tensor T, shape (n,) * p, with H(x) = sum over all tuples T x...x.

        Each multiset coefficient is shared equally among its distinct permutations. Refused
        (ValueError) above 2**25 entries (256 MiB), e.g. p = 3 beyond n = 322.
        """
        if self.n**self.p > MAX_TENSOR_ENTRIES:
            raise ValueError(
                f"n**p = {self.n**self.p} entries exceed the dense-tensor limit {MAX_TENSOR_ENTRIES}; "
                "use the multiset coefficients instead"
            )
        weights = _kernels.multiset_weights(self.n, self.p)
        idx = np.array(_multisets(self.n, self.p)).T
        T = np.zeros((self.n,) * self.p)
        vals = self.coefficients / weights
        for perm in itertools.permutations(range(self.p)):
            T[tuple(idx[list(perm)])] = vals
        return T


def _multisets(n, p):
    return list(itertools.combinations_with_replacement(range(n), p))


def to_sphere(x):
    """Rescale x (shape (n,) or (k, n), no zero rows) onto the sphere |x|^2 = n.

    Examples
    --------
    >>> round(float(np.sum(to_sphere(np.arange(1.0, 5.0)) ** 2)), 12)
    4.0
    """
    arr = np.asarray(x, dtype=np.float64)
    norms = np.linalg.norm(arr, axis=-1, keepdims=True)
    if np.any(norms == 0) or not np.all(np.isfinite(norms)):
        raise ValueError("x must have finite, non-zero rows to be projected onto the sphere")
    return arr * (np.sqrt(arr.shape[-1]) / norms)


def spherical(n: int, p: int, *, seed: SeedLike = None, normalization: str = "var-n") -> SphericalPSpin:
    r"""Draw a spherical p-spin Hamiltonian on the sphere :math:`|x|^2 = n`, p in {2, 3, 4}.

    ``"var-n"``: :math:`H = n^{-(p-1)/2}\sum_{\text{all ordered tuples}} J x\cdots x`, J i.i.d.
    N(0, 1), stored per multiset (the coefficient of a multiset with multiplicities
    :math:`m_a` is Gaussian with variance :math:`p!/(\prod m_a!\, n^{p-1})`), so that
    :math:`\mathbb E H(x)H(y) = n (x\cdot y/n)^p` exactly. ``"crisanti-sommers"``:
    :math:`H = -\sum_{i_1<\dots<i_p} J x\cdots x`, :math:`\langle J^2\rangle = p!/(2n^{p-1})`
    (repeated-index coefficients are zero). Both use the same standard normal draw per multiset,
    so for one seed the Crisanti–Sommers H is, up to sign, the distinct-index part of the var-N H
    divided by sqrt 2.

    Memory: C(n + p - 1, p) float64 coefficients: 11 MB for p = 3, n = 200; 86 MB for
    p = 3, n = 400; 35 MB for p = 4, n = 100. One energy/gradient evaluation reads them once.

    Parameters
    ----------
    n : int
        Number of spins, >= p.
    p : int
        2, 3 or 4.
    seed : int, SeedSequence, Generator or None
        Seed of the disorder.
    normalization : {"var-n", "crisanti-sommers"}

    Examples
    --------
    >>> m = spherical(50, 3, seed=1)
    >>> x = to_sphere(np.random.default_rng(0).standard_normal(50))
    >>> g = m.riemannian_gradient(x)
    >>> abs(float(g @ x)) < 1e-9
    True
    """
    p = check_int(p, "p", minimum=2, maximum=4)
    n = check_int(n, "n", minimum=p)
    check_choice(normalization, "normalization", NORMALIZATIONS)
    weights = _kernels.multiset_weights(n, p)
    if weights.size > MAX_COEFFICIENTS:
        raise ValueError(f"n = {n} needs {weights.size} coefficients for p = {p}, above the limit {MAX_COEFFICIENTS}")
    ss = seed_sequence(seed)
    z = np.random.default_rng(ss).standard_normal(weights.size)
    if normalization == "var-n":
        coef = z * np.sqrt(weights / float(n) ** (p - 1))
    else:
        std = math.sqrt(math.factorial(p) / (2.0 * float(n) ** (p - 1)))
        coef = np.where(weights == math.factorial(p), z * std, 0.0)
    coef.setflags(write=False)
    return SphericalPSpin(n=n, p=p, normalization=normalization, seed=int(ss.entropy), coefficients=coef)


# ----------------------------------------------------------------------------- dynamics


@dataclass(frozen=True)
class DynamicsResult:
    """Output of :func:`gradient_descent` and :func:`langevin`.

    Attributes
    ----------
    energies : (starts, steps + 1) float64
        Energy per spin before each step and after the last (model normalisation).
    final_states : (starts, n) float64
        Final points, on the sphere |x|^2 = n.
    gradient_norms : (starts,) float64
        |Riemannian gradient| / sqrt(n) at the final points.
    method : str
        "gradient-descent" or "langevin".
    T, step : float
        Temperature (0 for gradient descent) and learning rate / time step.
    steps : int
    seed : int
        Root entropy of the random starts (and the noise).
    save_at : (k,) int64
        Step indices at which states were saved (empty unless requested, see :func:`langevin`).
    saved_states : (starts, k, n) float64 or None
        The states after ``save_at[j]`` steps (on the sphere).
    steps_taken : (starts,) int64 or None
        Gradient descent: steps made by each run (fewer than ``steps`` when it stopped at ``tol``).
    """

    energies: np.ndarray
    final_states: np.ndarray
    gradient_norms: np.ndarray
    method: str
    T: float
    step: float
    steps: int
    seed: int
    save_at: np.ndarray = dataclasses.field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    saved_states: np.ndarray | None = None
    steps_taken: np.ndarray | None = None

    @property
    def final_energies(self) -> np.ndarray:
        """Energy per spin at the end of each run."""
        return self.energies[:, -1]


def _check_model(model) -> SphericalPSpin:
    if not isinstance(model, SphericalPSpin):
        raise TypeError(f"model must be a SphericalPSpin (from spinlab.pspin.spherical), got {type(model).__name__}")
    return model


def _initial(model, x0, starts, ss):
    if x0 is None:
        rng = np.random.default_rng(ss)
        return to_sphere(rng.standard_normal((starts, model.n)))
    X, _ = model._points(x0, "x0")
    if np.any(np.linalg.norm(X, axis=1) == 0):
        raise ValueError("x0 must have non-zero rows (they are rescaled onto the sphere)")
    return np.ascontiguousarray(to_sphere(X))


def gradient_descent(
    model: SphericalPSpin,
    x0=None,
    *,
    steps: int,
    lr: float,
    seed: SeedLike = None,
    starts: int = 1,
    tol: float = 0.0,
) -> DynamicsResult:
    r"""Projected gradient descent on the sphere, from given or random starting points.

    Each step is :math:`x \leftarrow \sqrt n\,(x - \eta\,g)/|x - \eta\,g|` with g the Riemannian
    gradient of the total H (Euclidean gradient minus its radial part). Energies per spin in the
    model's normalisation. In var-N the spherical Hessian is bounded by about
    :math:`2\sqrt{p(p-1)} + p|E|` (≈ 10 for p = 3), so ``lr`` well below 0.2 keeps descent monotone.

    Parameters
    ----------
    model : SphericalPSpin
    x0 : (n,) or (k, n) array, optional
        Starting points (rescaled onto the sphere). Default: ``starts`` points uniform on the sphere.
    steps : int
        Number of steps (>= 1).
    lr : float
        Learning rate (> 0); ``lr * steps`` is the elapsed gradient-flow time.
    seed : int, SeedSequence, Generator or None
        Seed of the random starting points.
    starts : int
        Number of random starts when ``x0`` is None.
    tol : float
        Stop a run once :math:`|g|/\sqrt n` < ``tol`` (a critical point reached; 0, the default,
        never stops early). Its remaining energies repeat the last value; ``steps_taken`` says
        when it stopped. The trajectory up to then is the same as without ``tol``.

    Examples
    --------
    >>> m = spherical(40, 3, seed=2)
    >>> run = gradient_descent(m, steps=300, lr=0.05, seed=0, starts=2)
    >>> run.energies.shape
    (2, 301)
    >>> bool(np.all(run.final_energies < run.energies[:, 0]))
    True
    """
    model = _check_model(model)
    steps = check_int(steps, "steps", minimum=1)
    lr = check_real(lr, "lr", positive=True)
    starts = check_int(starts, "starts", minimum=1)
    ss = seed_sequence(seed)
    X = _initial(model, x0, starts, ss)
    tol = check_real(tol, "tol")
    if tol < 0:
        raise ValueError(f"tol must be >= 0 (0: run all steps), got {tol}")
    energies = np.empty((X.shape[0], steps + 1))
    norms = np.empty(X.shape[0])
    taken = np.empty(X.shape[0], dtype=np.int64)
    _kernels.descend(model.coefficients, model.p, X, steps, lr, tol, energies, norms, taken)
    return DynamicsResult(energies, X, norms, "gradient-descent", 0.0, lr, steps, int(ss.entropy), steps_taken=taken)


def langevin(
    model: SphericalPSpin,
    T: float,
    *,
    steps: int,
    dt: float,
    seed: SeedLike = None,
    x0=None,
    starts: int = 1,
    chunk: int = 256,
    save_at=None,
) -> DynamicsResult:
    r"""Overdamped Langevin dynamics on the sphere at temperature T (Euler–Maruyama, projected).

    Each step is :math:`x \leftarrow \sqrt n\,y/|y|` with
    :math:`y = x - dt\,g + \sqrt{2T\,dt}\,P\xi`, g the Riemannian gradient of the total H, P the
    tangent projector and ξ standard normal; the stationary law is :math:`\propto e^{-H/T}` on
    the sphere up to O(dt). T is in the model's units (T_d = sqrt(3/8) for p = 3 in
    Crisanti–Sommers, sqrt(3/4) in var-N).

    Parameters
    ----------
    model : SphericalPSpin
    T : float
        Temperature, > 0.
    steps : int
    dt : float
        Time step, > 0.
    seed : int, SeedSequence, Generator or None
        Root seed: child 0 draws the random starts, child 1 the noise.
    x0 : (n,) or (k, n) array, optional
        Starting points; default ``starts`` points uniform on the sphere.
    starts : int
    chunk : int
        Noise is drawn ``chunk`` steps at a time (memory chunk * starts * n floats). The noise
        stream, and so the trajectory, does not depend on ``chunk`` or ``save_at``.
    save_at : sequence of int, optional
        Step indices in [0, steps] after which to keep a copy of every state (for two-time
        correlations :math:`C(t, t') = x(t)\cdot x(t')/n`); returned as ``saved_states``.

    Examples
    --------
    >>> m = spherical(30, 3, seed=0, normalization="crisanti-sommers")
    >>> run = langevin(m, 2.0, steps=200, dt=0.02, seed=1, save_at=[0, 100])
    >>> run.energies.shape, run.T, run.saved_states.shape
    ((1, 201), 2.0, (1, 2, 30))
    """
    model = _check_model(model)
    T = check_temperature(T, "T")
    steps = check_int(steps, "steps", minimum=1)
    dt = check_real(dt, "dt", positive=True)
    starts = check_int(starts, "starts", minimum=1)
    chunk = check_int(chunk, "chunk", minimum=1)
    ss = seed_sequence(seed)
    start_ss, noise_ss = spawn(ss, 2)
    save = _check_save_at(save_at, steps)
    X = _initial(model, x0, starts, start_ss)
    rng = np.random.default_rng(noise_ss)
    energies = np.empty((X.shape[0], steps + 1))
    norms = np.empty(X.shape[0])
    saved = np.empty((X.shape[0], save.size, model.n))
    t = 0
    k = 0
    while True:
        while k < save.size and save[k] == t:
            saved[:, k] = X
            k += 1
        if t == steps:
            break
        stop = min(t + chunk, steps, save[k] if k < save.size else steps)
        noise = rng.standard_normal((stop - t, X.shape[0], model.n))
        _kernels.langevin_chunk(model.coefficients, model.p, X, dt, T, noise, t, energies, norms)
        t = stop
    return DynamicsResult(energies, X, norms, "langevin", T, dt, steps, int(ss.entropy), save, saved)


def _check_save_at(save_at, steps: int) -> np.ndarray:
    if save_at is None:
        return np.zeros(0, dtype=np.int64)
    arr = np.atleast_1d(np.asarray(save_at))
    if arr.ndim != 1 or arr.dtype.kind not in "iu":
        raise TypeError(f"save_at must be a sequence of integer step indices, got {save_at!r}")
    if arr.size and (arr.min() < 0 or arr.max() > steps):
        raise ValueError(f"save_at must lie in [0, steps = {steps}], got values from {arr.min()} to {arr.max()}")
    return np.sort(arr.astype(np.int64))
