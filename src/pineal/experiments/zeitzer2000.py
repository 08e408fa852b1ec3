"""Zeitzer et al. 2000: illuminance response of the phase delay to 6.5 h of nocturnal light (validation.md LS-2).

Protocol (emulated): constant routine at a 10-lux background; one 6.5-h exposure from 6.75 h to 0.25 h before
the baseline CBTmin at 3…10,000 lux; delay = −(shift) against the same run without the exposure. The
half-maximal illuminance is read from the model's own curve, by log-linear interpolation, between the delay
at 3 lux and the delay at 9000 lux ("half of the maximal effect seen at about 9000 lux"). Target: about
100 lux, accept 50-250 lux. (Melatonin suppression, LS-1, needs the melatonin model of a later issue.)
"""

from __future__ import annotations

import numpy as np

from pineal.experiments import Outcome, ValidationRow, within
from pineal.experiments.light_protocol import DAY_LUX, baseline, pulse_shifts

NAME = "zeitzer2000"
TITLE = "Zeitzer 2000: illuminance response of the phase delay (LS-2)"
CITE = "zeitzer2000"
DEFAULT_MODEL = "hannay2019"
BACKGROUND = 10.0


def half_max_lux(lux: np.ndarray, delay: np.ndarray, low: float, high: float) -> float:
    """Illuminance where ``delay`` first reaches halfway between its values at ``low`` and ``high`` lux."""
    lg = np.log10(lux)
    d_low = np.interp(np.log10(low), lg, delay)
    d_high = np.interp(np.log10(high), lg, delay)
    half = d_low + 0.5 * (d_high - d_low)
    above = np.nonzero((delay - half) * np.sign(d_high - d_low) >= 0)[0]
    if above.size == 0 or above[0] == 0:
        return float("nan")
    i = above[0]
    f = (half - delay[i - 1]) / (delay[i] - delay[i - 1])
    return float(10 ** (lg[i - 1] + f * (lg[i] - lg[i - 1])))


def run(model: str = DEFAULT_MODEL, n_levels: int = 25, params=None) -> Outcome:
    cbt0, _ = baseline(model, BACKGROUND, params=params)
    lux = np.unique(np.concatenate([np.logspace(np.log10(3.0), 4.0, n_levels), [9000.0]]))
    delay = -pulse_shifts(model, cbt0 - 6.75, cbt0 - 0.25, lux, BACKGROUND, params=params)
    ed50 = half_max_lux(lux, delay, 3.0, 9000.0)
    d9000 = float(delay[lux == 9000.0][0])
    note = f"model {model}; entrained at {DAY_LUX:.0f} lux days; 10-lux background; exposure CBTmin-6.75..-0.25 h"
    rows = [
        ValidationRow(NAME, "half-maximal illuminance of the phase delay", round(ed50, 1), "about 100 lux",
                      "50-250 lux", within(ed50, 50.0, 250.0), "lux", CITE, note),
        ValidationRow(NAME, "phase delay at 9000 lux", round(d9000, 2), "delay (positive here)", "> 0",
                      d9000 > 0, "h", CITE, note),
    ]
    series = {"x_label": "illuminance (lux)", "y_label": "phase delay (h)", "x_log": True,
              "model": {"x": lux.tolist(), "y": delay.tolist(), "label": model},
              "vline": {"x": 100.0, "label": "published half-max ~100 lux"}}
    return Outcome(name=NAME, title=TITLE, rows=rows, series=series)
