"""`pineal plan trip`: JSON, .ics, figure and protocol in one run; bad input exits 2 with one line."""

import json
import subprocess
import sys

import pytest


def cli(*args):
    return subprocess.run([sys.executable, "-c", "from pineal.cli import main; main()", *args],
                          capture_output=True, text=True, timeout=600)


def test_trip_json_ics_plot_protocol(tmp_path):
    ics, fig, proto = tmp_path / "plan.ics", tmp_path / "plan.png", tmp_path / "plan.toml"
    r = cli("plan", "trip", "--leg", "JFK 2027-01-10 18:30 LHR 2027-01-11 06:30", "--json", "--population", "4",
            "--ics", str(ics), "--plot", str(fig), "--protocol", str(proto))
    assert r.returncode == 0, r.stderr
    obj = json.loads(r.stdout)
    assert obj["schema_version"] == 1 and obj["mode"] == "plan" and "Not medical advice" in obj["disclaimer"]
    ep = obj["episodes"][0]
    assert ep["direction"] == "advance" and ep["shift_h"] == 5.0
    assert [p["strategy"] for p in ep["predictions"]] == ["no plan", "published rule", "pineal plan"]
    assert all(p["population"] == 4 for p in ep["predictions"])
    assert all(i["start"][-6] in "+-" or i["start"].endswith("Z") for i in obj["items"])  # aware instants
    assert b"BEGIN:VALARM" in ics.read_bytes()
    assert fig.stat().st_size > 10_000
    assert "[[dose]]" in proto.read_text() or "[[light]]" in proto.read_text()  # runs in simulate: test_plans


@pytest.mark.parametrize("args, field", [
    (["--leg", "JFK 2027-01-10 LHR"], "leg"),
    (["--leg", "ZZZ 2027-01-10 18:30 LHR 2027-01-11 06:30"], "origin"),
    (["--leg", "JFK 2027-01-10 18:30 LHR 2027-01-11 06:30", "--dose", "10"], "dose_mg"),
    (["--leg", "JFK 2027-01-10 18:30 LHR 2027-01-11 06:30", "--ics", "plan.txt"], "ics"),
    ([], "leg"),
])
def test_bad_input_exits_2(args, field):
    r = cli("plan", "trip", *args)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert field in r.stderr


def test_shifts_and_advance_write_a_calendar_and_a_figure(tmp_path):
    """Every plan kind gives JSON, an .ics calendar and a figure (issue 9, "done when")."""
    from icalendar import Calendar

    roster = tmp_path / "roster.csv"
    roster.write_text("start,end\n" + "\n".join(f"2027-03-{d:02d} 23:00,2027-03-{d + 1:02d} 07:00"
                                                 for d in (8, 9, 10)), "utf-8")
    runs = {"shifts": ["plan", "shifts", str(roster), "--population", "0"],
            "advance": ["plan", "advance", "--from", "02:00-10:00", "--to", "23:00-07:00", "--start", "2027-03-01",
                        "--days", "14"]}
    for name, args in runs.items():
        ics, png = tmp_path / f"{name}.ics", tmp_path / f"{name}.png"
        r = cli(*args, "--ics", str(ics), "--plot", str(png))
        assert r.returncode == 0, r.stderr
        events = Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
        assert events and all("not medical advice" in str(e["description"]).lower() for e in events)
        assert png.stat().st_size > 10_000
