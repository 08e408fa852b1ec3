"""St Hilaire et al. 2012: phase response curve to a 1-h pulse of ~8000 lux (validation.md LP-2).

Protocol (emulated): constant routine at 3 lux (awake); one 1-h pulse of 7997 lux whose midpoint lies
−12…+12 h from the baseline DLMO; DLMO shift against the same run without the pulse. The digitized points
are not drift-corrected, so 0.54 h of drift is subtracted from the model shift before comparing (P14).
Targets: RMS ≤ 0.7 h against the 18 points; peak-to-trough 2.2 ± 0.5 h; advances in the afternoon.
"""

from __future__ import annotations

import numpy as np

from pineal.experiments import Outcome, ValidationRow, within
from pineal.experiments.data_files import load
from pineal.experiments.light_protocol import DAY_LUX, baseline, pulse_shifts

NAME = "sthilaire2012"
TITLE = "St Hilaire 2012: 1-h bright-light PRC (LP-2)"
CITE = "sthilaire2012"
DEFAULT_MODEL = "hannay2019"
DURATION, LUX, BACKGROUND, DRIFT = 1.0, 7997.0, 3.0, 0.54


def run(model: str = DEFAULT_MODEL, n_phases: int = 48, params=None) -> Outcome:
    data = load("prc_light_sthilaire2012_1h.json")["data"]
    pts = np.asarray(data["points_x_h_rel_DLMO_y_shift_h"], dtype=float)
    _, dlmo0 = baseline(model, BACKGROUND, params=params)
    grid = np.linspace(-12.0, 12.0, n_phases + 1)
    x = np.concatenate([grid, pts[:, 0]])
    mids = dlmo0 + x
    shifts = pulse_shifts(model, mids - DURATION / 2, mids + DURATION / 2, LUX, BACKGROUND, params=params)
    curve, at_points = shifts[: grid.size], shifts[grid.size:]
    rms = float(np.sqrt(np.mean((at_points - DRIFT - pts[:, 1]) ** 2)))
    p2t = float(np.nanmax(curve) - np.nanmin(curve))
    afternoon = float(np.interp(-8.0, grid, curve))
    note = f"model {model}; entrained at {DAY_LUX:.0f} lux days; 3-lux constant routine; model shift - 0.54 h drift"
    rows = [
        ValidationRow(NAME, "RMS vs 18 digitized points", round(rms, 3), "fit residual 0.58 h", "<= 0.7 h",
                      rms <= 0.7, "h", CITE, note),
        ValidationRow(NAME, "peak-to-trough", round(p2t, 2),
                      f"{data['derived_two_harmonic_fit']['peak_to_trough_h']} h",
                      "2.2 ± 0.5 h", within(p2t, 1.7, 2.7), "h", CITE, note),
        ValidationRow(NAME, "shift, pulse 8 h before DLMO (afternoon)", round(afternoon, 2),
                      "advances about 5-12 h before DLMO", "> 0 (advance)", afternoon > 0, "h", CITE, note),
    ]
    series = {"x_label": "pulse midpoint relative to baseline DLMO (h)",
              "y_label": "DLMO phase shift (h, advance +), drift -0.54 h",
              "model": {"x": grid.tolist(), "y": (curve - DRIFT).tolist(), "label": f"{model} - 0.54 h drift"},
              "data": {"x": pts[:, 0].tolist(), "y": pts[:, 1].tolist(), "label": "St Hilaire 2012 (digitized)"}}
    return Outcome(name=NAME, title=TITLE, rows=rows, series=series)
