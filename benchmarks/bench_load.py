"""Load check of `pineal serve` (not a timed test): the server on 127.0.0.1, concurrent clients, mixed requests.

Part 0: ``--clients`` (50) concurrent clients send ``--requests`` / 2 dose requests only. Part 1: the same clients
send ``--requests`` (400) mixed requests in all (dose 50 %, check 30 %, simulate 20 %, each with varied inputs:
every dose request draws its amount, time, age, weight, sex and route or product at random, see ``_dose``, so no
two are alike), then the run ends. Prints requests/s, p50/p95/p99 per endpoint and
overall, the error count and every 5xx.

Part 2: a slow request (a 366-day protocol) running back to back while fast requests (``--fast-clients`` clients
sending `/api/dose` and `/api/check`) keep flowing; their p95 is compared with the same fast load alone.

    python benchmarks/bench_load.py [--clients 50] [--requests 400] [--workers N] [--port 8765]

Numbers depend on the machine and on what else runs on it; say which when you quote them. With ``psutil``
installed (``pip install -e ".[bench]"``), parts 0 and 1 also print the server's own CPU per request (main process
and workers), which does not depend on the other work on the machine, and the latency it implies on free cores.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import subprocess
import sys
import time

import httpx
import numpy as np

YEAR = """
[protocol]
name = "a year of morning light"
days = 366

[[light]]
start = "07:00"
end = "09:00"
lux = 5000
"""
TEXTS = [
    "Take {mg} mg of melatonin 30 minutes before bed for sleep.",
    "Melatonin at {mg} mg helps jet lag. It also cures cancer, some say. Children can have 0.5 mg.",
    "I took {mg} mg of melatonin and 200 mg of magnesium; it did not help my insomnia.",
]


#: a dose request's product or route: half the requests name a route (its generic curve), half a library product
ROUTES = ["oral-ir", "oral-ir", "oral-pr", "sublingual", "intranasal", "transdermal"]
PRODUCTS = ["ir-tablet", "capsule", "liquid", "gummy", "sublingual-spray", "circadin", "slenyto", "pr-tablet"]


def _dose(rng: random.Random) -> tuple[str, dict]:
    """A dose request drawn at random, so no two are alike (a cache of whole results could not help): amount
    log-uniform 0.1-30 mg (two decimals), time any minute 17:00-23:59, age 18-85, weight 45-120 kg, either sex,
    smoker 1 in 5, and a route or a product."""
    body = {"amount": f"{math.exp(rng.uniform(math.log(0.1), math.log(30))):.2f} mg",
            "at": f"{rng.randint(17, 23):02d}:{rng.randint(0, 59):02d}", "age": rng.randint(18, 85),
            "weight": f"{rng.uniform(45, 120):.1f}", "sex": rng.choice("mf"), "smoker": rng.random() < 0.2}
    if rng.random() < 0.5:
        body["route"] = rng.choice(ROUTES)
    else:
        body["product"] = rng.choice(PRODUCTS)
    return "/api/dose", body


def _check(rng: random.Random) -> tuple[str, dict]:
    return "/api/check", {"text": rng.choice(TEXTS).format(mg=rng.choice([0.5, 1, 3, 5, 10, 30]))}


def _simulate(rng: random.Random) -> tuple[str, dict]:
    days = rng.randint(3, 10)
    return "/api/simulate", {"protocol": f'[protocol]\nname = "load"\ndays = {days}\n\n[[dose]]\namount = "3 mg"\n'
                                         f'time = "{rng.randint(15, 21)}:00"\ndays = "2-{days - 1}"\n'}


def _mixed(rng: random.Random) -> tuple[str, dict]:
    r = rng.random()
    return _dose(rng) if r < 0.5 else _check(rng) if r < 0.8 else _simulate(rng)


async def _clients(base: str, n_clients: int, n_requests: int | None, make, seed: int, until=None) -> list[tuple]:
    """``n_clients`` concurrent clients; ``n_requests`` in all (or until ``until`` is set). (path, status, s)."""
    rng = random.Random(seed)
    todo = [make(rng) for _ in range(n_requests)] if n_requests else None
    out: list[tuple] = []
    async with httpx.AsyncClient(base_url=base, timeout=120) as http:
        async def client():
            while True:
                if todo is not None:
                    if not todo:
                        return
                    path, body = todo.pop()
                else:
                    if until.is_set():
                        return
                    path, body = make(rng)
                t0 = time.perf_counter()
                try:
                    status = (await http.post(path, json=body)).status_code
                except httpx.HTTPError as err:
                    status = type(err).__name__
                out.append((path, status, time.perf_counter() - t0))

        await asyncio.gather(*(client() for _ in range(n_clients)))
    return out


def _summary(title: str, results: list[tuple], wall: float) -> dict:
    print(f"\n{title}: {len(results)} requests in {wall:.1f} s = {len(results) / wall:.1f} requests/s")
    print(f"  {'endpoint':<15}{'n':>6}{'p50 s':>9}{'p95 s':>9}{'p99 s':>9}  statuses")
    rows = {}
    for path in [*sorted({r[0] for r in results}), "all"]:
        sel = [r for r in results if path in ("all", r[0])]
        lat = np.array([r[2] for r in sel])
        statuses = {}
        for r in sel:
            statuses[r[1]] = statuses.get(r[1], 0) + 1
        p50, p95, p99 = np.percentile(lat, [50, 95, 99])
        rows[path] = {"p50": p50, "p95": p95, "p99": p99, "statuses": statuses}
        print(f"  {path:<15}{len(sel):>6}{p50:>9.3f}{p95:>9.3f}{p99:>9.3f}  {statuses}")
    errors = [r for r in results if r[1] != 200]
    five = [r for r in results if not isinstance(r[1], int) or r[1] >= 500]
    print(f"  errors (not 200): {len(errors)}; 5xx or failed: {len(five)}")
    return rows


async def _fast_alone_and_under_slow(base: str, n_fast: int, seconds: float) -> None:
    def fast(rng):
        return _dose(rng) if rng.random() < 0.5 else _check(rng)

    stop = asyncio.Event()
    t0 = time.perf_counter()
    task = asyncio.ensure_future(_clients(base, n_fast, None, fast, seed=2, until=stop))
    await asyncio.sleep(seconds)
    stop.set()
    alone = await task
    alone_rows = _summary(f"fast requests alone ({n_fast} clients)", alone, time.perf_counter() - t0)

    stop = asyncio.Event()
    slow: list[tuple] = []

    async def slow_loop():
        async with httpx.AsyncClient(base_url=base, timeout=300) as http:
            while not stop.is_set():
                t = time.perf_counter()
                r = await http.post("/api/simulate", json={"protocol": YEAR})
                slow.append(("/api/simulate 366 d", r.status_code, time.perf_counter() - t))

    t0 = time.perf_counter()
    slow_task = asyncio.ensure_future(slow_loop())
    await asyncio.sleep(0.2)
    task = asyncio.ensure_future(_clients(base, n_fast, None, fast, seed=2, until=stop))
    await asyncio.sleep(seconds)
    stop.set()
    under = await task
    await slow_task
    under_rows = _summary(f"fast requests while 366-day protocols run back to back ({n_fast} clients)", under,
                          time.perf_counter() - t0)
    _summary("the slow requests", slow, time.perf_counter() - t0)
    for path in ("/api/dose", "/api/check", "all"):
        if path in alone_rows and path in under_rows:
            ratio = under_rows[path]["p95"] / alone_rows[path]["p95"]
            print(f"  {path}: p95 {alone_rows[path]['p95']:.3f} s alone, {under_rows[path]['p95']:.3f} s under the "
                  f"slow request = {ratio:.2f}x (target <= 2x)")


def _server_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of the server and every process under it (its worker pool); -1 without psutil."""
    try:
        import psutil
    except ImportError:
        return -1.0
    procs = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    total = 0.0
    for p in procs:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.NoSuchProcess:
            pass
    return total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--requests", type=int, default=400)
    ap.add_argument("--fast-clients", type=int, default=4)
    ap.add_argument("--fast-seconds", type=float, default=20.0)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--port", type=int, default=8765)
    args = ap.parse_args()
    base = f"http://127.0.0.1:{args.port}"
    cmd = [sys.executable, "-c", "from pineal.cli import main; main()", "serve", "--port", str(args.port)]
    if args.workers:
        cmd += ["--workers", str(args.workers)]
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} (other work on the machine "
          "slows every number here)")
    t0 = time.perf_counter()
    server = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        while True:
            try:
                health = httpx.get(base + "/api/health", timeout=1).json()
                break
            except httpx.HTTPError:
                if server.poll() is not None or time.perf_counter() - t0 > 600:
                    raise SystemExit("the server did not start:\n" + server.stderr.read()) from None
                time.sleep(0.5)
        print(f"server up in {time.perf_counter() - t0:.1f} s ({health['workers']} workers, warm-up "
              f"{health['warm_up_s']} s)")
        workers = health["workers"]
        for title, make, n in (("dose requests only", _dose, args.requests // 2), ("mixed load", _mixed,
                                                                                  args.requests)):
            cpu0, t0 = _server_cpu_s(server.pid), time.perf_counter()
            results = asyncio.run(_clients(base, args.clients, n, make, seed=1))
            wall = time.perf_counter() - t0
            rows = _summary(f"{title} ({args.clients} clients)", results, wall)
            cpu = _server_cpu_s(server.pid) - cpu0
            if cpu0 >= 0:
                # load-independent: the server's own CPU (main process and workers) per request; on `workers` free
                # cores a closed loop of C clients keeps C - workers requests waiting, so a request waits about
                # (C - workers) x cost / workers, plus its own cost
                per = cpu / len(results)
                implied = (args.clients - workers) * per / workers + per
                print(f"  server CPU {cpu:.1f} s = {per * 1000:.0f} ms per request ({cpu / wall:.2f} of "
                      f"{os.cpu_count()} cores busy with the server; load average now {os.getloadavg()[0]:.1f}); on "
                      f"{workers} free cores that implies ~{workers / per:.0f} requests/s and a latency of ~"
                      f"{implied:.2f} s with {args.clients} clients (measured p95 of all: {rows['all']['p95']:.2f} s)")
        asyncio.run(_fast_alone_and_under_slow(base, args.fast_clients, args.fast_seconds))
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
