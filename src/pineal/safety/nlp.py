"""Sentences and ConText modifiers for the claim check, on spaCy + medspaCy (a blank English pipeline, no model).

* Sentences: spaCy's rule-based ``sentencizer``, plus a break after every line break (web texts put list items,
  headings and table cells on their own lines without a full stop).
* Targets: the checker's own spans (dose amounts, claim words) are set as the doc's entities.
* Modifiers: medspaCy's ConText (Harkema et al. 2009, J Biomed Inform 42:839) with its default English rules plus
  the cues of ``evidence/context.toml`` (advice against, "hasn't been shown to", "should not be given", ...). Each
  target gets five flags: negated, uncertain, hypothetical, historical, other experiencer.

The libraries' own logging is silenced: ``medspacy`` / ``PyRuSH`` log at debug level through logging and loguru.
"""

from __future__ import annotations

import bisect
import logging
import tomllib
import warnings
from dataclasses import dataclass
from functools import cache
from importlib import resources

#: ConText categories -> the flag names of the report
#: default ConText cues that misfire on web texts ("drug-free", "alcohol-free" are not denials)
IGNORED_CUES = frozenset({"free", "-free"})
FLAGS = {"NEGATED_EXISTENCE": "negated", "POSSIBLE_EXISTENCE": "uncertain", "HYPOTHETICAL": "hypothetical",
         "HISTORICAL": "historical", "FAMILY": "other_experiencer"}


@dataclass(frozen=True)
class Sentence:
    index: int
    start: int
    text: str


@dataclass(frozen=True)
class Modifiers:
    negated: bool = False
    uncertain: bool = False
    hypothetical: bool = False
    historical: bool = False
    other_experiencer: bool = False
    cues: tuple[str, ...] = ()

    def as_dict(self) -> dict:
        return {"negated": self.negated, "uncertain": self.uncertain, "hypothetical": self.hypothetical,
                "historical": self.historical, "other_experiencer": self.other_experiencer}


def _quiet() -> None:
    for name in ("medspacy", "PyRuSH", "spacy", "quickumls"):
        logging.getLogger(name).setLevel(logging.WARNING)
    try:
        from loguru import logger

        logger.disable("PyRuSH")
        logger.disable("medspacy")
    except ImportError:  # loguru comes with PyRuSH; nothing to silence without it
        pass


def context_rules() -> list[dict]:
    """pineal's own ConText cues (evidence/context.toml)."""
    raw = resources.files("pineal.safety").joinpath("evidence", "context.toml").read_text("utf-8")
    return tomllib.loads(raw)["rule"]


@cache
def pipeline():
    """The blank spaCy pipeline with sentence splitting and medspaCy's ConText (built once per process)."""
    _quiet()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            import medspacy  # noqa: F401  (registers the medspacy_* factories)
            import spacy
            from medspacy.context import ConTextRule
            from spacy.language import Language
        except ImportError as exc:
            raise ImportError(f"pineal check needs spaCy and medspaCy ({exc}); on Python < 3.12 install them with "
                              "`pip install medspacy==1.3.1 && pip install 'spacy>=3.8,<3.9' 'numpy>=2.0.2'` "
                              "(medspaCy's metadata pins an older spaCy there; see README)") from exc

    if not Language.has_factory("pineal_line_breaks"):
        @Language.component("pineal_line_breaks")
        def _line_breaks(doc):
            for tok in doc[:-1]:
                if ("\n" in tok.text_with_ws and not tok.is_space) or (tok.is_space and "\n" in tok.text):
                    doc[tok.i + 1].is_sent_start = True
            return doc

    nlp = spacy.blank("en")
    nlp.max_length = 2_000_001
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("pineal_line_breaks")
    context = nlp.add_pipe("medspacy_context", config={"rules": "default"})
    context.add([ConTextRule(r["literal"], r["category"], direction=r["direction"], pattern=r.get("pattern"),
                             max_scope=r.get("max_scope"), allowed_types=None)
                 for r in context_rules()])
    return nlp


#: longer "sentences" (no punctuation) are cut at whitespace into pieces of at most this many characters
MAX_SENTENCE = 2000


def spacy_safe(text: str) -> str:
    """``text`` with unpaired surrogate code points (not encodable as UTF-8, which spaCy requires) replaced by
    U+FFFD, one character for one, so character offsets stay those of the original text."""
    from pineal.safety.text import SURROGATE

    return SURROGATE.sub("\ufffd", text)


class Parsed:
    """One text: its sentences, and ConText modifiers for any character spans in it.

    ConText runs sentence by sentence (its cues never cross a sentence), so the cost stays linear in the text.
    """

    def __init__(self, text: str):
        nlp = pipeline()
        self.text = text
        doc = nlp.make_doc(spacy_safe(text))
        for name in ("sentencizer", "pineal_line_breaks"):
            doc = nlp.get_pipe(name)(doc)
        self.sentences: list[Sentence] = []
        for sent in doc.sents:
            start, seg = sent.start_char, sent.text
            while len(seg) > MAX_SENTENCE:
                cut = seg.rfind(" ", MAX_SENTENCE // 2, MAX_SENTENCE)
                cut = cut if cut > 0 else MAX_SENTENCE
                if seg[:cut].strip():
                    self.sentences.append(Sentence(len(self.sentences), start, seg[:cut]))
                seg, start = seg[cut:], start + cut
            if seg.strip():
                self.sentences.append(Sentence(len(self.sentences), start, seg))
        self._starts = [s.start for s in self.sentences]

    def sentence_at(self, pos: int) -> Sentence:
        return self.sentences[max(0, bisect.bisect_right(self._starts, pos) - 1)]

    def modifiers(self, spans: list[tuple[int, int]]) -> list[Modifiers]:
        """ConText flags for each (start, end) character span of the text."""
        by_sentence: dict[int, list[int]] = {}
        for i, (a, _) in enumerate(spans):
            by_sentence.setdefault(self.sentence_at(a).index, []).append(i)
        out = [Modifiers()] * len(spans)
        for index, members in by_sentence.items():
            sent = self.sentences[index]
            for i, mods in zip(members, _sentence_modifiers(sent.text, [(spans[i][0] - sent.start,
                                                                         spans[i][1] - sent.start)
                                                                        for i in members]), strict=True):
                out[i] = mods
        return out


def _sentence_modifiers(text: str, spans: list[tuple[int, int]]) -> list[Modifiers]:
    """ConText flags for spans of one sentence; overlapping targets are judged in further rounds."""
    from spacy.tokens import Span
    from spacy.util import filter_spans

    nlp = pipeline()
    context = nlp.get_pipe("medspacy_context")
    doc = nlp.make_doc(spacy_safe(text))
    if len(doc):
        doc[0].is_sent_start = True  # one sentence
        for tok in doc[1:]:
            tok.is_sent_start = False
    out: list[Modifiers | None] = [None] * len(spans)
    todo = list(range(len(spans)))
    while todo:
        chosen: dict[tuple[int, int], list[int]] = {}
        ents = []
        for i in todo:
            span = doc.char_span(max(0, spans[i][0]), min(len(text), spans[i][1]), label="TARGET",
                                 alignment_mode="expand")
            if span is None or not len(span):
                out[i] = Modifiers()
                continue
            ents.append(span)
            chosen.setdefault((span.start, span.end), []).append(i)
        kept = filter_spans(ents)
        if not kept:
            break
        doc.ents = [Span(doc, s.start, s.end, label="TARGET") for s in kept]
        doc = context(doc)
        for ent in doc.ents:
            used = [m for m in ent._.modifiers if m.category in FLAGS
                    and doc[m.modifier_span[0]:m.modifier_span[1]].text.lower() not in IGNORED_CUES]
            flags = {FLAGS[m.category]: True for m in used}
            cues = tuple(sorted({doc[m.modifier_span[0]:m.modifier_span[1]].text.lower() for m in used}))
            for i in chosen.get((ent.start, ent.end), []):
                out[i] = Modifiers(**flags, cues=cues)
        todo = [i for i in todo if out[i] is None]
    return [m or Modifiers() for m in out]
