"""The spread of a virtual population in published multi-day protocols vs the published SD (issue 8, item 3).

The cases of ``multiday`` that report a standard deviation across subjects are run on a population drawn by
``pineal.population`` (period by sex per Duffy 2011, photic and suppression sensitivity, melatonin amplitude):
every subject is entrained to the habitual day with their own parameters and goes through every arm. Each row
compares the SD of the subjects' shifts with the published SD; tolerance: within a factor 2 (none is
published; a model whose spread is half or twice people's gets the individual differences wrong). The mean of
the same subjects is given in the note next to the typical subject's value that ``multiday`` reports.
"""

from __future__ import annotations

import numpy as np

from pineal import population
from pineal.experiments import Outcome, ValidationRow, within
from pineal.experiments import multiday as md

NAME = "multiday_spread"
TITLE = "Virtual population in multi-day protocols: spread vs published SD (issue 8)"
CITE = "santhi2008"
DEFAULT_MODEL = md.DEFAULT_MODEL
MODELS = (DEFAULT_MODEL,)
N, SEED = 64, 8
TOLERANCE = "factor 2 of the published SD"


def _row(metric, values, sd_published, unit, cite, note):
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    sd = float(np.std(v, ddof=1))
    text = f"{sd_published:g} {unit}"
    full = (f"{N} subjects (seed {SEED}); population mean {np.mean(v):+.2f} {unit}; {note}; "
            f"model SD within {TOLERANCE}")
    return ValidationRow(NAME, metric, round(sd, 3), text, TOLERANCE, within(sd, sd_published / 2, 2 * sd_published),
                         unit, cite, full)


def rows(model: str = DEFAULT_MODEL, params=None, n: int = N, seed: int = SEED) -> list[ValidationRow]:
    people, _ = population.draw(n, seed, model=model)
    arms, end, work_lux = md.santhi_arms()
    santhi = md.subject_shifts(model, md.run_arms(arms, end, 22.0, 6.0, work_lux, model, params,
                                                  population=people), len(arms))
    ohashi = md.ohashi_shifts(model, params, population=people)
    rahman = md.constant_routine_pulse(model, params, (15.0 / 3600.0, 2.0 / 60.0), (9500.0, 9500.0), 8.5,
                                        raw=True, population=people) * 60.0
    return [
        _row("Santhi 2008 evening sleep + late-night light: SD of the advance", santhi[:, 0], 0.60, "h",
             "santhi2008", f"published +2.27 ± 0.60 h; {md.SANTHI_BRIGHT:.0f} lux assumed"),
        _row("Santhi 2008 morning sleep + early-night light: SD of the delay", santhi[:, 1], 0.42, "h",
             "santhi2008", "published -4.98 ± 0.42 h"),
        _row("Ohashi 2023 one dim day: SD of the DLMO shift", ohashi[:, 0], 0.33, "h", "ohashi2023",
             "published -0.24 ± 0.33 h"),
        _row("Ohashi 2023 then a morning of 8000 lux: SD of the shift", ohashi[:, 1], 0.36, "h", "ohashi2023",
             "published +0.18 ± 0.36 h; the rest of day 3 at home light (assumed)"),
        _row("Rahman 2017 15 s of 9500 lux: SD of the raw shift", rahman[:, 0], 47.2, "min", "rahman2017",
             "published -34.8 ± 47.2 min"),
        _row("Rahman 2017 2 min of 9500 lux: SD of the raw shift", rahman[:, 1], 28.4, "min", "rahman2017",
             "published -45.4 ± 28.4 min"),
        _row("Rahman 2017 dim control: SD of the raw shift", rahman[:, 2], 51.3, "min", "rahman2017",
             "published +22.3 ± 51.3 min"),
    ]


#: why the documented misses miss (measured 2026-12-01)
KNOWN_MISSES = {
    "Santhi 2008 evening sleep + late-night light: SD of the advance": (
        "2.4 h vs 0.60 h: the light at 03:00-07:00 falls on both sides of the delay/advance crossover, so a spread "
        "of periods and sensitivities of the typical subject's over-shift (+4.9 h, multiday) sends some subjects "
        "far round the clock; the same over-shift as the mean's"),
    "Santhi 2008 morning sleep + early-night light: SD of the delay": (
        "2.5 h vs 0.42 h: as the advance arm, the early-night light meets subjects on both sides of the crossover "
        "once their clocks have moved apart over the four day shifts"),
}


def run(model: str = DEFAULT_MODEL) -> Outcome:
    """Every row; a documented miss carries its explanation after the assumptions in its note."""
    from dataclasses import replace

    out = [replace(r, note=f"{r.note}. Miss: {KNOWN_MISSES[r.metric]}") if r.metric in KNOWN_MISSES else r
           for r in rows(model)]
    return Outcome(name=NAME, title=TITLE, rows=out, series={})
