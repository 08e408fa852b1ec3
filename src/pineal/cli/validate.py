"""`pineal validate`: every experiment in the project against its published data, one table."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from pineal import experiments


def register(app: typer.Typer) -> None:
    @app.command()
    def validate(
        as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
        only: Annotated[str | None, typer.Option(help="Run one experiment by name.")] = None,
    ) -> None:
        """Model vs published value for every experiment: metric, model, published, tolerance, pass."""
        from rich.progress import Progress  # here, not at registration: `pineal --help` needs neither

        from pineal.citations import work
        from pineal.schemas import validate_json

        names = [only] if only is not None else sorted(experiments.REGISTRY)  # '' is a bad name, not "all"
        for name in names:
            experiments.get(name)  # an unknown name fails before any experiment runs
        with Progress(transient=True, disable=as_json, console=Console(stderr=True)) as bar:
            task = bar.add_task("running experiments", total=len(names))
            obj = validate_json(names, progress=lambda: bar.advance(task))
        if as_json:
            typer.echo(json.dumps(obj, indent=2, ensure_ascii=False))
            return
        rows = [SimpleNamespace(**r) for r in obj["rows"]]
        table = Table(title="pineal validate: model vs published data", show_lines=False)
        columns = (("experiment", "left"), ("source", "left"), ("metric", "left"), ("model", "right"),
                   ("published", "left"), ("tolerance", "left"), ("pass", "center"))
        for col, just in columns:
            table.add_column(col, justify=just)
        for r in rows:
            source = work(r.cite).short() if r.cite else ""
            model = f"{r.model:.4g}" if r.model is not None else "—"
            table.add_row(r.experiment, source, r.metric, model, r.published, r.tolerance,
                          "[green]yes[/]" if r.passed else "[red]MISS[/]")
        console = Console()
        console.print(table)
        misses = [r for r in rows if not r.passed]
        console.print(f"{len(rows) - len(misses)} of {len(rows)} within tolerance.")
        for r in misses:
            console.print(f"[red]MISS[/] {r.metric}: {r.note}", highlight=False)
