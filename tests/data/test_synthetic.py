"""Loaders and indicators on tiny synthetic files, against values computed by hand."""

from __future__ import annotations

from pathlib import Path

import pytest

from hedgelab.data.indicators import compute
from hedgelab.data.loaders.atop import load_atop
from hedgelab.data.loaders.cow_nmc import load_nmc
from hedgelab.data.loaders.cow_trade import load_cow_dyadic, load_cow_national
from hedgelab.data.loaders.imf_dots import load_dots
from hedgelab.data.loaders.sipri_milex import load_sipri_milex

from .synth import make_tiny


@pytest.fixture
def tiny(tmp_path: Path, fresh_cache: Path) -> Path:
    return make_tiny(tmp_path / "data")


def _one(df, indicator, partner, year):
    sel = df[(df["indicator"] == indicator) & (df["year"] == year)]
    sel = sel[sel["partner"].isna()] if partner is None else sel[sel["partner"] == partner]
    assert len(sel) == 1, (indicator, partner, year, sel)
    return float(sel["value"].iloc[0]), str(sel["source"].iloc[0])


def test_dots_loader_flags_and_aggregates(tiny: Path) -> None:
    d = load_dots(tiny)
    china_m = d[(d.partner == "CHN") & (d.flow == "imports") & (d.year == 2019)].iloc[0]
    assert china_m.value == 50.0 and bool(china_m.estimate)
    assert d[(d.partner == "WLD") & (d.flow == "imports") & (d.year == 2018)].value.iloc[0] == 1000.0  # "1,000.0"
    assert not d[d.partner == "QAD"].partner_is_country.any()
    assert not d[d.partner == "QNS"].partner_is_country.any()
    assert d[d.partner == "KOR"].partner_is_country.all()
    assert len(d[(d.partner == "KOR") & (d.flow == "imports")]) == 1  # the empty 2018 cell is dropped


def test_trade_shares_by_hand(tiny: Path) -> None:
    df = compute("JPN", ["trade_share_exports", "trade_share_imports", "trade_share_total"],
                 partners=["USA", "CHN", "KOR"], data_dir=tiny)
    assert _one(df, "trade_share_exports", "USA", 2019) == (pytest.approx(0.20), "imf_dots")
    assert _one(df, "trade_share_exports", "CHN", 2019)[0] == pytest.approx(0.30)
    assert _one(df, "trade_share_imports", "CHN", 2019)[0] == pytest.approx(0.25)
    assert _one(df, "trade_share_imports", "USA", 2018)[0] == pytest.approx(0.40)
    assert _one(df, "trade_share_total", "USA", 2019)[0] == pytest.approx(60 / 300)
    assert _one(df, "trade_share_total", "KOR", 2019)[0] == pytest.approx(20 / 300)
    # years before DOTS fall back to COW: imports of Japan from the US 1950 = flow2 of (2,740) = 10
    assert _one(df, "trade_share_imports", "USA", 1950) == (pytest.approx(10 / 100), "cow_trade")
    # exports from the mirror flow: US imports from Japan = flow1 = 30, over Japan's exports 50
    assert _one(df, "trade_share_exports", "USA", 1950) == (pytest.approx(30 / 50), "cow_trade")


def test_hhi_excludes_aggregates(tiny: Path) -> None:
    df = compute("JPN", ["trade_hhi"], data_dir=tiny)
    # 2019 country totals: USA 60, CHN 80, KOR 20 (Advanced Economies and "not specified" excluded)
    t = [60, 80, 20]
    expected = sum((x / sum(t)) ** 2 for x in t)
    assert _one(df, "trade_hhi", None, 2019)[0] == pytest.approx(expected)
    t18 = [418, 127, 9]
    assert _one(df, "trade_hhi", None, 2018)[0] == pytest.approx(sum((x / sum(t18)) ** 2 for x in t18))


def test_dependence_asymmetry_by_hand(tiny: Path) -> None:
    df = compute("JPN", ["dependence_asymmetry"], partners=["USA", "CHN"], data_dir=tiny)
    # trade with China 2019 = 80 m = 8e7; GDP JPN 1e9, CHN 2e9 -> 8% - 4% = 4 points
    assert _one(df, "dependence_asymmetry", "CHN", 2019)[0] == pytest.approx(4.0)
    assert _one(df, "dependence_asymmetry", "USA", 2019)[0] == pytest.approx(100 * 6e7 * (1 / 1e9 - 1 / 4e9))


def test_cow_germany_code_change(tiny: Path) -> None:
    dy = load_cow_dyadic(tiny)
    row = dy[(dy.importer == "DEU") & (dy.exporter == "JPN") & (dy.year == 1990)]
    assert len(row) == 1 and row.imports.iloc[0] == 7.0  # 255 wins
    row = dy[(dy.importer == "JPN") & (dy.exporter == "DEU") & (dy.year == 1990)]
    assert len(row) == 1 and row.imports.iloc[0] == 3.0  # 255 missing, filled from 260
    nat = load_cow_national(tiny)
    assert len(nat[(nat.country == "DEU") & (nat.year == 1990)]) == 1
    nmc = load_nmc(tiny)
    de = nmc[(nmc.country == "DEU") & (nmc.year == 1990)]
    assert len(de) == 1 and de.milex.iloc[0] == 37200000 and de.pec.iloc[0] == 366237
    assert nmc[(nmc.country == "JPN") & (nmc.year == 1900)].milex_currency.iloc[0] == "GBP"


def test_alliance_either_direction(tiny: Path) -> None:
    atop = load_atop(tiny)
    assert atop[(atop.country == "USA") & (atop.partner == "JPN") & (atop.year == 2018)].defense.iloc[0] == 1
    assert atop[(atop.country == "JPN") & (atop.partner == "USA") & (atop.year == 2018)].defense.iloc[0] == 0
    us = compute("USA", ["alliance_defense"], partners=["JPN"], data_dir=tiny)
    jp = compute("JPN", ["alliance_defense"], partners=["USA", "CHN"], data_dir=tiny)
    assert _one(us, "alliance_defense", "JPN", 2018)[0] == 1.0
    assert _one(jp, "alliance_defense", "USA", 2018)[0] == 1.0
    assert _one(jp, "alliance_defense", "CHN", 2018)[0] == 0.0  # both states exist, no pledge
    # Japan enters the state system in 1952: no value before
    assert jp[jp.partner == "USA"].year.min() == 1952
    assert _one(jp, "alliance_defense", "USA", 1960)[0] == 0.0


def test_milex_sources(tiny: Path) -> None:
    s = load_sipri_milex("share_of_gdp", tiny)
    jp = s[(s.country == "JPN") & (s.year == 2019)].iloc[0]
    assert jp.value == pytest.approx(0.99) and jp.unit == "percent"
    assert s[(s.country == "CHN") & (s.year == 2018)].status.iloc[0] == "unavailable"
    assert s[(s.country == "SUN") & (s.year == 2018)].status.iloc[0] == "not_independent"
    full = compute("JPN", ["milex_gdp"], data_dir=tiny)
    assert _one(full, "milex_gdp", None, 2019) == (pytest.approx(0.99), "sipri_milex")
    assert _one(full, "milex_gdp", None, 2020) == (pytest.approx(1.3), "sipri_milex_owid")
    free = compute("JPN", ["milex_gdp"], data_dir=tiny, redistributable_only=True)
    # COW milex 10,000 thousand US$ = 1e7 over GDP 1e9 = 1%
    assert _one(free, "milex_gdp", None, 2019) == (pytest.approx(1.0), "cow_nmc+worldbank_wdi")


def test_arms_share_by_hand(tiny: Path) -> None:
    df = compute("JPN", ["arms_import_share"], partners=["USA", "GBR", "CHN"], data_dir=tiny)
    assert _one(df, "arms_import_share", "USA", 2019)[0] == pytest.approx(80 / 100)
    assert _one(df, "arms_import_share", "GBR", 2019)[0] == pytest.approx(10 / 100)  # unknown in the total
    assert _one(df, "arms_import_share", "CHN", 2019)[0] == 0.0
    assert _one(df, "arms_import_share", "USA", 2020)[0] == 1.0
    assert compute("JPN", ["arms_import_share"], data_dir=tiny, redistributable_only=True).empty


def test_cinc(tiny: Path) -> None:
    df = compute("JPN", ["cinc"], data_dir=tiny)
    assert _one(df, "cinc", None, 2019) == (pytest.approx(0.03), "cow_nmc")
