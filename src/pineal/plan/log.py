"""What the traveller actually did: a wearable-style CSV of light, sleep and melatonin, laid on the plan's grid.

The format (docs/plan.md, "Re-planning"): a header naming the columns ``timestamp,lux,asleep,melatonin_mg`` (any
order; other columns, such as a wearable's activity counts, are ignored), then one sample a row:

* ``timestamp``: ISO 8601 with a UTC offset (``2027-01-11T07:30:00+00:00``, ``...Z``) or a local date-time
  followed by an IANA zone (``2027-01-11 07:30 Europe/London``); rows in time order, each later than the last;
* ``lux``: illuminance at the eye, 0-100,000 (blank: not measured, the ordinary light of that time is assumed);
* ``asleep``: 1 asleep (or in bed in the dark), 0 awake;
* ``melatonin_mg``: a dose taken at that instant, 0-5 mg (blank: none).

A sample stands for the time until the next one, at most ``MAX_HOLD_H``; a longer gap is not logged and the plan
fills it. Bad rows raise :class:`~pineal.errors.InputError` naming the row, the column, the value and what is
allowed; nothing is silently dropped except rows outside the plan's days, which are reported.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np

from pineal.errors import InputError
from pineal.limits import check_input_file

COLUMNS = ("timestamp", "lux", "asleep", "melatonin_mg")
MAX_LOG_ROWS = 50_000  # 34 days of 1-min samples: more than any plan's days
MAX_LOG_BYTES = 5_000_000
MAX_LOG_DOSE_MG = 5.0  # the plan's own cap; a larger logged dose needs a clinician, not a re-plan
MAX_LOG_LUX = 1e5
MAX_HOLD_H = 1.0
TIMESTAMP_ALLOWED = ("an ISO 8601 date-time with a UTC offset ('2027-01-11T07:30:00+00:00' or '...Z') or a local "
                     "date-time and an IANA zone ('2027-01-11 07:30 Europe/London')")
_NUMBER = re.compile(r"^[+-]?(\d{1,12}(\.\d{0,12})?|\.\d{1,12})([eE][+-]?\d{1,3})?$")
_ZONE = re.compile(r"^(.{10,32}?)\s+([A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2})$")


@dataclass(frozen=True)
class ActivityLog:
    """Samples of one log: instants (UTC seconds), lux (NaN: not measured), asleep, melatonin (mg at the instant)."""

    t: np.ndarray
    lux: np.ndarray
    asleep: np.ndarray
    melatonin_mg: np.ndarray
    flags: tuple[str, ...] = ()

    @property
    def rows(self) -> int:
        return int(self.t.size)

    def coverage(self) -> tuple[np.ndarray, np.ndarray]:
        """(start, end) UTC seconds of each sample: until the next one, at most MAX_HOLD_H; the last one holds for
        the median interval (15 min for a single sample)."""
        gaps = np.diff(self.t)
        last = float(np.median(gaps)) if gaps.size else 900.0
        end = np.minimum(np.r_[self.t[1:], self.t[-1] + last], self.t + 3600.0 * MAX_HOLD_H)
        return self.t, end

    def first(self) -> datetime:
        return datetime.fromtimestamp(float(self.t[0]), UTC)

    def last(self) -> datetime:
        return datetime.fromtimestamp(float(self.coverage()[1][-1]), UTC)


def _timestamp(text: str, where: str) -> float:
    s = text.strip()
    if not s or len(s) > 64:
        raise InputError(where, text, TIMESTAMP_ALLOWED, "empty" if not s else "longer than 64 characters")
    m = _ZONE.match(s)
    zone = None
    if m and not re.search(r"[+-]\d{2}:?\d{2}$|Z$", s):
        try:
            zone = ZoneInfo(m.group(2))
        except (ValueError, KeyError, OSError):  # ZoneInfoNotFoundError is a KeyError
            raise InputError(where, text, TIMESTAMP_ALLOWED, f"unknown time zone '{m.group(2)}'") from None
        s = m.group(1)
    try:
        when = datetime.fromisoformat(s)
    except ValueError:
        raise InputError(where, text, TIMESTAMP_ALLOWED) from None
    if zone is not None:
        if when.tzinfo is not None:
            raise InputError(where, text, TIMESTAMP_ALLOWED, "both an offset and a zone")
        naive = when
        when = when.replace(tzinfo=zone)
        if when.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
            raise InputError(where, text, f"a local time that exists in {zone.key} (it falls in a DST gap)")
    if when.tzinfo is None or when.utcoffset() is None:
        raise InputError(where, text, TIMESTAMP_ALLOWED, "no UTC offset or zone: the instant is ambiguous")
    if not 2000 <= when.astimezone(UTC).year <= 2100:
        raise InputError(where, text, "a date in the years 2000-2100")
    return when.timestamp()


def _number(text: str, where: str, low: float, high: float, allowed: str) -> float:
    s = text.strip()
    if not _NUMBER.match(s):
        raise InputError(where, text, allowed, "not a number")
    v = float(s)
    if not low <= v <= high:
        raise InputError(where, text, allowed)
    return v


def parse_log(text: str, source: str = "log") -> ActivityLog:
    """An :class:`ActivityLog` from CSV text (see the module docstring); every problem is an InputError."""
    if not isinstance(text, str):
        raise InputError(source, type(text).__name__, "CSV text")
    if len(text) > MAX_LOG_BYTES:
        raise InputError(source, f"{len(text):,} characters", f"a log of at most {MAX_LOG_BYTES:,} characters")
    if "\x00" in text:
        raise InputError(source, "a NUL character", "a text CSV file")
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = next(reader, None)
        while header is not None and not any(c.strip() for c in header):
            header = next(reader, None)
        if header is None:
            raise InputError(source, "an empty file", f"a CSV with the header {','.join(COLUMNS)}")
        names = [c.strip().lower() for c in header]
        missing = [c for c in COLUMNS if c not in names]
        if missing:
            raise InputError(f"{source} header", ",".join(header)[:80],
                             f"the columns {', '.join(COLUMNS)} (any order; other columns are ignored)",
                             f"missing {', '.join(missing)}")
        col = {c: names.index(c) for c in COLUMNS}
        t, lux, asleep, mg, flags = [], [], [], [], []
        for row in reader:
            line = reader.line_num
            if not any(c.strip() for c in row):
                continue
            if len(t) >= MAX_LOG_ROWS:
                raise InputError(source, f"more than {MAX_LOG_ROWS:,} rows",
                                 f"at most {MAX_LOG_ROWS:,} samples (one a minute covers {MAX_LOG_ROWS // 1440} "
                                 "days)")
            if len(row) < len(names):
                raise InputError(f"{source} row {line}", ",".join(row)[:80],
                                 f"{len(names)} comma-separated values like the header")

            def cell(name, row=row):
                return row[col[name]]

            when = _timestamp(cell("timestamp"), f"{source} row {line}, timestamp")
            if t and when <= t[-1]:
                raise InputError(f"{source} row {line}, timestamp", cell("timestamp").strip(),
                                 "rows in time order, each later than the row before")
            t.append(when)
            lux.append(np.nan if not cell("lux").strip() else
                       _number(cell("lux"), f"{source} row {line}, lux", 0.0, MAX_LOG_LUX,
                               f"a number of lux from 0 to {MAX_LOG_LUX:,.0f}, or blank (not measured)"))
            a = cell("asleep").strip()
            if a not in ("0", "1"):
                raise InputError(f"{source} row {line}, asleep", cell("asleep"), "1 (asleep) or 0 (awake)")
            asleep.append(a == "1")
            m = 0.0 if not cell("melatonin_mg").strip() else \
                _number(cell("melatonin_mg"), f"{source} row {line}, melatonin_mg", 0.0, MAX_LOG_DOSE_MG,
                        f"a dose from 0 to {MAX_LOG_DOSE_MG:g} mg, or blank (none); pineal re-plans only within "
                        "the evidence-based range")
            if m > 0 and a == "1":
                flags.append(f"row {line}: melatonin logged while asleep (counted as taken)")
            mg.append(m)
    except csv.Error as err:
        raise InputError(source, f"line {reader.line_num}", "a plain comma-separated file", str(err)) from None
    if not t:
        raise InputError(source, "no samples", "at least one row of samples after the header")
    return ActivityLog(np.array(t), np.array(lux), np.array(asleep, bool), np.array(mg), tuple(flags))


def read_log(path: str | Path) -> ActivityLog:
    """A log file (CSV, UTF-8) checked for size before it is read."""
    allowed = "an existing CSV log (timestamp,lux,asleep,melatonin_mg; docs/plan.md)"
    p = check_input_file(path, "log", allowed, MAX_LOG_BYTES)
    try:
        text = p.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("log", str(path), allowed, "not UTF-8 text") from None
    return parse_log(text, source=p.name)


def log_csv(times: list[datetime], lux, asleep, melatonin_mg) -> str:
    """Write samples in the log format (for tests and examples): ISO instants with their offsets."""
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(COLUMNS)
    for when, lx, a, m in zip(times, lux, asleep, melatonin_mg, strict=True):
        w.writerow([when.isoformat(timespec="minutes"), "" if lx is None or lx != lx else f"{lx:g}",
                    int(bool(a)), f"{m:g}" if m else ""])
    return out.getvalue()

