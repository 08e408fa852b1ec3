"""Clock models: registry, cited parameters, finite right-hand sides (issue 3, item 1)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pineal.citations import bibliography
from pineal.errors import InputError
from pineal.models import clock

MODELS = clock.names()


def test_registry_and_unknown_model():
    assert MODELS == ["forger1999", "hannay2019", "hannay2019+melatonin", "jewett1999", "sthilaire2007"]
    with pytest.raises(InputError) as err:
        clock.get("kronauer")
    assert err.value.field == "model"


@pytest.mark.parametrize("name", MODELS)
def test_every_value_is_cited(name):
    ps = clock.get(name).paramset()
    bib = bibliography()
    for p in ps.params.values():
        assert p.cite in bib, (name, p.name, p.cite)
    assert clock.get(name).cite in bib


def test_override_unknown_param_is_error():
    with pytest.raises(InputError):
        clock.get("hannay2019").vector({"tau_x": 24.0})
    with pytest.raises(InputError):
        clock.get("forger1999").vector({"tau_x": float("nan")})


@pytest.mark.parametrize("name", MODELS)
@settings(max_examples=80, deadline=None)
@given(y=st.tuples(st.floats(-2.0, 2.0), st.floats(-2.0, 2.0), st.floats(0.0, 1.0), st.floats(0.0, 1e3),
                   st.floats(0.0, 1e4)),
       lux=st.floats(0.0, 1e5), sleep=st.sampled_from([0.0, 1.0]), exo=st.floats(0.0, 1e8))
def test_rhs_finite(name, y, lux, sleep, exo):
    m = clock.get(name)
    y = np.array(y[: m.n_state])
    if name.startswith("hannay2019"):
        y[0] = abs(y[0]) + 0.05  # R is an amplitude > 0
    p = m.vector()
    a = np.empty(4 + m.n_derived)  # inputs, the fastest rate, the model's derived slots
    m.prepare(np.array([lux, sleep, exo]), p, a)
    d = np.empty(m.n_state)
    m.rhs(0.0, y, a, p, d)
    assert np.all(np.isfinite(d))


def test_no_light_no_photoreceptor_drive():
    m = clock.get("forger1999")
    p = m.vector()
    a = np.empty(4 + m.n_derived)  # inputs, the fastest rate, the model's derived slots
    m.prepare(np.array([0.0, 0.0, 0.0]), p, a)
    assert a[0] == 0.0
    d = np.empty(3)
    m.rhs(0.0, np.array([0.3, -0.2, 0.5]), a, p, d)
    assert d[2] < 0  # n recovers in darkness


def test_sthilaire_nonphotic_uses_oscillator_phase():
    """P10: the wake-maintenance test depends on the state, not on clock time t."""
    m = clock.get("sthilaire2007")
    p = m.vector()
    a = np.empty(4 + m.n_derived)  # inputs, the fastest rate, the model's derived slots
    m.prepare(np.array([0.0, 1.0, 0.0]), p, a)
    y = np.array([-0.5, -1.0, 0.3])
    d1, d2 = np.empty(3), np.empty(3)
    m.rhs(0.0, y, a, p, d1)
    m.rhs(17.3, y, a, p, d2)
    assert np.array_equal(d1, d2)


def test_sthilaire_psi_cx_is_zero_at_cbtmin():
    """φ_xcx read as the oscillator angle at CBTmin agrees with CBTmin = min(x) + φ_ref on the limit cycle."""
    from pineal import schedule, solver
    from pineal.models.clock.sthilaire2007 import psi_cx

    m = clock.get("sthilaire2007")
    p = m.vector()
    day = schedule.daily(lux=500.0)  # St Hilaire's own entrainment case (bright days: a near-sinusoidal cycle)
    y0 = solver.entrain(m, day, p)
    run = solver.integrate(m, day, y0, p, 48.0, dt=0.01, record_every=1, cbt_offset=m.cbt_offset())
    cbt = run.cbtmin[0][0]
    i = int(np.argmin(np.abs(run.times - cbt)))
    psi = psi_cx(run.states[0, i, 0], run.states[0, i, 1], p)
    assert min(psi, 24.0 - psi) < 0.25
