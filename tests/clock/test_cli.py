"""`pineal experiment`: JSON object, plot, errors (exit 2, no traceback)."""

import json

from typer.testing import CliRunner

from pineal.cli import _register, app

runner = CliRunner()
_register()


def test_experiment_json_and_plot(tmp_path):
    fig = tmp_path / "f.png"
    res = runner.invoke(app, ["experiment", "freerun", "--json", "--plot", str(fig)])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.output)
    assert set(obj) == {"experiment", "title", "model", "passed", "rows", "plot"}
    assert obj["model"] == "hannay2019" and obj["rows"][0]["metric"].startswith("free-running period")
    assert fig.stat().st_size > 1000


def test_experiment_table():
    res = runner.invoke(app, ["experiment", "entrainment", "--model", "jewett1999"])
    assert res.exit_code == 0
    assert "DLMO before sleep onset" in res.output


def test_unknown_experiment_exit_2():
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", "from pineal.cli import main; main()", "experiment", "nope"],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "experiment" in proc.stderr and "Traceback" not in proc.stderr


def test_experiment_all_models_json():
    res = runner.invoke(app, ["experiment", "entrainment", "--model", "all", "--json"])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.output)
    assert obj["default_model"] == "sthilaire2007"
    assert set(obj["models"]) == {"forger1999", "jewett1999", "sthilaire2007", "hannay2019", "hannay2019+melatonin"}
