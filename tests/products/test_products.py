"""The product library: schema, lookup, errors, fitted values re-derived, and every product's studies."""

import math

import pytest

from pineal import params, products
from pineal.errors import InputError
from pineal.experiments import products_pk
from pineal.models import pk

OUTCOME = products_pk.run()


def test_library_has_the_issue_forms():
    ids = set(products.names())
    for needed in ("ir-tablet", "capsule", "liquid", "sublingual-tablet", "sublingual-spray", "gummy", "circadin",
                   "slenyto", "surge-sustained", "controlled-release", "transdermal", "intranasal", "pr-tablet"):
        assert needed in ids


def test_lookup_by_alias_and_case():
    assert products.get("Circadin").id == "circadin"
    assert products.get("  oral   spray ").id == "sublingual-spray"
    assert products.get("supplement").id == "ir-tablet"
    assert products.find("tea") is None


def test_unknown_product_lists_the_known_ones():
    with pytest.raises(InputError) as e:
        products.get("tea")
    assert e.value.field == "product"
    for pid in ("circadin", "gummy", "sublingual-spray"):
        assert pid in str(e.value)


def test_product_dose_carries_its_kinetics():
    d = products.dose("surge-sustained", "4 mg", time_h=22.0)
    assert d.route == "oral-pr" and d.immediate_fraction == 0.25 and d.release_h is not None
    assert d.product == "surge-sustained" and d.amount_mg == 4.0 and d.time_h == 22.0
    assert products.dose("liquid", 1.0).dissolved


def test_every_product_simulates_finite_and_conserves_mass():
    for pid in products.names():
        run = pk.simulate([products.dose(pid, 2.0, time_h=1.0)], hours=48.0)
        assert all(math.isfinite(x) for x in run.plasma_pg_ml[0])
        assert run.plasma_pg_ml.max() > 0
        total = run.final_states_ug[0, [pk.PR_DEPOT, pk.GUT_FAST, pk.GUT_SLOW, pk.MUCOSA, pk.NASAL, pk.SKIN,
                                        pk.CENTRAL, pk.FIRST_PASS, pk.ELIMINATED, pk.NOT_ABSORBED, pk.SOLID]].sum()
        assert total == pytest.approx(2000.0, rel=1e-3), pid


def test_release_slows_the_peak():
    tmax = {}
    for h in (1.0, 4.0, 8.0):
        run = pk.simulate([pk.Dose(2.0, route="oral-pr", release_h=h)], hours=24.0)
        tmax[h] = run.t_h[run.plasma_pg_ml[0].argmax()]
    assert tmax[1.0] < tmax[4.0] < tmax[8.0]


def test_two_release_rates_in_one_run_is_a_clear_error():
    with pytest.raises(InputError):
        pk.simulate([pk.Dose(2.0, route="oral-pr", release_h=1.0), pk.Dose(2.0, 5.0, "oral-pr", release_h=3.0)])


def test_release_h_needs_oral_pr():
    with pytest.raises(InputError) as e:
        pk.Dose.parse("2 mg", route="oral-ir", release_h=3.0)
    assert e.value.field == "release-h"


def test_calibration_script_reproduces_shipped_values(tmp_path, load_script):
    module = load_script("calibrate_products")
    fitted = module.main(out=tmp_path / "products_fit.toml")
    shipped = params.load("products_fit")
    assert set(fitted) == set(shipped.params)
    for key, value in fitted.items():
        assert shipped[key] == pytest.approx(value, rel=1e-3), key
        assert shipped.params[key].fitted_by == "scripts/calibrate_products.py"


@pytest.mark.parametrize("row", OUTCOME.rows, ids=[r.metric for r in OUTCOME.rows])
def test_product_rows_pass_or_are_documented_misses(row, passes_or_documented_miss):
    passes_or_documented_miss(row, products_pk.KNOWN_MISSES)


def test_known_misses_are_real_rows():
    assert set(products_pk.KNOWN_MISSES) <= {r.metric for r in OUTCOME.rows}


def test_held_out_studies_exist_and_are_never_fitted():
    held = [(p.id, s) for p in products.all_products() for s in p.studies if s.role == "held-out"]
    assert len(held) >= 4
    for pid, study in held:
        prod = products.get(pid)
        assert prod.calibration_study() is not study
