"""A check needs no clock-solver run: the one model constant it uses is shipped, and recomputed here."""

import pytest

import pineal
from pineal.safety import claims


@pytest.mark.slow
def test_shipped_night_peak_matches_the_model():
    import importlib

    own_melatonin = importlib.import_module("pineal.simulate").own_melatonin
    assert own_melatonin()[2] == pytest.approx(claims.MODEL_NIGHT_PEAK_PG_ML, rel=2e-3)


def test_a_check_does_not_run_the_clock_model(monkeypatch):
    import importlib

    sim = importlib.import_module("pineal.simulate")

    def boom(*a, **k):
        raise AssertionError("the claim check ran the clock model")

    monkeypatch.setattr(sim, "own_melatonin", boom)
    monkeypatch.setattr(sim, "simulate", boom)
    r = pineal.check("Take 3 mg of melatonin before bed. Some take 1000 mg.")
    assert r["doses"][0]["pk"] is None or r["doses"][0]["pk"]["endogenous_night_peak_pg_ml"] == pytest.approx(
        claims.MODEL_NIGHT_PEAK_PG_ML, rel=1e-3)
