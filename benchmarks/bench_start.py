"""Benchmark: cold and warm start of each CLI command (issue 12 targets), wall time of the whole process.

* warm: numba's disk cache filled (one run before), median of --repeat runs;
* both as wall time and as CPU time (user + system of the child process: on a loaded machine the wall time
  measures the load, the CPU time what the command costs; with an idle core, wall ≈ CPU for these commands);
* cold: the first run after install — empty caches (NUMBA_CACHE_DIR, PINEAL_CACHE_DIR and XDG_CACHE_HOME, where
  pint keeps its parsed definitions, set to new directories), so every kernel the command needs is compiled and
  pint's conversion factors and the dose population's Sobol normals are made; one run;
* the load average (1 min) is printed after each command's runs: the machine may be shared.

Commands: ``pineal --help``; ``pineal check FILE`` (tests/data/articles/seed-1000mg-melatonin.txt);
``pineal dose "3 mg" --at 22:00``; ``pineal simulate benchmarks/five_day.toml`` (5 days, both arms).
Not part of the test suite. ``nice -n 10 python3 benchmarks/bench_start.py [--repeat 3] [--no-cold]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLE = HERE.parent / "tests" / "data" / "articles" / "seed-1000mg-melatonin.txt"
COMMANDS = {  # name -> (arguments, warm target in s)
    "--help": (["--help"], 0.5),
    "check FILE": (["check", "--file", str(ARTICLE)], 1.5),
    'dose "3 mg" --at 22:00': (["dose", "3 mg", "--at", "22:00"], 2.0),
    "simulate five_day.toml": (["simulate", str(HERE / "five_day.toml")], 2.0),
}


def pineal_cmd() -> list[str]:
    exe = shutil.which("pineal", path=str(Path(sys.executable).parent)) or shutil.which("pineal")
    return [exe] if exe else [sys.executable, "-c", "from pineal.cli import main; main()"]


def wall(args: list[str], env: dict | None = None) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of the command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(pineal_cmd() + args, check=True, capture_output=True, env={**os.environ, **(env or {})})
    elapsed = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return elapsed, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-cold", action="store_true")
    args = ap.parse_args()
    print(f"{'command':26s} {'cold wall / CPU':>17s} {'warm wall / CPU':>17s} {'target':>7s} {'CPU':>5s} "
          f"{'cold/warm CPU':>13s} {'load':>5s}")
    nan = (float("nan"), float("nan"))
    for name, (argv, target) in COMMANDS.items():
        cold = nan
        if not args.no_cold:
            with tempfile.TemporaryDirectory() as tmp:
                cold = wall(argv, {"NUMBA_CACHE_DIR": f"{tmp}/numba", "PINEAL_CACHE_DIR": f"{tmp}/pineal",
                                   "XDG_CACHE_HOME": f"{tmp}/cache"})
        wall(argv)  # fill the default cache
        runs = [wall(argv) for _ in range(args.repeat)]
        warm = (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs))
        print(f"{name:26s} {cold[0]:7.2f}s / {cold[1]:6.2f}s {warm[0]:7.2f}s / {warm[1]:6.2f}s {target:6.1f}s "
              f"{'pass' if warm[1] <= target else 'MISS':>5s} {cold[1] / warm[1]:12.1f}x {os.getloadavg()[0]:5.1f}")
    print(f"(load: 1-min load average after the row, on {os.cpu_count()} cores; wall times include Python start; "
          "pass/MISS judges the warm CPU time)")


if __name__ == "__main__":
    main()
