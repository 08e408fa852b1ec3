"""Compiled kernels are cached on disk across processes (issue 12): two models one after the other in fresh
processes, cold and then warm, give the same results without a crash; fast commands import no kernels."""

import json
import os
import subprocess
import sys

import pytest

RUN_TWO_MODELS = """
import json, sys
from pineal import simulate, solver
out = {}
for name in sys.argv[1:]:
    r = simulate(days=2, model=name, dt=0.25)
    k = solver.kernel(name)  # what a one-subject simulation runs on (the per-subject kernel)
    out[name] = {"cbtmin": r.cbtmin().tolist(), "y_end": r.y_end[0].tolist(),
                 "hits": sum(k.stats.cache_hits.values()), "misses": sum(k.stats.cache_misses.values())}
print(json.dumps(out))
"""


def _run(code: str, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=900,
                          env={**os.environ, **(env or {})})


@pytest.mark.slow
def test_two_models_two_fresh_processes_cold_then_warm(tmp_path):
    env = {"NUMBA_CACHE_DIR": str(tmp_path / "numba")}  # an empty cache: the first process compiles
    order = [("forger1999", "hannay2019"), ("hannay2019", "forger1999")]
    runs = []
    for models in [*order, order[0]]:
        p = _run(RUN_TWO_MODELS, *models, env=env)
        assert p.returncode == 0, p.stderr[-2000:]
        runs.append(json.loads(p.stdout.strip().splitlines()[-1]))
    first, second, third = runs
    assert first["forger1999"]["misses"] == 1 and first["hannay2019"]["misses"] == 1  # compiled and saved
    for later in (second, third):  # every later process loads both kernels from disk
        for name in ("forger1999", "hannay2019"):
            assert later[name]["hits"] == 1 and later[name]["misses"] == 0, later
            assert later[name]["cbtmin"] == first[name]["cbtmin"]
            assert later[name]["y_end"] == first[name]["y_end"]


def test_kernel_name_follows_model_sources():
    """An edited model RHS must not load a stale kernel: the cache name hashes the sources the kernel inlines."""
    from pineal import solver
    from pineal.models.clock import get

    a, b = solver.kernel("forger1999"), solver.kernel("hannay2019")
    assert a is solver.kernel("forger1999") and a is not b
    assert a.py_func.__qualname__.startswith("_batch_forger1999_")
    assert solver._sources_hash(get("forger1999")) in a.py_func.__qualname__


IMPORTS = """
import sys
heavy_prefixes = tuple(sys.argv[1].split(","))
sys.argv = ["pineal", *sys.argv[2:]]
from pineal.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sorted({m if m.startswith(("pineal", "scipy")) else m.split(".")[0] for m in sys.modules
                if m == "pint" or m.startswith(heavy_prefixes)})
print("HEAVY=" + ",".join(heavy))
"""
#: kernels and plotting (issue 12); pint, and dask through pint.compat, once the conversion factors are on disk;
#: scipy.stats once the dose population's Sobol normals are on disk
NOT_AT_START = ("numba", "matplotlib", "pineal.solver", "pineal.models", "pineal.simulate", "scipy.stats", "pint",
                "dask")
#: what a command that runs the models may import; everything else of NOT_AT_START it must not
NOT_IN_A_RUN = ("matplotlib", "scipy.stats", "dask", "distributed")  # and pint


def _allowed(names: tuple[str, ...], args: list[str]) -> tuple[str, ...]:
    """A check reads the text with medspaCy, which imports QuickUMLS and so nltk, which imports scipy.stats
    (third-party start-up pineal does not steer; docs/scale.md): the one heavy module a check may import."""
    return tuple(n for n in names if n != "scipy.stats") if args[0] == "check" else names


def _heavy(prefixes: tuple[str, ...], args: list[str], env: dict | None = None) -> str:
    p = _run(IMPORTS, ",".join(prefixes), *args, env=env)
    assert p.returncode == 0, p.stderr[-2000:]
    return [x for x in p.stdout.splitlines() if x.startswith("HEAVY=")][-1]


@pytest.mark.parametrize("args", [["--help"], ["check", "Melatonin helps you fall asleep faster."],
                                  ["dose", "--help"], ["simulate", "--help"]])
def test_fast_commands_import_no_kernels_nor_matplotlib(args):
    assert _heavy(_allowed(NOT_AT_START, args), args) == "HEAVY=", args
    if args == ["--help"]:  # the claim check's NLP stack loads only when a text is checked
        assert _heavy(("spacy", "medspacy", "nltk", "pydantic"), args) == "HEAVY="


@pytest.fixture
def warm_tables(tmp_path, monkeypatch):
    """A cache directory holding the conversion factors and the dose population's normals, as every process
    after the first finds it."""
    from pineal import limits, quantities
    from pineal.models import pk

    monkeypatch.setenv("PINEAL_CACHE_DIR", str(tmp_path))
    for fn in (quantities.conversion_factors, pk._sobol_normals):
        fn.cache_clear()
    quantities.conversion_factors()
    pk._sobol_normals(limits.DOSE_POPULATION, 1)
    for fn in (quantities.conversion_factors, pk._sobol_normals):
        fn.cache_clear()
    return {"PINEAL_CACHE_DIR": str(tmp_path)}


ARTICLE = str(__import__("pathlib").Path(__file__).parents[1] / "data" / "articles" / "seed-1000mg-melatonin.txt")
FIVE_DAY = str(__import__("pathlib").Path(__file__).parents[2] / "benchmarks" / "five_day.toml")


@pytest.mark.parametrize("args", [["dose", "3 mg", "--at", "22:00"], ["simulate", FIVE_DAY],
                                  ["check", "--file", ARTICLE]], ids=["dose", "simulate", "check"])
def test_model_commands_import_neither_pint_dask_nor_scipy_stats(args, warm_tables):
    assert _heavy(_allowed(NOT_IN_A_RUN, args), args, env=warm_tables) == "HEAVY=", args


def test_pineal_simulate_is_callable_after_the_module_is_imported():
    p = _run("import pineal.simulate, pineal; print(pineal.simulate(days=1, model='forger1999').cbtmin())")
    assert p.returncode == 0, p.stderr[-2000:]
