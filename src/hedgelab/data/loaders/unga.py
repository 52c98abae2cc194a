"""Loaders for UN General Assembly voting data: ideal points and roll-call votes.

Two datasets (see ``shared/data/README.md``):

``unga_ideal_points``
    Bailey, Strezhnev & Voeten (2017) ideal points with the published agreement shares with
    the US, Russia, Brazil, China, India and Israel, all countries, sessions 1-78.
``unga_votes``
    Voeten's roll-call votes as packaged by ``unvotes``: votes (a subset for the README's
    country set, and all countries as ``.csv.gz``), roll calls, issues; sessions 1-74.

Caveats handled:

- **session -> year**: session ``n`` opens in September of year ``1945 + n`` (session 70 =
  2015-16, session 78 = 2023-24); ``year`` is that opening year for both datasets, so
  ideal points and vote-based agreement line up.
- **China's seat**: ``713`` ("Taiwan") held it in sessions 1-26 and ``710`` (the PRC) from
  session 26 (resolution 2758, 25 Oct 1971). Following :mod:`hedgelab.data.codes`, 713 is
  ``TWN`` and 710 is ``CHN`` throughout (the state, not the seat); session 26 has both rows.
  The ``seat`` column gives the ISO3 of the UN seat a row occupies (``CHN`` for Taiwan before
  1971), for users who want the seat series.
- **Germany**: COW ``260`` (West Germany, sessions 28-45) and ``255`` (from session 46) are both
  ``DEU``; in the votes "Federal Republic of Germany" has an *empty* ISO2 code and is mapped by
  name. The German Democratic Republic is ``DDR``.
- **Missing values**: ``NA`` agreement (a reference state absent, e.g. China before 1971) stays
  NaN. The ISO2 code of Namibia (``"NA"``) is read as text, not as missing.
- Absences and non-membership were dropped by the ``unvotes`` package: only yes / abstain / no
  remain, so "votes both cast" is simply the roll calls where both have a row.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.codes import add_aliases, cow_to_iso3, names_to_iso3
from hedgelab.data.loaders._cells import ANY_NUMBER, COUNT, SHARE, check_cells
from hedgelab.data.sources import dataset_file, read_csv
from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "IDEAL_POINTS_FILE",
    "LOADER_VERSION",
    "REFERENCE_AGREE",
    "ROLL_CALLS_FILE",
    "VOTES_ALL_FILE",
    "VOTES_SUBSET_FILE",
    "VOTE_LEVELS",
    "load_unga_ideal_points",
    "load_unga_roll_calls",
    "load_unga_votes",
    "read_unga_ideal_points",
    "read_unga_roll_calls",
    "read_unga_votes",
    "session_year",
]

LOADER_VERSION = "3"
IDEAL_POINTS_FILE = "IdealpointestimatesAll_Jun2024.csv"
VOTES_SUBSET_FILE = "un_votes_subset.csv"
VOTES_ALL_FILE = "un_votes_all_countries.csv.gz"
ROLL_CALLS_FILE = "un_roll_calls.csv"
VOTE_LEVELS = ("yes", "abstain", "no")

#: Published agreement columns of the ideal-point file -> ISO3 of the reference state.
REFERENCE_AGREE: dict[str, str] = {
    "USAgree": "USA",
    "RUSSAgree": "RUS",
    "BrazilAgree": "BRA",
    "ChinaAgree": "CHN",
    "IndiaAgree": "IND",
    "IsraelAgree": "ISR",
}

_IDEAL_COLUMNS = ("ccode", "session", "NVotesAll", "IdealPointAll", "Q5%All", "Q50%All",
                  "Q95%All", "Countryname", *REFERENCE_AGREE)
_IDEAL_DOMAINS = {
    "ccode": COUNT, "session": COUNT, "NVotesAll": COUNT, "IdealPointAll": ANY_NUMBER,
    "Q5%All": ANY_NUMBER, "Q50%All": ANY_NUMBER, "Q95%All": ANY_NUMBER,
    **dict.fromkeys(REFERENCE_AGREE, SHARE),
}
"""Domains of the numeric columns of the ideal-point file (agreement shares in [0, 1])."""
_VOTE_COLUMNS = ("rcid", "country", "country_code", "vote")
_ROLL_CALL_COLUMNS = ("rcid", "session", "importantvote", "date", "unres", "amend", "para", "short")

# unvotes spellings the shared name table does not know
add_aliases(
    {
        "Yemen Arab Republic": "YEM",
        "Yemen People's Republic": "YMD",
        "Congo - Brazzaville": "COG",
        "Congo - Kinshasa": "COD",
        "St. Vincent & Grenadines": "VCT",
        "Micronesia (Federated States of)": "FSM",
    }
)


def session_year(session: int | pd.Series) -> int | pd.Series:
    """Calendar year in which UNGA session ``session`` opened: ``1945 + session``."""
    return session + 1945


def _seat(country: pd.Series, session: pd.Series) -> pd.Series:
    """ISO3 of the UN seat: Taiwan's rows up to session 26 sit in China's seat."""
    seat = country.astype("string").copy()
    seat[(country == "TWN") & (session <= 26)] = "CHN"
    return seat


def read_unga_ideal_points(path: str | Path) -> pd.DataFrame:
    """Parse the ideal-point file into a tidy table (no cache).

    Returns
    -------
    DataFrame
        ``country`` (ISO3), ``seat``, ``ccode``, ``session``, ``year``, ``n_votes``,
        ``ideal_point`` and its posterior quantiles ``ideal_point_q05/q50/q95``, and the
        published agreement shares ``agree_usa, agree_rus, agree_bra, agree_chn, agree_ind,
        agree_isr`` (share of roll calls with the same vote among votes both cast; NaN where
        absent).
    """
    path = Path(path)
    where = f"unga_ideal_points: {path.name}"
    raw = read_csv(path, where, _IDEAL_COLUMNS, dtype=str, keep_default_na=False)
    cells = check_cells(raw, where, _IDEAL_DOMAINS, {"NA": "missing", "": "missing"}, required=("ccode", "session"))
    ccodes = cells["ccode"].astype(int)
    iso = {c: cow_to_iso3(c, where=f"{where}: ccode") for c in ccodes.unique()}
    session = cells["session"].astype("int16")
    out = pd.DataFrame(
        {
            "country": ccodes.map(iso).astype("string"),
            "ccode": ccodes.astype("int16"),
            "session": session,
            "year": session_year(session).astype("int16"),
            "n_votes": cells["NVotesAll"].astype("Int32"),
            "ideal_point": cells["IdealPointAll"],
            "ideal_point_q05": cells["Q5%All"],
            "ideal_point_q50": cells["Q50%All"],
            "ideal_point_q95": cells["Q95%All"],
        }
    )
    for col, ref in REFERENCE_AGREE.items():
        out[f"agree_{ref.lower()}"] = cells[col]
    out.insert(1, "seat", _seat(out["country"], out["session"]))
    out["country_name"] = raw["Countryname"].astype("string")
    dup = out.duplicated(["country", "session"])
    if dup.any():
        first = out[dup].iloc[0]
        raise HedgelabError(
            error_line(where, "ccode/session", f"one row per country and session, "
                       f"got two for {first['country']} in session {first['session']}")
        )
    return out.sort_values(["country", "session"]).reset_index(drop=True)


def load_unga_ideal_points(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the UNGA ideal points (see :func:`read_unga_ideal_points`), through the cache."""
    path = dataset_file("unga_ideal_points", IDEAL_POINTS_FILE, data_dir)
    return cached("unga_ideal_points", LOADER_VERSION, [path], lambda: read_unga_ideal_points(path))


def read_unga_roll_calls(path: str | Path) -> pd.DataFrame:
    """Parse the roll-call file: ``rcid, session, year, date, importantvote, unres, amend, para, short``.

    ``importantvote`` (0/1; missing for the paragraph and amendment votes the unvotes package
    appended to Voeten's file, and for all of sessions 73-74), ``amend`` and ``para`` (1 = a vote on
    an amendment / a separate paragraph; missing otherwise) are kept as nullable integers.
    """
    path = Path(path)
    where = f"unga_votes: {path.name}"
    raw = read_csv(path, where, _ROLL_CALL_COLUMNS)
    rcid = pd.to_numeric(raw["rcid"], errors="coerce")
    session = pd.to_numeric(raw["session"], errors="coerce")
    date = pd.to_datetime(raw["date"], errors="coerce", format="%Y-%m-%d")
    lines = []
    for name, parsed in (("rcid", rcid), ("session", session)):
        if parsed.isna().any():
            lines.append(error_line(where, name, f"whole numbers, got {raw.loc[parsed.isna(), name].iloc[0]!r}"))
    flags = {name: pd.to_numeric(raw[name], errors="coerce") for name in ("importantvote", "amend", "para")}
    for name, parsed in flags.items():  # missing is allowed (see above); anything else must be 0 or 1
        bad = raw.loc[raw[name].notna() & ~parsed.isin([0, 1]), name]
        if not bad.empty:
            lines.append(error_line(where, name, f"0, 1 or empty, got {bad.iloc[0]!r}"))
    if date.isna().any() and raw["date"].notna().any():
        bad = raw.loc[date.isna() & raw["date"].notna(), "date"]
        if not bad.empty:
            lines.append(error_line(where, "date", f"dates as YYYY-MM-DD, got {bad.iloc[0]!r}"))
    if lines:
        raise HedgelabError(lines)
    session = session.astype("int16")
    return pd.DataFrame(
        {
            "rcid": rcid.astype("int32"),
            "session": session,
            "year": session_year(session).astype("int16"),
            "date": date,
            "importantvote": flags["importantvote"].astype("Int8"),
            "unres": raw["unres"].astype("string"),
            "amend": flags["amend"].astype("Int8"),
            "para": flags["para"].astype("Int8"),
            "short": raw["short"].astype("string"),
        }
    )


def load_unga_roll_calls(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the roll calls (see :func:`read_unga_roll_calls`), through the cache."""
    path = dataset_file("unga_votes", ROLL_CALLS_FILE, data_dir)
    return cached("unga_roll_calls", LOADER_VERSION, [path], lambda: read_unga_roll_calls(path))


def read_unga_votes(path: str | Path, roll_calls: pd.DataFrame) -> pd.DataFrame:
    """Parse a votes file and attach each vote's session and year from ``roll_calls``.

    Returns
    -------
    DataFrame
        ``rcid`` (int32), ``session``, ``year`` (int16), ``country`` (ISO3), ``seat`` (ISO3 of
        the UN seat), ``vote`` (categorical yes / abstain / no).
    """
    path = Path(path)
    where = f"unga_votes: {path.name}"
    raw = read_csv(
        path, where, _VOTE_COLUMNS,
        dtype={"country": str, "country_code": str, "vote": str}, keep_default_na=False,
    )
    rcid = pd.to_numeric(raw["rcid"], errors="coerce")
    lines = []
    if rcid.isna().any():
        lines.append(error_line(where, "rcid", f"whole numbers, got {raw.loc[rcid.isna(), 'rcid'].iloc[0]!r}"))
    bad_vote = ~raw["vote"].isin(VOTE_LEVELS)
    if bad_vote.any():
        lines.append(error_line(where, "vote", f"one of yes, abstain, no; got {raw.loc[bad_vote, 'vote'].iloc[0]!r}"))
    if lines:
        raise HedgelabError(lines)
    codes = names_to_iso3(raw["country"].unique(), where=f"{where}: country")
    rc = roll_calls.set_index("rcid")
    rcid = rcid.astype("int32")
    unknown = ~rcid.isin(rc.index)
    if unknown.any():
        raise HedgelabError(
            error_line(where, "rcid", f"roll-call ids listed in {ROLL_CALLS_FILE}, got {int(rcid[unknown].iloc[0])}")
        )
    session = rc["session"].reindex(rcid).to_numpy()
    out = pd.DataFrame(
        {
            "rcid": rcid,
            "session": session.astype("int16"),
            "year": session_year(session).astype("int16"),
            "country": raw["country"].map(codes).astype("string"),
            "vote": pd.Categorical(raw["vote"], categories=list(VOTE_LEVELS)),
        }
    )
    out.insert(4, "seat", _seat(out["country"], out["session"]))
    dup = out.duplicated(["rcid", "country"])
    if dup.any():
        first = out[dup].iloc[0]
        raise HedgelabError(
            error_line(where, "rcid/country", f"one vote per roll call and country, got two for "
                       f"{first['country']} in roll call {first['rcid']}")
        )
    return out


def load_unga_votes(data_dir: str | Path | None = None, all_countries: bool = False) -> pd.DataFrame:
    """Load UNGA roll-call votes (see :func:`read_unga_votes`), through the cache.

    Parameters
    ----------
    data_dir : path, optional
        Data directory; default ``HEDGELAB_DATA``.
    all_countries : bool, default=False
        Read ``un_votes_all_countries.csv.gz`` (all 200 countries, ~870k rows) instead of the
        subset for the README's country set.
    """
    votes = dataset_file("unga_votes", VOTES_ALL_FILE if all_countries else VOTES_SUBSET_FILE, data_dir)
    calls = dataset_file("unga_votes", ROLL_CALLS_FILE, data_dir)
    name = "unga_votes_all" if all_countries else "unga_votes_subset"

    def build() -> pd.DataFrame:
        return read_unga_votes(votes, read_unga_roll_calls(calls))

    return cached(name, LOADER_VERSION, [votes, calls], build)
