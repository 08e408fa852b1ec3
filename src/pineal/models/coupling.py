"""How plasma melatonin moves the clock: a concentration–response drive and its forcing of the oscillator.

    M(C)  = C^h / (C^h + EC50^h)                  C = the body's own + a dose's plasma melatonin (pg/mL)
    M_R, M_ψ = the two-harmonic form of Hannay's light forcing with M as the drive and its own
               (B₁, θ₁, B₂, θ₂, ε)                (Stowe et al. 2025 structure; hannay2019.harmonic_forcing)

Why this form (pitfall P4): Stowe et al. used a steep sigmoid half-saturated at ≈ 70 pg/mL, the body's own
night level, so every pharmacological dose saturated the drive and dose could only change its duration; the
0.5 mg PRC came out flat. A receptor-occupancy (Hill) curve with its own half-maximum, fitted jointly to the 0.5 mg
and 3 mg PRCs (``scripts/calibrate_melatonin.py``), keeps the drive graded over the 50-5000 pg/mL that 0.1-10 mg
produce: a larger dose drives harder *and* longer. The Hill exponent h is free, so the fit can choose between a
switch-like (large h) and a log-like (h < 1) response; docs/melatonin.md reports the alternatives tried.
"""

from __future__ import annotations

import numba as nb

from pineal import libm


@nb.njit(cache=True, inline="always")
def hill_fraction(x, half, n):
    """Fraction of the maximal response at ``x``: x^n/(x^n + half^n). The melatonin drive at plasma concentration x
    (pg/mL, receptor occupancy) and the decoupled light suppression at x lux (Phillips 2019) both use it."""
    if x <= 0.0:
        return 0.0
    r = libm.pow(x / half, n)
    return r / (1.0 + r)
