"""`pineal simulate PROTOCOL.toml`: markers per day and the phase shift against the placebo run."""

from __future__ import annotations

import json
import math
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pineal import DISCLAIMER
from pineal.markers import DEFINITION_TEXT
from pineal.timeline import format_clock


def _clock(h: float) -> str | None:
    return format_clock(h) if math.isfinite(h) else None


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
        from pineal.protocols import Protocol
        from pineal.simulate import run_protocol

        if definition not in DEFINITION_TEXT:
            from pineal.errors import InputError

            raise InputError("definition", definition, ", ".join(DEFINITION_TEXT))
        proto = Protocol.from_toml(protocol)
        if plot:
            from pineal.plot import _check_path

            _check_path(plot)  # a bad path fails before the run
        out = run_protocol(proto)
        days = out.per_day(definition)
        placebo_days = out.per_day(definition, arm="placebo") if out.placebo is not None else None
        if plot:
            from pineal.plot import protocol_figure

            protocol_figure(out, plot)
        obj = {
            "protocol": proto.name, "source": proto.source, "model": out.treatment.model.name,
            "days": _day_rows(days),
            "placebo_days": _day_rows(placebo_days) if placebo_days is not None else None,
            "dlmo_definition": DEFINITION_TEXT[definition],
            "measures": [{k: (round(v, 4) if isinstance(v, float) and math.isfinite(v) else
                              (None if isinstance(v, float) else v)) for k, v in m.items()} for m in out.markers()],
            "placebo_reference": out.placebo is not None,
            "plot": plot,
            "disclaimer": DISCLAIMER,
        }
        if as_json:
            typer.echo(json.dumps(obj, indent=2, ensure_ascii=False))
            return
        _print(obj)


def _print(obj: dict) -> None:
    c = Console()
    c.print(f"[bold]{obj['protocol']}[/] ({obj['source']}) — model {obj['model']}")
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
            m.add_row(r["marker"], str(r["day"]), r["definition"], r.get("treatment_clock") or "—",
                      r.get("placebo_clock") or "—", f"{shift:+.2f} h" if shift is not None else "—")
        c.print(m)
    if obj["plot"]:
        c.print(f"figure: {obj['plot']}")
    c.print(f"[dim]{DISCLAIMER}[/]", highlight=False)


def _day_rows(days: dict) -> list[dict]:
    """Per-day markers as clock times and model hours (None where a day has none)."""
    return [{"day": i + 1, **{k: _clock(float(v[i])) for k, v in days.items()},
             **{f"{k}_h": (round(float(v[i]), 4) if math.isfinite(v[i]) else None) for k, v in days.items()}}
            for i in range(len(days["dlmo"]))]
