"""Phase markers for every clock model, in one place (models.md §9).

* **CBTmin** — Kronauer family: the minimum of x plus the model's φ_ref; Hannay: ψ ≡ π. Detected inside the
  compiled solver from the step samples (streaming, memory O(1) per subject) and refined below the step size:
  parabolic interpolation of the minimum, quadratic interpolation of the phase crossing.
* **DLMO / DLMOff** — where the model has a melatonin state: the interpolated rising / falling crossing of
  the body's own plasma melatonin through a threshold (plasma 10 pg/mL; saliva 3 or 4 pg/mL through the
  saliva:plasma ratio), detected inside the compiled solver (:func:`level_update`). A rise counts as an onset
  only after ``MIN_BELOW_H`` below the threshold, and a fall as an offset only if it stays below that long,
  so light suppression at night or a dose does not create markers. For every model also the phase
  convention CBTmin − 7 h (Crowley 2003), reported separately (pitfall P6).
* **phase angle** to sleep onset, and the **phase shift** of a run against a reference run (advance > 0).

Robustness to short light blips: a minimum of x is only accepted as the lowest point of a trough (x < 0)
lasting at least ``MIN_TROUGH_H``; a phase crossing only when ψ passes a level never passed before.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

from pineal import params
from pineal.errors import InputError

MIN_TROUGH_H = 4.0
MIN_BELOW_H = 8.0
DLMO_PHASE = "phase: CBTmin - 7 h (convention)"

# marker work array layout (per subject)
_TA, _VA, _TB, _VB, _NS, _IN, _T0, _BT, _BV, _KMAX = range(10)
MARKER_WORK = 10


@nb.njit(cache=True)
def marker_init(kind, level, t, v, ms):
    """Start streaming detection at the first sample (t, v)."""
    ms[_TB] = t
    ms[_VB] = v
    ms[_NS] = 1.0
    ms[_IN] = 1.0 if v < 0.0 else 0.0
    ms[_T0] = t
    ms[_BT] = math.nan
    ms[_BV] = math.inf
    ms[_KMAX] = math.floor((v - level) / (2.0 * math.pi))


@nb.njit(cache=True)
def _vertex(ta, va, tb, vb, tc, vc):
    """Vertex (t, v) of the parabola through three points (times relative to tb for accuracy)."""
    x0 = ta - tb
    x2 = tc - tb
    d0 = (va - vb) / x0
    d2 = (vc - vb) / x2
    a = (d2 - d0) / (x2 - x0)
    bcoef = d0 - a * x0
    if a <= 0.0:
        return tb, vb
    xv = -bcoef / (2.0 * a)
    return tb + xv, vb + bcoef * xv + a * xv * xv


@nb.njit(cache=True)
def _crossing(ta, va, tb, vb, tc, vc, level, quadratic):
    """Time in [tb, tc] where the interpolant through the samples equals level."""
    tl = tb + (level - vb) * (tc - tb) / (vc - vb)
    if not quadratic:
        return tl
    x = tl - tb
    x0 = ta - tb
    x2 = tc - tb
    d0 = (va - vb) / x0
    d2 = (vc - vb) / x2
    a = (d2 - d0) / (x2 - x0)
    bcoef = d0 - a * x0
    for _ in range(3):  # Newton on q(x) = vb + b x + a x² = level
        f = vb + bcoef * x + a * x * x - level
        df = bcoef + 2.0 * a * x
        if df == 0.0:
            break
        x -= f / df
    if x < 0.0 or x > x2:
        return tl
    return tb + x


@nb.njit(cache=True)
def marker_update(kind, level, min_trough, t, v, ms, ev, count):
    """Feed one sample; store a detected CBTmin-marker time in ev[count]. Returns the new count."""
    ta = ms[_TA]
    va = ms[_VA]
    tb = ms[_TB]
    vb = ms[_VB]
    ns = ms[_NS]
    if kind == 0:
        if ns >= 2.0 and ms[_IN] > 0.0 and vb <= va and vb < v:
            tv, vv = _vertex(ta, va, tb, vb, t, v)
            if vv < ms[_BV]:
                ms[_BT] = tv
                ms[_BV] = vv
        if ms[_IN] == 0.0 and v < 0.0:
            ms[_IN] = 1.0
            ms[_T0] = t
            ms[_BT] = math.nan
            ms[_BV] = math.inf
        elif ms[_IN] > 0.0 and v >= 0.0:
            if t - ms[_T0] >= min_trough and ms[_BV] < math.inf:
                if count < ev.shape[0]:
                    ev[count] = ms[_BT]
                count += 1
            ms[_IN] = 0.0
    else:
        k = math.floor((v - level) / (2.0 * math.pi))
        if k > ms[_KMAX]:
            lev = level + 2.0 * math.pi * k
            tc = _crossing(ta, va, tb, vb, t, v, lev, ns >= 2.0)
            if count < ev.shape[0]:
                ev[count] = tc
            count += 1
            ms[_KMAX] = k
    ms[_TA] = tb
    ms[_VA] = vb
    ms[_TB] = t
    ms[_VB] = v
    ms[_NS] = ns + 1.0
    return count



@nb.njit(cache=True, inline="always")
def marker_quiet(kind, level, v, ms):
    """Whether feeding sample v to :func:`marker_update` would only move the sample history along (no trough
    entered or left, no candidate minimum, no phase level passed): then :func:`marker_shift` does the same work.
    A cheap test that lets a batch skip the full update on almost every step."""
    if kind == 0:
        if ms[_IN] == 0.0:
            return v >= 0.0
        return v < 0.0 and not (ms[_NS] >= 2.0 and ms[_VB] <= ms[_VA] and ms[_VB] < v)
    return math.floor((v - level) / (2.0 * math.pi)) <= ms[_KMAX]


@nb.njit(cache=True, inline="always")
def marker_shift(t, v, ms):
    """The history update of :func:`marker_update` alone (for a sample :func:`marker_quiet` calls quiet)."""
    ms[_TA] = ms[_TB]
    ms[_VA] = ms[_VB]
    ms[_TB] = t
    ms[_VB] = v
    ms[_NS] = ms[_NS] + 1.0

# level crossings (melatonin onset / offset) — work array per level
_LTA, _LVA, _LTB, _LVB, _LNS, _LBELOW, _LPEND, _LABOVE = range(8)
LEVEL_WORK = 8


@nb.njit(cache=True)
def level_init(levels, t, v, ws):
    """Start crossing detection at the first sample; a start below a level counts as long below."""
    for k in range(levels.shape[0]):
        ws[k, _LTB] = t
        ws[k, _LVB] = v
        ws[k, _LNS] = 1.0
        ws[k, _LABOVE] = 1.0 if v >= levels[k] else 0.0
        ws[k, _LBELOW] = -math.inf
        ws[k, _LPEND] = math.nan


@nb.njit(cache=True)
def level_update(levels, min_below, t, v, ws, on, off, non, noff):
    """Feed one sample; store confirmed onsets (rising) in on[k, :] and offsets (falling) in off[k, :]."""
    for k in range(levels.shape[0]):
        lev = levels[k]
        ta = ws[k, _LTA]
        va = ws[k, _LVA]
        tb = ws[k, _LTB]
        vb = ws[k, _LVB]
        quad = ws[k, _LNS] >= 2.0
        if ws[k, _LABOVE] == 0.0 and v >= lev:
            tc = _crossing(ta, va, tb, vb, t, v, lev, quad)
            if tc - ws[k, _LBELOW] >= min_below:
                if not math.isnan(ws[k, _LPEND]):
                    if noff[k] < off.shape[1]:
                        off[k, noff[k]] = ws[k, _LPEND]
                    noff[k] += 1
                if non[k] < on.shape[1]:
                    on[k, non[k]] = tc
                non[k] += 1
            ws[k, _LPEND] = math.nan  # a short dip: neither an offset nor an onset
            ws[k, _LABOVE] = 1.0
        elif ws[k, _LABOVE] > 0.0 and v < lev:
            tc = _crossing(ta, va, tb, vb, t, v, lev, quad)
            ws[k, _LBELOW] = tc
            ws[k, _LPEND] = tc
            ws[k, _LABOVE] = 0.0
        elif not math.isnan(ws[k, _LPEND]) and t - ws[k, _LBELOW] >= min_below:
            if noff[k] < off.shape[1]:
                off[k, noff[k]] = ws[k, _LPEND]
            noff[k] += 1
            ws[k, _LPEND] = math.nan
        ws[k, _LTA] = tb
        ws[k, _LVA] = vb
        ws[k, _LTB] = t
        ws[k, _LVB] = v
        ws[k, _LNS] += 1.0



@nb.njit(cache=True, inline="always")
def level_quiet(levels, min_below, t, v, ws):
    """Whether feeding sample (t, v) to :func:`level_update` would only move every level's sample history along
    (no crossing, no pending offset confirmed): then :func:`level_shift` does the same work."""
    for k in range(levels.shape[0]):
        if math.isnan(v) or (v >= levels[k]) != (ws[k, _LABOVE] > 0.0):  # a crossing (or a NaN sample)
            return False
        if not math.isnan(ws[k, _LPEND]) and t - ws[k, _LBELOW] >= min_below:
            return False
    return True


@nb.njit(cache=True, inline="always")
def level_shift(levels, t, v, ws):
    """The history update of :func:`level_update` alone (for a sample :func:`level_quiet` calls quiet)."""
    for k in range(levels.shape[0]):
        ws[k, _LTA] = ws[k, _LTB]
        ws[k, _LVA] = ws[k, _LVB]
        ws[k, _LTB] = t
        ws[k, _LVB] = v
        ws[k, _LNS] = ws[k, _LNS] + 1.0

# --- DLMO definitions -----------------------------------------------------------------------------------

#: definition -> (threshold parameter in params/melatonin.toml, measured in saliva?)
DLMO_DEFINITIONS = {
    "plasma_10": ("dlmo_plasma_pg_ml", False),
    "saliva_3": ("dlmo_saliva_3_pg_ml", True),
    "saliva_4": ("dlmo_saliva_4_pg_ml", True),
}
DEFINITION_TEXT = {
    "plasma_10": "plasma melatonin rising through 10 pg/mL (interpolated)",
    "saliva_3": "saliva melatonin rising through 3 pg/mL (saliva = plasma x saliva:plasma ratio)",
    "saliva_4": "saliva melatonin rising through 4 pg/mL (saliva = plasma x saliva:plasma ratio)",
    "phase": DLMO_PHASE,
}


def plasma_threshold(definition: str, saliva_ratio: float) -> float:
    """The plasma level (pg/mL) whose rising crossing is the DLMO of ``definition``."""
    if definition not in DLMO_DEFINITIONS:
        raise InputError("definition", definition, f"one of {', '.join([*DLMO_DEFINITIONS, 'phase'])}")
    key, in_saliva = DLMO_DEFINITIONS[definition]
    level = params.load("melatonin")[key]
    return level / saliva_ratio if in_saliva else level


def tracked_levels(saliva_ratio: float) -> np.ndarray:
    """Every plasma threshold of the DLMO definitions, once (the solver tracks their crossings)."""
    return np.unique(np.round([plasma_threshold(d, saliva_ratio) for d in DLMO_DEFINITIONS], 9))


# --- post-processing (numpy, per subject) -----------------------------------------------------------

def dlmo(cbtmin: np.ndarray, cbt_to_dlmo: float | np.ndarray = 7.0) -> np.ndarray:
    """DLMO times from CBTmin times by the phase convention (CBTmin − 7 h)."""
    offs = np.asarray(cbt_to_dlmo, dtype=float)
    if offs.ndim == 1 and np.ndim(cbtmin) == 2:
        offs = offs[:, None]
    return np.asarray(cbtmin, dtype=float) - offs


def per_day(events: np.ndarray, days: int, start: float = 0.0) -> np.ndarray:
    """Events (S, n) or (n,) placed in the day they fall in: (S, days) or (days,) with NaN where none."""
    ev = np.atleast_2d(np.asarray(events, dtype=float))
    out = np.full((ev.shape[0], days), np.nan)
    day = np.floor((ev - start) / 24.0)
    ok = np.isfinite(ev) & (day >= 0) & (day < days)
    rows, cols = np.nonzero(ok)
    out[rows, day[rows, cols].astype(int)] = ev[rows, cols]
    return out[0] if np.ndim(events) == 1 else out


def last_before(events: np.ndarray, t: float) -> np.ndarray:
    """The last event time ≤ t per subject ((S, n) → (S,)); NaN if none."""
    ev = np.atleast_2d(np.asarray(events, dtype=float))
    masked = np.where(np.isfinite(ev) & (ev <= t), ev, -np.inf)
    out = masked.max(axis=1)
    return np.where(np.isfinite(out), out, np.nan)


def phase_shift(run: np.ndarray, reference: np.ndarray, at: float | None = None) -> np.ndarray:
    """Phase shift (h, advance positive) of a run against a reference run, per subject.

    Takes each subject's last marker of ``run`` (at or before ``at``) and the nearest marker of
    ``reference``: shift = reference − run (an earlier marker after treatment is an advance).
    """
    run2 = np.atleast_2d(np.asarray(run, dtype=float))
    ref2 = np.atleast_2d(np.asarray(reference, dtype=float))
    if ref2.shape[0] == 1 and run2.shape[0] > 1:
        ref2 = np.broadcast_to(ref2, (run2.shape[0], ref2.shape[1]))
    t_run = last_before(run2, np.inf if at is None else at)
    diff = np.where(np.isfinite(ref2), ref2 - t_run[:, None], np.nan)
    idx = np.argmin(np.where(np.isfinite(diff), np.abs(diff), np.inf), axis=1)
    shift = diff[np.arange(len(idx)), idx]
    shift = np.where(np.abs(shift) <= 12.0, shift, np.nan)
    return shift if np.ndim(run) == 2 else shift[0]


def phase_angle(marker_times: np.ndarray, sleep_onset: float) -> np.ndarray:
    """Hours from a marker to the next sleep onset (clock hours), wrapped into (−12, 12]."""
    d = (sleep_onset - np.asarray(marker_times, dtype=float)) % 24.0
    return np.where(d > 12.0, d - 24.0, d)


# --- markers of the recorded melatonin curve (protocol format v2) -----------------------------------

RELATIVE_25 = "relative_25"  # the definition name of the relative-threshold DLMO/DLMOff
RELATIVE_FRACTION = 0.25  # Gooley et al. 2011: onset/offset at 25 % of the night's peak-to-trough amplitude


def night_profile(times: np.ndarray, own: np.ndarray, start_h: float,
                  fraction: float = RELATIVE_FRACTION) -> dict[str, np.ndarray]:
    """Markers of one night of the body's own melatonin, per subject, over [start_h, start_h + 24 h) (noon to
    noon): the peak (time, level), and the onset and offset where the curve rises and falls through
    trough + ``fraction`` × (peak − trough) of that window (a relative-threshold DLMO/DLMOff, Gooley 2011),
    linearly interpolated between samples (the peak is a sample: resolution is the recording step).

    times (n,), own (S, n) → dict of (S,) arrays ``peak_h``, ``peak``, ``onset_h``, ``offset_h``, NaN where the
    window is not fully recorded or has no rise and fall."""
    own = np.atleast_2d(own)
    n_sub = own.shape[0]
    nan = np.full(n_sub, np.nan)
    idx = np.nonzero((times >= start_h) & (times < start_h + 24.0))[0]
    step = times[1] - times[0] if times.size > 1 else np.inf
    if idx.size < 3 or times[idx[0]] > start_h + step or times[idx[-1]] < start_h + 24.0 - 2 * step:
        return {"peak_h": nan, "peak": nan, "onset_h": nan, "offset_h": nan}
    t, v = times[idx], own[:, idx]
    k = np.argmax(v, axis=1)
    peak = v[np.arange(n_sub), k]
    level = v.min(axis=1) + fraction * (peak - v.min(axis=1))
    below = v < level[:, None]
    j = np.arange(t.size)[None, :]
    last_below = np.where(below & (j < k[:, None]), j, -1).max(axis=1)  # onset between it and the next sample
    first_below = np.where(below & (j > k[:, None]), j, t.size).min(axis=1)  # offset between the previous and it

    def cross(a: np.ndarray) -> np.ndarray:
        ok = (a >= 0) & (a + 1 < t.size)
        a0 = np.clip(a, 0, t.size - 2)
        r = np.arange(n_sub)
        v0, v1 = v[r, a0], v[r, a0 + 1]
        frac = np.where(v1 != v0, (level - v0) / np.where(v1 != v0, v1 - v0, 1.0), 0.0)
        return np.where(ok, t[a0] + frac * (t[a0 + 1] - t[a0]), np.nan)

    return {"peak_h": t[k], "peak": peak, "onset_h": cross(last_below), "offset_h": cross(first_below - 1)}


def window_auc(times: np.ndarray, values: np.ndarray, start_h: float, end_h: float) -> np.ndarray:
    """Area (value × h) of a recorded curve over [start_h, end_h), per subject (trapezoid rule, the ends
    interpolated); NaN if the window is not inside the recording."""
    values = np.atleast_2d(values)
    if start_h < times[0] - 1e-9 or end_h > times[-1] + 1e-9:
        return np.full(values.shape[0], np.nan)
    inner = times[(times > start_h) & (times < end_h)]
    t = np.concatenate([[start_h], inner, [end_h]])
    v = np.vstack([np.interp(t, times, row) for row in values])
    return np.sum(0.5 * (v[:, 1:] + v[:, :-1]) * np.diff(t), axis=1)


def suppression_pct(auc: np.ndarray, baseline_auc: np.ndarray) -> np.ndarray:
    """Melatonin suppression (%) of a window against the same window on a baseline: 100 × (1 − AUC/AUC_base);
    NaN where the baseline has no melatonin to suppress."""
    auc, base = np.asarray(auc, float), np.asarray(baseline_auc, float)
    ok = base > 1e-9
    return np.where(ok, 100.0 * (1.0 - auc / np.where(ok, base, 1.0)), np.nan)
