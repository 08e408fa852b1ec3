"""The safety evidence base as schema-checked data (src/pineal/safety/evidence/*.toml).

Every item names its evidence grade (P primary, R review, L label/guideline, S secondary, derived) and the
bibliography keys of its sources; loading resolves each key to its URL (params/bibliography.toml) and its own
grade (evidence/grades.toml), and fails if either is missing.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from pineal.citations import bibliography

Grade = Literal["P", "R", "L", "S", "derived"]
Level = Literal["info", "caution", "danger"]
Verdict = Literal["supported", "partly supported", "not supported", "insufficient evidence", "dangerous"]
VERDICTS: tuple[str, ...] = Verdict.__args__


class Source(BaseModel):
    """One work behind an item: its bibliography key, URL and evidence grade."""

    key: str
    url: str
    grade: Grade
    short: str


class Item(BaseModel):
    """Fields every evidence item has."""

    model_config = ConfigDict(extra="forbid")
    grade: Grade
    sources: list[str] = Field(min_length=1)

    def resolved(self) -> list[Source]:
        return [source(k) for k in self.sources]


class Band(Item):
    id: str
    low_mg: float = Field(ge=0)
    high_mg: float | None = None
    level: Level
    meaning: str


class Purpose(Item):
    id: str
    label: str
    aliases: list[str]
    low_mg: float | None = None
    high_mg: float | None = None
    best_mg: float | None = None
    effect: str


class EffectSize(Item):
    id: str
    purpose: str
    outcome: str
    value: float
    low: float | None = None
    high: float | None = None
    unit: str

    @model_validator(mode="after")
    def _ci_brackets_value(self) -> EffectSize:
        if self.low is not None and self.high is not None and not self.low <= self.value <= self.high:
            raise ValueError(f"effect size {self.id}: {self.value} is outside [{self.low}, {self.high}]")
        return self


class Fact(Item):
    id: str
    statement: str
    low_mg: float | None = None
    high_mg: float | None = None


class AdverseEffect(Item):
    id: str
    name: str
    terms: list[str] = Field(min_length=1)
    frequency: str
    verdict: Verdict
    key: bool = False

    @field_validator("terms")
    @classmethod
    def _compiles(cls, v: list[str]) -> list[str]:
        for t in v:
            re.compile(t)
        return v


class Report(Item):
    id: str
    dose_mg: float | None = None
    setting: str
    outcome: str


class Dependency(Item):
    id: str
    statement: str


class Interaction(Item):
    id: str
    names: list[str] = Field(min_length=1)
    mechanism: str
    magnitude: str
    level: Level
    action: str


class Population(Item):
    id: str
    names: list[str] = Field(min_length=1)
    statement: str
    level: Level
    action: str


class Status(Item):
    id: str
    region: str
    statement: str


class LabelAccuracy(Item):
    product: Literal["supplement", "gummy"]
    low_factor: float = Field(gt=0)
    high_factor: float = Field(gt=0)
    statement: str


class Judgement(BaseModel):
    model_config = ConfigDict(extra="forbid")
    verdict: Verdict
    evidence: str


class Topic(Item):
    id: str
    label: str
    terms: list[str] = Field(min_length=1)
    asserted: Judgement
    negated: Judgement
    high_dose_mg: float | None = None
    high_dose: Judgement | None = None
    #: "text": the text's main dose counts for every sentence; "sentence": only a dose in the same sentence
    high_dose_scope: Literal["text", "sentence"] = "text"
    safe_claim: Judgement | None = None
    caution_claim: Judgement | None = None

    @model_validator(mode="after")
    def _high_dose_pair(self) -> Topic:
        if (self.high_dose_mg is None) != (self.high_dose is None):
            raise ValueError(f"topic {self.id}: high_dose_mg and high_dose go together")
        for t in self.terms:
            re.compile(t)
        return self


class Evidence(BaseModel):
    """The whole evidence base."""

    model_config = ConfigDict(extra="forbid")
    bands: list[Band]
    purposes: list[Purpose]
    effect_sizes: list[EffectSize]
    facts: list[Fact]
    adverse_effects: list[AdverseEffect]
    reports: list[Report]
    dependency: list[Dependency]
    interactions: list[Interaction]
    populations: list[Population]
    statuses: list[Status]
    label_accuracy: list[LabelAccuracy]
    topics: list[Topic]

    def items(self) -> list[Item]:
        """Every item, for checks that apply to all."""
        out: list[Item] = []
        for name in type(self).model_fields:
            out.extend(getattr(self, name))
        return out

    def purpose(self, pid: str) -> Purpose:
        return next(p for p in self.purposes if p.id == pid)

    def effect(self, eid: str) -> EffectSize:
        return next(e for e in self.effect_sizes if e.id == eid)

    def fact(self, fid: str) -> Fact:
        return next(f for f in self.facts if f.id == fid)

    def topic(self, tid: str) -> Topic:
        return next(t for t in self.topics if t.id == tid)


def _read(name: str) -> dict:
    return tomllib.loads(resources.files("pineal.safety").joinpath("evidence", name).read_text("utf-8"))


@cache
def grades() -> dict[str, str]:
    """Evidence grade per bibliography key."""
    return _read("grades.toml")


@cache
def source(key: str) -> Source:
    """Resolve a bibliography key to URL and grade; KeyError if either is missing."""
    bib = bibliography()
    if key not in bib:
        raise KeyError(f"evidence cites '{key}', which is not in params/bibliography.toml")
    w = bib[key]
    url = w.link()
    if not url:
        raise KeyError(f"bibliography entry '{key}' has no URL or DOI")
    if key not in grades():
        raise KeyError(f"bibliography key '{key}' has no evidence grade in safety/evidence/grades.toml")
    return Source(key=key, url=url, grade=grades()[key], short=w.short())


@cache
def load() -> Evidence:
    """Load and validate the evidence base; every cited key must resolve to a URL and grade."""
    doses, adverse = _read("doses.toml"), _read("adverse.toml")
    regulatory = _read("regulatory.toml")
    ev = Evidence(
        bands=doses["band"], purposes=doses["purpose"], effect_sizes=doses["effect_size"], facts=doses["fact"],
        adverse_effects=adverse["effect"], reports=adverse["report"], dependency=adverse["dependency"],
        interactions=_read("interactions.toml")["interaction"], populations=_read("populations.toml")["population"],
        statuses=regulatory["status"], label_accuracy=regulatory["label_accuracy"],
        topics=_read("claims.toml")["topic"],
    )
    for item in ev.items():
        item.resolved()
    purposes = {p.id for p in ev.purposes}
    for e in ev.effect_sizes:
        if e.purpose not in purposes:
            raise ValueError(f"effect size {e.id}: unknown purpose '{e.purpose}'")
    return ev


def urls(keys: list[str]) -> list[str]:
    """The URLs of a list of bibliography keys (for warnings and verdicts)."""
    return [source(k).url for k in keys]
