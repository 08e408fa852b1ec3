"""From the evaluated plans to a :class:`~pineal.plan.result.Plan`: items in local instants, predictions, notes."""

from __future__ import annotations

import math

import numpy as np

from pineal import params
from pineal.plan import optimise as opt
from pineal.plan.light import STEP_H
from pineal.plan.log import ActivityLog, read_log
from pineal.plan.programme import Programme, Strategy, build, episode_shift
from pineal.plan.replan import replan
from pineal.plan.request import TripRequest
from pineal.plan.result import EpisodePlan, Marker, Plan, PlanItem, Prediction, Replan, StartPhase
from pineal.plan.score import days_to_adapt
from pineal.plan.travellers import sample_travellers
from pineal.simulate import DEFAULT_MODEL
from pineal.timeline import format_clock

TITLES = {"sleep": "Sleep (dark, quiet room)", "nap": "Nap (up to 90 min)", "flight_sleep": "Sleep on the plane",
          "light_seek": "Seek bright light", "light_avoid": "Avoid bright light (dim room, dark glasses outside)",
          "melatonin": "Melatonin", "caffeine_cutoff": "Last caffeine of the day", "flight": "Flight"}


def _zone_at(eng: opt.Engine, when):
    place = eng.it.place_at(when)
    if place is None:
        for f in eng.it.flights:
            if f.depart <= when < f.arrive:
                return f.origin.zone
    return (place or eng.it.home).zone


def items(eng: opt.Engine, prog: Programme) -> list[PlanItem]:
    """Plan items as aware instants in the zone of wherever the traveller is."""
    grid = eng.ctx.grid
    past = eng.ctx.past
    out: list[PlanItem] = []

    def add(kind, a, b, detail="", lived=""):
        s = grid.instant(a)
        z = _zone_at(eng, s)
        logged = bool(past is not None and a < past.until_h and b > past.log_start_h)  # lived (gaps: as planned)
        if logged:
            detail = f"as logged; {lived}" if lived else "as logged"
        out.append(PlanItem(kind=kind, start=s.astimezone(z), end=grid.instant(b).astimezone(z), zone=z.key,
                            title=TITLES[kind], detail=detail, logged=logged))

    for f in eng.it.flights:
        out.append(PlanItem(kind="flight", start=f.depart, end=f.arrive, zone=f.origin.zone.key,
                            title=f"Flight {f.origin.iata} -> {f.destination.iata}",
                            detail=f"{f.hours:.1f} h; arrives {f.arrive:%a %d %b %H:%M} {f.destination.zone.key}"))
    first = grid.hours[0] + 24.0
    for s, e, k in prog.sleeps:
        if s >= first:  # the grid's first day only sets up the light history
            add(k, s, e)
    for mask, kind in ((prog.seek > 0, "light_seek"), (prog.avoid, "light_avoid")):
        idx = np.flatnonzero(mask)
        if idx.size:
            breaks = np.flatnonzero(np.diff(idx) > 1)
            for a, b in zip(np.r_[idx[0], idx[breaks + 1]], np.r_[idx[breaks], idx[-1]], strict=True):
                lux = float(prog.seek[a:b + 1].max()) if kind == "light_seek" else 0.0
                detail = (f"outdoors or a light box, about {lux:,.0f} lux" if kind == "light_seek"
                          else "below 10 lux at the eye")
                lived = f"about {lux:,.0f} lux" if kind == "light_seek" else ""
                if past is not None and a < past.asleep.size <= b:  # split at the end of the lived days
                    k = past.asleep.size
                    add(kind, grid.hours[a], grid.hours[k], detail, lived)
                    a = k
                add(kind, grid.hours[a], grid.hours[b] + STEP_H, detail, lived)
    for t in prog.doses:
        add("melatonin", t, t + STEP_H, f"{prog.dose_mg:g} mg immediate-release; stay awake for a while after, "
            "do not drive")
    for t, mg in prog.fixed_doses:
        add("melatonin", t, t + STEP_H, f"{mg:g} mg", f"{mg:g} mg")
    for t in prog.caffeine_cutoffs:
        add("caffeine_cutoff", t, t + STEP_H, "no coffee, tea, cola or energy drinks after this")
    return sorted(out, key=lambda i: (i.start, i.kind))


_ENTRAINED: dict[tuple, np.ndarray] = {}  # virtual travellers entrained at home: (home, day, sleep, n, seed, age)


def _population_start(eng: opt.Engine, rows: list[dict], n: int, seed: int) -> np.ndarray:
    """The virtual travellers' states entrained to the habitual day at home (reused for the same home, day,
    sleep and population: a re-plan or a second plan from home does not entrain them again)."""
    from pineal.simulate import simulate

    key = (eng.it.home.iata, eng.ctx.grid.t0, eng.ctx.sleep, n, seed, eng.req.age)
    if key not in _ENTRAINED:
        if len(_ENTRAINED) > 32:
            _ENTRAINED.clear()
        _ENTRAINED[key] = simulate(days=2.0, light=eng.phase.habitual, entrain=eng.phase.habitual, params=rows,
                                   record_every=0).y_end
    return _ENTRAINED[key]


def _band(eng: opt.Engine, progs: list[Programme], n: int, seed: int) -> list[list[float]]:
    """Days to adaptation per episode for each programme over ``n`` virtual travellers (one batch)."""
    rows, pk_rows = sample_travellers(n, seed, eng.req.age)
    y = _population_start(eng, rows, n, seed)
    batch = [p for p in progs for _ in range(n)]
    res = eng.simulate(batch, params_rows=rows * len(progs), y0=np.tile(y, (len(progs), 1)),
                       pk_rows=np.tile(pk_rows, (len(progs), 1)))
    cbt, dl = np.atleast_2d(res.cbtmin(per_day=False)), np.atleast_2d(res.dlmo(per_day=False))
    out = []
    for j in range(len(progs)):
        per = []
        for _k, ep in enumerate(eng.it.episodes):
            per.append([days_to_adapt(eng.ctx.grid, ep, cbt[j * n + i], dl[j * n + i], eng.phase.cbt_to_dlmo_h,
                                      eng.ctx.sleep, eng.phase.dlmo_local) for i in range(n)])
        out.append(per)
    return out


#: days (averaged over the virtual travellers) by which the rule must beat the model's plan to be issued instead
ROBUST_MARGIN_D = 0.25


def _band_cost(episodes, band: list[list[float]]) -> float:
    """Mean days to adaptation over the virtual travellers, summed over episodes; a traveller not adapted within
    a stay counts as the whole stay (its nights + 1)."""
    return float(sum(np.mean([d if math.isfinite(d) else ep.nights + 1.0 for d in per])
                     for ep, per in zip(episodes, band, strict=True)))


def _replan_result(eng: opt.Engine, info: dict, issued, best) -> Replan:
    """The ``replan`` block: the lived span, the phase estimate and whether the open days changed."""
    grid, until = eng.ctx.grid, info["until_h"]

    def open_items(prog):
        return {(i.kind, i.start, i.end) for i in items(eng, prog) if i.start >= grid.instant(until)}

    def at(h):
        return None if h is None else grid.instant(h)

    issued_prog = build(eng.ctx, issued.programme.strategy)  # the issued plan with the days as lived
    return Replan(log_rows=info["rows"], logged_from=grid.instant(info["from_h"]), logged_until=grid.instant(until),
                  gaps_h=info["gaps_h"], cbtmin_planned=at(info["cbtmin_planned"]),
                  cbtmin_estimated=at(info["cbtmin_estimated"]), phase_deviation_h=info["deviation_h"],
                  plan_changed=open_items(issued_prog) != open_items(best.programme), notes=info["notes"])


def _finite(x: float) -> float | None:
    return round(float(x), 1) if math.isfinite(x) else None


def plan_trip(req: TripRequest, log=None) -> tuple[Plan, opt.Engine | None, dict]:
    """The plan for a trip, the engine (grid, context) and the evaluated programmes for the exports.

    ``log``: what the traveller did so far (a :class:`~pineal.plan.log.ActivityLog`, or the path of a CSV log,
    docs/plan.md "Re-planning"): the days lived are shown as logged, the phase is re-estimated from them and only
    the days left are re-optimised (``plan.replan``)."""
    if log is not None and not isinstance(log, ActivityLog):
        log = read_log(log)
    eng = opt.engine(req)
    p = params.load("plan")
    sp = eng.phase
    start = StartPhase(dlmo_local=format_clock(sp.dlmo_local), cbtmin_local=format_clock(sp.cbtmin_local),
                       period_h=round(sp.period_h, 3),
                       source="measured DLMO" if req.dlmo else f"entrainment to habitual sleep {req.sleep} "
                       f"(chronotype: {req.chronotype or 'not given'})")
    eps = eng.it.episodes
    tiny = all(abs(e.shift_h) <= p["tiny_shift_h"] for e in eps)
    notes: list[str] = []
    if not eps or tiny:
        mode = "home_time" if not eps else "tips"
        st = Strategy("home" if not eps else "none", tuple(opt.natural_direction(e.shift_h) for e in eps))
        prog = build(eng.ctx, st)
        notes.append("Short stay: keep home time; sleep when it is night at home, use caffeine and short naps "
                     "for alertness (CDC 2024; Arendt 2009)." if not eps else
                     f"A {max(abs(e.shift_h) for e in eps):g}-h change is small: no plan needed; get daylight in the "
                     "morning after flying east and in the late afternoon after flying west, sleep at local time.")
        if log is not None:
            notes.append("The log was not used: this trip has no body-clock plan to re-optimise.")
        plan = Plan(mode=mode, summary=notes[0], home=eng.it.home.label, sleep=req.sleep, starting_phase=start,
                    episodes=[], items=items(eng, prog), dropped=prog.dropped, notes=notes, warnings=eng.warnings,
                    melatonin="not part of this plan", markers=[], candidates_evaluated=0, model=DEFAULT_MODEL)
        return plan, eng, {"pineal plan": prog}
    none, rule, best, by_dir = opt.optimise(eng)
    replan_info = None
    if log is not None:
        issued = best
        eng, none, rule, best, by_dir, info = replan(eng, issued, log)
        replan_info = _replan_result(eng, info, issued, best)
        notes += info["notes"]
    bands = _band(eng, [none.programme, rule.programme, best.programme], req.population, req.seed) \
        if req.population else None
    cost_rule, cost_plan = (_band_cost(eps, bands[j]) for j in (1, 2)) if bands else (0.0, 0.0)
    if bands and best is not rule and cost_rule + ROBUST_MARGIN_D < cost_plan:
        notes.append(f"The published rule is issued: the model's best plan for the typical traveller "
                     f"({cost_plan:.1f} days to adaptation on average over {req.population} virtual travellers) is "
                     f"less robust than the rule ({cost_rule:.1f} days).")
        best, bands[2] = rule, bands[1]
    episodes = []
    for k, ep in enumerate(eps):
        d = best.programme.strategy.directions[k]
        preds = []
        for j, (name, ev) in enumerate((("no plan", none), ("published rule", rule), ("pineal plan", best))):
            pr = Prediction(strategy=name, days=_finite(ev.days[k]))
            if bands:
                v = np.array(bands[j][k])
                q = np.percentile(v, [10, 50, 90], method="nearest")
                pr = Prediction(strategy=name, days=_finite(ev.days[k]), band_p10=_finite(q[0]),
                                band_median=_finite(q[1]), band_p90=_finite(q[2]),
                                adapted_share=round(float(np.isfinite(v).mean()), 2), population=int(v.size))
            preds.append(pr)
        episodes.append(EpisodePlan(arrive=ep.start.astimezone(ep.place.zone), place=ep.place.label,
                                    zone_from=ep.source.key, zone_to=ep.target.key, shift_h=ep.shift_h,
                                    direction="advance" if d > 0 else "delay", body_shift_h=episode_shift(ep, d),
                                    reason=opt.direction_reason(eng, k, by_dir, best.programme.strategy.directions),
                                    nights=ep.nights, aim="partial" if ep.partial else "full", predictions=preds))
    grid = eng.ctx.grid
    markers = [Marker(at=grid.instant(c), kind="cbtmin", strategy=s)
               for s, ev in (("pineal plan", best), ("no plan", none)) for c in ev.cbt if math.isfinite(c)]
    def txt(x):
        return "not within the stay" if x is None else f"{x} d"

    summary = "; ".join(f"{e.place}: {e.direction} {abs(e.body_shift_h):g} h, adapted in "
                        f"{txt(e.predictions[2].days)} (no plan: {txt(e.predictions[0].days)}, "
                        f"rule: {txt(e.predictions[1].days)})" for e in episodes)
    if replan_info is not None:
        dev = replan_info.phase_deviation_h
        summary = (f"Re-planned from the log to {replan_info.logged_until:%Y-%m-%d %H:%M} UTC (body clock "
                   f"{'not estimated' if dev is None else f'{abs(dev):.1f} h ' + ('later' if dev > 0 else 'earlier')}"
                   f"{'' if dev is None else ' than planned'}; the rest of the plan "
                   f"{'changed' if replan_info.plan_changed else 'is unchanged'}). " + summary)
    plan = Plan(mode="plan", summary=summary, home=eng.it.home.label, sleep=req.sleep, starting_phase=start,
                episodes=episodes, items=items(eng, best.programme), dropped=best.programme.dropped, notes=notes,
                warnings=eng.warnings, melatonin=eng.melatonin_note, markers=markers,
                candidates_evaluated=eng.n_evaluated, model=DEFAULT_MODEL, replan=replan_info)
    return plan, eng, {"pineal plan": best.programme, "no plan": none.programme, "published rule": rule.programme}


