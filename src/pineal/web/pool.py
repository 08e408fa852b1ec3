"""A pool of warm worker processes for the server's CPU-bound work, with a time budget that really cancels.

Workers are forked from a forkserver that imported and ran ``pineal.web.jobs.warm`` once (compiled kernels stay
in memory across ``fork``), so every worker, including a replacement, starts warm. A job that overruns its budget
has its worker killed (the work stops) and a fresh one forked in its place; the caller gets ``BudgetExceeded``.
The event loop never blocks: it waits on the worker's pipe with ``add_reader``. Waiting claim checks get a free worker
first (the rest in arrival order), and the heavy kinds (simulate, validate, plan) leave one worker free for the others.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import logging
import multiprocessing as mp
import os
import time
from dataclasses import dataclass
from typing import Any

log = logging.getLogger("pineal.web")


WORKER_ENV = {"NUMBA_THREADING_LAYER": "workqueue", "NUMBA_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
              "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


#: a waiting claim check (milliseconds of work) goes before the other jobs, which wait in arrival order (ranking
#: them too starved protocol runs behind a stream of doses); heavy jobs may hold all workers but one, so a slow
#: request never blocks the fast ones
PRIORITY = {"check": 0}
HEAVY = frozenset({"simulate", "validate", "plan", "advance", "shifts"})  # a plan takes 0.3-3 s


class BudgetExceeded(Exception):
    """The job ran past its time budget and was cancelled."""


class WorkerCrashed(Exception):
    """The worker died while running the job."""


@dataclass
class JobFailed(Exception):
    """The job raised: ``kind`` is 'input' (an InputError, with its parts) or 'internal'."""

    kind: str
    detail: dict[str, Any]


def _serve(conn) -> None:
    """A worker's loop: receive (job name, kwargs), send ('ok', result) or ('input'|'internal', detail)."""
    from pineal.errors import InputError
    from pineal.web import jobs

    while True:
        try:
            name, kwargs = conn.recv()
        except (EOFError, OSError):
            return
        try:
            conn.send(("ok", getattr(jobs, name)(**kwargs)))
        except InputError as err:
            conn.send(("input", {"field": err.field, "value": _shown(err.value), "allowed": err.allowed,
                                 "reason": err.reason, "message": str(err)}))
        except Exception as err:  # reported to the caller as a clean message; the traceback stays in the log
            logging.getLogger("pineal.web").exception("job %s failed", name)
            conn.send(("internal", {"message": f"{type(err).__name__} while computing {name}"}))


def _shown(value) -> Any:
    return value if isinstance(value, (str, int, float, bool)) or value is None else repr(value)


class _Worker:
    def __init__(self, ctx):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_serve, args=(child,), daemon=True, name="pineal-worker")
        self.process.start()
        child.close()

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


def default_size() -> int:
    """One worker per core this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class WorkerPool:
    """``size`` warm workers; ``await pool.run(job, budget_s, **kwargs)`` runs ``pineal.web.jobs.<job>``."""

    def __init__(self, size: int | None = None):
        self.size = size or default_size()
        self._ctx = None
        self._idle: list[_Worker] = []
        self._waiting: list[tuple[int, int, bool, asyncio.Future]] = []  # (priority, arrival, heavy, future)
        self._order = itertools.count()
        self._heavy_running = 0
        self.heavy_limit = max(1, self.size - 1)
        self._all: set[_Worker] = set()
        self.started_s = 0.0

    def start(self) -> None:
        """Start the forkserver (it warms the kernels once) and the workers; blocks until they are ready."""
        t0 = time.perf_counter()
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload(["pineal.web.warm"])
        self._ctx = ctx
        # the forkserver (started by the first worker) inherits this environment: a fork-safe numba threading
        # layer (GNU OpenMP aborts a forked child) and one thread per worker, since the workers share the cores
        saved = {k: os.environ.get(k) for k in WORKER_ENV}
        os.environ.update(WORKER_ENV)
        try:
            for _ in range(self.size):
                self._add()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        self.started_s = time.perf_counter() - t0
        log.info("pineal: %d warm worker(s) ready in %.1f s", self.size, self.started_s)

    def _add(self) -> None:
        w = _Worker(self._ctx)
        self._all.add(w)
        self._release(w)

    def _release(self, worker: _Worker) -> None:
        self._idle.append(worker)
        self._dispatch()

    def _dispatch(self) -> None:
        """Give idle workers to waiting jobs: by priority, then arrival; a heavy job only while a heavy slot is free
        (a heavy job waits in line without holding anything, so it neither blocks others nor is starved)."""
        while self._idle and self._waiting:
            self._waiting = [w for w in self._waiting if not w[3].done()]
            heapq.heapify(self._waiting)
            eligible = [w for w in self._waiting if not w[2] or self._heavy_running < self.heavy_limit]
            if not eligible:
                return
            entry = min(eligible)
            self._waiting.remove(entry)
            heapq.heapify(self._waiting)
            if entry[2]:
                self._heavy_running += 1
            entry[3].set_result(self._idle.pop())

    def _done_heavy(self) -> None:
        self._heavy_running -= 1
        self._dispatch()

    async def _acquire(self, priority: int, heavy: bool, timeout: float) -> _Worker:
        fut = asyncio.get_running_loop().create_future()
        heapq.heappush(self._waiting, (priority, next(self._order), heavy, fut))
        self._dispatch()
        try:
            return await asyncio.wait_for(fut, timeout=timeout)
        except BaseException:
            if fut.done() and not fut.cancelled():  # handed a worker just as the wait ended: pass it on
                if heavy:
                    self._heavy_running -= 1
                self._release(fut.result())
            raise

    def stop(self) -> None:
        for w in list(self._all):
            w.kill()
        self._all.clear()
        self._idle.clear()

    async def run(self, job: str, budget_s: float, **kwargs) -> Any:
        """Run a job within ``budget_s`` seconds (waiting for a free worker counts); raise on overrun or error."""
        deadline = time.monotonic() + budget_s
        heavy = job in HEAVY
        try:
            worker = await self._acquire(PRIORITY.get(job, 1), heavy, budget_s)
        except TimeoutError:
            raise BudgetExceeded from None
        try:
            return await self._run(worker, job, deadline, **kwargs)
        finally:
            if heavy:
                self._done_heavy()

    async def _run(self, worker: _Worker, job: str, deadline: float, **kwargs) -> Any:
        loop = asyncio.get_running_loop()
        ready = loop.create_future()
        fd = worker.conn.fileno()
        try:
            worker.conn.send((job, kwargs))
            loop.add_reader(fd, lambda: ready.done() or ready.set_result(None))
            try:
                await asyncio.wait_for(ready, timeout=max(0.0, deadline - time.monotonic()))
            finally:
                loop.remove_reader(fd)
            status, payload = worker.conn.recv()
        except (TimeoutError, asyncio.CancelledError, EOFError, OSError) as err:
            # overrun, a client gone away, or a dead worker: stop the work and replace the worker
            self._all.discard(worker)
            worker.kill()
            self._add()
            if isinstance(err, TimeoutError):
                raise BudgetExceeded from None
            if isinstance(err, asyncio.CancelledError):
                raise
            raise WorkerCrashed from None
        self._release(worker)
        if status == "ok":
            return payload
        raise JobFailed(status, payload)
