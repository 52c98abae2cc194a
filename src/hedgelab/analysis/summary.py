"""Summaries of per-path results: means with standard errors, the lower-tail mean (CVaR), and
the paired breakdown of why one strategy differs from another."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis.metrics import CVAR_LEVEL, METRICS
from hedgelab.errors import HedgelabError, error_line
from hedgelab.model.step import PROSPERITY_PARTS


def statistic_along(values: np.ndarray, statistic: str, level: float = CVAR_LEVEL) -> tuple[np.ndarray, np.ndarray]:
    """A metric's statistic and its standard error along the last axis of ``values`` (paths), in
    float64 (NaN standard errors for one path).

    ``mean``: the mean, SE ``s / √n`` (sample standard deviation). ``lower_tail_mean``: the mean of
    the worst ``level`` share of values (CVaR), SE from the influence function of the lower-tail
    CVaR, ``φ(x) = q + min(x − q, 0)/level − CVaR`` with ``q`` the ``level`` quantile, which
    accounts for the uncertainty of the cut-off as well as of the tail mean. One run's summary and
    an exploration's per-sample statistics both come from here.
    """
    values = np.asarray(values, dtype=np.float64)
    n = values.shape[-1]
    if statistic == "mean":
        value = values.mean(-1)
        deviations = values
    elif statistic == "lower_tail_mean":
        n_tail = max(1, int(np.ceil(level * n)))
        ordered = np.sort(values, axis=-1)
        value = ordered[..., :n_tail].mean(-1)
        cutoff = ordered[..., n_tail - 1 : n_tail]
        deviations = cutoff + np.minimum(values - cutoff, 0.0) / level - value[..., None]
    else:
        raise HedgelabError(error_line("statistic", statistic, "mean or lower_tail_mean"))
    spread = deviations.std(-1, ddof=1) if n > 1 else np.full(np.shape(value), np.nan)
    return value, spread / np.sqrt(n)


def mean_stderr(values: np.ndarray) -> tuple[float, float]:
    """Mean and its standard error ``s / √n`` of a 1-D array (:func:`statistic_along`)."""
    value, stderr = statistic_along(values, "mean")
    return float(value), float(stderr)


def lower_tail_mean(values: np.ndarray, level: float = CVAR_LEVEL) -> tuple[float, float]:
    """Mean of the worst ``level`` share of a 1-D array (CVaR) and its standard error
    (:func:`statistic_along`)."""
    value, stderr = statistic_along(values, "lower_tail_mean", level)
    return float(value), float(stderr)


_STATISTICS = {"mean": mean_stderr, "lower_tail_mean": lower_tail_mean}


def summarise(result: xr.Dataset) -> pd.DataFrame:
    """Headline metrics per strategy (:data:`~hedgelab.analysis.metrics.METRICS`): a tidy table
    with columns ``strategy``, ``metric``, ``mean`` (the metric's value) and ``stderr``."""
    rows = []
    for strategy in result.strategy.values:
        per_path = result.sel(strategy=strategy)
        for metric in METRICS.values():
            value, stderr = _STATISTICS[metric.statistic](per_path[metric.variable].values)
            rows.append({"strategy": str(strategy), "metric": metric.name, "mean": value, "stderr": stderr})
    return pd.DataFrame(rows)


BREAKDOWN: dict[str, tuple[str, ...]] = {
    "prosperity": tuple(f"prosperity_{p}" for p in PROSPERITY_PARTS),
    "security": ("us_protection", "partner_protection", "own_protection", "threat"),
    "autonomy": ("perceived_options", "own_protection", "partner_protection"),
    "p_coercion": ("leverage", "effective_exposure"),
}


def breakdown(result: xr.Dataset, strategy: str, reference: str) -> pd.DataFrame:
    """Why ``strategy`` differs from ``reference``: paired differences of each mechanism.

    Prosperity is an exact sum of its parts (trade gains, energy, defence burden, adjustment
    costs, coercion and entrapment losses), so those rows add up to the prosperity gap. For
    security and autonomy the rows are the paired differences of the quantities they are built
    from (protection by source, threat, perceived options); both strategies saw the same shocks.
    """
    for name in (strategy, reference):
        if name not in result.strategy.values:
            choices = ", ".join(map(str, result.strategy.values))
            raise HedgelabError(error_line("breakdown", name, f"a strategy in the result ({choices})"))
    a, b = result.sel(strategy=strategy), result.sel(strategy=reference)
    rows = []
    for metric, parts in BREAKDOWN.items():
        for part in (METRICS[metric].variable, *parts):
            difference, stderr = mean_stderr(a[part].values.astype(np.float64) - b[part].values)
            rows.append({"metric": metric, "component": part, "difference": difference, "stderr": stderr})
    return pd.DataFrame(rows)
