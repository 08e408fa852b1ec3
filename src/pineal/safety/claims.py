"""Claim check of a text (`pineal check`): every melatonin dose and health claim, with a verdict and sources.

Doses: amounts with a mass unit ("3mg", "1,000 mg", "1 gram", "500 mcg", "0.5-5 mg", "0.05 mg/kg"), attributed
to the nearest substance named in the sentence, so "1000 mg vitamin C" is not a melatonin dose. Claims: topics
from evidence/claims.toml and side effects from evidence/adverse.toml, judged as asserted or denied.
"""

from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache

from pineal import DISCLAIMER
from pineal.quantities import parse_mass_mg
from pineal.safety import nlp
from pineal.safety import statements as st
from pineal.safety import text as tx
from pineal.safety.evidence import Topic, load, source
from pineal.safety.screen import dose_band

#: body weights for per-kg doses (assumed, stated in the output)
ADULT_KG, CHILD_KG = 70.0, 20.0
#: at most this many distinct doses get a PK simulation
MAX_PK = 20
#: the model's night peak of the body's own plasma melatonin (pg/mL): pineal.simulate.own_melatonin()[2] for a
#: 70-kg 30-year-old sleeping 23:00-07:00 in darkness, room light awake. Shipped so that a check needs no clock-solver
#: run; tests/safety/test_check_speed.py recomputes it from the model.
MODEL_NIGHT_PEAK_PG_ML = 67.67

# thousands with commas ("1,000"), a decimal comma ("2,5"), plain decimals
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,9},\d{1,2}(?!\d)|\d{1,9}(?:\.\d+)?|\.\d+"
_WORDNUM = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twenty": 20, "fifty": 50, "hundred": 100, "a hundred": 100, "half a": 0.5}
_NUMBER = rf"(?:{_NUM}|\b(?i:{'|'.join(sorted(_WORDNUM, key=len, reverse=True))}))"
# bare "g" is case-sensitive so "5G" is not five grams; everything else ignores case
_UNIT = r"(?:(?i:mg|milligrams?|mcg|micrograms?|ug)|[µμ]g|g|(?i:grams?))"
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?P<a>{_NUMBER})(?:\s*(?P<u1>{_UNIT}))?"
    rf"(?:\s*(?P<sep>-|–|—|(?i:to|or|and))\s*(?P<b>{_NUMBER}))?\s*-?(?P<u>{_UNIT})(?![\w])"
    r"(?P<kg>\s*(?:/|(?i:per))\s*(?i:kg|kilograms?)(?:\s+(?i:of\s+body\s*weight))?)?")
_UNIT_WORD = {"milligram": "mg", "milligrams": "mg", "microgram": "mcg", "micrograms": "mcg", "ug": "mcg",
              "µg": "mcg", "μg": "mcg", "gram": "g", "grams": "g"}
_FREQ = re.compile(r"\b(?:daily|per\s+day|a\s+day|/day|each\s+day|every\s+(?:day|night|evening)|nightly|"
                   r"at\s+night|(?:once|twice|three\s+times)\s+(?:a|per)\s+day|before\s+bed(?:time)?|at\s+bedtime|"
                   r"as\s+needed|weekly)\b", re.IGNORECASE)
#: "my 2-year-old", "a 10 month old": ages under 18
CHILD_AGE = r"(?:1[0-7]|[1-9])[- ]?(?:years?|yrs?|months?)[- ]old"
_POP = {"children": r"\b(?:child(?:ren)?|kids?|toddlers?|infants?|bab(?:y|ies)|p(?:a)?ediatric\w*|teens?|"
                    rf"teenagers?|adolescents?|{CHILD_AGE})\b",
        "older_adults": r"\b(?:older\s+adults?|elderly|seniors?|over\s+(?:55|60|65))\b",
        "pregnancy": r"\b(?:pregnan\w*|breast-?feeding)\b", "adults": r"\badults?\b"}
_POP_RE = {k: re.compile(v, re.IGNORECASE) for k, v in _POP.items()}
_PURPOSE_RE = {
    "jet_lag": r"\bjet[- ]?lag|\btime[- ]zones?\b|\btravel\w*",
    "shift_work": r"\bshift[- ]?work\w*|\bnight[- ]shifts?\b",
    "delayed_sleep_phase": r"\bdelayed\s+sleep|\bnight\s+owls?\b|\bcircadian\s+rhythm\s+disorders?\b|\bphase[- ]shift",
    "immunity_mood_other": r"\bimmun\w*|\binflammat\w*|\bmood\b|\benergy\b|\bcogniti\w*|\bdepress\w*",
    "sleep": r"\bsleep\w*|\binsomnia\b|\bbed(?:time)?\b|\basleep\b",
}
_PURPOSE = {k: re.compile(v, re.IGNORECASE) for k, v in _PURPOSE_RE.items()}
_LIMIT = re.compile(r"\b(?:no\s+more\s+than|not\s+(?:to\s+)?exceed|up\s+to|maximum(?:\s+of)?|max\.?|at\s+most|"
                    r"less\s+than|under|below)\s*$", re.IGNORECASE)
_WARN = re.compile(r"\b(?:never|avoid|don't|do\s+not|overdose\w*|dangerous|toxic|lethal)\b", re.IGNORECASE)
_AE_CUE = re.compile(r"\b(?:side[- ]?effects?|adverse|symptoms?|reactions?|(?:may|can|could|might)\s+cause|causes?|"
                     r"caused|experienc\w*|complications?|downsides?|drawbacks?|risks?)\b", re.IGNORECASE)
_SAFE = re.compile(r"\bsafe\b|\bharmless\b|\b(?:can't|cannot|won't)\s+hurt\b", re.IGNORECASE)
_CAUTION = re.compile(r"\b(?:consult\w*|(?:ask|talk\s+to|speak\s+(?:to|with)|check\s+with)\s+(?:a|your)\s+"
                      r"(?:doctor|physician|p(?:a)?ediatrician|pharmacist|gp|midwife|healthcare\s+provider)|avoid|"
                      r"not\s+recommended|do\s+not\s+(?:use|give|take)|out\s+of\s+reach|keep\s+(?:away|out)|"
                      r"caution|under\s+(?:medical\s+)?supervision)\b", re.IGNORECASE)
#: topics that AE words would trigger wrongly inside a side-effect sentence
_AE_SHADOWED = frozenset({"drowsiness", "mood", "safety"})


# --------------------------------------------------------------------------- doses


@dataclass
class DoseMention:
    """One amount with a mass unit found in the text, and the substance it belongs to."""

    text: str
    start: int
    sentence: int
    amount_mg: float
    amount_high_mg: float | None
    unit: str
    per_kg: bool
    substance: str | None
    frequency: str | None = None
    population: str | None = None
    purpose: str | None = None
    context: str = "stated"  # stated, limit ("no more than 5 mg"), warning ("never take 1000 mg")
    quote: str = ""
    end: int = 0
    sentence_text: str = ""

    @property
    def is_melatonin(self) -> bool:
        return self.substance == tx.MELATONIN


def _number(s: str) -> float:
    s = s.strip().lower()
    if s in _WORDNUM:
        return float(_WORDNUM[s])
    return float(s.replace(",", ".") if re.fullmatch(r"\d+,\d{1,2}", s) else s.replace(",", ""))


def _mg(num: str, unit: str) -> float | None:
    value = _number(num)
    u = _UNIT_WORD.get(unit.lower(), unit.lower()) if unit not in ("µg", "μg") else "mcg"
    mg = value * _mg_per_unit(u)
    return mg if math.isfinite(mg) and mg > 0 else None


@lru_cache(maxsize=16)
def _mg_per_unit(unit: str) -> float:
    """mg in one ``unit`` (pint, via parse_mass_mg); cached because pint parsing is slow."""
    return parse_mass_mg(f"1 {unit}")


def _nearest_label(patterns: dict[str, re.Pattern], s: str, pos: int) -> str | None:
    """The label whose match lies nearest ``pos``; a match inside another label's longer match is ignored."""
    hits = [(m.start(), m.end(), label) for label, rx in patterns.items() for m in rx.finditer(s)]
    hits = [h for h in hits if not any(o[0] <= h[0] and h[1] <= o[1] and (o[1] - o[0]) > (h[1] - h[0])
                                       and o[2] != h[2] for o in hits)] if len(hits) < 50 else hits
    if not hits:
        return None
    return min(hits, key=lambda h: max(h[0] - pos, pos - h[1], 0))[2]


def _amounts(m: re.Match, s: str) -> list[tuple[int, int, float, float | None]]:
    """(start, end, low mg, high mg or None) of one match: a range, or two amounts for "3 mg and 5 mg"."""
    unit = m.group("u")
    lo = _mg(m.group("a"), m.group("u1") or unit)
    if lo is None:
        return []
    if not m.group("b"):
        return [(m.start(), m.end(), lo, None)]
    hi = _mg(m.group("b"), unit)
    if hi is None:
        return []
    if m.group("sep").lower() in ("and", "or") and "between" not in s[max(0, m.start() - 12):m.start()].lower():
        return [(m.start(), m.end("u1") if m.group("u1") else m.end("a"), lo, None), (m.start("b"), m.end(), hi, None)]
    return [(m.start(), m.end(), min(lo, hi), max(lo, hi))]


def extract_doses(text: str, parsed: nlp.Parsed | None = None) -> list[DoseMention]:
    """Every amount with a mass unit, attributed to a substance (melatonin or another); web addresses are skipped."""
    text = tx.normalise(text)
    parsed = parsed or nlp.Parsed(tx.mask_urls(text))
    attr = tx.Attributor(bool(tx.MELATONIN_RE.search(text)))
    out: list[DoseMention] = []
    for sent in parsed.sentences:
        s = sent.text
        found, starts = attr.sentence(s)
        for m in _AMOUNT.finditer(s):
            for start, end, lo, hi in _amounts(m, s):
                substance = tx.named_after(s, end, found) or attr.nearest(found, starts, start, end)
                before = s[max(0, start - 40):start]
                context = "limit" if _LIMIT.search(before) else (
                    "warning" if _WARN.search(tx.clause_before(s, start)) else "stated")
                freq = _FREQ.search(s, end, end + 60)
                unit = m.group("u")
                out.append(DoseMention(
                    text=s[start:end].strip(), start=sent.start + start, sentence=sent.index, amount_mg=lo,
                    amount_high_mg=hi, unit=_UNIT_WORD.get(unit.lower(), unit.lower()), per_kg=bool(m.group("kg")),
                    substance=substance, frequency=freq.group(0).lower() if freq else None,
                    population=_nearest_label(_POP_RE, s[max(0, start - 60):end + 60], min(60, start)),
                    purpose=_nearest_label(_PURPOSE, s[max(0, start - 150):end + 150], min(150, start)),
                    context=context, quote=_quote(s), end=sent.start + end, sentence_text=s))
        attr.advance(found)
    return out


def _quote(s: str, n: int = 300) -> str:
    s = " ".join(s.split())
    return s if len(s) <= n else s[: n - 1] + "…"


def _pk_consequence(dose_mg: float) -> dict | None:
    """Plasma consequence of one oral immediate-release dose from the PK model (None if it is not available)."""
    try:
        from pineal.models import pk  # noqa: F401
    except ImportError:
        return None
    return _pk_run(round(float(dose_mg), 9))


def _typical_night_peak() -> float:
    """The model's night peak of the body's own melatonin (shipped constant, see MODEL_NIGHT_PEAK_PG_ML)."""
    return MODEL_NIGHT_PEAK_PG_ML


@lru_cache(maxsize=64)
def _pk_run(dose_mg: float) -> dict:
    from pineal import exposure as ex
    from pineal.models import pk

    run = pk.simulate([pk.Dose(amount_mg=dose_mg, time_h=0.0, route="oral-ir")], hours=36.0)
    t, c = run.t_h, run.plasma_pg_ml
    cmax, tmax = ex.cmax_tmax(t, c)
    peak = _typical_night_peak()
    return {
        "cmax_pg_ml": _r(cmax[0]), "tmax_min": _r(tmax[0] * 60),
        "t_half_min": _r(ex.apparent_half_life_h(t, c)[0] * 60),
        "auc_pg_h_per_ml": _r(ex.auc_inf(t, c)[0]), "endogenous_night_peak_pg_ml": _r(peak),
        "cmax_fold_endogenous": _r(cmax[0] / peak),
        "hours_above_endogenous_peak": _r(ex.hours_above(t, c, peak)[0]),
        "extrapolated": dose_mg > load().fact("largest_pk_dose").high_mg,
        "model": "pineal.models.pk, oral immediate release, 70 kg 30-year-old adult, fasted",
    }


def _r(x: float, n: int = 4) -> float | None:
    x = float(x)
    return float(f"{x:.{n}g}") if math.isfinite(x) else None


def _sources(keys) -> list[dict]:
    seen, out = set(), []
    for k in keys:
        if k not in seen:
            seen.add(k)
            s = source(k)
            out.append({"key": k, "url": s.url, "grade": s.grade, "short": s.short})
    return out


def _dose_item(group: list[DoseMention], with_pk: bool = True) -> dict:
    """Verdict for one distinct melatonin amount (all its mentions)."""
    ev = load()
    first = group[0]
    top = first.amount_high_mg or first.amount_mg
    adult_mg = top * ADULT_KG if first.per_kg else top
    pops = sorted({d.population for d in group if d.population})
    purposes = sorted({d.purpose for d in group if d.purpose})
    contexts = Counter(d.context for d in group)
    context = contexts.most_common(1)[0][0]
    band = dose_band(adult_mg)
    comparisons = []
    for pid in dict.fromkeys([*purposes, "sleep"]):
        p = ev.purpose(pid)
        if p.high_mg is not None:
            comparisons.append({"purpose": pid, "label": p.label, "studied_range_mg": [p.low_mg, p.high_mg],
                                "ratio_to_studied_max": _r(adult_mg / p.high_mg)})
    worst = max(comparisons, key=lambda c: c["ratio_to_studied_max"])
    sleep = next(c for c in comparisons if c["purpose"] == "sleep")
    keys = list(band.sources)
    parts = [f"{band.id.replace('_', ' ')} band: {band.meaning}"]
    if worst["ratio_to_studied_max"] > 1:
        p = ev.purpose(worst["purpose"])
        parts.append(f"{adult_mg:g} mg is {worst['ratio_to_studied_max']:,g}x the largest dose studied for "
                     f"{p.label} ({p.low_mg:g}-{p.high_mg:g} mg)")
        keys += p.sources
    else:
        parts.append(f"within the {worst['studied_range_mg'][0]:g}-{worst['studied_range_mg'][1]:g} mg studied "
                     f"for {ev.purpose(worst['purpose']).label}")
        keys += ev.purpose(worst["purpose"]).sources
    nightly = ev.fact("endogenous_production")
    if adult_mg > 1:
        parts.append(f"{adult_mg / nightly.high_mg:,.0f}-{adult_mg / nightly.low_mg:,.0f}x what the body makes in a "
                     "night (15-40 µg)")
        keys += nightly.sources
    reports = [r for r in ev.reports if r.dose_mg and adult_mg >= 100 and r.dose_mg >= 0.3 * adult_mg]
    if reports:
        parts.append("closest human data: " + "; ".join(f"{r.setting}: {r.outcome}" for r in reports))
        keys += [k for r in reports for k in r.sources]
    if "immunity_mood_other" in purposes:
        parts.append(ev.purpose("immunity_mood_other").effect)
        keys += ev.purpose("immunity_mood_other").sources
    if "children" in pops:
        child = ev.purpose("children")
        parts.append("children: " + child.effect)
        keys += child.sources + next(p for p in ev.populations if p.id == "children").sources
    if first.per_kg:
        parts.append(f"per-kg dose: {top:g} mg/kg is {top * ADULT_KG:g} mg at {ADULT_KG:g} kg and "
                     f"{top * CHILD_KG:g} mg at {CHILD_KG:g} kg (bands use the {ADULT_KG:g} kg figure)")
    order = ["physiological", "usual", "high", "very_high", "extreme", "overdose_range"]
    rank = order.index(band.id)
    if context == "warning":
        verdict = "supported" if rank >= 3 else "partly supported"
        parts.insert(0, "the text warns against this amount")
    elif worst["ratio_to_studied_max"] <= 1 and rank <= 1:
        verdict = "supported" if "children" not in pops else "partly supported"
    elif rank <= 2:  # high band: past the ~4 mg dose-response peak and the 5 mg jet-lag ceiling
        verdict = "partly supported"
    elif rank == 3:
        verdict = "not supported"
    else:
        verdict = "dangerous"
    if context == "limit":
        parts.insert(0, "stated as an upper limit")
    pk = _pk_consequence(adult_mg) if with_pk else None
    return {
        "text": first.text, "amount_mg": _r(first.amount_mg, 6),
        "amount_high_mg": _r(first.amount_high_mg, 6) if first.amount_high_mg else None,
        "unit": first.unit, "per_kg": first.per_kg, "adult_equivalent_mg": _r(adult_mg, 6),
        "occurrences": len(group), "quotes": list(dict.fromkeys(d.quote for d in group))[:3],
        "frequency": sorted({d.frequency for d in group if d.frequency}), "population": pops,
        "purpose": purposes, "context": context, "band": band.id, "band_level": band.level,
        "comparisons": comparisons, "ratio_to_sleep_max": sleep["ratio_to_studied_max"],
        "verdict": verdict, "evidence": "; ".join(parts) + ".", "sources": _sources(keys),
        "pk": {"dose_mg": _r(adult_mg, 6), **pk} if pk else None,
    }


# --------------------------------------------------------------------------- claims


@dataclass
class Claim:
    topic: str
    label: str
    quote: str
    sentence: int
    negated: bool
    hedged: bool
    verdict: str
    evidence: str
    sources: list[str]
    dose_context_mg: float | None = None
    effects: list[dict] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _topic_res() -> tuple[tuple[Topic, re.Pattern], ...]:
    return tuple((t, re.compile(r"(?<![\w-])(?:" + "|".join(_terms(t)) + r")", re.IGNORECASE)) for t in load().topics)


#: interaction names too generic to signal an interaction claim by themselves
_NOT_A_CLAIM = frozenset({"the pill", "wine", "beer", "spirits", "anticoagulant"})


def _terms(t: Topic) -> list[str]:
    """A topic's terms; the interactions topic also fires on any medicine with a caution- or danger-level entry."""
    if t.id != "interactions":
        return t.terms
    names = {n for i in load().interactions if i.level != "info" for n in i.names} - _NOT_A_CLAIM
    return t.terms + [re.escape(n) + r"\b" for n in sorted(names, key=len, reverse=True)]


@lru_cache(maxsize=1)
def _ae_res():
    return tuple((a, re.compile(r"(?<![\w-])(?:" + "|".join(a.terms) + r")", re.IGNORECASE))
                 for a in load().adverse_effects)


@lru_cache(maxsize=1)
def _drug_re() -> re.Pattern:
    names = sorted({n for i in load().interactions for n in i.names if n != "the pill"}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(n) for n in names) + r")\b", re.IGNORECASE)


def _judge(topic: Topic, s: str, pos: int, neg: bool, dose: float | None, in_sentence: bool,
           safe_denied: bool = False) -> tuple[str, str]:
    if topic.safe_claim and topic.caution_claim:  # children, pregnancy: "safe for kids" vs "ask a doctor"
        safe = min(_SAFE.finditer(s), key=lambda m: abs(m.start() - pos), default=None)  # nearest to the topic
        if _CAUTION.search(s):
            j = topic.caution_claim
        elif safe and not safe_denied:
            j = topic.safe_claim
        else:
            j = topic.negated if neg else topic.asserted
        return j.verdict, j.evidence
    high = not neg and topic.high_dose is not None and dose is not None and dose > topic.high_dose_mg
    if high and (in_sentence or topic.high_dose_scope == "text"):
        return topic.high_dose.verdict, topic.high_dose.evidence.replace("{dose}", f"{dose:g} mg")
    j = topic.negated if neg else topic.asserted
    evidence = j.evidence
    if high:
        evidence += f"; this does not extend to the text's {dose:g} mg"
    if topic.id == "endogenous" and dose is not None and dose > 0.5:
        nightly = load().fact("endogenous_production")
        evidence += (f"; {dose:g} mg is {dose / nightly.high_mg:,.0f}-{dose / nightly.low_mg:,.0f}x that, which "
                     "argues against, not for, such a dose")
    return j.verdict, evidence


_AE_FLIP = {"supported": "not supported", "not supported": "supported"}
#: statement types whose amount is the dose a text is about (claims nearby are judged at it)
_DOSE_CONTEXT_TYPES = frozenset({"recommendation", "product", "anecdote"})


def _paragraph_of(text: str):
    """Paragraph (line) index of a character offset."""
    breaks = [i for i, c in enumerate(text) if c == "\n"]
    return lambda pos: bisect.bisect_left(breaks, pos)


def extract_claims(text: str, doses: list[DoseMention] | None = None, parsed: nlp.Parsed | None = None,
                   types: dict[int, str] | None = None) -> list[Claim]:
    """Health claims about melatonin, each judged at the dose of its own sentence, else its own paragraph, else the
    nearest earlier dose the text recommends; negation and hedging from ConText. Plus one completeness check of
    any side-effect list."""
    text = tx.normalise(text)
    parsed = parsed or nlp.Parsed(tx.mask_urls(text))
    doses = extract_doses(text, parsed) if doses is None else doses
    types = types or {}
    para = _paragraph_of(text)
    mel = [d for d in doses if d.is_melatonin and d.context == "stated"
           and types.get(d.start, "recommendation") in _DOSE_CONTEXT_TYPES]
    by_sentence: dict[int, float] = {}
    by_paragraph: dict[int, float] = {}
    for d in mel:
        mg = (d.amount_high_mg or d.amount_mg) * (ADULT_KG if d.per_kg else 1.0)
        by_sentence[d.sentence] = max(by_sentence.get(d.sentence, 0.0), mg)
        by_paragraph[para(d.start)] = max(by_paragraph.get(para(d.start), 0.0), mg)
    earlier = sorted((d.start, (d.amount_high_mg or d.amount_mg) * (ADULT_KG if d.per_kg else 1.0)) for d in mel)
    starts_mel = [e[0] for e in earlier]
    attr = tx.Attributor(bool(tx.MELATONIN_RE.search(text)))
    # pass 1: candidate claim words (side effects and topics) about melatonin
    cands = []  # (sentence, kind, item, match, safe match or None)
    for sent in parsed.sentences:
        s = sent.text
        found, starts = attr.sentence(s)
        n_before = len(cands)
        if _AE_CUE.search(s):
            for ae, rx in _ae_res():
                m = rx.search(s)
                if m and attr.nearest(found, starts, m.start(), m.end(), prefer_before=True) == tx.MELATONIN:
                    cands.append((sent, "ae", ae, m, None))
        has_ae = len(cands) > n_before
        for topic, rx in _topic_res():
            if has_ae and topic.id in _AE_SHADOWED:
                continue
            m = rx.search(s)
            if not m or attr.nearest(found, starts, m.start(), m.end(), prefer_before=True) != tx.MELATONIN:
                continue
            safe = min(_SAFE.finditer(s), key=lambda x: abs(x.start() - m.start()), default=None) \
                if topic.safe_claim else None
            cands.append((sent, "topic", topic, m, safe))
        attr.advance(found)
        if len(cands) >= MAX_CLAIM_WORDS:
            break
    # ConText modifiers for every candidate (and the "safe" word of safety claims)
    spans = [(c[0].start + c[3].start(), c[0].start + c[3].end()) for c in cands]
    mods = parsed.modifiers(spans) if spans else []
    # the "safe" word of safety claims, in a separate run so that it does not take the topic word's cue; "can't
    # hurt" is itself a safety claim, not a denial
    safe_spans = [(c[0].start + c[4].start(), c[0].start + c[4].end()) for c in cands if c[4] is not None]
    safe_mods = iter([nlp.Modifiers() if re.search(r"n't|not", text[a:b]) else m
                      for (a, b), m in zip(safe_spans, parsed.modifiers(safe_spans), strict=True)]
                     if safe_spans else [])
    # pass 2: judge
    claims: list[Claim] = []
    ae_named: set[str] = set()
    ae_sentences = 0
    effects_of: dict[int, list[dict]] = {}
    for (sent, kind, item, m, safe), mod in zip(cands, mods, strict=True):
        s = sent.text
        neg = mod.negated
        if kind == "ae":
            verdict = _AE_FLIP.get(item.verdict, item.verdict) if neg else item.verdict
            effects_of.setdefault(sent.index, []).append(
                {"effect": item.id, "name": item.name, "said": m.group(0), "negated": neg, "verdict": verdict,
                 "evidence": item.frequency, "sources": _sources(item.sources)})
            if not neg:
                ae_named.add(item.id)
            continue
        if sent.index in effects_of and not any(c.sentence == sent.index and c.topic == "side_effects"
                                                for c in claims):
            ae_sentences += 1
            claims.append(_side_effect_claim(s, sent.index, effects_of[sent.index]))
        pos = sent.start + m.start()
        dose = by_sentence.get(sent.index, by_paragraph.get(para(pos)))
        if dose is None:
            i = bisect.bisect_right(starts_mel, pos)
            dose = earlier[i - 1][1] if i else None
        safe_denied = False
        if safe is not None:  # denied by its own cue, or by a cue of the topic word that contains it ("is not safe")
            safe_denied = next(safe_mods).negated or (neg and any(safe.group(0).lower() in c for c in mod.cues))
        verdict, evidence = _judge(item, s, m.start(), neg, dose, sent.index in by_sentence, safe_denied)
        claims.append(Claim(item.id, item.label, _quote(s), sent.index, neg, mod.uncertain or mod.hypothetical,
                            verdict, evidence, item.sources, dose))
    for index, effects in effects_of.items():
        if not any(c.sentence == index and c.topic == "side_effects" for c in claims):
            ae_sentences += 1
            claims.append(_side_effect_claim(parsed.sentences[index].text, index, effects))
    if ae_sentences:
        claims.append(_completeness(ae_named, bool(_drug_re().search(text))))
    return claims


def _side_effect_claim(s: str, index: int, effects: list[dict]) -> Claim:
    verdicts = {e["verdict"] for e in effects}
    if verdicts <= {"supported"}:
        verdict = "supported"
    elif "supported" in verdicts or "partly supported" in verdicts:
        verdict = "partly supported"
    elif verdicts <= {"insufficient evidence"}:
        verdict = "insufficient evidence"
    else:
        verdict = "not supported"
    text = "; ".join(f"{e['name']}: {e['verdict']}" for e in effects)
    keys = [k["key"] for e in effects for k in e["sources"]]
    return Claim("side_effects", "side effects named", _quote(s), index, False, False, verdict, text,
                 list(dict.fromkeys(keys)), effects=effects)


def _completeness(named: set[str], names_drug: bool) -> Claim:
    ev = load()
    key_effects = [a for a in ev.adverse_effects if a.key]
    missing = [a.id for a in key_effects if a.id not in named]
    if not names_drug:
        missing.append("interactions")
    parts = []
    for a in key_effects:
        if a.id in missing:
            parts.append(f"omits {a.name} ({a.frequency})")
    if "interactions" in missing:
        parts.append("names no interacting medicine: fluvoxamine (AUC x17), hypnotics, alcohol, warfarin, nifedipine")
    verdict = "partly supported" if missing else "supported"
    evidence = ("the side-effect list is incomplete: " + "; ".join(parts)) if missing else \
        "the side-effect list covers somnolence, hypothermia and named interactions"
    keys = [k for a in key_effects for k in a.sources] + ["circadin_rx_precautions", "harter2000"]
    return Claim("side_effect_list", "completeness of the side-effect list", "", -1, False, False, verdict,
                 evidence, keys, missing=missing)


# --------------------------------------------------------------------------- report

_RANK = {"dangerous": 0, "not supported": 1, "insufficient evidence": 2, "partly supported": 3, "supported": 4}


#: sentences about melatonin that make a health-type statement the topics do not cover
_CLAIM_VERB = re.compile(r"\b(?:helps?|improves?|reduces?|boosts?|prevents?|treats?|cures?|causes?|works?|"
                         r"effective|benefits?|protects?|supports?|increases?|decreases?|lowers?|raises?)\b", re.I)
MAX_NOT_ASSESSED = 20
#: at most this many dose mentions and claim words are read one by one (ConText, statement type); a longer text's
#: further mentions still count in `doses` and are reported as not listed
MAX_MENTIONS = 300
MAX_CLAIM_WORDS = 300


def _mention_item(d: DoseMention, mod: nlp.Modifiers, previous: str) -> dict:
    """One melatonin dose mention with its statement type and its own verdict (statements.assess)."""
    s = d.sentence_text
    lo = d.amount_mg * (ADULT_KG if d.per_kg else 1.0)
    top = (d.amount_high_mg or d.amount_mg) * (ADULT_KG if d.per_kg else 1.0)
    start, end = d.start - (d.start - d.start), d.end
    rel = s.find(d.text) if s.find(d.text) >= 0 else 0
    a = st.assess(s, rel, rel + len(d.text), lo, top, mod, previous)
    return {
        "text": d.text, "start": start, "end": end, "amount_mg": _r(d.amount_mg, 6),
        "amount_high_mg": _r(d.amount_high_mg, 6) if d.amount_high_mg else None, "unit": d.unit,
        "per_kg": d.per_kg, "adult_equivalent_mg": _r(top, 6), "quote": _quote(s, 400),
        "statement_type": a.statement_type, "population": a.population or d.population, "purpose": d.purpose,
        "frequency": d.frequency, "modifiers": mod.as_dict(), "cues": list(mod.cues), "band": dose_band(top).id,
        "verdict": a.verdict, "reason": a.reason + ".", "sources": _sources(a.sources),
    }


def _rating(mentions: list[dict], claims: list[dict]) -> dict:
    """Share of assessed statements per verdict and one overall rating of the text."""
    verdicts = [m["verdict"] for m in mentions if m["verdict"] != st.NOT_ASSESSED]
    verdicts += [c["verdict"] for c in claims if c["topic"] != "side_effect_list"]
    n = len(verdicts)
    counts = Counter(verdicts)
    shares = {v: round(counts.get(v, 0) / n, 3) if n else 0.0 for v in _RANK}
    if not n:
        rating = "nothing to assess"
    elif counts.get("dangerous"):
        rating = "harmful"
    elif shares["supported"] + shares["partly supported"] >= 0.75 and shares["not supported"] <= 0.1:
        rating = "mostly supported"
    elif shares["supported"] + shares["partly supported"] >= 0.5:
        rating = "mixed"
    else:
        rating = "mostly not supported"
    return {"statements": n, "counts": {v: counts.get(v, 0) for v in _RANK}, "shares": shares, "rating": rating}


def check(text) -> dict:
    """The claim-check report for ``text`` as one JSON-ready dict (schema: docs/check-json.md)."""
    text = tx.normalise(tx.validate(text))
    parsed = nlp.Parsed(tx.mask_urls(text))
    doses = extract_doses(text, parsed)
    mel = [d for d in doses if d.is_melatonin]
    listed = mel[:MAX_MENTIONS]
    mods = parsed.modifiers([(d.start, d.end) for d in listed]) if listed else []
    mentions = []
    for d, mod in zip(listed, mods, strict=True):
        prev = parsed.sentences[d.sentence - 1].text if d.sentence > 0 else ""
        mentions.append(_mention_item(d, mod, prev))
    groups: dict[tuple, list[DoseMention]] = {}
    for d in mel:
        groups.setdefault((d.amount_mg, d.amount_high_mg, d.per_kg), []).append(d)
    dose_items = []
    for i, group in enumerate(groups.values()):
        dose_items.append(_dose_item(group, with_pk=i < MAX_PK))
    dose_items.sort(key=lambda d: -d["adult_equivalent_mg"])
    types = {m["start"]: m["statement_type"] for m in mentions}
    merged: dict[tuple, dict] = {}
    extracted = extract_claims(text, doses, parsed, types)
    for c in extracted:
        k = (c.topic, c.negated, c.verdict, c.sentence)
        if k in merged:
            merged[k]["occurrences"] += 1
            continue
        merged[k] = {"topic": c.topic, "label": c.label, "negated": c.negated, "hedged": c.hedged,
                     "verdict": c.verdict, "evidence": c.evidence, "dose_context_mg": c.dose_context_mg,
                     "occurrences": 1, "quotes": [c.quote] if c.quote else [], "sources": _sources(c.sources),
                     "effects": c.effects, "missing": c.missing}
    claims = sorted(merged.values(), key=lambda c: (_RANK[c["verdict"]], c["topic"]))
    not_assessed = [{"quote": m["quote"], "why": "a question, not a statement"} for m in mentions
                    if m["verdict"] == st.NOT_ASSESSED]
    judged = {c.sentence for c in extracted} | {d.sentence for d in mel}
    for sent in parsed.sentences:
        if len(not_assessed) >= MAX_NOT_ASSESSED:
            break
        if sent.index not in judged and tx.MELATONIN_RE.search(sent.text) and _CLAIM_VERB.search(sent.text):
            why = "a question, not a statement" if sent.text.strip().endswith("?") else \
                "a statement about melatonin outside the evidence base's claim topics"
            not_assessed.append({"quote": _quote(sent.text, 400), "why": why})
    others = Counter((d.substance or "unknown", d.text) for d in doses if not d.is_melatonin)
    verdicts = Counter(c["verdict"] for c in claims)
    largest = max((d["adult_equivalent_mg"] for d in dose_items), default=None)
    headline = _headline(dose_items, claims)
    if largest is not None:
        top = [m for m in mentions if m["adult_equivalent_mg"] == largest]
        if top and all(m["statement_type"] == "warning" for m in top):
            headline = headline.rstrip(".") + f" (the text warns against {largest:g} mg)."
    rating = _rating(mentions, claims)
    return {
        "mentions": mentions,
        "doses": dose_items,
        "claims": claims,
        "not_assessed": not_assessed,
        "summary": {
            "melatonin_doses": len(dose_items), "mentions": len(mentions),
            "mentions_not_listed": len(mel) - len(listed), "largest_dose_mg": largest,
            "dangerous_doses": sum(d["verdict"] == "dangerous" for d in dose_items),
            "claims": len(claims), "verdicts": dict(verdicts),
            "other_substance_doses": [{"substance": s, "text": t, "occurrences": n} for (s, t), n in others.items()],
            "rating": rating, "headline": headline + f" Overall: {rating['rating']}.",
        },
        "disclaimer": DISCLAIMER,
    }


def _headline(doses: list[dict], claims: list[dict]) -> str:
    if not doses and not claims:
        return "No melatonin doses or health claims about melatonin were found."
    bits = []
    if doses:
        d = doses[0]
        bits.append(f"largest melatonin dose {d['adult_equivalent_mg']:g} mg ({d['band'].replace('_', ' ')}, "
                    f"{d['ratio_to_sleep_max']:g}x the largest dose studied for sleep): {d['verdict']}")
    bad = [c["label"] for c in claims if c["verdict"] in ("dangerous", "not supported")]
    if bad:
        bits.append(f"{len(bad)} claim(s) not supported or dangerous")
    return "; ".join(bits) + "."
