"""Adaptive pathways: is switching on a signpost better than staying put, and better than switching
at once?

An adaptive strategy of the policy family starts as one strategy (``stay``) and switches to another
(``at_once``, the strategy it would be if it switched in the first quarter) when a signpost fires.
Over a sweep's futures (all three strategies in the same sweep, on the same shocks) this module
evaluates it like any other strategy (robustness measures and ranks among every strategy of the
sweep, :mod:`hedgelab.analysis.explore.robustness`; tipping dates when criteria are given,
:mod:`hedgelab.analysis.explore.tipping`) and compares it future by future with the two
non-adaptive choices: the share of futures in which it does better, and the mean difference with
its standard error over futures. Every strategy of a sweep runs on the same futures and shocks, so
differences are paired: the table's ``paired_difference`` and ``paired_difference_se`` give, for
every strategy, the adaptive one's mean advantage over it and the standard error of that per-future
difference (smaller than the strategies' own ``mean_se`` combined, which treats them as
independent, whenever the strategies move together across futures). With tipping criteria, the share of the adaptive strategy's paths that switched is
given apart for futures where ``stay`` never tips and where it tips (and of these, where it fails
from the start): a switch in a future that never tips is a false alarm acted on. Nothing here depends on the strategies' names or on how the
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

    table: pd.DataFrame  # per strategy of the sweep: robustness measures, ranks, role, the adaptive strategy's paired
    # difference from it and its standard error, tipping columns
    summary: dict  # beats_stay / beats_at_once: share of futures, mean difference and its standard error;
    # share_of_paths_switched: the adaptive strategy's p_switched, mean over futures (NaN without it);
    # switched_by_tipping: the same over futures where stay never tips / tips / fails from the start
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
    values = sign * results[metric].transpose("strategy", "sample")
    mine = values.sel(strategy=adaptive).values
    for name in table.index:
        paired = _versus(mine, values.sel(strategy=name).values, units)
        table.loc[name, "paired_difference"] = sign * paired["mean_difference"]  # in the metric's own direction
        table.loc[name, "paired_difference_se"] = paired["mean_difference_se"]
    tips = {}
    if criteria:
        for name in table.index:
            tips[name] = tipping(results, name, criteria, window=window, box=False)
            table.loc[name, "share_never_tips"] = tips[name].share_never
            table.loc[name, "median_tip_year"] = tips[name].quantiles((0.5,))["p50"]
    switched_paths = results[SWITCHED].sel(strategy=adaptive).values if SWITCHED in results else None
    summary = {
        "adaptive": adaptive, "stay": stay, "at_once": at_once, "metric": metric, "units": units,
        "n_futures": int(len(mine)), "criteria": [c.describe() for c in criteria],
        "beats_stay": _versus(mine, values.sel(strategy=stay).values, units),
        "beats_at_once": _versus(mine, values.sel(strategy=at_once).values, units),
        "most_robust": agreement["best"],
        "share_of_paths_switched": float(switched_paths.mean()) if switched_paths is not None else float("nan"),
        "switched_by_tipping": (_switched_by_tipping(switched_paths, tips[stay].dates, stay)
                                if tips and switched_paths is not None else None),
    }

    def said(key: str, other: str) -> str:
        v = summary[key]
        return (f"better than {other} in {v['share_better']:.0%} of futures (worse in {v['share_worse']:.0%}), "
                f"by {sign * v['mean_difference']:+.3g} ± {v['mean_difference_se']:.2g} {units} on average")

    switched = summary["share_of_paths_switched"]
    by_tipping = summary["switched_by_tipping"]
    verdict = (f"{adaptive} on {metric}"
               + (f" (switches on {switched:.0%} of paths, mean over futures)" if np.isfinite(switched) else "")
               + f": {said('beats_stay', f'staying with {stay}')}; "
               f"{said('beats_at_once', f'switching at once to {at_once}')} (differences as {metric} itself: "
               f"{'higher' if sign > 0 else 'lower'} is better; standard errors of the paired differences)"
               + ("" if by_tipping is None else "; " + _said_switched(by_tipping, stay)))
    return Pathways(table, summary, verdict)


def _switched_by_tipping(switched: np.ndarray, dates: pd.DataFrame, stay: str) -> dict:
    """Mean share of paths switched over the futures where ``stay`` never tips, tips, and fails
    from the start (``n_futures`` each; share None where there are none)."""
    groups = {"never_tips": ~dates["tipped"], "tips": dates["tipped"], "tips_from_start": dates["from_start"]}
    found: dict = {"strategy": stay}
    for key, mask in groups.items():
        chosen = switched[mask.to_numpy()]
        found[key] = {"n_futures": int(len(chosen)),
                      "share_of_paths_switched": float(chosen.mean()) if len(chosen) else None}
    return found


def _said_switched(by_tipping: dict, stay: str) -> str:
    def share(key: str) -> str:
        group = by_tipping[key]
        return "no such futures" if not group["n_futures"] else (
            f"{group['share_of_paths_switched']:.0%} of paths in the {group['n_futures']} futures")
    return (f"it switches on {share('never_tips')} where {stay} never tips and {share('tips')} where it tips "
            f"({share('tips_from_start')} failing from the start)")
