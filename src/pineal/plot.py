"""Figures (matplotlib, Agg backend): thin views of results computed elsewhere."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np

from pineal.errors import InputError

FORMATS = (".png", ".svg", ".pdf")


def _check_path(path: str | Path) -> Path:
    """A figure path pineal can write (pineal.limits.check_output_path); the CLI calls it before the run."""
    from pineal.limits import check_output_path

    return check_output_path(path, "plot", FORMATS)


def _save(fig, path: Path, **options) -> None:
    """Save and close; a file system refusing the write (full disk, a race) is an InputError, not a traceback."""
    try:
        fig.savefig(path, **options)
    except OSError as err:
        raise InputError("plot", str(path), "a writable file path", err.strerror) from None
    finally:
        plt.close(fig)


def _finish_for_a_person(fig, ax, path: Path) -> Path:
    """Legend, grid, the not-medical-advice line, and save: the end of every figure meant for a person."""
    from pineal import DISCLAIMER

    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3, which="both")
    fig.text(0.01, 0.005, "Model prediction. " + DISCLAIMER, fontsize=5.5, color="0.35", wrap=True)
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    _save(fig, path)
    return path


def dose_figure(rep, path: str | Path) -> Path:
    """Plasma melatonin after a dose (log scale) over the body's own night-time band."""
    from pineal.dose_report import _hhmm

    out = _check_path(path)
    t = rep.t_h
    fig, ax = plt.subplots(figsize=(9, 4.8), dpi=120)
    ax.axhspan(rep.endogenous_pg_ml.min(), rep.endogenous_peak_pg_ml, color="tab:green", alpha=0.12,
               label=f"body's own range (day level to night peak {rep.endogenous_peak_pg_ml:.0f} pg/mL)")
    ax.plot(t, rep.endogenous_pg_ml, color="tab:green", lw=1.5, ls="--", label="body's own melatonin")
    ax.plot(t, rep.total_pg_ml, color="tab:purple", lw=2.2, label=f"with {rep.dose_mg:g} mg {rep.route}")
    ax.axvline(rep.at_clock_h, color="0.4", lw=0.8)
    ax.annotate("dose", (rep.at_clock_h, ax.get_ylim()[0]), xytext=(3, 3), textcoords="offset points", fontsize=8)
    wake = rep.at_clock_h + ((rep.wake_clock_h - rep.at_clock_h) % 24 or 24)
    ax.axvline(wake, color="tab:orange", lw=0.8)
    ax.annotate(f"wake {rep.level_at_wake_pg_ml:.3g} pg/mL", (wake, rep.level_at_wake_pg_ml), xytext=(4, 6),
                textcoords="offset points", fontsize=8, color="tab:orange")
    ax.set_yscale("log")
    ax.set_ylim(max(1.0, rep.endogenous_pg_ml.min() * 0.5), max(rep.total_pg_ml.max() * 2, 200))
    ticks = range(int(t[0]) - int(t[0]) % 3, int(t[-1]) + 1, 3)
    ax.set_xticks(list(ticks), [_hhmm(h) for h in ticks], fontsize=8)
    ax.set_xlim(max(t[0], rep.at_clock_h - 4.0), min(t[-1], rep.at_clock_h + 22.0))
    ax.set_xlabel("clock time")
    ax.set_ylabel("plasma melatonin (pg/mL, log scale)")
    ax.set_title(f"{rep.dose_mg:g} mg melatonin ({rep.route}) at {_hhmm(rep.at_clock_h)}: peak "
                 f"{rep.cmax_pg_ml:.3g} pg/mL = {rep.cmax_fold_endogenous:.3g}x the night peak", fontsize=10)
    return _finish_for_a_person(fig, ax, out)


def outcome(out, path: str | Path) -> Path:
    """Plot an experiment's model curve and data points (``Outcome.series``) to ``path`` (.png, .svg, .pdf)."""
    path = _check_path(path)
    s = out.series
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if "model" in s:
        ax.plot(s["model"]["x"], s["model"]["y"], "-", color="C0", label=f"model: {s['model']['label']}")
    if "model2" in s:
        ax.plot(s["model2"]["x"], s["model2"]["y"], "-", color="C1", label=f"model: {s['model2']['label']}")
    if "curve" in s:
        ax.plot(s["curve"]["x"], s["curve"]["y"], "--", color="0.4", lw=1, label=s["curve"]["label"])
    if "data" in s:
        ax.plot(s["data"]["x"], s["data"]["y"], "o", color="C3", label=s["data"]["label"])
    if "vline" in s:
        ax.axvline(s["vline"]["x"], color="0.5", ls="--", label=s["vline"]["label"])
    if not s:
        ax.axis("off")
        text = "\n".join(f"{r.metric}: {r.model} {r.unit} (target {r.tolerance}) {'PASS' if r.passed else 'MISS'}"
                         for r in out.rows)
        ax.text(0.0, 0.5, text, va="center", family="monospace", fontsize=8)
    else:
        ax.axhline(0.0, color="0.8", lw=0.8)
        ax.set_xlabel(s.get("x_label", ""))
        ax.set_ylabel(s.get("y_label", ""))
        if s.get("x_log"):
            ax.set_xscale("log")
        ax.legend(fontsize=8)
    ax.set_title(out.title, fontsize=10)
    fig.tight_layout()
    _save(fig, path, dpi=120)
    return path


def protocol_figure(out, path: str | Path) -> Path:
    """A protocol run: plasma melatonin of both arms (log scale), sleep and light, doses and DLMOs."""

    path = _check_path(path)
    treat, placebo = out.treatment, out.placebo
    ep = out.episodes if out.episodes is not None else out.protocol.episodes()
    fig, ax = plt.subplots(figsize=(10, 4.8), dpi=120)
    for s in ep.sleep:
        ax.axvspan(s.start_h, s.end_h, color="0.85", lw=0)
    for li in ep.light:
        if li.lux >= 1000:
            ax.axvspan(li.start_h, li.end_h, color="gold", alpha=0.35, lw=0)
    t = treat.times
    ax.plot(t, treat.plasma, color="tab:purple", lw=1.6, label="plasma, intervention arm")
    if placebo is not None:
        ax.plot(t, placebo.plasma, color="tab:green", lw=1.2, ls="--", label="plasma, placebo arm")
    for d in ep.doses:
        ax.axvline(d.time_h, color="tab:purple", lw=0.6, alpha=0.6)
    for res, color in ((treat, "tab:purple"), (placebo, "tab:green")):
        if res is None:
            continue
        dl = res.dlmo(per_day=False)
        dl = dl[np.isfinite(dl)]
        ax.plot(dl, np.full(dl.shape, 10.0), "v", color=color, ms=6)
    ax.axhline(10.0, color="0.5", lw=0.6, ls=":")
    ax.set_yscale("log")
    ax.set_ylim(0.5, max(200.0, float(np.nanmax(treat.plasma)) * 2))
    ax.set_xlim(t[0], t[-1])
    ticks = np.arange(0.0, t[-1] + 1e-9, 12.0)
    ax.set_xticks(ticks, [f"d{int(h // 24) + 1} {int(h % 24):02d}:00" for h in ticks], fontsize=7)
    ax.set_ylabel("plasma melatonin (pg/mL, log)")
    ax.set_title(f"{out.protocol.name}: grey = sleep (dark), gold = bright light, ▼ = DLMO (10 pg/mL)", fontsize=10)
    return _finish_for_a_person(fig, ax, path)
