"""St Hilaire et al. 2007: Jewett-type oscillator + light + non-photic sleep/wake drive (models.md §4).

    α(I)   = α₀ (I/I₀)^p · I/(I + I₁)
    N_s    = ρ(1/3 − σ)(1 − tanh 10x),  but ρ/3 (1 − tanh 10x) while ψ_cx ∈ (16.5, 21) h
    dx/dt  = (π/12)[x_c + μ(x/3 + (4/3)x³ − (256/105)x⁷) + B + N_s]
    dx_c/dt= (π/12)[q B x_c − x((24/(0.99729 τ_x))² + k B)]

σ = 1 asleep, 0 awake (input channel 1). ψ_cx, hours after CBTmin, comes from the oscillator's own phase
θ = atan2(x_c, x) — not from clock time (pitfall P10). θ decreases with time and φ_xcx is θ at CBTmin, so
ψ_cx = mod((φ_xcx − θ)·24/2π, 24). Check: on the entrained limit cycle θ = φ_xcx falls within a few minutes
of CBTmin = min(x) + φ_ref (a test), consistent with this reading [verify against the paper].
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from pineal import libm
from pineal.models.clock import MARKER_MIN, ClockModel
from pineal.models.clock.jewett1999 import vdp7
from pineal.models.clock.light import alpha_power_saturating, dn_dt, gated_drive

MU, Q, K, G, A0, BETA, P, I0, I1, B, W2, RHO, PHI_XCX, WMZ0, WMZ1 = range(15)
_PI12 = math.pi / 12.0
_H_PER_RAD = 12.0 / math.pi


def pack(v) -> np.ndarray:
    w2 = (24.0 / (v["freq_factor"] * v["tau_x"])) ** 2
    return np.array([v["mu"], v["q"], v["k"], v["G"], v["alpha0"], v["beta"], v["p"], v["I0"], v["I1"], v["b"],
                     w2, v["rho"], v["phi_xcx"], v["wmz_start"], v["wmz_end"]])


@nb.njit(cache=True)
def prepare(u, p, a):
    a[0] = alpha_power_saturating(u[0], p[A0], p[I0], p[P], p[I1])
    for i in range(1, u.shape[0]):
        a[i] = u[i]
    a[u.shape[0]] = 60.0 * (a[0] + p[BETA])  # fastest rate (1/h): Process L


@nb.njit(cache=True, inline="always")
def psi_cx(x, xc, p):
    """Hours after CBTmin from the oscillator phase (St Hilaire 2007; pitfall P10)."""
    return ((p[PHI_XCX] - math.atan2(xc, x)) * _H_PER_RAD) % 24.0


@nb.njit(cache=True, inline="always")
def rhs(t, y, a, p, dydt):
    """St Hilaire 2007 right-hand side for one subject; a[1] is sleep σ (≥ 0.5 counts as asleep)."""
    x = y[0]
    xc = y[1]
    n = y[2]
    alpha = a[0]
    sigma = 1.0 if a[1] >= 0.5 else 0.0
    bb = gated_drive(p[G], alpha, n, p[B], x, xc)
    drive = 1.0 / 3.0 - sigma
    if sigma > 0.0:
        psi = psi_cx(x, xc, p)
        if p[WMZ0] < psi < p[WMZ1]:
            drive = 1.0 / 3.0
    ns = p[RHO] * drive * (1.0 - libm.tanh(10.0 * x))
    dydt[0] = _PI12 * (xc + p[MU] * vdp7(x) + bb + ns)
    dydt[1] = _PI12 * (p[Q] * bb * xc - x * (p[W2] + p[K] * bb))
    dydt[2] = dn_dt(alpha, n, p[BETA])


MODEL = ClockModel(
    name="sthilaire2007", title="St Hilaire et al. 2007 (light + non-photic drive)", state=("x", "xc", "n"),
    rhs=rhs, prepare=prepare, pack=pack, marker_kind=MARKER_MIN, marker_index=0,
    initial=np.array([-1.0, 0.0, 0.5]), cite="sthilaire2007",
)
