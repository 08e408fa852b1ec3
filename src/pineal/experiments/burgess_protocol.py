"""The Burgess three-pill melatonin PRC protocol (Burgess 2008, 2010), run as published (models.md P14).

Laboratory session of 5 days, preceded by a fixed home schedule (the ordinary day of melatonin_profile.home():
sleep 23:00-07:00, room light by day, a dim evening; the model starts entrained to it):

* day 1 (07:00 → 07:00): phase assessment awake in dim light (< 5 lux) — the baseline DLMO;
* days 2-4: ultradian light-dark cycle, 2.5 h awake in room light (< 150 lux; ``ULTRADIAN_LUX``) and 1.5 h
  asleep in the dark; one pill a day at the start of the same wake episode (same clock time) for 3 days;
* day 5: phase assessment in dim light — the final DLMO.

Each pill time is one subject with its own ultradian alignment; the placebo arm is the same subject without
pills. Phase shift = placebo DLMO − melatonin DLMO on day 5 (advance positive); x = clock time of the pill
minus the baseline DLMO (0-24 h), as on the published x axis. Day 1 is shared, so it runs once and the batch
starts from its end state. The DLMO definition is saliva 3 pg/mL (Burgess measured saliva; an absolute
threshold is used here in place of their low-baseline-based one).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from pineal import schedule
from pineal.experiments import Outcome, ValidationRow, explain, within
from pineal.experiments.data_files import load
from pineal.experiments.melatonin_profile import HOME_LUX, home
from pineal.models import pk
from pineal.simulate import simulate
from pineal.timeline import format_clock

ASSESS_LUX = schedule.ASSESSMENT_LUX  # "dim light (< 5 lux)"
ULTRADIAN_LUX = 100.0  # "room light (< 150 lux)" — assumed level inside the published bound
LAB_START = 7.0  # model hour: wake at home on day 1, phase assessment starts
ULTRA_START, ULTRA_END = 31.0, 103.0  # days 2-4 (07:00 day 2 to 07:00 day 5)
END = 127.0  # 07:00 day 6: the day-5 assessment covers the whole melatonin profile
WAKE_H, SLEEP_H = 2.5, 1.5
DEFINITION = "saliva_3"
SUBJECT = pk.Subject(age=26.0)  # young adults, 18-42 y (Burgess 2010)
MODEL = "hannay2019+melatonin"
DATA = {3.0: "prc_melatonin_burgess2008_3mg.json", 0.5: "prc_melatonin_burgess2010_0p5mg.json"}


@dataclass
class PRC:
    """A simulated three-pill PRC."""

    dose_mg: float
    x: np.ndarray  # clock time of the pills minus the baseline DLMO (h, 0-24)
    shift: np.ndarray  # melatonin minus placebo DLMO shift (h, advance +)
    placebo_drift_h_per_day: np.ndarray  # later DLMO per day in the placebo arm (free run)
    baseline_dlmo_h: float  # model hours (day 1 evening)


def data(dose_mg: float) -> dict:
    return load(DATA[dose_mg])["data"]


def points(dose_mg: float) -> tuple[np.ndarray, np.ndarray]:
    """The digitized individual points (x after DLMO, shift) of the published PRC for this dose."""
    pts = np.array(data(dose_mg)["raw_points_x_h_after_DLMO_y_shift_h"], dtype=float)
    return pts[:, 0], pts[:, 1]


def baseline(params: dict | None = None, subject: pk.Subject = SUBJECT, dt: float = 0.1):
    """Entrain at home, run day 1 (dim phase assessment): (state at ULTRA_START, baseline DLMO in model hours)."""
    day1 = schedule.constant(ASSESS_LUX).with_episodes(0.0, LAB_START, "lux", 0.0).with_episodes(
        0.0, LAB_START, "sleep", 1.0)
    res = simulate(days=ULTRA_START / 24.0, light=day1, model=MODEL, subject=subject, params=params, entrain=home(),
                   record_every=0, dt=dt)
    onsets = res.dlmo(per_day=False, definition=DEFINITION)
    onsets = onsets[np.isfinite(onsets) & (onsets > LAB_START)]
    return res.y_end[0], float(onsets[0])


def lab_schedule(first_pill: float) -> schedule.Schedule:
    """Days 2-5 from ULTRA_START: ultradian cycle aligned so a wake episode starts at ``first_pill``."""
    k0 = np.ceil((ULTRA_START + SLEEP_H - first_pill) / (WAKE_H + SLEEP_H))
    wake_starts = first_pill + (WAKE_H + SLEEP_H) * np.arange(k0, k0 + 24)
    wake_starts = wake_starts[wake_starts <= ULTRA_END]
    sleep_starts = wake_starts - SLEEP_H
    base = schedule.constant(ULTRADIAN_LUX, start=ULTRA_START).with_light(ULTRA_END, END + 1.0, ASSESS_LUX)
    return base.with_episodes(sleep_starts, wake_starts, "lux", 0.0).with_episodes(sleep_starts, wake_starts,
                                                                                     "sleep", 1.0)


def first_pill_time(baseline_dlmo: float, x: float) -> float:
    """The first time on day 2 or later whose clock time is baseline DLMO + x."""
    clock = (baseline_dlmo + x) % 24.0
    t = ULTRA_START - (ULTRA_START % 24.0) + clock
    return t if t >= ULTRA_START else t + 24.0


def prc(dose_mg: float, x, params: dict | None = None, subject: pk.Subject = SUBJECT, dt: float = 0.1) -> PRC:
    """Run the protocol for every pill time ``x`` (h after baseline DLMO): melatonin and placebo arms in one batch."""
    x = np.atleast_1d(np.asarray(x, dtype=float)) % 24.0
    y31, dlmo0 = _cached_baseline(_key(params), subject, dt)
    firsts = np.array([first_pill_time(dlmo0, xi) for xi in x])
    lights = [lab_schedule(f) for f in firsts]
    doses = [[pk.Dose(dose_mg, f + 24.0 * k) for k in range(3)] for f in firsts]
    res = simulate(days=(END - ULTRA_START) / 24.0, start_h=ULTRA_START, light=lights + lights,
                   doses=doses + [[] for _ in firsts], subject=subject, model=MODEL, params=params,
                   entrain=np.array(y31), record_every=0, dt=dt)
    final = _final_dlmo(res.dlmo(per_day=False, definition=DEFINITION))
    n = x.size
    shift = final[n:] - final[:n]
    drift = (final[n:] - (dlmo0 + 96.0)) / 4.0
    return PRC(dose_mg=dose_mg, x=x, shift=shift, placebo_drift_h_per_day=drift, baseline_dlmo_h=dlmo0)


def _final_dlmo(onsets: np.ndarray) -> np.ndarray:
    """The day-5 DLMO of each subject: the first onset after the ultradian days end."""
    ev = np.where(np.isfinite(onsets) & (onsets > ULTRA_END), onsets, np.inf)
    out = ev.min(axis=1)
    return np.where(np.isfinite(out), out, np.nan)


def _key(params: dict | None):
    return tuple(sorted((params or {}).items()))


@cache
def _cached_baseline(key, subject: pk.Subject, dt: float):
    """Day 1 is the same for every pill time: run it once per parameter set."""
    return baseline(dict(key), subject, dt)


def rmse(model_y: np.ndarray, data_y: np.ndarray) -> float:
    """Root-mean-square difference; NaN if the model has no shift for some point (no DLMO found)."""
    return float(np.sqrt(np.mean((np.asarray(model_y) - np.asarray(data_y)) ** 2)))


def _vertex(x: np.ndarray, y: np.ndarray, i: int) -> tuple[float, float]:
    """Parabola through the grid extreme and its two neighbours (the PRC is periodic over 24 h)."""
    n = len(y)
    y0, y1, y2 = y[(i - 1) % n], y[i], y[(i + 1) % n]
    h = x[1] - x[0]
    den = y0 - 2.0 * y1 + y2
    d = 0.5 * (y0 - y2) / den if den != 0 else 0.0
    return float((x[i] + d * h) % 24.0), float(y1 - 0.25 * (y0 - y2) * d)


def extremes(x: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Maximum advance and delay of a PRC on an even 24-h grid and where they fall (h after DLMO), refined
    between grid points by a parabola."""
    xa, ya = _vertex(x, y, int(np.nanargmax(y)))
    xd, yd = _vertex(x, y, int(np.nanargmin(y)))
    return {"max_advance": ya, "x_advance": xa, "max_delay": yd, "x_delay": xd}


def dose_comparison(low: PRC, high: PRC) -> dict[str, float]:
    """How the low-dose PRC differs from the high-dose one (validation.md MP-3): h later, amplitude ratio."""
    el, eh = extremes(low.x, low.shift), extremes(high.x, high.shift)
    return {"advance_later_h": (el["x_advance"] - eh["x_advance"] + 12.0) % 24.0 - 12.0,
            "delay_later_h": (el["x_delay"] - eh["x_delay"] + 12.0) % 24.0 - 12.0,
            "amplitude_ratio": (el["max_advance"] - el["max_delay"]) / (eh["max_advance"] - eh["max_delay"])}


GRID = np.arange(0.0, 24.0, 0.25)


def outcome(dose_mg: float, name: str, title: str, cite: str, targets: dict, known_misses: dict) -> Outcome:
    """Rows for one published PRC: RMS against the points, the extremes and where they fall (documented misses
    carry their explanation)."""
    xd, yd = points(dose_mg)
    at_points = prc(dose_mg, xd)
    curve = prc(dose_mg, GRID)
    rms = rmse(at_points.shift, yd)
    ext = extremes(GRID, curve.shift)
    before = 24.0 - ext["x_advance"]
    note = (f"model {MODEL}; home {HOME_LUX:.0f} lux, ultradian wake {ULTRADIAN_LUX:.0f} lux (assumed, < 150), "
            f"assessments {ASSESS_LUX:.0f} lux; DLMO {DEFINITION}; baseline DLMO "
            f"{format_clock(at_points.baseline_dlmo_h)}")
    t = targets
    rows = [
        ValidationRow(name, f"RMS vs {len(xd)} digitized points", round(rms, 3), t["rms_published"],
                      f"<= {t['rms_max']} h", rms <= t["rms_max"], "h", cite, note),
        ValidationRow(name, "maximum advance", round(ext["max_advance"], 2), t["advance"],
                      f"{t['advance_range'][0]}-{t['advance_range'][1]} h",
                      within(ext["max_advance"], *t["advance_range"]), "h", cite, note),
        ValidationRow(name, "pill time of the maximum advance, h before DLMO", round(before, 2), t["advance_at"],
                      f"{t['advance_at_range'][0]}-{t['advance_at_range'][1]} h before",
                      within(before, *t["advance_at_range"]), "h", cite, note),
        ValidationRow(name, "maximum delay", round(ext["max_delay"], 2), t["delay"],
                      f"{t['delay_range'][0]}-{t['delay_range'][1]} h", within(ext["max_delay"], *t["delay_range"]),
                      "h", cite, note),
        ValidationRow(name, "pill time of the maximum delay, h after DLMO", round(ext["x_delay"], 2),
                      t["delay_at"], f"{t['delay_at_range'][0]}-{t['delay_at_range'][1]} h after",
                      within(ext["x_delay"], *t["delay_at_range"]), "h", cite, note),
    ]
    fit = data(dose_mg)["fitted_curve_points_x_h_after_DLMO_y_shift_h"]
    series = {"x_label": "first pill, hours after baseline DLMO", "y_label": "phase shift (h, advance +)",
              "model": {"x": GRID.tolist(), "y": curve.shift.tolist(), "label": f"{MODEL}, {dose_mg:g} mg"},
              "data": {"x": xd.tolist(), "y": yd.tolist(), "label": f"{title.split(':')[0]} (digitized points)"},
              "curve": {"x": [p[0] for p in fit], "y": [p[1] for p in fit], "label": "published fitted curve"}}
    return Outcome(name=name, title=title, rows=explain(rows, known_misses), series=series)
