"""End to end in headless Chromium: the dashboard as a user drives it, and the HTML report opened
with the network blocked. Screenshots go to ``test-artifacts/`` (conftest.ARTIFACTS)."""

from __future__ import annotations

import re
import threading

import pytest

from hedgelab.scenarios import load_scenario, strategies_for
from hedgelab.scenarios.loader import MAX_SCENARIO_BYTES

from .test_dashboard_safety import blocking_comparison

pytestmark = pytest.mark.slow

SEVERITY = "events.coercion_severity"
CELL = 'table.comparison tr[data-strategy="dual_hedge"] td[data-metric="{}"]'
FEW = ("dual_hedge", "anchor", "multi_hedge")


def mean_of(page, metric: str) -> float:
    """The mean in a ``mean ± se`` cell of the comparison table."""
    return float(page.locator(CELL.format(metric)).inner_text().split("±")[0])


def set_slider(page, path: str, value: float) -> None:
    page.goto(page.url.split("/scenario")[0] + "/scenario" if "/scenario" in page.url else page.url)
    page.locator(f'input[type="range"][data-path="{path}"]').fill(str(value))
    page.locator("#apply").click()
    page.wait_for_load_state()


def run_comparison(page, base: str, strategies=FEW) -> None:
    page.goto(f"{base}/compare")
    for box in page.locator('input[name="strategy"]').all():
        box.set_checked(box.get_attribute("value") in strategies)
    page.locator("#run").click()
    page.wait_for_selector("#results", timeout=60_000)
    page.wait_for_selector("#chart-bars svg")


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    tab.goto(f"{live_server.url}/scenario")
    yield tab
    context.close()


def test_moving_a_slider_changes_the_table_and_the_charts(page, live_server, artifacts):
    base = live_server.url
    slider = page.locator(f'input[type="range"][data-path="{SEVERITY}"]')
    low, high = float(slider.get_attribute("min")), float(slider.get_attribute("max"))
    set_slider(page, SEVERITY, low)
    assert page.locator(f'output[data-path="{SEVERITY}"]').inner_text() == str(low)
    run_comparison(page, base)
    page.screenshot(path=artifacts / "compare-low-severity.png", full_page=True)
    before = {m: mean_of(page, m) for m in ("loss_coercion", "prosperity")}
    bars_before = page.locator("#chart-bars").inner_html()
    run_before = page.locator("#results").get_attribute("data-run-id")

    page.goto(f"{base}/scenario")
    set_slider(page, SEVERITY, high)
    assert "1 changed" in page.locator("#current-scenario").inner_text()
    run_comparison(page, base)
    page.screenshot(path=artifacts / "compare-high-severity.png", full_page=True)
    after = {m: mean_of(page, m) for m in ("loss_coercion", "prosperity")}
    # same seed, same futures: a more severe episode costs more and leaves less prosperity
    assert after["loss_coercion"] > before["loss_coercion"]
    assert after["prosperity"] < before["prosperity"]
    assert page.locator("#results").get_attribute("data-run-id") != run_before
    assert page.locator("#chart-bars").inner_html() != bars_before
    assert page.locator("div.chart svg").count() == 4  # bars, fan, event rates, breakdown


def test_a_long_run_shows_progress_and_can_be_cancelled(page, live_server, monkeypatch):
    from hedgelab.dashboard import app as app_module

    release = threading.Event()
    monkeypatch.setattr(app_module, "run_comparison", blocking_comparison(release))  # runs until cancelled
    page.goto(f"{live_server.url}/compare")
    for box in page.locator('input[name="strategy"]').all():
        box.set_checked(box.get_attribute("value") in FEW[:2])
    page.locator("#paths").fill("4000")
    page.locator("#run").click()
    page.wait_for_selector("#job-progress:not([hidden])", timeout=10_000)
    assert page.locator("#job-status").inner_text().startswith("running")
    page.locator("#cancel").click()
    page.wait_for_function("document.getElementById('job-status').textContent === 'last run cancelled'",
                           timeout=60_000)
    release.set()
    page.reload()
    assert page.locator("#no-results").is_visible()


def test_an_invalid_upload_shows_the_loaders_message_and_changes_nothing(page, live_server, artifacts):
    set_slider(page, "environment.convergence_speed", 0.1)
    label = page.locator("#current-scenario").inner_text()
    page.locator("#upload-file").set_input_files(
        {"name": "mine.toml", "mimeType": "text/plain", "buffer": b'base = "japan-2026"\n[events]\ncoercion_rate = -4\n'})
    page.locator("#upload-button").click()
    page.wait_for_selector("#errors")
    page.screenshot(path=artifacts / "invalid-upload.png")
    assert re.match(r"mine\.toml: events\.coercion_rate: expected a value in \[.*\], got -4", page.locator("#errors").inner_text())
    assert page.locator("#current-scenario").inner_text() == label
    assert page.locator('output[data-path="environment.convergence_speed"]').inner_text() == "0.1"

    page.locator("#upload-file").set_input_files(
        {"name": "big.toml", "mimeType": "text/plain", "buffer": b"#" * (MAX_SCENARIO_BYTES + 500_000)})
    page.locator("#upload-button").click()
    page.wait_for_selector("#errors")
    assert f"at most {MAX_SCENARIO_BYTES:,} bytes" in page.locator("#errors").inner_text()
    assert page.locator("#current-scenario").inner_text() == label
    page.goto(f"{live_server.url}/health")
    assert page.locator("body").inner_text() == "ok"


def test_two_sessions_do_not_see_each_others_state(browser, live_server):
    first, second = browser.new_context(), browser.new_context()
    try:
        a, b = first.new_page(), second.new_page()
        a.goto(f"{live_server.url}/scenario")
        a.locator("#scenario-select").select_option("japan-2017")
        a.locator("#select-button").click()
        a.wait_for_load_state()
        set_slider(a, SEVERITY, 0.3)
        b.goto(f"{live_server.url}/scenario")
        assert a.locator("#current-scenario").inner_text().startswith("scenario: japan-2017")
        assert b.locator("#current-scenario").inner_text() == "scenario: japan-2026"
        assert b.locator(f'output[data-path="{SEVERITY}"]').inner_text() != "0.3"
        a.reload()
        assert a.locator(f'output[data-path="{SEVERITY}"]').inner_text() == "0.3"
    finally:
        first.close()
        second.close()


def test_the_other_pages_draw(page, live_server, artifacts):
    page.goto(f"{live_server.url}/data?country=JPN&partners=USA,CHN")
    page.wait_for_selector("#chart-indicators svg")
    assert page.locator("ol.notes li").count() >= 1
    page.screenshot(path=artifacts / "data.png")
    page.goto(f"{live_server.url}/explore")
    page.locator('input[name="futures"]').fill("24")
    page.locator('input[name="paths"]').fill("16")
    page.locator('input[name="years"]').fill("3")
    page.locator("#run").click()
    page.wait_for_selector("#results", timeout=60_000)
    assert page.locator("#robustness-figure svg").count() == 1
    assert page.locator("table.ranks tbody tr").count() == len(strategies_for(load_scenario("japan-2026")))
    assert page.locator("#tipping-figure svg").count() == 1 and page.locator("#tipping-summary").is_visible()
    page.screenshot(path=artifacts / "explore.png", full_page=True)


def test_the_report_opens_offline_with_every_section_and_chart(browser, tmp_path, artifacts):
    from hedgelab.report.comparison import Request, run_comparison
    from hedgelab.report.report import write_report

    out = tmp_path / "report.html"
    write_report(out, run_comparison(Request("japan-2026", (f"{SEVERITY}=0.3",), FEW, 256, 5, 0)), "hedgelab report --test")
    context = browser.new_context()
    attempted: list[str] = []

    def block(route):
        if route.request.url.startswith("file:"):
            route.continue_()
        else:
            attempted.append(route.request.url)
            route.abort()

    context.route("**/*", block)
    try:
        page = context.new_page()
        page.goto(out.as_uri())
        page.wait_for_selector("#chart-breakdown svg")
        page.screenshot(path=artifacts / "report.png", full_page=True)
        for section in ("comparison", "charts", "parameters", "definitions", "provenance"):
            assert page.locator(f"section#{section}").is_visible()
        assert page.locator("div.chart svg").count() == 4
        assert page.locator("table.comparison tbody tr").count() == 3 * len(FEW)  # three metric groups
        assert page.locator("tr.overridden").count() == 1
        assert page.locator("#command").inner_text() == "hedgelab report --test"
        assert attempted == []
    finally:
        context.close()
