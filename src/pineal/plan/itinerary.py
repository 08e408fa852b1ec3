"""An itinerary in instants: airports (``airportsdata``), legs as UTC intervals, stays and what each stay adapts to.

Every instant is aware; UTC offsets come from ``zoneinfo`` at each local instant, so DST during a stay and the
date line are handled by the zone database, never by calendar-day arithmetic. The *target* of a stay is the zone
the body clock should follow there: the stop's own zone for a stay of more than ``short_stay_nights`` nights,
else the previous target (home time on a short trip; CDC 2024, Arendt 2009). Each change of target is one
adaptation :class:`Episode` whose shift is the difference of UTC offsets at the arrival instant.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

from pineal import params
from pineal.errors import InputError
from pineal.plan.request import TripRequest

MAX_FLIGHT_H = 22.0
MAX_TRIP_DAYS = 60


@dataclass(frozen=True)
class Airport:
    iata: str
    name: str
    city: str
    lat: float
    lon: float
    zone: ZoneInfo

    @property
    def label(self) -> str:
        return f"{self.iata} ({self.city})" if self.city else self.iata


@cache
def _airports() -> dict:
    import airportsdata

    return airportsdata.load("IATA")


def airport(code: str, field: str = "airport") -> Airport:
    """An airport by IATA code (time zone, latitude and longitude from ``airportsdata``)."""
    row = _airports().get(code.strip().upper())
    if row is None:
        raise InputError(field, code, "a known IATA airport code (airportsdata), e.g. JFK, LHR, NRT")
    return Airport(row["iata"], row["name"], row.get("city", ""), float(row["lat"]), float(row["lon"]),
                   ZoneInfo(row["tz"]))


@dataclass(frozen=True)
class Flight:
    origin: Airport
    destination: Airport
    depart: datetime  # aware, origin zone
    arrive: datetime  # aware, destination zone

    @property
    def hours(self) -> float:
        return (self.arrive.astimezone(UTC) - self.depart.astimezone(UTC)) / timedelta(hours=1)


@dataclass(frozen=True)
class Stay:
    """Time at one place between flights (``end`` None: the last stop, for ``nights`` nights)."""

    place: Airport
    start: datetime
    end: datetime
    nights: int
    target: ZoneInfo  # the zone the body clock follows during this stay
    adapts: bool  # True if this stay's own zone is the target


@dataclass(frozen=True)
class Episode:
    """One change of the body-clock target: ``shift_h`` > 0 means the target clock is ahead (an advance)."""

    index: int
    start: datetime  # arrival instant (UTC) at the stay that changes the target
    end: datetime  # when the next target starts, or the end of the trip
    prep_until: datetime  # departure of the first flight of this change (preparation happens before it)
    source: ZoneInfo
    target: ZoneInfo
    shift_h: float  # wrapped to (-12, 12]
    nights: int
    place: Airport

    @property
    def partial(self) -> bool:
        return self.nights <= params.load("plan")["partial_stay_nights"]


@dataclass(frozen=True)
class Itinerary:
    home: Airport
    flights: tuple[Flight, ...]
    stays: tuple[Stay, ...]
    episodes: tuple[Episode, ...]

    @property
    def start(self) -> datetime:
        return self.flights[0].depart

    @property
    def end(self) -> datetime:
        return self.stays[-1].end

    def place_at(self, when: datetime) -> Airport | None:
        """Where the traveller is at an instant (None while in flight)."""
        t = when.astimezone(UTC)
        for f in self.flights:
            if f.depart.astimezone(UTC) <= t < f.arrive.astimezone(UTC):
                return None
        if t < self.flights[0].depart.astimezone(UTC):
            return self.home
        for s in self.stays:
            if t < s.end.astimezone(UTC):
                return s.place
        return self.stays[-1].place

    def target_at(self, when: datetime) -> ZoneInfo:
        t = when.astimezone(UTC)
        target = self.home.zone
        for s in self.stays:
            if t >= s.start.astimezone(UTC):
                target = s.target
        for e in self.episodes:  # preparation days already point at nothing new: the target moves on arrival
            if t >= e.start.astimezone(UTC):
                target = e.target
        return target


def offset_h(zone: ZoneInfo, when: datetime) -> float:
    return when.astimezone(zone).utcoffset() / timedelta(hours=1)


def wrap_shift(delta_h: float) -> float:
    """A clock difference wrapped to (-12, 12] h."""
    d = (delta_h + 12.0) % 24.0 - 12.0
    return 12.0 if d == -12.0 else d


def _local(text: str, zone: ZoneInfo, field: str) -> datetime:
    try:
        naive = datetime.strptime(text, "%Y-%m-%d %H:%M")
    except ValueError:
        raise InputError(field, text, "a real local date-time 'YYYY-MM-DD HH:MM'") from None
    aware = naive.replace(tzinfo=zone)
    # a wall time skipped by a spring-forward change does not exist there
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != naive:
        raise InputError(field, text, f"a local time that exists in {zone.key} (it falls in a DST gap)")
    return aware


def build(req: TripRequest) -> Itinerary:
    """Resolve airports and times, check the legs chain, and derive stays and adaptation episodes."""
    p = params.load("plan")
    flights = []
    for i, leg in enumerate(req.legs):
        o, d = airport(leg.origin, f"legs[{i}].origin"), airport(leg.destination, f"legs[{i}].destination")
        dep, arr = _local(leg.depart, o.zone, f"legs[{i}].depart"), _local(leg.arrive, d.zone, f"legs[{i}].arrive")
        f = Flight(o, d, dep, arr)
        if o.iata == d.iata:
            raise InputError(f"legs[{i}]", f"{o.iata} -> {d.iata}", "a flight between two different airports")
        if not 0.25 <= f.hours <= MAX_FLIGHT_H:
            raise InputError(f"legs[{i}].arrive", leg.arrive, f"an arrival 0.25-{MAX_FLIGHT_H:g} h after the "
                             f"departure (this leg lasts {f.hours:.1f} h in real time; times are local to each "
                             "airport)")
        if flights:
            prev = flights[-1]
            if prev.destination.iata != o.iata:
                raise InputError(f"legs[{i}].origin", o.iata, f"the previous leg's destination {prev.destination.iata}")
            if f.depart.astimezone(UTC) < prev.arrive.astimezone(UTC) + timedelta(minutes=30):
                raise InputError(f"legs[{i}].depart", leg.depart, f"a departure at least 30 min after the previous "
                                 f"arrival ({prev.arrive:%Y-%m-%d %H:%M} {prev.destination.iata})")
        flights.append(f)
    last = flights[-1]
    home = flights[0].origin
    returns_home = last.destination.zone.key == home.zone.key or \
        abs(offset_h(last.destination.zone, last.arrive) - offset_h(home.zone, last.arrive)) < 0.01
    final_nights = req.stay_nights if req.stay_nights is not None else 7 if not returns_home else 5
    total_days = (last.arrive - flights[0].depart).total_seconds() / 86400 + final_nights
    if total_days > MAX_TRIP_DAYS:
        raise InputError("legs", f"{total_days:.0f} days", f"a trip of at most {MAX_TRIP_DAYS} days")
    stays, episodes = [], []
    target = home.zone
    prep_from = flights[0].depart
    for i, f in enumerate(flights):
        end = flights[i + 1].depart if i + 1 < len(flights) else \
            (f.arrive + timedelta(days=final_nights)).replace(hour=12, minute=0)
        nights = (end.astimezone(f.destination.zone).date() - f.arrive.date()).days
        long_stay = nights > p["short_stay_nights"] or (i + 1 == len(flights) and returns_home)
        new_target = f.destination.zone if long_stay else target
        shift = wrap_shift(offset_h(new_target, f.arrive) - offset_h(target, f.arrive))
        if long_stay and abs(shift) > 1e-9:
            episodes.append(Episode(len(episodes), f.arrive.astimezone(UTC), end.astimezone(UTC), prep_from,
                                    target, new_target, shift, nights, f.destination))
        if long_stay:
            target = new_target
        if long_stay:  # the next change is prepared for before the first flight after this stay
            prep_from = flights[i + 1].depart if i + 1 < len(flights) else end
        stays.append(Stay(f.destination, f.arrive, end, nights, target, new_target == f.destination.zone))
    # an episode lasts until the next one starts
    fixed = [e if k + 1 == len(episodes) else _until(e, episodes[k + 1].prep_until) for k, e in enumerate(episodes)]
    return Itinerary(home, tuple(flights), tuple(stays), tuple(fixed))


def _until(e: Episode, end: datetime) -> Episode:
    from dataclasses import replace

    return replace(e, end=end)
