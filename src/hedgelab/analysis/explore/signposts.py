"""Signposts: observable quantities and thresholds that warn, in time, that a strategy will tip.

A government watches one path of history, not the mean over many. So a signpost is scored path
by path: an observable (:data:`hedgelab.analysis.explore.quarterly.OBSERVABLES`) on one of the
first few paths a sweep keeps of each sampled future (``explore --quarterly``, ``path_<series>``;
for the strategy in question where the strategy moves it), a direction (``above`` or ``below``), a
threshold and a hold: the signpost *fires* in the first quarter by which the path's observable has
been strictly beyond the threshold for ``hold`` consecutive quarters (the switching rule of the
policy family, :data:`hedgelab.model.policy.SIGNALS` with ``switch_quarters``).

Tipping stays defined per future (:mod:`hedgelab.analysis.explore.tipping`: the across-path mean).
On a path of a future that tips in quarter ``τ`` a signpost firing in quarter ``φ`` gives ``τ − φ``
quarters of warning (lead time); it is a *hit* when the lead is at least ``min_lead`` quarters. On
a path of a future that never tips, a signpost that fires at all is a *false alarm*:

- hit rate: hits / paths of futures that tip; false-alarm rate: firing paths / paths of futures
  that never tip;
- warning per failure: the mean over paths of futures that tip of the lead time, a miss counting
  0 (hit rate × mean lead of the hits), in quarters;
- when hits fire: the share of hits firing in the first quarter a signpost can fire (``hold``) and
  the median firing quarter. A signpost whose hits all fire at once reads which future the path
  is in (a sampled parameter), not a change along the path; it is flagged (``at_once``) and
  ranked after those that warn along the way.

Futures that fail from the start (tipping in the first quarter the rolling objective exists, the
``window``) cannot be warned of; they are set aside (counted in ``n_*_from_start``).

For each observable and direction the threshold is *fitted* on one set of futures: among
:data:`N_THRESHOLDS` candidate thresholds (quantiles of the observable over the fitting futures'
paths and quarters) whose false-alarm rate is at most :data:`MAX_FALSE_ALARM`, the one with the
most warning per failure; equal warnings go to the lowest false-alarm rate, then to the middle of
the tied candidates. It is then *scored* on held-out futures (:data:`HELD_OUT` of them) that
played no part in the choice. A signpost whose best warning is 0 has no threshold.
"""

from __future__ import annotations

import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import xarray as xr

from hedgelab.analysis.explore.quarterly import OBSERVABLES, check_strategy, lookup
from hedgelab.analysis.explore.tipping import WINDOW, Criterion, Tipping, tipping
from hedgelab.errors import HedgelabError, error_line
from hedgelab.model.series import PATH_PREFIX

OBSERVED_SERIES: tuple[str, ...] = tuple(dict.fromkeys(q.series for q in OBSERVABLES.values()))
"""The series a sweep keeps path by path (``explore --quarterly``): what signposts are scored on."""
DIRECTIONS = {"above": 1.0, "below": -1.0}
N_THRESHOLDS = 101
"""Candidate thresholds per observable and direction (quantiles of its values on the fitting paths)."""
MAX_FALSE_ALARM = 0.2
"""Largest false-alarm rate (share of paths of never-tipping futures) a fitted threshold may have on
the fitting futures (judgement: one false alarm in five calm paths)."""
HELD_OUT = 0.5
"""Share of the futures held out for scoring (a seeded random split)."""
MIN_LEAD = 1
"""Quarters of warning a hit needs at least."""
HOLD = 1
"""Consecutive quarters beyond the threshold before a signpost fires (1: the first quarter beyond)."""


@dataclass(frozen=True)
class Signposts:
    """Fitted signposts of one failure, ranked, with the trade-off curves behind them."""

    table: pd.DataFrame  # per observable: direction, threshold, unit, fit_* and heldout_* scores, at_once
    curves: pd.DataFrame  # per observable, direction, candidate threshold: fit scores (the trade-off)
    firing: pd.DataFrame  # per fitted observable and quarter: held-out paths firing then (hits, late, false alarms)
    fit: np.ndarray  # sample labels of the fitting futures
    held_out: np.ndarray  # sample labels of the held-out futures
    tipping: Tipping | None = None  # the failure (when fitted from a sweep)


def first_firing(signal: np.ndarray, thresholds: np.ndarray, direction: float, hold: int = HOLD) -> np.ndarray:
    """``[..., threshold]`` first quarter (1-based) by which ``direction × signal[..., quarter] >
    direction × threshold`` has held for ``hold`` consecutive quarters; NaN where it never does.
    ``signal`` is ``[..., quarter]`` (e.g. ``[sample, path, quarter]``)."""
    x = direction * np.asarray(signal, dtype=np.float64)
    beyond = x[..., None, :] > direction * np.asarray(thresholds, dtype=np.float64)[:, None]  # [..., m, Q]
    count = np.cumsum(beyond, axis=-1, dtype=np.int32)
    run = count.copy()
    run[..., hold:] -= count[..., :-hold]  # quarters beyond among the last `hold`
    fires = run >= hold
    first = np.argmax(fires, axis=-1) + 1.0
    return np.where(fires.any(axis=-1), first, np.nan)


def scores(fires_at: np.ndarray, tip: np.ndarray, min_lead: int, hold: int = HOLD) -> dict[str, np.ndarray]:
    """Per threshold (last axis of ``fires_at`` ``[sample, path, threshold]``; ``tip`` ``[sample]``):
    ``hit_rate``, ``false_alarm_rate`` (shares of paths), ``median_lead`` and ``mean_lead`` of the
    hits (quarters), ``warning`` (quarters per path of a tipping future, misses 0), ``first_quarter``
    (share of hits firing in quarter ``hold``, the first possible) and ``median_fire`` (quarter)."""
    fires_at = np.asarray(fires_at, dtype=np.float64)
    tipped = np.isfinite(tip)
    lead = tip[:, None, None] - fires_at  # NaN where either never happens
    hit = tipped[:, None, None] & (lead >= min_lead)
    n_paths = fires_at.shape[1]
    n_tipped, n_never = int(tipped.sum()) * n_paths, int((~tipped).sum()) * n_paths
    m = fires_at.shape[-1]
    hit_lead = np.where(hit, lead, np.nan)[tipped].reshape(-1, m)
    hit_fire = np.where(hit, fires_at, np.nan)[tipped].reshape(-1, m)
    n_hits = hit.sum((0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a threshold without hits: NaN
        median = np.nanmedian(hit_lead, axis=0)
        mean = np.nanmean(hit_lead, axis=0)
        median_fire = np.nanmedian(hit_fire, axis=0)
    return {
        "hit_rate": n_hits / max(n_tipped, 1),
        "false_alarm_rate": np.isfinite(fires_at[~tipped]).sum((0, 1)) / max(n_never, 1),
        "median_lead": median,
        "mean_lead": mean,
        "warning": np.where(hit, lead, 0.0)[tipped].sum((0, 1)) / max(n_tipped, 1),
        "first_quarter": np.where(n_hits > 0, (hit_fire == hold).sum(0) / np.maximum(n_hits, 1), np.nan),
        "median_fire": median_fire,
    }


def firing_quarters(fires_at: np.ndarray, tip: np.ndarray, min_lead: int) -> pd.DataFrame:
    """When a signpost fires (``fires_at`` ``[sample, path]``, one threshold): per quarter, the
    number of paths whose firing is a ``hit``, ``late`` (a tipping future, under ``min_lead``
    quarters ahead) or a ``false_alarm`` (a future that never tips)."""
    tipped = np.broadcast_to(np.isfinite(tip)[:, None], fires_at.shape)
    lead = tip[:, None] - fires_at
    fired = np.isfinite(fires_at)
    kinds = {"hit": tipped & (lead >= min_lead), "late": tipped & fired & ~(lead >= min_lead),
             "false_alarm": ~tipped & fired}
    quarters = np.arange(1, int(np.nanmax(fires_at, initial=0)) + 1)
    return pd.DataFrame({"quarter": quarters, **{k: [int((fires_at[m] == q).sum()) for q in quarters]
                                                 for k, m in kinds.items()}})


def split(samples: np.ndarray, held_out: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Fitting and held-out sample labels: a seeded random ``held_out`` share held out."""
    if not 0 < held_out < 1:
        raise HedgelabError(error_line("request", "held_out", f"a share in (0, 1), got {held_out}"))
    order = np.random.default_rng(seed).permutation(len(samples))
    n_out = int(round(held_out * len(samples)))
    return np.sort(samples[order[n_out:]]), np.sort(samples[order[:n_out]])


def choose(fitted: Mapping[str, np.ndarray], max_false_alarm: float) -> int | None:
    """Index of the candidate with the most warning among those with a false-alarm rate of at most
    ``max_false_alarm``; ties to the lowest false-alarm rate, then the middle tied candidate (in
    threshold order). None when no candidate is allowed or the best warning is 0."""
    warning = np.asarray(fitted["warning"], dtype=np.float64)
    false_alarm = np.asarray(fitted["false_alarm_rate"], dtype=np.float64)
    allowed = false_alarm <= max_false_alarm
    if not allowed.any() or warning[allowed].max() <= 0:
        return None
    best = allowed & np.isclose(warning, warning[allowed].max(), rtol=1e-12, atol=0)
    best &= np.isclose(false_alarm, false_alarm[best].min(), rtol=1e-12, atol=0)
    tied = np.flatnonzero(best)
    return int(tied[(len(tied) - 1) // 2])


def _check(tip: np.ndarray, fit: np.ndarray, held_out: np.ndarray, max_false_alarm: float, min_lead: int,
           hold: int, n_quarters: int) -> None:
    problems = []
    counts = {name: (int(np.isfinite(tip[rows]).sum()), len(rows)) for name, rows in (("fitting", fit),
                                                                                       ("held-out", held_out))}
    if any(n == 0 or n == total for n, total in counts.values()):
        problems.append(error_line("request", "criteria", (
            "criteria (--threshold/--versus) under which some futures tip after the start and some never tip; "
            + ", ".join(f"{n} of {total} {name} futures tip" for name, (n, total) in counts.items()))))
    if not 0 <= max_false_alarm <= 1:
        problems.append(error_line("request", "max_false_alarm", f"a share in [0, 1], got {max_false_alarm}"))
    if not 0 <= min_lead < n_quarters:
        problems.append(error_line("request", "min_lead", (
            f"a whole number of quarters from 0 to {n_quarters - 1} (the horizon less one), got {min_lead}")))
    if not 1 <= hold <= n_quarters:
        problems.append(error_line("request", "hold", f"a whole number of quarters from 1 to {n_quarters}, got {hold}"))
    if problems:
        raise HedgelabError(problems)


def fit_signposts(
    signals: Mapping[str, np.ndarray],
    tip: np.ndarray,
    fit: np.ndarray,
    held_out: np.ndarray,
    *,
    max_false_alarm: float = MAX_FALSE_ALARM,
    min_lead: int = MIN_LEAD,
    hold: int = HOLD,
    start: int = 0,
    n_thresholds: int = N_THRESHOLDS,
    units: Mapping[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Fit a threshold per signal and direction on the futures ``fit`` (row indices) and score it
    on ``held_out``, path by path.

    Parameters
    ----------
    signals : mapping of str to array [sample, path, quarter]
        Observable values per future, observed path and quarter.
    tip : array [sample]
        Tipping quarter per future (1-based; NaN: never tips).
    start : int
        Futures tipping in this quarter or earlier fail from the start: set aside.

    Returns
    -------
    table : pandas.DataFrame
        One row per signal (its better direction): ``direction``, ``threshold``, ``fit_*`` and
        ``heldout_*`` scores (:func:`scores`), ``at_once`` (every fitting hit fires in the first
        possible quarter), ``n_fit_tipped``, ``n_heldout_tipped``, ``n_fit_from_start``,
        ``n_heldout_from_start``, ``n_paths``; ranked by ``at_once`` then ``fit_warning``. A signal
        without a threshold meeting ``max_false_alarm`` with some warning keeps NaN.
    curves : pandas.DataFrame
        Every candidate threshold's fit scores (the lead-time / false-alarm trade-off).
    firing : pandas.DataFrame
        Per fitted signal and quarter, the held-out paths firing then (:func:`firing_quarters`).
    """
    tip = np.asarray(tip, dtype=np.float64)
    from_start = np.isfinite(tip) & (tip <= start)
    kept_fit, kept_out = fit[~from_start[fit]], held_out[~from_start[held_out]]
    n_quarters = next(iter(signals.values())).shape[-1] if signals else 0
    _check(tip, kept_fit, kept_out, max_false_alarm, min_lead, hold, n_quarters)
    rows, curves, firing = [], [], []
    for name, values in signals.items():
        values = np.asarray(values, dtype=np.float64)
        candidates = np.unique(np.quantile(values[kept_fit], np.linspace(0.0, 1.0, n_thresholds)))
        best = None
        for direction, sign in DIRECTIONS.items():
            fitted = scores(first_firing(values[kept_fit], candidates, sign, hold), tip[kept_fit], min_lead, hold)
            curves.append(pd.DataFrame({"signal": name, "direction": direction, "threshold": candidates, **fitted}))
            i = choose(fitted, max_false_alarm)
            if i is None:
                continue
            key = (fitted["warning"][i], -fitted["false_alarm_rate"][i])
            if best is None or key > best[0]:
                best = (key, direction, candidates[i], {k: float(v[i]) for k, v in fitted.items()}, sign)
        row: dict = {"signal": name, "unit": (units or {}).get(name, ""), "direction": None, "threshold": np.nan,
                     "at_once": False}
        if best is not None:
            _key, direction, threshold, fitted_best, sign = best
            fires_out = first_firing(values[kept_out], np.array([threshold]), sign, hold)
            held = scores(fires_out, tip[kept_out], min_lead, hold)
            firing.append(firing_quarters(fires_out[..., 0], tip[kept_out], min_lead).assign(signal=name))
            row.update({"direction": direction, "threshold": threshold, "at_once": fitted_best["first_quarter"] == 1.0,
                        **{f"fit_{k}": v for k, v in fitted_best.items()},
                        **{f"heldout_{k}": float(v[0]) for k, v in held.items()}})
        rows.append(row)
    table = pd.DataFrame(rows)
    for column in ("fit_warning", "heldout_warning"):
        if column not in table:
            table[column] = np.nan
    table["n_fit_tipped"] = int(np.isfinite(tip[kept_fit]).sum())
    table["n_heldout_tipped"] = int(np.isfinite(tip[kept_out]).sum())
    table["n_fit_from_start"] = int(from_start[fit].sum())
    table["n_heldout_from_start"] = int(from_start[held_out].sum())
    table["n_paths"] = next(iter(signals.values())).shape[1]
    table = (table.assign(_rank=-table["fit_warning"].fillna(-np.inf))
             .sort_values(["at_once", "_rank"], kind="stable").drop(columns="_rank").reset_index(drop=True))
    table.attrs = {"max_false_alarm": max_false_alarm, "min_lead": min_lead, "hold": hold, "n_fit": len(kept_fit),
                   "n_held_out": len(kept_out)}
    columns = ["signal", "quarter", "hit", "late", "false_alarm"]
    firing_frame = pd.concat(firing, ignore_index=True)[columns] if firing else pd.DataFrame(columns=columns)
    return table, pd.concat(curves, ignore_index=True), firing_frame


def observed(results: xr.Dataset, strategy: str, name: str) -> np.ndarray:
    """``[sample, path, quarter]`` values of observable ``name`` on the sweep's observed paths."""
    q = lookup(results, name, OBSERVABLES)  # one line for an unknown name or a sweep without quarterly series
    stored = f"{PATH_PREFIX}{q.series}"
    if stored not in results:
        raise HedgelabError(error_line("request", "results", (
            f"per-path observables (re-run hedgelab explore --quarterly, which keeps --observed-paths paths per "
            f"future); run {results.attrs.get('run_id', '?')} has only across-path means")))
    values = results[stored].sel(strategy=strategy).transpose("sample", "observed_path", "quarter").values
    return q.scale * values.astype(np.float64)


def signposts(
    results: xr.Dataset,
    strategy: str,
    criteria: Sequence[Criterion],
    *,
    observables: Sequence[str] | None = None,
    window: int = WINDOW,
    held_out: float = HELD_OUT,
    seed: int = 0,
    max_false_alarm: float = MAX_FALSE_ALARM,
    min_lead: int = MIN_LEAD,
    hold: int = HOLD,
) -> Signposts:
    """Signposts of ``strategy`` tipping under ``criteria`` in a sweep with per-path series.

    Parameters
    ----------
    observables : list of str, optional
        Names of :data:`~hedgelab.analysis.explore.quarterly.OBSERVABLES` (default: all).
    held_out : float
        Share of the futures held out for scoring (a seeded random split).
    max_false_alarm : float
        Largest false-alarm rate (share of paths) a fitted threshold may have on the fitting futures.
    min_lead : int
        Quarters of warning a hit needs at least.
    hold : int
        Consecutive quarters beyond the threshold before the signpost fires.
    """
    names = list(observables) if observables is not None else list(OBSERVABLES)
    if not names:
        raise HedgelabError(error_line("request", "observable", f"at least one of {', '.join(OBSERVABLES)}"))
    check_strategy(results, strategy)
    signals = {name: observed(results, strategy, name) for name in names}
    tipped = tipping(results, strategy, criteria, window=window, box=False)
    samples = np.arange(results.sizes["sample"])
    fit, out = split(samples, held_out, seed)
    table, curves, firing = fit_signposts(signals, tipped.dates["tip_quarter"].to_numpy(), fit, out,
                                  max_false_alarm=max_false_alarm, min_lead=min_lead, hold=hold, start=window,
                                  units={name: OBSERVABLES[name].unit for name in names})
    labels = results.sample.values
    table.attrs.update({"strategy": strategy, "criteria": [c.describe() for c in criteria],
                        "run_id": results.attrs.get("run_id", "")})
    return Signposts(table, curves, firing, labels[fit], labels[out], tipped)
