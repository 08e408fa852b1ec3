"""Plasma melatonin of a batch of plans' doses by superposing single-dose responses (the speed of the planner).

The PK model (``models.pk``) is linear and time-invariant while the melatonin in the gut stays below its
dissolution cap (``pk.P_CAP``, about 32 mg: the plan never gives more than 5 mg): the curve of a dose list is then
the sum of the single-dose curve shifted to each dose time, step for step the same RK4 numbers as simulating the
whole list (a test checks it against ``simulate``'s own path). One short PK run per traveller and amount instead of
one whole-horizon run per plan and traveller: the population band's PK cost drops from about 0.5 s to a few ms.
When a dose list could reach the cap (:func:`linear` is False) the caller passes the doses to ``simulate`` as before.
"""

from __future__ import annotations

import math

import numpy as np

from pineal.models import pk
from pineal.schedule import Schedule
from pineal.simulate import PK_STEP_H, plasma_steps

RESPONSE_H = 48.0  # a single immediate-release dose is below 1e-5 pg/mL after 24 h (checked in the tests)


def linear(doses: list[list[tuple[float, float]]], rows: np.ndarray) -> bool:
    """True when every dose list stays below every traveller's dissolution cap (superposition is exact)."""
    cap_mg = float(rows[:, pk.P_CAP].min()) / 1000.0
    return all(sum(mg for _, mg in d) <= cap_mg for d in doses)


def dosed_light(schedules: list[Schedule], doses: list[list[tuple[float, float]]], rows: np.ndarray,
                hours: float, dt: float = 0.1) -> list[Schedule]:
    """Each schedule with the plasma melatonin of its doses ((model hour, mg), oral immediate release) in the
    exogenous channel; ``rows``: one PK parameter row per schedule, or one for all."""
    n_fine = round(hours / PK_STEP_H)
    t = np.arange(n_fine + 1) * PK_STEP_H
    row_of = (lambda i: i) if rows.shape[0] > 1 else (lambda i: 0)
    amounts = sorted({mg for d in doses for _, mg in d})
    need = sorted({row_of(i) for i, d in enumerate(doses) if d})
    response = {}
    for mg in amounts:  # one batch per amount: every traveller that needs it
        run = pk.simulate([pk.Dose(mg, 0.0)], hours=min(RESPONSE_H, hours), dt_h=PK_STEP_H, subjects=rows[need])
        for k, r in enumerate(need):
            response[(r, mg)] = run.plasma_pg_ml[k]
    out = list(schedules)
    for i, d in enumerate(doses):
        if not d:
            continue
        c = np.zeros(n_fine + 1)
        for when, mg in d:
            i0 = math.floor(when / PK_STEP_H + 1e-9)
            if not 0 <= i0 < n_fine:
                continue
            resp = response[(row_of(i), mg)]
            m = min(resp.size, n_fine + 1 - i0)
            c[i0:i0 + m] += resp[:m]
        edges, means = plasma_steps(t, c, dt)
        if edges is not None:
            out[i] = schedules[i].with_series(edges, means, until=hours)
    return out
