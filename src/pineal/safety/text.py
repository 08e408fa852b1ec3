"""Text plumbing for the claim check: input limits, substance mentions and their attribution, web addresses.

Sentences, negation and hedging come from spaCy + medspaCy (safety/nlp.py). Attribution looks up the nearest
substance mention by bisection, so it stays linear in the text length.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import cache

from pineal.errors import InputError
from pineal.safety.evidence import load

#: largest text `pineal check` accepts (UTF-8 bytes)
MAX_BYTES = 1_000_000
TEXT_ALLOWED = "non-empty UTF-8 text of at most 1 MB (1,000,000 bytes)"

MELATONIN = "melatonin"
MELATONIN_RE = re.compile(r"\bmelatonin\w*|\bsleep hormone\b", re.IGNORECASE)
#: common substances other than melatonin that texts dose alongside it (interaction drugs are added at load)
OTHER_SUBSTANCES = (
    r"vitamin\s?[a-k]\d{0,2}", "magnesium", "zinc", "iron", "calcium", "potassium", "caffeine", "cbd",
    "cannabidiol", "thc", "l-theanine", "theanine", "valerian(?: root)?", "gaba", "5-htp", "l-tryptophan",
    "tryptophan", "glycine", "ashwagandha", "chamomile", "lavender", "omega-3", "fish oil", "ibuprofen",
    "paracetamol", "acetaminophen", "aspirin", "diphenhydramine", "doxylamine", "benadryl", "unisom",
    "passionflower", "lemon balm", "kava", "st\\.? john'?s wort", "b-complex", "folic acid", "biotin",
    "collagen", "creatine", "protein", "sugar", "sodium", "salt", "probiotics?", "turmeric", "curcumin",
    "quercetin", "elderberry", "echinacea", "coq10", "nac", "n-acetylcysteine",
)
#: words after "of" that refer back to the text's subject rather than naming a new substance
GENERIC = frozenset(
    "it this that these those the a an your our their his her its my one them dose doses tablet tablets capsule "
    "capsules pill pills gummy gummies supplement supplements hormone product products drug medication medicine "
    "compound solution liquid spray serving servings".split())

_CLAUSE = re.compile(r"[,;:()]|\bbut\b|\bwhile\b|\balthough\b|\bhowever\b|\bwhereas\b|\bthough\b", re.IGNORECASE)


def normalise(text: str) -> str:
    """Straight quotes and dashes, so patterns need only one spelling."""
    return (text.replace("\u2019", "'").replace("\u2018", "'").replace("\u201c", '"').replace("\u201d", '"')
            .replace("\u00a0", " "))


#: unpaired surrogate code points: possible in a Python str or a JSON escape, not encodable as UTF-8
SURROGATE = re.compile("[\ud800-\udfff]")


def validate(text, field: str = "text") -> str:
    """The text, or InputError if it is not non-empty, readable, at most MAX_BYTES."""
    if isinstance(text, bytes):
        text = decode(text, field)
    if not isinstance(text, str):
        raise InputError(field, type(text).__name__, TEXT_ALLOWED)
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        raise InputError(field, f"{len(text.encode('utf-8', 'surrogatepass')):,} bytes", TEXT_ALLOWED, "too large")
    if not text.strip():
        raise InputError(field, text[:20], TEXT_ALLOWED, "empty")
    if "\x00" in text:
        raise InputError(field, "binary data", TEXT_ALLOWED, "contains NUL bytes, so it is not text")
    bad = SURROGATE.search(text)
    if bad is not None:
        raise InputError(field, f"character {bad.start()}: U+{ord(bad.group()):04X}", TEXT_ALLOWED,
                         "an unpaired surrogate code point, so it is not valid Unicode text")
    return text


def decode(data: bytes, field: str = "file") -> str:
    """Bytes of a text file -> str; InputError for binary or non-UTF-8 data."""
    if len(data) > MAX_BYTES:
        raise InputError(field, f"{len(data):,} bytes", TEXT_ALLOWED, "too large")
    if b"\x00" in data:
        raise InputError(field, "binary data", TEXT_ALLOWED, "contains NUL bytes, so it is not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(field, "undecodable bytes", TEXT_ALLOWED, f"not UTF-8 ({exc.reason})") from None


@cache
def _other_re() -> re.Pattern:
    names = list(OTHER_SUBSTANCES)
    for inter in load().interactions:
        names += [re.escape(n) for n in inter.names if len(n) > 3 and n not in ("the pill",)]
    names.sort(key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(names) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    substance: str


def mentions(sentence: str) -> list[Mention]:
    """Substance mentions in a sentence, sorted by position (melatonin or another substance)."""
    found = [Mention(m.start(), m.end(), MELATONIN) for m in MELATONIN_RE.finditer(sentence)]
    found += [Mention(m.start(), m.end(), m.group(0).lower()) for m in _other_re().finditer(sentence)]
    return sorted(found, key=lambda x: x.start)


_AFTER = re.compile(r"\s*(?:(?:dose|doses|tablets?|capsules?|pills?|gummies|gummy|servings?|supplements?)\s+)?"
                    r"of\s+(?:the\s+|your\s+|a\s+|an\s+|this\s+)?([A-Za-z][\w-]*)|\s+([A-Za-z][\w-]*)")


def named_after(sentence: str, end: int, found: list[Mention]) -> str | None:
    """The substance named right after an amount ('500 mg of magnesium', '1000 mg vitamin C'), if any."""
    m = _AFTER.match(sentence, end)
    if not m:
        return None
    start = m.start(1) if m.group(1) else m.start(2)
    for men in found:
        if men.start == start:
            return men.substance
    word = (m.group(1) or "").lower()
    if word and word not in GENERIC:
        return word  # "of <something else>": an unlisted substance
    return None


#: punctuation between an amount and a substance name that makes the name belong elsewhere
_SEP = re.compile(r"[;,]")
_SEP_AFTER = re.compile(r"[;,:]")


def sentence_gap(s: str, a: int, b: int) -> str:
    """The text between two positions (bounded, so attribution stays cheap)."""
    return s[a:min(b, a + 200)]


class Attributor:
    """Which substance an amount or a claim at a position belongs to (nearest mention in the sentence)."""

    def __init__(self, text_mentions_melatonin: bool):
        self.context = MELATONIN if text_mentions_melatonin else None
        self._s = ""

    def sentence(self, sentence: str) -> tuple[list[Mention], list[int]]:
        self._s = sentence
        found = mentions(sentence)
        return found, [m.start for m in found]

    def nearest(self, found: list[Mention], starts: list[int], start: int, end: int,
                prefer_before: bool = False) -> str | None:
        if not found:
            return self.context
        i = bisect.bisect_left(starts, start)
        before = found[i - 1] if i > 0 else None
        after = found[i] if i < len(found) else None
        if prefer_before and before is not None:
            return before.substance
        if before is None:
            return after.substance if after else self.context
        if after is None:
            return before.substance
        gap_before = start - before.end + (50 if _SEP.search(sentence_gap(self._s, before.end, start)) else 0)
        gap_after = after.start - end + (50 if _SEP_AFTER.search(sentence_gap(self._s, end, after.start)) else 0)
        return before.substance if gap_before <= gap_after else after.substance

    def advance(self, found: list[Mention]) -> None:
        """Carry the last substance of a sentence into the next ones (for 'take 3 mg before bed')."""
        if found:
            self.context = found[-1].substance


def clause_before(sentence: str, pos: int) -> str:
    """The clause of ``sentence`` that ends at ``pos``."""
    last = 0
    lo = max(0, pos - 300)
    for m in _CLAUSE.finditer(sentence, lo, pos):
        last = m.end()
    return sentence[max(last, lo):pos]


_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


def mask_urls(text: str) -> str:
    """The text with web addresses blanked out (same length, so offsets stay valid): '...-20-mg-...' in a URL is
    not a dose."""
    return _URL.sub(lambda m: " " * len(m.group(0)), text)
