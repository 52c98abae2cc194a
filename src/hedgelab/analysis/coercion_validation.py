"""Does a coercion hazard with political triggers rank the coerced country-years better?

Issue 11, item 4. Four scores of each comparator country-year are compared:

* ``share``: China's share of the country's goods trade (IMF DOTS);
* ``response``: the model's coercion response (today's hazard multiplier,
  :func:`hedgelab.analysis.coercion_ranking.coercion_ranking`);
* ``share+triggers`` and ``response+triggers``: the same times a multiplicative trigger effect,
  ``score = x * RR ** trigger``, where ``trigger`` flags a political provocation toward China in
  the country-year's window (:func:`hedgelab.data.triggers.trigger_indicator`, a list coded
  whether or not coercion followed) and ``RR`` is a Poisson rate ratio fitted with ``x`` as
  exposure: ``RR = ((k1 + c) / E1) / ((k0 + c) / E0)``, ``k`` the coerced country-years with and
  without a trigger, ``E`` the sums of ``x`` over them, ``c`` a continuity correction (the
  maximum-likelihood ratio is infinite when every coerced year had a trigger). This form was
  fixed before looking at the scores; it is the model's own hazard form
  (``rate * I(state) / I(ref)``) with one extra factor.

Scoring: :func:`within_year_auc` (coerced vs not, within years; ties half) and the rank of
each coerced year within its country's own series. Schemes: in sample (fit on all), out of
sample in time (fit on years <= ``split_year``, score the later years) and leave one country out
(fit on the other countries, score the left-out one, pool). Each AUC has a bootstrap interval:
country-years are resampled with replacement within strata of (coerced, period), the whole
scheme (fit and score) is rerun on the resample, and the percentile interval is reported.

Public API: :func:`validation_frame`, :func:`within_year_auc`, :func:`fit_trigger_effect`,
:func:`score_scheme`, :func:`validate_coercion`, :class:`CoercionValidation`, :data:`MODELS`,
:data:`SCHEMES`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from os import PathLike

import numpy as np
import pandas as pd

from hedgelab.analysis.coercion_ranking import COMPARATORS, coercion_ranking, within_year_auc
from hedgelab.data.triggers import icews_conflict, load_triggers, trigger_indicator
from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "MODELS", "SCHEMES", "CoercionValidation", "fit_trigger_effect", "score_scheme",
    "validate_coercion", "validation_frame", "within_year_auc",
]

MODELS: dict[str, tuple[str, bool]] = {
    "share": ("share", False),
    "response": ("response", False),
    "share+triggers": ("share", True),
    "response+triggers": ("response", True),
}
"""Model name -> (base column, whether the trigger effect multiplies it)."""

SCHEMES: tuple[str, ...] = ("in sample", "out of sample: time", "out of sample: leave one country out")
"""Fitting/scoring schemes, in the order reported."""


def validation_frame(
    countries: Iterable[str] = COMPARATORS,
    years: Iterable[int] = range(2005, 2021),
    window: int = 2,
    icews_quantile: float = 0.75,
    data_dir: str | PathLike[str] | None = None,
    triggers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per country-year: share, model response, coerced, curated and ICEWS triggers.

    Parameters
    ----------
    countries, years
        Comparators and years (default: the eight comparators, 2005-2020).
    window : int, default 2
        Years of the trigger window ending with the year (see ``trigger_indicator``).
    icews_quantile : float, default 0.75
        A year's ICEWS conflict share is a trigger when above this quantile of the country's
        earlier years (see ``icews_conflict``).
    data_dir
        Shared data directory.
    triggers : DataFrame, optional
        A trigger list as from ``load_triggers`` (default: the shipped one).

    Returns
    -------
    DataFrame with ``country``, ``year``, ``share``, ``response``, ``coerced``, ``triggers``,
    ``trigger``, ``icews_conflict_share`` and ``icews_trigger`` (NaN/None where ICEWS has no
    data, i.e. after 2014).
    """
    countries = list(countries)
    years = [int(y) for y in years]
    ranking = coercion_ranking(countries=countries, years=years, data_dir=data_dir)
    listed = triggers if triggers is not None else load_triggers()
    flags = trigger_indicator(listed, countries, years, window)
    icews = icews_conflict(countries, years, icews_quantile, data_dir)
    icews = icews.rename(columns={"conflict_share": "icews_conflict_share", "trigger": "icews_trigger"})
    frame = (ranking.merge(flags, on=["country", "year"], how="left")
             .merge(icews[["country", "year", "icews_conflict_share", "icews_trigger"]],
                    on=["country", "year"], how="left"))
    return frame[["country", "year", "share", "response", "coerced", "triggers", "trigger",
                  "icews_conflict_share", "icews_trigger"]].sort_values(["country", "year"]).reset_index(drop=True)


def fit_trigger_effect(base: np.ndarray, trigger: np.ndarray, coerced: np.ndarray, continuity: float) -> float:
    """Poisson rate ratio of coercion with vs without a trigger, with ``base`` as exposure.

    ``((k1 + continuity) / E1) / ((k0 + continuity) / E0)``: ``k1``/``k0`` the coerced rows with
    and without a trigger, ``E1``/``E0`` the sums of ``base`` over the rows with and without.
    """
    base = np.asarray(base, dtype=float)
    trigger = np.asarray(trigger, dtype=bool)
    coerced = np.asarray(coerced, dtype=bool)
    e1, e0 = base[trigger].sum(), base[~trigger].sum()
    if e1 <= 0 or e0 <= 0:
        raise HedgelabError(error_line("fit_trigger_effect", "trigger",
                                       "fitting rows both with and without a trigger (and positive scores)"))
    k1, k0 = coerced[trigger].sum(), coerced[~trigger].sum()
    return float(((k1 + continuity) / e1) / ((k0 + continuity) / e0))


def score_scheme(
    frame: pd.DataFrame,
    model: str,
    scheme: str,
    split_year: int,
    continuity: float,
    trigger_column: str = "trigger",
) -> tuple[pd.DataFrame, list[float]]:
    """Scores of the scored rows of ``frame`` under a model and scheme.

    Returns ``(scored, effects)``: ``scored`` holds the rows scored (all rows; for the time
    scheme those with ``year > split_year``) with a ``score`` column and ``fitted_on``, the set
    of row labels the trigger effect of that row was fitted on (empty for models without
    triggers); ``effects`` the fitted rate ratios (one per fit).
    """
    if model not in MODELS:
        raise HedgelabError(error_line("score_scheme", "model", f"one of {', '.join(MODELS)}, got {model!r}"))
    if scheme not in SCHEMES:
        raise HedgelabError(error_line("score_scheme", "scheme", f"one of {', '.join(SCHEMES)}, got {scheme!r}"))
    base_col, with_triggers = MODELS[model]
    base = frame[base_col].to_numpy(float)
    flag = frame[trigger_column].astype(bool).to_numpy()
    coerced = frame["coerced"].astype(bool).to_numpy()
    if scheme == SCHEMES[1]:
        fit_sets = [(frame["year"].to_numpy() <= split_year, frame["year"].to_numpy() > split_year)]
    elif scheme == SCHEMES[2]:
        country = frame["country"].to_numpy()
        fit_sets = [(country != c, country == c) for c in pd.unique(country)]
    else:
        everything = np.ones(len(frame), dtype=bool)
        fit_sets = [(everything, everything)]
    score = np.full(len(frame), np.nan)
    fitted_on: list[frozenset] = [frozenset()] * len(frame)
    scored = np.zeros(len(frame), dtype=bool)
    effects = []
    for fit, target in fit_sets:
        factor = np.ones(len(frame))
        if with_triggers:
            effect = fit_trigger_effect(base[fit], flag[fit], coerced[fit], continuity)
            effects.append(effect)
            factor = np.where(flag, effect, 1.0)
            labels = frozenset(frame.index[fit])
            for i in np.flatnonzero(target):
                fitted_on[i] = labels
        score[target] = (base * factor)[target]
        scored |= target
    out = frame.assign(score=score, fitted_on=fitted_on)[scored]
    return out, effects


def _ranks(scored: pd.DataFrame) -> pd.Series:
    """Rank (1 = highest) of each coerced row's score within its country's own rows."""
    rank = scored.groupby("country")["score"].rank(ascending=False, method="average")
    return rank[scored["coerced"]]


@dataclass(frozen=True)
class CoercionValidation:
    """Tables of :func:`validate_coercion`.

    Attributes
    ----------
    auc : DataFrame
        One row per (triggers source, model, scheme): ``auc``, bootstrap ``lower``/``upper``,
        ``positives``, ``negatives``, ``pairs`` (within-year pairs), ``effect`` (the fitted
        trigger rate ratio; the median over folds for leave-one-country-out), ``n_boot``
        (valid replicates) and the ``years`` scored.
    ranks : DataFrame
        One row per coerced country-year: its rank within the country's own years under each
        model (in sample, and leave one country out for the fitted ones), and ``of`` years.
    agreement : DataFrame
        The curated triggers against the ICEWS flag over the years ICEWS covers: counts of
        country-years by (curated, ICEWS) and the Spearman correlation of the curated count
        with the ICEWS conflict share.
    frame : DataFrame
        The country-year data everything was computed from.
    settings : dict
        The arguments used (window, split year, continuity, bootstrap size, seed, ...).
    """

    auc: pd.DataFrame
    ranks: pd.DataFrame
    agreement: pd.DataFrame
    frame: pd.DataFrame
    settings: dict

    def tables(self) -> dict[str, pd.DataFrame]:
        """The labelled tables by name."""
        return {"auc": self.auc, "ranks": self.ranks, "agreement": self.agreement}


def _bootstrap(frame: pd.DataFrame, model: str, scheme: str, split_year: int, continuity: float,
               trigger_column: str, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    strata = frame.groupby([frame["coerced"].astype(bool), frame["year"] > split_year]).indices
    values = []
    for _ in range(n_boot):
        take = np.concatenate([rng.choice(idx, size=len(idx), replace=True) for idx in strata.values()])
        sample = frame.iloc[take].reset_index(drop=True)
        try:
            scored, _ = score_scheme(sample, model, scheme, split_year, continuity, trigger_column)
        except HedgelabError:
            continue
        auc, _ = within_year_auc(scored["year"].to_numpy(), scored["score"].to_numpy(), scored["coerced"].to_numpy())
        if np.isfinite(auc):
            values.append(auc)
    return np.asarray(values)


def _auc_rows(frame: pd.DataFrame, source: str, trigger_column: str, split_year: int, continuity: float,
              n_boot: int, confidence: float, seed: int) -> list[dict]:
    rows = []
    for m, model in enumerate(MODELS):
        for s, scheme in enumerate(SCHEMES):
            scored, effects = score_scheme(frame, model, scheme, split_year, continuity, trigger_column)
            auc, pairs = within_year_auc(scored["year"].to_numpy(), scored["score"].to_numpy(),
                                         scored["coerced"].to_numpy())
            rng = np.random.default_rng([seed, m, s])
            boot = _bootstrap(frame, model, scheme, split_year, continuity, trigger_column, n_boot, rng)
            alpha = (1.0 - confidence) / 2.0
            lo, hi = (np.quantile(boot, [alpha, 1.0 - alpha]) if len(boot) else (np.nan, np.nan))
            rows.append({
                "triggers": source if MODELS[model][1] else "none",
                "model": model, "scheme": scheme, "auc": auc, "lower": float(lo), "upper": float(hi),
                "positives": int(scored["coerced"].sum()), "negatives": int((~scored["coerced"].astype(bool)).sum()),
                "pairs": int(pairs), "effect": float(np.median(effects)) if effects else np.nan,
                "n_boot": len(boot), "years": f"{scored['year'].min()}-{scored['year'].max()}",
            })
    return rows


def validate_coercion(
    frame: pd.DataFrame,
    split_year: int = 2012,
    continuity: float = 0.5,
    n_boot: int = 1000,
    confidence: float = 0.95,
    seed: int = 20261203,
) -> CoercionValidation:
    """Validate the four scores on a :func:`validation_frame`.

    Parameters
    ----------
    frame : DataFrame
        From :func:`validation_frame` (or any table with its columns).
    split_year : int, default 2012
        Last year of the fitting period of the time scheme; later years are scored.
    continuity : float, default 0.5
        Added to both coerced counts of the rate ratio (Haldane-Anscombe), so that a trigger
        present in every coerced year gives a finite effect.
    n_boot : int, default 1000
        Bootstrap replicates per AUC.
    confidence : float, default 0.95
        Level of the percentile interval.
    seed : int, default 20261203
        Seed of the bootstrap (each AUC has its own stream, derived from it).

    Returns
    -------
    CoercionValidation
        The AUC table for the curated triggers and, over the years ICEWS covers, for the ICEWS
        flag; the within-country ranks; the agreement of the two trigger sources.
    """
    if n_boot < 1 or not 0.0 < confidence < 1.0 or continuity < 0:
        raise HedgelabError(error_line("validate_coercion", "n_boot/confidence/continuity",
                                       f"n_boot >= 1, confidence in (0, 1), continuity >= 0, got "
                                       f"{n_boot!r}, {confidence!r}, {continuity!r}"))
    frame = frame.reset_index(drop=True)
    rows = _auc_rows(frame, "curated list", "trigger", split_year, continuity, n_boot, confidence, seed)
    icews = frame[frame["icews_trigger"].notna()].reset_index(drop=True)
    icews = icews.assign(icews_trigger=icews["icews_trigger"].astype(bool))
    icews_split = int(icews["year"].min() + (icews["year"].max() - icews["year"].min()) // 2)
    for row in _auc_rows(icews, "ICEWS conflict", "icews_trigger", icews_split, continuity, n_boot, confidence, seed + 1):
        if row["triggers"] != "none":
            rows.append(row)
    auc = pd.DataFrame(rows)

    ranks = frame.loc[frame["coerced"].astype(bool), ["country", "year"]].copy()
    for model in MODELS:
        schemes = (SCHEMES[0], SCHEMES[2]) if MODELS[model][1] else (SCHEMES[0],)
        for scheme in schemes:
            scored, _ = score_scheme(frame, model, scheme, split_year, continuity, "trigger")
            label = model if scheme == SCHEMES[0] else f"{model} (leave one country out)"
            ranks[label] = _ranks(scored).reindex(ranks.index)
    ranks["of"] = ranks["country"].map(frame.groupby("country").size())
    ranks = ranks.reset_index(drop=True)

    covered = frame[frame["icews_trigger"].notna()]
    table = pd.crosstab(covered["trigger"].astype(bool).rename("curated trigger"),
                        covered["icews_trigger"].astype(bool).rename("ICEWS trigger"))
    agreement = table.stack().rename("country_years").reset_index()
    rho = covered["triggers"].corr(covered["icews_conflict_share"], method="spearman")
    agreement.attrs["spearman_count_vs_conflict_share"] = float(rho)
    agreement.attrs["years"] = f"{covered['year'].min()}-{covered['year'].max()}"
    settings = {"split_year": split_year, "continuity": continuity, "n_boot": n_boot,
                "confidence": confidence, "seed": seed, "icews_split_year": icews_split,
                "spearman_curated_count_vs_icews_conflict_share": float(rho)}
    return CoercionValidation(auc=auc, ranks=ranks, agreement=agreement, frame=frame, settings=settings)
