"""Burgess, Revell, Molina & Eastman 2010: PRC to three daily 0.5 mg pills (validation.md MP-2; protocol in
burgess_protocol.py), with the *same* parameters as the 3 mg curve. Targets: RMS against the 34 digitized
points ≤ 0.90 h (scatter floor 0.82 h; Stowe et al. 2025 with their 3 mg parameters: 1.21 h); maximum advance
+1.5 ± 0.4 h with the pill 2-4 h before DLMO; delay trough −1.3 ± 0.4 h at 13.5 ± 2 h after DLMO.
"""

from __future__ import annotations

from pineal.experiments import Outcome
from pineal.experiments.burgess_protocol import MODEL, outcome

NAME = "burgess2010"
TITLE = "Burgess 2010: 0.5 mg melatonin PRC (MP-2)"
CITE = "burgess2010"
DEFAULT_MODEL = MODEL
MODELS = (MODEL,)
TARGETS = {"rms_max": 0.90, "rms_published": "floor 0.82 h; Stowe 2025 1.21 h", "advance": "+1.5 ± 0.4 h",
           "advance_range": (1.1, 1.9), "advance_at": "2-4 h (fit peak 3.3 h)", "advance_at_range": (2.0, 4.0),
           "delay": "-1.3 ± 0.4 h", "delay_range": (-1.7, -0.9), "delay_at": "13.5 ± 2 h",
           "delay_at_range": (11.5, 15.5)}


KNOWN_MISSES = {
    "pill time of the maximum advance, h before DLMO": (
        "4.3 h before DLMO against 2-4 h: the model's 0.5 mg optimum is 1.35 h later than its 3 mg one, as "
        "published (1.4 h), but both lie about 1 h earlier on the x axis than the published fits (3 mg: 5.6 vs "
        "4.6 h), a common offset of the baseline DLMO (Burgess's saliva threshold vs the model's 3 pg/mL) or of the "
        "pill's absorption"),
    "maximum delay": (
        "-0.88 h against -1.3 ± 0.4 h (0.02 h short of the band): the model's low-dose delays are shallower than the "
        "published fitted curve's, while the amplitude ratio of the whole curve (MP-3) is within tolerance; the raw "
        "delay points scatter from -1.8 to +0.9 h"),
}


def run(model: str = MODEL) -> Outcome:
    return outcome(0.5, NAME, TITLE, CITE, TARGETS, KNOWN_MISSES)
