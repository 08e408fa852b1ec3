"""One candidate plan on the grid: sleep windows, seek-light and avoid-light windows, melatonin times.

A :class:`Strategy` says how to move: direction per episode (+1 advance, −1 delay), preparation days at the capped
rate (1 h/day advance, 1.5 h/day delay), the planned post-arrival rate, where the light windows sit relative to
the body-clock minimum, and the melatonin time relative to DLMO. Windows follow the *planned* moving CBTmin, or,
when ``anchor`` is given, the CBTmin the model simulated for this plan (re-anchoring).

Hard rules (docs/plan.md): no item during a flight except sleep where allowed; no pre-departure item after the
departure; sleep moves by at most the cap per day before departure and never past the needed shift; melatonin
only while awake, never in flight, never in the hours before driving; a seek-light window is never moved to
wherever there is room: the part that falls in sleep, in flight or in darkness (no light box) is dropped, and the
reason is kept.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from pineal import params
from pineal.plan.itinerary import Episode, Itinerary
from pineal.plan.light import STEP_H, Grid, ordinary_light, schedule_from

KINDS = ("sleep", "light_seek", "light_avoid", "melatonin", "caffeine_cutoff", "nap")


@dataclass(frozen=True)
class Strategy:
    kind: str  # "none" (no plan), "rule" (published rule), "model" (optimised), "home" (stay on home time)
    directions: tuple[int, ...] = ()
    prep_days: int = 0
    rate_post: float = 1.0
    light_offset_h: float = 0.0
    melatonin_offset_h: float | None = None  # advance: hours before planned DLMO; delay: after
    anchor: tuple[float, ...] | None = None  # simulated CBTmin events (model hours) to place windows on
    lag_h: float = 0.0  # re-planning: the estimated clock is this much later than planned (h) when the log ends

    def label(self) -> str:
        if self.kind != "model":
            return self.kind
        mel = "none" if self.melatonin_offset_h is None else f"{self.melatonin_offset_h:+g} h"
        return (f"dir {self.directions}, prep {self.prep_days} d, {self.rate_post:g} h/d, "
                f"light {self.light_offset_h:+g} h, melatonin {mel}{', re-anchored' if self.anchor else ''}"
                f"{f', lag {self.lag_h:+g} h' if self.lag_h else ''}")


@dataclass
class Programme:
    strategy: Strategy
    sleeps: list[tuple[float, float, str]]  # (start_h, end_h, "sleep" | "nap" | "flight_sleep")
    asleep: np.ndarray
    seek: np.ndarray  # lux to seek (0 = none)
    avoid: np.ndarray  # bool
    doses: list[float]  # model hours
    dose_mg: float
    caffeine_cutoffs: list[float] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)
    main_wakes: list[float] = field(default_factory=list)
    fixed_doses: list[tuple[float, float]] = field(default_factory=list)  # (model hour, mg) already taken
    lux_override: np.ndarray | None = None  # measured lux of the days lived (NaN: not measured)

    def lux(self, grid: Grid) -> np.ndarray:
        p = params.load("plan")
        lux = ordinary_light(grid, self.asleep, self.main_wakes)
        lux = np.where(self.seek > 0, np.maximum(lux, self.seek), lux)
        lux = np.where(self.avoid & ~self.asleep, np.minimum(lux, p["dim_lux"]), lux)
        if self.lux_override is not None:
            lux = np.where(np.isfinite(self.lux_override), self.lux_override, lux)
        return lux

    def schedule(self, grid: Grid):
        return schedule_from(grid, self.lux(grid), self.asleep)


@dataclass(frozen=True)
class Context:
    it: Itinerary
    grid: Grid
    sleep: tuple[float, float]  # habitual onset, wake (clock hours)
    cbtmin_h: float  # habitual CBTmin, model hour mod 24
    cbt_to_dlmo_h: float
    melatonin_ok: bool
    dose_mg: float
    light_box_lux: float | None
    plane_sleep: bool
    caffeine: bool
    drive_after_arrival: bool
    past: object | None = None  # re-planning: the days lived (``plan.replan.Past``), fixed for every candidate

    @property
    def until_h(self) -> float:
        """Model hour from which the plan is still open (the end of the log when re-planning)."""
        return self.past.until_h if self.past is not None else -math.inf

    def h(self, when: datetime) -> float:
        return self.grid.model_h(when)


def _round(h: float) -> float:
    return round(h / STEP_H) * STEP_H


def _zone_windows(zone, start: datetime, end: datetime, sleep) -> list[tuple[datetime, datetime]]:
    """Habitual sleep windows in ``zone`` whose onset lies in [start − length, end)."""
    onset, wake = sleep
    length = (wake - onset) % 24.0
    out = []
    d = (start.astimezone(zone) - timedelta(days=1)).date()
    while True:
        s = datetime(d.year, d.month, d.day, int(onset), round(onset % 1 * 60), tzinfo=zone)
        if s.astimezone(UTC) >= end.astimezone(UTC):
            break
        e = s.astimezone(UTC) + timedelta(hours=length)
        if e > start.astimezone(UTC):
            out.append((s.astimezone(UTC), e))
        d += timedelta(days=1)
    return out


def rates(direction: int) -> float:
    p = params.load("plan")
    return p["rule_advance_h_per_day"] if direction > 0 else p["rule_delay_h_per_day"]


def episode_shift(ep: Episode, direction: int) -> float:
    """Signed body-clock shift for an episode in a direction (advance positive)."""
    s = ep.shift_h
    if direction > 0:
        return s if s > 0 else s + 24.0
    return s if s < 0 else s - 24.0


def planned_shift(ctx: Context, st: Strategy, h):
    """The plan's intended cumulative body-clock shift (h, advance positive) at model hour(s) ``h``."""
    h = np.asarray(h, dtype=float)
    total = np.zeros_like(h)
    for k, (ep, d) in enumerate(zip(ctx.it.episodes, st.directions, strict=False)):
        need = episode_shift(ep, d)
        dep = ctx.h(ep.prep_until)
        prep_start = dep - 24.0 * st.prep_days
        prog = (rates(d) * np.clip(h - prep_start, 0.0, dep - prep_start) + st.rate_post * np.maximum(h - dep, 0.0)) \
            / 24.0
        if st.lag_h and k == ctx.past.episode:  # behind (or ahead of) the plan when the log ends: catch up
            prog = np.where(h >= ctx.until_h, np.maximum(0.0, prog - d * st.lag_h), prog)
        total += np.copysign(np.minimum(abs(need), prog), need)
    return float(total) if total.ndim == 0 else total


def _sleep_plan(ctx: Context, st: Strategy) -> tuple[list[tuple[float, float, str]], list[str], list[float]]:
    p = params.load("plan")
    it, notes = ctx.it, []
    horizon_end = ctx.grid.instant(ctx.grid.hours[-1] + STEP_H)
    segments, t = [], ctx.grid.t0
    zone = it.home.zone
    for ep in it.episodes if st.kind != "home" else ():
        segments.append((t, ep.start, zone))
        t, zone = ep.start, ep.target
    segments.append((t, horizon_end, zone))
    wins = []
    for a, b, z in segments:
        for s, e in _zone_windows(z, a, b, ctx.sleep):
            if s < a.astimezone(UTC):
                s = a.astimezone(UTC)
            wins.append([ctx.h(s), ctx.h(e)])
    wins.sort()
    # preparation: the last prep_days nights before each episode's first departure move by the capped rate
    if st.kind in ("model", "rule"):
        for ep, d in zip(it.episodes, st.directions, strict=False):
            dep = ctx.h(ep.prep_until)
            before = [w for w in wins if w[0] < dep - p["airport_hours"]]
            need = abs(episode_shift(ep, d))
            days = min(st.prep_days, math.ceil(need / rates(d) - 1e-9))
            for k, w in enumerate(before[-days:] if days else []):
                move = min(need, rates(d) * (k + 1))
                w[0] -= d * move
                w[1] -= d * move
    # flights: nothing on the ground from (departure − airport time) to (arrival + time to a bed)
    out: list[tuple[float, float, str]] = []
    for s, e in wins:
        pieces = [(s, e)]
        for f in it.flights:
            lo, hi = ctx.h(f.depart) - p["airport_hours"], ctx.h(f.arrive) + p["arrival_hours"]
            nxt = []
            for a, b in pieces:
                if b <= lo or a >= hi:
                    nxt.append((a, b))
                    continue
                if lo - a >= 2.0:
                    nxt.append((a, lo))
                    if lo - a < p["min_sleep_h"]:
                        notes.append(f"short night before the {f.origin.iata} departure: {lo - a:.1f} h in bed")
                if b - hi >= 2.0:
                    nxt.append((hi, b))
            pieces = nxt
        out += [(_round(a), _round(b), "sleep") for a, b in pieces if b - a >= 2.0]
    main_wakes = [b for _, b, _ in out]
    if ctx.plane_sleep:  # sleep in flight where the flight overlaps the night at the destination
        for f in it.flights:
            a, b = ctx.h(f.depart) + 0.5, ctx.h(f.arrive) - 0.5
            for s, e in _zone_windows(f.destination.zone, f.depart, f.arrive, ctx.sleep):
                lo, hi = max(a, ctx.h(s)), min(b, ctx.h(e))
                if hi - lo >= 2.0:
                    out.append((_round(lo), _round(hi), "flight_sleep"))
    # a nap after arrival when the last 24 h gave less than 5 h of sleep (ends by 15:00, 6 h before sleep)
    for f in it.flights:
        arr = ctx.h(f.arrive) + p["arrival_hours"]
        got = sum(max(0.0, min(e, arr) - max(s, arr - 24.0)) for s, e, _ in out)
        nxt = min((s for s, _, k in out if k == "sleep" and s >= arr), default=math.inf)
        end = arr + 1.5
        local_end = (f.arrive + timedelta(hours=p["arrival_hours"] + 1.5)).astimezone(f.destination.zone)
        if got < 5.0 and nxt - end >= 6.0 and local_end.hour + local_end.minute / 60 <= 15.0:
            out.append((_round(arr), _round(end), "nap"))
    out.sort()
    merged: list[tuple[float, float, str]] = []
    for s, e, k in out:
        if merged and s < merged[-1][1]:
            ps, pe, pk = merged[-1]
            merged[-1] = (ps, max(pe, e), pk)
        else:
            merged.append((s, e, k))
    return merged, notes, main_wakes


def _mask(grid: Grid, a: float, b: float) -> np.ndarray:
    m = np.zeros(grid.size, bool)
    m[grid.index(a):grid.index(b)] = True
    return m


def _cbt_events(ctx: Context, st: Strategy) -> list[float]:
    """CBTmin instants the windows are placed on: simulated (anchor) or planned (habitual + planned shift)."""
    if st.anchor:
        return [float(x) for x in st.anchor]
    cs = ctx.cbtmin_h + 24.0 * np.arange(math.ceil((ctx.grid.hours[-1] + 24.0 - ctx.cbtmin_h) / 24.0))
    return list(cs - planned_shift(ctx, st, cs))


def build(ctx: Context, st: Strategy) -> Programme:
    """The candidate's items on the grid, every hard rule applied (see module docstring)."""
    p = params.load("plan")
    grid = ctx.grid
    sleeps, notes, wakes = _sleep_plan(ctx, st)
    asleep = np.zeros(grid.size, bool)
    for s, e, _ in sleeps:
        asleep[grid.index(s):grid.index(e)] = True
    prog = Programme(st, sleeps, asleep, np.zeros(grid.size), np.zeros(grid.size, bool), [], ctx.dose_mg,
                     dropped=notes, main_wakes=wakes)
    if st.kind in ("none", "home") or not ctx.it.episodes:
        return prog
    awake = ~asleep & ~grid.in_flight
    bright = ctx.light_box_lux or 0.0
    spans = []  # each episode's items from its preparation to the next one's (no two episodes overlap)
    for k, (ep, _) in enumerate(zip(ctx.it.episodes, st.directions, strict=False)):
        t_from = ctx.h(ep.prep_until) - 24.0 * st.prep_days
        if k:
            t_from = max(t_from, ctx.h(ctx.it.episodes[k - 1].start) + 24.0)
        spans.append(t_from)
    for k, (ep, d) in enumerate(zip(ctx.it.episodes, st.directions, strict=False)):
        need = episode_shift(ep, d)
        dep, start = ctx.h(ep.prep_until), ctx.h(ep.start)
        t_from = spans[k]
        t_open = max(t_from, ctx.until_h)  # nothing is placed in the days already lived
        end = min(ctx.h(ep.end), spans[k + 1]) if k + 1 < len(spans) else ctx.h(ep.end)
        events = np.array(_cbt_events(ctx, st) if st.kind == "model" else [])
        done = np.abs(planned_shift(ctx, st, events) - planned_shift(ctx, st, t_from - 1e-6))
        for c, got in zip(events, done, strict=True):
            if not (t_from <= c < end):
                continue
            if st.anchor is None and got >= abs(need) - 1e-6 and c > start + 24:
                continue
            if d > 0:
                seek = (c + st.light_offset_h, c + st.light_offset_h + p["seek_hours"])
                avoid = (c - p["avoid_hours"], c)
            else:
                seek = (c - st.light_offset_h - p["seek_hours"], c - st.light_offset_h)
                avoid = (c, c + p["avoid_hours"])
            _place_light(ctx, prog, seek, avoid, awake, bright, t_open, dep, start)
            if st.melatonin_offset_h is not None and ctx.melatonin_ok:
                dl = c - ctx.cbt_to_dlmo_h
                t = _round(dl - st.melatonin_offset_h if d > 0 else dl + st.melatonin_offset_h)
                _place_dose(ctx, prog, t, awake, t_open, dep, start)
        if st.kind == "rule":
            _rule_items(ctx, prog, ep, d, awake, bright, t_open, dep, start, end, need, t_from)
    if ctx.caffeine:
        for s, _, k in sleeps:
            if k == "sleep" and s - 8.0 > grid.hours[0] + 24.0:
                cut = _round(s - (8.0 if (st.directions or (1,))[0] > 0 else 6.0))
                if awake[min(grid.index(cut), grid.size - 1)] and cut >= ctx.until_h:
                    prog.caffeine_cutoffs.append(cut)
    return ctx.past.apply(prog, grid) if ctx.past is not None else prog


def _allowed_time(ctx: Context, t: float, t_from: float, dep: float, start: float) -> str | None:
    """None if an item at ``t`` is in this episode's allowed span, else why not."""
    if t < t_from:
        return "before the plan starts"
    if dep - params.load("plan")["airport_hours"] <= t < start:
        return "between leaving for the airport and arrival"
    return None


def _allowed_mask(ctx: Context, t_from: float, dep: float, start: float) -> np.ndarray:
    """Grid steps where this episode's items may go (vectorised :func:`_allowed_time`)."""
    h = ctx.grid.hours
    return (h >= t_from) & ~((h >= dep - params.load("plan")["airport_hours"]) & (h < start))


def _place_light(ctx, prog, seek, avoid, awake, bright, t_from, dep, start):
    p = params.load("plan")
    grid = ctx.grid
    allowed = _allowed_mask(ctx, t_from, dep, start)
    inside = _mask(grid, *seek)
    m = inside & awake & allowed
    level = np.where(grid.daylight >= p["bright_daylight_lux"], grid.daylight, 0.0)
    if bright:
        level = np.maximum(level, bright)
    usable = m & (level > 0)
    if usable.sum() * STEP_H < 0.5:
        if not (inside & allowed).any():
            why = "before the plan starts" if seek[1] <= t_from else "on the way to the airport or in flight"
        elif not (awake & inside & allowed).any():
            why = "asleep then (keep the bedroom dark)"
        else:
            why = "no daylight then and no light box"
        if why != "before the plan starts":
            prog.dropped.append(f"seek-light window from {_local_text(ctx, seek[0])} dropped: {why}")
    else:
        prog.seek = np.where(usable, np.maximum(prog.seek, level), prog.seek)
    prog.avoid |= _mask(grid, *avoid) & awake & allowed & (prog.seek == 0)


def _local_text(ctx: Context, h: float) -> str:
    """A model hour as local time where the traveller is then."""
    when = ctx.grid.instant(h)
    place = ctx.it.place_at(when)
    zone = (place or ctx.it.home).zone
    return f"{when.astimezone(zone):%a %d %b %H:%M} {zone.key}" + (" (in flight)" if place is None else "")


def _place_dose(ctx, prog, t, awake, t_from, dep, start):
    p = params.load("plan")
    grid = ctx.grid
    k = grid.index(t)
    if k >= grid.size or k < 0:
        return
    why = _allowed_time(ctx, t, t_from, dep, start)
    if why is None and grid.in_flight[k]:
        why = "in flight"
    if why is None and not awake[k:k + 2].all():
        why = "asleep at that time (melatonin is never taken while asleep)"
    if why is None and ctx.drive_after_arrival:
        for f in ctx.it.flights:
            a = ctx.h(f.arrive)
            if a - p["no_melatonin_before_drive_h"] <= t <= a + p["arrival_hours"]:
                why = "in the hours before driving"
    if why and t < ctx.until_h:
        return  # a day already lived (re-planning): nothing to place or report
    if why:
        prog.dropped.append(f"melatonin at {_local_text(ctx, t)} dropped: {why}")
    elif not prog.doses or t - prog.doses[-1] >= 12.0:
        prog.doses.append(t)


def _rule_items(ctx, prog, ep, d, awake, bright, t_from, dep, start, end, need, t_plan=None):
    """Eastman–Burgess / CDC rule: light on waking (advance) or before bed (delay), 0.5 mg 5 h before bedtime
    (advance), moving with the sleep schedule; no model."""
    p = params.load("plan")
    n_days = math.ceil(abs(need) / rates(d))
    used = 0
    t_plan = t_from if t_plan is None else t_plan  # the rule's days count from its own start, lived or not
    for s, e, k in prog.sleeps:
        if k != "sleep" or e < t_plan or s >= end or used >= n_days + prog.strategy.prep_days:
            continue
        used += 1
        if d > 0:  # intermittent bright light on waking: 4 x 30 min in the first 3.5 h
            for j in range(4):
                a = e + j * 1.0
                _place_light(ctx, prog, (a, a + 0.5), (a, a), awake, bright, t_from, dep, start)
            if ctx.melatonin_ok:
                _place_dose(ctx, prog, _round(s - p["rule_melatonin_before_bed_h"]), awake, t_from, dep, start)
        else:
            _place_light(ctx, prog, (s - 3.0, s - 0.5), (s, s), awake, bright, t_from, dep, start)
