"""Virtual populations (issue 8): reproducible draws from the published spreads, per-subject markers."""

import numpy as np
import pytest

import pineal
from pineal import population
from pineal.errors import InputError


def test_draws_are_reproducible_and_follow_duffy_2011():
    rows_a, traits_a = population.draw(2000, seed=1, model="hannay2019")
    _, traits_b = population.draw(2000, seed=1, model="hannay2019")
    np.testing.assert_array_equal(traits_a["tau_h"], traits_b["tau_h"])
    f = traits_a["female"]
    assert 0.45 < f.mean() < 0.55
    assert traits_a["tau_h"][f].mean() == pytest.approx(24.09, abs=0.02)
    assert traits_a["tau_h"][~f].mean() == pytest.approx(24.19, abs=0.02)
    assert traits_a["tau_h"].std() == pytest.approx(np.sqrt(0.2 ** 2 + 0.05 ** 2), abs=0.02)
    assert len(rows_a) == 2000 and "tau" in rows_a[0]


def test_suppression_and_amplitude_spreads_span_the_published_ranges():
    _, t = population.draw(4000, seed=2)
    lo, hi = np.percentile(t["suppression_ed50_ratio"], [2.5, 97.5])
    assert hi / lo == pytest.approx(350.0 / 6.0, rel=0.25)  # Phillips 2019: individuals 6-350 lux
    amp = np.percentile(t["melatonin_amplitude"], [2.5, 97.5])
    assert amp[1] / amp[0] == pytest.approx(84 / 2, rel=0.2)


def test_simulate_population_gives_per_subject_markers_and_percentiles():
    res = pineal.simulate(days=2, population=40, seed=3, record_every=0)
    d = res.dlmo(definition="phase")
    assert d.shape == (40, 2) and np.nanstd(d[:, 0]) > 0.1
    pct = res.percentiles(d[:, 0] % 24.0)
    assert pct["p5"] < pct["p50"] < pct["p95"]
    assert 0.0 <= res.cbtmin_in_sleep() <= 1.0 and res.traits["tau_h"].shape == (40,)


def test_bad_population_is_an_error():
    with pytest.raises(InputError, match="population"):
        pineal.simulate(days=1, population=0)
