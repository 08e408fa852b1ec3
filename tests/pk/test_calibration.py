"""The shipped fitted PK values are re-derived by scripts/calibrate_pk.py from the data."""


import pytest

from pineal import params


def test_calibration_script_reproduces_shipped_values(tmp_path, load_script):
    module = load_script("calibrate_pk")
    fitted = module.main(out=tmp_path / "pk_fit.toml")
    shipped = params.load("pk_fit")
    assert set(fitted) == set(shipped.params)
    for key, value in fitted.items():
        assert shipped[key] == pytest.approx(value, rel=1e-4), key
        assert shipped.params[key].fitted_by == "scripts/calibrate_pk.py"


def test_every_parameter_cites_a_work_in_the_bibliography():
    from pineal.citations import bibliography

    bib = bibliography()
    for name in params.available():
        for p in params.load(name).params.values():
            assert p.cite in bib, f"{name}.{p.name} cites unknown key {p.cite!r}"
