"""Audit a finished plan against its hard rules (every plan is checked; tests assert the list is empty)."""

from __future__ import annotations

import itertools
from datetime import timedelta

from pineal import params
from pineal.plan.itinerary import Itinerary
from pineal.plan.request import DOSE_RANGE_MG
from pineal.plan.result import Plan


def violations(plan: Plan, it: Itinerary, dose_mg: float, plane_sleep: bool) -> list[str]:
    p = params.load("plan")
    out = []
    flights = [(f.depart, f.arrive) for f in it.flights]
    asleep = [(i.start, i.end) for i in plan.items if i.kind in ("sleep", "nap", "flight_sleep")]
    for i in plan.items:
        if i.kind == "flight" or i.logged:  # a logged day is what happened, not what the plan says
            continue
        if i.start.utcoffset() is None or i.end < i.start:
            out.append(f"{i.kind} at {i.start}: not an aware, ordered interval")
        for a, b in flights:
            if i.start < b and i.end > a and not (i.kind == "flight_sleep" and plane_sleep):
                out.append(f"{i.kind} at {i.start:%Y-%m-%d %H:%M %Z} during the flight {a:%H:%M}-{b:%H:%M}")
        if i.kind == "melatonin":
            if dose_mg > DOSE_RANGE_MG[1]:
                out.append(f"dose {dose_mg} mg above {DOSE_RANGE_MG[1]} mg")
            if any(a <= i.start < b for a, b in asleep):
                out.append(f"melatonin at {i.start:%Y-%m-%d %H:%M} while asleep")
    # preparation: sleep before the first departure moves at most the cap per night
    first = it.flights[0].depart
    planned = [(i.start, i.end) for i in plan.items if i.kind in ("sleep", "nap", "flight_sleep") and not i.logged]
    pre = sorted(i for i in planned if i[1] <= first and (i[1] - i[0]) >= timedelta(hours=p["min_sleep_h"]))
    cap = max(p["rule_advance_h_per_day"], p["rule_delay_h_per_day"])
    for (a0, _), (a1, _) in itertools.pairwise(pre):
        gap = (a1 - a0) / timedelta(hours=1)
        dst = (a1.astimezone(it.home.zone).utcoffset() - a0.astimezone(it.home.zone).utcoffset()) / timedelta(hours=1)
        if gap < 36.0 and abs(gap + dst - 24.0) > cap + 1e-6:  # consecutive nights; a DST change at home
            # moves the clock, not the person
            out.append(f"sleep onset moved {gap - 24:+.2f} h between {a0:%d %b} and {a1:%d %b} before departure")
    until = plan.replan.logged_until if plan.replan else None
    for i in plan.items:
        if i.kind == "sleep" and not i.logged and i.start != until:  # (a sleep under way when the log ends)
            h = (i.end - i.start) / timedelta(hours=1)
            near = any(abs((i.end - (a - timedelta(hours=p["airport_hours"]))) / timedelta(hours=1)) < 0.3 or
                       abs((i.start - (b + timedelta(hours=p["arrival_hours"]))) / timedelta(hours=1)) < 0.3
                       for a, b in flights)
            if h < p["min_sleep_h"] - 1e-6 and not near and i.end < plan.items[-1].end - timedelta(hours=1):
                out.append(f"sleep of {h:.1f} h on {i.start:%d %b} (minimum {p['min_sleep_h']:g} h)")
    return out
