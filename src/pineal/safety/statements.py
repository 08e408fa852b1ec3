"""One verdict per melatonin dose mention, from its own sentence: statement type, population, purpose, ConText
modifiers, and a check against the evidence base (not only the dose band).

Statement types: recommendation, warning (or caution), product (description of a product), study (a study or
trial report, PK statement), guideline (a guideline or label attribution), body_production (what the body makes),
question, anecdote (someone's own use). The evidence used per type:

* body_production: 15-40 µg a night (pharmacology.md B2), so "the body makes 0.5-1 mg" is ≈12-67x too high;
* children: no established paediatric range (weight-based, short-term, supervised; AASM 2015 only for specific
  disorders with neurological comorbidity); infants: no evidence, and paediatric ingestions cause harm (D6);
* guideline: AASM 2017 recommends against melatonin for chronic insomnia; EFSA's claims are 1 mg (sleep) and
  0.5 mg (jet lag); Circadin is 2 mg prolonged release for primary insomnia at 55+; melatonin is not FDA-approved;
  the Cochrane jet-lag review found 0.5-5 mg effective (C1, C2, D8);
* a warning against a dose at or above 5 mg is supported (no added benefit above ~5 mg, adverse effects rise
  at ≥ 10 mg: C2, D1);
* everything else: the adult dose bands (G) at the top of a range.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pineal.safety.evidence import load
from pineal.safety.nlp import Modifiers

TYPES = ("recommendation", "warning", "product", "study", "guideline", "body_production", "question", "anecdote")
NOT_ASSESSED = "not assessed"

_I = re.IGNORECASE
_INFANT = re.compile(r"\b(?:infants?|bab(?:y|ies)|newborns?|toddlers?|under\s+(?:the\s+)?(?:age\s+(?:of\s+)?)?[1-3]"
                     r"\b(?!\s*(?:mg|months))|[1-3][- ]?(?:years?|yrs?)[- ]old|\d{1,2}[- ]?months?[- ]old)", _I)
_CHILD = re.compile(r"\b(?:child(?:ren)?|kids?|p(?:a)?ediatric\w*|teens?|teenagers?|adolescents?|youths?|"
                    r"(?:1[0-7]|[4-9])[- ]?(?:years?|yrs?)[- ]old|school[- ]age\w*|ages?\s+(?:[3-9]|1[0-7])\b)", _I)
_OLDER = re.compile(r"\b(?:older\s+adults?|elderly|seniors?|(?:aged?|over)\s+(?:55|60|65)|55\s*(?:\+|or\s+over|and\s+"
                    r"over|years))", _I)
_BODY = re.compile(
    r"\b(?:body|bodies|brain|pineal(?:\s+gland)?|humans?|people|we|adults?)\s+(?:\w+\s+){0,4}?(?:makes?|produces?|"
    r"secretes?|releases?|synthesi[sz]es?)\b|\bon\s+(?:its|it's|their|our)\s+own\b|\bnaturally\s+(?:produced|made|"
    r"secreted)|\b(?:natural|endogenous|nightly)\s+(?:production|secretion|output)\b|"
    r"\bproduc\w*\s+(?:\w+\s+){0,8}?naturally\b", _I)
_FIRST_PERSON = re.compile(r"(?:^|[^\w'])(?:I|I'm|I've|I'd)\s+(?:\w+\s+){0,2}?(?:take|took|taking|use|used|using|"
                           r"start|started|starting|switched|tried|try|gave|give|had|pop|popped)\b|\bin\s+my\s+case\b|"
                           r"\bfor\s+me\b|\bmy\s+(?:dose|experience)\b")
_USAGE = re.compile(r"\b(?:some|many|most)\s+people\s+(?:take|use|are\s+taking)\b|\bbecome\s+(?:more\s+)?common\b|"
                    r"\bincreasingly\s+(?:common|popular)\b|\bpopularity\b", _I)
_WARN = re.compile(r"\b(?:too\s+(?:much|high)|overdos\w*|exceed\w*|(?:can|may|could|will)\s+cause|dangerous|toxic|"
                   r"harmful|poison\w*)\b", _I)
_GUIDE = re.compile(r"\b(?:guidelines?|AASM|American\s+Academy|EFSA|FDA|label(?:led|ing)?|indicated|approved|licensed|"
                    r"prescription|prescribed|Cochrane|NHS|NICE|consensus|SmPC|Circadin|Academy\s+of\s+Sleep)\b", _I)
_STUDY = re.compile(r"\b(?:stud(?:y|ies)|trials?|volunteers|participants|subjects|patients|meta-analys\w+|"
                    r"systematic\s+review|research(?:ers)?|observation|surveys?|placebo|randomi[sz]ed|were\s+given|"
                    r"received|found\s+that|showed|formulations?)\b", _I)
_PK = re.compile(r"\b(?:cleared|clearance|half-life|eliminat\w+|plasma|peak\s+levels?|bioavailab\w+)\b", _I)
_PRODUCT = re.compile(r"\b(?:supplement\s+facts|per\s+serving|serving\s+size|each\s+(?:tablet|capsule|gummy)|contains?|"
                      r"tablets?|capsules?|gumm(?:y|ies)|pills?|products?|stores?|shelves|OTC|brands?|bottles?|sold|"
                      r"on\s+sale|you\s+can\s+(?:find|buy))\b", _I)
_TOLERATED = re.compile(r"\b(?:tolera\w+|without\s+(?:feeling\s+)?drows\w+|no\s+side[- ]effects?|harmless)\b", _I)
_RHETORICAL = re.compile(r"^\W*(?:did|do)\s+you\s+know\b", _I)
_OTHER_PURPOSE = re.compile(r"\b(?:reflux|gerd|cancer|tumou?rs?|migraines?|headaches?\s+prevention|anti-?aging|"
                            r"weight\s+loss|tinnitus|fibromyalgia|autism|alzheimer\w*|covid\w*|immun\w*|inflammat\w*)\b",
                            _I)
_LIMIT = re.compile(r"\b(?:less\s+than|under|below|up\s+to|no\s+more\s+than|at\s+most|fraction\s+of)\s*$", _I)
_RECOMMENDS = re.compile(r"\b(?:guidelines?|AASM|Medicine|EFSA|FDA)\s+(?:\w+\s+){0,6}?(?:recommends|endorses|"
                         r"approves|advises)\b(?!\s+against)", _I)
_AGAINST_USE = re.compile(r"against|should not|must not|not for|avoid|not recommended|do not|don't give|never", _I)
_AGAINST = re.compile(r"\b(?:against|not\s+recommend\w*)\b", _I)
_INSOMNIA_GUIDE = re.compile(r"\b(?:AASM|American\s+Academy\s+of\s+Sleep|chronic\s+insomnia|sleep\s+(?:onset|"
                             r"maintenance)\s+insomnia)\b", _I)
_PROLONGED = re.compile(r"\b(?:prolonged|slow|controlled|extended|sustained)[- ]release\b|\bCircadin\b|\bPR\b", _I)


@dataclass
class Assessment:
    statement_type: str
    population: str | None
    verdict: str
    reason: str
    sources: list[str]


def clause(sentence: str, start: int, end: int) -> str:
    """The part of a sentence around [start, end) between semicolons (list-like sentences: 'infants 1 mg; ...')."""
    lo = max(sentence.rfind(";", 0, start) + 1, start - 250)
    hi = sentence.find(";", end, end + 250)
    return sentence[lo: hi if hi >= 0 else min(len(sentence), end + 250)]


def population(text: str) -> str | None:
    if _INFANT.search(text):
        return "infants"
    if _CHILD.search(text):
        return "children"
    if _OLDER.search(text):
        return "older_adults"
    return None


def statement_type(sentence: str, part: str, mods: Modifiers, before: str) -> str:
    """The kind of statement a dose mention is part of (see module docstring)."""
    s = sentence.strip()
    if s.endswith("?") and not _RHETORICAL.search(s):
        return "question"
    if _BODY.search(part):
        return "body_production"
    if _FIRST_PERSON.search(part) or _USAGE.search(part):
        return "anecdote"
    if mods.negated or _WARN.search(part):
        return "warning"
    if _GUIDE.search(part):
        return "guideline"
    if _STUDY.search(part) or _PK.search(part):
        return "study"
    if _PRODUCT.search(part) or re.fullmatch(r"[\W\d.,]*(?:mg|mcg|µg|g|milligrams?)\b[\W\d%]*", s, _I):
        return "product"
    return "recommendation"


def _band_verdict(low: float, top: float) -> tuple[str, str, list[str]]:
    ev = load()
    band = next(b for b in ev.bands if b.high_mg is None or top <= b.high_mg)
    if top <= 5:
        return ("supported", f"{_mg(low, top)} is within the 0.5-5 mg studied for sleep and jet lag "
                f"({band.id.replace('_', ' ')} band)", ["herxheimer2002", "ferracioli2013"])
    if low <= 5 and top <= 20:
        return ("partly supported", f"the low end is within the studied 0.5-5 mg, but {top:g} mg is past the 5 mg "
                "jet-lag ceiling and the ~4 mg sleep dose-response peak", ["herxheimer2002", "sleep_dose_response_ma"])
    if top <= 10:
        return ("partly supported", f"{top:g} mg is within the sleep trials (up to 10 mg) but above the 5 mg jet-lag "
                "ceiling, with no added benefit", ["herxheimer2002", "sleep_dose_response_ma"])
    if top <= 100:
        return ("not supported", f"{top:g} mg is {top / 10:g}x the largest sleep-trial dose; adverse effects rise at "
                ">= 10 mg (RR 1.40); such doses were studied only in phase 1 and illness", ["menczelschrire2022",
                                                                                             "galley2014"])
    return ("dangerous", f"{top:g} mg is beyond the largest single-dose PK data (100 mg); at this level there are "
            "only overdose reports and a 5-person 1 g/day series", ["galley2014", "nordlund1977"])


def _mg(low: float, top: float) -> str:
    return f"{low:g}-{top:g} mg" if top != low else f"{top:g} mg"


def _production(low: float, top: float, limit: bool) -> tuple[str, str, list[str]]:
    f = load().fact("endogenous_production")
    src = list(f.sources)
    lo_ug, hi_ug = f.low_mg * 1000, f.high_mg * 1000
    if limit:  # "less than 0.3 mg": true as a bound; say how loose it is
        if top <= f.high_mg * 1.5:
            return "supported", f"the body makes about {lo_ug:g}-{hi_ug:g} µg a night, below {top * 1000:g} µg", src
        return ("partly supported", f"true as an upper bound, but the body makes about {lo_ug:g}-{hi_ug:g} µg a night, "
                f"≈{top / f.high_mg:,.0f}-{top / f.low_mg:,.0f}x less than {top:g} mg", src)
    if low >= f.low_mg / 1.5 and top <= f.high_mg * 1.5:
        return "supported", f"matches the body's own {lo_ug:g}-{hi_ug:g} µg a night", src
    if low > f.high_mg:
        return ("not supported", f"the body makes about {lo_ug:g}-{hi_ug:g} µg (0.015-0.04 mg) a night: "
                f"{_mg(low, top)} is ≈{low / f.high_mg:,.0f}-{top / f.low_mg:,.0f}x too high", src)
    if top < f.low_mg:
        return "not supported", f"the body makes about {lo_ug:g}-{hi_ug:g} µg a night, more than {_mg(low, top)}", src
    return "partly supported", f"overlaps the body's own {lo_ug:g}-{hi_ug:g} µg a night only in part", src


def _guideline(part: str, low: float, top: float, pop: str | None) -> tuple[str, str, list[str]] | None:
    if _INSOMNIA_GUIDE.search(part) or re.search(r"\bguideline\w*\b.*\binsomnia\b", part, _I):
        if _AGAINST.search(part):
            return ("supported", "AASM 2017 recommends against melatonin for chronic insomnia (weak recommendation)",
                    ["sateia2017"])
        if _RECOMMENDS.search(part):
            return ("not supported", "the AASM 2017 chronic-insomnia guideline recommends AGAINST melatonin (weak); "
                    "2 mg is the licensed prolonged-release dose for people aged 55 and over", ["sateia2017",
                                                                                              "circadin_smpc"])
        return ("partly supported", f"{_mg(low, top)} matches the sleep and jet-lag evidence, but the chronic-insomnia "
                "guideline (AASM 2017) recommends against melatonin", ["sateia2017", "herxheimer2002"])
    if re.search(r"\bEFSA\b", part):
        ok = 0.5 <= low and top <= 1.0
        return (("supported", "EFSA's claims: 1 mg close to bedtime (sleep), at least 0.5 mg (jet lag)", [
            "efsa_claims_2012"]) if ok else ("not supported", f"EFSA's claims are for 1 mg (sleep) and at least 0.5 mg "
                                             f"(jet lag), not {_mg(low, top)}", ["efsa_claims_2012"]))
    if re.search(r"\bFDA[- ]approved\b|\bapproved\s+by\s+the\s+FDA\b", part, _I) and not re.search(r"\bnot\b", part):
        return "not supported", "melatonin is not FDA-approved; it is sold as a dietary supplement", ["cohen2023"]
    if _PROLONGED.search(part) and 1.5 <= low <= top <= 2.0:
        if pop == "older_adults":
            return ("supported", "matches the Circadin label: 2 mg prolonged release for primary insomnia at 55+, "
                    "up to 13 weeks", ["circadin_smpc", "circadin_touchneurology"])
        return ("partly supported", "Circadin 2 mg prolonged release is licensed for primary insomnia in people "
                "aged 55 and over (up to 13 weeks), not for adults in general", ["circadin_smpc"])
    if re.search(r"\bCochrane\b", part, _I) and top <= 5:
        return "supported", "the Cochrane jet-lag review found 0.5-5 mg near bedtime effective", ["herxheimer2002"]
    return None


def assess(sentence: str, start: int, end: int, low: float, top: float, mods: Modifiers,
           previous: str = "") -> Assessment:
    """Statement type, population and verdict of one melatonin amount at [start, end) of ``sentence``."""
    part = clause(sentence, start, end)
    before = sentence[max(0, start - 40):start]
    stype = statement_type(sentence, part, mods, before)
    near = sentence[max(0, start - 250):end + 250]
    pop = population(part) or population(near) or (population(previous[-400:]) if previous.strip().endswith("?")
                                                     else None)
    if stype == "question":
        return Assessment(stype, pop, NOT_ASSESSED, "a question, not a statement", [])
    if stype == "body_production":
        v, r, src = _production(low, top, bool(_LIMIT.search(before)))
        return Assessment(stype, None, v, r, src)
    if pop == "infants" and not (stype == "warning" and any(_AGAINST_USE.search(c) for c in mods.cues)):
        return Assessment(stype, pop, "dangerous", "no evidence supports melatonin in infants or toddlers; paediatric "
                          "ingestions rose 530% with hospitalisations and 2 deaths", ["auger2015", "lelak2022"])
    if pop in ("infants", "children"):
        if stype == "warning" and any(_AGAINST_USE.search(c) for c in mods.cues):
            return Assessment(stype, pop, "supported", "advice against this use in children agrees with the evidence: "
                              "no established paediatric range", ["auger2015", "lelak2022"])
        return Assessment(stype, pop, "insufficient evidence", "no established paediatric dose range: guidelines "
                          "endorse melatonin only for specific circadian disorders with neurological comorbidity; "
                          "use is weight-based, short-term and supervised", ["auger2015", "besag2019"])
    if stype == "guideline":
        g = _guideline(part + " " + sentence, low, top, pop)
        if g:
            return Assessment(stype, pop, *g)
    if _OTHER_PURPOSE.search(part) and top <= 10:
        return Assessment(stype, pop, "insufficient evidence", "no adequate trials for this purpose in the evidence "
                          "base", ["posadzki2018", "covid_ma2022"])
    if stype == "warning":
        if top >= 5:
            return Assessment(stype, pop, "supported", f"a caution against {_mg(low, top)} agrees with the "
                              "evidence: no added benefit above ~5 mg, adverse effects rise at >= 10 mg (RR 1.40)",
                              ["herxheimer2002", "menczelschrire2022"])
        return Assessment(stype, pop, "partly supported", f"cautions about {_mg(low, top)}; the sleep-latency "
                          "dose-response peaks near 4 mg and jet-lag benefit holds up to 5 mg",
                          ["sleep_dose_response_ma", "herxheimer2002"])
    if stype == "anecdote":
        if _USAGE.search(part) and not re.search(r"\b(?:may|might|can)\b", part, _I):
            return Assessment(stype, pop, "insufficient evidence", "a statement of what people do; the evidence base "
                              "does not measure it", ["lelak2022"])
        if mods.negated:
            return Assessment(stype, pop, "insufficient evidence", "one person's experience; trials show no loss of "
                              "effect within 1-5 mg", ["sleep_dose_response_ma"])
        if top > 5 and mods.historical:
            return Assessment(stype, pop, "supported", f"a past dose of {_mg(low, top)} the writer moved away from; "
                              "adverse effects such as grogginess rise at >= 10 mg", ["menczelschrire2022"])
        if top > 5:
            return Assessment(stype, pop, "insufficient evidence", "one person's experience with a dose above the "
                              "studied range", ["menczelschrire2022"])
    if stype == "study":
        if _USAGE.search(part):
            return Assessment(stype, pop, "insufficient evidence", "a usage trend; not in the evidence base",
                              ["lelak2022"])
        if _PK.search(part) and top <= 100:
            return Assessment(stype, pop, "supported", "elimination half-life stays ~52 min up to 100 mg "
                              "(Galley 2014); clearance is expected within 12 h (SmPC)",
                              ["galley2014", "circadin_rx_usage"])
        if _TOLERATED.search(part) and top > 10:
            return Assessment(stype, pop, "not supported", "drowsiness is the commonest effect of doses >= 10 mg "
                              "(RR 1.40)", ["menczelschrire2022"])
        if top <= 10:
            return Assessment(stype, pop, "supported", f"{_mg(low, top)} is within the doses of the sleep and jet-lag "
                              "trials (0.1-10 mg)", ["herxheimer2002", "ferracioli2013"])
    return Assessment(stype, pop, *_band_verdict(low, top))
