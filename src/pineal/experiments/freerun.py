"""Free-running period in constant darkness (validation.md CL-1, CL-2).

Protocol: entrain to the default day, then constant darkness, awake, for 30 days; the period is the slope
of a straight line through the CBTmin marker times of days 5-30. Targets: 24.15-24.18 ± 0.05 h (CL-1,
Czeisler 1999, Duffy 2011); for Hannay 2019 also the period derived from its parameters in darkness,
2π / (ω₀ + (K/2) sin β₁ (1 + R*⁴)) with R* = (1 − 2γ/(K cos β₁))^¼ ≈ 24.18 h although τ = 23.84 h (CL-2).
"""

from __future__ import annotations

import math

import numpy as np

from pineal import schedule, solver
from pineal.experiments import Outcome, ValidationRow, within
from pineal.experiments.light_protocol import entrained

NAME = "freerun"
TITLE = "Free-running period in darkness (CL-1, CL-2)"
CITE = "czeisler1999"
DEFAULT_MODEL = "hannay2019"
DAYS = 30


def period(model: str, days: int = DAYS, dt: float = 0.1) -> float:
    mdl, p, y0 = entrained(model, dt)
    run = solver.integrate(mdl, schedule.constant(0.0), y0, p, days * 24.0, dt=dt)
    ev = run.cbtmin[0]
    ev = ev[np.isfinite(ev) & (ev > 5 * 24.0)]
    return float(np.polyfit(np.arange(ev.size), ev, 1)[0])


def hannay_derived_period(v: dict) -> float:
    """Free-running period implied by the Hannay 2019 parameters in darkness [derived, models.md §5]."""
    r4 = 1.0 - 2.0 * v["gamma"] / (v["K"] * math.cos(v["beta1"]))
    omega = 2.0 * math.pi / v["tau"] + 0.5 * v["K"] * math.sin(v["beta1"]) * (1.0 + r4)
    return 2.0 * math.pi / omega


def run(model: str = DEFAULT_MODEL) -> Outcome:
    tau = period(model)
    note = f"model {model}; constant darkness, awake, days 5-{DAYS}"
    rows = [ValidationRow(NAME, "free-running period (CL-1)", round(tau, 3), "24.15-24.18 h",
                          "24.10-24.23 h", within(tau, 24.10, 24.23), "h", "czeisler1999", note)]
    if model == "hannay2019":
        from pineal.models.clock import get

        derived = hannay_derived_period(get(model).values())
        rows.append(ValidationRow(NAME, "period vs value derived from parameters (CL-2)", round(tau, 3),
                                  f"{derived:.3f} h (tau = 23.84 h)", "± 0.01 h", abs(tau - derived) <= 0.01,
                                  "h", "hannay2019", note))
    return Outcome(name=NAME, title=TITLE, rows=rows, series={})
