"""Dose screen: the cautions that apply to one melatonin dose for one person (pharmacology.md G).

The screen describes and warns; it never suggests a dose above the evidence-based range for the purpose.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from pineal.errors import InputError
from pineal.quantities import parse_mass_mg
from pineal.routes import ROUTES
from pineal.safety.evidence import Band, Interaction, Population, load, urls

LEVELS = ("danger", "caution", "info")
#: morning serum melatonin in healthy people (07:30-10:00): 0-20 pg/mL (Waldhauser 1984)
MORNING_UPPER_PG_ML = 20.0
#: daytime hours for the daytime-dosing flag (clock hours, [start, end))
DAYTIME = (7.0, 18.0)


@dataclass(frozen=True)
class Exposure:
    """Plasma exposure of the dose from the PK model (any field may be unknown)."""

    cmax_pg_ml: float | None = None
    cmax_fold_endogenous: float | None = None
    hours_above_endogenous_peak: float | None = None
    level_at_wake_pg_ml: float | None = None
    dose_at_wake_pg_ml: float | None = None  # the dose's own part of the level at wake, when known


@dataclass(frozen=True)
class SafetyWarning:
    """One caution: stable snake_case ``code``, ``level`` (info/caution/danger), message and source URLs."""

    code: str
    level: str
    message: str
    sources: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"code": self.code, "level": self.level, "message": self.message, "sources": list(self.sources)}


#: the name the issue uses; shadows the builtin only inside modules that import it
Warning = SafetyWarning


def dose_band(dose_mg: float) -> Band:
    """The band (physiological ... overdose range) of a single adult oral dose."""
    for band in load().bands:
        if dose_mg > band.low_mg and (band.high_mg is None or dose_mg <= band.high_mg):
            return band
    return load().bands[0]


def label_range_mg(dose_mg: float, product: str = "supplement") -> tuple[float, float]:
    """Delivered amount a product labelled ``dose_mg`` may contain (Erland 2017; Cohen 2023)."""
    for la in load().label_accuracy:
        if la.product == product:
            return dose_mg * la.low_factor, dose_mg * la.high_factor
    raise InputError("product", product, "supplement or gummy")


def find_interaction(name: str) -> Interaction | None:
    n = name.strip().lower()
    return next((i for i in load().interactions if n == i.id or n in i.names), None)


def find_population(name: str) -> Population | None:
    n = name.strip().lower().replace("_", " ")
    return next((p for p in load().populations if n == p.id.replace("_", " ") or n in p.names), None)


def _known(names) -> str:
    return ", ".join(sorted(names))


def _purpose(purpose: str):
    n = purpose.strip().lower().replace("_", " ")
    for p in load().purposes:
        if n == p.id.replace("_", " ") or n in p.aliases:
            return p
    raise InputError("purpose", purpose, "one of " + _known(p.id for p in load().purposes))


def _w(code, level, message, keys) -> SafetyWarning:
    return SafetyWarning(code, level, message, tuple(urls(list(keys))))


def _dose_warnings(dose_mg: float, purpose: str | None) -> list[SafetyWarning]:
    ev = load()
    band = dose_band(dose_mg)
    span = f"{band.low_mg:g}-{band.high_mg:g} mg" if band.high_mg is not None else f"> {band.low_mg:g} mg"
    nightly = ev.fact("endogenous_production")
    out = [_w(f"dose_band_{band.id}", band.level,
              f"{dose_mg:g} mg is in the '{band.id.replace('_', ' ')}' band ({span}): {band.meaning}. "
              f"The body makes {nightly.low_mg * 1000:g}-{nightly.high_mg * 1000:g} µg a night, so this is "
              f"{dose_mg / nightly.high_mg:,.0f}-{dose_mg / nightly.low_mg:,.0f}x nightly production.",
              band.sources + nightly.sources)]
    if purpose is not None:
        p = _purpose(purpose)
        if p.high_mg is None:
            out.append(_w("no_evidence_based_dose", "caution",
                          f"There is no evidence-based dose for {p.label}: {p.effect}.", p.sources))
        elif dose_mg > p.high_mg:
            ratio = dose_mg / p.high_mg
            out.append(_w("above_studied_range", "danger" if ratio > 10 else "caution",
                          f"{dose_mg:g} mg is {ratio:,.3g}x the largest dose studied for {p.label} "
                          f"({p.low_mg:g}-{p.high_mg:g} mg): {p.effect}. pineal does not suggest doses above "
                          "the studied range.", p.sources))
        elif p.low_mg is not None and dose_mg < p.low_mg:
            out.append(_w("below_studied_range", "info",
                          f"{dose_mg:g} mg is below the doses studied for {p.label} ({p.low_mg:g}-{p.high_mg:g} mg).",
                          p.sources))
    else:
        top = max((p for p in ev.purposes if p.high_mg is not None), key=lambda p: p.high_mg)
        if dose_mg > top.high_mg:
            out.append(_w("above_studied_range", "danger" if dose_mg > 10 * top.high_mg else "caution",
                          f"{dose_mg:g} mg is {dose_mg / top.high_mg:,.3g}x the largest dose studied for any "
                          f"purpose (sleep, jet lag, shift work, delayed sleep phase: at most {top.high_mg:g} mg). "
                          "pineal does not suggest doses above the studied range.",
                          sorted({k for p in ev.purposes if p.high_mg is not None for k in p.sources})))
    return out


def _exposure_warnings(exposure: Exposure) -> list[SafetyWarning]:
    out = []
    keys = ["andersen2016", "waldhauser1988"]
    fold, hours = exposure.cmax_fold_endogenous, exposure.hours_above_endogenous_peak
    if fold is not None and math.isfinite(fold) and fold > 10:
        cmax = f" ({exposure.cmax_pg_ml:,.0f} pg/mL)" if exposure.cmax_pg_ml is not None else ""
        out.append(_w("exposure_far_above_physiology", "danger" if fold > 100 else "caution",
                      f"Predicted peak plasma melatonin{cmax} is {fold:,.0f}x the body's own night-time peak.", keys))
    if hours is not None and math.isfinite(hours) and hours > 8:
        out.append(_w("prolonged_exposure", "caution",
                      f"Plasma stays above the body's night-time peak for {hours:.1f} h, i.e. beyond a night's sleep.",
                      keys))
    wake = exposure.level_at_wake_pg_ml
    residual = exposure.dose_at_wake_pg_ml if exposure.dose_at_wake_pg_ml is not None else wake
    if wake is not None and math.isfinite(wake) and residual > MORNING_UPPER_PG_ML and wake > MORNING_UPPER_PG_ML:
        part = (f" ({residual:,.0f} pg/mL of it from the dose)" if exposure.dose_at_wake_pg_ml is not None else "")
        out.append(_w("residual_at_wake", "danger" if residual > 5 * MORNING_UPPER_PG_ML else "caution",
                      f"Predicted plasma melatonin at wake is {wake:,.0f} pg/mL{part}, above normal morning levels "
                      "(0-20 pg/mL): expect drowsiness; do not drive or operate machinery until it has cleared.",
                      ["waldhauser1984", "zhdanova2001"]))
    return out


def _population_warning(pop: Population, code: str | None = None, extra: str = "") -> SafetyWarning:
    return _w(code or pop.id, pop.level, f"{pop.statement}{extra}. What to do: {pop.action}.", pop.sources)


def screen(dose_mg, *, route: str = "oral-ir", purpose: str | None = None, age: float | None = None,
           drugs=(), conditions=(), pregnant: bool = False, breastfeeding: bool = False,
           exposure: Exposure | None = None, clock_hour: float | None = None, extra_drugs=(),
           product: str | None = None) -> list[SafetyWarning]:
    """All cautions for one dose, most serious first. Bad input raises InputError naming what is allowed."""
    if isinstance(dose_mg, str):
        dose_mg = parse_mass_mg(dose_mg)
    if isinstance(dose_mg, bool) or not isinstance(dose_mg, (int, float)) or not math.isfinite(dose_mg) \
            or dose_mg <= 0:
        raise InputError("dose", dose_mg, "a positive, finite amount in mg")
    if route not in ROUTES:
        raise InputError("route", route, ", ".join(ROUTES))
    if age is not None and not (isinstance(age, (int, float)) and math.isfinite(age) and 0 <= age <= 120):
        raise InputError("age", age, "an age in years between 0 and 120")
    if clock_hour is not None and not (math.isfinite(clock_hour) and 0 <= clock_hour < 24):
        raise InputError("clock_hour", clock_hour, "a clock hour from 0 to 24 (exclusive)")
    if isinstance(drugs, str) or isinstance(extra_drugs, str) or isinstance(conditions, str):
        raise InputError("drugs/conditions", drugs, "a list of names, e.g. ['fluvoxamine']")

    ev = load()
    out = _dose_warnings(float(dose_mg), purpose)
    if route in ("iv", "intranasal", "sublingual"):
        out.append(_w("route_bypasses_first_pass", "info",
                      f"The {route} route avoids some or all first-pass metabolism, so the same amount gives higher "
                      "plasma levels than by mouth; the dose bands are for oral doses.",
                      ["zetner2016", "andersen2016"]))
    if exposure is not None:
        out += _exposure_warnings(exposure)
    elif age is not None and age >= 50 and dose_mg >= 3:
        out.append(_w("next_morning_carry_over", "caution",
                      "In adults over 50, 3 mg left plasma melatonin raised into daylight hours (0.3 mg did not): "
                      "next-morning drowsiness; do not drive until alert.", ["zhdanova2001"]))

    seen: set[str] = set()
    for field, name in [*(("drugs", d) for d in drugs), *(("with", d) for d in extra_drugs)]:
        hit = find_interaction(str(name))
        if hit is None:  # "with" is the CLI's --with flag (pineal dose)
            raise InputError(field, name, "one of " + _known(n for i in ev.interactions for n in i.names)
                             + " (drugs with a documented melatonin interaction)")
        if hit.id not in seen:
            seen.add(hit.id)
            out.append(_w(f"interaction_{hit.id}", hit.level,
                          f"With {name}: {hit.mechanism}; {hit.magnitude}. What to do: {hit.action}.", hit.sources))

    pops: list[tuple[Population, str]] = []
    for name in conditions:
        pop = find_population(str(name))
        if pop is None:
            raise InputError("condition", name, "one of " + _known(n for p in ev.populations for n in p.names))
        pops.append((pop, ""))
    by_id = {p.id: p for p in ev.populations}
    if pregnant:
        pops.append((by_id["pregnancy"], ""))
    if breastfeeding:
        pops.append((by_id["breastfeeding"], ""))
    if age is not None and age < 18:
        pops.append((by_id["children"], f" (age {age:g}); no paediatric dose range is in the evidence base"))
    if age is not None and age >= 65:
        older = ev.purpose("older_adults")
        extra = (f" (age {age:g}); {dose_mg:g} mg is above the {older.low_mg:g}-{older.high_mg:g} mg studied "
                 "in older adults" if dose_mg > older.high_mg else f" (age {age:g})")
        pops.append((by_id["older_adults"], extra))
    for pop, extra in pops:
        if pop.id not in seen:
            seen.add(pop.id)
            out.append(_population_warning(pop, extra=extra))

    if clock_hour is not None and DAYTIME[0] <= clock_hour < DAYTIME[1]:
        out.append(_w("daytime_dose", "caution",
                      f"Taken at {int(clock_hour):02d}:{round(clock_hour % 1 * 60) % 60:02d}, in the daytime: "
                      "melatonin then causes sleepiness and lowers body temperature (5 mg at 14:00 lowered core "
                      "temperature); for jet lag, a dose at the wrong time delays adaptation.",
                      ["daytime_hypothermia_older_women", "dollins1994", "herxheimer2002"]))

    kind = product or "supplement"
    lo, hi = label_range_mg(float(dose_mg), kind)
    la = next(x for x in ev.label_accuracy if x.product == kind)
    out.append(_w("label_uncertainty", "info",
                  f"A {kind} labelled {dose_mg:g} mg may contain {lo:,.3g}-{hi:,.4g} mg ({la.low_factor:g}-"
                  f"{la.high_factor:g}x label): {la.statement}.", la.sources))
    return sorted(out, key=lambda w: LEVELS.index(w.level))
