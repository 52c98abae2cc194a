"""Values on shared/data against the sanity figures quoted in its README."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hedgelab.data.indicators import compute
from hedgelab.data.indicators.arms import supplier_shares
from hedgelab.data.loaders.atop import load_atop
from hedgelab.data.loaders.cow_nmc import load_nmc
from hedgelab.data.loaders.imf_dots import extra_eu, load_dots
from hedgelab.data.loaders.sipri_arms import load_sipri_arms
from hedgelab.data.loaders.sipri_milex import load_sipri_milex, load_sipri_owid

# README "Japan's goods trade shares, IMF DOTS": year -> (imports CHN, imports USA, exports CHN, exports USA)
DOTS_TABLE = {
    1990: (5.1, 22.5, 2.1, 31.7),
    2000: (14.5, 19.1, 6.3, 30.1),
    2010: (22.1, 9.9, 19.4, 15.7),
    2014: (22.3, 9.0, 18.3, 18.9),
    2018: (23.2, 11.2, 19.5, 19.1),
    2019: (23.5, 11.3, 19.1, 19.9),
    2020: (26.0, 11.4, 22.0, 18.5),
}


@pytest.fixture
def japan(data_dir: Path) -> pd.DataFrame:
    return compute("JPN", ["trade_share_imports", "trade_share_exports"], partners=["CHN", "USA", "HKG"],
                   data_dir=data_dir)


def _v(df: pd.DataFrame, ind: str, partner: str, year: int) -> float:
    s = df[(df.indicator == ind) & (df.partner == partner) & (df.year == year)]
    assert len(s) == 1
    return float(s.value.iloc[0])


@pytest.mark.parametrize("year", sorted(DOTS_TABLE))
def test_japan_dots_shares(japan: pd.DataFrame, year: int) -> None:
    m_cn, m_us, x_cn, x_us = DOTS_TABLE[year]
    assert 100 * _v(japan, "trade_share_imports", "CHN", year) == pytest.approx(m_cn, abs=0.05)
    assert 100 * _v(japan, "trade_share_imports", "USA", year) == pytest.approx(m_us, abs=0.05)
    assert 100 * _v(japan, "trade_share_exports", "CHN", year) == pytest.approx(x_cn, abs=0.05)
    assert 100 * _v(japan, "trade_share_exports", "USA", year) == pytest.approx(x_us, abs=0.05)
    assert japan[japan.year == year].source.eq("imf_dots").all()


def test_japan_exports_china_plus_hong_kong(japan: pd.DataFrame) -> None:
    both = _v(japan, "trade_share_exports", "CHN", 2019) + _v(japan, "trade_share_exports", "HKG", 2019)
    assert 100 * both == pytest.approx(23.9, abs=0.05)


def test_japan_2019_totals(data_dir: Path) -> None:
    d = load_dots(data_dir)
    w = d[(d.reporter == "JPN") & (d.partner == "WLD") & (d.year == 2019)].set_index("flow").value
    assert w["imports"] / 1000 == pytest.approx(720.8, abs=0.05)
    assert w["exports"] / 1000 == pytest.approx(705.6, abs=0.05)


def test_eu_intra_trade(data_dir: Path) -> None:
    d = load_dots(data_dir)
    eu = d[(d.reporter == "EUU") & (d.flow == "exports") & (d.year == 2019)].set_index("partner").value
    assert eu["WLD"] / 1e6 == pytest.approx(5.83, abs=0.005)
    assert eu["EUU"] / 1e6 == pytest.approx(3.43, abs=0.005)
    extra = extra_eu(d)
    x = extra[(extra.flow == "exports") & (extra.year == 2019)].value.iloc[0]
    assert x == pytest.approx(eu["WLD"] - eu["EUU"])


def test_taiwan_only_a_partner(data_dir: Path) -> None:
    d = load_dots(data_dir)
    assert "TWN" not in set(d.reporter)
    assert (d.partner == "TWN").any()


def test_cow_import_shares(data_dir: Path) -> None:
    # COW Trade v4.0 as its own source (Japan's imports from partner / national imports)
    from hedgelab.data.loaders.cow_trade import load_cow_dyadic, load_cow_national

    dy, nat = load_cow_dyadic(data_dir), load_cow_national(data_dir)
    tot = nat[nat.country == "JPN"].set_index("year").imports
    for year, partner, pct in [(2000, "CHN", 15.0), (2000, "USA", 19.1), (2014, "CHN", 22.5), (2014, "USA", 9.0)]:
        flow = dy[(dy.importer == "JPN") & (dy.exporter == partner) & (dy.year == year)].imports.iloc[0]
        assert 100 * flow / tot[year] == pytest.approx(pct, abs=0.05)
    # mirror export share to China 2014 is far above DOTS (re-exports via Hong Kong)
    mirror = dy[(dy.importer == "CHN") & (dy.exporter == "JPN") & (dy.year == 2014)].imports.iloc[0]
    exports = nat[(nat.country == "JPN") & (nat.year == 2014)].exports.iloc[0]
    assert 100 * mirror / exports == pytest.approx(29.1, abs=0.1)


def test_sipri_milex(data_dir: Path) -> None:
    s = load_sipri_milex("share_of_gdp", data_dir).set_index(["country", "year"]).value
    assert s[("JPN", 2019)] == pytest.approx(0.99, abs=0.005)
    assert s[("JPN", 2023)] == pytest.approx(1.20, abs=0.005)
    c = load_sipri_milex("constant_2022_usd_m", data_dir).set_index(["country", "year"]).value
    assert c[("JPN", 2019)] / 1000 == pytest.approx(43.1, abs=0.05)
    assert c[("JPN", 2023)] / 1000 == pytest.approx(51.9, abs=0.05)
    cur = load_sipri_milex("current_usd_m", data_dir).set_index(["country", "year"]).value
    assert cur[("JPN", 2022)] == pytest.approx(46880, abs=1)


def test_owid_2024(data_dir: Path) -> None:
    o = load_sipri_owid(data_dir).set_index(["country", "year"]).value
    expected = {"JPN": 1.37, "USA": 3.42, "CHN": 1.71, "KOR": 2.56, "TWN": 2.10, "GBR": 2.28, "DEU": 1.89,
                "AUS": 1.88, "IND": 2.27, "PHL": 1.32}
    for c, v in expected.items():
        assert o[(c, 2024)] == pytest.approx(v, abs=0.005), c
    assert o[("JPN", 2023)] == pytest.approx(1.14, abs=0.005)


def test_milex_gdp_indicator(data_dir: Path) -> None:
    df = compute("JPN", ["milex_gdp"], data_dir=data_dir).set_index("year")
    assert df.loc[2023, "value"] == pytest.approx(1.196, abs=0.001) and df.loc[2023, "source"] == "sipri_milex"
    assert df.loc[2024, "value"] == pytest.approx(1.37, abs=0.005) and df.loc[2024, "source"] == "sipri_milex_owid"
    free = compute("JPN", ["milex_gdp"], data_dir=data_dir, redistributable_only=True).set_index("year")
    assert set(free.source) == {"cow_nmc+worldbank_wdi"}
    assert 0.8 < free.loc[2019, "value"] < 1.1  # COW milex over WB GDP, close to SIPRI's 0.99


def test_nmc_milex_japan_2022(data_dir: Path) -> None:
    n = load_nmc(data_dir).set_index(["country", "year"])
    assert n.loc[("JPN", 2022), "milex"] == 46_954_000


def test_atop_us_japan(data_dir: Path) -> None:
    a = load_atop(data_dir).set_index(["country", "partner", "year"])
    assert a.loc[("USA", "JPN", 2018), "defense"] == 1
    assert a.loc[("JPN", "USA", 2018), "defense"] == 0
    assert a.loc[("JPN", "USA", 2018), "nonagg"] == 1 and a.loc[("JPN", "USA", 2018), "consul"] == 1
    for p in ("KOR", "AUS", "PHL"):
        assert a.loc[("USA", p, 2018), "defense"] == 1, p
    df = compute("JPN", ["alliance_defense"], partners=["USA", "CHN"], data_dir=data_dir)
    us = df[df.partner == "USA"].set_index("year").value
    assert us[2018] == 1 and us[1960] == 1 and us[1953] == 1
    cn = df[df.partner == "CHN"].set_index("year").value
    assert list(cn[cn > 0].index) == [1918]  # the 1918 Sino-Japanese military agreement
    assert (cn.loc[1945:] == 0).all()


def test_arms_shares_2015_2024(data_dir: Path) -> None:
    arms = load_sipri_arms(data_dir)
    jp = supplier_shares(arms, "JPN", 2015, 2024)
    assert 100 * jp["USA"] == pytest.approx(96.3, abs=0.05)
    assert 100 * jp["GBR"] == pytest.approx(2.2, abs=0.05)
    assert (jp.drop(["USA", "GBR"]) < 0.01).all()
    ph = supplier_shares(arms, "PHL", 2015, 2024)
    for c, v in {"KOR": 32.5, "ISR": 20.8, "USA": 19.3, "IDN": 8.1}.items():
        assert 100 * ph[c] == pytest.approx(v, abs=0.05), c


def test_arms_import_share_indicator_sums(data_dir: Path) -> None:
    arms = load_sipri_arms(data_dir)
    suppliers = sorted(set(arms[arms.recipient == "JPN"].supplier) - {"QUN"})
    df = compute("JPN", ["arms_import_share"], partners=suppliers, data_dir=data_dir)
    total = df.groupby("year").value.sum()
    assert (total <= 1 + 1e-9).all() and (total > 0.9).all()
    assert df[(df.partner == "USA") & (df.year == 2023)].value.iloc[0] > 0.9


def test_taiwan_focal_falls_back_to_cow(data_dir: Path) -> None:
    df = compute("TWN", ["trade_share_exports", "trade_share_imports"], partners=["JPN", "USA", "CHN"],
                 data_dir=data_dir)
    assert set(df.source) == {"cow_trade"}
    assert df[df.indicator == "trade_share_exports"].year.max() == 2014
    assert df[df.indicator == "trade_share_imports"].year.max() < 1960  # COW has no later import total


def test_eu_as_trade_partner(data_dir: Path) -> None:
    df = compute("JPN", ["trade_share_exports", "alliance_defense"], partners=["EUU"], years=(2019, 2019),
                 data_dir=data_dir)
    assert set(df.indicator) == {"trade_share_exports"}  # ATOP has no EU unit
    assert df.value.iloc[0] == pytest.approx(0.0968, abs=0.0005)
    hhi = compute("JPN", ["trade_hhi"], years=(2019, 2019), data_dir=data_dir).value.iloc[0]
    assert hhi == pytest.approx(0.0851, abs=0.0001)  # the EU aggregate is not a partner country
