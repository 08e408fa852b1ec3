"""Light experiments vs published data at the stated tolerances (LP-1, LP-2, LS-2, CL-1..CL-3)."""

import json
from pathlib import Path

import pytest

from pineal.experiments import REGISTRY, get, khalsa2003, sthilaire2012, zeitzer2000

DATA = Path(__file__).parent.parent / "data"


def _check(out):
    misses = [f"{r.metric}: {r.model} (target {r.tolerance})" for r in out.rows if not r.passed]
    assert not misses, misses


def test_registry():
    for name in ("khalsa2003", "sthilaire2012", "zeitzer2000", "freerun", "entrainment"):
        assert name in REGISTRY


@pytest.mark.parametrize("name", ["khalsa2003_light_prc.json", "prc_light_sthilaire2012_1h.json",
                                  "zeitzer2000_suppression.json", "clock_facts.json"])
def test_packaged_data_matches_test_data(name):
    from pineal.experiments.data_files import load

    assert load(name) == json.loads((DATA / name).read_text("utf-8"))


def test_khalsa2003_lp1():
    _check(khalsa2003.run(n_phases=24))


def test_sthilaire2012_lp2():
    out = sthilaire2012.run(n_phases=24)
    _check(out)
    assert len(out.series["data"]["x"]) == 18


def test_zeitzer2000_ls2():
    _check(zeitzer2000.run(n_levels=13))


def test_freerun_cl1_cl2():
    out = get("freerun").run("hannay2019")
    assert len(out.rows) == 2
    _check(out)


def test_entrainment_cl3():
    _check(get("entrainment").run())


def test_khalsa_reports_misses_honestly():
    """Jewett 1999 is known to give too small a 6.7-h PRC here: the row must say MISS, not pass."""
    out = khalsa2003.run("jewett1999", n_phases=24)
    amp = next(r for r in out.rows if r.metric == "peak-to-trough")
    assert not amp.passed and amp.model < 4.0
