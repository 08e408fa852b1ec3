"""`pineal simulate PROTOCOL.toml`: markers per day and the phase shift against the placebo run."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pineal import DISCLAIMER


def register(app: typer.Typer) -> None:
    @app.command()
    def simulate(
        protocol: Annotated[str, typer.Argument(help="A TOML protocol file (docs/protocols.md).")],
        definition: Annotated[str, typer.Option(help="DLMO definition for the per-day table: plasma_10, "
                                                     "saliva_3, saliva_4 or phase.")] = "plasma_10",
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
        plot: Annotated[str | None, typer.Option(help="Write a figure of plasma melatonin (.png/.svg/.pdf).")] = None,
    ) -> None:
        """Run a protocol file: DLMO, DLMOff and CBTmin per day, and each measurement vs the placebo arm."""
        from pineal.markers import DEFINITION_TEXT
        from pineal.protocols import Protocol
        from pineal.schemas import simulate_json
        from pineal.simulate import run_protocol

        if definition not in DEFINITION_TEXT:  # before any file is read or run
            from pineal.errors import InputError

            raise InputError("definition", definition, ", ".join(DEFINITION_TEXT))
        proto = Protocol.from_toml(protocol)
        if plot:
            from pineal.plot import _check_path

            _check_path(plot)  # a bad path fails before the run
        out = run_protocol(proto)
        obj = simulate_json(proto, definition, plot=plot, out=out)
        if plot:
            from pineal.plot import protocol_figure

            protocol_figure(out, plot)
        if as_json:
            typer.echo(json.dumps(obj, indent=2, ensure_ascii=False))
            return
        _print(obj)


def _print(obj: dict) -> None:
    c = Console()
    c.print(f"[bold]{escape(obj['protocol'])}[/] ({escape(obj['source'])}) — model {obj['model']}", highlight=False)
    t = Table(title=f"markers per day (intervention arm); DLMO: {obj['dlmo_definition']}")
    keys = [k for k in obj["days"][0] if k != "day" and not k.endswith("_h")]
    t.add_column("day", justify="right")
    for k in keys:
        t.add_column(k)
    for d in obj["days"]:
        t.add_row(str(d["day"]), *[d[k] or "—" for k in keys])
    c.print(t)
    if obj["measures"]:
        m = Table(title="measurements" + (" (phase shift = placebo − intervention, advance +)"
                                          if obj["placebo_reference"] else ""))
        for col in ("marker", "day", "definition", "intervention", "placebo", "shift"):
            m.add_column(col)
        for r in obj["measures"]:
            shift = r.get("shift_h")
            m.add_row(r["marker"], str(r["day"]), r["definition"] or "—", _shown(r, "treatment"),
                      _shown(r, "placebo"), f"{shift:+.2f} h" if shift is not None else "—")
        c.print(m)
    if obj.get("anchors"):
        a = obj["anchors"]
        c.print(f"relative times resolved from the subject's baseline on the habitual schedule: DLMO {a['dlmo'] or '—'}"
                f", CBTmin {a['cbtmin'] or '—'}, bedtime {a['bedtime']}, wake {a['wake']}", highlight=False)
    for note in obj["notes"]:
        c.print(f"[yellow]note:[/] {escape(note)}", highlight=False)
    if obj["plot"]:
        c.print(f"figure: {escape(obj['plot'])}", highlight=False)
    c.print(f"[dim]{DISCLAIMER}[/]", highlight=False)


def _shown(row: dict, arm: str) -> str:
    """A measurement of one arm as printed: its clock time and/or its value with the unit."""
    parts = [row[f"{arm}_clock"]] if row.get(f"{arm}_clock") else []
    value = row.get(f"{arm}_value")
    if isinstance(value, bool):
        parts.append("yes" if value else "no")
    elif value is not None:
        parts.append(f"{value:.1f} %" if row["unit"] == "%" else f"{value:.1f} {row['unit']}")
    return ", ".join(parts) or "—"
