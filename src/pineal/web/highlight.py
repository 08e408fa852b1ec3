"""The check page's view of a report: the text cut into plain and highlighted pieces, one per quoted sentence.

Reads only the stable basics of the check report (each dose's and claim's ``quotes``, ``verdict`` and
``sources``), so the page follows the claim check as it changes.
"""

from __future__ import annotations

from typing import Any

#: characters the claim check normalises, one for one (so positions in the normalised text are positions here)
_SAME_LENGTH = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u00a0": " "})
_RANK = {"dangerous": 0, "not supported": 1, "insufficient evidence": 2, "partly supported": 3, "supported": 4}


def items(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every dose and claim of the report as one list: id, kind, title, verdict, evidence, quotes, sources."""
    out = []
    for d in report.get("doses", []):
        out.append({"kind": "dose", "title": d.get("text", ""), "verdict": d.get("verdict", ""),
                    "evidence": d.get("evidence", ""), "quotes": d.get("quotes") or [],
                    "sources": d.get("sources", [])})
    for c in report.get("claims", []):
        title = ("denied: " if c.get("negated") else "") + c.get("label", c.get("topic", ""))
        out.append({"kind": "claim", "title": title, "verdict": c.get("verdict", ""), "evidence": c.get("evidence", ""),
                    "quotes": c.get("quotes") or [], "sources": c.get("sources", [])})
    for i, it in enumerate(out, start=1):
        it["id"] = f"item-{i}"
        it["css"] = "v-" + it["verdict"].replace(" ", "-")
    return out


def segments(text: str, report: dict[str, Any]) -> list[dict[str, Any]]:
    """``text`` as consecutive pieces; a piece that is a quoted sentence carries its items' verdict and ids.

    Each quote is marked at its first occurrence; overlapping quotes merge into one mark with the worst verdict.
    """
    haystack = text.translate(_SAME_LENGTH)
    spans: list[tuple[int, int, dict]] = []
    for it in items(report):
        for q in it["quotes"]:
            q = q.strip()
            pos = haystack.find(q.translate(_SAME_LENGTH)) if q else -1
            if pos >= 0:
                spans.append((pos, pos + len(q), it))
    spans.sort(key=lambda s: (s[0], -s[1]))
    merged: list[list] = []
    for start, end, it in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2].append(it)
        else:
            merged.append([start, end, [it]])
    out, at = [], 0
    for start, end, its in merged:
        if start > at:
            out.append({"text": text[at:start]})
        worst = min(its, key=lambda it: _RANK.get(it["verdict"], 9))
        out.append({"text": text[start:end], "verdict": worst["verdict"], "css": worst["css"],
                    "ids": [it["id"] for it in its]})
        at = end
    if at < len(text):
        out.append({"text": text[at:]})
    return out
