"""Parsing amounts with units (pint) and the concentration conventions of DESIGN.md.

Doses are written "3 mg", "0.5mg", "500 mcg", "500 µg", "1 g", "1,000 mg". A number without a unit is an
error, never a guess. Concentrations are reported in pg/mL; 1 pg/mL = 4.305 pmol/L (molar mass 232.28 g/mol).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import pint

from pineal.errors import InputError

#: Melatonin molar mass, g/mol (PubChem CID 896).
MOLAR_MASS_G_PER_MOL = 232.28
#: pmol/L per pg/mL: 1e-12 g/mL * 1e3 mL/L / 232.28 g/mol * 1e12 pmol/mol.
PMOL_L_PER_PG_ML = 1e3 / MOLAR_MASS_G_PER_MOL

DOSE_ALLOWED = "a positive, finite amount with a mass unit, e.g. '3 mg', '0.5mg', '500 mcg', '500 µg', '1 g'"


@lru_cache(maxsize=1)
def ureg() -> pint.UnitRegistry:
    """The package's unit registry (one instance, so quantities are comparable)."""
    reg = pint.UnitRegistry()
    reg.define("mcg = microgram")
    reg.define("lux = lumen / meter ** 2 = lx")
    return reg


_MICRO = re.compile(r"(?<![A-Za-z])[µμ]\s*g\b")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_WORDS = {"milligrams": "mg", "milligram": "mg", "micrograms": "µg", "microgram": "µg", "grams": "g",
          "gram": "g", "kilograms": "kg", "kilogram": "kg"}


def _normalise(text: str) -> str:
    s = text.strip()
    s = _THOUSANDS.sub("", s)
    s = _MICRO.sub("microgram", s)
    for word, short in _WORDS.items():
        s = re.sub(rf"\b{word}\b", short, s, flags=re.IGNORECASE)
    s = s.replace("µg", "microgram").replace("μg", "microgram")
    # dose units are case-insensitive ("2.5 MG" is milligrams, not megagauss); "ug" is a common ASCII micro
    s = re.sub(r"(?<=[\d\s])(mg|mcg|ug|g|kg)\b", lambda m: {"ug": "microgram"}.get(m.group(1).lower(),
               m.group(1).lower()), s, flags=re.IGNORECASE)
    # "0.5mg" -> "0.5 mg"
    s = re.sub(r"^([+-]?[\d.]+(?:[eE][+-]?\d+)?)\s*([A-Za-z])", r"\1 \2", s)
    return s


def parse_quantity(text: str | float | int, field: str, dimension: str, allowed: str,
                   positive: bool = True, allow_zero: bool = False) -> pint.Quantity:
    """Parse ``text`` into a pint quantity of ``dimension`` (e.g. "[mass]"), or raise InputError."""
    if isinstance(text, bool) or not isinstance(text, str):
        raise InputError(field, text, allowed, "a number needs a unit")
    s = _normalise(text)
    if not s:
        raise InputError(field, text, allowed, "empty")
    try:
        q = ureg().Quantity(s)
    except Exception as exc:  # pint raises several exception types for unknown units and bad syntax
        raise InputError(field, text, allowed, "unknown unit or malformed amount") from exc
    if not isinstance(q, pint.Quantity) or q.dimensionless:
        raise InputError(field, text, allowed, "a number needs a unit")
    if not q.check(dimension):
        raise InputError(field, text, allowed, f"unit '{q.units:~}' is not a {dimension.strip('[]')} unit")
    mag = float(q.magnitude)
    if not math.isfinite(mag):
        raise InputError(field, text, allowed, "not a finite number")
    if positive and (mag < 0 or (mag == 0 and not allow_zero)):
        raise InputError(field, text, allowed, "must be greater than zero" if not allow_zero else "negative")
    return q


def parse_mass_mg(text: str | pint.Quantity, field: str = "dose") -> float:
    """A dose amount in mg. Accepts a string with a unit or a pint Quantity of mass."""
    if isinstance(text, pint.Quantity):
        if not text.check("[mass]"):
            raise InputError(field, str(text), DOSE_ALLOWED, "not a mass")
        mg = float(text.to("mg").magnitude)
        if not math.isfinite(mg) or mg <= 0:
            raise InputError(field, str(text), DOSE_ALLOWED, "must be positive and finite")
        return mg
    return float(parse_quantity(text, field, "[mass]", DOSE_ALLOWED).to("mg").magnitude)


def parse_weight_kg(text: str | float, field: str = "weight") -> float:
    """Body weight in kg: "70 kg", "154 lb", or a bare number taken as kg (CLI flag --weight is in kg)."""
    allowed = "a body weight between 2 and 1000 kg, e.g. '70' (kg) or '154 lb'"
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        kg = float(text)
    else:
        s = str(text).strip()
        try:
            kg = float(s)
        except ValueError:
            kg = float(parse_quantity(s, field, "[mass]", allowed).to("kg").magnitude)
    if not math.isfinite(kg) or not 2.0 <= kg <= 1000.0:
        raise InputError(field, text, allowed)
    return kg


def pg_ml_to_pmol_l(c_pg_ml):
    """Concentration pg/mL -> pmol/L (x 4.305)."""
    return c_pg_ml * PMOL_L_PER_PG_ML


def pmol_l_to_pg_ml(c_pmol_l):
    """Concentration pmol/L -> pg/mL (/ 4.305)."""
    return c_pmol_l / PMOL_L_PER_PG_ML
