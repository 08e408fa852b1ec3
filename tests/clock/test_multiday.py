"""Multi-day and room-light experiments (issue 8): they run, state their assumptions, keep the published order."""

import pytest

from pineal import experiments
from pineal.experiments import multiday


@pytest.fixture(scope="module")
def rows():
    return {r.metric: r for r in multiday.run().rows}


def test_every_case_runs_with_tagged_assumptions(rows, passes_or_documented_miss):
    assert len(rows) >= 25 and "multiday" in experiments.REGISTRY
    assert set(multiday.FIT_CASES) < set(multiday.CASES)
    assert set(multiday.KNOWN_MISSES) <= set(rows)
    for r in rows.values():
        assert r.note.startswith(("[fit]", "[held out]")) and len(r.note) > 40, r.metric
        passes_or_documented_miss(r, multiday.KNOWN_MISSES)


def test_published_order_of_the_burgess_2003_arms(rows):
    c, i, d = (rows[f"Burgess 2003 advance, {k}"].model for k in ("continuous", "intermittent", "dim"))
    assert c > i > d > 0.0


def test_night_work_arms_move_in_opposite_directions(rows):
    assert rows["Santhi 2008 evening sleep + late-night light: advance"].model > 0
    assert rows["Santhi 2008 morning sleep + early-night light: delay"].model < -3.0


def test_one_dim_day_hardly_moves_the_clock(rows):
    """Ohashi 2023: -0.24 ± 0.33 h (the issue's target: ± 0.5 h)."""
    assert abs(rows["Ohashi 2023 one dim day: DLMO shift"].model + 0.24) <= 0.5


def test_duration_matters_more_than_intensity(rows):
    assert rows["Dewan 2011 delay ratio, 3 h / 1 h of 8000 lux"].model >= 1.2
    assert rows["Dewan 2011 delay ratio, 8000 / 2000 lux for 2 h"].model <= 1.25


def test_room_light_delays_the_apparent_onset(rows):
    assert rows["Phillips 2019 apparent DLMO delay at 50 lux"].model > rows[
        "Phillips 2019 apparent DLMO delay at 10 lux"].model > 0.0
