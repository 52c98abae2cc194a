"""Adaptive pathways: the comparison with staying put and switching at once against hand
computations, oriented by the metric's direction; tipping columns equal the tipping module's."""

import numpy as np
import pytest
import xarray as xr

from hedgelab.analysis.explore.pathways import pathways
from hedgelab.analysis.explore.tipping import Criterion, tipping
from hedgelab.errors import HedgelabError
from tests.analysis.explore.synthetic import sweep_like

STRATEGIES = ["stay", "adaptive", "at_once"]


def results(metric: str, values: np.ndarray) -> xr.Dataset:
    rng = np.random.default_rng(4)
    security = 0.5 + 0.1 * rng.standard_normal((3, values.shape[1], 12)).cumsum(-1) / 4
    data = sweep_like({"security": security}, rng.random((values.shape[1], 2)), STRATEGIES)
    data[metric] = (("strategy", "sample"), values)
    return data


def test_switching_is_compared_future_by_future_with_staying_and_switching_at_once():
    prosperity = np.array([[0.0, 1.0, 2.0, 3.0, 4.0],    # stay
                           [0.5, 1.5, 1.5, 3.5, 3.0],    # adaptive
                           [1.0, 1.0, 1.0, 1.0, 1.0]])   # at once
    found = pathways(results("prosperity", prosperity), adaptive="adaptive", stay="stay", at_once="at_once")
    stay = found.summary["beats_stay"]
    difference = prosperity[1] - prosperity[0]
    assert stay["share_better"] == 0.6 and stay["share_worse"] == 0.4
    assert stay["mean_difference"] == pytest.approx(difference.mean())
    assert stay["mean_difference_se"] == pytest.approx(difference.std(ddof=1) / np.sqrt(5))
    assert found.summary["beats_at_once"]["share_better"] == 0.8
    assert found.table.loc["adaptive", "role"] == "adaptive" and found.table.loc["stay", "role"] == "stay"
    assert found.table.loc["adaptive", "mean"] == pytest.approx(prosperity[1].mean())
    assert "better than staying with stay in 60% of futures" in found.verdict
    assert np.isnan(found.summary["share_of_paths_switched"])  # no p_switched in these results
    data = results("prosperity", prosperity)
    data["p_switched"] = (("strategy", "sample"), np.array([[0.0] * 5, [0.2, 0.4, 0.6, 0.8, 1.0], [0.0] * 5]))
    switched = pathways(data, adaptive="adaptive", stay="stay", at_once="at_once")
    assert switched.summary["share_of_paths_switched"] == pytest.approx(0.6)
    assert "switches on 60% of paths" in switched.verdict


def test_a_risk_is_oriented_so_that_less_is_better():
    rate = np.array([[0.4, 0.4], [0.1, 0.5], [0.2, 0.2]])  # rate_coercion: lower is better
    found = pathways(results("rate_coercion", rate), adaptive="adaptive", stay="stay", at_once="at_once",
                     metric="rate_coercion")
    assert found.summary["beats_stay"]["share_better"] == 0.5
    assert found.summary["beats_stay"]["mean_difference"] == pytest.approx(-np.mean(rate[1] - rate[0]))
    assert found.table.loc["at_once", "rank_mean"] == 1  # mean 0.2 is the lowest risk


def test_tipping_columns_equal_the_tipping_module_and_names_are_checked():
    data = results("prosperity", np.random.default_rng(1).random((3, 30)))
    criteria = [Criterion("security", 0.5)]
    found = pathways(data, adaptive="adaptive", stay="stay", at_once="at_once", criteria=criteria, window=2)
    for name in STRATEGIES:
        expected = tipping(data, name, criteria, window=2, box=False)
        assert found.table.loc[name, "share_never_tips"] == expected.share_never
        assert found.table.loc[name, "median_tip_year"] == expected.quantiles((0.5,))["p50"]
    with pytest.raises(HedgelabError, match="at_once: expected a strategy of the sweep"):
        pathways(data, adaptive="adaptive", stay="stay", at_once="autonomy")


@pytest.mark.slow
def test_switches_that_never_fire_or_fire_at_once_equal_staying_and_switching_at_once(tmp_path):
    from hedgelab.analysis.explore.design import make_design, uncertainties
    from hedgelab.analysis.explore.sweep import sweep
    from hedgelab.scenarios import load_scenario
    from hedgelab.scenarios.schema import Strategy

    if "switch" not in Strategy.model_fields:
        pytest.skip("the policy family has no switching yet")
    path = tmp_path / "switching.toml"
    path.write_text('base = "japan-2026"\n'
                    '[strategies.never]\npatron = { security = 0.05 }\nchallenger = { economy = 0.05 }\n'
                    'defence_shift = 0.2\ncompartmentalisation = 0.85\n'
                    'switch = { to = "autonomy", signal = "assertiveness", threshold = 10.0, quarters = 1, cost = 0.2 }\n'
                    '[strategies.at_once_switch]\npatron = { security = 0.05 }\nchallenger = { economy = 0.05 }\n'
                    'defence_shift = 0.2\ncompartmentalisation = 0.85\n'
                    'switch = { to = "autonomy", signal = "assertiveness", threshold = 0.0, quarters = 1, cost = 0.0 }\n')
    scenario = load_scenario(str(path))
    design = make_design(uncertainties(scenario, ["environment.assertiveness_mean"]), 6, "lhs", seed=0)
    data = sweep(scenario, ["dual_hedge", "autonomy", "never", "at_once_switch"], design, paths_per_sample=16,
                 years=2, seed=0, workers=1)
    never = pathways(data, adaptive="never", stay="dual_hedge", at_once="autonomy")
    assert never.summary["beats_stay"]["share_better"] == 0 and never.summary["beats_stay"]["share_worse"] == 0
    assert never.summary["beats_stay"]["mean_difference"] == 0
    at_once = pathways(data, adaptive="at_once_switch", stay="dual_hedge", at_once="autonomy")
    assert at_once.summary["beats_at_once"]["share_better"] == 0 and at_once.summary["beats_at_once"]["share_worse"] == 0


def test_paired_differences_against_every_strategy_and_their_standard_errors():
    rng = np.random.default_rng(7)
    common = rng.standard_normal(40)  # futures move all strategies together
    prosperity = np.vstack([common, common + 0.1 + 0.01 * rng.standard_normal(40), common - 0.2])
    found = pathways(results("prosperity", prosperity), adaptive="adaptive", stay="stay", at_once="at_once")
    for k, name in enumerate(STRATEGIES):
        difference = prosperity[1] - prosperity[k]
        assert found.table.loc[name, "paired_difference"] == pytest.approx(difference.mean())
        se = difference.std(ddof=1) / np.sqrt(40)
        assert found.table.loc[name, "paired_difference_se"] == pytest.approx(se, abs=1e-15)
    unpaired = np.hypot(found.table.loc["adaptive", "mean_se"], found.table.loc["stay", "mean_se"])
    assert found.table.loc["stay", "paired_difference_se"] < unpaired / 10  # the same futures and shocks
    assert found.table.loc["adaptive", "paired_difference"] == 0
    rate = prosperity + 5.0  # a risk: a positive paired difference still reads in the metric's own units
    risk = pathways(results("rate_coercion", rate), adaptive="adaptive", stay="stay", at_once="at_once",
                    metric="rate_coercion")
    assert risk.table.loc["stay", "paired_difference"] == pytest.approx(np.mean(rate[1] - rate[0]))


def test_paths_switched_are_split_by_whether_staying_put_tips():
    n = 8
    data = results("prosperity", np.random.default_rng(2).random((3, n)))
    tip = np.array([99, 99, 99, 1, 1, 7, 7, 9])  # stay: 3 never tip, 2 fail from the start, 3 tip later
    security = np.where(np.arange(1, 13)[None, :] >= tip[:, None], 0.3, 0.6)
    data["quarterly_security"] = (("strategy", "sample", "quarter"), np.stack([security, np.full_like(security, 0.6),
                                                                                 security]))
    switched = np.array([0.1, 0.2, 0.3, 0.9, 0.7, 0.6, 0.5, 0.4])
    data["p_switched"] = (("strategy", "sample"), np.vstack([np.zeros(n), switched, np.zeros(n)]))
    found = pathways(data, adaptive="adaptive", stay="stay", at_once="at_once", criteria=[Criterion("security", 0.4)],
                     window=2)
    split = found.summary["switched_by_tipping"]
    assert split["strategy"] == "stay"
    assert split["never_tips"] == {"n_futures": 3, "share_of_paths_switched": pytest.approx(0.2)}
    assert split["tips"] == {"n_futures": 5, "share_of_paths_switched": pytest.approx(np.mean([0.9, 0.7, 0.6, 0.5, 0.4]))}
    assert split["tips_from_start"] == {"n_futures": 2, "share_of_paths_switched": pytest.approx(0.8)}
    assert "it switches on 20% of paths in the 3 futures where stay never tips and 62% of paths in the 5 futures" \
        in found.verdict
    assert pathways(data, adaptive="adaptive", stay="stay", at_once="at_once").summary["switched_by_tipping"] is None
    never = pathways(data, adaptive="adaptive", stay="stay", at_once="at_once", criteria=[Criterion("security", 0.1)])
    assert never.summary["switched_by_tipping"]["tips"] == {"n_futures": 0, "share_of_paths_switched": None}  # JSON-safe
    assert "and no such futures where it tips" in never.verdict
    with pytest.raises(HedgelabError, match="window: expected a whole number of quarters from 1 to the sweep's horizon"):
        pathways(data, adaptive="adaptive", stay="stay", at_once="at_once", criteria=[Criterion("security", 0.1)],
                 window=13)
