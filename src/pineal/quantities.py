"""Parsing amounts with units (pint) and the concentration conventions of DESIGN.md.

Doses are written "3 mg", "0.5mg", "500 mcg", "500 µg", "1 g", "3,5 mg" (decimal comma). They are parsed by a
grammar (a number, then a unit from an allow-list; pineal.limits.split_amount), never evaluated, and pint converts
the bounded number. A number without a unit is an error, never a guess; "1,000 mg" is refused as ambiguous.
Concentrations are reported in pg/mL; 1 pg/mL = 4.305 pmol/L (molar mass 232.28 g/mol).
"""

from __future__ import annotations

import math
from functools import lru_cache

import pint

from pineal import limits
from pineal.errors import InputError

#: Melatonin molar mass, g/mol (PubChem CID 896).
MOLAR_MASS_G_PER_MOL = 232.28
#: pmol/L per pg/mL: 1e-12 g/mL * 1e3 mL/L / 232.28 g/mol * 1e12 pmol/mol.
PMOL_L_PER_PG_ML = 1e3 / MOLAR_MASS_G_PER_MOL

DOSE_ALLOWED = ("a number and a mass unit (mg, mcg, µg, ug, ng, g, kg), from 1 ng to 1,000 kg, e.g. '3 mg', '0.5mg', "
                "'500 mcg', '3,5 mg' (decimal comma)")


@lru_cache(maxsize=1)
def ureg() -> pint.UnitRegistry:
    """The package's unit registry (one instance, so quantities are comparable).

    pint's own disk cache of its parsed unit definitions (``cache_folder=":auto:"``, the user cache directory)
    cuts building the registry from ~0.6 s to ~0.2 s in every later process; without a usable cache directory
    the registry is built from the definitions as before."""
    try:
        reg = pint.UnitRegistry(cache_folder=":auto:")
    except Exception:  # an unwritable or damaged cache must not stop a unit conversion
        reg = pint.UnitRegistry()
    reg.define("mcg = microgram")
    reg.define("lux = lumen / meter ** 2 = lx")
    return reg


#: the unit words a user may write (case-insensitive) -> the pint unit they mean; nothing else is a unit
MASS_UNITS = {
    "mg": "milligram", "milligram": "milligram", "milligrams": "milligram",
    "mcg": "microgram", "µg": "microgram", "μg": "microgram", "ug": "microgram", "microgram": "microgram",
    "micrograms": "microgram", "ng": "nanogram", "nanogram": "nanogram", "nanograms": "nanogram",
    "g": "gram", "gram": "gram", "grams": "gram", "kg": "kilogram", "kilogram": "kilogram", "kilograms": "kilogram",
}
WEIGHT_UNITS = {**MASS_UNITS, "lb": "pound", "lbs": "pound", "pound": "pound", "pounds": "pound"}
#: largest magnitude accepted before any conversion (then the converted amount is range-checked)
MAX_MAGNITUDE = 1e12


def parse_quantity(text: str, field: str, units: dict[str, str], allowed: str, target: str,
                   low: float, high: float, bare: str | None = None) -> float:
    """A number and a unit from ``units`` -> the amount in ``target`` units, within [low, high] (low exclusive
    when it is 0). A bare number is an error unless ``bare`` names the unit it is taken in. The text is parsed
    by a grammar (pineal.limits.split_amount); pint only converts the already-bounded number."""
    value, unit = limits.split_amount(text, field, allowed)
    if not unit:
        if bare is None:
            raise InputError(field, text, allowed, "a number needs a unit")
        unit = bare
    canonical = units.get(unit.lower()) or units.get(unit)
    if canonical is None:
        raise InputError(field, text, allowed, f"unknown unit '{limits.shorten(unit, 20)}'")
    if abs(value) > MAX_MAGNITUDE:
        raise InputError(field, text, allowed, "far too large")
    if value < 0 or (value == 0 and low >= 0):
        raise InputError(field, text, allowed, "must be greater than zero")
    amount = float(ureg().Quantity(value, canonical).to(target).magnitude)
    if not (math.isfinite(amount) and low <= amount <= high):
        raise InputError(field, text, allowed, "out of range")
    return amount


def parse_mass_mg(text: str | pint.Quantity, field: str = "dose") -> float:
    """A dose amount in mg, from a string with a unit or a pint Quantity of mass, within MIN_DOSE_MG-MAX_DOSE_MG."""
    if isinstance(text, pint.Quantity):
        mag = text.magnitude
        if not text.check("[mass]") or isinstance(mag, bool) or not isinstance(mag, (int, float)):
            raise InputError(field, str(text), DOSE_ALLOWED, "not a single mass")
        if not (math.isfinite(mag) and 0 < abs(mag) <= MAX_MAGNITUDE):
            raise InputError(field, str(text), DOSE_ALLOWED, "must be positive and finite")
        mg = float(text.to("mg").magnitude)
        if not (math.isfinite(mg) and limits.MIN_DOSE_MG <= mg <= limits.MAX_DOSE_MG):
            raise InputError(field, str(text), DOSE_ALLOWED, "out of range")
        return mg
    return parse_quantity(text, field, MASS_UNITS, DOSE_ALLOWED, "mg", limits.MIN_DOSE_MG, limits.MAX_DOSE_MG)


def parse_weight_kg(text: str | float, field: str = "weight") -> float:
    """Body weight in kg: "70 kg", "154 lb", or a bare number taken as kg (CLI flag --weight is in kg)."""
    allowed = (f"a body weight between {limits.MIN_WEIGHT_KG:g} and {limits.MAX_WEIGHT_KG:g} kg, e.g. '70' (kg) "
               "or '154 lb'")
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return limits.check_number(text, field, limits.MIN_WEIGHT_KG, limits.MAX_WEIGHT_KG, allowed)
    return parse_quantity(text, field, WEIGHT_UNITS, allowed, "kg", limits.MIN_WEIGHT_KG, limits.MAX_WEIGHT_KG,
                          bare="kg")


def pg_ml_to_pmol_l(c_pg_ml):
    """Concentration pg/mL -> pmol/L (x 4.305)."""
    return c_pg_ml * PMOL_L_PER_PG_ML


def pmol_l_to_pg_ml(c_pmol_l):
    """Concentration pmol/L -> pg/mL (/ 4.305)."""
    return c_pmol_l / PMOL_L_PER_PG_ML
