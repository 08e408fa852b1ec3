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
sys.argv = ["pineal", *sys.argv[1:]]
from pineal.cli import main
try:
    main()
except SystemExit:
    pass
heavy = sorted({m.split(".")[0] if not m.startswith("pineal") else m for m in sys.modules
                if m.startswith(("numba", "matplotlib", "pineal.solver", "pineal.models", "pineal.simulate"))})
print("HEAVY=" + ",".join(heavy))
"""


@pytest.mark.parametrize("args", [["--help"], ["check", "Melatonin helps you fall asleep faster."],
                                  ["dose", "--help"], ["simulate", "--help"]])
def test_fast_commands_import_no_kernels_nor_matplotlib(args):
    p = _run(IMPORTS, *args)
    assert p.returncode == 0, p.stderr[-2000:]
    line = [x for x in p.stdout.splitlines() if x.startswith("HEAVY=")][-1]
    assert line == "HEAVY=", line


def test_pineal_simulate_is_callable_after_the_module_is_imported():
    p = _run("import pineal.simulate, pineal; print(pineal.simulate(days=1, model='forger1999').cbtmin())")
    assert p.returncode == 0, p.stderr[-2000:]
