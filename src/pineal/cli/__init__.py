"""The `pineal` command line: one module per command, registered here.

Every command has ``--json`` for a stable machine-readable object. Bad input prints one line naming the
field, the value and what is allowed, and exits with status 2 without a traceback.
"""

from __future__ import annotations

import sys

import typer
from rich.console import Console

from pineal.errors import InputError

app = typer.Typer(
    name="pineal",
    help="What a melatonin dose does in a human body: plasma levels, body clock, safety. Not medical advice.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def _register() -> None:
    if app.registered_commands:  # once per process (tests call main() many times)
        return
    from pineal.cli import check, cite, dose, experiment, plan, serve, simulate, trial, validate

    for module in (dose, simulate, experiment, validate, check, cite, plan, serve, trial):
        module.register(app)


def main() -> None:
    """Console-script entry point."""
    _register()
    try:
        app()
    except InputError as err:
        from rich.markup import escape  # the message echoes user text: never read it as markup

        Console(stderr=True).print(f"[bold red]error:[/] {escape(str(err))}", markup=True, highlight=False)
        sys.exit(2)
