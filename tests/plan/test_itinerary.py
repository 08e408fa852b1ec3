"""Itineraries in instants: shifts from UTC offsets at each instant, date line, DST, stays, bad input."""

import pytest

from pineal.errors import InputError
from pineal.plan import TripRequest
from pineal.plan.itinerary import build, wrap_shift


def episodes(*legs, **kw):
    return build(TripRequest.build({"legs": list(legs), **kw})).episodes


def test_east_and_west():
    assert [e.shift_h for e in episodes("JFK 2027-01-10 18:30 LHR 2027-01-11 06:30")] == [5.0]
    assert [e.shift_h for e in episodes("LHR 2027-01-10 11:00 JFK 2027-01-10 14:00")] == [-5.0]


def test_date_line_both_ways():
    # Chicago -> Tokyo is a 9-h delay (24 - 15), not a 15-h advance; the calendar date jumps forward
    assert [e.shift_h for e in episodes("ORD 2027-03-01 12:00 NRT 2027-03-02 15:30")] == [-9.0]
    # Tokyo -> Los Angeles: arrives on the "same" date, earlier than it left; a 7-h advance (Tokyo +9, LA -8)
    assert [e.shift_h for e in episodes("NRT 2027-01-10 17:00 LAX 2027-01-10 10:00")] == [7.0]


def test_twelve_hour_shift_is_wrapped_to_plus_twelve():
    assert wrap_shift(-12.0) == 12.0
    assert [abs(e.shift_h) for e in episodes("JFK 2027-07-10 22:00 SIN 2027-07-12 06:00")] == [12.0]


def test_dst_change_mid_trip_uses_offsets_at_the_instants():
    # London -> New York in March: the US changes clocks on 14 March, the UK on 28 March; the return leg after
    # the US change sees a 4-h difference, not 5
    eps = episodes("LHR 2027-03-05 11:00 JFK 2027-03-05 14:00", "JFK 2027-03-20 18:00 LHR 2027-03-21 05:00")
    assert [e.shift_h for e in eps] == [-5.0, 4.0]


def test_three_legs_in_opposite_directions():
    eps = episodes("LHR 2027-05-01 10:00 JFK 2027-05-01 13:00", "JFK 2027-05-06 09:00 LAX 2027-05-06 12:30",
                   "LAX 2027-05-12 14:00 LHR 2027-05-13 08:30")
    assert [e.shift_h for e in eps] == [-5.0, -3.0, 8.0]


def test_two_night_trip_stays_on_home_time():
    assert episodes("JFK 2027-01-10 18:30 LHR 2027-01-11 06:30", "LHR 2027-01-13 10:00 JFK 2027-01-13 13:00") == ()


def test_short_layover_plans_through_to_the_destination():
    eps = episodes("LHR 2027-02-01 10:00 DXB 2027-02-01 20:00", "DXB 2027-02-02 02:00 SYD 2027-02-02 22:00")
    assert len(eps) == 1 and eps[0].target.key == "Australia/Sydney" and eps[0].shift_h == 11.0


@pytest.mark.parametrize("data, field", [
    ({"legs": ["XXX 2027-01-10 18:30 LHR 2027-01-11 06:30"]}, "origin"),
    ({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-10 06:30"]}, "arrive"),
    ({"legs": ["JFK 2027-01-10 LHR 2027-01-11 06:30"]}, "legs[0]"),
    ({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30", "CDG 2027-01-20 10:00 JFK 2027-01-20 13:00"]}, "origin"),
    ({"legs": ["JFK 2027-03-14 02:30 LHR 2027-03-14 14:30"]}, "depart"),  # in the US spring-forward gap
    ({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"], "dose_mg": 6}, "dose_mg"),
    ({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"], "dose_mg": 0.1}, "dose_mg"),
    ({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"], "prep_days": 8}, "prep_days"),
    ({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"], "sleep": "23:00-01:00"}, "sleep"),
    ({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"], "colour": "blue"}, "colour"),
    ({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"], "dlmo": "21:00", "chronotype": "late"}, "plan"),
])
def test_bad_input_names_the_field(data, field):
    with pytest.raises(InputError) as err:
        build(TripRequest.build(data, source="plan"))
    assert field in str(err.value)


def test_trip_file(tmp_path):
    f = tmp_path / "trip.toml"
    f.write_text('sleep = "23:30-07:30"\nprep_days = 2\n[[legs]]\norigin = "SFO"\ndepart = "2027-06-01 17:00"\n'
                 'destination = "FRA"\narrive = "2027-06-02 13:00"\n')
    req = TripRequest.from_toml(f)
    assert req.prep_days == 2 and build(req).episodes[0].shift_h == 9.0
