"""Quarterly objectives and observables of a sweep run with ``series`` (``explore --quarterly``).

A sweep keeps, per sampled future, strategy and quarter, the mean over the future's paths of
per-quarter series (:data:`hedgelab.model.series.SERIES`). This module names what those series
mean to an analyst, with units:

- **objectives** (:data:`OBJECTIVES`): registry metrics (:data:`hedgelab.analysis.metrics.METRICS`,
  unit, direction) with a per-quarter counterpart: the quarter's value of a time-averaged
  variable (``security``, ``prosperity`` …), or for ``rate_<kind>`` the share of paths where an
  episode began in the quarter × 4 (episodes per year; its 4-quarter rolling mean is the number
  of episodes in the last year);
- **observables** (:data:`OBSERVABLES`): what a government can watch: the environment the model
  tracks (challenger assertiveness, convergence, Taiwan-strait tension, US unreliability and
  regime) and model counterparts of measured indicators (direct trade share with the challenger,
  as in IMF trade statistics; defence spending in % of GDP, as in SIPRI).

Tipping (:mod:`~hedgelab.analysis.explore.tipping`) reads the across-path means; signposts
(:mod:`~hedgelab.analysis.explore.signposts`) read the observables path by path, from the first
``--observed-paths`` paths of each future that the sweep also keeps (a government sees one path).
"""

from __future__ import annotations

from dataclasses import dataclass

import xarray as xr

from hedgelab.analysis.metrics import METRICS
from hedgelab.analysis.runner import QUARTERS_PER_YEAR
from hedgelab.analysis.trajectories import VARIABLES as TRAJECTORY_VARIABLES
from hedgelab.errors import HedgelabError, error_line, suggest
from hedgelab.model.series import PREFIX
from hedgelab.model.step import EVENTS


@dataclass(frozen=True)
class Quantity:
    """A per-quarter quantity: the series it is read from, a unit conversion, unit and name."""

    name: str
    series: str
    scale: float  # quantity = scale × the series' across-path mean
    unit: str
    long_name: str
    better: str  # "higher", "lower" or "neither" (for the focal state)


def _objective(metric: str, series: str, scale: float = 1.0) -> Quantity:
    m = METRICS[metric]
    return Quantity(metric, series, scale, m.unit, m.long_name, m.better)


OBJECTIVES: dict[str, Quantity] = {q.name: q for q in (
    *(_objective(name, name) for name in ("security", "prosperity", "autonomy", "support", "deterrence",
                                          "taiwan_preparedness", "security_without_us")),
    *(_objective(f"rate_{kind}", kind, float(QUARTERS_PER_YEAR)) for kind in EVENTS),
)}
"""Registry metrics with a quarterly value (``rate_<kind>``: 4 × the quarter's share of paths with a
new episode, in episodes per year)."""


def _observable(name: str, unit: str | None = None, long_name: str | None = None) -> Quantity:
    known = TRAJECTORY_VARIABLES.get(name)
    return Quantity(name, name, 1.0, unit or known[0], long_name or known[1], "neither")  # type: ignore[index]


OBSERVABLES: dict[str, Quantity] = {q.name: q for q in (
    _observable("assertiveness"),
    _observable("convergence"),
    _observable("taiwan_tension"),
    _observable("unreliability", "index in [0, 1]", "US unreliability (1 − reliability)"),
    _observable("us_not_committed", "share of paths", "US in the transactional or retrenching regime"),
    _observable("challenger_exposure", "share of trade", "direct trade share with the challenger"),
    _observable("defence_spending"),
)}
"""Observables for signposts: the environment and measurable indicators (per strategy where the
focal state moves them: trade share, defence spending)."""

SWITCH_SIGNALS: dict[str, str] = {"assertiveness": "assertiveness", "convergence": "convergence",
                                  "taiwan_tension": "tension", "unreliability": "unreliability"}
"""Observables a strategy of the policy family can switch on -> the policy family's signal name."""

SERIES: tuple[str, ...] = tuple(dict.fromkeys(q.series for q in (*OBJECTIVES.values(), *OBSERVABLES.values())))
"""The per-quarter series ``explore --quarterly`` keeps (what tipping points and signposts read)."""


def lookup(results: xr.Dataset, name: str, table: dict[str, Quantity] = OBJECTIVES) -> Quantity:
    """The objective (or, with ``table=OBSERVABLES``, the observable) ``name``, once it is known
    and its quarterly series is stored in ``results``; one line otherwise."""
    kind = "objective" if table is OBJECTIVES else "observable"
    if name not in table:
        raise HedgelabError(error_line("request", kind, f"one of {', '.join(table)}, not {name!r}{suggest(name, table)}"))
    q = table[name]
    if f"{PREFIX}{q.series}" not in results:
        raise HedgelabError(error_line("request", "results", (
            f"an exploration with quarterly series (hedgelab explore --quarterly); {q.series!r} is not stored "
            f"in run {results.attrs.get('run_id', '?')}")))
    return q


def quantity(results: xr.Dataset, name: str, table: dict[str, Quantity] = OBJECTIVES) -> xr.DataArray:
    """``[strategy, sample, quarter]`` values of an objective (or of an observable with
    ``table=OBSERVABLES``), with ``units``, ``long_name`` and ``better`` attributes."""
    q = lookup(results, name, table)
    out = results[f"{PREFIX}{q.series}"] * q.scale
    out.attrs = {"units": q.unit, "long_name": q.long_name, "better": q.better}
    return out.rename(name)


def check_strategy(results: xr.Dataset, name: str, field: str = "strategy") -> None:
    """One line when ``name`` is not a strategy of the sweep."""
    known = [str(s) for s in results.strategy.values]
    if name not in known:
        raise HedgelabError(error_line("request", field, f"a strategy of the sweep ({', '.join(known)}), "
                                       f"not {name!r}{suggest(name, known)}"))
