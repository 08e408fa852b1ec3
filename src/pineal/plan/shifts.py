"""`pineal plan shifts ROSTER`: night work towards a compromise phase (Smith & Eastman 2008), on the model.

A roster is a CSV (``start,end`` local date-times ``YYYY-MM-DD HH:MM``, one shift a line) or an ``.ics`` calendar.
A night shift is one that covers 03:00. The plan: five 15-min bright-light pulses in the first half of each night
shift, dark glasses on the way home (light avoidance from the shift end to sleep), a fixed dark sleep
08:30-15:30 after night shifts, a late sleep 03:00-11:00 on days off between night shifts, and afternoon outdoor
light after waking as a brake. The no-plan baseline sleeps 08:00-15:00 after night shifts in ordinary light
(daylight on the commute) and keeps habitual sleep on days off. Both run in one batch; reported: the model's DLMO
on the last night shift against the compromise target (about 04:30) and how many night shifts have the CBTmin
inside working hours.
"""

from __future__ import annotations

import csv
import itertools
import math
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from pineal import params
from pineal.errors import InputError
from pineal.plan.advance import place_grid
from pineal.plan.itinerary import airport
from pineal.plan.light import STEP_H, ordinary_light, schedule_from
from pineal.plan.phase import starting_phase
from pineal.plan.request import sleep_window
from pineal.plan.result import DISCLAIMER, PlanItem
from pineal.simulate import simulate
from pineal.timeline import format_clock

MAX_SHIFTS = 60


def read_roster(path: str | Path, zone) -> list[tuple[datetime, datetime]]:
    p = Path(path)
    if not p.is_file():
        raise InputError("roster", str(path), "an existing .csv (start,end) or .ics file of shifts")
    out = []
    if p.suffix.lower() == ".ics":
        from icalendar import Calendar

        try:
            cal = Calendar.from_ical(p.read_bytes())
        except ValueError as err:
            raise InputError("roster", str(path), f"a valid .ics calendar ({err})") from None
        for ev in cal.walk("VEVENT"):
            s, e = ev.decoded("dtstart"), ev.decoded("dtend")
            if not isinstance(s, datetime):
                raise InputError("roster", str(s), "shifts with start and end times (not all-day events)")
            out.append((s if s.tzinfo else s.replace(tzinfo=zone), e if e.tzinfo else e.replace(tzinfo=zone)))
    else:
        for k, row in enumerate(csv.reader(p.read_text("utf-8").splitlines())):
            if not row or row[0].strip().lower() == "start":
                continue
            try:
                s, e = (datetime.strptime(x.strip(), "%Y-%m-%d %H:%M").replace(tzinfo=zone) for x in row[:2])
            except ValueError:
                raise InputError(f"roster line {k + 1}", ",".join(row)[:60],
                                 "'YYYY-MM-DD HH:MM,YYYY-MM-DD HH:MM' (start,end local times)") from None
            out.append((s, e))
    out.sort()
    if not out or len(out) > MAX_SHIFTS:
        raise InputError("roster", f"{len(out)} shifts", f"1-{MAX_SHIFTS} shifts")
    for s, e in out:
        if not timedelta(hours=2) <= e - s <= timedelta(hours=16):
            raise InputError("roster", f"{s:%Y-%m-%d %H:%M}-{e:%H:%M}", "shifts 2-16 h long")
    for (_, e0), (s1, _) in itertools.pairwise(out):
        if s1 < e0:
            raise InputError("roster", f"{s1:%Y-%m-%d %H:%M}", "shifts that do not overlap")
    return out


def _is_night(s: datetime, e: datetime) -> bool:
    t = s.replace(hour=3, minute=0)
    return any(s <= t + timedelta(days=d) < e for d in (0, 1))


def plan_shifts(roster: str | Path, *, near: str = "LHR", sleep: str = "23:00-07:00", light_box_lux: float = 4000.0,
                age: float = 30.0) -> dict:
    """The night-work plan and its prediction against no plan (a JSON-ready dict)."""
    p = params.load("plan")
    place = airport(near, "near")
    shifts = read_roster(roster, place.zone)
    onset, wake = sleep_window(sleep)
    first = shifts[0][0] - timedelta(days=2)
    days = math.ceil((shifts[-1][1] - first) / timedelta(days=1)) + 2
    grid = place_grid(place, first, days)
    phase = starting_phase(place, grid.t0, (onset, wake))
    nights = [(s, e) for s, e in shifts if _is_night(s, e)]
    work = np.zeros(grid.size, bool)
    for s, e in shifts:
        work[grid.index(grid.model_h(s)):grid.index(grid.model_h(e))] = True

    def local(day, h):
        return datetime(day.year, day.month, day.day, tzinfo=place.zone) + timedelta(hours=h)

    def build(plan: bool):
        asleep = np.zeros(grid.size, bool)
        seek, avoid, wakes = np.zeros(grid.size), np.zeros(grid.size, bool), []
        items = []
        d0 = grid.t0.astimezone(place.zone).date()
        night_days = {e.date() for _, e in nights}  # mornings after a night shift
        night_starts = {s.date() for s, _ in nights}
        days_off_between = {d for d in (d0 + timedelta(days=k) for k in range(days))
                            if d not in night_days and (d - timedelta(days=1) in night_days or d in night_starts)}
        for k in range(days):
            day = d0 + timedelta(days=k)
            if day in night_days:  # the morning after a night shift
                a, b = (8.5, 15.5) if plan else (8.0, 15.0)
            elif plan and day in days_off_between:
                a, b = 3.0, 11.0  # a late sleep on days off between and before night shifts
            else:
                a, b = onset, wake + (24 if wake < onset else 0)
            s, e = local(day, a), local(day, b if b > a else b + 24)
            i, j = grid.index(grid.model_h(s)), grid.index(grid.model_h(e))
            m = ~work[i:j]
            asleep[i:j] |= m
            if m.any():
                wakes.append(grid.model_h(e))
                items.append(("sleep", s, e))
                if plan:  # afternoon outdoor light after waking, the brake against drifting later
                    bi = grid.index(grid.model_h(e) + 0.5)
                    seek[bi:bi + 4] = np.where(grid.daylight[bi:bi + 4] >= p["bright_daylight_lux"],
                                               grid.daylight[bi:bi + 4], 0.0)
        if plan:
            for s, e in nights:
                h0 = grid.model_h(s)
                for k in range(5):  # five 15-min pulses, one an hour, from the start of the shift
                    t = h0 + 0.5 + k
                    seek[grid.index(t):grid.index(t + p["shift_light_pulse_h"])] = light_box_lux
                    items.append(("light_seek", grid.instant(t), grid.instant(t + p["shift_light_pulse_h"])))
                he = grid.model_h(e)
                avoid[grid.index(he):grid.index(he + 1.0)] = True
                items.append(("light_avoid", e, e + timedelta(hours=1)))
        lux = ordinary_light(grid, asleep, wakes)
        lux = np.where(work & ~asleep, np.maximum(lux, 300.0), lux)  # workplace light
        lux = np.where(seek > 0, np.maximum(lux, seek), lux)
        lux = np.where(avoid & ~asleep, np.minimum(lux, p["dim_lux"]), lux)
        return schedule_from(grid, lux, asleep), items

    (base, _), (planned, items) = build(False), build(True)
    res = simulate(days=grid.size * STEP_H / 24, light=[base, planned], params=phase.params, entrain=phase.y0,
                   record_every=0)
    cbt, dl = np.atleast_2d(res.cbtmin(per_day=False)), np.atleast_2d(res.dlmo(per_day=False))

    def stats(i):
        ev = cbt[i][np.isfinite(cbt[i])]
        inside = sum(any(grid.model_h(s) <= c < grid.model_h(e) for c in ev) for s, e in nights)
        last = grid.model_h(nights[-1][0]) if nights else grid.hours[-1]
        d = dl[i][np.isfinite(dl[i]) & (dl[i] < last + 12)]
        d = d[-1] if d.size else (ev[ev < last + 12][-1] - phase.cbt_to_dlmo_h)
        return {"cbtmin_in_night_shift": int(inside), "night_shifts": len(nights),
                "dlmo_last_night": format_clock((d + (grid.instant(d).astimezone(place.zone).utcoffset()
                                                      / timedelta(hours=1))) % 24.0)}

    kinds = {"sleep": "Sleep (dark bedroom; blackout blinds)", "light_seek": "Bright light",
             "light_avoid": "Dark glasses on the way home"}
    return {"mode": "shifts", "near": place.label, "target_dlmo": format_clock(p["compromise_dlmo_h"]),
            "no_plan": stats(0), "pineal_plan": stats(1),
            "items": [PlanItem(kind=k, start=s.astimezone(place.zone), end=e.astimezone(place.zone),
                               zone=place.zone.key, title=kinds[k]).model_dump(mode="json")
                      for k, s, e in sorted(items, key=lambda x: x[1])],
            "disclaimer": DISCLAIMER, "age": age}
