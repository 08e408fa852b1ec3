"""`pineal serve`: the HTTP API and the web pages on one address (docs/web.md)."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console

ALL_INTERFACES = ("0.0.0.0", "::", "")


def announce(host: str, port: int) -> list[str]:
    """What `pineal serve` says before it starts: where it listens, and a warning when that is everywhere."""
    shown = f"[{host}]" if ":" in host else host
    lines = []
    if host in ALL_INTERFACES:
        lines.append(f"[bold yellow]warning:[/] bound to all interfaces ({host or '*'}): anyone who can reach this "
                     "machine can use the server. pineal has no authentication; put it behind a reverse proxy "
                     "(docs/web.md).")
    elif host in ("127.0.0.1", "localhost", "::1"):
        lines.append(f"Serving on loopback only ({host}): reachable from this machine, not from the network. Use "
                     "--host to change that.")
    lines.append(f"Warming the compiled kernels, then the pages at http://{shown}:{port}/ and the API at "
                 f"http://{shown}:{port}/docs. Not medical advice.")
    return lines


def register(app: typer.Typer) -> None:
    @app.command()
    def serve(
        host: Annotated[str, typer.Option(help="Address to bind; the default serves this machine only.")] = "127.0.0.1",
        port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
        workers: Annotated[int | None, typer.Option(help="Worker processes for the computations (default: one "
                                                         "per core).")] = None,
        time_budget: Annotated[float, typer.Option(help="Seconds a request may compute before it is stopped "
                                                        "(503).")] = 30.0,
    ) -> None:
        """The HTTP API (/api, OpenAPI at /docs) and the web pages for dose reports, article checks and validation."""
        import logging

        import uvicorn

        from pineal.errors import InputError
        from pineal.web import Settings, create_app

        if not 1 <= port <= 65535:
            raise InputError("port", port, "a TCP port 1-65535")
        if workers is not None and not 1 <= workers <= 64:
            raise InputError("workers", workers, "1-64 worker processes")
        if not 0.1 <= time_budget <= 3600:
            raise InputError("time-budget", time_budget, "0.1-3600 seconds")
        console = Console(stderr=True)
        for line in announce(host, port):
            console.print(line, highlight=False)
        logging.basicConfig(level=logging.INFO, format="%(levelname)s: %(message)s")
        settings = Settings(workers=workers, budget_s=time_budget)
        uvicorn.run(create_app(settings), host=host, port=port, log_level="info", proxy_headers=False,
                    server_header=False)
