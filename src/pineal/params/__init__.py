"""Parameter sets as data: every value with its unit and citation key (models.md P13).

A set is a TOML file in this folder (sub-folders allowed, e.g. ``clock/hannay2019.toml``)::

    [set]
    description = "..."

    [clearance_l_per_min_per_kg]
    value = 0.0218
    unit = "L/min/kg"
    cite = "andersen2016"
    note = "IV arm, mean"
    fitted_by = "scripts/calibrate_pk.py"   # only for values a script in the repo re-derives from data
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from pineal.errors import InputError


@dataclass(frozen=True)
class Param:
    name: str
    value: float
    unit: str
    cite: str
    note: str = ""
    fitted_by: str = ""


@dataclass(frozen=True)
class ParamSet:
    name: str
    description: str
    params: dict[str, Param] = field(default_factory=dict)

    def __getitem__(self, key: str) -> float:
        try:
            return self.params[key].value
        except KeyError:
            raise KeyError(f"parameter set '{self.name}' has no parameter '{key}'") from None

    def __contains__(self, key: str) -> bool:
        return key in self.params

    def cites(self) -> set[str]:
        """Citation keys of every value in the set."""
        return {p.cite for p in self.params.values()}

    def values(self) -> dict[str, float]:
        return {k: p.value for k, p in self.params.items()}


def available() -> list[str]:
    """Names of all shipped parameter sets ("pk", "clock/hannay2019", ...)."""
    root = resources.files("pineal.params")
    names: list[str] = []

    def walk(node, prefix: str) -> None:
        for child in node.iterdir():
            if child.is_dir() and not child.name.startswith("_"):
                walk(child, f"{prefix}{child.name}/")
            elif child.name.endswith(".toml") and child.name != "bibliography.toml":
                names.append(prefix + child.name[:-5])

    walk(root, "")
    return sorted(names)


@cache
def load(name: str) -> ParamSet:
    """Load a shipped parameter set by name."""
    if name not in available():
        raise InputError("parameter set", name, f"one of {', '.join(available())}")
    node = resources.files("pineal.params")
    for part in name.split("/"):
        node = node.joinpath(part)
    raw = tomllib.loads(node.parent.joinpath(node.name + ".toml").read_text("utf-8"))
    meta = raw.pop("set", {})
    params = {}
    for key, entry in raw.items():
        params[key] = Param(name=key, value=float(entry["value"]), unit=entry.get("unit", "1"),
                            cite=entry["cite"], note=entry.get("note", ""), fitted_by=entry.get("fitted_by", ""))
    return ParamSet(name=name, description=meta.get("description", ""), params=params)


@cache
def merged(name: str, *names: str) -> ParamSet:
    """Several shipped sets as one (later sets override earlier ones, e.g. fitted over literature values)."""
    sets = [load(n) for n in names]
    params: dict[str, Param] = {}
    for ps in sets:
        params.update(ps.params)
    return ParamSet(name=name, description="; ".join(ps.description for ps in sets if ps.description), params=params)
