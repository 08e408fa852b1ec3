"""Protocol format v2 (issue 8): the [[measure]] markers suppression %, midpoint, peak, relative-threshold DLMO
(25 % of the night's own amplitude, Gooley 2011) and CBTmin inside sleep, in the API, the table and --json."""

import json
import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import pineal
from pineal import markers
from pineal.errors import InputError
from pineal.protocols import Protocol

NIGHTS = [{"start": "00:00", "end": "08:00", "days": "all"}]


def proto(days=3, placebo=False, **tables):
    data = {"protocol": {"name": "m", "days": days, "background_lux": 150, **tables.pop("protocol", {})},
            "habitual": {"sleep": "00:00", "wake": "08:00", "lux": 150}, "sleep": NIGHTS,
            "reference": {"placebo": placebo}, **tables}
    return Protocol.from_dict(data, source="m.toml")


def suppression(lux: float) -> float:
    p = proto(light=[{"start": "21:00", "end": "00:00", "lux": lux, "days": 2}],
              measure=[{"marker": "suppression", "day": 2, "start": "21:00", "end": "00:00", "baseline_day": 1}])
    return pineal.simulate(p).markers()[0]["treatment_value"]


def test_night_profile_of_a_known_curve():
    """A raised cosine from 20:00 to 08:00 (trough 2, peak 62 at 02:00): peak, and the 25 % crossings at the
    analytic times where 1 − cos reaches 0.5 (a quarter of the amplitude above the trough)."""
    t = np.arange(0.0, 48.0, 0.05)
    phase = np.clip((t - 20.0) / 12.0, 0.0, 1.0)
    own = 2.0 + 30.0 * (1.0 - np.cos(2 * np.pi * phase))
    night = markers.night_profile(t, own[None, :], 12.0)
    assert night["peak_h"][0] == pytest.approx(26.0, abs=0.05) and night["peak"][0] == pytest.approx(62.0)
    quarter = 12.0 * np.arccos(0.5) / (2 * np.pi)  # 2 h after the start and 2 h before the end
    assert night["onset_h"][0] == pytest.approx(20.0 + quarter, abs=0.01)
    assert night["offset_h"][0] == pytest.approx(32.0 - quarter, abs=0.01)
    assert np.isnan(markers.night_profile(t, own[None, :], 36.0)["peak"][0])  # the night runs past the recording


@given(start=st.floats(14.0, 24.0), width=st.floats(6.0, 14.0), trough=st.floats(0.0, 5.0),
       amplitude=st.floats(1.0, 200.0))
def test_relative_onset_is_at_a_quarter_of_any_nights_amplitude(start, width, trough, amplitude):
    """Any raised-cosine night inside the window: the onset/offset sit where the curve is at 25 % of its own
    peak-to-trough amplitude, whatever the level and the timing (so it follows the rhythm, not a threshold)."""
    t = np.arange(0.0, 48.0, 0.1)
    phase = np.clip((t - start) / width, 0.0, 1.0)
    own = trough + 0.5 * amplitude * (1.0 - np.cos(2 * np.pi * phase))
    night = markers.night_profile(t, own[None, :], 12.0)
    quarter = width * np.arccos(0.5) / (2 * np.pi)
    assert night["onset_h"][0] == pytest.approx(start + quarter, abs=0.02)
    assert night["offset_h"][0] == pytest.approx(start + width - quarter, abs=0.02)
    assert night["peak"][0] == pytest.approx(trough + amplitude, rel=1e-3)


def test_window_auc_and_suppression_pct():
    t = np.linspace(0.0, 10.0, 101)
    v = np.vstack([t, 2 * t])
    assert markers.window_auc(t, v, 2.05, 4.0).tolist() == pytest.approx([(16 - 2.05**2) / 2, 16 - 2.05**2])
    assert markers.suppression_pct([25.0, 0.0, 1.0], [100.0, 100.0, 0.0])[:2].tolist() == [75.0, 100.0]
    assert np.isnan(markers.suppression_pct([1.0], [0.0])[0])


def test_suppression_grows_with_light_and_is_zero_for_an_identical_day():
    """Evening light before sleep suppresses the body's own melatonin against the same window the day before
    (in room light): none for an identical day, more with brighter light, near all at 5000 lux."""
    values = [suppression(lux) for lux in (150, 300, 1000, 5000)]
    assert abs(values[0]) < 1.0
    assert values == sorted(values) and values[1] > 5.0 and values[3] > 90.0


def test_relative_dlmo_peak_and_midpoint_on_the_curve():
    p = proto(measure=[{"marker": "dlmo", "day": 2, "definition": "relative_25"},
                       {"marker": "dlmoff", "day": 3, "definition": "relative_25"},
                       {"marker": "peak", "day": 2}, {"marker": "midpoint", "day": 2},
                       {"marker": "midpoint", "day": 2, "definition": "relative_25"}, {"marker": "dlmo", "day": 2}])
    out = pineal.simulate(p)
    on, off, peak, mid, mid25, dlmo10 = out.markers()
    res = out.treatment
    own, t = res.endogenous, res.times
    night = (t >= 36.0) & (t < 60.0)
    level = own[night].min() + 0.25 * (own[night].max() - own[night].min())
    assert np.interp(on["treatment_h"], t, own) == pytest.approx(level, rel=1e-3)
    assert np.interp(off["treatment_h"], t, own) == pytest.approx(level, rel=1e-3)
    assert on["treatment_h"] < peak["treatment_h"] < off["treatment_h"]
    assert peak["treatment_value"] == pytest.approx(own[night].max()) and peak["unit"] == "pg/mL"
    assert mid25["treatment_h"] == pytest.approx(0.5 * (on["treatment_h"] + off["treatment_h"]))
    dlmoff10 = res.dlmoff(per_day=False, definition="plasma_10")
    nxt = dlmoff10[dlmoff10 > dlmo10["treatment_h"]].min()
    assert mid["treatment_h"] == pytest.approx(0.5 * (dlmo10["treatment_h"] + nxt))
    assert np.all(np.isfinite(res.midpoint()[:2])) and np.isnan(res.dlmo(definition="relative_25")[-1])


def test_cbtmin_in_sleep_per_subject_and_share():
    home = proto(measure=[{"marker": "cbtmin_in_sleep", "day": 2}])
    assert pineal.simulate(home).markers()[0]["treatment_value"] is True
    day_sleep = proto(sleep=[{"start": "00:00", "end": "08:00", "days": 1}, {"start": "10:00", "end": "18:00",
                                                                           "days": "2-3"}],
                      measure=[{"marker": "cbtmin_in_sleep", "day": 2}])
    assert pineal.simulate(day_sleep).markers()[0]["treatment_value"] is False
    res = pineal.simulate(days=2, population=12, seed=3)
    each = res.cbtmin_in_sleep(per_subject=True)
    assert each.shape == (12,) and set(np.unique(each[np.isfinite(each)])) <= {0.0, 1.0}
    assert np.nanmean(each) == pytest.approx(res.cbtmin_in_sleep())


@pytest.mark.parametrize(("measure", "why"), [
    ({"marker": "suppression", "day": 2}, "needs start, end"),
    ({"marker": "suppression", "day": 2, "start": "21:00", "end": "23:00", "baseline_day": 2}, "must differ"),
    ({"marker": "suppression", "day": 2, "start": "21:00", "end": "23:00", "baseline_day": 9}, "outside days"),
    ({"marker": "suppression", "day": 2, "start": "sunset", "end": "23:00", "baseline_day": 1}, "unknown anchor"),
    ({"marker": "dlmo", "day": 2, "start": "21:00"}, "belong to marker"),
    ({"marker": "peak", "day": 2, "definition": "saliva_3"}, "takes no definition"),
    ({"marker": "cbtmin", "day": 2, "definition": "relative_25"}, "relative_25 is for"),
    ({"marker": "midpoint", "day": 2, "definition": "phase"}, "threshold crossing"),
    ({"marker": "peak", "day": 3}, "after the protocol ends"),
    ({"marker": "dlmo", "day": 3, "definition": "relative_25"}, "after the protocol ends"),
    ({"marker": "dlmoff", "day": 1, "definition": "relative_25"}, "before the protocol"),
    ({"marker": "plateau", "day": 2}, "marker")])
def test_bad_measures_are_clear_errors(measure, why):
    with pytest.raises(InputError, match=why) as err:
        proto(measure=[measure])
    assert str(err.value).startswith("m.toml: measure") and "allowed" in str(err.value)


def test_melatonin_markers_need_a_model_with_melatonin():
    with pytest.raises(InputError, match="no melatonin") as err:
        pineal.simulate(proto(measure=[{"marker": "cbtmin", "day": 1}, {"marker": "peak", "day": 2}]),
                        model="jewett1999")
    assert "measure[1]" in str(err.value)
    out = pineal.simulate(proto(measure=[{"marker": "cbtmin_in_sleep", "day": 2},
                                         {"marker": "dlmo", "day": 2, "definition": "phase"}]), model="jewett1999")
    assert out.markers()[0]["treatment_value"] is True and np.isfinite(out.markers()[1]["treatment_h"])


def test_cli_table_and_json(tmp_path):
    f = tmp_path / "m.toml"
    f.write_text('[protocol]\nname = "m"\ndays = 3\n[[sleep]]\nstart = "bedtime"\nend = "wake"\ndays = "all"\n'
                 '[[light]]\nstart = "DLMO"\nend = "DLMO+2:00"\nlux = 500\ndays = 2\n'
                 '[[dose]]\namount = "0.5 mg"\ntime = "DLMO-5:00"\ndays = 2\n'
                 '[[measure]]\nmarker = "suppression"\nday = 2\nstart = "DLMO"\nend = "DLMO+2:00"\nbaseline_day = 1\n'
                 '[[measure]]\nmarker = "peak"\nday = 1\n[[measure]]\nmarker = "dlmo"\nday = 3\n')
    run = [sys.executable, "-c", "from pineal.cli import main; main()", "simulate", str(f)]
    r = subprocess.run([*run, "--json"], capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    supp, peak, dlmo = json.loads(r.stdout)["measures"]
    assert supp["unit"] == "%" and 0 < supp["treatment_value"] <= 100 and supp["window"] == ["DLMO", "DLMO+2:00"]
    assert "treatment_h" not in supp and supp["definition"] is None
    assert peak["unit"] == "pg/mL" and peak["placebo_value"] > 10 and "shift_h" in peak
    assert set(dlmo) == {"marker", "day", "definition", "treatment_h", "treatment_clock", "placebo_h",
                         "placebo_clock", "shift_h"}  # the v1 fields, unchanged
    r = subprocess.run(run, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0 and " %" in r.stdout and "pg/mL" in r.stdout


def test_trials_take_only_the_per_subject_time_markers():
    """`pineal trial` records markers, not the melatonin curve: curve markers are a clear error before any work."""
    from pineal.trials import trial

    with pytest.raises(InputError, match="measure") as err:
        trial(proto(measure=[{"marker": "dlmo", "day": 2}, {"marker": "peak", "day": 2}]), subjects=2)
    assert "measure[1]" in str(err.value) and "pineal simulate" in str(err.value)
