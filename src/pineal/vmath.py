"""Elementary functions written in plain arithmetic, so a loop over subjects that calls them vectorises.

numba as installed from PyPI has no SVML: ``math.sin``/``cos``/``exp``/``**`` in a loop body are calls into libm,
one lane at a time, and they stop LLVM from vectorising the loop (they cost ~85 % of a Hannay 2019 step). These
versions are branch-free (selects only), inline into the caller and compile to SIMD instructions. Accuracy: a
few ulp (relative) over the ranges the models use; :func:`tanh` is accurate in absolute terms (~1e-16), which is
how the models use it (1 − tanh). Tests compare every function with ``math`` (tests/scale/test_vmath.py).

* :func:`sincos` — Cody–Waite reduction by π/2 in three parts (exact for |x| < 1.6e6, i.e. 250,000 cycles of an
  unwrapped phase), fdlibm's minimax polynomials of degree 13/14 on [−π/4, π/4] (error < 2^-58).
* :func:`exp` — x = k ln 2 + r, |r| ≤ ln 2 / 2, Taylor to degree 13 (truncation < 1e-17), 2^k by exponent bits;
  0 below −708, clamped at 709.
* :func:`log` — x = 2^e m, m ∈ [√½, √2), log m = 2 atanh((m − 1)/(m + 1)) to s^11 (truncation < 1e-17); for
  positive normal x.
* :func:`pow` — exp(y log x) for x > 0 (relative error ≈ |y ln x| ulp, as for any exp of a log); 0 for x ≤ 0
  (the models only raise concentrations and lux ≥ 0 to a positive power).
* :func:`mod` — x − floor(x/m)·m (Python's sign convention; libm's fmod is a call).
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np
from llvmlite import ir
from numba import types
from numba.extending import intrinsic

_INV_LN2 = 1.4426950408889634
_LN2_HI = 6.93147180369123816490e-01  # fdlibm's split of ln 2
_LN2_LO = 1.90821492927058770002e-10
_TWO_OVER_PI = 0.63661977236758134308
_PIO2_1 = 1.57079632673412561417e00  # fdlibm: first 33 bits of π/2, the next 33 bits, the rest
_PIO2_2 = 6.07710050630396597660e-11
_PIO2_2T = 2.02226624879595063154e-21
_SQRT2 = 1.4142135623730951
# fdlibm (Sun Microsystems 1993) minimax coefficients: sin r ≈ r + r³ Σ S_k r^(2k-2), |error| < 2^-58;
# cos r ≈ 1 − r²/2 + r⁴ Σ C_k r^(2k-2), |error| < 2^-58, on |r| ≤ π/4
_S1, _S2, _S3 = -1.66666666666666324348e-01, 8.33333333332248946124e-03, -1.98412698298579493134e-04
_S4, _S5, _S6 = 2.75573137070700676789e-06, -2.50507602534068634195e-08, 1.58969099521155010221e-10
_C1, _C2, _C3 = 4.16666666666666019037e-02, -1.38888888888741095749e-03, 2.48015872894767294178e-05
_C4, _C5, _C6 = -2.75573143513906633035e-07, 2.08757232129817482790e-09, -1.13596475577881948265e-11


@intrinsic
def _bits(typingctx, x):
    """The IEEE-754 bit pattern of a float64, as int64 (a register move, no call)."""
    if x != types.float64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.IntType(64))

    return types.int64(types.float64), codegen


@intrinsic
def _from_bits(typingctx, b):
    """The float64 whose bit pattern is the int64 ``b``."""
    if b != types.int64:
        return None

    def codegen(context, builder, signature, args):
        return builder.bitcast(args[0], ir.DoubleType())

    return types.float64(types.int64), codegen


@nb.njit(cache=True, error_model="numpy", inline="always")
def exp(x):
    """e^x."""
    xc = min(max(x, -708.0), 709.0)
    kf = math.floor(xc * _INV_LN2 + 0.5) * 1.0
    r = (xc - kf * _LN2_HI) - kf * _LN2_LO
    q = 1.0 / 6227020800.0
    q = q * r + 1.0 / 479001600.0
    q = q * r + 1.0 / 39916800.0
    q = q * r + 1.0 / 3628800.0
    q = q * r + 1.0 / 362880.0
    q = q * r + 1.0 / 40320.0
    q = q * r + 1.0 / 5040.0
    q = q * r + 1.0 / 720.0
    q = q * r + 1.0 / 120.0
    q = q * r + 1.0 / 24.0
    q = q * r + 1.0 / 6.0
    q = q * r + 0.5
    q = q * r + 1.0
    q = q * r + 1.0
    v = q * _from_bits((np.int64(kf) + 1023) << 52)
    return v if x >= -708.0 else 0.0


@nb.njit(cache=True, error_model="numpy", inline="always")
def log(x):
    """Natural logarithm of a positive normal float."""
    b = _bits(x)
    e = ((b >> 52) & 0x7FF) - 1023
    m = _from_bits((b & 0x000FFFFFFFFFFFFF) | 0x3FF0000000000000)
    big = m > _SQRT2
    m = 0.5 * m if big else m
    ef = (e + 1) * 1.0 if big else e * 1.0
    f = (m - 1.0) / (m + 1.0)
    s = f * f
    q = 1.0 / 23.0
    q = q * s + 1.0 / 21.0
    q = q * s + 1.0 / 19.0
    q = q * s + 1.0 / 17.0
    q = q * s + 1.0 / 15.0
    q = q * s + 1.0 / 13.0
    q = q * s + 1.0 / 11.0
    q = q * s + 1.0 / 9.0
    q = q * s + 1.0 / 7.0
    q = q * s + 1.0 / 5.0
    q = q * s + 1.0 / 3.0
    q = q * s + 1.0
    return ef * _LN2_HI + (2.0 * f * q + ef * _LN2_LO)


@nb.njit(cache=True, error_model="numpy", inline="always")
def pow(x, y):
    """x^y for x > 0; 0 for x ≤ 0."""
    v = exp(y * log(x))
    return v if x > 0.0 else 0.0


@nb.njit(cache=True, error_model="numpy", inline="always")
def sincos(x):
    """(sin x, cos x)."""
    kf = math.floor(x * _TWO_OVER_PI + 0.5) * 1.0
    r = ((x - kf * _PIO2_1) - kf * _PIO2_2) - kf * _PIO2_2T
    r2 = r * r
    s = _S6  # fdlibm's minimax polynomials on [-pi/4, pi/4] (__kernel_sin / __kernel_cos coefficients)
    s = s * r2 + _S5
    s = s * r2 + _S4
    s = s * r2 + _S3
    s = s * r2 + _S2
    s = s * r2 + _S1
    s = r + r * r2 * s
    c = _C6
    c = c * r2 + _C5
    c = c * r2 + _C4
    c = c * r2 + _C3
    c = c * r2 + _C2
    c = c * r2 + _C1
    c = 1.0 - (0.5 * r2 - r2 * r2 * c)
    q = np.int64(kf) & 3
    swap = (q & 1) == 1
    sv = c if swap else s
    cv = s if swap else c
    sv = -sv if (q & 2) != 0 else sv
    cv = -cv if ((q + 1) & 2) != 0 else cv
    return sv, cv


@nb.njit(cache=True, error_model="numpy", inline="always")
def sin(x):
    return sincos(x)[0]


@nb.njit(cache=True, error_model="numpy", inline="always")
def cos(x):
    return sincos(x)[1]


@nb.njit(cache=True, error_model="numpy", inline="always")
def tanh(x):
    """tanh x = 1 − 2/(e^{2x} + 1) (absolute error ~1e-16)."""
    return 1.0 - 2.0 / (exp(2.0 * x) + 1.0)


@nb.njit(cache=True, error_model="numpy", inline="always")
def mod(x, m):
    """x mod m in [0, m) for m > 0 (Python's ``%`` for floats, without the libm call)."""
    return x - math.floor(x / m) * m
