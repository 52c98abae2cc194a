"""Military indicators: spending as % of GDP, and CINC."""

from __future__ import annotations

import pandas as pd

from hedgelab.data.indicators import Request, indicator
from hedgelab.data.indicators._frame import empty, growth_percent, has_file
from hedgelab.data.loaders.cow_nmc import load_nmc
from hedgelab.data.loaders.sipri_milex import SHEETS, load_sipri_milex, load_sipri_owid
from hedgelab.data.loaders.worldbank import load_wdi

__all__ = ["cinc", "milex_constant_usd", "milex_current_usd", "milex_gdp", "milex_gdp_cow_wb", "milex_real_growth"]


def milex_gdp_cow_wb(req: Request) -> pd.DataFrame:
    """``100 * milex_COW[c,t] * 1000 / GDP_WB[c,t]`` (both current US$), years 1960 onward."""
    nmc = load_nmc(req.data_dir)
    m = nmc[(nmc["country"] == req.country) & (nmc["milex_currency"] == "USD")].set_index("year")["milex"] * 1000.0
    gdp = load_wdi("gdp", req.data_dir)
    g = gdp[gdp["country"] == req.country].set_index("year")["value"]
    v = (100.0 * m / g.reindex(m.index)).dropna()
    return pd.DataFrame({"country": req.country, "partner": None, "year": v.index.to_numpy(),
                         "value": v.to_numpy(), "source": "cow_nmc+worldbank_wdi"})


@indicator("milex_gdp", unit="percent of GDP", datasets=("cow_nmc", "worldbank_wdi", "sipri_milex", "sipri_milex_owid"), dyadic=False,
           optional=("sipri_milex", "sipri_milex_owid"), notes=("sipri_definition", "sipri_release", "calendar_year"))
def milex_gdp(req: Request) -> pd.DataFrame:
    """Military expenditure as a percentage of GDP.

    Formula (redistributable, the shipped series): ``100 * milex_NMC[c,t] * 1000 / GDP_WB[c,t]``
    with COW NMC v7 ``milex`` (thousand current US$) and World Bank GDP (current US$), 1960-2022.

    When the user's data directory holds the SIPRI files (and ``redistributable_only`` is off):
    SIPRI's own share of GDP (2024 workbook, converted from a fraction to percent) for the years
    it covers, OWID's republication of the 2025 SIPRI release for later years (2024), and the
    COW/WB ratio only for years before SIPRI's series begins. Each row's ``source`` names the
    dataset. Unit: percent of GDP.
    """
    base = milex_gdp_cow_wb(req)
    if req.redistributable_only or not has_file("sipri_milex", req.data_dir, SHEETS["share_of_gdp"][0]):
        return base
    s = load_sipri_milex("share_of_gdp", req.data_dir)
    s = s[(s["country"] == req.country) & s["value"].notna()]
    parts = [pd.DataFrame({"country": req.country, "partner": None, "year": s["year"].to_numpy(),
                           "value": s["value"].to_numpy(), "source": "sipri_milex"})]
    last = int(s["year"].max()) if not s.empty else None
    first = int(s["year"].min()) if not s.empty else None
    if has_file("sipri_milex_owid", req.data_dir) and last is not None:
        o = load_sipri_owid(req.data_dir)
        o = o[(o["country"] == req.country) & (o["year"] > last)]
        parts.append(pd.DataFrame({"country": req.country, "partner": None, "year": o["year"].to_numpy(),
                                   "value": o["value"].to_numpy(), "source": "sipri_milex_owid"}))
    if first is not None:
        parts.append(base[base["year"] < first])
    else:
        parts.append(base)
    out = pd.concat([p for p in parts if not p.empty] or [empty()], ignore_index=True)
    return out.sort_values("year").reset_index(drop=True)


@indicator("cinc", unit="share of world capabilities (0-1)", datasets=("cow_nmc",), dyadic=False)
def cinc(req: Request) -> pd.DataFrame:
    """Composite Index of National Capability (COW NMC v7 ``cinc``).

    Formula (COW): the mean of the state's shares of the world totals of military expenditure,
    military personnel, iron and steel production, primary energy consumption, total and urban
    population. Unit: share of the world total, in [0, 1].
    """
    nmc = load_nmc(req.data_dir)
    d = nmc[(nmc["country"] == req.country) & nmc["cinc"].notna()]
    return pd.DataFrame({"country": req.country, "partner": None, "year": d["year"].to_numpy(),
                         "value": d["cinc"].to_numpy(), "source": "cow_nmc"})


_SIPRI_NOTES = ("sipri_definition", "calendar_year")


def _sipri_series(req: Request, sheet: str) -> pd.Series:
    """One SIPRI sheet's values for the focal state, indexed by year (missing years left out)."""
    if req.redistributable_only:
        return pd.Series(dtype="float64")
    s = load_sipri_milex(sheet, req.data_dir)
    s = s[(s["country"] == req.country) & s["value"].notna()]
    return pd.Series(s["value"].to_numpy(), index=s["year"].to_numpy(), dtype="float64")


def _national(req: Request, values: pd.Series) -> pd.DataFrame:
    return pd.DataFrame({"country": req.country, "partner": None, "year": values.index.to_numpy(),
                         "value": values.to_numpy(), "source": "sipri_milex"})


@indicator("milex_current_usd", unit="current US$ m", datasets=("sipri_milex",), dyadic=False, notes=_SIPRI_NOTES)
def milex_current_usd(req: Request) -> pd.DataFrame:
    """Military expenditure in current US dollars (SIPRI).

    Formula: SIPRI's "current US$" sheet (local currency converted at each year's market
    exchange rate), 2024 release, 1949-2023. Unit: current US$ millions. SIPRI terms: computed
    only from the user's file, never shipped.
    """
    return _national(req, _sipri_series(req, "current_usd_m"))


@indicator("milex_constant_usd", unit="constant 2022 US$ m", datasets=("sipri_milex",), dyadic=False,
           notes=(*_SIPRI_NOTES, "sipri_constant"))
def milex_constant_usd(req: Request) -> pd.DataFrame:
    """Military expenditure in constant 2022 US dollars (SIPRI).

    Formula: SIPRI's "constant (2022) US$" sheet: local currency deflated by the national CPI and
    converted at the 2022 exchange rate, 2024 release. Unit: constant 2022 US$ millions.
    """
    return _national(req, _sipri_series(req, "constant_2022_usd_m"))


@indicator("milex_real_growth", unit="percent per year", datasets=("sipri_milex",), dyadic=False,
           notes=(*_SIPRI_NOTES, "sipri_constant"))
def milex_real_growth(req: Request) -> pd.DataFrame:
    """Real growth of military expenditure over the previous year (SIPRI constant US$).

    Formula: ``100 * (K[c, t] / K[c, t-1] - 1)`` with K the constant 2022 US$ series; defined when
    both years have a value. Unit: percent per year.
    """
    return _national(req, growth_percent(_sipri_series(req, "constant_2022_usd_m"), 1))
