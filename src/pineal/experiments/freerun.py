"""Free-running period in constant darkness (validation.md CL-1, CL-2).

Protocol: entrain to the default day, then constant darkness, awake, for 30 days; the period is the slope
of a straight line through the CBTmin marker times of days 5-30. Targets: 24.15-24.18 ± 0.05 h (CL-1,
Czeisler 1999, Duffy 2011); for Hannay 2019 also the period derived from its parameters in darkness,
2π / (ω₀ + (K/2) sin β₁ (1 + R*⁴)) with R* = (1 − 2γ/(K cos β₁))^¼ ≈ 24.18 h although τ = 23.84 h (CL-2).
"""

from __future__ import annotations

from pineal.experiments import Outcome, ValidationRow, within
from pineal.simulate import free_running_period

NAME = "freerun"
TITLE = "Free-running period in darkness (CL-1, CL-2)"
CITE = "czeisler1999"
DEFAULT_MODEL = "hannay2019"
DAYS = 30


def period(model: str, days: int = DAYS, dt: float = 0.1, params=None) -> float:
    """Free-running period in constant darkness (h): slope of the CBTmin times of days 5 to ``days``."""
    return free_running_period(model, params, days, dt)


def run(model: str = DEFAULT_MODEL) -> Outcome:
    tau = period(model)
    note = f"model {model}; constant darkness, awake, days 5-{DAYS}"
    rows = [ValidationRow(NAME, "free-running period (CL-1)", round(tau, 3), "24.15-24.18 h",
                          "24.10-24.23 h", within(tau, 24.10, 24.23), "h", "czeisler1999", note)]
    if model == "hannay2019":
        from pineal.models.clock import get
        from pineal.models.clock.hannay2019 import free_running_period

        derived = free_running_period(get(model).values())
        rows.append(ValidationRow(NAME, "period vs value derived from parameters (CL-2)", round(tau, 3),
                                  f"{derived:.3f} h (tau = 23.84 h)", "± 0.01 h", abs(tau - derived) <= 0.01,
                                  "h", "hannay2019", note))
    return Outcome(name=NAME, title=TITLE, rows=rows, series={})
