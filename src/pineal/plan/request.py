"""The trip request: one pydantic schema for CLI flags, a TOML trip file and (later) the HTTP API.

A leg is "ORIGIN YYYY-MM-DD HH:MM DESTINATION YYYY-MM-DD HH:MM" in the local time of each airport, or a table
with those four fields. Bad input raises :class:`~pineal.errors.InputError` naming the field, the value and what
is allowed (docs/plan.md).
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from pineal.errors import InputError
from pineal.timeline import parse_clock_hours

MAX_LEGS = 6
DOSE_RANGE_MG = (0.5, 5.0)
_LEG = re.compile(r"^\s*([A-Za-z]{3})\s+(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s+([A-Za-z]{3})\s+"
                  r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})\s*$")
LEG_ALLOWED = "'ORIGIN YYYY-MM-DD HH:MM DESTINATION YYYY-MM-DD HH:MM' (IATA codes, local times), e.g. " \
              "'JFK 2027-01-10 18:30 LHR 2027-01-11 06:30'"
_WINDOW = re.compile(r"^\s*(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})\s*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def build(cls, data: dict, source: str = "trip") -> _Strict:
        """Validate a dict (CLI flags, a TOML file, a JSON body); errors become one InputError."""
        try:
            return cls.model_validate(data)
        except ValidationError as err:
            first = err.errors()[0]
            where = ".".join(str(p) for p in first["loc"]) or source
            allowed = first["msg"].removeprefix("Value error, ")
            if first["type"] == "extra_forbidden":
                allowed = "a known key (see docs/plan.md)"
            value = first.get("input")
            raise InputError(f"{source}: {where}", "{...}" if isinstance(value, dict) else value, allowed) from None
        except InputError as err:
            raise InputError(f"{source}: {err.field}", err.value, err.allowed, err.reason) from None


class Leg(_Strict):
    """One flight: IATA codes and local departure/arrival times ('YYYY-MM-DD HH:MM' at each airport)."""

    origin: str
    depart: str
    destination: str
    arrive: str

    @field_validator("origin", "destination")
    @classmethod
    def _iata(cls, v: str) -> str:
        if not (isinstance(v, str) and re.fullmatch(r"[A-Za-z]{3}", v.strip())):
            raise ValueError("a 3-letter IATA airport code such as 'JFK'")
        return v.strip().upper()

    @field_validator("depart", "arrive")
    @classmethod
    def _local(cls, v: str) -> str:
        if not (isinstance(v, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}", v.strip())):
            raise ValueError("a local date-time 'YYYY-MM-DD HH:MM'")
        return v.strip().replace("T", " ")

    @classmethod
    def parse(cls, text: str, field: str = "leg") -> Leg:
        m = _LEG.match(text) if isinstance(text, str) else None
        if not m:
            raise InputError(field, text, LEG_ALLOWED)
        return cls(origin=m.group(1), depart=f"{m.group(2)} {m.group(3)}", destination=m.group(4),
                   arrive=f"{m.group(5)} {m.group(6)}")


def sleep_window(text: str, field: str = "sleep") -> tuple[float, float]:
    """'23:00-07:00' -> (onset, wake) clock hours; the window must be 4-12 h long."""
    m = _WINDOW.match(text) if isinstance(text, str) else None
    if not m:
        raise InputError(field, text, "a window 'HH:MM-HH:MM', e.g. '23:00-07:00'")
    s, w = parse_clock_hours(m.group(1), field), parse_clock_hours(m.group(2), field)
    length = (w - s) % 24.0
    if not 4.0 <= length <= 12.0:
        raise InputError(field, text, "a sleep window 4-12 h long, e.g. '23:00-07:00'")
    return s, w


class TripRequest(_Strict):
    """Everything a trip plan needs (docs/plan.md lists each field)."""

    legs: Annotated[list[Leg], Field(min_length=1, max_length=MAX_LEGS)]
    sleep: str = "23:00-07:00"
    chronotype: Literal["early", "intermediate", "late"] | None = None
    dlmo: str | None = None
    melatonin: bool = True
    dose_mg: Annotated[float, Field(ge=DOSE_RANGE_MG[0], le=DOSE_RANGE_MG[1])] = 0.5
    light_box_lux: Annotated[float | None, Field(ge=1000, le=12000)] = None
    caffeine: bool = True
    prep_days: Annotated[int, Field(ge=0, le=7)] = 3
    plane_sleep: bool = True
    stay_nights: Annotated[int | None, Field(ge=0, le=60)] = None
    drive_after_arrival: bool = False
    age: Annotated[float, Field(ge=0, le=120)] = 30.0
    pregnant: bool = False
    breastfeeding: bool = False
    drugs: list[str] = []
    conditions: list[str] = []
    population: Annotated[int, Field(ge=0, le=200)] = 12
    seed: int = 0

    @field_validator("legs", mode="before")
    @classmethod
    def _legs(cls, v):
        if isinstance(v, list):
            return [Leg.parse(x, f"legs[{i}]") if isinstance(x, str) else x for i, x in enumerate(v)]
        return v

    @field_validator("sleep")
    @classmethod
    def _sleep(cls, v):
        sleep_window(v)
        return v

    @field_validator("dlmo")
    @classmethod
    def _dlmo(cls, v):
        if v is not None:
            parse_clock_hours(v, "dlmo")
        return v

    @model_validator(mode="after")
    def _consistent(self):
        if self.dlmo is not None and self.chronotype is not None:
            raise ValueError("give a known DLMO or a chronotype, not both (a measured DLMO wins over a guess)")
        return self

    @property
    def sleep_hours(self) -> tuple[float, float]:
        return sleep_window(self.sleep)

    @classmethod
    def from_toml(cls, path: str | Path) -> TripRequest:
        """A trip file: top-level keys as the fields, ``[[legs]]`` tables or ``legs = ["JFK ... LHR ..."]``."""
        p = Path(path)
        if not p.is_file():
            raise InputError("trip", str(path), "the path of an existing TOML trip file")
        try:
            data = tomllib.loads(p.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
            raise InputError("trip", str(path), f"a valid TOML file ({err})") from None
        return cls.build(data, source=p.name)


#: a roster sent as text (CSV lines or an .ics calendar): at most this many characters
MAX_ROSTER_CHARS = 200_000


class AdvanceRequest(_Strict):
    """A gradual advance of late sleep (``pineal plan advance``; docs/plan.md): the same fields as the CLI's flags."""

    from_window: Annotated[str, Field(alias="from", description="current sleep, 'HH:MM-HH:MM'")]
    to_window: Annotated[str, Field(alias="to", description="target sleep, 'HH:MM-HH:MM'")]
    near: str = "LHR"
    start: str | None = None
    melatonin: bool = True
    dose_mg: Annotated[float, Field(ge=DOSE_RANGE_MG[0], le=DOSE_RANGE_MG[1])] = 0.5
    light_box_lux: Annotated[float | None, Field(ge=1000, le=12000)] = None
    age: Annotated[float, Field(ge=0, le=120)] = 30.0
    days: Annotated[int, Field(ge=7, le=42)] = 28
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    def kwargs(self) -> dict:
        """Keyword arguments of :func:`pineal.plan.advance.plan_advance`."""
        return {"from_window": self.from_window, "to_window": self.to_window, **self.model_dump(
            exclude={"from_window", "to_window"})}


class ShiftsRequest(_Strict):
    """Night work (``pineal plan shifts ROSTER``): the roster as text, CSV lines 'YYYY-MM-DD HH:MM,YYYY-MM-DD HH:MM'
    (local start,end) or an .ics calendar."""

    roster: Annotated[str, Field(min_length=1, max_length=MAX_ROSTER_CHARS)]
    near: str = "LHR"
    sleep: str = "23:00-07:00"
    light_box_lux: Annotated[float, Field(ge=1000, le=12000)] = 4000.0
    age: Annotated[float, Field(ge=0, le=120)] = 30.0
    population: Annotated[int, Field(ge=0, le=200)] = 12
    seed: int = 0
