"""Success curves, TTS and the comparison with annealing and parallel tempering."""

from __future__ import annotations

import numpy as np
import pytest

from spinlab import exact, mc, models
from spinlab._rng import child
from spinlab.ising_machines import (
    METHODS,
    cim,
    compare_solvers,
    ea_tts_sample,
    ramp_success,
    running_success_curve,
    sk_tts_sample,
)

MODEL = models.sk(10, seed=4)
E0 = exact.ground_state(MODEL).energy
SMALL = {
    "cim_options": {"steps": (20, 200), "runs": 16},
    "cac_options": {"steps": 150, "runs": 8},
    "mc_options": {"anneal_sweeps": (1, 10), "reads": 16, "pt_sweeps": 30, "pt_runs": 8},
}


def test_ramp_success_counts_final_ground_states_run_by_run():
    curve = ramp_success(MODEL, E0, (20, 200), runs=16, seed=3, noise=0.1)
    for k, S in enumerate((20, 200)):
        res = cim(MODEL, S, runs=16, seed=child(3, k), noise=0.1, record_every=201)
        assert curve.p[k] == mc.success_probability(res.energies, E0)
    assert np.all((curve.p_low <= curve.p) & (curve.p <= curve.p_high))
    np.testing.assert_allclose(curve.tts, mc.time_to_solution(curve.p, curve.time))
    best, at = curve.optimal()
    assert best == curve.tts.min() and at in (20.0, 200.0)
    fast, slow = curve.tts_interval()
    assert np.all(fast <= curve.tts) and np.all(curve.tts <= slow)


def test_running_success_curve_is_the_running_minimum_of_the_feedback_trace():
    curve = running_success_curve(MODEL, E0, 150, runs=8, seed=2)
    res = cim(MODEL, 150, runs=8, seed=2, feedback=True, noise=0.1)
    np.testing.assert_array_equal(curve.p, mc.running_success(res.trace, E0))
    assert curve.time.tolist() == list(range(1, 151))
    assert curve.p[-1] == 1.0  # every feedback run finds this ground state within 150 steps
    np.testing.assert_allclose(curve.tts, mc.time_to_solution(curve.p, curve.time))


def test_compare_solvers_reuses_mc_tts_curves_exactly():
    comp = compare_solvers(MODEL, E0, seed=5, **SMALL)
    direct = mc.tts_curves(MODEL, E0, seed=5, **SMALL["mc_options"])
    for method in ("anneal", "pt"):
        assert comp.tts[method] == direct.optimal(method)[0]
    assert comp.tts["cim"] == comp.cim.optimal()[0] and comp.tts["cac"] == comp.cac.optimal()[0]
    assert all(comp.seconds_per_unit[m] > 0 for m in METHODS)
    assert comp.wall_tts("pt") == pytest.approx(comp.tts["pt"] * comp.seconds_per_unit["pt"])
    with pytest.raises(ValueError, match="method"):
        comp.wall_tts("quantum")


def test_sample_tasks_use_the_samples_and_mc_numbers_of_spinlab_mc():
    out = sk_tts_sample(7, 10, **SMALL)
    tts_sa, tts_pt = mc.sk_tts_sample(7, 10, **SMALL["mc_options"])
    assert out.shape == (8,)
    assert out[METHODS.index("anneal")] == tts_sa and out[METHODS.index("pt")] == tts_pt
    again = ea_tts_sample(7, 3, **SMALL)
    assert np.array_equal(again[:4], ea_tts_sample(7, 3, **SMALL)[:4])


@pytest.mark.parametrize(
    ("call", "error", "word"),
    [
        (lambda: ramp_success(MODEL, E0, (0, 10)), ValueError, "steps"),
        (lambda: ramp_success(MODEL, E0, [1.5]), ValueError, "steps"),
        (lambda: ramp_success(MODEL, "low"), TypeError, "ground_energy"),
        (lambda: ramp_success(MODEL, E0, (10,), runs=0), ValueError, "runs"),
        (lambda: running_success_curve(MODEL, E0, 0), ValueError, "steps"),
        (lambda: running_success_curve("model", E0), TypeError, "model"),
        (lambda: ea_tts_sample(1, 3, d=3), ValueError, "L"),
        (lambda: sk_tts_sample(1, 30), ValueError, "n"),
    ],
)
def test_validation(call, error, word):
    with pytest.raises(error, match=word):
        call()
