"""`pineal experiment NAME`: run one published experiment and compare the model with its data."""

from __future__ import annotations

import json

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pineal import experiments
from pineal.errors import InputError


def register(app: typer.Typer) -> None:
    @app.command()
    def experiment(
        name: str = typer.Argument(None, help="Experiment name, e.g. khalsa2003 (see --list)."),
        list_: bool = typer.Option(False, "--list", help="List the experiments and exit."),
        model: str = typer.Option(None, "--model",
                                  help="Clock model (default: the experiment's best fit), or 'all' to compare."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        plot: str = typer.Option(None, "--plot", help="Write a model-vs-data figure (.png/.svg/.pdf)."),
    ) -> None:
        """Run one published experiment and compare the model with the data."""
        from pineal.models import clock

        if list_:
            _list(as_json)
            return
        if name is None:
            raise InputError("name", "", f"an experiment name (pineal experiment --list): "
                             f"{', '.join(sorted(experiments.REGISTRY))}")
        mod = experiments.get(name)
        usable = list(getattr(mod, "MODELS", clock.names()))
        if model == "all":
            _compare_all(mod, usable, as_json)
            return
        if model is not None:
            clock.get(model)  # InputError for an unknown model
            if model not in usable:
                raise InputError("model", model, f"for {name}: {', '.join(usable)}")
        chosen = model or getattr(mod, "DEFAULT_MODEL", None)
        if plot:
            from pineal.plot import _check_path

            _check_path(plot)  # a bad path fails before the run
        out = mod.run(chosen) if chosen else mod.run()
        if plot:
            from pineal.plot import outcome

            outcome(out, plot)
        if as_json:
            typer.echo(json.dumps({"experiment": out.name, "title": out.title, "model": chosen,
                                   "passed": out.passed, "rows": [r.as_dict() for r in out.rows],
                                   "plot": plot}, indent=2, ensure_ascii=False))
            return
        table = Table(title=f"{out.title} — model {chosen}")
        for col in ("metric", "model", "published", "tolerance", "pass"):
            table.add_column(col)
        for r in out.rows:
            table.add_row(r.metric, f"{r.model} {r.unit}", r.published, r.tolerance,
                          "[green]pass[/]" if r.passed else "[red]MISS[/]")
        console = Console()
        console.print(table)
        if out.rows:
            console.print(f"[dim]{out.rows[0].note}[/]", highlight=False)
        if plot:
            console.print(f"figure: {escape(plot)}", highlight=False)


def _list(as_json: bool) -> None:
    """Every experiment's name, title and citation key."""
    rows = [{"name": n, "title": (m := experiments.get(n)).TITLE, "cite": getattr(m, "CITE", "")}
            for n in sorted(experiments.REGISTRY)]
    if as_json:
        typer.echo(json.dumps({"experiments": rows}, indent=2, ensure_ascii=False))
        return
    table = Table(title="pineal experiments (run one with: pineal experiment NAME)")
    for col in ("name", "title", "cite"):
        table.add_column(col, overflow="fold")
    for r in rows:
        table.add_row(escape(r["name"]), escape(r["title"]), escape(str(r["cite"])))
    Console().print(table)


def _compare_all(mod, models: list[str], as_json: bool) -> None:
    """Every clock model on one experiment: the rows side by side (the default model is marked)."""
    outs = {m: mod.run(m) for m in models}
    default = getattr(mod, "DEFAULT_MODEL", None)
    if as_json:
        typer.echo(json.dumps({"experiment": mod.NAME, "title": mod.TITLE, "default_model": default,
                               "models": {m: {"passed": o.passed, "rows": [r.as_dict() for r in o.rows]}
                                          for m, o in outs.items()}}, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{mod.TITLE} — all models (default {default})")
    for col in ("metric", "tolerance", *models):
        table.add_column(col + (" *" if col == default else ""))
    first = next(iter(outs.values()))
    for i, r in enumerate(first.rows):
        cells = []
        for m in models:
            row = outs[m].rows[i]
            cells.append(f"{row.model} {'[green]pass[/]' if row.passed else '[red]MISS[/]'}")
        table.add_row(r.metric, r.tolerance, *cells)
    Console().print(table)
