"""Robustness measures on synthetic sweep results with known answers."""

import numpy as np
import pytest
import xarray as xr

from hedgelab.analysis.explore.robustness import ranking, regret, robustness, satisficing
from hedgelab.errors import HedgelabError


def _results(values: dict[str, np.ndarray], metric: str) -> xr.Dataset:
    strategies = list(values)
    return xr.Dataset({metric: (("strategy", "sample"), np.array([values[s] for s in strategies]))},
                      coords={"strategy": strategies, "sample": np.arange(len(values[strategies[0]]))})


def test_regret_is_zero_for_the_best_strategy_of_each_future_and_positive_otherwise():
    rng = np.random.default_rng(0)
    results = _results({s: rng.normal(size=50) for s in "abcd"}, "prosperity")
    r = regret(results, "prosperity").transpose("strategy", "sample").values
    best = results["prosperity"].values.argmax(0)
    assert (r[best, np.arange(50)] == 0).all() and (r >= 0).all()
    assert ((r > 0).sum(0) == 3).all()  # no ties in continuous draws
    assert np.allclose(r, results["prosperity"].values.max(0) - results["prosperity"].values)


def test_lower_is_better_metrics_are_oriented_by_the_registry():
    results = _results({"a": np.array([0.1, 0.5]), "b": np.array([0.3, 0.2])}, "p_coercion")
    r = regret(results, "p_coercion").sel(strategy="a").values
    assert np.allclose(r, [0.0, 0.3])  # a has the lower probability in the first future only
    met = satisficing(results, {"p_coercion": 0.25}).values
    assert met.tolist() == [[True, False], [False, True]]


def test_ranking_measures_and_their_agreement():
    # a dominates b, b dominates c in every future: every measure must agree
    base = np.linspace(0, 1, 40)
    results = _results({"c": base, "a": base + 2, "b": base + 1}, "prosperity")
    table = robustness(results, "prosperity", thresholds={"prosperity": 1.5})
    assert table.loc["a", "max_regret"] == 0 and table.loc["a", "share_best"] == 1
    assert table.loc["a", "satisficing"] == 1 and table.loc["c", "satisficing"] == 0
    ranks, agreement = ranking(table)
    assert agreement["kendall_w"] == pytest.approx(1.0) and agreement["same_best"]
    assert set(agreement["best"].values()) == {"a"} and (ranks["rank_range"] == 0).all()


def test_a_risky_strategy_wins_on_the_mean_and_loses_on_regret_and_the_worst_decile():
    safe = np.zeros(100)
    risky = np.where(np.arange(100) < 80, 1.0, -3.0)  # mean 0.2 > 0, but terrible in 20% of futures
    results = _results({"safe": safe, "risky": risky}, "prosperity")
    ranks, agreement = ranking(robustness(results, "prosperity"))
    assert agreement["best"]["mean"] == "risky" and agreement["best"]["worst_decile"] == "safe"
    assert agreement["best"]["max_regret"] == "safe" and not agreement["same_best"]
    assert agreement["kendall_w"] < 1


def test_a_metric_without_direction_is_refused():
    results = _results({"a": np.zeros(3), "b": np.ones(3)}, "prosperity")
    with pytest.raises(HedgelabError, match="a metric of the registry"):
        regret(results, "prosperty")
