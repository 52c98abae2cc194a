"""World Bank WDI GDP (current US$) and population (persons), in ISO3.

Country codes are already ISO3; aggregates in the files (``WLD``, ``EUU``, ``EAS``, ``EAP`` here,
and any other non-country code in a fuller download) are kept and flagged ``is_aggregate``.
Taiwan is absent from WDI.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.codes import is_country
from hedgelab.data.sources import dataset_file, read_csv
from hedgelab.errors import HedgelabError, error_line, suggest

__all__ = ["SERIES", "VERSION", "load_wdi"]

VERSION = "1"
SERIES = {"gdp": "gdp_current_usd.csv", "population": "population_total.csv"}


def _parse(path: Path) -> pd.DataFrame:
    where = f"worldbank_wdi: {path.name}"
    raw = read_csv(path, where, columns=["Country Name", "Country Code", "Year", "Value"])
    value = pd.to_numeric(raw["Value"], errors="coerce")
    bad = raw["Value"].notna() & value.isna()
    if bad.any():
        raise HedgelabError(error_line(where, "Value", f"numbers, got {raw.loc[bad, 'Value'].head(3).tolist()}"))
    code = raw["Country Code"].astype("string").str.strip().str.upper()
    out = pd.DataFrame(
        {
            "country": code,
            "country_name": raw["Country Name"].astype("string"),
            "year": pd.to_numeric(raw["Year"]).astype("int64"),
            "value": value.astype("float64"),
        }
    ).dropna(subset=["value", "country"])
    out["is_aggregate"] = ~out["country"].map(lambda c: bool(is_country(c))).astype(bool)
    return out.sort_values(["country", "year"]).reset_index(drop=True)


def load_wdi(series: str = "gdp", data_dir: str | Path | None = None) -> pd.DataFrame:
    """``country, country_name, year, value, is_aggregate`` for ``series`` "gdp" or "population"."""
    if series not in SERIES:
        raise HedgelabError(error_line("worldbank_wdi", f"series {series!r}", f"one of {', '.join(SERIES)}{suggest(series, SERIES)}"))
    path = dataset_file("worldbank_wdi", SERIES[series], data_dir)
    return cached(f"worldbank_{series}", VERSION, [path], lambda: _parse(path))
