"""Signposts: observable quantities and thresholds that warn, in time, that a strategy will tip.

A *signpost* is an observable (:data:`hedgelab.analysis.explore.quarterly.OBSERVABLES`: its
across-path mean per quarter in each sampled future, for the strategy in question where the
strategy moves it), a direction (``above`` or ``below``) and a threshold. It *fires* in the first
quarter in which the observable is beyond the threshold. In a future where the strategy tips in
quarter ``τ`` (:mod:`hedgelab.analysis.explore.tipping`) a signpost that fires in quarter ``φ``
gives ``τ − φ`` quarters of warning (lead time); it is a *hit* when the lead is at least
``min_lead`` quarters (a signpost that fires later is too late). In a future where the strategy
never tips, a signpost that fires at all is a *false alarm*.

- hit rate: hits / futures that tip; false-alarm rate: false alarms / futures that never tip;
- warning per failure: the mean over futures that tip of the lead time, a miss counting 0
  (hit rate × mean lead of the hits), in quarters.

For each observable and direction the threshold is *fitted* on one set of futures: among
candidate thresholds (quantiles of the observable over the fitting futures and quarters) whose
false-alarm rate is at most ``max_false_alarm``, the one with the most warning per failure (the
earliest reliable warning). It is then *scored* on held-out futures that played no part in the
choice. Signposts are ranked by warning per failure on the fitting futures; the held-out
columns say how well that holds up.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import warnings

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis.explore.quarterly import OBSERVABLES, quantity
from hedgelab.analysis.explore.tipping import WINDOW, Criterion, Tipping, tipping
from hedgelab.errors import HedgelabError, error_line

OBSERVED_SERIES: tuple[str, ...] = tuple(dict.fromkeys(q.series for q in OBSERVABLES.values()))
"""The series a sweep keeps path by path (``explore --quarterly``): what signposts are scored on."""
DIRECTIONS = {"above": 1.0, "below": -1.0}
N_THRESHOLDS = 101
"""Candidate thresholds per observable and direction (quantiles of its values)."""


@dataclass(frozen=True)
class Signposts:
    """Fitted signposts of one failure, ranked, with the trade-off curves behind them."""

    table: pd.DataFrame  # per observable: direction, threshold, unit, fit_* and heldout_* scores
    curves: pd.DataFrame  # per observable, direction, candidate threshold: fit scores (the trade-off)
    fit: np.ndarray  # sample labels of the fitting futures
    held_out: np.ndarray  # sample labels of the held-out futures
    tipping: Tipping | None = None  # the failure (when fitted from a sweep)


def first_crossing(signal: np.ndarray, thresholds: np.ndarray, direction: float) -> np.ndarray:
    """``[sample, threshold]`` first quarter (1-based) in which ``direction × signal[sample, quarter]
    ≥ direction × threshold``; NaN where it never is."""
    running = np.maximum.accumulate(direction * np.asarray(signal, dtype=np.float64), axis=1)  # [n, Q]
    fires = running[:, None, :] >= direction * np.asarray(thresholds, dtype=np.float64)[None, :, None]
    first = np.argmax(fires, axis=2) + 1.0
    return np.where(fires[:, :, -1], first, np.nan)


def scores(fires_at: np.ndarray, tip: np.ndarray, min_lead: int) -> dict[str, np.ndarray]:
    """Per threshold (columns of ``fires_at``): ``hit_rate``, ``false_alarm_rate``, ``median_lead``
    and ``mean_lead`` of the hits (quarters), ``warning`` (quarters per failure, misses 0)."""
    tipped = np.isfinite(tip)
    lead = tip[:, None] - fires_at  # NaN where either never happens
    hit = tipped[:, None] & (lead >= min_lead)
    n_tipped, n_never = int(tipped.sum()), int((~tipped).sum())
    hit_lead = np.where(hit, lead, np.nan)[tipped]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a threshold without hits: NaN
        median = np.nanmedian(hit_lead, axis=0)
        mean = np.nanmean(hit_lead, axis=0)
    return {
        "hit_rate": hit.sum(0) / max(n_tipped, 1),
        "false_alarm_rate": np.isfinite(fires_at[~tipped]).sum(0) / max(n_never, 1),
        "median_lead": median,
        "mean_lead": mean,
        "warning": np.where(hit, lead, 0.0)[tipped].sum(0) / max(n_tipped, 1),
    }


def split(samples: np.ndarray, held_out: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Fitting and held-out sample labels: a seeded random ``held_out`` share held out."""
    if not 0 < held_out < 1:
        raise HedgelabError(error_line("request", "held_out", f"a share in (0, 1), got {held_out}"))
    order = np.random.default_rng(seed).permutation(len(samples))
    n_out = int(round(held_out * len(samples)))
    return np.sort(samples[order[n_out:]]), np.sort(samples[order[:n_out]])


def fit_signposts(
    signals: Mapping[str, np.ndarray],
    tip: np.ndarray,
    fit: np.ndarray,
    held_out: np.ndarray,
    *,
    max_false_alarm: float = 0.2,
    min_lead: int = 1,
    n_thresholds: int = N_THRESHOLDS,
    units: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Fit a threshold per signal and direction on the futures ``fit`` (row indices) and score it
    on ``held_out``.

    Parameters
    ----------
    signals : mapping of str to array [sample, quarter]
        Observable values per future and quarter.
    tip : array [sample]
        Tipping quarter per future (1-based; NaN: never tips).

    Returns
    -------
    table : pandas.DataFrame
        One row per signal (its better direction), ranked by ``fit_warning``: ``direction``,
        ``threshold``, ``fit_*`` and ``heldout_*`` scores (:func:`scores`), ``n_fit_tipped``,
        ``n_heldout_tipped``; a signal without a threshold meeting ``max_false_alarm`` keeps NaN.
    curves : pandas.DataFrame
        Every candidate threshold's fit scores (the lead-time / false-alarm trade-off).
    """
    tip = np.asarray(tip, dtype=np.float64)
    problems = []
    for name, rows in (("fit", fit), ("held_out", held_out)):
        tipped = np.isfinite(tip[rows])
        if not tipped.any() or tipped.all():
            problems.append(error_line("request", name, (
                f"futures that tip and futures that never tip; {int(tipped.sum())} of {len(rows)} tip")))
    if not 0 <= max_false_alarm <= 1:
        problems.append(error_line("request", "max_false_alarm", f"a share in [0, 1], got {max_false_alarm}"))
    if min_lead < 0:
        problems.append(error_line("request", "min_lead", f"a whole number of quarters of at least 0, got {min_lead}"))
    if problems:
        raise HedgelabError(problems)
    rows, curves = [], []
    for name, values in signals.items():
        values = np.asarray(values, dtype=np.float64)
        candidates = np.unique(np.quantile(values[fit], np.linspace(0.0, 1.0, n_thresholds)))
        best = None
        for direction, sign in DIRECTIONS.items():
            fitted = scores(first_crossing(values[fit], candidates, sign), tip[fit], min_lead)
            curves.append(pd.DataFrame({"signal": name, "direction": direction, "threshold": candidates, **fitted}))
            allowed = fitted["false_alarm_rate"] <= max_false_alarm
            if not allowed.any():
                continue
            i = int(np.argmax(np.where(allowed, fitted["warning"], -np.inf)))
            if best is None or fitted["warning"][i] > best[2]["warning"]:
                best = (direction, candidates[i], {k: float(v[i]) for k, v in fitted.items()}, sign)
        row: dict = {"signal": name, "unit": (units or {}).get(name, ""), "direction": None, "threshold": np.nan}
        if best is not None:
            direction, threshold, fitted_best, sign = best
            held = scores(first_crossing(values[held_out], np.array([threshold]), sign), tip[held_out], min_lead)
            row.update({"direction": direction, "threshold": threshold,
                        **{f"fit_{k}": v for k, v in fitted_best.items()},
                        **{f"heldout_{k}": float(v[0]) for k, v in held.items()}})
        rows.append(row)
    table = pd.DataFrame(rows)
    for column in ("fit_warning", "heldout_warning"):
        if column not in table:
            table[column] = np.nan
    table["n_fit_tipped"] = int(np.isfinite(tip[fit]).sum())
    table["n_heldout_tipped"] = int(np.isfinite(tip[held_out]).sum())
    table = table.sort_values("fit_warning", ascending=False, na_position="last", kind="stable").reset_index(drop=True)
    table.attrs = {"max_false_alarm": max_false_alarm, "min_lead": min_lead, "n_fit": len(fit),
                   "n_held_out": len(held_out)}
    return table, pd.concat(curves, ignore_index=True)


def signposts(
    results: xr.Dataset,
    strategy: str,
    criteria: Sequence[Criterion],
    *,
    observables: Sequence[str] | None = None,
    window: int = WINDOW,
    held_out: float = 0.5,
    seed: int = 0,
    max_false_alarm: float = 0.2,
    min_lead: int = 1,
) -> Signposts:
    """Signposts of ``strategy`` tipping under ``criteria`` in a sweep with quarterly series.

    Parameters
    ----------
    observables : list of str, optional
        Names of :data:`~hedgelab.analysis.explore.quarterly.OBSERVABLES` (default: all).
    held_out : float
        Share of the futures held out for scoring (a seeded random split).
    max_false_alarm : float
        Largest false-alarm rate a fitted threshold may have on the fitting futures.
    min_lead : int
        Quarters of warning a hit needs at least.
    """
    tipped = tipping(results, strategy, criteria, window=window, box=False)
    names = list(observables) if observables is not None else list(OBSERVABLES)
    signals = {name: quantity(results, name, OBSERVABLES).sel(strategy=strategy).transpose("sample", "quarter").values
               for name in names}
    samples = np.arange(results.sizes["sample"])
    fit, out = split(samples, held_out, seed)
    table, curves = fit_signposts(signals, tipped.dates["tip_quarter"].to_numpy(), fit, out,
                                  max_false_alarm=max_false_alarm, min_lead=min_lead,
                                  units={name: OBSERVABLES[name].unit for name in names})
    labels = results.sample.values
    table.attrs.update({"strategy": strategy, "criteria": [c.describe() for c in criteria],
                        "run_id": results.attrs.get("run_id", "")})
    return Signposts(table, curves, labels[fit], labels[out], tipped)
