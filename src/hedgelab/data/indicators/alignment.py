"""Alignment indicators: UNGA ideal-point distance, UNGA voting agreement, ICEWS net cooperation.

All three are dyadic (focal ``country``, ``partner``, ``year``). The computations are plain
functions on the loaders' tidy tables (:func:`ideal_distance`, :func:`agreement_from_votes`,
:func:`net_cooperation`), so they can be tested on hand-made tables; the registered indicator
functions only load the data and call them.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from hedgelab.data.indicators import Request, indicator
from hedgelab.data.indicators.unga_counting import agreement_from_votes, coincidence_from_votes, voeten_roll_calls

__all__ = [
    "agreement_from_votes",
    "events_net_cooperation",
    "ideal_distance",
    "net_cooperation",
    "unga_agreement",
    "unga_coincidence_state_dept",
    "unga_ideal_distance",
]


def ideal_distance(ideal: pd.DataFrame, country: str, partners: Iterable[str]) -> pd.DataFrame:
    """``|ideal_point[country, s] - ideal_point[partner, s]|`` for every session both have.

    Parameters
    ----------
    ideal : DataFrame
        Columns ``country, session, year, ideal_point`` (as from
        :func:`hedgelab.data.loaders.unga.load_unga_ideal_points`).
    country : str
        Focal ISO3.
    partners : iterable of str
        Partner ISO3 codes.

    Returns
    -------
    DataFrame
        ``country, partner, session, year, value``.
    """
    focal = ideal.loc[ideal["country"] == country, ["session", "year", "ideal_point"]]
    others = ideal.loc[ideal["country"].isin(list(partners)), ["country", "session", "ideal_point"]]
    merged = focal.merge(others, on="session", suffixes=("_c", "_p"))
    out = pd.DataFrame(
        {
            "country": country,
            "partner": merged["country"].astype(object),
            "session": merged["session"].astype("int64"),
            "year": merged["year"].astype("int64"),
            "value": (merged["ideal_point_c"] - merged["ideal_point_p"]).abs().astype("float64"),
        }
    )
    return out.dropna(subset=["value"]).sort_values(["partner", "year"]).reset_index(drop=True)


def net_cooperation(events: pd.DataFrame, country: str, partners: Iterable[str]) -> pd.DataFrame:
    """``(verb_coop + matl_coop - verb_conf - matl_conf) / total`` for country -> partner.

    Parameters
    ----------
    events : DataFrame
        Columns ``source, target, year, verb_coop, matl_coop, verb_conf, matl_conf`` (as from
        :func:`hedgelab.data.loaders.icews.load_icews`).

    Returns
    -------
    DataFrame
        ``country, partner, year, value, n_events``; value in [-1, 1]; dyad-years with no
        events are left out (the ratio is undefined).
    """
    rows = events[(events["source"] == country) & events["target"].isin(list(partners))]
    coop = rows["verb_coop"] + rows["matl_coop"]
    conf = rows["verb_conf"] + rows["matl_conf"]
    total = coop + conf
    keep = total > 0
    out = pd.DataFrame(
        {
            "country": country,
            "partner": rows.loc[keep, "target"].astype(object),
            "year": rows.loc[keep, "year"].astype("int64"),
            "value": ((coop - conf)[keep] / total[keep]).astype("float64"),
            "n_events": total[keep].astype("int64"),
        }
    )
    return out.sort_values(["partner", "year"]).reset_index(drop=True)


_NO_EVENTS = pd.DataFrame(
    {c: pd.Series(dtype="int64") for c in ("year", "verb_coop", "matl_coop", "verb_conf", "matl_conf")}
).assign(source=pd.Series(dtype="string"), target=pd.Series(dtype="string"))


def _partners(req: Request) -> list[str]:
    return list(req.partner_list())


@indicator("unga_ideal_distance", unit="ideal-point units (absolute difference)",
           datasets=("unga_ideal_points",), dyadic=True)
def unga_ideal_distance(req: Request) -> pd.DataFrame:
    """Absolute distance between the focal state's and the partner's UNGA ideal points.

    Formula: ``|theta[c, s] - theta[p, s]|``, with ``theta`` the Bailey-Strezhnev-Voeten ideal
    point (``IdealPointAll``) of session ``s``; ``year = 1945 + s`` (the year the session
    opened). Unit: ideal-point units (the latent scale, roughly -3 to 3; 0 = identical voting
    position). Dataset: unga_ideal_points (Bailey, Strezhnev & Voeten 2017, JCR 61(2)), sessions
    1-78 (1946-2023). China: 710 (PRC) from session 26 only; 713 is Taiwan throughout.
    """
    from hedgelab.data.loaders.unga import load_unga_ideal_points

    ideal = load_unga_ideal_points(req.data_dir)
    return ideal_distance(ideal, req.country, _partners(req)).drop(columns="session")


def _votes(req: Request) -> pd.DataFrame:
    """All countries' votes (unanimity is judged over every state that voted)."""
    from hedgelab.data.loaders.unga import load_unga_votes

    return load_unga_votes(req.data_dir, all_countries=True)


def _partners_in(req: Request, votes: pd.DataFrame) -> list[str]:
    return list(req.present_partners(votes["country"].dropna().unique()))


@indicator("unga_agreement", unit="share of roll calls (0-1)", datasets=("unga_votes",), dyadic=True,
           notes=("unga_voeten",))
def unga_agreement(req: Request) -> pd.DataFrame:
    """Share of UNGA roll calls on which focal state and partner cast the same vote (Voeten's definition).

    Formula: for session ``s``, the roll calls on which both voted and cast the same vote (yes, no
    or abstain) divided by those on which both voted, over the roll calls Voeten's agreement
    scores count (:func:`hedgelab.data.indicators.unga_counting.voeten_roll_calls`: not unanimous,
    not one of the paragraph/amendment votes appended by the unvotes package). ``year = 1945 +
    s``. Unit: share in [0, 1]. Dataset: unga_votes (Voeten, unvotes package, all-countries
    file), sessions 1-74 (1946-2019). Reproduces the published ``USAgree`` within 1 point in
    every session with data for the states tested (Japan, China, Germany, Australia, India,
    Russia); Japan-US session 72: 0.270 over 89 roll calls.
    """
    from hedgelab.data.loaders.unga import load_unga_roll_calls

    votes = _votes(req)
    counted = voeten_roll_calls(load_unga_roll_calls(req.data_dir), votes)
    votes = votes[votes["rcid"].isin(counted)]
    return agreement_from_votes(votes, req.country, _partners_in(req, votes)).drop(columns=["session", "n_common"])


@indicator("unga_coincidence_state_dept", unit="share of non-abstention votes (0-1)", datasets=("unga_votes",),
           dyadic=True, notes=("unga_state_department",))
def unga_coincidence_state_dept(req: Request) -> pd.DataFrame:
    """UNGA voting coincidence as the US State Department defines it.

    Formula: for session ``s``, identical votes (both yes or both no) divided by identical plus
    opposite votes (one yes, one no), over every recorded roll call of the session; roll calls on
    which either abstained are left out. ``year = 1945 + s`` (the State Department reports by
    calendar year). Unit: share in [0, 1]. Runs well above ``unga_agreement`` for states that
    abstain often: Japan-US session 72 0.55 against 0.27. Dataset: unga_votes, sessions 1-74.
    """
    votes = _votes(req)
    return coincidence_from_votes(votes, req.country, _partners_in(req, votes)).drop(columns=["session", "n_common"])


@indicator("events_net_cooperation", unit="net share of events (-1 to 1)",
           datasets=("icews_netify",), dyadic=True)
def events_net_cooperation(req: Request) -> pd.DataFrame:
    """Net cooperation of the focal state's actions toward the partner (ICEWS events).

    Formula: ``(verbCoop + matlCoop - verbConf - matlConf) / (verbCoop + matlCoop + verbConf +
    matlConf)`` for the directed dyad-year focal -> partner (events the focal state initiated).
    Unit: share in [-1, 1]; 1 = only cooperative events. A ratio, so it is comparable across
    years although counts follow news volume. Dataset: icews_netify (Boschee et al. 2015,
    ICEWS; netify slice, 2002-2014); research and education use only, never shipped. For the
    partner's actions toward the focal state, ask with the two swapped.
    """
    from hedgelab.data.loaders.icews import load_icews

    if req.redistributable_only:  # ICEWS terms: research and education only
        return net_cooperation(_NO_EVENTS, req.country, []).drop(columns="n_events")
    return net_cooperation(load_icews(req.data_dir), req.country, _partners(req)).drop(columns="n_events")

