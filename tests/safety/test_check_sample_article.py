"""The sample 1000 mg article (tests/data/articles, copied from shared/data with its README)."""

from pathlib import Path

import pytest

import pineal
from pineal.safety.check_schema import CheckReport

ARTICLE = Path(__file__).parents[1] / "data" / "articles" / "seed-1000mg-melatonin.txt"


@pytest.fixture(scope="module")
def report():
    return pineal.check(ARTICLE.read_text(encoding="utf-8"))


def claims(report, topic):
    return [c for c in report["claims"] if c["topic"] == topic]


def test_report_validates_against_the_schema(report):
    CheckReport.model_validate(report)
    assert report["disclaimer"] == pineal.DISCLAIMER


def test_the_only_dose_is_1000_mg_far_above_sleep_doses(report):
    assert [d["adult_equivalent_mg"] for d in report["doses"]] == [1000.0]
    d = report["doses"][0]
    assert d["occurrences"] >= 10
    assert d["ratio_to_sleep_max"] >= 100  # 1000 mg vs 10 mg, the largest dose in typical sleep trials
    assert d["band"] == "overdose_range" and d["verdict"] == "dangerous"
    assert "100x the largest dose studied for falling asleep" in d["evidence"]
    assert "nordlund1977" in {s["key"] for s in d["sources"]}


def test_pk_consequence_is_reported_when_the_model_exists(report):
    pk = report["doses"][0]["pk"]
    try:
        import pineal.models.pk  # noqa: F401
    except ImportError:
        assert pk is None
        return
    assert pk["extrapolated"] is True
    assert pk["cmax_fold_endogenous"] > 100  # far above the body's own night peak
    assert pk["cmax_pg_ml"] > 1e5


@pytest.mark.parametrize("topic", ["immunity", "inflammation", "mood"])
def test_immunity_inflammation_mood_not_established(report, topic):
    found = claims(report, topic)
    assert found, topic
    assert all(c["verdict"] in ("insufficient evidence", "not supported") for c in found)
    assert all(not c["negated"] for c in found)


def test_dependency_not_supported(report):
    found = claims(report, "dependency")
    assert found and all(c["verdict"] == "not supported" for c in found)
    assert "no tolerance" in found[0]["evidence"]


def test_side_effect_list_is_incomplete(report):
    (complete,) = claims(report, "side_effect_list")
    assert complete["verdict"] == "partly supported"
    assert {"somnolence", "hypothermia", "interactions"} <= set(complete["missing"])
    named = {e["effect"]: e["verdict"] for c in claims(report, "side_effects") for e in c["effects"]}
    assert named["headache"] == "supported" and named["dizziness"] == "supported"
    assert named["hypoglycaemia"] == "not supported"
    assert named["arrhythmia"] == "insufficient evidence"
    assert named["anxiety"] == "supported"


def test_sleep_claims_not_supported_at_1000_mg(report):
    for topic in ("sleep_quality", "insomnia", "jet_lag", "shift_work"):
        found = claims(report, topic)
        assert found and all(c["verdict"] == "not supported" for c in found), topic
        assert all(c["dose_context_mg"] == 1000 for c in found)


def test_energy_and_cognition(report):
    assert {c["verdict"] for c in claims(report, "energy")} == {"dangerous"}
    assert {c["verdict"] for c in claims(report, "cognition")} == {"not supported"}


def test_advice_to_consult_is_supported(report):
    assert {c["verdict"] for c in claims(report, "consult")} == {"supported"}
    assert {c["verdict"] for c in claims(report, "pregnancy")} == {"supported"}


def test_every_verdict_cites_a_source(report):
    for item in report["doses"] + report["claims"]:
        assert item["sources"] and all(s["url"].startswith("http") and s["grade"] for s in item["sources"])
