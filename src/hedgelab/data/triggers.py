"""Political trigger events toward China, coded independently of whether coercion followed.

Two independent sources of "provocation" for the coercion validation (issue 11, item 4):

* a curated list (``data/catalogue/triggers.csv``, shipped; provenance in
  ``data/catalogue/TRIGGERS.md``): leaders' meetings with the Dalai Lama, missile-defence
  decisions, maritime and border incidents, 5G bans, investment blocks, Hong Kong measures, a
  call for a COVID inquiry, by the comparator states, 2005-2020, recorded whether or not
  Chinese coercion followed. :func:`load_triggers` reads and validates it and
  :func:`trigger_indicator` turns it into a flag per country-year;
* ICEWS event counts (to 2014, never shipped): :func:`icews_conflict` gives the conflictual
  share of each state's events toward China and flags years above the state's own past.

Public API: :data:`TRIGGERS_PATH`, :data:`TRIGGER_COLUMNS`, :data:`TRIGGER_TYPES`,
:func:`load_triggers`, :func:`trigger_indicator`, :func:`icews_conflict`.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from importlib import resources
from os import PathLike
from pathlib import Path

import pandas as pd

from hedgelab.data.codes import is_country
from hedgelab.errors import HedgelabError, error_line

__all__ = ["TRIGGERS_PATH", "TRIGGER_COLUMNS", "TRIGGER_TYPES", "icews_conflict", "load_triggers", "trigger_indicator"]

#: The curated trigger list shipped with the package.
TRIGGERS_PATH: Path = Path(str(resources.files("hedgelab.data") / "catalogue" / "triggers.csv"))

TRIGGER_COLUMNS: tuple[str, ...] = ("country", "year", "date", "type", "description", "source")
"""Columns of the trigger list, in order."""

TRIGGER_TYPES: dict[str, str] = {
    "dalai_lama": "a head of government meets, or lets visit disputed territory, the Dalai Lama",
    "taiwan": "a Taiwan-related move: arms sales approval, high-level visit or office",
    "missile_defence": "a missile-defence deployment decision China objects to",
    "maritime_incident": "an incident or sovereignty act in a maritime dispute with China",
    "border_incident": "a military standoff or clash on a land border with China",
    "tech_restriction": "an exclusion of Chinese technology firms (5G, apps)",
    "investment_screening": "a block of a Chinese takeover or investment",
    "hong_kong": "a measure answering Hong Kong's national security law, or meeting its activists",
    "covid_inquiry": "a call for an inquiry into the origins of COVID-19",
    "foreign_interference": "legislation or measures aimed at Chinese political interference",
    "history": "a leader's act on wartime history China protests (Yasukuni visit)",
    "alliance_basing": "a basing or access agreement with the United States China objects to",
    "legal_action": "international legal proceedings against China",
    "arrest": "an arrest of a Chinese national China treats as political",
    "dissident": "admission or reception of a dissident leader China objects to",
}
"""Allowed ``type`` values and what each covers."""


def load_triggers(path: str | PathLike[str] | None = None) -> pd.DataFrame:
    """Read and validate a trigger list.

    Parameters
    ----------
    path : str or Path, optional
        A CSV with the columns of :data:`TRIGGER_COLUMNS`; default: the shipped list.

    Returns
    -------
    DataFrame with ``country`` (ISO3), ``year`` (int), ``date`` (datetime.date or None),
    ``type``, ``description`` and ``source`` (str), sorted by country, year and date.

    Raises
    ------
    HedgelabError
        One line per problem, ``trigger list <file>: row <n>: <column>: expected …`` (rows
        numbered as in the file, header = row 1): a missing or unreadable file, missing or
        unknown columns, a country not ISO3, a year that is not a whole number, a date not
        YYYY-MM-DD or not in the row's year, an unknown type, an empty description or source,
        or a duplicated (country, date, type) row.
    """
    path = Path(path) if path is not None else TRIGGERS_PATH
    where = f"trigger list {path}"
    try:
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = list(reader.fieldnames or [])
            rows = list(reader)
    except OSError as exc:
        raise HedgelabError(error_line(where, "file", f"a readable CSV file ({exc.strerror or exc})")) from None
    except csv.Error as exc:
        raise HedgelabError(error_line(where, "file", f"valid CSV ({exc})")) from None
    missing = [c for c in TRIGGER_COLUMNS if c not in header]
    extra = [c for c in header if c not in TRIGGER_COLUMNS]
    if missing or extra:
        got = f"missing {missing}" if missing else f"unknown {extra}"
        raise HedgelabError(error_line(where, "header", f"the columns {', '.join(TRIGGER_COLUMNS)} ({got})"))
    lines: list[str] = []
    out = []
    seen: dict[tuple[str, str, str], int] = {}
    for n, row in enumerate(rows, start=2):
        at = f"{where}: row {n}"
        if None in row:  # more cells than header columns
            lines.append(error_line(at, "row", f"{len(TRIGGER_COLUMNS)} cells (got more; quote cells with commas)"))
            continue
        cells = {k: (row.get(k) or "").strip() for k in TRIGGER_COLUMNS}
        if not is_country(cells["country"]):
            lines.append(error_line(at, "country", f"an ISO3 country code (e.g. JPN), got {cells['country']!r}"))
        try:
            year = int(cells["year"])
        except ValueError:
            lines.append(error_line(at, "year", f"a whole year, got {cells['year']!r}"))
            year = None
        date = None
        if cells["date"]:
            try:
                date = dt.date.fromisoformat(cells["date"])
            except ValueError:
                lines.append(error_line(at, "date", f"a date as YYYY-MM-DD or empty, got {cells['date']!r}"))
            else:
                if year is not None and date.year != year:
                    lines.append(error_line(at, "date", f"a date in the row's year {year}, got {cells['date']!r}"))
        if cells["type"] not in TRIGGER_TYPES:
            lines.append(error_line(at, "type", f"one of {', '.join(TRIGGER_TYPES)}, got {cells['type']!r}"))
        for col in ("description", "source"):
            if not cells[col]:
                lines.append(error_line(at, col, "a non-empty text"))
        key = (cells["country"], cells["date"] or cells["year"], cells["type"])
        if key in seen:
            lines.append(error_line(at, "country/date/type", f"a unique event (same as row {seen[key]})"))
        seen.setdefault(key, n)
        out.append({**cells, "year": year, "date": date})
    if lines:
        raise HedgelabError(lines)
    frame = pd.DataFrame(out, columns=list(TRIGGER_COLUMNS))
    if frame.empty:
        raise HedgelabError(error_line(where, "rows", "at least one trigger event"))
    frame["year"] = frame["year"].astype(int)
    return frame.sort_values(["country", "year", "date"], key=lambda s: s.astype(str)).reset_index(drop=True)


def trigger_indicator(
    triggers: pd.DataFrame,
    countries: Iterable[str],
    years: Iterable[int],
    window: int,
) -> pd.DataFrame:
    """Triggers per country-year, counting the ``window`` years ending with the year.

    A country-year ``(c, t)`` counts the events of ``c`` dated in years ``t - window + 1 … t``;
    ``window = 2`` lets a provocation late in one year (Canada's arrest of Meng Wanzhou,
    December 2018) count for the next.

    Returns
    -------
    DataFrame with ``country``, ``year``, ``triggers`` (int, events in the window) and
    ``trigger`` (bool, at least one), one row per country x year.
    """
    if window < 1:
        raise HedgelabError(error_line("trigger_indicator", "window", f"a whole number of years >= 1, got {window!r}"))
    by = triggers.groupby(["country", "year"]).size()
    years = list(years)  # read once per country: a generator would serve only the first
    rows = []
    for country in countries:
        for year in years:
            count = int(sum(by.get((country, y), 0) for y in range(year - window + 1, year + 1)))
            rows.append({"country": country, "year": int(year), "triggers": count, "trigger": count > 0})
    return pd.DataFrame(rows, columns=["country", "year", "triggers", "trigger"])


def icews_conflict(
    countries: Iterable[str],
    years: Iterable[int],
    quantile: float,
    data_dir: str | PathLike[str] | None = None,
    target: str = "CHN",
) -> pd.DataFrame:
    """ICEWS conflict toward ``target`` per country-year, flagged against the country's past.

    ``conflict_share`` = (verbal + material conflict events) / all events of the country toward
    ``target`` in the year (a share, because counts follow news volume). A year is flagged
    (``trigger``) when its share exceeds the ``quantile`` of the same country's shares in all
    earlier years of the file (from 2002): past data only, so no later year and no outcome
    enters the flag. Years the file does not cover (after 2014) are left out.

    Returns
    -------
    DataFrame with ``country``, ``year``, ``events``, ``conflict_share``, ``past_quantile`` and
    ``trigger`` (bool).
    """
    from hedgelab.data.loaders.icews import load_icews

    if not 0.0 <= quantile <= 1.0:
        raise HedgelabError(error_line("icews_conflict", "quantile", f"a number in [0, 1], got {quantile!r}"))
    events = load_icews(data_dir)
    toward = events[events["target"] == target].set_index(["source", "year"])
    year_list = sorted(int(y) for y in years)
    rows = []
    for country in countries:
        if country not in toward.index.get_level_values(0):
            continue
        own = toward.loc[country]
        share = (own["verb_conf"] + own["matl_conf"]) / own["total"].where(own["total"] > 0)
        for year in year_list:
            if year not in share.index or pd.isna(share[year]):
                continue
            past = share[share.index < year].dropna()
            cut = float(past.quantile(quantile)) if len(past) else float("nan")
            rows.append({"country": country, "year": year, "events": int(own.loc[year, "total"]),
                         "conflict_share": float(share[year]), "past_quantile": cut,
                         "trigger": bool(len(past)) and float(share[year]) > cut})
    return pd.DataFrame(rows, columns=["country", "year", "events", "conflict_share", "past_quantile", "trigger"])
