"""`pineal plan advance`: move a late sleep (delayed sleep phase) earlier, optimised on the model.

Design after Sletten et al. 2018 and the PRC timing (Burgess 2010): the wake time moves earlier by a fixed step
each day and is then held; bright light for the first hour after waking (light box, or daylight where there is
enough); dim light in the two hours before bed; optionally 0.5 mg melatonin about 3 h before the *moving* DLMO.
Candidates (step 0.25 / 0.5 / 1 h per day or all at once, melatonin or not, and the published rule) run in one
batch; then the best is re-anchored on its
own simulated DLMO. Baselines: going to bed at the target time at once ("no plan"), and the published rule
(Sletten 2018: 0.5 mg 1 h before the desired bedtime, bedtime fixed at the desired time).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from pineal import params
from pineal.errors import InputError
from pineal.models import pk
from pineal.plan.itinerary import Airport, Episode, airport
from pineal.plan.light import STEP_H, Grid, ordinary_light, schedule_from
from pineal.plan.phase import starting_phase
from pineal.plan.request import DOSE_RANGE_MG, sleep_window
from pineal.plan.result import EpisodePlan, Marker, Plan, PlanItem, Prediction, StartPhase
from pineal.plan.score import days_to_adapt
from pineal.simulate import DEFAULT_MODEL, simulate
from pineal.timeline import format_clock

STEPS_H = (0.25, 0.5, 1.0)
MAX_DAYS = 42


@dataclass
class _Prog:
    name: str
    asleep: np.ndarray
    seek: np.ndarray
    avoid: np.ndarray
    doses: list[float] = field(default_factory=list)
    sleeps: list[tuple[float, float]] = field(default_factory=list)


def place_grid(place: Airport, start: datetime, days: int) -> Grid:
    from pineal.plan import daylight

    t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
    hours = STEP_H * np.arange(int(days * 24 / STEP_H))
    when = [t0 + timedelta(hours=float(h) + STEP_H / 2) for h in hours]
    local = np.array([(w.astimezone(place.zone).hour + w.astimezone(place.zone).minute / 60 - STEP_H / 2) % 24
                      for w in when])
    lux = np.array([daylight.outdoor_lux(place.lat, place.lon, w) for w in when])
    return Grid(t0, hours, np.zeros(hours.size, bool), local, lux)


def _windows(grid: Grid, place: Airport, onset_of_day) -> list[tuple[float, float]]:
    """Sleep windows: night k starts at local clock onset_of_day(k) (may exceed 24) and lasts the window length."""
    out = []
    for k in range(int(grid.size * STEP_H / 24) + 1):
        onset, length = onset_of_day(k)
        day = (grid.t0 + timedelta(days=k)).astimezone(place.zone).date()
        s = datetime(day.year, day.month, day.day, tzinfo=place.zone) + timedelta(hours=onset)
        a = grid.model_h(s)
        if 0 <= a and a + length <= grid.hours[-1]:
            out.append((round(a / STEP_H) * STEP_H, round((a + length) / STEP_H) * STEP_H))
    return out


def plan_advance(from_window: str, to_window: str, *, near: str = "LHR", start: str | None = None,
                 melatonin: bool = True, dose_mg: float = 0.5, light_box_lux: float | None = None,
                 age: float = 30.0, days: int = 28) -> Plan:
    """A day-by-day plan from ``from_window`` (e.g. '03:00-11:00') to ``to_window`` ('23:00-07:00')."""
    p = params.load("plan")
    f_on, f_wake = sleep_window(from_window, "from")
    t_on, t_wake = sleep_window(to_window, "to")
    if not DOSE_RANGE_MG[0] <= dose_mg <= DOSE_RANGE_MG[1]:
        raise InputError("dose", dose_mg, f"{DOSE_RANGE_MG[0]:g}-{DOSE_RANGE_MG[1]:g} mg")
    if not (isinstance(days, int) and 7 <= days <= MAX_DAYS):
        raise InputError("days", days, f"a whole number of days from 7 to {MAX_DAYS}")
    total = (f_wake - t_wake) % 24.0
    if total == 0 or total > 12:
        raise InputError("to", to_window, "a target earlier than the current sleep by up to 12 h (an advance)")
    place = airport(near, "near")
    day0 = datetime.fromisoformat(start).date() if start else datetime.now(UTC).date() + timedelta(days=1)
    start_dt = datetime(day0.year, day0.month, day0.day, tzinfo=place.zone)
    grid = place_grid(place, start_dt, days + 1)
    here = starting_phase(place, grid.t0, (f_on, f_wake))
    goal = starting_phase(place, grid.t0, (t_on, t_wake), dlmo_clock=None)
    f_len, t_len = (f_wake - f_on) % 24.0, (t_wake - t_on) % 24.0
    from pineal.safety.screen import screen

    warns = [w.as_dict() for w in screen(dose_mg, purpose="delayed_sleep_phase", age=age)]
    mel_ok = melatonin and age >= 18

    def late(h):  # clock hours after the previous midnight, onsets after midnight > 24
        return h if h >= 12 else h + 24

    def stepped(step):
        def on(k):
            moved = min(total, step * k)
            return late(f_on) - moved, f_len + (t_len - f_len) * moved / total
        return on

    def build(name, onset_of_day, step, mel_offset, anchor=None, rule=False) -> _Prog:
        sleeps = _windows(grid, place, onset_of_day)
        asleep = np.zeros(grid.size, bool)
        for a, b in sleeps:
            asleep[grid.index(a):grid.index(b)] = True
        prog = _Prog(name, asleep, np.zeros(grid.size), np.zeros(grid.size, bool), sleeps=sleeps)
        bright = light_box_lux or 0.0
        level = np.where(grid.daylight >= p["bright_daylight_lux"], grid.daylight, 0.0)
        level = np.maximum(level, bright)
        for k, (a, b) in enumerate(sleeps):
            if step:  # morning light on waking, dim evening before bed
                m = np.zeros(grid.size, bool)
                m[grid.index(b):grid.index(b + 1.0)] = True
                prog.seek = np.where(m & (level > 0), level, prog.seek)
                prog.avoid[grid.index(a - 2.0):grid.index(a)] = True
            if mel_ok and (mel_offset is not None or rule):
                if rule:
                    t = a - 1.0
                else:
                    dl = (anchor[k] if anchor is not None and k < len(anchor) else
                          here.dlmo_h + 24.0 * (k + math.floor(a / 24.0) - k) - min(total, step * k))
                    dl = dl if abs(dl - a) < 16 else dl + 24.0 * round((a - 4 - dl) / 24.0)
                    t = round((dl - mel_offset) / STEP_H) * STEP_H
                ki = grid.index(t)
                if 0 <= ki < grid.size and not asleep[ki:ki + 2].any():
                    prog.doses.append(t)
        return prog

    cands = [build("no plan", lambda k: (late(t_on), t_len), 0.0, None),
             build("published rule", lambda k: (late(t_on), t_len), 0.0, None, rule=True)]
    for step in (*STEPS_H, total):  # the last: the whole advance at once, with light (and melatonin)
        for off in ((None, 3.0) if mel_ok else (None,)):
            cands.append(build(f"step {step:g} h/day, melatonin {'none' if off is None else f'DLMO-{off:g} h'}",
                               stepped(step), step, off))

    episode = Episode(0, grid.t0, grid.instant(grid.hours[-1]), grid.t0, place.zone, place.zone, total, days,
                      place)

    def run(progs):
        light = [schedule_from(grid, np.where(pr.avoid & ~pr.asleep, np.minimum(
            np.maximum(ordinary_light(grid, pr.asleep, [b for _, b in pr.sleeps]), pr.seek), p["dim_lux"]),
            np.maximum(ordinary_light(grid, pr.asleep, [b for _, b in pr.sleeps]), pr.seek)), pr.asleep)
            for pr in progs]
        doses = [[pk.Dose(dose_mg, t) for t in pr.doses] for pr in progs]
        res = simulate(days=grid.size * STEP_H / 24, light=light, doses=doses if any(doses) else None,
                       params=here.params, entrain=here.y0, record_every=0)
        cbt, dl = np.atleast_2d(res.cbtmin(per_day=False)), np.atleast_2d(res.dlmo(per_day=False))
        return [days_to_adapt(grid, episode, cbt[i], dl[i], here.cbt_to_dlmo_h, (t_on, t_wake), goal.dlmo_local)
                for i in range(len(progs))], dl, cbt

    got, dl, cbt = run(cands)
    model_idx = min(range(1, len(cands)), key=lambda i: (got[i], len(cands[i].doses)))  # the rule competes too
    best, best_days, best_cbt = cands[model_idx], got[model_idx], cbt[model_idx]
    step = float(best.name.split()[1]) if best.name.startswith("step") else 0.0
    if best.doses and step:  # re-anchor the melatonin on the simulated DLMO of this plan
        anchored = build(best.name + ", re-anchored", stepped(step), step, 3.0,
                         anchor=[d for d in dl[model_idx] if math.isfinite(d)][1:])
        d2, _, c2 = run([anchored])
        if d2[0] <= best_days:
            best, best_days, best_cbt = anchored, d2[0], c2[0]

    def fin(x):
        return round(float(x), 1) if math.isfinite(x) else None

    items = []
    for a, b in best.sleeps:
        items.append(PlanItem(kind="sleep", start=grid.instant(a).astimezone(place.zone),
                              end=grid.instant(b).astimezone(place.zone), zone=place.zone.key,
                              title="Sleep (dark room; fixed wake time)"))
    for mask, kind, title in ((best.seek > 0, "light_seek", "Bright light on waking"),
                              (best.avoid & ~best.asleep, "light_avoid", "Dim light before bed")):
        idx = np.flatnonzero(mask)
        if idx.size:
            br = np.flatnonzero(np.diff(idx) > 1)
            for a, b in zip(np.r_[idx[0], idx[br + 1]], np.r_[idx[br], idx[-1]], strict=True):
                items.append(PlanItem(kind=kind, start=grid.instant(grid.hours[a]).astimezone(place.zone),
                                      end=grid.instant(grid.hours[b] + STEP_H).astimezone(place.zone),
                                      zone=place.zone.key, title=title))
    for t in best.doses:
        items.append(PlanItem(kind="melatonin", start=grid.instant(t).astimezone(place.zone),
                              end=grid.instant(t + STEP_H).astimezone(place.zone), zone=place.zone.key,
                              title="Melatonin", detail=f"{dose_mg:g} mg immediate-release"))
    items.sort(key=lambda i: (i.start, i.kind))
    preds = [Prediction(strategy="no plan", days=fin(got[0])), Prediction(strategy="published rule", days=fin(got[1])),
             Prediction(strategy="pineal plan", days=fin(best_days))]
    ep = EpisodePlan(arrive=start_dt, place=place.label, zone_from=place.zone.key, zone_to=place.zone.key,
                     shift_h=total, direction="advance", body_shift_h=total,
                     reason=f"best of {len(cands) - 2} candidates on the model: {best.name}", nights=days,
                     aim="full", predictions=preds)
    return Plan(mode="plan", summary=f"advance sleep {from_window} -> {to_window} by {total:g} h: {best.name}; "
                f"adapted in {fin(best_days) if math.isfinite(best_days) else 'not within'} days "
                f"(going to bed at {to_window.split('-')[0]} at once: {fin(got[0])}; Sletten rule: {fin(got[1])})",
                home=place.label, sleep=from_window,
                starting_phase=StartPhase(dlmo_local=format_clock(here.dlmo_local),
                                          cbtmin_local=format_clock(here.cbtmin_local), period_h=here.period_h,
                                          source=f"entrainment to {from_window}"),
                episodes=[ep], items=items, dropped=[], notes=[f"target DLMO {format_clock(goal.dlmo_local)} (the "
                                                                f"model's DLMO for a {to_window} sleeper)"],
                warnings=warns, melatonin=f"{dose_mg:g} mg where the model places it" if mel_ok else
                "not part of this plan" + (" (under 18)" if age < 18 else ""),
                markers=[Marker(at=grid.instant(c).astimezone(place.zone), kind="cbtmin", strategy=name)
                         for name, ev in (("pineal plan", best_cbt), ("no plan", cbt[0])) for c in ev
                         if math.isfinite(c)],
                candidates_evaluated=len(cands) + 1, model=DEFAULT_MODEL)
