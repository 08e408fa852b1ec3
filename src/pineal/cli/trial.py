"""`pineal trial PROTOCOL.toml --subjects N`: a virtual trial of a protocol over a sampled population, on Dask."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pineal import DISCLAIMER


def register(app: typer.Typer) -> None:
    @app.command()
    def trial(
        protocol: Annotated[str, typer.Argument(help="A TOML protocol file with [[measure]] (docs/protocols.md).")],
        subjects: Annotated[int, typer.Option(help="Number of simulated people.")] = 1000,
        seed: Annotated[int, typer.Option(help="Random seed of the population (same seed, same people).")] = 0,
        scheduler: Annotated[str | None, typer.Option(help="Address of a running Dask scheduler, e.g. "
                                                           "tcp://10.0.0.5:8786 (default: a local cluster).")] = None,
        workers: Annotated[int | None, typer.Option(help="Worker processes of the local cluster (default: one "
                                                         "per core).")] = None,
        out: Annotated[str | None, typer.Option(help="Write the per-subject table (.parquet or .csv).")] = None,
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
    ) -> None:
        """Run a protocol over a population (PK variation): percentiles of every measure, both arms and shift."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeRemainingColumn

        from pineal.errors import InputError
        from pineal.protocols import Protocol
        from pineal.trials import trial as run

        if out is not None and not out.endswith((".parquet", ".csv")):
            raise InputError("out", out, "a file name ending in .parquet or .csv")
        proto = Protocol.from_toml(protocol)
        with Progress("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                      TimeRemainingColumn(), transient=True, disable=as_json, console=Console(stderr=True)) as bar:
            task = bar.add_task("simulating subjects", total=subjects)
            res = run(proto, subjects=subjects, seed=seed, scheduler=scheduler, workers=workers,
                      progress=lambda done, total: bar.update(task, completed=done))
        if out:
            res.to_file(out)
        obj = {**res.as_json(), "table": out}
        if as_json:
            typer.echo(json.dumps(obj, indent=2, ensure_ascii=False))
            return
        c = Console()
        c.print(f"[bold]{obj['protocol']}[/] — {obj['subjects']:,} subjects (seed {obj['seed']}), model "
                f"{obj['model']}, variation: {obj['variation']}, {obj['workers']} worker(s)", highlight=False)
        t = Table(title="percentiles: arms as clock time (day), shift in hours (placebo − intervention, advance +)")
        keys = [k for k in obj["percentiles"][0] if k.startswith("p")]
        for col in ("measure", "arm", "n"):
            t.add_column(col)
        for k in keys:
            t.add_column(k, justify="right")
        for r in obj["percentiles"]:
            t.add_row(r["measure"], r["arm"], f"{r['n']:,}", *[_cell(r[k], r["arm"]) for k in keys])
        c.print(t)
        if out:
            c.print(f"per-subject table: {out}")
        c.print(f"[dim]{DISCLAIMER}[/]", highlight=False)


def _cell(v: float | None, arm: str) -> str:
    """A percentile for the table: a shift in hours, a marker as clock time and day."""
    if v is None:
        return "—"
    if arm == "shift":
        return f"{v:+.2f} h"
    from pineal.timeline import format_clock

    return f"{format_clock(v)} (d{int(v // 24) + 1})"
