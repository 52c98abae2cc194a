"""Trade indicators: partner shares, concentration (HHI) and asymmetric dependence.

Primary source: IMF DOTS with the focal state as reporter (exports FOB, imports CIF, current
US$ m). For years the focal state does not report to DOTS (before 1960; Taiwan throughout) the
shares fall back to COW Trade v4.0 (to 2014), and each row's ``source`` says which dataset it
came from. COW export shares are built from the partner's reported imports (mirror flows) and
run high where goods are re-exported through Hong Kong (README: China 2014 29.1% vs 18.3%).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgelab.data.indicators import Request, indicator
from hedgelab.data.indicators._frame import empty, has_file
from hedgelab.data.loaders.cow_trade import load_cow_dyadic, load_cow_national
from hedgelab.data.loaders.imf_dots import load_dots
from hedgelab.data.loaders.worldbank import load_wdi

__all__ = [
    "dependence_asymmetry",
    "dots_flows",
    "hhi",
    "trade_hhi",
    "trade_share_exports",
    "trade_share_imports",
    "trade_share_total",
]


def dots_flows(req: Request) -> pd.DataFrame:
    """DOTS rows of the focal reporter, wide: index (partner, year), columns exports, imports."""
    dots = load_dots(req.data_dir)
    d = dots[(dots["reporter"] == req.country) & dots["partner"].notna()]
    return d.pivot_table(index=["partner", "year"], columns="flow", values="value", aggfunc="sum")


def _rows(req: Request, num: pd.Series, denom: pd.Series, source: str) -> pd.DataFrame:
    """Indicator rows ``num / denom[year]`` for ``num`` indexed (partner, year); non-finite dropped."""
    years = num.index.get_level_values("year")
    with np.errstate(divide="ignore", invalid="ignore"):
        share = num.to_numpy() / denom.reindex(years).to_numpy()
    out = pd.DataFrame({"country": req.country, "partner": num.index.get_level_values("partner").astype(object),
                        "year": years.to_numpy(), "value": share, "source": source})
    return out[np.isfinite(out["value"].to_numpy())]


def _dots_share(req: Request, wide: pd.DataFrame, flows: tuple[str, ...]) -> pd.DataFrame:
    """Shares from :func:`dots_flows`'s table ``wide``; empty without a World row."""
    if wide.empty:
        return empty()
    num = wide.reindex(columns=list(flows)).sum(axis=1, min_count=len(flows))
    partners = num.index.get_level_values("partner")
    if "WLD" not in set(partners):
        return empty()
    return _rows(req, num[partners.isin(req.partner_list())], num.xs("WLD", level="partner"), "imf_dots")


def _cow_share(req: Request, flows: tuple[str, ...]) -> pd.DataFrame:
    if not has_file("cow_trade", req.data_dir):
        return empty()
    dy = load_cow_dyadic(req.data_dir)
    nat = load_cow_national(req.data_dir)
    tot = nat[nat["country"] == req.country].set_index("year")
    if tot.empty:
        return empty()
    denom = tot[list(flows)].sum(axis=1, min_count=len(flows))
    plist = list(req.partner_list())
    parts = []
    if "imports" in flows:
        m = dy[(dy["importer"] == req.country) & dy["exporter"].isin(plist)]
        parts.append(m.set_index(["exporter", "year"])["imports"].rename_axis(["partner", "year"]))
    if "exports" in flows:  # mirror: the partner's imports from the focal state
        x = dy[(dy["exporter"] == req.country) & dy["importer"].isin(plist)]
        parts.append(x.set_index(["importer", "year"])["imports"].rename_axis(["partner", "year"]))
    num = parts[0] if len(parts) == 1 else pd.concat(parts, axis=1, join="inner").sum(axis=1, min_count=2)
    if num.empty:
        return empty()
    return _rows(req, num, denom, "cow_trade")


def _share(req: Request, flows: tuple[str, ...]) -> pd.DataFrame:
    wide = dots_flows(req)
    dots = _dots_share(req, wide, flows)
    cow = _cow_share(req, flows)
    if not cow.empty and not dots.empty:  # COW only for the years the focal state does not report to DOTS
        cow = cow[~cow["year"].isin(set(wide.xs("WLD", level="partner").index))]
    return pd.concat([f for f in (dots, cow) if not f.empty] or [empty()], ignore_index=True)


@indicator("trade_share_exports", unit="share (0-1)", datasets=("imf_dots", "cow_trade"), dyadic=True, optional=("cow_trade",),
           notes=("dots_reporter", "eu_consignment", "calendar_year"))
def trade_share_exports(req: Request) -> pd.DataFrame:
    """Share of the focal state's goods exports that go to the partner.

    Formula: ``X[c->p, t] / X[c->World, t]`` with X = exports FOB reported by c (IMF DOTS).
    Years without a DOTS report by c: ``M[p<-c, t] / X_c[t]`` from COW Trade v4.0 (mirror flow
    over c's national exports). Unit: share in [0, 1].
    """
    return _share(req, ("exports",))


@indicator("trade_share_imports", unit="share (0-1)", datasets=("imf_dots", "cow_trade"), dyadic=True, optional=("cow_trade",),
           notes=("dots_reporter", "eu_consignment", "calendar_year"))
def trade_share_imports(req: Request) -> pd.DataFrame:
    """Share of the focal state's goods imports that come from the partner.

    Formula: ``M[c<-p, t] / M[c<-World, t]`` with M = imports CIF reported by c (IMF DOTS).
    Fallback (years without DOTS): COW ``flow`` of c's imports from p over c's national imports.
    Unit: share in [0, 1].
    """
    return _share(req, ("imports",))


@indicator("trade_share_total", unit="share (0-1)", datasets=("imf_dots", "cow_trade"), dyadic=True, optional=("cow_trade",),
           notes=("dots_reporter", "eu_consignment", "calendar_year"))
def trade_share_total(req: Request) -> pd.DataFrame:
    """Share of the focal state's goods trade (exports + imports) conducted with the partner.

    Formula: ``(X[c->p] + M[c<-p]) / (X[c->World] + M[c<-World])`` per year (IMF DOTS, reporter c);
    COW fallback as for the two one-way shares. Unit: share in [0, 1].
    """
    return _share(req, ("exports", "imports"))


def hhi(values: pd.Series) -> float:
    """Herfindahl-Hirschman index of non-negative values: sum of squared shares, in [1/N, 1]."""
    v = values[values > 0].astype(float)
    total = v.sum()
    return float(((v / total) ** 2).sum()) if total > 0 else float("nan")


@indicator("trade_hhi", unit="index (1/N-1)", datasets=("imf_dots",), dyadic=False, notes=("dots_reporter", "eu_consignment", "calendar_year"))
def trade_hhi(req: Request) -> pd.DataFrame:
    """Concentration of the focal state's goods trade over partner countries (Herfindahl index).

    Formula: ``sum_p s_p^2`` with ``s_p = T[c,p] / sum_q T[c,q]``, ``T = X + M`` (IMF DOTS,
    reporter c), over partner **countries** only: World, regional and income aggregates,
    "not specified" rows and the Memorandum block are excluded, so the shares sum to 1 and the
    index lies in [1/N, 1] for N partners with trade. 1 = all trade with one partner.
    """
    dots = load_dots(req.data_dir)
    d = dots[(dots["reporter"] == req.country) & dots["partner_is_country"] & (dots["partner"] != req.country)]
    if d.empty:
        return empty()
    t = d.groupby(["year", "partner"])["value"].sum()
    h = t.groupby(level="year").apply(hhi).dropna()
    return pd.DataFrame({"country": req.country, "partner": None, "year": h.index.to_numpy(),
                         "value": h.to_numpy(), "source": "imf_dots"})


@indicator("dependence_asymmetry", unit="percentage points of GDP", datasets=("imf_dots", "worldbank_wdi"), dyadic=True,
           notes=("dots_reporter", "eu_consignment", "calendar_year"))
def dependence_asymmetry(req: Request) -> pd.DataFrame:
    """How much more the focal state depends on trade with the partner than the partner on it.

    Formula: ``100 * T[c,p] * (1/GDP_c - 1/GDP_p)`` where ``T[c,p] = X[c->p] + M[c<-p]`` (IMF
    DOTS, reporter c, US$) and GDP in current US$ (World Bank WDI): bilateral trade as % of
    the focal state's GDP minus the same trade as % of the partner's GDP. Positive = the focal
    state is the more dependent side. Unit: percentage points of GDP. Missing where either GDP is
    (Taiwan is not in WDI).
    """
    wide = dots_flows(req)
    if wide.empty:
        return empty()
    gdp = load_wdi("gdp", req.data_dir)
    g = gdp.set_index(["country", "year"])["value"]
    wide = wide.reindex(columns=["exports", "imports"])
    wide = wide[wide.index.get_level_values("partner").isin(req.partner_list())]
    if wide.empty:
        return empty()
    trade = wide.sum(axis=1, min_count=2) * 1e6
    partners = trade.index.get_level_values("partner")
    years = trade.index.get_level_values("year")
    gc = g.reindex(pd.MultiIndex.from_arrays([[req.country] * len(years), years])).to_numpy()
    gp = g.reindex(pd.MultiIndex.from_arrays([partners, years])).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        val = 100.0 * trade.to_numpy() * (1.0 / gc - 1.0 / gp)
    out = pd.DataFrame({"country": req.country, "partner": partners.astype(object), "year": years.to_numpy(),
                        "value": val, "source": "imf_dots+worldbank_wdi"})
    return out[np.isfinite(out["value"].to_numpy())].reset_index(drop=True)
