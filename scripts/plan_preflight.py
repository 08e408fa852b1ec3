"""The published pre-flight protocols (Burgess 2003, Eastman 2005) run as published on the default model.

Prints the model's DLMO advance next to the published one (Burgess et al. 2003, J Biol Rhythms 18:318; Eastman
et al. 2005, Sleep 28:33; bibliography keys burgess2003, eastman2005). Design: sleep advanced 1 (or 2) h/day for
3 days from 23:00-07:00, light in the first 3.5 h after each wake (continuous, intermittent 30 min on / 30 min
off, or dim), DLMO in dim light (< 10 lux) the evening before the first advanced night and the evening after the
third light morning. Assumptions (stated, not published): habitual sleep 23:00-07:00, 80 lux ordinary light while
awake outside the light windows (the planner's indoor level), 3500 lux for "> 3000 lux", 40 lux for "< 60 lux".
Run: python scripts/plan_preflight.py [--json]
"""

from __future__ import annotations

import json
import sys

from pineal.protocols import Protocol
from pineal.simulate import run_protocol

PUBLISHED = {  # DLMO advance (h) after 3 days
    "burgess2003 continuous >3000 lux, 1 h/day": 2.1,
    "burgess2003 intermittent >3000 lux, 1 h/day": 1.5,
    "burgess2003 dim <60 lux, 1 h/day": 0.6,
    "eastman2005 intermittent ~5000 lux, 1 h/day (mean)": 1.5,
    "eastman2005 intermittent ~5000 lux, 2 h/day (mean)": 1.8,
}


def _hhmm(h: float) -> str:
    h %= 24.0
    return f"{int(h):02d}:{round(h % 1 * 60):02d}"


def protocol(name: str, step_h: float, lux: float, intermittent: bool) -> Protocol:
    """Day 1: baseline night and dim-light DLMO; nights after days 2-4 advanced; light on days 3-5; DLMO day 5."""
    sleep = [{"start": "23:00", "end": "07:00", "days": [1]}]
    light = [{"start": "18:00", "end": "23:00", "lux": 5.0, "days": [1]}]  # baseline DLMO in dim light
    for k in (1, 2, 3):
        onset, wake = 23.0 - step_h * k, 7.0 - step_h * k
        sleep.append({"start": _hhmm(onset), "end": _hhmm(wake), "days": [k + 1]})
        pulses = [(wake + j, wake + j + 0.5) for j in range(4)] if intermittent else [(wake, wake + 3.5)]
        for a, b in pulses:
            light.append({"start": _hhmm(a), "end": _hhmm(b), "lux": lux, "days": [k + 2]})
    light.append({"start": "14:00", "end": "23:45", "lux": 5.0, "days": [5]})  # final DLMO in dim light
    return Protocol.from_dict({
        "protocol": {"name": name, "days": 6, "background_lux": 80.0},
        "habitual": {"sleep": "23:00", "wake": "07:00", "lux": 80.0},
        "sleep": sleep, "light": light, "reference": {"placebo": False},
        "measure": [{"marker": "dlmo", "day": 1}, {"marker": "dlmo", "day": 5}]})


ARMS = {
    "burgess2003 continuous >3000 lux, 1 h/day": (1.0, 3500.0, False),
    "burgess2003 intermittent >3000 lux, 1 h/day": (1.0, 3500.0, True),
    "burgess2003 dim <60 lux, 1 h/day": (1.0, 40.0, False),
    "eastman2005 intermittent ~5000 lux, 1 h/day (mean)": (1.0, 5000.0, True),
    "eastman2005 intermittent ~5000 lux, 2 h/day (mean)": (2.0, 5000.0, True),
}


def main() -> list[dict]:
    rows = []
    for name, (step, lux, inter) in ARMS.items():
        m = run_protocol(protocol(name, step, lux, inter)).markers()
        before, after = m[0]["treatment_h"], m[1]["treatment_h"] - 96.0
        rows.append({"arm": name, "model_advance_h": round(before - after, 2), "published_h": PUBLISHED[name]})
    return rows


if __name__ == "__main__":
    out = main()
    if "--json" in sys.argv:
        print(json.dumps(out, indent=2))
    else:
        for r in out:
            print(f"{r['arm']:55s} model {r['model_advance_h']:+.2f} h   published {r['published_h']:+.1f} h")
