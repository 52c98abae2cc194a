"""The metric registry: every per-path output and every summary metric, with its unit, long
name, direction and definition. Results, CLI tables, ``--help``, exploration and the dashboard
read it. (Per-quarter trajectory variables, a different set, carry their units in
:data:`hedgelab.analysis.trajectories.VARIABLES`.)

Naming rule: one name per concept. ``coercion`` is the per-path indicator "at least one coercion
episode within the horizon" (per quarter in trajectories: "an episode began this quarter"; its
mean over paths is a share of paths); ``p_coercion`` is the summary metric, the mean of that
indicator (a probability); ``first_coercion`` the time to the first episode; ``prosperity_coercion``
the prosperity lost to coercion (a part of prosperity, another concept).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from hedgelab.model.mechanisms import DIRECTIONS
from hedgelab.model.recorders import LOSS_EVENTS
from hedgelab.model.step import EVENTS

Direction = Literal["higher", "lower", "neither"]


@dataclass(frozen=True)
class Variable:
    """A per-path output of a run (an average over quarters, an indicator, a time, a value at
    an event)."""

    name: str
    long_name: str
    unit: str
    better: Direction  # which way is better for the focal state
    definition: str


@dataclass(frozen=True)
class Metric:
    """A summary over paths of a per-path variable, with a standard error."""

    name: str
    variable: str
    statistic: Literal["mean", "lower_tail_mean"]
    long_name: str
    unit: str
    better: Direction
    definition: str
    group: Literal["outcomes", "risks", "trilemma"]


_AVG = "mean over the quarters of the horizon of the quarterly value"
_INDEX = "index in [0, 1]"
_GDP = "% of GDP per year, relative to the base year"

_PROSPERITY_PARTS = {
    "trade": ("gains from trade exposure", "higher"),
    "energy": ("gains from energy security", "higher"),
    "defence": ("cost of defence spending above the base year", "higher"),
    "adjustment": ("cost of realignment (quadratic in its speed)", "higher"),
    "coercion": ("losses to economic coercion", "higher"),
    "entrapment": ("losses to entrapment episodes", "higher"),
}

_EVENT_NAMES = {
    "coercion": "economic coercion by the challenger",
    "abandonment": "US abandonment",
    "entrapment": "entrapment",
    "deal": "a US–challenger deal over the focal state's head",
    "crisis": "a Taiwan-strait crisis",
}

VARIABLES: dict[str, Variable] = {v.name: v for v in (
    Variable("security", "security", _INDEX, "higher", f"protection / (protection + threat), {_AVG}"),
    Variable("autonomy", "autonomy (share of alliance surplus)", _INDEX, "higher",
             f"Nash share of the alliance surplus with perceived outside options, {_AVG}"),
    Variable("deterrence", "deterrence of the challenger", _INDEX, "higher",
             f"protection / (protection + challenger threat), {_AVG}"),
    Variable("taiwan_preparedness", "Taiwan-contingency preparedness", _INDEX, "higher",
             f"integrated capacity against tension-scaled threat, {_AVG}"),
    Variable("security_without_us", "security without the US", _INDEX, "higher",
             f"own (supply-discounted) and partner protection against the threat, {_AVG}"),
    Variable("us_protection", "protection from the US", "index (patron military expenditure = 1)", "higher",
             f"capacity × reliability × security alignment × (1 − commitment loss), {_AVG}"),
    Variable("partner_protection", "protection from secondary partners", "index (patron military expenditure = 1)",
             "higher", f"Σ capacity × security alignment over secondary partners, {_AVG}"),
    Variable("own_protection", "own protection", "index (patron military expenditure = 1)", "higher",
             f"own capacity × capability relative to the base year, {_AVG}"),
    Variable("threat", "threat", "index (patron military expenditure = 1)", "lower",
             f"challenger and North Korean threat, {_AVG}"),
    Variable("perceived_options", "perceived outside options", "share of alliance surplus", "neither",
             f"real options × (1 + signal gain × signal), {_AVG}"),
    Variable("leverage", "challenger's economic leverage", "share of trade", "lower",
             f"effective exposure not shielded by compartments plus technology ties, {_AVG}"),
    Variable("effective_exposure", "effective exposure to the challenger", "share of trade", "neither",
             f"direct plus routed trade exposure to the challenger, {_AVG}"),
    Variable("support", "domestic support", _INDEX, "higher", f"domestic support for the posture, {_AVG}"),
    Variable("prosperity", "prosperity", _GDP, "higher",
             "sum of the prosperity parts (each a mean over quarters)"),
    *(Variable(f"prosperity_{part}", f"prosperity: {text}", _GDP, better, f"{text}, {_AVG}")
      for part, (text, better) in _PROSPERITY_PARTS.items()),
    *(Variable(kind, f"{text} (at least one)", "1 if it happened, else 0", "neither" if kind == "crisis" else "lower",
               f"1 if at least one episode of {text} began within the horizon")
      for kind, text in _EVENT_NAMES.items()),
    *(Variable(f"{kind}_per_year", f"episodes of {_EVENT_NAMES[kind]} per year", "episodes per year", "lower",
               "number of episodes that began within the horizon / the horizon in years")
      for kind in EVENTS),
    *(Variable(f"{kind}_loss_per_year", f"loss to {_EVENT_NAMES[kind]} per year", "% of GDP per year", "lower",
               "one-off losses of the episodes within the horizon, summed, / the horizon in years")
      for kind in LOSS_EVENTS),
    *(Variable(f"first_{kind}", f"time to the first {text}", "years", "neither" if kind == "crisis" else "higher",
               "years from the start to the end of the quarter of the first episode; NaN if none")
      for kind, text in _EVENT_NAMES.items()),
    *(Variable(f"depth_{d}", f"depth toward {d}", _INDEX, "higher",
               "depth in this direction at the first Taiwan-strait crisis (at the horizon without one)")
      for d in DIRECTIONS),
    Variable("depth", "depth (deepest direction)", _INDEX, "higher",
             "the largest depth over directions at the first crisis (at the horizon without one)"),
    Variable("depth_min", "depth (shallowest direction)", _INDEX, "higher",
             "the smallest depth over directions at the first crisis (at the horizon without one)"),
    Variable("switched", "switched to the fallback strategy", "1 if it happened, else 0", "neither",
             "1 if an adaptive strategy's signpost fired within the horizon (always 0 for a strategy without one)"),
    Variable("first_switched", "time to the switch", "years", "neither",
             "years from the start to the end of the quarter in which the signpost fired; NaN if it never did"),
    Variable("security_without_us_at_crisis", "security without the US at the first crisis", _INDEX, "higher",
             "own (supply-discounted) and partner protection / (that + threat) in the quarter of the first "
             "Taiwan-strait crisis (the last quarter without one): the depth the focal state can stand on alone"),
)}
"""Per-path outputs of :func:`hedgelab.analysis.compare.run`, by name."""

CVAR_LEVEL = 0.05
"""Share of worst paths in ``cvar_prosperity``."""


def _mean(name: str, group: str, definition: str | None = None) -> Metric:
    v = VARIABLES[name]
    return Metric(name, name, "mean", v.long_name, v.unit, v.better, definition or f"mean over paths of {name}", group)  # type: ignore[arg-type]


METRICS: dict[str, Metric] = {m.name: m for m in (
    _mean("security", "outcomes"),
    _mean("prosperity", "outcomes"),
    _mean("autonomy", "outcomes"),
    _mean("depth", "outcomes"),
    _mean("support", "outcomes"),
    *(Metric(f"p_{kind}", kind, "mean", f"probability of {_EVENT_NAMES[kind]}", "probability", "lower",
             f"share of paths with at least one episode of {_EVENT_NAMES[kind]} within the horizon", "risks")
      for kind in EVENTS),
    *(Metric(f"rate_{kind}", f"{kind}_per_year", "mean", f"expected episodes of {_EVENT_NAMES[kind]} per year",
             "episodes per year", "lower",
             f"mean over paths of the number of episodes of {_EVENT_NAMES[kind]} per year (does not saturate "
             f"like p_{kind})", "risks")
      for kind in EVENTS),
    *(Metric(f"loss_{kind}", f"{kind}_loss_per_year", "mean", f"expected loss to {_EVENT_NAMES[kind]} per year",
             "% of GDP per year", "lower",
             f"mean over paths of the one-off losses to {_EVENT_NAMES[kind]} per year of the horizon", "risks")
      for kind in LOSS_EVENTS),
    Metric("p_switched", "switched", "mean", "probability of switching", "probability", "neither",
           "share of paths on which an adaptive strategy's signpost fired within the horizon (0 without one)", "risks"),
    Metric("cvar_prosperity", "prosperity", "lower_tail_mean", "prosperity in the worst 5% of paths", _GDP, "higher",
           f"mean prosperity of the worst {CVAR_LEVEL:.0%} of paths (CVaR)", "outcomes"),
    _mean("deterrence", "trilemma"),
    _mean("taiwan_preparedness", "trilemma"),
    _mean("security_without_us", "trilemma"),
    _mean("security_without_us_at_crisis", "trilemma"),
)}
"""Headline summary metrics, in display order."""

HEADLINE_METRICS: tuple[str, ...] = tuple(METRICS)

GROUP_TITLES = {
    "outcomes": "outcomes",
    "risks": "risks (share of paths with at least one episode; expected episodes and loss per year)",
    "trilemma": "China–Taiwan trilemma",
}


def direction_label(better: Direction) -> str:
    """``"higher is better"`` / ``"lower is better"`` / ``""``."""
    return {"higher": "higher is better", "lower": "lower is better", "neither": ""}[better]
