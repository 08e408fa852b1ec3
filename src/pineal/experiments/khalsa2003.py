"""Khalsa et al. 2003: phase response curve to a single 6.7-h bright-light stimulus (validation.md LP-1).

Protocol (emulated): constant routine at 15 lux (awake); one 6.7-h stimulus of 9985 lux centred at phases
−12…+12 h from the baseline CBTmin (Khalsa's phase 0, the melatonin midpoint set at 22 h + 2 h); shift of
the CBTmin marker against the same run without the stimulus. Targets: peak-to-trough 5.0 ± 1.0 h; zero
crossing (delays → advances) with the stimulus centred within CBTmin ± 1 h; delays before, advances after.
"""

from __future__ import annotations

import numpy as np

from pineal.experiments import Outcome, ValidationRow, within
from pineal.experiments.data_files import load
from pineal.experiments.light_protocol import DAY_LUX, baseline, pulse_shifts

NAME = "khalsa2003"
TITLE = "Khalsa 2003: 6.7-h bright-light PRC (LP-1)"
CITE = "khalsa2003"
DEFAULT_MODEL = "sthilaire2007"
DURATION, LUX, BACKGROUND = 6.7, 9985.0, 15.0


def crossover(x: np.ndarray, y: np.ndarray) -> float:
    """Stimulus centre (h from CBTmin) of the delay→advance zero crossing nearest 0 (linear interpolation)."""
    idx = np.nonzero((y[:-1] < 0) & (y[1:] >= 0))[0]
    if idx.size == 0:
        return float("nan")
    xs = x[idx] - y[idx] * (x[idx + 1] - x[idx]) / (y[idx + 1] - y[idx])
    return float(xs[np.argmin(np.abs(xs))])


def run(model: str = DEFAULT_MODEL, n_phases: int = 48, params=None) -> Outcome:
    data = load("khalsa2003_light_prc.json")["data"]
    cbt0, _ = baseline(model, BACKGROUND, params=params)
    x = np.linspace(-12.0, 12.0, n_phases + 1)
    centres = cbt0 + x
    shifts = pulse_shifts(model, centres - DURATION / 2, centres + DURATION / 2, LUX, BACKGROUND, params=params)
    p2t = float(np.nanmax(shifts) - np.nanmin(shifts))
    xc = crossover(x, shifts)
    before = float(np.nanmean(shifts[(x >= -6) & (x <= -2)]))
    after = float(np.nanmean(shifts[(x >= 2) & (x <= 6)]))
    note = f"model {model}; entrained at {DAY_LUX:.0f} lux days; 15-lux constant routine; no drift (placebo run)"
    rows = [
        ValidationRow(NAME, "peak-to-trough", round(p2t, 2), f"{data['peak_to_trough_amplitude_h']} h",
                      "5.0 ± 1.0 h", within(p2t, 4.0, 6.0), "h", CITE, note),
        ValidationRow(NAME, "crossover (stimulus centre - CBTmin)", round(xc, 2), "near CBTmin", "within ± 1 h",
                      within(xc, -1.0, 1.0), "h", CITE, note),
        ValidationRow(NAME, "mean shift, centre 2-6 h before CBTmin", round(before, 2), "delays", "< 0",
                      before < 0, "h", CITE, note),
        ValidationRow(NAME, "mean shift, centre 2-6 h after CBTmin", round(after, 2), "advances", "> 0",
                      after > 0, "h", CITE, note),
    ]
    series = {"x_label": "stimulus centre relative to baseline CBTmin (h)", "y_label": "phase shift (h, advance +)",
              "model": {"x": x.tolist(), "y": shifts.tolist(), "label": model}}
    return Outcome(name=NAME, title=TITLE, rows=rows, series=series)
