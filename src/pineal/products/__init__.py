"""Melatonin products as data (products.toml): how each releases and is absorbed, and the study behind it.

One list for everyone: `pineal dose --product`, the planner and the claim check use :func:`find` /
:func:`names` / :func:`get`; :func:`dose` turns a product and an amount into a :class:`pineal.models.pk.Dose`.
Kinetic values written ``"fit"`` come from ``params/products_fit.toml`` (scripts/calibrate_products.py).
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pineal import params
from pineal.citations import bibliography
from pineal.errors import InputError
from pineal.models import pk

FITTED = "fit"
KINETIC_FIELDS = ("release_h", "immediate_fraction", "mucosal_fraction", "mucosal_half_life_h")
Role = Literal["calibration", "held-out"]


class Metric(BaseModel):
    """A published number: centre with SD, or a low-high range (IQR or published range), or a centre alone."""

    model_config = ConfigDict(extra="forbid")
    centre: float
    sd: float | None = Field(default=None, gt=0)
    low: float | None = None
    high: float | None = None
    statistic: str

    def bounds(self) -> tuple[float, float]:
        """The acceptance range: ± SD, the published range, or ×1.5 either way of a lone centre."""
        if self.sd is not None:
            return self.centre - self.sd, self.centre + self.sd
        if self.low is not None and self.high is not None:
            return self.low, self.high
        if self.statistic == "upper bound":
            return 0.0, self.centre * 1.5
        return self.centre / 1.5, self.centre * 1.5

    def text(self) -> str:
        if self.sd is not None:
            return f"{self.centre:g} ± {self.sd:g} ({self.statistic})"
        if self.low is not None:
            return f"{self.centre:g} ({self.low:g}-{self.high:g}, {self.statistic})"
        return f"{self.centre:g} ({self.statistic})"


class Study(BaseModel):
    """A PK study of one product: who took how much, what was measured, and whether it is fitted or held out."""

    model_config = ConfigDict(extra="forbid")
    cite: str
    role: Role
    dose_mg: float = Field(gt=0)
    n: int | None = None
    age: float = 30.0
    weight_kg: float = 70.0
    population: str
    #: the study's apparent oral clearance CL/F (L/h), when reported: sets that cohort's absorbed fraction
    apparent_clearance_l_per_h: float | None = Field(default=None, gt=0)
    cmax: Metric | None = None
    tmax_min: Metric | None = None
    terminal_half_life_h: Metric | None = None
    cmax_ratio_to_ir: Metric | None = None
    hours_above_1000: Metric | None = None

    def metrics(self) -> dict[str, Metric]:
        names = ("cmax", "tmax_min", "terminal_half_life_h", "cmax_ratio_to_ir", "hours_above_1000")
        return {k: getattr(self, k) for k in names if getattr(self, k) is not None}


class Product(BaseModel):
    """One product: route, release and absorption kinetics, label class, sources."""

    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    aliases: list[str] = []
    route: Literal[pk.ROUTES]  # type: ignore[valid-type]
    release_h: float | Literal["fit"] | None = None
    immediate_fraction: float | Literal["fit"] = 0.0
    mucosal_fraction: float | Literal["fit"] | None = None
    mucosal_half_life_h: float | Literal["fit"] | None = None
    dissolved: bool = False
    label_class: Literal["supplement", "gummy", "licensed"]
    cite: str
    note: str
    studies: list[Study] = []

    @model_validator(mode="after")
    def _consistent(self):
        if self.route != "oral-pr" and (self.release_h is not None or self.immediate_fraction != 0.0):
            raise ValueError(f"{self.id}: release kinetics only for route oral-pr")
        if self.route != "sublingual" and (self.mucosal_fraction is not None or self.mucosal_half_life_h):
            raise ValueError(f"{self.id}: mucosal kinetics only for route sublingual")
        if self.dissolved and self.route != "oral-ir":
            raise ValueError(f"{self.id}: 'dissolved' only for route oral-ir")
        return self

    def fitted_fields(self) -> list[str]:
        return [f for f in KINETIC_FIELDS if getattr(self, f) == FITTED]

    def kinetics(self) -> dict[str, float | None]:
        """The kinetic values with fitted ones filled in from products_fit.toml."""
        fit = params.load("products_fit")
        out = {}
        for f in KINETIC_FIELDS:
            v = getattr(self, f)
            out[f] = fit[fit_key(self.id, f)] if v == FITTED else v
        return out

    def calibration_study(self) -> Study | None:
        return next((s for s in self.studies if s.role == "calibration"), None)


def fit_key(product_id: str, field: str) -> str:
    """The products_fit.toml key of a fitted value, e.g. 'sublingual_spray__mucosal_fraction'."""
    return f"{product_id.replace('-', '_')}__{field}"


@cache
def _load() -> dict[str, Product]:
    raw = tomllib.loads(resources.files("pineal.products").joinpath("products.toml").read_text(encoding="utf-8"))
    bib = bibliography()
    fit = params.load("products_fit")
    out: dict[str, Product] = {}
    for pid, body in raw["products"].items():
        prod = Product(id=pid, **body)
        for key in [prod.cite, *(s.cite for s in prod.studies)]:
            if key not in bib:
                raise ValueError(f"product {pid} cites unknown key {key!r}")
        for f in prod.fitted_fields():
            if fit_key(pid, f) not in fit:
                raise ValueError(f"product {pid}: fitted {f} missing from products_fit.toml")
        out[pid] = prod
    return out


def names() -> list[str]:
    """Ids of every product in the library."""
    return list(_load())


def all_products() -> list[Product]:
    return list(_load().values())


def find(text: str) -> Product | None:
    """The product whose id, name or alias is ``text`` (case- and spacing-insensitive), or None."""
    key = " ".join(str(text).strip().lower().replace("_", "-").split())
    for prod in _load().values():
        if key in (prod.id, prod.name.lower(), *(a.lower() for a in prod.aliases)):
            return prod
    return None


def get(text: str) -> Product:
    """Like :func:`find`, but an unknown product is an InputError listing the known ones."""
    prod = find(text)
    if prod is None:
        raise InputError("product", text, "one of " + ", ".join(names()))
    return prod


def dose(product: str | Product, amount, time_h: float = 0.0, duration_h: float | None = None) -> pk.Dose:
    """A :class:`pk.Dose` of ``amount`` of ``product`` taken at model hour ``time_h``."""
    prod = product if isinstance(product, Product) else get(product)
    base = pk.Dose.parse(amount, time_h=time_h, route=prod.route, duration_h=duration_h)
    k = prod.kinetics()
    return pk.Dose(base.amount_mg, base.time_h, prod.route, base.duration_h, release_h=k["release_h"],
                   immediate_fraction=k["immediate_fraction"] or 0.0, mucosal_fraction=k["mucosal_fraction"],
                   mucosal_half_life_h=k["mucosal_half_life_h"], dissolved=prod.dissolved, product=prod.id)
