"""Backtests: the baselines on a hand-made series, and the model's status-quo projection."""

from __future__ import annotations

import copy

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hedgelab.analysis.backtest import backtest, linear_trend, mae, model_projection, persistence
from hedgelab.scenarios.loader import load_raw

# A tiny synthetic series: history 2001-2005, outcomes 2006-2008.
HISTORY = pd.Series([1.0, 1.5, 1.7, 2.4, 2.5], index=[2001, 2002, 2003, 2004, 2005])
ACTUAL = pd.Series([2.0, 3.0, 3.5], index=[2006, 2007, 2008])
YEARS = [2006, 2007, 2008]


def test_persistence_by_hand() -> None:
    forecast = persistence(HISTORY, 2005, YEARS)
    assert forecast.tolist() == [2.5, 2.5, 2.5]
    error, n = mae(forecast, ACTUAL)
    assert n == 3 and error == pytest.approx((0.5 + 0.5 + 1.0) / 3)


def test_linear_trend_by_hand() -> None:
    # window 3 = 2003-2005: mean year 2004, mean value 2.2, slope ((-1)(-0.5) + (1)(0.3)) / 2 = 0.4
    forecast = linear_trend(HISTORY, 2005, YEARS, window=3)
    assert forecast.tolist() == pytest.approx([3.0, 3.4, 3.8])
    error, n = mae(forecast, ACTUAL)
    assert n == 3 and error == pytest.approx((1.0 + 0.4 + 0.3) / 3)


def test_baselines_use_nothing_after_the_origin() -> None:
    leaky = pd.concat([HISTORY, pd.Series([100.0], index=[2006])])
    assert persistence(leaky, 2005, YEARS).tolist() == [2.5, 2.5, 2.5]
    assert linear_trend(leaky, 2005, YEARS, window=3).tolist() == pytest.approx([3.0, 3.4, 3.8])


def test_missing_years_are_skipped_and_short_windows_give_nan() -> None:
    actual = pd.Series([2.0, np.nan, 3.5], index=YEARS)
    error, n = mae(persistence(HISTORY, 2005, YEARS), actual)
    assert n == 2 and error == pytest.approx((0.5 + 1.0) / 2)
    assert linear_trend(HISTORY, 2005, YEARS, window=1).isna().all()
    assert persistence(HISTORY, 2000, YEARS).isna().all()
    assert mae(pd.Series(np.nan, index=YEARS), ACTUAL) == (pytest.approx(float("nan"), nan_ok=True), 0)


def test_status_quo_projection_without_growth_keeps_the_initial_state() -> None:
    raw, _ = load_raw("japan-2026")
    raw = copy.deepcopy(raw)
    raw["threat"]["challenger_capacity_growth"]["value"] = 0.0
    raw["focal_state"]["reliability_response"].update(value=0.0, range=[0.0, 2.0])
    for partner in raw["partners"].values():
        partner["growth"]["value"] = 0.0
    proj = model_projection(raw, 3, n_paths=8)
    assert list(proj.index) == [1, 2, 3]
    assert np.allclose(proj["exposure_challenger"], raw["partners"]["CHN"]["exposure"]["value"])
    assert np.allclose(proj["exposure_patron"], raw["partners"]["USA"]["exposure"]["value"])
    assert np.allclose(proj["spending"], raw["focal_state"]["defence_spending"]["value"])


def test_status_quo_projection_drifts_with_china_s_growth() -> None:
    raw, _ = load_raw("japan-2026")
    proj = model_projection(raw, 3, n_paths=8)
    assert proj["exposure_challenger"].is_monotonic_increasing
    assert proj["exposure_challenger"].iloc[-1] > raw["partners"]["CHN"]["exposure"]["value"]


@pytest.mark.slow
def test_backtest_on_real_data(data_dir: Path) -> None:
    result = backtest("JPN", 2010, 2019, data_dir, n_paths=8)
    summary = result.summary.set_index(["indicator", result.summary["partner"].fillna("")])
    assert len(summary) == 5
    trade_cn = summary.loc[("trade_share_total", "CHN")]
    assert trade_cn["n_years"] == 9
    # the model now drifts (gravity): it no longer reproduces persistence
    assert trade_cn["mae_model"] != pytest.approx(trade_cn["mae_persistence"], rel=1e-6)
    assert 0.0 <= trade_cn["cover90_model"] <= 1.0
    assert np.isnan(summary.loc[("unga_ideal_distance", "USA")]["mae_model"])
    assert np.isfinite(summary.loc[("unga_ideal_distance", "USA")]["mae_trend"])
    rows = result.rows[(result.rows["indicator"] == "trade_share_total") & (result.rows["partner"] == "CHN")]
    assert rows["year"].tolist() == list(range(2011, 2020))
    assert any("2001-2010" in n for n in result.notes)
    payload = result.to_dict()
    assert payload["trend_window"] == [2001, 2010] and payload["template"] == "japan-2026"


def test_template_ceiling_does_not_cut_a_higher_spender(data_dir: Path) -> None:
    # South Korea spent about 2.5% of GDP in 2010, above japan-2026's 2% ceiling: the status quo
    # must not cut it at once (the ceiling is raised to the observed spending).
    result = backtest("KOR", 2010, 2014, data_dir, n_paths=4)
    rows = result.rows[result.rows["indicator"] == "milex_gdp"]
    start = result.summary[result.summary["indicator"] == "milex_gdp"].iloc[0]
    # (estimated responses are sampled per path, so the mean moves a little, but not by the ~0.5 pp
    # a 2% ceiling would cut)
    assert abs(rows["model"].iloc[0] - rows["persistence"].iloc[0]) < 0.1, start


def test_unconditional_mode_samples_growth(data_dir: Path) -> None:
    result = backtest("JPN", 2010, 2015, data_dir, n_paths=16, mode="unconditional")
    assert any("unconditional" in n for n in result.notes)
    # the projection is given partner growth rates that vary across paths (sampled, not realised)
    from hedgelab.analysis import backtest as module

    seen = {}
    original = module.model_projection

    def spy(raw, n_years, *, n_paths, seed, samples):
        seen.update(samples or {})
        return original(raw, n_years, n_paths=n_paths, seed=seed, samples=samples)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(module, "model_projection", spy)
        backtest("JPN", 2010, 2015, data_dir, n_paths=16, mode="unconditional")
    growth = [values for path, values in seen.items() if path.endswith(".growth")]
    assert growth and all(np.ptp(values) > 0 for values in growth)
