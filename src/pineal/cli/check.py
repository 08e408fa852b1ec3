"""`pineal check TEXT | --file F [--json]`: doses and health claims in a text, each with a verdict and sources."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pineal.errors import InputError
from pineal.limits import check_input_file

VERDICT_STYLE = {"dangerous": "bold red", "not supported": "red", "insufficient evidence": "yellow",
                 "partly supported": "cyan", "supported": "green"}


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
    return f"[{VERDICT_STYLE[verdict]}]{verdict}[/]"


def print_report(report: dict, console: Console) -> None:
    """The human view of a check report."""
    console.print(f"[bold]pineal check[/] — {report['summary']['headline']}", highlight=False)
    console.print(f"[dim]{report['disclaimer']}[/]\n", highlight=False)
    cited: dict[str, str] = {}
    if report["doses"]:
        t = Table(title="Melatonin doses in the text", show_lines=True, header_style="bold")
        for col in ("dose", "times", "band", "vs studied", "model plasma peak", "verdict", "evidence"):
            t.add_column(col, overflow="fold")
        for d in report["doses"]:
            worst = max(d["comparisons"], key=lambda c: c["ratio_to_studied_max"])
            pk = d["pk"]
            peak = (f"{pk['cmax_pg_ml']:,.0f} pg/mL ({pk['cmax_fold_endogenous']:,.0f}x night peak)"
                    + (" extrapolated" if pk["extrapolated"] else "")) if pk else "PK model not available"
            t.add_row(escape(d["text"]) + (f"\n≈{d['adult_equivalent_mg']:g} mg at 70 kg" if d["per_kg"] else ""),
                      str(d["occurrences"]), d["band"].replace("_", " "),
                      f"{worst['ratio_to_studied_max']:,g}x max for {worst['label']}", peak, _v(d["verdict"]),
                      d["evidence"] + "\n[dim]" + ", ".join(s["short"] for s in d["sources"]) + "[/]")
            cited.update({s["short"] + f" [{s['grade']}]": s["url"] for s in d["sources"]})
        console.print(t)
    else:
        console.print("No melatonin doses found.")
    others = report["summary"]["other_substance_doses"]
    if others:
        console.print("Doses of other substances (not judged): "
                      + ", ".join(escape(f"{o['text']} {o['substance']}") for o in others), highlight=False)
    if report["claims"]:
        t = Table(title="Health claims about melatonin", show_lines=True, header_style="bold")
        for col in ("claim", "as said", "verdict", "what the evidence says"):
            t.add_column(col, overflow="fold")
        for c in report["claims"]:
            said = ("denied: " if c["negated"] else "") + (escape(c["quotes"][0]) if c["quotes"] else "(whole text)")
            extra = ""
            if c["effects"]:
                extra = "\n" + "\n".join(f"• {e['name']}: {_v(e['verdict'])} — {e['evidence']}" for e in c["effects"])
            if c["missing"]:
                extra += "\n[bold]missing:[/] " + ", ".join(c["missing"])
            t.add_row(c["label"] + (f" (×{c['occurrences']})" if c["occurrences"] > 1 else ""), said,
                      _v(c["verdict"]), c["evidence"] + extra + "\n[dim]" + ", ".join(s["short"] for s in c["sources"])
                      + "[/]")
            cited.update({s["short"] + f" [{s['grade']}]": s["url"] for s in c["sources"]})
        console.print(t)
    else:
        console.print("No health claims about melatonin found.")
    if cited:
        console.print("\n[bold]Sources[/] (P primary, R review, L label/guideline, S secondary)")
        for name, url in sorted(cited.items()):
            console.print(f"  {name}: {url}", highlight=False, soft_wrap=True)
    console.print(f"\n[bold]{report['disclaimer']}[/]", highlight=False)
