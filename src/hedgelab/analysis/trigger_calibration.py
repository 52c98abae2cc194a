"""Estimate the political-trigger parameters of the coercion hazard from the trigger list.

The simulated coercion hazard (:func:`hedgelab.model.step.trigger_multiplier`) rises by
``events.trigger_effect`` for ``events.trigger_window`` years after each of the focal state's
political trigger events, which arrive at ``events.trigger_rate`` per year. All three come from
the curated trigger list (``data/catalogue/triggers.csv``, coded whether or not coercion
followed) and the coercion validation frame (:func:`hedgelab.analysis.coercion_validation.validation_frame`):

* ``trigger_rate``: the focal state's listed events per year, first listed year to ``end_year``,
  with the exact (Garwood) 95% Poisson interval as range;
* ``trigger_window``: the window of the validation (a trigger flags its year and the next);
* ``trigger_effect``: the Poisson rate ratio of coercion in country-years with a trigger in the
  window against those without, with the model's coercion response as exposure (the in-sample
  "response+triggers" fit of ``hedgelab validate coercion``), over the eight comparators; its
  standard error on the log scale is ``sqrt(1/(k1+c) + 1/(k0+c))`` (``k`` coerced country-years,
  ``c`` the continuity correction). With six coerced country-years the ratio is poorly pinned
  down, so the range is ``exp(log ratio ± 1 SE)`` (± 2 SE would span 1 to about 350).

Public API: :func:`trigger_calibration`.
"""

from __future__ import annotations

import math
from os import PathLike

import numpy as np

from hedgelab.analysis.coercion_validation import fit_trigger_effect, validation_frame
from hedgelab.data.calibration import Calibrated
from hedgelab.data.codes import country_name
from hedgelab.data.episodes import poisson_interval
from hedgelab.data.triggers import load_triggers
from hedgelab.errors import HedgelabError, error_line

__all__ = ["trigger_calibration"]

WINDOW_YEARS = 2
"""Years a trigger counts in the validation (its own year and the next: a provocation late in one
year can be answered early in the next). The model's ``trigger_window`` takes the same length."""

WINDOW_RANGE = (1.0, 3.0)
"""Plausible range of the window, years (judgement: from an answer within the year of the
provocation to one two years on)."""

CONTINUITY = 0.5
"""Haldane-Anscombe correction added to both coerced counts of the rate ratio: every coerced
country-year of 2005-2020 had a trigger, so the uncorrected ratio is infinite."""


def trigger_calibration(focal: str, end_year: int, data_dir: str | PathLike[str] | None = None,
                        *, reference: bool = False) -> list[Calibrated]:
    """The trigger parameters of a scenario whose focal state is ``focal``, from data to ``end_year``.

    ``reference`` adds ``trigger_effect`` and ``trigger_window`` (global parameters, estimated
    once, in the scenario where hazards are normalised).
    """
    listed = load_triggers()
    first = int(listed["year"].min())
    last = min(int(end_year), int(listed["year"].max()))
    own = listed[(listed["country"] == focal) & (listed["year"] <= last)]
    if focal not in set(listed["country"]):
        raise HedgelabError(error_line("data/catalogue/triggers.csv", "country",
                                       f"trigger events of the focal state {focal} (the list covers "
                                       f"{', '.join(sorted(set(listed['country'])))})"))
    years = last - first + 1
    count = len(own)
    low, high = poisson_interval(count)
    rate = count / years
    items = [Calibrated(
        ("events", "trigger_rate"), round(rate, 3),
        f"hedgelab trigger list (data/catalogue/triggers.csv, coded whether or not coercion followed): {count} "
        f"political trigger events of {country_name(focal)} toward China in {first}-{last} / {years} years; "
        "range = exact 95% Poisson interval",
        str(last), (math.floor(low / years * 1000) / 1000, math.ceil(high / years * 1000) / 1000), exact=rate,
    )]
    if not reference:
        return items
    frame = validation_frame(years=range(first, last + 1), window=WINDOW_YEARS, data_dir=data_dir)
    response = frame["response"].to_numpy(float)
    flag = frame["trigger"].astype(bool).to_numpy()
    coerced = frame["coerced"].astype(bool).to_numpy()
    effect = fit_trigger_effect(response, flag, coerced, CONTINUITY)
    k1, k0 = int(coerced[flag].sum()), int(coerced[~flag].sum())
    se = math.sqrt(1 / (k1 + CONTINUITY) + 1 / (k0 + CONTINUITY))
    lo, hi = (float(np.exp(math.log(effect) + sign * se)) for sign in (-1, 1))
    items.append(Calibrated(
        ("events", "trigger_effect"), round(effect, 2),
        f"Poisson rate ratio of Chinese economic coercion in country-years with a listed trigger in the "
        f"{WINDOW_YEARS}-year window against those without, exposure = the model's coercion response "
        f"(hedgelab validate coercion, response+triggers, in sample), {len(frame)} country-years of "
        f"{frame['country'].nunique()} comparators {first}-{last}, coerced {k1} with / {k0} without a trigger, "
        f"continuity {CONTINUITY}; log SE {se:.2f}; range = exp(log ratio ± 1 SE) (± 2 SE would span "
        f"{math.exp(math.log(effect) - 2 * se):.1f}-{math.exp(math.log(effect) + 2 * se):.0f})",
        str(last), (round(max(lo, 1.0), 2), round(hi, 2)), exact=effect,
    ))
    items.append(Calibrated(
        ("events", "trigger_window"), float(WINDOW_YEARS),
        "the window of the coercion validation (a trigger counts in its year and the next), so that the share "
        "of time with a recent trigger, 1 - exp(-rate × window), matches the share of flagged country-years; "
        "range: judgement, from a trigger answered within its own year to one answered two years on",
        str(last), WINDOW_RANGE, exact=float(WINDOW_YEARS),
    ))
    return items


def builtin_trigger_calibration(names: list[str], data_dir: str | PathLike[str] | None = None) -> dict[str, list[Calibrated]]:
    """:func:`trigger_calibration` for built-in scenarios ``names``, from data before each base year
    (the reference scenario also gets the effect and the window)."""
    from hedgelab.scenarios.loader import load_raw

    out = {}
    for name in names:
        raw, _ = load_raw(name)
        reference = raw.get("events", {}).get("reference_scenario", "japan-2026") == name
        out[name] = trigger_calibration(str(raw["focal"]), int(raw["base_year"]) - 1, data_dir, reference=reference)
    return out
