"""Outdoor daylight at a place and instant: the sun's elevation from ``astral``, illuminance from the elevation.

Direct beam on a horizontal plane: E = E0 · exp(−c · m) · sin(h), with E0 the luminous solar constant (Darula et
al. 2005), c a clear-sky luminous extinction coefficient and m the relative air mass of Kasten & Young (1989); sky
diffuse light adds a fraction of the beam, and the eye (vertical, not facing the sun, some cloud) receives a
fraction of the horizontal total. Below the horizon civil twilight falls log-linearly to a few lux at −6°, and it
is night below. Constants in ``params/plan.toml``. Tromsø in December has no daylight at all.
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime
from functools import lru_cache

import numpy as np
from astral import Observer
from astral.sun import elevation, sun

from pineal import params


def _p() -> dict[str, float]:
    return params.load("plan").values()


def air_mass(elevation_deg: float) -> float:
    """Relative optical air mass, Kasten & Young (1989), for an elevation ≥ 0°."""
    h = max(elevation_deg, 0.0)
    return 1.0 / (math.sin(math.radians(h)) + 0.50572 * (h + 6.07995) ** -1.6364)


def illuminance(elevation_deg: float) -> float:
    """Outdoor illuminance at the eye (lux) for a solar elevation in degrees (clear to scattered sky)."""
    p = _p()
    if elevation_deg <= -6.0:
        return 0.0
    if elevation_deg < 0.0:  # civil twilight: log-linear from the horizon value to the civil-dusk value
        f = -elevation_deg / 6.0
        return float(math.exp((1 - f) * math.log(p["horizon_lux"]) + f * math.log(p["civil_dusk_lux"])))
    beam = p["luminous_solar_constant_lux"] * math.exp(-p["clear_sky_extinction"] * air_mass(elevation_deg))
    horizontal = beam * math.sin(math.radians(elevation_deg)) * (1.0 + p["diffuse_fraction"])
    return max(float(p["eye_fraction"] * horizontal), p["horizon_lux"])


@lru_cache(maxsize=200_000)
def _elevation(lat: float, lon: float, when_utc: datetime) -> float:
    return float(elevation(Observer(latitude=lat, longitude=lon), when_utc, with_refraction=True))


def outdoor_lux(lat: float, lon: float, when: datetime) -> float:
    """Outdoor illuminance (lux) at latitude/longitude and an aware instant."""
    return illuminance(_elevation(round(lat, 3), round(lon, 3), when.astimezone(UTC).replace(microsecond=0)))


def outdoor_lux_series(lat: float, lon: float, instants) -> np.ndarray:
    """Outdoor illuminance at each aware instant (array)."""
    return np.array([outdoor_lux(lat, lon, t) for t in instants])


def sun_times(lat: float, lon: float, day: date, zone) -> tuple[datetime | None, datetime | None, str]:
    """Local sunrise and sunset on ``day`` and a word: 'day', 'polar night' or 'midnight sun' when there is none."""
    try:
        s = sun(Observer(latitude=lat, longitude=lon), date=day, tzinfo=zone)
        return s["sunrise"], s["sunset"], "day"
    except ValueError:
        noon = datetime(day.year, day.month, day.day, 12, tzinfo=zone)
        up = _elevation(round(lat, 3), round(lon, 3), noon.astimezone(UTC))
        return None, None, "midnight sun" if up > 0 else "polar night"
