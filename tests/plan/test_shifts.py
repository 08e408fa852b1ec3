"""`plan shifts`: a night-shift roster towards the compromise phase; rules and clear errors."""

import pytest

from pineal.errors import InputError
from pineal.plan.shifts import plan_shifts

ROSTER = "start,end\n" + "\n".join(f"2027-03-{d:02d} 23:00,2027-03-{d + 1:02d} 07:00" for d in (1, 2, 3, 6, 7, 8))


def test_compromise_plan_delays_the_clock_more_than_no_plan(tmp_path):
    f = tmp_path / "roster.csv"
    f.write_text(ROSTER)
    out = plan_shifts(f)
    assert out["pineal_plan"]["night_shifts"] == 6 and "Not medical advice" in out["disclaimer"]

    def late(hhmm):  # DLMO as hours after 12:00
        h, m = map(int, hhmm.split(":"))
        return (h + m / 60 - 12) % 24

    assert late(out["pineal_plan"]["dlmo_last_night"]) > late(out["no_plan"]["dlmo_last_night"])
    work = [(f"2027-03-{d:02d}T23:00", f"2027-03-{d + 1:02d}T07:00") for d in (1, 2, 3, 6, 7, 8)]
    for i in out["items"]:
        if i["kind"] == "sleep":  # never asleep at work
            assert not any(a <= i["start"][:16] < b for a, b in work)


@pytest.mark.parametrize("text", ["start,end\n2027-03-01 23:00\n", "start,end\n2027-03-01 23:00,2027-03-01 23:30\n",
                                  "start,end\n"])
def test_bad_rosters(tmp_path, text):
    f = tmp_path / "r.csv"
    f.write_text(text)
    with pytest.raises(InputError):
        plan_shifts(f)


def test_shift_plan_is_chosen_among_candidates_and_reports_a_band(tmp_path):
    from pineal.plan.shifts import PUBLISHED, shift_candidates

    f = tmp_path / "roster.csv"
    f.write_text(ROSTER)
    out = plan_shifts(f, population=6)
    assert out["candidates_evaluated"] == len(shift_candidates()) + 1 and PUBLISHED in shift_candidates()

    def key(s):  # the planner's order: CBTmin in the day sleep, then out of work
        return (s["night_shifts"] - s["cbtmin_in_day_sleep"], s["cbtmin_in_night_shift"])

    assert key(out["pineal_plan"]) <= key(out["published_compromise"])  # the published plan is a candidate
    assert key(out["pineal_plan"]) <= key(out["no_plan"])
    b = out["band"]
    assert b["population"] == 6
    for k in ("no_plan_cbtmin_at_work", "plan_cbtmin_at_work", "nights_gained", "plan_cbtmin_in_day_sleep"):
        assert b[k]["p10"] <= b[k]["median"] <= b[k]["p90"]
    assert 0 <= b["plan_cbtmin_at_work"]["median"] <= 6
    assert out["choice"].startswith("sleep ")
    assert plan_shifts(f, population=0)["band"] is None


@pytest.mark.parametrize("kw", [{"population": -1}, {"population": 1.5}, {"light_box_lux": 50.0}])
def test_bad_shift_options(tmp_path, kw):
    f = tmp_path / "roster.csv"
    f.write_text(ROSTER)
    with pytest.raises(InputError):
        plan_shifts(f, **kw)
