"""Piecewise-constant input series: light (lux), sleep (0/1) and exogenous plasma melatonin (DESIGN.md, inputs).

A :class:`Schedule` is a list of breakpoints ``times`` (hours from the simulation start) and the input
values that hold on ``[times[j], times[j+1])``; the last values hold for ever, or the pattern repeats with
``period`` hours. Schedules are built from sleep/wake times and light episodes with array operations only
(no per-sample loops). The solver steps exactly on these breakpoints (pitfall P3). The third channel carries the
plasma melatonin (pg/mL) that doses add, computed by the PK model (``models/pk.py``) and laid over the light
schedule with :meth:`Schedule.with_series` as interval means; elimination is linear, so it adds to the body's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from pineal.errors import InputError
from pineal.timeline import parse_clock_hours

#: input channels (the same order in every model's ``u``)
LUX, SLEEP, EXOGENOUS = 0, 1, 2
N_INPUTS = 3
CHANNELS = ("lux", "sleep", "exogenous_pg_ml")

#: light assumed while awake on an ordinary day indoors (every experiment and report states it)
ROOM_LUX = 150.0
#: dim light of a phase assessment, "< 5 lux": melatonin is sampled in it, since room light suppresses it
ASSESSMENT_LUX = 3.0


def _hours(value: str | float, field: str) -> float:
    """A clock time 'HH:MM' or a number of hours."""
    if isinstance(value, str):
        return parse_clock_hours(value, field)
    try:
        h = float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(field, value, "a clock time 'HH:MM' or hours as a number") from exc
    if not np.isfinite(h):
        raise InputError(field, value, "a finite number of hours")
    return h


def check_lux(lux, field: str = "lux") -> np.ndarray:
    """Illuminance must be finite and ≥ 0 lux."""
    arr = np.asarray(lux, dtype=float)
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise InputError(field, arr[bad].flat[0].item(), "illuminance in lux, finite and >= 0")
    return arr


def _check_sleep(sleep, field: str = "sleep") -> np.ndarray:
    arr = np.asarray(sleep, dtype=float)
    bad = ~np.isfinite(arr) | (arr < 0) | (arr > 1)
    if bad.any():
        raise InputError(field, arr[bad].flat[0].item(), "0 (awake) or 1 (asleep)")
    return arr


@dataclass(frozen=True)
class Schedule:
    """Piecewise-constant inputs for one subject."""

    times: np.ndarray  # (nb,) strictly increasing breakpoints, hours
    values: np.ndarray  # (nb, N_INPUTS)
    period: float = 0.0  # > 0: the pattern on [0, period) repeats

    def __post_init__(self):
        t = np.asarray(self.times, dtype=float)
        v = np.asarray(self.values, dtype=float).reshape(len(t), N_INPUTS)
        if len(t) == 0 or not np.all(np.isfinite(t)) or np.any(np.diff(t) <= 0):
            raise InputError("schedule.times", t.tolist()[:5], "finite, strictly increasing breakpoints (hours)")
        check_lux(v[:, LUX], "light")
        _check_sleep(v[:, SLEEP])
        if not np.all(np.isfinite(v[:, EXOGENOUS])) or np.any(v[:, EXOGENOUS] < 0):
            raise InputError("exogenous melatonin", v[:, EXOGENOUS].min(), "plasma melatonin in pg/mL, finite and >= 0")
        if self.period < 0 or not np.isfinite(self.period):
            raise InputError("schedule.period", self.period, "hours > 0, or 0 for a non-repeating schedule")
        if self.period > 0 and (t[0] != 0.0 or t[-1] >= self.period):
            raise InputError("schedule.times", t.tolist()[:5], f"breakpoints in [0, {self.period}) starting at 0")
        object.__setattr__(self, "times", t)
        object.__setattr__(self, "values", v)

    # --- evaluation -------------------------------------------------------------------------------
    def at(self, t) -> np.ndarray:
        """Input values at times ``t`` (array), shape (len(t), N_INPUTS)."""
        t = np.asarray(t, dtype=float)
        if self.period > 0:
            t = np.mod(t, self.period)
        j = np.clip(np.searchsorted(self.times, t, side="right") - 1, 0, None)
        return self.values[j]

    def lux(self, t) -> np.ndarray:
        return self.at(t)[..., LUX]

    def expand(self, until: float) -> Schedule:
        """A non-repeating copy covering [0, until) (a periodic pattern tiled)."""
        if self.period <= 0:
            return self
        k = np.arange(int(np.ceil(until / self.period)) + 1)
        times = np.add.outer(k * self.period, self.times).ravel()
        values = np.tile(self.values, (len(k), 1))
        return Schedule(times, values).simplify()

    def simplify(self) -> Schedule:
        """Drop breakpoints where nothing changes."""
        keep = np.ones(len(self.times), dtype=bool)
        keep[1:] = np.any(self.values[1:] != self.values[:-1], axis=1)
        return Schedule(self.times[keep], self.values[keep], self.period)

    # --- editing ----------------------------------------------------------------------------------
    def with_episodes(self, starts, ends, channel: int | str = LUX, value=0.0) -> Schedule:
        """Set ``channel`` to ``value`` on each [start, end) (later episodes win). Vectorised over breakpoints."""
        ch = CHANNELS.index(channel) if isinstance(channel, str) else int(channel)
        starts = np.atleast_1d(np.asarray(starts, dtype=float))
        ends = np.atleast_1d(np.asarray(ends, dtype=float))
        vals = np.broadcast_to(np.asarray(value, dtype=float), starts.shape)
        if starts.shape != ends.shape:
            raise InputError("episodes", f"{starts.size} starts, {ends.size} ends", "as many starts as ends")
        if not (np.all(np.isfinite(starts)) and np.all(np.isfinite(ends))) or np.any(ends <= starts):
            raise InputError("episodes", list(zip(starts.tolist(), ends.tolist(), strict=True))[:3],
                             "finite hours with end > start")
        if ch == LUX:
            check_lux(vals, "light")
        elif ch == SLEEP:
            _check_sleep(vals)
        base = self.expand(float(ends.max())) if self.period > 0 else self
        times = np.unique(np.concatenate([base.times, starts, ends]))
        times = times[times >= base.times[0]]
        values = base.at(times).copy()
        inside = (times[None, :] >= starts[:, None]) & (times[None, :] < ends[:, None])  # (episodes, nb)
        last = np.where(inside.any(0), inside.shape[0] - 1 - np.argmax(inside[::-1], axis=0), -1)
        hit = last >= 0
        values[hit, ch] = vals[last[hit]]
        return Schedule(times, values).simplify()

    def with_series(self, edges, values, channel: int | str = EXOGENOUS, until: float = 0.0) -> Schedule:
        """Set a channel to ``values[i]`` on ``[edges[i], edges[i+1])`` (len(edges) = len(values) + 1); outside
        the series the channel keeps its value. A repeating schedule is laid out until ``until`` hours (or the
        series end) first: the result does not repeat. Used for exogenous plasma melatonin; vectorised."""
        ch = CHANNELS.index(channel) if isinstance(channel, str) else int(channel)
        e = np.asarray(edges, dtype=float)
        v = np.asarray(values, dtype=float)
        if e.ndim != 1 or v.ndim != 1 or e.size != v.size + 1 or v.size == 0 or np.any(np.diff(e) <= 0):
            raise InputError("series", f"{e.size} edges, {v.size} values", "increasing edges, one more than values")
        base = self.expand(max(float(e[-1]), until) + 1.0) if self.period > 0 else self
        grid = np.unique(np.concatenate([base.times, e]))
        grid = grid[grid >= base.times[0]]
        out = base.at(grid).copy()
        j = np.searchsorted(e, grid, side="right") - 1
        inside = (j >= 0) & (j < v.size)
        out[inside, ch] = v[j[inside]]
        return Schedule(grid, out).simplify()

    def with_light(self, start, end, lux) -> Schedule:
        """Light episodes of ``lux`` on [start, end) hours (arrays allowed)."""
        return self.with_episodes(start, end, LUX, lux)

    def shifted(self, hours: float) -> Schedule:
        """The same schedule ``hours`` later (non-repeating)."""
        s = self.expand(abs(hours) + 48) if self.period > 0 else self
        return Schedule(s.times + hours, s.values)


def constant(lux: float = 0.0, sleep: float = 0.0, start: float = 0.0) -> Schedule:
    """Constant light (e.g. constant routine or darkness) from ``start``."""
    check_lux(lux, "light")
    return Schedule(np.array([start]), np.array([[float(lux), float(sleep), 0.0]]))


def daily(sleep: str | float = "23:00", wake: str | float = "07:00", lux: float = ROOM_LUX,
          sleep_lux: float = 0.0, days: float | None = None) -> Schedule:
    """A regular day: ``lux`` while awake, ``sleep_lux`` and sleep = 1 from ``sleep`` to ``wake`` (clock times).

    With ``days`` None the 24-h pattern repeats for ever (period 24 h), else it is laid out over ``days``.
    """
    s = _hours(sleep, "sleep") % 24.0
    w = _hours(wake, "wake") % 24.0
    if s == w:
        raise InputError("sleep", sleep, "a sleep onset different from the wake time")
    check_lux([lux, sleep_lux], "light")
    times = np.unique([0.0, s, w])
    asleep = ((times - s) % 24.0) < ((w - s) % 24.0)
    values = np.column_stack([np.where(asleep, sleep_lux, lux), asleep.astype(float), np.zeros(len(times))])
    pattern = Schedule(times, values, period=24.0).simplify()
    if days is None:
        return pattern
    if not np.isfinite(days) or days <= 0:
        raise InputError("days", days, "a number of days > 0")
    return pattern.expand(days * 24.0)


@dataclass(frozen=True)
class ScheduleBatch:
    """Schedules of several subjects padded to one array (solver input)."""

    times: np.ndarray  # (S, nb) padded with +inf
    values: np.ndarray  # (S, nb, N_INPUTS)
    counts: np.ndarray  # (S,) int64
    period: float

    @property
    def size(self) -> int:
        return self.times.shape[0]


def series_batch(base: Schedule, edges, values, channel: int | str = EXOGENOUS, until: float = 0.0) -> ScheduleBatch:
    """:meth:`Schedule.with_series` for many subjects at once: subject ``i`` gets ``values[i]`` on the shared
    ``edges`` (``values`` (S, len(edges) − 1)); one breakpoint grid for all, so no per-subject Python work."""
    e = np.asarray(edges, dtype=float)
    v = np.atleast_2d(np.asarray(values, dtype=float))
    ch = CHANNELS.index(channel) if isinstance(channel, str) else int(channel)
    if e.ndim != 1 or v.ndim != 2 or e.size != v.shape[1] + 1 or v.shape[1] == 0 or np.any(np.diff(e) <= 0):
        raise InputError("series", f"{e.size} edges, values {v.shape}", "increasing edges, one more than values")
    if not np.all(np.isfinite(v)) or np.any(v < 0):
        raise InputError("series", "non-finite or negative values", "finite values >= 0")
    full = base.expand(max(float(e[-1]), until) + 1.0) if base.period > 0 else base
    grid = np.unique(np.concatenate([full.times, e]))
    grid = grid[grid >= full.times[0]]
    out = np.repeat(full.at(grid)[None, :, :], v.shape[0], axis=0)
    j = np.searchsorted(e, grid, side="right") - 1
    inside = (j >= 0) & (j < v.shape[1])
    out[:, inside, ch] = v[:, j[inside]]
    counts = np.full(v.shape[0], grid.size, dtype=np.int64)
    return ScheduleBatch(np.repeat(grid[None, :], v.shape[0], axis=0), out, counts, 0.0)


def stack(schedules: Schedule | Sequence[Schedule]) -> ScheduleBatch:
    """One schedule shared by all subjects (S = 1 row) or one per subject."""
    if isinstance(schedules, Schedule):
        schedules = [schedules]
    schedules = list(schedules)
    if not schedules or not all(isinstance(s, Schedule) for s in schedules):
        raise InputError("light", type(schedules).__name__, "a Schedule or a list of Schedules")
    periods = {s.period for s in schedules}
    if len(periods) > 1:
        raise InputError("light", sorted(periods), "schedules in one batch with the same period")
    nb = max(len(s.times) for s in schedules)
    times = np.full((len(schedules), nb), np.inf)
    values = np.zeros((len(schedules), nb, N_INPUTS))
    counts = np.array([len(s.times) for s in schedules], dtype=np.int64)
    for i, s in enumerate(schedules):  # one copy per subject, not per sample
        times[i, : counts[i]] = s.times
        values[i, : counts[i]] = s.values
        values[i, counts[i]:] = s.values[-1]
    return ScheduleBatch(times, values, counts, periods.pop())
