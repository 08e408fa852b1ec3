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
    assert len(ep.doses) == 3 and ep.hours == 120.0
    assert [d.time_h % 24 for d in ep.doses] == [17.0, 17.0, 17.0]
    assert p.episodes(placebo=True).doses == ()
    # ultradian: a 1.5 h sleep every 4 h on days 2-4, plus the baseline night
    assert len(ep.sleep) == 1 + 3 * 6


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
    data["sleep"].append({"start": "02:00", "end": "04:00", "days": 2})
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
