"""Robustness of strategies across sampled futures: regret, satisficing, percentiles and a
ranking under several measures, with how much the ranking depends on the measure.

Directions come from the metric registry (:data:`hedgelab.analysis.metrics.METRICS`, ``better``):
every measure here is oriented so that a strategy ranked 1 is the best for the focal state.
A metric whose direction is ``neither`` cannot be ranked and is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis.metrics import METRICS
from hedgelab.errors import HedgelabError, error_line, suggest

MEASURES: dict[str, str] = {
    "mean": "mean of the metric over futures",
    "worst_decile": "the metric in the worst 10% of futures for that strategy (10th or 90th percentile)",
    "mean_regret": "mean over futures of the shortfall from the best strategy in that future",
    "max_regret": "largest shortfall from the best strategy over futures (minimax regret)",
    "satisficing": "share of futures meeting every threshold",
}
"""Robustness measures, by name (``satisficing`` only with thresholds)."""

LOWER_IS_BETTER_MEASURES = {"mean_regret", "max_regret"}


def _sign(metric: str, where: str = "request") -> float:
    if metric not in METRICS:
        raise HedgelabError(error_line(where, "metric", f"a metric of the registry{suggest(metric, METRICS)} "
                                       "(hedgelab metrics)"))
    better = METRICS[metric].better
    if better == "neither":
        raise HedgelabError(error_line(where, "metric", f"a metric with a direction; {metric} has none"))
    return 1.0 if better == "higher" else -1.0


def regret(results: xr.Dataset, metric: str) -> xr.DataArray:
    """``[strategy, sample]``: how far each strategy falls short of the best strategy in the same
    future, in the metric's unit (≥ 0; 0 for the best strategy of that future)."""
    sign = _sign(metric)
    oriented = sign * results[metric]
    out = oriented.max("strategy") - oriented
    out.attrs = {"units": results[metric].attrs.get("units", ""), "long_name": f"regret on {metric}"}
    return out


def satisficing(results: xr.Dataset, thresholds: Mapping[str, float]) -> xr.DataArray:
    """``[strategy, sample]``: True where every ``{metric: bound}`` is met (``≥ bound`` for a
    higher-is-better metric, ``≤`` for a lower-is-better one)."""
    if not thresholds:
        raise HedgelabError(error_line("request", "thresholds", "at least one metric=bound"))
    met = xr.ones_like(results[next(iter(thresholds))], dtype=bool)
    for metric, bound in thresholds.items():
        sign = _sign(metric, "thresholds")
        met = met & (sign * results[metric] >= sign * float(bound))
    return met


def robustness(
    results: xr.Dataset,
    metric: str,
    *,
    thresholds: Mapping[str, float] | None = None,
    percentiles: Sequence[float] = (10.0, 50.0, 90.0),
) -> pd.DataFrame:
    """One row per strategy: the measures of :data:`MEASURES` on ``metric``, percentiles over
    futures, and standard errors over futures (``mean_se``, ``mean_regret_se``, ``satisficing_se``).

    Returns
    -------
    pandas.DataFrame
        Index ``strategy``; ``attrs``: ``metric``, ``units``, ``better``, ``n_futures``, ``thresholds``.
    """
    sign = _sign(metric)
    values = results[metric].transpose("strategy", "sample").values.astype(np.float64)
    n = values.shape[1]
    if n < 1:
        raise HedgelabError(error_line("request", "results", "at least one finished sample"))
    regrets = regret(results, metric).transpose("strategy", "sample").values
    table = pd.DataFrame(index=pd.Index([str(s) for s in results.strategy.values], name="strategy"))
    table["mean"] = values.mean(1)
    table["mean_se"] = values.std(1, ddof=1) / np.sqrt(n) if n > 1 else np.nan
    table["worst_decile"] = np.percentile(values, 10.0 if sign > 0 else 90.0, axis=1)
    for q in percentiles:
        table[f"p{q:g}"] = np.percentile(values, q, axis=1)
    table["mean_regret"] = regrets.mean(1)
    table["mean_regret_se"] = regrets.std(1, ddof=1) / np.sqrt(n) if n > 1 else np.nan
    table["max_regret"] = regrets.max(1)
    table["share_best"] = (regrets == 0).mean(1)
    if thresholds:
        met = satisficing(results, thresholds).transpose("strategy", "sample").values
        share = met.mean(1)
        table["satisficing"] = share
        table["satisficing_se"] = np.sqrt(share * (1 - share) / n)
    table.attrs = {"metric": metric, "units": METRICS[metric].unit, "better": METRICS[metric].better,
                   "n_futures": int(n), "thresholds": dict(thresholds or {})}
    return table


def ranking(table: pd.DataFrame, measures: Sequence[str] | None = None) -> tuple[pd.DataFrame, dict]:
    """Ranks of the strategies (1 = most robust) under each measure of ``table``
    (:func:`robustness`), and how much the ranking depends on the measure chosen.

    Returns
    -------
    ranks : pandas.DataFrame
        ``[strategy, measure]`` ranks (ties share the average rank), with ``rank_range`` (worst
        minus best rank over measures).
    agreement : dict
        ``kendall_w``: Kendall's coefficient of concordance of the measures' rankings (1: every
        measure gives the same order; 0: no agreement); ``best``: the top strategy under each
        measure; ``same_best``: whether every measure names the same top strategy;
        ``min_pairwise_tau``: the smallest Kendall's tau between two measures' rankings.
    """
    from scipy import stats  # loaded when ranking (scipy.stats is slow to import)

    sign = 1.0 if table.attrs.get("better", "higher") == "higher" else -1.0
    chosen = [m for m in (measures or MEASURES) if m in table.columns]
    unknown = [m for m in (measures or []) if m not in MEASURES]
    if unknown:
        raise HedgelabError(error_line("request", "measures", f"names among {', '.join(MEASURES)}{suggest(unknown[0], MEASURES)}"))
    ranks = pd.DataFrame(index=table.index)
    for measure in chosen:
        if measure in LOWER_IS_BETTER_MEASURES:
            key = table[measure]
        elif measure == "satisficing":
            key = -table[measure]
        else:
            key = -sign * table[measure]
        ranks[measure] = stats.rankdata(key.to_numpy(), method="average")
    k, m = len(chosen), len(ranks)
    if k >= 2 and m >= 2:
        totals = ranks[chosen].sum(axis=1).to_numpy()
        w = 12 * np.sum((totals - totals.mean()) ** 2) / (k**2 * (m**3 - m))
        taus = [stats.kendalltau(ranks[a], ranks[b]).statistic for i, a in enumerate(chosen) for b in chosen[i + 1:]]
        min_tau = float(np.nanmin(taus))
    else:
        w, min_tau = float("nan"), float("nan")
    ranks["rank_range"] = ranks[chosen].max(axis=1) - ranks[chosen].min(axis=1)
    best = {measure: str(ranks[measure].idxmin()) for measure in chosen}
    return ranks, {"kendall_w": float(w), "best": best, "same_best": len(set(best.values())) == 1,
                   "min_pairwise_tau": min_tau, "measures": chosen}
