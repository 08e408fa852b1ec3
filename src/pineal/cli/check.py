"""`pineal check TEXT | --file F [--json]`: doses and health claims in a text, each with a verdict and sources."""

from __future__ import annotations

import json
import sys
import textwrap
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from pineal.errors import InputError
from pineal.limits import check_input_file

VERDICT_STYLE = {"dangerous": "bold red", "not supported": "red", "insufficient evidence": "yellow",
                 "partly supported": "cyan", "supported": "green", "not assessed": "dim"}


def read_text_file(path: str) -> str:
    """A text file's content; InputError for missing, oversized, binary or non-UTF-8 files."""
    from pineal.safety import text as tx

    if path == "-":
        return tx.decode(sys.stdin.buffer.read(tx.MAX_BYTES + 1), "file")
    p = check_input_file(path, "file", "an existing, readable text file (or '-' for standard input)", tx.MAX_BYTES)
    try:
        with p.open("rb") as fh:
            data = fh.read(tx.MAX_BYTES + 1)
    except OSError as err:  # unreadable: permissions, a device, /proc files
        raise InputError("file", path, "an existing, readable text file (or '-' for standard input)",
                         err.strerror) from None
    return tx.decode(data, "file")


def register(app: typer.Typer) -> None:
    @app.command()
    def check(
        text: Annotated[str | None, typer.Argument(help="The text to check (or use --file).")] = None,
        file: Annotated[str | None, typer.Option("--file", "-f", help="A UTF-8 text file ('-' = stdin).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one stable JSON object.")] = False,
    ) -> None:
        """Every melatonin dose and health claim in a text, judged against the cited evidence. Not medical advice."""
        from pineal.safety.claims import check as run

        if (text is None) == (file is None):
            raise InputError("input", "both" if text else "none", "either TEXT or --file FILE, not both")
        report = run(read_text_file(file) if file is not None else text)
        if as_json:
            typer.echo(json.dumps(report, indent=2, ensure_ascii=False))
        else:
            print_report(report, Console())


def _v(verdict: str) -> str:
    style = VERDICT_STYLE.get(verdict, "dim")
    return f"[{style}]{verdict}[/]"


#: at most this many sources per statement in the human view (all of them are in --json)
MAX_SOURCES = 3


def _wrap(text: str, width: int, indent: str = "   ") -> str:
    """Word-wrapped text (never breaks inside a word unless it is longer than a line), escaped: user text is
    never read as rich markup."""
    return escape(textwrap.fill(" ".join(text.split()), width=width, initial_indent=indent, subsequent_indent=indent,
                         break_long_words=True, break_on_hyphens=False))


def _sources(sources: list[dict], width: int) -> list[str]:
    lines = []
    for src in sources[:MAX_SOURCES]:
        lines.append(_wrap(f"- {src['short']} [{src['grade']}] {src['url']}", width, "     "))
    if len(sources) > MAX_SOURCES:
        lines.append(_wrap(f"(+{len(sources) - MAX_SOURCES} more in --json)", width, "     "))
    return lines


def print_report(report: dict, console: Console) -> None:
    """The human view of a check report: one block per statement, wrapped at words, at most 100 columns."""
    width = max(40, min(console.width or 80, 100))
    out = console.print
    summ = report["summary"]
    rating = summ["rating"]
    out(_wrap(f"pineal check: {summ['headline']}", width, ""), highlight=False)
    if rating["statements"]:
        shares = ", ".join(f"{rating['counts'][v]} {v}" for v in rating["counts"] if rating["counts"][v])
        out(_wrap(f"Overall rating: {rating['rating']} ({rating['statements']} statements: {shares})", width, ""),
            highlight=False)
    out(_wrap(report["disclaimer"], width, ""), style="dim", highlight=False)
    mentions = report["mentions"]
    out(f"\n[bold]Dose statements ({len(mentions)})[/]" if mentions else "\nNo melatonin doses found.")
    for i, m in enumerate(mentions, 1):
        who = f", {m['population'].replace('_', ' ')}" if m["population"] else ""
        flags = [k.replace("_", " ") for k, v in m["modifiers"].items() if v]
        head = f"{i}. {m['text']}: {m['statement_type'].replace('_', ' ')}{who}"
        out(_wrap(head, width, " "), highlight=False, end="")
        out(" -> " + _v(m["verdict"]), highlight=False)
        out(_wrap(f'"{m["quote"]}"', width), style="italic", highlight=False)
        if flags:
            out(_wrap("read as: " + ", ".join(flags) + f" (cue: {', '.join(m['cues'])})", width), highlight=False)
        out(_wrap("Why: " + m["reason"], width), highlight=False)
        for line in _sources(m["sources"], width):
            out(line, highlight=False, soft_wrap=True)
    if report["doses"]:
        out("\n[bold]Distinct amounts (dose band and PK model)[/]")
        for d in report["doses"]:
            pk = d["pk"]
            peak = (f"model plasma peak {pk['cmax_pg_ml']:,.0f} pg/mL, {pk['cmax_fold_endogenous']:,.0f}x the body's "
                    "night peak" + (" (extrapolated)" if pk["extrapolated"] else "")) if pk else "no PK model"
            out(_wrap(f"- {d['text']} (x{d['occurrences']}): {d['band'].replace('_', ' ')} band; {peak}", width, " "),
                highlight=False)
    others = summ["other_substance_doses"]
    if others:
        out(_wrap("Doses of other substances (not judged): " + ", ".join(f"{o['text']} {o['substance']}"
                                                                           for o in others), width, ""),
            highlight=False)
    claims = report["claims"]
    out(f"\n[bold]Health claims ({len(claims)})[/]" if claims else "\nNo health claims about melatonin found.")
    by_quote: dict[str, list[dict]] = {}
    for c in claims:  # one block per sentence, its claims listed under the quote
        by_quote.setdefault(c["quotes"][0] if c["quotes"] else "", []).append(c)
    for i, (quote, group) in enumerate(by_quote.items(), 1):
        out(_wrap(f'{i}. "{quote}"' if quote else f"{i}. (the whole text)", width, " "), style="italic",
            highlight=False)
        for c in group:
            out(_wrap(f"* {c['label']}" + (" (denied)" if c["negated"] else ""), width), highlight=False, end="")
            out(" -> " + _v(c["verdict"]), highlight=False)
            out(_wrap("Why: " + c["evidence"], width, "     "), highlight=False)
            for e in c["effects"]:
                out(_wrap(f"- {e['name']}: {e['verdict']} ({e['evidence']})", width, "       "), highlight=False)
            if c["missing"]:
                out(_wrap("missing: " + ", ".join(c["missing"]), width, "     "), highlight=False)
            for line in _sources(c["sources"], width):
                out(line, highlight=False, soft_wrap=True)
    if report["not_assessed"]:
        out(f"\n[bold]Seen but not assessed ({len(report['not_assessed'])})[/]")
        for n in report["not_assessed"]:
            out(_wrap(f'- "{n["quote"]}" ({n["why"]})', width, " "), highlight=False)
    out("\n" + _wrap(report["disclaimer"], width, ""), style="bold", highlight=False)
