"""Network -> Ising mapping and the layered-SK transition temperature."""

from functools import partial

import numpy as np
import pytest

from spinlab import nnspin, tap
from spinlab.models import sk
from spinlab.nn import init_network
from spinlab.overlaps import binder_crossing_jackknife
from spinlab.sweep import disorder_average


def _layers(net_widths, rng):
    return [rng.standard_normal((a, b)) for a, b in zip(net_widths[:-1], net_widths[1:], strict=True)]


def test_energy_equals_explicit_layered_sum():
    rng = np.random.default_rng(0)
    net = nnspin.init_mlp((5, 4, 3, 2), seed=1)
    net.params[...] = rng.standard_normal(net.n_params)  # nonzero biases too
    weights, fields = nnspin.network_layers(net)
    model = nnspin.to_ising(net, fields=True)
    for _ in range(20):
        spins = [rng.choice([-1, 1], size=w) for w in (5, 4, 3, 2)]
        flat = np.concatenate(spins).astype(np.int8)
        assert model.energy(flat) == pytest.approx(nnspin.layered_energy(weights, spins, fields), abs=1e-13)
        bare = nnspin.to_ising(net)
        assert bare.energy(flat) == pytest.approx(nnspin.layered_energy(weights, spins), abs=1e-13)


def test_bond_matrix_symmetric_block_tridiagonal():
    rng = np.random.default_rng(1)
    widths = (3, 4, 2, 5)
    weights = _layers(widths, rng)
    J = nnspin.bond_matrix(weights)
    edges = np.concatenate([[0], np.cumsum(widths)])
    assert np.array_equal(J, J.T)
    for a in range(4):
        for b in range(4):
            block = J[edges[a] : edges[a + 1], edges[b] : edges[b + 1]]
            if b == a + 1:
                assert np.array_equal(block, weights[a])
            elif a == b + 1:
                assert np.array_equal(block, weights[b].T)
            else:
                assert not np.any(block)


def test_spinlab_nn_network_maps_like_its_weights():
    net = init_network(6, 4, 3, seed=2)
    net.b1[...] = 0.3
    model = nnspin.to_ising(net, fields=True)
    assert np.array_equal(model.J, nnspin.bond_matrix([net.W1, net.W2]))
    assert np.array_equal(model.h, np.concatenate([np.zeros(6), net.b1, net.b2]))


def test_layered_sk_tc_matches_eigenvalues_closed_form_and_sk():
    rng = np.random.default_rng(3)
    for _ in range(10):
        L = int(rng.integers(1, 6))
        widths = rng.integers(1, 50, size=L + 1)
        v = rng.random(L) + 0.01
        A = nnspin.layer_matrix(widths, v)
        assert nnspin.layered_sk_tc(widths, v) == pytest.approx(np.sqrt(np.max(np.linalg.eigvals(A).real)), rel=1e-12)
    for L in range(1, 8):
        for C in (0.5, 1.0, 2.0):
            N = 37
            tc = nnspin.layered_sk_tc([N] * (L + 1), [C / N] * L)
            assert tc == pytest.approx(nnspin.equal_width_tc(L, C), rel=1e-12)
            assert tc == pytest.approx(np.sqrt(2 * C * np.cos(np.pi / (L + 2))), rel=1e-12)
    # one weight matrix = bipartite SK: T_c = (N0 N1)^(1/4) sqrt(v), = 1 at v = 1/sqrt(N0 N1)
    assert nnspin.layered_sk_tc([30, 120], [1 / 60]) == pytest.approx(1.0, rel=1e-12)
    assert nnspin.layered_sk_tc([30, 120], [0.01]) == pytest.approx(60**0.5 * 0.1, rel=1e-12)


def test_instance_tc_estimates_the_formula():
    # SK: sqrt(rho(J o J)) -> 1; E[J o J] row sums are (n-1)/n and fluctuations are O(n^-1/2)
    assert nnspin.instance_tc(sk(600, seed=4)) == pytest.approx(1.0, abs=0.03)
    widths, v = [150, 300, 300, 100], [1 / 150, 1 / 300, 2 / 300]
    est = [nnspin.instance_tc(nnspin.random_layered(widths, v, seed=s)) for s in range(3)]
    assert np.mean(est) == pytest.approx(nnspin.layered_sk_tc(widths, v), rel=0.03)


def test_random_layered_variances_and_determinism():
    widths, v = [200, 100], [0.5]
    a = nnspin.random_layered(widths, v, seed=5)
    b = nnspin.random_layered(widths, v, seed=5)
    assert np.array_equal(a.J, b.J)
    block = a.J[:200, 200:]
    # sample variance of 20000 Gaussians: relative standard error sqrt(2/20000) = 1 %
    assert block.var() == pytest.approx(0.5, rel=0.04)


def test_mapping_validation():
    with pytest.raises(ValueError, match="variances must hold one value per weight matrix"):
        nnspin.layered_sk_tc([3, 4, 5], [0.1])
    with pytest.raises(ValueError, match="widths"):
        nnspin.layered_sk_tc([3], [])
    with pytest.raises(ValueError, match="variances\\[0\\] must be > 0"):
        nnspin.layered_sk_tc([3, 4], [0.0])
    with pytest.raises(ValueError, match="share the layer"):
        nnspin.bond_matrix([np.ones((2, 3)), np.ones((2, 2))])
    with pytest.raises(TypeError, match="weights must be"):
        nnspin.bond_matrix(np.ones((2, 2)))
    with pytest.raises(TypeError, match="fields"):
        nnspin.to_ising([np.ones((2, 2))], fields=1)
    with pytest.raises(ValueError, match="spins must hold 2 layers"):
        nnspin.layered_energy([np.ones((2, 2))], [np.ones(2)])


def test_model_works_with_tap():
    model = nnspin.random_layered([20, 20, 20], [1 / 20, 1 / 20], seed=6)
    sols = tap.solve(model.J, 2.0, starts=4, seed=0)  # above T_c = 2^(1/4)... only the paramagnet
    assert sols.count == 1 and np.all(sols.magnetizations == 0)


@pytest.mark.slow
def test_pt_binder_crossing_near_layered_tc():
    """Three equal layers, v = 1/N: T_c = sqrt(2 cos(pi/4)) = 1.189. Binder crossing of N = 12 and 24 per layer.

    Small sizes cross below T_c and the crossing drifts up with size (N = 6 and 12 cross near 0.7-0.9, N = 12 and
    24 near 1.1 with 64 samples); the tolerance is a 15 % systematic allowance for that drift plus 2.5 jackknife
    standard errors (about 0.16 each).
    """
    temps = np.linspace(0.6, 1.6, 11)
    out = {}
    for N in (12, 24):
        task = partial(
            nnspin.layered_sample, widths=[N] * 3, variances=[1 / N] * 2, temperatures=temps, sweeps=1000, n_windows=2
        )
        samples = disorder_average(task, 64, seed=200 + N, executor="serial", progress=False)
        out[N] = (np.array([s.q2[-1] for s in samples]), np.array([s.q4[-1] for s in samples]))
    cross = binder_crossing_jackknife(temps, out[12], out[24])
    tc = nnspin.equal_width_tc(2)
    assert np.isfinite(cross.value) and cross.error < 0.3
    assert abs(cross.value - tc) < 0.15 * tc + 2.5 * cross.error


def test_weight_list_scale_and_fields_off():
    weights = [np.array([[1.0, -2.0]]), np.array([[0.5], [3.0]])]
    W, f = nnspin.network_layers(weights)
    assert [w.shape for w in W] == [(1, 2), (2, 1)] and all(not x.any() for x in f)
    model = nnspin.to_ising(weights, scale=2.0)
    assert np.array_equal(model.J, 2.0 * nnspin.bond_matrix(weights)) and not model.h.any()
    assert model.name == "layered network 1-2-1"
