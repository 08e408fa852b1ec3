"""Texts written for these tests: varied phrasing, other substances, negations, ranges, children, micrograms."""

import pytest

import pineal
from pineal.safety.check_schema import CheckReport
from pineal.safety.claims import extract_doses


def run(text):
    r = pineal.check(text)
    CheckReport.model_validate(r)
    return r


def mel_doses(r):
    return [(d["amount_mg"], d["amount_high_mg"]) for d in r["doses"]]


def topic(r, t):
    found = [c for c in r["claims"] if c["topic"] == t]
    assert found, f"no {t} claim in {[c['topic'] for c in r['claims']]}"
    return found[0]


def test_magnesium_taken_with_melatonin_is_not_a_melatonin_dose():
    r = run("Take 500 mg of magnesium with your melatonin to improve sleep.")
    assert r["doses"] == []
    assert r["summary"]["other_substance_doses"] == [{"substance": "magnesium", "text": "500 mg", "occurrences": 1}]
    assert topic(r, "sleep_quality")["verdict"] == "partly supported"


def test_vitamin_c_amount_is_not_melatonin():
    r = run("Every morning I take 1000 mg vitamin C, and 3mg melatonin every night.")
    assert mel_doses(r) == [(3.0, None)]
    d = r["doses"][0]
    assert d["band"] == "usual" and d["verdict"] == "supported" and d["frequency"] == ["every night"]


def test_list_of_supplements_each_amount_to_its_own_substance():
    r = run("Per serving: Magnesium 400mg, Melatonin 3mg, Zinc 15 mg, L-theanine 200 mg.")
    assert mel_doses(r) == [(3.0, None)]
    others = {o["substance"] for o in r["summary"]["other_substance_doses"]}
    assert others == {"magnesium", "zinc", "l-theanine"}


def test_negated_immunity_claim():
    c = topic(run("Despite the marketing, melatonin does not boost immunity."), "immunity")
    assert c["negated"] and c["verdict"] == "partly supported"


def test_no_evidence_of_dependency_is_supported():
    c = topic(run("There is no evidence that melatonin causes dependency, even after months of use."), "dependency")
    assert c["negated"] and c["verdict"] == "supported"


def test_asserted_dependency_is_not_supported():
    c = topic(run("Melatonin is habit-forming: you will get hooked within weeks."), "dependency")
    assert not c["negated"] and c["verdict"] == "not supported"


def test_range_for_jet_lag_is_supported():
    r = run("For jet lag, 0.5–5 mg of melatonin near the new bedtime helps; higher doses are no better.")
    assert mel_doses(r) == [(0.5, 5.0)]
    d = r["doses"][0]
    assert d["purpose"] == ["jet_lag"] and d["verdict"] == "supported"
    assert topic(r, "jet_lag")["verdict"] == "supported"


def test_between_x_and_y_range():
    r = run("Between 1 and 3 mg of melatonin is enough for most adults with insomnia.")
    assert mel_doses(r) == [(1.0, 3.0)]
    assert r["doses"][0]["population"] == ["adults"]


def test_high_jet_lag_dose_is_beyond_the_ceiling():
    r = run("Frequent flyers swear by 20 mg of melatonin for jet lag.")
    d = r["doses"][0]
    assert d["band"] == "very_high" and d["verdict"] == "not supported"
    assert {c["purpose"]: c["ratio_to_studied_max"] for c in d["comparisons"]}["jet_lag"] == 4
    assert topic(r, "jet_lag")["verdict"] == "not supported"


def test_per_kg_childrens_dose():
    r = run("Paediatricians sometimes use 0.05 mg/kg melatonin for children with ADHD, given an hour before bed.")
    (d,) = r["doses"]
    assert d["per_kg"] and d["amount_mg"] == 0.05 and d["adult_equivalent_mg"] == pytest.approx(3.5)
    assert d["population"] == ["children"] and d["verdict"] == "partly supported"
    assert "children" in d["evidence"]
    assert topic(r, "children")["verdict"] == "partly supported"


def test_safe_for_kids_claim_is_not_supported():
    r = run("Melatonin is completely safe for kids, so just give your toddler a 5 mg gummy.")
    assert topic(r, "children")["verdict"] == "not supported"
    assert r["doses"][0]["population"] == ["children"]


def test_keep_away_from_children_is_supported():
    r = run("Keep melatonin gummies out of reach of children; ask a paediatrician before giving any.")
    assert topic(r, "children")["verdict"] == "supported"


@pytest.mark.parametrize(("text", "mg"), [("A typical dose is 500 mcg of melatonin.", 0.5),
                                          ("Start with 300 µg of melatonin.", 0.3),
                                          ("Melatonin, 250 micrograms, is enough.", 0.25),
                                          ("Try half a milligram of melatonin.", 0.5)])
def test_microgram_doses(text, mg):
    r = run(text)
    assert mel_doses(r) == [(pytest.approx(mg), None)]
    assert r["doses"][0]["band"] == "physiological"


@pytest.mark.parametrize(("text", "mg"), [("I took 1,000mg of melatonin and slept 14 hours.", 1000),
                                          ("One gram of melatonin a day is what the forum suggests.", 1000),
                                          ("Melatonin 10 milligrams nightly helped me.", 10),
                                          ("Some brands sell 60mg melatonin capsules.", 60)])
def test_unit_spellings(text, mg):
    assert run(text)["doses"][0]["adult_equivalent_mg"] == mg


def test_gram_dose_is_dangerous():
    r = run("I took 1,000mg of melatonin and slept 14 hours.")
    assert r["doses"][0]["verdict"] == "dangerous" and r["summary"]["dangerous_doses"] == 1


def test_warning_against_a_dose_is_supported():
    d = run("Never take 1 gram of melatonin.")["doses"][0]
    assert d["context"] == "warning" and d["verdict"] == "supported"


def test_upper_limit_context():
    d = run("Do not exceed 10 mg of melatonin per day.")["doses"][0]
    assert d["context"] == "limit" and d["frequency"] == ["per day"]


def test_energy_and_focus_claims():
    r = run("Melatonin boosts your energy and focus the next day!")
    assert topic(r, "energy")["verdict"] == "not supported"
    assert topic(r, "cognition")["verdict"] == "not supported"


def test_energy_claim_with_a_huge_dose_is_dangerous():
    r = run("Take 500 mg of melatonin for more energy and productivity at work.")
    assert topic(r, "energy")["verdict"] == "dangerous"


def test_claims_about_other_substances_are_not_judged():
    r = run("Vitamin D supports immunity. Melatonin helps you fall asleep faster.")
    assert {c["topic"] for c in r["claims"]} == {"insomnia"}


def test_text_without_melatonin_has_no_melatonin_doses_or_claims():
    r = run("Studies used 3 mg; a 5G phone and a 10 kg dog are irrelevant. 2 grams of sugar help your mood.")
    assert r["doses"] == [] and r["claims"] == []
    assert {o["text"] for o in r["summary"]["other_substance_doses"]} == {"3 mg", "2 grams"}


def test_complete_side_effect_list():
    r = run("Side effects of melatonin include drowsiness, headache and a drop in body temperature. "
            "Do not combine it with fluvoxamine or alcohol.")
    c = topic(r, "side_effect_list")
    assert c["verdict"] == "supported" and c["missing"] == []


def test_negated_side_effect_flips_the_verdict():
    r = run("Melatonin has few side effects, and it does not cause headaches.")
    (e,) = [e for c in r["claims"] if c["topic"] == "side_effects" for e in c["effects"]]
    assert e["effect"] == "headache" and e["negated"] and e["verdict"] == "not supported"


def test_hypoglycaemia_side_effect_is_not_supported():
    r = run("A rare side effect of melatonin is low blood sugar.")
    (c,) = [c for c in r["claims"] if c["topic"] == "side_effects"]
    assert c["effects"][0]["verdict"] == "not supported"


def test_no_side_effects_and_overdose_denial():
    r = run("Melatonin is natural, so you can't overdose on it.")
    c = topic(r, "overdose")
    assert c["negated"] and c["verdict"] == "not supported"


def test_hedged_claim_is_marked():
    c = topic(run("Research suggests melatonin may reduce inflammation."), "inflammation")
    assert c["hedged"] and c["verdict"] == "insufficient evidence"


def test_dose_in_sentence_without_substance_uses_the_text_subject():
    r = run("Melatonin is a hormone made by the pineal gland. Most people take 3 mg an hour before bed.")
    assert mel_doses(r) == [(3.0, None)]
    assert topic(r, "endogenous")["verdict"] == "supported"


def test_shift_work_and_delayed_phase():
    r = run("Night-shift nurses take 3 mg of melatonin after work. For night owls with delayed sleep phase, "
            "0.5 mg of melatonin in the early evening can shift the body clock earlier.")
    assert topic(r, "shift_work")["verdict"] == "partly supported"
    assert topic(r, "circadian_disorders")["verdict"] == "supported"
    purposes = {d["amount_mg"]: d["purpose"] for d in r["doses"]}
    assert purposes[3.0] == ["shift_work"] and purposes[0.5] == ["delayed_sleep_phase"]


def test_pregnancy_safe_claim_is_not_supported():
    c = topic(run("Melatonin is safe during pregnancy."), "pregnancy")
    assert c["verdict"] == "not supported"


def test_extractor_keeps_positions_and_sentence_index():
    ds = extract_doses("First sentence. Then 3 mg melatonin.")
    assert ds[0].sentence == 1 and "Then 3 mg melatonin." in ds[0].quote


def test_no_side_effects_claim_is_not_supported():
    r = run("Melatonin is natural and has no side effects.")
    c = topic(r, "no_side_effects")
    assert not c["negated"] and c["verdict"] == "not supported"


def test_not_a_sedative_is_not_an_interaction_claim():
    r = run("Melatonin is not a sedative, and studies show it isn't habit-forming. Store gummies safely.")
    assert {c["topic"] for c in r["claims"]} == {"drowsiness", "dependency"}
    assert all(c["negated"] for c in r["claims"])


def test_covid_prevention_claim_is_not_established():
    c = topic(run("Some websites now claim that melatonin prevents COVID-19."), "immunity")
    assert c["verdict"] == "insufficient evidence"


def test_product_label_text():
    r = run("SleepWell Extra Strength — 10mg melatonin per gummy. Supports restful sleep*. Take 1–2 gummies 30 "
            "minutes before bed. Do not use if pregnant or nursing.")
    assert mel_doses(r) == [(10.0, None)]
    assert topic(r, "pregnancy")["verdict"] == "supported"


@pytest.mark.parametrize(("text", "expected"), [
    ("melatonin: 3 mg; vitamin B6: 10 mg", [(3.0, None, "melatonin"), (10.0, None, "vitamin b6")]),
    ("Melatonin 3 mg, 5 mg and 10 mg tablets are sold.", [(3.0, None, "melatonin"), (5.0, None, "melatonin"),
                                                          (10.0, None, "melatonin")]),
    ("Melatonin 2,5 mg", [(2.5, None, "melatonin")]),
    ("melatonin 5mg-10mg", [(5.0, 10.0, "melatonin")]),
    ("I take 6 mg melatonin + 400 mg magnesium glycinate", [(6.0, None, "melatonin"), (400.0, None, "magnesium")]),
    ("Take 3 to 5 milligrams of melatonin.", [(3.0, 5.0, "melatonin")]),
    ("a 10-milligram melatonin tablet", [(10.0, None, "melatonin")]),
])
def test_lists_labels_and_spellings(text, expected):
    got = [(d.amount_mg, d.amount_high_mg, d.substance) for d in extract_doses(text)]
    assert got == expected


def test_high_band_dose_is_only_partly_supported():
    d = run("Melatonin 10 milligrams nightly helped me.")["doses"][0]
    assert d["band"] == "high" and d["verdict"] == "partly supported"


def test_pk_consequence_is_none_without_the_pk_model(monkeypatch):
    import sys

    import pineal.models
    from pineal.safety import claims

    monkeypatch.setitem(sys.modules, "pineal.models.pk", None)  # import now raises ImportError
    monkeypatch.delattr(pineal.models, "pk", raising=False)
    assert claims._pk_consequence(3.0) is None
    assert run("Take 3 mg of melatonin.")["doses"][0]["pk"] is None


def test_pk_consequence_scales_with_dose():
    from pineal.safety import claims

    low, high = claims._pk_consequence(1.0), claims._pk_consequence(10.0)
    if low is None:
        pytest.skip("PK model not available")
    assert high["cmax_pg_ml"] > 5 * low["cmax_pg_ml"]
    assert 20 < low["t_half_min"] < 90 and 10 < low["tmax_min"] < 120
    assert not low["extrapolated"]


@pytest.mark.parametrize(("text", "verdict"), [
    ("My doctor said melatonin can't hurt, so I give 3 mg to my 2-year-old every night.", "not supported"),
    ("Melatonin is safe for adults, but it is not safe for kids.", "supported"),
    ("Melatonin gummies are harmless for toddlers.", "not supported"),
    ("Ask your paediatrician before giving melatonin to a 6-year-old.", "supported"),
])
def test_children_safety_phrasings(text, verdict):
    assert topic(run(text), "children")["verdict"] == verdict


def test_child_age_makes_a_childrens_dose():
    d = run("I give 3 mg of melatonin to my 2-year-old every night.")["doses"][0]
    assert d["population"] == ["children"] and d["verdict"] == "partly supported"


def test_not_just_is_not_a_negation():
    r = run("Melatonin doesn't just help you sleep, it also strengthens your immune system.")
    assert not topic(r, "insomnia")["negated"] and not topic(r, "immunity")["negated"]


def test_named_interacting_drug_is_an_interaction_claim():
    r = run("Warning: melatonin can be dangerous when combined with alcohol or benzodiazepines like Xanax.")
    assert topic(r, "interactions")["verdict"] == "supported"
    r = run("Melatonin has no interactions with other medications.")
    c = topic(r, "interactions")
    assert c["negated"] and c["verdict"] == "not supported"
