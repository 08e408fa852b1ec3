"""Forger, Jewett & Kronauer 1999 "simpler" model (models.md §2): state (x, x_c, n).

    B      = G α(I)(1 − n)(1 − b x)(1 − b x_c)
    dx/dt  = (π/12)[x_c + B]
    dx_c/dt= (π/12)[μ(x_c − (4/3)x_c³) − x((24/(0.99669 τ_x))² + k B)]
    dn/dt  = 60[α(I)(1 − n) − β n]
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from pineal.models.clock import MARKER_MIN, ClockModel
from pineal.models.clock.light import alpha_power, dn_dt, gated_drive

# packed parameter vector layout
MU, K, G, A0, BETA, P, I0, B, W2 = range(9)
_PI12 = math.pi / 12.0


def pack(v) -> np.ndarray:
    w2 = (24.0 / (v["freq_factor"] * v["tau_x"])) ** 2
    return np.array([v["mu"], v["k"], v["G"], v["alpha0"], v["beta"], v["p"], v["I0"], v["b"], w2])


@nb.njit(cache=True)
def prepare(u, p, a):
    """α(I) once per constant-input interval; other channels pass through."""
    a[0] = alpha_power(u[0], p[A0], p[I0], p[P])
    for i in range(1, u.shape[0]):
        a[i] = u[i]
    a[u.shape[0]] = 60.0 * (a[0] + p[BETA])  # fastest rate (1/h): Process L


@nb.njit(cache=True, inline="always")
def rhs(t, y, a, p, dydt):
    """Forger 1999 right-hand side for one subject."""
    x = y[0]
    xc = y[1]
    n = y[2]
    alpha = a[0]
    bb = gated_drive(p[G], alpha, n, p[B], x, xc)
    dydt[0] = _PI12 * (xc + bb)
    dydt[1] = _PI12 * (p[MU] * (xc - (4.0 / 3.0) * xc * xc * xc) - x * (p[W2] + p[K] * bb))
    dydt[2] = dn_dt(alpha, n, p[BETA])


MODEL = ClockModel(
    name="forger1999", title="Forger, Jewett & Kronauer 1999 (simpler model)", state=("x", "xc", "n"),
    rhs=rhs, prepare=prepare, pack=pack, marker_kind=MARKER_MIN, marker_index=0,
    initial=np.array([-1.0, 0.0, 0.5]), cite="forger1999",
)
