"""What one dose does: the exogenous PK curve against the body's own melatonin (`pineal dose`).

Model hour 0 is midnight (local) of the dose day. The dose's plasma curve comes from ``models.pk``; the body's
own from ``models.endogenous_profile`` (empirical, until the pineal model lands). Warnings come from the PK
model's validity range and, when available, the safety screen.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from pineal import DISCLAIMER
from pineal import exposure as ex
from pineal.errors import InputError
from pineal.models import pk
from pineal.models.endogenous_profile import EndogenousProfile
from pineal.safety import screen as screen_mod
from pineal.timeline import next_clock_time

#: largest single oral dose with human PK data (Galley 2014: 100 mg)
PK_DATA_MAX_MG = 100.0
#: population draws for the variability interval
N_POPULATION = 400


@dataclass
class DoseReport:
    dose_mg: float
    route: str
    at_clock_h: float
    wake_clock_h: float
    sleep_clock_h: float
    subject: pk.Subject
    t_h: np.ndarray = field(repr=False)
    exogenous_pg_ml: np.ndarray = field(repr=False)
    endogenous_pg_ml: np.ndarray = field(repr=False)
    cmax_pg_ml: float = 0.0
    tmax_min: float = 0.0
    t_half_min: float = 0.0
    auc_pg_h_per_ml: float = 0.0
    endogenous_peak_pg_ml: float = 0.0
    cmax_fold_endogenous: float = 0.0
    hours_above_endogenous_peak: float = 0.0
    level_at_wake_pg_ml: float = 0.0
    hours_until_back_to_endogenous: float = 0.0
    saliva_cmax_pg_ml: float = 0.0
    bioavailability: float = 0.0
    population_cmax_pg_ml: tuple[float, float] = (0.0, 0.0)
    assumptions: list[str] = field(default_factory=list)
    warnings: list[dict[str, str]] = field(default_factory=list)
    label: dict[str, Any] = field(default_factory=dict)

    @property
    def total_pg_ml(self) -> np.ndarray:
        return self.exogenous_pg_ml + self.endogenous_pg_ml

    def as_json(self) -> dict[str, Any]:
        """The stable JSON object of `pineal dose --json` (documented in docs/dose-json.md)."""
        def r(x, n=4):
            return float(f"{x:.{n}g}") if math.isfinite(x) else None
        return {
            "dose_mg": r(self.dose_mg, 6), "route": self.route,
            "at": _hhmm(self.at_clock_h), "wake": _hhmm(self.wake_clock_h), "habitual_sleep": _hhmm(self.sleep_clock_h),
            "subject": {k: (list(v) if isinstance(v, tuple) else v) for k, v in asdict(self.subject).items()},
            "cmax_pg_ml": r(self.cmax_pg_ml), "tmax_min": r(self.tmax_min, 3), "t_half_min": r(self.t_half_min, 3),
            "auc_pg_h_per_ml": r(self.auc_pg_h_per_ml),
            "endogenous_peak_pg_ml": r(self.endogenous_peak_pg_ml, 3),
            "cmax_fold_endogenous": r(self.cmax_fold_endogenous),
            "hours_above_endogenous_peak": r(self.hours_above_endogenous_peak, 3),
            "hours_until_back_to_endogenous": r(self.hours_until_back_to_endogenous, 3),
            "level_at_wake_pg_ml": r(self.level_at_wake_pg_ml),
            "saliva_cmax_pg_ml": r(self.saliva_cmax_pg_ml),
            "oral_bioavailability": r(self.bioavailability, 3),
            "population_cmax_pg_ml_5_95": [r(self.population_cmax_pg_ml[0]), r(self.population_cmax_pg_ml[1])],
            "assumptions": self.assumptions,
            "label_range": self.label,
            "warnings": self.warnings,
            "definitions": {
                "cmax_pg_ml": "peak plasma melatonin from the dose alone (pg/mL)",
                "t_half_min": "apparent terminal half-life, log-linear fit from tmax+1 h to tmax+5 h",
                "auc_pg_h_per_ml": "area under the dose's plasma curve, 0 to infinity",
                "endogenous_peak_pg_ml": "night-time plasma level for this age (Waldhauser 1988)",
                "hours_above_endogenous_peak": "hours total plasma (dose + body) stays above the night peak",
                "level_at_wake_pg_ml": "total plasma at the next wake time",
            },
            "model": "pineal PK (params pk + pk_fit) with the empirical endogenous profile",
            "disclaimer": DISCLAIMER,
        }


def _hhmm(h: float) -> str:
    m = round(h * 60) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def report(amount, at_clock_h: float = 22.0, route: str = "oral-ir", subject: pk.Subject | None = None,
           wake_clock_h: float = 7.0, sleep_clock_h: float = 23.0, product: str | None = None,
           screen_options: dict | None = None) -> DoseReport:
    """Simulate one dose taken at clock hour ``at_clock_h`` and compare it with the body's own melatonin."""
    subject = subject or pk.Subject()
    dose = pk.Dose.parse(amount, time_h=at_clock_h, route=route)
    for name, v in (("at", at_clock_h), ("wake", wake_clock_h), ("sleep", sleep_clock_h)):
        if not (math.isfinite(v) and 0 <= v < 24):
            raise InputError(name, v, "a clock time 00:00-23:59")
    hours = at_clock_h + 36.0
    run = pk.simulate([dose], subject=subject, hours=hours)
    t = run.t_h
    exo = run.plasma_pg_ml[0]
    endo_model = EndogenousProfile(sleep_h=sleep_clock_h, age=subject.age)
    endo = endo_model.plasma(t)
    after = t >= at_clock_h
    ta, ea = t[after] - at_clock_h, exo[after]
    cmax, tmax = ex.cmax_tmax(ta, ea)
    t_half = ex.apparent_half_life_h(ta, ea)[0]
    auc = ex.auc_inf(ta, ea)[0]
    peak = endo_model.peak_pg_ml
    total = exo + endo
    wake_h = next_clock_time(at_clock_h, wake_clock_h)
    level_wake = float(np.interp(wake_h, t, total))
    above = ex.hours_above(ta, (total[after])[None, :], peak)[0]
    # time from the dose until the dose's own contribution falls below the body's level at that moment
    excess = ea > np.maximum(endo[after], 1e-9)
    back = float(ta[np.nonzero(excess)[0][-1]]) if excess.any() else 0.0
    # realised systemic fraction for this dose (saturation included): absorbed into plasma / given
    st = run.final_states_ug[0]
    systemic = st[pk.CENTRAL] + st[pk.ELIMINATED]
    bio = systemic / run.given_ug if route in ("oral-ir", "oral-pr") else float("nan")
    pop = pk.sample_subjects(N_POPULATION, subject, seed=1)
    pop_run = pk.simulate([dose], hours=hours, subjects=pop, output_every_h=1 / 12)
    pop_cmax = pop_run.plasma_pg_ml.max(axis=1)
    saliva_ratio = pk.parameter_set()["saliva_plasma_ratio"]
    rep = DoseReport(
        dose_mg=dose.amount_mg, route=route, at_clock_h=at_clock_h, wake_clock_h=wake_clock_h,
        sleep_clock_h=sleep_clock_h, subject=subject, t_h=t, exogenous_pg_ml=exo, endogenous_pg_ml=endo,
        cmax_pg_ml=float(cmax[0]), tmax_min=float(tmax[0] * 60), t_half_min=float(t_half * 60),
        auc_pg_h_per_ml=float(auc), endogenous_peak_pg_ml=peak, cmax_fold_endogenous=float(cmax[0] / peak),
        hours_above_endogenous_peak=float(above), level_at_wake_pg_ml=level_wake,
        hours_until_back_to_endogenous=back, saliva_cmax_pg_ml=float(cmax[0] * saliva_ratio),
        bioavailability=float(bio) if route.startswith("oral") else float("nan"),
        population_cmax_pg_ml=(float(np.percentile(pop_cmax, 5)), float(np.percentile(pop_cmax, 95))),
        assumptions=run.assumptions + pk.individual_parameters(subject)[1],
    )
    rep.warnings = model_warnings(rep) + safety_warnings(rep, product=product, **(screen_options or {}))
    rep.label = label_range(rep, product or "supplement")
    return rep


def model_warnings(rep: DoseReport) -> list[dict[str, str]]:
    """Where the PK model itself is outside its data."""
    out = []
    if rep.route.startswith("oral") and rep.dose_mg > PK_DATA_MAX_MG:
        out.append({"code": "beyond_pk_data", "level": "danger",
                    "message": (f"{rep.dose_mg:g} mg is {rep.dose_mg / PK_DATA_MAX_MG:.0f}x the largest single dose "
                                "with human PK data (100 mg, Galley 2014): the curve is an extrapolation. First-pass "
                                "saturation (DAMSEL2) means real exposure may be higher still.")})
    if rep.assumptions:
        out.append({"code": "assumed_parameters", "level": "info",
                    "message": "This result uses parameters with no published magnitude (assumed): "
                               + ", ".join(sorted(set(rep.assumptions)))})
    return out


def safety_warnings(rep: DoseReport, product: str | None = None, **options) -> list[dict[str, str]]:
    """Clinical warnings from the safety screen (pineal.safety), given this dose's exposure."""
    exposure = screen_mod.Exposure(cmax_pg_ml=rep.cmax_pg_ml, cmax_fold_endogenous=rep.cmax_fold_endogenous,
                                   hours_above_endogenous_peak=rep.hours_above_endogenous_peak,
                                   level_at_wake_pg_ml=rep.level_at_wake_pg_ml)
    found = screen_mod.screen(rep.dose_mg, route=rep.route, age=rep.subject.age, drugs=rep.subject.drugs,
                              exposure=exposure, clock_hour=rep.at_clock_h, product=product, **options)
    return [{"code": w.code, "level": w.level, "message": w.message} for w in found]


def label_range(rep: DoseReport, product: str = "supplement") -> dict[str, Any]:
    """What measured label inaccuracy (Erland 2017; Cohen 2023) means in plasma: Cmax at the lowest and highest
    delivered amount for a product labelled ``rep.dose_mg``."""
    lo, hi = screen_mod.label_range_mg(rep.dose_mg, product)
    dose = pk.Dose.parse(rep.dose_mg, time_h=rep.at_clock_h, route=rep.route)
    p, _ = pk.individual_parameters(rep.subject)
    run = pk.simulate([dose], hours=rep.at_clock_h + 24.0, subjects=np.repeat(p[None, :], 2, axis=0),
                      amount_scale=np.array([lo, hi]) / rep.dose_mg, output_every_h=1 / 60)
    cmax = run.plasma_pg_ml.max(axis=1)
    return {"product": product, "delivered_mg": [lo, hi], "cmax_pg_ml": [float(f"{c:.4g}") for c in cmax],
            "cmax_fold_endogenous": [float(f"{c / rep.endogenous_peak_pg_ml:.4g}") for c in cmax]}
