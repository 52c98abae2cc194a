"""Hypothesis: shares lie in [0, 1] and sum to at most 1 over partners; HHI lies in [1/N, 1]."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hedgelab.data import cache
from hedgelab.data.indicators import compute
from hedgelab.data.indicators.trade import hhi
from hedgelab.data.loaders.imf_dots import load_dots

from .synth import dots_csv, write

PARTNERS = {
    "USA": "United States", "CHN": "China, P.R.: Mainland", "KOR": "Korea, Rep. of", "AUS": "Australia",
    "DEU": "Germany", "TWN": "Taiwan Province of China", "HKG": "China, P.R.: Hong Kong", "VNM": "Vietnam",
}
money = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)


@given(st.lists(st.floats(min_value=0.0, max_value=1e9, allow_nan=False), min_size=1, max_size=60))
def test_hhi_bounds(values: list[float]) -> None:
    v = pd.Series(values)
    n = int((v > 0).sum())
    h = hhi(v)
    if n == 0:
        assert np.isnan(h)
    else:
        assert 1.0 / n - 1e-12 <= h <= 1.0 + 1e-12


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    exports=st.fixed_dictionaries({k: money for k in PARTNERS}),
    imports=st.fixed_dictionaries({k: money for k in PARTNERS}),
    unspecified=money,
    aggregate=money,
)
def test_synthetic_shares_and_hhi(exports: dict, imports: dict, unspecified: float, aggregate: float) -> None:
    rows = []
    for sheet, flows in (("Exports, FOB", exports), ("Imports, CIF", imports)):
        world = sum(flows.values()) + unspecified
        rows.append(("Japan", sheet, "World", repr(world), repr(world)))
        rows.append(("Japan", sheet, "Countries & Areas not specified", repr(unspecified), repr(unspecified)))
        rows.append(("Japan", sheet, "Advanced Economies", repr(aggregate), repr(aggregate)))  # never counted
        rows += [("Japan", sheet, PARTNERS[k], repr(v), repr(v)) for k, v in flows.items()]
    old = os.environ.get("HEDGELAB_CACHE")
    os.environ["HEDGELAB_CACHE"] = "off"
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = Path(tmp)
            write(root, "imf_dots/imf_dots_goods_trade_by_partner_1960_2020.csv", dots_csv(rows))
            cache.clear_memory()
            names = ["trade_share_exports", "trade_share_imports", "trade_share_total"]
            df = compute("JPN", names + ["trade_hhi"], partners=list(PARTNERS), data_dir=root)
    finally:
        os.environ["HEDGELAB_CACHE"] = old or ""
        cache.clear_memory()
    shares = df[df.indicator.isin(names)]
    assert ((shares.value >= 0) & (shares.value <= 1 + 1e-12)).all()
    sums = shares.groupby(["indicator", "year"]).value.sum()
    assert (sums <= 1 + 1e-9).all()
    h = df[df.indicator == "trade_hhi"].value
    n = sum(1 for k in PARTNERS if exports[k] + imports[k] > 0)
    if n:
        assert len(h) == 2 and ((h >= 1 / n - 1e-12) & (h <= 1 + 1e-12)).all()
    else:
        assert h.empty


@pytest.fixture
def real_dots(data_dir: Path) -> pd.DataFrame:
    return load_dots(data_dir)


@pytest.mark.slow
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(country=st.sampled_from(["JPN", "AUS", "KOR", "GBR", "DEU", "PHL", "IND", "USA", "CHN"]),
       year=st.integers(min_value=1960, max_value=2020))
def test_real_shares_sum_to_at_most_one(real_dots: pd.DataFrame, data_dir: Path, country: str, year: int) -> None:
    partners = sorted(set(real_dots[(real_dots.reporter == country) & real_dots.partner_is_country].partner) - {country})
    df = compute(country, ["trade_share_imports", "trade_share_exports", "trade_share_total", "trade_hhi"],
                 partners=partners, years=(year, year), data_dir=data_dir)
    shares = df[df.indicator != "trade_hhi"]
    assert ((shares.value >= 0) & (shares.value <= 1)).all()
    assert (shares.groupby("indicator").value.sum() <= 1 + 1e-9).all()
    h = df[df.indicator == "trade_hhi"].value
    if not h.empty:
        n = len(partners)
        assert 1 / n <= h.iloc[0] <= 1
