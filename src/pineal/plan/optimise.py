"""Build a trip plan: candidate plans evaluated in batches on the default model, the best one kept.

1. Starting phase by entrainment (``plan.phase``); daylight at every place and instant (``plan.daylight``).
2. Three ways of travelling, each as real schedules: no plan (home sleep, then local sleep), the published rule
   (Eastman & Burgess 2009 / CDC: 1 h/day, light on waking, 0.5 mg in the afternoon) and pineal's candidates.
3. Candidates: direction per change of zone (both for 8-16 h shifts), preparation days, planned rate, light
   offset from CBTmin — one batch; then melatonin times on the best two — a second batch; then the best
   re-anchored on its own simulated CBTmin — a third. Score: days to adaptation (``plan.score``), ties broken by
   the mean misalignment.
4. The predicted benefit over a virtual population (``plan.travellers``) for no plan, the rule and the plan.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import cache

import numpy as np

from pineal.models import pk
from pineal.plan import itinerary as itin
from pineal.plan import plasma
from pineal.plan.light import STEP_H, make_grid
from pineal.plan.phase import StartingPhase, starting_phase
from pineal.plan.programme import Context, Programme, Strategy, build, episode_shift
from pineal.plan.request import TripRequest
from pineal.plan.score import days_to_adapt, misalignment
from pineal.simulate import simulate

AMBIGUOUS_H = (8.0, 16.0)  # |shift| in this range: both directions are simulated
FOLLOW_DAYS = 12  # days after the last arrival that are simulated
# Candidates and the population band run at the grid's own 15-min step (inputs change only on that grid; the
# solver sub-steps bright light itself): 2.8x faster than the model's 0.1 h, with the same
# ranking on the tested trips (tests/plan/test_plasma.py; CBTmin within 0.1 h). The three reported plans are
# re-run at REPORT_DT.
SCREEN_DT = STEP_H
REPORT_DT = 0.1  # simulate()'s default step
FINALISTS = 4  # the best candidates of the screen re-run at REPORT_DT for the choice (days are counted in whole
# CBTmin cycles, so a few minutes can move a candidate across a day boundary)


@cache
def _typical_pk() -> np.ndarray:
    """The PK parameters ``simulate`` uses when no subject is given (the typical traveller)."""
    return pk.individual_parameters(pk.Subject())[0]


@dataclass
class Evaluated:
    programme: Programme
    days: list[float]  # per episode
    score: float
    cbt: np.ndarray
    dlmo: np.ndarray


@dataclass
class Engine:
    req: TripRequest
    it: itin.Itinerary
    ctx: Context
    phase: StartingPhase
    warnings: list[dict]
    melatonin_note: str
    n_evaluated: int = 0

    def simulate(self, programmes: list[Programme], params_rows=None, y0=None, pk_rows=None, dt=SCREEN_DT):
        grid = self.ctx.grid
        days = grid.size * STEP_H / 24.0
        light = [p.schedule(grid) for p in programmes]
        taken = [sorted([(t, p.dose_mg) for t in p.doses] + list(p.fixed_doses)) for p in programmes]
        over = params_rows if params_rows is not None else self.phase.params
        y = self.phase.y0 if y0 is None else y0
        self.n_evaluated += len(programmes)
        rows = pk_rows if pk_rows is not None else _typical_pk()[None, :]
        doses = None
        if any(taken) and plasma.linear(taken, rows):  # superposed single-dose curves (plan/plasma.py)
            light = plasma.dosed_light(light, taken, rows, days * 24.0, dt=dt)
            pk_rows = None
        elif any(taken):
            doses = [[pk.Dose(mg, t) for t, mg in d] for d in taken]
        return simulate(days=days, light=light, doses=doses, params=over, entrain=y, record_every=0,
                        pk_params=pk_rows, dt=dt)

    def evaluate(self, strategies: list[Strategy]) -> list[Evaluated]:
        """Candidates built and run in one batch at the screening step."""
        return self._run([build(self.ctx, s) for s in strategies], SCREEN_DT)

    def evaluate_exact(self, strategies: list[Strategy]) -> list[Evaluated]:
        """Candidates built and run at the model's own step."""
        return self._run([build(self.ctx, s) for s in strategies], REPORT_DT)

    def refine(self, evaluated: list[Evaluated]) -> list[Evaluated]:
        """The same programmes again at the model's own step: the numbers a plan reports."""
        n = self.n_evaluated
        out = self._run([e.programme for e in evaluated], REPORT_DT)
        self.n_evaluated = n
        return out

    def _run(self, progs: list[Programme], dt: float) -> list[Evaluated]:
        res = self.simulate(progs, dt=dt)
        cbt, dl = np.atleast_2d(res.cbtmin(per_day=False)), np.atleast_2d(res.dlmo(per_day=False))
        return [self._score(p, cbt[i], dl[i]) for i, p in enumerate(progs)]

    def _score(self, prog: Programme, cbt, dl) -> Evaluated:
        days, score = [], 0.0
        for ep in self.it.episodes:
            d = days_to_adapt(self.ctx.grid, ep, cbt, dl, self.phase.cbt_to_dlmo_h, self.ctx.sleep,
                              self.phase.dlmo_local)
            days.append(d)
            stay = (ep.end - ep.start) / timedelta(days=1)
            score += min(d, stay + 2.0) + 0.02 * misalignment(self.ctx.grid, ep, cbt, self.phase.cbtmin_local)
        open_ = self.ctx.grid.hours >= self.ctx.until_h
        score += 0.01 * len(prog.doses) + 0.001 * float((prog.seek[open_] > 0).sum())  # simpler plans win ties
        return Evaluated(prog, days, score, cbt, dl)


def _melatonin_allowed(req: TripRequest) -> tuple[bool, list[dict], str]:
    """The existing dose screen for the plan's dose; melatonin is left out of a plan for anyone it flags as a
    child, pregnant or breastfeeding, or with an interacting medicine or a listed condition."""
    from pineal.safety.screen import screen

    warns = screen(req.dose_mg, purpose="jet_lag", age=req.age, drugs=req.drugs, conditions=req.conditions,
                   pregnant=req.pregnant, breastfeeding=req.breastfeeding)
    out = [w.as_dict() for w in warns]
    blocking = [w for w in warns if (w.code.startswith("interaction_") and w.level != "info") or w.level == "danger"
                or w.code in ("children", "pregnancy", "breastfeeding")]
    if req.conditions:  # every listed condition (epilepsy, ...) needs a clinician first
        blocking += [w for w in warns if w not in blocking and w.level in ("caution", "danger")
                     and not w.code.startswith(("dose_band", "daytime", "label"))]
    if not req.melatonin:
        return False, out, "not wanted (melatonin = false)"
    if blocking:
        why = "; ".join(w.message.split(". What to do")[0] for w in blocking)
        return False, out, f"left out of this plan: {why}"
    return True, out, f"{req.dose_mg:g} mg immediate-release where the model places it"


def engine(req: TripRequest) -> Engine:
    it = itin.build(req)
    start = it.start - timedelta(days=req.prep_days + 1)
    last_arrival = it.flights[-1].arrive
    end = min(it.end, last_arrival + timedelta(days=FOLLOW_DAYS)) + timedelta(days=1)
    grid = make_grid(it, start, end)
    sleep = req.sleep_hours
    from pineal.timeline import parse_clock_hours

    phase = starting_phase(it.home, grid.t0, sleep, req.chronotype,
                           parse_clock_hours(req.dlmo, "dlmo") if req.dlmo else None)
    ok, warns, note = _melatonin_allowed(req)
    ctx = Context(it, grid, sleep, phase.cbtmin_h, phase.cbt_to_dlmo_h, ok, min(req.dose_mg, 5.0),
                  req.light_box_lux, req.plane_sleep, req.caffeine, req.drive_after_arrival)
    return Engine(req, it, ctx, phase, warns, note)


def natural_direction(shift_h: float) -> int:
    return 1 if shift_h > 0 else -1


def candidates(eng: Engine, lag: float = 0.0, prep_days: int | None = None) -> list[Strategy]:
    """The first batch: directions × preparation days × planned rate × light offset (no melatonin yet); when
    re-planning, every candidate follows the estimated clock (``lag``) and keeps lived preparation days."""
    eps = eng.it.episodes
    dir_options = [(natural_direction(e.shift_h), -natural_direction(e.shift_h))
                   if AMBIGUOUS_H[0] <= abs(e.shift_h) <= AMBIGUOUS_H[1] else (natural_direction(e.shift_h),)
                   for e in eps]
    preps = sorted({0, min(1, eng.req.prep_days), min(2, eng.req.prep_days), min(3, eng.req.prep_days)})
    if prep_days is not None:
        preps = [prep_days]
    out = []
    for dirs in itertools.product(*dir_options):
        for prep in preps:
            for rate in (1.0, 2.0):
                for off in (0.0, 1.5):
                    out.append(Strategy("model", tuple(dirs), prep, rate, off, lag_h=lag))
    return out


def rule_strategy(eng: Engine) -> Strategy:
    dirs = tuple(natural_direction(e.shift_h) for e in eng.it.episodes)
    return Strategy("rule", dirs, min(3, eng.req.prep_days), 1.0)


def optimise(eng: Engine, current: Evaluated | None = None, lag: float = 0.0,
             prep_days: int | None = None, extra: tuple = ()) -> tuple[Evaluated, Evaluated, Evaluated, dict]:
    """(no plan, rule, best) evaluated for the typical traveller, and the per-direction best scores.

    Re-planning (``plan.replan``): ``current`` is the issued plan evaluated with the days lived and ``extra`` the
    same plan re-anchored on the clock as lived; the better of them is kept unless a new candidate is predicted
    better by ``replan.KEEP_MARGIN``."""
    base = [Strategy("none", tuple(natural_direction(e.shift_h) for e in eng.it.episodes)), rule_strategy(eng)]
    first = eng.evaluate(base + candidates(eng, lag, prep_days) + list(extra))
    none, rule = first[0], first[1]
    cands, kept = first[2:len(first) - len(extra)], first[len(first) - len(extra):]
    by_dir: dict[tuple, Evaluated] = {}
    for ev in cands:
        k = ev.programme.strategy.directions
        if k not in by_dir or ev.score < by_dir[k].score:
            by_dir[k] = ev
    ranked = sorted([*cands, rule], key=lambda e: e.score)  # the published rule is a candidate too
    best, pool = ranked[0], list(ranked)
    if eng.ctx.melatonin_ok:
        tops = [ev for ev in ranked if ev.programme.strategy.kind == "model"][:2]
        mel = []
        for ev in tops:
            s = ev.programme.strategy
            offsets = (3.0, 5.0) if s.directions and s.directions[0] > 0 else (10.0,)
            mel += [replace(s, melatonin_offset_h=o) for o in offsets]
        second = eng.evaluate(mel)
        pool += second
        best = min([best, *second], key=lambda e: e.score)
    # the choice among the best few of the screen, and the baselines, at the model's own step
    finalists = sorted(pool, key=lambda e: e.score)[:FINALISTS]
    exact = eng.refine([none, rule, *finalists, *kept])
    none, rule = exact[0], exact[1]
    kept = exact[2 + len(finalists):]
    best = min([*exact[2:2 + len(finalists)], rule], key=lambda e: e.score)
    if best.programme.strategy.kind == "model":  # re-anchored on its own simulated CBTmin
        cbt = best.cbt[np.isfinite(best.cbt)]
        anchored = eng.evaluate_exact([replace(best.programme.strategy, anchor=tuple(float(c) for c in cbt))])[0]
        if anchored.score < best.score:
            best = anchored
    if current is not None:
        from pineal.plan.replan import KEEP_MARGIN

        issued = min([current, *kept], key=lambda e: e.score)  # the issued plan, as it was or re-anchored
        if issued.score <= best.score + KEEP_MARGIN:
            best = issued
    return none, rule, best, by_dir


def direction_reason(eng: Engine, k: int, by_dir: dict[tuple, Evaluated], chosen: tuple) -> str:
    ep = eng.it.episodes[k]
    d = chosen[k]
    word = "advance" if d > 0 else "delay"
    body = abs(episode_shift(ep, d))
    alts = [v for key, v in by_dir.items() if key[k] != d]
    if not alts:
        return (f"{word} by {body:g} h: the shorter way round for a {abs(ep.shift_h):g}-h change "
                "(the other way was not simulated: outside 8-16 h)")
    mine = by_dir.get(chosen)
    other = min(alts, key=lambda e: e.score)

    def txt(x):
        return "not within the stay" if not math.isfinite(x) else f"{x:.1f} days"

    return (f"{word} by {body:g} h: in the first batch of light-and-sleep candidates the best adapts in "
            f"{txt(mine.days[k]) if mine else '?'} this way and {txt(other.days[k])} the other way "
            f"({'delay' if d > 0 else 'advance'} by {24 - body:g} h)")
