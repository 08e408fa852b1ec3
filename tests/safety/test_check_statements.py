"""Statement types and per-mention verdicts on short texts (general patterns, not corpus sentences)."""

import pytest

import pineal


def mention(text, amount=None):
    ms = pineal.check(text)["mentions"]
    return ms[0] if amount is None else next(m for m in ms if m["amount_mg"] == amount)


@pytest.mark.parametrize(("text", "stype", "verdict"), [
    ("Your body makes about 3 mg of melatonin every night.", "body_production", "not supported"),
    ("The pineal gland produces roughly 30 mcg of melatonin a night.", "body_production", "supported"),
    ("Never take 50 mg of melatonin.", "warning", "supported"),
    ("We recommend against 30 mg of melatonin for sleep.", "warning", "supported"),
    ("Is 10 mg of melatonin too much?", "question", "not assessed"),
    ("Give your baby 0.5 mg of melatonin at bedtime.", "recommendation", "dangerous"),
    ("Children aged 6 to 12 can take 3 mg of melatonin.", "recommendation", "insufficient evidence"),
    ("EFSA says 1 mg of melatonin close to bedtime reduces the time to fall asleep.", "guideline", "supported"),
    ("The AASM guideline recommends 3 mg of melatonin for chronic insomnia.", "guideline", "not supported"),
    ("Each tablet contains 5 mg of melatonin.", "product", "supported"),
    ("Each tablet contains 60 mg of melatonin.", "product", "not supported"),
    ("I took 3 mg of melatonin last night and slept well.", "anecdote", "supported"),
    ("In a randomised trial, volunteers received 5 mg of melatonin or placebo.", "study", "supported"),
    ("Take 1000 mg of melatonin for better sleep.", "recommendation", "dangerous"),
])
def test_statement_type_and_verdict(text, stype, verdict):
    m = mention(text)
    assert (m["statement_type"], m["verdict"]) == (stype, verdict), m["reason"]


def test_body_production_says_how_far_off():
    m = mention("The body is thought to make 0.5-1 mg of melatonin on its own.")
    assert m["verdict"] == "not supported"
    assert "too high" in m["reason"] and "15-40 µg" in m["reason"]


def test_two_mentions_of_one_amount_get_their_own_verdicts():
    r = pineal.check("Give infants 1 mg of melatonin. Adults can start with 1 mg of melatonin before bed.")
    assert [m["verdict"] for m in r["mentions"]] == ["dangerous", "supported"]


def test_context_flags_from_medspacy():
    m = mention("If you travel east, you might take 3 mg of melatonin at bedtime.")
    assert m["modifiers"]["hypothetical"]
    m = mention("I used to take 10 mg of melatonin.")
    assert m["modifiers"]["historical"]
    m = mention("Melatonin hasn't been shown to be safe at 20 mg.")
    assert m["modifiers"]["negated"]


def test_claims_are_judged_at_their_own_paragraphs_dose():
    r = pineal.check("Adults may take 1 mg of melatonin to improve sleep quality.\n"
                     "Some sites sell 100 mg of melatonin; never take 100 mg of melatonin.\n")
    sleep = [c for c in r["claims"] if c["topic"] == "sleep_quality"]
    assert sleep and all(c["dose_context_mg"] == 1 for c in sleep)


def test_report_has_a_rating_and_sources_as_doi_or_pubmed_links():
    r = pineal.check("Take 0.5 mg of melatonin for jet lag. Melatonin boosts immunity.")
    assert r["summary"]["rating"]["rating"] in ("mostly supported", "mixed", "mostly not supported", "harmful")
    urls = [s["url"] for m in r["mentions"] for s in m["sources"]]
    assert urls and all(u.startswith(("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")) for u in urls)
