"""Hostile protocol files and fields (issue 14): every field of the format gets wrong types, booleans, NaN, huge
numbers, huge ranges, markup and deep nesting. Either an InputError naming the field, or a protocol whose
episodes are bounded; through the CLI, exit 2 with the field named or exit 0 with finite JSON."""

from __future__ import annotations

import copy
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fuzz.helpers import FUZZ, assert_clean, assert_finite_json, invoke
from pineal import limits
from pineal.errors import InputError
from pineal.protocols import Protocol

BASE = {
    "protocol": {"name": "fuzz", "days": 3, "background_lux": 150.0},
    "subject": {"age": 30.0, "weight_kg": 70.0, "sex": "m"},
    "habitual": {"sleep": "23:00", "wake": "07:00", "lux": 150.0},
    "sleep": [{"start": "23:00", "end": "07:00", "days": "all"}],
    "light": [{"start": "08:00", "end": "09:00", "lux": 1000.0, "days": [1, 2]}],
    "dose": [{"amount": "3 mg", "time": "21:00", "days": "2-3"}],
    "reference": {"placebo": True},
    "measure": [{"marker": "dlmo", "day": 3}],
}
#: (table, index or None, key) of every field of the format
FIELDS = [("protocol", None, k) for k in ("name", "description", "cite", "days", "background_lux", "timezone")] + [
    ("subject", None, k) for k in ("age", "weight_kg", "sex", "tau_h")] + [
    ("habitual", None, k) for k in ("sleep", "wake", "lux")] + [
    ("sleep", 0, k) for k in ("start", "end", "days", "every_h", "lux")] + [
    ("light", 0, k) for k in ("start", "end", "days", "every_h", "lux")] + [
    ("dose", 0, k) for k in ("amount", "time", "route", "days", "duration_h")] + [
    ("reference", None, "placebo")] + [("measure", 0, k) for k in ("marker", "day", "definition")]

HOSTILE = st.one_of(
    st.booleans(), st.integers(min_value=-(10**30), max_value=10**30), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=20), st.sampled_from(["[/]", "[/red]", "1-1000000000", "1-" + "9" * 50, "0-3", "3-1", "all",
                                           "2-4", "24:00", "23:60", "-1:00", "9**9**9 mg", "3,000 mg", "3 mg 4",
                                           "g", "1e306 kg", "1e308 mg", "nan", "x" * 20_000]),
    st.lists(st.one_of(st.integers(-3, 400), st.booleans()), max_size=5), st.dictionaries(st.text(max_size=3),
                                                                                           st.integers(), max_size=2))


@pytest.fixture(scope="module", autouse=True)
def warm(tmp_path_factory):
    """Compile/load the numeric kernels once, so the time limits measure the inputs, not the JIT."""
    path = tmp_path_factory.mktemp("warm") / "w.toml"
    path.write_text("[protocol]\nname = 'w'\ndays = 1\n[subject]\ntau_h = 24.5\n[[dose]]\namount = '1 mg'\n"
                    "time = '21:00'\n", "utf-8")
    assert invoke("simulate", str(path), "--json")[0] == 0


def _with(field, value):
    data = copy.deepcopy(BASE)
    table, i, key = field
    (data[table][i] if i is not None else data[table])[key] = value
    return data


@settings(max_examples=400, **FUZZ)
@given(field=st.sampled_from(FIELDS), value=HOSTILE)
def test_every_field_is_checked(field, value):
    try:
        proto = Protocol.from_dict(_with(field, value))
        ep = proto.episodes()
        proto.schedule(ep)
    except InputError as err:
        assert len(str(err)) < 1000
        named = field[2] if field[2] != "days" or field[0] != "protocol" else "days"
        assert named in str(err) or field[0] in str(err), str(err)
        return
    # accepted: nothing non-finite, no bool where a number belongs, everything within the documented caps
    assert not (isinstance(value, bool) and field[2] not in ("placebo",))
    assert len(ep.sleep) + len(ep.light) <= limits.MAX_EPISODES and len(ep.doses) <= limits.MAX_DOSES
    for iv in (*ep.sleep, *ep.light):
        assert math.isfinite(iv.start_h) and math.isfinite(iv.end_h) and 0 <= iv.lux <= 1e5
    for d in ep.doses:
        assert 1e-6 <= d.amount_mg <= 1e9


@pytest.mark.parametrize(("text", "field"), [
    ("[protocol]\nname = 'x'\ndays = true\n", "days"),
    ("[protocol]\nname = 'x'\ndays = 1000000000\n", "days"),
    ("[protocol]\nname = 'x'\ndays = " + "9" * 400 + "\n", "days"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[sleep]]\nstart = '23:00'\nend = '07:00'\ndays = '1-1000000000'\n", "days"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[light]]\nstart = '08:00'\nend = '08:01'\nlux = 100\nevery_h = 0.001\n",
     "every_h"),
    ("[protocol]\nname = 'x'\ndays = 366\n[[light]]\nstart = '08:00'\nend = '08:01'\nlux = 100\nevery_h = 0.25\n",
     "light"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[light]]\nstart = '08:00'\nend = '09:00'\nlux = nan\n", "lux"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[light]]\nstart = '08:00'\nend = '09:00'\nlux = inf\n", "lux"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[light]]\nstart = '08:00'\nend = '09:00'\nlux = true\n", "lux"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[dose]]\namount = '1e308 mg'\ntime = '21:00'\n", "amount"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[dose]]\namount = '3,000 mg'\ntime = '21:00'\n", "amount"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[dose]]\namount = 3\ntime = '21:00'\n", "amount"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[dose]]\namount = '3 mg'\ntime = '[/red]'\n", "time"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[dose]]\namount = '3 mg'\ntime = '21:00'\nroute = '[/]'\n", "route"),
    ("[protocol]\nname = 'x'\ndays = 3\n[subject]\ntau_h = 30\n", "tau_h"),
    ("[protocol]\nname = 'x'\ndays = 3\n[subject]\nage = true\n", "age"),
    ("[protocol]\nname = 'x'\ndays = 3\n[reference]\nplacebo = 1\n", "placebo"),
    ("[protocol]\nname = 'x'\ndays = 3\n[[measure]]\nmarker = 'dlmo'\nday = true\n", "day"),
    ("[protocol]\nname = 'x'\ndays = 3\n'[/red]' = 1\n", "[/red]"),
    ("[protocol]\nname = 'x'\ndays = 3\nx = " + "[" * 5000 + "]" * 5000 + "\n", "protocol"),
    ("[protocol]\nname = 'x'\ndays = 3\nx = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n", "protocol"),
    ("[protocol]\nname = '" + "n" * 20_000 + "'\ndays = 3\n", "name"),
    ("not toml [[[", "protocol"),
    ("", "protocol"),
])
def test_hostile_files_through_the_cli(tmp_path, text, field):
    path = tmp_path / "p.toml"
    path.write_text(text, "utf-8")
    code, out, err, s = invoke("simulate", str(path), "--json")
    assert_clean(code, out, err, s, field)
    assert code == 2, out[:300]


def test_binary_and_oversized_files(tmp_path):
    binary = tmp_path / "b.toml"
    binary.write_bytes(b"\xff\xfe\x00\x01" * 100)
    big = tmp_path / "big.toml"
    big.write_text("# " + "x" * (limits.MAX_PROTOCOL_BYTES + 10), "utf-8")
    for p in (binary, big):
        code, out, err, s = invoke("simulate", str(p))
        assert_clean(code, out, err, s, "protocol")
        assert code == 2


VALID = {  # documented valid inputs, including the edges: exit 0 and finite JSON
    "tau 22": "[subject]\ntau_h = 22.0\n", "tau 23": "[subject]\ntau_h = 23\n", "tau 26": "[subject]\ntau_h = 26\n",
    "tau 24.2": "[subject]\ntau_h = 24.2\n",
    "every 15 min": "[[light]]\nstart = '08:00'\nend = '08:05'\nlux = 1000\nevery_h = 0.25\ndays = 1\n",
    "markup name": "",
    "doses": "[[dose]]\namount = '3,5 mg'\ntime = '21:00'\ndays = [1, 2]\n[[dose]]\namount = '500 mcg'\ntime = "
             "'09:00'\nroute = 'transdermal'\nduration_h = 8\ndays = '2-3'\n",
}


@pytest.mark.parametrize("name", list(VALID))
def test_valid_protocols_run_with_finite_output(tmp_path, name):
    title = "[/red] x [bold]" if name == "markup name" else name
    path = tmp_path / "p.toml"
    path.write_text(f"[protocol]\nname = '{title}'\ndays = 3\n{VALID[name]}[[measure]]\nmarker = 'dlmo'\nday = 3\n",
                    "utf-8")
    code, out, err, s = invoke("simulate", str(path), "--json")
    assert_clean(code, out, err, s, limit=30)
    assert code == 0, err
    obj = assert_finite_json(out)
    assert obj["protocol"] == title
    code, out, err, s = invoke("simulate", str(path))
    assert code == 0 and title in out.replace("\n", "")


def test_a_year_without_doses_runs(tmp_path):
    path = tmp_path / "year.toml"
    path.write_text("[protocol]\nname = 'year'\ndays = 366\n[[sleep]]\nstart = '23:00'\nend = '07:00'\n"
                    "[[measure]]\nmarker = 'dlmo'\nday = 366\n", "utf-8")
    code, out, err, s = invoke("simulate", str(path), "--json")
    assert_clean(code, out, err, s, limit=60)
    assert code == 0, err
    assert len(assert_finite_json(out)["days"]) == 366


def test_a_year_with_daily_doses_runs(tmp_path):
    """Every valid protocol up to 366 days runs, with doses too (the PK model is run in groups of doses)."""
    path = tmp_path / "year.toml"
    path.write_text("[protocol]\nname = 'year with doses'\ndays = 366\n[[sleep]]\nstart = '23:00'\nend = '07:00'\n"
                    "[[dose]]\namount = '0.5 mg'\ntime = '21:00'\ndays = 'all'\n"
                    "[[measure]]\nmarker = 'dlmo'\nday = 366\n", "utf-8")
    code, out, err, s = invoke("simulate", str(path), "--json")
    assert_clean(code, out, err, s, limit=120)
    assert code == 0, err
    obj = assert_finite_json(out)
    assert len(obj["days"]) == 366
    assert obj["measures"][0]["shift_h"] is not None
