"""Re-planning from a log: the days lived are fixed as logged, the phase is re-estimated, the days left re-optimised.

1. The log (``plan.log``) is laid on the plan's 15-min grid: a step counts as logged when at least half of it is
   covered by samples; its lux is the mean measured lux, asleep the majority. Before the log starts (and in gaps
   longer than ``MAX_HOLD_H``) the traveller is assumed to have followed the plan that was issued.
2. :class:`Past` holds those lived days (sleep, light, doses); every candidate, the no-plan baseline and the
   published rule are built with it, so all of them start the open days from the same body clock.
3. The phase: the issued plan is re-simulated with the lived days; its first CBTmin after the end of the log,
   against the issued plan's, is the estimated deviation (positive: the clock is later than planned).
4. The open days are re-optimised as in ``plan.optimise`` with the windows of each candidate following the
   *estimated* clock (``Strategy.lag_h``: the planned trajectory, behind or ahead by the deviation, catching up at
   the planned rate). The issued plan competes unchanged and is kept unless a new one is predicted better by
   ``KEEP_MARGIN`` (a plan that is being followed does not churn).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from pineal import params
from pineal.errors import InputError
from pineal.plan.light import STEP_H, Grid
from pineal.plan.log import ActivityLog

KEEP_MARGIN = 0.5  # score units (≈ days to adaptation): the issued plan is kept unless beaten by this much


@dataclass(frozen=True)
class Logged:
    """A log on the grid: per step whether it is logged, the measured lux (NaN: not measured) and asleep."""

    covered: np.ndarray
    lux: np.ndarray
    asleep: np.ndarray
    doses: tuple[tuple[float, float], ...]  # (model hour, mg)
    start_h: float
    until_h: float
    gaps_h: float  # hours inside the log without samples (filled with the issued plan)
    notes: tuple[str, ...]


def _integral(x_lo: np.ndarray, x_hi: np.ndarray, v: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """∫ over each [edges[i], edges[i+1]) of the piecewise-constant v on disjoint sorted [x_lo, x_hi)."""
    s = np.cumsum(v * (x_hi - x_lo))
    xp = np.column_stack([x_lo, x_hi]).ravel()
    fp = np.column_stack([np.r_[0.0, s[:-1]], s]).ravel()
    return np.diff(np.interp(edges, xp, fp))


def on_grid(log: ActivityLog, grid: Grid) -> Logged:
    """Lay the samples on the grid (see the module docstring); a log outside the plan's days is an InputError."""
    t0 = grid.t0.timestamp()
    a, b = log.coverage()
    a_h, b_h = (a - t0) / 3600.0, (b - t0) / 3600.0
    edges = np.r_[grid.hours, grid.hours[-1] + STEP_H]
    span = f"{grid.instant(edges[0]):%Y-%m-%d %H:%M} to {grid.instant(edges[-1]):%Y-%m-%d %H:%M} UTC"
    shown = f"{log.first():%Y-%m-%d %H:%M} to {log.last():%Y-%m-%d %H:%M} UTC"
    cov = _integral(a_h, b_h, np.ones_like(a_h), edges)
    covered = cov >= 0.5 * STEP_H
    if not covered.any():
        raise InputError("log", shown, f"samples within the plan's days ({span}), at least one 15-min step")
    measured = np.isfinite(log.lux)
    lux_h = _integral(a_h, b_h, np.where(measured, log.lux, 0.0), edges)
    meas_h = _integral(a_h, b_h, measured.astype(float), edges)
    sleep_h = _integral(a_h, b_h, log.asleep.astype(float), edges)
    with np.errstate(invalid="ignore", divide="ignore"):
        lux = np.where(covered & (meas_h >= 0.5 * cov), lux_h / meas_h, np.nan)
        asleep = covered & (sleep_h >= 0.5 * cov)
    idx = np.flatnonzero(covered)
    start_h, until_h = float(edges[idx[0]]), float(edges[idx[-1] + 1])
    notes = list(log.flags)
    if a_h[0] < edges[0] or b_h[-1] > edges[-1]:
        notes.append(f"samples outside the plan's days ({span}) were left out")
    gaps = float((~covered[idx[0]:idx[-1] + 1]).sum() * STEP_H)
    if gaps:
        notes.append(f"{gaps:g} h inside the log without samples (gaps over 1 h) were taken as planned")
    t_h = (log.t - t0) / 3600.0
    inside = (log.melatonin_mg > 0) & (t_h >= edges[0]) & (t_h < until_h)
    doses = tuple((float(t), float(m)) for t, m in zip(t_h[inside], log.melatonin_mg[inside], strict=True))
    return Logged(covered, lux, asleep, doses, start_h, until_h, gaps, tuple(notes))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    d = np.diff(np.r_[0, mask.astype(np.int8), 0])
    return list(zip(np.flatnonzero(d == 1), np.flatnonzero(d == -1), strict=True))


@dataclass(frozen=True)
class Past:
    """The days lived, fixed for every candidate: arrays on grid steps [0, k), doses and sleeps before ``until_h``."""

    until_h: float
    log_start_h: float
    episode: int | None  # the episode still under way at the end of the log
    asleep: np.ndarray
    seek: np.ndarray
    avoid: np.ndarray
    lux: np.ndarray  # measured (NaN: ordinary light of the lived schedule)
    logged: np.ndarray  # bool per step
    doses: tuple[tuple[float, float], ...]
    sleeps: tuple[tuple[float, float, str], ...]
    main_wakes: tuple[float, ...]
    notes: tuple[str, ...]

    def apply(self, prog, grid: Grid):
        """The candidate ``prog`` with the lived days in place of its own (see ``programme.build``)."""
        k = self.asleep.size
        prog.asleep = np.r_[self.asleep, prog.asleep[k:]]
        prog.seek = np.r_[self.seek, prog.seek[k:]]
        prog.avoid = np.r_[self.avoid, prog.avoid[k:]]
        prog.lux_override = np.r_[self.lux, np.full(grid.size - k, np.nan)]
        prog.fixed_doses = list(self.doses)
        prog.doses = [t for t in prog.doses if t >= self.until_h]
        sleeps = list(self.sleeps)
        for s, e, kind in prog.sleeps:
            if e <= self.until_h:
                continue
            sleeps.append((max(s, self.until_h), e, kind))  # a sleep under way at the end of the log goes on
        prog.sleeps = sleeps
        prog.main_wakes = [w for w in self.main_wakes] + [w for w in prog.main_wakes if w >= self.until_h]
        return prog


def lived(issued, logged: Logged, ctx) -> Past:
    """The issued plan's programme up to the end of the log, with the logged steps in place of it."""
    p = params.load("plan")
    grid = ctx.grid
    k = min(grid.index(logged.until_h), grid.size)
    inlog = logged.covered[:k]
    asleep = np.where(inlog, logged.asleep[:k], issued.asleep[:k])
    lux = np.where(inlog, logged.lux[:k], np.nan)
    bright = np.where(np.isfinite(lux) & (lux >= p["bright_daylight_lux"]), lux, 0.0)
    seek = np.where(inlog, bright, issued.seek[:k])
    avoid = np.where(inlog, False, issued.avoid[:k])
    doses = [(t, issued.dose_mg) for t in issued.doses if t < logged.until_h and not inlog[min(grid.index(t), k - 1)]]
    doses = tuple(sorted(doses + list(logged.doses)))
    kinds = {grid.index(s): kind for s, _, kind in issued.sleeps}
    sleeps, wakes = [], [w for w in issued.main_wakes if w < logged.start_h]
    for i, j in _runs(asleep):
        kind = "sleep" if inlog[i:j].any() else kinds.get(i, "sleep")
        if grid.in_flight[i] and kind == "sleep":
            kind = "flight_sleep"
        sleeps.append((float(grid.hours[i]), float(grid.hours[i] + (j - i) * STEP_H), kind))
        if inlog[i:j].any() and (j - i) * STEP_H >= 3.0 and j < k:
            wakes.append(float(grid.hours[i] + (j - i) * STEP_H))
    episode = next((n for n, ep in enumerate(ctx.it.episodes) if ctx.h(ep.end) > logged.until_h), None)
    return Past(logged.until_h, logged.start_h, episode, asleep, seek, avoid, lux, inlog, doses, tuple(sleeps),
                tuple(sorted(wakes)), logged.notes)


def deviation(planned: np.ndarray, estimated: np.ndarray, until_h: float) -> tuple[float | None, float | None]:
    """(planned, estimated) model hour of the first CBTmin after the end of the log, the issued plan going on in
    both runs: the difference is what the lived days did to the clock."""
    ev = planned[np.isfinite(planned) & (planned >= until_h)]
    if ev.size == 0:
        ev = planned[np.isfinite(planned)][-1:]
    if ev.size == 0:
        return None, None
    c = float(ev[0])
    est = estimated[np.isfinite(estimated)]
    if est.size == 0:
        return c, None
    near = float(est[np.argmin(np.abs(est - c))])
    return c, near if abs(near - c) < 12.0 else None


def replan(eng, issued, log: ActivityLog):
    """Re-optimise the open days after ``log``: (engine with the past, none, rule, best, by_dir, info dict)."""
    from pineal.plan import optimise as opt

    logged = on_grid(log, eng.ctx.grid)
    past = lived(issued.programme, logged, eng.ctx)
    eng2 = replace(eng, ctx=replace(eng.ctx, past=past))
    keep = issued.programme.strategy
    current = eng2.evaluate_exact([keep])[0]  # at the step the issued plan was reported at
    c_plan, c_est = deviation(issued.cbt, current.cbt, past.until_h)
    dev = (c_est - c_plan) if c_plan is not None and c_est is not None else 0.0
    lag = round(dev / STEP_H) * STEP_H
    prep_fixed = _prep_started(eng2, keep, past.until_h)
    extra = []
    if keep.kind == "model":  # the issued plan with its windows on the clock as lived: simulated or lagged
        extra.append(replace(keep, anchor=tuple(float(c) for c in current.cbt[np.isfinite(current.cbt)])))
        if lag:
            extra.append(replace(keep, anchor=None, lag_h=lag))
    none, rule, best, by_dir = opt.optimise(eng2, current=current, lag=lag, prep_days=prep_fixed, extra=extra)
    info = {"rows": log.rows, "from_h": logged.start_h, "until_h": past.until_h,
            "gaps_h": logged.gaps_h,
            "cbtmin_planned": c_plan, "cbtmin_estimated": c_est,
            "deviation_h": round(dev, 2) if c_est is not None else None, "notes": list(past.notes),
            "issued": issued.programme}
    return eng2, none, rule, best, by_dir, info


def _prep_started(eng, keep, until_h: float) -> int | None:
    """The issued plan's preparation days when a preparation could already have started by the end of the log:
    lived nights cannot be moved again, so candidates keep the issued number of preparation days."""
    first = min((eng.ctx.h(ep.prep_until) for ep in eng.it.episodes), default=math.inf)
    longest = 24.0 * (max(eng.req.prep_days, keep.prep_days) + 1)
    return keep.prep_days if until_h > first - longest else None
