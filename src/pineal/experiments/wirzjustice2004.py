"""Wirz-Justice et al. 2004: melatonin and bright light together (validation.md MP-6).

Protocol (emulated): entrained to sleep 23:00-07:00 with room light; from 07:00 a constant routine awake in dim
light (``DIM_LUX``); at 20:40 either 5 mg melatonin, or 3 h of 5000 lux, or both, or neither; the DLMO (plasma
10 pg/mL) the next evening, as a shift against "neither". Targets: melatonin alone advances, light alone delays,
and the combined shift is about the sum of the two (± 0.5 h).
"""

from __future__ import annotations

import numpy as np

from pineal import schedule
from pineal.experiments import Outcome, ValidationRow, within
from pineal.models import pk
from pineal.simulate import simulate

NAME = "wirzjustice2004"
TITLE = "Wirz-Justice 2004: 5 mg melatonin, 3 h of 5000 lux, and both at 20:40 (MP-6)"
CITE = "wirzjustice2004"
DEFAULT_MODEL = "hannay2019+melatonin"
MODELS = (DEFAULT_MODEL,)
HOME_LUX, DIM_LUX = schedule.ROOM_LUX, 5.0
AT, LIGHT_H, LUX, DOSE_MG = 20.0 + 40.0 / 60.0, 3.0, 5000.0, 5.0


def run(model: str = DEFAULT_MODEL) -> Outcome:
    home = schedule.daily("23:00", "07:00", lux=HOME_LUX)
    routine = schedule.constant(DIM_LUX).with_episodes(0.0, 7.0, "lux", 0.0).with_episodes(0.0, 7.0, "sleep", 1.0)
    bright = routine.with_light(AT, AT + LIGHT_H, LUX)
    dose = [pk.Dose(DOSE_MG, AT)]
    res = simulate(days=2.5, light=[routine, routine, bright, bright], doses=[[], dose, [], dose], model=model,
                   entrain=home, record_every=0)
    dlmo = res.dlmo(per_day=False)
    nxt = np.where(np.isfinite(dlmo) & (dlmo > 24.0 + 12.0), dlmo, np.inf).min(axis=1)
    mel, light, both = (nxt[0] - nxt[i] for i in (1, 2, 3))
    note = (f"model {model}; dim ({DIM_LUX:g} lux) constant routine from 07:00; stimuli at 20:40; next-evening DLMO "
            f"(plasma 10 pg/mL); melatonin {mel:+.2f} h, light {light:+.2f} h, both {both:+.2f} h")
    rows = [
        ValidationRow(NAME, "shift, 5 mg melatonin alone", round(mel, 3), "advance", "> 0", mel > 0, "h", CITE, note),
        ValidationRow(NAME, "shift, 3 h of 5000 lux alone", round(light, 3), "delay", "< 0", light < 0, "h", CITE,
                      note),
        ValidationRow(NAME, "combined minus the sum of the two", round(both - (mel + light), 3), "about 0 (additive)",
                      "± 0.5 h", within(both - (mel + light), -0.5, 0.5), "h", CITE, note),
    ]
    return Outcome(name=NAME, title=TITLE, rows=rows, series={})
