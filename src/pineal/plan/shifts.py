"""`pineal plan shifts ROSTER`: night work towards a compromise phase (Smith & Eastman 2008), optimised on the model.

A roster is a CSV (``start,end`` local date-times ``YYYY-MM-DD HH:MM``, one shift a line) or an ``.ics`` calendar.
A night shift is one that covers 03:00. The published compromise plan: five 15-min bright-light pulses in the first
half of each night shift, dark glasses on the way home, a fixed dark sleep 08:30-15:30 after night shifts, a late
sleep 03:00-11:00 on days off between night shifts, and afternoon outdoor light after waking as a brake. The
no-plan baseline sleeps 08:00-15:00 after night shifts in ordinary light (daylight on the commute) and keeps
habitual sleep on days off.

Candidates (:class:`ShiftPlan`) vary the parts of that plan: the daytime sleep after nights (08:30-15:30 or an
hour later), the sleep on days off (02:00-10:00, 03:00-11:00, 04:00-12:00), the light pulses (none, five, seven),
the dark glasses (1 h or 3 h after the shift) and the afternoon brake (on or off); all of them, the published plan
and no plan run in one batch on the compiled solver. The goal of the compromise (Smith & Eastman 2008): the
sleepiest circadian time (CBTmin) out of the night shift and into the daytime sleep, the DLMO near the target
(about 04:30) rather than beyond it. Score: night shifts with the CBTmin at work, then the mean distance of the
DLMO from the target on the night-shift days, then fewer items. The benefit over no plan is replayed on a
virtual population (``plan.travellers``) for a band.
"""

from __future__ import annotations

import csv
import itertools
import math
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

from pineal import params
from pineal.errors import InputError
from pineal.limits import check_number
from pineal.plan.advance import place_grid
from pineal.plan.itinerary import airport
from pineal.plan.light import STEP_H, ordinary_light, schedule_from
from pineal.plan.phase import starting_phase
from pineal.plan.request import sleep_window
from pineal.plan.result import DISCLAIMER, Marker, PlanItem
from pineal.plan.travellers import sample_travellers
from pineal.simulate import simulate
from pineal.timeline import format_clock

MAX_SHIFTS = 60


def read_roster(path: str | Path, zone) -> list[tuple[datetime, datetime]]:
    """The shifts of a .csv (start,end local times) or .ics file."""
    p = Path(path)
    if not p.is_file():
        raise InputError("roster", str(path), "an existing .csv (start,end) or .ics file of shifts")
    if p.suffix.lower() == ".ics":
        return parse_roster(p.read_bytes(), zone, ics=True, name=str(path))
    try:
        return parse_roster(p.read_text("utf-8"), zone, name=str(path))
    except UnicodeDecodeError:
        raise InputError("roster", str(path), "a UTF-8 text file of shifts") from None


def parse_roster(text: str | bytes, zone, ics: bool | None = None, name: str = "roster text"):
    """Shifts from roster text: CSV lines 'YYYY-MM-DD HH:MM,YYYY-MM-DD HH:MM' (a 'start,end' header allowed) or an
    iCalendar text (``ics`` None: recognised by its BEGIN:VCALENDAR line)."""
    if ics is None:
        head = text[:200].lstrip() if isinstance(text, str) else text[:200].lstrip().decode("utf-8", "replace")
        ics = head.upper().startswith("BEGIN:VCALENDAR")
    out = []
    if ics:
        from icalendar import Calendar

        try:
            cal = Calendar.from_ical(text)
        except ValueError as err:
            raise InputError("roster", name, f"a valid .ics calendar ({err})") from None
        for ev in cal.walk("VEVENT"):
            try:
                s, e = ev.decoded("dtstart"), ev.decoded("dtend")
            except KeyError as err:
                raise InputError("roster", name, f"events with DTSTART and DTEND (missing {err})") from None
            if not isinstance(s, datetime):
                raise InputError("roster", str(s), "shifts with start and end times (not all-day events)")
            out.append((s if s.tzinfo else s.replace(tzinfo=zone), e if e.tzinfo else e.replace(tzinfo=zone)))
    else:
        text = text if isinstance(text, str) else text.decode("utf-8", "replace")
        for k, row in enumerate(csv.reader(text.splitlines())):
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


@dataclass(frozen=True)
class ShiftPlan:
    """One candidate plan for night work (the defaults are the published compromise plan, Smith & Eastman 2008)."""

    sleep_after_night: tuple[float, float] = (8.5, 15.5)
    off_sleep: tuple[float, float] = (3.0, 11.0)  # days off between and before night shifts
    pulses: int = 5  # 15-min light-box pulses, one an hour from 30 min into each night shift
    glasses_h: float = 1.0  # dark glasses from the end of the shift
    brake: bool = True  # outdoor light in the afternoon after the daytime sleep

    def label(self) -> str:
        a, b = self.sleep_after_night
        c, d = self.off_sleep
        return (f"sleep {format_clock(a)}-{format_clock(b)} after nights, {format_clock(c)}-{format_clock(d)} on "
                f"days off, {self.pulses} light pulses, dark glasses {self.glasses_h:g} h, "
                f"afternoon brake {'on' if self.brake else 'off'}")


PUBLISHED = ShiftPlan()


def shift_candidates() -> list[ShiftPlan]:
    return [ShiftPlan(a, o, n, g, b) for a in ((8.5, 15.5), (9.5, 16.5)) for o in ((2.0, 10.0), (3.0, 11.0),
            (4.0, 12.0)) for n in (0, 5, 7) for g in (1.0, 3.0) for b in (True, False)]


def plan_shifts(roster: str | Path | None = None, *, near: str = "LHR", sleep: str = "23:00-07:00",
                light_box_lux: float = 4000.0, age: float = 30.0, population: int = 12, seed: int = 0,
                roster_text: str | None = None) -> dict:
    """The night-work plan chosen on the model, against no plan and the published compromise (a JSON-ready dict).

    ``roster``: the path of a .csv or .ics roster; or ``roster_text``: its content (the HTTP API)."""
    p = params.load("plan")
    check_number(population, "population", 0, 200, integer=True)
    check_number(light_box_lux, "light_box", 1000, 12000, "a light box of 1000-12000 lux at the eye")
    place = airport(near, "near")
    if (roster is None) == (roster_text is None):
        raise InputError("roster", "both" if roster is not None else "none", "a roster file or a roster text")
    shifts = read_roster(roster, place.zone) if roster_text is None else parse_roster(roster_text, place.zone)
    onset, wake = sleep_window(sleep)
    first = shifts[0][0] - timedelta(days=2)
    days = math.ceil((shifts[-1][1] - first) / timedelta(days=1)) + 2
    grid = place_grid(place, first, days)
    phase = starting_phase(place, grid.t0, (onset, wake))
    nights = [(s, e) for s, e in shifts if _is_night(s, e)]
    work = np.zeros(grid.size, bool)
    for s, e in shifts:
        work[grid.index(grid.model_h(s)):grid.index(grid.model_h(e))] = True
    d0 = grid.t0.astimezone(place.zone).date()
    night_days = {e.date() for _, e in nights}  # mornings after a night shift
    night_starts = {s.date() for s, _ in nights}
    days_off_between = {d for d in (d0 + timedelta(days=k) for k in range(days))
                        if d not in night_days and (d - timedelta(days=1) in night_days or d in night_starts)}

    def local(day, h):
        return datetime(day.year, day.month, day.day, tzinfo=place.zone) + timedelta(hours=h)

    def build(plan: ShiftPlan | None):
        asleep = np.zeros(grid.size, bool)
        seek, avoid, wakes = np.zeros(grid.size), np.zeros(grid.size, bool), []
        items = []
        for k in range(days):
            day = d0 + timedelta(days=k)
            if day in night_days:  # the morning after a night shift
                a, b = plan.sleep_after_night if plan else (8.0, 15.0)
            elif plan and day in days_off_between:
                a, b = plan.off_sleep  # a late sleep on days off between and before night shifts
            else:
                a, b = onset, wake + (24 if wake < onset else 0)
            s, e = local(day, a), local(day, b if b > a else b + 24)
            i, j = grid.index(grid.model_h(s)), grid.index(grid.model_h(e))
            m = ~work[i:j]
            asleep[i:j] |= m
            if m.any():
                wakes.append(grid.model_h(e))
                items.append(("sleep", s, e))
                if plan and plan.brake:  # afternoon outdoor light after waking, the brake against drifting later
                    bi = grid.index(grid.model_h(e) + 0.5)
                    seek[bi:bi + 4] = np.where(grid.daylight[bi:bi + 4] >= p["bright_daylight_lux"],
                                               grid.daylight[bi:bi + 4], 0.0)
        if plan:
            for s, e in nights:
                h0 = grid.model_h(s)
                for k in range(plan.pulses):  # 15-min pulses, one an hour, from the start of the shift
                    t = h0 + 0.5 + k
                    if t + p["shift_light_pulse_h"] > grid.model_h(e):
                        break
                    seek[grid.index(t):grid.index(t + p["shift_light_pulse_h"])] = light_box_lux
                    items.append(("light_seek", grid.instant(t), grid.instant(t + p["shift_light_pulse_h"])))
                he = grid.model_h(e)
                avoid[grid.index(he):grid.index(he + plan.glasses_h)] = True
                items.append(("light_avoid", e, e + timedelta(hours=plan.glasses_h)))
        lux = ordinary_light(grid, asleep, wakes)
        lux = np.where(work & ~asleep, np.maximum(lux, 300.0), lux)  # workplace light
        lux = np.where(seek > 0, np.maximum(lux, seek), lux)
        lux = np.where(avoid & ~asleep, np.minimum(lux, p["dim_lux"]), lux)
        return schedule_from(grid, lux, asleep), items

    cands = shift_candidates()
    built = [build(None)] + [build(c) for c in cands]
    res = simulate(days=grid.size * STEP_H / 24, light=[b for b, _ in built], params=phase.params,
                   entrain=phase.y0, record_every=0)
    cbt, dl = np.atleast_2d(res.cbtmin(per_day=False)), np.atleast_2d(res.dlmo(per_day=False))
    target = p["compromise_dlmo_h"]

    def offset(h):
        return grid.instant(h).astimezone(place.zone).utcoffset() / timedelta(hours=1)

    def measures(c_ev, d_ev, c2d, sleeps=()):
        """(night shifts with the CBTmin at work, mean |DLMO − target| on night-shift days, DLMO on the last night,
        night shifts whose CBTmin falls in the daytime sleep after them)."""
        ev = c_ev[np.isfinite(c_ev)]
        at_work = sum(any(grid.model_h(s) <= c < grid.model_h(e) for c in ev) for s, e in nights)
        in_sleep = 0
        for _, e in nights:  # the daytime sleep that starts within 4 h of the shift's end
            after = [(a, b) for a, b in sleeps if e <= a < e + timedelta(hours=4)]
            if after and any(grid.model_h(e) <= c < grid.model_h(after[0][1]) for c in ev):
                in_sleep += 1
        dists, last = [], None
        d_ev = d_ev[np.isfinite(d_ev)]
        for s, _ in nights:
            h = grid.model_h(s) + 12.0  # the DLMO of that night: the last one before the shift's middle
            d = d_ev[(d_ev < h) & (d_ev > h - 24.0)]
            d = d[-1] if d.size else (ev[(ev < h + 7) & (ev > h - 17)][-1:] - c2d)
            if np.size(d):
                last = (float(np.atleast_1d(d)[-1]) + offset(float(np.atleast_1d(d)[-1]))) % 24.0
                dists.append(abs((last - target + 12.0) % 24.0 - 12.0))
        return at_work, float(np.mean(dists)) if dists else 12.0, last, in_sleep

    def sleeps_of(items):
        return [(a, b) for k, a, b in items if k == "sleep"]

    scored = []
    for i, (_, items) in enumerate(built):  # CBTmin in the day sleep after the night, then near the DLMO target
        w, dist, _, good = measures(cbt[i], dl[i], phase.cbt_to_dlmo_h, sleeps_of(items))
        scored.append((len(nights) - good, w, round(dist, 1), len(items), i))
    best_i = min(scored[1:])[-1]
    pub_i = 1 + cands.index(PUBLISHED)
    choice = cands[best_i - 1]

    def stats(i):
        w, dist, last, good = measures(cbt[i], dl[i], phase.cbt_to_dlmo_h, sleeps_of(built[i][1]))
        return {"cbtmin_in_night_shift": int(w), "cbtmin_in_day_sleep": int(good), "night_shifts": len(nights),
                "dlmo_last_night": format_clock(last) if last is not None else None,
                "dlmo_distance_h": round(dist, 2)}

    band = _band(grid, phase, [built[0], built[best_i]], nights, measures, sleeps_of, population, seed, age) \
        if population else None
    kinds = {"sleep": "Sleep (dark bedroom; blackout blinds)", "light_seek": "Bright light",
             "light_avoid": "Dark glasses on the way home"}
    items = built[best_i][1]
    return {"mode": "shifts", "near": place.label, "target_dlmo": format_clock(target),
            "no_plan": stats(0), "pineal_plan": stats(best_i), "published_compromise": stats(pub_i),
            "choice": choice.label(), "candidates_evaluated": len(built), "band": band,
            "items": [PlanItem(kind=k, start=s.astimezone(place.zone), end=e.astimezone(place.zone),
                               zone=place.zone.key, title=kinds[k]).model_dump(mode="json")
                      for k, s, e in sorted(items, key=lambda x: x[1])],
            "markers": [Marker(at=grid.instant(c).astimezone(place.zone), kind="cbtmin", strategy=name)
                        .model_dump(mode="json") for name, i in (("pineal plan", best_i), ("no plan", 0))
                        for c in cbt[i] if np.isfinite(c)],
            "shifts": [{"start": s.astimezone(place.zone).isoformat(), "end": e.astimezone(place.zone).isoformat()}
                       for s, e in shifts],
            "disclaimer": DISCLAIMER, "age": age}


def _band(grid, phase, built, nights, measures, sleeps_of, n, seed, age) -> dict:
    """No plan and the chosen plan on ``n`` virtual night workers (one batch): percentiles of the night shifts with
    the CBTmin in the daytime sleep and at work, and of the nights the plan gains (plan − no plan, per worker)."""
    rows, _ = sample_travellers(n, seed, age)
    y = simulate(days=2.0, light=phase.habitual, entrain=phase.habitual, params=rows, record_every=0).y_end
    res = simulate(days=grid.size * STEP_H / 24, light=[b[0] for b in built for _ in range(n)],
                   params=rows * len(built), entrain=np.tile(y, (len(built), 1)), record_every=0)
    cbt, dl = np.atleast_2d(res.cbtmin(per_day=False)), np.atleast_2d(res.dlmo(per_day=False))
    got = np.array([[measures(cbt[j * n + i], dl[j * n + i], phase.cbt_to_dlmo_h, sleeps_of(built[j][1]))
                     for i in range(n)] for j in range(len(built))], dtype=object)
    work, good = got[:, :, 0].astype(float), got[:, :, 3].astype(float)

    def pct(v):
        q = np.percentile(v, [10, 50, 90], method="nearest")
        return {"p10": float(q[0]), "median": float(q[1]), "p90": float(q[2])}

    return {"population": n, "no_plan_cbtmin_in_day_sleep": pct(good[0]), "plan_cbtmin_in_day_sleep": pct(good[1]),
            "nights_gained": pct(good[1] - good[0]), "no_plan_cbtmin_at_work": pct(work[0]),
            "plan_cbtmin_at_work": pct(work[1])}
