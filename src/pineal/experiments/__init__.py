"""Published experiments as runnable code, each compared with its data at a stated tolerance.

An experiment module exposes ``NAME``, ``TITLE``, ``CITE`` and ``run(**options) -> Outcome``; ``DEFAULT_MODEL``
and ``MODELS`` (the models it can run; default every clock model) where a model is a choice. The registry
below maps names to modules; `pineal experiment NAME` and `pineal validate` use it.
"""

from __future__ import annotations

import importlib
from dataclasses import asdict, dataclass, field
from typing import Any

from pineal.errors import InputError


@dataclass(frozen=True)
class ValidationRow:
    """One comparison of a model value with a published value."""

    experiment: str
    metric: str
    model: float
    published: str  # the published value or range as text, e.g. "41 ± 18 min"
    tolerance: str  # the acceptance rule as text, e.g. "23-59 min"
    passed: bool
    unit: str = ""
    cite: str = ""
    note: str = ""

    def __post_init__(self):  # plain JSON types whatever numpy gave (np.bool_ would serialise as "True")
        object.__setattr__(self, "model", float(self.model))
        object.__setattr__(self, "passed", bool(self.passed))

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Outcome:
    """What running one experiment gives: its validation rows and the curves to plot."""

    name: str
    title: str
    rows: list[ValidationRow] = field(default_factory=list)
    series: dict[str, Any] = field(default_factory=dict)  # model and data curves for plotting

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.rows)


def within(value: float, low: float, high: float) -> bool:
    return bool(low <= value <= high)


def explain(rows: list[ValidationRow], known_misses: dict[str, str]) -> list[ValidationRow]:
    """Rows whose metric is a documented miss carry the explanation as their note (`pineal validate` prints it)."""
    from dataclasses import replace

    return [replace(r, note=known_misses[r.metric]) if r.metric in known_misses else r for r in rows]


#: experiment name -> module path (modules are imported lazily so the CLI starts fast)
REGISTRY: dict[str, str] = {
    "pk": "pineal.experiments.pk_studies",
    "products": "pineal.experiments.products_pk",
    "pk_vpc": "pineal.experiments.pk_vpc",
    "endogenous": "pineal.experiments.endogenous_levels",
    "khalsa2003": "pineal.experiments.khalsa2003",
    "sthilaire2012": "pineal.experiments.sthilaire2012",
    "zeitzer2000": "pineal.experiments.zeitzer2000",
    "freerun": "pineal.experiments.freerun",
    "entrainment": "pineal.experiments.entrainment",
    "melatonin_profile": "pineal.experiments.melatonin_profile",
    "suppression": "pineal.experiments.suppression",
    "burgess2008": "pineal.experiments.burgess2008",
    "burgess2010": "pineal.experiments.burgess2010",
    "burgess_doses": "pineal.experiments.burgess_doses",
    "lewy1992": "pineal.experiments.lewy1992",
    "wirzjustice2004": "pineal.experiments.wirzjustice2004",
    "multiday": "pineal.experiments.multiday",
    "multiday_spread": "pineal.experiments.multiday_spread",
    "population_spread": "pineal.experiments.population_spread",
}


def get(name: str):
    if name not in REGISTRY:
        raise InputError("experiment", name, f"one of {', '.join(sorted(REGISTRY)) or '(none yet)'}")
    return importlib.import_module(REGISTRY[name])
