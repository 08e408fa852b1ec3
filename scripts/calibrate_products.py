"""Re-derive the fitted product kinetics in src/pineal/params/products_fit.toml from each product's calibration study.

Run:  python3 scripts/calibrate_products.py   (writes products_fit.toml and prints the fit).
For every product with values marked "fit" in src/pineal/products/products.toml: least squares on the log of each
metric its calibration study reports (model for a typical subject of the study's age and weight vs published
centre); a prolonged-release half-life is searched in 1-12 h (release over hours is what makes it prolonged).
Held-out studies are never used here; `pineal validate --only products` reports them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
from scipy.optimize import minimize

from pineal import products as prods
from pineal.experiments.products_pk import model_metrics

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/pineal/params/products_fit.toml"
SCRIPT = "scripts/calibrate_products.py"
UNITS = {"release_h": "h", "mucosal_half_life_h": "h", "immediate_fraction": "1", "mucosal_fraction": "1"}
# search spaces: half-lives on a log scale, fractions on a logit scale
START = {"release_h": 2.0, "mucosal_half_life_h": 0.1, "immediate_fraction": 0.2, "mucosal_fraction": 0.3}


#: a prolonged-release product releases over hours: its release half-life is searched in [1, 12] h
RELEASE_RANGE_H = (1.0, 12.0)


def _sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _to_value(field: str, x: float) -> float:
    if field == "release_h":
        lo, hi = RELEASE_RANGE_H
        return lo + (hi - lo) * _sigmoid(x)
    return math.exp(x) if field.endswith("_h") else _sigmoid(x)


def _to_x(field: str, v: float) -> float:
    if field == "release_h":
        lo, hi = RELEASE_RANGE_H
        q = (v - lo) / (hi - lo)
        return math.log(q / (1.0 - q))
    return math.log(v) if field.endswith("_h") else math.log(v / (1.0 - v))


def fit(prod: prods.Product) -> dict[str, float]:
    study = prod.calibration_study()
    fields = prod.fitted_fields()
    base = {k: (None if v == prods.FITTED else v) for k, v in
            ((f, getattr(prod, f)) for f in prods.KINETIC_FIELDS)}

    def loss(x):
        k = dict(base)
        k.update({f: _to_value(f, xi) for f, xi in zip(fields, x, strict=True)})
        model = model_metrics(prod, study, kinetics=k)
        return sum(math.log(model[m] / pub.centre) ** 2 for m, pub in study.metrics().items())

    x0 = [_to_x(f, START[f]) for f in fields]
    best = minimize(loss, x0, method="Nelder-Mead", options={"xatol": 1e-5, "fatol": 1e-10, "maxiter": 400})
    return {f: _to_value(f, xi) for f, xi in zip(fields, np.atleast_1d(best.x), strict=True)}


def main(out: Path = OUT) -> dict[str, float]:
    lines = ["# Written by scripts/calibrate_products.py from the calibration studies in "
             "src/pineal/products/products.toml.", "# Do not edit by hand: re-run the script.", "[set]",
             'description = "Fitted release and absorption kinetics of melatonin products"', ""]
    fitted: dict[str, float] = {}
    for prod in prods.all_products():
        if not prod.fitted_fields():
            continue
        study = prod.calibration_study()
        values = fit(prod)
        k = {f: (values.get(f) if getattr(prod, f) == prods.FITTED else getattr(prod, f))
             for f in prods.KINETIC_FIELDS}
        model = model_metrics(prod, study, kinetics=k)
        print(f"{prod.id}: " + ", ".join(f"{f} {v:.4g}" for f, v in values.items()) + " -> "
              + ", ".join(f"{m} {model[m]:.4g} (published {pub.text()})" for m, pub in study.metrics().items()))
        for f, v in values.items():
            key = prods.fit_key(prod.id, f)
            fitted[key] = v
            note = (f"fitted to {study.cite} ({study.dose_mg:g} mg, n = {study.n}): "
                    + ", ".join(f"{m} {pub.text()}" for m, pub in study.metrics().items()))
            lines += [f"[{key}]", f"value = {v:.6g}", f'unit = "{UNITS[f]}"', f'cite = "{study.cite}"',
                      f'note = "{note}"', f'fitted_by = "{SCRIPT}"', ""]
    out.write_text("\n".join(lines))
    print(f"wrote {out}")
    return fitted


if __name__ == "__main__":
    main()
