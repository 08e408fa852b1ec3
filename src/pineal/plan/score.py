"""Days to adaptation from a simulation: when the body clock has settled in the destination's day.

Adapted (full): CBTmin inside the destination sleep window and DLMO within ``dlmo_window_h`` of its target clock
time (the traveller's own habitual DLMO, read in the destination's clock). For a stay of at most
``partial_stay_nights`` nights partial adaptation is the aim: CBTmin inside the sleep window (Arendt 2009;
Roach & Sargent 2019). Days count from the arrival to the first CBTmin from which every later one in the stay is
adapted; ``inf`` when that never happens within the simulated stay.
"""

from __future__ import annotations

import math

import numpy as np

from pineal import params
from pineal.plan.itinerary import Episode, offset_h
from pineal.plan.light import Grid


def _circ(a: float, b: float) -> float:
    return abs((a - b + 12.0) % 24.0 - 12.0)


def _inside(h: float, onset: float, wake: float) -> bool:
    return ((h - onset) % 24.0) <= ((wake - onset) % 24.0)


def days_to_adapt(grid: Grid, ep: Episode, cbt: np.ndarray, dlmo: np.ndarray, cbt_to_dlmo: float,
                  sleep: tuple[float, float], dlmo_target_local: float) -> float:
    """Days from arrival to adaptation for one subject (see module docstring)."""
    tol = params.load("plan")["dlmo_window_h"]
    start, end = grid.model_h(ep.start), min(grid.model_h(ep.end), grid.hours[-1])
    ev = cbt[np.isfinite(cbt) & (cbt >= start) & (cbt < end)]
    if ev.size == 0:
        return math.inf
    dl = dlmo[np.isfinite(dlmo)]
    ok = []
    for c in ev:
        when = grid.instant(c)
        off = offset_h(ep.target, when)
        good = _inside((c + off) % 24.0, *sleep)
        if good and not ep.partial:
            before = dl[(dl < c) & (dl > c - 16.0)]
            d = before[-1] if before.size else c - cbt_to_dlmo
            good = _circ((d + off) % 24.0, dlmo_target_local) <= tol
        ok.append(good)
    ok = np.array(ok)
    if not ok[-1]:
        return math.inf
    bad = np.flatnonzero(~ok)
    first = 0 if bad.size == 0 else bad[-1] + 1
    return max(0.0, (ev[first] - start) / 24.0)


def misalignment(grid: Grid, ep: Episode, cbt: np.ndarray, target_cbt_local: float) -> float:
    """Mean |CBTmin − its target clock time| (h) over the stay: a tie-breaker between plans."""
    start, end = grid.model_h(ep.start), min(grid.model_h(ep.end), grid.hours[-1])
    ev = cbt[np.isfinite(cbt) & (cbt >= start) & (cbt < end)]
    if ev.size == 0:
        return 12.0
    return float(np.mean([_circ((c + offset_h(ep.target, grid.instant(c))) % 24.0, target_cbt_local) for c in ev]))
