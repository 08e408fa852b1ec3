"""Benchmark: cold and warm start of each CLI command (issue 12 targets), wall time of the whole process.

* warm: numba's disk cache filled (one run before), median of --repeat runs;
* cold: the first run after install — an empty numba cache (NUMBA_CACHE_DIR set to a new directory), so every
  kernel the command needs is compiled; one run.

Commands: ``pineal --help``; ``pineal check FILE`` (tests/data/articles/seed-1000mg-melatonin.txt);
``pineal dose "3 mg" --at 22:00``; ``pineal simulate benchmarks/five_day.toml`` (5 days, both arms).
Not part of the test suite. ``nice -n 10 python3 benchmarks/bench_start.py [--repeat 3] [--no-cold]``.
"""

from __future__ import annotations

import argparse
import os
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


def wall(args: list[str], env: dict | None = None) -> float:
    t = time.perf_counter()
    subprocess.run(pineal_cmd() + args, check=True, capture_output=True, env={**os.environ, **(env or {})})
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-cold", action="store_true")
    args = ap.parse_args()
    print(f"{'command':26s} {'cold (empty cache)':>19s} {'warm (median)':>14s} {'target':>8s} {'':>5s} "
          f"{'cold/warm':>9s}")
    for name, (argv, target) in COMMANDS.items():
        cold = float("nan")
        if not args.no_cold:
            with tempfile.TemporaryDirectory() as tmp:
                cold = wall(argv, {"NUMBA_CACHE_DIR": tmp})
        wall(argv)  # fill the default cache
        warm = statistics.median(wall(argv) for _ in range(args.repeat))
        print(f"{name:26s} {cold:18.2f}s {warm:13.2f}s {target:7.1f}s {'pass' if warm <= target else 'MISS':>5s} "
              f"{cold / warm:8.1f}x")
    print(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; wall times include Python start)")


if __name__ == "__main__":
    main()
