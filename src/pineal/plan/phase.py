"""The traveller's starting phase: entrainment in the default model to their habitual sleep and ordinary light.

No rule of thumb (DLMO = bedtime − 2 h) is used: the model entrains to the habitual schedule with real-world
indoor light and the daylight at home (``plan.light``), and its own DLMO and CBTmin are read off. A chronotype sets
the intrinsic period one SD from the mean (Duffy 2011); a measured DLMO sets the period that reproduces it
(secant steps on the period), so the clock's response to the plan is that of a person with that phase.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np

from pineal import params
from pineal.plan import daylight
from pineal.plan.itinerary import Airport, offset_h
from pineal.plan.light import STEP_H
from pineal.schedule import Schedule
from pineal.simulate import DEFAULT_MODEL, intrinsic_period_params, simulate

PERIOD_RANGE = (23.5, 24.9)


@dataclass(frozen=True)
class StartingPhase:
    period_h: float
    params: dict[str, float]
    habitual: Schedule  # repeating 24-h schedule in model hours (0 = UTC midnight)
    cbtmin_h: float  # model hour of the habitual CBTmin in [0, 24)
    dlmo_h: float  # model hour of the habitual DLMO in [0, 24)
    dlmo_local: float  # clock hour at home
    cbtmin_local: float
    cbt_to_dlmo_h: float  # CBTmin − DLMO on the habitual day
    y0: np.ndarray  # entrained state at model hour 0


def habitual_schedule(home: Airport, on: datetime, sleep: tuple[float, float]) -> Schedule:
    """The home day as a repeating schedule in model hours: sleep in darkness, ordinary light awake."""
    p = params.load("plan")
    off = offset_h(home.zone, on)
    k = np.arange(int(24 / STEP_H))
    local = (k * STEP_H + off) % 24.0
    onset, wake = sleep
    asleep = ((local - onset) % 24.0) < ((wake - onset) % 24.0)
    to_sleep = (onset - local) % 24.0
    lux = np.full(k.size, p["indoor_day_lux"])
    lux[(to_sleep <= p["evening_hours"]) & (to_sleep > 0)] = p["evening_lux"]
    since_wake = (local - wake) % 24.0
    outdoors = ((since_wake >= 1.0) & (since_wake < 1.0 + p["outdoor_hours"] - 0.5)) | ((local >= 12.5) & (local < 13))
    midnight = datetime(on.year, on.month, on.day, tzinfo=on.tzinfo)
    day = np.array([daylight.outdoor_lux(home.lat, home.lon, midnight + timedelta(hours=float(h) + STEP_H / 2))
                    for h in k * STEP_H])
    lux = np.where(outdoors, np.maximum(lux, day), lux)
    lux = np.where(asleep, 0.0, lux)
    values = np.column_stack([lux, asleep.astype(float), np.zeros(k.size)])
    return Schedule(k * STEP_H, values, period=24.0).simplify()


@lru_cache(maxsize=64)
def period_params(period_h: float, model: str = DEFAULT_MODEL) -> tuple[tuple[str, float], ...]:
    return tuple(sorted(intrinsic_period_params(model, round(period_h, 3)).items()))


def _markers(habitual: Schedule, over: dict[str, float]) -> tuple[float, float, np.ndarray]:
    res = simulate(days=2.0, light=habitual, entrain=habitual, params=over, record_every=0)
    cbt = res.cbtmin(per_day=False)
    dl = res.dlmo(per_day=False)
    cbt = cbt[np.isfinite(cbt)]
    dl = dl[np.isfinite(dl)]
    if dl.size == 0:
        dl = cbt - res.cbt_to_dlmo[0]
    return float(cbt[-1] % 24.0), float(dl[-1] % 24.0), res.y_end[0]  # 48 h later: the state at hour 0


def starting_phase(home: Airport, on: datetime, sleep: tuple[float, float], chronotype: str | None = None,
                   dlmo_clock: float | None = None) -> StartingPhase:
    p = params.load("plan")
    hab = habitual_schedule(home, on, sleep)
    off = offset_h(home.zone, on)
    step = {"early": -1.0, "late": 1.0}.get(chronotype or "", 0.0) * p["chronotype_period_step_h"]
    period = p["period_mean_h"] + step
    over = dict(period_params(period))
    cbt, dl, y0 = _markers(hab, over)
    if dlmo_clock is not None:  # secant on the period until the model's DLMO is the measured one
        target = (dlmo_clock - off) % 24.0

        def err(d):
            return (d - target + 12.0) % 24.0 - 12.0

        p0, e0 = period, err(dl)
        p1 = float(np.clip(period + (0.3 if e0 < 0 else -0.3), *PERIOD_RANGE))
        for _ in range(5):
            over = dict(period_params(p1))
            cbt, dl, y0 = _markers(hab, over)
            e1 = err(dl)
            if abs(e1) < 0.1 or e1 == e0:
                break
            p0, e0, p1 = p1, e1, float(np.clip(p1 - e1 * (p1 - p0) / (e1 - e0), *PERIOD_RANGE))
        period = p1
    c2d = (cbt - dl) % 24.0
    return StartingPhase(period, over, hab, cbt, dl, (dl + off) % 24.0, (cbt + off) % 24.0,
                         c2d if math.isfinite(c2d) else 7.0, y0)
