"""The plan as data: pydantic models shared by the CLI's ``--json``, the files and (later) the HTTP API.

Every item carries full aware instants (``start``, ``end`` with their UTC offsets) and the IANA zone of the place
where the traveller is, never a clock time plus a day number (docs/plan.md, "JSON").
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict

SCHEMA_VERSION = 1
DISCLAIMER = ("Not medical advice. pineal's plans are model predictions for a typical traveller; talk to a doctor "
              "or pharmacist before using melatonin, especially with medicines, pregnancy, epilepsy or in children.")


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlanItem(_Out):
    kind: Literal["sleep", "nap", "flight_sleep", "light_seek", "light_avoid", "melatonin", "caffeine_cutoff",
                  "flight"]
    start: datetime
    end: datetime
    zone: str
    title: str
    detail: str = ""
    logged: bool = False  # re-planning: a day already lived, shown as logged (not planned)


class Prediction(_Out):
    """Days from arrival to adaptation for one way of travelling: the typical traveller and a population band."""

    strategy: Literal["no plan", "published rule", "pineal plan"]
    days: float | None  # None: not adapted within the simulated stay
    band_p10: float | None = None
    band_median: float | None = None
    band_p90: float | None = None
    adapted_share: float | None = None  # share of the virtual population adapted within the stay
    population: int = 0


class EpisodePlan(_Out):
    arrive: datetime
    place: str
    zone_from: str
    zone_to: str
    shift_h: float  # clock difference, wrapped to (-12, 12]; > 0 means the destination clock is ahead
    direction: Literal["advance", "delay"]
    body_shift_h: float  # the shift the plan makes the clock take (advance positive)
    reason: str
    nights: int
    aim: Literal["full", "partial"]
    predictions: list[Prediction]


class Marker(_Out):
    at: datetime
    kind: Literal["cbtmin", "dlmo"]
    strategy: Literal["no plan", "pineal plan"]


class StartPhase(_Out):
    dlmo_local: str
    cbtmin_local: str
    period_h: float
    source: str


class Replan(_Out):
    """What a log (``--log``) changed: the days lived, the re-estimated phase and whether the rest changed."""

    log_rows: int
    logged_from: datetime
    logged_until: datetime  # items before this instant are the lived days; after it, the re-optimised plan
    gaps_h: float
    cbtmin_planned: datetime | None  # the issued plan's first CBTmin after the end of the log
    cbtmin_estimated: datetime | None  # the same CBTmin with the days as lived
    phase_deviation_h: float | None  # estimated − planned; > 0: the body clock is later than planned
    plan_changed: bool
    notes: list[str]


class Plan(_Out):
    schema_version: int = SCHEMA_VERSION
    mode: Literal["plan", "home_time", "tips"]
    summary: str
    home: str
    sleep: str
    starting_phase: StartPhase
    episodes: list[EpisodePlan]
    items: list[PlanItem]
    dropped: list[str]
    notes: list[str]
    warnings: list[dict]
    melatonin: str
    markers: list[Marker]
    candidates_evaluated: int
    model: str
    disclaimer: str = DISCLAIMER
    replan: Replan | None = None
