"""Inter-individual variation as distributions (issue 8; DESIGN.md, populations).

A virtual population draws, per subject, from published spreads:

* sex (share of women) and the intrinsic period by sex, normal with SD 0.2 h: women 24.09 h, men 24.19 h
  (Duffy et al. 2011, n = 157; 35 % of women and 14 % of men below 24 h);
* photic sensitivity (the clock's light drive, ``photic_sensitivity``): log-normal, median 1, log-SD
  ``photic_log_sd`` — an assumption: Stone et al. 2020 name light sensitivity as a main source of DLMO spread
  but give no distribution;
* melatonin-suppression sensitivity: the individual half-maximal illuminance relative to the group's, log-normal
  with median 1 and a log-SD such that Phillips et al. 2019's individual range (6-350 lux around a group ED50 of
  24.6 lux) is the central 95 %; it scales the suppression gain m inversely (m_i = m / ratio);
* melatonin amplitude (night secretion rate): log-normal, median 1, log-SD from the saliva peaks of 2-84 pg/mL
  (Burgess & Fogg 2008, n = 170, taken as the central 95 %).

``draw(n, seed)`` returns one parameter-override dict per subject for the system model; ``pineal.simulate(...,
population=n, seed=s)`` runs them in one batch.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from pineal.errors import InputError

Z95 = 1.959964


@dataclass(frozen=True)
class Population:
    """The spreads a virtual population is drawn from (defaults: the cited values above)."""

    share_female: float = 0.5
    tau_women_h: float = 24.09
    tau_men_h: float = 24.19
    tau_sd_h: float = 0.20
    photic_log_sd: float = 0.3
    suppression_ed50_range_lux: tuple[float, float] = (6.0, 350.0)
    melatonin_peak_range_pg_ml: tuple[float, float] = (2.0, 84.0)

    def __post_init__(self):
        if not 0.0 <= self.share_female <= 1.0:
            raise InputError("share_female", self.share_female, "a fraction between 0 and 1")
        for name in ("tau_sd_h", "photic_log_sd"):
            v = getattr(self, name)
            if not (math.isfinite(v) and v >= 0):
                raise InputError(name, v, "a finite spread >= 0")

    @staticmethod
    def _log_sd(lo: float, hi: float) -> float:
        """Log-SD of a log-normal whose central 95 % spans lo..hi."""
        return math.log(hi / lo) / (2.0 * Z95)


def draw(n: int, seed: int | None = None, model: str = "hannay2019+melatonin",
         spread: Population | None = None) -> tuple[list[dict[str, float]], dict[str, np.ndarray]]:
    """Per-subject parameter overrides and the drawn traits (sex, tau_h, photic, suppression, amplitude)."""
    from pineal.models.clock import get
    from pineal.simulate import free_running_period

    if isinstance(n, bool) or not isinstance(n, int | np.integer) or n < 1:
        raise InputError("population", n, "a whole number of subjects >= 1")
    spread = spread or Population()
    rng = np.random.default_rng(seed)
    mdl = get(model)
    female = rng.random(n) < spread.share_female
    tau = np.where(female, spread.tau_women_h, spread.tau_men_h) + spread.tau_sd_h * rng.standard_normal(n)
    traits = {"female": female, "tau_h": tau}
    base = mdl.values()
    # the model's own inverse gives τ for a light-only clock; the body's own melatonin lengthens the period a
    # little, corrected once at the population mean (to about a minute per day)
    mean_tau = float(np.mean(tau))
    offset = 0.0
    if mdl.has_melatonin:
        offset = free_running_period(mdl, mdl.intrinsic_period(mean_tau)) - mean_tau
    rows = [mdl.intrinsic_period(float(t) - offset) for t in tau]
    if "photic_sensitivity" in base:
        photic = np.exp(spread.photic_log_sd * rng.standard_normal(n))
        supp = np.exp(Population._log_sd(*spread.suppression_ed50_range_lux) * rng.standard_normal(n))
        amp = np.exp(Population._log_sd(*spread.melatonin_peak_range_pg_ml) * rng.standard_normal(n))
        traits.update(photic_sensitivity=photic, suppression_ed50_ratio=supp, melatonin_amplitude=amp)
        for i, r in enumerate(rows):
            r["photic_sensitivity"] = float(base["photic_sensitivity"] * photic[i])
            if mdl.has_melatonin:
                r["suppression_gain_m"] = float(base["suppression_gain_m"] / supp[i])
                r["secretion_ug_per_h"] = float(base["secretion_ug_per_h"] * amp[i])
    return rows, traits


def percentiles(values, q=(5, 25, 50, 75, 95)) -> dict[str, float]:
    """Percentiles of per-subject values (NaN ignored), keyed 'p5', 'p25', ..."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size == 0:
        return {f"p{k:g}": float("nan") for k in q}
    return {f"p{k:g}": float(np.percentile(v, k)) for k in q}
