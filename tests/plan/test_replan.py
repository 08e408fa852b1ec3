"""Re-planning from a log (``--log``): the log format's errors, a log that follows the plan keeps the plan, a log
where the traveller slept late moves the estimated clock later and the rest of the plan with it, fuzzed logs."""

from datetime import UTC, datetime, timedelta
from functools import lru_cache

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from plan_cache import make_plan

from pineal.errors import InputError
from pineal.plan import plan_trip
from pineal.plan.checks import violations
from pineal.plan.log import COLUMNS, MAX_LOG_ROWS, log_csv, parse_log, read_log
from pineal.plan.replan import lived, on_grid
from pineal.plan.result import Plan

SYD = ["LAX 2027-01-05 22:00 SYD 2027-01-07 07:00"]  # a 5-h delay, a model plan with daylight windows
RED_EYE = ["SFO 2027-04-01 22:30 JFK 2027-04-02 07:00"]  # a 3-h advance, model plan with melatonin
JFK_LHR = ["JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"]  # the published rule wins this one


def _log_of(eng, prog, until_h, asleep=None, lux=None, doses=None) -> str:
    """15-min samples of a programme (or of edited arrays) from the plan's first day to ``until_h``."""
    grid = eng.ctx.grid
    asleep = prog.asleep if asleep is None else asleep
    lux = prog.lux(grid) if lux is None else lux
    doses = prog.doses if doses is None else doses
    k0, k1 = grid.index(grid.hours[0] + 24.0), grid.index(until_h)
    hours = grid.hours[k0:k1]
    mg = [prog.dose_mg if any(abs(h - d) < 1e-6 for d in doses) else 0.0 for h in hours]
    return log_csv([grid.instant(h) for h in hours], lux[k0:k1], asleep[k0:k1], mg)


@lru_cache(maxsize=8)
def _issued(legs: tuple):
    req, plan, eng, progs = make_plan(list(legs))
    return req, plan, eng, progs


def _open(plan: Plan, until):
    return [(i.kind, i.start, i.end) for i in plan.items if i.start >= until and i.kind != "flight"]


@pytest.mark.parametrize("legs", [SYD, RED_EYE, JFK_LHR], ids=["syd_model", "red_eye_model", "jfk_lhr_rule"])
def test_a_log_that_follows_the_plan_keeps_the_rest_of_the_plan(legs):
    req, plan, eng, progs = _issued(tuple(legs))
    until = eng.ctx.grid.model_h(eng.it.flights[0].arrive) + 30.0
    again, eng2, _ = plan_trip(req, log=parse_log(_log_of(eng, progs["pineal plan"], until)))
    r = again.replan
    assert r is not None and not r.plan_changed and r.gaps_h == 0.0
    assert abs(r.phase_deviation_h) < 0.1  # tolerance: the 15-min log resampled on the 15-min grid is exact
    assert _open(again, r.logged_until) == _open(plan, r.logged_until)
    a, b = plan.episodes[0].predictions[2], again.episodes[0].predictions[2]  # the pineal plan (the baselines now
    assert (a.days is None and b.days is None) or abs(a.days - b.days) <= 0.1  # start from the days as lived)
    lived_items = [i for i in again.items if i.logged]
    assert lived_items and all(i.start < r.logged_until for i in lived_items)
    assert all(not i.logged for i in again.items if i.start >= r.logged_until)
    assert violations(again, eng2.it, req.dose_mg, req.plane_sleep) == []
    Plan.model_validate_json(again.model_dump_json())


def _slept_late(eng, prog, until, hours=3.0):
    """The sleep after arrival until ``until`` taken ``hours`` later; indoor light in the hours slept in the plan."""
    grid = eng.ctx.grid
    arr, k = grid.index(grid.model_h(eng.it.flights[0].arrive)), grid.index(until)
    sh = round(hours / 0.25)
    late = prog.asleep.copy()
    late[arr:k] = np.r_[np.zeros(sh, bool), prog.asleep[arr:k - sh]]
    lux = np.where(late, 0.0, np.where(prog.asleep & ~late, 150.0, prog.lux(grid)))
    doses = [d for d in prog.doses if not late[grid.index(d)]]
    return _log_of(eng, prog, until, late, lux, doses)


def test_sleeping_late_moves_the_clock_and_the_delay_plan_later():
    req, plan, eng, progs = _issued(tuple(SYD))
    until = eng.ctx.grid.model_h(eng.it.flights[0].arrive) + 54.0  # two nights after arrival, slept 3 h late
    again, eng2, _ = plan_trip(req, log=parse_log(_slept_late(eng, progs["pineal plan"], until)))
    r = again.replan
    assert r.phase_deviation_h > 0.2 and r.cbtmin_estimated > r.cbtmin_planned
    assert r.plan_changed
    first = next(i for i in again.items if i.kind == "light_seek" and i.start >= r.logged_until)
    before = next(i for i in plan.items if i.kind == "light_seek" and i.start >= r.logged_until)
    assert first.start > before.start  # a delay plan's evening light follows the later clock
    assert violations(again, eng2.it, req.dose_mg, req.plane_sleep) == []


def test_sleeping_late_after_flying_east_moves_the_clock_later_and_adaptation_no_sooner():
    req, plan, eng, progs = _issued(tuple(RED_EYE))
    until = eng.ctx.grid.model_h(eng.it.flights[0].arrive) + 30.0
    again, eng2, _ = plan_trip(req, log=parse_log(_slept_late(eng, progs["pineal plan"], until)))
    assert again.replan.phase_deviation_h > 0.3
    issued, now = plan.episodes[0].predictions[2].days, again.episodes[0].predictions[2].days
    assert now is None or now >= issued  # after flying east a later clock is further from the destination day
    assert violations(again, eng2.it, req.dose_mg, req.plane_sleep) == []


def test_log_errors_name_row_field_value_and_what_is_allowed():
    head = ",".join(COLUMNS) + "\n"
    good = "2027-01-10T08:00:00+00:00,200,0,\n"
    cases = {
        "2027-01-10 08:00,200,0,\n": ("row 2, timestamp", "no UTC offset"),
        "yesterday,200,0,\n": ("row 2, timestamp", "ISO 8601"),
        "2027-01-10 08:00 Mars/Olympus,200,0,\n": ("row 2, timestamp", "unknown time zone"),
        "2027-03-28 01:30 Europe/London,200,0,\n": ("row 2, timestamp", "DST gap"),
        "2027-01-10T08:00:00+00:00,-5,0,\n": ("row 2, lux", "0 to 100,000"),
        "2027-01-10T08:00:00+00:00,nan,0,\n": ("row 2, lux", "not a number"),
        "2027-01-10T08:00:00+00:00,200,2,\n": ("row 2, asleep", "1 (asleep) or 0"),
        "2027-01-10T08:00:00+00:00,200,0,10\n": ("row 2, melatonin_mg", "0 to 5 mg"),
        good + "2027-01-10T07:00:00+00:00,200,0,\n": ("row 3, timestamp", "time order"),
        good + good: ("row 3, timestamp", "time order"),
        "2027-01-10T08:00:00+00:00,200\n": ("row 2", "comma-separated values"),
    }
    for body, (field, allowed) in cases.items():
        with pytest.raises(InputError) as err:
            parse_log(head + body)
        assert field in err.value.field and allowed in str(err.value), (body, str(err.value))
    with pytest.raises(InputError, match="missing asleep"):
        parse_log("timestamp,lux,melatonin_mg\n" + good)
    with pytest.raises(InputError, match="at least one row"):
        parse_log(head)
    start = datetime(2027, 1, 10, tzinfo=UTC)
    rows = "".join(f"{(start + timedelta(minutes=k)).isoformat()},1,0,\n" for k in range(MAX_LOG_ROWS + 1))
    with pytest.raises(InputError, match=f"at most {MAX_LOG_ROWS:,} samples"):
        parse_log(head + rows)


def test_log_format_accepts_zones_offsets_blanks_and_extra_columns(tmp_path):
    text = ("steps,Timestamp,lux,asleep,melatonin_mg\n"
            "12,2027-01-10 22:00 Europe/London,5,0,0.5\n"
            "0,2027-01-10T23:00Z,,1,\n"
            "0,2027-01-11T00:00:00+01:00,0,1,\n")  # 23:00 UTC again: out of order
    with pytest.raises(InputError, match="row 4, timestamp"):
        parse_log(text)
    p = tmp_path / "log.csv"
    p.write_text(text.rsplit("\n", 2)[0] + "\n", "utf-8")
    log = read_log(p)
    assert log.rows == 2 and log.melatonin_mg[0] == 0.5 and np.isnan(log.lux[1]) and log.asleep.tolist() == [0, 1]
    assert log.t[1] - log.t[0] == 3600.0
    with pytest.raises(InputError, match="log"):
        read_log(tmp_path / "missing.csv")


def test_a_log_outside_the_plan_days_is_refused():
    req, _, _, _ = _issued(tuple(JFK_LHR))
    text = ",".join(COLUMNS) + "\n2020-01-01T00:00:00+00:00,10,0,\n2020-01-01T00:15:00+00:00,10,0,\n"
    with pytest.raises(InputError, match="samples within the plan's days"):
        plan_trip(req, log=parse_log(text))


def test_cli_log(tmp_path):
    import subprocess
    import sys

    def cli(*args):
        return subprocess.run([sys.executable, "-c", "from pineal.cli import main; main()", *args],
                              capture_output=True, text=True, timeout=600)

    _, _, eng, progs = _issued(tuple(JFK_LHR))
    good = tmp_path / "log.csv"
    good.write_text(_log_of(eng, progs["pineal plan"], eng.ctx.grid.model_h(eng.it.flights[0].depart) - 6.0))
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(COLUMNS) + "\n2027-01-09T08:00:00+00:00,-1,0,\n")
    res = cli("plan", "trip", "--leg", JFK_LHR[0], "--population", "0", "--log", str(bad))
    assert res.returncode == 2 and "row 2, lux" in res.stderr and "Traceback" not in res.stderr
    res = cli("plan", "trip", "--leg", JFK_LHR[0], "--population", "0", "--log", str(good), "--json")
    assert res.returncode == 0, res.stderr
    plan = Plan.model_validate_json(res.stdout)
    assert plan.replan is not None and plan.replan.log_rows > 0 and any(i.logged for i in plan.items)


_ROW = st.tuples(
    st.one_of(st.integers(-600, 40 * 1440).map(lambda m: (datetime(2027, 1, 5, tzinfo=UTC)
                                                             + timedelta(minutes=m)).isoformat()),
              st.text(max_size=30)),
    st.one_of(st.floats(-10, 2e5).map(lambda x: f"{x:g}"), st.sampled_from(["", "nan", "inf", "1e999"]),
              st.text(max_size=8)),
    st.sampled_from(["0", "1", "", "2", "x"]),
    st.one_of(st.just(""), st.floats(0, 8).map(lambda x: f"{x:.2f}"), st.text(max_size=6)),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(_ROW, max_size=40), sort=st.booleans(), junk=st.text(max_size=40))
def test_fuzzed_logs_give_a_log_or_an_input_error(rows, sort, junk):
    """Never a traceback, never a hang: parsing and laying any text on a plan's grid is an answer or InputError."""
    if sort:
        rows = sorted(rows, key=lambda r: r[0])
    text = ",".join(COLUMNS) + "\n" + "\n".join(",".join(r) for r in rows) + "\n" + junk
    _, _, eng, progs = _issued(tuple(JFK_LHR))
    try:
        log = parse_log(text)
        past = lived(progs["pineal plan"], on_grid(log, eng.ctx.grid), eng.ctx)
    except InputError as err:
        assert str(err)
        return
    assert past.asleep.size == past.seek.size and all(np.isfinite(t) and 0 <= mg <= 5 for t, mg in past.doses)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000))
def test_fuzzed_logs_replan_within_the_hard_rules(seed):
    """Random wearable-like logs (irregular samples, gaps, naps, bright light, doses) re-plan within the rules."""
    req, _, eng, _ = _issued(tuple(RED_EYE))
    rng = np.random.default_rng(seed)
    t = eng.ctx.grid.t0 + timedelta(days=1)
    end = eng.it.flights[0].arrive + timedelta(hours=float(rng.uniform(-60, 60)))
    times, lux, asleep, mg = [], [], [], []
    while t < end:
        times.append(t)
        lux.append(float(rng.choice([0, 20, 150, 3000, 50000])))
        asleep.append(bool(rng.random() < 0.3))
        mg.append(float(rng.choice([0.0] * 40 + [0.5, 3.0])))
        t += timedelta(minutes=float(rng.choice([1, 5, 15, 30, 90])))
    if not times:
        return
    plan, eng2, _ = plan_trip(req, log=parse_log(log_csv(times, lux, asleep, mg)))
    assert plan.replan is not None
    assert violations(plan, eng2.it, req.dose_mg, req.plane_sleep) == []
