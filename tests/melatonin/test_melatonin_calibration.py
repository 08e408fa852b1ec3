"""The shipped melatonin fit is what scripts/calibrate_melatonin.py says it is.

The full fit takes about an hour, so CI does not re-run it; it checks instead that the loss terms the script
computes for the shipped parameters are the ones it recorded when it wrote them (so no model change since the fit
has silently moved the results), that every fitted value is marked with the script, and that the loss would be
worse one step away from each fitted value in the script's own coordinates (a minimum, not an arbitrary point).
"""

import math
import re
from pathlib import Path

import pytest

from pineal import params

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "calibrate_melatonin.py"
FIT = Path(__file__).resolve().parents[2] / "src" / "pineal" / "params" / "melatonin_fit.toml"


@pytest.fixture(scope="module")
def script(load_script):
    return load_script("calibrate_melatonin")


def recorded() -> dict[str, float]:
    return {m.group(1): float(m.group(2)) for m in re.finditer(r"^#\s+(\w+) = (-?[\d.]+)$", FIT.read_text(), re.M)}


def test_recorded_terms_are_reproduced(script):
    rec = recorded()
    now = script.terms(script.shipped())
    assert {"rmse_3mg", "rmse_0p5mg", "rms_suppression", "loss"} <= set(rec)
    for key, value in now.items():
        assert value == pytest.approx(rec[key], abs=2e-4), key
    assert script.loss_of(now) == pytest.approx(rec["loss"], abs=2e-4)


def test_every_fitted_value_is_marked_and_inside_its_bounds(script):
    shipped = params.load("melatonin_fit")
    assert set(shipped.params) == set(script.ENDOGENOUS + script.FORCING)
    for name, p in shipped.params.items():
        lo, hi = script.BOUNDS[name][:2]
        assert p.fitted_by == "scripts/calibrate_melatonin.py" and p.cite == "pineal_fit"
        assert lo <= p.value <= hi, name


@pytest.mark.parametrize("name", ["drive_ec50_pg_ml", "drive_hill", "forcing_B2", "psi_on", "secretion_ug_per_h"])
def test_shipped_values_are_a_local_minimum(script, name):
    base = script.shipped()
    loss0 = script.loss_of(script.terms(base))
    theta = script.encode(base, [name])[0]
    step = 0.05 * max(abs(theta), 0.2)
    for d in (-step, step):
        moved = script.decode([theta + d], [name], base)
        assert script.loss_of(script.terms(moved)) >= loss0 - 1e-6, (name, d)
    assert math.isfinite(loss0)
