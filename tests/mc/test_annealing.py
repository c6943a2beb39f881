import numpy as np
import pytest

from spinlab import exact, mc, models


def test_field_scale_of_standard_models():
    assert mc.field_scale(models.ea(4, d=3, seed=1)) == pytest.approx(np.sqrt(6))
    assert mc.field_scale(models.ea(4, d=2, seed=1)) == pytest.approx(2.0)
    # SK: sum_j J_ij^2 = (N-1)/N on average for J ~ N(0, 1/N)
    assert mc.field_scale(models.sk(400, seed=2)) == pytest.approx(1.0, abs=0.02)


@pytest.mark.parametrize("model", [models.sk(16, seed=4), models.ea(4, d=2, seed=5, couplings="gaussian")])
def test_anneal_finds_exact_ground_state(model):
    gs = exact.ground_state(model)
    res = mc.anneal(model, sweeps=800, reads=16, seed=1)
    assert res.best_energy == pytest.approx(gs.energy, abs=1e-12)
    assert model.energy(res.best_state) == pytest.approx(res.best_energy)
    # every read ends in a single-flip local minimum: no spin is against its local field
    fields = model.local_fields(res.states)
    assert np.all(res.states * fields >= -1e-12)
    assert res.trace.shape == (16, 800) and res.temperatures[0] > res.temperatures[-1]


def test_schedules_and_validation():
    model = models.sk(10, seed=1)
    assert mc.anneal(model, "linear", 50, reads=2, seed=1).temperatures[-1] == pytest.approx(
        0.02 * mc.field_scale(model)
    )
    explicit = np.linspace(2.0, 0.1, 30)
    assert np.array_equal(mc.anneal(model, explicit, 30, reads=1, seed=1).temperatures, explicit)
    a = mc.anneal(model, (2.0, 0.05), 40, reads=3, seed=9)
    b = mc.anneal(model, (2.0, 0.05), 40, reads=3, seed=9)
    assert np.array_equal(a.trace, b.trace)
    with pytest.raises(ValueError, match="schedule"):
        mc.anneal(model, (0.1, 2.0), 10)
    with pytest.raises(ValueError, match="schedule"):
        mc.anneal(model, "cosine", 10)
    with pytest.raises(ValueError, match="one temperature per sweep"):
        mc.anneal(model, [1.0, 0.5], 10)
    with pytest.raises(ValueError, match="reads"):
        mc.anneal(model, reads=0)
