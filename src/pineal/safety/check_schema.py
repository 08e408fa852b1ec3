"""The JSON object of `pineal check --json` / `pineal.check()` as pydantic models (documented in docs/check-json.md).

Tests validate every report against ``CheckReport``; extra keys are errors, so the schema and the output change
together.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from pineal.safety.evidence import Grade, Verdict

BandId = Literal["physiological", "usual", "high", "very_high", "extreme", "overdose_range"]
StatementType = Literal["recommendation", "warning", "product", "study", "guideline", "body_production", "question",
                        "anecdote"]
MentionVerdict = Literal["supported", "partly supported", "not supported", "insufficient evidence", "dangerous",
                         "not assessed"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SourceRef(_Strict):
    key: str
    url: str = Field(min_length=8)
    grade: Grade
    short: str


class Comparison(_Strict):
    purpose: str
    label: str
    studied_range_mg: tuple[float, float]
    ratio_to_studied_max: float


class PKConsequence(_Strict):
    dose_mg: float
    cmax_pg_ml: float | None
    tmax_min: float | None
    t_half_min: float | None
    auc_pg_h_per_ml: float | None
    endogenous_night_peak_pg_ml: float | None
    cmax_fold_endogenous: float | None
    hours_above_endogenous_peak: float | None
    extrapolated: bool
    model: str


class DoseItem(_Strict):
    text: str
    amount_mg: float = Field(gt=0)
    amount_high_mg: float | None = Field(default=None, gt=0)
    unit: str
    per_kg: bool
    adult_equivalent_mg: float = Field(gt=0)
    occurrences: int = Field(ge=1)
    quotes: list[str]
    frequency: list[str]
    population: list[str]
    purpose: list[str]
    context: Literal["stated", "limit", "warning"]
    band: BandId
    band_level: Literal["info", "caution", "danger"]
    comparisons: list[Comparison] = Field(min_length=1)
    ratio_to_sleep_max: float
    verdict: Verdict
    evidence: str
    sources: list[SourceRef] = Field(min_length=1)
    pk: PKConsequence | None


class EffectItem(_Strict):
    effect: str
    name: str
    said: str
    negated: bool
    verdict: Verdict
    evidence: str
    sources: list[SourceRef] = Field(min_length=1)


class ClaimItem(_Strict):
    topic: str
    label: str
    negated: bool
    hedged: bool
    verdict: Verdict
    evidence: str
    dose_context_mg: float | None
    occurrences: int = Field(ge=1)
    quotes: list[str]
    sources: list[SourceRef] = Field(min_length=1)
    effects: list[EffectItem]
    missing: list[str]


class ContextFlags(_Strict):
    negated: bool
    uncertain: bool
    hypothetical: bool
    historical: bool
    other_experiencer: bool


class MentionItem(_Strict):
    """One melatonin dose mention, judged from its own sentence."""

    text: str
    start: int = Field(ge=0)
    end: int = Field(ge=0)
    amount_mg: float = Field(gt=0)
    amount_high_mg: float | None = Field(default=None, gt=0)
    unit: str
    per_kg: bool
    adult_equivalent_mg: float = Field(gt=0)
    quote: str
    statement_type: StatementType
    population: str | None
    purpose: str | None
    frequency: str | None
    modifiers: ContextFlags
    cues: list[str]
    band: BandId
    verdict: MentionVerdict
    reason: str
    sources: list[SourceRef]


class NotAssessed(_Strict):
    quote: str
    why: str


class Rating(_Strict):
    statements: int = Field(ge=0)
    counts: dict[Verdict, int]
    shares: dict[Verdict, float]
    rating: Literal["nothing to assess", "harmful", "mostly supported", "mixed", "mostly not supported"]


class OtherDose(_Strict):
    substance: str
    text: str
    occurrences: int


class Summary(_Strict):
    melatonin_doses: int
    mentions: int
    mentions_not_listed: int = Field(ge=0)
    largest_dose_mg: float | None
    dangerous_doses: int
    claims: int
    verdicts: dict[Verdict, int]
    other_substance_doses: list[OtherDose]
    rating: Rating
    headline: str


class CheckReport(_Strict):
    mentions: list[MentionItem]
    doses: list[DoseItem]
    claims: list[ClaimItem]
    not_assessed: list[NotAssessed]
    summary: Summary
    disclaimer: str = Field(min_length=20)
