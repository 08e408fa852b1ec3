"""How much an ordinary room-lit day moves each clock model, next to what people show (issue 8 diagnosis).

Re-derives the figures of docs/clock.md "Why room-lit days over-shift". Every subject is entrained to sleep
23:00-07:00 with 150-lux days (schedule.ROOM_LUX); then one day is changed:

* the phase gained by the oscillator in each part of an ordinary day (07-12, 12-16, 16-23), lit vs dim;
* DLMO (plasma 10 pg/mL, default model) after a day that is dim from 07:00 vs one dim only from 16:00 (the
  assessment evening the melatonin fit uses). People: about 0 — Gooley 2011's onset after a whole dim day is
  1.95 h before bed, Sletten 2010's after ordinary days with a dim evening 2.0 h; Ohashi 2023: one dim day
  moves DLMO by -0.24 ± 0.33 h;
* 1 h of 8000 lux from wake after a dim day, net of the same days without it. People (Ohashi 2023): +0.18 h
  after minus -0.24 h for the dim day alone, about +0.42 h.

    python scripts/diagnose_light_day.py
"""

from __future__ import annotations

import numpy as np

from pineal import markers, schedule, solver
from pineal.experiments import multiday as md
from pineal.models import pk
from pineal.models.clock import get

HOME = schedule.ROOM_LUX
SLEEP = md.nights(23.0, 7.0, range(0, 5))


def phases(model: str, arms: list[md.Arm], times: list[float], hours: float):
    mdl = get(model)
    p = mdl.vector()
    y0 = solver.entrain(mdl, schedule.daily(23.0, 7.0, lux=HOME), p, dt=md.DT)
    levels = markers.tracked_levels(pk.parameter_set()["saliva_plasma_ratio"]) if mdl.has_melatonin else ()
    run = solver.integrate(mdl, [a.schedule() for a in arms], np.tile(y0, (len(arms), 1)), p, hours, dt=md.DT,
                           levels=levels, record_every=1)
    return run, np.array([md.phase_at(model, run, i, times) for i in range(len(arms))])


def day_parts(model: str) -> dict[str, float]:
    """Phase gained (h) in each part of day 2, lit at 150 lux minus dim (3 lux)."""
    cuts = [24 + 7.0, 24 + 12.0, 24 + 16.0, 24 + 23.0]
    lit, dim = md.Arm([], SLEEP, HOME), md.Arm([(24 + 7.0, 24 + 23.0, md.DIM)], SLEEP, HOME)
    _, ph = phases(model, [lit, dim], cuts, 48.0)
    gain = np.diff(ph, axis=1)
    return {part: float(gain[0, k] - gain[1, k]) for k, part in enumerate(("07-12", "12-16", "16-23"))}


def dim_day_dlmo(model: str = md.DEFAULT_MODEL) -> float:
    """DLMO after a day dim from 07:00 minus after a day dim from 16:00 (h, later +)."""
    arms = [md.Arm([(24 + 7.0, 24 + 23.0, md.DIM)], SLEEP, HOME), md.Arm([(24 + 16.0, 24 + 23.0, md.DIM)], SLEEP, HOME)]
    run, _ = phases(model, arms, [0.0], 48.0)
    on, _ = md.onsets(run, 10.0)
    d = [md.first_in(on[i], 24 + 12.0, 48.0) for i in range(2)]
    return d[0] - d[1]


def morning_after_dim_day(model: str) -> float:
    """Phase at 17:00 of day 3 with 1 h of 8000 lux at 07:00 after a dim day 2, minus without it (h, advance +)."""
    dim_day = [(24 + 7.0, 24 + 23.0, md.DIM), (48 + 17.0, 48 + 23.0, md.DIM)]
    arms = [md.Arm([*dim_day, (48 + 7.0, 48 + 8.0, 8000.0)], SLEEP, HOME), md.Arm(dim_day, SLEEP, HOME)]
    _, ph = phases(model, arms, [48 + 17.0], 66.0)
    return float(ph[0, 0] - ph[1, 0])


def main() -> None:
    print(f"entrained 23:00-07:00, {HOME:.0f}-lux days; phase gained by light, lit minus dim (h, advance +)")
    print(f"{'model':24s} {'07-12':>7s} {'12-16':>7s} {'16-23':>7s} {'1 h 8000 lux after dim day':>28s}")
    for model in ("hannay2019+melatonin", "hannay2019", "forger1999", "jewett1999", "sthilaire2007"):
        parts = day_parts(model)
        print(f"{model:24s} {parts['07-12']:7.2f} {parts['12-16']:7.2f} {parts['16-23']:7.2f} "
              f"{morning_after_dim_day(model):28.2f}")
    print(f"{'people (Ohashi 2023)':24s} {'':7s} {'':7s} {'':7s} {0.18 + 0.24:28.2f}")
    print(f"DLMO after a dim day minus after a dim evening ({md.DEFAULT_MODEL}): {dim_day_dlmo():+.2f} h; "
          "people about 0 (Gooley 2011 1.95 h before bed vs Sletten 2010 2.0 h; Ohashi 2023 -0.24 ± 0.33 h)")


if __name__ == "__main__":
    main()
