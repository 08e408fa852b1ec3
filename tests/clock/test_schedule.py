"""Piecewise-constant inputs: construction, evaluation, validation (issue 3, item 2)."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pineal import schedule
from pineal.errors import InputError


def test_daily_pattern_values():
    s = schedule.daily("23:00", "07:00", lux=500.0)
    assert s.period == 24.0
    t = np.array([0.0, 6.99, 7.0, 12.0, 22.99, 23.0, 31.0, 47.5])
    lux = s.lux(t)
    assert lux.tolist() == [0.0, 0.0, 500.0, 500.0, 500.0, 0.0, 500.0, 0.0]
    assert s.at(t)[:, schedule.SLEEP].tolist() == [1, 1, 0, 0, 0, 1, 0, 1]


def test_daily_expanded_and_episode():
    s = schedule.daily("22:30", "06:30", lux=300.0, days=3).with_light(30.25, 31.25, 8000.0)
    assert s.period == 0
    assert s.lux([29.0, 30.25, 31.0, 31.25]).tolist() == [0.0, 8000.0, 8000.0, 300.0]
    assert s.lux([33.0]).tolist() == [300.0]
    assert s.at([30.5])[0, schedule.SLEEP] == 0.0


def test_episode_on_periodic_schedule_expands():
    s = schedule.daily().with_light(110.0, 111.0, 10000.0)
    assert s.period == 0
    room = schedule.ROOM_LUX
    assert s.lux([109.5, 110.5, 111.5, 110.5 + 24, 99.5]).tolist() == [room, 10000.0, room, room, 0.0]


@pytest.mark.parametrize("bad", [-1.0, math.nan, math.inf])
def test_bad_lux_is_input_error(bad):
    with pytest.raises(InputError) as err:
        schedule.constant(bad)
    assert err.value.field == "light"
    with pytest.raises(InputError):
        schedule.daily(lux=bad)
    with pytest.raises(InputError):
        schedule.constant(10.0).with_light(1.0, 2.0, bad)


def test_bad_episode_and_clock_inputs():
    with pytest.raises(InputError):
        schedule.constant(10.0).with_light(2.0, 1.0, 100.0)
    with pytest.raises(InputError):
        schedule.constant(10.0).with_light(math.nan, 1.0, 100.0)
    with pytest.raises(InputError):
        schedule.daily("25:00", "07:00")
    with pytest.raises(InputError):
        schedule.daily("07:00", "07:00")
    with pytest.raises(InputError):
        schedule.Schedule(np.array([0.0, 0.0]), np.zeros((2, 3)))


def test_stack_pads_per_subject():
    a = schedule.constant(0.0)
    b = schedule.constant(0.0).with_light([1.0, 5.0], [2.0, 6.0], 100.0)
    batch = schedule.stack([a, b])
    assert batch.times.shape == (2, 5)
    assert batch.counts.tolist() == [1, 5]
    assert np.isinf(batch.times[0, 1:]).all()
    with pytest.raises(InputError):
        schedule.stack([schedule.daily(), a])


episodes = st.lists(
    st.tuples(st.floats(0, 200), st.floats(0.01, 20), st.floats(0, 1e5)), min_size=0, max_size=8)


@settings(max_examples=60, deadline=None)
@given(episodes, st.floats(0, 1000))
def test_episodes_match_bruteforce(eps, background):
    s = schedule.constant(background)
    for start, dur, lux in eps:
        s = s.with_light(start, start + dur, lux)
    t = np.linspace(0.0, 230.0, 2001)
    expected = np.full(t.shape, background)
    for start, dur, lux in eps:  # later episodes win
        expected[(t >= start) & (t < start + dur)] = lux
    assert np.array_equal(s.lux(t), expected)
    assert np.all(np.diff(s.times) > 0)
    assert np.all(s.values[:, schedule.LUX] >= 0)


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 23 * 60 + 59), st.integers(0, 23 * 60 + 59), st.floats(0, 1e5))
def test_daily_parses_any_clock_times(m_sleep, m_wake, lux):
    if m_sleep == m_wake:
        return
    sleep, wake = f"{m_sleep // 60:02d}:{m_sleep % 60:02d}", f"{m_wake // 60:02d}:{m_wake % 60:02d}"
    s = schedule.daily(sleep, wake, lux=lux)
    t = np.arange(0.0, 48.0, 1 / 60.0) + 1e-6
    asleep = ((t % 24 - m_sleep / 60) % 24) < ((m_wake - m_sleep) / 60) % 24
    assert np.array_equal(s.at(t)[:, schedule.SLEEP] == 1.0, asleep)
    assert np.all(np.isfinite(s.lux(t)))
