"""The TOML protocol format (docs/protocols.md): subject, days, sleep, light, doses, placebo, measurements.

A protocol file describes an experiment in clock times over numbered days (day 1 starts at model hour 0, local
midnight). ``Protocol.from_toml(path)`` validates it with a schema (unknown keys, negative lux, overlapping sleep,
doses without units and days out of range are errors naming the field) and ``Protocol.episodes()`` turns it into
absolute-hour episodes that the schedule and solver layers consume.
"""

from __future__ import annotations

import itertools
import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, ValidationInfo, field_validator, model_validator

from pineal import limits, relative_times
from pineal.errors import InputError
from pineal.models import pk
from pineal.quantities import parse_mass_mg
from pineal.schedule import Schedule, constant
from pineal.timeline import parse_clock_hours

DaySpec = int | list[int] | str  # 3, [1, 2], "2-4", "all"
_RANGE = re.compile(r"^\s*(\d+)\s*-\s*(\d+)\s*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    _numbers_are_not_bools = model_validator(mode="before")(limits.reject_bool_numbers)


_HHMMSS = re.compile(r"^\s*(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)\s*$")


def clock_hours(text: str, field: str = "time") -> float:
    """'HH:MM' or 'HH:MM:SS' (format v2: seconds, e.g. 15-s pulses) -> hours after midnight."""
    m = _HHMMSS.match(text) if isinstance(text, str) else None
    if m is None:
        return parse_clock_hours(text, field)
    hh, mm, ss = int(m.group(1)), int(m.group(2)), float(m.group(3))
    if hh > 23 or mm > 59 or ss >= 60:
        raise InputError(field, text, "a clock time 'HH:MM' or 'HH:MM:SS' (00:00:00-23:59:59)")
    return hh + mm / 60.0 + ss / 3600.0


def _hhmm(v: str) -> str:
    clock_hours(v, "time")
    return v


def _time(v: str, info: ValidationInfo) -> str:
    """A clock time or a time relative to an anchor (format v2, :mod:`pineal.relative_times`)."""
    relative_times.parse(v, info.field_name)
    return v


def _window_h(start: str, end: str) -> float | None:
    """Length (h) of [start, end) when it is known without the subject's baseline (same anchor or none);
    an end at or before the start means the next day."""
    s, e = relative_times.parse(start), relative_times.parse(end)
    if s.anchor != e.anchor:
        return None
    return (e.hours - s.hours) % 24.0 or 24.0


class Episode(_Strict):
    start: str
    end: str
    days: DaySpec = "all"
    every_h: Annotated[float | None, Field(ge=limits.MIN_EVERY_H, le=24)] = None  # repeat within each day (ultradian)
    shift_h_per_day: Annotated[float, Field(ge=-12, le=12)] = 0.0  # v2: the episode moves this much each day

    _check_start = field_validator("start", "end")(_time)


class Sleep(Episode):
    lux: Annotated[float, Field(ge=0, le=1e5)] = 0.0


class Light(Episode):
    lux: Annotated[float, Field(ge=0, le=1e5)]
    # v2: a pulse train inside [start, end): `count` pulses of `on_min` minutes separated by `off_min` minutes
    # (off periods keep the background); all three or none
    count: Annotated[int | None, Field(ge=1, le=1000)] = None
    on_min: Annotated[float | None, Field(gt=0, le=1440)] = None
    off_min: Annotated[float | None, Field(ge=0, le=1440)] = None

    @model_validator(mode="after")
    def _train(self):
        given = [v is not None for v in (self.count, self.on_min, self.off_min)]
        if any(given) and not all(given):
            raise ValueError("a pulse train needs count, on_min and off_min together")
        if all(given) and (length := _window_h(self.start, self.end)) is not None:
            self.check_train(length)
        return self

    def check_train(self, length_h: float) -> None:
        """The pulse train fits its window of ``length_h`` hours (ValueError otherwise)."""
        need = self.count * self.on_min + (self.count - 1) * self.off_min
        if need > length_h * 60.0 + 1e-6:
            raise ValueError(f"{self.count} pulses of {self.on_min} min with {self.off_min} min between "
                             f"need {need:g} min, more than the {length_h * 60.0:g}-min window "
                             f"{self.start}-{self.end}")


class DoseEntry(_Strict):
    amount: str  # a string with a unit: numbers without units are rejected, never guessed
    time: str
    route: Literal["oral-ir", "oral-pr", "sublingual", "intranasal", "transdermal", "iv"] = "oral-ir"
    days: DaySpec = "all"
    duration_h: Annotated[float | None, Field(gt=0, le=72)] = None

    _check_time = field_validator("time")(_time)

    @field_validator("amount", mode="before")
    @classmethod
    def _needs_unit(cls, v):
        if not isinstance(v, str):
            raise ValueError("a dose needs a unit, e.g. amount = \"3 mg\"")
        parse_mass_mg(v, "amount")
        return v


class Subject(_Strict):
    age: Annotated[float, Field(ge=0, le=120)] = 30.0
    weight_kg: Annotated[float, Field(ge=2, le=1000)] = 70.0
    sex: Literal["m", "f"] = "m"
    tau_h: Annotated[float | None, Field(ge=22.0, le=26.0)] = None  # intrinsic period, model default if absent


TIME_MARKERS = ("dlmo", "dlmoff", "cbtmin", "midpoint", "peak")  # a time of day (and a shift between the arms)
THRESHOLD_MARKERS = ("dlmo", "dlmoff", "midpoint")  # take a DLMO definition


class Measure(_Strict):
    """One measurement (docs/protocols.md, table of markers)."""

    marker: Literal["dlmo", "dlmoff", "cbtmin", "midpoint", "peak", "suppression", "cbtmin_in_sleep"]
    day: int
    definition: Literal["plasma_10", "saliva_3", "saliva_4", "phase", "relative_25"] = "plasma_10"
    start: str | None = None  # suppression: the window on `day` (and on `baseline_day`)
    end: str | None = None
    baseline_day: int | None = None

    _check_window = field_validator("start", "end")(_time)

    @model_validator(mode="after")
    def _consistent(self):
        if self.marker in ("dlmoff", "midpoint") and self.definition == "phase":
            raise ValueError(f"{self.marker} is a melatonin threshold crossing: definition plasma_10, saliva_3, "
                             "saliva_4 or relative_25 (there is no phase-convention offset)")
        if self.definition == "relative_25" and self.marker not in THRESHOLD_MARKERS:
            raise ValueError(f"definition relative_25 is for {', '.join(THRESHOLD_MARKERS)}, not {self.marker}")
        if self.marker not in (*THRESHOLD_MARKERS, "cbtmin") and "definition" in self.model_fields_set:
            raise ValueError(f"{self.marker} takes no definition (it is a property of the body's own plasma "
                             "melatonin or of the CBTmin)")
        window = [self.start is not None, self.end is not None, self.baseline_day is not None]
        if self.marker == "suppression":
            if not all(window):
                raise ValueError("suppression needs start, end (the window, clock or relative times) and "
                                 "baseline_day (the day whose same window is 0 % suppression)")
            if self.baseline_day == self.day:
                raise ValueError(f"baseline_day = {self.baseline_day} must differ from day = {self.day}")
        elif any(window):
            raise ValueError(f"start, end and baseline_day belong to marker = \"suppression\", not {self.marker}")
        return self


class Reference(_Strict):
    placebo: bool = True


class Habitual(_Strict):
    """The schedule the subject lived on before day 1: the model starts entrained to it."""

    sleep: str = "23:00"
    wake: str = "07:00"
    lux: Annotated[float, Field(ge=0, le=1e5)] = 150.0
    # the DLMO that times relative to "DLMO" refer to (relative_times.baseline)
    dlmo_definition: Literal["plasma_10", "saliva_3", "saliva_4", "phase"] = "plasma_10"

    _check_times = field_validator("sleep", "wake")(_hhmm)

    @model_validator(mode="after")
    def _distinct(self):
        if parse_clock_hours(self.sleep) == parse_clock_hours(self.wake):
            raise ValueError(f"habitual sleep {self.sleep} and wake {self.wake} must differ")
        return self


class Meta(_Strict):
    name: str
    description: str = ""
    cite: str = ""
    days: Annotated[int, Field(ge=1, le=366)]
    background_lux: Annotated[float, Field(ge=0, le=1e5)] = 150.0  # light while awake, unless a light episode says
    timezone: str = "UTC"  # IANA zone the clock times are local to (validated; see docs/protocols.md)

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v):
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError, TypeError):
            raise ValueError(f"an IANA time zone such as 'Europe/London' or 'UTC', not {v!r}") from None
        return v


class ProtocolModel(_Strict):
    protocol: Meta
    subject: Subject = Subject()
    habitual: Habitual = Habitual()
    sleep: list[Sleep] = []
    light: list[Light] = []
    dose: list[DoseEntry] = []
    reference: Reference = Reference()
    measure: list[Measure] = []

    @model_validator(mode="after")
    def _days_in_range(self):
        n = self.protocol.days
        for group, items in (("sleep", self.sleep), ("light", self.light), ("dose", self.dose)):
            for i, item in enumerate(items):
                expand_days(item.days, n, f"{group}[{i}].days")
        limits.check_expanded_sizes(self, expand_days)
        for i, m in enumerate(self.measure):
            for key in ("day", "baseline_day"):
                d = getattr(m, key)
                if d is not None and not 1 <= d <= n:
                    raise InputError(f"measure.{i}.{key}", d, f"a day of the protocol (1-{n})",
                                     f"{d} is outside days 1-{n}")
            night = m.marker in ("midpoint", "peak") or (m.marker == "dlmo" and m.definition == "relative_25")
            if night and m.day == n:
                raise InputError(f"measure.{i}.day", m.day, f"days 1-{n - 1} (or a longer protocol)",
                                 f"{m.marker} ({m.definition}) needs that whole night, to 12:00 on day {n + 1}, "
                                 "after the protocol ends")
            if m.marker == "dlmoff" and m.definition == "relative_25" and m.day == 1:
                raise InputError(f"measure.{i}.day", m.day, f"days 2-{n}", "a relative_25 dlmoff needs the whole "
                                 "night before it, from 12:00 the day before: day 1's starts before the protocol")
        return self


def expand_days(spec: DaySpec, n_days: int, field: str = "days") -> list[int]:
    """'all' | 3 | [1, 2] | '2-4' -> sorted day numbers, each within 1..n_days."""
    allowed = f"'all', a day number, a list of day numbers or a range like '2-4', within days 1-{n_days}"
    if spec == "all":
        days = list(range(1, n_days + 1))
    elif isinstance(spec, bool):
        raise InputError(field, spec, allowed)
    elif isinstance(spec, int):
        days = [spec]
    elif isinstance(spec, list) and all(isinstance(d, int) and not isinstance(d, bool) for d in spec):
        limits.check_day_list(spec, n_days, field)
        days = list(spec)
    elif isinstance(spec, str) and (m := _RANGE.match(spec)):
        limits.check_day_range(m.group(1), m.group(2), n_days, field, spec)
        days = list(range(int(m.group(1)), int(m.group(2)) + 1))
    else:
        raise InputError(field, spec, allowed)
    if not days or any(not 1 <= d <= n_days for d in days):
        raise InputError(field, spec, allowed)
    return sorted(set(days))


@dataclass(frozen=True)
class Interval:
    """[start_h, end_h) in model hours, with a light level."""

    start_h: float
    end_h: float
    lux: float = 0.0


@dataclass(frozen=True)
class Episodes:
    """A protocol in absolute model hours: what the schedule and solver layers need."""

    hours: float
    background_lux: float
    sleep: tuple[Interval, ...]
    light: tuple[Interval, ...]
    doses: tuple[pk.Dose, ...]


def _intervals(item: Episode, n_days: int, field: str,
               anchors: relative_times.Anchors | None = None) -> list[tuple[float, float]]:
    """Absolute-hour intervals of an episode: per listed day, moved ``shift_h_per_day`` × (day − first day),
    repeated ``every_h`` within the day, split into a pulse train (lights). An episode crossing midnight with
    ``days = "all"`` also covers the end of the night before day 1 (from hour 0), so day 1 does not start
    awake inside the habitual night. Relative times (``DLMO+2:30``) are resolved with ``anchors``."""
    s, e = (_resolve(t, anchors, field) for t in (item.start, item.end))
    length = (e - s) % 24.0 or 24.0
    if isinstance(item, Light) and item.count:
        try:
            item.check_train(length)
        except ValueError as err:
            raise InputError(field, f"{item.start}-{item.end}", "a pulse train that fits its window", str(err)) \
                from None
    days = expand_days(item.days, n_days, field)
    out = []
    starts = [(d - 1) * 24.0 + s + (d - days[0]) * item.shift_h_per_day for d in days]
    if item.days == "all" and s + length > 24.0 and not item.every_h:
        starts.insert(0, starts[0] - 24.0 - item.shift_h_per_day)
    for base in starts:
        if item.every_h:
            k = 0
            while k * item.every_h < 24.0 - 1e-9:
                out.append((base + k * item.every_h, base + k * item.every_h + length))
                k += 1
        else:
            out.append((base, base + length))
    if isinstance(item, Light) and item.count:
        on, period = item.on_min / 60.0, (item.on_min + item.off_min) / 60.0
        out = [(a + k * period, a + k * period + on) for a, _ in out for k in range(item.count)]
    return [(max(a, 0.0), b) for a, b in out if b > 0.0]


def _resolve(text: str, anchors: relative_times.Anchors | None, field: str) -> float:
    """Hours after midnight of the listed day of a clock or relative time (relative ones need ``anchors``)."""
    t = relative_times.parse(text, field)
    if t.anchor is not None and anchors is None:
        raise InputError(field, text, "a clock time: this protocol was expanded without the subject's baseline")
    return t.hours if t.anchor is None else anchors.resolve(t)


class Protocol:
    """A validated protocol (see module docstring)."""

    def __init__(self, model: ProtocolModel, source: str = "<dict>"):
        self.model = model
        self.source = source
        self._anchors: dict = {}  # (model, dt) -> the baseline anchors, simulated once

    @classmethod
    def from_dict(cls, data: dict, source: str = "<dict>") -> Protocol:
        try:
            limits.check_tree(data)
            return cls(ProtocolModel.model_validate(data), source)
        except ValidationError as err:
            first = err.errors()[0]
            inner = first.get("ctx", {}).get("error")
            if isinstance(inner, InputError):  # a check of ours inside a validator: its location and field
                where = ".".join(str(p) for p in first["loc"])
                field = where if where.endswith(inner.field) else ".".join(filter(None, (where, inner.field)))
                raise InputError(f"{source}: {field}", inner.value, inner.allowed, inner.reason) from None
            where = ".".join(str(p) for p in first["loc"]) or "protocol"
            value = first.get("input")
            allowed = first["msg"]
            if first["type"] == "extra_forbidden":
                allowed = "a known key (see docs/protocols.md); this key is not part of the format"
            raise InputError(f"{source}: {where}", value if not isinstance(value, dict) else "{...}", allowed) \
                from None
        except InputError as err:
            raise InputError(f"{source}: {err.field}", err.value, err.allowed, err.reason) from None

    @classmethod
    def from_toml(cls, path: str | Path) -> Protocol:
        p = limits.check_input_file(path, "protocol", "the path of an existing TOML protocol file",
                                    limits.MAX_PROTOCOL_BYTES)
        try:
            text = p.read_text("utf-8")
        except OSError as err:
            raise InputError("protocol", str(path), "a readable TOML protocol file", err.strerror) from None
        except UnicodeDecodeError as err:
            raise InputError("protocol", str(path), f"a valid TOML file ({err})") from None
        return cls.from_toml_text(text, source=p.name, field="protocol", shown=str(path))

    @classmethod
    def from_toml_text(cls, text: str, source: str = "<text>", field: str = "protocol",
                       shown: str | None = None) -> Protocol:
        """A protocol from the text of a TOML file (the HTTP API's ``/api/simulate``)."""
        shown = shown if shown is not None else text[:40]
        if len(text.encode("utf-8", "surrogatepass")) > limits.MAX_PROTOCOL_BYTES:
            raise InputError(field, shown, f"a protocol of at most {limits.MAX_PROTOCOL_BYTES:,} bytes")
        try:
            data = tomllib.loads(text)
        except RecursionError:
            raise InputError(field, shown, f"tables and arrays nested at most {limits.MAX_DEPTH} deep") from None
        except tomllib.TOMLDecodeError as err:
            raise InputError(field, shown, f"a valid TOML file ({err})") from None
        return cls.from_dict(data, source=source)

    @property
    def name(self) -> str:
        return self.model.protocol.name

    def subject(self) -> pk.Subject:
        """The protocol's subject for the PK model and the body's own melatonin."""
        s = self.model.subject
        return pk.Subject(weight_kg=s.weight_kg, age=s.age, sex=s.sex)

    def schedule(self, ep: Episodes | None = None) -> Schedule:
        """Light and sleep as a piecewise-constant schedule over the protocol (light episodes, then sleep on top)."""
        ep = ep or self.episodes()
        sched = constant(ep.background_lux)
        if ep.light:
            sched = sched.with_light([iv.start_h for iv in ep.light], [iv.end_h for iv in ep.light],
                                     [iv.lux for iv in ep.light])
        if ep.sleep:
            starts, ends = [iv.start_h for iv in ep.sleep], [iv.end_h for iv in ep.sleep]
            sched = sched.with_episodes(starts, ends, "lux", [iv.lux for iv in ep.sleep])
            sched = sched.with_episodes(starts, ends, "sleep", 1.0)
        return sched

    def anchors_used(self) -> set[str]:
        """The anchors (dlmo, cbtmin, bedtime, wake) that the protocol's relative times refer to."""
        m = self.model
        texts = [t for e in (*m.sleep, *m.light) for t in (e.start, e.end)] + [d.time for d in m.dose] + \
            [t for x in m.measure for t in (x.start, x.end) if t is not None]
        return {a for t in texts if (a := relative_times.parse(t).anchor) is not None}

    def anchors(self, model: str | None = None, dt: float = 0.1) -> relative_times.Anchors | None:
        """The subject's baseline anchors (None if no time is relative); see :func:`relative_times.baseline`."""
        if not self.anchors_used():
            return None
        key = (model, dt)
        if key not in self._anchors:
            self._anchors[key] = relative_times.baseline(self, model, dt)
        return self._anchors[key]

    def episodes(self, placebo: bool = False, anchors: relative_times.Anchors | None = None) -> Episodes:
        """Absolute-hour episodes; ``placebo=True`` drops the doses (the reference arm). Relative times are
        resolved with ``anchors`` (default: the subject's baseline under the default model)."""
        m, n = self.model, self.model.protocol.days
        if anchors is None:
            anchors = self.anchors()
        sleep = sorted((a, b, s.lux) for i, s in enumerate(m.sleep)
                       for a, b in _intervals(s, n, f"{self.source}: sleep[{i}]", anchors))
        for (_a0, a1, _), (b0, _b1, _) in itertools.pairwise(sleep):
            if b0 < a1 - 1e-9:
                raise InputError(f"{self.source}: sleep", f"{_clock(b0)} on day {int(b0 // 24) + 1}",
                                 "sleep episodes that do not overlap")
        # file order is kept: where light episodes overlap, the one listed later in the file wins
        light = [Interval(a, b, li.lux) for i, li in enumerate(m.light)
                 for a, b in _intervals(li, n, f"{self.source}: light[{i}]", anchors)]
        doses = [] if placebo else sorted(
            (self._dose(i, d, day, anchors) for i, d in enumerate(m.dose) for day in expand_days(d.days, n)),
            key=lambda d: d.time_h)
        return Episodes(hours=n * 24.0, background_lux=m.protocol.background_lux,
                        sleep=tuple(Interval(*iv) for iv in sleep),
                        light=tuple(light), doses=tuple(doses))

    def _dose(self, i: int, d: DoseEntry, day: int, anchors) -> pk.Dose:
        field = f"{self.source}: dose[{i}].time"
        t = (day - 1) * 24.0 + _resolve(d.time, anchors, field)
        if not 0.0 <= t < self.model.protocol.days * 24.0:
            raise InputError(field, d.time, f"a time inside the protocol (days 1-{self.model.protocol.days})",
                             f"on day {day} it falls at {_clock(t)} on day {math.floor(t / 24.0) + 1}; list "
                             "other days")
        return pk.Dose.parse(d.amount, t, d.route, d.duration_h)

    def window(self, m: Measure, day: int, anchors: relative_times.Anchors | None) -> tuple[float, float]:
        """A suppression measure's window [start, end) on ``day``, in model hours."""
        s = _resolve(m.start, anchors, "measure.start")
        length = (_resolve(m.end, anchors, "measure.end") - s) % 24.0 or 24.0
        return (day - 1) * 24.0 + s, (day - 1) * 24.0 + s + length


def _clock(h: float) -> str:
    m = round(h * 60) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def lux_at(ep: Episodes, t_h) -> float:
    """Light at one model hour (for checks and plots; the solver builds arrays in the schedule layer)."""
    for s in ep.sleep:
        if s.start_h <= t_h < s.end_h:
            return s.lux
    level = ep.background_lux
    for li in ep.light:
        if li.start_h <= t_h < li.end_h:
            level = li.lux
    return level if math.isfinite(level) else 0.0
