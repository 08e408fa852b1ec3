"""Protocol format v2 (issue 8): times relative to the subject's own DLMO, CBTmin, habitual bedtime or wake."""

from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pineal
from pineal import relative_times
from pineal.errors import InputError
from pineal.protocols import Protocol
from pineal.relative_times import Anchors, TimeOfDay

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = sorted((ROOT / "src/pineal/experiments/protocols").glob("*.toml")) + sorted(ROOT.glob("benchmarks/*.toml"))
HOME_NIGHTS = [{"start": "23:00", "end": "07:00", "days": "all"}]


def proto(days=3, **tables):
    data = {"protocol": {"name": "t", "days": days, **tables.pop("protocol", {})}, **tables}
    return Protocol.from_dict(data, source="t.toml")


@pytest.mark.parametrize(("text", "parsed"), [
    ("21:30", TimeOfDay(None, 21.5)), ("DLMO-5:00", TimeOfDay("dlmo", -5.0)), ("dlmo+2:30", TimeOfDay("dlmo", 2.5)),
    ("CBTmin", TimeOfDay("cbtmin", 0.0)), (" bedtime - 0:30 ", TimeOfDay("bedtime", -0.5)),
    ("Wake+0:00:15", TimeOfDay("wake", 15 / 3600)), ("DLMO+14:00", TimeOfDay("dlmo", 14.0))])
def test_relative_times_parse(text, parsed):
    got = relative_times.parse(text)
    assert got.anchor == parsed.anchor and got.hours == pytest.approx(parsed.hours, abs=1e-12)


@given(anchor=st.sampled_from(relative_times.ANCHORS), minutes=st.integers(-(24 * 60 - 1), 24 * 60 - 1))
def test_offsets_round_trip(anchor, minutes):
    text = f"{anchor}{'-' if minutes < 0 else '+'}{abs(minutes) // 60}:{abs(minutes) % 60:02d}"
    assert relative_times.parse(text) == TimeOfDay(anchor, pytest.approx(minutes / 60.0))


@given(text=st.one_of(st.text(max_size=16), st.from_regex(r"\A(?i:dlmo|cbtmin|bedtime|wake|sunset)\s?[+\-*]?\d{0,3}"
                                                          r":?\d{0,3}(:\d{0,3})?\Z")))
def test_any_time_text_parses_or_is_a_clear_error(text):
    try:
        t = relative_times.parse(text, "light.0.start")
    except InputError as err:
        assert "light.0.start" in str(err) and "DLMO" in str(err)
        return
    assert t.anchor in (None, *relative_times.ANCHORS) and -24.0 < t.hours < 24.0


@pytest.mark.parametrize(("text", "why"), [
    ("sunrise+1:00", "unknown anchor"), ("DLMO+24:00", "not below 24"), ("DLMO+1:75", "allowed"),
    ("DLMO*2", "allowed"), ("DLMO+2", "allowed"), ("25:00", "allowed"), ("", "allowed")])
def test_bad_relative_times_are_clear_errors(text, why):
    with pytest.raises(InputError, match=why) as err:
        proto(light=[{"start": text, "end": "23:00", "lux": 1000}])
    assert "light.0.start" in str(err.value) and "DLMO" in str(err.value)
    with pytest.raises(InputError, match="dose.0.time"):
        proto(dose=[{"amount": "1 mg", "time": text}])


def test_resolution_with_given_anchors():
    """A Burgess 2013 night: four 30-min pulses from DLMO + 2.5 h, then sleep; the pill 5 h before DLMO."""
    p = proto(light=[{"start": "DLMO+2:30", "end": "DLMO+6:00", "lux": 5000, "days": 2, "count": 4, "on_min": 30,
                      "off_min": 30}],
              sleep=[{"start": "DLMO+6:00", "end": "DLMO+15:00", "days": 2}],
              dose=[{"amount": "0.5 mg", "time": "DLMO-5:00", "days": [2, 3]}])
    ep = p.episodes(anchors=Anchors(dlmo=21.5, cbtmin=4.5, bedtime=23.0, wake=7.0))
    assert [(iv.start_h, iv.end_h) for iv in ep.light] == [(48.0, 48.5), (49.0, 49.5), (50.0, 50.5), (51.0, 51.5)]
    assert [(iv.start_h, iv.end_h) for iv in ep.sleep] == [(51.5, 60.5)]
    assert [d.time_h for d in ep.doses] == [40.5, 64.5]
    late = p.episodes(anchors=Anchors(dlmo=23.0, cbtmin=6.0, bedtime=23.0, wake=7.0))
    assert late.light[0].start_h == 49.5 and late.doses[0].time_h == 42.0  # everything moves with the DLMO


def test_bedtime_and_wake_come_from_the_habitual_schedule_without_a_run():
    p = proto(habitual={"sleep": "00:30", "wake": "08:30"}, sleep=[{"start": "bedtime", "end": "wake", "days": 2}],
              dose=[{"amount": "0.5 mg", "time": "bedtime-5:00", "days": 2}])
    a = p.anchors()
    assert (a.bedtime, a.wake) == (24.5, 8.5) and np.isnan(a.dlmo)  # no simulation needed
    ep = p.episodes()
    assert (ep.sleep[0].start_h, ep.sleep[0].end_h) == (48.5, 56.5) and ep.doses[0].time_h == 43.5


def test_anchors_are_the_subjects_own_entrained_markers():
    """On the habitual schedule, the baseline DLMO is the run's own DLMO on an evening in dim light (7 h of 3 lux
    before bedtime, a phase assessment) and the baseline CBTmin the run's own; a longer intrinsic period (the
    protocol's subject) gives a later baseline."""
    base = {"habitual": {"sleep": "23:00", "wake": "07:00", "lux": 150}, "sleep": HOME_NIGHTS,
            "light": [{"start": "16:00", "end": "bedtime", "lux": 3, "days": 2},
                      {"start": "CBTmin", "end": "CBTmin+0:01", "lux": 0, "days": 1}]}  # asleep: no effect
    out = pineal.simulate(proto(**base))
    a = out.anchors
    day = out.per_day()
    assert day["dlmo"][1] - 24.0 == pytest.approx(a.dlmo, abs=2 / 60)
    assert day["cbtmin"][1] - 24.0 == pytest.approx(a.cbtmin, abs=2 / 60)
    assert day["dlmo"][0] >= a.dlmo  # day 1's evening in room light: not earlier than in dim light
    slow = proto(**base, subject={"tau_h": 24.6}).anchors()
    assert slow.dlmo > a.dlmo + 0.25 and slow.cbtmin > a.cbtmin + 0.25


def test_dlmo_definition_of_the_anchor_and_light_only_models():
    p = proto(sleep=HOME_NIGHTS, dose=[{"amount": "1 mg", "time": "DLMO-2:00", "days": 2}])
    saliva = proto(sleep=HOME_NIGHTS, habitual={"dlmo_definition": "saliva_3"},
                   dose=[{"amount": "1 mg", "time": "DLMO-2:00", "days": 2}])
    assert saliva.anchors().dlmo != pytest.approx(p.anchors().dlmo, abs=1e-3)
    with pytest.raises(InputError, match="habitual.dlmo_definition") as err:
        p.anchors("jewett1999")
    assert "no melatonin" in str(err.value)
    phase = proto(sleep=HOME_NIGHTS, habitual={"dlmo_definition": "phase"},
                  light=[{"start": "DLMO+2:00", "end": "DLMO+3:00", "lux": 3000, "days": 2}])
    a = phase.anchors("jewett1999")
    # the phase convention: 7 h before the next CBTmin (after the dim evening, which moves it a little)
    assert 6.5 < a.cbtmin + 24.0 - a.dlmo < 7.5 and a.bedtime == 23.0


def test_relative_content_errors():
    with pytest.raises(InputError, match="inside the protocol") as err:  # 8 h before CBTmin on day 1: day 0
        proto(sleep=HOME_NIGHTS, dose=[{"amount": "1 mg", "time": "CBTmin-8:00", "days": 1}]).episodes()
    assert "dose[0].time" in str(err.value)
    train = proto(light=[{"start": "DLMO", "end": "03:00", "lux": 5000, "count": 10, "on_min": 30, "off_min": 30}])
    with pytest.raises(InputError, match="more than the") as err:  # mixed anchors: checked once resolved
        train.episodes(anchors=Anchors(dlmo=22.0, cbtmin=4.0, bedtime=23.0, wake=7.0))
    assert "light[0]" in str(err.value)
    with pytest.raises(InputError, match="more than the"):  # same anchor: checked when the file is read
        proto(light=[{"start": "DLMO", "end": "DLMO+1:00", "lux": 5000, "count": 3, "on_min": 30, "off_min": 30}])
    with pytest.raises(InputError, match="do not overlap"):
        proto(sleep=[*HOME_NIGHTS, {"start": "bedtime-1:00", "end": "bedtime+1:00", "days": 2}]).episodes()


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_protocol_runs(path):
    """Format v2 is a superset: the shipped v1 files (no relative times) run as before; every file runs."""
    p = Protocol.from_toml(path)
    if not path.name.startswith("burgess2013"):
        assert p.anchors_used() == set() and p.anchors() is None
    out = pineal.simulate(p)
    rows = out.markers()
    assert rows and all(np.isfinite(r.get("treatment_h", r.get("treatment_value"))) for r in rows)
    assert out.episodes == p.episodes(anchors=out.anchors)


def test_burgess2013_light_follows_each_subjects_dlmo():
    """The Burgess 2013 files: the first pulse 2.5 h after the subject's own baseline DLMO, the second evening 1 h
    later; the baseline DLMO is the run's own dim-light DLMO on day 1; the light delays the DLMO."""
    for arm in ("long", "short"):
        out = pineal.simulate(ROOT / f"src/pineal/experiments/protocols/burgess2013_{arm}_nights.toml")
        a = out.anchors
        bright = [iv for iv in out.episodes.light if iv.lux == 5000]
        assert [iv.start_h for iv in bright] == pytest.approx([24 + a.dlmo + 2.5 + k for k in range(4)]
                                                              + [48 + a.dlmo + 3.5 + k for k in range(4)])
        dlmo1, dlmo4 = (r["treatment_h"] for r in out.markers()[:2])
        assert dlmo1 == pytest.approx(a.dlmo, abs=2 / 60)
        assert dlmo4 - 72.0 > dlmo1 + 0.2  # a delay
