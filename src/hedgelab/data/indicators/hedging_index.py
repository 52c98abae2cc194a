"""The hedging index: economic closeness to China against security closeness to the US.

The *dual hedge* of DESIGN.md keeps security with Washington and prosperity with Beijing in two
compartments. This module measures how far a state's two compartments point in opposite
directions, per year, from two tilts in [0, 1]:

``economic tilt to China``  ``e = T[c, CHN] / (T[c, CHN] + T[c, USA])``
    ``T`` = goods trade (exports + imports), i.e. the ``trade_share_total`` indicator (IMF DOTS,
    COW Trade v4.0 where DOTS has no report). 0.5 = as much trade with China as with the US.

``security tilt to the US``  ``s = (a + v) / 2`` with
    ``a = (1 + D[c, USA] - D[c, CHN]) / 2``, ``D`` the ATOP defence obligation in either
    direction (``alliance_defense``, 0/1), so a = 1 for a US treaty ally, 0.5 with no pledge to
    either, 0 for a Chinese ally; and ``v = G[c, USA] / (G[c, USA] + G[c, CHN])``, ``G`` the share
    of UNGA roll calls on which c voted as the US / China did (Voeten's published ``USAgree`` /
    ``ChinaAgree``, identical to ``unga_agreement`` and extending to 2023).

``hedging_index``  ``H = e + s - 1`` in [-1, 1]
    = economic tilt to China minus security tilt to China (``1 - s``). H > 0: the economy leans
    to China while security leans to the US (the dual hedge; the larger, the wider the split).
    H = 0: the two compartments point the same way (a consistent US ally trading mostly with the
    US, a consistent Chinese partner, or a state balanced in both). H < 0: the reverse split.

Documented choices: only sources hedgelab may redistribute (IMF, COW, ATOP, UNGA), so the
index can be shipped; ATOP ends in 2018 and the last observed alliance status is carried forward
at most :data:`ALLIANCE_CARRY_YEARS` years (treaties do not lapse silently; the row's
``source`` says so); years without trade data have no value. Not defined for the US and China
themselves.

How it relates to published indices
-----------------------------------
* It operationalises the conventional definition of hedging (economic engagement with China plus
  security ties with the US) that Lim & Cooper (2015), "Reassessing Hedging: The Logic of
  Alignment in East Asia", *Security Studies* 24(4), criticise as saying little about alignment:
  the security tilt ``s`` uses their alignment signals (alliance commitment, diplomatic
  alignment), and the index shows the split rather than calling every state a hedger.
* Hu, Yuan & Liu (2025), "Spatiotemporal evolution of hedging effects in Asia-Pacific countries
  amid Sino-US competition", *PLOS ONE* 20(1): e0317308, build a Comparative Relation Index of a
  state's closeness to China versus the US from GDELT event tone, in one domain. ``e`` and ``v``
  are the same kind of China-versus-US comparison, but kept separate by domain, which is what the
  dual hedge is about; ``events_net_cooperation`` (ICEWS) gives the event-based view.
* Salman & Geeraerts (2016), "Measuring Strategic Hedging Capability of Second-Tier States under
  Unipolarity", *Chinese Political Science Review* 1, measure the *capability* to hedge (GDP,
  reserves, debt, military spending, democracy), not the hedging posture measured here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hedgelab.data.indicators import Request, get, indicator
from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "ALLIANCE_CARRY_YEARS",
    "hedging_components",
    "hedging_economic_tilt",
    "hedging_index",
    "hedging_security_tilt",
]

ALLIANCE_CARRY_YEARS = 2
"""Years an alliance status is carried beyond ATOP's last year (2018 -> 2020, DOTS's last)."""

_DATASETS = ("imf_dots", "cow_trade", "alliances_atop", "unga_ideal_points")
_GREAT_POWERS = ("USA", "CHN")


def _dyadic(name: str, req: Request) -> pd.DataFrame:
    sub = Request(req.country, _GREAT_POWERS, None, req.data_dir, True)
    df = get(name).func(sub)
    return df[df["partner"].isin(_GREAT_POWERS)]


def _wide(df: pd.DataFrame) -> pd.DataFrame:
    return df.pivot_table(index="year", columns="partner", values="value", aggfunc="first")


def hedging_components(req: Request) -> pd.DataFrame:
    """The index and its parts for ``req.country``, one row per year.

    Returns
    -------
    DataFrame
        ``year, economic_tilt (e), alliance_tilt (a), vote_tilt (v), security_tilt (s),
        hedging_index (H), source``; years with ``e`` or ``s`` defined (``H`` is NaN unless
        both are).
    """
    if req.country in _GREAT_POWERS:
        raise HedgelabError(
            error_line(f"hedging_index ({req.country})", "--country",
                       "a state other than the US and China (the index compares the two)")
        )
    trade_rows = _dyadic("trade_share_total", req)
    trade = _wide(trade_rows)
    ally = _wide(_dyadic("alliance_defense", req))
    from hedgelab.data.loaders.unga import load_unga_ideal_points

    ideal = load_unga_ideal_points(req.data_dir)
    votes = ideal[ideal["country"] == req.country].set_index("year")[["agree_usa", "agree_chn"]]

    years = sorted(set(trade.index) | set(ally.index) | set(votes.index))
    out = pd.DataFrame(index=pd.Index(years, name="year"))
    t_us = trade.get("USA", pd.Series(dtype=float)).reindex(out.index)
    t_cn = trade.get("CHN", pd.Series(dtype=float)).reindex(out.index)
    out["economic_tilt"] = t_cn / (t_cn + t_us)

    carried = pd.Series(False, index=out.index)
    if not ally.empty:
        last = int(ally.index.max())
        a_us = ally.get("USA", pd.Series(dtype=float)).reindex(out.index)
        a_cn = ally.get("CHN", pd.Series(dtype=float)).reindex(out.index)
        tail = (out.index > last) & (out.index <= last + ALLIANCE_CARRY_YEARS)
        carried = pd.Series(tail, index=out.index)
        a_us = a_us.where(~tail, a_us.ffill())
        a_cn = a_cn.where(~tail, a_cn.ffill())
        out["alliance_tilt"] = (1.0 + a_us - a_cn) / 2.0
    else:
        out["alliance_tilt"] = np.nan
    g_us = votes["agree_usa"].reindex(out.index)
    g_cn = votes["agree_chn"].reindex(out.index)
    out["vote_tilt"] = g_us / (g_us + g_cn)
    out["security_tilt"] = (out["alliance_tilt"] + out["vote_tilt"]) / 2.0
    out["hedging_index"] = out["economic_tilt"] + out["security_tilt"] - 1.0

    trade_src: dict[int, str] = {}
    if "source" in trade_rows.columns:
        for y, src in zip(trade_rows["year"], trade_rows["source"]):
            trade_src.setdefault(int(y), str(src))
    out["source"] = [
        f"{trade_src.get(int(y), 'imf_dots')}+alliances_atop{' (carried forward)' if c else ''}+unga_ideal_points"
        for y, c in zip(out.index, carried)
    ]
    out = out.dropna(subset=["economic_tilt", "security_tilt"], how="all")
    return out.reset_index()


def _as_indicator(req: Request, column: str) -> pd.DataFrame:
    if req.country in _GREAT_POWERS:
        return pd.DataFrame({"country": [], "partner": [], "year": [], "value": [], "source": []})
    comp = hedging_components(req)
    return pd.DataFrame(
        {
            "country": req.country,
            "partner": None,
            "year": comp["year"].astype("int64"),
            "value": comp[column].astype("float64"),
            "source": comp["source"],
        }
    )


@indicator("hedging_index", unit="index (-1 to 1)", datasets=_DATASETS, dyadic=False, optional=("cow_trade",))
def hedging_index(req: Request) -> pd.DataFrame:
    """Economic tilt to China minus security tilt to China: the width of the dual hedge.

    Formula: ``H = e + s - 1`` with ``e = T[CHN] / (T[CHN] + T[USA])`` (goods trade, IMF DOTS /
    COW) and ``s = (a + v) / 2``, ``a = (1 + D[USA] - D[CHN]) / 2`` (ATOP defence obligation,
    either direction), ``v = G[USA] / (G[USA] + G[CHN])`` (UNGA voting agreement, Voeten). Unit:
    index in [-1, 1]; > 0 = economy leans to China while security leans to the US. Datasets:
    imf_dots, cow_trade, alliances_atop, unga_ideal_points (all redistributable). See
    :mod:`hedgelab.data.indicators.hedging_index` for the choices and published comparators.
    """
    return _as_indicator(req, "hedging_index")


@indicator("hedging_economic_tilt", unit="share (0-1)", datasets=("imf_dots", "cow_trade"), dyadic=False,
           optional=("cow_trade",))
def hedging_economic_tilt(req: Request) -> pd.DataFrame:
    """Economic tilt to China: China's share of the focal state's US+China goods trade.

    Formula: ``T[c, CHN] / (T[c, CHN] + T[c, USA])``, T = exports + imports (IMF DOTS, COW
    fallback). Unit: share in [0, 1]; the ``e`` component of ``hedging_index``.
    """
    return _as_indicator(req, "economic_tilt")


@indicator("hedging_security_tilt", unit="share (0-1)", datasets=("alliances_atop", "unga_ideal_points"),
           dyadic=False)
def hedging_security_tilt(req: Request) -> pd.DataFrame:
    """Security tilt to the US: mean of alliance tilt and UNGA voting tilt toward the US.

    Formula: ``((1 + D[USA] - D[CHN]) / 2 + G[USA] / (G[USA] + G[CHN])) / 2`` (ATOP defence
    obligations; Voeten UNGA agreement). Unit: share in [0, 1]; the ``s`` component of
    ``hedging_index``.
    """
    return _as_indicator(req, "security_tilt")
