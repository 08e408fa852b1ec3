"""`pineal cite`: the works behind the parameters and evidence pineal uses."""

from __future__ import annotations

import json

import typer
from rich.console import Console

from pineal import params
from pineal.citations import bibliography


def register(app: typer.Typer) -> None:
    @app.command()
    def cite(
        bibtex: bool = typer.Option(False, "--bibtex", help="Print BibTeX entries."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        set_name: str = typer.Option(None, "--set", help="Only the works behind one parameter set."),
    ) -> None:
        """List the works behind pineal's parameters (all sets, or one with --set)."""
        bib = bibliography()
        if set_name is not None:  # '' is a bad set name, not "all sets"
            keys = sorted(params.load(set_name).cites())
        else:
            keys = sorted({k for name in params.available() for k in params.load(name).cites()} | set(bib))
        works = [bib[k] for k in keys]
        if as_json:
            typer.echo(json.dumps({"works": [w.__dict__ for w in works]}, indent=2, ensure_ascii=False))
        elif bibtex:
            typer.echo("\n\n".join(w.bibtex() for w in works))
        else:
            console = Console()
            for w in works:
                console.print(f"[bold]{w.key}[/]  {w.text()}", highlight=False)
