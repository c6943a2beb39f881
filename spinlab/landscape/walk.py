"""Protocol 1: random walks in parameter space from a trained minimum.

A walk starts at ``theta_0`` (usually the end of a training run) and proposes Gaussian steps
``theta -> theta + delta``:

* ``mode="isotropic"``: ``delta = step_size * xi / sqrt(D)`` with ``xi`` standard normal in R^D, so
  the root-mean-square step length is ``step_size`` (absolute units of parameter space);
* ``mode="layer"``: each block ``B`` of ``W1, b1, W2, b2`` moves by
  ``delta_B = step_size * ||theta_0,B|| * xi_B / sqrt(n_B)``, a root-mean-square change of
  ``step_size`` *relative* to the block's norm at the start (blocks of very different scale move
  comparably; a block that is zero at the start stays put).

The proposal is symmetric (the scales are fixed at the start), so with a walk temperature ``T``
the Metropolis rule (accept with probability ``min(1, exp(-(L_new - L_old) / T))``, ``L`` the mean
training loss in nats) samples ``exp(-L / T)``; without a temperature every step is accepted (a free
random walk, which climbs out of any minimum).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from tqdm.auto import tqdm

from .._rng import SeedLike, seed_sequence
from .._validate import check_choice, check_int, check_real
from ..mc.analysis import autocorrelation
from ..nn import Network
from ._problem import blocks, heldout, problem, start_params

__all__ = ["MODES", "RandomWalk", "correlation_steps", "random_direction", "random_walk"]

MODES = ("isotropic", "layer")


def step_scales(net: Network, theta: np.ndarray, mode: str) -> np.ndarray:
    """Per-parameter standard deviation of a unit step (multiply by ``step_size``)."""
    if mode == "isotropic":
        return np.full(theta.size, 1.0 / np.sqrt(theta.size))
    scales = np.empty(theta.size)
    for block in blocks(net):
        part = theta[block]
        scales[block] = np.linalg.norm(part) / np.sqrt(part.size)
    return scales


def random_direction(net: Network, *, mode: str = "isotropic", params=None, seed: SeedLike = None) -> np.ndarray:
    """A random direction ``d`` for probing the loss at ``params + r d``.

    ``"isotropic"``: a uniformly random unit vector (``||d|| = 1``, ``r`` is a Euclidean distance).
    ``"layer"``: per block, a random direction with the norm of that block of ``params``
    (``||d_B|| = ||theta_B||``; filter normalisation in the sense of Li et al. 2018), so ``r`` is a
    relative displacement of every block.

    Examples
    --------
    >>> from spinlab import nn
    >>> net = nn.init_network(4, 3, 2, seed=0)
    >>> d = random_direction(net, mode="layer", seed=1)
    >>> bool(np.isclose(np.linalg.norm(d[net.slices()["W1"]]), np.linalg.norm(net.W1)))
    True
    """
    check_choice(mode, "mode", MODES)
    theta = start_params(net, params)
    return _direction(net, theta, mode, np.random.default_rng(seed_sequence(seed)))


def _direction(net: Network, theta: np.ndarray, mode: str, rng: np.random.Generator) -> np.ndarray:
    xi = rng.standard_normal(theta.size)
    if mode == "isotropic":
        return xi / np.linalg.norm(xi)
    for block in blocks(net):
        xi[block] *= np.linalg.norm(theta[block]) / np.linalg.norm(xi[block])
    return xi


def correlation_steps(series) -> float:
    """Lag (in steps, interpolated linearly) at which the autocorrelation of ``series`` first drops below 1/e.

    The least-squares straight line in the step index is removed first (a free walk climbs steadily
    out of its minimum; the trend is not a correlation). NaN when the autocorrelation never drops
    below 1/e.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = np.zeros(20_000)
    >>> for t in range(1, x.size):  # AR(1) with rho(s) = exp(-s / 5): 1/e reached at s = 5
    ...     x[t] = np.exp(-0.2) * x[t - 1] + rng.standard_normal()
    >>> bool(abs(correlation_steps(x) - 5.0) < 0.3)
    True
    """
    x = np.asarray(series, dtype=np.float64)
    t = np.arange(x.size, dtype=np.float64)
    if x.ndim == 1 and x.size >= 4:
        x = x - np.polyval(np.polyfit(t, x, 1), t)
    rho = autocorrelation(x)
    below = np.flatnonzero(rho < np.exp(-1.0))
    if below.size == 0:
        return float("nan")
    s = int(below[0])
    return float(s - 1 + (rho[s - 1] - np.exp(-1.0)) / (rho[s - 1] - rho[s]))


@dataclass(frozen=True)
class RandomWalk:
    """Output of :func:`random_walk` (``n_steps + 1`` records, entry 0 is the start).

    Attributes
    ----------
    distance : (n_steps + 1,) float64
        Euclidean distance ``||theta_t - theta_0||`` in parameter space.
    train_loss, train_accuracy, test_loss, test_accuracy : (n_steps + 1,) float64
        Mean loss [nats for cross-entropy] and accuracy along the walk (test: NaN without a test set).
    acceptance : float
        Fraction of accepted proposals (1 without a temperature).
    escape_radius : float
        Distance at which the training loss first exceeds ``train_loss[0] + threshold`` (NaN if never).
    correlation_steps : float
        Steps after which the autocorrelation of the (detrended) training loss drops below 1/e
        (:func:`correlation_steps`). A property of the landscape only for a stationary walk (a
        Metropolis walk that has equilibrated); for a free or still drifting walk it grows with
        ``n_steps`` and mostly measures the drift.
    step_length : float
        Root-mean-square Euclidean length of the proposed steps.
    params : (D,) float64
        Final point of the walk.
    mode, step_size, temperature, threshold, seed
        What made the walk (``temperature`` 0 means no Metropolis test; ``seed`` the root entropy).
    """

    distance: np.ndarray
    train_loss: np.ndarray
    train_accuracy: np.ndarray
    test_loss: np.ndarray
    test_accuracy: np.ndarray
    acceptance: float
    escape_radius: float
    correlation_steps: float
    step_length: float
    params: np.ndarray
    mode: str
    step_size: float
    temperature: float
    threshold: float
    seed: int

    @property
    def correlation_length(self) -> float:
        """``correlation_steps * step_length``: the correlation length of the loss in parameter-space units."""
        return self.correlation_steps * self.step_length


def escape_radius(distance: np.ndarray, loss: np.ndarray, threshold: float) -> float:
    """First distance at which ``loss`` exceeds ``loss[0] + threshold`` (NaN if never)."""
    above = np.flatnonzero(loss > loss[0] + threshold)
    return float(distance[above[0]]) if above.size else float("nan")


def random_walk(
    net: Network,
    X: np.ndarray,
    y: np.ndarray,
    *,
    n_steps: int,
    step_size: float,
    mode: str = "isotropic",
    temperature: float | None = None,
    threshold: float = 0.1,
    params=None,
    X_test: np.ndarray | None = None,
    y_test: np.ndarray | None = None,
    seed: SeedLike = None,
    progress: bool | None = None,
) -> RandomWalk:
    """Random walk in parameter space from ``params`` (default ``net.params``), recording the loss landscape.

    Parameters
    ----------
    net : Network
        Architecture and (unless ``params`` is given) starting point, typically ``TrainResult.network``.
    X, y : arrays
        Training set defining the loss that is recorded and (with a temperature) sampled.
    n_steps : int
        Number of proposals (>= 1).
    step_size : float
        Root-mean-square step: absolute for ``mode="isotropic"``, relative to each block's norm for
        ``mode="layer"`` (see the module docstring), > 0.
    mode : {"isotropic", "layer"}
    temperature : float or None
        Walk temperature of the Metropolis test (in nats of training loss); None: accept every step.
    threshold : float
        Loss rise [nats] that defines the escape radius (> 0).
    params : (D,) array, optional
        Starting point.
    X_test, y_test : arrays, optional
        Held-out set evaluated along the walk.
    seed : int, SeedSequence, Generator or None
        Seed of the proposals and acceptance tests; same seed, same walk.
    progress : bool or None
        Progress bar over steps (default: off).

    Returns
    -------
    RandomWalk

    Examples
    --------
    >>> from spinlab import nn
    >>> X, y = nn.data.digits()
    >>> net = nn.train(nn.init_network(64, 8, 10, seed=0), X[:300], y[:300], epochs=20, lr=0.2, seed=1).network
    >>> walk = random_walk(net, X[:300], y[:300], n_steps=200, step_size=0.1, seed=2)
    >>> walk.distance.shape, bool(walk.train_loss[-1] > walk.train_loss[0])
    ((201,), True)
    """
    prob = problem(net, X, y)
    test = heldout(prob.net, X_test, y_test)
    n_steps = check_int(n_steps, "n_steps", minimum=1)
    step_size = check_real(step_size, "step_size", positive=True)
    check_choice(mode, "mode", MODES)
    T = 0.0 if temperature is None else check_real(temperature, "temperature", positive=True)
    threshold = check_real(threshold, "threshold", positive=True)
    theta0 = start_params(prob.net, params)
    root = seed_sequence(seed)
    rng = np.random.default_rng(root)
    scales = step_size * step_scales(prob.net, theta0, mode)

    records = np.full((4, n_steps + 1), np.nan)
    distance = np.zeros(n_steps + 1)
    theta = theta0.copy()
    current = prob.evaluate(theta)
    current_test = test.evaluate(theta) if test is not None else (np.nan, np.nan)
    records[:, 0] = (*current, *current_test)
    accepted, squared_steps = 0, 0.0
    for t in tqdm(range(1, n_steps + 1), desc="random walk", unit="step", disable=not progress):
        delta = scales * rng.standard_normal(theta.size)
        squared_steps += float(delta @ delta)
        proposal = theta + delta
        trial = prob.evaluate(proposal)
        u = rng.random()
        if T == 0.0 or trial[0] <= current[0] or u < np.exp(-(trial[0] - current[0]) / T):
            theta, current = proposal, trial
            accepted += 1
            if test is not None:
                current_test = test.evaluate(theta)
        records[:, t] = (*current, *current_test)
        distance[t] = np.linalg.norm(theta - theta0)
    train_loss = records[0]
    return RandomWalk(
        distance=distance,
        train_loss=train_loss,
        train_accuracy=records[1],
        test_loss=records[2],
        test_accuracy=records[3],
        acceptance=accepted / n_steps,
        escape_radius=escape_radius(distance, train_loss, threshold),
        correlation_steps=correlation_steps(train_loss) if n_steps >= 3 else float("nan"),
        step_length=float(np.sqrt(squared_steps / n_steps)),
        params=theta,
        mode=mode,
        step_size=step_size,
        temperature=T,
        threshold=threshold,
        seed=int(root.entropy),
    )
