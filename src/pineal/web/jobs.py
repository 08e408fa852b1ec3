"""The server's CPU-bound jobs, run in worker processes (``pineal.web.pool``): thin calls of the library.

Each takes and returns plain data (it crosses a pipe) and builds the same objects as the CLI's ``--json``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

WARM_PROTOCOL = """
[protocol]
name = "warm-up"
days = 2

[[dose]]
amount = "0.5 mg"
time = "21:00"
days = 1
"""


def dose(request: dict[str, Any], figure: bool = False) -> dict[str, Any]:
    """`pineal dose --json` for a ``DoseRequest``; with ``figure`` also the figure as SVG text."""
    from pineal.schemas import DoseRequest

    rep = DoseRequest.model_validate(request).report()
    out = {"report": rep.as_json()}
    if figure:
        out["svg"] = _svg(rep)
    return out


def _svg(rep) -> str:
    """The figure of `pineal dose --plot`, as an inline <svg> element (no XML prolog)."""
    from pineal.plot import dose_figure

    return _figure_svg(lambda path: dose_figure(rep, path))


def _figure_svg(draw) -> str:
    """What ``draw(path)`` writes to an .svg file, as an <svg> element (no XML prolog)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "figure.svg"
        draw(path)
        text = path.read_text("utf-8")
    return text[text.index("<svg"):]


def plan(request: dict[str, Any], figure: bool = False) -> dict[str, Any]:
    """`pineal plan trip --json` for a ``TripRequest`` (the planner's schema), its ``.ics`` calendar and, with
    ``figure``, the plan's figure as SVG text; constraint-check findings are added to the notes, as the CLI does."""
    from pineal.plan import TripRequest, plan_trip
    from pineal.plan.checks import violations
    from pineal.plan.export import to_ics

    req = TripRequest.build(request, source="plan")
    result, eng, _ = plan_trip(req)
    bad = violations(result, eng.it, req.dose_mg, req.plane_sleep)
    if bad:
        result.notes.append("constraint check: " + "; ".join(bad))
    out = {"plan": result.model_dump(mode="json"), "ics": to_ics(result).decode("utf-8")}
    if figure:
        from pineal.plan.figure import plan_figure

        target = eng.it.episodes[-1].target.key if eng.it.episodes else eng.it.home.zone.key
        out["svg"] = _figure_svg(lambda path: plan_figure(result, target, req.sleep_hours, path))
    return out


def advance(request: dict[str, Any]) -> dict[str, Any]:
    """`pineal plan advance --json` for an ``AdvanceRequest`` (late sleep moved earlier)."""
    from pineal.plan.advance import plan_advance
    from pineal.plan.request import AdvanceRequest

    req = AdvanceRequest.build(request, source="advance")
    return plan_advance(**req.kwargs()).model_dump(mode="json")


def shifts(request: dict[str, Any]) -> dict[str, Any]:
    """`pineal plan shifts --json` for a ``ShiftsRequest`` (the roster as text)."""
    from pineal.plan.request import ShiftsRequest
    from pineal.plan.shifts import plan_shifts

    req = ShiftsRequest.build(request, source="shifts")
    data = req.model_dump()
    return plan_shifts(roster_text=data.pop("roster"), **data)


def check(text: str) -> dict[str, Any]:
    """`pineal check --json` of a text."""
    from pineal.safety.claims import check as run

    return run(text)


def simulate(protocol: str, definition: str = "plasma_10") -> dict[str, Any]:
    """`pineal simulate --json` of a protocol's TOML text."""
    from pineal.protocols import Protocol
    from pineal.schemas import simulate_json

    return simulate_json(Protocol.from_toml_text(protocol, source="request"), definition)


def validate(names: list[str] | None = None) -> dict[str, Any]:
    """`pineal validate --json` (all experiments, or ``names``)."""
    from pineal.schemas import validate_json

    return validate_json(names)


def sleep(seconds: float) -> float:
    """Busy-wait ``seconds`` (tests of the time budget and the pool)."""
    import time

    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass
    return seconds


def warm() -> None:
    """Compile and load everything a request needs (dose report, figure, claim check, protocol run)."""
    dose({"amount": "1 mg", "at": "22:00"}, figure=True)
    check("Take 1 mg of melatonin before bed.")
    simulate(WARM_PROTOCOL)
    plan({"legs": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"], "population": 4}, figure=True)
