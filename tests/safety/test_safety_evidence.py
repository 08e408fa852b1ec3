"""The evidence base: every item validates, cites at least one source, and each source has a URL and a grade."""

import re

import pytest

from pineal.citations import bibliography
from pineal.safety import evidence
from pineal.safety.evidence import VERDICTS, load

ITEMS = load().items()


def test_loads_every_kind_of_item():
    ev = load()
    assert len(ev.bands) == 6 and len(ev.purposes) >= 6 and len(ev.interactions) >= 8
    assert {p.id for p in ev.populations} >= {"pregnancy", "breastfeeding", "children", "older_adults", "epilepsy",
                                               "hepatic_impairment", "warfarin_users", "drivers"}
    assert {p.id for p in ev.purposes} >= {"sleep", "jet_lag", "delayed_sleep_phase", "shift_work", "older_adults",
                                            "children"}
    assert {la.product for la in ev.label_accuracy} == {"supplement", "gummy"}


def _id(i):
    return f"{type(i).__name__}:{getattr(i, 'id', getattr(i, 'product', ''))}"


@pytest.mark.parametrize("item", ITEMS, ids=_id)
def test_every_item_has_grade_and_resolvable_sources(item):
    assert item.grade in ("P", "R", "L", "S", "derived")
    resolved = item.resolved()
    assert resolved
    for s in resolved:
        assert re.match(r"https?://\S+\.\S+", s.url), s
        assert s.grade in ("P", "R", "L", "S")


def test_every_graded_key_is_in_the_bibliography():
    assert set(evidence.grades()) <= set(bibliography())


def test_unknown_source_key_is_rejected():
    with pytest.raises(KeyError):
        evidence.source("no_such_work_1999")


def test_bands_are_contiguous_and_match_pharmacology_g():
    bands = load().bands
    edges = [(b.low_mg, b.high_mg) for b in bands]
    assert edges == [(0, 0.5), (0.5, 5), (5, 10), (10, 100), (100, 300), (300, None)]


def test_label_accuracy_factors_are_the_published_ones():
    la = {x.product: (x.low_factor, x.high_factor) for x in load().label_accuracy}
    assert la == {"supplement": (0.17, 5.8), "gummy": (0.74, 3.5)}


def test_topic_verdicts_are_from_the_vocabulary_and_patterns_compile():
    for t in load().topics:
        for j in (t.asserted, t.negated, t.high_dose, t.safe_claim, t.caution_claim):
            if j is not None:
                assert j.verdict in VERDICTS
        re.compile("|".join(t.terms))


def test_schema_rejects_an_item_without_sources():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        evidence.Fact(id="x", statement="y", grade="P", sources=[])
    with pytest.raises(ValidationError):
        evidence.Fact(id="x", statement="y", grade="Q", sources=["galley2014"])


@pytest.mark.parametrize(("eid", "value", "ci"), [
    ("insomnia_sleep_latency", -7.06, (-9.75, -4.37)),        # validation.md EF-1
    ("insomnia_total_sleep", 8.25, (1.74, 14.75)),            # EF-1
    ("insomnia_sleep_quality", 0.22, (0.12, 0.32)),           # EF-1
    ("dsps_sleep_onset_ma", -38.8, (-50.3, -27.3)),           # EF-2
    ("dsps_sleep_onset_rct", -36.0, (None, None)),            # EF-2
    ("dose_response_peak", 4.0, (None, None)),                # EF-3
    ("jet_lag_nnt", 2.0, (None, None)),                       # EF-4
    ("shift_work_daytime_sleep", 24.0, (9.8, 38.9)),          # EF-5
    ("depressive_symptoms", -0.17, (-0.38, 0.05)),            # EF-6
    ("adverse_events_10mg_plus", 1.40, (1.15, 1.69)),         # SF-1
])
def test_effect_sizes_match_validation_reference_outputs(eid, value, ci):
    e = load().effect(eid)
    assert (e.value, (e.low, e.high)) == (value, ci)


def test_reference_safety_facts_are_in_the_evidence():
    ev = load()
    reports = {r.id: r for r in ev.reports}
    assert "drowsiness in all" in reports["one_gram_day"].outcome                            # SF-2
    assert "GCS 8" in reports["overdose_900mg"].outcome and "32 h" in reports["overdose_900mg"].outcome
    assert any("no tolerance" in d.statement and "no suppression" in d.statement for d in ev.dependency)  # SF-3
    assert "530%" in reports["paediatric_ingestions"].outcome and "2 deaths" in reports["paediatric_ingestions"].outcome


def test_effect_size_ci_must_contain_the_estimate():
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        evidence.EffectSize(id="x", purpose="sleep", outcome="o", value=5, low=6, high=7, unit="min", grade="R",
                            sources=["ferracioli2013"])
