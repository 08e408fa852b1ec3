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
