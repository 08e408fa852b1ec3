"""Burgess, Revell & Eastman 2008: PRC to three daily 3 mg pills (validation.md MP-1; protocol in
burgess_protocol.py). Targets: RMS against the 27 digitized points ≤ 0.70 h (issue target; validation.md accepts
0.8, scatter floor 0.66 h, Stowe et al. 2025: 0.72 h); maximum advance +1.8 ± 0.4 h with the pill 4.6 ± 1.5 h
before DLMO; maximum delay −1.3 ± 0.4 h at 11-11.5 ± 1.5 h after DLMO.
"""

from __future__ import annotations

from pineal.experiments import Outcome
from pineal.experiments.burgess_protocol import MODEL, outcome

NAME = "burgess2008"
TITLE = "Burgess 2008: 3 mg melatonin PRC (MP-1)"
CITE = "burgess2008"
DEFAULT_MODEL = MODEL
MODELS = (MODEL,)
TARGETS = {"rms_max": 0.70, "rms_published": "floor 0.66 h; Stowe 2025 0.72 h", "advance": "+1.8 ± 0.4 h",
           "advance_range": (1.4, 2.2), "advance_at": "4.6 ± 1.5 h", "advance_at_range": (3.1, 6.1),
           "delay": "-1.3 ± 0.4 h", "delay_range": (-1.7, -0.9), "delay_at": "11-11.5 ± 1.5 h",
           "delay_at_range": (9.5, 13.0)}


KNOWN_MISSES = {
    "RMS vs 27 digitized points": (
        "0.73 h against the issue's 0.70 h (validation.md MP-1 accepts 0.8 h; scatter floor 0.66 h; Stowe et al. "
        "0.72 h fitting these 3 mg points alone). One parameter set fits both doses and how their optima differ "
        "(MP-3); fitted without the MP-3 terms it reached 0.71 h, but then the 0.5 mg optimum fell only 0.2 h later "
        "than the 3 mg one (published 1.4 h), i.e. dose barely mattered"),
}


def run(model: str = MODEL) -> Outcome:
    return outcome(3.0, NAME, TITLE, CITE, TARGETS, KNOWN_MISSES)
