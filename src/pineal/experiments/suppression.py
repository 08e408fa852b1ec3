"""Light suppression of the body's own melatonin (validation.md LS-1, LS-3, LS-4).

LS-1, Zeitzer et al. 2000 (emulated as for the phase delay, ``zeitzer2000``): entrained subject, constant routine
at 10 lux from 07:00; one 6.5-h exposure from 6.75 h to 0.25 h before the baseline CBTmin. Suppression = 1 −
AUC(plasma melatonin during the exposure) / AUC(same hours without the exposure). Compared with the 21
digitized points (RMS ≤ 0.15), the half-maximal illuminance (50-250 lux) and the plateau (≥ 0.85 at ≥ 2000 lux).

LS-3, time course at 9500 lux (Rahman 2019, PMC6928018): suppression s(t) = 1 − plasma(light)/plasma(dim); the time from
lights on to half of the suppression reached after 2 h (t½ about 18 min continuous; accept 8-25 min), and after
lights off the time for s to fall to half (recovery half-time about 46 min; accept 30-70 min).

LS-4: in bright light during the pineal "off" phase, no negative concentration; active removal acts while
pineal melatonin is present (pitfall P5).
"""

from __future__ import annotations

import numpy as np
from scipy.integrate import trapezoid  # numpy < 2 (Python 3.11, see pyproject) has no np.trapezoid

from pineal.experiments import Outcome, ValidationRow, explain, within
from pineal.experiments.data_files import load
from pineal.experiments.light_protocol import DAY_LUX, base, baseline, entrained
from pineal.simulate import simulate

NAME = "suppression"
TITLE = "Light suppression of melatonin: Zeitzer 2000 (LS-1), time course (LS-3), no negative levels (LS-4)"
CITE = "zeitzer2000"
DEFAULT_MODEL = "hannay2019+melatonin"
MODELS = ("hannay2019+melatonin",)
BACKGROUND = 10.0
START, END = -6.75, -0.25  # exposure relative to baseline CBTmin (h)
KNOWN_MISSES = {
    "LS-3 suppression half-time at 9500 lux": (
        "25.1 min, 0.1 min over the 25-min bound, since the change to 150-lux home days and the re-polished melatonin "
        "fit (issue 8; 23.9 min before); the cause inside the Breslow active-removal term was not analysed"),
    "LS-1 RMS vs 21 digitized suppression points": (
        "the published suppression form, synthesis x (1 - m B) with the clock model's light drive, rises less "
        "steeply with illuminance than the data (logistic Hill 4.3); the gain m sets the half-maximum (fitted: "
        "~100 lux) but not the slope. Stowe et al.'s code with the same form: 0.165"),
}


def _runs(lux: np.ndarray, start: float, end: float, hours: float, params, model: str, dt: float):
    """One subject per light level on the dim constant routine, plus the no-exposure reference (last)."""
    b = base(BACKGROUND)
    lights = [b.with_light(start, end, x) for x in lux] + [b]
    _, _, y0 = entrained(model, 0.1, params)
    return simulate(days=hours / 24.0, light=lights, model=model, params=params, dt=dt, entrain=y0[0],
                    record_every=1)


def zeitzer_curve(lux, params: dict | None = None, model: str = DEFAULT_MODEL, dt: float = 0.1) -> np.ndarray:
    """Suppression (AUC fraction) of a 6.5-h exposure at each illuminance (Zeitzer 2000 emulation)."""
    lux = np.atleast_1d(np.asarray(lux, dtype=float))
    cbt0, _ = baseline(model, BACKGROUND, dt, params)
    start, end = cbt0 + START, cbt0 + END
    res = _runs(lux, start, end, end + 2.0, params, model, dt)
    t, c = res.times, res.endogenous
    w = (t >= start - 1e-9) & (t <= end + 1e-9)
    auc = trapezoid(c[:, w], t[w], axis=1)
    return 1.0 - auc[:-1] / auc[-1]


def time_course(lux: float = 9500.0, params: dict | None = None, model: str = DEFAULT_MODEL,
                dt: float = 0.01) -> dict[str, float]:
    """Suppression half-time after lights on and recovery half-time after lights off (LS-3), min."""
    cbt0, _ = baseline(model, BACKGROUND, 0.1, params)
    on, off = cbt0 - 5.0, cbt0 - 3.0  # 2 h of light in the middle of the melatonin night
    res = _runs(np.array([lux]), on, off, off + 4.0, params, model, dt)
    t, c = res.times, res.endogenous
    s = 1.0 - c[0] / np.maximum(c[1], 1e-12)
    during = (t >= on) & (t <= off)
    after = t >= off
    s_end = s[during][-1]
    t_half_on = t[during][np.argmax(s[during] >= 0.5 * s_end)] - on
    t_half_off = t[after][np.argmax(s[after] <= 0.5 * s_end)] - off
    return {"suppression_t_half_min": 60.0 * t_half_on, "recovery_t_half_min": 60.0 * t_half_off,
            "suppression_after_2h": float(s_end), "min_level": float(np.min(res.state("H1")))}


def half_max(lux: np.ndarray, supp: np.ndarray) -> float:
    """Illuminance at half of the suppression reached at the brightest level (log-linear interpolation)."""
    half = 0.5 * supp[-1]
    i = int(np.argmax(supp >= half))
    if i == 0:
        return float(lux[0])
    lg = np.log10(lux)
    f = (half - supp[i - 1]) / (supp[i] - supp[i - 1])
    return float(10 ** (lg[i - 1] + f * (lg[i] - lg[i - 1])))


def run(model: str = DEFAULT_MODEL) -> Outcome:
    pts = np.array(load("zeitzer2000_suppression.json")["data"]["suppression_points_lux_fraction"], dtype=float)
    grid = np.logspace(np.log10(3.0), 4.0, 41)
    curve = zeitzer_curve(grid, model=model)
    at_points = zeitzer_curve(pts[:, 0], model=model)
    rms = float(np.sqrt(np.mean((at_points - pts[:, 1]) ** 2)))
    ed50 = half_max(grid, curve)
    plateau = float(curve[grid >= 2000.0].min())
    tc = time_course(model=model)
    note = (f"model {model}; entrained at {DAY_LUX:.0f} lux days; 10-lux constant routine; exposure "
            "CBTmin-6.75..-0.25 h; suppression = 1 - AUC ratio vs the same hours without light")
    rows = [
        ValidationRow(NAME, "LS-1 RMS vs 21 digitized suppression points", round(rms, 3), "Stowe 2025 code: 0.165",
                      "<= 0.15", rms <= 0.15, "", CITE, note),
        ValidationRow(NAME, "LS-1 half-maximal illuminance of suppression", round(ed50, 1), "about 100 lux",
                      "50-250 lux", within(ed50, 50.0, 250.0), "lux", CITE,
                      note + "; the gain m is fitted to these points, so this checks the fit"),
        ValidationRow(NAME, "LS-1 suppression at >= 2000 lux (minimum)", round(plateau, 3), "0.93-0.98",
                      ">= 0.85", plateau >= 0.85, "", CITE, note),
        ValidationRow(NAME, "LS-3 suppression half-time at 9500 lux", round(tc["suppression_t_half_min"], 1),
                      "about 18 min (continuous)", "8-25 min", within(tc["suppression_t_half_min"], 8.0, 25.0),
                      "min", "rahman2019", "2 h of 9500 lux 5 h before CBTmin; dt = 0.01 h"),
        ValidationRow(NAME, "LS-3 recovery half-time after lights off", round(tc["recovery_t_half_min"], 1),
                      "about 46 min", "30-70 min", within(tc["recovery_t_half_min"], 30.0, 70.0), "min",
                      "rahman2019", "same run"),
        ValidationRow(NAME, "LS-4 lowest pineal melatonin in bright light", round(tc["min_level"], 6),
                      "never negative", ">= 0", tc["min_level"] >= 0.0, "pg/mL", "breslow2013",
                      "active removal empties the pineal compartment; projection keeps it >= 0"),
    ]
    series = {"x_label": "illuminance (lux)", "y_label": "melatonin suppression (fraction)", "x_log": True,
              "model": {"x": grid.tolist(), "y": curve.tolist(), "label": model},
              "data": {"x": pts[:, 0].tolist(), "y": pts[:, 1].tolist(), "label": "Zeitzer 2000 (digitized)"}}
    return Outcome(name=NAME, title=TITLE, rows=explain(rows, KNOWN_MISSES), series=series)
