"""Exact answers: Gray-code enumeration of small systems and closed forms (Onsager, Yang).

Enumeration visits all 2**n configurations (n <= 26) and holds their energies in memory
(8 bytes each: 512 MiB at n = 26). Energies are per spin, temperatures in units of J.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import integrate, special

from .._validate import check_int, check_temperature, check_temperatures
from ..models import Model
from ._kernels import boltzmann_moments, codes_below, gray_code_energies, hamming_distance_distribution

__all__ = [
    "GroundState",
    "OverlapDistribution",
    "Thermodynamics",
    "enumerate_energies",
    "ground_state",
    "onsager",
    "overlap_distribution",
    "thermo",
]

MAX_SPINS = 26
T_CRITICAL_2D = 2.0 / np.log1p(np.sqrt(2.0))


def _check_model(model) -> Model:
    if not isinstance(model, Model):
        raise TypeError(f"model must be a spinlab model (e.g. spinlab.models.sk(12)), got {type(model).__name__}")
    check_int(model.n, "model.n", maximum=MAX_SPINS)
    return model


def enumerate_energies(model: Model) -> np.ndarray:
    """Total energy of all 2**n configurations, indexed by code (bit k set <=> s_k = +1).

    Examples
    --------
    >>> import spinlab
    >>> e = enumerate_energies(spinlab.models.from_couplings([[0, 1.0], [1.0, 0]]))
    >>> e.tolist()  # codes 0 (--), 1 (+-), 2 (-+), 3 (++)
    [-1.0, 1.0, 1.0, -1.0]
    """
    model = _check_model(model)
    return gray_code_energies(model.to_dense(), model.h)


def codes_to_spins(codes: np.ndarray, n: int) -> np.ndarray:
    """Configurations (int8 ±1, shape ``(len(codes), n)``) from integer codes."""
    bits = (np.asarray(codes, dtype=np.int64)[:, None] >> np.arange(n)) & 1
    return (2 * bits - 1).astype(np.int8)


@dataclass(frozen=True)
class GroundState:
    """Exact ground state: ``energy`` per spin and all ``states`` (k, n) within ``tolerance``."""

    energy: float
    states: np.ndarray
    tolerance: float

    @property
    def degeneracy(self) -> int:
        """Number of degenerate ground states (both members of each spin-flip pair count)."""
        return int(self.states.shape[0])


def ground_state(model: Model, *, tolerance: float = 1e-9) -> GroundState:
    """All ground states of ``model`` by exhaustive Gray-code enumeration.

    Parameters
    ----------
    model : Model
        Any spinlab model with n <= 26 spins.
    tolerance : float
        States whose total energy lies within ``tolerance * (1 + |E_min|)`` of the minimum
        count as degenerate.

    Examples
    --------
    >>> import spinlab
    >>> gs = ground_state(spinlab.models.ising2d(3))
    >>> gs.energy, gs.degeneracy
    (-2.0, 2)
    """
    energies = enumerate_energies(model)
    emin = float(energies.min())
    codes = codes_below(energies, emin + tolerance * (1.0 + abs(emin)))
    states = codes_to_spins(codes, model.n)
    exact = model.energy(states)
    return GroundState(energy=float(exact.min()), states=states, tolerance=tolerance)


@dataclass(frozen=True)
class Thermodynamics:
    """Exact thermodynamics per spin at temperatures ``T`` (arrays, or floats for scalar T)."""

    T: np.ndarray | float
    free_energy: np.ndarray | float
    energy: np.ndarray | float
    specific_heat: np.ndarray | float
    entropy: np.ndarray | float


def thermo(model: Model, T) -> Thermodynamics:
    """Exact free energy, energy, specific heat and entropy per spin by enumeration.

    f = -T ln Z / n,  e = <H>/n,  c = (<H^2> - <H>^2) / (n T^2),  s = (e - f) / T.

    Examples
    --------
    >>> import spinlab
    >>> th = thermo(spinlab.models.from_couplings([[0, 1.0], [1.0, 0]]), 1.0)
    >>> round(th.energy, 6)  # -tanh(1) / 2
    -0.380797
    """
    temps, scalar = check_temperatures(T)
    energies = enumerate_energies(model)
    n = model.n
    emin = float(energies.min())
    betas = 1.0 / temps
    z, m1, m2 = boltzmann_moments(energies, emin, betas).T
    mean = m1 / z
    free = (emin - temps * np.log(z)) / n
    energy = (emin + mean) / n
    heat = (m2 / z - mean**2) * betas * betas / n  # (var * beta) * beta: 0 at T -> 0, never 0 * inf
    entropy = (energy - free) / temps
    values = [temps, free, energy, heat, entropy]
    if scalar:
        values = [float(v[0]) for v in values]
    return Thermodynamics(*values)


@dataclass(frozen=True)
class OverlapDistribution:
    """Exact P(q): probabilities ``p`` of the overlaps ``q = 1 - 2 d / n`` (d = Hamming distance)."""

    q: np.ndarray
    p: np.ndarray
    T: float

    def moment(self, power: int) -> float:
        """<q^power> under the exact distribution."""
        return float(np.sum(self.p * self.q**power))


def overlap_distribution(model: Model, T: float) -> OverlapDistribution:
    """Exact distribution of the overlap q = (1/n) sum_i s_i s'_i between two independent replicas.

    Examples
    --------
    >>> import spinlab
    >>> P = overlap_distribution(spinlab.models.sk(10, seed=0), 0.5)
    >>> float(round(P.p.sum(), 12))
    1.0
    """
    T = check_temperature(T)
    energies = enumerate_energies(model)
    weights = np.exp(-(energies - energies.min()) / T)
    weights /= weights.sum()
    n = model.n
    p = hamming_distance_distribution(weights, n)
    q = 1.0 - 2.0 * np.arange(n + 1) / n
    return OverlapDistribution(q=q[::-1].copy(), p=np.clip(p[::-1], 0.0, None), T=T)


def onsager(T) -> Thermodynamics:
    """Exact 2D Ising ferromagnet (J = 1, infinite square lattice): Onsager and Yang.

    Returns free energy, energy, specific heat, entropy per spin and, as ``magnetization``,
    Yang's spontaneous magnetisation (1 - sinh(2/T)**-4)**(1/8) below T_c, 0 above.

    Examples
    --------
    >>> round(float(onsager(T_CRITICAL_2D).energy), 6)  # -sqrt(2) at T_c
    -1.414214
    """
    temps, scalar = check_temperatures(T)
    beta = 1.0 / temps
    k = 2.0 * np.sinh(2 * beta) / np.cosh(2 * beta) ** 2
    free = np.empty_like(temps)
    for idx, (b, kk) in enumerate(zip(beta, k, strict=True)):
        integrand = lambda theta, kk=kk: np.log(0.5 * (1.0 + np.sqrt(max(0.0, 1.0 - (kk * np.sin(theta)) ** 2))))  # noqa: E731
        value, _ = integrate.quad(integrand, 0.0, np.pi, limit=200)
        free[idx] = -(np.log(2.0 * np.cosh(2.0 * b)) + value / (2.0 * np.pi)) / b
    m = np.minimum(k * k, 1.0)
    K = special.ellipk(m)
    E = special.ellipe(m)
    t2 = np.tanh(2 * beta) ** 2
    coth = 1.0 / np.tanh(2 * beta)
    with np.errstate(invalid="ignore", divide="ignore"):
        energy = -coth * (1.0 + (2.0 / np.pi) * (2.0 * t2 - 1.0) * K)
        heat = (
            (2.0 / np.pi)
            * (beta * coth) ** 2
            * (2.0 * K - 2.0 * E - 2.0 * (1.0 - t2) * (np.pi / 2.0 + (2.0 * t2 - 1.0) * K))
        )
        mag = np.where(temps < T_CRITICAL_2D, np.abs(1.0 - np.sinh(2 * beta) ** -4) ** 0.125, 0.0)
    energy = np.where(np.isclose(temps, T_CRITICAL_2D, rtol=0, atol=1e-12), -np.sqrt(2.0), energy)
    entropy = (energy - free) / temps
    result = OnsagerSolution(temps, free, energy, heat, entropy, mag)
    if scalar:
        return OnsagerSolution(*[float(v[0]) for v in (temps, free, energy, heat, entropy, mag)])
    return result


@dataclass(frozen=True)
class OnsagerSolution(Thermodynamics):
    """:class:`Thermodynamics` plus Yang's spontaneous ``magnetization``."""

    magnetization: np.ndarray | float = 0.0
