"""Score the claim check against the hand-labelled corpus (tests/data/articles/labelled_corpus.json).

Per labelled dose mention: was it found (an extracted melatonin amount with the same low end, nearest the
labelled words), and does the checker's verdict for that mention agree with the hand verdict? Run as a script for
the table: ``python tests/safety/corpus_scoring.py``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

ARTICLES = Path(__file__).parents[1] / "data" / "articles"
CORPUS = ARTICLES / "labelled_corpus.json"
#: the labels' vocabulary -> the checker's
VOCAB = {"harmful": "dangerous", "insufficient": "insufficient evidence"}


@dataclass
class Found:
    start: int
    amount_mg: float
    verdict: str


@dataclass
class Score:
    labelled: int = 0
    found: int = 0
    agree: int = 0
    extracted: int = 0
    misses: list = field(default_factory=list)

    def add(self, other: Score) -> None:
        self.labelled += other.labelled
        self.found += other.found
        self.agree += other.agree
        self.extracted += other.extracted
        self.misses += other.misses

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.found / self.extracted if self.extracted else 1.0

    @property
    def agreement(self) -> float:
        return self.agree / self.labelled if self.labelled else 1.0


def corpus() -> dict:
    return json.loads(CORPUS.read_text(encoding="utf-8"))


def label_verdicts(v: str) -> set[str]:
    return {VOCAB.get(p.strip(), p.strip()) for p in v.split(";")}


def _position(text: str, label: str) -> int | None:
    frag = label.split("...")[0].strip().lower()
    i = text.lower().find(frag)
    return i if i >= 0 else None


def score_article(text: str, labels: list[dict], found: list[Found]) -> Score:
    s = Score(labelled=len(labels), extracted=len(found))
    used: set[int] = set()
    for lab in labels:
        pos = _position(text, lab["text"])
        cands = [i for i, f in enumerate(found) if i not in used and abs(f.amount_mg - lab["amount_mg"]) <= 1e-3 * max(
            1.0, lab["amount_mg"]) + 2e-3]
        if not cands:
            s.misses.append((lab["text"], "not found", lab["verdict"]))
            continue
        best = min(cands, key=lambda i: abs(found[i].start - pos) if pos is not None else found[i].start)
        used.add(best)
        s.found += 1
        if found[best].verdict in label_verdicts(lab["verdict"]):
            s.agree += 1
        else:
            s.misses.append((lab["text"], found[best].verdict, lab["verdict"]))
    return s


def score(mentions_of, which: str = "all") -> tuple[Score, dict[str, Score]]:
    """``mentions_of(text) -> list[Found]``; ``which``: all, tuning or held_out."""
    c = corpus()
    held = set(c["held_out"])
    total, per = Score(), {}
    for art in c["articles"]:
        if (which == "held_out" and art["file"] not in held) or (which == "tuning" and art["file"] in held):
            continue
        text = (ARTICLES / art["file"]).read_text(encoding="utf-8")
        s = score_article(text, art["doses"], mentions_of(text))
        per[art["file"]] = s
        total.add(s)
    return total, per


def new_mentions(text: str) -> list[Found]:
    import pineal

    return [Found(m["start"], m["amount_mg"], m["verdict"]) for m in pineal.check(text)["mentions"]]


if __name__ == "__main__":
    import sys

    for which in ("tuning", "held_out", "all"):
        total, per = score(new_mentions, which)
        print(f"{which:9s} agreement {total.agreement:6.1%}  recall {total.recall:6.1%}  precision "
              f"{total.precision:6.1%}  ({total.agree}/{total.labelled} agree, {total.found} found, "
              f"{total.extracted} extracted)")
        if "-v" in sys.argv and which != "all":
            for f, s in per.items():
                for miss in s.misses:
                    print(f"   {f[:28]:28s} {miss[0][:60]!r:64s} got {miss[1]!r} want {miss[2]!r}")
