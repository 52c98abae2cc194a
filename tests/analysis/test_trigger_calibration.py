"""The trigger parameters are recomputed here from the shipped list and the validation frame."""

from __future__ import annotations

import csv
import math

import pytest

import numpy as np

from hedgelab.analysis.trigger_calibration import EFFECT_CAP, WINDOW_YEARS, exact_rate_ratio, trigger_calibration
from hedgelab.data.triggers import TRIGGERS_PATH
from hedgelab.errors import HedgelabError


def _rows():
    with open(TRIGGERS_PATH, newline="", encoding="utf-8") as f:
        return [r for r in csv.DictReader(f)]


@pytest.mark.parametrize("focal, end_year", [("JPN", 2025), ("JPN", 2016), ("AUS", 2019)])
def test_trigger_rate_is_the_listed_count_per_year(focal, end_year):
    rows = _rows()
    first = min(int(r["year"]) for r in rows)
    last = min(end_year, max(int(r["year"]) for r in rows))
    count = sum(1 for r in rows if r["country"] == focal and int(r["year"]) <= last)
    (rate,) = trigger_calibration(focal, end_year)
    assert rate.path == ("events", "trigger_rate")
    assert rate.exact == pytest.approx(count / (last - first + 1))
    from scipy.stats import chi2

    years = last - first + 1
    low, high = rate.range  # exact Garwood interval for the count, per year, rounded outward
    assert low == pytest.approx(math.floor(chi2.ppf(0.025, 2 * count) / 2 / years * 1000) / 1000)
    assert high == pytest.approx(math.ceil(chi2.ppf(0.975, 2 * count + 2) / 2 / years * 1000) / 1000)


def test_a_focal_state_the_list_does_not_cover_is_refused():
    with pytest.raises(HedgelabError, match="triggers.csv: country"):
        trigger_calibration("BRA", 2020)


def test_exact_rate_ratio_against_scipy_binomtest():
    """The interval is scipy's exact binomial interval for π mapped to θ; the estimate solves
    the two median equations (checked with binomial tail probabilities)."""
    from scipy.stats import binom, binomtest

    rng = np.random.default_rng(4)
    exposure = rng.uniform(0.2, 2.0, 60)
    flag = rng.random(60) < 0.4
    events = rng.random(60) < np.where(flag, 0.5, 0.15)
    effect, (lo, hi), (k1, k0) = exact_rate_ratio(exposure, flag, events)
    n, e1, e0 = k1 + k0, exposure[flag].sum(), exposure[~flag].sum()
    assert 0 < k1 < n
    to_theta = lambda q: q / (1 - q) * e0 / e1  # noqa: E731
    ci = binomtest(k1, n).proportion_ci(confidence_level=0.95, method="exact")
    assert lo == pytest.approx(to_theta(ci.low)) and hi == pytest.approx(to_theta(ci.high))
    from scipy.optimize import brentq

    pi = effect * e1 / (effect * e1 + e0)
    # the average of the two half-points, found here by root-finding on the binomial tails
    upper_tail_half = brentq(lambda q: binom.sf(k1 - 1, n, q) - 0.5, 1e-9, 1 - 1e-9)
    lower_tail_half = brentq(lambda q: binom.cdf(k1, n, q) - 0.5, 1e-9, 1 - 1e-9)
    assert pi == pytest.approx((upper_tail_half + lower_tail_half) / 2, rel=1e-6)


@pytest.mark.slow
def test_trigger_effect_is_the_exact_conditional_estimate(data_dir):
    """Every coerced country-year has a trigger (k0 = 0): the median-unbiased π is 0.5^(1/n), the
    exact lower bound 0.025^(1/n) (binomial tails at k = n), mapped to θ with the exposures
    summed here; the upper end is the judgement cap."""
    from hedgelab.analysis.coercion_validation import validation_frame

    items = {c.path[-1]: c for c in trigger_calibration("JPN", 2025, data_dir, reference=True)}
    frame = validation_frame(years=range(2005, 2021), window=WINDOW_YEARS, data_dir=data_dir)
    flagged = frame["trigger"].astype(bool)
    coerced = frame["coerced"].astype(bool)
    assert not (coerced & ~flagged).any()  # the case the formulas below are for
    n = int(coerced.sum())
    e1, e0 = frame.loc[flagged, "response"].sum(), frame.loc[~flagged, "response"].sum()
    theta = lambda q: q / (1 - q) * e0 / e1  # noqa: E731
    effect = items["trigger_effect"]
    assert effect.exact == pytest.approx(theta(0.5 ** (1 / n)))
    assert effect.range[0] == pytest.approx(math.floor(theta(0.025 ** (1 / n)) * 100) / 100)
    assert effect.range[1] == EFFECT_CAP
    assert items["trigger_window"].value == WINDOW_YEARS
