"""Empirical endogenous plasma melatonin: the PK layer's reference for the body's own level in serum data.

The mechanistic model (models/melatonin.py in models/system.py) is what pineal uses for the body's own melatonin
everywhere a person sees it; this profile stays as a fixed data summary for scripts/calibrate_pk.py (and the
PK-8/PK-10 rows), so the PK fit does not depend on the melatonin fit, which itself uses the PK model.

Level by age from Waldhauser 1988 (night serum 23:00-01:00); timing from habitual sleep: the plasma curve crosses
10 pg/mL (DLMO) 2 h before sleep onset (Sletten 2010), peaks 4.5 h after sleep onset (03:30 for 23:00 sleep),
and falls back through 10 pg/mL 10 h after DLMO (convention). Rise and fall are raised-cosine ramps between the
daytime level and the peak, placed so that the 10 pg/mL crossings land exactly at those times.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pineal import params
from pineal.errors import InputError


def night_peak_pg_ml(age: float) -> float:
    """Night-time plasma level by age (Waldhauser 1988 fits; linear from the infant value to age 1)."""
    if not (math.isfinite(age) and 0 <= age <= 120):
        raise InputError("age", age, "an age in years between 0 and 120")
    p = params.load("endogenous_profile")
    if age >= 20:
        return p["adult_level_a_pg_ml"] * math.exp(-p["adult_level_k_per_year"] * age)
    one = p["child_level_a_pg_ml"] * math.exp(-p["child_level_k_per_year"] * 1.0)
    if age >= 1:
        return p["child_level_a_pg_ml"] * math.exp(-p["child_level_k_per_year"] * age)
    return p["infant_level_pg_ml"] + (one - p["infant_level_pg_ml"]) * age


@dataclass(frozen=True)
class EndogenousProfile:
    """Plasma melatonin made by the body for habitual sleep onset ``sleep_h`` (clock hours) and ``age``."""

    sleep_h: float = 23.0
    age: float = 30.0

    def __post_init__(self):
        if not (math.isfinite(self.sleep_h) and 0 <= self.sleep_h < 24):
            raise InputError("sleep", self.sleep_h, "a habitual sleep-onset clock time, 00:00-23:59")
        night_peak_pg_ml(self.age)

    @property
    def peak_pg_ml(self) -> float:
        return night_peak_pg_ml(self.age)

    def _times(self):
        p = params.load("endogenous_profile")
        base, peak, thr = p["daytime_level_pg_ml"], self.peak_pg_ml, p["dlmo_threshold_pg_ml"]
        dlmo = self.sleep_h - p["dlmo_before_sleep_h"]
        t_peak = self.sleep_h + p["peak_after_sleep_onset_h"]
        offset = dlmo + p["offset_after_dlmo_h"]
        # fraction of the rise at which the curve crosses the threshold (0 if the peak is below threshold)
        q = min(max((thr - base) / (peak - base), 0.0), 1.0) if peak > base else 0.0
        frac = math.acos(1.0 - 2.0 * q) / math.pi  # raised cosine: (1 - cos(pi x))/2 = q
        # rise: start t_on, reaching the peak at t_peak; choose t_on so the crossing is at dlmo
        t_on = (dlmo - frac * t_peak) / (1.0 - frac) if frac < 1 else dlmo
        # fall: from t_peak to t_end, crossing at offset: fall fraction (1 + cos(pi x))/2 = q -> x = 1 - frac
        t_end = t_peak + (offset - t_peak) / (1.0 - frac) if frac < 1 else offset
        return base, peak, t_on, t_peak, t_end, dlmo

    def dlmo_h(self) -> float:
        """Plasma DLMO (10 pg/mL rising crossing), clock hours (may exceed 24 for late sleepers)."""
        return self._times()[5]

    def plasma(self, clock_h) -> np.ndarray:
        """Plasma melatonin (pg/mL) at clock hours (any real numbers; the profile repeats every 24 h)."""
        base, peak, t_on, t_peak, t_end, _ = self._times()
        t = np.asarray(clock_h, dtype=float)
        # place each time in the cycle that starts at t_on
        x = t_on + np.mod(t - t_on, 24.0)
        rise = (x >= t_on) & (x < t_peak)
        fall = (x >= t_peak) & (x < t_end)
        c = np.full(x.shape, base)
        c = np.where(rise, base + (peak - base) * 0.5 * (1 - np.cos(np.pi * (x - t_on) / (t_peak - t_on))), c)
        c = np.where(fall, base + (peak - base) * 0.5 * (1 + np.cos(np.pi * (x - t_peak) / (t_end - t_peak))), c)
        return c
