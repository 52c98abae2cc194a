"""Adaptive pathways: is switching on a signpost better than staying put, and better than switching
at once?

An adaptive strategy of the policy family starts as one strategy (``stay``) and switches to another
(``at_once``, the strategy it would be if it switched in the first quarter) when a signpost fires.
Over a sweep's futures (all three strategies in the same sweep, on the same shocks) this module
evaluates it like any other strategy (robustness measures and ranks among every strategy of the
sweep, :mod:`hedgelab.analysis.explore.robustness`; tipping dates when criteria are given,
:mod:`hedgelab.analysis.explore.tipping`) and compares it future by future with the two
non-adaptive choices: the share of futures in which it does better, and the mean difference with
its standard error over futures. Nothing here depends on the strategies' names or on how the
adaptive one switches: any three strategies of a sweep can be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis.explore.quarterly import check_strategy
from hedgelab.analysis.explore.robustness import _sign, ranking, robustness
from hedgelab.analysis.explore.tipping import WINDOW, Criterion, tipping


SWITCHED = "p_switched"
"""The registry metric of the share of a future's paths on which a strategy switched."""


@dataclass(frozen=True)
class Pathways:
    """An adaptive strategy against staying put and switching at once."""

    table: pd.DataFrame  # per strategy of the sweep: robustness measures, ranks, role, tipping columns
    summary: dict  # beats_stay / beats_at_once: share of futures, mean difference and its standard error;
    # share_of_paths_switched: the adaptive strategy's p_switched, mean over futures (NaN without it)
    verdict: str


def _versus(oriented: np.ndarray, other: np.ndarray, units: str) -> dict:
    difference = oriented - other
    n = len(difference)
    return {"share_better": float((difference > 0).mean()), "share_worse": float((difference < 0).mean()),
            "mean_difference": float(difference.mean()),
            "mean_difference_se": float(difference.std(ddof=1) / np.sqrt(n)) if n > 1 else float("nan"),
            "units": units}


def pathways(
    results: xr.Dataset,
    *,
    adaptive: str,
    stay: str,
    at_once: str,
    metric: str = "prosperity",
    criteria: Sequence[Criterion] = (),
    window: int = WINDOW,
) -> Pathways:
    """Compare ``adaptive`` with ``stay`` and ``at_once`` on ``metric`` over the sweep's futures.

    Differences are oriented so that a positive ``mean_difference`` means the adaptive strategy
    does better for the focal state (direction from the metric registry). With ``criteria`` and
    quarterly series in ``results``, each strategy's share of futures that never tip and its
    median tipping year join the table.
    """
    for name, field in ((adaptive, "adaptive"), (stay, "stay"), (at_once, "at_once")):
        check_strategy(results, name, field)
    sign = _sign(metric)
    table = robustness(results, metric)
    units = table.attrs["units"]
    ranks, agreement = ranking(table)
    table = table.join(ranks.drop(columns="rank_range").add_prefix("rank_")).join(ranks["rank_range"])
    table["role"] = ""
    for name, role in ((stay, "stay"), (adaptive, "adaptive"), (at_once, "at_once")):
        table.loc[name, "role"] = role
    if criteria:
        for name in table.index:
            tipped = tipping(results, name, criteria, window=window, box=False)
            table.loc[name, "share_never_tips"] = tipped.share_never
            table.loc[name, "median_tip_year"] = tipped.quantiles((0.5,))["p50"]
    values = sign * results[metric].transpose("strategy", "sample")
    mine = values.sel(strategy=adaptive).values
    summary = {
        "adaptive": adaptive, "stay": stay, "at_once": at_once, "metric": metric, "units": units,
        "n_futures": int(len(mine)), "criteria": [c.describe() for c in criteria],
        "beats_stay": _versus(mine, values.sel(strategy=stay).values, units),
        "beats_at_once": _versus(mine, values.sel(strategy=at_once).values, units),
        "most_robust": agreement["best"],
        "share_of_paths_switched": (float(results[SWITCHED].sel(strategy=adaptive).mean()) if SWITCHED in results
                                    else float("nan")),
    }

    def said(key: str, other: str) -> str:
        v = summary[key]
        return (f"better than {other} in {v['share_better']:.0%} of futures (worse in {v['share_worse']:.0%}), "
                f"by {sign * v['mean_difference']:+.3g} ± {v['mean_difference_se']:.2g} {units} on average")

    switched = summary["share_of_paths_switched"]
    verdict = (f"{adaptive} on {metric}"
               + (f" (switches on {switched:.0%} of paths, mean over futures)" if np.isfinite(switched) else "")
               + f": {said('beats_stay', f'staying with {stay}')}; "
               f"{said('beats_at_once', f'switching at once to {at_once}')} (differences as {metric} itself: "
               f"{'higher' if sign > 0 else 'lower'} is better)")
    return Pathways(table, summary, verdict)
