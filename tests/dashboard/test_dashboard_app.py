"""The dashboard over HTTP (no browser): sessions, sliders, uploads, runs, cache, cancel, the data
page, and the loopback-only bind."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import time

import httpx
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from hedgelab.cli.main import app as cli
from hedgelab.dashboard.app import KEY_PARAMETERS, MAX_BODY_BYTES, create_app
from hedgelab.dashboard.server import check_host, is_loopback
from hedgelab.errors import HedgelabError
from hedgelab.report.comparison import max_paths
from hedgelab.scenarios import load_scenario, strategies_for
from hedgelab.scenarios.loader import MAX_SCENARIO_BYTES

from .conftest import LiveServer

SEVERITY = "events.coercion_severity"
LOCAL = "http://127.0.0.1"  # the test client's requests are addressed to a loopback host
SMALL = {"strategy": ["dual_hedge", "anchor"], "paths": "128", "years": "3", "seed": "0",
         "strategy_a": "anchor", "strategy_b": "dual_hedge"}


@pytest.fixture
def client():
    with TestClient(create_app(), base_url=LOCAL) as c:
        yield c


def errors(response) -> list[str]:
    found = re.search(r'id="errors"[^>]*>(.*?)</div>', response.text, re.S)
    return html.unescape(found.group(1)).strip().splitlines() if found else []


def slider_value(response, path: str) -> str:
    return re.search(rf'<output[^>]*data-path="{re.escape(path)}">([^<]*)<', response.text).group(1)


def wait(client, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while (job := client.get("/api/job").json())["status"] == "running":
        assert time.monotonic() < deadline, job
        time.sleep(0.05)
    return job


def test_the_scenario_page_shows_each_key_parameter_with_unit_range_and_source(client):
    page = client.get("/scenario")
    assert page.status_code == 200
    for path in KEY_PARAMETERS:
        assert f'data-path="{path}"' in page.text
    assert re.search(r"per year \(share of the remaining gap\); plausible range \[0\.0, 0\.2\]; source: ", page.text)


def test_sliders_set_overrides_checked_like_set(client):
    assert client.post("/scenario/parameters", data={SEVERITY: "0.3"}).status_code == 200
    page = client.get("/scenario")
    assert slider_value(page, SEVERITY) == "0.3"
    assert "(1 changed)" in page.text
    refused = client.post("/scenario/parameters", data={SEVERITY: "7"})
    assert refused.status_code == 400
    assert errors(refused) == [f"overrides: {SEVERITY}: expected a value in [0.03, 0.4], got 7.0"]
    assert slider_value(client.get("/scenario"), SEVERITY) == "0.3"  # unchanged
    assert client.post("/scenario/parameters", data={SEVERITY: "abc"}).status_code == 400
    client.post("/scenario/reset")
    assert "changed)" not in client.get("/scenario").text


@pytest.mark.parametrize(("name", "body", "expected"), [
    ("s.toml", b'base = "japan-2026"\n[events]\ncoercion_rate = -4\n',
     r"s\.toml: events\.coercion_rate: expected a value in \[[0-9.]+, [0-9.]+\], got -4\.0"),
    ("s.toml", b"[[[", r"s\.toml: syntax: expected valid TOML \(.*\)"),
    ("s.yaml", b"a: &a [*a]\n", r"s\.yaml: syntax: expected valid YAML \(.*\)"),
    ("s.toml", b"#" * (MAX_SCENARIO_BYTES + 1), r"s\.toml: file: expected a scenario file of at most 1,000,000 bytes"),
    ("s.toml", b'base = "/etc/hedgelab.toml"\n', r"s\.toml: base: expected a built-in scenario \(.*\); an uploaded file "
                                                 r"cannot inherit from another file"),
    ("s.toml", b'base = "../../japan-2026.toml"\n', r"s\.toml: base: expected a built-in scenario .*"),
    ("s.py", b"import os", r"s\.py: file: expected a scenario file ending in \.toml, \.yaml or \.yml"),
    ("s.toml", b"\xff\xfe", r"s\.toml: file: expected UTF-8 text"),
])
def test_an_invalid_upload_shows_the_loaders_line_and_changes_nothing(client, name, body, expected):
    client.post("/scenario/parameters", data={SEVERITY: "0.3"})
    before = client.get("/scenario").text
    answer = client.post("/scenario/upload", files={"file": (name, body)})
    assert answer.status_code == 400
    assert len(errors(answer)) == 1 and re.fullmatch(expected, errors(answer)[0])
    assert "/tmp" not in answer.text.split('id="errors"')[1][:2000]  # the server's paths are not shown
    assert client.get("/scenario").text == before


@pytest.mark.slow
def test_a_valid_upload_becomes_the_sessions_scenario(client):
    body = b'base = "japan-2026"\nname = "<b>mine</b>"\n[environment]\nconvergence_speed = 0.12\n'
    assert client.post("/scenario/upload", files={"file": ("../../my scenario.toml", body)}).status_code == 200
    page = client.get("/scenario")
    assert "scenario: my_scenario.toml" in page.text
    assert "&lt;b&gt;mine&lt;/b&gt;" in page.text and "<b>mine</b>" not in page.text  # shown, never markup
    assert slider_value(page, "environment.convergence_speed") == "0.12"
    client.post("/api/compare", data=SMALL)
    assert wait(client)["status"] == "done"


def headers_only(url: str, path: str, length: int) -> tuple[int, str]:
    """POST announcing a ``length``-byte multipart body but sending none of it: the answer."""
    import http.client
    from urllib.parse import urlsplit

    connection = http.client.HTTPConnection(urlsplit(url).netloc, timeout=30)
    try:
        connection.putrequest("POST", path)
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(length))
        connection.endheaders()
        answer = connection.getresponse()
        return answer.status, answer.read().decode()
    finally:
        connection.close()


def test_oversized_and_malformed_bodies_are_refused_and_the_server_carries_on(live_server):
    with httpx.Client(base_url=live_server.url, timeout=30) as http:
        http.get("/scenario")
        status, text = headers_only(live_server.url, "/scenario/upload", MAX_BODY_BYTES + 1)
        assert status == 413 and "at most 1,000,000 bytes" in text  # answered before any of the body was sent
        broken = http.post("/scenario/upload", content=b"--x\r\nnot a part",
                           headers={"content-type": "multipart/form-data; boundary=x"})
        assert broken.status_code == 400
        no_file = http.post("/scenario/upload", data={"other": "1"})
        assert no_file.status_code == 400 and "a scenario file chosen in the form" in no_file.text
        assert http.get("/health").text == "ok"
        assert http.get("/scenario").status_code == 200


def test_sessions_are_separate(client):
    other = TestClient(client.app, base_url=LOCAL)
    client.post("/scenario/select", data={"scenario": "japan-2017"})
    client.post("/scenario/parameters", data={SEVERITY: "0.35"})
    assert "scenario: japan-2017" in client.get("/scenario").text
    page = other.get("/scenario")
    assert "scenario: japan-2026" in page.text and slider_value(page, SEVERITY) != "0.35"
    client.post("/api/compare", data=SMALL)
    wait(client)
    assert other.get("/api/job").json() == {"status": "none"}
    assert 'id="results"' not in other.get("/compare").text


@pytest.mark.slow
def test_a_comparison_runs_in_the_background_and_is_cached_by_settings(client):
    first = client.post("/api/compare", data=SMALL).json()
    assert first["status"] == "running" and first["kind"] == "compare"
    assert wait(client)["status"] == "done"
    page = client.get("/compare")
    assert page.text.count('class="chart"') == 4 and 'data-strategy="anchor"' in page.text
    assert client.post("/api/compare", data=SMALL).json() == {"status": "done", "cached": True}
    again = client.post("/api/compare", data={**SMALL, "seed": "1"}).json()
    assert again["status"] == "running" and again["id"] != first["id"]
    wait(client)
    bad = client.post("/api/compare", data={**SMALL, "paths": "0"})
    most = max_paths(load_scenario("japan-2026"), 2, 3)
    assert bad.status_code == 400 and bad.json()["errors"] == [f"form: paths: expected a whole number from 1 to {most:,}, not 0"]
    assert client.post("/api/compare", data={**SMALL, "strategy": ["nope"]}).status_code == 400


def test_a_run_can_be_cancelled(client, monkeypatch):
    import threading

    from hedgelab.dashboard import app as app_module

    from .test_dashboard_safety import blocking_comparison

    release = threading.Event()
    monkeypatch.setattr(app_module, "run_comparison", blocking_comparison(release))  # runs until cancelled
    started = client.post("/api/compare", data={**SMALL, "paths": "60000", "years": "10"}).json()
    assert started["status"] == "running"
    busy = client.post("/api/compare", data=SMALL)
    assert busy.status_code == 409  # one run at a time per session
    client.post("/api/job/cancel")
    assert wait(client)["status"] == "cancelled"
    release.set()
    assert 'id="results"' not in client.get("/compare").text  # nothing cached


def test_the_data_page_shows_indicators_with_definition_notes(client):
    page = client.get("/data", params={"country": "JPN", "partners": "USA,CHN"})
    assert page.status_code == 200
    assert 'id="chart-indicators"' in page.text and '<ol class="notes">' in page.text
    bad = client.get("/data", params={"country": "XXQ"})
    assert bad.status_code == 400 and len(errors(bad)) == 1
    assert "'XXQ': expected an ISO3 country code" in errors(bad)[0]


@pytest.mark.slow
def test_the_explore_page_ranks_finds_boxes_tipping_points_signposts_and_the_front(client):
    started = client.post("/api/explore", data={"metric": "prosperity", "strategy": "dual_hedge", "reference": "anchor",
                                                "futures": "24", "paths": "16", "years": "3", "front": "on"}).json()
    assert started["status"] == "running"
    assert wait(client, timeout=120)["status"] == "done"
    page = client.get("/explore").text
    for figure in ("robustness", "tipping", "front"):
        assert re.search(rf'id="{figure}-figure"><\?xml.*?<svg', page, re.S), figure
    assert "prosperity &gt;= anchor" in page  # the tipping criterion, as the analysis describes it
    named = re.search(r'<table class="front">.*?</table>', page, re.S).group(0)
    named_strategies = strategies_for(load_scenario("japan-2026"))
    assert named.count("<tr>") == 1 + len(named_strategies)  # header and every named strategy against the front
    assert client.post("/api/explore", data={"futures": "3"}).status_code == 400
    assert client.post("/api/explore", data={"reference": "nope"}).status_code == 400


@pytest.mark.parametrize("host", ["127.0.0.1", "127.3.2.1", "::1", "[::1]", "localhost", "LOCALHOST"])
def test_loopback_hosts_are_served(host):
    assert is_loopback(host)
    check_host(host, allow_remote=False)


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.5", "::", "example.org"])
def test_other_hosts_need_allow_remote(host):
    with pytest.raises(HedgelabError, match=f"--host: {re.escape(host)}: expected a loopback address.*--allow-remote"):
        check_host(host, allow_remote=False)
    check_host(host, allow_remote=True)


def test_serve_refuses_a_non_local_bind_with_exit_code_2():
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9"])
    assert result.exit_code == 2
    assert "--host: 0.0.0.0: expected a loopback address" in result.output


def test_serve_on_a_port_in_use_says_so_in_one_line():
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", "--port", str(port)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"127.0.0.1:{port}: --port: expected an address free to listen on "
                                                  "(Address already in use)"]


@pytest.mark.slow
def test_hedgelab_serve_answers_on_loopback_and_stops():
    process = subprocess.Popen([sys.executable, "-m", "hedgelab", "serve", "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        line = process.stdout.readline()  # printed once the socket is bound
        url = re.search(r"http://127\.0\.0\.1:\d+/", line).group(0)
        deadline = time.monotonic() + 30
        while True:
            try:
                assert httpx.get(f"{url}health", timeout=1).text == "ok"
                break
            except httpx.TransportError:
                assert process.poll() is None and time.monotonic() < deadline
                time.sleep(0.2)
    finally:
        process.terminate()
        process.communicate(timeout=10)


def test_the_live_server_fixture_serves_pages(live_server):
    assert isinstance(live_server, LiveServer)
    assert httpx.get(f"{live_server.url}/compare").status_code == 200


def test_a_missing_browser_skips_here_and_fails_when_required():
    from .conftest import browser_missing, without_browser

    reason = browser_missing(chromium=None)
    assert reason is not None and "chromium not found" in reason
    assert without_browser(reason, {})[0] == "skip"
    assert without_browser(reason, {"HEDGELAB_REQUIRE_BROWSER": "1"}) == ("fail", f"{reason} and HEDGELAB_REQUIRE_BROWSER=1")
