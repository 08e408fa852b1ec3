"""Protocol files: the shipped examples load; bad content gives a clear error naming the field (issue 4)."""

import copy
import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pineal.errors import InputError
from pineal.protocols import Protocol, expand_days

EXAMPLES = Path(__file__).resolve().parents[1] / "src/pineal/experiments/protocols"
BASE = tomllib.loads((EXAMPLES / "burgess2008.toml").read_text())


@pytest.mark.parametrize("name", ["burgess2008", "burgess2010"])
def test_examples_load(name):
    p = Protocol.from_toml(EXAMPLES / f"{name}.toml")
    ep = p.episodes()
    assert len(ep.doses) == 3 and ep.hours == 144.0
    assert [d.time_h % 24 for d in ep.doses] == [17.0, 17.0, 17.0]
    assert p.episodes(placebo=True).doses == ()
    # ultradian: a 1.5 h sleep every 4 h on days 2-4, plus the last home night
    assert len(ep.sleep) == 1 + 3 * 6
    assert p.model.habitual.sleep == "23:00" and p.model.habitual.lux == 150


def mutate(path, value):
    data = copy.deepcopy(BASE)
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [(("protocol", "colour"), "red", "protocol.colour"),
     (("light", 0, "lux"), -5, "light.0.lux"),
     (("light", 0, "lux"), float("nan"), "light.0.lux"),
     (("dose", 0, "amount"), 3, "dose.0.amount"),
     (("dose", 0, "amount"), "3", "dose.0.amount"),
     (("dose", 0, "amount"), "3 tsp", "dose.0.amount"),
     (("dose", 0, "days"), "2-9", "days"),
     (("dose", 0, "route"), "rectal", "dose.0.route"),
     (("sleep", 0, "start"), "25:00", "sleep.0.start"),
     (("measure", 1, "day"), 9, "protocol"),
     (("protocol", "days"), 0, "protocol.days"),
     (("protocol", "name"), KeyError, "protocol.name")],
)
def test_bad_content_is_a_clear_error(path, value, field):
    with pytest.raises(InputError) as err:
        Protocol.from_dict(mutate(path, value), source="x.toml").episodes()
    msg = str(err.value)
    assert msg.startswith("x.toml: ") and field.split(".")[0] in msg and "allowed:" in msg


def test_overlapping_sleep_is_an_error():
    data = copy.deepcopy(BASE)
    data["sleep"].append({"start": "02:00", "end": "04:00", "days": 1})  # inside the last home night
    with pytest.raises(InputError, match="do not overlap"):
        Protocol.from_dict(data, source="x.toml").episodes()


def test_malformed_and_missing_files(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text("[protocol\nname=")
    with pytest.raises(InputError, match="valid TOML"):
        Protocol.from_toml(bad)
    with pytest.raises(InputError, match="existing TOML"):
        Protocol.from_toml(tmp_path / "none.toml")


@given(st.one_of(st.integers(-5, 15), st.lists(st.integers(-5, 15), max_size=4), st.text(max_size=6)))
def test_day_specs_either_parse_within_range_or_raise(spec):
    try:
        days = expand_days(spec, 10)
    except InputError:
        return
    assert days and all(1 <= d <= 10 for d in days)


@pytest.mark.parametrize(("path", "value"), [(("habitual", "sleep"), "7:00pm"), (("habitual", "lux"), -1),
                                             (("habitual", "wake"), "23:00"), (("habitual", "nap"), "12:00")])
def test_bad_habitual_schedule_is_a_clear_error(path, value):
    with pytest.raises(InputError) as err:
        Protocol.from_dict(mutate(path, value), source="x.toml")
    assert "habitual" in str(err.value)


def test_schedule_has_sleep_dark_and_light_levels():
    p = Protocol.from_toml(EXAMPLES / "burgess2008.toml")
    s = p.schedule()
    assert s.at([3.0])[0].tolist() == [0.0, 1.0, 0.0]  # last home night
    assert s.at([12.0])[0, 0] == 3.0  # day 1: dim phase assessment
    assert s.at([24 + 8.0])[0].tolist() == [0.0, 1.0, 0.0]  # ultradian sleep 07:30-09:00 on day 2
    assert s.at([24 + 17.5])[0, 0] == 100.0  # ultradian wake episode in room light
    assert s.at([96 + 20.0])[0, 0] == 3.0  # day 5: dim final assessment


def test_protocol_run_equals_the_experiment_for_the_same_pill_time():
    """The shipped example is the experiment's protocol at one pill time: the same shift, to the minute."""
    import pineal
    from pineal.experiments import burgess_protocol as bp

    out = pineal.simulate(EXAMPLES / "burgess2008.toml")
    rows = {m["day"]: m for m in out.markers()}
    assert rows[1]["shift_h"] == 0.0  # the baseline is before any pill
    baseline = rows[1]["treatment_h"]
    prc = bp.prc(3.0, [(17.0 - baseline) % 24.0])
    assert prc.baseline_dlmo_h == pytest.approx(baseline, abs=1e-9)
    assert rows[5]["shift_h"] == pytest.approx(float(prc.shift[0]), abs=1 / 60)
    assert out.placebo.exogenous.max() == 0.0 and out.treatment.exogenous.max() > 1000.0  # 3 mg peaks > 1 ng/mL
