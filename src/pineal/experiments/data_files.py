"""Published data shipped with the package (``experiments/data/``, see its README for attribution)."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources


@cache
def load(name: str) -> dict:
    """One JSON data file by file name, e.g. ``"khalsa2003_light_prc.json"``."""
    return json.loads(resources.files("pineal.experiments").joinpath("data", name).read_text("utf-8"))
