"""Benchmark: pineal's compiled clock solver vs the `circadian` library (Arcascope, PyPI 1.0.3).

Same protocol for both: Forger 1999, Jewett 1999, Hannay 2019 (and pineal's default system model alone),
lights 500 lux 07:00-23:00 and 0 lux otherwise, the library's default initial state, 30 days at dt = 0.1 h;
1 subject and a batch sharing one light schedule. pineal runs on both of its kernels in the same run: the
vectorised one (subjects as the inner loop; what shared-grid batches of at least solver.VECTOR_MIN subjects use)
and the per-subject one (what single subjects use).
Prints wall times (best of a few runs for single subjects, one run for batches), peak traced memory
(tracemalloc, in a separate run so the timing is not slowed) and ratios; and checks that both give the same
final phase once circadian's one-step input shift (it applies the input sampled at the END of each step to
the whole step, models.md P3) is reproduced in pineal's schedule. Installs nothing: without `circadian`
only pineal is timed. Not part of the test suite. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import math
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc

import numpy as np

from pineal import schedule, solver
from pineal.models import clock

try:  # optional: only for the side-by-side comparison
    import circadian.models as cmodels
except ImportError:  # pragma: no cover
    cmodels = None

DT, LUX, ON, OFF = 0.1, 500.0, 7.0, 23.0
#: every model pineal shares with circadian, and the default system model (pineal only: circadian has no model
#: with a dose input, and its Breslow 2013 batch fails, models.md P11; bench_prc.py compares that one run by run)
PAIRS = {"forger1999": "Forger99", "jewett1999": "Jewett99", "hannay2019": "Hannay19",
         "hannay2019+melatonin": None}


def light_array(t: np.ndarray) -> np.ndarray:
    h = np.mod(t, 24.0)
    return np.where((h >= ON) & (h < OFF), LUX, 0.0)


def pineal_schedule(shift: float = 0.0) -> schedule.Schedule:
    """Lights on [ON, OFF) every day; ``shift`` moves both edges (−dt reproduces circadian's end-of-step input)."""
    return schedule.daily(sleep=OFF + shift, wake=ON + shift, lux=LUX)


def phase(name: str, y: np.ndarray) -> np.ndarray:
    """Phase angle (rad, increasing with time) of final states (S, 3)."""
    y = np.atleast_2d(y)
    return y[:, 1] if name.startswith("hannay2019") else -np.arctan2(y[:, 1], y[:, 0])


def minutes(dphi: np.ndarray) -> np.ndarray:
    return np.abs((dphi + math.pi) % (2 * math.pi) - math.pi) / (2 * math.pi) * 24 * 60


def best_of(fn, repeat: int) -> tuple[float, object]:
    best, out = math.inf, None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return best, out


def peak_memory(fn) -> float:
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def cold_compile_seconds() -> tuple[float, float]:
    """Compiling every model's kernels in a fresh process with an empty cache: (per-subject kernels, which single
    subjects and small batches use, CPU seconds; vectorised kernels, which batches of at least VECTOR_MIN use)."""
    code = ("import time; import numpy as np; from pineal import schedule, solver; from pineal.models import clock\n"
            "out = []\n"
            "for n_sub in (1, solver.VECTOR_MIN):\n"
            " t = time.process_time()\n"
            f" for n in {tuple(PAIRS)}:\n"
            "  m = clock.get(n)\n"
            "  solver.integrate(m, schedule.daily(), np.tile(m.initial, (n_sub, 1)), m.vector(), 24.0)\n"
            " out.append(time.process_time() - t)\n"
            "print(*out)")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, NUMBA_CACHE_DIR=tmp)
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    one, vec = (float(x) for x in out.stdout.strip().splitlines()[-1].split())
    return one, vec


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--days", type=float, default=30.0)
    ap.add_argument("--subjects", type=int, default=10_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-memory", action="store_true", help="skip the separate tracemalloc runs")
    args = ap.parse_args()
    hours = args.days * 24.0
    n_steps = round(hours / DT)
    t_grid = np.arange(n_steps + 1) * DT
    n = args.subjects
    print(f"protocol: {args.days:g} days, dt = {DT} h ({n_steps} steps), {LUX:g} lux {ON:g}-{OFF:g} h; "
          f"batch {n} subjects sharing one schedule; numba threads {os.environ.get('NUMBA_NUM_THREADS', 'all')}")
    one, vec = cold_compile_seconds()
    print(f"numba cold compile (fresh cache, all four models, CPU time): per-subject kernels {one:.1f} s, vectorised "
          f"kernels {vec:.1f} s (each compiled only when first used; excluded from timings; later processes load "
          "them from the disk cache)")
    if cmodels is None:
        print("circadian not importable: timing pineal only (pip install circadian==1.0.3 for the comparison)")
    rows = []
    for name, cname in PAIRS.items():
        m = clock.get(name)
        p = m.vector()
        cm = getattr(cmodels, cname)() if cmodels and cname else None
        ic = np.asarray(cm._default_initial_condition if cm else m.initial, dtype=float)
        sched = pineal_schedule()
        for vec in (True, False):  # warm-up (JIT cache load) of both kernels (True forces the vectorised one)
            solver.integrate(m, sched, np.tile(ic, (2, 1)), p, 24.0, dt=DT, vectorise=vec)
        ys = np.tile(ic, (n, 1))
        t1, run1 = best_of(lambda m=m, p=p, ic=ic, s=sched: solver.integrate(m, s, ic, p, hours, dt=DT), args.repeat)
        t1o, _ = best_of(lambda m=m, p=p, ic=ic, s=sched: solver.integrate(m, s, ic, p, hours, dt=DT,
                                                                           vectorise=False), args.repeat)
        tb, _ = best_of(lambda m=m, p=p, s=sched, ys=ys: solver.integrate(m, s, ys, p, hours, dt=DT), 1)
        tbo, _ = best_of(lambda m=m, p=p, s=sched, ys=ys: solver.integrate(m, s, ys, p, hours, dt=DT,
                                                                           vectorise=False), 1)
        mem_p = math.nan if args.no_memory else peak_memory(lambda m=m, p=p, s=sched, ys=ys: solver.integrate(
            m, s, ys, p, hours, dt=DT))
        row = {"model": name, "pineal_1": t1, "pineal_b": tb, "pineal_mem": mem_p, "subj_1": t1o, "subj_b": tbo}
        if cm:
            light = light_array(t_grid)
            c1, traj = best_of(lambda cm=cm, ic=ic, light=light: cm.integrate(t_grid, initial_condition=ic,
                                                                              input=light), args.repeat)
            icb = np.tile(ic[:, None], (1, n))
            cb, _ = best_of(lambda cm=cm, icb=icb, light=light: cm.integrate(t_grid, initial_condition=icb,
                                                                              input=light), 1)
            mem_c = math.nan if args.no_memory else peak_memory(
                lambda cm=cm, icb=icb, light=light: cm.integrate(t_grid, initial_condition=icb, input=light))
            y_c = traj.states[-1]
            shifted = solver.integrate(m, pineal_schedule(-DT), ic, p, hours, dt=DT).y_end
            exact = solver.integrate(m, sched, ic, p, hours, dt=0.01).y_end
            row.update(circ_1=c1, circ_b=cb, circ_mem=mem_c,
                       agree_shifted=float(minutes(phase(name, shifted) - phase(name, y_c))[0]),
                       agree_unshifted=float(minutes(phase(name, run1.y_end) - phase(name, y_c))[0]),
                       circ_err=float(minutes(phase(name, exact) - phase(name, y_c))[0]),
                       pineal_err=float(minutes(phase(name, exact) - phase(name, run1.y_end))[0]))
        rows.append(row)

    print()
    print("pineal = what integrate() picks: the per-subject kernel for 1 subject, the vectorised kernel (subjects as "
          "the inner loop) for the batch; per-subject = the per-subject kernel forced; ratios = other / pineal")
    hdr = (f"{'model':20s} {'what':28s} {'circadian':>11s} {'per-subject':>11s} {'pineal':>11s} "
           f"{'vs circ.':>9s} {'vs per-s.':>9s}")
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        def cell(v, unit, fmt="{:.4g}"):
            return (fmt.format(v) + unit) if v is not None and not math.isnan(v) else "-"

        def ratio(a, b):
            return f"{a / b:.1f}x" if a is not None and not math.isnan(a) and b else "-"

        def line(what, c, o, p, unit, fmt="{:.4g}", r=r):
            print(f"{r['model']:20s} {what:28s} {cell(c, unit, fmt):>11s} {cell(o, unit, fmt):>11s} "
                  f"{cell(p, unit, fmt):>11s} {ratio(c, p):>9s} {ratio(o, p):>9s}")
        line("1 subject, time", r.get("circ_1"), r["subj_1"], r["pineal_1"], " s")
        line(f"{n} subjects, time", r.get("circ_b"), r["subj_b"], r["pineal_b"], " s")
        per = r["pineal_b"] / (n * n_steps) * 1e9
        print(f"{'':20s} {'':28s} pineal {per:.1f} ns per subject-step, "
              f"{n * n_steps / r['pineal_b'] / 1e6:.0f} M subject-steps/s")
        line(f"{n} subjects, peak memory", r.get("circ_mem"), None, r["pineal_mem"], " MB", "{:.1f}")
        if "agree_shifted" in r:
            print(f"{'':12s} final phase, pineal with circadian's 1-step input shift vs circadian: "
                  f"{r['agree_shifted']:.3f} min")
            print(f"{'':12s} final phase, pineal (exact input) vs circadian: {r['agree_unshifted']:.2f} min; "
                  f"error vs dt = 0.01 reference: circadian {r['circ_err']:.2f} min, pineal {r['pineal_err']:.3f} min")


if __name__ == "__main__":
    main()
