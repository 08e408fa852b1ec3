"""Times relative to the subject's own DLMO, CBTmin, habitual bedtime or wake (protocol format v2).

A clock-time field of a protocol (``start``/``end`` of ``[[sleep]]``, ``[[light]]`` and a suppression
``[[measure]]``, ``time`` of ``[[dose]]``) is either a clock time ``"HH:MM[:SS]"`` or an anchor with an optional
offset: ``"DLMO-5:00"`` (5 h before DLMO), ``"DLMO+2:30"``, ``"CBTmin"``, ``"bedtime-0:30"``, ``"wake+0:15"``.
Anchors come from the subject's entrained baseline, the habitual schedule lived before day 1 (``[habitual]``):

* ``dlmo`` and ``cbtmin``: the clock model's own DLMO (``[habitual] dlmo_definition``) and CBTmin on that schedule,
  for the protocol's ``[subject]`` (its ``tau_h``, age, sex) — the markers a baseline phase assessment measures
  (Burgess 2013: light 2.5 h after each subject's DLMO; Burgess 2008/2010 PRCs). The DLMO is read, as a
  dim-light melatonin onset, on an evening in dim light (7 h of 3 lux before habitual bedtime, like
  ``pineal dose``), so room light does not mask it;
* ``bedtime`` and ``wake``: ``[habitual] sleep`` and ``wake``.

Evening anchors (DLMO, bedtime) lie between 12:00 of the listed day and 12:00 of the next; morning anchors
(CBTmin, wake) between 00:00 and 24:00 of the listed day. An anchored time is placed on the listed day and may
run past midnight into the next (``DLMO+3:00`` with a 22:00 DLMO is 01:00 the next morning).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from pineal.errors import InputError

ANCHORS = ("dlmo", "cbtmin", "bedtime", "wake")
MODEL_ANCHORS = ("dlmo", "cbtmin")  # these need a simulation of the baseline; the others are the schedule
MAX_OFFSET_H = 24.0  # offsets below one day (a sleep may end 14 h after DLMO)
_ANCHORED = re.compile(r"^\s*([A-Za-z_]+)\s*(?:([+-])\s*(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d+)?))?)?\s*$")
ALLOWED = ("a clock time 'HH:MM' or 'HH:MM:SS', or an anchor (DLMO, CBTmin, bedtime or wake) with an "
           "optional offset ±H:MM[:SS] below 24:00, e.g. 'DLMO-5:00', 'bedtime+0:30'")


@dataclass(frozen=True)
class TimeOfDay:
    """A parsed time field: ``anchor`` None → ``hours`` after midnight; else ``hours`` after the anchor."""

    anchor: str | None
    hours: float


def parse(text, field: str = "time") -> TimeOfDay:
    """'HH:MM[:SS]' or 'ANCHOR[±H:MM[:SS]]' → TimeOfDay (InputError naming the field otherwise)."""
    from pineal.protocols import clock_hours

    if not isinstance(text, str):
        raise InputError(field, text, ALLOWED)
    m = _ANCHORED.match(text)
    if m is None:
        try:
            return TimeOfDay(None, clock_hours(text, field))
        except InputError:
            raise InputError(field, text, ALLOWED) from None
    name, sign, hh, mm, ss = m.groups()
    if name.lower() not in ANCHORS:
        raise InputError(field, text, ALLOWED, f"unknown anchor {name!r}")
    if sign is None:
        return TimeOfDay(name.lower(), 0.0)
    minutes, seconds = int(mm), float(ss or 0.0)
    if minutes > 59 or seconds >= 60:
        raise InputError(field, text, ALLOWED)
    offset = int(hh) + minutes / 60.0 + seconds / 3600.0
    if offset >= MAX_OFFSET_H:
        raise InputError(field, text, ALLOWED, f"an offset of {offset:g} h is not below {MAX_OFFSET_H:g} h")
    return TimeOfDay(name.lower(), offset if sign == "+" else -offset)


@dataclass(frozen=True)
class Anchors:
    """The subject's baseline anchors in hours after midnight of a day (see module docstring for the ranges)."""

    dlmo: float
    cbtmin: float
    bedtime: float
    wake: float

    def resolve(self, t: TimeOfDay) -> float:
        """Hours after midnight of the listed day (may be < 0 or ≥ 24 for an anchored time)."""
        return t.hours if t.anchor is None else getattr(self, t.anchor) + t.hours


def schedule_anchors(sleep: str, wake: str) -> tuple[float, float]:
    """Habitual bedtime in [12, 36) and wake in [0, 24) hours (clock times of ``[habitual]``)."""
    from pineal.protocols import clock_hours

    return (clock_hours(sleep) - 12.0) % 24.0 + 12.0, clock_hours(wake) % 24.0


def baseline(proto, model: str | None = None, dt: float = 0.1) -> Anchors:
    """The protocol subject's anchors: its DLMO and CBTmin simulated on the ``[habitual]`` schedule it is
    entrained to before day 1 (``model``: default the system model), and the habitual bedtime and wake."""
    from pineal import schedule
    from pineal.dose_report import DIM_HOURS
    from pineal.models.clock import get
    from pineal.simulate import DEFAULT_MODEL, intrinsic_period_params, simulate

    hab = proto.model.habitual
    bedtime, wake = schedule_anchors(hab.sleep, hab.wake)
    if not proto.anchors_used() & set(MODEL_ANCHORS):
        return Anchors(math.nan, math.nan, bedtime, wake)
    mdl = get(model or DEFAULT_MODEL)
    definition = hab.dlmo_definition
    if definition != "phase" and not mdl.has_melatonin:
        raise InputError(f"{proto.source}: habitual.dlmo_definition", definition,
                         f"'phase' for times relative to DLMO with {mdl.name} (it has no melatonin state), or a "
                         f"model with melatonin, e.g. {DEFAULT_MODEL}")
    tau = proto.model.subject.tau_h
    # a baseline phase assessment: entrained to the habitual schedule, the evening of day 2 in dim light (DIM_HOURS
    # of ASSESSMENT_LUX before habitual bedtime, as `pineal dose` reads its DLMO) so room light does not mask it
    light = schedule.daily(hab.sleep, hab.wake, lux=hab.lux).expand(72.0).with_light(
        24.0 + bedtime - DIM_HOURS, 24.0 + bedtime, schedule.ASSESSMENT_LUX)
    res = simulate(days=3, subject=proto.subject(), model=mdl.name, params=intrinsic_period_params(mdl, tau)
                   if tau else None, dt=dt, sleep=(hab.sleep, hab.wake), lux=hab.lux, record_every=0, light=light)
    dlmo = float(res.dlmo(definition=definition)[1]) - 24.0  # day 2's evening: away from the start of the run
    cbtmin = float(res.cbtmin()[1]) - 24.0  # day 2's morning, before the dim evening
    if not (math.isfinite(dlmo) and math.isfinite(cbtmin)) or res.notes:
        raise InputError(f"{proto.source}: habitual", f"{hab.sleep}-{hab.wake}", "a habitual schedule the "
                         "subject's clock entrains to (times relative to DLMO or CBTmin need its baseline phase)",
                         "the baseline DLMO or CBTmin could not be found")
    return Anchors(dlmo=(dlmo - 12.0) % 24.0 + 12.0, cbtmin=cbtmin % 24.0, bedtime=bedtime, wake=wake)
