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
from hedgelab.data.loaders._cells import NON_NEGATIVE, YEAR, check_cells
from hedgelab.errors import HedgelabError, error_line, suggest

__all__ = ["SERIES", "VERSION", "load_wdi"]

VERSION = "2"
MISSING = {"": "missing", "..": "missing"}
"""Missing-value markers: an empty cell, and ``..`` as in the World Bank's own downloads."""
SERIES = {"gdp": "gdp_current_usd.csv", "population": "population_total.csv"}


def _parse(path: Path) -> pd.DataFrame:
    where = f"worldbank_wdi: {path.name}"
    raw = read_csv(path, where, columns=["Country Name", "Country Code", "Year", "Value"], dtype=str,
                   keep_default_na=False)
    cells = check_cells(raw, where, {"Year": YEAR, "Value": NON_NEGATIVE}, MISSING, required=("Year",))
    value = cells["Value"]
    code = raw["Country Code"].astype("string").str.strip().str.upper().replace("", pd.NA)
    out = pd.DataFrame(
        {
            "country": code,
            "country_name": raw["Country Name"].astype("string"),
            "year": cells["Year"],
            "value": value.astype("float64"),
        }
    ).dropna(subset=["value", "country"])
    out["year"] = out["year"].astype("int64")
    out["is_aggregate"] = ~out["country"].map(lambda c: bool(is_country(c))).astype(bool)
    return out.sort_values(["country", "year"]).reset_index(drop=True)


def load_wdi(series: str = "gdp", data_dir: str | Path | None = None) -> pd.DataFrame:
    """``country, country_name, year, value, is_aggregate`` for ``series`` "gdp" or "population"."""
    if series not in SERIES:
        raise HedgelabError(error_line("worldbank_wdi", f"series {series!r}", f"one of {', '.join(SERIES)}{suggest(series, SERIES)}"))
    path = dataset_file("worldbank_wdi", SERIES[series], data_dir)
    return cached(f"worldbank_{series}", VERSION, [path], lambda: _parse(path))
