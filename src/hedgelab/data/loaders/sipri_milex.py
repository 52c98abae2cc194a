"""SIPRI Military Expenditure Database (2024 workbook sheets) and the OWID republication.

Sheets (one CSV each): ``share_of_gdp``, ``constant_2022_usd_m``, ``current_usd_m``,
``per_capita_current_usd``, ``share_of_govt_spending``, ``local_currency_calendar_years``.
Caveats handled:

* markers: ``...`` = data unavailable, ``xxx`` = the state did not exist / was not independent;
  both become NaN with the meaning in ``status`` ("unavailable", "not_independent"); numbers get
  ``status = "value"``;
* the share sheets are **fractions** in the workbook (0.0120 = 1.20%); the loader converts them to
  **percent** (``unit = "percent"``). A share sheet whose median is 1 or more already holds
  percentages and is left as is; a single value outside [0, 1] in a sheet of fractions (or
  outside [0, 100] in one of percentages) is an error naming its row and year;
* every other cell must be a number >= 0 or one of the markers (or empty);
* the blue/red estimate colouring of the workbook is lost in CSV and cannot be recovered;
* Germany is West Germany before 1991 (``DEU``), the GDR is ``DDR``, the USSR row is ``SUN``.

The OWID file (``sipri_milex_owid``) is already in percent and adds 2024.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.codes import names_to_iso3, validate_iso3
from hedgelab.data.loaders._cells import NON_NEGATIVE, PERCENT, SHARE, YEAR, file_row
from hedgelab.data.loaders._common import numeric, year_columns
from hedgelab.data.sources import dataset_file, read_csv
from hedgelab.errors import HedgelabError, error_line, suggest

__all__ = ["SHEETS", "VERSION", "load_sipri_milex", "load_sipri_owid"]

VERSION = "4"
SHEETS: dict[str, tuple[str, str]] = {
    "share_of_gdp": ("sipri_milex_share_of_gdp.csv", "percent"),
    "constant_2022_usd_m": ("sipri_milex_constant_2022_usd_m.csv", "constant 2022 US$ m"),
    "current_usd_m": ("sipri_milex_current_usd_m.csv", "current US$ m"),
    "per_capita_current_usd": ("sipri_milex_per_capita_current_usd.csv", "current US$ per person"),
    "share_of_govt_spending": ("sipri_milex_share_of_govt_spending.csv", "percent"),
    "local_currency_calendar_years": ("sipri_milex_local_currency_calendar_years.csv", "local currency"),
}
MARKERS = {"...": "unavailable", "xxx": "not_independent"}
OWID_FILE = "military-spending-as-a-share-of-gdp-sipri_subset.csv"
OWID_VALUE = "Military expenditure (% of GDP)"


def _in_fractions(cells: pd.Series) -> bool:
    """True when a share sheet is in fractions (SIPRI's workbook): the median number is below 1.

    Decided by the median, not the maximum, so one damaged cell (a share of 5.0) cannot switch a
    sheet of fractions to percent silently: it is reported as outside [0, 1] instead.
    """
    num = pd.to_numeric(cells, errors="coerce").dropna()
    return bool(num.empty or num.median() < 1.0)


def _parse_sheet(path: Path, sheet: str) -> pd.DataFrame:
    where = f"sipri_milex: {path.name}"
    raw = read_csv(path, where, columns=["Country"], dtype=str, keep_default_na=False, na_values=[""])
    years = year_columns(raw.columns, where)
    raw = raw.assign(_row=file_row(raw.index)).dropna(subset=["Country"])
    codes = names_to_iso3(raw["Country"].unique(), where=f"{where}: Country")
    long = raw.melt(id_vars=["Country", "_row"], value_vars=years, var_name="year", value_name="raw")
    unit = SHEETS[sheet][1]
    domain = NON_NEGATIVE
    if unit == "percent":
        domain = SHARE if _in_fractions(long["raw"]) else PERCENT
    value, status = numeric(long["raw"], where, MARKERS, column=long["year"], rows=long["_row"], domain=domain)
    if domain is SHARE:
        value = value * 100.0  # fractions -> percent
    out = pd.DataFrame(
        {
            "country": long["Country"].map(codes).astype("string"),
            "country_name": long["Country"].astype("string"),
            "year": pd.to_numeric(long["year"]).astype("int64"),
            "value": value.to_numpy(),
            "status": status.astype("string").to_numpy(),
        }
    )
    out["sheet"] = sheet
    out["unit"] = unit
    out["sheet"] = out["sheet"].astype("string")
    out["unit"] = out["unit"].astype("string")
    return out.sort_values(["country", "year"]).reset_index(drop=True)


def load_sipri_milex(sheet: str = "share_of_gdp", data_dir: str | Path | None = None) -> pd.DataFrame:
    """One SIPRI sheet: ``country, country_name, year, value, status, sheet, unit``.

    Share sheets are returned in percent.
    """
    if sheet not in SHEETS:
        raise HedgelabError(error_line("sipri_milex", f"sheet {sheet!r}", f"one of {', '.join(SHEETS)}{suggest(sheet, SHEETS)}"))
    path = dataset_file("sipri_milex", SHEETS[sheet][0], data_dir)
    return cached(f"sipri_milex_{sheet}", VERSION, [path], lambda: _parse_sheet(path, sheet))


def _parse_owid(path: Path) -> pd.DataFrame:
    where = f"sipri_milex_owid: {path.name}"
    raw = read_csv(path, where, columns=["Entity", "Code", "Year", OWID_VALUE], dtype=str,
                   keep_default_na=False, na_values={"Code": [""]})
    raw = raw.assign(_row=file_row(raw.index)).dropna(subset=["Code"])
    codes = {c: validate_iso3(c, where=f"{where}: Code", allow_aggregates=True) for c in raw["Code"].unique()}
    value, _ = numeric(raw[OWID_VALUE], where, column=OWID_VALUE, rows=raw["_row"], domain=PERCENT)
    year, _ = numeric(raw["Year"], where, column="Year", rows=raw["_row"], domain=YEAR)
    out = pd.DataFrame(
        {
            "country": raw["Code"].map(codes).astype("string"),
            "year": year.astype("int64"),
            "value": value.to_numpy(),
        }
    ).dropna(subset=["value"])
    return out.sort_values(["country", "year"]).reset_index(drop=True)


def load_sipri_owid(data_dir: str | Path | None = None) -> pd.DataFrame:
    """OWID's SIPRI series: ``country, year, value`` (military expenditure, percent of GDP)."""
    path = dataset_file("sipri_milex_owid", OWID_FILE, data_dir)
    return cached("sipri_milex_owid", VERSION, [path], lambda: _parse_owid(path))
