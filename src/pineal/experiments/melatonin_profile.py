"""The body's own melatonin on a regular schedule (validation.md EN-1, EN-2, EN-3, EN-4, EN-6, EN-8, NU-3, NU-7).

Protocol: entrained to an ordinary day (:func:`home`: sleep 23:00-07:00 in darkness, ordinary room light
``HOME_LUX`` while awake, as in the light experiments); model hour 0 = midnight. Day 1 is ordinary: the daytime
level (10:00-18:00). Day 2 has a dim evening (``DIM_LUX`` from 16:00 until sleep), the condition under which
melatonin is sampled (room light suppresses it): on that evening and night the DLMO by plasma 10 pg/mL
(Benloucif 2008) and by saliva 3 and 4 pg/mL, the phase-convention DLMO (CBTmin − 7 h) beside them (pitfall
P6), the night level at 23:00-01:00 (Waldhauser 1988's sampling window), the night peak and its clock time, the
CBTmin, and the night's secretion.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.integrate import trapezoid  # numpy < 2 (Python 3.11, see pyproject) has no np.trapezoid

from pineal import schedule
from pineal.experiments import Outcome, ValidationRow, explain, within
from pineal.models import pk
from pineal.simulate import simulate, subject_params
from pineal.timeline import format_clock

NAME = "melatonin_profile"
TITLE = "The body's own melatonin on a 23:00-07:00 schedule (EN-1..8, NU-3, NU-7)"
CITE = "waldhauser1988"
DEFAULT_MODEL = "hannay2019+melatonin"
MODELS = ("hannay2019+melatonin",)
HOME_LUX = schedule.ROOM_LUX  # lux while awake (the light experiments' day; an assumption stated in every row)
DIM_LUX = schedule.ASSESSMENT_LUX
DIM_FROM = 16.0
SLEEP, WAKE = 23.0, 7.0
YOUNG = pk.Subject(age=25.0)
_SECRETION = (
    "with Andersen's clearance (0.0218 L/min/kg: 92 L/h at 70 kg), Waldhauser's night level (55 pg/mL at 25 y) "
    "needs about 6.5 µg/h at the peak and 45 µg a night; the 2.8-4.6 µg/h and 15-40 µg are review and textbook "
    "figures [S] whose own steady-state check (validation.md EN-5) gives only 31-50 pg/mL")
KNOWN_MISSES = {
    "EN-4 secretion per night": _SECRETION, "EN-4 peak secretion rate": _SECRETION,
}


def home() -> schedule.Schedule:
    """The ordinary day the melatonin experiments start entrained to (repeats every 24 h)."""
    return schedule.daily("23:00", "07:00", lux=HOME_LUX)


def schedule_days() -> schedule.Schedule:
    """Day 1 ordinary; day 2 with a dim evening (phase assessment); day 3 ordinary."""
    return home().expand(96.0).with_light(24.0 + DIM_FROM, 24.0 + SLEEP, DIM_LUX)


def profile(params: dict | None = None, subject: pk.Subject = YOUNG, model: str = DEFAULT_MODEL,
            dt: float = 0.1) -> dict[str, float]:
    """Levels, timing and DLMOs of the body's own plasma melatonin for one person (hours from day-1 midnight)."""
    res = simulate(days=3.5, light=schedule_days(), subject=subject, model=model, params=params, dt=dt,
                   entrain=home(), record_every=1)
    t, c = res.times, res.endogenous
    night = (t >= 24.0 + SLEEP) & (t < 48.0 + WAKE)
    i_peak = np.nonzero(night)[0][np.argmax(c[night])]
    day = (t >= 10.0) & (t < 18.0)
    window = (t >= 24.0 + SLEEP) & (t < 48.0 + 1.0)
    cycle = (t >= 36.0) & (t < 60.0)

    def first_after(arr, after=24.0 + 12.0):
        arr = np.asarray(arr)
        v = arr[np.isfinite(arr) & (arr > after)]
        return float(v[0]) if v.size else math.nan

    dlmo = {d: first_after(res.dlmo(per_day=False, definition=d)) for d in ("plasma_10", "saliva_3", "saliva_4")}
    vals = res.model.values({**subject_params(res.model, subject)[0], **(params or {})})
    release = vals["beta_ip_per_h"] * res.state("H1") * vals["plasma_volume_l"] / 1000.0  # µg/h into plasma
    return {
        "day_max": float(c[day].max()),
        "day_mean": float(c[day].mean()),
        "dlmo_plasma_10": dlmo["plasma_10"],
        "dlmo_saliva_3": dlmo["saliva_3"],
        "dlmo_saliva_4": dlmo["saliva_4"],
        "dlmo_phase": first_after(res.dlmo(per_day=False, definition="phase")),
        "dlmoff_plasma_10": first_after(res.dlmoff(per_day=False, definition="plasma_10"), 48.0),
        "night_level": float(c[window].mean()),
        "peak": float(c[i_peak]),
        "peak_clock": float(t[i_peak] % 24.0),
        "cbtmin": first_after(res.cbtmin(per_day=False), 48.0),
        "nightly_secretion_ug": float(trapezoid(release[cycle], t[cycle])),
        "peak_secretion_ug_per_h": float(release[cycle].max()),
    }


def run(model: str = DEFAULT_MODEL) -> Outcome:
    young = profile(model=model)
    teen = profile(subject=pk.Subject(age=17.5, weight_kg=65.0), model=model)
    old = profile(subject=pk.Subject(age=80.0), model=model)
    child = profile(subject=pk.Subject(age=2.0, weight_kg=12.0), model=model)
    liver = profile(subject=pk.Subject(age=25.0, hepatic_impairment=True), model=model)
    dlmo = young["dlmo_plasma_10"]
    before_sleep = 24.0 + SLEEP - dlmo
    mid_sleep = 24.0 + SLEEP + (WAKE + 24.0 - SLEEP) / 2.0
    note = (f"model {model}; sleep 23:00-07:00 dark, {HOME_LUX:.0f} lux awake; measured on a dim ({DIM_LUX:.0f} "
            f"lux from {DIM_FROM:.0f}:00) evening and night; "
            f"age 25, 70 kg unless stated; plasma DLMO {format_clock(dlmo)}, saliva 3 pg/mL "
            f"{format_clock(young['dlmo_saliva_3'])}, phase convention {format_clock(young['dlmo_phase'])}")

    def fit(age):
        return 84.8 * math.exp(-0.017 * age)

    def row(metric, value, published, low, high, unit, cite, extra=""):
        return ValidationRow(NAME, metric, round(float(value), 3), published,
                             f"{low:g}-{high:g} {unit}".strip() if math.isfinite(high) else f">= {low:g} {unit}",
                             within(value, low, high), unit, cite, note + extra)

    target = "; a calibration target of scripts/calibrate_melatonin.py"
    rows = [
        row("EN-1 night peak, young adult", young["peak"], "50-120 pg/mL", 50, 120, "pg/mL", "waldhauser1988"),
        row("EN-1 clock time of the night peak", young["peak_clock"], "02:00-05:00", 2.0, 5.0, "h",
            "health_am_textbook", target),
        row("EN-1 highest daytime level (10:00-18:00)", young["day_max"], "<= 20 pg/mL", 0, 20, "pg/mL",
            "waldhauser1984"),
        row("EN-1 night peak / highest daytime level", young["peak"] / max(young["day_max"], 1e-9), "about 10",
            5, math.inf, "", "waldhauser1988"),
        row("EN-2 night level (23:00-01:00), age 17.5, 65 kg", teen["night_level"], "62.5 ± 18 pg/mL (15-20 y)",
            44.5, 80.5, "pg/mL", "waldhauser1988"),
        row("EN-2 night level, age 25 / Waldhauser fit", young["night_level"] / fit(25), "84.8 e^(-0.017 age)",
            0.7, 1.3, "", "waldhauser1988", target),
        row("EN-2 night level, age 80", old["night_level"], "29 ± 12 pg/mL (70-90 y)", 17, 41, "pg/mL",
            "waldhauser1988"),
        row("EN-3 night level, age 2, 12 kg", child["night_level"], "330 ± 85 pg/mL (1-3 y)", 245, 415, "pg/mL",
            "waldhauser1988", "; secretion as an adult's of 20, plasma volume and clearance scale with weight"),
        row("EN-4 secretion per night", young["nightly_secretion_ug"], "15-40 µg", 15, 40, "µg",
            "health_am_textbook"),
        row("EN-4 peak secretion rate", young["peak_secretion_ug_per_h"], "2.8 (women) - 4.6 (men) µg/h", 2.8, 4.6,
            "µg/h", "health_am_textbook", "; [S] review quote"),
        row("EN-6 plasma DLMO before habitual sleep onset", before_sleep, "2.0 ± 0.5 h", 1.5, 2.5, "h",
            "sletten2010", target),
        row("EN-6 plasma DLMO to mid-sleep", mid_sleep - dlmo, "6 ± 1 h", 5.0, 7.0, "h", "benloucif2008"),
        row("CL-3/NU-7 CBTmin - plasma DLMO", young["cbtmin"] - dlmo, "7 h (convention)", 6.0, 8.0, "h",
            "crowley2003", "; both definitions reported (pitfall P6)"),
        row("EN-8 daytime level, hepatic impairment / normal", liver["day_mean"] / max(young["day_mean"], 1e-12),
            "raised (direction)", 1.2, math.inf, "", "circadin_smpc", "; clearance x0.5 (assumed magnitude)"),
    ]
    return Outcome(name=NAME, title=TITLE, rows=explain(rows, KNOWN_MISSES), series={})
