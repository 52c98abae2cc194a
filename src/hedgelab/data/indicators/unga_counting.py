"""UNGA agreement measures computed from roll-call votes, and which roll calls they count.

Two definitions, two indicators (:mod:`hedgelab.data.indicators.alignment` registers them):

**Voeten agreement** (:func:`agreement_from_votes` over :func:`voeten_roll_calls`). The share of
roll calls on which both states voted and cast the same vote (yes, no or abstain). It reproduces
the published ``USAgree``/``ChinaAgree``… columns of the Bailey-Strezhnev-Voeten ideal-point file
only over the roll calls that file uses. A roll call is **left out** when

1. every state that voted cast the same vote (unanimous roll calls carry no information and are
   dropped from the ideal-point data), or
2. it is one of the paragraph or amendment votes the ``unvotes`` package appended to Voeten's
   roll calls: ``para`` or ``amend`` is 1 *and* ``importantvote`` is not coded. (Paragraph and
   amendment votes that Voeten's own file carries, with ``importantvote`` coded, count.)

Counting every roll call instead (hedgelab before issue 10) overstated Japan-US agreement in
session 72 (2017) as 36.6% over 123 common votes, against Voeten's 27.0% over 89: the 34 extra
roll calls were separate paragraph votes on resolutions the US opposed as a whole.

**State Department voting coincidence** (:func:`coincidence_from_votes`). Identical votes
divided by identical plus opposite votes, where "opposite" is yes against no; abstentions are
left out, as in the US State Department's annual *Voting Practices in the United Nations*. It
counts every recorded roll call of the session (the State Department counts all recorded
plenary votes; it reports by calendar year, hedgelab by session).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

__all__ = ["agreement_from_votes", "coincidence_from_votes", "voeten_roll_calls"]


def voeten_roll_calls(roll_calls: pd.DataFrame, votes: pd.DataFrame) -> pd.Index:
    """The roll-call ids Voeten's agreement scores count (module docstring, rules 1 and 2).

    Parameters
    ----------
    roll_calls : DataFrame
        ``rcid, importantvote, amend, para`` (from
        :func:`hedgelab.data.loaders.unga.load_unga_roll_calls`).
    votes : DataFrame
        ``rcid, vote`` of **all** countries (unanimity is judged over every state that voted).
    """
    distinct = votes.groupby("rcid", observed=True)["vote"].nunique()
    contested = set(distinct.index[distinct > 1])
    appended = roll_calls["importantvote"].isna() & ((roll_calls["para"] == 1) | (roll_calls["amend"] == 1)).fillna(False)
    keep = roll_calls.loc[~appended.astype(bool), "rcid"]
    return pd.Index(sorted(set(keep) & contested), name="rcid")


def _pairs(votes: pd.DataFrame, country: str, partners: Iterable[str]) -> pd.DataFrame:
    plist = list(partners)
    focal = votes.loc[votes["country"] == country, ["rcid", "session", "year", "vote"]]
    others = votes.loc[votes["country"].isin(plist), ["rcid", "country", "vote"]]
    merged = focal.merge(others, on="rcid", suffixes=("_c", "_p"))
    merged["vc"] = merged["vote_c"].astype(str)
    merged["vp"] = merged["vote_p"].astype(str)
    return merged


def _result(country: str, grouped: pd.DataFrame) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "country": country,
            "partner": grouped["country"].astype(object),
            "session": grouped["session"].astype("int64"),
            "year": grouped["year"].astype("int64"),
            "value": grouped["value"].astype("float64"),
            "n_common": grouped["n_common"].astype("int64"),
        }
    )
    return out.sort_values(["partner", "year"]).reset_index(drop=True)


def agreement_from_votes(votes: pd.DataFrame, country: str, partners: Iterable[str]) -> pd.DataFrame:
    """Share of roll calls on which two states cast the same vote, among votes both cast.

    For each session ``s``: ``A[c, p, s] = #{r in R(c, p, s): vote[c, r] == vote[p, r]} /
    |R(c, p, s)|``, where ``R(c, p, s)`` are the roll calls in ``votes`` of session ``s`` on which
    both voted yes, no or abstain. Pass votes restricted to :func:`voeten_roll_calls` to get
    Voeten's published values.

    Returns
    -------
    DataFrame
        ``country, partner, session, year, value, n_common`` (``n_common`` = |R|).
    """
    m = _pairs(votes, country, partners)
    m["same"] = (m["vc"] == m["vp"]).astype("float64")
    grouped = m.groupby(["country", "session", "year"], observed=True)["same"].agg(value="mean", n_common="size").reset_index()
    return _result(country, grouped)


def coincidence_from_votes(votes: pd.DataFrame, country: str, partners: Iterable[str]) -> pd.DataFrame:
    """State Department voting coincidence: identical / (identical + opposite) votes per session.

    Identical: both yes or both no. Opposite: one yes, the other no. Roll calls on which either
    abstained are left out; a session with no identical or opposite votes has no value.

    Returns
    -------
    DataFrame
        ``country, partner, session, year, value, n_common`` (``n_common`` = identical + opposite).
    """
    m = _pairs(votes, country, partners)
    m = m[(m["vc"] != "abstain") & (m["vp"] != "abstain")]
    m["same"] = (m["vc"] == m["vp"]).astype("float64")
    grouped = m.groupby(["country", "session", "year"], observed=True)["same"].agg(value="mean", n_common="size").reset_index()
    return _result(country, grouped)
