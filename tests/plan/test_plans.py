"""Plans for 20+ itineraries: every hard rule holds, and the expected properties (direction, home time on short
trips, no daylight in a polar winter, safety) are there. Each plan runs the default model (cached per test run)."""

from datetime import timedelta

import pytest
from plan_cache import make_plan

from pineal.plan.checks import violations
from pineal.plan.result import DISCLAIMER, Plan

ITINERARIES = {
    "east_jfk_lhr": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"],
    "west_lhr_jfk": ["LHR 2027-01-10 11:00 JFK 2027-01-10 14:00"],
    "dateline_ord_nrt": ["ORD 2027-03-01 12:00 NRT 2027-03-02 15:30"],
    "dateline_nrt_lax": ["NRT 2027-01-10 17:00 LAX 2027-01-10 10:00"],
    "twelve_h_jfk_sin": ["JFK 2027-07-10 22:00 SIN 2027-07-12 06:00"],
    "dst_mid_trip": ["LHR 2027-03-05 11:00 JFK 2027-03-05 14:00", "JFK 2027-03-20 18:00 LHR 2027-03-21 05:00"],
    "three_legs": ["LHR 2027-05-01 10:00 JFK 2027-05-01 13:00", "JFK 2027-05-06 09:00 LAX 2027-05-06 12:30",
                   "LAX 2027-05-12 14:00 LHR 2027-05-13 08:30"],
    "red_eye_sfo_jfk": ["SFO 2027-04-01 22:30 JFK 2027-04-02 07:00"],
    "two_nights": ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30", "LHR 2027-01-13 10:00 JFK 2027-01-13 13:00"],
    "one_hour": ["LHR 2027-02-01 09:00 CDG 2027-02-01 11:15"],
    "polar_winter_tromso": ["JFK 2026-12-10 18:00 OSL 2026-12-11 07:30", "OSL 2026-12-11 10:00 TOS 2026-12-11 12:00"],
    "southern_summer_syd": ["LAX 2027-01-05 22:00 SYD 2027-01-07 07:00"],
    "east_fra_pek": ["FRA 2027-09-01 17:00 PEK 2027-09-02 09:00"],
    "west_cdg_sfo": ["CDG 2027-06-10 10:00 SFO 2027-06-10 12:30"],
    "east_lax_cdg_summer": ["LAX 2027-07-01 15:00 CDG 2027-07-02 11:00"],
    "south_jnb_lhr": ["JNB 2027-02-10 20:00 LHR 2027-02-11 06:00"],
    "dateline_akl_lax": ["AKL 2027-11-02 19:00 LAX 2027-11-02 10:30"],
    "ultra_long_sin_ewr": ["SIN 2027-10-10 23:00 EWR 2027-10-11 05:00"],
    "layover_lhr_dxb_syd": ["LHR 2027-02-01 10:00 DXB 2027-02-01 20:00", "DXB 2027-02-02 02:00 SYD 2027-02-02 22:00"],
    "round_trip_long": ["SEA 2027-08-01 13:00 ICN 2027-08-02 16:00", "ICN 2027-08-12 18:00 SEA 2027-08-12 12:00"],
    "three_h_east_lax_jfk": ["LAX 2027-05-01 07:00 JFK 2027-05-01 15:30"],
}


@pytest.mark.parametrize("name", sorted(ITINERARIES))
def test_every_plan_keeps_its_hard_rules(name):
    req, plan, eng, _ = make_plan(ITINERARIES[name])
    assert violations(plan, eng.it, req.dose_mg, req.plane_sleep) == []
    assert plan.disclaimer == DISCLAIMER and "Not medical advice" in plan.disclaimer
    assert all(i.start.utcoffset() is not None and i.end >= i.start for i in plan.items)
    first_departure = eng.it.flights[0].depart
    prep_start = first_departure - timedelta(days=req.prep_days + 1)
    assert all(i.start >= prep_start for i in plan.items if i.kind != "flight")
    Plan.model_validate_json(plan.model_dump_json())  # the JSON is stable and round-trips


def test_directions_and_reasons():
    _, east, _, _ = make_plan(ITINERARIES["east_jfk_lhr"])
    _, west, _, _ = make_plan(ITINERARIES["west_lhr_jfk"])
    assert east.episodes[0].direction == "advance" and west.episodes[0].direction == "delay"
    _, twelve, _, _ = make_plan(ITINERARIES["twelve_h_jfk_sin"])
    # 12 h: both ways simulated, and the reason says what the model predicted for each
    assert "the other way" in twelve.episodes[0].reason and "not simulated" not in twelve.episodes[0].reason
    assert abs(twelve.episodes[0].body_shift_h) == 12.0


def test_short_trip_and_tiny_shift_get_no_clock_plan():
    _, short, _, _ = make_plan(ITINERARIES["two_nights"])
    assert short.mode == "home_time" and short.episodes == []
    assert not [i for i in short.items if i.kind in ("light_seek", "light_avoid", "melatonin")]
    _, tiny, _, _ = make_plan(ITINERARIES["one_hour"])
    assert tiny.mode == "tips" and not [i for i in tiny.items if i.kind in ("light_seek", "melatonin")]


def test_polar_winter_has_no_daylight_to_seek_without_a_light_box():
    _, plan, eng, _ = make_plan(ITINERARIES["polar_winter_tromso"])
    arrive = eng.it.flights[-1].arrive
    assert not [i for i in plan.items if i.kind == "light_seek" and i.start >= arrive]
    _, boxed, _, _ = make_plan(ITINERARIES["polar_winter_tromso"], light_box_lux=5000)
    assert [i for i in boxed.items if i.kind == "light_seek" and i.start >= arrive]


def test_southern_summer_daylight_is_there():
    from pineal.plan import daylight

    syd = make_plan(ITINERARIES["southern_summer_syd"])[2].it.flights[-1].destination
    _, _, state = daylight.sun_times(syd.lat, syd.lon, __import__("datetime").date(2027, 1, 8), syd.zone)
    assert state == "day"
    noon = __import__("datetime").datetime(2027, 1, 8, 13, tzinfo=syd.zone)
    assert daylight.outdoor_lux(syd.lat, syd.lon, noon) > 30000


@pytest.mark.parametrize("extra", [{"age": 15}, {"pregnant": True}, {"drugs": ["fluvoxamine"]},
                                   {"drugs": ["warfarin"]}, {"conditions": ["epilepsy"]}, {"melatonin": False}])
def test_no_melatonin_where_the_screen_says_no(extra):
    _, plan, _, _ = make_plan(ITINERARIES["east_jfk_lhr"], **extra)
    assert not [i for i in plan.items if i.kind == "melatonin"]
    assert plan.melatonin.startswith(("left out", "not wanted"))


def test_melatonin_never_while_asleep_or_above_the_cap():
    _, plan, _, progs = make_plan(ITINERARIES["east_jfk_lhr"], dose_mg=5.0)
    doses = [i for i in plan.items if i.kind == "melatonin"]
    asleep = [(i.start, i.end) for i in plan.items if i.kind in ("sleep", "nap", "flight_sleep")]
    assert doses, "the eastward plan uses melatonin for this traveller"
    assert all("5 mg" in i.detail for i in doses)
    assert not [d for d in doses if any(a <= d.start < b for a, b in asleep)]
    assert progs["pineal plan"].dose_mg <= 5.0


def test_plan_as_protocol_runs_in_pineal_simulate(tmp_path):
    import numpy as np

    from pineal.plan.export import to_protocol_toml
    from pineal.protocols import Protocol
    from pineal.simulate import run_protocol

    _, plan, eng, progs = make_plan(ITINERARIES["east_jfk_lhr"])
    f = tmp_path / "plan.toml"
    f.write_text(to_protocol_toml(plan, progs["pineal plan"], eng.ctx.grid, ("04:00", "12:00")))
    run = run_protocol(Protocol.from_toml(f))
    got = run.treatment.cbtmin()[-3:]
    want = eng.simulate([progs["pineal plan"]]).cbtmin()[-3:]
    # same light, sleep and doses; only the entrainment light before day 1 differs (constant 80 lux in the file)
    assert np.nanmax(np.abs(got - want)) < 1.0


def test_ics_has_events_and_alarms():
    from icalendar import Calendar

    from pineal.plan.export import to_ics

    _, plan, _, _ = make_plan(ITINERARIES["east_jfk_lhr"])
    cal = Calendar.from_ical(to_ics(plan))
    events = list(cal.walk("VEVENT"))
    assert len(events) == len(plan.items)
    assert any(e.walk("VALARM") for e in events)
    assert all("Not medical advice" in str(e.get("description")) for e in events)


def test_published_preflight_protocols_order_of_arms(load_script):
    """Burgess 2003 / Eastman 2005 as published: bright arms advance more than the dim arm (p < 0.01 in the
    paper) and 2 h/day more than 1 h/day; the magnitudes are reported (docs/plan.md), not asserted: the model
    over-shifts these multi-day protocols, the light-response issue's calibration target."""
    mod = load_script("plan_preflight")
    rows = {r["arm"].split(",")[0] + r["arm"].split(",")[1]: r["model_advance_h"] for r in mod.main()}
    assert rows["burgess2003 continuous >3000 lux 1 h/day"] > rows["burgess2003 dim <60 lux 1 h/day"] + 0.5
    assert rows["burgess2003 intermittent >3000 lux 1 h/day"] > rows["burgess2003 dim <60 lux 1 h/day"] + 0.5
    assert rows["eastman2005 intermittent ~5000 lux 2 h/day (mean)"] > rows[
        "eastman2005 intermittent ~5000 lux 1 h/day (mean)"]


def test_a_plan_is_never_less_robust_than_the_published_rule_over_the_virtual_travellers():
    """The band guard (assemble.ROBUST_MARGIN_D): on the red-eye east the model's best plan for the typical
    traveller adapted fewer virtual travellers than the rule; whatever is issued must not be worse than the rule
    over the population by more than the margin."""
    from pineal.plan import TripRequest, plan_trip
    from pineal.plan.assemble import ROBUST_MARGIN_D, _band, _band_cost

    for legs in (ITINERARIES["red_eye_sfo_jfk"], ITINERARIES["east_fra_pek"], ITINERARIES["west_cdg_sfo"]):
        req = TripRequest.build({"legs": legs, "population": 12})
        plan, eng, progs = plan_trip(req)
        bands = _band(eng, [progs["published rule"], progs["pineal plan"]], 12, 0)
        assert _band_cost(eng.it.episodes, bands[1]) <= _band_cost(eng.it.episodes, bands[0]) + ROBUST_MARGIN_D
        if any("published rule is issued" in n for n in plan.notes):
            assert progs["pineal plan"] is progs["published rule"]
        if legs == ITINERARIES["red_eye_sfo_jfk"]:  # measured: plan 4.7 d on average vs the rule's 2.3 d
            assert any("published rule is issued" in n for n in plan.notes)
