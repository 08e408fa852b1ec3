"""`pineal.simulate(...)`: run a clock model for one subject or a batch and return a :class:`Result`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from pineal import markers, schedule, solver
from pineal.errors import InputError
from pineal.models.clock import ClockModel, get
from pineal.schedule import Schedule
from pineal.timeline import parse_clock_hours


@dataclass
class Result:
    """Markers (and optionally states) of a simulation; per subject in a batch."""

    model: ClockModel
    days: float
    dt: float
    events: np.ndarray  # (S, n) CBTmin times, hours from start, NaN padded
    cbt_to_dlmo: np.ndarray  # (S,)
    y_end: np.ndarray  # (S, n_state)
    times: np.ndarray | None = None
    states: np.ndarray | None = None  # (S, n_rec, n_state)
    sleep_onset: float | None = None  # clock hours, for phase_angle()

    @property
    def n_subjects(self) -> int:
        return self.events.shape[0]

    def _shape(self, arr: np.ndarray) -> np.ndarray:
        return arr[0] if self.n_subjects == 1 else arr

    def cbtmin(self, per_day: bool = True) -> np.ndarray:
        """CBTmin (hours from start) per day ((days,) or (S, days), NaN where none) or all events."""
        if per_day:
            return self._shape(markers.per_day(self.events, int(np.ceil(self.days))))
        return self._shape(self.events)

    def dlmo(self, per_day: bool = True, method: str = "phase") -> np.ndarray:
        """DLMO (hours from start) per day by the phase convention CBTmin − 7 h (see markers.dlmo)."""
        d = markers.dlmo(self.events, self.cbt_to_dlmo, method=method)
        return self._shape(markers.per_day(d, int(np.ceil(self.days)))) if per_day else self._shape(d)

    def phase_angle(self, sleep_onset: str | float | None = None) -> np.ndarray:
        """Hours from DLMO to the following sleep onset, per day (positive: DLMO before sleep)."""
        onset = self.sleep_onset if sleep_onset is None else (
            parse_clock_hours(sleep_onset, "sleep_onset") if isinstance(sleep_onset, str) else float(sleep_onset))
        if onset is None:
            raise InputError("sleep_onset", None, "a clock time 'HH:MM' (no sleep schedule was given)")
        return markers.phase_angle(self.dlmo(), onset)

    def state(self, name: str) -> np.ndarray:
        """Recorded time series of one state variable (needs record_every)."""
        if self.states is None:
            raise InputError("record_every", None, "a recording interval in steps (states were not recorded)")
        if name not in self.model.state:
            raise InputError("state", name, f"one of {', '.join(self.model.state)}")
        return self._shape(self.states[:, :, self.model.state.index(name)])


def _param_rows(model: ClockModel, params, n: int | None) -> tuple[np.ndarray, list[dict]]:
    """Packed parameter rows from None, a dict (shared; arrays give one value per subject) or a list of dicts."""
    if params is None:
        rows = [{}]
    elif isinstance(params, Mapping):
        sizes = {np.size(v) for v in params.values() if np.ndim(v) > 0}
        if len(sizes) > 1:
            raise InputError("params", {k: np.size(v) for k, v in params.items()}, "arrays of one common length")
        if sizes:
            m = sizes.pop()
            rows = [{k: (np.ravel(v)[i] if np.ndim(v) > 0 else v) for k, v in params.items()} for i in range(m)]
        else:
            rows = [dict(params)]
    elif isinstance(params, Sequence):
        rows = [dict(r) for r in params]
    else:
        raise InputError("params", type(params).__name__, "a dict of parameter values or a list of dicts")
    if n and len(rows) == 1 and n > 1:
        rows = rows * n
    return np.vstack([model.vector(r) for r in rows]), rows


def simulate(days: float, light: Schedule | Sequence[Schedule] | float | None = None, model: str = "hannay2019",
             sleep: tuple[str, str] = ("23:00", "07:00"), lux: float = 500.0, params=None,
             subjects: int | None = None, dt: float = 0.1, entrain: bool | Schedule | np.ndarray = True,
             record_every: int | None = None) -> Result:
    """Simulate ``days`` of a clock model.

    light: None → daily ``lux`` while awake and darkness during ``sleep`` (onset, wake); a number → constant
    lux; a :class:`~pineal.schedule.Schedule`; or a list of Schedules (one per subject).
    params: overrides of the model's cited parameter set; a dict of arrays, or a list of dicts, gives one set
    per subject. entrain: True → start entrained to the daily schedule (``sleep``, ``lux``); a repeating
    Schedule → entrained to it; an array → that initial state; False → the model's default state.
    """
    mdl = get(model)
    days = solver.check_days(days)
    dt = solver.check_dt(dt)
    daily = schedule.daily(sleep=sleep[0], wake=sleep[1], lux=lux)
    if light is None:
        light = daily
    elif isinstance(light, int | float):
        light = schedule.constant(lux=float(light))
    if isinstance(light, Schedule):
        lights: list[Schedule] = [light]
    elif isinstance(light, Sequence) and all(isinstance(s, Schedule) for s in light):
        lights = list(light)
    else:
        raise InputError("light", type(light).__name__, "None, a lux value, a Schedule or a list of Schedules")
    if subjects is not None and (int(subjects) != subjects or subjects < 1):
        raise InputError("subjects", subjects, "a whole number >= 1")
    p, rows = _param_rows(mdl, params, subjects)
    n = max(len(lights), p.shape[0], subjects or 1)
    for size, what in ((len(lights), "light schedules"), (p.shape[0], "parameter sets")):
        if size not in (1, n):
            raise InputError(what, size, f"1 or {n} (one per subject)")
    if isinstance(entrain, np.ndarray):
        y0 = np.broadcast_to(entrain, (n, mdl.n_state))
    elif entrain is False:
        y0 = np.tile(mdl.initial, (n, 1))
    else:
        target = daily if entrain is True else entrain
        y0 = solver.entrain(mdl, target, p, dt=dt, n_sub=n)
    run = solver.integrate(mdl, lights if len(lights) > 1 else lights[0], y0, p, days * 24.0, dt=dt,
                           record_every=record_every,
                           cbt_offset=np.array([mdl.cbt_offset(r) for r in rows] * (n if len(rows) == 1 else 1)))
    c2d = np.array([mdl.cbt_to_dlmo(r) for r in rows] * (n if len(rows) == 1 else 1))
    return Result(model=mdl, days=days, dt=dt, events=run.cbtmin, cbt_to_dlmo=c2d, y_end=run.y_end,
                  times=run.times, states=run.states, sleep_onset=parse_clock_hours(sleep[0], "sleep")
                  if light is None or entrain is True else None)
