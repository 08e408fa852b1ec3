"""Lewy et al. 1992: melatonin in the morning delays, in the afternoon or early evening advances (validation.md
MP-5; the melatonin PRC is roughly opposite in phase to the light PRC).

Protocol (emulated): one 0.5 mg oral dose at 08:00 or at 17:00 for a person entrained to sleep 23:00-07:00 with
room light; DLMO (plasma 10 pg/mL) on the dim-light evening after the dose day, against the same run without the
dose (dose_report.body_and_shift, as `pineal dose` computes it). Targets are directions only.
"""

from __future__ import annotations

from pineal.dose_report import body_and_shift
from pineal.experiments import Outcome, ValidationRow
from pineal.models import pk

NAME = "lewy1992"
TITLE = "Lewy 1992: morning melatonin delays, afternoon melatonin advances (MP-5)"
CITE = "lewy1992"
DEFAULT_MODEL = "hannay2019+melatonin"
MODELS = (DEFAULT_MODEL,)
DOSE_MG = 0.5


def run(model: str = DEFAULT_MODEL) -> Outcome:
    shift = {t: body_and_shift(pk.Dose(DOSE_MG, t), pk.Subject(), 23.0, 7.0)["shift"] for t in (8.0, 17.0)}
    note = f"model {model}; one {DOSE_MG:g} mg dose; sleep 23:00-07:00; DLMO plasma 10 pg/mL on a dim evening"
    rows = [
        ValidationRow(NAME, "DLMO shift, 0.5 mg at 08:00", round(shift[8.0], 3), "delay", "< 0", shift[8.0] < 0,
                      "h", CITE, note),
        ValidationRow(NAME, "DLMO shift, 0.5 mg at 17:00", round(shift[17.0], 3), "advance", "> 0",
                      shift[17.0] > 0, "h", CITE, note),
    ]
    return Outcome(name=NAME, title=TITLE, rows=rows, series={})
