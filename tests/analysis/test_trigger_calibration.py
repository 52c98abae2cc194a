"""The trigger parameters are recomputed here from the shipped list and the validation frame."""

from __future__ import annotations

import csv
import math

import pytest

from hedgelab.analysis.trigger_calibration import CONTINUITY, WINDOW_YEARS, trigger_calibration
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
    low, high = rate.range
    assert low < rate.value < high


def test_a_focal_state_the_list_does_not_cover_is_refused():
    with pytest.raises(HedgelabError, match="triggers.csv: country"):
        trigger_calibration("BRA", 2020)


@pytest.mark.slow
def test_trigger_effect_is_the_response_weighted_rate_ratio(data_dir):
    from hedgelab.analysis.coercion_validation import validation_frame

    items = {c.path[-1]: c for c in trigger_calibration("JPN", 2025, data_dir, reference=True)}
    frame = validation_frame(years=range(2005, 2021), window=WINDOW_YEARS, data_dir=data_dir)
    with_trigger = frame[frame["trigger"]]
    without = frame[~frame["trigger"]]
    k1, k0 = with_trigger["coerced"].sum(), without["coerced"].sum()
    ratio = ((k1 + CONTINUITY) / with_trigger["response"].sum()) / ((k0 + CONTINUITY) / without["response"].sum())
    assert items["trigger_effect"].exact == pytest.approx(ratio)
    se = math.sqrt(1 / (k1 + CONTINUITY) + 1 / (k0 + CONTINUITY))
    assert items["trigger_effect"].range[1] == pytest.approx(ratio * math.exp(se), abs=0.01)
    assert items["trigger_window"].value == WINDOW_YEARS
