"""Compiled batch solver: accuracy vs solve_ivp, exact input intervals (NU-1), batch = single (NU-6)."""

import math
import tracemalloc

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from pineal import markers, schedule, solver
from pineal.errors import InputError
from pineal.models import clock

MODELS = clock.names()


def _phase(name: str, y: np.ndarray) -> float:
    """Oscillator phase angle (rad) of a state, increasing with time."""
    if name.startswith("hannay2019"):
        return float(y[1])
    return float(-math.atan2(y[1], y[0]))


def _reference(m, light: schedule.Schedule, y0, p, hours):
    """solve_ivp (DOP853, tight tolerances) segment by segment with the same piecewise-constant input."""
    s = light.expand(hours)
    edges = np.concatenate([s.times[(s.times > 0) & (s.times < hours)], [hours]])
    y, t = np.array(y0, dtype=float), 0.0
    a = np.empty(4 + m.n_derived)  # inputs, the fastest rate, the model's derived slots
    for end in edges:
        m.prepare(s.at([t + 1e-9])[0], p, a)
        aa = a.copy()

        def f(tt, yy, aa=aa):
            d = np.empty(m.n_state)
            m.rhs(tt, yy, aa, p, d)
            return d

        y = solve_ivp(f, (t, end), y, method="DOP853", rtol=1e-11, atol=1e-12).y[:, -1]
        t = end
    return y


@pytest.mark.parametrize("name", MODELS)
def test_matches_solve_ivp_within_one_minute_after_30_days(name):
    m = clock.get(name)
    p = m.vector()
    light = schedule.daily("23:00", "07:00", lux=700.0).with_light(24 * 12 + 8.3, 24 * 12 + 9.55, 9000.0)
    y0 = solver.entrain(m, schedule.daily("23:00", "07:00", lux=700.0), p)[0]
    hours = 30 * 24.0
    ours = solver.integrate(m, light, y0, p, hours, dt=0.1).y_end[0]
    ref = _reference(m, light, y0, p, hours)
    dphi = (_phase(name, ours) - _phase(name, ref) + math.pi) % (2 * math.pi) - math.pi
    minutes = abs(dphi) / (2 * math.pi) * 24 * 60
    assert minutes < 1.0, minutes


@pytest.mark.parametrize("name", MODELS)
def test_nu1_pulse_shift_independent_of_dt(name):
    """NU-1: a 1-h 8000-lux pulse off the step grid gives the same shift at dt = 0.5, 0.1, 0.01 h."""
    m = clock.get(name)
    p = m.vector()
    dim = schedule.constant(5.0)
    pulse = dim.with_light(21.0 + 13 / 60, 22.0 + 13 / 60, 8000.0)
    y0 = solver.entrain(m, schedule.daily(), p)[0]
    shifts = []
    for dt in (0.5, 0.1, 0.01):
        ref = solver.integrate(m, dim, y0, p, 120.0, dt=dt)
        run = solver.integrate(m, pulse, y0, p, 120.0, dt=dt)
        shifts.append(markers.phase_shift(run.cbtmin[0], ref.cbtmin[0]))
    shifts = np.array(shifts)
    assert np.all(np.isfinite(shifts)) and abs(shifts[0]) > 0.3
    assert np.ptp(shifts) * 60 < 1.0, shifts


def test_nu6_batch_equals_single_runs():
    """NU-6: 10,000 subjects, individual light and tau; batch == single runs to 1e-9; markers per subject."""
    m = clock.get("forger1999")
    rng = np.random.default_rng(3)
    n = 10_000
    taus = rng.normal(24.2, 0.2, n)
    p = np.vstack([m.vector({"tau_x": t}) for t in taus])
    base = schedule.daily("23:00", "07:00", lux=300.0, days=2)
    starts = rng.uniform(0, 40, n)
    lights = [base.with_light(s, s + 1.0, x) for s, x in zip(starts, rng.uniform(100, 10000, n), strict=True)]
    y0 = np.tile(solver.entrain(m, schedule.daily("23:00", "07:00", lux=300.0), m.vector())[0], (n, 1))
    batch = solver.integrate(m, lights, y0, p, 48.0, dt=0.1)
    assert batch.cbtmin.shape[0] == n and np.all(np.isfinite(batch.cbtmin[:, 0]))
    for i in rng.choice(n, 200, replace=False):  # single runs of a random sample
        single = solver.integrate(m, lights[i], y0[i], p[i], 48.0, dt=0.1)
        assert np.allclose(single.y_end[0], batch.y_end[i], rtol=0, atol=1e-9)
        assert np.allclose(single.cbtmin[0], batch.cbtmin[i], rtol=0, atol=1e-9, equal_nan=True)


def test_nu6_all_single_runs_small_batch():
    m = clock.get("hannay2019")
    rng = np.random.default_rng(5)
    n = 300
    p = np.vstack([m.vector({"tau": t}) for t in rng.normal(23.84, 0.2, n)])
    lights = [schedule.constant(10.0).with_light(s, s + 2.0, 5000.0) for s in rng.uniform(0, 30, n)]
    y0 = np.tile(m.initial, (n, 1))
    batch = solver.integrate(m, lights, y0, p, 72.0, dt=0.1)
    for i in range(n):
        single = solver.integrate(m, lights[i], y0[i], p[i], 72.0, dt=0.1)
        assert np.allclose(single.y_end[0], batch.y_end[i], rtol=0, atol=1e-9)


def test_markers_only_memory_is_independent_of_steps():
    m = clock.get("forger1999")
    n = 2000
    y0 = np.tile(solver.entrain(m, schedule.daily(), m.vector())[0], (n, 1))
    solver.integrate(m, schedule.daily(), y0, m.vector(), 24.0)  # the batch kernel compiles outside the measurement
    peaks = []
    for dt in (0.1, 0.02):  # 5x more time steps
        tracemalloc.start()
        run = solver.integrate(m, schedule.daily(), y0, m.vector(), 20 * 24.0, dt=dt)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert run.states is None
    full = n * 20 * 240 * 3 * 8  # what a stored trajectory at dt = 0.1 would take
    assert peaks[0] < 0.02 * full
    assert peaks[1] < 1.1 * peaks[0]


def test_recorded_states_decimated():
    m = clock.get("hannay2019")
    run = solver.integrate(m, schedule.daily(), m.initial, m.vector(), 48.0, dt=0.1, record_every=10)
    assert run.states.shape == (1, 49, 3)
    assert np.allclose(run.times[:3], [0.0, 1.0, 2.0])
    assert np.allclose(run.states[0, -1], run.y_end[0])


@pytest.mark.parametrize("dt", [0.0, -0.1, 0.6, 1.0, float("nan"), "x"])
def test_bad_dt(dt):
    m = clock.get("forger1999")
    with pytest.raises(InputError) as err:
        solver.integrate(m, schedule.daily(), m.initial, m.vector(), 24.0, dt=dt)
    assert err.value.field == "dt" and "0.5" in err.value.allowed


def test_bad_days_model_and_shapes():
    import pineal

    for days in (0, -1, float("nan")):
        with pytest.raises(InputError) as err:
            pineal.simulate(days=days)
        assert err.value.field == "days"
    with pytest.raises(InputError) as err:
        pineal.simulate(days=1, model="nope")
    assert err.value.field == "model"
    with pytest.raises(InputError):
        pineal.simulate(days=1, light=-5.0)
    m = clock.get("forger1999")
    with pytest.raises(InputError):
        solver.integrate(m, schedule.daily(), np.zeros(4), m.vector(), 24.0)


def test_entrain_settles():
    m = clock.get("jewett1999")
    y0 = solver.entrain(m, schedule.daily(), m.vector())
    run = solver.integrate(m, schedule.daily(), y0, m.vector(), 5 * 24.0)
    ev = run.cbtmin[0][np.isfinite(run.cbtmin[0])]
    assert np.all(np.abs(np.diff(ev) - 24.0) < 1 / 60)
