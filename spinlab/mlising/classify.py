"""Minimal supervised classifiers of the Ising phases, the temperature where they change their mind, and the
finite-size extrapolation of that temperature.

Protocol (our reading of Alamino, arXiv 2402.11701; choices are keywords): configurations sampled far below
T_c are labelled *ordered* (1), those far above *disordered* (0); configurations in between are not used for
training. The trained network then assigns every configuration at every temperature a probability of being
ordered; the temperature where its mean crosses 1/2 is the estimate T_c(L) of a lattice with L x L cells.

* :func:`train_classifier` -- a network with no hidden layer, ``p = sigmoid(|u . s| / n + b)``. The absolute
  value imposes the spin-flip symmetry ``s -> -s``; ``symmetric=False`` drops it (``p = sigmoid(u . s / n + b)``),
  which cannot separate the phases because ordered states come with both signs of m.
* :func:`train_hidden` -- one hidden ReLU layer (:mod:`spinlab.nn`) without the symmetry: two units suffice,
  since ``relu(c m - d) + relu(-c m - d)`` is a function of |m|.
* :func:`locate_tc` -- the crossing of the mean predicted probability with 1/2, with a bootstrap error.
* :func:`extrapolate_tc` -- weighted least-squares fit ``T_c(L) = T_c + a L^(-1/nu)`` (nu = 1 in 2D).
* :func:`finite_size_study` -- sample, train and locate T_c(L) for several sizes of one lattice, then extrapolate.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from scipy.special import expit
from threadpoolctl import threadpool_limits

from .. import nn
from .._io import load_dataclass, save_dataclass
from .._rng import SeedLike, child, seed_sequence
from .._validate import check_int, check_real, check_temperatures
from .lattices import CRITICAL_TEMPERATURES
from .lattices import lattice as make_lattice
from .sampling import Samples, sample

__all__ = [
    "FiniteSizeFit",
    "FiniteSizeStudy",
    "HiddenClassifier",
    "PhaseClassifier",
    "TcEstimate",
    "extrapolate_tc",
    "finite_size_study",
    "locate_tc",
    "train_classifier",
    "train_hidden",
    "training_set",
]


def _check_samples(samples) -> Samples:
    if not isinstance(samples, Samples):
        raise TypeError(f"samples must be spinlab.mlising.Samples (from mlising.sample), got {type(samples).__name__}")
    return samples


def _as_rows(X, n: int) -> np.ndarray:
    if isinstance(X, Samples):
        X = X.X
    arr = np.asarray(X)
    if arr.dtype.kind not in "iuf" or arr.ndim != 2 or arr.shape[1] != n:
        raise ValueError(f"X must be Samples or a real array of shape (k, {n}), got {getattr(arr, 'shape', arr)}")
    return arr.astype(np.float64)


def training_set(
    samples: Samples, *, T_ordered: float | None = None, T_disordered: float | None = None
) -> tuple[np.ndarray, np.ndarray, float, float]:
    """Rows labelled 1 (ordered, T <= T_ordered) and 0 (disordered, T >= T_disordered).

    Defaults: the lowest and the highest quarter of the sampled temperature range,
    ``T_ordered = T_min + (T_max - T_min) / 4`` and ``T_disordered = T_max - (T_max - T_min) / 4``.
    To label by a trial temperature T* (below/above), pass the grid temperatures just below and above T*.

    Returns
    -------
    X : (k, n) int8, y : (k,) int64, T_ordered, T_disordered

    Examples
    --------
    >>> from spinlab import mlising
    >>> s = mlising.sample(mlising.square(4), [1.0, 2.0, 3.0, 4.0, 5.0], 3, seed=0)
    >>> X, y, lo, hi = training_set(s)
    >>> X.shape, y.tolist(), (lo, hi)
    ((12, 16), [1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0], (2.0, 4.0))
    """
    samples = _check_samples(samples)
    span = samples.T.max() - samples.T.min()
    lo = samples.T.min() + span / 4 if T_ordered is None else check_real(T_ordered, "T_ordered", positive=True)
    hi = samples.T.max() - span / 4 if T_disordered is None else check_real(T_disordered, "T_disordered", positive=True)
    if not lo < hi:
        raise ValueError(f"T_ordered must be < T_disordered, got T_ordered={lo}, T_disordered={hi}")
    ordered = samples.T <= lo * (1 + 1e-12)  # a grid point on a threshold counts despite rounding
    disordered = samples.T >= hi * (1 - 1e-12)
    if not ordered.any() or not disordered.any():
        raise ValueError(
            f"no sampled temperature is <= T_ordered={lo} or >= T_disordered={hi} (sampled: {samples.T.min()} to "
            f"{samples.T.max()}): widen the temperature grid or move the thresholds"
        )
    X = np.concatenate(
        [samples.configs[ordered].reshape(-1, samples.n), samples.configs[disordered].reshape(-1, samples.n)]
    )
    y = np.concatenate([np.ones(ordered.sum() * samples.n_samples), np.zeros(disordered.sum() * samples.n_samples)])
    return X, y.astype(np.int64), float(lo), float(hi)


@dataclass(frozen=True)
class PhaseClassifier:
    """A network without hidden layer: ``p(ordered | s) = sigmoid(|u . s| / n + b)`` (or without |.|).

    Attributes
    ----------
    weights : (n,) float64
        The vector u. Trained on Ising data it becomes nearly uniform, so that ``u . s / n ~ c m``.
    bias : float
        b; the decision boundary of a uniform u = c (1, ..., 1) is ``|m| = -b / c``.
    symmetric : bool
        Whether the input is ``|u . s|`` (invariant under s -> -s) or ``u . s``.
    loss : (epochs + 1,) float64
        Class-balanced cross-entropy (plus the L2 term) before training and after every epoch.
    train_accuracy : float
        Fraction of training rows classified correctly (p > 1/2 <=> ordered).
    T_ordered, T_disordered, epochs, lr, l2, seed
        What made the training.
    """

    weights: np.ndarray
    bias: float
    symmetric: bool
    loss: np.ndarray
    train_accuracy: float
    T_ordered: float
    T_disordered: float
    epochs: int
    lr: float
    l2: float
    seed: int

    @property
    def n(self) -> int:
        """Input size (number of spins)."""
        return int(self.weights.size)

    def logit(self, X) -> np.ndarray:
        """``|u . s| / n + b`` (or ``u . s / n + b``) for every row of ``X`` (configurations or Samples)."""
        a = _as_rows(X, self.n) @ self.weights / self.n
        return (np.abs(a) if self.symmetric else a) + self.bias

    def probability(self, X) -> np.ndarray:
        """Predicted probability that each configuration is ordered."""
        return expit(self.logit(X))

    def uniformity(self) -> float:
        """Cosine between the weights and the uniform vector: 1 means the network reads only m.

        Examples
        --------
        >>> from spinlab import mlising
        >>> s = mlising.sample(mlising.square(6), [1.0, 1.5, 4.0, 5.0], 50, seed=4)
        >>> clf = train_classifier(s, epochs=150, seed=1)
        >>> clf.uniformity() > 0.9, clf.train_accuracy > 0.95
        (True, True)
        """
        return float(abs(self.weights.sum()) / (np.linalg.norm(self.weights) * np.sqrt(self.n)))

    def threshold(self) -> float:
        """The |m| at which the network's output is 1/2, ``-b / mean(u)`` (meaningful when u is nearly uniform)."""
        return float(-self.bias / abs(self.weights.mean()))

    def save(self, path) -> None:
        """Write the classifier to an ``.npz`` file (no pickle)."""
        save_dataclass(self, path)

    @classmethod
    def load(cls, path) -> PhaseClassifier:
        """Read a classifier written by :meth:`save`."""
        r = load_dataclass(cls, path)
        floats = {k: float(getattr(r, k)) for k in ("bias", "train_accuracy", "T_ordered", "T_disordered", "lr", "l2")}
        return dataclasses.replace(r, symmetric=bool(r.symmetric), epochs=int(r.epochs), seed=int(r.seed), **floats)


def _loss_and_grad(params, X, y, weight, l2: float, symmetric: bool) -> tuple[float, np.ndarray]:
    """Weighted cross-entropy of ``sigmoid(|X u| / n + b)`` plus ``(l2 / 2) mean(u**2)``, and its gradient.

    ``params = [u, b]``; the derivative of |a| is taken as sign(a) (0 at a = 0).
    """
    n = X.shape[1]
    a = X @ params[:n] / n
    z = (np.abs(a) if symmetric else a) + params[n]
    value = np.sum(weight * (np.logaddexp(0.0, z) - y * z)) + 0.5 * l2 * np.mean(params[:n] ** 2)
    g_z = weight * (expit(z) - y)
    g_a = g_z * np.sign(a) if symmetric else g_z
    grad = np.concatenate([X.T @ g_a / n + l2 * params[:n] / n, [g_z.sum()]])
    return float(value), grad


def train_classifier(
    samples: Samples,
    *,
    symmetric: bool = True,
    T_ordered: float | None = None,
    T_disordered: float | None = None,
    epochs: int = 300,
    lr: float = 0.05,
    l2: float = 1e-3,
    seed: SeedLike = None,
) -> PhaseClassifier:
    """Train a no-hidden-layer network to tell ordered from disordered configurations.

    Full-batch Adam (beta1 = 0.9, beta2 = 0.999) on the class-balanced cross-entropy
    ``-sum_rows w_row [y log p + (1 - y) log(1 - p)] + (l2 / 2) mean(u**2)``, with each class weighted 1/2 in
    total; u starts as N(0, 0.1**2) entries drawn from ``seed`` and b = 0.

    Parameters
    ----------
    samples : Samples
        Configurations at several temperatures (see :func:`training_set` for the labels).
    symmetric : bool
        Impose the spin-flip symmetry through ``|u . s|`` (True) or not.
    T_ordered, T_disordered : float, optional
        Label thresholds (see :func:`training_set`).
    epochs : int
        Full-batch Adam steps.
    lr : float
        Adam step size (per weight; the weights are in units where u . s / n is O(u)).
    l2 : float
        Weight decay; keeps the weights finite on separable data.
    seed : int, SeedSequence, Generator or None

    Returns
    -------
    PhaseClassifier

    Examples
    --------
    >>> from spinlab import mlising
    >>> s = mlising.sample(mlising.square(6), [1.0, 1.5, 4.0, 5.0], 50, seed=4)
    >>> with_sym = train_classifier(s, epochs=150, seed=1)
    >>> without = train_classifier(s, symmetric=False, epochs=150, seed=1)
    >>> with_sym.train_accuracy > 0.95, without.train_accuracy < 0.85
    (True, True)
    """
    samples = _check_samples(samples)
    X8, y, lo, hi = training_set(samples, T_ordered=T_ordered, T_disordered=T_disordered)
    epochs = check_int(epochs, "epochs", minimum=0)
    lr = check_real(lr, "lr", positive=True)
    l2 = check_real(l2, "l2")
    if l2 < 0:
        raise ValueError(f"l2 must be >= 0, got {l2}")
    root = seed_sequence(seed)
    rng = np.random.default_rng(root)
    X = X8.astype(np.float64)
    n = X.shape[1]
    weight = np.where(y == 1, 0.5 / np.sum(y == 1), 0.5 / np.sum(y == 0))
    params = np.concatenate([0.1 * rng.standard_normal(n), [0.0]])
    m1 = np.zeros_like(params)
    m2 = np.zeros_like(params)
    history = np.empty(epochs + 1)

    with threadpool_limits(limits=1, user_api="blas"):  # small matrix-vector products: threads only contend
        for t in range(1, epochs + 1):
            history[t - 1], grad = _loss_and_grad(params, X, y, weight, l2, symmetric)
            m1 = 0.9 * m1 + 0.1 * grad
            m2 = 0.999 * m2 + 0.001 * grad**2
            params -= lr * (m1 / (1 - 0.9**t)) / (np.sqrt(m2 / (1 - 0.999**t)) + 1e-12)
        history[epochs] = _loss_and_grad(params, X, y, weight, l2, symmetric)[0]
    a = X @ params[:n] / n
    z = (np.abs(a) if symmetric else a) + params[n]
    return PhaseClassifier(
        weights=params[:n].copy(),
        bias=float(params[n]),
        symmetric=bool(symmetric),
        loss=history,
        train_accuracy=float(np.mean((z > 0) == (y == 1))),
        T_ordered=lo,
        T_disordered=hi,
        epochs=epochs,
        lr=lr,
        l2=l2,
        seed=int(root.entropy),
    )


@dataclass(frozen=True)
class HiddenClassifier:
    """A one-hidden-layer ReLU network (:mod:`spinlab.nn`) trained without the spin-flip symmetry.

    Attributes
    ----------
    network : spinlab.nn.Network
        n inputs (the spins), ``width`` ReLU units, 2 outputs (logits of disordered, ordered).
    training : spinlab.nn.TrainResult
        Curves of the best of the restarts.
    train_accuracy : float
        Final training accuracy of that network.
    T_ordered, T_disordered : float
        Label thresholds.
    """

    network: nn.Network
    training: nn.TrainResult
    train_accuracy: float
    T_ordered: float
    T_disordered: float

    def probability(self, X) -> np.ndarray:
        """Softmax probability of the *ordered* output for every configuration."""
        net = self.network
        hidden = np.maximum(_as_rows(X, net.n_in) @ net.W1 + net.b1, 0.0)
        logits = hidden @ net.W2 + net.b2
        return expit(logits[:, 1] - logits[:, 0])

    def hidden_alignment(self) -> np.ndarray:
        """Cosine between what training added to each hidden unit's input weights (W1 - W1 at initialisation)
        and the uniform vector: +1 or -1 when the unit learned to read +m or -m.

        Examples
        --------
        >>> from spinlab import mlising
        >>> s = mlising.sample(mlising.square(6), [1.0, 1.5, 4.0, 5.0], 50, seed=4)
        >>> sorted(np.sign(train_hidden(s, seed=1).hidden_alignment()).tolist())  # one unit per sign of m
        [-1.0, 1.0]
        """
        net = self.network
        learned = net.W1 - net.view("W1", self.training.initial_params.copy())
        return learned.sum(axis=0) / (np.linalg.norm(learned, axis=0) * np.sqrt(learned.shape[0]))


def train_hidden(
    samples: Samples,
    *,
    width: int = 2,
    T_ordered: float | None = None,
    T_disordered: float | None = None,
    epochs: int = 30,
    batch_size: int = 32,
    lr: float = 0.02,
    momentum: float = 0.9,
    restarts: int = 8,
    seed: SeedLike = None,
) -> HiddenClassifier:
    """Train ``restarts`` one-hidden-layer ReLU networks (no symmetry imposed) and keep the lowest final loss.

    Two units can represent |m| (one reads +m, the other -m), but only if their random initial weights let
    them specialise on opposite signs; a restart in which both units end up on the same sign stalls near
    75 % accuracy, hence several restarts. One unit can never exceed that.

    The classes are balanced by drawing the same number of rows from each (the smaller class size).
    Restart k uses child k of ``seed`` for its initialisation and shuffling (:func:`spinlab.nn.init_network`,
    :func:`spinlab.nn.train` with cross-entropy over two outputs).

    Examples
    --------
    >>> from spinlab import mlising
    >>> s = mlising.sample(mlising.square(6), [1.0, 1.5, 4.0, 5.0], 50, seed=4)
    >>> two, one = train_hidden(s, width=2, seed=2), train_hidden(s, width=1, seed=2)
    >>> bool(two.train_accuracy > 0.95), bool(one.train_accuracy < 0.85)
    (True, True)
    """
    samples = _check_samples(samples)
    X8, y, lo, hi = training_set(samples, T_ordered=T_ordered, T_disordered=T_disordered)
    width = check_int(width, "width", minimum=1)
    restarts = check_int(restarts, "restarts", minimum=1)
    root = seed_sequence(seed)
    rng = np.random.default_rng(child(root, restarts))
    per_class = min(np.sum(y == 0), np.sum(y == 1))
    rows = np.concatenate([rng.choice(np.flatnonzero(y == c), per_class, replace=False) for c in (0, 1)])
    X, y = X8[rows].astype(np.float64), y[rows]
    best = None
    for k in range(restarts):
        init_seed, train_seed = child(root, k).spawn(2)
        net = nn.init_network(X.shape[1], width, 2, activation="relu", seed=init_seed)
        run = nn.train(net, X, y, epochs=epochs, batch_size=batch_size, lr=lr, momentum=momentum, seed=train_seed)
        if best is None or run.train_loss[-1] < best.train_loss[-1]:
            best = run
    return HiddenClassifier(
        network=best.network,
        training=best,
        train_accuracy=float(best.train_accuracy[-1]),
        T_ordered=lo,
        T_disordered=hi,
    )


@dataclass(frozen=True)
class TcEstimate:
    """Mean predicted probability of order per temperature and its crossing with 1/2.

    Attributes
    ----------
    T, probability, probability_err : (temperatures,) float64
        Temperatures, mean of p(ordered | s) over the configurations there, and its standard error.
    tc, tc_err : float
        Crossing temperature (linear interpolation between the two grid points around the first drop below
        1/2) and its bootstrap standard error.
    L : int
        Linear size (cells per side) of the lattice.
    lattice : str
    """

    T: np.ndarray
    probability: np.ndarray
    probability_err: np.ndarray
    tc: float
    tc_err: float
    L: int
    lattice: str


def _crossing(T: np.ndarray, p: np.ndarray) -> float:
    below = np.flatnonzero(p < 0.5)
    if below.size == 0 or below[0] == 0:
        return np.nan
    k = below[0]
    return float(T[k - 1] + (p[k - 1] - 0.5) * (T[k] - T[k - 1]) / (p[k - 1] - p[k]))


def locate_tc(classifier, samples: Samples, *, n_boot: int = 200, seed: SeedLike = None) -> TcEstimate:
    """Where the classifier's mean probability of order, as a function of T, crosses 1/2.

    The error is the standard deviation of the crossing over ``n_boot`` bootstrap resamplings of the
    configurations at each temperature (the network is kept fixed).

    Parameters
    ----------
    classifier : PhaseClassifier or HiddenClassifier
        Anything with a ``probability(X)`` method.
    samples : Samples
        Configurations on a temperature grid that brackets the crossing.

    Examples
    --------
    >>> from spinlab import mlising
    >>> s = mlising.sample(mlising.square(8), np.linspace(1.0, 4.0, 13), 40, seed=5)
    >>> est = locate_tc(train_classifier(s, epochs=150, seed=1), s, seed=0)
    >>> bool(2.0 < est.tc < 2.8), est.probability.shape
    (True, (13,))
    """
    samples = _check_samples(samples)
    if not hasattr(classifier, "probability"):
        raise TypeError(f"classifier must have a probability(X) method, got {type(classifier).__name__}")
    n_boot = check_int(n_boot, "n_boot", minimum=2)
    if np.any(np.diff(samples.T) <= 0):
        raise ValueError("samples.T must be strictly increasing to locate a crossing")
    p = classifier.probability(samples.X).reshape(len(samples.T), samples.n_samples)
    mean = p.mean(axis=1)
    err = p.std(axis=1, ddof=1) / np.sqrt(samples.n_samples) if samples.n_samples > 1 else np.zeros(len(mean))
    tc = _crossing(samples.T, mean)
    if np.isnan(tc):
        raise ValueError(
            f"the mean probability never crosses 1/2 from above on T = {samples.T.min()}..{samples.T.max()} "
            f"(values {mean.min():.3f}..{mean.max():.3f}): widen the temperature grid or check the training"
        )
    rng = np.random.default_rng(seed_sequence(seed))
    picks = rng.integers(0, samples.n_samples, size=(n_boot, samples.n_samples))
    boots = np.array([_crossing(samples.T, p[:, idx].mean(axis=1)) for idx in picks])
    return TcEstimate(
        T=samples.T.copy(),
        probability=mean,
        probability_err=err,
        tc=tc,
        tc_err=float(np.nanstd(boots, ddof=1)),
        L=samples.L,
        lattice=samples.lattice,
    )


@dataclass(frozen=True)
class FiniteSizeFit:
    """Fit ``T_c(L) = tc + slope * L**(-1/nu)``.

    Attributes
    ----------
    L, tc_L, tc_L_err : (sizes,) float64
        The data (errors all 1 when none were given).
    nu : float
    tc, tc_err, slope, slope_err : float
        Fitted values; the errors come from the weighted least-squares covariance, scaled by the reduced
        chi-square when it exceeds 1 (and NaN with only two sizes and no errors).
    chi2 : float
        Chi-square of the fit (NaN without errors).
    """

    L: np.ndarray
    tc_L: np.ndarray
    tc_L_err: np.ndarray
    nu: float
    tc: float
    tc_err: float
    slope: float
    slope_err: float
    chi2: float

    def predict(self, L) -> np.ndarray:
        """The fitted T_c(L) at any sizes."""
        return self.tc + self.slope * np.asarray(L, dtype=np.float64) ** (-1.0 / self.nu)


def extrapolate_tc(L, tc, tc_err=None, *, nu: float = 1.0) -> FiniteSizeFit:
    """Extrapolate pseudo-critical temperatures to L -> infinity with ``T_c(L) = T_c + a L**(-1/nu)``.

    Examples
    --------
    >>> fit = extrapolate_tc([8, 16, 32], [2.52, 2.395, 2.3325], [0.01, 0.01, 0.01])  # 2.27 + 2 / L
    >>> round(fit.tc, 3), round(fit.slope, 3)
    (2.27, 2.0)
    """
    L = np.asarray(L, dtype=np.float64)
    tc_L = np.asarray(tc, dtype=np.float64)
    if L.ndim != 1 or L.size < 2 or tc_L.shape != L.shape:
        raise ValueError(f"L and tc must be 1-d arrays of the same length >= 2, got shapes {L.shape}, {tc_L.shape}")
    if np.any(L <= 0) or not np.all(np.isfinite(tc_L)):
        raise ValueError("L must be > 0 and tc finite")
    nu = check_real(nu, "nu", positive=True)
    have_err = tc_err is not None
    err = np.ones_like(L) if not have_err else np.asarray(tc_err, dtype=np.float64)
    if err.shape != L.shape or np.any(err <= 0) or not np.all(np.isfinite(err)):
        raise ValueError(f"tc_err must be positive and finite with shape {L.shape}, got {tc_err!r}")
    A = np.stack([np.ones_like(L), L ** (-1.0 / nu)], axis=1)
    Aw = A / err[:, None]
    coef, *_ = np.linalg.lstsq(Aw, tc_L / err, rcond=None)
    resid = (tc_L - A @ coef) / err
    dof = L.size - 2
    cov = np.linalg.inv(Aw.T @ Aw)
    chi2 = float(resid @ resid)
    if not have_err:
        cov = cov * (chi2 / dof) if dof > 0 else np.full_like(cov, np.nan)
    elif dof > 0 and chi2 / dof > 1:
        cov = cov * (chi2 / dof)
    return FiniteSizeFit(
        L=L,
        tc_L=tc_L,
        tc_L_err=err,
        nu=nu,
        tc=float(coef[0]),
        tc_err=float(np.sqrt(cov[0, 0])),
        slope=float(coef[1]),
        slope_err=float(np.sqrt(cov[1, 1])),
        chi2=chi2 if have_err else np.nan,
    )


@dataclass(frozen=True)
class FiniteSizeStudy:
    """Output of :func:`finite_size_study`: one :class:`TcEstimate` per size and their extrapolation."""

    lattice: str
    estimates: tuple
    classifiers: tuple
    fit: FiniteSizeFit

    @property
    def exact_tc(self) -> float:
        """The exact critical temperature of the lattice."""
        return float(CRITICAL_TEMPERATURES[self.lattice])


def finite_size_study(
    name: str,
    sizes,
    T,
    n_samples: int,
    *,
    sampler: str = "wolff",
    sweeps: int = 1,
    burn_in: int = 50,
    T_ordered: float | None = None,
    T_disordered: float | None = None,
    epochs: int = 300,
    nu: float = 1.0,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> FiniteSizeStudy:
    """For each size L: sample at the temperatures ``T``, train the symmetric no-hidden-layer classifier,
    locate its crossing T_c(L); then fit ``T_c(L) = T_c + a L**(-1/nu)``.

    Size k uses child k of ``seed`` (split into sampling, training and bootstrap streams).

    Examples
    --------
    >>> study = finite_size_study("square", [6, 8], np.linspace(1.0, 4.0, 13), 30, epochs=100, seed=0)
    >>> [e.L for e in study.estimates], bool(np.isfinite(study.fit.tc))
    ([6, 8], True)
    """
    sizes = [check_int(L, "sizes[k]", minimum=2) for L in sizes]
    if len(sizes) < 2:
        raise ValueError(f"sizes must hold at least two lattice sizes to extrapolate, got {sizes}")
    temps, _ = check_temperatures(T)
    root = seed_sequence(seed)
    estimates, classifiers = [], []
    for k, L in enumerate(sizes):
        s_seed, t_seed, b_seed = child(root, k).spawn(3)
        options = dict(sampler=sampler, sweeps=sweeps, burn_in=burn_in, seed=s_seed, progress=progress)
        data = sample(make_lattice(name, L), temps, n_samples, **options)
        clf = train_classifier(data, T_ordered=T_ordered, T_disordered=T_disordered, epochs=epochs, seed=t_seed)
        estimates.append(locate_tc(clf, data, seed=b_seed))
        classifiers.append(clf)
    fit = extrapolate_tc(sizes, [e.tc for e in estimates], [max(e.tc_err, 1e-6) for e in estimates], nu=nu)
    return FiniteSizeStudy(lattice=name, estimates=tuple(estimates), classifiers=tuple(classifiers), fit=fit)
