"""The body's own melatonin: pineal synthesis gated by clock phase, light suppression, plasma (models.md §6-7).

Breslow et al. 2013 compartments, with the synthesis window in Hannay phase ψ as in Stowe et al. 2025:

    A(ψ)   = a · (1 − e^{−δ·x}) / (1 − e^{−δ·w})      x = mod(ψ − ψ_on, 2π) < w = mod(ψ_off − ψ_on, 2π)  (on)
    A(ψ)   = a · e^{−r·mod(ψ − ψ_off, 2π)}                                                             (off)
    dH₁/dt = −β_IP·H₁ + A(ψ)·(1 − m·B̂)·S
    dH₂/dt =  β_IP·H₁ − k·H₂

* The "off" branch decays with the phase elapsed since ψ_off (pitfall P2: not a constant). With a small δ the
  "on" branch is a ramp, so plasma rises over hours as measured rather than as a square wave (pitfall P7).
* Light suppression: B̂ = G(1 − n)α(I) is the light drive of the clock model. When m·B̂ > 1 the term actively
  removes pineal melatonin; S = 0 only when H₁ < 0.001 pmol/L *and* the term is removing (pitfall P5 — the
  published code dropped active removal). :func:`project` keeps H₁, H₂ ≥ 0 after each step, since a
  removal rate that does not scale with H₁ could overshoot zero inside a step.
* Units: H₁ and H₂ are pg/mL of plasma (H₁ = pineal amount / plasma volume). a = S_night / V: the pineal's
  night-time secretion rate (µg/h) over the plasma volume of the PK model, so the same person's
  clearance k = CL/V (Andersen 2016) eliminates the body's own and a dose's melatonin alike (exogenous
  plasma from ``models/pk.py`` adds linearly).
* Secretion is constant with age in childhood (urinary 6-sulfatoxymelatonin output constant from 3 to 18 y,
  PMID 12485368) and falls after 20 at Waldhauser's 1988 rate, so plasma levels follow body size and age.
"""

from __future__ import annotations

import math

import numba as nb

from pineal import libm

TWO_PI = 2.0 * math.pi


@nb.njit(cache=True, inline="always")
def synthesis(psi, a, psi_on, window, delta, ramp_norm, r_off):
    """Pineal synthesis rate A(ψ) (pg/mL/h) in the window [ψ_on, ψ_on + w), decaying after ψ_off."""
    x = libm.mod(psi - psi_on, TWO_PI)
    inside = x < window
    e = libm.exp(-delta * x if inside else -r_off * (x - window))  # one exp for both pieces (vectorised kernel)
    return a * (1.0 - e) / ramp_norm if inside else a * e


@nb.njit(cache=True, inline="always")
def pineal_rate(h1, synth, bhat, m, beta_ip, floor):
    """dH₁/dt: release to plasma, synthesis scaled by (1 − m B̂), with Breslow's switch S."""
    gain = 1.0 - m * bhat
    if gain < 0.0 and h1 < floor:
        return -beta_ip * h1
    return -beta_ip * h1 + synth * gain


@nb.njit(cache=True, inline="always")
def plasma_rate(h1, h2, beta_ip, k_el):
    """dH₂/dt: pineal release into plasma, first-order elimination."""
    return beta_ip * h1 - k_el * h2


def synthesis_amplitude(secretion_ug_per_h: float, age: float, decline_per_year: float,
                        volume_l: float) -> float:
    """a (pg/mL/h) = night secretion (µg/h, constant to age 20, then × e^{−decline·(age − 20)}) / V (L)."""
    s = secretion_ug_per_h * math.exp(-decline_per_year * max(0.0, age - 20.0))
    return s / volume_l * 1000.0
