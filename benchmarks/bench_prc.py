"""Benchmark: the full Burgess three-pill PRC protocol (issue 4 speed target: ≤ 0.1 s for ≥ 24 pill times with
melatonin and placebo arms).

pineal: ``experiments.burgess_protocol.prc`` for 24 (or --n) pill times: one batch of 2 × n five-day subjects
(melatonin + placebo arms), PK of every pill schedule, the compiled solver, DLMO markers. Timed warm (numba cache
loaded, best of --repeat), split into the shared part (entrainment + day-1 baseline, once per parameter set) and
the batch; the cold compile is timed in a subprocess.

Side by side, when ``circadian`` (1.0.3, PyPI) is installed: its Breslow 2013 model (the only melatonin model
in the library; it has no dose input, so each pill is added to its exogenous compartment H3 between integration
segments) runs the same work — 2 × n runs of the same five days at dt = 0.1 h, from its default state after
the same 30-day entrainment — one subject at a time (its Breslow model fails in batch mode, models.md P11).
The published code of Stowe et al. 2025 (no licence; not run here) took 19.7 s for 18 five-day runs on this
kind of machine (shared/data/model_benchmarks.json); that figure is printed as a recorded reference.

    python3 benchmarks/bench_prc.py [--n 24] [--repeat 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np

from pineal.experiments import burgess_protocol as bp

try:  # optional
    import circadian.models as cmodels
except ImportError:  # pragma: no cover
    cmodels = None

STOWE_18_RUNS_S = 19.7  # shared/data/model_benchmarks.json: burgess2008_full_prc_18_five_day_runs
H3_PER_3MG_PMOL_L = 1.92e4  # Stowe et al.'s delivered amount for 3 mg (model_benchmarks.json)


def pineal_once(n: int) -> tuple[float, float]:
    """Seconds for the shared baseline (fresh parameter set) and for the 2n-subject batch."""
    bp._cached_baseline.cache_clear()
    x = np.linspace(0.0, 24.0, n, endpoint=False)
    t0 = time.perf_counter()
    bp._cached_baseline(bp._key(None), bp.SUBJECT, 0.1)
    t1 = time.perf_counter()
    bp.prc(3.0, x)
    t2 = time.perf_counter()
    return t1 - t0, t2 - t1


def circadian_runs(n: int) -> float:
    """Seconds for 2n five-day Breslow13 runs in circadian (melatonin arm: three pills into H3)."""
    model = cmodels.Breslow13()
    dt = 0.1
    day = np.arange(0.0, 24.0 * 30, dt)
    light = np.where((day % 24 >= 7) & (day % 24 < 23), 500.0, 0.0)
    y0 = model.integrate(day, input=light).states[-1]
    hours = np.arange(0.0, 96.0 + dt / 2, dt)
    lab = np.where(((hours % 4.0) >= 1.5), 100.0, 0.0)
    t0 = time.perf_counter()
    for i in range(n):
        first = 4.0 * (i % 6) + 1.5
        for arm in (0, 1):
            y = y0.copy()
            cuts = [first, first + 24.0, first + 48.0] if arm == 0 else []
            start = 0.0
            for cut in [*cuts, hours[-1]]:
                seg = hours[(hours >= start - 1e-9) & (hours <= cut + 1e-9)]
                if seg.size > 1:
                    y = model.integrate(seg, initial_condition=y, input=lab[: seg.size]).states[-1].copy()
                if cut in cuts:
                    y[5] += H3_PER_3MG_PMOL_L
                start = cut
    return time.perf_counter() - t0


def cold_compile() -> float:
    code = ("import time, numpy as np; t=time.perf_counter(); from pineal.experiments import burgess_protocol as bp; "
            "bp.prc(3.0, np.linspace(0, 24, 24, endpoint=False)); print(time.perf_counter()-t)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=24, help="pill times (each with a placebo arm)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    pineal_once(args.n)  # warm-up (compile or load the numba cache)
    runs = [pineal_once(args.n) for _ in range(args.repeat)]
    base = min(r[0] for r in runs)
    batch = min(r[1] for r in runs)
    total = min(r[0] + r[1] for r in runs)
    print(f"Burgess PRC, {args.n} pill times x 2 arms (5-day lab session, dt = 0.1 h)")
    print(f"  pineal  baseline (entrainment + day 1, once per parameter set): {base * 1e3:8.1f} ms")
    print(f"  pineal  batch of {2 * args.n} subjects (PK + clock + melatonin + markers): {batch * 1e3:8.1f} ms")
    print(f"  pineal  total:                                                  {total * 1e3:8.1f} ms "
          f"(target <= 100 ms: {'met' if total <= 0.1 else 'MISSED'})")
    print(f"  pineal  cold start incl. numba compile (fresh process, cache as on disk): {cold_compile():.2f} s")
    per_run = STOWE_18_RUNS_S / 18
    print(f"  Stowe et al. 2025 code, recorded: {STOWE_18_RUNS_S} s for 18 runs = {per_run * 2 * args.n:.1f} s for "
          f"{2 * args.n} runs -> ratio {per_run * 2 * args.n / total:,.0f}x (recorded figure, not re-run)")
    if cmodels is None:
        print("  circadian not installed: pip install circadian==1.0.3 for the side-by-side run")
        return
    c = circadian_runs(args.n)
    print(f"  circadian 1.0.3 Breslow13, {2 * args.n} runs one at a time: {c:.2f} s -> ratio {c / total:,.0f}x")


if __name__ == "__main__":
    main()
