"""`POST /api/plan`, `GET /api/airports` and the planner page through FastAPI's test client: the planner's own
schema (TripRequest in, Plan out, the objects of `pineal plan trip --json`), bad input for every field, the
calendar and figure formats."""

from __future__ import annotations

import pytest
from web_problem import problem as _problem

from pineal.errors import InputError
from pineal.plan import Plan, TripRequest, plan_trip

LEG = "JFK 2027-01-10 18:30 LHR 2027-01-11 06:30"
TRIP = {"legs": [LEG], "population": 4}


def test_plan_is_the_cli_object(client):
    r = client.post("/api/plan", json=TRIP)
    assert r.status_code == 200, r.text
    body = r.json()
    plan = Plan.model_validate(body)
    assert plan.mode == "plan" and plan.episodes[0].zone_to == "Europe/London"
    assert plan.episodes[0].direction == "advance"  # 5 h east
    assert "Not medical advice" in plan.disclaimer
    # the same plan as `pineal plan trip --leg ... --population 4 --json` (one schema, one planner)
    expected, _, _ = plan_trip(TripRequest.build(TRIP))
    assert body["summary"] == expected.summary
    assert [i["kind"] for i in body["items"]] == [i.kind for i in expected.items]
    melatonin = [i for i in plan.items if i.kind == "melatonin"]
    assert melatonin and all("0.5 mg" in i.detail for i in melatonin)


def test_plan_legs_as_tables_and_options(client):
    r = client.post("/api/plan", json={
        "legs": [{"origin": "LHR", "depart": "2027-03-01 10:00", "destination": "NRT", "arrive": "2027-03-02 06:00"}],
        "sleep": "22:30-06:30", "melatonin": False, "population": 0, "stay_nights": 6})
    assert r.status_code == 200, r.text
    body = r.json()
    assert not any(i["kind"] == "melatonin" for i in body["items"])
    assert body["sleep"] == "22:30-06:30" and body["episodes"][0]["zone_to"] == "Asia/Tokyo"
    assert all(p["population"] == 0 for p in body["episodes"][0]["predictions"])


def test_plan_calendar_and_figure(client):
    ics = client.post("/api/plan?format=ics", json=TRIP)
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    assert "attachment" in ics.headers["content-disposition"]
    assert ics.text.startswith("BEGIN:VCALENDAR") and ics.text.count("BEGIN:VEVENT") >= 5
    svg = client.post("/api/plan?format=svg", json=TRIP)
    assert svg.status_code == 200 and svg.headers["content-type"].startswith("image/svg+xml")
    assert svg.text.startswith("<svg") and "</svg>" in svg.text
    assert _problem(client.post("/api/plan?format=pdf", json=TRIP))["field"] == "format"


BAD_TRIP = [  # (field named in the answer, change, value shown)
    ("legs", {"legs": []}, "[...]"),
    ("legs[0]", {"legs": ["JFK to LHR"]}, "JFK to LHR"),
    ("legs.0.origin", {"legs": [{"origin": "J1", "depart": "2027-01-10 18:30", "destination": "LHR",
                                 "arrive": "2027-01-11 06:30"}]}, "J1"),
    ("legs.0.depart", {"legs": [{"origin": "JFK", "depart": "tomorrow", "destination": "LHR",
                                 "arrive": "2027-01-11 06:30"}]}, "tomorrow"),
    ("legs.0.arrive", {"legs": [{"origin": "JFK", "depart": "2027-01-10 18:30", "destination": "LHR"}]}, None),
    ("legs[0].destination", {"legs": ["JFK 2027-01-10 18:30 QQQ 2027-01-11 06:30"]}, "QQQ"),
    ("legs", {"legs": [LEG] * 7}, "[...]"),
    ("sleep", {"sleep": "23:00"}, "23:00"),
    ("sleep", {"sleep": "23:00-01:00"}, "23:00-01:00"),
    ("chronotype", {"chronotype": "owl"}, "owl"),
    ("dlmo", {"dlmo": "25:00"}, "25:00"),
    ("melatonin", {"melatonin": "maybe"}, "maybe"),
    ("dose_mg", {"dose_mg": 10}, 10),
    ("dose_mg", {"dose_mg": 0.1}, 0.1),
    ("dose_mg", {"dose_mg": "3 mg"}, "3 mg"),
    ("light_box_lux", {"light_box_lux": 50000}, 50000),
    ("caffeine", {"caffeine": "lots"}, "lots"),
    ("prep_days", {"prep_days": 8}, 8),
    ("plane_sleep", {"plane_sleep": "no way"}, "no way"),
    ("stay_nights", {"stay_nights": -1}, -1),
    ("drive_after_arrival", {"drive_after_arrival": "sometimes"}, "sometimes"),
    ("age", {"age": 130}, 130),
    ("pregnant", {"pregnant": "perhaps"}, "perhaps"),
    ("breastfeeding", {"breastfeeding": 3}, 3),
    ("drugs", {"drugs": "fluvoxamine"}, "fluvoxamine"),
    ("conditions.0", {"conditions": [7]}, 7),
    ("population", {"population": 201}, 201),  # the virtual population is capped
    ("population", {"population": -1}, -1),
    ("seed", {"seed": "x"}, "x"),
    ("colour", {"colour": "red"}, "red"),
]


@pytest.mark.parametrize(("field", "change", "shown"), BAD_TRIP, ids=[f"{f}={c}"[:60] for f, c, _ in BAD_TRIP])
def test_plan_bad_field(client, field, change, shown):
    p = _problem(client.post("/api/plan", json={**TRIP, **change}))
    assert p["field"] == field, p
    assert p["value"] == shown and p["allowed"] and p["message"]


def test_plan_chronotype_and_dlmo_together(client):
    p = _problem(client.post("/api/plan", json={**TRIP, "chronotype": "late", "dlmo": "21:00"}))
    assert "not both" in p["allowed"]


def test_plan_errors_are_the_cli_messages(client):
    """A leg the schema accepts but the planner refuses: the same InputError as `pineal plan trip`."""
    req = {**TRIP, "legs": ["JFK 2027-01-10 18:30 JFK 2027-01-11 06:30"]}
    with pytest.raises(InputError) as err:
        plan_trip(TripRequest.build(req))
    p = _problem(client.post("/api/plan", json=req))
    assert p["message"] == str(err.value) and p["field"] == err.value.field


def test_airports(client):
    body = client.get("/api/airports", params={"q": "lhr"}).json()
    assert body["airports"][0]["iata"] == "LHR" and body["airports"][0]["tz"] == "Europe/London"
    tokyo = {a["iata"] for a in client.get("/api/airports", params={"q": "Tokyo"}).json()["airports"]}
    assert {"HND", "NRT"} <= tokyo
    assert len(client.get("/api/airports", params={"q": "a", "limit": 3}).json()["airports"]) == 3
    assert client.get("/api/airports", params={"q": "zzzzzz"}).json() == {"airports": []}
    assert _problem(client.get("/api/airports", params={"q": ""}))["field"] == "q"
    assert _problem(client.get("/api/airports", params={"q": "lon", "limit": 500}))["field"] == "limit"


def test_plan_page(client):
    r = client.get("/plan")
    assert r.status_code == 200 and "Not medical advice" in r.text and 'list="airport-list"' in r.text
    assert "<script>" not in r.text and "5 mg" in r.text and "10 mg" not in r.text
    q = {"origin0": "JFK", "depart0": "2027-01-10T18:30", "destination0": "LHR", "arrive0": "2027-01-11T06:30",
         "bed": "23:00", "wake": "07:00", "melatonin": "on", "dose_mg": "0.5", "prep_days": "3", "population": "4"}
    r = client.get("/plan", params=q)
    assert r.status_code == 200, r.text
    assert 'id="plan-table"' in r.text and 'download="pineal-plan.ics"' in r.text
    assert 'download="pineal-plan.json"' in r.text and "data:application/json;base64," in r.text
    assert "data:image/svg+xml;base64," in r.text and "data:text/calendar;base64," in r.text
    bad = client.get("/plan", params={**q, "dose_mg": "10"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text and "dose_mg" in bad.text
    bad = client.get("/plan", params={**q, "destination0": "QQQ"})
    assert bad.status_code == 422 and "QQQ" in bad.text and "IATA" in bad.text


def test_plans_leave_a_worker_for_fast_requests():
    from pineal.web.pool import HEAVY

    assert "plan" in HEAVY  # a plan (0.3-3 s) never holds every worker: doses and checks keep flowing


ROSTER = "start,end\n" + "\n".join(f"2027-03-{d:02d} 23:00,2027-03-{d + 1:02d} 07:00" for d in (8, 9, 10, 11))


def test_advance_plan_is_the_cli_object(client):
    from pineal.plan.advance import plan_advance

    body = {"from": "02:00-10:00", "to": "23:00-07:00", "start": "2027-03-01", "days": 14}
    r = client.post("/api/plan/advance", json=body)
    assert r.status_code == 200, r.text
    plan = Plan.model_validate(r.json())
    expected = plan_advance("02:00-10:00", "23:00-07:00", start="2027-03-01", days=14)
    assert plan.summary == expected.summary and "Not medical advice" in plan.disclaimer
    assert all("0.5 mg" in i.detail for i in plan.items if i.kind == "melatonin")


@pytest.mark.parametrize(("body", "field"), [
    ({"from": "02:00-10:00", "to": "23:00-07:00", "dose_mg": 10}, "dose_mg"),
    ({"from": "02:00-10:00", "to": "23:00-07:00", "days": 400}, "days"),
    ({"from": "nonsense", "to": "23:00-07:00"}, "from"),
    ({"from": "02:00-10:00"}, "to"),
    ({"from": "02:00-10:00", "to": "23:00-07:00", "near": "ZZZ"}, "near"),
    ({"from": "02:00-10:00", "to": "23:00-07:00", "extra": 1}, "extra"),
])
def test_advance_bad_input_is_a_422_naming_the_field(client, body, field):
    problem = _problem(client.post("/api/plan/advance", json=body))
    assert field in problem["field"] and problem["allowed"] and problem["message"], problem


def test_shifts_plan_from_roster_text(client):
    from pineal.plan.shifts import plan_shifts

    r = client.post("/api/plan/shifts", json={"roster": ROSTER, "population": 0})
    assert r.status_code == 200, r.text
    expected = plan_shifts(roster_text=ROSTER, population=0)
    got = r.json()
    assert got.keys() == expected.keys() and got["choice"] == expected["choice"]
    assert "medical advice" in got["disclaimer"].lower()


@pytest.mark.parametrize(("roster", "field"), [
    ("2027-03-08 23:00;2027-03-09 07:00", "roster line 1"),
    ("2027-03-08 23:00,2027-03-08 23:30", "roster"),  # 30 min is not a shift
    ("BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20270308T230000\nEND:VEVENT\nEND:VCALENDAR\n", "roster"),
    ("", "roster"),
])
def test_shifts_bad_roster_is_a_422(client, roster, field):
    problem = _problem(client.post("/api/plan/shifts", json={"roster": roster, "population": 0}))
    assert field in problem["field"] and problem["allowed"] and problem["message"], problem
