"""The model-result charts: what they draw is what the API computed, and they render offline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hedgelab import api
from hedgelab.errors import HedgelabError
from hedgelab.report import plots

STRATEGIES = ["dual_hedge", "anchor", "multi_hedge"]


@pytest.fixture(scope="module")
def result():
    return api.run("japan-2026", STRATEGIES, n_paths=128, years=3, seed=0)


@pytest.fixture(scope="module")
def summary(result):
    return api.summarise(result)


def rows(chart) -> pd.DataFrame:
    """The largest dataset a chart's spec embeds (the others are reference lines)."""
    datasets = chart.to_dict()["datasets"]
    return pd.DataFrame(max(datasets.values(), key=len))


def test_comparison_bars_draw_each_mean_with_one_standard_error(summary):
    chart = plots.comparison_bars(summary, ("security", "prosperity"))
    drawn = rows(chart)
    assert sorted(drawn["metric"].unique()) == ["prosperity", "security"]
    expected = summary.set_index(["strategy", "metric"])
    for r in drawn.itertuples():
        mean, stderr = expected.loc[(r.strategy, r.metric)]
        assert (r.mean, r.low, r.high) == pytest.approx((mean, mean - stderr, mean + stderr))
    with pytest.raises(HedgelabError, match="metrics of the registry, not nope"):
        plots.comparison_bars(summary, ("nope",))


def test_event_rates_draw_every_rate_metric(summary):
    drawn = rows(plots.event_rates(summary))
    assert set(drawn["event"]) == {"coercion", "abandonment", "entrapment", "deal"}
    assert len(drawn) == 4 * len(STRATEGIES)
    assert (drawn["mean"] >= 0).all()


def test_fan_chart_bands_are_ordered_quantiles_by_quarter():
    data = api.trajectories("japan-2026", STRATEGIES[:2], n_paths=128, years=2, seed=0)
    drawn = rows(plots.fan_chart(data))
    quantiles = drawn[["q05", "q25", "q50", "q75", "q95"]].to_numpy()
    assert (np.diff(quantiles, axis=1) >= -1e-9).all()
    assert len(drawn) == 4 * 2 * 8  # variables x strategies x quarters
    assert pd.to_datetime(drawn["quarter"]).dt.tz_localize(None).min() == pd.Timestamp(data.quarter.values[0])
    security = drawn[drawn["variable"].str.startswith("security") & (drawn["strategy"] == "anchor")]
    assert security["q50"].to_numpy() == pytest.approx(data["security"].sel(strategy="anchor", quantile=0.5).values)
    with pytest.raises(HedgelabError, match="quantiles over paths"):
        plots.fan_chart(api.trajectories("japan-2026", STRATEGIES[:1], n_paths=8, years=1, quantiles=False))


def test_the_breakdown_chart_shows_parts_that_add_up_to_the_gap(result):
    table = api.breakdown(result, "anchor", "dual_hedge")
    drawn = rows(plots.breakdown_bars(table, "anchor", "dual_hedge"))
    total = drawn[drawn["kind"] == "total"]["difference"]
    assert len(total) == 1
    assert drawn[drawn["kind"] == "component"]["difference"].sum() == pytest.approx(total.iloc[0], abs=1e-5)
    with pytest.raises(HedgelabError, match="a metric of the breakdown"):
        plots.breakdown_bars(table, "anchor", "dual_hedge", metric="nope")


def test_indicator_series_draw_one_line_per_partner():
    table = pd.DataFrame({"indicator": "x", "partner": ["USA", "USA", "CHN", None], "year": [2000, 2001, 2000, 2000],
                          "value": [1.0, 2.0, 3.0, 4.0], "unit": "share", "source": "s"})
    drawn = rows(plots.indicator_series(table, "JPN"))
    assert sorted(drawn["series"].unique()) == ["(national)", "CHN", "USA"]
    with pytest.raises(HedgelabError, match="at least one indicator value"):
        plots.indicator_series(table.iloc[:0], "JPN")


@pytest.mark.slow
def test_charts_render_to_png_and_svg_offline(summary, tmp_path):
    chart = plots.comparison_bars(summary)
    plots.save_chart(chart, tmp_path / "bars.png")
    plots.save_chart(chart, tmp_path / "bars.svg")
    assert (tmp_path / "bars.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "<svg" in (tmp_path / "bars.svg").read_text()[:400]
    with pytest.raises(HedgelabError, match="ending in .png or .svg"):
        plots.save_chart(chart, tmp_path / "bars.jpg")
