"""Tests of spinlab.pspin: landscape formulas, the finite-N model, and gradient dynamics."""

import itertools
import math

import numpy as np
import pytest
from scipy import integrate
from scipy.optimize import brentq

from spinlab import pspin
from spinlab.pspin import _kernels

# ----------------------------------------------------------------------------- theory


def test_threshold_closed_form_and_sqrt2():
    for p in (2, 3, 4):
        assert pspin.threshold_energy(p) == pytest.approx(-2 * math.sqrt((p - 1) / p), abs=1e-15)
        for f in (pspin.threshold_energy, pspin.ground_state_energy):
            assert f(p, normalization="crisanti-sommers") == pytest.approx(f(p) / math.sqrt(2), abs=1e-13)


def test_known_values():
    # p = 3, var-N: E_th = -2 sqrt(2/3) = -1.63299 exactly; E_0 = -1.65700 is the zero of the annealed
    # complexity, the value -1.657 quoted for the pure 3-spin model (Auffinger-Ben Arous-Cerny; in
    # Crisanti-Sommers units -1.1717 vs threshold -2/sqrt(3) = -1.1547, the classic 1RSB numbers).
    assert pspin.threshold_energy(3) == pytest.approx(-1.632993, abs=1e-6)
    assert pspin.ground_state_energy(3) == pytest.approx(-1.657, abs=5e-4)
    assert pspin.ground_state_energy(3, normalization="crisanti-sommers") == pytest.approx(-1.1717, abs=1e-4)
    assert pspin.threshold_energy(3, normalization="crisanti-sommers") == pytest.approx(-2 / math.sqrt(3), abs=1e-14)
    # p = 4: threshold -sqrt(3); E_0 from the same formula
    assert pspin.threshold_energy(4) == pytest.approx(-math.sqrt(3), abs=1e-14)
    assert pspin.ground_state_energy(4) == pytest.approx(-1.79409, abs=1e-4)
    # p = 2: E_0 = E_th = -sqrt(2) (var-N), the GOE edge
    assert pspin.ground_state_energy(2) == pytest.approx(-math.sqrt(2), abs=1e-15)
    assert pspin.ground_state_energy(2, normalization="crisanti-sommers") == pytest.approx(-1.0, abs=1e-15)


@pytest.mark.parametrize("p", [3, 4])
def test_ground_state_is_zero_of_complexity_below_threshold(p):
    e0, eth = pspin.ground_state_energy(p), pspin.threshold_energy(p)
    assert e0 < eth
    assert pspin.complexity(e0, p) == pytest.approx(0.0, abs=1e-12)
    assert pspin.complexity(e0 - 1e-3, p) < 0 < pspin.complexity(e0 + 1e-3, p)
    # below the threshold all critical points are minima
    u = np.linspace(e0 - 0.2, eth, 7)
    np.testing.assert_allclose(pspin.complexity(u, p, kind="minima"), pspin.complexity(u, p), atol=1e-14)


def test_complexity_pieces():
    p = 3
    eth = pspin.threshold_energy(p)
    # flat above 0 (total) and above the threshold (minima), continuous at the joins, increasing below
    assert pspin.complexity(1.0, p) == pytest.approx(0.5 * math.log(2), abs=1e-15)
    assert pspin.complexity(eth + 0.5, p, kind="minima") == pytest.approx(0.5 * math.log(2) - 1 / 3, abs=1e-14)
    for u0 in (eth, 0.0):
        assert pspin.complexity(u0 - 1e-9, p) == pytest.approx(pspin.complexity(u0 + 1e-9, p), abs=1e-7)
    u = np.linspace(-2.0, 0.0, 50)
    assert np.all(np.diff(pspin.complexity(u, p)) > 0)
    # the edge cost equals its integral definition (2/E^2) int_u^{-E} sqrt(z^2 - E^2) dz
    e_inf = -eth
    u0 = -1.9
    integral, _ = integrate.quad(lambda z: math.sqrt(z * z - e_inf**2), u0, -e_inf)
    quad_part = 0.5 * math.log(2) - (p - 2) / (4 * (p - 1)) * u0**2
    assert pspin.complexity(u0, p) == pytest.approx(quad_part - 2 / e_inf**2 * integral, abs=1e-10)
    # Crisanti-Sommers: same function of sqrt(2) E
    assert pspin.complexity(-1.2, p, normalization="crisanti-sommers") == pytest.approx(
        pspin.complexity(-1.2 * math.sqrt(2), p), abs=1e-15
    )
    assert pspin.complexity(np.zeros((2, 3)), p).shape == (2, 3)


def test_complexity_by_index():
    p = 3
    eth, e0 = pspin.threshold_energy(p), pspin.ground_state_energy(p)
    u = np.linspace(-1.8, 0.0, 37)
    np.testing.assert_array_equal(pspin.complexity(u, p, kind="index", index=0), pspin.complexity(u, p, kind="minima"))
    # below the threshold each extra descending direction costs one more edge term I(u) = Theta - Theta_min + ...
    below = u[u < eth]
    edge = pspin.complexity(below, p, kind="minima") - (0.5 * math.log(2) - below**2 / 8)  # = -I(u)
    for k in (1, 2, 7):
        theta_k = pspin.complexity(u, p, kind="index", index=k)
        np.testing.assert_allclose(theta_k[u < eth], 0.5 * math.log(2) - below**2 / 8 + (k + 1) * edge, atol=1e-13)
        assert np.all(theta_k[u >= eth] == pytest.approx(0.5 * math.log(2) - 1 / 3, abs=1e-14))
    # the lowest energies E_k of index-k points (zeros of Theta_k) rise with k towards the threshold
    zeros = [brentq(lambda e, k=k: pspin.complexity(e, p, kind="index", index=k), -1.7, eth) for k in range(6)]
    assert zeros[0] == pytest.approx(e0, abs=1e-10)
    assert np.all(np.diff(zeros) > 0) and zeros[-1] < eth
    assert zeros[1] == pytest.approx(-1.6529, abs=1e-4)


def test_dynamic_temperature():
    assert pspin.dynamic_temperature(3) ** 2 == pytest.approx(3 / 8, abs=1e-15)
    assert pspin.dynamic_temperature(3, normalization="var-n") ** 2 == pytest.approx(3 / 4, abs=1e-15)
    assert pspin.dynamic_temperature(2) == pytest.approx(1.0)  # spherical SK: T_c = 1
    # T_d is the largest T where beta^2 xi'(q) = q / (1 - q) has a root q > 0 (xi = q^p / 2)
    for p in (3, 4, 5):
        q = np.linspace(1e-4, 1 - 1e-4, 200001)
        td2 = np.max(p / 2 * q ** (p - 2) * (1 - q))
        assert pspin.dynamic_temperature(p) ** 2 == pytest.approx(td2, rel=1e-8)


def test_dynamic_energy():
    # p = 2 (spherical SK): E = -(1 - T / 2) below T_c = 1, -1 / (2T) above (Crisanti-Sommers units)
    for T in (0.0, 0.3, 0.9, 1.0, 1.7):
        expected = -(1 - T / 2) if T < 1 else -1 / (2 * T)
        assert pspin.dynamic_energy(T, 2) == pytest.approx(expected, abs=1e-12)
    for p in (3, 4):
        td = pspin.dynamic_temperature(p)
        # T -> 0: the threshold energy; T >= T_d: paramagnet -1/(2T); continuous at T_d
        eth = pspin.threshold_energy(p, normalization="crisanti-sommers")
        assert pspin.dynamic_energy(1e-7, p) == pytest.approx(eth)
        assert pspin.dynamic_energy(1.3, p) == pytest.approx(-1 / 2.6, abs=1e-14)
        assert pspin.dynamic_energy(td * (1 - 1e-10), p) == pytest.approx(-1 / (2 * td), abs=1e-6)
        # independent route: energy of marginal TAP states with zero-temperature energy E_th at self-overlap q,
        # U = q^(p/2) E_th - (beta/2) [1 + (p-1) q^p - p q^(p-1)]
        for T in (0.2, 0.4, 0.5):
            beta = 1 / T

            def marginal(q, beta=beta, p=p):
                return beta**2 * p * (p - 1) / 2 * q ** (p - 2) * (1 - q) ** 2 - 1

            q = brentq(marginal, (p - 2) / (p - 1), 1)
            tap = q ** (p / 2) * eth - beta / 2 * (1 + (p - 1) * q**p - p * q ** (p - 1))
            assert pspin.dynamic_energy(T, p) == pytest.approx(tap, abs=1e-12)
    # var-N: energies and temperatures times sqrt 2
    assert pspin.dynamic_energy(0.5 * math.sqrt(2), 3, normalization="var-n") == pytest.approx(
        math.sqrt(2) * pspin.dynamic_energy(0.5, 3), rel=1e-13
    )
    with pytest.raises(ValueError, match="T"):
        pspin.dynamic_energy(-0.1, 3)


# ----------------------------------------------------------------------------- model


@pytest.mark.parametrize("p", [2, 3, 4])
def test_multiset_weights_and_order(p):
    n = 5
    sets = list(itertools.combinations_with_replacement(range(n), p))
    expected = [math.factorial(p) / math.prod(math.factorial(s.count(i)) for i in set(s)) for s in sets]
    np.testing.assert_array_equal(_kernels.multiset_weights(n, p), expected)


@pytest.mark.parametrize("normalization", ["var-n", "crisanti-sommers"])
@pytest.mark.parametrize("p", [2, 3, 4])
def test_energy_matches_brute_force(p, normalization):
    n = 6
    m = pspin.spherical(n, p, seed=3, normalization=normalization)
    rng = np.random.default_rng(0)
    X = pspin.to_sphere(rng.standard_normal((4, n)))
    sets = list(itertools.combinations_with_replacement(range(n), p))
    brute = np.array([sum(c * np.prod(x[list(s)]) for c, s in zip(m.coefficients, sets, strict=True)) for x in X])
    np.testing.assert_allclose(m.hamiltonian(X), brute, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(m.energy(X), brute / n, rtol=1e-12, atol=1e-12)
    # the dense symmetric tensor gives the same H and is symmetric
    T = m.tensor()
    for perm in itertools.permutations(range(p)):
        np.testing.assert_allclose(T, np.transpose(T, perm), atol=1e-15)
    for x, h in zip(X, brute, strict=True):
        val = T
        for _ in range(p):
            val = val @ x
        assert val == pytest.approx(h, abs=1e-12)
    if normalization == "crisanti-sommers":  # no repeated-index terms
        weights = _kernels.multiset_weights(n, p)
        assert np.all(m.coefficients[weights != math.factorial(p)] == 0)


@pytest.mark.parametrize("normalization", ["var-n", "crisanti-sommers"])
@pytest.mark.parametrize("p", [2, 3, 4])
def test_gradients_match_finite_differences(p, normalization):
    n = 9
    m = pspin.spherical(n, p, seed=7, normalization=normalization)
    x = np.random.default_rng(1).standard_normal(n) * 1.3  # off the sphere on purpose
    g = m.gradient(x)
    eps = 1e-6
    fd = np.array([(m.hamiltonian(x + eps * e) - m.hamiltonian(x - eps * e)) / (2 * eps) for e in np.eye(n)])
    np.testing.assert_allclose(g, fd, rtol=1e-7, atol=1e-7)
    assert g @ x == pytest.approx(p * m.hamiltonian(x), rel=1e-12)  # Euler: H homogeneous of degree p
    # Riemannian gradient: tangent, and the derivative of H along a great circle through x on the sphere
    y = pspin.to_sphere(x)
    gr = m.riemannian_gradient(y)
    assert abs(gr @ y) < 1e-10
    v = np.random.default_rng(2).standard_normal(n)
    v -= (v @ y) / n * y
    v /= np.linalg.norm(v)

    def on_circle(t):
        return m.hamiltonian(np.cos(t) * y + np.sqrt(n) * np.sin(t) * v)

    d = (on_circle(eps) - on_circle(-eps)) / (2 * eps) / np.sqrt(n)
    assert gr @ v == pytest.approx(d, rel=1e-6, abs=1e-7)


@pytest.mark.parametrize(("p", "n"), [(2, 101), (3, 41), (4, 19)])
def test_gradient_matches_dense_tensor_at_larger_n(p, n):
    # long inner loops run through the vectorised path of the kernel; the dense symmetric tensor gives
    # grad H = p T[x, ..., x, :] exactly (up to rounding)
    m = pspin.spherical(n, p, seed=21)
    X = np.random.default_rng(3).standard_normal((2, n))
    T = m.tensor()
    for x, g in zip(X, m.gradient(X), strict=True):
        val = T
        for _ in range(p - 1):
            val = val @ x
        np.testing.assert_allclose(g, p * val, rtol=1e-10, atol=1e-10)


@pytest.mark.parametrize(("p", "n"), [(2, 12), (3, 12), (4, 8)])
def test_hessian_matches_finite_differences_and_spectrum(p, n):
    m = pspin.spherical(n, p, seed=5, normalization="crisanti-sommers" if p == 4 else "var-n")
    x = np.random.default_rng(4).standard_normal(n)
    hess = m.hessian(x)
    eps = 1e-5
    fd = np.array([(m.gradient(x + eps * e) - m.gradient(x - eps * e)) / (2 * eps) for e in np.eye(n)])
    np.testing.assert_allclose(hess, fd, atol=1e-8)
    np.testing.assert_array_equal(hess, hess.T)
    # Riemannian Hessian: second derivative of H along a great circle through y (a geodesic) equals v.Hess.v
    y = pspin.to_sphere(x)
    ev = m.hessian_spectrum(y)
    assert ev.shape == (n - 1,) and np.all(np.diff(ev) >= 0)
    v = np.random.default_rng(5).standard_normal(n)
    v -= (v @ y) / n * y
    v /= np.linalg.norm(v)
    h = 1e-4

    def on_circle(t):
        return m.hamiltonian(np.cos(t) * y + np.sin(t) * np.sqrt(n) * v)

    second = (on_circle(h) - 2 * on_circle(0.0) + on_circle(-h)) / h**2 / n  # arc length sqrt(n) t
    shift = m.energy(y) * p
    assert second == pytest.approx(v @ m.hessian(y) @ v - shift, rel=1e-6, abs=1e-6)
    assert ev[0] - 1e-9 <= second <= ev[-1] + 1e-9


def test_var_n_covariance():
    # exact: Var H(x) = sum_m var(c_m) x^(2m) = n^(1-p) |x|^(2p) (multinomial theorem) = n on the sphere
    n, p = 7, 3
    x = pspin.to_sphere(np.random.default_rng(0).standard_normal(n))
    sets = list(itertools.combinations_with_replacement(range(n), p))
    var_c = _kernels.multiset_weights(n, p) / n ** (p - 1)
    assert np.sum(var_c * np.array([np.prod(x[list(s)]) ** 2 for s in sets])) == pytest.approx(n, rel=1e-12)
    # and the sampled variance over 2000 disorder draws agrees (relative error ~ sqrt(2/2000) = 3 %)
    h = np.array([pspin.spherical(n, p, seed=s).hamiltonian(x) for s in range(2000)])
    assert np.var(h) == pytest.approx(n, rel=0.12)


def test_normalizations_differ_by_sqrt2_on_distinct_indices():
    n, p = 8, 3
    a = pspin.spherical(n, p, seed=4)
    b = pspin.spherical(n, p, seed=4, normalization="crisanti-sommers")
    distinct = _kernels.multiset_weights(n, p) == 6
    np.testing.assert_allclose(b.coefficients[distinct], a.coefficients[distinct] / math.sqrt(2), rtol=1e-14)
    assert b.normalization == "crisanti-sommers" and a.seed == 4


# ----------------------------------------------------------------------------- dynamics


def test_gradient_descent_monotone_and_stationary():
    m = pspin.spherical(40, 3, seed=11)
    run = pspin.gradient_descent(m, steps=1500, lr=0.02, seed=0, starts=3)
    assert np.all(np.diff(run.energies, axis=1) <= 1e-12)
    np.testing.assert_allclose(np.sum(run.final_states**2, axis=1), 40, rtol=1e-12)
    np.testing.assert_allclose(run.final_energies, m.energy(run.final_states), rtol=1e-12)
    assert np.all(run.gradient_norms < 5e-3)  # slow approach to marginal minima
    # the same seed reproduces; an explicit x0 is used as given (after rescaling)
    again = pspin.gradient_descent(m, steps=1500, lr=0.02, seed=0, starts=3)
    np.testing.assert_array_equal(run.energies, again.energies)
    x0 = np.ones(40) * 3.0
    one = pspin.gradient_descent(m, x0, steps=5, lr=0.02)
    assert one.energies[0, 0] == pytest.approx(m.energy(np.ones(40)), rel=1e-12)


def test_gradient_descent_tol_stops_on_the_same_trajectory():
    m = pspin.spherical(40, 3, seed=11)
    full = pspin.gradient_descent(m, steps=1500, lr=0.02, seed=0, starts=3)
    early = pspin.gradient_descent(m, steps=1500, lr=0.02, seed=0, starts=3, tol=5e-3)
    assert full.steps_taken.tolist() == [1500] * 3
    assert np.all(early.steps_taken < 1500) and np.all(early.gradient_norms < 5e-3)
    for r, k in enumerate(early.steps_taken):
        np.testing.assert_array_equal(early.energies[r, : k + 1], full.energies[r, : k + 1])
        assert np.all(early.energies[r, k:] == early.energies[r, k])
    np.testing.assert_allclose(early.final_energies, m.energy(early.final_states), rtol=1e-12)


def _final_gaps(n, samples, *, steps=1500, lr=0.18, base=0):
    """Final energies minus E_th of gradient descent, one random start on each of ``samples`` samples (p = 3, var-N)."""
    eth = pspin.threshold_energy(3)
    gaps, norms = [], []
    for s in range(samples):
        m = pspin.spherical(n, 3, seed=base + s)
        run = pspin.gradient_descent(m, steps=steps, lr=lr, seed=s, tol=1e-5)
        gaps.append(run.final_energies[0] - eth)
        norms.append(run.gradient_norms[0])
    return np.array(gaps), np.array(norms)


def test_gradient_descent_stops_near_threshold_not_ground_state():
    """The key landscape fact: descent from random starts ends near E_th, well above E_0.

    p = 3, var-N: E_0 = -1.657, E_th = -1.633. At finite N the minima reached sit above E_th by a
    finite-size gap that shrinks with N. Reference runs (lr = 0.18 up to t = 270, converged):
    gap 0.121 +- 0.007 at N = 50 (64 runs), 0.069 +- 0.006 at N = 100 (48 runs), 0.049 +- 0.002 at
    N = 200 (128 runs). Here 24 runs per size: the gap is positive, shrinks from N = 50 to N = 100 (the
    difference, 0.05, is ~4 standard errors), and at N = 100 no run gets down to E_0 (the lowest ends ~0.06
    above it; per-run spread ~0.04) and the mean is ~0.1 = 14 standard errors above it.
    """
    e0, eth = pspin.ground_state_energy(3), pspin.threshold_energy(3)
    gaps = {}
    for n in (50, 100):
        gaps[n], norms = _final_gaps(n, 24, base=10 * n)
        assert np.median(norms) < 1e-5 and np.all(norms < 0.05)  # converged (~1.7 at a random start)
        assert gaps[n].mean() > 0
    assert gaps[100].mean() < gaps[50].mean()
    assert gaps[100].mean() < 0.1
    assert np.min(gaps[100]) + eth > e0
    assert gaps[100].mean() + eth - e0 > 8 * gaps[100].std() / np.sqrt(gaps[100].size)


@pytest.mark.slow
def test_gradient_descent_n200_ends_within_005_of_threshold():
    """Issue requirement: GD from random starts at N = 200 ends within 0.05 of E_th on average.

    Measured (128 converged runs, 64 disorder samples, p = 3, var-N): mean gap 0.049 +- 0.002, i.e. the
    expected gap sits right at 0.05; it is a finite-size effect (runs converge to minima by t ~ 100-300, lr 0.1
    and 0.18 give the same endpoints; 0.12 at N = 50, 0.069 at N = 100). A sample of 32 runs has a standard
    error ~0.004, so we test the claim "expected gap <= 0.05" at the 99 % level: the sample mean may exceed
    0.05 by at most 2.5 standard errors of this sample. Runs that stopped at t = 270 without converging are
    kept (they are GD endpoints too, and only raise the mean).
    """
    gaps, norms = _final_gaps(200, 32, base=2000)
    se = gaps.std(ddof=1) / np.sqrt(gaps.size)
    assert np.mean(norms < 1e-5) > 0.8
    assert 0.0 < gaps.mean() < 0.05 + 2.5 * se
    assert se < 0.006  # the tolerance stays meaningful


def test_langevin_equilibrates_above_td_and_not_below():
    """Crisanti-Sommers p = 3, N = 64, dt = 0.02, 4 runs up to t = 200 (T_d = 0.612).

    Above T_d the energy averaged over t in [100, 200] is the paramagnetic one; at finite N on the sphere,
    to second order in beta, E_para = -(1/2T)(N-1)(N-2)/((N+2)(N+4)) (distinct-index sum and sphere moments;
    -0.2176 at T = 2, -0.4352 at T = 1). Measured deviations are < 0.005 for three samples (Euler-Maruyama bias
    ~0.003, run-to-run sd of the mean ~0.003); tolerance 0.015. Below T_d (T = 0.5) the energy stays 0.08-0.09
    above that line (three samples) and the configuration at t = 10 is still correlated at t = 100
    (C = 0.29-0.38, vs 0.05-0.09 at T = 1).
    """
    n = 64
    m = pspin.spherical(n, 3, seed=5, normalization="crisanti-sommers")
    factor = (n - 1) * (n - 2) / ((n + 2) * (n + 4))
    for T in (2.0, 1.0, 0.5):
        run = pspin.langevin(m, T, steps=10000, dt=0.02, seed=2, starts=4, save_at=[500, 5000])
        late = run.energies[:, 5000:].mean()
        corr = np.mean(np.sum(run.saved_states[:, 0] * run.saved_states[:, 1], axis=1)) / n
        if T > pspin.dynamic_temperature(3):
            assert late == pytest.approx(-factor / (2 * T), abs=0.015)
            assert abs(corr) < 0.15
        else:
            assert late > -factor / (2 * T) + 0.05
            assert corr > 0.2
    np.testing.assert_allclose(np.sum(run.final_states**2, axis=1), n, rtol=1e-12)


def test_langevin_saved_states_and_chunking():
    m = pspin.spherical(30, 3, seed=0, normalization="crisanti-sommers")
    a = pspin.langevin(m, 0.5, steps=100, dt=0.05, seed=3, starts=2, save_at=[17, 0, 100])
    b = pspin.langevin(m, 0.5, steps=100, dt=0.05, seed=3, starts=2, chunk=7)
    c = pspin.langevin(m, 0.5, steps=17, dt=0.05, seed=3, starts=2)
    # the noise stream does not depend on how it is chunked, so saving states leaves the trajectory unchanged
    np.testing.assert_array_equal(a.energies, b.energies)
    assert a.save_at.tolist() == [0, 17, 100] and a.saved_states.shape == (2, 3, 30)
    np.testing.assert_array_equal(a.saved_states[:, 2], b.final_states)
    np.testing.assert_array_equal(a.saved_states[:, 1], c.final_states)
    np.testing.assert_allclose(m.energy(a.saved_states[:, 0]), a.energies[:, 0], rtol=1e-12)
    assert b.saved_states.shape == (2, 0, 30)


# ----------------------------------------------------------------------------- validation


def test_validation():
    with pytest.raises(ValueError, match="p"):
        pspin.spherical(10, 5, seed=0)
    with pytest.raises(ValueError, match="n"):
        pspin.spherical(2, 3, seed=0)
    with pytest.raises(TypeError, match="p"):
        pspin.spherical(10, 3.0, seed=0)
    with pytest.raises(ValueError, match="normalization"):
        pspin.spherical(10, 3, seed=0, normalization="cs")
    with pytest.raises(ValueError, match="normalization"):
        pspin.threshold_energy(3, normalization="var-N")
    with pytest.raises(ValueError, match="kind"):
        pspin.complexity(-1.0, 3, kind="saddles")
    with pytest.raises(ValueError, match="index"):
        pspin.complexity(-1.0, 3, kind="index")
    with pytest.raises(ValueError, match="index"):
        pspin.complexity(-1.0, 3, index=2)
    with pytest.raises(ValueError, match="index"):
        pspin.complexity(-1.0, 3, kind="index", index=-1)
    with pytest.raises(ValueError, match="p"):
        pspin.ground_state_energy(1)
    m = pspin.spherical(10, 3, seed=0)
    with pytest.raises(ValueError, match="T"):
        pspin.langevin(m, 0.0, steps=10, dt=0.1)
    with pytest.raises(TypeError, match="model"):
        pspin.gradient_descent("model", steps=10, lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        pspin.gradient_descent(m, steps=10, lr=-0.1)
    with pytest.raises(ValueError, match="x"):
        m.energy(np.ones(9))
    with pytest.raises(ValueError, match="x0"):
        pspin.gradient_descent(m, np.zeros(10), steps=10, lr=0.1)
    with pytest.raises(ValueError, match="tol"):
        pspin.gradient_descent(m, steps=10, lr=0.1, tol=-1.0)
    with pytest.raises(ValueError, match="save_at"):
        pspin.langevin(m, 1.0, steps=10, dt=0.1, save_at=[11])
    with pytest.raises(TypeError, match="save_at"):
        pspin.langevin(m, 1.0, steps=10, dt=0.1, save_at=[0.5])
