"""Light-pathway options of the system model (issue 8): exact lux inverse, light history, non-photic drive,
decoupled suppression. Each option is off by default; these tests check that each one does what its paper says."""

import math

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pineal import schedule, solver
from pineal.experiments import multiday
from pineal.models.clock import get
from pineal.models.clock.light import alpha_hill, lux_from_alpha_hill, nonphotic
from pineal.models.coupling import hill_fraction as hill

MODEL = "hannay2019+melatonin"


@settings(deadline=None)  # the first call compiles
@given(st.floats(0.01, 1e5))
def test_lux_from_alpha_inverts_hannay_alpha(lux):
    a0, i0, p = 0.05, 9325.0, 1.5
    assert math.isclose(lux_from_alpha_hill(alpha_hill(lux, a0, i0, p), a0, i0, p), lux, rel_tol=1e-6)


def test_hill_is_half_at_ed50_and_zero_in_darkness():
    assert hill(25.0, 25.0, 2.0) == 0.5 and hill(0.0, 25.0, 2.0) == 0.0


def test_nonphotic_drive_vanishes_in_the_day_and_in_the_wake_maintenance_zone():
    # x = R cos ψ > 0 (subjective day): 1 - tanh(10x) ~ 0
    dr, dpsi = nonphotic(0.8, 0.0, 0.0, 0.05)
    assert abs(dr) < 1e-6 and abs(dpsi) < 1e-6
    # 18 h after CBTmin (ψ = π + 18·π/12) sleep counts as wake: same as σ = 0
    psi = math.pi + 18.0 * math.pi / 12.0
    assert nonphotic(0.8, psi, 1.0, 0.05) == nonphotic(0.8, psi, 0.0, 0.05)
    # near CBTmin, sleep and wake push in opposite directions
    assert np.sign(nonphotic(0.8, 2.5, 1.0, 0.05)[1]) == -np.sign(nonphotic(0.8, 2.5, 0.0, 0.05)[1])


def _pulse_shift(params, prior_lux, pulse_lux=5000.0):
    """Delay from 2 h of ``pulse_lux`` in the early night, after a day at ``prior_lux`` (vs the same without)."""
    mdl = get(MODEL)
    p = mdl.vector(params)
    y0 = solver.entrain(mdl, schedule.daily("23:00", "07:00", lux=150.0), p)
    day = schedule.constant(prior_lux).with_episodes(0.0, 7.0, "lux", 0.0).with_episodes(0.0, 7.0, "sleep", 1.0)
    day = day.with_light(19.0, 48.0, 3.0)
    runs = solver.integrate(mdl, [day.with_light(21.0, 23.0, pulse_lux), day], np.tile(y0, (2, 1)), p, 48.0)
    return float(multiday.phase_h(MODEL, runs.y_end)[0] - multiday.phase_h(MODEL, runs.y_end)[1])


def test_light_history_blunts_the_response_after_a_bright_day():
    hist = {"history_gain_k": 10.0, "history_tau_h": 24.0, "photic_sensitivity": 2.0}
    after_dim, after_bright = _pulse_shift(hist, 3.0), _pulse_shift(hist, 2000.0)
    assert after_dim < after_bright < 0.0  # both delay; less after the bright day
    # without light history the prior day matters much less
    plain = _pulse_shift(None, 3.0) - _pulse_shift(None, 2000.0)
    assert abs(plain) < abs(after_dim - after_bright)


def test_history_state_is_inert_when_switched_off():
    mdl = get(MODEL)
    light = schedule.daily(lux=500.0, days=3)
    a = solver.integrate(mdl, light, mdl.initial, mdl.vector({"history_tau_h": 2.0}), 72.0).y_end
    b = solver.integrate(mdl, light, mdl.initial, mdl.vector({"history_tau_h": 48.0}), 72.0).y_end
    np.testing.assert_allclose(a[0, :5], b[0, :5], atol=1e-12)
    assert a[0, 5] != b[0, 5]


def test_decoupled_suppression_masks_room_light_more_than_the_clock_drive():
    rows = {r.metric: r.model for r in multiday.gooley2011(MODEL)}
    direct = {"suppression_direct": 1.0, "suppression_ed50_lux": 30.0, "suppression_hill": 1.0,
              "suppression_direct_gain": 1.0}
    masked = {r.metric: r.model for r in multiday.gooley2011(MODEL, direct)}
    key = "Gooley 2011 onset, room light later than dim by"
    assert masked[key] > rows[key] + 0.3


def test_saturating_light_history_adapts_to_room_light_as_to_bright_light():
    """With a half-saturation I_h the history follows I/(I + I_h): 150 and 8000 lux days give nearly the same L,
    where the history of the drive B̂ separates them (the variant of docs/clock.md, third round)."""
    mdl = get(MODEL)

    def history_after(lux, params):
        light = schedule.constant(lux)
        return solver.integrate(mdl, light, mdl.initial, mdl.vector(params), 96.0).y_end[0, 5]

    sat = {"history_half_lux": 10.0, "history_tau_h": 24.0}
    room, bright = history_after(150.0, sat), history_after(8000.0, sat)
    assert 150.0 / 160.0 * (1 - math.exp(-4.0)) * 0.98 < room < bright < 1.0
    assert bright - room < 0.07
    drive_room, drive_bright = history_after(150.0, {}), history_after(8000.0, {})
    assert drive_bright / drive_room > 1.3


def test_adaptation_of_the_half_saturation_spares_bright_light():
    """history_half_saturation_k: after a bright day a room-light pulse loses much more of its effect than a bright
    pulse does (the intensity-response curve moves to the right; a saturating stimulus stays saturating)."""
    adapt = {"history_half_saturation_k": 3.0, "history_half_lux": 10.0, "history_tau_h": 12.0}
    room = _pulse_shift(adapt, 3.0, 100.0) / _pulse_shift(adapt, 2000.0, 100.0)
    bright = _pulse_shift(adapt, 3.0, 8000.0) / _pulse_shift(adapt, 2000.0, 8000.0)
    assert room > 1.3 and room > bright + 0.2
