"""`pineal serve`'s command line: where it binds, what it says, and bad options (no server is started)."""

from __future__ import annotations

import sys

import pytest

from pineal.cli.serve import announce


def test_loopback_by_default_and_says_so():
    from pineal.cli import _register, app

    _register()
    serve = next(c for c in app.registered_commands if c.name == "serve" or c.callback.__name__ == "serve")
    import inspect

    params = inspect.signature(serve.callback).parameters
    assert params["host"].default == "127.0.0.1" and params["port"].default == 8000
    lines = announce("127.0.0.1", 8000)
    assert "loopback only" in lines[0] and "http://127.0.0.1:8000/" in lines[1]
    assert "Not medical advice" in lines[-1]


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])
def test_all_interfaces_warns(host):
    first = announce(host, 8000)[0]
    assert first.startswith("[bold yellow]warning:") and "all interfaces" in first and "reverse proxy" in first


@pytest.mark.parametrize(("args", "field"), [(["--port", "0"], "port"), (["--port", "70000"], "port"),
                                             (["--workers", "0"], "workers"), (["--time-budget", "0"], "time-budget")])
def test_bad_options_exit_2_without_traceback(args, field, monkeypatch, capsys):
    from pineal.cli import main

    monkeypatch.setattr(sys, "argv", ["pineal", "serve", *args])
    with pytest.raises(SystemExit) as exit_:
        main()
    err = capsys.readouterr().err
    assert exit_.value.code == 2 and f"{field}:" in err and "Traceback" not in err
