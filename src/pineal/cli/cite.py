"""`pineal cite`: the works behind the parameters and evidence pineal uses."""

from __future__ import annotations

import json

import typer
from rich.console import Console


def register(app: typer.Typer) -> None:
    @app.command()
    def cite(
        bibtex: bool = typer.Option(False, "--bibtex", help="Print BibTeX entries."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
        set_name: str = typer.Option(None, "--set", help="Only the works behind one parameter set."),
    ) -> None:
        """List the works behind pineal's parameters (all sets, or one with --set)."""
        from pineal.citations import Work
        from pineal.schemas import cite_json

        obj = cite_json(set_name)
        works = [Work(**w) for w in obj["works"]]
        if as_json:
            typer.echo(json.dumps(obj, indent=2, ensure_ascii=False))
        elif bibtex:
            typer.echo("\n\n".join(w.bibtex() for w in works))
        else:
            console = Console()
            for w in works:
                console.print(f"[bold]{w.key}[/]  {w.text()}", highlight=False)
