"""Benchmark: a virtual trial (``pineal.trial``) on 1 vs 2 local Dask workers, with the peak memory of the
whole process tree (client, scheduler, workers: resident set sizes summed, sampled every 0.2 s by psutil).

    nice -n 10 python3 benchmarks/bench_trial.py [--subjects 100000] [--workers 1 2] [--dt 0.1]
    nice -n 10 python3 benchmarks/bench_trial.py --subjects 1000000 --workers 2 \
        --protocol benchmarks/light_two_day.toml --model forger1999        # the memory run

Protocol: benchmarks/two_day.toml (3 mg at 19:00 on day 1, DLMO on day 2 vs placebo; the default system model),
PK variation of pk.sample_subjects. The same seed gives the same table on any number of workers (checked).
Not part of the test suite.
"""

from __future__ import annotations

import argparse
import threading
import time
from pathlib import Path

import numpy as np
import psutil

from pineal.trials import trial

HERE = Path(__file__).resolve().parent


def tree_rss_mb(proc: psutil.Process) -> float:
    total = 0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += p.memory_info().rss
        except psutil.Error:
            pass
    return total / 2**20


def run(protocol: Path, model: str, subjects: int, workers: int, dt: float) -> tuple[float, float, object]:
    me = psutil.Process()
    peak = [tree_rss_mb(me)]
    stop = threading.Event()

    def sample():
        while not stop.is_set():
            peak.append(tree_rss_mb(me))
            time.sleep(0.2)

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    t = time.perf_counter()
    res = trial(protocol, subjects=subjects, seed=0, workers=workers, dt=dt, model=model)
    elapsed = time.perf_counter() - t
    stop.set()
    th.join()
    return elapsed, max(peak), res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--subjects", type=int, default=100_000)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--dt", type=float, default=0.1)
    ap.add_argument("--protocol", type=Path, default=HERE / "two_day.toml")
    ap.add_argument("--model", default="hannay2019+melatonin")
    args = ap.parse_args()
    print(f"trial of {args.protocol.name} ({args.model}), {args.subjects:,} subjects, dt = {args.dt} h")
    print(f"{'workers':>7s} {'wall':>10s} {'subjects/s':>11s} {'peak RSS (tree)':>16s} {'speed-up':>9s}")
    base, first = None, None
    for w in args.workers:
        elapsed, mem, res = run(args.protocol, args.model, args.subjects, w, args.dt)
        base = base or elapsed
        if first is None:
            first = res
        else:
            same = np.allclose(first.table.to_numpy(dtype=float), res.table.to_numpy(dtype=float), equal_nan=True)
            print(f"{'':7s} same table as with {args.workers[0]} worker(s): {same}")
        print(f"{w:7d} {elapsed:9.1f}s {args.subjects / elapsed:11.0f} {mem:14.0f} MB {base / elapsed:8.2f}x")
    pct = first.percentiles()
    print(pct.to_string(index=False, float_format=lambda v: f"{v:.3f}"))
    print(f"(load average {psutil.getloadavg()[0]:.1f} on {psutil.cpu_count()} cores)")


if __name__ == "__main__":
    main()
