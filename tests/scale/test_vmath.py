"""pineal.vmath's branch-free elementary functions agree with libm to a few ulp over the models' ranges."""

import math

import numba as nb
import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from pineal import vmath


@nb.njit  # not disk-cached: numba would not notice an edited vmath.py and test the old code
def _all(x, y):
    s, c = vmath.sincos(x)
    return s, c, vmath.exp(y), vmath.log(abs(x)), vmath.pow(abs(x), 1.7), vmath.tanh(y), vmath.mod(x, 2.0 * math.pi)


@settings(max_examples=300, deadline=None)
@given(st.floats(-1e5, 1e5).filter(lambda v: abs(v) > 1e-100), st.floats(-700.0, 700.0))  # results stay normal
def test_matches_libm(x, y):
    s, c, e, lg, pw, th, md = _all(x, y)
    assert abs(s - math.sin(x)) <= 4e-16 and abs(c - math.cos(x)) <= 4e-16
    assert abs(e - math.exp(y)) <= 1e-15 * math.exp(y)
    assert abs(lg - math.log(abs(x))) <= 1e-15 * max(1.0, abs(math.log(abs(x))))
    # exp(y ln x): the exponent's rounding (|y ln x| ulp) carries into the result's relative error
    assert abs(pw - abs(x) ** 1.7) <= 1e-15 * max(1.0, abs(1.7 * math.log(abs(x)))) * abs(x) ** 1.7
    assert abs(th - math.tanh(y)) <= 4e-16
    assert 0.0 <= md < 2.0 * math.pi + 1e-12 and abs(math.remainder(md - x, 2.0 * math.pi)) <= 1e-10


def test_edges():
    out = _all(0.0 + 1e-300, -800.0)
    assert out[2] == 0.0 and out[5] == -1.0
    assert _all(1.0, 800.0)[2] == math.exp(709.0) and _all(1.0, 800.0)[5] == 1.0
    assert vmath.pow(0.0, 2.0) == 0.0 and vmath.pow(-1.0, 2.0) == 0.0
    xs = np.linspace(-50, 50, 1001)
    got = np.array([vmath.sincos(v) for v in xs])
    np.testing.assert_allclose(got[:, 0], np.sin(xs), atol=4e-16)
    np.testing.assert_allclose(got[:, 1], np.cos(xs), atol=4e-16)
