"""FDI indicators: origin shares by immediate investor, and shares with conduit flows re-routed.

UNCTAD's bilateral tables record FDI flows into a *host* by *immediate* origin. Much investment
passes through conduit economies (Hong Kong, Singapore, the Netherlands, Caribbean centres), so
a country's direct share of a host's inflows understates its real exposure there: the
"capital-flows paradox" of DESIGN.md (Japanese capital kept flowing to China through
third-country subsidiaries while political tension rose). :func:`routed_shares` makes that
measurable under an explicit :class:`Routing` assumption.

Convention: in both indicators the focal ``country`` is the **investor (origin)** and
``partner`` the **host**: ``fdi_origin_share(JPN -> CHN)`` is Japan's share of China's FDI
inflows, the focal state's investment exposure to the partner. Swap them for the partner's
share of the focal state's inflows. Hosts with tables: the 21 economies of the data README.

Shares use the **positive part** of net flows: disinvestment (negative net flows, common in
annual data) is set to zero, so a share says where new investment came from and always lies
in [0, 1]. The denominator is the sum of positive flows over the table's finest rows (economies,
"Unspecified", regions without a breakdown) plus any positive remainder of an aggregate over
its listed members (confidential or unlisted origins); it is close to the World total when
flows are positive. Shares over origin economies therefore sum to at most 1.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hedgelab.data.indicators import Request, indicator
from hedgelab.data.indicators._frame import empty, growth_percent
from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "CONDUITS",
    "ROUTING",
    "Routing",
    "fdi_flow_growth",
    "fdi_flow_usd",
    "fdi_origin_share",
    "origin_shares",
    "routed_share",
    "routed_shares",
]

CONDUITS: tuple[str, ...] = (
    "HKG", "SGP", "NLD",
    # Caribbean and Atlantic offshore centres listed in the UNCTAD tables
    "VGB", "CYM", "BMU", "BHS", "BRB", "ANT", "TCA", "KNA", "AIA", "ABW", "VIR",
)
"""Default conduit economies: Hong Kong, Singapore, the Netherlands and the Caribbean centres
(British Virgin Islands, Cayman Islands, Bermuda, Bahamas, Barbados, Netherlands Antilles, Turks
and Caicos, Saint Kitts and Nevis, Anguilla, Aruba, US Virgin Islands). Luxembourg, Ireland,
Mauritius or Samoa can be added through :class:`Routing`."""


@dataclass(frozen=True)
class Routing:
    """The pass-through assumption that re-attributes conduit-booked FDI to ultimate origins.

    Attributes
    ----------
    pass_through : float, default=0.5
        Fraction of FDI booked to a conduit economy that originates elsewhere (is merely
        passed through). Unit: fraction, range [0, 0.9] plausible, [0, 1] allowed. Source:
        judgement anchored on Damgaard, Elkjaer & Johannesen (2019), "What Is Real and What Is
        Not in the Global FDI Network?", IMF Working Paper WP/19/274 (phantom investment into
        shells "may account for almost 40 percent of global FDI"; it sits mostly in conduit
        centres, so the fraction of *conduit-booked* FDI that passes through is higher than 0.4).
    round_trip : float, default=0.0
        Fraction of the passed-through amount that is the host's own capital returning
        ("round-tripping"), attributed to the host rather than to foreign investors. Unit:
        fraction, range [0, 1]. Source: Xiao (2004), "People's Republic of China's
        Round-Tripping FDI: Scale, Causes and Implications", ADB Institute Discussion Paper 7,
        estimates round-tripping at 30-50% of China's recorded inflows (ADBI Research Policy
        Brief 10); 0 elsewhere unless the user knows better.
    conduits : tuple of str, default=:data:`CONDUITS`
        ISO3 codes of the conduit economies.

    Notes
    -----
    The passed-through amount ``P = pass_through * C`` (``C`` = the conduits' share) is split:
    ``round_trip * P`` to the host itself, the rest to the non-conduit foreign origins in
    proportion to their direct shares (the routed capital is assumed to have the same origin
    mix as the capital that came directly). With ``d_i`` the direct share of origin ``i`` and
    ``N`` the sum of direct shares of non-conduit origins::

        routed_i = d_i + (1 - round_trip) * P * d_i / N     (non-conduit origins)
        routed_k = (1 - pass_through) * d_k                  (conduits)

    so routed >= direct for every non-conduit origin, with equality when ``pass_through = 0``,
    and the routed shares still sum to the direct total (at most 1).
    """

    pass_through: float = 0.5
    round_trip: float = 0.0
    conduits: tuple[str, ...] = CONDUITS

    def __post_init__(self) -> None:
        lines = []
        for name in ("pass_through", "round_trip"):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and 0.0 <= float(value) <= 1.0):
                lines.append(error_line("fdi routing", name, f"a fraction in [0, 1], got {value!r}"))
        if lines:
            raise HedgelabError(lines)


ROUTING = Routing()
"""The default routing assumption used by the registered ``routed_share`` indicator."""


def origin_shares(fdi: pd.DataFrame, hosts: Iterable[str] | None = None) -> pd.DataFrame:
    """Direct (immediate-origin) shares of each host's FDI inflows, by origin economy and year.

    Formula: ``s[i, h, t] = max(F[i, h, t], 0) / D[h, t]`` with ``F`` the inflow into host ``h``
    booked to origin ``i`` and ``D`` the positive-part denominator (module docstring): the
    positive flows of the rows without members plus the positive remainders of aggregates over
    their listed members.

    Parameters
    ----------
    fdi : DataFrame
        The UNCTAD loader's table (columns ``host, origin, kind, row, parent_row, year, value``).
    hosts : iterable of str, optional
        Restrict to these hosts.

    Returns
    -------
    DataFrame
        ``host, origin, year, value`` (share in [0, 1]); host-years whose positive flows sum to
        zero are left out.
    """
    table = fdi if hosts is None else fdi[fdi["host"].isin(list(hosts))]
    columns = ["host", "origin", "year", "value"]
    if table.empty:
        return pd.DataFrame({c: [] for c in columns})
    t = pd.DataFrame(
        {
            "host": table["host"].astype(object).to_numpy(),
            "year": table["year"].astype("int64").to_numpy(),
            "row": table["row"].astype("int64").to_numpy(),
            "parent_row": table["parent_row"].astype("int64").to_numpy(),
            "kind": table["kind"].astype(object).to_numpy(),
            "origin": table["origin"].astype(object).to_numpy(),
            "raw": table["value"].astype("float64").to_numpy(),
        }
    )
    t["v"] = t["raw"].fillna(0.0)
    members = (
        t.groupby(["host", "year", "parent_row"], sort=False)["v"].sum().rename("member_sum").reset_index()
        .rename(columns={"parent_row": "row"})
    )
    t = t.merge(members, on=["host", "year", "row"], how="left")
    has_members = t["member_sum"].notna().to_numpy()
    residual = (t["raw"] - t["member_sum"]).fillna(0.0).clip(lower=0.0)
    positive = t["v"].clip(lower=0.0)
    t["mass"] = np.where(has_members, residual, positive)
    denominator = t.groupby(["host", "year"], sort=False)["mass"].transform("sum")
    keep = (~has_members) & (t["kind"] == "economy").to_numpy() & (denominator > 0).to_numpy()
    out = pd.DataFrame(
        {
            "host": t.loc[keep, "host"],
            "origin": t.loc[keep, "origin"],
            "year": t.loc[keep, "year"],
            "value": (positive[keep] / denominator[keep]).astype("float64"),
        }
    )
    # an origin listed twice in one table (not seen in the data) is summed
    return out.groupby(["host", "origin", "year"], as_index=False, sort=True)["value"].sum()


def routed_shares(direct: pd.DataFrame, routing: Routing = ROUTING) -> pd.DataFrame:
    """Re-attribute conduit-booked shares to ultimate origins (see :class:`Routing`).

    Parameters
    ----------
    direct : DataFrame
        ``host, origin, year, value`` from :func:`origin_shares`.
    routing : Routing
        The pass-through assumption.

    Returns
    -------
    DataFrame
        ``host, origin, year, value, direct``: routed and direct shares per origin; a row with
        ``origin == host`` carries the round-tripped part when ``round_trip > 0``.
    """
    if direct.empty:
        return direct.assign(direct=pd.Series(dtype="float64"))
    conduit = direct["origin"].isin(routing.conduits) & (direct["origin"] != direct["host"])
    key = ["host", "year"]
    c_share = direct["value"].where(conduit, 0.0).groupby([direct[k] for k in key]).transform("sum")
    n_share = direct["value"].where(~conduit, 0.0).groupby([direct[k] for k in key]).transform("sum")
    passed = routing.pass_through * c_share
    foreign = (1.0 - routing.round_trip) * passed
    with np.errstate(divide="ignore", invalid="ignore"):
        bonus = np.where(n_share > 0, foreign * direct["value"] / n_share, 0.0)
    routed = np.where(conduit, (1.0 - routing.pass_through) * direct["value"], direct["value"] + bonus)
    out = direct.assign(direct=direct["value"].astype("float64"), value=routed.astype("float64"))
    if routing.round_trip > 0:
        home = (
            pd.DataFrame({"host": direct["host"], "year": direct["year"], "v": routing.round_trip * passed})
            .drop_duplicates(key)
        )
        home = home.assign(origin=home["host"], value=home["v"], direct=0.0).drop(columns="v")
        out = pd.concat([out, home[out.columns]], ignore_index=True)
        out = out.groupby(["host", "origin", "year"], as_index=False)[["value", "direct"]].sum()
    return out.reset_index(drop=True)


_NO_FDI = pd.DataFrame({c: [] for c in ("host", "origin", "kind", "row", "parent_row", "year", "value")})


def _as_indicator(shares: pd.DataFrame, req: Request) -> pd.DataFrame:
    """Focal state as origin (``country``), hosts as ``partner``."""
    rows = shares[(shares["origin"] == req.country) & shares["host"].isin(list(req.partner_list()))]
    return pd.DataFrame(
        {
            "country": req.country,
            "partner": rows["host"].astype(object),
            "year": rows["year"].astype("int64"),
            "value": rows["value"].astype("float64"),
        }
    )


@indicator("fdi_origin_share", unit="share of the partner's FDI inflows (0-1)",
           datasets=("unctad_fdi",), dyadic=True, notes=("unctad_immediate", "calendar_year"))
def fdi_origin_share(req: Request) -> pd.DataFrame:
    """Share of the partner's FDI inflows booked to the focal state as immediate investor.

    Formula: ``max(F[c -> p, t], 0) / D[p, t]``, with ``F[c -> p, t]`` the FDI inflow into host
    ``p`` from origin ``c`` in year ``t`` (UNCTAD Table 1, millions of current US$) and
    ``D[p, t]`` the sum of the positive parts of ``p``'s inflows over its finest rows (see
    :mod:`hedgelab.data.indicators.fdi`). Unit: share in [0, 1]. Dataset: unctad_fdi (UNCTAD
    Bilateral FDI Statistics 2014), 2001-2012, hosts = the README's 21 economies. Focal state =
    investor, partner = host. Investment routed through conduits is *not* attributed to the
    focal state here; see ``routed_share``.
    """
    from hedgelab.data.loaders.unctad import load_unctad_fdi

    if req.redistributable_only:  # UNCTAD gives no licence to redistribute
        return _as_indicator(origin_shares(_NO_FDI), req)
    fdi = load_unctad_fdi(req.data_dir)
    return _as_indicator(origin_shares(fdi, hosts=req.partner_list()), req)


@indicator("routed_share", unit="share of the partner's FDI inflows (0-1)",
           datasets=("unctad_fdi",), dyadic=True, notes=("unctad_immediate", "calendar_year"))
def routed_share(req: Request) -> pd.DataFrame:
    """The focal state's share of the partner's FDI inflows with conduit flows re-routed.

    Formula: ``d[c] + (1 - round_trip) * pass_through * C * d[c] / N`` where ``d[c]`` is
    ``fdi_origin_share``, ``C`` the conduits' combined direct share (Hong Kong, Singapore, the
    Netherlands, Caribbean centres) and ``N`` the combined direct share of non-conduit origins
    in the same host-year; default ``pass_through = 0.5`` (fraction, range 0-0.9; judgement
    anchored on Damgaard, Elkjaer & Johannesen 2019, IMF WP/19/274) and ``round_trip = 0``
    (see :class:`Routing`). Unit: share in [0, 1]; >= ``fdi_origin_share``, equal when
    ``pass_through = 0``. Dataset: unctad_fdi, 2001-2012. The gap to ``fdi_origin_share`` is
    the capital-flows paradox: exposure booked elsewhere.
    """
    from hedgelab.data.loaders.unctad import load_unctad_fdi

    if req.redistributable_only:
        return _as_indicator(origin_shares(_NO_FDI), req)
    fdi = load_unctad_fdi(req.data_dir)
    return _as_indicator(routed_shares(origin_shares(fdi, hosts=req.partner_list()), ROUTING), req)


def direct_flows(fdi: pd.DataFrame, origin: str, hosts: Iterable[str]) -> pd.DataFrame:
    """FDI flows from ``origin`` into each host, as booked by the host (immediate origin).

    Returns ``host, year, value`` (current US$ m, net flows, may be negative) from the rows of
    kind "economy" whose origin is ``origin``; cells the table leaves empty are left out.
    """
    d = fdi[(fdi["kind"] == "economy") & (fdi["origin"] == origin) & fdi["host"].isin(list(hosts)) & fdi["value"].notna()]
    return d[["host", "year", "value"]].reset_index(drop=True)


def _flows(req: Request) -> pd.DataFrame:
    from hedgelab.data.loaders.unctad import load_unctad_fdi

    if req.redistributable_only:
        return pd.DataFrame(columns=["host", "year", "value"])
    return direct_flows(load_unctad_fdi(req.data_dir), req.country, req.partner_list())


@indicator("fdi_flow_usd", unit="current US$ m (net flow)", datasets=("unctad_fdi",), dyadic=True,
           notes=("unctad_immediate", "calendar_year"))
def fdi_flow_usd(req: Request) -> pd.DataFrame:
    """FDI flow from the focal state (investor) into the partner (host), as the host books it.

    Formula: ``F[c -> p, t]``, UNCTAD Table 1 of host p, the row of origin c (immediate investor).
    Unit: current US$ millions, net flow (negative = disinvestment). Dataset: unctad_fdi,
    2001-2012, hosts = the README's 21 economies. Never shipped (no licence to redistribute).
    """
    f = _flows(req)
    if f.empty:
        return empty()
    return pd.DataFrame({"country": req.country, "partner": f["host"].astype(object).to_numpy(),
                         "year": f["year"].astype("int64").to_numpy(), "value": f["value"].to_numpy(),
                         "source": "unctad_fdi"})


@indicator("fdi_flow_growth", unit="percent per year", datasets=("unctad_fdi",), dyadic=True,
           notes=("unctad_immediate", "calendar_year"))
def fdi_flow_growth(req: Request) -> pd.DataFrame:
    """Growth of the FDI flow from the focal state into the partner over the previous year.

    Formula: ``100 * (F[c -> p, t] / F[c -> p, t-1] - 1)``, defined only when the previous year's
    flow is positive (a change from zero or from disinvestment has no percentage). Unit: percent
    per year. Dataset: unctad_fdi, 2002-2012.
    """
    f = _flows(req)
    parts = []
    for host, g in f.groupby("host", sort=True):
        gr = growth_percent(pd.Series(g["value"].to_numpy(), index=g["year"].astype("int64").to_numpy()), 1)
        parts.append(pd.DataFrame({"country": req.country, "partner": host, "year": gr.index.to_numpy(),
                                   "value": gr.to_numpy(), "source": "unctad_fdi"}))
    return pd.concat(parts, ignore_index=True) if parts else empty()
