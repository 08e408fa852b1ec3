"""`pineal dose` end to end through the installed console script (issue 2, items 5 and 7)."""

import json
import math
import subprocess
import sys

import pytest

REQUIRED = {"cmax_pg_ml", "tmax_min", "t_half_min", "auc_pg_h_per_ml", "endogenous_peak_pg_ml",
            "cmax_fold_endogenous", "hours_above_endogenous_peak", "level_at_wake_pg_ml", "warnings", "disclaimer"}


def pineal(*args):
    code = "import sys; from pineal.cli import main; sys.argv = ['pineal', *sys.argv[1:]]; main()"
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def half_mg():
    out = pineal("dose", "0.5 mg", "--at", "21:00", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def gram():
    out = pineal("dose", "1000 mg", "--at", "22:00", "--json")
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_json_has_the_stable_keys(half_mg):
    assert REQUIRED <= set(half_mg)
    for w in half_mg["warnings"]:
        assert {"code", "message"} <= set(w)
    assert "not medical advice" in half_mg["disclaimer"]


def test_half_mg_is_sensible(half_mg):
    """0.5 mg: peak a few hundred pg/mL (a few times the night peak), tmax ~40 min, back to the body's level by
    morning. Dollins 1994 puts 0.3 mg within the night range, so 0.5 mg sits just above it."""
    assert 100 < half_mg["cmax_pg_ml"] < 1000
    assert 20 < half_mg["tmax_min"] < 60
    assert 40 < half_mg["t_half_min"] < 65
    assert 1 < half_mg["cmax_fold_endogenous"] < 20
    assert half_mg["level_at_wake_pg_ml"] < half_mg["endogenous_peak_pg_ml"]
    assert not any(w["level"] == "danger" for w in half_mg["warnings"])


def test_dlmo_shift_is_reported_with_its_definition(half_mg, gram):
    """Issue 4: the predicted DLMO shift for that dose at that time, vs no dose, with the definition used."""
    for rep in (half_mg, gram):
        assert math.isfinite(rep["dlmo_shift_h"]) and "10 pg/mL" in rep["dlmo_definition"]
        h = [int(x) for x in rep["dlmo_without_dose"].split(":")]
        assert 19 <= h[0] <= 22  # the body's own DLMO about 2 h before habitual sleep at 23:00
    assert half_mg["dlmo_shift_h"] > 0.05  # 0.5 mg at 21:00, near DLMO: an advance
    morning = json.loads(pineal("dose", "0.5 mg", "--at", "08:00", "--json").stdout)
    assert morning["dlmo_shift_h"] < 0  # in the morning: a delay (Lewy 1992)
    assert morning["dose_level_at_wake_pg_ml"] < 1e-3 and half_mg["dose_level_at_wake_pg_ml"] < 20


def test_gram_dose_is_flagged_and_finite(gram):
    assert all(math.isfinite(gram[k]) for k in REQUIRED - {"warnings", "disclaimer"})
    assert gram["cmax_fold_endogenous"] > 1000
    assert gram["hours_above_endogenous_peak"] > 8
    assert gram["level_at_wake_pg_ml"] > 10 * gram["endogenous_peak_pg_ml"]
    codes = {w["code"] for w in gram["warnings"]}
    assert "beyond_pk_data" in codes
    assert any(w["level"] == "danger" for w in gram["warnings"])


def test_kilogram_dose_is_finite():
    out = pineal("dose", "1 kg", "--at", "22:00", "--json")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert math.isfinite(data["cmax_pg_ml"]) and data["warnings"]


def test_human_report_and_plot(tmp_path):
    fig = tmp_path / "dose.png"
    out = pineal("dose", "3 mg", "--at", "22:00", "--plot", str(fig), "--with", "fluvoxamine", "--age", "70")
    assert out.returncode == 0, out.stderr
    text = " ".join(out.stdout.split())
    assert "peak plasma" in text and "not medical advice" in text
    assert fig.stat().st_size > 10_000


def test_fluvoxamine_raises_exposure():
    base = json.loads(pineal("dose", "3 mg", "--at", "22:00", "--json").stdout)
    inh = json.loads(pineal("dose", "3 mg", "--at", "22:00", "--json", "--with", "fluvoxamine").stdout)
    assert inh["auc_pg_h_per_ml"] > 5 * base["auc_pg_h_per_ml"]


@pytest.mark.parametrize(
    ("args", "field"),
    [(["1000", "--at", "22:00"], "dose"), (["3 tsp", "--at", "22:00"], "dose"), (["-1 mg", "--at", "22:00"], "dose"),
     (["0 mg", "--at", "22:00"], "dose"), (["nan mg", "--at", "22:00"], "dose"), (["inf mg", "--at", "22:00"], "dose"),
     (["3 mg", "--at", "25:00"], "at"), (["3 mg", "--at", "tonight"], "at"),
     (["3 mg", "--at", "22:00", "--route", "rectal"], "route"),
     (["3 mg", "--at", "22:00", "--with", "notadrug"], "with"), (["3 mg", "--at", "22:00", "--age", "-3"], "age"),
     (["3 mg", "--at", "22:00", "--weight", "0"], "weight"), (["3 mg", "--at", "22:00", "--sex", "q"], "sex"),
     (["3 mg", "--at", "22:00", "--plot", "x.gif"], "plot")],
)
def test_bad_input_exits_2_without_traceback(args, field):
    out = pineal("dose", *args)
    assert out.returncode == 2
    assert "Traceback" not in out.stderr
    assert f"{field}:" in out.stderr and "allowed:" in out.stderr


def test_iso_datetime_with_zone_is_accepted():
    out = pineal("dose", "3 mg", "--at", "2026-03-01T21:30+01:00", "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout)["at"] == "21:30"


def test_naive_iso_datetime_is_rejected():
    out = pineal("dose", "3 mg", "--at", "2026-03-01T21:30")
    assert out.returncode == 2 and "time zone" in out.stderr


def test_assumed_covariates_are_reported():
    out = pineal("dose", "3 mg", "--at", "22:00", "--smoker", "--oral-contraceptive", "--json")
    data = json.loads(out.stdout)
    assert "smoking_cyp1a2_activity" in data["assumptions"]
    assert any(w["code"] == "assumed_parameters" for w in data["warnings"])


def test_hepatic_impairment_slows_clearance_and_warns():
    base = json.loads(pineal("dose", "3 mg", "--at", "22:00", "--json").stdout)
    liver = json.loads(pineal("dose", "3 mg", "--at", "22:00", "--json", "--condition", "cirrhosis").stdout)
    assert liver["auc_pg_h_per_ml"] > 1.5 * base["auc_pg_h_per_ml"]
    assert any("hepatic" in w["code"] for w in liver["warnings"])
    assert "hepatic_impairment_clearance_ratio" in liver["assumptions"]


def test_label_range_in_plasma():
    data = json.loads(pineal("dose", "3 mg", "--at", "22:00", "--json", "--product", "gummy").stdout)
    lab = data["label_range"]
    assert lab["product"] == "gummy"
    assert lab["delivered_mg"] == pytest.approx([3 * 0.74, 3 * 3.47], rel=0.02)
    assert lab["cmax_pg_ml"][0] < data["cmax_pg_ml"] < lab["cmax_pg_ml"][1]


def test_unknown_product_and_condition_are_clear_errors():
    for args, field in ((["--product", "tea"], "product"), (["--condition", "gout-ish"], "condition")):
        out = pineal("dose", "3 mg", "--at", "22:00", *args)
        assert out.returncode == 2 and f"{field}:" in out.stderr and "Traceback" not in out.stderr


def test_product_sets_route_release_and_intervals():
    """`--product circadin`: a prolonged-release curve (later, lower peak than IR), intervals on every number."""
    pr = json.loads(pineal("dose", "2 mg", "--at", "22:00", "--product", "circadin", "--json").stdout)
    assert pr["product"] == "circadin" and pr["route"] == "oral-pr" and pr["release_h"] == 3.75
    assert pr["tmax_min"] > 90
    for key in ("cmax_pg_ml", "tmax_min", "auc_pg_h_per_ml", "hours_above_endogenous_peak",
                "dose_level_at_wake_pg_ml", "hours_until_back_to_endogenous"):
        lo, mid, hi = pr["population_5_50_95"][key]
        assert lo <= mid <= hi and lo < hi, key
    lo, hi = pr["between_study_factor_90"]
    assert lo < 1 < hi
    assert not any(w["code"] == "label_uncertainty" for w in pr["warnings"])  # a licensed medicine
    assert "daytime floor" in pr["definitions"]["hours_until_back_to_endogenous"]


def test_generic_release_half_life_and_its_errors():
    fast = json.loads(pineal("dose", "2 mg", "--at", "22:00", "--route", "oral-pr", "--release-h", "1",
                             "--json").stdout)
    slow = json.loads(pineal("dose", "2 mg", "--at", "22:00", "--route", "oral-pr", "--release-h", "6",
                             "--json").stdout)
    assert fast["tmax_min"] < slow["tmax_min"] and fast["cmax_pg_ml"] > slow["cmax_pg_ml"]
    out = pineal("dose", "2 mg", "--at", "22:00", "--release-h", "3")
    assert out.returncode == 2 and "release-h:" in out.stderr and "Traceback" not in out.stderr
    out = pineal("dose", "2 mg", "--at", "22:00", "--product", "tea")
    assert out.returncode == 2 and "circadin" in out.stderr and "sublingual-spray" in out.stderr


def test_three_mg_is_back_to_the_body_level_overnight():
    """The issue's case: 3 mg at 22:00 read 21.9 h 'back to baseline' against a 0.0002 pg/mL daytime level."""
    data = json.loads(pineal("dose", "3 mg", "--at", "22:00", "--json").stdout)
    assert data["daytime_floor_pg_ml"] == 5.0
    assert 3 < data["hours_until_back_to_endogenous"] < 10
