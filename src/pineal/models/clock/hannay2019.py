"""Hannay, Booth & Forger 2019 macroscopic single-population model (models.md §5): state (R, ψ, n).

    B̂    = G (1 − n) α(I),   α(I) = α₀ I^p/(I^p + I₀)
    L_R  = (A₁/2) B̂ (1 − R⁴) cos(ψ + β_L1) + (A₂/2) B̂ R (1 − R⁸) cos(2ψ + β_L2)
    L_ψ  = σ B̂ − (A₁/2) B̂ (R³ + 1/R) sin(ψ + β_L1) − (A₂/2) B̂ (1 + R⁸) sin(2ψ + β_L2)
    dR/dt = −(D + γ) R + (K/2) cos β₁ R (1 − R⁴) + L_R
    dψ/dt = ω₀ + (K/2) sin β₁ (1 + R⁴) + L_ψ
    dn/dt = 60[α(I)(1 − n) − δ n]

ψ is kept unwrapped (it grows by 2π per cycle); CBTmin is at ψ ≡ π.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from pineal import libm
from pineal.models.clock import MARKER_PHASE, ClockModel
from pineal.models.clock.light import alpha_hill, dn_dt, drive

# packed: decay, Kc (K/2 cos β1), Ks (K/2 sin β1), ω0, A1/2, cos βL1, sin βL1, A2/2, cos βL2, sin βL2, σ, G, α0,
# δ, p, I0
DEC, KC, KS, W0, A1H, CL1, SL1, A2H, CL2, SL2, SIG, G, A0, DELTA, P, I0 = range(16)


def pack(v) -> np.ndarray:
    return np.array([
        v["D"] + v["gamma"], 0.5 * v["K"] * math.cos(v["beta1"]), 0.5 * v["K"] * math.sin(v["beta1"]),
        2.0 * math.pi / v["tau"], 0.5 * v["A1"], math.cos(v["betaL1"]), math.sin(v["betaL1"]),
        0.5 * v["A2"], math.cos(v["betaL2"]), math.sin(v["betaL2"]), v["sigma"], v["G"], v["alpha0"],
        v["delta"], v["p"], v["I0"],
    ])


@nb.njit(cache=True)
def prepare(u, p, a):
    a[0] = alpha_hill(u[0], p[A0], p[I0], p[P])
    for i in range(1, u.shape[0]):
        a[i] = u[i]
    a[u.shape[0]] = 60.0 * (a[0] + p[DELTA])  # fastest rate (1/h): Process L


@nb.njit(cache=True, inline="always")
def harmonic_forcing(b, r, s, c, a1h, c1, s1, a2h, c2, s2, sig):
    """(dR, dψ) of a drive b acting through Hannay's two-harmonic form (L_R, L_ψ above).

    ``s``/``c`` = sin/cos ψ (computed once by the caller for every term that needs them); ``a1h`` = A₁/2,
    ``c1``/``s1`` = cos/sin β₁, likewise for the second harmonic; ``sig`` the direct phase term. Written once:
    light uses it with (A₁, β_L1, A₂, β_L2, σ), melatonin (models/coupling.py) with its own set.
    """
    c2x = c * c - s * s
    s2x = 2.0 * s * c
    cos1 = c * c1 - s * s1  # cos(ψ + β1)
    sin1 = s * c1 + c * s1
    cos2 = c2x * c2 - s2x * s2  # cos(2ψ + β2)
    sin2 = s2x * c2 + c2x * s2
    r2 = r * r
    r4 = r2 * r2
    r8 = r4 * r4
    dr = b * (a1h * (1.0 - r4) * cos1 + a2h * r * (1.0 - r8) * cos2)
    dpsi = b * (sig - a1h * (r2 * r + 1.0 / r) * sin1 - a2h * (1.0 + r8) * sin2)
    return dr, dpsi


@nb.njit(cache=True, inline="always")
def oscillator(y, alpha, b, s, c, p, dydt):
    """dR/dt, dψ/dt, dn/dt with the light drive ``b`` acting on (R, ψ): B̂ = G α (1 − n) here, scaled by light
    history in the system model (models/system.py). Process L itself (dn/dt) is not scaled. ``s``, ``c``:
    sin/cos ψ (only read when α > 0)."""
    r = y[0]
    n = y[2]
    r4 = r * r * r * r
    dr = -p[DEC] * r + p[KC] * r * (1.0 - r4)
    dpsi = p[W0] + p[KS] * (1.0 + r4)
    if alpha > 0.0:
        lr, lpsi = harmonic_forcing(b, r, s, c, p[A1H], p[CL1], p[SL1], p[A2H], p[CL2], p[SL2], p[SIG])
        dr += lr
        dpsi += lpsi
    dydt[0] = dr
    dydt[1] = dpsi
    dydt[2] = dn_dt(alpha, n, p[DELTA])


@nb.njit(cache=True, inline="always")
def rhs(t, y, a, p, dydt):
    """Hannay 2019 right-hand side for one subject."""
    s, c = libm.sincos(y[1]) if a[0] > 0.0 else (0.0, 1.0)  # the forcing needs them in light only
    oscillator(y, a[0], drive(p[G], a[0], y[2]), s, c, p, dydt)


def free_running_period(v) -> float:
    """Period in darkness implied by the parameters: 2π / (ω₀ + (K/2) sin β₁ (1 + R*⁴)), R*⁴ = 1 − 2(D+γ)/(K cos β₁)
    (models.md §5 [derived]; ≈ 24.18 h although τ = 23.84 h, pitfall P12)."""
    r4 = 1.0 - 2.0 * (v["D"] + v["gamma"]) / (v["K"] * math.cos(v["beta1"]))
    return 2.0 * math.pi / (2.0 * math.pi / v["tau"] + 0.5 * v["K"] * math.sin(v["beta1"]) * (1.0 + r4))


def period_overrides(v, period: float) -> dict[str, float]:
    """The τ that gives a free-running period of ``period`` hours in darkness (inverse of the formula above)."""
    r4 = 1.0 - 2.0 * (v["D"] + v["gamma"]) / (v["K"] * math.cos(v["beta1"]))
    omega0 = 2.0 * math.pi / period - 0.5 * v["K"] * math.sin(v["beta1"]) * (1.0 + r4)
    return {"tau": 2.0 * math.pi / omega0}


MODEL = ClockModel(
    name="hannay2019", title="Hannay, Booth & Forger 2019 (single population)", state=("R", "psi", "n"),
    rhs=rhs, prepare=prepare, pack=pack, marker_kind=MARKER_PHASE, marker_index=1,
    initial=np.array([0.82041911, 1.71383697, 0.52318122]), marker_level=math.pi, cite="hannay2019",
    period_overrides=period_overrides,
)
