"""`pineal.simulate(...)`: run the model for one subject, a batch, or a protocol file, and return a Result.

The default model is the whole system (``hannay2019+melatonin``): clock, light, the body's own melatonin and the
melatonin a dose adds. Doses go through the PK model (``models/pk.py``, 1-min steps, per subject); their plasma
level enters the clock solver as a piecewise-constant input (means over each solver step) and adds to the body's
own (linear elimination). Markers: CBTmin and the phase-convention DLMO for every model; for a model with
melatonin also the threshold DLMO/DLMOff of the body's own plasma melatonin (``markers.DLMO_DEFINITIONS``).
"""

from __future__ import annotations

import sys
import types
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from pineal import limits, markers, schedule, solver
from pineal.errors import InputError
from pineal.models import pk
from pineal.models.clock import ClockModel, get
from pineal.schedule import Schedule
from pineal.timeline import parse_clock_hours

DEFAULT_MODEL = "hannay2019+melatonin"
PK_STEP_H = 1.0 / 60.0
EVENING_DAY_START_H = 12.0  # per-day DLMO: from noon to noon
NON_ENTRAINED_DAYS = 60  # days on the habitual schedule before a run whose clock does not entrain to it
AUTO_RECORD_LIMIT = 2_000_000  # subjects × steps recorded by default (about 80 MB for the 5-state system)


@dataclass
class Result:
    """Markers (and optionally states and plasma melatonin) of a simulation; per subject in a batch."""

    model: ClockModel
    days: float
    dt: float
    events: np.ndarray  # (S, n) CBTmin times, hours from start, NaN padded
    cbt_to_dlmo: np.ndarray  # (S,)
    y_end: np.ndarray  # (S, n_state)
    times: np.ndarray | None = None
    states: np.ndarray | None = None  # (S, n_rec, n_state)
    sleep_onset: float | None = None  # clock hours, for phase_angle()
    sleep_wake: float | None = None  # clock hours, for cbtmin_in_sleep()
    levels: np.ndarray | None = None  # (L,) plasma thresholds of onsets/offsets, pg/mL
    onsets: np.ndarray | None = None  # (S, L, n)
    offsets: np.ndarray | None = None  # (S, L, n)
    exogenous: np.ndarray | None = None  # (S, n_rec) plasma melatonin from doses at `times`, pg/mL
    t0: float = 0.0  # model hour of the start (day 1 starts here)
    notes: list[str] = field(default_factory=list)  # caveats (e.g. a clock that did not entrain)
    traits: dict | None = None  # a virtual population's drawn traits per subject (pineal.population)
    saliva_ratio: float = field(default_factory=lambda: pk.parameter_set()["saliva_plasma_ratio"])

    @property
    def n_subjects(self) -> int:
        return self.events.shape[0]

    def _shape(self, arr: np.ndarray) -> np.ndarray:
        return arr[0] if self.n_subjects == 1 else arr

    def _days(self) -> int:
        return int(np.ceil(self.days))

    def cbtmin(self, per_day: bool = True) -> np.ndarray:
        """CBTmin (hours from start) per day ((days,) or (S, days), NaN where none) or all events."""
        if per_day:
            return self._shape(markers.per_day(self.events, self._days(), self.t0))
        return self._shape(self.events)

    def default_definition(self) -> str:
        return "plasma_10" if self.model.has_melatonin else "phase"

    def _crossings(self, which: str, definition: str) -> np.ndarray:
        if not self.model.has_melatonin or self.levels is None:
            raise InputError("definition", definition, f"'phase' ({self.model.name} has no melatonin state)")
        level = markers.plasma_threshold(definition, self.saliva_ratio)
        k = int(np.argmin(np.abs(self.levels - level)))
        if abs(self.levels[k] - level) > 1e-9:
            raise InputError("definition", definition, "a definition whose threshold was tracked in this run")
        return (self.onsets if which == "on" else self.offsets)[:, k, :]

    def dlmo(self, per_day: bool = True, definition: str | None = None) -> np.ndarray:
        """DLMO (hours from start) per day (day d: from 12:00 on day d to 12:00 on day d + 1).

        ``definition``: 'plasma_10', 'saliva_3', 'saliva_4' (threshold crossings of the body's own melatonin) or
        'phase' (CBTmin − 7 h) or 'relative_25' (25 % of that night's own amplitude, :meth:`nights`; always
        per day). Default: plasma_10 where the model has melatonin, else phase."""
        definition = definition or self.default_definition()
        if definition == markers.RELATIVE_25:
            return self._shape(self.nights()["onset_h"])
        if definition == "phase":
            d = markers.dlmo(self.events, self.cbt_to_dlmo)
        else:
            d = self._crossings("on", definition)
        # an evening marker: day d's DLMO is the one from 12:00 on day d to 12:00 on day d + 1 (a late DLMO
        # just after midnight still belongs to that evening)
        return self._shape(markers.per_day(d, self._days(), self.t0 + EVENING_DAY_START_H)) if per_day else \
            self._shape(d)

    def dlmoff(self, per_day: bool = True, definition: str = "plasma_10") -> np.ndarray:
        """Melatonin offset: the falling crossing of the same threshold as the DLMO definition."""
        if definition == markers.RELATIVE_25:  # by the day it falls in, as for the thresholds
            return self._shape(markers.per_day(self.nights()["offset_h"], self._days(), self.t0))
        d = self._crossings("off", definition)
        return self._shape(markers.per_day(d, self._days(), self.t0)) if per_day else self._shape(d)

    def nights(self) -> dict[str, np.ndarray]:
        """Per night (day d: 12:00 on day d to 12:00 on day d + 1) and subject, from the recorded body's own
        melatonin: ``peak_h``, ``peak`` (pg/mL), and ``onset_h``/``offset_h`` (the next morning) at 25 % of that night's
        peak-to-trough amplitude (Gooley 2011; :func:`markers.night_profile`). Arrays (S, days), hours from the
        start; NaN where a night is not fully inside the run."""
        own = np.atleast_2d(self.endogenous)
        per = [markers.night_profile(self.times, own, self.t0 + 24.0 * d + EVENING_DAY_START_H)
               for d in range(self._days())]
        return {k: np.stack([p[k] for p in per], axis=1) for k in per[0]}

    def midpoint(self, definition: str | None = None) -> np.ndarray:
        """Melatonin midpoint per day: halfway between the DLMO of day d's evening and the next DLMOff of the
        same definition (a threshold or 'relative_25'; the phase convention has no offset)."""
        definition = definition or self.default_definition()
        if definition == "phase":
            raise InputError("definition", definition, "plasma_10, saliva_3, saliva_4 or relative_25 (the midpoint "
                             "needs a melatonin offset)")
        onset = np.atleast_2d(self.dlmo(definition=definition))
        if definition == markers.RELATIVE_25:
            offset = np.atleast_2d(self.nights()["offset_h"])
        else:
            offs = np.atleast_2d(self.dlmoff(per_day=False, definition=definition))
            later = np.where(offs[:, None, :] > onset[:, :, None], offs[:, None, :], np.inf).min(axis=2)
            offset = np.where(np.isfinite(later) & (later - onset < 24.0), later, np.nan)
        return self._shape(0.5 * (onset + offset))

    def suppression(self, window: tuple[float, float], baseline: tuple[float, float]) -> np.ndarray:
        """Suppression (%) of the body's own melatonin over ``window`` (model hours) against the same-length
        ``baseline`` window (e.g. the same clock times on a dim baseline day): 100 × (1 − AUC / AUC_baseline),
        per subject. Doses do not count (they add to plasma, light suppresses the pineal's secretion)."""
        own = self.endogenous
        return self._shape(markers.suppression_pct(markers.window_auc(self.times, own, *window),
                                                   markers.window_auc(self.times, own, *baseline)))

    def phase_angle(self, sleep_onset: str | float | None = None, definition: str | None = None) -> np.ndarray:
        """Hours from DLMO to the following sleep onset, per day (positive: DLMO before sleep)."""
        onset = self.sleep_onset if sleep_onset is None else (
            parse_clock_hours(sleep_onset, "sleep_onset") if isinstance(sleep_onset, str) else
            limits.check_number(sleep_onset, "sleep_onset", 0.0, 24.0, "a clock time 'HH:MM' or clock hours 0-24"))
        if onset is None:
            raise InputError("sleep_onset", None, "a clock time 'HH:MM' (no sleep schedule was given)")
        return markers.phase_angle(self.dlmo(definition=definition), onset)

    def percentiles(self, values, q=(5, 25, 50, 75, 95)) -> dict[str, float]:
        """Percentiles across subjects of per-subject values, e.g. ``res.percentiles(res.dlmo()[:, -1] % 24)``."""
        from pineal.population import percentiles

        return percentiles(values, q)

    def cbtmin_in_sleep(self, sleep: tuple[str, str] | None = None, day: int = -1,
                        per_subject: bool = False) -> float | np.ndarray:
        """Share of subjects whose CBTmin on ``day`` (default the last) falls inside the sleep episode
        (clock times; default the run's daily sleep), a marker of circadian alignment. ``per_subject``: one
        value per subject instead, 1.0 inside, 0.0 outside, NaN where that day has no CBTmin."""
        if sleep is None:
            if self.sleep_onset is None or self.sleep_wake is None:
                raise InputError("sleep", None, "(onset, wake) clock times: this run had no daily sleep schedule")
            onset, wake = self.sleep_onset, self.sleep_wake
        else:
            onset, wake = (parse_clock_hours(x, "sleep") for x in sleep)
        c = np.atleast_2d(self.cbtmin())[:, day] % 24.0
        ok = np.isfinite(c)
        inside = ((c - onset) % 24.0) < ((wake - onset) % 24.0)
        if per_subject:
            return np.where(ok, inside, np.nan)
        return float(np.mean(inside[ok])) if ok.any() else float("nan")

    def state(self, name: str) -> np.ndarray:
        """Recorded time series of one state variable (needs record_every)."""
        if self.states is None:
            raise InputError("record_every", None, "a recording interval in steps (states were not recorded)")
        if name not in self.model.state:
            raise InputError("state", name, f"one of {', '.join(self.model.state)}")
        return self._shape(self.states[:, :, self.model.state.index(name)])

    @property
    def endogenous(self) -> np.ndarray:
        """The body's own plasma melatonin (pg/mL) at ``times``."""
        if not self.model.has_melatonin:
            raise InputError("model", self.model.name, f"a model with melatonin, e.g. {DEFAULT_MODEL}")
        return self.state(self.model.state[self.model.level_index])

    @property
    def plasma(self) -> np.ndarray:
        """Total plasma melatonin (pg/mL) at ``times``: the body's own plus what doses add."""
        own = self.endogenous
        return own + (self._shape(self.exogenous) if self.exogenous is not None else 0.0)

    @property
    def saliva(self) -> np.ndarray:
        """Saliva melatonin (pg/mL) = plasma × the saliva:plasma ratio (unbound fraction, pk.toml)."""
        return self.plasma * self.saliva_ratio


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
    if n and len(rows) == 1 and n > 1:  # one shared set: pack it once
        return np.tile(model.vector(rows[0]), (n, 1)), rows * n
    return np.vstack([model.vector(r) for r in rows]), rows


def subject_params(model: ClockModel, subject: pk.Subject | None) -> tuple[dict[str, float], np.ndarray]:
    """A person's overrides for the system (plasma volume, clearance, age) and their PK parameter vector."""
    subject = subject or pk.Subject()
    pk_vec, _ = pk.individual_parameters(subject)
    if not model.has_melatonin:
        return {}, pk_vec
    from pineal.models.system import subject_values

    return subject_values(pk_vec, subject.age), pk_vec


def exogenous_input(doses: Sequence[pk.Dose], pk_vec: np.ndarray, start_h: float, hours: float, dt: float):
    """Plasma melatonin that ``doses`` add over [start_h, start_h + hours): (edges, means over each solver step)
    and the 1-min curve (t, c), times in model hours."""
    shifted = [replace(d, time_h=d.time_h - start_h) for d in doses]
    t, c = _pk_curve(shifted, pk_vec, hours)
    t = t + start_h
    edges, means = plasma_steps(t, c, dt)
    return edges, means, t, c


def plasma_steps(t: np.ndarray, c: np.ndarray, dt: float):
    """(edges, means over each solver step) of a 1-min plasma curve starting at ``t[0]``, up to one step after
    its last non-zero mean; (None, None) for a curve that is all zero."""
    per = max(1, round(dt / PK_STEP_H))
    n_blocks = (c.size - 1) // per
    seg = step_means(c, dt)
    last = np.nonzero(seg > 1e-9)[0]
    if last.size == 0:
        return None, None
    k = last[-1] + 2
    edges = t[0] + per * PK_STEP_H * np.arange(min(k, n_blocks) + 1)
    return edges, seg[: edges.size - 1]


def step_means(c: np.ndarray, dt: float) -> np.ndarray:
    """Means of a 1-min plasma curve over each solver step (trapezoid rule), along the last axis."""
    per = max(1, round(dt / PK_STEP_H))
    n_blocks = (c.shape[-1] - 1) // per
    mid = 0.5 * (c[..., :-1] + c[..., 1:])[..., : n_blocks * per]
    return mid.reshape(*c.shape[:-1], n_blocks, per).mean(axis=-1)


PK_CHUNK_H = 720.0  # doses are simulated in 30-day groups (the PK model runs at most 60 days at a time)
PK_TAIL_H = 120.0  # how long after its group a dose's plasma is followed (longest infusion/patch 72 h + washout)


def _pk_curve(doses: Sequence[pk.Dose], pk_vec: np.ndarray, hours: float) -> tuple[np.ndarray, np.ndarray]:
    """Plasma melatonin (pg/mL) that ``doses`` add on a 1-min grid over [0, hours), for any protocol length:
    elimination is linear, so groups of doses are simulated separately and summed."""
    n = round(hours / PK_STEP_H)
    t = np.arange(n + 1) * PK_STEP_H
    c = np.zeros(n + 1)
    groups: dict[int, list[pk.Dose]] = {}
    for d in doses:
        groups.setdefault(max(0, int(d.time_h // PK_CHUNK_H)), []).append(d)
    for g, ds in groups.items():
        t0 = g * PK_CHUNK_H
        span = min(hours - t0, PK_CHUNK_H + PK_TAIL_H)
        if span <= 0:
            continue
        run = pk.simulate([replace(d, time_h=d.time_h - t0) for d in ds], hours=span, dt_h=PK_STEP_H,
                          subjects=pk_vec[None, :])
        i0 = round(t0 / PK_STEP_H)
        m = min(run.plasma_pg_ml.shape[1], n + 1 - i0)
        c[i0:i0 + m] += run.plasma_pg_ml[0, :m]
    return t, c


def _dose_lists(doses, n: int) -> list[tuple[pk.Dose, ...]]:
    """None → no doses; a list of Doses → shared; a list of lists → one per subject."""
    if doses is None:
        return [()] * n
    doses = list(doses)
    if _is_nested(doses):
        if len(doses) not in (1, n):
            raise InputError("doses", len(doses), f"1 or {n} dose lists (one per subject)")
        lists = [tuple(_as_dose(x) for x in d) for d in doses]
        return lists * n if len(lists) == 1 else lists
    return [tuple(_as_dose(d) for d in doses)] * n


def _as_dose(d) -> pk.Dose:
    if isinstance(d, pk.Dose):
        return d
    raise InputError("doses", repr(d)[:60], "pineal.models.pk.Dose objects, e.g. pk.Dose.parse('3 mg', time_h=21)")


def simulate(protocol=None, *, days: float | None = None, light: Schedule | Sequence[Schedule] | float | None = None,
             doses=None, subject: pk.Subject | None = None, model: str = DEFAULT_MODEL,
             sleep: tuple[str, str] = ("23:00", "07:00"), lux: float = schedule.ROOM_LUX, params=None,
             subjects: int | None = None, dt: float = 0.1, entrain: bool | Schedule | np.ndarray = True,
             record_every: int | None = None, start_h: float = 0.0, pk_params: np.ndarray | None = None,
             population: int | None = None, seed: int | None = None):
    """Simulate the clock (and melatonin) for ``days``, or run a protocol file (see docs/protocols.md).

    protocol: a :class:`pineal.Protocol` or a path to a TOML protocol → a :class:`ProtocolResult` (both arms).
    light: None → daily ``lux`` while awake and darkness during ``sleep`` (onset, wake); a number → constant
    lux; a :class:`~pineal.schedule.Schedule`; or a list of Schedules (one per subject).
    doses: :class:`pk.Dose` list (times in hours from the start), shared or one list per subject.
    subject: a :class:`pk.Subject` (weight, age, sex, co-medication...) for the PK model and the body's own
    melatonin. params: overrides of the model's cited parameters (a dict of arrays or a list of dicts gives one
    set per subject). entrain: True → start entrained to the daily schedule (``sleep``, ``lux``); a repeating
    Schedule → entrained to it; an array → that initial state; False → the model's default state.
    record_every: store states every that many steps (default: every step for small runs; 0 = markers only).
    start_h: model hour at which the run starts (schedules and dose times are in model hours; default 0 =
    local midnight of day 1).
    pk_params: per-subject PK parameter rows (e.g. from ``pk.sample_subjects``), one per subject, for the
    plasma curves of the doses (default: the one ``subject``'s parameters for everybody).
    population, seed: a virtual population of that many subjects drawn from published spreads (period by sex,
    photic and suppression sensitivity, melatonin amplitude; :mod:`pineal.population`), reproducible with
    ``seed``; ``Result.traits`` holds the draws, ``Result.percentiles`` summarises any per-subject marker.
    """
    if isinstance(protocol, bool):
        raise InputError("protocol", protocol, "a Protocol, the path of a TOML protocol file, or a number of days")
    if protocol is not None and not isinstance(protocol, int | float):
        from pineal.protocols import Protocol

        proto = protocol if isinstance(protocol, Protocol) else Protocol.from_toml(Path(protocol))
        return run_protocol(proto, model=model, dt=dt)
    if protocol is not None:
        days = protocol
    if days is None:
        raise InputError("days", None, "a number of days > 0 (or a protocol)")
    _check_arguments(days, model, sleep, lux, subjects, dt, record_every, start_h, entrain)
    mdl = get(model)
    days = solver.check_days(days)
    dt = solver.check_dt(dt)
    hours = days * 24.0
    daily = schedule.daily(sleep=sleep[0], wake=sleep[1], lux=lux)
    if light is None:
        light = daily
    elif isinstance(light, int | float) and not isinstance(light, bool):
        light = schedule.constant(lux=float(light))
    if isinstance(light, Schedule):
        lights: list[Schedule] = [light]
    elif isinstance(light, Sequence) and all(isinstance(s, Schedule) for s in light):
        lights = list(light)
    else:
        raise InputError("light", type(light).__name__, "None, a lux value, a Schedule or a list of Schedules")
    if subjects is not None and (int(subjects) != subjects or subjects < 1):
        raise InputError("subjects", subjects, "a whole number >= 1")
    if subject is not None and not isinstance(subject, pk.Subject):
        raise InputError("subject", type(subject).__name__, "a pineal.models.pk.Subject")
    notes: list[str] = []
    traits = None
    if population is not None:
        from pineal.population import draw

        limits.check_number(population, "population", 1, limits.MAX_SUBJECTS, f"a whole number of subjects from 1 "
                            f"to {limits.MAX_SUBJECTS:,}", integer=True)

        drawn, traits = draw(population, seed, mdl.name)
        if params is not None and not isinstance(params, Mapping):
            raise InputError("params", type(params).__name__, "a dict of shared overrides with population=")
        params = [{**r, **(params or {})} for r in drawn]
    personal, pk_vec = subject_params(mdl, subject)
    if personal:
        params = _with_personal(params, personal)
    p, rows = _param_rows(mdl, params, subjects)
    n = max(len(lights), p.shape[0], subjects or 1, len(doses) if _is_nested(doses) else 1)
    if subjects is not None and n != subjects:
        raise InputError("subjects", subjects, f"the number of subjects the light schedules, parameter sets and dose "
                         f"lists give ({n}), or leave it out")
    for size, what in ((len(lights), "light schedules"), (p.shape[0], "parameter sets")):
        if size not in (1, n):
            raise InputError(what, size, f"1 or {n} (one per subject)")
    limits.check_count(int(np.ceil(n * days)), limits.MAX_SUBJECT_DAYS, "subjects x days", "subject-days in one run")
    if record_every:
        limits.check_count(int(n * hours / dt / record_every), AUTO_RECORD_LIMIT * 25, "record_every",
                           "recorded states (subjects x steps / record_every)")
    dose_lists = _dose_lists(doses, n)
    if pk_params is not None:
        pk_params = np.atleast_2d(np.asarray(pk_params, dtype=float))
        if pk_params.shape != (n, pk_vec.size) or not np.all(np.isfinite(pk_params)):
            raise InputError("pk_params", pk_params.shape, f"finite PK rows of shape ({n}, {pk_vec.size})")
    if any(dose_lists) and not mdl.has_melatonin:
        raise InputError("doses", f"{sum(map(len, dose_lists))} doses", f"no doses with the light-only model "
                         f"{mdl.name}; use {DEFAULT_MODEL}")
    if isinstance(entrain, np.ndarray):
        y0 = np.broadcast_to(entrain, (n, mdl.n_state))
    elif entrain is False:
        y0 = np.tile(mdl.initial, (n, 1))
    else:
        target = daily if entrain is True else entrain
        y0, notes = _entrained(mdl, target, p, dt, n)
    if record_every is None:
        record_every = 1 if (mdl.has_melatonin and n * hours / dt <= AUTO_RECORD_LIMIT) else 0
    exo_curves = {}
    if any(dose_lists):
        # one PK run per distinct dose list, one overlaid schedule per distinct (schedule, dose list)
        curves, overlaid = {}, {}
        base = [lights[i % len(lights)] for i in range(n)]
        lights = list(base)
        for i, dl in enumerate(dose_lists):
            if not dl:
                continue
            ck = dl if pk_params is None else (dl, i)
            if ck not in curves:
                curves[ck] = exogenous_input(dl, pk_vec if pk_params is None else pk_params[i], start_h, hours, dt)
            edges, means, t_fine, c_fine = curves[ck]
            exo_curves[i] = (t_fine, c_fine)
            if edges is not None:
                key = (id(base[i]), ck)
                if key not in overlaid:
                    overlaid[key] = base[i].with_series(edges, means, until=start_h + hours)
                lights[i] = overlaid[key]
    levels = markers.tracked_levels(pk.parameter_set()["saliva_plasma_ratio"]) if mdl.has_melatonin else ()
    run = solver.integrate(mdl, lights if len(lights) > 1 else lights[0], y0, p, hours, dt=dt, t0=start_h,
                           record_every=record_every or None, levels=levels,
                           cbt_offset=np.array([mdl.cbt_offset(r) for r in rows] * (n if len(rows) == 1 else 1)))
    c2d = np.array([mdl.cbt_to_dlmo(r) for r in rows] * (n if len(rows) == 1 else 1))
    exo = None
    if run.times is not None and exo_curves:
        exo = np.zeros((n, run.times.size))
        for i, (t_fine, c_fine) in exo_curves.items():
            exo[i] = np.interp(run.times, t_fine, c_fine, right=0.0)
    return Result(model=mdl, days=days, dt=dt, events=run.cbtmin, cbt_to_dlmo=c2d, y_end=run.y_end,
                  times=run.times, states=run.states, sleep_onset=parse_clock_hours(sleep[0], "sleep")
                  if light is daily or entrain is True else None, levels=run.levels, onsets=run.onsets,
                  offsets=run.offsets, exogenous=exo, t0=start_h, notes=notes, traits=traits,
                  sleep_wake=parse_clock_hours(sleep[1], "sleep") if light is daily or entrain is True else None)


def _entrained(mdl: ClockModel, target: Schedule, p: np.ndarray, dt: float, n: int) -> tuple[np.ndarray, list[str]]:
    """Initial states entrained to ``target``; a clock that cannot entrain to it (a period far from 24 h, a day
    with almost no darkness) drifts in relative coordination: it starts after NON_ENTRAINED_DAYS on the schedule,
    and a note says so (a finite, flagged result instead of an error about an internal step)."""
    try:
        return solver.entrain(mdl, target, p, dt=dt, n_sub=n), []
    except InputError as err:
        if not (err.reason or "").startswith("the markers did not settle"):
            raise
    y = solver.integrate(mdl, target, np.tile(mdl.initial, (n, 1)), p, NON_ENTRAINED_DAYS * 24.0, dt=dt).y_end
    return y, [f"the clock does not entrain to the daily schedule it lived on before the run: it starts after "
               f"{NON_ENTRAINED_DAYS} days on that schedule, not entrained (phase depends on those days)"]


def _check_arguments(days, model, sleep, lux, subjects, dt, record_every, start_h, entrain) -> None:
    """Types and ranges of simulate()'s arguments, before any work (InputError naming the argument)."""
    limits.check_number(days, "days", 0.0, limits.MAX_DAYS, f"a number of days > 0 and <= {limits.MAX_DAYS}",
                        low_open=True)
    if not isinstance(model, str | ClockModel):
        raise InputError("model", type(model).__name__, "a clock model name, e.g. " + DEFAULT_MODEL)
    if not (isinstance(sleep, Sequence) and not isinstance(sleep, str) and len(sleep) == 2
            and all(isinstance(x, str) for x in sleep)):
        raise InputError("sleep", sleep, "a pair of clock times (onset, wake), e.g. ('23:00', '07:00')")
    limits.check_number(lux, "lux", 0.0, limits.MAX_LUX, f"illuminance in lux from 0 to {limits.MAX_LUX:g}")
    if subjects is not None:
        limits.check_number(subjects, "subjects", 1, limits.MAX_SUBJECTS, integer=True)
        limits.check_count(int(np.ceil(subjects * days)), limits.MAX_SUBJECT_DAYS, "subjects x days",
                           "subject-days in one run")
    limits.check_number(dt, "dt", 1e-3, solver.DT_MAX, f"a step in hours, 0.001 <= dt <= {solver.DT_MAX}")
    if record_every is not None:
        limits.check_number(record_every, "record_every", 0, 10**9, "None, 0 (markers only) or a number of steps",
                            integer=True)
    limits.check_number(start_h, "start_h", -pk.MAX_DOSE_TIME_H, pk.MAX_DOSE_TIME_H, "a finite model hour")
    if not (isinstance(entrain, bool | Schedule | np.ndarray)):
        raise InputError("entrain", type(entrain).__name__, "True, False, a repeating Schedule or an initial state")


def free_running_period(model: str | ClockModel, params=None, days: int = 30, dt: float = 0.1) -> float:
    """Free-running period (h) in constant darkness, awake: the slope of the CBTmin times of days 5 to ``days``
    after entrainment to the default day (sleep 23:00-07:00, room light awake)."""
    mdl = get(model)
    p = mdl.vector(params)
    try:
        y0 = solver.entrain(mdl, schedule.daily(), p, dt=dt)
    except InputError:  # a period far from 24 h (tau_h 22 or 26) does not entrain: start from the default clock's
        y0 = solver.entrain(mdl, schedule.daily(), mdl.vector(None), dt=dt)  # state; days 1-4 are skipped anyway
    ev = solver.integrate(mdl, schedule.constant(0.0), y0, p, days * 24.0, dt=dt).cbtmin[0]
    ev = ev[np.isfinite(ev) & (ev > 5 * 24.0)]
    return float(np.polyfit(np.arange(ev.size), ev, 1)[0])


def intrinsic_period_params(model: str | ClockModel, period: float) -> dict[str, float]:
    """Parameter overrides giving a free-running period of ``period`` h. The model's own inverse (τ_x, or
    Hannay's ω₀) is exact for a light-only clock; where the body's own melatonin also drives the clock, one
    secant step on the simulated period corrects it (to about a minute per day)."""
    mdl = get(model)
    over = mdl.intrinsic_period(period)
    if not mdl.has_melatonin:
        return over
    got = free_running_period(mdl, over)
    return mdl.intrinsic_period(period - (got - period))


def own_melatonin(subject: pk.Subject | None = None, sleep: str = "23:00", wake: str = "07:00",
                  lux: float = schedule.ROOM_LUX) -> tuple[np.ndarray, np.ndarray, float]:
    """The body's own plasma melatonin over one entrained day (t from midnight, pg/mL) and its night peak, for a
    person on a regular schedule (darkness asleep, ``lux`` awake)."""
    res = simulate(days=1.0, subject=subject, sleep=(sleep, wake), lux=lux, record_every=1)
    own = res.endogenous
    return res.times, own, float(own.max())


def _is_nested(doses) -> bool:
    return bool(doses) and all(isinstance(d, Sequence) and not isinstance(d, str) for d in doses)


def _with_personal(params, personal: dict[str, float]):
    """Add a person's values to shared or per-subject parameter overrides (explicit overrides win)."""
    if params is None:
        return dict(personal)
    if isinstance(params, Mapping):
        return {**personal, **params}
    if isinstance(params, Sequence):
        return [{**personal, **dict(r)} for r in params]
    return params


# --- protocol files -------------------------------------------------------------------------------------

@dataclass
class ProtocolResult:
    """A protocol run: the intervention arm and (if the protocol has one) the placebo reference arm."""

    protocol: object
    treatment: Result
    placebo: Result | None
    notes: list[str] = field(default_factory=list)  # caveats of the run (e.g. a clock that did not entrain)
    episodes: object = None  # the protocols.Episodes that were run (relative times resolved)
    anchors: object = None  # the subject's baseline anchors (relative_times.Anchors), None without relative times

    def markers(self) -> list[dict]:
        """Each measurement of the protocol per arm: a time of day (``*_h`` model hours and ``*_clock``) for
        dlmo, dlmoff, cbtmin, midpoint and peak, with the phase shift (placebo − treatment, advance positive);
        a value (``*_value`` with ``unit``) for peak (level), suppression (%) and cbtmin_in_sleep (true/false)."""
        from pineal.protocols import THRESHOLD_MARKERS, TIME_MARKERS
        from pineal.timeline import format_clock

        out = []
        for m in self.protocol.model.measure:
            row = {"marker": m.marker, "day": m.day,
                   "definition": m.definition if m.marker in (*THRESHOLD_MARKERS, "cbtmin") else None}
            if m.marker == "suppression":
                row["window"] = [m.start, m.end]
                row["baseline_day"] = m.baseline_day
            for arm, res in (("treatment", self.treatment), ("placebo", self.placebo)):
                if res is None:
                    continue
                t, value, unit = self._measure(res, m)
                if m.marker in TIME_MARKERS:
                    row[f"{arm}_h"] = t
                    row[f"{arm}_clock"] = format_clock(t) if np.isfinite(t) else None
                if unit:
                    row[f"{arm}_value"], row["unit"] = value, unit
            if self.placebo is not None and m.marker in TIME_MARKERS:
                row["shift_h"] = row["placebo_h"] - row["treatment_h"]
            out.append(row)
        return out

    def _measure(self, res: Result, m) -> tuple[float, float | bool | None, str]:
        """(time in model hours or NaN, value, unit) of one measurement in one arm."""
        i = m.day - 1
        if m.marker == "peak":
            night = res.nights()
            return float(night["peak_h"][0, i]), float(night["peak"][0, i]), "pg/mL"
        if m.marker == "midpoint":
            return float(np.atleast_1d(res.midpoint(m.definition))[i]), None, ""
        if m.marker == "suppression":
            window = self.protocol.window(m, m.day, self.anchors)
            base = self.protocol.window(m, m.baseline_day, self.anchors)
            return np.nan, float(np.atleast_1d(res.suppression(window, base))[0]), "%"
        if m.marker == "cbtmin_in_sleep":
            c = float(res.cbtmin()[i])
            inside = None if not np.isfinite(c) else any(s.start_h <= c < s.end_h for s in self.episodes.sleep)
            return c, inside, "true/false"
        return float(_marker(res, m.marker, m.definition)[i]), None, ""

    def per_day(self, definition: str | None = None, arm: str = "treatment") -> dict[str, np.ndarray]:
        """DLMO, DLMOff and CBTmin per day of one arm ('treatment' or 'placebo'; hours from the start)."""
        r = self.treatment if arm == "treatment" else self.placebo
        if r is None:
            raise InputError("arm", arm, "'treatment', or 'placebo' for a protocol with a placebo reference")
        d = definition or r.default_definition()
        out = {"dlmo": r.dlmo(definition=d), "cbtmin": r.cbtmin()}
        if r.model.has_melatonin and d != "phase":
            out["dlmoff"] = r.dlmoff(definition=d)
        return out


def _marker(res: Result, marker: str, definition: str) -> np.ndarray:
    """Per-day times of the markers dlmo, dlmoff and cbtmin."""
    if marker == "cbtmin":
        return res.cbtmin()
    if marker == "dlmoff":
        return res.dlmoff(definition=definition)
    if marker == "dlmo":
        return res.dlmo(definition=definition)
    raise InputError("marker", marker, "dlmo, dlmoff or cbtmin")


def _check_measures(proto, mdl: ClockModel) -> None:
    """Measures of the melatonin curve need a model with melatonin: an InputError naming the measure."""
    if mdl.has_melatonin:
        return
    for i, m in enumerate(proto.model.measure):
        if m.marker in ("peak", "midpoint", "suppression") or (m.marker in ("dlmo", "dlmoff")
                                                               and m.definition != "phase"):
            raise InputError(f"{proto.source}: measure[{i}]", f"{m.marker} ({m.definition})",
                             f"a phase-convention dlmo or cbtmin or cbtmin_in_sleep with {mdl.name}, which has no "
                             f"melatonin state; or a model with melatonin, e.g. {DEFAULT_MODEL}")


def run_protocol(proto, model: str = DEFAULT_MODEL, dt: float = 0.1) -> ProtocolResult:
    """Both arms of a protocol in one batch: intervention and, if asked for, the placebo reference. Times
    relative to DLMO/CBTmin are resolved from the protocol subject's baseline under this model."""
    mdl = get(model)
    _check_measures(proto, mdl)
    anchors = proto.anchors(mdl.name, dt)
    ep = proto.episodes(anchors=anchors)
    hab = proto.model.habitual
    subject = proto.subject()
    light = proto.schedule(ep)
    tau = proto.model.subject.tau_h
    params = intrinsic_period_params(mdl, tau) if tau else None
    arms = [list(ep.doses)]
    if proto.model.reference.placebo:
        arms.append([])
    res = simulate(days=proto.model.protocol.days, light=light, doses=arms, subject=subject, model=mdl.name,
                   params=params, dt=dt, entrain=schedule.daily(hab.sleep, hab.wake, lux=hab.lux),
                   sleep=(hab.sleep, hab.wake))
    treat, placebo = _split(res, 0), (_split(res, 1) if len(arms) > 1 else None)
    notes = [n.replace("the daily schedule", "the [habitual] schedule") + (f" (subject.tau_h = {tau:g} h)" if tau
                                                                         else "") for n in res.notes]
    return ProtocolResult(protocol=proto, treatment=treat, placebo=placebo, notes=notes, episodes=ep,
                          anchors=anchors)


def _split(res: Result, i: int) -> Result:
    """Subject ``i`` of a batch Result as a one-subject Result."""
    def pick(a):
        return None if a is None else a[i:i + 1]

    return Result(model=res.model, days=res.days, dt=res.dt, events=res.events[i:i + 1],
                  cbt_to_dlmo=res.cbt_to_dlmo[i:i + 1], y_end=res.y_end[i:i + 1], times=res.times,
                  states=pick(res.states), sleep_onset=res.sleep_onset, levels=res.levels, onsets=pick(res.onsets),
                  offsets=pick(res.offsets), exogenous=pick(res.exogenous), t0=res.t0)


class _CallableModule(types.ModuleType):
    """``pineal.simulate`` names both this module and its function (the package loads it lazily, and importing the
    module makes it the package's attribute): calling the module calls :func:`simulate`."""

    def __call__(self, *args, **kwargs):
        return simulate(*args, **kwargs)


sys.modules[__name__].__class__ = _CallableModule
