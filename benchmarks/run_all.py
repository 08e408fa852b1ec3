"""Every benchmark in one run, one after the other (each prints its own side-by-side table with ratios).

    nice -n 10 python3 benchmarks/run_all.py [--quick]

--quick: 1,000 instead of 10,000 clock subjects and 10,000 instead of 100,000 trial subjects.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    q = ap.parse_args().quick
    runs = [
        ("start of each CLI command", ["bench_start.py"]),
        ("1 and 10,000 subjects x 30 days vs circadian", ["bench_clock.py", "--subjects", "1000" if q else "10000",
                                                          "--no-memory"]),
        ("the Burgess melatonin PRC", ["bench_prc.py"]),
        ("virtual trial on 1 vs 2 local Dask workers", ["bench_trial.py", "--subjects", "10000" if q else "100000"]),
    ]
    for title, argv in runs:
        print(f"\n=== {title} ===", flush=True)
        subprocess.run([sys.executable, str(HERE / argv[0]), *argv[1:]], check=True)


if __name__ == "__main__":
    main()
