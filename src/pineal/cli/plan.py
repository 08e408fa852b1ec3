"""`pineal plan trip`: a day-by-day jet-lag plan in local time, with JSON, .ics, a figure and a protocol file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

plan_app = typer.Typer(help="Plans for jet lag (trip), night work (shifts) and late sleep (advance). "
                            "Not medical advice.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(plan_app, name="plan")


def _out_path(path: str, suffixes: tuple[str, ...], field: str) -> Path:
    from pineal.errors import InputError

    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise InputError(field, path, f"a file name ending in {', '.join(suffixes)}")
    if not p.parent.exists() or p.is_dir():
        raise InputError(field, path, "a file path in an existing folder")
    return p


@plan_app.command()
def trip(
    leg: Annotated[list[str] | None, typer.Option(help="'ORIGIN YYYY-MM-DD HH:MM DESTINATION YYYY-MM-DD HH:MM' "
                                                       "(local times); repeat for each leg.")] = None,
    file: Annotated[str | None, typer.Option("--file", help="A TOML trip file (docs/plan.md).")] = None,
    sleep: Annotated[str | None, typer.Option(help="Habitual sleep window, e.g. 23:00-07:00.")] = None,
    chronotype: Annotated[str | None, typer.Option(help="early, intermediate or late.")] = None,
    dlmo: Annotated[str | None, typer.Option(help="A measured DLMO at home, HH:MM.")] = None,
    melatonin: Annotated[bool | None, typer.Option("--melatonin/--no-melatonin")] = None,
    dose: Annotated[float | None, typer.Option(help="Melatonin dose in mg, 0.5-5 (default 0.5).")] = None,
    light_box: Annotated[float | None, typer.Option(help="Light box at the eye, lux (1000-12000).")] = None,
    prep_days: Annotated[int | None, typer.Option(help="Days of preparation before departure, 0-7.")] = None,
    stay_nights: Annotated[int | None, typer.Option(help="Nights at the last stop.")] = None,
    plane_sleep: Annotated[bool | None, typer.Option("--plane-sleep/--no-plane-sleep")] = None,
    age: Annotated[float | None, typer.Option(help="Age in years.")] = None,
    pregnant: Annotated[bool, typer.Option(help="Pregnant (no melatonin in the plan).")] = False,
    with_drug: Annotated[list[str] | None, typer.Option("--with", help="A medicine taken (safety screen).")] = None,
    condition: Annotated[list[str] | None, typer.Option(help="A condition, e.g. epilepsy.")] = None,
    drive: Annotated[bool, typer.Option("--drive", help="Driving after arrival.")] = False,
    population: Annotated[int | None, typer.Option(help="Virtual travellers for the benefit band (0-200).")] = None,
    log: Annotated[str | None, typer.Option("--log", help="Re-plan from what you did: a CSV log "
                                            "(timestamp,lux,asleep,melatonin_mg; docs/plan.md).")] = None,
    ics: Annotated[str | None, typer.Option(help="Write an .ics calendar.")] = None,
    plot: Annotated[str | None, typer.Option(help="Write a figure (.png/.svg/.pdf).")] = None,
    protocol: Annotated[str | None, typer.Option(help="Write the plan as a protocol .toml (pineal simulate).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object (docs/plan.md).")] = False,
) -> None:
    """A jet-lag plan: sleep, light and melatonin day by day in local time, optimised on the model."""
    from pineal.errors import InputError
    from pineal.plan import TripRequest, plan_trip
    from pineal.plan.checks import violations

    data: dict = {}
    if file:
        base = TripRequest.from_toml(file)
        data = base.model_dump()
    flags = {"legs": leg or None, "sleep": sleep, "chronotype": chronotype, "dlmo": dlmo, "melatonin": melatonin,
             "dose_mg": dose, "light_box_lux": light_box, "prep_days": prep_days, "stay_nights": stay_nights,
             "plane_sleep": plane_sleep, "age": age, "population": population, "drugs": with_drug or None,
             "conditions": condition or None}
    data.update({k: v for k, v in flags.items() if v is not None})
    if pregnant:
        data["pregnant"] = True
    if drive:
        data["drive_after_arrival"] = True
    if not data.get("legs"):
        raise InputError("leg", None, "at least one --leg 'JFK 2027-01-10 18:30 LHR 2027-01-11 06:30' or --file")
    paths = {"ics": ics and _out_path(ics, (".ics",), "ics"),
             "plot": plot and _out_path(plot, (".png", ".svg", ".pdf"), "plot"),
             "protocol": protocol and _out_path(protocol, (".toml",), "protocol")}
    req = TripRequest.build(data, source="plan")
    activity = None
    if log:
        from pineal.plan.log import read_log

        activity = read_log(log)
    console = Console(stderr=True)
    with console.status("Re-planning from the log…" if activity else "Planning on the model…"):
        plan, eng, progs = plan_trip(req, log=activity)
    bad = violations(plan, eng.it, req.dose_mg, req.plane_sleep)
    if bad:
        plan.notes.append("constraint check: " + "; ".join(bad))
    if paths["ics"]:
        from pineal.plan.export import to_ics

        paths["ics"].write_bytes(to_ics(plan))
    if paths["protocol"]:
        from pineal.plan.export import to_protocol_toml
        from pineal.timeline import format_clock

        off = eng.it.home.zone.utcoffset(eng.ctx.grid.t0.replace(tzinfo=None)).total_seconds() / 3600
        s, w = req.sleep_hours
        paths["protocol"].write_text(to_protocol_toml(plan, progs["pineal plan"], eng.ctx.grid,
                                                      (format_clock(s - off), format_clock(w - off))), "utf-8")
    if paths["plot"]:
        from pineal.plan.figure import plan_figure

        target = eng.it.episodes[-1].target.key if eng.it.episodes else eng.it.home.zone.key
        plan_figure(plan, target, req.sleep_hours, paths["plot"])
    if as_json:
        typer.echo(plan.model_dump_json(indent=2))
        return
    _show(plan, {k: str(v) for k, v in paths.items() if v})


@plan_app.command()
def advance(
    from_: Annotated[str, typer.Option("--from", help="Current sleep window, e.g. 03:00-11:00.")],
    to: Annotated[str, typer.Option(help="Target sleep window, e.g. 23:00-07:00.")],
    near: Annotated[str, typer.Option(help="Nearest airport (IATA) for daylight and time zone.")] = "LHR",
    start: Annotated[str | None, typer.Option(help="First day, YYYY-MM-DD (default tomorrow).")] = None,
    melatonin: Annotated[bool, typer.Option("--melatonin/--no-melatonin")] = True,
    dose: Annotated[float, typer.Option(help="Melatonin dose in mg, 0.5-5.")] = 0.5,
    light_box: Annotated[float | None, typer.Option(help="Light box at the eye, lux.")] = None,
    age: Annotated[float, typer.Option(help="Age in years.")] = 30.0,
    days: Annotated[int, typer.Option(help="Days to plan, 7-42.")] = 28,
    ics: Annotated[str | None, typer.Option(help="Write an .ics calendar.")] = None,
    plot: Annotated[str | None, typer.Option(help="Write a figure (.png/.svg/.pdf).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Delayed sleep phase: move sleep earlier with a fixed wake time, morning light and timed melatonin."""
    from pineal.plan.advance import plan_advance

    path = ics and _out_path(ics, (".ics",), "ics")
    figure = plot and _out_path(plot, (".png", ".svg", ".pdf"), "plot")
    if start is not None:
        from datetime import date

        from pineal.errors import InputError

        try:
            date.fromisoformat(start)
        except ValueError:
            raise InputError("start", start, "a date YYYY-MM-DD") from None
    with Console(stderr=True).status("Planning on the model…"):
        plan = plan_advance(from_, to, near=near, start=start, melatonin=melatonin, dose_mg=dose,
                            light_box_lux=light_box, age=age, days=days)
    if path:
        from pineal.plan.export import to_ics

        path.write_bytes(to_ics(plan, "pineal sleep-advance plan"))
    if figure:
        from pineal.plan.figure import plan_figure
        from pineal.plan.request import sleep_window

        plan_figure(plan, plan.episodes[0].zone_to, sleep_window(to, "to"), figure)
    if as_json:
        typer.echo(plan.model_dump_json(indent=2))
        return
    _show(plan, {"ics": str(path)} if path else {})


@plan_app.command()
def shifts(
    roster: Annotated[str, typer.Argument(help="A .csv (start,end local 'YYYY-MM-DD HH:MM') or .ics of shifts.")],
    near: Annotated[str, typer.Option(help="Nearest airport (IATA) for daylight and time zone.")] = "LHR",
    sleep: Annotated[str, typer.Option(help="Habitual sleep on days off, e.g. 23:00-07:00.")] = "23:00-07:00",
    light_box: Annotated[float, typer.Option(help="Light box at work, lux.")] = 4000.0,
    population: Annotated[int, typer.Option(help="Virtual workers for the benefit band (0-200).")] = 12,
    ics: Annotated[str | None, typer.Option(help="Write an .ics calendar of the plan.")] = None,
    plot: Annotated[str | None, typer.Option(help="Write a figure (.png/.svg/.pdf).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Night work: compromise phase (Smith & Eastman 2008) with light pulses, dark glasses and fixed dark sleep,
    the variant chosen on the model."""
    import json

    from pineal.plan.shifts import plan_shifts

    path = ics and _out_path(ics, (".ics",), "ics")
    figure = plot and _out_path(plot, (".png", ".svg", ".pdf"), "plot")
    with Console(stderr=True).status("Planning on the model…"):
        out = plan_shifts(roster, near=near, sleep=sleep, light_box_lux=light_box, population=population)
    if path or figure:
        from datetime import datetime

        from pineal.plan.result import Marker, PlanItem

        items = [PlanItem.model_validate(i) for i in out["items"]]
        if path:
            from pineal.plan.export import items_ics

            path.write_bytes(items_ics(items, "pineal night-work plan"))
        if figure:
            from pineal.plan.figure import timeline_figure
            from pineal.plan.request import sleep_window

            work = [(datetime.fromisoformat(w["start"]), datetime.fromisoformat(w["end"])) for w in out["shifts"]]
            timeline_figure(items, [Marker.model_validate(m) for m in out["markers"]], items[0].zone,
                            sleep_window(sleep), figure, work=work)
    if as_json:
        typer.echo(json.dumps(out, indent=2))
        return
    con = Console()
    con.print(f"Chosen among {out['candidates_evaluated']} plans on the model: {escape(out['choice'])}",
              highlight=False)
    t = Table("", "night shifts with CBTmin in the day sleep", "with CBTmin at work",
              "DLMO on the last night (target " + out["target_dlmo"] + ")")
    for k, name in (("no_plan", "no plan"), ("published_compromise", "published compromise"),
                    ("pineal_plan", "pineal plan")):
        n = out[k]["night_shifts"]
        t.add_row(name, f"{out[k]['cbtmin_in_day_sleep']} of {n}", f"{out[k]['cbtmin_in_night_shift']} of {n}",
                  out[k]["dlmo_last_night"] or "—")
    con.print(t)
    if out["band"]:
        b = out["band"]

        def q(x):
            return f"{x['p10']:g} / {x['median']:g} / {x['p90']:g}"

        con.print(f"{b['population']} virtual workers (10-50-90 %): CBTmin at work {q(b['no_plan_cbtmin_at_work'])} "
                  f"nights with no plan, {q(b['plan_cbtmin_at_work'])} with the plan; in the day sleep "
                  f"{q(b['no_plan_cbtmin_in_day_sleep'])} vs {q(b['plan_cbtmin_in_day_sleep'])}.", highlight=False)
    items = Table("day", "from", "to", "what")
    for i in out["items"]:
        items.add_row(i["start"][:10], i["start"][11:16], i["end"][11:16], i["title"])
    con.print(items)
    con.print(out["disclaimer"], highlight=False)


def _show(plan, written: dict) -> None:
    out = Console()
    out.print(f"[bold]pineal plan[/]: {escape(plan.summary)}", highlight=False)
    sp = plan.starting_phase
    out.print(f"Starting phase ({escape(sp.source)}): DLMO {sp.dlmo_local}, CBTmin {sp.cbtmin_local} home time.",
              highlight=False)
    if plan.replan is not None:
        r = plan.replan
        dev = "not estimated" if r.phase_deviation_h is None else f"{r.phase_deviation_h:+.1f} h against the plan"
        out.print(f"Log: {r.log_rows} samples, {r.logged_from:%Y-%m-%d %H:%M} to {r.logged_until:%Y-%m-%d %H:%M} "
                  f"UTC; body clock {dev}; rows marked 'logged' are the days lived.", highlight=False)
    for e in plan.episodes:
        out.print(f"[bold]{escape(e.place)}[/] ({e.shift_h:+g} h, {e.nights} nights, {e.aim} adaptation): "
                  f"{escape(e.reason)}", highlight=False)
        t = Table("", "days to adaptation", "population 10-50-90 %", "adapted in the stay")
        for p in e.predictions:
            def f(x):
                return "—" if x is None else f"{x:g}"
            t.add_row(p.strategy, f(p.days), f"{f(p.band_p10)} / {f(p.band_median)} / {f(p.band_p90)}"
                      if p.population else "", f"{p.adapted_share:.0%}" if p.adapted_share is not None else "")
        out.print(t)
    t = Table("local day", "from", "to", "what", "where / detail")
    for i in plan.items:
        t.add_row(i.start.strftime("%a %d %b"), i.start.strftime("%H:%M"), i.end.strftime("%H:%M"),
                  f"{i.title} (logged)" if i.logged else i.title, escape(f"{i.zone}  {i.detail}"))
    out.print(t)
    out.print(f"Melatonin: {escape(plan.melatonin)}", highlight=False)
    for d in plan.dropped[:12]:
        out.print(f"  dropped: {escape(d)}", highlight=False)
    if len(plan.dropped) > 12:
        out.print(f"  ... and {len(plan.dropped) - 12} more dropped (see --json)")
    for n in plan.notes:
        out.print(f"Note: {escape(n)}", highlight=False)
    for w in plan.warnings:
        if w["level"] != "info":
            out.print(f"[{w['level']}] {escape(w['message'])}", highlight=False)
    for k, v in written.items():
        out.print(f"{k} written to {escape(v)}")
    from pineal.plan.result import DISCLAIMER

    out.print(DISCLAIMER, highlight=False)
