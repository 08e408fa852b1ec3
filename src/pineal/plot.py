"""Figures (matplotlib, Agg backend): thin views of results computed elsewhere."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from pineal.errors import InputError

FORMATS = (".png", ".svg", ".pdf")


def _check_path(path: str | Path) -> Path:
    p = Path(path)
    if p.suffix.lower() not in FORMATS:
        raise InputError("plot", str(path), f"a file name ending in {', '.join(FORMATS)}")
    if not p.parent.exists():
        raise InputError("plot", str(path), "a path in an existing folder")
    return p


def dose_figure(rep, path: str | Path) -> Path:
    """Plasma melatonin after a dose (log scale) over the body's own night-time band."""
    from pineal import DISCLAIMER
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
    ax.legend(fontsize=8, loc="upper right")
    ax.grid(alpha=0.3, which="both")
    fig.text(0.01, 0.005, "Model prediction, not medical advice. " + DISCLAIMER.split("; ")[1].capitalize(),
             fontsize=6, color="0.35")
    fig.tight_layout(rect=(0, 0.03, 1, 1))
    fig.savefig(out)
    plt.close(fig)
    return out


def outcome(out, path: str | Path) -> Path:
    """Plot an experiment's model curve and data points (``Outcome.series``) to ``path`` (.png, .svg, .pdf)."""
    path = _check_path(path)
    s = out.series
    fig, ax = plt.subplots(figsize=(7, 4.5))
    if "model" in s:
        ax.plot(s["model"]["x"], s["model"]["y"], "-", color="C0", label=f"model: {s['model']['label']}")
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
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
