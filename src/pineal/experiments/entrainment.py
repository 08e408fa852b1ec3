"""Entrained phase angle under a regular day (validation.md CL-3).

Protocol: sleep 23:00-07:00 in darkness, 500 lux while awake (16:8), until the markers settle. Targets:
DLMO 2.0 ± 0.5 h before sleep onset (Sletten 2010); DLMO 14 ± 1 h after wake; CBTmin 03:00-05:00 (Baehr
2000). DLMO is the phase convention CBTmin − 7 h for every model, so CBTmin − DLMO = 7 h by construction (not a
test).
"""

from __future__ import annotations

import numpy as np

from pineal.experiments import Outcome, ValidationRow, within
from pineal.experiments.light_protocol import DAY_LUX
from pineal.simulate import simulate
from pineal.timeline import format_clock

NAME = "entrainment"
TITLE = "Entrained phase angle, sleep 23:00-07:00 (CL-3)"
CITE = "sletten2010"
DEFAULT_MODEL = "sthilaire2007"


def run(model: str = DEFAULT_MODEL) -> Outcome:
    res = simulate(days=3, model=model, sleep=("23:00", "07:00"), lux=DAY_LUX)
    # the phase convention for every model: under room light until sleep a plasma DLMO would be masked (the
    # melatonin model's own plasma DLMO is validated on a dim evening in `melatonin_profile`)
    dlmo = float(np.nanmean(res.dlmo(definition="phase") % 24.0))
    cbt = float(np.nanmean(res.cbtmin() % 24.0))
    angle = float(np.nanmean(res.phase_angle(definition="phase")))
    after_wake = (dlmo - 7.0) % 24.0
    note = (f"model {model}; {DAY_LUX:.0f} lux awake, 0 lux asleep; "
            f"DLMO {format_clock(dlmo)}, CBTmin {format_clock(cbt)}")
    rows = [
        ValidationRow(NAME, "DLMO before sleep onset", round(angle, 2), "about 2 h", "2.0 ± 0.5 h",
                      within(angle, 1.5, 2.5), "h", "sletten2010", note),
        ValidationRow(NAME, "DLMO after wake", round(after_wake, 2), "about 14 h", "14 ± 1 h",
                      within(after_wake, 13.0, 15.0), "h", "sletten2010", note),
        ValidationRow(NAME, "CBTmin clock time", round(cbt, 2), "03:00-05:00", "3.0-5.0 h",
                      within(cbt, 3.0, 5.0), "h", "czeisler1999", note),
    ]
    return Outcome(name=NAME, title=TITLE, rows=rows, series={})
