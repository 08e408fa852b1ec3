"""Dose parsing: units via pint, clear errors for everything else (issue 2, item 2 and 7)."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pineal.errors import InputError
from pineal.quantities import CONVERSIONS, parse_mass_mg, pg_ml_to_pmol_l, pmol_l_to_pg_ml


@pytest.mark.parametrize(
    ("text", "mg"),
    [("3 mg", 3.0), ("0.5mg", 0.5), ("500 mcg", 0.5), ("500 µg", 0.5), ("500 μg", 0.5), ("1 g", 1000.0),
     ("3,5 mg", 3.5), ("10 milligrams", 10.0), ("1 gram", 1000.0), ("1 kg", 1e6), ("2.5 MG", 2.5)],
)
def test_parses_amounts(text, mg):
    assert parse_mass_mg(text) == pytest.approx(mg)


@pytest.mark.parametrize("text", ["1000", "1,000 mg", "3 tsp",
                                  "-1 mg", "0 mg", "nan mg", "inf mg", "3 m", "", "abc", "3 mL"])
def test_rejects_bad_amounts_naming_field_value_and_allowed(text):
    with pytest.raises(InputError) as err:
        parse_mass_mg(text, field="dose")
    msg = str(err.value)
    assert msg.startswith("dose:") and "allowed:" in msg and repr(text).strip("'") in msg


def test_number_without_unit_is_an_error_not_a_guess():
    with pytest.raises(InputError, match="needs a unit"):
        parse_mass_mg(3.0)  # type: ignore[arg-type]


@given(st.floats(min_value=1e-6, max_value=1e9, allow_nan=False))
def test_any_positive_mg_roundtrips(x):
    assert parse_mass_mg(f"{x!r} mg") == pytest.approx(x, rel=1e-12)


@given(st.text(max_size=30))
def test_parser_never_fails_with_anything_but_input_error(text):
    try:
        mg = parse_mass_mg(text)
    except InputError:
        return
    assert math.isfinite(mg) and mg > 0


def test_concentration_conversion_matches_design():
    assert pg_ml_to_pmol_l(1.0) == pytest.approx(4.305, rel=1e-3)
    assert pmol_l_to_pg_ml(pg_ml_to_pmol_l(42.0)) == pytest.approx(42.0)


@settings(deadline=None)  # the first example builds pint's registry
@given(st.floats(min_value=1e-6, max_value=1e6, allow_nan=False), st.sampled_from(CONVERSIONS))
def test_kept_conversion_factors_give_exactly_pints_result(value, conversion):
    """parse_quantity multiplies by pint's factor (kept on disk) instead of asking pint: the same float."""
    from pineal.quantities import conversion_factors, ureg

    unit, target = conversion
    assert value * conversion_factors()[conversion] == ureg().Quantity(value, unit).to(target).magnitude


def test_a_later_process_converts_without_importing_pint(tmp_path):
    import os
    import subprocess
    import sys

    code = ("import sys; from pineal.quantities import parse_mass_mg, parse_weight_kg; "
            "print(parse_mass_mg('500 mcg'), parse_weight_kg('154 lb'), 'pint' in sys.modules)")
    env = {**os.environ, "PINEAL_CACHE_DIR": str(tmp_path)}
    first, later = (subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                                   timeout=120).stdout.split() for _ in range(2))
    assert first == ["0.5", "69.85322498000001", "True"]  # pint made the factors
    assert later == ["0.5", "69.85322498000001", "False"]  # read back: same numbers, no pint
