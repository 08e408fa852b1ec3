"""The dose screen: bands, studied ranges, exposure, interactions, populations, timing, label uncertainty."""

import pytest

from pineal.errors import InputError
from pineal.safety.screen import Exposure, Warning, dose_band, label_range_mg, screen


def codes(ws):
    return {w.code for w in ws}


def by_code(ws, code):
    return next(w for w in ws if w.code == code)


@pytest.mark.parametrize(("mg", "band"), [(0.1, "physiological"), (0.5, "physiological"), (0.51, "usual"),
                                          (5, "usual"), (7.5, "high"), (10, "high"), (50, "very_high"),
                                          (100, "very_high"), (150, "extreme"), (300, "extreme"),
                                          (301, "overdose_range"), (1000, "overdose_range")])
def test_dose_bands(mg, band):
    assert dose_band(mg).id == band
    assert f"dose_band_{band}" in codes(screen(mg))


def test_every_warning_is_well_formed_and_sourced():
    ws = screen(1000, age=70, drugs=["fluvoxamine", "zolpidem"], conditions=["epilepsy", "hepatic impairment"],
                pregnant=True, breastfeeding=True, clock_hour=13.5, purpose="sleep",
                exposure=Exposure(3.9e6, 7.6e4, 13.0, 900.0))
    assert all(isinstance(w, Warning) for w in ws)
    for w in ws:
        assert w.level in ("info", "caution", "danger")
        assert w.code == w.code.lower() and " " not in w.code
        assert w.sources and all(s.startswith("http") for s in w.sources)
    levels = [w.level for w in ws]
    assert levels == sorted(levels, key=["danger", "caution", "info"].index)


def test_above_studied_range_for_purpose():
    w = by_code(screen(1000, purpose="sleep"), "above_studied_range")
    assert w.level == "danger" and "100x" in w.message and "10 mg" in w.message
    w = by_code(screen(8, purpose="jet lag"), "above_studied_range")
    assert w.level == "caution" and "1.6x" in w.message
    assert "above_studied_range" not in codes(screen(3, purpose="jet_lag"))
    assert "below_studied_range" in codes(screen(0.1, purpose="jet lag"))
    assert "no_evidence_based_dose" in codes(screen(3, purpose="immunity"))


def test_without_purpose_compares_with_every_studied_range():
    assert "above_studied_range" in codes(screen(20))
    assert "above_studied_range" not in codes(screen(10))


def test_unknown_purpose_names_the_allowed():
    with pytest.raises(InputError, match=r"purpose: 'weight loss'.*allowed: one of .*jet_lag"):
        screen(3, purpose="weight loss")


def test_never_suggests_a_dose_above_the_range():
    for mg in (0.3, 3, 30, 3000):
        for w in screen(mg, purpose="sleep", age=40):
            assert "you should take" not in w.message.lower() and "increase the dose" not in w.message.lower()


def test_interactions_by_generic_and_brand_name():
    assert by_code(screen(3, drugs=["Luvox"]), "interaction_fluvoxamine").level == "danger"
    assert "17" in by_code(screen(3, drugs=["fluvoxamine"]), "interaction_fluvoxamine").message
    assert "interaction_hypnotics" in codes(screen(3, drugs=["Ambien"]))
    assert "interaction_warfarin" in codes(screen(3, extra_drugs=["coumadin"]))
    assert "interaction_nifedipine" in codes(screen(3, drugs=["nifedipine"]))
    assert "interaction_alcohol" in codes(screen(3, drugs=["alcohol"]))


def test_unknown_drug_or_condition_is_an_input_error_naming_allowed():
    with pytest.raises(InputError) as err:
        screen(3, drugs=["aspirin"])
    assert "drugs: 'aspirin'" in str(err.value) and "fluvoxamine" in str(err.value)
    with pytest.raises(InputError, match="with: 'aspirin'"):
        screen(3, extra_drugs=["aspirin"])
    with pytest.raises(InputError) as err:
        screen(3, conditions=["gout"])
    assert "condition: 'gout'" in str(err.value) and "epilepsy" in str(err.value)


@pytest.mark.parametrize("bad", [dict(dose_mg=0), dict(dose_mg=-1), dict(dose_mg=float("nan")),
                                 dict(dose_mg=3, route="rectal"), dict(dose_mg=3, age=-2),
                                 dict(dose_mg=3, clock_hour=25), dict(dose_mg="3 tsp")])
def test_bad_inputs(bad):
    with pytest.raises(InputError):
        screen(bad.pop("dose_mg"), **bad)


def test_dose_as_text_uses_units():
    assert "dose_band_physiological" in codes(screen("500 mcg"))
    assert "dose_band_overdose_range" in codes(screen("1 g"))


def test_populations():
    assert {"pregnancy", "breastfeeding"} <= codes(screen(1, pregnant=True, breastfeeding=True))
    kid = by_code(screen(1, age=8), "children")
    assert "paediatric" in kid.message and "530%" in kid.message
    old = by_code(screen(5, age=70), "older_adults")
    assert "above the 0.3-3 mg" in old.message
    assert "above" not in by_code(screen(0.5, age=70), "older_adults").message.split("(age 70)")[1]
    assert by_code(screen(1, conditions=["liver disease"]), "hepatic_impairment").level == "danger"
    assert {"epilepsy", "warfarin_users", "drivers"} <= codes(screen(1, conditions=["seizures", "warfarin", "driving"]))
    assert "next_morning_carry_over" in codes(screen(3, age=60))
    assert "children" not in codes(screen(1, age=30))


def test_exposure_from_the_pk_model():
    ws = screen(1000, exposure=Exposure(cmax_pg_ml=3.9e6, cmax_fold_endogenous=76000,
                                        hours_above_endogenous_peak=13, level_at_wake_pg_ml=900))
    assert by_code(ws, "exposure_far_above_physiology").level == "danger"
    assert "prolonged_exposure" in codes(ws)
    wake = by_code(ws, "residual_at_wake")
    assert wake.level == "danger" and "drive" in wake.message
    quiet = screen(0.3, exposure=Exposure(cmax_pg_ml=100, cmax_fold_endogenous=2, hours_above_endogenous_peak=1,
                                          level_at_wake_pg_ml=5))
    assert not codes(quiet) & {"exposure_far_above_physiology", "prolonged_exposure", "residual_at_wake"}
    assert screen(3, exposure=Exposure())  # all unknown is fine


def test_daytime_dosing():
    assert "daytime_dose" in codes(screen(3, clock_hour=14))
    assert "daytime_dose" not in codes(screen(3, clock_hour=22))
    assert "daytime_dose" not in codes(screen(3, clock_hour=2))


def test_label_range():
    assert label_range_mg(3) == pytest.approx((0.51, 17.4))
    assert label_range_mg(5, "gummy") == pytest.approx((3.7, 17.5))
    with pytest.raises(InputError):
        label_range_mg(5, "tablet")
    msg = by_code(screen(3), "label_uncertainty").message
    assert "0.51-17.4 mg" in msg
    assert "3.7-17.5 mg" in by_code(screen(5, product="gummy"), "label_uncertainty").message


def test_route_note():
    assert "route_bypasses_first_pass" in codes(screen(1, route="intranasal"))
    assert "route_bypasses_first_pass" not in codes(screen(1))


def test_lead_dose_report_calls_the_screen():
    from pineal.dose_report import report

    rep = report("3 mg", at_clock_h=14.0, screen_options={"conditions": ("epilepsy",), "pregnant": True})
    got = {w["code"] for w in rep.warnings}
    assert {"dose_band_usual", "daytime_dose", "epilepsy", "pregnancy", "label_uncertainty"} <= got
