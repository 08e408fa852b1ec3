"""`pineal validate --json` lists every experiment row with model, published, tolerance and pass."""

import json
import subprocess
import sys


def test_validate_json_rows():
    code = "import sys; from pineal.cli import main; sys.argv = ['pineal', 'validate', '--json']; main()"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["total"] == len(data["rows"]) >= 50
    experiments = {r["experiment"] for r in data["rows"]}
    assert {"pk", "endogenous"} <= experiments
    for r in data["rows"]:
        assert {"metric", "model", "published", "tolerance", "passed", "cite"} <= set(r)
        assert isinstance(r["passed"], bool) and isinstance(r["model"], float), r
    assert {"burgess2008", "burgess2010", "burgess_doses", "suppression", "melatonin_profile"} <= experiments


def test_unknown_experiment_is_a_clear_error():
    code = "import sys; from pineal.cli import main; sys.argv = ['pineal', 'validate', '--only', 'nope']; main()"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and "experiment:" in out.stderr and "Traceback" not in out.stderr
