"""The plan as a figure: body-clock minimum (plan and no plan) against the target, with the plan's bars.

x: days in the final target's local dates; y: clock time in the target zone. The target band is the habitual
sleep window there. Bars along the bottom: sleep (grey), seek light (gold), avoid light (dark blue), melatonin
(purple ticks), flights (red). A re-plan shades the days as logged (light blue).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from pineal.plan.result import Marker, Plan, PlanItem


def plan_figure(plan: Plan, target_zone: str, sleep: tuple[float, float], path: str | Path) -> Path:
    """The figure of a trip or late-sleep plan."""
    return timeline_figure(plan.items, plan.markers, target_zone, sleep, path, replan=plan.replan)


def timeline_figure(items: list[PlanItem], markers: list[Marker], target_zone: str, sleep: tuple[float, float],
                    path: str | Path, replan=None, work: list[tuple] = ()) -> Path:
    """Body-clock minima (plan and no plan) against the target sleep band, with the items as bars; ``work``:
    (start, end) instants of work shifts (a night-work plan), drawn as their own row."""
    from zoneinfo import ZoneInfo

    from pineal.plot import _check_path, _finish_for_a_person, plt

    out = _check_path(path)
    zone = ZoneInfo(target_zone)
    times = [i.start for i in items]
    t0 = min(times).astimezone(zone).replace(hour=0, minute=0, second=0, microsecond=0)

    def x(when):
        return (when.astimezone(zone) - t0) / timedelta(days=1)

    def y(when):
        lt = when.astimezone(zone)
        h = lt.hour + lt.minute / 60.0
        return h if h >= 12 else h + 24  # plot 12:00 → 36:00 so the night is continuous

    fig, ax = plt.subplots(figsize=(9, 4.8))
    onset, wake = sleep
    lo = onset if onset >= 12 else onset + 24
    ax.axhspan(lo, lo + (wake - onset) % 24.0, color="0.9", label="target sleep window")
    if replan is not None:  # re-planning: the days lived, as logged
        ax.axvspan(x(replan.logged_from), x(replan.logged_until), color="lightblue", alpha=0.35,
                   label="days as logged")
    for strat, style in (("pineal plan", "o-"), ("no plan", "x--")):
        pts = [(x(m.at), y(m.at)) for m in markers if m.strategy == strat and m.kind == "cbtmin"]
        if pts:
            ax.plot(*zip(*pts, strict=True), style, ms=3, label=f"body-clock minimum, {strat}")
    colours = {"sleep": "0.55", "nap": "0.55", "flight_sleep": "0.4", "light_seek": "gold", "light_avoid": "navy",
               "flight": "red"}
    rows = {"sleep": 12.6, "nap": 12.6, "flight_sleep": 12.6, "flight": 13.4, "light_seek": 14.2,
            "light_avoid": 15.0}
    for a, b in work:
        ax.barh(13.4, x(b) - x(a), left=x(a), height=0.6, color="darkorange")
    for it in items:
        if it.kind in colours:
            ax.barh(rows[it.kind], x(it.end) - x(it.start), left=x(it.start), height=0.6, color=colours[it.kind])
        elif it.kind == "melatonin":
            ax.plot([x(it.start)], [15.8], "v", color="purple")
    ax.set_ylim(12, 36)
    ax.set_yticks(range(12, 37, 3), [f"{h % 24:02d}:00" for h in range(12, 37, 3)])
    days = int(max(x(i.end) for i in items)) + 1
    ax.set_xticks(range(days), [(t0 + timedelta(days=d)).strftime("%a %d") for d in range(days)], rotation=60,
                  fontsize=7)
    ax.set_ylabel(f"clock time in {target_zone}")
    ax.set_title(f"Plan: sleep / {'work' if work else 'flight'} / seek light / avoid light / melatonin (bottom rows, "
                 "bottom to top)", fontsize=9)
    ax.legend(fontsize=7, loc="upper right")
    return _finish_for_a_person(fig, ax, out)
