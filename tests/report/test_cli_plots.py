"""The model-result charts from the CLI (review of issue 16, item 8): ``compare --plot`` draws
them with the shared plotting functions, ``indicators --plot`` draws the dashboard's chart."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from hedgelab.cli.main import app as cli


@pytest.mark.slow
def test_compare_plot_draws_bars_event_rates_and_the_breakdown(tmp_path):
    out = tmp_path / "c.svg"
    done = CliRunner().invoke(cli, ["compare", "--strategies", "dual_hedge,anchor", "--paths", "32", "--years", "1",
                                    "--plot", str(out)])
    assert done.exit_code == 0, done.output
    svg = out.read_text()
    for title in ("Mean over paths", "Event rates", "Why prosperity differs: dual_hedge − anchor"):
        assert title in svg, title


def test_compare_refuses_a_plot_format_before_running(tmp_path, monkeypatch):
    from hedgelab import api

    monkeypatch.setattr(api, "run", lambda *a, **k: pytest.fail("ran"))
    done = CliRunner().invoke(cli, ["compare", "--paths", "8", "--plot", str(tmp_path / "c.jpg")])
    assert done.exit_code == 2
    assert f"{tmp_path / 'c.jpg'}: plot: expected a file name ending in .png or .svg" in done.output


@pytest.mark.slow
def test_indicators_plot_is_the_dashboards_chart(tmp_path, monkeypatch):
    monkeypatch.delenv("HEDGELAB_DATA", raising=False)  # the table shipped with hedgelab
    out = tmp_path / "deep" / "i.svg"
    done = CliRunner().invoke(cli, ["indicators", "-c", "JPN", "-p", "USA,CHN", "--plot", str(out)])
    assert done.exit_code == 0, done.output
    assert "Indicators for JPN" in out.read_text()  # plots.indicator_series' title
    refused = CliRunner().invoke(cli, ["indicators", "-c", "JPN", "--plot", str(tmp_path / "i.pdf")])
    assert refused.exit_code == 2 and "expected a file name ending in .png or .svg" in refused.output
