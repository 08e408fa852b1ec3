"""Clock times <-> model hours (DESIGN.md, "Time").

Users speak tz-aware clock times ("21:00", "2026-03-01T21:00+01:00", "2026-03-01 21:00 Europe/Paris");
the model runs in hours from a simulation start. This module is the only place that converts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pineal.errors import InputError

CLOCK_ALLOWED = "a clock time 'HH:MM' (00:00-23:59) or an ISO datetime with a time zone, e.g. '2026-03-01T21:00+01:00'"
_HHMM = re.compile(r"^\s*(\d{1,2})[:h](\d{2})\s*$")


def parse_zone(name: str | None, field: str = "tz") -> tzinfo:
    """An IANA zone ("Europe/Paris"); None means UTC."""
    if name is None:
        return ZoneInfo("UTC")
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise InputError(field, name, "an IANA time-zone name such as 'Europe/Paris' or 'UTC'") from exc


def parse_clock_hours(text: str, field: str = "time") -> float:
    """'HH:MM' -> hours after midnight (0 <= h < 24)."""
    if not isinstance(text, str):
        raise InputError(field, text, "a clock time 'HH:MM'")
    m = _HHMM.match(text)
    if not m:
        raise InputError(field, text, "a clock time 'HH:MM' (00:00-23:59)")
    hh, mm = int(m.group(1)), int(m.group(2))
    if hh > 23 or mm > 59:
        raise InputError(field, text, "a clock time 'HH:MM' (00:00-23:59)")
    return hh + mm / 60.0


def parse_datetime(text: str, field: str = "time", tz: tzinfo | None = None,
                   on: date | None = None) -> datetime:
    """'HH:MM' (on date ``on`` in zone ``tz``) or an ISO datetime with an offset -> aware datetime."""
    zone = tz or ZoneInfo("UTC")
    if isinstance(text, datetime):
        if text.tzinfo is None:
            raise InputError(field, text.isoformat(), CLOCK_ALLOWED, "naive datetime: give a time zone")
        return text
    if not isinstance(text, str):
        raise InputError(field, text, CLOCK_ALLOWED)
    if _HHMM.match(text):
        h = parse_clock_hours(text, field)
        day = on or date(2000, 1, 1)
        return datetime.combine(day, time(int(h), round((h % 1) * 60)), tzinfo=zone)
    parts = text.strip().split()
    if len(parts) == 2 and "/" in parts[1]:  # "2026-03-01T21:00 Europe/Paris"
        zone = parse_zone(parts[1], field)
        text = parts[0]
    try:
        dt = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise InputError(field, text, CLOCK_ALLOWED) from exc
    if dt.tzinfo is None:
        if len(parts) == 2:
            return dt.replace(tzinfo=zone)
        raise InputError(field, text, CLOCK_ALLOWED, "an ISO datetime needs a time zone offset")
    return dt


def hours_between(start: datetime, end: datetime) -> float:
    """Elapsed hours from ``start`` to ``end`` (aware datetimes; DST-correct).

    Both are converted to UTC first: Python subtracts two datetimes sharing a tzinfo as wall-clock times, which
    would count the spring-forward night as 6 h instead of 5.
    """
    return (end.astimezone(UTC) - start.astimezone(UTC)) / timedelta(hours=1)


@dataclass(frozen=True)
class Clock:
    """Maps model hours to wall-clock times: model hour 0 is ``start``."""

    start: datetime

    def hours(self, when: datetime) -> float:
        return hours_between(self.start, when)

    def at(self, hours: float) -> datetime:
        """The wall-clock time ``hours`` elapsed hours after the start (in the start's zone)."""
        return (self.start.astimezone(UTC) + timedelta(hours=float(hours))).astimezone(self.start.tzinfo)

    def clock_text(self, hours: float) -> str:
        return self.at(hours).astimezone(self.start.tzinfo).strftime("%H:%M")


def next_clock_time(after_hours: float, clock_hours: float) -> float:
    """The first model hour > ``after_hours`` whose time of day (model hour mod 24) is ``clock_hours``."""
    base = after_hours - (after_hours % 24.0) + clock_hours
    return base if base > after_hours else base + 24.0


def format_clock(hours: float) -> str:
    """Model hours (from a midnight start) -> 'HH:MM' time of day."""
    minutes = round(hours * 60.0) % (24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}"
