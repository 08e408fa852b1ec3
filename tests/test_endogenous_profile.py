"""The empirical endogenous profile: continuous, placed by habitual sleep, scaled by age."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pineal.errors import InputError
from pineal.models.endogenous_profile import EndogenousProfile, night_peak_pg_ml


@settings(max_examples=30, deadline=None)
@given(sleep=st.floats(min_value=0.0, max_value=23.99), age=st.floats(min_value=0.0, max_value=100.0))
def test_profile_bounded_continuous_and_periodic(sleep, age):
    prof = EndogenousProfile(sleep_h=sleep, age=age)
    t = np.arange(0.0, 48.0, 1 / 60)
    c = prof.plasma(t)
    assert np.all(np.isfinite(c)) and c.min() >= 0
    assert c.max() == pytest.approx(max(prof.peak_pg_ml, c.min()), rel=1e-3)
    assert np.max(np.abs(np.diff(c))) < 0.05 * max(prof.peak_pg_ml, 1.0)  # no jumps at 1-min resolution
    np.testing.assert_allclose(c[: 24 * 60], c[24 * 60:], atol=1e-9)


def test_moving_sleep_later_moves_dlmo_by_the_same_amount():
    """Sletten 2010 (CL-4): a later schedule moves DLMO later, phase angle unchanged (by construction here)."""
    a, b = EndogenousProfile(sleep_h=23.0), EndogenousProfile(sleep_h=1.0)
    assert (b.dlmo_h() - a.dlmo_h()) % 24 == pytest.approx(2.0)


def test_night_level_falls_with_age():
    ages = [5, 20, 40, 60, 80]
    levels = [night_peak_pg_ml(a) for a in ages]
    assert all(x > y for x, y in itertools.pairwise(levels))


@pytest.mark.parametrize(("kw", "field"), [({"age": -1}, "age"), ({"sleep_h": 25}, "sleep"),
                                           ({"age": float("nan")}, "age")])
def test_bad_profile_inputs(kw, field):
    with pytest.raises(InputError, match=f"^{field}"):
        EndogenousProfile(**kw)
