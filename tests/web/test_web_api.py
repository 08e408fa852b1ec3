"""The HTTP API through FastAPI's test client: every endpoint, bad input for every field, oversized bodies,
limits, the time budget, security headers. Responses are checked against the same schemas as the CLI's --json."""

from __future__ import annotations

import asyncio
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from web_problem import problem as _problem

from pineal import DISCLAIMER
from pineal.errors import InputError
from pineal.schemas import CheckReport, CiteJSON, DoseJSON, DoseRequest, SimulateJSON, ValidateJSON, simulate_json

SMALL_PROTOCOL = """
[protocol]
name = "two evenings"
days = 3

[[dose]]
amount = "3 mg"
time = "17:00"
days = 2
"""
YEAR_PROTOCOL = """
[protocol]
name = "a year of morning light"
days = 366

[[light]]
start = "07:00"
end = "09:00"
lux = 5000
"""


# ------------------------------------------------------------------------------------------------ health
def test_health(client):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["workers"] == 1 and body["disclaimer"] == DISCLAIMER


# -------------------------------------------------------------------------------------------------- dose
def test_dose_is_the_cli_object(client):
    r = client.post("/api/dose", json={"amount": "3 mg", "at": "22:00", "age": 70})
    assert r.status_code == 200, r.text
    body = r.json()
    DoseJSON.model_validate(body)
    assert body["disclaimer"] == DISCLAIMER
    assert body["cmax_pg_ml"] > 10 * body["endogenous_peak_pg_ml"]  # 3 mg far above the body's own night peak
    # the same object the CLI prints: `pineal dose "3 mg" --at 22:00 --age 70 --json` builds it from DoseRequest
    cli = json.loads(json.dumps(DoseRequest(amount="3 mg", at="22:00", age=70).report().as_json()))
    assert body == cli


def test_dose_options_reach_the_report(client):
    r = client.post("/api/dose", json={"amount": "500 mcg", "at": "2027-01-10T21:30+01:00", "route": "sublingual",
                                       "sex": "f", "weight": "154 lb", "with": ["fluvoxamine"], "pregnant": True})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["dose_mg"] == 0.5 and body["route"] == "sublingual" and body["at"] == "21:30"
    assert body["subject"]["drugs"] == ["fluvoxamine"] and abs(body["subject"]["weight_kg"] - 69.85) < 0.01
    assert any("pregnan" in w["code"] or "pregnan" in w["message"].lower() for w in body["warnings"])


BAD_DOSE = [
    ("dose", {"amount": "3"}, "3"),  # the library and the CLI call the amount "dose"
    ("dose", {"amount": "-1 mg"}, "-1 mg"),
    ("at", {"at": "25:00"}, "25:00"),
    ("route", {"route": "oral"}, "oral"),
    ("age", {"age": -3}, "-3"),
    ("age", {"age": "old"}, "old"),
    ("sex", {"sex": "x"}, "x"),
    ("weight", {"weight": "heavy"}, "heavy"),
    ("wake", {"wake": "7 o'clock"}, "7 o'clock"),
    ("sleep", {"sleep": "late"}, "late"),
    ("product", {"product": "pill"}, "pill"),
    ("smoker", {"smoker": "sometimes"}, "sometimes"),
    ("with", {"with": "fluvoxamine"}, "fluvoxamine"),
    ("condition", {"condition": [3]}, "3"),
    ("purpose", {"purpose": 7}, "7"),
    ("population", {"population": 5000}, "5000"),  # the population interval is capped (4096 people)
    ("population", {"population": 3}, "3"),
    ("colour", {"colour": "red"}, "red"),
]


@pytest.mark.parametrize(("field", "change", "shown"), BAD_DOSE, ids=[f"{f}={v}" for f, _, v in BAD_DOSE])
def test_dose_bad_field(client, field, change, shown):
    p = _problem(client.post("/api/dose", json={"amount": "3 mg", "at": "22:00", **change}))
    assert p["field"].split(".")[0] == field
    assert shown in p["message"] and p["allowed"]


def test_dose_errors_are_the_cli_messages(client):
    for change in ({"amount": "3"}, {"route": "oral"}, {"age": 130}, {"at": "25:00"}):
        req = {"amount": "3 mg", "at": "22:00", **change}
        with pytest.raises(InputError) as err:
            DoseRequest(**req).report()
        assert _problem(client.post("/api/dose", json=req))["message"] == str(err.value)


def test_dose_missing_fields(client):
    p = _problem(client.post("/api/dose", json={"at": "22:00"}))
    assert p["field"] == "amount" and p["reason"] == "missing"
    assert _problem(client.post("/api/dose", content=b"{not json", headers={"content-type": "application/json"}))


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(amount=st.text(max_size=12), at=st.text(max_size=8))
def test_dose_never_a_server_error(client, amount, at):
    r = client.post("/api/dose", json={"amount": amount, "at": at})
    assert r.status_code in (200, 422), r.text
    assert "Traceback" not in r.text


# ------------------------------------------------------------------------------------------------- check
def test_check(client):
    r = client.post("/api/check", json={"text": "Take 20 mg of melatonin every night for sleep. Melatonin cures "
                                                "cancer."})
    assert r.status_code == 200, r.text
    body = r.json()
    CheckReport.model_validate(body)
    assert [d["amount_mg"] for d in body["doses"]] == [20.0]
    assert {d["verdict"] for d in body["doses"]} and body["claims"]
    assert body["disclaimer"] == DISCLAIMER


@pytest.mark.parametrize(("text", "reason"), [("", "empty"), ("a\x00b", "NUL"), ("x" * 1_000_001, "too large")])
def test_check_bad_text(client, text, reason):
    p = _problem(client.post("/api/check", json={"text": text}))
    assert p["field"] == "text" and reason in p["message"]


def test_check_wrong_types(client):
    assert _problem(client.post("/api/check", json={"text": 3}))["field"] == "text"
    assert _problem(client.post("/api/check", json={}))["reason"] == "missing"


# ---------------------------------------------------------------------------------------------- simulate
def test_simulate_is_the_cli_object(client):
    r = client.post("/api/simulate", json={"protocol": SMALL_PROTOCOL})
    assert r.status_code == 200, r.text
    body = r.json()
    SimulateJSON.model_validate(body)
    assert body["protocol"] == "two evenings" and len(body["days"]) == 3 and body["disclaimer"] == DISCLAIMER
    from pineal.protocols import Protocol

    expected = simulate_json(Protocol.from_toml_text(SMALL_PROTOCOL, source="request"))
    assert body == json.loads(json.dumps(expected))


def test_simulate_a_year(client):
    r = client.post("/api/simulate", json={"protocol": YEAR_PROTOCOL, "definition": "phase"})
    assert r.status_code == 200, r.text
    assert len(r.json()["days"]) == 366


@pytest.mark.parametrize(("protocol", "definition", "field", "shown"), [
    ("[protocol\nname=", "plasma_10", "protocol", "a valid TOML file"),
    (SMALL_PROTOCOL.replace("days = 3", "days = 367"), "plasma_10", "request: protocol.days", "367"),
    (SMALL_PROTOCOL.replace('"3 mg"', '"3"'), "plasma_10", "request: dose", "3"),
    (SMALL_PROTOCOL + "\n[colour]\nred = 1\n", "plasma_10", "request: colour", "known key"),
    (SMALL_PROTOCOL, "saliva_9", "definition", "saliva_9"),
])
def test_simulate_bad_input(client, protocol, definition, field, shown):
    p = _problem(client.post("/api/simulate", json={"protocol": protocol, "definition": definition}))
    assert p["field"].startswith(field) and shown in p["message"]


# --------------------------------------------------------------------------------------- validate, cite
def test_validate_one_experiment(client):
    r = client.get("/api/validate", params={"only": "lewy1992"})
    assert r.status_code == 200, r.text
    body = ValidateJSON.model_validate(r.json())
    assert body.total == len(body.rows) >= 1 and {row.experiment for row in body.rows} == {"lewy1992"}
    assert _problem(client.get("/api/validate", params={"only": "nobody2030"}))["field"] == "experiment"


def test_cite(client):
    every = CiteJSON.model_validate(client.get("/api/cite").json())
    pk = CiteJSON.model_validate(client.get("/api/cite", params={"set": "pk"}).json())
    assert 0 < len(pk.works) < len(every.works)
    assert {w.key for w in pk.works} <= {w.key for w in every.works}
    assert _problem(client.get("/api/cite", params={"set": "nope"}))["field"] == "parameter set"


# ----------------------------------------------------------------------------------- limits and headers
@pytest.mark.parametrize("path", ["/api/dose", "/api/check", "/api/simulate", "/api/plan", "/check"])
def test_oversized_body_is_413(client, path):
    big = b'{"text": "' + b"a" * 1_100_000 + b'"}'
    p = _problem(client.post(path, content=big, headers={"content-type": "application/json"}), 413)
    assert p["field"] == "body" and "1,048,576" in p["message"]


def test_oversized_body_without_length_is_413(client):
    def chunks():
        for _ in range(20):
            yield b"a" * 100_000

    p = _problem(client.post("/api/check", content=chunks(), headers={"content-type": "application/json"}), 413)
    assert p["field"] == "body"


@pytest.mark.parametrize("path", ["/api/health", "/", "/check", "/plan", "/static/style.css"])
def test_security_headers_and_no_cors(client, path):
    r = client.get(path, headers={"origin": "https://elsewhere.example"})
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "access-control-allow-origin" not in r.headers
    pre = client.options("/api/dose", headers={"origin": "https://elsewhere.example",
                                               "access-control-request-method": "POST"})
    assert "access-control-allow-origin" not in pre.headers


def test_openapi_documents_the_shared_schemas(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/dose", "/api/check", "/api/simulate", "/api/plan", "/api/airports", "/api/validate", "/api/cite",
            "/api/health"} <= set(spec["paths"])
    assert {"DoseRequest", "DoseJSON", "CheckReport", "SimulateJSON", "TripRequest", "Plan"} <= set(
        spec["components"]["schemas"])
    assert client.get("/docs").status_code == 200


def test_docs_page_works_offline(client):
    """/docs references only this server: Swagger UI's script and style come from the package, no CDN."""
    import re

    r = client.get("/docs")
    assert r.status_code == 200 and "Not medical advice" in r.text
    assert not re.search(r"(?:https?:)?//[^\s\"'<>]", r.text.replace("http-equiv", "")), "an external URL in /docs"
    refs = re.findall(r'(?:src|href)="([^"]+)"', r.text)
    assert refs and all(u.startswith("/") and not u.startswith("//") for u in refs), refs
    for u in refs:
        assert client.get(u).status_code == 200, u
    csp = r.headers["content-security-policy"]
    assert "script-src 'self';" in csp and "cdn" not in csp and "<script>" not in r.text
    assert client.get("/redoc").status_code == 404  # ReDoc would need a CDN: not served


def test_unexpected_error_is_clean(client, monkeypatch):
    import pineal.web.app as web_app

    def broken(set_name=None):
        raise RuntimeError("secret internals")

    from fastapi.testclient import TestClient

    monkeypatch.setattr(web_app, "cite_json", broken)
    r = TestClient(client.app, raise_server_exceptions=False).get("/api/cite")
    assert r.status_code == 500 and "secret internals" not in r.text and "Traceback" not in r.text
    assert r.json()["detail"][0]["message"].startswith("internal error")


# ------------------------------------------------------------------------------------- the time budget
def test_time_budget_stops_the_work_and_the_server_recovers():
    from fastapi.testclient import TestClient

    from pineal.web import Settings, create_app

    with TestClient(create_app(Settings(workers=1, budget_s=0.05))) as c:
        pid = next(iter(c.app.state.pool._all)).process.pid
        p = _problem(c.post("/api/simulate", json={"protocol": YEAR_PROTOCOL}), 503)
        assert "time budget" in p["message"]
        workers = c.app.state.pool._all
        assert len(workers) == 1 and next(iter(workers)).process.pid != pid  # the busy worker was killed
        assert c.get("/api/health").status_code == 200
        r = c.post("/api/check", json={"text": "Take 1 mg melatonin."})  # a fresh warm worker answers
        assert r.status_code in (200, 503)


def test_pool_runs_jobs_in_parallel_and_reports_failures():
    from pineal.web.pool import JobFailed, WorkerPool

    async def go():
        pool = WorkerPool(2)
        pool.start()
        try:
            t0 = asyncio.get_running_loop().time()
            await asyncio.gather(pool.run("sleep", 10, seconds=0.6), pool.run("sleep", 10, seconds=0.6))
            both = asyncio.get_running_loop().time() - t0
            with pytest.raises(JobFailed) as err:
                await pool.run("sleep", 10, seconds="x")
            return both, err.value
        finally:
            pool.stop()

    both, failure = asyncio.run(go())
    assert both < 1.1  # two 0.6 s jobs at once, not one after the other
    assert failure.kind == "internal" and "TypeError" in failure.detail["message"]


# ------------------------------------------------------------------------------------------------- pages
def test_pages_say_not_medical_advice(client):
    for path in ("/", "/dose", "/check", "/plan", "/validate?only=lewy1992"):
        r = client.get(path)
        assert r.status_code == 200, path
        assert "Not medical advice" in r.text and "<script src=\"/static/app.js\"" in r.text
        assert "<script>" not in r.text


def test_dose_page(client):
    r = client.get("/dose", params={"amount": "3 mg", "at": "22:00", "with": "fluvoxamine", "smoker": "on"})
    assert r.status_code == 200
    assert 'id="report"' in r.text and "data:image/svg+xml;base64," in r.text and "fluvoxamine" in r.text
    bad = client.get("/dose", params={"amount": "3", "at": "22:00"})
    assert bad.status_code == 422 and 'role="alert"' in bad.text and "dose: &#39;3&#39; is not valid" in bad.text


def test_check_page_text_and_file(client):
    text = "Take 20 mg of melatonin for sleep. Melatonin cures cancer."
    r = client.post("/check", data={"text": text})
    assert r.status_code == 200 and r.text.count("<mark") == 2 and 'id="verdicts"' in r.text
    f = client.post("/check", files={"file": ("a.txt", text.encode(), "text/plain")})
    assert f.status_code == 200 and f.text.count("<mark") == 2
    binary = client.post("/check", files={"file": ("a.bin", b"\x00\x01", "application/octet-stream")})
    assert binary.status_code == 422 and "NUL" in binary.text


def test_validate_page(client):
    r = client.get("/validate", params={"only": "lewy1992"})
    assert r.status_code == 200 and 'id="validation"' in r.text and "lewy1992" in r.text
    assert client.get("/validate", params={"only": "nobody"}).status_code == 422


def test_heavy_jobs_leave_a_worker_for_fast_ones(monkeypatch):
    from pineal.web import pool as pool_mod

    monkeypatch.setattr(pool_mod, "HEAVY", frozenset({"sleep"}))

    async def go():
        pool = pool_mod.WorkerPool(2)
        pool.start()
        loop = asyncio.get_running_loop()
        try:
            t0 = loop.time()
            slow = asyncio.gather(pool.run("sleep", 10, seconds=0.8), pool.run("sleep", 10, seconds=0.8))
            await asyncio.sleep(0.1)
            report = await pool.run("check", 10, text="Take 3 mg of melatonin.")
            fast = loop.time() - t0
            await slow
            return fast, loop.time() - t0, report
        finally:
            pool.stop()

    fast, both, report = asyncio.run(go())
    assert both >= 1.6  # two heavy jobs on two workers ran one after the other ...
    assert fast < 0.8 and report["doses"]  # ... and the check did not wait for either
