"""The self-contained HTML report and ``hedgelab report`` (the browser check is in
tests/dashboard/test_dashboard_browser.py)."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from hedgelab.analysis.metrics import METRICS
from hedgelab.cli.main import app as cli
from hedgelab.report.comparison import Request, run_comparison
from hedgelab.report.report import render

pytestmark = pytest.mark.slow  # each renders the Vega bundle and a comparison (about 2 s)

STRATEGIES = ("dual_hedge", "anchor")


def test_the_report_holds_every_section_and_needs_no_network():
    comparison = run_comparison(Request("japan-2026", ("events.coercion_severity=0.3",), STRATEGIES, 64, 2, 0))
    text = render(comparison, "hedgelab report --out r.html")
    for section in ("comparison", "charts", "parameters", "definitions", "provenance"):
        assert f'<section id="{section}">' in text
    assert text.count('<div class="chart"') == 4
    for metric in METRICS:
        assert f"<code>{metric}</code>" in text
    assert comparison.result.attrs["run_id"] in text and "hedgelab report --out r.html" in text
    assert re.search(r"<script[^>]*\ssrc=", text) is None and re.search(r"<link[^>]*\shref=", text) is None
    assert text.count('class="overridden"') == 1


def test_hedgelab_report_writes_the_file_and_refuses_bad_options(tmp_path):
    out = tmp_path / "r.html"
    runner = CliRunner()
    done = runner.invoke(cli, ["report", "--out", str(out), "--strategies", ",".join(STRATEGIES), "--paths", "64",
                               "--years", "2", "--breakdown", "anchor,dual_hedge"])
    assert done.exit_code == 0, done.output
    text = out.read_text()
    assert "Breakdown: anchor against dual_hedge" in text
    wrong = runner.invoke(cli, ["report", "--out", str(tmp_path / "r.txt"), "--paths", "8", "--years", "1",
                                "--strategies", "anchor"])
    assert wrong.exit_code == 2 and "r.txt: out: expected a file name ending in .html" in wrong.output
    pair = runner.invoke(cli, ["report", "--out", str(out), "--paths", "8", "--years", "1", "--breakdown", "anchor"])
    assert pair.exit_code == 2 and "--breakdown: anchor: expected two strategy names" in pair.output
    absent = runner.invoke(cli, ["report", "--out", str(out), "--paths", "8", "--years", "1",
                                 "--strategies", "anchor,dual_hedge", "--breakdown", "anchor,neutral"])
    assert absent.exit_code == 2 and "pair: expected two different strategies of the comparison" in absent.output
