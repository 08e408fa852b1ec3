"""The public Python functions under hostile arguments (issue 14): an InputError naming the argument, or a finite
result; never TypeError/KeyError/OverflowError/MemoryError, NaN or negative plasma."""

from __future__ import annotations

import math
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import pineal
from fuzz.helpers import FUZZ
from pineal.dose_report import report
from pineal.errors import InputError
from pineal.models import pk
from pineal.quantities import parse_mass_mg, parse_weight_kg
from pineal.timeline import parse_clock_hours, parse_datetime

FAST = settings(max_examples=150, **FUZZ)

#: anything a caller might pass where a number belongs
ANYTHING = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(min_value=-(10**400), max_value=10**400),
    st.booleans(), st.none(), st.text(max_size=30), st.lists(st.integers(), max_size=3),
    st.sampled_from([np.nan, np.inf, np.float32(3.0), np.int64(5), np.bool_(True), "3", "nan", b"3", {}, ()]))


def _named(err: InputError, field: str) -> None:
    assert field in err.field, (err.field, str(err))
    assert len(str(err)) < 1000


@FAST
@given(x=ANYTHING)
def test_dose_amount(x):
    try:
        d = pk.Dose(amount_mg=x)
    except InputError as err:
        _named(err, "dose")
        return
    assert not isinstance(x, bool) and math.isfinite(d.amount_mg) and 1e-6 <= d.amount_mg <= 1e9


@FAST
@given(field=st.sampled_from(["time_h", "duration_h", "route"]), x=ANYTHING)
def test_dose_other_fields(field, x):
    try:
        d = pk.Dose(3.0, **{field: x})
    except InputError as err:
        _named(err, {"time_h": "time", "duration_h": "duration", "route": "route"}[field])
        return
    v = getattr(d, field)
    assert v is None or isinstance(v, str) or (not isinstance(v, bool) and math.isfinite(v))


@FAST
@given(field=st.sampled_from(["weight_kg", "age", "sex", "smoker", "fed", "drugs", "bioavailability_scale",
                              "hepatic_impairment", "oral_contraceptive"]), x=ANYTHING)
def test_subject_fields(field, x):
    try:
        s = pk.Subject(**{field: x})
    except InputError as err:
        _named(err, {"weight_kg": "weight"}.get(field, field))
        return
    v = getattr(s, field)
    if field in ("weight_kg", "age", "bioavailability_scale"):
        assert not isinstance(v, bool) and math.isfinite(v)


@settings(max_examples=60, **FUZZ)
@given(n=st.one_of(st.booleans(), st.integers(-5, 40), st.integers(10**6 + 1, 10**30), st.floats(), st.text(max_size=3),
                   st.none()))
def test_sample_subjects(n):
    try:
        out = pk.sample_subjects(n)
    except InputError as err:
        _named(err, "n")
        return
    assert not isinstance(n, bool) and out.shape == (n, pk.N_PARAMS) and np.all(np.isfinite(out))


@pytest.mark.parametrize("kwargs", [dict(hours=True), dict(hours=1e9), dict(hours=float("nan")), dict(hours="24"),
                                    dict(dt_h=0.0), dict(dt_h=1e-12), dict(output_every_h=-1.0),
                                    dict(subjects=np.full((2, pk.N_PARAMS), np.nan)), dict(subjects="x"),
                                    dict(subjects=np.ones((10**7, 1))), dict(amount_scale=np.array([np.nan])),
                                    dict(subject="70 kg")])
def test_pk_simulate_arguments(kwargs):
    with pytest.raises(InputError):
        pk.simulate([pk.Dose(3.0, 1.0)], **kwargs)


@pytest.mark.parametrize("doses", ["3 mg", 3.0, [3.0], [None], None, [], {"a": 1}])
def test_pk_simulate_doses(doses):
    with pytest.raises(InputError, match="dose"):
        pk.simulate(doses)


@settings(max_examples=25, **FUZZ)
@given(mg=st.floats(1e-6, 1e9), at=st.floats(0, 23.99), route=st.sampled_from(pk.ROUTES))
def test_pk_plasma_is_finite_and_non_negative(mg, at, route):
    run = pk.simulate([pk.Dose(mg, at, route)], hours=48.0)
    assert np.all(np.isfinite(run.plasma_pg_ml)) and run.plasma_pg_ml.min() >= -1e-9 * max(1.0, mg)


@pytest.mark.parametrize(("kwargs", "field"), [
    (dict(at_clock_h="x"), "at"), (dict(at_clock_h=True), "at"), (dict(at_clock_h=24.0), "at"),
    (dict(at_clock_h=float("nan")), "at"), (dict(wake_clock_h=-1), "wake"), (dict(sleep_clock_h=10**400), "sleep"),
    (dict(route="[/red]"), "route"), (dict(route=3), "route"), (dict(subject="m"), "subject"),
    (dict(product=3), "product"), (dict(screen_options=[1]), "screen_options"),
])
def test_report_arguments(kwargs, field):
    t = time.perf_counter()
    with pytest.raises(InputError) as err:
        report("3 mg", **kwargs)
    _named(err.value, field)
    assert time.perf_counter() - t < 5


@pytest.mark.parametrize("amount", [True, None, float("nan"), -1.0, 0, 1e300, "1e306 kg", "3,000 mg", [3]])
def test_report_amount(amount):
    with pytest.raises(InputError, match="dose"):
        report(amount)


@pytest.mark.parametrize(("kwargs", "field"), [
    (dict(days=True), "days"), (dict(days=1e8), "days"), (dict(days=float("nan")), "days"), (dict(days="3"), "days"),
    (dict(days=0), "days"), (dict(days=[1]), "days"), (dict(days=1, subjects=True), "subjects"),
    (dict(days=1, subjects=10**9), "subjects"), (dict(days=366, subjects=100_000), "subjects x days"),
    (dict(days=1, lux=True), "lux"), (dict(days=1, lux=float("nan")), "lux"), (dict(days=1, sleep=("23:00",)), "sleep"),
    (dict(days=1, sleep="23:00"), "sleep"), (dict(days=1, dt=True), "dt"), (dict(days=1, dt=0.0), "dt"),
    (dict(days=1, record_every=-1), "record_every"), (dict(days=1, record_every=0.5), "record_every"),
    (dict(days=1, start_h=float("inf")), "start_h"), (dict(days=1, entrain="yes"), "entrain"),
    (dict(days=1, model=["x"]), "model"), (dict(days=1, model="[/red]"), "model"),
    (dict(days=1, doses=["3 mg"]), "doses"), (dict(days=1, subject="70"), "subject"),
    (dict(days=366, subjects=2000, record_every=1), "record_every"),
    (dict(days=1, params={"tau": "x"}), "params.tau"), (dict(days=1, params={"tau": True}), "params.tau"),
    (dict(days=1, params={"nope": 1.0}), "params"), (dict(days=1, light=True), "light"),
    (dict(days=1, light=float("nan")), "light"), (dict(days=1, params=[{"tau": 24.0}] * 3, subjects=2), "subjects"),
])
def test_simulate_arguments(kwargs, field):
    t = time.perf_counter()
    with pytest.raises(InputError) as err:
        pineal.simulate(**kwargs)
    _named(err.value, field)
    assert time.perf_counter() - t < 5


def test_simulate_protocol_argument_types():
    with pytest.raises(InputError, match="protocol"):
        pineal.simulate(True)
    with pytest.raises(InputError, match="protocol"):
        pineal.simulate("/no/such/file.toml")


@FAST
@given(text=st.text(max_size=40))
def test_text_parsers_fail_only_with_input_error(text):
    for fn in (parse_mass_mg, parse_weight_kg, parse_clock_hours, parse_datetime):
        try:
            fn(text)
        except InputError as err:
            assert len(str(err)) < 1000


@FAST
@given(num=st.from_regex(r"\A[+-]?[0-9]{0,12}([.,][0-9]{0,12})?([eE][+-]?[0-9]{1,5})?\Z"),
       unit=st.sampled_from(["mg", "MG", "mcg", "µg", "ug", "g", "kg", "ng", "", "mL", "m", "**2", " 4"]))
def test_amount_grammar(num, unit):
    text = f"{num} {unit}"
    try:
        mg = parse_mass_mg(text)
    except InputError:
        return
    assert math.isfinite(mg) and 1e-6 <= mg <= 1e9
    whole, comma, frac = num.partition(",")
    assert not (comma and whole.lstrip("+-") and len(frac.split("e")[0].split("E")[0]) == 3), "thousands comma accepted"


@pytest.mark.parametrize("value", ["x" * 5000, 10**5000, list(range(10**5)), float("nan")],
                         ids=["text", "int", "list", "nan"])
def test_error_messages_stay_short(value):
    err = InputError("field", value, "something")
    assert len(str(err)) < 300 and err.field == "field" and err.allowed == "something"


def test_check_text_size_is_bounded():
    with pytest.raises(InputError, match="too large"):
        pineal.check("melatonin 3 mg. " * 70_000)


def test_result_methods_check_their_arguments():
    res = pineal.simulate(days=1)
    for call, field in ((lambda: res.phase_angle(sleep_onset=True), "sleep_onset"),
                        (lambda: res.dlmo(definition="[/]"), "definition"), (lambda: res.state(3), "state")):
        with pytest.raises(InputError) as err:
            call()
        _named(err.value, field)
