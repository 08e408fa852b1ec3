"""Figures (matplotlib, Agg backend): model vs data for an experiment outcome."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from pineal.errors import InputError


def outcome(out, path: str | Path) -> Path:
    """Plot an experiment's model curve and data points (``Outcome.series``) to ``path`` (.png, .svg, .pdf)."""
    path = Path(path)
    if path.suffix.lower() not in (".png", ".svg", ".pdf"):
        raise InputError("plot", str(path), "a file name ending in .png, .svg or .pdf")
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
