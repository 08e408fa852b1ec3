"""A plan as an ``.ics`` calendar (``icalendar``: events with alarms) and as a protocol file `pineal simulate` runs."""

from __future__ import annotations

import itertools
from datetime import timedelta

import numpy as np

from pineal.plan.light import STEP_H, Grid
from pineal.plan.programme import Programme
from pineal.plan.result import DISCLAIMER, Plan, PlanItem

ALARM_BEFORE = {"melatonin": 10, "light_seek": 10, "sleep": 30, "nap": 5, "light_avoid": 10}


def to_ics(plan: Plan, name: str = "pineal jet-lag plan") -> bytes:
    """Every item an event in UTC (the zone is in the description); alarms before the actionable ones."""
    return items_ics(plan.items, name)


def items_ics(items: list[PlanItem], name: str) -> bytes:
    """Plan items as an iCalendar (one event each, with the disclaimer; alarms before the actionable ones)."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", "-//pineal//plan//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for k, it in enumerate(items):
        ev = Event()
        ev.add("uid", f"pineal-{k}-{it.kind}-{it.start:%Y%m%dT%H%M}@pineal")
        ev.add("summary", it.title)
        ev.add("dtstart", it.start)
        ev.add("dtend", it.end if it.end > it.start else it.start + timedelta(minutes=15))
        ev.add("dtstamp", it.start)
        ev.add("description", f"{it.detail}\nLocal zone: {it.zone}\n{DISCLAIMER}")
        if it.kind in ALARM_BEFORE and not it.logged:  # a logged day is history: no alarm
            al = Alarm()
            al.add("action", "DISPLAY")
            al.add("description", it.title)
            al.add("trigger", timedelta(minutes=-ALARM_BEFORE[it.kind]))
            ev.add_component(al)
        cal.add_component(ev)
    return cal.to_ical()


def _hhmm(h: float) -> str:
    m = round(h * 60) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def to_protocol_toml(plan: Plan, prog: Programme, grid: Grid, habitual: tuple[str, str], name: str = "trip") -> str:
    """The plan as a protocol file (docs/protocols.md) in UTC clock times: day 1 starts at the grid's UTC
    midnight; the whole light profile (ordinary light plus the plan's windows) as light episodes, sleep
    episodes, doses. ``pineal simulate`` runs it (no placebo arm; the habitual section is home sleep in UTC)."""
    days = int(np.ceil(grid.size * STEP_H / 24.0))
    lux = prog.lux(grid)
    lines = ["# Written by `pineal plan`: the plan as a protocol (times are UTC; day 1 starts "
             f"{grid.t0:%Y-%m-%d} 00:00 UTC).", f"# {DISCLAIMER}", "", "[protocol]", f'name = "{name}"',
             f'description = "{plan.summary.replace(chr(34), "")}"', f"days = {days}", 'timezone = "UTC"',
             f"background_lux = {float(np.median(lux[lux > 0])):.0f}", "",
             "[habitual]", f'sleep = "{habitual[0]}"', f'wake = "{habitual[1]}"', "lux = 80", "",
             "[reference]", "placebo = false", ""]
    change = np.flatnonzero(np.diff(lux) != 0) + 1
    bounds = np.r_[0, change, lux.size]
    for a, b in itertools.pairwise(bounds):
        if prog.asleep[a]:
            continue
        s, e = grid.hours[a], grid.hours[b - 1] + STEP_H
        d = int(s // 24) + 1
        if int((e - 1e-9) // 24) + 1 != d:  # split at UTC midnight
            cut = d * 24.0
            for s2, e2 in ((s, cut), (cut, e)):
                lines += _light(s2, e2, lux[a])
        else:
            lines += _light(s, e, lux[a])
    for s, e, _ in prog.sleeps:
        if e - s >= STEP_H and s >= 0:
            lines += ["[[sleep]]", f'start = "{_hhmm(s)}"', f'end = "{_hhmm(e)}"', f"days = {int(s // 24) + 1}", ""]
    for t, mg in sorted([(t, prog.dose_mg) for t in prog.doses] + list(prog.fixed_doses)):
        lines += ["[[dose]]", f'amount = "{mg:g} mg"', f'time = "{_hhmm(t)}"', f"days = {int(t // 24) + 1}", ""]
    for d in range(1, days + 1):
        lines += ["[[measure]]", 'marker = "cbtmin"', f"day = {d}", 'definition = "phase"', ""]
    return "\n".join(lines)


def _light(s: float, e: float, lux: float) -> list[str]:
    if e - s < 1e-9:
        return []
    return ["[[light]]", f'start = "{_hhmm(s)}"', f'end = "{_hhmm(e)}"', f"lux = {float(lux):.0f}",
            f"days = {int(s // 24) + 1}", ""]
