"""Property tests: random itineraries (any direction, date line, 1-2 legs, options); every plan keeps its rules."""

import math
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pineal.plan import TripRequest, plan_trip
from pineal.plan.checks import violations
from pineal.plan.itinerary import airport

AIRPORTS = ["JFK", "LAX", "LHR", "CDG", "FRA", "NRT", "SYD", "SIN", "DXB", "GRU", "JNB", "ORD", "HNL", "AKL",
            "DEL", "TOS", "YVR", "MEX"]


def _hours(a, b) -> float:
    """Flight time from the great-circle distance at 800 km/h plus 40 min."""
    p, q = airport(a), airport(b)
    la1, la2, dl = map(math.radians, (p.lat, q.lat, q.lon - p.lon))
    c = math.acos(max(-1.0, min(1.0, math.sin(la1) * math.sin(la2) + math.cos(la1) * math.cos(la2) * math.cos(dl))))
    return min(20.0, 6371.0 * c / 800.0 + 0.67)


def _leg(a, b, depart_utc: datetime) -> tuple[str, datetime]:
    arrive = depart_utc + timedelta(hours=_hours(a, b))
    za, zb = airport(a).zone, airport(b).zone
    dep, arr = depart_utc.astimezone(za), arrive.astimezone(zb)
    return f"{a} {dep:%Y-%m-%d %H:%M} {b} {arr:%Y-%m-%d %H:%M}", arrive


@st.composite
def trips(draw):
    a = draw(st.sampled_from(AIRPORTS))
    b = draw(st.sampled_from([x for x in AIRPORTS if x != a]))
    from zoneinfo import ZoneInfo

    dep = datetime(2027, 1, 1, tzinfo=ZoneInfo("UTC")) + timedelta(days=draw(st.integers(0, 360)),
                                                                    minutes=15 * draw(st.integers(0, 95)))
    first, arrive = _leg(a, b, dep)
    legs = [first]
    if draw(st.booleans()):
        back = arrive + timedelta(days=draw(st.integers(1, 9)), hours=draw(st.integers(0, 12)))
        legs.append(_leg(b, a, back)[0])
    return {"legs": legs, "prep_days": draw(st.integers(0, 3)), "plane_sleep": draw(st.booleans()),
            "melatonin": draw(st.booleans()), "dose_mg": draw(st.sampled_from([0.5, 1.0, 3.0, 5.0])),
            "sleep": draw(st.sampled_from(["23:00-07:00", "22:00-06:00", "00:30-08:30"])), "population": 0}


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(trips())
def test_random_itineraries_keep_every_hard_rule(data):
    req = TripRequest.build(data)
    plan, eng, progs = plan_trip(req)
    assert violations(plan, eng.it, req.dose_mg, req.plane_sleep) == []
    flights = [(f.depart, f.arrive) for f in eng.it.flights]
    for i in plan.items:
        if i.kind not in ("flight", "flight_sleep"):
            assert not any(i.start < b and i.end > a for a, b in flights), i
        if i.kind == "flight_sleep":
            assert req.plane_sleep
        if i.kind == "melatonin":
            assert req.melatonin and progs["pineal plan"].dose_mg <= 5.0
    # nothing of a preparation is placed between leaving for the airport and landing
    for e in eng.it.episodes:
        assert not [i for i in plan.items if i.kind in ("light_seek", "melatonin")
                    and e.prep_until - timedelta(hours=2.5) <= i.start < e.start]
