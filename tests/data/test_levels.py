"""Levels, growth, rankings and UNGA measures against values computed here from the raw files.

The reference values are computed with plain pandas on the raw CSV files (no hedgelab loader or
indicator code), so a wrong parse, join or formula in the code under test shows up as a mismatch.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from hedgelab.cli.main import app
from hedgelab.data import compute
from hedgelab.data.rankings import top_partners

DOTS = "imf_dots/imf_dots_goods_trade_by_partner_1960_2020.csv"
AGGREGATE_NAMES = (r"^(?:World|Advanced Economies|Euro Area|European Union|Emerging|Developing|Africa|Middle East|"
                   r"Western Hemisphere|Europe|Asia|Oceania|Sub-Saharan|Other Countries|Countries & Areas|"
                   r"Special Categories|Export earnings|Memorandum)|not specified|Economies")
"""DOTS partner rows that are not countries (the data README's list of aggregates), as a regex."""

runner = CliRunner()


@pytest.fixture(scope="module")
def raw_dots(data_dir: Path) -> pd.DataFrame:
    d = pd.read_csv(data_dir / DOTS, dtype=str, keep_default_na=False)
    return d


def _raw_value(raw: pd.DataFrame, reporter: str, sheet: str, partner: str, year: int) -> float:
    cell = raw[(raw["reporter"] == reporter) & (raw["sheet"] == sheet) & (raw["partner"] == partner)][str(year)]
    assert len(cell) == 1
    return float(cell.iloc[0].replace(",", "").removesuffix(" e").strip())


def _one(df: pd.DataFrame, indicator: str, partner: str | None, year: int) -> float:
    sel = df[(df["indicator"] == indicator) & (df["year"] == year)]
    sel = sel[sel["partner"].isna()] if partner is None else sel[sel["partner"] == partner]
    assert len(sel) == 1, sel
    return float(sel["value"].iloc[0])


def test_trade_values_and_balance(data_dir: Path, raw_dots: pd.DataFrame) -> None:
    names = ["trade_exports_usd", "trade_imports_usd", "trade_total_usd", "trade_balance_usd"]
    df = compute("JPN", names, ["USA", "CHN", "WLD"], (2019, 2019), data_dir)
    for code, name in (("USA", "United States"), ("CHN", "China, P.R.: Mainland"), ("WLD", "World")):
        x = _raw_value(raw_dots, "Japan", "Exports, FOB", name, 2019)
        m = _raw_value(raw_dots, "Japan", "Imports, CIF", name, 2019)
        assert _one(df, "trade_exports_usd", code, 2019) == pytest.approx(x, rel=1e-12)
        assert _one(df, "trade_imports_usd", code, 2019) == pytest.approx(m, rel=1e-12)
        assert _one(df, "trade_total_usd", code, 2019) == pytest.approx(x + m, rel=1e-12)
        assert _one(df, "trade_balance_usd", code, 2019) == pytest.approx(x - m, rel=1e-12)
    assert set(df["unit"]) == {"US$ m (current)"} and set(df["source"]) == {"imf_dots"}
    # README: Japan's 2019 totals, imports US$720.8 bn, exports US$705.6 bn
    assert round(_one(df, "trade_imports_usd", "WLD", 2019) / 1000, 1) == 720.8
    assert round(_one(df, "trade_exports_usd", "WLD", 2019) / 1000, 1) == 705.6


def _raw_partner_totals(raw: pd.DataFrame, reporter: str, year: int) -> pd.Series:
    """Exports + imports per partner country with a value in both sheets (the reporter itself excluded)."""
    d = raw[(raw["reporter"] == reporter) & (raw["partner"] != reporter)]
    d = d[~d["partner"].str.contains(AGGREGATE_NAMES, regex=True)]
    v = pd.to_numeric(d[str(year)].str.replace(",", "").str.removesuffix(" e").str.strip(), errors="coerce")
    wide = pd.DataFrame({"partner": d["partner"], "sheet": d["sheet"], "v": v}).dropna().pivot_table(
        index="partner", columns="sheet", values="v", aggfunc="sum")
    return (wide["Exports, FOB"] + wide["Imports, CIF"]).dropna()


def test_germany_top_five_partners_2016(data_dir: Path, raw_dots: pd.DataFrame) -> None:
    expected = _raw_partner_totals(raw_dots, "Germany", 2016).sort_values(ascending=False).head(5)
    got = top_partners("DEU", 2016, by="total", n=5, include_aggregates=False, data_dir=data_dir)
    assert list(got["partner_name"]) == list(expected.index)
    assert list(got["partner"]) == ["NLD", "FRA", "USA", "CHN", "GBR"]  # the Netherlands first: consignment
    assert got["total"].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-12)
    world = _raw_value(raw_dots, "Germany", "Exports, FOB", "World", 2016) + _raw_value(raw_dots, "Germany", "Imports, CIF", "World", 2016)
    assert got["share"].iloc[0] == pytest.approx(expected.iloc[0] / world, rel=1e-12)
    with_agg = top_partners("DEU", 2016, by="total", n=3, include_aggregates=True, data_dir=data_dir)
    assert list(with_agg["partner"]) == ["WLD", "QAD", "EUU"]


def test_partners_all_is_every_partner_of_the_source(data_dir: Path, raw_dots: pd.DataFrame) -> None:
    raw = _raw_partner_totals(raw_dots, "Germany", 2016)
    df = compute("DEU", ["trade_total_usd"], "all", (2016, 2016), data_dir)
    assert len(df) == len(raw)  # one row per partner country the source has, none dropped
    assert {"NLD", "FRA", "USA", "CHN"} <= set(df["partner"])
    assert df["value"].sum() == pytest.approx(raw.sum(), rel=1e-9)
    shares = compute("DEU", ["trade_share_total"], ["all"], (2016, 2016), data_dir)
    assert set(shares["partner"]) == set(df["partner"]) and shares["value"].sum() <= 1.0
    agg = compute("DEU", ["trade_total_usd"], "all", (2016, 2016), data_dir, include_aggregates=True)
    assert {"WLD", "EUU"} <= set(agg["partner"]) and len(agg) > len(df)


def test_partners_cli(data_dir: Path) -> None:
    res = runner.invoke(app, ["top-partners", "-c", "DEU", "-y", "2016", "-n", "5", "--data-dir", str(data_dir), "-f", "json"])
    assert res.exit_code == 0, res.stderr
    obj = json.loads(res.stdout)
    assert [p["partner"] for p in obj["partners"]] == ["NLD", "FRA", "USA", "CHN", "GBR"]
    assert "eu_consignment" in {n["key"] for n in obj["notes"]}
    bad = runner.invoke(app, ["top-partners", "-c", "DEU", "-y", "2030", "--data-dir", str(data_dir)])
    assert bad.exit_code == 2 and "--year" in bad.stderr and "1960-2020" in bad.stderr


def _sipri_row(data_dir: Path, sheet: str, country: str) -> pd.Series:
    raw = pd.read_csv(data_dir / "sipri_milex" / f"sipri_milex_{sheet}.csv", dtype=str, keep_default_na=False)
    row = raw[raw["Country"] == country].iloc[0]
    return pd.to_numeric(row[[c for c in raw.columns if c.isdigit()]], errors="coerce")


def test_milex_levels_and_real_growth(data_dir: Path) -> None:
    cur = _sipri_row(data_dir, "current_usd_m", "Japan")
    const = _sipri_row(data_dir, "constant_2022_usd_m", "Japan")
    df = compute("JPN", ["milex_current_usd", "milex_constant_usd", "milex_real_growth"], None, (2019, 2023), data_dir)
    for y in range(2019, 2024):
        assert _one(df, "milex_current_usd", None, y) == pytest.approx(cur[str(y)], rel=1e-12)
        assert _one(df, "milex_constant_usd", None, y) == pytest.approx(const[str(y)], rel=1e-12)
        g = 100 * (const[str(y)] / const[str(y - 1)] - 1)
        assert _one(df, "milex_real_growth", None, y) == pytest.approx(g, rel=1e-12)
    # README: constant 2022 US$, Japan 43.1 bn (2019), 51.9 bn (2023)
    assert round(_one(df, "milex_constant_usd", None, 2023) / 1000, 1) == 51.9


def test_arms_windows(data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / "sipri_arms_transfers" / "sipri_trade_register_deliveries_1995_2024_recipients_subset.csv")
    newest = int(raw["Delivery year"].max())
    assert newest == 2024

    def tiv(recipient: str, first: int, last: int, supplier: str | None = None) -> float:
        d = raw[(raw["Recipient"] == recipient) & raw["Delivery year"].between(first, last)]
        if supplier is not None:
            d = d[d["Supplier"] == supplier]
        return float(d["TIV delivery values"].sum())

    df = compute("JPN", ["arms_imports_tiv", "arms_imports_growth"], None, None, data_dir)
    assert sorted(df[df["indicator"] == "arms_imports_tiv"]["year"]) == [1999, 2004, 2009, 2014, 2019, 2024]
    assert _one(df, "arms_imports_tiv", None, 2024) == pytest.approx(tiv("Japan", 2020, 2024), rel=1e-12)
    assert _one(df, "arms_imports_growth", None, 2024) == pytest.approx(
        100 * (tiv("Japan", 2020, 2024) / tiv("Japan", 2015, 2019) - 1), rel=1e-12)
    sh = compute("PHL", ["arms_supplier_share_window"], ["KOR", "USA"], (2024, 2024), data_dir)
    for code, name in (("KOR", "South Korea"), ("USA", "United States")):
        assert _one(sh, "arms_supplier_share_window", code, 2024) == pytest.approx(
            tiv("Philippines", 2020, 2024, name) / tiv("Philippines", 2020, 2024), rel=1e-12)
    every = compute("PHL", ["arms_supplier_share_window"], "all", (2024, 2024), data_dir)
    ever = set(raw[raw["Recipient"] == "Philippines"]["Supplier"]) - {"unknown supplier(s)"}
    window = set(raw[(raw["Recipient"] == "Philippines") & raw["Delivery year"].between(2020, 2024)]["Supplier"])
    assert len(every) == len(ever)  # every supplier the source has for the Philippines, 0 where none in the window
    assert (every["value"] > 0).sum() == len(window - {"unknown supplier(s)"}) and every["value"].sum() <= 1.0 + 1e-12


def test_fdi_flow_and_growth(data_dir: Path) -> None:
    raw = pd.read_csv(data_dir / "unctad_fdi" / "unctad_bilateral_fdi_inflows_by_origin_raw.csv", dtype=str,
                      keep_default_na=False)
    chn = raw[raw["host_file"] == "CHN.csv"]
    label = chn[[f"c{i}" for i in range(1, 6)]].apply(lambda r: "".join(r).strip(), axis=1)
    row = chn[label == "Japan"].iloc[0]
    f = {2001 + k: float(row[f"c{7 + k}"].replace(" ", "")) for k in range(12)}
    df = compute("JPN", ["fdi_flow_usd", "fdi_flow_growth"], ["CHN"], None, data_dir)
    for y in (2011, 2012):
        assert _one(df, "fdi_flow_usd", "CHN", y) == f[y]
        assert _one(df, "fdi_flow_growth", "CHN", y) == pytest.approx(100 * (f[y] / f[y - 1] - 1), rel=1e-12)
    assert f[2012] == 7352.0


def test_growth_needs_a_positive_base() -> None:
    from hedgelab.data.indicators._frame import growth_percent

    g = growth_percent(pd.Series([10.0, -5.0, 5.0, 0.0, 3.0, 6.0], index=[2001, 2002, 2003, 2004, 2005, 2007]), 1)
    assert list(g.index) == [2002, 2004]  # none after -5 (2003), after 0 (2005) or across a gap (2007)
    assert g.loc[2002] == pytest.approx(-150.0) and g.loc[2004] == pytest.approx(-100.0)


@pytest.mark.slow
@pytest.mark.parametrize(("iso3", "ccode"), [("JPN", 740), ("CHN", 710), ("DEU", 255), ("AUS", 900), ("IND", 750),
                                             ("RUS", 365), ("GBR", 200), ("KOR", 732), ("PHL", 840)])
def test_unga_agreement_reproduces_voeten_usagree(data_dir: Path, iso3: str, ccode: int) -> None:
    pub = pd.read_csv(data_dir / "unga_ideal_points" / "IdealpointestimatesAll_Jun2024.csv")
    pub = pub[(pub["ccode"] == ccode) & pub["USAgree"].notna() & (pub["session"] <= 74)]
    pub = pub.set_index(pub["session"] + 1945)["USAgree"]
    ours = compute(iso3, ["unga_agreement"], ["USA"], None, data_dir).set_index("year")["value"]
    both = pub.index.intersection(ours.index)
    assert len(both) >= 0.95 * len(pub)  # the data allow a comparison in (almost) every session
    within = (100 * (ours.reindex(both) - pub.reindex(both))).abs() <= 1.0
    assert within.mean() >= 0.95, (100 * (ours.reindex(both) - pub.reindex(both)))[~within]


def test_unga_session_72_and_state_department(data_dir: Path) -> None:
    df = compute("JPN", ["unga_agreement", "unga_coincidence_state_dept"], ["USA"], (2017, 2017), data_dir)
    assert _one(df, "unga_agreement", "USA", 2017) == pytest.approx(24 / 89)  # Voeten: 0.2696629, 89 votes
    rc = pd.read_csv(data_dir / "unga_votes" / "un_roll_calls.csv")
    v = pd.read_csv(data_dir / "unga_votes" / "un_votes_subset.csv", keep_default_na=False)
    s72 = set(rc[rc["session"] == 72]["rcid"])
    j = v[(v["country"] == "Japan") & v["rcid"].isin(s72)].set_index("rcid")["vote"]
    u = v[(v["country"] == "United States") & v["rcid"].isin(s72)].set_index("rcid")["vote"]
    both = pd.concat([j, u], axis=1, join="inner", keys=["j", "u"])
    both = both[(both["j"] != "abstain") & (both["u"] != "abstain")]
    expected = (both["j"] == both["u"]).sum() / len(both)
    assert _one(df, "unga_coincidence_state_dept", "USA", 2017) == pytest.approx(expected)
    assert _one(df, "unga_coincidence_state_dept", "USA", 2017) - _one(df, "unga_agreement", "USA", 2017) > 0.2
