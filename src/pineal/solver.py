"""Compiled fixed-step RK4 over a batch of subjects (DESIGN.md, numerics).

* Inputs are piecewise constant and held on each step's *own* interval; a step that contains an input
  breakpoint is split there, so each sub-interval is integrated with its exact input (pitfall P3).
* In bright light Process L is fast (60(α+β) ≈ 3-11 per hour at 8000 lux): such an interval is split into
  equal RK4 sub-steps with rate × sub-step ≤ ``RATE_STEP`` — without this, dt = 0.5 h is unstable for Jewett
  1999 at 8000 lux.
* Two kernels over the same model functions. The **per-subject kernel** (``_one``, one subject per loop, the
  models' libm arithmetic) runs single subjects, batches of fewer than ``VECTOR_MIN`` subjects and schedules
  with different breakpoints. The **vectorised kernel** (``_vblock``) runs larger batches whose schedules share
  one breakpoint grid (one schedule, or per-subject input values on the same breakpoints as
  :func:`pineal.schedule.series_batch` makes; parameters per subject or shared): a block of ``BLOCK`` subjects
  is structure-of-arrays state ``y[i, s]`` with the subjects as the inner loop; each RK4 stage is one loop over
  subjects calling the model's one-subject ``rhs`` on a :func:`pineal.lanes.lane` (subject ``s``'s column, no
  reference counting, compile-time strides), which LLVM vectorises (AVX2) because this kernel compiles copies of
  the model functions with :mod:`pineal.vmath` bound where they use :mod:`pineal.libm` (:func:`_with_vmath`).
  The two agree within 1e-6 (tests/scale/test_vector_kernel.py).
* Blocks (vectorised) or subjects (per-subject) run in parallel (``prange``).
* After every (sub)step the model's ``project`` keeps its states in their domain (concentrations ≥ 0).
* One specialised kernel per model, cached on disk (compiled once per installation, loaded by every later
  process): the kernel bodies below are templates that call ``rhs``/``prepare``/``project`` as *globals*;
  :func:`kernel` binds them to a model's functions and compiles with ``cache=True``. No cached signature holds a
  function type (a model's functions passed as arguments made numba's index hold first-class function types,
  which another process could not re-save: "underlying object has vanished" crashed a second model's first
  run). Each specialised kernel is named after the model and a hash of the sources it inlines, so an edited
  model RHS (numba only checks the kernel's own file) compiles afresh instead of loading stale code.
* Output: the CBTmin-marker events and, for a model with melatonin, the onsets/offsets of its plasma
  melatonin through given levels (memory O(batch)), the final state, and optionally the state every
  ``record_every`` steps.
"""

from __future__ import annotations

import hashlib
import math
import types
from dataclasses import dataclass
from pathlib import Path

import numba as nb
import numpy as np

from pineal import libm, vmath
from pineal.errors import InputError
from pineal.lanes import lane
from pineal.markers import (
    LEVEL_WORK,
    MARKER_WORK,
    MIN_BELOW_H,
    MIN_TROUGH_H,
    level_init,
    level_quiet,
    level_shift,
    level_update,
    marker_init,
    marker_quiet,
    marker_shift,
    marker_update,
)
from pineal.models.clock import ClockModel, get
from pineal.schedule import N_INPUTS, Schedule, ScheduleBatch, stack

DT_MAX = 0.5  # h; the largest step accepted (the oscillators' own time scale is ~3.8 h per radian)
RATE_STEP = 0.5  # max (fastest rate × RK4 step) inside an interval; bright light triggers sub-steps


# --- kernel templates: ``rhs``, ``prepare`` and ``project`` are bound to one model's functions by kernel() ---

def rhs(t, y, a, p, dydt):
    """Template slot: the model's right-hand side (see pineal.models.clock)."""
    raise NotImplementedError("bound per model by solver.kernel()")


def prepare(u, p, a):
    """Template slot: the model's per-interval input preparation."""
    raise NotImplementedError("bound per model by solver.kernel()")


def project(y):
    """Template slot: the model's projection onto its state domain."""
    raise NotImplementedError("bound per model by solver.kernel()")


@nb.njit(cache=True, inline="always")
def _first_segment(times, nbs, period, t0):
    """(start of the schedule's current period, index of the input segment holding t0)."""
    off_t = 0.0
    if period > 0.0:
        off_t = math.floor(t0 / period) * period
    j = np.searchsorted(times[:nbs], t0 - off_t, side="right") - 1
    return off_t, max(j, 0)


@nb.njit(cache=True, inline="always")
def _segment_end(times, nbs, period, off_t, j):
    """Model hour at which input segment ``j`` of the period starting at ``off_t`` ends."""
    if j + 1 < nbs:
        return off_t + times[j + 1]
    if period > 0.0:
        return off_t + period
    return math.inf


@nb.njit(cache=True, inline="always")
def _piece_end(seg_end, t_next):
    """(end, crosses a breakpoint) of the next piece of a step ending at ``t_next``: the input's next breakpoint
    ``seg_end`` if it falls inside the step (within 1e-9 h), else the step's end. Shared by both kernels."""
    if seg_end < t_next - 1e-9:
        return seg_end, True
    if seg_end <= t_next + 1e-9:
        return t_next, True
    return t_next, False


N_DERIVED = 0  # template slot: the model's n_derived (slots of ``a`` after the fastest rate)


def _rk4(t, h, y, a, p, k1, k2, k3, k4, yt):
    n = y.shape[0]
    rhs(t, y, a, p, k1)
    for i in range(n):
        yt[i] = y[i] + 0.5 * h * k1[i]
    rhs(t + 0.5 * h, yt, a, p, k2)
    for i in range(n):
        yt[i] = y[i] + 0.5 * h * k2[i]
    rhs(t + 0.5 * h, yt, a, p, k3)
    for i in range(n):
        yt[i] = y[i] + h * k3[i]
    rhs(t + h, yt, a, p, k4)
    for i in range(n):
        y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i])


def _one(y, p, times, vals, nbs, period, t0, dt, n_steps, mkind, midx, mlevel, mmin,
         rec_every, rec, ev, lidx, levels, on, off, non, noff):
    """Integrate one subject in place; returns the number of CBTmin-marker events seen."""
    ns = y.shape[0]
    k1 = np.empty(ns)
    k2 = np.empty(ns)
    k3 = np.empty(ns)
    k4 = np.empty(ns)
    yt = np.empty(ns)
    a = np.empty(vals.shape[1] + 1 + N_DERIVED)
    off_t, j = _first_segment(times, nbs, period, t0)
    seg_end = _segment_end(times, nbs, period, off_t, j)
    prepare(vals[j], p, a)
    ms = np.empty(MARKER_WORK)
    marker_init(mkind, mlevel, t0, y[midx], ms)
    ws = np.empty((levels.shape[0], LEVEL_WORK))
    if lidx >= 0:
        level_init(levels, t0, y[lidx], ws)
    count = 0
    nrec = rec.shape[0]
    if nrec > 0:
        for i in range(ns):
            rec[0, i] = y[i]
    for step in range(n_steps):
        tt = t0 + step * dt
        t_next = t0 + (step + 1) * dt
        while True:
            end, cross = _piece_end(seg_end, t_next)
            h = end - tt
            if h > 0.0:
                m = max(1, int(math.ceil(h * a[vals.shape[1]] / RATE_STEP)))  # noqa: RUF046
                hs = h / m
                for k in range(m):
                    _rk4(tt + k * hs, hs, y, a, p, k1, k2, k3, k4, yt)
                    project(y)
            tt = end
            if cross:
                j += 1
                if j >= nbs:
                    j = 0
                    off_t += period
                seg_end = _segment_end(times, nbs, period, off_t, j)
                prepare(vals[j], p, a)
            if end == t_next:
                break
        count = marker_update(mkind, mlevel, mmin, t_next, y[midx], ms, ev, count)
        if lidx >= 0:
            level_update(levels, MIN_BELOW_H, t_next, y[lidx], ws, on, off, non, noff)
        if nrec > 0 and (step + 1) % rec_every == 0:
            r = (step + 1) // rec_every
            if r < nrec:
                for i in range(ns):
                    rec[r, i] = y[i]
    return count


def _batch(y, p, tb, ub, nbk, period, t0, dt, n_steps, mkind, midx, mlevel, mmin,
           rec_every, rec, ev, nev, lidx, levels, on, off, non, noff):
    n_sub = y.shape[0]
    for s in nb.prange(n_sub):
        pi = 0
        if p.shape[0] > 1:
            pi = np.int64(s)
        si = 0
        if tb.shape[0] > 1:
            si = np.int64(s)
        nev[s] = _one(y[s], p[pi], tb[si], ub[si], nbk[si], period, t0, dt, n_steps, mkind,
                      midx, mlevel, mmin, rec_every, rec[s], ev[s], lidx, levels, on[s], off[s], non[s], noff[s])



# --- the vectorised batch kernel: subjects are the inner loop (structure of arrays) ------------------------
# Same arithmetic as _one, lane by lane: states y[i, s], a block of ``BLOCK`` subjects at a time, the model's
# one-subject rhs/project called on lane views (inlined, so each RK4 stage is one loop over lanes that LLVM
# vectorises; the models' transcendental functions come from pineal.vmath for that). The schedule is shared by
# the batch; parameters may differ per subject, and with them the number of bright-light sub-steps: a lane
# whose sub-steps are done takes steps of length 0 (which leave it unchanged) while the others finish.

BLOCK = 64  # subjects per vectorised block (the system model's block state, stages and parameters: ~40 kB)
VECTOR_MIN = 32  # fewer subjects run on the per-subject kernel (libm, already as fast per subject, no lanes idle)


def _vrk4(ts, hs, y, a, p, k1, k2, k3, k4, yt):
    ns = y.shape[0]
    nl = BLOCK
    for st in range(4):  # one call site of rhs (inlined once, not four times: a quarter of the compile time)
        src = y if st == 0 else yt
        kst = k1 if st == 0 else (k2 if st == 1 else (k3 if st == 2 else k4))
        c = 0.0 if st == 0 else (1.0 if st == 3 else 0.5)
        for s in range(nl):
            rhs(ts[s] + c * hs[s], lane(src, s, BLOCK), lane(a, s, BLOCK), lane(p, s, BLOCK), lane(kst, s, BLOCK))
        if st < 3:
            cn = 1.0 if st == 2 else 0.5
            for i in range(ns):
                for s in range(nl):
                    yt[i, s] = y[i, s] + cn * hs[s] * kst[i, s]
    for i in range(ns):
        for s in range(nl):
            y[i, s] += hs[s] / 6.0 * (k1[i, s] + 2.0 * k2[i, s] + 2.0 * k3[i, s] + k4[i, s])
    for s in range(nl):
        project(lane(y, s, BLOCK))


def _vblock(y0, p0, times, vals, nbs, period, t0, dt, n_steps, mkind, midx, mlevel, mmin,
            rec_every, rec, ev, nev, lidx, levels, on, off, non, noff):
    """Integrate the subjects of y0 (lanes, n_state) in place on one shared breakpoint grid ``times``; input values
    ``vals`` (lanes or 1, breakpoints, channels) and parameters p0 (lanes or 1, n_params) per subject or shared."""
    nl = BLOCK  # every block array is BLOCK lanes wide (constant strides); lanes nr.. repeat subject 0, discarded
    nr = y0.shape[0]
    ns = y0.shape[1]
    y = np.empty((ns, nl))
    for s in range(nl):
        for i in range(ns):
            y[i, s] = y0[s if s < nr else 0, i]
    p = np.empty((p0.shape[1], nl))  # shared parameters broadcast: lanes read consecutive memory, no gathers
    for s in range(nl):
        for i in range(p0.shape[1]):
            p[i, s] = p0[s if (p0.shape[0] > 1 and s < nr) else 0, i]
    k1 = np.empty((ns, nl))
    k2 = np.empty((ns, nl))
    k3 = np.empty((ns, nl))
    k4 = np.empty((ns, nl))
    yt = np.empty((ns, nl))
    nu = vals.shape[2]
    vm = 1 if vals.shape[0] > 1 else 0
    u = np.empty((nu, nl))  # this interval's inputs, lane by lane
    na = nu + 1 + N_DERIVED
    a = np.empty((na, nl))
    hs = np.empty(nl)
    ts = np.empty(nl)
    msub = np.empty(nl, dtype=np.int64)
    nlev = levels.shape[0]
    ms = np.empty((MARKER_WORK, nl))  # marker work, events and level crossings, subject index last
    evb = np.full((ev.shape[1], nl), np.nan)
    ws = np.empty((nlev, LEVEL_WORK, nl))
    onb = np.full((nlev, on.shape[2], nl), np.nan)
    offb = np.full((nlev, off.shape[2], nl), np.nan)
    nonb = np.zeros((nlev, nl), dtype=np.int64)
    noffb = np.zeros((nlev, nl), dtype=np.int64)
    off_t, j = _first_segment(times, nbs, period, t0)
    seg_end = _segment_end(times, nbs, period, off_t, j)
    for s in range(nl):
        for c in range(nu):
            u[c, s] = vals[(s if s < nr else 0) * vm, j, c]
        prepare(lane(u, s, BLOCK), lane(p, s, BLOCK), lane(a, s, BLOCK))
    for s in range(nr):
        marker_init(mkind, mlevel, t0, y[midx, s], lane(ms, s, BLOCK))
        if lidx >= 0:
            level_init(levels, t0, y[lidx, s], lane(ws, s, BLOCK))
        nev[s] = 0
    nrec = rec.shape[1]
    if nrec > 0:
        for s in range(nr):
            for i in range(ns):
                rec[s, 0, i] = y[i, s]
    for step in range(n_steps):
        tt = t0 + step * dt
        t_next = t0 + (step + 1) * dt
        while True:
            end, cross = _piece_end(seg_end, t_next)
            h = end - tt
            if h > 0.0:
                mmax = 1
                for s in range(nl):
                    m = max(1, int(math.ceil(h * a[nu, s] / RATE_STEP)))  # noqa: RUF046
                    msub[s] = m
                    mmax = max(mmax, m)
                for k in range(mmax):
                    for s in range(nl):
                        hsub = h / msub[s]
                        ts[s] = tt + k * hsub
                        hs[s] = hsub if k < msub[s] else 0.0
                    _vrk4(ts, hs, y, a, p, k1, k2, k3, k4, yt)
            tt = end
            if cross:
                j += 1
                if j >= nbs:
                    j = 0
                    off_t += period
                seg_end = _segment_end(times, nbs, period, off_t, j)
                for s in range(nl):
                    for c in range(nu):
                        u[c, s] = vals[(s if s < nr else 0) * vm, j, c]
                    prepare(lane(u, s, BLOCK), lane(p, s, BLOCK), lane(a, s, BLOCK))
            if end == t_next:
                break
        for s in range(nr):
            if marker_quiet(mkind, mlevel, y[midx, s], lane(ms, s, BLOCK)):  # almost every step: history only
                marker_shift(t_next, y[midx, s], lane(ms, s, BLOCK))
            else:
                nev[s] = marker_update(mkind, mlevel, mmin, t_next, y[midx, s], lane(ms, s, BLOCK),
                                       lane(evb, s, BLOCK), nev[s])
        if lidx >= 0:
            for s in range(nr):
                if level_quiet(levels, MIN_BELOW_H, t_next, y[lidx, s], lane(ws, s, BLOCK)):
                    level_shift(levels, t_next, y[lidx, s], lane(ws, s, BLOCK))
                else:
                    level_update(levels, MIN_BELOW_H, t_next, y[lidx, s], lane(ws, s, BLOCK), lane(onb, s, BLOCK),
                                 lane(offb, s, BLOCK), lane(nonb, s, BLOCK), lane(noffb, s, BLOCK))
        if nrec > 0 and (step + 1) % rec_every == 0:
            r = (step + 1) // rec_every
            if r < nrec:
                for s in range(nr):
                    for i in range(ns):
                        rec[s, r, i] = y[i, s]
    for s in range(nr):
        for i in range(ns):
            y0[s, i] = y[i, s]
        for e in range(evb.shape[0]):
            ev[s, e] = evb[e, s]
        for k in range(nlev):
            non[s, k] = nonb[k, s]
            noff[s, k] = noffb[k, s]
            for e in range(onb.shape[1]):
                on[s, k, e] = onb[k, e, s]
                off[s, k, e] = offb[k, e, s]


def _vbatch(y, p, times, vals, nbs, period, t0, dt, n_steps, mkind, midx, mlevel, mmin,
            rec_every, rec, ev, nev, lidx, levels, on, off, non, noff):
    n_sub = y.shape[0]
    n_blocks = (n_sub + BLOCK - 1) // BLOCK
    for b in nb.prange(n_blocks):
        lo = b * BLOCK
        hi = min(n_sub, lo + BLOCK)
        plo = lo if p.shape[0] > 1 else 0
        phi = hi if p.shape[0] > 1 else 1
        vlo = lo if vals.shape[0] > 1 else 0
        vhi = hi if vals.shape[0] > 1 else 1
        _vblock(y[lo:hi], p[plo:phi], times, vals[vlo:vhi], nbs, period, t0, dt, n_steps, mkind, midx, mlevel, mmin,
                rec_every, rec[lo:hi], ev[lo:hi], nev[lo:hi], lidx, levels, on[lo:hi], off[lo:hi], non[lo:hi],
                noff[lo:hi])


# --- one specialised, disk-cached kernel per model -------------------------------------------------------

_PACKAGE = Path(__file__).resolve().parent
_KERNELS: dict[tuple, object] = {}


def _sources_hash(mdl: ClockModel) -> str:
    """Hash of every source a model's kernel inlines: the solver, markers, vmath, lanes, models/ and the model's
    own files."""
    import inspect

    files = {_PACKAGE / "solver.py", _PACKAGE / "markers.py", _PACKAGE / "vmath.py", _PACKAGE / "libm.py",
             _PACKAGE / "lanes.py",
             *(_PACKAGE / "models").rglob("*.py")}
    for fn in (mdl.rhs, mdl.prepare, mdl.project):
        files.add(Path(inspect.getfile(getattr(fn, "py_func", fn))).resolve())
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(f.relative_to(_PACKAGE) if f.is_relative_to(_PACKAGE) else f).encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:12]


def _specialise(template, name: str, env: dict):
    """A copy of ``template`` whose globals bind ``env`` (a model's functions) and whose name is ``name``
    (numba's cache file is named after the qualified name; its index key is the bytecode)."""
    f = types.FunctionType(template.__code__, {**template.__globals__, **env}, name, template.__defaults__)
    f.__qualname__ = name
    f.__module__ = template.__module__
    return f


_VMATH: dict[int, object] = {}  # id(original) -> its copy computing with vmath (one per process)


def _with_vmath(obj):
    """``obj`` — a numba function or a module of pineal's — as it would be with :mod:`pineal.vmath` bound where
    its code (or any pineal function it calls, recursively) uses :mod:`pineal.libm`: the model functions the
    vectorised kernel compiles. The models' source stays the one written with libm; copies are not cached on
    their own (the kernel that inlines them is)."""
    if obj is libm:
        return vmath
    if id(obj) in _VMATH:
        return _VMATH[id(obj)]
    out = obj
    if isinstance(obj, types.ModuleType) and obj.__name__.startswith("pineal.") and obj is not vmath:
        out = types.ModuleType(obj.__name__, obj.__doc__)
        _VMATH[id(obj)] = out  # before recursing: modules may refer to each other
        for k, v in vars(obj).items():
            setattr(out, k, _with_vmath(v) if isinstance(v, nb.core.dispatcher.Dispatcher) else v)
        if all(getattr(out, k) is v for k, v in vars(obj).items()):
            out = obj  # nothing in it computes with libm
    elif isinstance(obj, nb.core.dispatcher.Dispatcher) and obj.py_func.__module__.startswith("pineal."):
        py = obj.py_func
        env = {}
        for name in py.__code__.co_names:
            v = py.__globals__.get(name)
            if v is libm or isinstance(v, (types.ModuleType, nb.core.dispatcher.Dispatcher)):
                w = _with_vmath(v)
                if w is not v:
                    env[name] = w
        if env:
            f = types.FunctionType(py.__code__, {**py.__globals__, **env}, py.__name__, py.__defaults__,
                                   py.__closure__)
            f.__qualname__, f.__module__, f.__doc__ = py.__qualname__, py.__module__, py.__doc__
            out = nb.njit(**{k: v for k, v in obj.targetoptions.items() if k != "nopython"})(f)
    _VMATH[id(obj)] = out
    return out


def kernel(model: str | ClockModel):
    """The compiled batch kernel for ``model`` (loaded from numba's disk cache when an earlier process built it)."""
    mdl = get(model)
    key = (mdl.name, mdl.rhs, mdl.prepare, mdl.project)
    if key not in _KERNELS:
        tag = "".join(c if c.isalnum() else "_" for c in mdl.name) + "_" + _sources_hash(mdl)
        env = {"rhs": mdl.rhs, "prepare": mdl.prepare, "project": mdl.project, "N_DERIVED": mdl.n_derived}
        env["_rk4"] = nb.njit(inline="always")(_specialise(_rk4, f"_rk4_{tag}", env))
        env["_one"] = nb.njit(_specialise(_one, f"_one_{tag}", env))
        _KERNELS[key] = nb.njit(cache=True, parallel=True)(_specialise(_batch, f"_batch_{tag}", env))
    return _KERNELS[key]


def vector_kernel(model: str | ClockModel):
    """The compiled vectorised batch kernel for ``model`` (subjects as the inner loop; one shared schedule)."""
    mdl = get(model)
    key = ("vector", mdl.name, mdl.rhs, mdl.prepare, mdl.project)
    if key not in _KERNELS:
        tag = "".join(c if c.isalnum() else "_" for c in mdl.name) + "_" + _sources_hash(mdl)
        env = {"rhs": _with_vmath(mdl.rhs), "prepare": mdl.prepare, "project": mdl.project,
               "N_DERIVED": mdl.n_derived}
        env["_vrk4"] = nb.njit(inline="always", error_model="numpy")(_specialise(_vrk4, f"_vrk4_{tag}", env))
        env["_vblock"] = nb.njit(error_model="numpy")(_specialise(_vblock, f"_vblock_{tag}", env))
        _KERNELS[key] = nb.njit(cache=True, parallel=True, error_model="numpy")(
            _specialise(_vbatch, f"_vbatch_{tag}", env))
    return _KERNELS[key]

@dataclass
class Run:
    """Raw solver output: marker events (CBTmin times, offset applied), melatonin onsets/offsets per level,
    final states, optional records."""

    model: ClockModel
    t0: float
    t_end: float
    dt: float
    cbtmin: np.ndarray  # (S, max_events), NaN padded
    y_end: np.ndarray  # (S, n_state)
    times: np.ndarray | None = None  # (n_rec,)
    states: np.ndarray | None = None  # (S, n_rec, n_state)
    levels: np.ndarray | None = None  # (L,) pg/mL of the model's plasma-melatonin state
    onsets: np.ndarray | None = None  # (S, L, max_events) rising crossings (DLMO), NaN padded
    offsets: np.ndarray | None = None  # (S, L, max_events) falling crossings (DLMOff)


def check_dt(dt) -> float:
    try:
        v = float(dt)
    except (TypeError, ValueError) as exc:
        raise InputError("dt", dt, f"a step in hours, 0 < dt <= {DT_MAX}") from exc
    if not math.isfinite(v) or v <= 0 or v > DT_MAX:
        raise InputError("dt", dt, f"a step in hours, 0 < dt <= {DT_MAX}", "too large for a stable, accurate step"
                         if math.isfinite(v) and v > DT_MAX else None)
    return v


def check_days(days) -> float:
    try:
        v = float(days)
    except (TypeError, ValueError) as exc:
        raise InputError("days", days, "a number of days > 0") from exc
    if not math.isfinite(v) or v <= 0:
        raise InputError("days", days, "a number of days > 0")
    return v


def shared_grid(batch: ScheduleBatch) -> bool:
    """Whether every subject's schedule has the same breakpoints (values may differ): the vectorised kernel's case."""
    if batch.size == 1:
        return True
    return bool(np.all(batch.counts == batch.counts[0]) and np.array_equal(
        batch.times, np.broadcast_to(batch.times[:1], batch.times.shape)))


def integrate(model: str | ClockModel, light: Schedule | ScheduleBatch | list[Schedule], y0: np.ndarray,
              p: np.ndarray, hours: float, dt: float = 0.1, t0: float = 0.0, record_every: int | None = None,
              cbt_offset: float | np.ndarray = 0.0, levels=(10.0,), vectorise: bool | None = None) -> Run:
    """Integrate ``hours`` from ``t0``; y0 (S, n_state) or (n_state,); p (S or 1, n_params).

    ``levels``: plasma melatonin thresholds (pg/mL) whose crossings are recorded, for a model with melatonin.
    ``vectorise``: None (default) runs batches of at least ``VECTOR_MIN`` subjects whose schedules share one
    breakpoint grid (one schedule, or per-subject values on the same breakpoints, as
    :func:`pineal.schedule.series_batch` makes) on the vectorised kernel (subjects as the inner loop), and
    everything else on the per-subject kernel; True uses the vectorised kernel whenever the grid is shared,
    False never. Both give the same numbers within 1e-6 (tests/scale/test_vector_kernel.py).
    """
    mdl = get(model)
    dt = check_dt(dt)
    if not math.isfinite(hours) or hours <= 0:
        raise InputError("hours", hours, "a duration in hours > 0")
    batch = light if isinstance(light, ScheduleBatch) else stack(light)
    y = np.array(np.atleast_2d(y0), dtype=np.float64, order="C")
    pv = np.ascontiguousarray(np.atleast_2d(p), dtype=np.float64)
    n_sub = y.shape[0]
    if y.shape[1] != mdl.n_state or not np.all(np.isfinite(y)):
        raise InputError("y0", y.shape, f"finite initial states of shape (subjects, {mdl.n_state})")
    if pv.shape[0] not in (1, n_sub) or batch.size not in (1, n_sub):
        raise InputError("batch", f"{n_sub} states, {pv.shape[0]} parameter rows, {batch.size} schedules",
                         "one row per subject, or one row shared by all")
    if batch.values.shape[2] != N_INPUTS:
        raise InputError("light", batch.values.shape, f"{N_INPUTS} input channels")
    n_steps = round(hours / dt)
    max_events = int(hours / 20.0) + 3
    ev = np.full((n_sub, max_events), np.nan)
    nev = np.zeros(n_sub, dtype=np.int64)
    if record_every:
        n_rec = n_steps // int(record_every) + 1
        rec = np.full((n_sub, n_rec, mdl.n_state), np.nan)
    else:
        record_every = 1
        rec = np.empty((n_sub, 0, mdl.n_state))
    lv = np.asarray(levels if mdl.has_melatonin else (), dtype=np.float64).reshape(-1)
    if lv.size and (not np.all(np.isfinite(lv)) or np.any(lv <= 0)):
        raise InputError("levels", lv.tolist(), "plasma melatonin thresholds in pg/mL, > 0")
    max_levels = int(hours / MIN_BELOW_H) + 3  # an onset needs MIN_BELOW_H below the level before it
    on = np.full((n_sub, lv.size, max_levels), np.nan)
    off = np.full((n_sub, lv.size, max_levels), np.nan)
    non = np.zeros((n_sub, lv.size), dtype=np.int64)
    noff = np.zeros((n_sub, lv.size), dtype=np.int64)
    if (vectorise or (vectorise is None and n_sub >= VECTOR_MIN)) and shared_grid(batch):
        run_kernel, times, vals, counts = vector_kernel(mdl), batch.times[0], batch.values, int(batch.counts[0])
    else:
        run_kernel, times, vals, counts = kernel(mdl), batch.times, batch.values, batch.counts
    run_kernel(y, pv, times, vals, counts, float(batch.period),
           float(t0), dt, n_steps, mdl.marker_kind, mdl.marker_index, float(mdl.marker_level), MIN_TROUGH_H,
           int(record_every), rec, ev, nev, mdl.level_index, lv, on, off, non, noff)
    if np.any(nev > max_events) or np.any(non > max_levels) or np.any(noff > max_levels):
        raise RuntimeError("marker buffer overflow: more marker events than cycles allow (numerical blow-up?)")
    offs = np.broadcast_to(np.asarray(cbt_offset, dtype=float), (n_sub,))
    ev += offs[:, None]
    run = Run(model=mdl, t0=t0, t_end=t0 + n_steps * dt, dt=dt, cbtmin=ev, y_end=y)
    if lv.size:
        run.levels, run.onsets, run.offsets = lv, on, off
    if rec.shape[1]:
        run.times = t0 + dt * record_every * np.arange(rec.shape[1])
        run.states = rec
    return run


def entrain(model: str | ClockModel, light: Schedule | list[Schedule], p: np.ndarray, dt: float = 0.1,
            y0: np.ndarray | None = None, n_sub: int = 1, tol_h: float = 1.0 / 60.0, chunk_days: int = 10,
            max_days: int = 200) -> np.ndarray:
    """Initial states at hour 0 after entrainment to a periodic (24-h) schedule, until markers settle.

    Runs whole periods in chunks until, for every subject, the last three CBTmin-marker events are one period
    apart within ``tol_h`` (default 1 min). Raises if a subject does not entrain within ``max_days``.
    """
    mdl = get(model)
    batch = light if isinstance(light, ScheduleBatch) else stack(light)
    if batch.period <= 0:
        raise InputError("entrain", "non-repeating schedule", "a repeating schedule (e.g. schedule.daily())")
    n_sub = max(n_sub, batch.size, np.atleast_2d(p).shape[0])
    y = np.tile(mdl.initial if y0 is None else np.asarray(y0, dtype=float), (n_sub, 1)) if (
        y0 is None or np.ndim(y0) == 1) else np.array(y0, dtype=float)
    period = batch.period
    hours = chunk_days * period
    done = 0.0
    while done < max_days * 24.0:
        run = integrate(mdl, batch, y, p, hours, dt)
        y = run.y_end
        done += hours
        ev = run.cbtmin
        k = np.sum(np.isfinite(ev), axis=1)
        if np.all(k >= 3):
            last = ev[np.arange(n_sub), k - 1]
            prev = ev[np.arange(n_sub), k - 2]
            prev2 = ev[np.arange(n_sub), k - 3]
            if np.all(np.abs(last - prev - period) < tol_h) and np.all(np.abs(prev - prev2 - period) < tol_h):
                return y
    raise InputError("entrain", f"{max_days} days", "a schedule the clock entrains to",
                     "the markers did not settle to the schedule's period")
