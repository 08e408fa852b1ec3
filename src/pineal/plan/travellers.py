"""A small virtual population of travellers for the predicted benefit band.

Today: the intrinsic period spread (Duffy 2011: mean 24.15 h, SD 0.2 h) through the model's own period
parameters, and PK variation from ``pk.sample_subjects`` (clearance, volume, bioavailability, absorption).
Light-sensitivity spread will come from the population layer when it lands; it belongs behind this function.
"""

from __future__ import annotations

import numpy as np

from pineal import params
from pineal.models import pk
from pineal.models.system import subject_values
from pineal.plan.phase import period_params


def sample_travellers(n: int, seed: int = 0, age: float = 30.0) -> tuple[list[dict[str, float]], np.ndarray]:
    """(clock/system parameter overrides per traveller, PK rows per traveller)."""
    p = params.load("plan")
    rng = np.random.default_rng(seed)
    periods = np.clip(rng.normal(p["period_mean_h"], p["period_sd_h"], n), 23.6, 24.7)
    pk_rows = pk.sample_subjects(n, pk.Subject(age=age), seed=seed)
    rows = [{**dict(period_params(round(float(t), 2))), **subject_values(pk_rows[i], age)}
            for i, t in enumerate(periods)]
    return rows, pk_rows
