"""`plan advance`: a delayed sleep moved earlier; rules hold; bad windows are clear errors."""

import itertools
from datetime import timedelta

import pytest

from pineal.errors import InputError
from pineal.plan.advance import plan_advance


def test_advance_plan_moves_sleep_earlier_and_keeps_rules():
    plan = plan_advance("03:00-11:00", "23:00-07:00", start="2027-02-01", days=14)
    sleeps = [i for i in plan.items if i.kind == "sleep"]
    assert sleeps[-1].start.hour == 23 and sleeps[0].start.hour in (23, 0, 1, 2, 3)
    for a, b in itertools.pairwise(sleeps):  # never moves later, never by more than the whole shift
        assert (b.start - a.start) <= timedelta(hours=24, minutes=1)
        assert (b.end - b.start) >= timedelta(hours=6)
    asleep = [(i.start, i.end) for i in sleeps]
    assert not [d for d in plan.items if d.kind == "melatonin" and any(a <= d.start < b for a, b in asleep)]
    assert [p.strategy for p in plan.episodes[0].predictions] == ["no plan", "published rule", "pineal plan"]
    assert "Not medical advice" in plan.disclaimer


def test_no_melatonin_under_18():
    plan = plan_advance("02:00-10:00", "23:00-07:00", start="2027-02-01", days=10, age=15)
    assert not [i for i in plan.items if i.kind == "melatonin"]


@pytest.mark.parametrize("frm, to, field", [("23:00-07:00", "03:00-11:00", "to"), ("3am-11", "23:00-07:00", "from"),
                                             ("03:00-11:00", "23:00-07:00", "days")])
def test_bad_windows(frm, to, field):
    with pytest.raises(InputError) as err:
        plan_advance(frm, to, days=3 if field == "days" else 14)
    assert field in str(err.value)
