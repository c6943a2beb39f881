"""Rotation-invariant descriptors and a learned, rotation-equivariant local-field model.

The model predicts one scalar coefficient per neighbour pair and builds the field from the neighbours' spins,

    h_i = sum_{j: r_ij < cutoff} c_ij S_j,      c_ij = c_scale * N(x_ij),

where N is a one-hidden-layer :mod:`spinlab.nn` network and x_ij are invariant inputs:

* ``environment=False`` ("pair" model): Gaussians of the distance, exp(-(r_ij - mu_m)^2 / (2 sigma^2));
* ``environment=True`` (Behler-Parrinello style): those, plus S_i.S_j and the mean (G_i + G_j)/2 of the two
  sites' descriptors G (see :func:`descriptors`).

Why this respects rotations: every input is built from distances, bond angles and dot/triple products of
spins, so it is unchanged when all spins are rotated by the same R (and/or the positions by another R'); the
c_ij are therefore unchanged and the prediction becomes sum_j c_ij R S_j = R h_i, exactly how the true field
transforms. Time reversal S -> -S leaves the inputs unchanged and flips h, as it must. The pair model is
moreover conservative: with c_ij = c(r_ij) = c_ji it is the exact field of the learned Hamiltonian
-sum_{i<j} c(r_ij) S_i.S_j.

Training minimises the field error (1/2M) sum |h_pred - h|^2 over the M field vectors with L-BFGS (scipy);
the network gradient comes from :func:`spinlab.nn.loss_and_grad` by the chain rule through the linear map
c -> h (the MSE "target" is shifted so that its gradient equals dLoss/dc).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from scipy import optimize
from threadpoolctl import threadpool_limits

from .. import nn
from .._rng import SeedLike, seed_sequence
from .._validate import check_int
from . import _kernels
from .system import MetallicSystem, _check_system, _check_unit_spins, _fields

__all__ = ["FieldModel", "FieldScore", "LearningCurve", "descriptors", "evaluate", "fit_field_model", "learning_curve"]


def _basis(n_radial: int, cutoff: float) -> tuple[np.ndarray, float]:
    centres = np.linspace(0.0, cutoff, n_radial)
    return centres, float(centres[1] - centres[0])


def _descriptors(system: MetallicSystem, spins: np.ndarray, centres: np.ndarray, sigma: float, cutoff: float):
    out = np.empty((spins.shape[0], system.n, centres.shape[0] + 3))
    _kernels.site_descriptors(
        system.indptr, system.indices, system.vectors, system.distances, spins, centres, sigma, cutoff, out
    )
    return out


def descriptors(system: MetallicSystem, spins: np.ndarray, *, n_radial: int = 8, cutoff: float | None = None):
    """Rotation-invariant descriptor G_i of every moment's magnetic neighbourhood.

    With the smooth cutoff f(r) = (1 + cos(pi r / cutoff)) / 2 and Gaussians g_m(r) = exp(-(r - mu_m)^2 /
    (2 sigma^2)) f(r) centred at mu_m = m * cutoff / (n_radial - 1) (sigma = the spacing), the features are

    * n_radial radial ones: sum_j (S_i.S_j) g_m(r_ij);
    * two bond-angle ones: sum_{j<k} (S_j.S_k) (1 +/- cos theta_jik)/2 f(r_ij) f(r_ik), theta_jik the angle
      between r_ij and r_ik;
    * a chirality one: sum_{j<k} (S_i.(S_j x S_k))^2 f(r_ij) f(r_ik).

    Only dot and squared triple products of spins and only distances and angles of positions enter, so G is
    invariant under a global rotation of the spins, under a rotation of the positions, and under S -> -S.

    Parameters
    ----------
    system : MetallicSystem
    spins : (n, 3) or (k, n, 3) unit vectors
    n_radial : int >= 2
    cutoff : float, optional
        Descriptor radius (default and maximum: ``system.cutoff``).

    Returns
    -------
    (n, n_radial + 3) or (k, n, n_radial + 3) float64

    Examples
    --------
    >>> from spinlab.metallic import random_system, random_spins
    >>> s = random_system(32, seed=0)
    >>> S = random_spins(32, seed=1)
    >>> R = np.linalg.qr(np.random.default_rng(2).standard_normal((3, 3)))[0]
    >>> G = descriptors(s, S)
    >>> G.shape, bool(np.allclose(G, descriptors(s, S @ R.T), atol=1e-12))
    ((32, 11), True)
    """
    system = _check_system(system)
    arr, single = _check_unit_spins(spins, system.n)
    n_radial = check_int(n_radial, "n_radial", minimum=2)
    cutoff = _check_cutoff(cutoff, system)
    centres, sigma = _basis(n_radial, cutoff)
    G = _descriptors(system, arr, centres, sigma, cutoff)
    return G[0] if single else G


def _check_cutoff(cutoff, system: MetallicSystem) -> float:
    if cutoff is None:
        return system.cutoff
    if isinstance(cutoff, bool) or not isinstance(cutoff, (int, float)) or not 0 < cutoff <= system.cutoff:
        raise ValueError(f"cutoff must be a number in (0, system.cutoff={system.cutoff}], got {cutoff!r}")
    return float(cutoff)


@dataclass(frozen=True)
class FieldModel:
    """A trained local-field model h_i = sum_j c_ij S_j (see the module docstring).

    Attributes
    ----------
    net : spinlab.nn.Network
        One hidden layer, ReLU, one output (MSE architecture), trained parameters in ``net.params``.
    environment : bool
        Whether the pair inputs include S_i.S_j and the site descriptors (else the distance only).
    n_radial : int
        Number of Gaussians (pair inputs and descriptors).
    cutoff : float
        Pairs at r >= cutoff get c_ij = 0.
    x_mean, x_std : (n_in,) float64
        Standardisation of the inputs (training-set mean and standard deviation).
    c_scale : float
        Output scale: c_ij = c_scale * network output.
    loss_history : (iterations + 1,) float64
        Training loss (1/2M) sum |h_pred - h|^2 before training and after every L-BFGS iteration.
    seed : int
        Root entropy of the initialisation.
    """

    net: nn.Network
    environment: bool
    n_radial: int
    cutoff: float
    x_mean: np.ndarray
    x_std: np.ndarray
    c_scale: float
    loss_history: np.ndarray
    seed: int

    def coefficients(self, system: MetallicSystem, spins: np.ndarray) -> np.ndarray:
        """Coefficients c_ij in the system's pair order: (1, P) for the pair model, (k, P) otherwise."""
        system = _check_system(system)
        if system.cutoff < self.cutoff:
            raise ValueError(f"system.cutoff must be >= the model cutoff {self.cutoff}, got {system.cutoff}")
        arr, _ = _check_unit_spins(spins, system.n)
        X, mask = _inputs(self.environment, self.n_radial, self.cutoff, system, arr)
        return self._coef(self.net.params, X, mask)

    def _coef(self, params, X, mask):
        out = nn.predict(self.net, (X - self.x_mean) / self.x_std, params=params)[:, 0]
        return (self.c_scale * out).reshape(-1 if self.environment else 1, mask.size) * mask

    def field_function(self, system: MetallicSystem):
        """A fast callable ``f(spins (1, n, 3)) -> fields (1, n, 3)`` for dynamics (no argument checks).

        For the pair model the coefficients are computed once; otherwise at every call.
        """
        system = _check_system(system)
        if system.cutoff < self.cutoff:
            raise ValueError(f"system.cutoff must be >= the model cutoff {self.cutoff}, got {system.cutoff}")
        fixed = None if self.environment else self.coefficients(system, np.tile([0.0, 0.0, 1.0], (system.n, 1)))

        def field(spins: np.ndarray) -> np.ndarray:
            if fixed is None:
                X, mask = _inputs(True, self.n_radial, self.cutoff, system, spins)
                coef = self._coef(self.net.params, X, mask)
            else:
                coef = fixed
            out = np.empty_like(spins)
            _kernels.pair_fields(system.indptr, system.indices, coef, spins, out)
            return out

        return field

    def predict(self, system: MetallicSystem, spins: np.ndarray) -> np.ndarray:
        """Predicted local fields, same shape as ``spins``.

        Examples
        --------
        >>> from spinlab.metallic import random_system, random_spins, snapshots
        >>> s = random_system(32, seed=0)
        >>> model = fit_field_model(s, snapshots(s, 4, seed=1), environment=False, max_iter=5, seed=2)
        >>> model.predict(s, random_spins(32, seed=3)).shape
        (32, 3)
        """
        arr, single = _check_unit_spins(spins, system.n)
        coef = self.coefficients(system, arr)
        h = np.empty_like(arr)
        _kernels.pair_fields(system.indptr, system.indices, coef, arr, h)
        return h[0] if single else h


def _inputs(environment: bool, n_radial: int, cutoff: float, system: MetallicSystem, spins: np.ndarray):
    """Network inputs (rows = pairs, or configs x pairs) and the 0/1 mask of pairs inside the cutoff."""
    centres, sigma = _basis(n_radial, cutoff)
    r = system.distances
    radial = np.exp(-((r[:, None] - centres[None, :]) ** 2) / (2 * sigma**2))
    mask = (r < cutoff).astype(np.float64)
    if not environment:
        return radial, mask
    k = spins.shape[0]
    rows = np.repeat(np.arange(system.n), np.diff(system.indptr))
    G = _descriptors(system, spins, centres, sigma, cutoff)
    dots = np.einsum("kpa,kpa->kp", spins[:, rows], spins[:, system.indices])
    pair_G = 0.5 * (G[:, rows] + G[:, system.indices])
    X = np.concatenate([np.broadcast_to(radial, (k, *radial.shape)), dots[..., None], pair_G], axis=-1)
    return X.reshape(k * system.n_pairs, -1), mask


def _objective(model: FieldModel, Xs, mask, system: MetallicSystem, spins, target, weight):
    """Training loss (1/2M) sum_selected |h_pred - h|^2 and its gradient with respect to the flat parameters.

    The gradient is the chain rule dL/dtheta = sum_p dL/dc_p dc_p/dtheta. spinlab.nn's MSE gradient is
    (1/R) sum_p (out_p - y_p) dout_p/dtheta over R rows, so the target y_p = out_p - R dL/dout_p gives it.
    """
    net = model.net
    n_rows = Xs.shape[0]
    n_vec = float(weight.sum())
    pred = np.empty_like(spins)
    dcoef = np.empty((spins.shape[0], system.n_pairs))

    def objective(params):
        out = nn.predict(net, Xs, params=params)[:, 0]
        coef = (model.c_scale * out).reshape(-1 if model.environment else 1, mask.size) * mask
        _kernels.pair_fields(system.indptr, system.indices, coef, spins, pred)
        resid = (pred - target) * weight
        value = 0.5 * float(np.sum(resid**2)) / n_vec
        _kernels.coef_gradient(system.indptr, system.indices, resid, spins, dcoef)
        g_coef = dcoef if model.environment else dcoef.sum(axis=0, keepdims=True)
        g_out = (g_coef * mask).ravel() * (model.c_scale / n_vec)
        _, grad = nn.loss_and_grad(params, net, Xs, (out - n_rows * g_out)[:, None])
        return value, grad

    return objective


def fit_field_model(
    system: MetallicSystem,
    spins: np.ndarray,
    fields: np.ndarray | None = None,
    *,
    environment: bool = True,
    n_radial: int = 12,
    width: int = 32,
    cutoff: float | None = None,
    max_iter: int = 300,
    sites: np.ndarray | None = None,
    seed: SeedLike = None,
) -> FieldModel:
    """Train a :class:`FieldModel` on configurations of one system.

    Parameters
    ----------
    system : MetallicSystem
    spins : (k, n, 3) unit vectors
        Training configurations (e.g. from :func:`spinlab.metallic.snapshots`).
    fields : (k, n, 3), optional
        Target fields (default: the exact RKKY fields).
    environment : bool
        Pair model (False) or Behler-Parrinello-style inputs with descriptors (True).
    n_radial : int >= 2
        Gaussians in the distance basis (and radial descriptors).
    width : int
        Hidden units.
    cutoff : float, optional
        Model radius (default: ``system.cutoff``).
    max_iter : int
        L-BFGS iterations.
    sites : (k, n) bool, optional
        Which field vectors enter the loss (default: all); the others still serve as neighbours.
    seed : int, SeedSequence, Generator or None
        Initialisation of the network; equal seeds give bit-identical models.

    Returns
    -------
    FieldModel

    Examples
    --------
    >>> from spinlab.metallic import random_system, snapshots
    >>> s = random_system(32, seed=0)
    >>> m = fit_field_model(s, snapshots(s, 4, seed=1), environment=False, max_iter=20, seed=2)
    >>> bool(m.loss_history[-1] < m.loss_history[0])
    True
    """
    system = _check_system(system)
    arr, single = _check_unit_spins(spins, system.n)
    if single:
        arr = arr.reshape(1, system.n, 3)
    if fields is None:
        target = _fields(system, arr)
    else:
        if not isinstance(fields, np.ndarray) or fields.shape not in (arr.shape, arr.shape[1:]):
            raise ValueError(f"fields must be an array with the shape of spins {spins.shape}")
        target = np.ascontiguousarray(fields, dtype=np.float64).reshape(arr.shape)
        if not np.all(np.isfinite(target)):
            raise ValueError("fields must contain only finite values")
    if not isinstance(environment, bool):
        raise TypeError(f"environment must be a bool, got {type(environment).__name__}")
    n_radial = check_int(n_radial, "n_radial", minimum=2)
    width = check_int(width, "width", minimum=1)
    max_iter = check_int(max_iter, "max_iter", minimum=0)
    cutoff = _check_cutoff(cutoff, system)
    if sites is None:
        weight = np.ones((arr.shape[0], system.n, 1))
    else:
        if not isinstance(sites, np.ndarray) or sites.dtype != bool or sites.shape != arr.shape[:2]:
            got = getattr(sites, "shape", sites)
            raise ValueError(f"sites must be a boolean array of shape {arr.shape[:2]}, got {got!r}")
        if not sites.any():
            raise ValueError("sites must select at least one field vector")
        weight = sites[..., None].astype(np.float64)
    root = seed_sequence(seed)
    X, mask = _inputs(environment, n_radial, cutoff, system, arr)
    x_mean, x_std = X.mean(axis=0), X.std(axis=0)
    x_std[x_std == 0] = 1.0
    Xs = (X - x_mean) / x_std
    n_vec = float(weight.sum())
    neighbours = max(float(mask.sum()) / system.n, 1.0)
    c_scale = float(np.sqrt(np.sum(weight * target**2) / n_vec / neighbours)) or 1.0
    net = nn.init_network(X.shape[1], width, 1, activation="relu", loss="mse", seed=root)
    model = FieldModel(net, environment, n_radial, cutoff, x_mean, x_std, c_scale, np.zeros(0), int(root.entropy))
    objective = _objective(model, Xs, mask, system, arr, target, weight)
    history = [objective(net.params)[0]]
    # L-BFGS-B's small dense algebra is slower with several BLAS threads than with one
    with threadpool_limits(limits=1, user_api="blas"):
        result = optimize.minimize(
            objective,
            net.params.copy(),
            jac=True,
            method="L-BFGS-B",
            options={"maxiter": max_iter},
            callback=lambda intermediate_result: history.append(float(intermediate_result.fun)),
        )
    return dataclasses.replace(model, net=net.with_params(result.x), loss_history=np.array(history))


@dataclass(frozen=True)
class FieldScore:
    """Field error of a model on a set of configurations.

    Attributes
    ----------
    rmse : float
        sqrt(mean over field components of (h_pred - h)^2), in units of J0.
    r2 : float
        1 - sum |h_pred - h|^2 / sum |h - mean(h)|^2 (over all field vectors).
    n_vectors : int
        Number of field vectors scored.
    """

    rmse: float
    r2: float
    n_vectors: int


def evaluate(model: FieldModel, system: MetallicSystem, spins: np.ndarray, fields=None) -> FieldScore:
    """RMSE and R^2 of the model's fields against ``fields`` (default: the exact ones).

    Examples
    --------
    >>> from spinlab.metallic import random_system, snapshots
    >>> s = random_system(32, seed=0)
    >>> m = fit_field_model(s, snapshots(s, 4, seed=1), environment=False, max_iter=50, seed=2)
    >>> score = evaluate(m, s, snapshots(s, 4, seed=5))
    >>> score.n_vectors, score.r2 > 0.5
    (128, True)
    """
    if not isinstance(model, FieldModel):
        raise TypeError(f"model must be a FieldModel (see fit_field_model), got {type(model).__name__}")
    system = _check_system(system)
    arr, _ = _check_unit_spins(spins, system.n)
    true = _fields(system, arr) if fields is None else np.asarray(fields, dtype=np.float64).reshape(arr.shape)
    pred = model.predict(system, arr)
    sq = float(np.sum((pred - true) ** 2))
    tot = float(np.sum((true - true.reshape(-1, 3).mean(axis=0)) ** 2))
    return FieldScore(rmse=float(np.sqrt(sq / true.size)), r2=1.0 - sq / tot, n_vectors=arr.shape[0] * system.n)


@dataclass(frozen=True)
class LearningCurve:
    """Held-out field error against the number of training field vectors.

    Attributes
    ----------
    sizes : (m,) int64
        Numbers of training field vectors (site, configuration) used.
    rmse, r2 : (m,) float64
        Held-out scores (see :class:`FieldScore`).
    environment : bool
    """

    sizes: np.ndarray
    rmse: np.ndarray
    r2: np.ndarray
    environment: bool


def learning_curve(
    system: MetallicSystem,
    train_spins: np.ndarray,
    test_spins: np.ndarray,
    sizes,
    *,
    test_system: MetallicSystem | None = None,
    environment: bool = True,
    seed: SeedLike = None,
    **options,
) -> LearningCurve:
    """Train on ``size`` field vectors for every size; score on ``test_spins`` (of ``test_system``).

    The training vectors are the first ``size`` of one seeded random ordering of all (configuration, site)
    pairs of ``train_spins`` (nested sets); only configurations holding a chosen vector are passed to
    :func:`fit_field_model`, which receives ``options`` (``n_radial``, ``width``, ``max_iter`` ...). Every
    size uses the same initialisation seed.

    Examples
    --------
    >>> from spinlab.metallic import random_system, snapshots
    >>> s = random_system(32, seed=0)
    >>> lc = learning_curve(s, snapshots(s, 2, seed=1), snapshots(s, 2, seed=2), [4, 64],
    ...                     environment=False, max_iter=10, seed=3)
    >>> lc.sizes.tolist(), lc.rmse.shape
    ([4, 64], (2,))
    """
    system = _check_system(system)
    train_arr, _ = _check_unit_spins(train_spins, system.n, "train_spins")
    test_system = system if test_system is None else _check_system(test_system)
    total = train_arr.shape[0] * system.n
    sizes = np.asarray(sizes, dtype=np.int64)
    if sizes.ndim != 1 or sizes.size == 0 or sizes.min() < 1 or sizes.max() > total:
        raise ValueError(f"sizes must be a non-empty list of integers in [1, {total}], got {sizes}")
    init_seed, order_seed = seed_sequence(seed).spawn(2)
    order = np.random.default_rng(order_seed).permutation(total)
    scores = []
    for size in sizes:
        chosen = np.zeros(total, dtype=bool)
        chosen[order[:size]] = True
        chosen = chosen.reshape(train_arr.shape[:2])
        used = chosen.any(axis=1)
        model = fit_field_model(
            system, train_arr[used], sites=chosen[used], environment=environment, seed=init_seed, **options
        )
        scores.append(evaluate(model, test_system, test_spins))
    return LearningCurve(
        sizes=sizes,
        rmse=np.array([s.rmse for s in scores]),
        r2=np.array([s.r2 for s in scores]),
        environment=environment,
    )
