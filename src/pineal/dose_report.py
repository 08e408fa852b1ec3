"""What one dose does: the exogenous PK curve against the body's own melatonin (`pineal dose`).

Model hour 0 is midnight (local) of the dose day. The dose's plasma curve comes from ``models.pk``; the body's
own melatonin and the clock from the whole system (``pineal.simulate``, model ``hannay2019+melatonin``) for this
person, entrained to their habitual sleep with ordinary room light while awake. Two runs, with and without the
dose, give the DLMO shift: plasma 10 pg/mL on a dim-light evening (a phase assessment) the day after the dose.
Warnings come from the PK model's validity range and the safety screen.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from pineal import DISCLAIMER, limits, params, schedule
from pineal import exposure as ex
from pineal import products as prods
from pineal.errors import InputError
from pineal.markers import DEFINITION_TEXT
from pineal.models import pk
from pineal.safety import screen as screen_mod
from pineal.simulate import simulate
from pineal.timeline import next_clock_time

#: largest single oral dose with human PK data (Galley 2014: 100 mg)
PK_DATA_MAX_MG = 100.0
#: people in the population interval (one compiled batch): scrambled-Sobol draws (pk.sample_subjects(quasi=True)),
#: whose 5/50/95 % figures are as close to a 10,000-person reference as 1000 pseudo-random draws were
#: (tests/test_dose_population.py states the tolerance); callers may ask for MIN_POPULATION to MAX_POPULATION
N_POPULATION = limits.DOSE_POPULATION
MIN_POPULATION, MAX_POPULATION = limits.DOSE_POPULATION_RANGE
#: the population's time grid: output every 5 min and an RK4 step of 5 min (each person's Cmax and AUC within 1 %
#: of 1-min steps), 2.5 min for intranasal doses (absorption half-life 3 min: within 0.3 %); hours after the dose
POPULATION_OUTPUT_H = 1.0 / 12.0
POPULATION_DT_H = {"intranasal": 1.0 / 24.0}
AFTER_DOSE_H = 36.0
#: reported population interval: 5th-95th percentile of people
PERCENTILES = (5.0, 50.0, 95.0)
#: hours of dim light (schedule.ASSESSMENT_LUX) before habitual sleep on the evening the DLMO is read
DIM_HOURS = 7.0
DLMO_DEFINITION = "plasma_10"


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
    dose_at_wake_pg_ml: float = 0.0
    hours_until_back_to_endogenous: float = 0.0
    saliva_cmax_pg_ml: float = 0.0
    dlmo_shift_h: float = math.nan
    dlmo_without_dose_h: float = math.nan
    dlmo_with_dose_h: float = math.nan
    bioavailability: float = 0.0
    population_cmax_pg_ml: tuple[float, float] = (0.0, 0.0)
    #: metric -> (5th, 50th, 95th percentile) over ``population_size`` people like this one (between-person variation)
    population: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    #: 90% range of the factor by which a study's mean concentration differs from the typical person's
    between_study_factor: tuple[float, float] = (1.0, 1.0)
    daytime_floor_pg_ml: float = 0.0
    product: str | None = None
    product_name: str = ""
    release_h: float | None = None
    population_size: int = N_POPULATION
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
            "dose_level_at_wake_pg_ml": r(self.dose_at_wake_pg_ml),
            "saliva_cmax_pg_ml": r(self.saliva_cmax_pg_ml),
            "dlmo_shift_h": r(self.dlmo_shift_h, 3),
            "dlmo_without_dose": _hhmm(self.dlmo_without_dose_h) if math.isfinite(self.dlmo_without_dose_h) else None,
            "dlmo_with_dose": _hhmm(self.dlmo_with_dose_h) if math.isfinite(self.dlmo_with_dose_h) else None,
            "dlmo_definition": f"{DEFINITION_TEXT[DLMO_DEFINITION]}; dim-light ({schedule.ASSESSMENT_LUX:g} lux) "
                               "evening after the dose day",
            "oral_bioavailability": r(self.bioavailability, 3),
            "population_cmax_pg_ml_5_95": [r(self.population_cmax_pg_ml[0]), r(self.population_cmax_pg_ml[1])],
            "product": self.product, "product_name": self.product_name, "release_h": self.release_h,
            "population_5_50_95": {k: [r(x) for x in v] for k, v in self.population.items()},
            "population_size": self.population_size,
            "population_definition": f"5th, 50th and 95th percentile over {self.population_size} simulated "
                                     "people of this age, weight and sex: between-person variation of oral F, "
                                     "clearance, volume, absorption rate and release rate (pk.sample_subjects, "
                                     "scrambled Sobol draws); the body's own level is the typical person's",
            "between_study_factor_90": [r(self.between_study_factor[0], 3), r(self.between_study_factor[1], 3)],
            "between_study_definition": "90% range of the factor by which the mean concentrations (Cmax, AUC, "
                                        "levels) of a published study differ from the typical person's, from the "
                                        "between-study spread of oral F (log-SD, scripts/calibrate_pk.py): "
                                        "study populations, assays and products differ",
            "daytime_floor_pg_ml": r(self.daytime_floor_pg_ml, 3),
            "assumptions": self.assumptions,
            "label_range": self.label,
            "warnings": self.warnings,
            "definitions": {
                "cmax_pg_ml": "peak plasma melatonin from the dose alone (pg/mL)",
                "t_half_min": "apparent terminal half-life, log-linear fit from tmax+1 h to tmax+5 h",
                "auc_pg_h_per_ml": "area under the dose's plasma curve, 0 to infinity",
                "endogenous_peak_pg_ml": "the model's night peak of the body's own plasma melatonin for this person "
                                         "(age, weight, clearance) on the habitual schedule",
                "dlmo_shift_h": "DLMO without the dose minus DLMO with it, the evening after the dose day (hours, "
                                "advance positive)",
                "hours_above_endogenous_peak": "hours the dose's own plasma melatonin stays above the body's night "
                                               "peak (the body's own night plateau is not counted)",
                "level_at_wake_pg_ml": "total plasma at the next wake time",
                "hours_until_back_to_endogenous": "hours from the dose until its own plasma contribution falls for "
                                                  "good below the body's own level at that moment: the body's "
                                                  "secretion at night, and by day the measured daytime floor "
                                                  "(daytime_floor_pg_ml; morning serum 0-20 pg/mL, daytime below "
                                                  "9.3 pg/mL), which is also above typical assays' quantification "
                                                  "limits (GC-MS 0.5 pg/mL)",
                "daytime_floor_pg_ml": "the body's daytime plasma melatonin as measured (params/"
                                       "endogenous_profile.toml); the model's own secretion is lower by day",
                "dose_level_at_wake_pg_ml": "the dose's part of the plasma level at the next wake time",
            },
            "model": "pineal PK (params pk + pk_fit) and the hannay2019+melatonin system (params melatonin + "
                     "melatonin_fit)",
            "disclaimer": DISCLAIMER,
        }


def _hhmm(h: float) -> str:
    m = round(h * 60) % 1440
    return f"{m // 60:02d}:{m % 60:02d}"


def report(amount, at_clock_h: float = 22.0, route: str = "oral-ir", subject: pk.Subject | None = None,
           wake_clock_h: float = 7.0, sleep_clock_h: float = 23.0, product: str | None = None,
           screen_options: dict | None = None, release_h: float | None = None,
           population: int = N_POPULATION) -> DoseReport:
    """Simulate one dose taken at clock hour ``at_clock_h`` and compare it with the body's own melatonin.

    ``product``: an id or alias from the product library (pineal.products; 'supplement' and 'gummy' still work),
    which sets route and release kinetics; ``release_h``: the release half-life of an unnamed oral-pr product;
    ``population``: people in the population interval (MIN_POPULATION to MAX_POPULATION).
    """
    for name, v in (("at", at_clock_h), ("wake", wake_clock_h), ("sleep", sleep_clock_h)):
        if limits.check_number(v, name, 0.0, 24.0, "a clock hour from 0 to 24 (exclusive), e.g. 21.5") == 24.0:
            raise InputError(name, v, "a clock hour from 0 to 24 (exclusive), e.g. 21.5")
    if subject is not None and not isinstance(subject, pk.Subject):
        raise InputError("subject", type(subject).__name__, "a pineal.models.pk.Subject or None")
    n_people = int(limits.check_number(population, "population", MIN_POPULATION, MAX_POPULATION,
                                       f"a whole number of simulated people from {MIN_POPULATION} to "
                                       f"{MAX_POPULATION:,}", integer=True))
    if product is not None:
        limits.check_name(product, "product", "a product id or alias from the product library (pineal.products)")
    if screen_options is not None and not isinstance(screen_options, dict):
        raise InputError("screen_options", type(screen_options).__name__, "a dict of safety-screen options or None")
    subject = subject or pk.Subject()
    prod = prods.get(product) if product else None
    if prod is not None:
        if route not in ("oral-ir", prod.route):
            raise InputError("route", route, f"{prod.route} (the route of {prod.name}) or leave it out")
        if release_h is not None:
            raise InputError("release-h", release_h, "only without --product (a named product has its own release)")
        dose = prods.dose(prod, amount, time_h=at_clock_h)
    else:
        dose = pk.Dose.parse(amount, time_h=at_clock_h, route=route, release_h=release_h)
    route = dose.route
    hours = at_clock_h + 36.0
    run = pk.simulate([dose], subject=subject, hours=hours)
    t = run.t_h
    exo = run.plasma_pg_ml[0]
    body = body_and_shift(dose, subject, sleep_clock_h, wake_clock_h)
    floor = params.load("endogenous_profile")["daytime_level_pg_ml"]
    endo = np.maximum(np.interp(t, body["t"], body["own"]), floor)
    after = t >= at_clock_h
    ta = t[after] - at_clock_h
    peak = body["peak"]
    wake_h = next_clock_time(at_clock_h, wake_clock_h)
    # the typical person and the population, through one set of exposure end points
    one = _endpoints(ta, exo[None, after], endo[after], peak, wake_h - at_clock_h)
    pop_m = _population(dose, subject, n_people, t, endo, peak, wake_h - at_clock_h)
    table = np.nanpercentile(np.stack(list(pop_m.values())), PERCENTILES, axis=1)  # one call for every metric
    population = {k: tuple(float(x) for x in table[:, i]) for i, k in enumerate(pop_m)}
    level_wake = float(np.interp(wake_h, t, exo + endo))
    # realised systemic fraction for this dose (saturation included): absorbed into plasma / given
    st = run.final_states_ug[0]
    systemic = st[pk.CENTRAL] + st[pk.ELIMINATED]
    bio = systemic / run.given_ug if route in ("oral-ir", "oral-pr") else float("nan")
    saliva_ratio = pk.parameter_set()["saliva_plasma_ratio"]
    between = pk.parameter_set()["oral_bioavailability_between_study_logsd"]
    cmax = float(one["cmax_pg_ml"][0])
    rep = DoseReport(
        dose_mg=dose.amount_mg, route=route, at_clock_h=at_clock_h, wake_clock_h=wake_clock_h,
        sleep_clock_h=sleep_clock_h, subject=subject, t_h=t, exogenous_pg_ml=exo, endogenous_pg_ml=endo,
        cmax_pg_ml=cmax, tmax_min=float(one["tmax_min"][0]),
        t_half_min=float(ex.apparent_half_life_h(ta, exo[after])[0] * 60),
        auc_pg_h_per_ml=float(one["auc_pg_h_per_ml"][0]), endogenous_peak_pg_ml=peak,
        cmax_fold_endogenous=cmax / peak, hours_above_endogenous_peak=float(one["hours_above_endogenous_peak"][0]),
        level_at_wake_pg_ml=level_wake, dose_at_wake_pg_ml=float(one["dose_level_at_wake_pg_ml"][0]),
        hours_until_back_to_endogenous=float(one["hours_until_back_to_endogenous"][0]),
        saliva_cmax_pg_ml=cmax * saliva_ratio,
        bioavailability=float(bio) if route.startswith("oral") else float("nan"),
        dlmo_shift_h=body["shift"], dlmo_without_dose_h=body["dlmo_without"], dlmo_with_dose_h=body["dlmo_with"],
        population_cmax_pg_ml=(population["cmax_pg_ml"][0], population["cmax_pg_ml"][2]),
        population=population, between_study_factor=(math.exp(-1.645 * between), math.exp(1.645 * between)),
        daytime_floor_pg_ml=floor, product=prod.id if prod else None, product_name=prod.name if prod else "",
        release_h=dose.release_h, population_size=n_people,
        assumptions=run.assumptions + pk.individual_parameters(subject)[1],
    )
    label_class = prod.label_class if prod else "supplement"
    screen_product = label_class if label_class in ("supplement", "gummy") else None
    warnings = safety_warnings(rep, product=screen_product, **(screen_options or {}))
    if label_class == "licensed":  # a licensed medicine's content is controlled: no supplement label range
        warnings = [w for w in warnings if w["code"] != "label_uncertainty"]
    rep.warnings = model_warnings(rep) + warnings + [
        {"code": "not_entrained", "level": "caution", "message": n.replace("the daily schedule", "the habitual "
                                                                           "sleep and wake times")}
        for n in body["notes"]]
    rep.label = label_range(rep, label_class, dose)
    return rep


def _population(dose: pk.Dose, subject: pk.Subject, n: int, t: np.ndarray, endo: np.ndarray, peak: float,
                wake_after_h: float) -> dict:
    """Exposure end points for ``n`` people like ``subject`` (quasi-random draws, seed 1): the dose given at model
    hour 0 and ``AFTER_DOSE_H`` simulated (nothing happens before a dose, and the PK model does not depend on the
    clock time), compared with the body's own level ``endo`` (on ``t``, clock hours) at the same clock times."""
    pop = pk.sample_subjects(n, subject, seed=1, quasi=True)
    run = pk.simulate([replace(dose, time_h=0.0)], hours=AFTER_DOSE_H, subjects=pop,
                      dt_h=POPULATION_DT_H.get(dose.route, POPULATION_OUTPUT_H), output_every_h=POPULATION_OUTPUT_H)
    return _endpoints(run.t_h, run.plasma_pg_ml, np.interp(run.t_h + dose.time_h, t, endo), peak, wake_after_h)


def _endpoints(t: np.ndarray, c: np.ndarray, own: np.ndarray, peak: float, wake_after_h: float) -> dict:
    """Exposure end points of dose curves ``c`` (subjects x times, hours after the dose) against the body's own
    level ``own`` (same times, daytime floor included) and night ``peak``: one value per subject."""
    cmax, tmax = ex.cmax_tmax(t, c)
    auc = ex.auc_inf(t, c)
    above = ex.hours_above(t, c, peak)  # the dose's own level: the body's night plateau must not count
    j = int(np.clip(np.searchsorted(t, wake_after_h), 1, t.size - 1))  # np.interp of every row at once
    w = float(np.clip((wake_after_h - t[j - 1]) / (t[j] - t[j - 1]), 0.0, 1.0))
    at_wake = (1.0 - w) * c[:, j - 1] + w * c[:, j]
    excess = c > np.maximum(own, 1e-9)[None, :]
    last = np.where(excess.any(axis=1), excess.shape[1] - 1 - np.argmax(excess[:, ::-1], axis=1), -1)
    back = np.where(last >= 0, t[np.maximum(last, 0)], 0.0)
    return {"cmax_pg_ml": cmax, "tmax_min": tmax * 60, "auc_pg_h_per_ml": auc, "hours_above_endogenous_peak": above,
            "dose_level_at_wake_pg_ml": at_wake, "hours_until_back_to_endogenous": back}


def body_and_shift(dose: pk.Dose, subject: pk.Subject, sleep_clock_h: float, wake_clock_h: float) -> dict:
    """The body's own melatonin without the dose, its night peak, and the DLMO with and without the dose.

    Both arms start entrained to the habitual sleep (darkness) with room light while awake; on the evening after
    the dose day the light is dim for ``DIM_HOURS`` before habitual sleep, and the DLMO is read there.
    """
    onset = next_clock_time(36.0, sleep_clock_h)
    home = schedule.daily(sleep_clock_h, wake_clock_h, lux=schedule.ROOM_LUX)
    light = home.expand(onset + 24.0).with_light(onset - DIM_HOURS, onset, schedule.ASSESSMENT_LUX)
    res = simulate(days=(onset + 12.0) / 24.0, light=light, doses=[[dose], []], subject=subject, entrain=home,
                   sleep=(_hhmm(sleep_clock_h), _hhmm(wake_clock_h)), record_every=1)
    dlmo = res.dlmo(per_day=False, definition=DLMO_DEFINITION)
    after = np.where(np.isfinite(dlmo) & (dlmo > onset - DIM_HOURS), dlmo, np.inf).min(axis=1)
    own = res.endogenous[1]
    first_sleep = next_clock_time(max(0.0, dose.time_h - 12.0), sleep_clock_h)
    asleep_h = max((wake_clock_h - sleep_clock_h) % 24.0, 2 * res.dt)  # a night shorter than a step still has one
    night = (res.times >= first_sleep) & (res.times < first_sleep + asleep_h)
    with_dose, without = (float(v) if np.isfinite(v) else math.nan for v in after)
    peak = float(own[night].max())
    if not peak > 0:  # asleep only while the clock makes none (a daytime nap): the day's own peak instead
        peak = float(own[(res.times >= first_sleep - 12.0) & (res.times < first_sleep + 12.0)].max())
    return {"t": res.times, "own": own, "peak": peak, "dlmo_with": with_dose,
            "dlmo_without": without, "shift": without - with_dose, "notes": res.notes}


def model_warnings(rep: DoseReport) -> list[dict[str, str]]:
    """Where the PK model itself is outside its data."""
    out = []
    if rep.route.startswith("oral") and rep.dose_mg > PK_DATA_MAX_MG:
        out.append({"code": "beyond_pk_data", "level": "danger",
                    "message": (f"{rep.dose_mg:g} mg is {rep.dose_mg / PK_DATA_MAX_MG:.0f}x the largest single dose "
                                "with human PK data (100 mg, Galley 2014): the curve is an extrapolation. Above ~30 "
                                "mg the model limits absorption by melatonin's low solubility in the gut's water "
                                "(slower, later peak; part passes undissolved) and lets first pass saturate "
                                "(DAMSEL2); both magnitudes are uncertain, so real exposure may be higher or lower.")})
    if rep.assumptions:
        out.append({"code": "assumed_parameters", "level": "info",
                    "message": "This result uses parameters with no published magnitude (assumed): "
                               + ", ".join(sorted(set(rep.assumptions)))})
    return out


def safety_warnings(rep: DoseReport, product: str | None = None, **options) -> list[dict[str, str]]:
    """Clinical warnings from the safety screen (pineal.safety), given this dose's exposure."""
    exposure = screen_mod.Exposure(cmax_pg_ml=rep.cmax_pg_ml, cmax_fold_endogenous=rep.cmax_fold_endogenous,
                                   hours_above_endogenous_peak=rep.hours_above_endogenous_peak,
                                   level_at_wake_pg_ml=rep.level_at_wake_pg_ml,
                                   dose_at_wake_pg_ml=rep.dose_at_wake_pg_ml)
    found = screen_mod.screen(rep.dose_mg, route=rep.route, age=rep.subject.age, drugs=rep.subject.drugs,
                              exposure=exposure, clock_hour=rep.at_clock_h, product=product, **options)
    return [{"code": w.code, "level": w.level, "message": w.message} for w in found]


def label_range(rep: DoseReport, product: str = "supplement", dose: pk.Dose | None = None) -> dict[str, Any]:
    """What measured label inaccuracy (Erland 2017; Cohen 2023) means in plasma: Cmax at the lowest and highest
    delivered amount for a product labelled ``rep.dose_mg`` (a licensed medicine: the labelled amount)."""
    if product == "licensed":
        lo = hi = rep.dose_mg
    else:
        lo, hi = screen_mod.label_range_mg(rep.dose_mg, product)
    dose = dose or pk.Dose.parse(rep.dose_mg, time_h=rep.at_clock_h, route=rep.route)
    p, _ = pk.individual_parameters(rep.subject)
    run = pk.simulate([dose], hours=rep.at_clock_h + 24.0, subjects=np.repeat(p[None, :], 2, axis=0),
                      amount_scale=np.array([lo, hi]) / rep.dose_mg, output_every_h=1 / 60)
    cmax = run.plasma_pg_ml.max(axis=1)
    return {"product": product, "delivered_mg": [lo, hi], "cmax_pg_ml": [float(f"{c:.4g}") for c in cmax],
            "cmax_fold_endogenous": [float(f"{c / rep.endogenous_peak_pg_ml:.4g}") for c in cmax]}
