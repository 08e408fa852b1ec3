"""`pineal dose AMOUNT --at TIME`: what one melatonin dose does to plasma melatonin, against the body's own."""

from __future__ import annotations

import json
import math
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from pineal import DISCLAIMER
from pineal.limits import DOSE_POPULATION, DOSE_POPULATION_RANGE
from pineal.routes import ROUTE_ALLOWED

LEVEL_STYLE = {"danger": "bold red", "caution": "yellow", "info": "cyan"}


def register(app: typer.Typer) -> None:
    # ignore_unknown_options: a negative amount ('-1 mg') reaches the parser and gets the clear error
    @app.command(context_settings={"ignore_unknown_options": True})
    def dose(
        amount: Annotated[str, typer.Argument(help="Amount with a unit: '3 mg', '500 mcg', '1 g'.")],
        at: Annotated[str, typer.Option("--at", help="When it is taken: 'HH:MM' or an ISO datetime with zone.")],
        route: Annotated[str | None, typer.Option(help=f"One of: {ROUTE_ALLOWED} (default oral-ir, or the "
                                                  "product's).")] = None,
        release_h: Annotated[float | None, typer.Option("--release-h", help="Release half-life (h) of an unnamed "
                                                        "prolonged-release product (with --route oral-pr).")] = None,
        age: Annotated[float, typer.Option(help="Age in years.")] = 30.0,
        sex: Annotated[str, typer.Option(help="m or f.")] = "m",
        weight: Annotated[str, typer.Option(help="Body weight in kg (or with a unit, '154 lb').")] = "70",
        with_: Annotated[list[str] | None, typer.Option("--with", help="Co-medication (repeatable).")] = None,
        wake: Annotated[str, typer.Option(help="Next wake time 'HH:MM'.")] = "07:00",
        sleep: Annotated[str, typer.Option(help="Habitual sleep onset 'HH:MM'.")] = "23:00",
        smoker: Annotated[bool, typer.Option(help="Smoker (CYP1A2 induction).")] = False,
        fed: Annotated[bool, typer.Option(help="Taken with food.")] = False,
        oral_contraceptive: Annotated[bool, typer.Option(help="Takes an estrogen contraceptive.")] = False,
        pregnant: Annotated[bool, typer.Option(help="Pregnant.")] = False,
        breastfeeding: Annotated[bool, typer.Option(help="Breastfeeding.")] = False,
        product: Annotated[str | None, typer.Option(help="A product from the library (e.g. circadin, "
                                                    "sublingual-spray, gummy; see docs/pk.md): sets route, release "
                                                    "and label uncertainty.")] = None,
        purpose: Annotated[str | None, typer.Option(help="What it is taken for, e.g. sleep, jet_lag.")] = None,
        condition: Annotated[list[str] | None, typer.Option(help="Condition, e.g. epilepsy (repeatable).")] = None,
        population: Annotated[int, typer.Option(help="Simulated people in the population interval "
                                                f"({DOSE_POPULATION_RANGE[0]}-{DOSE_POPULATION_RANGE[1]}).")
                              ] = DOSE_POPULATION,
        as_json: Annotated[bool, typer.Option("--json", help="Print one stable JSON object.")] = False,
        plot: Annotated[str | None, typer.Option(help="Write a figure (.png, .svg or .pdf).")] = None,
    ) -> None:
        """Plasma melatonin after one dose vs what the body makes: peak, duration, level at wake, warnings."""
        from pineal.schemas import DoseRequest

        if plot:
            from pineal.plot import _check_path

            _check_path(plot)  # a bad path fails before the run
        rep = DoseRequest(amount=amount, at=at, route="oral-ir" if route is None else route, release_h=release_h,
                          age=age, sex=sex, weight=weight, with_=with_ or [], wake=wake, sleep=sleep, smoker=smoker,
                          fed=fed, oral_contraceptive=oral_contraceptive, pregnant=pregnant,
                          breastfeeding=breastfeeding, product=product, purpose=purpose,
                          condition=condition or [], population=population).report()
        if plot:
            from pineal.plot import dose_figure

            dose_figure(rep, plot)
        if as_json:
            typer.echo(json.dumps(rep.as_json(), indent=2, ensure_ascii=False))
            return
        _print(rep, plot)


def _print(rep, plot) -> None:
    c = Console()
    j = rep.as_json()
    what = f"{rep.product_name}, {rep.route}" if rep.product else rep.route
    if rep.release_h and not rep.product:
        what += f", release t½ {rep.release_h:g} h"
    c.print(f"[bold]{rep.dose_mg:g} mg melatonin ({what}) at {j['at']}[/] — model prediction for a "
            f"{rep.subject.age:g}-year-old, {rep.subject.weight_kg:g} kg, sex {rep.subject.sex}")
    t = Table(show_header=True, header_style="bold")
    t.add_column("quantity")
    t.add_column("value", justify="right")
    t.add_column("5-95% of people", justify="right")
    t.add_column("meaning")
    pop = rep.population

    def band(key, fmt="{:,.3g}"):
        lo, _, hi = pop[key]
        return f"{fmt.format(lo)}-{fmt.format(hi)}"

    t.add_row("peak plasma (Cmax)", f"{rep.cmax_pg_ml:,.4g} pg/mL", band("cmax_pg_ml"), "from the dose alone")
    t.add_row("time to peak", f"{rep.tmax_min:.0f} min", band("tmax_min", "{:.0f}"), "after taking it")
    t.add_row("apparent half-life", f"{rep.t_half_min:.0f} min", "", "terminal phase of the dose's curve")
    t.add_row("exposure (AUC)", f"{rep.auc_pg_h_per_ml:,.4g} pg·h/mL", band("auc_pg_h_per_ml"),
              "area under the dose's curve")
    t.add_row("body's own night peak", f"{rep.endogenous_peak_pg_ml:.0f} pg/mL", "", "model of the pineal and "
              "clock, for this age and weight")
    t.add_row("peak vs body's own", f"{rep.cmax_fold_endogenous:,.3g}x", "", "")
    t.add_row("hours above the night peak", f"{rep.hours_above_endogenous_peak:.1f} h",
              band("hours_above_endogenous_peak", "{:.1f}"), "from the dose alone")
    t.add_row("back to the body's own level", f"{rep.hours_until_back_to_endogenous:.1f} h",
              band("hours_until_back_to_endogenous", "{:.1f}"),
              f"dose's part below the body's own level (by day the measured {rep.daytime_floor_pg_ml:g} pg/mL)")
    t.add_row(f"level at wake ({j['wake']})", f"{rep.level_at_wake_pg_ml:,.4g} pg/mL",
              band("dose_level_at_wake_pg_ml"), f"of which from the dose: {rep.dose_at_wake_pg_ml:,.3g} pg/mL")
    lab = rep.label
    if lab["product"] != "licensed":
        t.add_row(f"if the {lab['product']} label is off",
                  f"{lab['cmax_pg_ml'][0]:,.3g}-{lab['cmax_pg_ml'][1]:,.3g} pg/mL", "",
                  f"peak if it holds {lab['delivered_mg'][0]:.3g}-{lab['delivered_mg'][1]:.3g} mg (measured "
                  "products)")
    t.add_row("saliva at peak", f"{rep.saliva_cmax_pg_ml:,.4g} pg/mL", "", "plasma x 0.4 (unbound fraction)")
    shift = rep.dlmo_shift_h
    if math.isfinite(shift):
        direction = "earlier (advance)" if shift > 0 else "later (delay)"
        t.add_row("body clock: DLMO shift", f"{shift:+.2f} h", "",
                  f"next evening's DLMO {j['dlmo_with_dose']} vs {j['dlmo_without_dose']} without: "
                  f"{abs(shift) * 60:.0f} min {direction}; plasma 10 pg/mL, dim evening")
    c.print(t)
    lo, hi = rep.between_study_factor
    c.print(f"[dim]Published study means differ from one another as well: concentrations of a study population "
            f"(assay, product, people) lie within x{lo:.2g}-x{hi:.2g} of these in 90% of studies.[/]", highlight=False)
    for w in rep.warnings:
        style = LEVEL_STYLE.get(w["level"], "")
        c.print(f"[{style}]{w['level'].upper()}[/] [dim]{w['code']}[/]: {escape(w['message'])}", highlight=False)
    if plot:
        c.print(f"figure written to {escape(plot)}", highlight=False)
    c.print(f"[dim]{DISCLAIMER}[/]", highlight=False)
