"""The traveller's day on a 15-minute grid: where they are, daylight there, and the light of an ordinary day.

Model hour 0 is a UTC midnight (``Grid.t0``). The light of an ordinary day follows real-world measurements, not
500 lux from waking to sleep (params/plan.toml): indoor light while awake, a dim evening before sleep, an hour
outdoors after waking and half an hour at midday, each outdoors at the daylight of that place and instant (dark
outside → indoor light only), cabin light in flight, darkness asleep. Plan items then overwrite it: bright light
(light box or daylight) in a seek window, dim light in an avoidance window.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np

from pineal import params
from pineal.plan import daylight
from pineal.plan.itinerary import Itinerary
from pineal.schedule import Schedule

STEP_H = 0.25


@dataclass
class Grid:
    t0: datetime  # UTC midnight = model hour 0
    hours: np.ndarray  # (K,) start of each step, model hours
    in_flight: np.ndarray  # (K,) bool
    local_h: np.ndarray  # (K,) clock hour where the traveller is (departure zone's clock in flight)
    daylight: np.ndarray  # (K,) outdoor lux where the traveller is (0 in flight)
    _hours_of: dict = field(default_factory=dict, repr=False)  # model_h memo (plans ask for the same instants)

    @property
    def size(self) -> int:
        return self.hours.size

    def index(self, h: float) -> int:
        return min(max(round(h / STEP_H), 0), self.size)

    def instant(self, h: float) -> datetime:
        return self.t0 + timedelta(hours=float(h))

    def model_h(self, when: datetime) -> float:
        h = self._hours_of.get(when)
        if h is None:
            h = self._hours_of[when] = (when.astimezone(UTC) - self.t0) / timedelta(hours=1)
        return h


def make_grid(it: Itinerary, start: datetime, end: datetime) -> Grid:
    """Grid from the UTC midnight at or before ``start`` to ``end`` (aware instants)."""
    s = start.astimezone(UTC)
    t0 = datetime(s.year, s.month, s.day, tzinfo=UTC)
    n = int(np.ceil(((end.astimezone(UTC) - t0) / timedelta(hours=1)) / STEP_H))
    hours = STEP_H * np.arange(n)
    flight = np.zeros(n, bool)
    for f in it.flights:
        a, b = ((f.depart.astimezone(UTC) - t0) / timedelta(hours=1), (f.arrive.astimezone(UTC) - t0) / timedelta(
            hours=1))
        flight |= (hours + STEP_H > a) & (hours < b)
    local = np.empty(n)
    lux = np.zeros(n)
    for k in range(n):
        when = t0 + timedelta(hours=float(hours[k]) + STEP_H / 2)
        place = it.place_at(when)
        zone = (place or _flight_origin(it, when)).zone
        lt = when.astimezone(zone)
        local[k] = lt.hour + lt.minute / 60.0 - STEP_H / 2
        if place is not None and not flight[k]:
            lux[k] = daylight.outdoor_lux(place.lat, place.lon, when)
    return Grid(t0, hours, flight, local % 24.0, lux)


def _flight_origin(it: Itinerary, when: datetime):
    for f in it.flights:
        if f.depart <= when < f.arrive:
            return f.origin
    return it.home


def ordinary_light(grid: Grid, asleep: np.ndarray, main_wakes: list[float]) -> np.ndarray:
    """Lux on the grid for an ordinary day around the given sleep (see module docstring)."""
    p = params.load("plan")
    lux = np.where(grid.in_flight, p["cabin_lux"], p["indoor_day_lux"])
    onsets = np.flatnonzero(asleep[1:] & ~asleep[:-1]) + 1
    k_eve = round(p["evening_hours"] / STEP_H)
    for k in onsets:
        lo = max(0, k - k_eve)
        seg = slice(lo, k)
        lux[seg] = np.where(grid.in_flight[seg], lux[seg], p["evening_lux"])
    out = np.zeros(grid.size, bool)
    k_out = round((p["outdoor_hours"] - 0.5) / STEP_H)
    for w in main_wakes:
        k = grid.index(w + 1.0)
        out[k:k + k_out] = True
    midday = (grid.local_h >= 12.5) & (grid.local_h < 13.0)
    out |= midday
    out &= ~grid.in_flight
    lux = np.where(out, np.maximum(lux, grid.daylight), lux)
    return np.where(asleep, 0.0, lux)


def schedule_from(grid: Grid, lux: np.ndarray, asleep: np.ndarray) -> Schedule:
    """A non-repeating solver schedule from the grid arrays."""
    values = np.column_stack([lux, asleep.astype(float), np.zeros(grid.size)])
    return Schedule(grid.hours.copy(), values).simplify()
