"""The pages in a real browser: Playwright driving Debian's Chromium against `pineal serve`'s app on loopback.

Each test opens a page, fills its form, submits, reads the result, checks that the browser logged no errors (a
Content-Security-Policy violation is one) and saves a screenshot under the test's tmp dir.
"""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


@pytest.fixture
def watched(page):
    """The page, with every console error and uncaught exception collected."""
    errors: list[str] = []
    page.on("console", lambda m: errors.append(f"console {m.type}: {m.text}") if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(f"page error: {e}"))
    page.errors = errors
    return page


def _number(text: str) -> float:
    return float(re.search(r"[\d,]+(?:\.\d+)?", text).group(0).replace(",", ""))


def test_dose_page(watched, live_server, tmp_path):
    page = watched
    page.goto(live_server + "/")
    assert "Not medical advice" in page.locator("header .disclaimer").inner_text()
    page.get_by_label("Amount with a unit").fill("3 mg")
    page.get_by_label("Taken at").fill("22:00")
    page.get_by_label("Age (years)").fill("70")
    page.get_by_label("Route").select_option("oral-ir")
    page.get_by_label("smoker").check()
    page.get_by_role("button", name="Show what it does").click()
    page.wait_for_selector("#report")
    cmax = _number(page.locator('td[data-key="cmax_pg_ml"]').inner_text())
    own = _number(page.locator('td[data-key="endogenous_peak_pg_ml"]').inner_text())
    assert cmax > 10 * own > 0
    assert page.locator(".warnings li").count() >= 1
    figure = page.locator("#figure")
    assert figure.evaluate("img => img.complete && img.naturalWidth > 300")
    assert "smoker=on" in page.url and page.get_by_label("smoker").is_checked()
    page.screenshot(path=tmp_path / "dose.png", full_page=True)
    assert page.errors == []


def test_dose_page_by_keyboard_and_its_error(watched, live_server, tmp_path):
    page = watched
    page.goto(live_server + "/")
    page.get_by_label("Amount with a unit").fill("3")
    page.get_by_label("Taken at").focus()
    page.keyboard.press("Enter")  # submit without the mouse
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "dose: '3' is not valid" in alert.inner_text() and "unit" in alert.inner_text()
    page.screenshot(path=tmp_path / "dose-error.png", full_page=True)
    assert [e for e in page.errors if "422" not in e] == []  # the browser logs the 422 status itself


def test_dose_page_on_a_phone(watched, live_server, tmp_path):
    page = watched
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server + "/dose?amount=0.5+mg&at=21:00")
    page.wait_for_selector("#report")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1, f"the page scrolls sideways by {overflow} px on a phone"
    page.screenshot(path=tmp_path / "dose-phone.png", full_page=True)
    assert page.errors == []


def test_check_page_paste_and_upload(watched, live_server, tmp_path):
    page = watched
    text = ("Many adults take 20 mg of melatonin every night for sleep. Melatonin cures cancer, some say. "
            "Children can have 0.5 mg.")
    page.goto(live_server + "/check")
    page.get_by_label("Paste the text").fill(text)
    page.get_by_role("button", name="Check the text").click()
    page.wait_for_selector("#verdicts")
    marks = page.locator("#article mark")
    assert marks.count() >= 2
    verdicts = page.locator("#verdicts .verdict").all_inner_texts()
    assert verdicts and set(verdicts) <= {"dangerous", "not supported", "insufficient evidence", "partly supported",
                                          "supported"}
    assert page.locator("#verdicts .sources a").count() >= 1
    marks.first.locator("a").click()  # a highlighted sentence leads to its verdict
    assert re.search(r"#item-\d+$", page.url)
    page.screenshot(path=tmp_path / "check.png", full_page=True)

    article = tmp_path / "article.txt"
    article.write_text(text, encoding="utf-8")
    page.goto(live_server + "/check")
    page.get_by_label("upload").set_input_files(article)
    page.get_by_role("button", name="Check the text").click()
    page.wait_for_selector("#verdicts")
    assert page.locator("#article mark").count() == marks.count()
    page.screenshot(path=tmp_path / "check-upload.png", full_page=True)
    assert page.errors == []


def test_validation_page(watched, live_server, tmp_path):
    page = watched
    page.goto(live_server + "/validate?only=lewy1992")
    rows = page.locator("#validation tbody tr")
    assert rows.count() >= 1
    assert "within tolerance" in page.locator("#summary").inner_text()
    assert all(c in ("yes", "MISS") for c in page.locator("#validation tbody td:last-child").all_inner_texts())
    assert "Not medical advice" in page.content()
    page.screenshot(path=tmp_path / "validate.png", full_page=True)
    assert page.errors == []


def test_plan_page(watched, live_server, tmp_path):
    page = watched
    page.goto(live_server + "/plan")
    assert "Not medical advice" in page.locator("header .disclaimer").inner_text()
    origin = page.get_by_label("Flight 1: from")
    origin.press_sequentially("new york", delay=20)  # the airport search suggests from GET /api/airports
    page.locator("#airport-list option").first.wait_for(state="attached")  # (wait_for_function needs eval: CSP)
    suggested = page.locator("#airport-list option").evaluate_all("os => os.map(o => o.value)")
    assert "JFK" in suggested
    origin.fill("JFK")
    page.locator("#depart0").fill("2027-01-10T18:30")
    page.locator("#destination0").fill("LHR")
    page.locator("#arrive0").fill("2027-01-11T06:30")
    page.get_by_label("Usual bedtime at home").fill("23:00")
    page.get_by_label("Usual wake time").fill("07:00")
    doses = page.get_by_label("Melatonin dose").locator("option").evaluate_all("os => os.map(o => +o.value)")
    assert max(doses) <= 5 and min(doses) >= 0.5
    page.get_by_label("Melatonin dose").select_option("0.5")
    page.get_by_label("Virtual travellers for the benefit band (0-200)").fill("8")
    page.get_by_role("button", name="Make my plan").click()
    page.wait_for_selector("#plan-table", timeout=120_000)
    assert "LHR" in page.locator("#summary").inner_text()
    kinds = page.locator("#plan-table tbody tr").evaluate_all("rs => rs.map(r => r.className)")
    assert "kind-flight" in kinds and "kind-sleep" in kinds
    assert page.locator("table.predictions tbody tr").count() == 3  # no plan, published rule, pineal plan
    assert page.locator("#figure").evaluate("img => img.complete && img.naturalWidth > 300")
    with page.expect_download() as info:
        page.locator("#download-ics").click()
    ics = tmp_path / "plan.ics"
    info.value.save_as(ics)
    assert ics.read_text("utf-8").startswith("BEGIN:VCALENDAR")
    assert "Not medical advice" in page.locator("#result").inner_text()
    page.screenshot(path=tmp_path / "plan.png", full_page=True)
    assert page.errors == []


def test_api_docs_offline(watched, live_server, tmp_path):
    """/docs renders with every request to another host blocked (no CDN), and lists the endpoints."""
    page = watched
    outside: list[str] = []

    def only_here(route):
        if route.request.url.startswith(live_server):
            return route.continue_()
        outside.append(route.request.url)
        return route.abort()

    page.route("**/*", only_here)
    page.goto(live_server + "/docs")
    page.locator(".opblock").first.wait_for(timeout=30_000)
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert {"/api/dose", "/api/plan", "/api/check"} <= {p.strip() for p in paths}
    page.screenshot(path=tmp_path / "docs.png", full_page=True)
    assert outside == [] and page.errors == []
