"""Does the coercion hazard rank the documented cases sensibly?

For every (country, year) the focal state's initial state is calibrated from the data
(:func:`hedgelab.scenarios.calibrate.initial_state`) and the model's coercion *response* at that state is
computed: the coercion game's intensity relative to the reference scenario's, i.e. the factor
by which the base rate is multiplied. The episode catalogue says which of those country-years
drew Chinese economic coercion. A sensible hazard scores the coerced cases above the others of
the same year; :func:`ranking_auc` measures how often it does.
"""

from __future__ import annotations

from collections.abc import Iterable
from os import PathLike

import numpy as np
import pandas as pd

from hedgelab.analysis.prepare import reference_for
from hedgelab.scenarios.calibrate import initial_state
from hedgelab.data.episodes import load_episodes
from hedgelab.model import reference_intensity
from hedgelab.scenarios.compile import compile_params
from hedgelab.scenarios.loader import validate

COMPARATORS: tuple[str, ...] = ("JPN", "AUS", "KOR", "GBR", "DEU", "PHL", "IND", "CAN")
"""Focal states with the data needed to calibrate an initial state."""


def coercion_ranking(
    countries: Iterable[str] = COMPARATORS,
    years: Iterable[int] = (2010, 2012, 2016, 2017, 2019, 2020),
    data_dir: str | PathLike[str] | None = None,
    actor: str = "CHN",
) -> pd.DataFrame:
    """Coercion response per country-year, with whether the catalogue records coercion then.

    Returns
    -------
    DataFrame with columns ``year``, ``country``, ``response`` (hazard multiplier relative to
    the base rate, dimensionless), ``share`` (China's share of the country's goods trade, IMF
    DOTS, the calibrated ``partners.CHN.exposure`` unrounded) and ``coerced`` (bool: an
    economic-coercion episode by ``actor`` against ``country`` began that year).
    """
    episodes = {
        (e.target, e.date.year)
        for e in load_episodes().episodes
        if e.actor == actor and e.kind == "economic_coercion"
    }
    rows = []
    for year in years:
        for country in countries:
            # the response at the base-year state does not depend on the dynamics: skip estimating them
            raw, calibrated = initial_state(country, year, data_dir, dynamics=False)
            share = next((c.exact for c in calibrated if c.path == ("partners", actor, "exposure")), float("nan"))
            scenario = validate(raw, f"{country}-{year}")
            response = reference_intensity(compile_params(scenario))["coercion"] / reference_for(scenario)["coercion"]
            rows.append({"year": year, "country": country, "response": response,
                         "share": share, "coerced": (country, year) in episodes})
    return pd.DataFrame(rows)


def within_year_auc(year: np.ndarray, score: np.ndarray, coerced: np.ndarray) -> tuple[float, float]:
    """Area under the ROC curve within years: the share of (coerced, not coerced) pairs of the
    same year in which the coerced case scores higher, ties counting one half.

    Returns ``(auc, pairs)``; ``auc`` is NaN when no year has both kinds of case.
    """
    year = np.asarray(year)
    score = np.asarray(score, dtype=float)
    coerced = np.asarray(coerced, dtype=bool)
    wins = pairs = 0.0
    for y in np.unique(year[coerced]):
        same = year == y
        hit = score[same & coerced]
        miss = score[same & ~coerced]
        if len(miss) == 0:
            continue
        wins += (hit[:, None] > miss[None, :]).sum() + 0.5 * (hit[:, None] == miss[None, :]).sum()
        pairs += len(hit) * len(miss)
    return (wins / pairs if pairs else float("nan")), pairs


def ranking_auc(ranking: pd.DataFrame) -> float:
    """:func:`within_year_auc` of a :func:`coercion_ranking` table's ``response``."""
    auc, pairs = within_year_auc(ranking["year"], ranking["response"], ranking["coerced"])
    if not pairs:
        raise ValueError("no year has both coerced and non-coerced cases")
    return auc
