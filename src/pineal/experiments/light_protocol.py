"""Light-pulse protocols on a constant routine, shared by the light experiments.

A subject is entrained to the default day (sleep 23:00-07:00 in darkness, ``DAY_LUX`` while awake), sleeps
until 07:00 of day 0 (model hour 7), then stays awake in a dim constant routine (``background`` lux). Each
stimulus run adds one light episode; the reference run is the identical protocol without it. Shifts are
"run minus reference" on the CBTmin marker (advance positive), measured on the last marker before the end,
i.e. after the transients of the stimulus (several cycles later); DLMO shifts equal CBTmin shifts under the
phase convention DLMO = CBTmin - 7 h.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from pineal import markers, schedule, solver
from pineal.models.clock import get

DAY_SLEEP, DAY_WAKE = "23:00", "07:00"
DAY_LUX = schedule.ROOM_LUX  # lux while awake during entrainment (assumption: indoor day; stated in every outcome)
WAKE_H = 7.0  # model hour of the wake-up that starts the constant routine
DT = 0.1


@dataclass
class PulseRuns:
    """Baseline markers and the phase shift of each stimulus."""

    model: str
    cbtmin0: float  # baseline CBTmin (model hours) from the reference run, first one after wake
    dlmo0: float  # baseline DLMO = CBTmin0 - cbt_to_dlmo
    shifts: np.ndarray  # (n,) hours, advance positive


def base(background: float) -> schedule.Schedule:
    """Sleep in darkness until 07:00 of day 0, then a constant routine at ``background`` lux."""
    return (schedule.constant(background).with_episodes(0.0, WAKE_H, "lux", 0.0)
            .with_episodes(0.0, WAKE_H, "sleep", 1.0))


def entrained(model: str, dt: float = DT, params=None):
    mdl = get(model)
    p = mdl.vector(params)
    y0 = solver.entrain(mdl, schedule.daily(DAY_SLEEP, DAY_WAKE, lux=DAY_LUX), p, dt=dt)
    return mdl, p, y0


def baseline(model: str, background: float, dt: float = DT, params=None) -> tuple[float, float]:
    """(CBTmin, DLMO) of the reference run: the first CBTmin after the constant routine starts."""
    mdl, p, y0 = entrained(model, dt, params)
    ref = solver.integrate(mdl, base(background), y0, p, 48.0, dt=dt, cbt_offset=mdl.cbt_offset(params))
    ev = ref.cbtmin[0]
    c0 = float(ev[np.isfinite(ev) & (ev > WAKE_H)][0])
    return c0, c0 - mdl.cbt_to_dlmo(params)


def pulse_shifts(model: str, starts, ends, lux, background: float, hours: float = 144.0, dt: float = DT,
                 params=None) -> np.ndarray:
    """Phase shift (h, advance +) of each light episode [start, end) at ``lux`` vs the no-pulse reference."""
    mdl, p, y0 = entrained(model, dt, params)
    starts, ends, luxes = (np.atleast_1d(a) for a in np.broadcast_arrays(
        np.asarray(starts, dtype=float), np.asarray(ends, dtype=float), np.asarray(lux, dtype=float)))
    b = base(background)
    lights = [b.with_light(s, e, x) for s, e, x in zip(starts, ends, luxes, strict=True)] + [b]
    run = solver.integrate(mdl, lights, np.tile(y0, (len(lights), 1)), p, hours, dt=dt,
                           cbt_offset=mdl.cbt_offset(params))
    return markers.phase_shift(run.cbtmin[:-1], run.cbtmin[-1:], at=hours)
