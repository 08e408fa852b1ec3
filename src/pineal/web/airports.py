"""Airport search for the planner's form (``GET /api/airports?q=``): the planner's own ``airportsdata`` table.

Ranked: the exact IATA code, then codes, cities and names that start with the query, then names that contain it;
within a rank international airports first.
Only airports with an IATA code are listed (the planner takes legs by IATA code).
"""

from __future__ import annotations

from functools import cache

from pineal.plan.itinerary import _airports


@cache
def _rows() -> list[tuple[str, str, str, str, str, str]]:
    """(code, city, name, country, zone, searchable text) per airport, lower-cased once."""
    out = []
    for code, a in _airports().items():
        if len(code) == 3 and a.get("tz"):
            city, name = a.get("city") or "", a.get("name") or ""
            out.append((code, city, name, a.get("country") or "", a["tz"], f"{city} {name}".lower()))
    return out


def search(query: str, limit: int = 10) -> list[dict[str, str]]:
    """Up to ``limit`` airports matching ``query`` (IATA code, city or name; case-insensitive)."""
    q = " ".join(query.split()).lower()
    if not q:
        return []
    ranked = []
    for code, city, name, country, zone, text in _rows():
        c = code.lower()
        if c == q:
            rank = 0
        elif c.startswith(q):
            rank = 1
        elif city.lower() == q:
            rank = 2
        elif city.lower().startswith(q):
            rank = 2.5
        elif name.lower().startswith(q):
            rank = 3
        elif q in text:
            rank = 4
        else:
            continue
        ranked.append((rank, "international" not in text, city, code, name, country, zone))
    ranked.sort()
    return [{"iata": code, "city": city, "name": name, "country": country, "tz": zone,
             "label": f"{code} · {city or name}, {country}"}
            for _, _, city, code, name, country, zone in ranked[:limit]]
