"""The planner page's form (``GET /plan``): its fields to a ``TripRequest`` dict and the plan to table rows.

The form is plain HTML (works without the script): up to ``FORM_LEGS`` legs of origin, local departure,
destination and local arrival; habitual bed and wake time; options. The request is the planner's own schema
(``pineal.plan.request.TripRequest``), checked there, so the page, the API and the CLI give the same errors.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pineal.plan.request import DOSE_RANGE_MG, MAX_LEGS, TripRequest

FORM_LEGS = 3
assert FORM_LEGS <= MAX_LEGS
DOSES_MG = (0.5, 1.0, 2.0, 3.0, 5.0)
assert all(DOSE_RANGE_MG[0] <= d <= DOSE_RANGE_MG[1] for d in DOSES_MG)  # the page offers nothing above 5 mg
FLAGS = ("melatonin", "plane_sleep", "pregnant", "drive_after_arrival")
NUMBERS = ("dose_mg", "light_box_lux", "prep_days", "stay_nights", "age", "population")


def submitted(q) -> bool:
    return "origin0" in q


def _default(name: str) -> Any:
    return TripRequest.model_fields[name].default


def form(q) -> dict[str, Any]:
    """What the form shows: the submitted values, else the planner's defaults."""
    sent = submitted(q)
    bed, wake = _default("sleep").split("-")
    out: dict[str, Any] = {
        "legs": [{k: q.get(f"{k}{i}", "") for k in ("origin", "depart", "destination", "arrive")}
                 for i in range(FORM_LEGS)],
        "bed": q.get("bed", bed), "wake": q.get("wake", wake),
        "chronotype": q.get("chronotype", ""), "dlmo": q.get("dlmo", ""), "doses": DOSES_MG,
        "max_legs": FORM_LEGS,
    }
    for k in FLAGS:
        out[k] = q.get(k) in ("on", "true", "1") if sent else bool(_default(k))
    for k in NUMBERS:
        d = _default(k)
        out[k] = q.get(k, "" if d is None else f"{d:g}")
    out["with_text"], out["condition_text"] = q.get("with", ""), q.get("condition", "")
    return out


def _number(q, name: str):
    text = q.get(name, "").strip()
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        return text  # the schema names it
    return int(value) if name in ("prep_days", "stay_nights", "population") and value.is_integer() else value


def request(q) -> dict[str, Any]:
    """The ``TripRequest`` fields of a submitted form (empty optional fields left to the planner's defaults)."""
    legs = []
    for i in range(FORM_LEGS):
        parts = [q.get(f"{k}{i}", "").strip() for k in ("origin", "depart", "destination", "arrive")]
        if any(parts):
            origin, depart, destination, arrive = parts
            legs.append({"origin": origin.split(" ")[0], "depart": depart, "destination": destination.split(" ")[0],
                         "arrive": arrive})
    data: dict[str, Any] = {"legs": legs, "sleep": f"{q.get('bed', '').strip()}-{q.get('wake', '').strip()}"}
    for k in FLAGS:
        data[k] = q.get(k) in ("on", "true", "1")
    for k in NUMBERS:
        v = _number(q, k)
        if v is not None:
            data[k] = v
    for k, field in (("chronotype", "chronotype"), ("dlmo", "dlmo")):
        if q.get(k, "").strip():
            data[field] = q[k].strip()
    data["drugs"] = [s.strip() for s in q.get("with", "").split(",") if s.strip()]
    data["conditions"] = [s.strip() for s in q.get("condition", "").split(",") if s.strip()]
    return data


def rows(plan: dict) -> list[dict[str, str]]:
    """The plan's items as table rows in the local time of wherever the traveller is."""
    out = []
    for it in plan["items"]:
        s, e = datetime.fromisoformat(it["start"]), datetime.fromisoformat(it["end"])
        out.append({"kind": it["kind"], "day": s.strftime("%a %d %b"), "start": s.strftime("%H:%M"),
                    "end": e.strftime("%H:%M") + (f" ({e.strftime('%a')})" if e.date() != s.date() else ""),
                    "title": it["title"], "zone": it["zone"], "detail": it["detail"]})
    return out
