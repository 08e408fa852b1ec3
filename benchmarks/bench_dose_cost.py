"""CPU cost of one request as a server worker computes it (one numba thread), with the load check's varied
requests (bench_load.py: every dose request draws amount, time, age, weight, sex and route or product), and the
latency that cost implies for a closed loop of ``--clients`` on ``--cores`` free cores. CPU time (process_time)
does not depend on the other work on the machine the way wall-clock latency does (shared caches aside).

    python benchmarks/bench_dose_cost.py [--requests 100] [--clients 50] [--cores 2]
"""

from __future__ import annotations

import argparse
import os
import random
import time

os.environ.update({"NUMBA_THREADING_LAYER": "workqueue", "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"})

import numpy as np

import bench_load
from pineal.web import jobs


def _cost(run, bodies) -> np.ndarray:
    out = []
    for b in bodies:
        c0 = time.process_time()
        run(b)
        out.append(time.process_time() - c0)
    return np.array(out)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--requests", type=int, default=100)
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--cores", type=int, default=2)
    args = ap.parse_args()
    jobs.warm()
    rng = random.Random(11)
    kinds = {"dose": (bench_load._dose, lambda b: jobs.dose(b)),
             "check": (bench_load._check, lambda b: jobs.check(b["text"])),
             "simulate": (bench_load._simulate, lambda b: jobs.simulate(b["protocol"]))}
    print(f"load average {os.getloadavg()[0]:.1f}; CPU per request in a worker ({args.requests} varied requests each)")
    mean = {}
    for name, (make, run) in kinds.items():
        bodies = [make(rng)[1] for _ in range(args.requests)]
        run(bodies[0])
        c = _cost(run, bodies)
        mean[name] = c.mean()
        print(f"  {name:<9} mean {c.mean() * 1000:6.1f} ms  p50 {np.median(c) * 1000:6.1f}  p95 "
              f"{np.percentile(c, 95) * 1000:6.1f}  max {c.max() * 1000:6.1f}")
    mix = 0.5 * mean["dose"] + 0.3 * mean["check"] + 0.2 * mean["simulate"]  # bench_load's mix
    for title, per in (("dose only", mean["dose"]), ("bench_load's mix", mix)):
        wait = (args.clients - args.cores) * per / args.cores
        print(f"  {title}: {per * 1000:.1f} ms per request -> ~{args.cores / per:.0f} requests/s on {args.cores} free "
              f"cores; with {args.clients} clients a request waits ~{wait:.2f} s (+ its own cost), before the "
              "HTTP layer's own CPU")


if __name__ == "__main__":
    main()
