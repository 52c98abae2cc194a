"""Estimate the political-trigger parameters of the coercion hazard from the trigger list.

The simulated coercion hazard (:func:`hedgelab.model.step.trigger_multiplier`) rises by
``events.trigger_effect`` for ``events.trigger_window`` years after each of the focal state's
political trigger events, which arrive at ``events.trigger_rate`` per year. All three come from
the curated trigger list (``data/catalogue/triggers.csv``) and the coercion validation frame
(:func:`hedgelab.analysis.coercion_validation.validation_frame`):

* ``trigger_rate``: the focal state's listed events per year, first listed year to ``end_year``,
  with the exact (Garwood) 95% Poisson interval as range;
* ``trigger_window``: the length of the validation's window (a trigger flags its calendar year and
  the next, so a provocation counts for one to two years after it);
* ``trigger_effect``: the rate ratio θ of coercion in country-years with a trigger in the window
  against those without, with the model's coercion response as exposure (``E1``, ``E0``), over
  the eight comparators. Every coerced country-year of 2005-2020 has a trigger (``k0 = 0``), so
  the maximum-likelihood ratio is infinite and a continuity-corrected one is set by the correction
  (0.25: 35, 0.5: 18, 1: 10). The estimate is instead exact and conditional: given ``n = k1 + k0``
  episodes, ``k1 ~ Binomial(n, π)`` with ``π = θE1 / (θE1 + E0)``; θ is the median-unbiased
  estimate of π mapped back, and the range runs from the exact (Clopper-Pearson) 95% lower
  bound to the upper bound, capped at :data:`EFFECT_CAP` where the data give none.

The list is not fully independent of the outcome: its curator knew which years were coerced
(data/catalogue/TRIGGERS.md), so the estimate is likely biased upward; the independent ICEWS flag
(2005-2014, three coerced years) gives smaller ratios (``hedgelab validate coercion``). The range
keeps values near those.

Public API: :func:`trigger_calibration`.
"""

from __future__ import annotations

import math
from os import PathLike

import numpy as np

from scipy.stats import beta

from hedgelab.analysis.coercion_validation import validation_frame
from hedgelab.data.calibration import Calibrated
from hedgelab.data.codes import country_name
from hedgelab.data.episodes import poisson_interval
from hedgelab.data.triggers import load_triggers
from hedgelab.errors import HedgelabError, error_line

__all__ = ["builtin_trigger_calibration", "exact_rate_ratio", "trigger_calibration"]

WINDOW_YEARS = 2
"""Years a trigger counts in the validation (its own year and the next: a provocation late in one
year can be answered early in the next). The model's ``trigger_window`` takes the same length."""

WINDOW_RANGE = (1.0, 3.0)
"""Plausible range of the window, years (judgement: from an answer within the year of the
provocation to one two years on)."""

CONFIDENCE = 0.95
"""Level of the exact interval that gives ``trigger_effect``'s range."""

EFFECT_CAP = 40.0
"""Upper end of ``trigger_effect``'s range where the data give no upper bound (judgement: at 40,
coercion outside a trigger window would come at about 1/20 of the mean rate at japan-2026's
trigger rate, once in some 100 years; a stronger effect would make the untriggered episodes the
catalogue records, such as the 2023 seafood ban, all but impossible)."""


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
    effect, (lo, hi), (k1, k0) = exact_rate_ratio(response, flag, coerced)
    items.append(Calibrated(
        ("events", "trigger_effect"), round(effect, 2),
        f"rate ratio of Chinese economic coercion in country-years with a listed trigger in the {WINDOW_YEARS}-year "
        f"window against those without, exposure = the model's coercion response, {len(frame)} country-years of "
        f"{frame['country'].nunique()} comparators {first}-{last}, coerced {k1} with / {k0} without a trigger; "
        f"median-unbiased conditional estimate (a continuity-corrected ratio would be set by the correction); "
        f"range = exact {CONFIDENCE:.0%} interval [{lo:.2f}, {'inf' if math.isinf(hi) else f'{hi:.1f}'}] capped at "
        f"{EFFECT_CAP:g} (judgement). The list's curator knew the outcomes (TRIGGERS.md), so this likely overstates "
        "the effect; the independent ICEWS flag (2005-2014) gives 1.7-11 (hedgelab validate coercion)",
        str(last), (math.floor(lo * 100) / 100, min(hi, EFFECT_CAP)), exact=effect,
    ))
    items.append(Calibrated(
        ("events", "trigger_window"), float(WINDOW_YEARS),
        "the length of the coercion validation's window (a trigger flags its calendar year and the next, so it "
        "counts for one to two years after it); range: judgement, from a trigger answered within a year to one "
        "answered three years on",
        str(last), WINDOW_RANGE, exact=float(WINDOW_YEARS),
    ))
    return items


def builtin_trigger_calibration(names: list[str], data_dir: str | PathLike[str] | None = None) -> dict[str, list[Calibrated]]:
    """:func:`trigger_calibration` for built-in scenarios ``names``, from data before each base year
    (the reference scenario also gets the effect and the window)."""
    from hedgelab.scenarios.calibrate import is_reference
    from hedgelab.scenarios.loader import load_raw

    out = {}
    for name in names:
        raw, _ = load_raw(name)
        out[name] = trigger_calibration(str(raw["focal"]), int(raw["base_year"]) - 1, data_dir,
                                        reference=is_reference(raw, name))
    return out


def exact_rate_ratio(exposure: np.ndarray, flag: np.ndarray, events: np.ndarray,
                     confidence: float = CONFIDENCE) -> tuple[float, tuple[float, float], tuple[int, int]]:
    """Rate ratio of events in flagged against unflagged rows, conditional on the total count.

    With ``E1``/``E0`` the exposures and ``k1``/``k0`` the events of flagged/unflagged rows,
    ``k1 ~ Binomial(k1 + k0, π)`` and ``θ = π/(1 − π) · E0/E1``. Returns the median-unbiased
    estimate (π solving ``P(K ≥ k1) = 1/2`` and ``P(K ≤ k1) = 1/2``, averaged; the one that exists
    at ``k1 = n`` or ``k1 = 0``), the exact (Clopper-Pearson) interval, and ``(k1, k0)``.
    """
    flag = np.asarray(flag, dtype=bool)
    events = np.asarray(events, dtype=bool)
    exposure = np.asarray(exposure, dtype=float)
    e1, e0 = exposure[flag].sum(), exposure[~flag].sum()
    k1, k0 = int(events[flag].sum()), int(events[~flag].sum())
    n = k1 + k0
    if e1 <= 0 or e0 <= 0 or n == 0:
        raise HedgelabError(error_line("exact_rate_ratio", "rows", "flagged and unflagged rows with exposure, and events"))
    lower_half = beta.ppf(0.5, k1, n - k1 + 1) if k1 > 0 else None  # P(K >= k1; π) = 1/2
    upper_half = beta.ppf(0.5, k1 + 1, n - k1) if k1 < n else None  # P(K <= k1; π) = 1/2
    halves = [h for h in (lower_half, upper_half) if h is not None]
    pi = sum(halves) / len(halves)
    alpha = 1.0 - confidence
    pi_lo = beta.ppf(alpha / 2, k1, n - k1 + 1) if k1 > 0 else 0.0
    pi_hi = beta.ppf(1 - alpha / 2, k1 + 1, n - k1) if k1 < n else 1.0

    def ratio(q: float) -> float:
        return math.inf if q >= 1.0 else q / (1.0 - q) * e0 / e1

    return ratio(pi), (ratio(pi_lo), ratio(pi_hi)), (k1, k0)
