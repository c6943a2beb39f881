import numpy as np
import pytest

from spinlab import exact, mc, models, overlaps


def test_jackknife_of_mean_is_standard_error():
    rng = np.random.default_rng(1)
    x = rng.normal(size=50)
    est = overlaps.jackknife(x[:, None], lambda m: m[0])
    assert est.value == pytest.approx(x.mean())
    assert est.error == pytest.approx(x.std(ddof=1) / np.sqrt(50))


def test_jackknife_removes_first_order_bias_of_a_ratio():
    # estimate 1/mu of exponential variables with mean 2: the plain ratio is biased at small m
    rng = np.random.default_rng(2)
    plain, jack = [], []
    for _ in range(2000):
        x = rng.exponential(2.0, size=8)
        plain.append(1 / x.mean())
        jack.append(overlaps.jackknife(x[:, None], lambda m: 1 / m[0]).value)
    assert abs(np.mean(jack) - 0.5) < abs(np.mean(plain) - 0.5) / 3


def test_binder_limits():
    rng = np.random.default_rng(3)
    gaussian = rng.normal(size=(40, 4000))
    assert overlaps.binder_cumulant(gaussian).value == pytest.approx(0.0, abs=0.05)
    two_peaks = np.where(rng.random((40, 4000)) < 0.5, -0.6, 0.6)
    assert overlaps.binder_cumulant(two_peaks).value == pytest.approx(1.0, abs=1e-12)


def test_binder_from_exact_small_sk_matches_monte_carlo():
    model = models.sk(10, seed=4)
    P = exact.overlap_distribution(model, 0.6)
    exact_g = 0.5 * (3 - P.moment(4) / P.moment(2) ** 2)
    run = mc.metropolis(model, 0.6, 20_000, replicas=16, seed=5)
    disjoint = [p for p, (a, b) in enumerate(run.pairs) if b == a + 1 and a % 2 == 0]
    # treat the 8 disjoint pairs as 8 'samples' of the same disorder: their mean must agree with exact
    g = overlaps.binder_cumulant(run.overlaps[disjoint, 1000:])
    assert abs(g.value - exact_g) < 4 * g.error + 0.01


def test_histogram_and_susceptibility():
    q, p, err = overlaps.overlap_histogram([np.array([1.0, 1.0, -1.0, 0.0])], 2, absolute=True)
    assert q.tolist() == [0.0, 1.0] and p.tolist() == [0.25, 0.75]
    chi = overlaps.spin_glass_susceptibility(np.array([[0.5, -0.5], [1.0, 1.0]]), 10)
    assert chi.value == pytest.approx(10 * (0.25 + 1.0) / 2)


def test_triplets_ultrametric_for_hierarchical_states():
    rng = np.random.default_rng(6)
    n = 2000
    root = rng.choice([-1, 1], size=n)

    def mutate(s, p):
        return s * np.where(rng.random(n) < p, -1, 1)

    clusters = [mutate(root, 0.3) for _ in range(3)]
    states = np.array([mutate(c, 0.1) for c in clusters for _ in range(6)])
    trip = overlaps.triplet_overlaps(states, n_triplets=2000, seed=1)
    assert np.all(np.diff(trip, axis=1) >= 0)
    # equal two smallest overlaps up to O(1/sqrt(n)) noise
    assert np.median(trip[:, 1] - trip[:, 0]) < 0.05
    clustering = overlaps.cluster_states(states)
    assert clustering.cophenetic_correlation > 0.95
    ordered = clustering.ordered_overlaps()
    assert ordered.shape == (18, 18) and np.allclose(np.diag(ordered), 1.0)


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: overlaps.binder_cumulant("q"), TypeError),
        (lambda: overlaps.binder_cumulant(np.zeros((2, 2, 2))), ValueError),
        (lambda: overlaps.binder_cumulant([np.array([np.nan])]), ValueError),
        (lambda: overlaps.triplet_overlaps(np.ones((2, 5))), ValueError),
        (lambda: overlaps.cluster_states(np.ones((4, 5)), method="ward-ish"), ValueError),
        (lambda: overlaps.jackknife(np.ones((1, 1)), lambda m: m[0]), ValueError),
    ],
)
def test_bad_inputs(call, error):
    with pytest.raises(error):
        call()
