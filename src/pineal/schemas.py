"""The JSON objects of the CLI's ``--json`` and of the HTTP API, as pydantic models, and how each is made.

One definition each: `pineal dose/simulate/validate/cite --json` print these objects and `pineal serve` takes and
returns them (the check report is ``pineal.safety.check_schema.CheckReport``). Requests carry the same fields as
the CLI's options; every value is checked by the library, whose ``InputError`` names field, value and what is
allowed. Response models list the stable keys (docs/dose-json.md, docs/check-json.md, docs/web.md); new keys may
be added, so they allow extra keys.
"""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from pineal import limits
from pineal.citations import Work
from pineal.safety.check_schema import CheckReport

__all__ = ["CheckReport", "CheckRequest", "CiteJSON", "DoseJSON", "DoseRequest", "SimulateJSON", "SimulateRequest",
           "ValidateJSON", "cite_json", "simulate_json", "validate_json"]


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _Response(BaseModel):
    model_config = ConfigDict(extra="allow")


# ----------------------------------------------------------------------------------------------------- dose
class DoseRequest(_Request):
    """One dose and the person taking it: the options of `pineal dose`."""

    amount: str = Field(description="Amount with a unit: '3 mg', '500 mcg', '1 g'.", examples=["3 mg"])
    at: str = Field(description="When it is taken: 'HH:MM' or an ISO datetime with zone.", examples=["22:00"])
    route: str = Field("oral-ir", description="oral-ir, oral-pr, sublingual, intranasal, transdermal or iv "
                       "(a product sets its own).")
    release_h: float | None = Field(None, description="Release half-life (h) of an unnamed prolonged-release "
                                    "product (route oral-pr).")
    age: float = Field(30.0, description="Age in years (0-120).")
    sex: str = Field("m", description="m or f.")
    weight: str = Field("70", description="Body weight in kg, or with a unit ('154 lb').")
    with_: list[str] = Field(default_factory=list, alias="with", description="Co-medication.")
    wake: str = Field("07:00", description="Next wake time 'HH:MM'.")
    sleep: str = Field("23:00", description="Habitual sleep onset 'HH:MM'.")
    smoker: bool = False
    fed: bool = False
    oral_contraceptive: bool = False
    pregnant: bool = False
    breastfeeding: bool = False
    product: str | None = Field(None, description="A product from the library (pineal.products, e.g. circadin, "
                                "sublingual-spray, gummy): sets route, release and label uncertainty.")
    purpose: str | None = Field(None, description="What it is taken for, e.g. sleep, jet_lag.")
    condition: list[str] = Field(default_factory=list, description="Conditions, e.g. epilepsy.")
    population: int = Field(limits.DOSE_POPULATION, description="Simulated people in the population interval "
                            f"({limits.DOSE_POPULATION_RANGE[0]}-{limits.DOSE_POPULATION_RANGE[1]}; the cost grows "
                            "with it).")

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    def report(self):
        """The dose report (``pineal.dose_report.DoseReport``) for this request."""
        from pineal.dose_report import report
        from pineal.models import pk
        from pineal.quantities import parse_weight_kg
        from pineal.safety.screen import find_interaction

        drugs = [d.strip().lower() for d in self.with_]
        # covariates named with --with: oestrogens and smoking act on CYP1A2 in the PK model too
        kinds = {getattr(find_interaction(d), "id", None) for d in drugs}
        subject = pk.Subject(weight_kg=parse_weight_kg(self.weight), age=self.age, sex=self.sex,
                             smoker=self.smoker or "smoking" in kinds, fed=self.fed,
                             oral_contraceptive=self.oral_contraceptive or "estrogens" in kinds,
                             hepatic_impairment=any(_is_hepatic(c) for c in self.condition),
                             drugs=tuple(d for d in drugs if d in pk.INTERACTING_DRUGS))
        # drugs without a PK magnitude go to the safety screen, which knows their interactions
        screen_options = {"pregnant": self.pregnant, "breastfeeding": self.breastfeeding, "purpose": self.purpose,
                          "conditions": tuple(self.condition),
                          "extra_drugs": tuple(d for d in drugs if d not in pk.INTERACTING_DRUGS)}
        return report(self.amount, at_clock_h=_clock(self.at, "at"), route=self.route, subject=subject,
                      wake_clock_h=_clock(self.wake, "wake"), sleep_clock_h=_clock(self.sleep, "sleep"),
                      product=self.product, screen_options=screen_options, release_h=self.release_h,
                      population=self.population)


def _clock(text: str, field: str) -> float:
    from pineal.errors import InputError
    from pineal.timeline import parse_clock_hours, parse_datetime

    try:
        return parse_clock_hours(text, field)
    except InputError:
        dt = parse_datetime(text, field)
        return dt.hour + dt.minute / 60.0


def _is_hepatic(condition: str) -> bool:
    """Hepatic impairment (any synonym in the evidence base) also slows clearance in the PK model."""
    from pineal.safety.screen import find_population

    pop = find_population(condition)
    return pop is not None and pop.id == "hepatic_impairment"


class Warning_(_Response):
    code: str
    level: str = Field(description="info, caution or danger")
    message: str


class DoseJSON(_Response):
    """`pineal dose --json` (every key in docs/dose-json.md)."""

    dose_mg: float
    route: str
    at: str
    wake: str
    cmax_pg_ml: Any = Field(description="peak plasma melatonin from the dose alone (pg/mL)")
    endogenous_peak_pg_ml: Any = Field(description="the body's own night peak for this person (pg/mL)")
    warnings: list[Warning_]
    disclaimer: str = Field(min_length=20)


# ------------------------------------------------------------------------------------------------- simulate
class SimulateRequest(_Request):
    """A protocol file's text (docs/protocols.md) and the DLMO definition for the per-day table."""

    protocol: str = Field(description="The TOML text of a protocol file.")
    definition: str = Field("plasma_10", description="plasma_10, saliva_3, saliva_4 or phase.")


class SimulateJSON(_Response):
    """`pineal simulate --json`: markers per day and each measurement vs the placebo arm."""

    protocol: str
    source: str
    model: str
    days: list[dict[str, Any]]
    dlmo_definition: str
    measures: list[dict[str, Any]]
    placebo_reference: bool
    anchors: dict[str, Any] | None = Field(None, description="the subject's baseline DLMO, CBTmin, bedtime and wake "
                                           "that relative times resolved to (null without relative times)")
    plot: str | None = None
    disclaimer: str = Field(min_length=20)


def _clock_or_none(h: float) -> str | None:
    from pineal.timeline import format_clock

    return format_clock(h) if math.isfinite(h) else None


def _plain(v):
    if isinstance(v, float):
        return round(v, 4) if math.isfinite(v) else None
    return v


def _anchors(anchors) -> dict[str, Any] | None:
    """The baseline anchors that relative times resolved to (hours after midnight and clock times), or None."""
    if anchors is None:
        return None
    values = {k: float(getattr(anchors, k)) for k in ("dlmo", "cbtmin", "bedtime", "wake")}
    return {**{k: _clock_or_none(v) for k, v in values.items()}, **{f"{k}_h": _plain(v) for k, v in values.items()}}


def simulate_json(proto, definition: str = "plasma_10", plot: str | None = None, out=None) -> dict[str, Any]:
    """Run a protocol (unless its result ``out`` is given) and return the `pineal simulate --json` object."""
    from pineal import DISCLAIMER
    from pineal.errors import InputError
    from pineal.markers import DEFINITION_TEXT
    from pineal.simulate import run_protocol

    if definition not in DEFINITION_TEXT:
        raise InputError("definition", definition, ", ".join(DEFINITION_TEXT))
    out = out if out is not None else run_protocol(proto)

    def day_rows(days: dict) -> list[dict]:
        return [{"day": i + 1, **{k: _clock_or_none(float(v[i])) for k, v in days.items()},
                 **{f"{k}_h": _plain(float(v[i])) for k, v in days.items()}} for i in range(len(days["dlmo"]))]

    return {
        "protocol": proto.name, "source": proto.source, "model": out.treatment.model.name,
        "days": day_rows(out.per_day(definition)),
        "placebo_days": day_rows(out.per_day(definition, arm="placebo")) if out.placebo is not None else None,
        "dlmo_definition": DEFINITION_TEXT[definition],
        "measures": [{k: _plain(v) for k, v in m.items()} for m in out.markers()],
        "placebo_reference": out.placebo is not None,
        "anchors": _anchors(out.anchors),
        "notes": out.notes,
        "plot": plot,
        "disclaimer": DISCLAIMER,
    }


# ------------------------------------------------------------------------------------------------- validate
class ValidationRowJSON(_Response):
    experiment: str
    metric: str
    model: float | None
    published: str
    tolerance: str
    passed: bool
    unit: str = ""
    cite: str = ""
    note: str = ""


class ValidateJSON(_Response):
    """`pineal validate --json`: every experiment's model value vs its published value."""

    rows: list[ValidationRowJSON]
    passed: int
    total: int


def validate_json(names: list[str] | None = None, progress=None) -> dict[str, Any]:
    """Run the experiments (all, or ``names``) and return the `pineal validate --json` object."""
    from pineal import experiments

    outcomes = []
    for name in names or sorted(experiments.REGISTRY):
        outcomes.append(experiments.get(name).run())
        if progress is not None:
            progress()
    rows = [r.as_dict() for o in outcomes for r in o.rows]
    for r in rows:
        r["model"] = r["model"] if math.isfinite(r["model"]) else None
    return {"rows": rows, "passed": sum(bool(r["passed"]) for r in rows), "total": len(rows)}


# ----------------------------------------------------------------------------------------------------- cite
class CiteJSON(_Response):
    """`pineal cite --json`: the works behind pineal's parameters."""

    works: list[Work]  # the bibliography's own dataclass: one definition of a work's fields


def cite_json(set_name: str | None = None) -> dict[str, Any]:
    """The works behind one parameter set, or behind all of them and the evidence base."""
    from pineal import params
    from pineal.citations import bibliography

    bib = bibliography()
    if set_name is not None:  # '' is a bad set name, not "all sets"
        keys = sorted(params.load(set_name).cites())
    else:
        keys = sorted({k for name in params.available() for k in params.load(name).cites()} | set(bib))
    return {"works": [dict(bib[k].__dict__) for k in keys]}


# ---------------------------------------------------------------------------------------------------- check
class CheckRequest(_Request):
    """The text for `pineal check` (at most the CLI's limit, 1 MB of UTF-8)."""

    text: str = Field(description="The text to check.")
