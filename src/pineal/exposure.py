"""Exposure metrics of a concentration curve, computed as the PK studies compute them (non-compartmental).

* Cmax, tmax: the highest sample and its time (the grid is 1 min unless asked otherwise);
* apparent terminal t1/2: log-linear regression of the curve from tmax + 1 h to tmax + 5 h (typical sampling
  windows of the calibration studies, which sampled 6-8 h);
* AUC(0-inf): trapezoids over the run plus C_last / lambda_z.
All functions take arrays with time on the last axis and return one value per subject.
"""

from __future__ import annotations

import numpy as np

# numpy < 2 (Python 3.11, see pyproject) has only np.trapz; scipy.integrate's copy costs ~0.8 s of start-up
trapezoid = getattr(np, "trapezoid", None) or np.trapz  # noqa: NPY201 - only reached on numpy < 2


def cmax_tmax(t_h: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    c = np.atleast_2d(c)
    i = np.argmax(c, axis=-1)
    return c[np.arange(c.shape[0]), i], t_h[i]


def terminal_rate(t_h: np.ndarray, c: np.ndarray, start_after_tmax_h: float = 1.0,
                  window_h: float = 4.0) -> np.ndarray:
    """lambda_z (1/h) by least squares on ln C over [tmax + start, tmax + start + window], every subject at once:
    each subject's window is gathered into one (subjects x window) array and the slope taken in centred form,
    sum((t - t̄)(y - ȳ)) / sum((t - t̄)²)."""
    c = np.atleast_2d(c)
    _, tmax = cmax_tmax(t_h, c)
    first = np.searchsorted(t_h, tmax + start_after_tmax_h, side="left")
    end = np.searchsorted(t_h, tmax + start_after_tmax_h + window_h, side="right")
    width = int(max(1, (end - first).max(initial=1)))
    idx = first[:, None] + np.arange(width)[None, :]
    inside = idx < end[:, None]
    idx = np.minimum(idx, t_h.size - 1)
    tt = t_h[idx]
    cc = np.take_along_axis(c, idx, axis=1)
    sel = inside & (cc > 0)
    n = sel.sum(axis=1)
    w = sel.astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        y = np.where(sel, np.log(np.where(sel, cc, 1.0)), 0.0)
        t_mean = (w * tt).sum(axis=1) / n
        y_mean = y.sum(axis=1) / n
        dt = np.where(sel, tt - t_mean[:, None], 0.0)
        slope = (dt * (y - y_mean[:, None] * w)).sum(axis=1) / (dt * dt).sum(axis=1)
    return np.where(n >= 3, -slope, np.nan)


def apparent_half_life_h(t_h: np.ndarray, c: np.ndarray) -> np.ndarray:
    return np.log(2.0) / terminal_rate(t_h, c)


def auc_inf(t_h: np.ndarray, c: np.ndarray) -> np.ndarray:
    """AUC from 0 to infinity in (concentration unit) x h."""
    c = np.atleast_2d(c)
    part = trapezoid(c, t_h, axis=-1)
    lam = terminal_rate(t_h, c)
    tail = np.where(np.isfinite(lam) & (lam > 0), c[:, -1] / lam, 0.0)
    return part + tail


def hours_above(t_h: np.ndarray, c: np.ndarray, level) -> np.ndarray:
    """Total time (h) the curve spends above ``level`` (scalar or same shape as c), interpolated per step."""
    c = np.atleast_2d(c)
    above = (c > level).astype(float)
    dt = np.diff(t_h)
    return np.sum(0.5 * (above[:, 1:] + above[:, :-1]) * dt, axis=-1)
