"""The whole system: pineal synthesis, suppression, plasma, exogenous input, DLMO markers (issue 4).

Regression tests for the pitfalls of models.md: P1/NU-3 (plasma peak), P2 (off-window decay), P5/LS-4 (active
removal, no negative levels), P6/NU-7 (both DLMO definitions), P9/NU-5 (no mod-24 dosing), NU-2 (DLMO on coarse
and fine grids), NU-6 (batch = single runs) and the superposition of a dose's plasma melatonin on the body's own.
"""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pineal
from pineal import markers, schedule
from pineal.errors import InputError
from pineal.models import melatonin, pk
from pineal.models.clock import get
from pineal.models.system import A_SYN, DELTA, PSI_ON, R_OFF, RAMP_NORM, WINDOW
from pineal.simulate import own_melatonin

SYSTEM = get("hannay2019+melatonin")


def test_synthesis_window_ramp_and_decay_after_off():
    """P2: synthesis decays with the phase since ψ_off instead of dropping to a constant ~0."""
    p = SYSTEM.vector()
    a, on, w = p[A_SYN], p[PSI_ON], p[WINDOW]

    def s(psi):
        return melatonin.synthesis(psi, a, on, w, p[DELTA], p[RAMP_NORM], p[R_OFF])

    assert s(on - 0.01) < 1e-6 * a  # well after the previous off
    assert 0.0 < s(on + 0.25 * w) < s(on + 0.75 * w) < s(on + w - 1e-9) <= a * (1 + 1e-9)
    after = [s(on + w + d) for d in (0.0, 0.05, 0.1, 0.3)]
    assert after[0] == pytest.approx(a) and after[0] > after[1] > after[2] > after[3] > 0.0
    assert s(on + 2 * math.pi + 0.5 * w) == pytest.approx(s(on + 0.5 * w))  # ψ is unwrapped


def test_active_removal_and_switch():
    """P5: in bright light (m·B̂ > 1) pineal melatonin is actively removed while present; the switch only stops
    removal below the floor."""
    beta, synth = 2.8, 40.0
    passive = -beta * 10.0
    assert melatonin.pineal_rate(10.0, synth, 1.0, 5.0, beta, 1e-3) == pytest.approx(passive + synth * (1 - 5.0))
    assert melatonin.pineal_rate(10.0, synth, 1.0, 5.0, beta, 1e-3) < passive
    assert melatonin.pineal_rate(1e-4, synth, 1.0, 5.0, beta, 1e-3) == pytest.approx(-beta * 1e-4)
    assert melatonin.pineal_rate(10.0, synth, 0.0, 5.0, beta, 1e-3) == pytest.approx(passive + synth)


def test_bright_light_in_the_off_phase_never_goes_negative():
    """LS-4: 10,000 lux through the whole night and the pineal 'off' phase; concentrations stay >= 0."""
    light = schedule.constant(10_000.0)
    res = pineal.simulate(days=2, light=light, dt=0.1)
    assert res.state("H1").min() >= 0.0 and res.state("H2").min() >= 0.0
    night_dark = pineal.simulate(days=2, light=0.0, dt=0.1)
    later = res.times > 2.0  # the run starts at midnight with the entrained night's melatonin
    assert res.endogenous[later].max() < 0.2 * night_dark.endogenous[later].max()


def test_nu3_plasma_peak_in_the_night_range():
    """P1/NU-3: the entrained adult's night peak is tens of pg/mL, not ~0.7."""
    t, own, peak = own_melatonin()
    assert 40.0 <= peak <= 120.0
    assert own[(t >= 10) & (t <= 18)].max() < 10.0


def test_dose_adds_to_the_body_own_melatonin_exactly():
    """Linear elimination: total = body's own + the PK model's curve for the dose, at every recorded time."""
    dose = pk.Dose.parse("3 mg", time_h=21.0)
    res = pineal.simulate(days=2, doses=[dose])
    run = pk.simulate([dose], hours=48.0)
    expected = np.interp(res.times, run.t_h, run.plasma_pg_ml[0])
    assert np.allclose(res.plasma - res.endogenous, expected, rtol=1e-9, atol=1e-9)
    assert np.allclose(res.saliva, res.plasma * pk.parameter_set()["saliva_plasma_ratio"])


def test_nu5_a_dose_on_day_one_is_not_repeated():
    """P9/NU-5: a dose at 21:00 on day 1 only; nothing is added on day 2 or 3."""
    res = pineal.simulate(days=3, doses=[pk.Dose(3.0, 21.0)])
    late = res.times >= 24.0 + 21.0
    assert np.all(res.exogenous[0, late] < 1e-3)
    assert res.exogenous[0, (res.times > 21.0) & (res.times < 23.0)].max() > 500.0


def test_nu7_both_dlmo_definitions_reported():
    res = pineal.simulate(days=3, light=schedule.daily(lux=500).with_light(np.arange(3) * 24 + 16.0,
                                                                         np.arange(3) * 24 + 23.0, 3.0))
    plasma = res.dlmo(definition="plasma_10")
    phase = res.dlmo(definition="phase")
    saliva3 = res.dlmo(definition="saliva_3")
    assert np.all(np.isfinite(plasma)) and np.all(np.isfinite(phase[:2]))  # day 3's CBTmin falls after the run
    assert np.all(saliva3 < plasma)  # 3 pg/mL saliva = 7.5 pg/mL plasma: crossed earlier on the rise
    assert res.default_definition() == "plasma_10"
    assert set(markers.DEFINITION_TEXT) == {"plasma_10", "saliva_3", "saliva_4", "phase"}
    with pytest.raises(InputError):
        pineal.simulate(days=2, model="hannay2019").dlmo(definition="plasma_10")


def test_nu2_dlmo_on_coarse_and_fine_grids_within_a_minute():
    light = schedule.daily(lux=500).with_light(np.arange(3) * 24 + 16.0, np.arange(3) * 24 + 23.0, 3.0)
    coarse = pineal.simulate(days=3, light=light, dt=0.1, record_every=0)
    fine = pineal.simulate(days=3, light=light, dt=0.01, record_every=0)
    diff = np.abs(coarse.dlmo(definition="plasma_10") - fine.dlmo(definition="plasma_10"))
    assert np.nanmax(diff) * 60 < 1.0, diff * 60


def test_nu6_batch_with_individual_schedules_and_doses_equals_single_runs():
    rng = np.random.default_rng(4)
    n = 12
    lights = [schedule.daily(lux=float(rng.uniform(50, 1000))).expand(80).with_light(30.0 + i, 31.0 + i, 5000.0)
              for i in range(n)]
    doses = [[pk.Dose(float(rng.uniform(0.1, 10)), float(rng.uniform(12, 40)))] for _ in range(n)]
    ages = rng.uniform(20, 70, n)
    batch = pineal.simulate(days=3, light=lights, doses=doses, params={"age_years": ages}, record_every=0)
    for i in (0, 5, 11):
        one = pineal.simulate(days=3, light=lights[i], doses=doses[i], params={"age_years": ages[i]},
                              record_every=0)
        assert np.allclose(one.y_end, batch.y_end[i], rtol=1e-12, atol=1e-12)
        assert np.allclose(one.dlmo(per_day=False), batch.dlmo(per_day=False)[i], atol=1e-9, equal_nan=True)


def test_level_crossing_markers_ignore_short_dips():
    """A night dip below the threshold (< 8 h) is neither an offset nor a new onset."""
    t = np.arange(0.0, 72.0, 0.1)
    signal = np.where((t % 24 > 21) | (t % 24 < 7), 50.0, 0.0)
    signal[(t > 24 + 23) & (t < 24 + 25)] = 1.0  # a 2-h suppression at night
    levels = np.array([10.0])
    ws = np.empty((1, markers.LEVEL_WORK))
    on = np.full((1, 10), np.nan)
    off = np.full((1, 10), np.nan)
    non = np.zeros(1, dtype=np.int64)
    noff = np.zeros(1, dtype=np.int64)
    markers.level_init(levels, t[0], signal[0], ws)
    for ti, v in zip(t[1:], signal[1:], strict=True):
        markers.level_update(levels, markers.MIN_BELOW_H, ti, v, ws, on, off, non, noff)
    onsets = on[0, : non[0]]
    offsets = off[0, : noff[0]]
    assert np.allclose(onsets % 24, 21.0, atol=0.11) and onsets.size == 3
    assert np.allclose(offsets % 24, 7.0, atol=0.11) and offsets.size == 3  # each confirmed 8 h later


def test_api_errors():
    with pytest.raises(InputError, match="light-only"):
        pineal.simulate(days=2, model="forger1999", doses=[pk.Dose(3.0, 21.0)])
    with pytest.raises(InputError, match="subject"):
        pineal.simulate(days=2, subject={"age": 30})
    with pytest.raises(InputError, match="doses"):
        pineal.simulate(days=2, doses=["3 mg"])
    with pytest.raises(InputError):
        pineal.simulate(days=2, doses=[pk.Dose(3.0, 60.0)])  # after the end of the run


@settings(max_examples=25, deadline=None)
@given(mg=st.floats(1e-3, 1e6), at=st.floats(0.0, 23.9), age=st.floats(1.0, 100.0))
def test_any_dose_gives_finite_nonnegative_levels_and_markers(mg, at, age):
    res = pineal.simulate(days=2, doses=[pk.Dose(mg, at)], subject=pk.Subject(age=age))
    assert np.all(np.isfinite(res.plasma)) and res.plasma.min() >= 0.0
    assert np.all(np.isfinite(res.y_end))
    assert np.isfinite(res.cbtmin()).sum() >= 1


def test_more_melatonin_is_a_higher_plasma_peak():
    peaks = [pineal.simulate(days=1, doses=[pk.Dose(mg, 12.0)]).plasma.max() for mg in (0.1, 0.5, 3.0, 10.0, 1000.0)]
    assert np.all(np.diff(peaks) > 0)


@pytest.mark.parametrize("name", ["hannay2019", "hannay2019+melatonin", "jewett1999"])
def test_intrinsic_period_of_a_person(name):
    """A protocol's tau_h is the person's free-running period, whatever the model's own period parameter means
    (Hannay's τ is not the period, pitfall P12; the body's own melatonin also moves the clock)."""
    from pineal.simulate import free_running_period, intrinsic_period_params

    for tau in (23.9, 24.5):
        assert free_running_period(name, intrinsic_period_params(name, tau)) == pytest.approx(tau, abs=0.01)
