"""Adaptation tipping points: when a strategy stops meeting its objectives, future by future.

For a strategy and a sampled future, the objective's across-path mean per quarter
(:func:`hedgelab.analysis.explore.quarterly.quantity`) is smoothed over a rolling window of
``window`` quarters (the across-path mean of the rolling objective: both are linear, so the order
does not matter). The strategy *fails* in a quarter when any criterion fails: the rolling
objective is worse than a threshold (below it for a higher-is-better objective, above it for a
risk), or worse than another strategy's rolling objective in the same future. It *tips* in the
first quarter from which it fails in every quarter up to the horizon (its "sell-by date");
futures where it still meets every criterion in the last quarter never tip. The first
``window − 1`` quarters have no rolling value and never fail, so the earliest possible tipping
quarter is ``window``: a future that tips there *fails from the start* (it never met the criteria
once measured). Those futures say nothing about a strategy that stops working later, so they are
counted apart (``from_start`` in :attr:`Tipping.dates`, the ``from_start`` column of the
distribution, :meth:`Tipping.quantiles` with ``from_start=False``).

Across futures: the distribution of the tipping date, the share that never tip, and a PRIM box
(:func:`hedgelab.analysis.explore.discovery.prim_boxes`) of the futures that tip early.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis.explore.discovery import Boxes, prim_boxes
from hedgelab.analysis.explore.quarterly import OBJECTIVES, check_strategy, quantity
from hedgelab.analysis.runner import QUARTERS_PER_YEAR
from hedgelab.errors import HedgelabError, error_line

WINDOW = 4
"""Quarters of the rolling objective (one year)."""
PRIM_DENSITY = 0.8
"""PRIM: the box of highest coverage whose density (share of early-tipping futures in it) is at
least this (share of futures, in (0, 1])."""
PRIM_PEEL_ALPHA = 0.05
"""PRIM: share of the futures peeled at each step (EMA Workbench's default ``peel_alpha``)."""
PRIM_MASS_MIN = 0.05
"""PRIM: smallest share of all futures a box may hold (EMA Workbench's default ``mass_min``)."""


@dataclass(frozen=True)
class Criterion:
    """What a strategy must meet: ``metric`` at least as good as ``threshold`` (a value in the
    metric's unit) or as ``versus`` (another strategy of the sweep), each in its rolling mean."""

    metric: str
    threshold: float | None = None
    versus: str | None = None

    def describe(self) -> str:
        """``security >= 0.45``, ``rate_coercion <= 0.3`` or ``prosperity >= anchor``."""
        sign = ">=" if OBJECTIVES[self.metric].better == "higher" else "<="
        bound = self.versus if self.versus is not None else f"{self.threshold:g}"
        return f"{self.metric} {sign} {bound}"


@dataclass(frozen=True)
class Tipping:
    """Tipping dates of one strategy over a sweep's futures."""

    strategy: str
    criteria: tuple[Criterion, ...]
    dates: pd.DataFrame  # per sample: tip_quarter (1 = first quarter; NaN: never), tip_year, tipped, from_start, design
    distribution: pd.DataFrame  # per year of the horizon: tipped (futures tipping in it), of them from_start, share,
    # cumulative_share
    early_year: float | None  # "early" = tipping within this many years (None: no future tips)
    box: Boxes | None  # PRIM box of the futures that tip early (None when all or none do, or too few futures)
    n_quarters: int
    window: int = WINDOW  # quarters of the rolling objective: tipping in quarter ``window`` is failing from the start

    @property
    def share_never(self) -> float:
        """Share of futures in which the strategy never tips within the horizon."""
        return float((~self.dates["tipped"]).mean())

    @property
    def share_from_start(self) -> float:
        """Share of futures in which the strategy fails from the start (tips in quarter ``window``,
        the first with a rolling value)."""
        return float(self.dates["from_start"].mean())

    def quantiles(self, q: Sequence[float] = (0.1, 0.5, 0.9), *, from_start: bool = True) -> dict[str, float]:
        """Quantiles of the tipping year over all futures, a future that never tips counting as
        later than the horizon (inf), so a quantile is inf when fewer futures tip; with
        ``from_start=False`` over the futures that do not fail from the start (NaN if none)."""
        kept = self.dates if from_start else self.dates[~self.dates["from_start"]]
        years = kept["tip_year"].fillna(np.inf).to_numpy()
        if not len(years):
            return {f"p{100 * level:g}": float("nan") for level in q}
        return {f"p{100 * level:g}": float(np.quantile(years, level, method="inverted_cdf")) for level in q}


def _check(results: xr.Dataset, strategy: str, criteria: Sequence[Criterion], window: int) -> None:
    check_strategy(results, strategy)
    if not criteria:
        raise HedgelabError(error_line("request", "criteria", "at least one threshold (METRIC=VALUE) or a strategy "
                                       "to compare with"))
    bounded: set[str] = set()
    for c in criteria:
        if c.metric in OBJECTIVES and OBJECTIVES[c.metric].better == "neither":
            raise HedgelabError(error_line("request", "metric", f"an objective with a direction; {c.metric} has none"))
        if (c.threshold is None) == (c.versus is None):
            raise HedgelabError(error_line("request", "threshold", f"either a threshold or a strategy for {c.metric}"))
        if c.threshold is not None:
            if not np.isfinite(c.threshold):
                raise HedgelabError(error_line("request", "threshold", f"a finite number for {c.metric} "
                                               f"(got {c.threshold})"))
            if c.metric in bounded:
                raise HedgelabError(error_line("request", "threshold", f"one threshold per metric; {c.metric} "
                                               "is given twice"))
            bounded.add(c.metric)
        if c.versus is not None:
            check_strategy(results, c.versus, "versus")
    n_quarters = int(results.sizes.get("quarter", 0))  # 0: no series, which quantity() refuses
    if window < 1 or (n_quarters and window > n_quarters):
        raise HedgelabError(error_line("request", "window", f"a whole number of quarters from 1 to the sweep's "
                                       f"horizon, {n_quarters} (got {window})"))


def failing(results: xr.Dataset, strategy: str, criteria: Sequence[Criterion], window: int = WINDOW) -> xr.DataArray:
    """``[sample, quarter]`` True where ``strategy``'s rolling objective fails any criterion."""
    _check(results, strategy, criteria, window)
    fails = None
    for c in criteria:
        values = quantity(results, c.metric)
        rolling = values.rolling(quarter=window).mean()
        sign = 1.0 if values.attrs["better"] == "higher" else -1.0
        mine = sign * rolling.sel(strategy=strategy, drop=True)
        bound = sign * (rolling.sel(strategy=c.versus, drop=True) if c.versus is not None else c.threshold)
        fail = (mine < bound).fillna(False) & mine.notnull()
        fails = fail if fails is None else fails | fail
    return fails.transpose("sample", "quarter")  # type: ignore[union-attr]


def tipping_quarter(fails: np.ndarray) -> np.ndarray:
    """``[sample]`` first quarter (1-based) from which ``fails[sample, quarter]`` holds in every
    quarter to the last; NaN where the last quarter does not fail."""
    fails = np.asarray(fails, dtype=bool)
    to_the_end = np.logical_and.accumulate(fails[:, ::-1], axis=1)[:, ::-1]
    first = np.argmax(to_the_end, axis=1) + 1.0
    return np.where(to_the_end[:, -1], first, np.nan)


def tipping(
    results: xr.Dataset,
    strategy: str,
    criteria: Sequence[Criterion],
    *,
    window: int = WINDOW,
    early_year: float | None = None,
    density_target: float = PRIM_DENSITY,
    peel_alpha: float = PRIM_PEEL_ALPHA,
    mass_min: float = PRIM_MASS_MIN,
    box: bool = True,
) -> Tipping:
    """Tipping dates of ``strategy`` in every future of ``results`` (a sweep with quarterly series).

    Parameters
    ----------
    criteria : sequence of Criterion
        The strategy fails in a quarter where any criterion fails.
    window : int
        Quarters of the rolling objective.
    early_year : float, optional
        Years from the start within which a tipping counts as early for the PRIM box (default:
        the median tipping year of the futures that tip), in (0, horizon in years].
    density_target, peel_alpha, mass_min
        PRIM settings (:func:`~hedgelab.analysis.explore.discovery.prim_boxes`).
    box : bool
        Whether to describe the early-tipping futures with PRIM.
    """
    fails = failing(results, strategy, criteria, window)
    horizon = fails.sizes["quarter"] / QUARTERS_PER_YEAR
    if early_year is not None and not 0 < early_year <= horizon:
        raise HedgelabError(error_line("request", "early_year", f"years in (0, {horizon:g}], the sweep's horizon "
                                       f"(got {early_year})"))
    quarters = tipping_quarter(fails.values)
    n_quarters = int(fails.sizes["quarter"])
    design = results["design"].transpose("sample", "uncertainty")
    dates = pd.DataFrame({"sample": results.sample.values, "tip_quarter": quarters,
                          "tip_year": quarters / QUARTERS_PER_YEAR, "tipped": np.isfinite(quarters),
                          "from_start": quarters == window})
    dates = pd.concat([dates, pd.DataFrame(design.values, columns=[str(u) for u in results.uncertainty.values])], axis=1)
    years = int(np.ceil(n_quarters / QUARTERS_PER_YEAR))
    in_year = np.ceil(dates["tip_year"].to_numpy()[dates["tipped"].to_numpy()])
    counts = np.array([(in_year == y).sum() for y in range(1, years + 1)])
    start_year = int(np.ceil(window / QUARTERS_PER_YEAR))
    from_start = np.where(np.arange(1, years + 1) == start_year, int(dates["from_start"].sum()), 0)
    distribution = pd.DataFrame({"year": np.arange(1, years + 1), "tipped": counts, "from_start": from_start,
                                 "share": counts / len(dates), "cumulative_share": np.cumsum(counts) / len(dates)})
    tipped_years = dates.loc[dates["tipped"], "tip_year"]
    if early_year is None and len(tipped_years):
        early_year = float(np.quantile(tipped_years, 0.5, method="inverted_cdf"))
    found = None
    if box and early_year is not None:
        early = (dates["tip_year"] <= early_year).to_numpy()  # NaN compares False: never tipping is not early
        if early.any() and not early.all() and int(mass_min * len(early)) >= 1:  # CART needs a leaf of a future
            x = pd.DataFrame(design.values, columns=[str(u) for u in results.uncertainty.values])
            ranges = {str(u): (float(lo), float(hi)) for u, lo, hi in
                      zip(results.uncertainty.values, results.low.values, results.high.values)}
            found = prim_boxes(x, early, density_target=density_target, peel_alpha=peel_alpha, mass_min=mass_min,
                             ranges=ranges)
    return Tipping(strategy, tuple(criteria), dates, distribution, early_year, found, n_quarters, window)
