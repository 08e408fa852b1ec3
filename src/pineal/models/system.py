"""The whole system in one state vector: Hannay 2019 clock + pineal and plasma melatonin + melatonin forcing.

    state (R, ψ, n, H₁, H₂, L); inputs (lux, sleep, exogenous plasma melatonin C_exo in pg/mL)

    d(R, ψ, n)/dt = Hannay 2019 (light)                                   models/clock/hannay2019.py
                    + melatonin forcing of M(H₂ + C_exo)                  models/coupling.py
    d(H₁, H₂)/dt  = pineal synthesis gated by ψ, suppressed by light       models/melatonin.py
    dL/dt         = (B̂ − L)/τ: light history, dividing the light drive by 1 + k L   (params/light_pathway.toml)

The exogenous plasma level comes from the PK model (``models/pk.py``) as an input: melatonin elimination is
linear, so a dose's plasma melatonin adds to the body's own, and the clock feels the sum. Parameters: the
Hannay set, ``params/melatonin.toml`` (literature) and ``params/melatonin_fit.toml`` (written by
``scripts/calibrate_melatonin.py``); the plasma volume and clearance are the PK model's (per subject).
"""

from __future__ import annotations

import math
from functools import cache

import numba as nb
import numpy as np

from pineal import libm
from pineal.models import coupling, melatonin
from pineal.models.clock import MARKER_PHASE, ClockModel, light
from pineal.models.clock import hannay2019 as hannay
from pineal.models.clock.light import drive
from pineal.schedule import N_INPUTS

NAME = "hannay2019+melatonin"
N_CLOCK = 16  # length of Hannay's packed vector
(BETA_IP, K_EL, A_SYN, PSI_ON, WINDOW, DELTA, RAMP_NORM, R_OFF, M_SUP, H1_FLOOR, B1H, C1, S1, B2H, C2, S2, EPS,
 EC50, HILL, SUP_DIRECT, SUP_ED50, SUP_HILL, SUP_GAIN, NP_RHO, HIST_K, HIST_RATE,
 G_SCALE, HIST_HALF, HIST_SHIFT) = range(N_CLOCK, N_CLOCK + 29)
H1, H2, HIST = 3, 4, 5
PG_ML_PER_PMOL_L = 1.0 / 4.305  # models.md conventions (molar mass 232.28 g/mol)


def defaults() -> dict[str, float]:
    """Subject-level values from the PK layer: a typical subject's plasma volume and clearance, age."""
    return dict(_typical_subject())


@cache
def _typical_subject() -> tuple[tuple[str, float], ...]:
    """Computed once: every parameter lookup of the model merges these in."""
    from pineal.models import pk

    p, _ = pk.individual_parameters(pk.Subject())
    return tuple(subject_values(p, pk.Subject().age).items())


def subject_values(pk_vector: np.ndarray, age: float) -> dict[str, float]:
    """Overrides for one person, from their PK parameter vector (V, CL) and age."""
    from pineal.models import pk

    return {"plasma_volume_l": float(pk_vector[pk.P_V]),
            "plasma_elimination_per_h": float(pk_vector[pk.P_CL] / pk_vector[pk.P_V]), "age_years": float(age)}


def pack(v) -> np.ndarray:
    window = (v["psi_off"] - v["psi_on"]) % (2.0 * math.pi)
    a = melatonin.synthesis_amplitude(v["secretion_ug_per_h"], v["age_years"], v["secretion_decline_per_year"],
                                      v["plasma_volume_l"])
    mel = [
        v["beta_ip_per_h"], v["plasma_elimination_per_h"], a, v["psi_on"], window, v["ramp_delta"],
        1.0 - math.exp(-v["ramp_delta"] * window), v["off_decay_r"], v["suppression_gain_m"],
        v["pineal_floor_pmol_l"] * PG_ML_PER_PMOL_L,
        0.5 * v["forcing_B1"], math.cos(v["forcing_theta1"]), math.sin(v["forcing_theta1"]),
        0.5 * v["forcing_B2"], math.cos(v["forcing_theta2"]), math.sin(v["forcing_theta2"]), v["forcing_epsilon"],
        v["drive_ec50_pg_ml"], v["drive_hill"],
        v["suppression_direct"], v["suppression_ed50_lux"], v["suppression_hill"], v["suppression_direct_gain"],
        v["nonphotic_rho"], v["history_gain_k"], 1.0 / v["history_tau_h"], v["photic_sensitivity"],
        v["history_half_lux"], v["history_half_saturation_k"],
    ]
    return np.concatenate([hannay.pack(v), np.array(mel)])


#: slots of ``a`` after the inputs and the fastest rate, filled by prepare() from the input alone: the decoupled
#: light suppression, I^p (for the adapted α(I)) and the saturating light-history signal I/(I + I_h)
SUPP, IPOW, SAT = N_INPUTS + 1, N_INPUTS + 2, N_INPUTS + 3
N_DERIVED = 3


@nb.njit(cache=True)
def prepare(u, p, a):
    """Hannay's α(I) and fastest rate; the terms of the light-pathway options that depend on the input alone."""
    hannay.prepare(u, p, a)
    a[SUPP] = 0.0
    a[IPOW] = 0.0
    a[SAT] = 0.0
    if p[SUP_DIRECT] > 0.0 or p[HIST_SHIFT] > 0.0 or p[HIST_HALF] > 0.0:
        lux = light.lux_from_alpha_hill(a[0], p[hannay.A0], p[hannay.I0], p[hannay.P])
        if p[SUP_DIRECT] > 0.0:  # suppression decoupled from resetting: its own curve in lux (Rahman 2018)
            a[SUPP] = coupling.hill_fraction(lux, p[SUP_ED50], p[SUP_HILL])
        if p[HIST_SHIFT] > 0.0 and lux > 0.0:
            a[IPOW] = libm.pow(lux, p[hannay.P])
        if p[HIST_HALF] > 0.0:
            a[SAT] = lux / (lux + p[HIST_HALF])


@nb.njit(cache=True, inline="always")
def rhs(t, y, a, p, dydt):
    """Clock (Hannay 2019 with light) + melatonin forcing + pineal and plasma compartments, one subject."""
    alpha = a[0]
    if p[HIST_SHIFT] > 0.0:  # light adaptation moves the half-saturation of α(I) to I₀ (1 + k_I L)
        alpha = p[hannay.A0] * a[IPOW] / (a[IPOW] + p[hannay.I0] * (1.0 + p[HIST_SHIFT] * y[HIST]))
    bhat = drive(p[hannay.G], alpha, y[2])
    r = y[0]
    psi = y[1]
    s, c = libm.sincos(psi)  # once, for the light and melatonin forcing and the non-photic drive
    # light history (Burgess 2013, Chang 2011): the drive is divided by 1 + k L, L a leaky mean over τ of B̂ or,
    # with a half-saturation I_h > 0, of the saturating signal I/(I + I_h) (room light adapts as much as bright)
    hannay.oscillator(y, alpha, bhat * p[G_SCALE] / (1.0 + p[HIST_K] * y[HIST]), s, c, p, dydt)
    signal = a[SAT] if p[HIST_HALF] > 0.0 else bhat
    dydt[HIST] = (signal - y[HIST]) * p[HIST_RATE]
    h1 = y[H1]
    h2 = y[H2]
    m = coupling.hill_fraction(h2 + a[2], p[EC50], p[HILL])
    if m > 0.0:
        mr, mpsi = hannay.harmonic_forcing(m, r, s, c, p[B1H], p[C1], p[S1], p[B2H], p[C2], p[S2], p[EPS])
        dydt[0] += mr
        dydt[1] += mpsi
    if p[NP_RHO] != 0.0:
        nr, npsi = light.nonphotic_sc(r, psi, s, c, a[1], p[NP_RHO])
        dydt[0] += nr
        dydt[1] += npsi
    synth = melatonin.synthesis(psi, p[A_SYN], p[PSI_ON], p[WINDOW], p[DELTA], p[RAMP_NORM], p[R_OFF])
    if p[SUP_DIRECT] > 0.0:  # the decoupled suppression a[SUPP] (prepare)
        dydt[H1] = melatonin.pineal_rate(h1, synth, a[SUPP], p[SUP_GAIN], p[BETA_IP], p[H1_FLOOR])
    else:  # Breslow 2013: the clock's own light drive B
        dydt[H1] = melatonin.pineal_rate(h1, synth, bhat, p[M_SUP], p[BETA_IP], p[H1_FLOOR])
    dydt[H2] = melatonin.plasma_rate(h1, h2, p[BETA_IP], p[K_EL])


@nb.njit(cache=True, inline="always")
def project(y):
    """Concentrations stay ≥ 0 (see models/melatonin.py)."""
    if y[H1] < 0.0:
        y[H1] = 0.0
    if y[H2] < 0.0:
        y[H2] = 0.0


MODEL = ClockModel(
    name=NAME, title="Hannay 2019 clock + Breslow 2013 pineal/plasma melatonin + dose-sensitive melatonin forcing",
    state=("R", "psi", "n", "H1", "H2", "L"), rhs=rhs, prepare=prepare, pack=pack, marker_kind=MARKER_PHASE,
    marker_index=1, initial=np.array([0.82041911, 1.71383697, 0.52318122, 0.0, 0.0, 0.0]), marker_level=math.pi,
    cite="hannay2019", project=project, level_index=H2,
    param_sets=("clock/hannay2019", "melatonin", "light_pathway", "melatonin_fit"), derived=defaults,
    period_overrides=hannay.period_overrides, n_derived=N_DERIVED,
)
