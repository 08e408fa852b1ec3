"""Light-driven circadian clock models, chosen by name.

Every model module defines ``MODEL``, a :class:`ClockModel` whose right-hand side is written once as a
pure numba function over one subject::

    prepare(u, p, a)          # per input interval: raw inputs u = [lux, sleep, dose_rate] -> derived a
    rhs(t, y, a, p, dydt)     # dy/dt for one subject; p is the packed parameter vector

``prepare`` runs once per constant-input interval (e.g. computes α(I)), ``rhs`` at every RK4 stage. ``a`` has
``1 + n_derived`` slots more than ``u``: ``a[len(u)]`` is the fastest rate (1/h) of the system under that input
(Process L: 60(α + β)), and the ``n_derived`` slots after it hold whatever else depends on the input alone (the
system model's direct light suppression), computed once per interval instead of at every stage; the solver
sub-divides a step so that rate × step stays ≤ 0.5 (accuracy and RK4 stability in bright light). A composed
system (``pineal.models.system``: clock + pineal and plasma melatonin) appends states after the clock states and
reads the exogenous-melatonin input channel; the solver is generic in the number of states. ``project(y)`` runs
after every step (e.g. keeps concentrations ≥ 0); ``level_index`` names the state whose threshold crossings are
the melatonin onset/offset markers (−1: none).
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numba as nb
import numpy as np

from pineal import params as _params
from pineal.errors import InputError

#: marker kinds understood by pineal.markers
MARKER_MIN = 0  # CBTmin at the minimum of y[index] (Kronauer family), + phi_ref
MARKER_PHASE = 1  # CBTmin where the phase y[index] crosses `level` (mod 2π) upward (Hannay)

REGISTRY: dict[str, str] = {
    "forger1999": "pineal.models.clock.forger1999",
    "jewett1999": "pineal.models.clock.jewett1999",
    "sthilaire2007": "pineal.models.clock.sthilaire2007",
    "hannay2019": "pineal.models.clock.hannay2019",
    "hannay2019+melatonin": "pineal.models.system",
}


@nb.njit(cache=True, inline="always")
def no_projection(y):
    """Light-only clocks keep every state as integrated."""


@dataclass(frozen=True)
class ClockModel:
    """One clock model: state names, compiled RHS, parameter packing and its CBTmin marker."""

    name: str
    title: str
    state: tuple[str, ...]
    rhs: Callable
    prepare: Callable
    pack: Callable[[Mapping[str, float]], np.ndarray]
    marker_kind: int
    marker_index: int
    initial: np.ndarray = field(repr=False)
    marker_level: float = 0.0  # phase level for MARKER_PHASE
    cite: str = ""
    project: Callable = no_projection
    level_index: int = -1  # state of the body's own plasma melatonin (pg/mL), for DLMO/DLMOff
    n_derived: int = 0  # slots of ``a`` after the fastest rate that prepare() fills (see the module docstring)
    param_sets: tuple[str, ...] = ()  # default: ("clock/<name>",)
    derived: Callable[[], dict[str, float]] | None = None  # values taken from other layers' sets (e.g. PK)
    #: parameter overrides that give a person's intrinsic (free-running) period; default: set ``tau_x``
    period_overrides: Callable[[dict[str, float], float], dict[str, float]] | None = None

    @property
    def n_state(self) -> int:
        return len(self.state)

    @property
    def has_melatonin(self) -> bool:
        return self.level_index >= 0

    def paramset(self) -> _params.ParamSet:
        return _params.merged(self.name, *(self.param_sets or (f"clock/{self.name}",)))

    def values(self, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Parameter values (shipped sets, with named overrides checked against them)."""
        vals = self.paramset().values()
        if self.derived is not None:
            vals.update(self.derived())
        for key, value in (overrides or {}).items():
            if key not in vals:
                raise InputError("params", key, f"a parameter of {self.name}: {', '.join(vals)}")
            try:
                v = float(value) if not isinstance(value, bool | str | bytes) else math.nan
            except (TypeError, ValueError, OverflowError):
                v = math.nan
            if not np.isfinite(v):
                raise InputError(f"params.{key}", value, "a finite number")
            vals[key] = v
        return vals

    def vector(self, overrides: Mapping[str, float] | None = None) -> np.ndarray:
        """Packed parameter vector for the compiled RHS."""
        return np.ascontiguousarray(self.pack(self.values(overrides)), dtype=np.float64)

    def cbt_offset(self, overrides: Mapping[str, float] | None = None) -> float:
        """Hours from the marker event (minimum of x / phase crossing) to CBTmin (φ_ref)."""
        return float(self.values(overrides).get("phi_ref", 0.0))

    def intrinsic_period(self, period: float, overrides: Mapping[str, float] | None = None) -> dict[str, float]:
        """Overrides giving a free-running period of ``period`` hours (Kronauer models: τ_x; Hannay: from ω₀)."""
        if self.period_overrides is not None:
            return self.period_overrides(self.values(overrides), float(period))
        return {"tau_x": float(period)}

    def cbt_to_dlmo(self, overrides: Mapping[str, float] | None = None) -> float:
        return float(self.values(overrides)["cbt_to_dlmo"])


def names() -> list[str]:
    return sorted(REGISTRY)


def get(name: str | ClockModel) -> ClockModel:
    """The clock model registered under ``name``."""
    if isinstance(name, ClockModel):
        return name
    if name not in REGISTRY:
        raise InputError("model", name, f"one of {', '.join(names())}")
    return importlib.import_module(REGISTRY[name]).MODEL
