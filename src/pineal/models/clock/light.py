"""Process L: the photoreceptor state n shared by every clock model (Kronauer, Forger & Jewett 1999).

    dn/dt = 60 · [α(I)(1 − n) − β n]      (rates per minute, ×60 → per hour; models.md §1)

The forms of α(I) differ by model and live here so no equation appears twice.
"""

from __future__ import annotations

import math

import numba as nb

from pineal import libm


@nb.njit(cache=True, inline="always")
def alpha_power(lux, alpha0, i0, p):
    """α(I) = α₀ (I/I₀)^p (Forger 1999, Jewett 1999)."""
    if lux <= 0.0:
        return 0.0
    return alpha0 * (lux / i0) ** p


@nb.njit(cache=True, inline="always")
def alpha_power_saturating(lux, alpha0, i0, p, i1):
    """α(I) = α₀ (I/I₀)^p · I/(I + I₁) (St Hilaire 2007)."""
    if lux <= 0.0:
        return 0.0
    return alpha0 * (lux / i0) ** p * lux / (lux + i1)


@nb.njit(cache=True, inline="always")
def alpha_hill(lux, alpha0, i0, p):
    """α(I) = α₀ I^p / (I^p + I₀) (Hannay 2019, as implemented; models.md §5)."""
    if lux <= 0.0:
        return 0.0
    ip = lux ** p
    return alpha0 * ip / (ip + i0)


@nb.njit(cache=True, inline="always")
def dn_dt(alpha, n, beta):
    """Process L photoreceptor kinetics, per hour."""
    return 60.0 * (alpha * (1.0 - n) - beta * n)


@nb.njit(cache=True, inline="always")
def drive(g, alpha, n):
    """Ungated light drive B̂ = G α (1 − n) (Hannay 2019; melatonin suppression in Breslow 2013 / Stowe 2025)."""
    return g * alpha * (1.0 - n)


@nb.njit(cache=True, inline="always")
def gated_drive(g, alpha, n, b, x, xc):
    """Light drive to a Kronauer-family oscillator, B = G α (1 − n)(1 − b x)(1 − b x_c) (models.md §1)."""
    return drive(g, alpha, n) * (1.0 - b * x) * (1.0 - b * xc)


@nb.njit(cache=True, inline="always")
def lux_from_alpha_hill(alpha, alpha0, i0, p):
    """The illuminance behind Hannay's α(I) = α₀ I^p/(I^p + I₀) (its exact inverse; 0 for α ≤ 0)."""
    if alpha <= 0.0:
        return 0.0
    return libm.pow(i0 * alpha / (alpha0 - alpha), 1.0 / p)


@nb.njit(cache=True, inline="always")
def nonphotic(r, psi, sleep, rho):
    """St Hilaire et al. 2007's non-photic (sleep/wake) drive, in Hannay's amplitude-phase coordinates.

    N = (π/12) ρ (1/3 − σ)(1 − tanh(10 x)), x = R cos ψ (the Kronauer x; minimum at CBTmin, ψ = π), added to
    dx/dt as in St Hilaire 2007; σ counts as 0 (awake) inside the wake-maintenance zone, 16.5-21 h after CBTmin
    measured on the oscillator's own phase (pitfall P10). Returns (dR, dψ) = (cos ψ N, −sin ψ N / R).
    """
    sn, c = libm.sincos(psi)
    return nonphotic_sc(r, psi, sn, c, sleep, rho)


@nb.njit(cache=True, inline="always")
def nonphotic_sc(r, psi, sn, c, sleep, rho):
    """:func:`nonphotic` given sin ψ and cos ψ (``sn``, ``c``), which the system model shares between terms."""
    ct = libm.mod(psi - math.pi, 2.0 * math.pi) * 12.0 / math.pi
    s = 0.0 if 16.5 < ct < 21.0 else sleep
    n = math.pi / 12.0 * rho * (1.0 / 3.0 - s) * (1.0 - libm.tanh(10.0 * r * c))
    return c * n, -sn * n / r
