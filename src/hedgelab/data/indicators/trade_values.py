"""Trade levels in US$: exports, imports, total and balance with each partner (IMF DOTS).

The focal state is the **reporter** (its own customs data, :func:`partner_flows`): exports FOB
by destination, imports CIF (by origin or consignment, the reporter's convention), current US$
millions, calendar years. ``--partners WLD`` gives the focal state's totals with the world;
``--partners all`` every partner country DOTS has for it (aggregates only when asked for). The
same table feeds the partner rankings (:mod:`hedgelab.data.rankings`).
"""

from __future__ import annotations

import pandas as pd

from hedgelab.data.indicators import Request, indicator
from hedgelab.data.indicators._frame import empty
from hedgelab.data.loaders.imf_dots import load_dots

__all__ = [
    "FLOW_MEASURES",
    "partner_flows",
    "trade_balance_usd",
    "trade_exports_usd",
    "trade_imports_usd",
    "trade_total_usd",
]

FLOW_MEASURES = ("exports", "imports", "total", "balance")
"""Columns of :func:`partner_flows`: exports, imports, exports + imports, exports - imports."""

_NOTES = ("dots_reporter", "eu_consignment", "calendar_year")
_UNIT = "US$ m (current)"


def partner_flows(dots: pd.DataFrame, country: str) -> pd.DataFrame:
    """The reporter's goods trade with every partner it reports, one row per partner and year.

    Parameters
    ----------
    dots : DataFrame
        :func:`hedgelab.data.loaders.imf_dots.load_dots`'s table.
    country : str
        Reporter, ISO3.

    Returns
    -------
    DataFrame
        ``partner`` (code), ``partner_name`` (as in DOTS), ``partner_is_country``, ``year``,
        ``exports``, ``imports``, ``total``, ``balance`` (current US$ m). ``total`` and
        ``balance`` are NaN where either flow is missing (never a one-sided sum).
    """
    d = dots[(dots["reporter"] == country) & dots["partner"].notna()]
    if d.empty:
        return pd.DataFrame(columns=["partner", "partner_name", "partner_is_country", "year", *FLOW_MEASURES])
    wide = d.pivot_table(index=["partner", "partner_name", "partner_is_country", "year"], columns="flow",
                         values="value", aggfunc="sum").reindex(columns=["exports", "imports"])
    wide["total"] = wide["exports"] + wide["imports"]
    wide["balance"] = wide["exports"] - wide["imports"]
    out = wide.reset_index()
    out.columns.name = None
    out["partner"] = out["partner"].astype(object)
    return out


def _levels(req: Request, measure: str) -> pd.DataFrame:
    flows = partner_flows(load_dots(req.data_dir), req.country)
    if flows.empty:
        return empty()
    flows = flows[flows["partner"].isin(req.partner_list()) & flows[measure].notna()]
    return pd.DataFrame({"country": req.country, "partner": flows["partner"].to_numpy(), "year": flows["year"].to_numpy(),
                         "value": flows[measure].to_numpy(), "source": "imf_dots"})


@indicator("trade_exports_usd", unit=_UNIT, datasets=("imf_dots",), dyadic=True, notes=_NOTES)
def trade_exports_usd(req: Request) -> pd.DataFrame:
    """Goods exports of the focal state to the partner, in US$.

    Formula: ``X[c->p, t]``, exports FOB reported by c (IMF DOTS). Unit: current US$ millions.
    """
    return _levels(req, "exports")


@indicator("trade_imports_usd", unit=_UNIT, datasets=("imf_dots",), dyadic=True, notes=_NOTES)
def trade_imports_usd(req: Request) -> pd.DataFrame:
    """Goods imports of the focal state from the partner, in US$.

    Formula: ``M[c<-p, t]``, imports CIF reported by c (IMF DOTS). Unit: current US$ millions.
    """
    return _levels(req, "imports")


@indicator("trade_total_usd", unit=_UNIT, datasets=("imf_dots",), dyadic=True, notes=_NOTES)
def trade_total_usd(req: Request) -> pd.DataFrame:
    """Goods trade (exports + imports) of the focal state with the partner, in US$.

    Formula: ``X[c->p, t] + M[c<-p, t]`` (IMF DOTS, reporter c); missing when either flow is.
    Unit: current US$ millions.
    """
    return _levels(req, "total")


@indicator("trade_balance_usd", unit=_UNIT, datasets=("imf_dots",), dyadic=True, notes=_NOTES)
def trade_balance_usd(req: Request) -> pd.DataFrame:
    """Bilateral goods trade balance of the focal state with the partner, in US$.

    Formula: ``X[c->p, t] - M[c<-p, t]`` (IMF DOTS, reporter c; exports FOB minus imports CIF, so
    the balance carries the CIF margin). Positive = surplus with the partner. Unit: current US$
    millions.
    """
    return _levels(req, "balance")
