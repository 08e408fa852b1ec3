"""Protocol format v2 (issue 8): moving episodes, pulse trains, seconds, and the bugs found in v1."""

import numpy as np
import pytest

from pineal.errors import InputError
from pineal.protocols import Protocol, lux_at


def proto(days=3, **tables):
    data = {"protocol": {"name": "t", "days": days, **tables.pop("protocol", {})}, **tables}
    return Protocol.from_dict(data)


def test_sleep_moves_each_day():
    p = proto(sleep=[{"start": "23:00", "end": "07:00", "days": "1-3", "shift_h_per_day": -1.0}])
    assert [(s.start_h, s.end_h) for s in p.episodes().sleep] == [(23.0, 31.0), (46.0, 54.0), (69.0, 77.0)]


def test_pulse_train_inside_a_window():
    p = proto(days=1, light=[{"start": "06:00", "end": "09:30", "lux": 5000, "days": 1, "count": 4, "on_min": 30,
                              "off_min": 30}])
    ep = p.episodes()
    assert [(iv.start_h, iv.end_h) for iv in ep.light] == [(6.0, 6.5), (7.0, 7.5), (8.0, 8.5), (9.0, 9.5)]
    assert lux_at(ep, 6.75) == ep.background_lux and lux_at(ep, 7.25) == 5000


def test_pulse_train_that_does_not_fit_is_an_error():
    with pytest.raises(InputError, match="more than the"):
        proto(light=[{"start": "06:00", "end": "07:00", "lux": 5000, "count": 4, "on_min": 30, "off_min": 30}])
    with pytest.raises(InputError, match="together"):
        proto(light=[{"start": "06:00", "end": "07:00", "lux": 5000, "count": 4}])


def test_seconds_in_clock_times():
    p = proto(days=1, light=[{"start": "21:00:00", "end": "21:00:15", "lux": 9500, "days": 1}])
    iv = p.episodes().light[0]
    assert iv.end_h - iv.start_h == pytest.approx(15 / 3600)
    with pytest.raises(InputError):
        proto(light=[{"start": "21:00:61", "end": "22:00", "lux": 9500}])


def test_doses_beyond_60_days_run():
    """v1 bug: the PK model's 1440-h limit made any protocol longer than 60 days with doses fail."""
    import pineal

    p = proto(days=70, dose=[{"amount": "0.5 mg", "time": "21:00", "days": [1, 69]}],
              measure=[{"marker": "dlmo", "day": 68}])
    out = pineal.simulate(p, dt=0.25)
    exo = out.treatment.exogenous[0]
    t = out.treatment.times
    assert exo[(t > 68 * 24 + 21.5) & (t < 68 * 24 + 23)].max() > 50.0  # the day-69 dose is there
    assert exo[(t > 30 * 24) & (t < 60 * 24)].max() < 1e-6


def test_unknown_timezone_is_an_error():
    assert proto(protocol={"timezone": "Europe/London"}).model.protocol.timezone == "Europe/London"
    with pytest.raises(InputError, match="timezone"):
        proto(protocol={"timezone": "Mars/Olympus"})


def test_dlmoff_with_phase_definition_is_an_error():
    with pytest.raises(InputError, match="threshold"):
        proto(measure=[{"marker": "dlmoff", "day": 1, "definition": "phase"}])


def test_overlapping_light_later_entry_wins():
    p = proto(days=1, light=[{"start": "18:00", "end": "22:00", "lux": 5, "days": 1},
                             {"start": "19:00", "end": "20:00", "lux": 8000, "days": 1}])
    s = p.schedule()
    assert s.lux(np.array([18.5, 19.5, 21.0])).tolist() == [5.0, 8000.0, 5.0]
    q = proto(days=1, light=[{"start": "19:00", "end": "20:00", "lux": 8000, "days": 1},
                             {"start": "18:00", "end": "22:00", "lux": 5, "days": 1}])
    assert q.schedule().lux(np.array([19.5])).tolist() == [5.0]


def test_all_nights_cover_the_start_of_day_1():
    """v1 bug: [[sleep]] 23:00-07:00 days = "all" left 00:00-07:00 of day 1 awake in background light."""
    p = proto(sleep=[{"start": "23:00", "end": "07:00", "days": "all"}])
    ep = p.episodes()
    assert (ep.sleep[0].start_h, ep.sleep[0].end_h) == (0.0, 7.0)
    assert lux_at(ep, 3.0) == 0.0 and p.schedule().at(np.array([3.0]))[0, 1] == 1.0
    # a single listed day means that day's own night only
    q = proto(sleep=[{"start": "23:00", "end": "07:00", "days": [1]}])
    assert (q.episodes().sleep[0].start_h, q.episodes().sleep[0].end_h) == (23.0, 31.0)
