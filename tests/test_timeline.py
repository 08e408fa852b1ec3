"""Clock-time parsing and conversion (timeline.py): the only place clock times become model hours."""

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pineal.errors import InputError
from pineal.timeline import Clock, format_clock, hours_between, next_clock_time, parse_clock_hours, parse_datetime


@given(st.integers(0, 23), st.integers(0, 59))
def test_hhmm_roundtrip(h, m):
    hours = parse_clock_hours(f"{h:02d}:{m:02d}")
    assert format_clock(hours) == f"{h:02d}:{m:02d}"


@given(st.text(max_size=12))
def test_clock_parser_only_raises_input_error(text):
    try:
        h = parse_clock_hours(text)
    except InputError as err:
        assert str(err).startswith("time:")
        return
    assert 0 <= h < 24


@pytest.mark.parametrize("bad", ["24:00", "12:60", "7", "noon", "", "12:5", "-1:00"])
def test_bad_clock_times(bad):
    with pytest.raises(InputError, match="HH:MM"):
        parse_clock_hours(bad)


def test_iso_with_offset_and_zone_name():
    a = parse_datetime("2026-03-01T21:00+01:00")
    b = parse_datetime("2026-03-01T21:00 Europe/Paris")
    assert a == b and a.utcoffset() == timedelta(hours=1)


def test_naive_iso_is_rejected():
    with pytest.raises(InputError, match="time zone"):
        parse_datetime("2026-03-01T21:00")


def test_dst_aware_hours():
    """Across the spring-forward night in Paris, 00:00 -> 06:00 local is 5 elapsed hours."""
    z = ZoneInfo("Europe/Paris")
    start = datetime(2026, 3, 29, 0, 0, tzinfo=z)
    end = datetime(2026, 3, 29, 6, 0, tzinfo=z)
    assert hours_between(start, end) == pytest.approx(5.0)
    c = Clock(start)
    assert c.clock_text(c.hours(end)) == "06:00"


@given(st.floats(0, 200), st.floats(0, 23.99))
def test_next_clock_time_is_the_first_later_occurrence(after, clock):
    t = next_clock_time(after, clock)
    assert after < t <= after + 24.0 + 1e-9
    assert (t % 24.0) == pytest.approx(clock, abs=1e-9)


def test_clock_uses_aware_datetimes():
    c = Clock(datetime(2026, 1, 1, tzinfo=UTC))
    assert c.hours(datetime(2026, 1, 2, 1, 0, tzinfo=UTC)) == pytest.approx(25.0)
