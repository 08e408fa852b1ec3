"""The elementary functions the models call, from the C library (libm): what every scalar computation uses.

The models take sin/cos/exp/tanh/pow/mod from here (``libm.sincos(psi)``), not from ``math`` directly, so that
the vectorised batch kernel can compile the very same model functions with :mod:`pineal.vmath` (the same names
in plain, vectorisable arithmetic) bound in this module's place (:func:`pineal.solver.vector_kernel`). Everything
else — the per-subject kernel, single subjects, plain Python calls — gets exactly libm's results, the numbers the
models had before the vectorised kernel existed. The two agree to a few ulp (tests/scale/test_vmath.py).
"""

from __future__ import annotations

import math

import numba as nb


@nb.njit(cache=True, inline="always")
def sincos(x):
    """(sin x, cos x)."""
    return math.sin(x), math.cos(x)


@nb.njit(cache=True, inline="always")
def sin(x):
    return math.sin(x)


@nb.njit(cache=True, inline="always")
def cos(x):
    return math.cos(x)


@nb.njit(cache=True, inline="always")
def exp(x):
    return math.exp(x)


@nb.njit(cache=True, inline="always")
def tanh(x):
    return math.tanh(x)


@nb.njit(cache=True, inline="always")
def pow(x, y):
    """x^y; the models only raise positive values (vmath.pow gives 0 for x ≤ 0)."""
    return x**y


@nb.njit(cache=True, inline="always")
def mod(x, m):
    """Python's float ``x % m`` (in [0, m) for m > 0)."""
    return x % m
