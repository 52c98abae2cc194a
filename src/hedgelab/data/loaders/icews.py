"""Loader for ICEWS event counts by directed dyad-year (the ``netify`` slice, 2002-2014).

Each row of the source counts the events that state ``i`` (source) directed at state ``j``
(target) in a year, by QuadClass: verbal cooperation, material cooperation, verbal conflict,
material conflict. The package ``netify`` calls them "scores"; they are integer counts.

Output columns: ``source``, ``target`` (ISO3), ``year`` (int16), ``verb_coop``, ``matl_coop``,
``verb_conf``, ``matl_conf`` (int64 counts) and ``total`` (their sum).

Caveats (README): counts follow news volume, so compare shares rather than counts across years;
Brunei and Taiwan are not in the slice; ICEWS data are for research and education only (no
commercial use), so hedgelab never ships values derived from them.

Names are mapped with :func:`hedgelab.data.codes.names_to_iso3` and cross-checked against the
file's own ``i_iso3c``/``j_iso3c`` columns when present.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.codes import names_to_iso3
from hedgelab.data.sources import dataset_file, read_csv
from hedgelab.errors import HedgelabError, error_line

__all__ = ["COUNT_COLUMNS", "DATASET", "FILENAME", "LOADER_VERSION", "load_icews", "read_icews"]

DATASET = "icews_netify"
FILENAME = "icews_dyad_year_2002_2014_subset.csv"
LOADER_VERSION = "1"
#: source column -> tidy column
COUNT_COLUMNS: dict[str, str] = {
    "verbCoop": "verb_coop",
    "matlCoop": "matl_coop",
    "verbConf": "verb_conf",
    "matlConf": "matl_conf",
}


def read_icews(path: str | Path) -> pd.DataFrame:
    """Parse the ICEWS dyad-year file into the tidy table (no cache).

    Raises
    ------
    HedgelabError
        Missing columns, non-integer or negative counts, unknown country names, an ISO3 code
        that disagrees with the name, or a duplicated directed dyad-year.
    """
    path = Path(path)
    where = f"{DATASET}: {path.name}"
    raw = read_csv(path, where, ("i", "j", "year", *COUNT_COLUMNS))
    lines = []
    year = pd.to_numeric(raw["year"], errors="coerce")
    if year.isna().any():
        lines.append(error_line(where, "year", f"whole years, got {raw.loc[year.isna(), 'year'].iloc[0]!r}"))
    counts = {}
    for col in COUNT_COLUMNS:
        parsed = pd.to_numeric(raw[col], errors="coerce")
        bad = parsed.isna() | (parsed < 0) | (parsed % 1 != 0)
        if bad.any():
            lines.append(error_line(where, col, f"non-negative whole event counts, got {raw.loc[bad, col].iloc[0]!r}"))
        counts[COUNT_COLUMNS[col]] = parsed
    if lines:
        raise HedgelabError(lines)
    names = pd.concat([raw["i"], raw["j"]]).astype(str).unique()
    codes = names_to_iso3(names, where=f"{where}: i/j")
    out = pd.DataFrame(
        {
            "source": raw["i"].astype(str).map(codes).astype("string"),
            "target": raw["j"].astype(str).map(codes).astype("string"),
            "year": year.astype("int16"),
            **{k: v.astype("int64") for k, v in counts.items()},
        }
    )
    for side, name_col, col in (("source", "i", "i_iso3c"), ("target", "j", "j_iso3c")):
        if col in raw.columns:
            given = raw[col].astype("string")
            clash = given.notna() & (given != out[side])
            if clash.any():
                k = clash.idxmax()
                raise HedgelabError(
                    error_line(where, col, f"the ISO3 code of {raw.loc[k, name_col]!r} "
                               f"({out.loc[k, side]}), got {given[k]!r}")
                )
    out["total"] = out[list(COUNT_COLUMNS.values())].sum(axis=1)
    dup = out.duplicated(["source", "target", "year"])
    if dup.any():
        first = out[dup].iloc[0]
        raise HedgelabError(
            error_line(where, "i/j/year", f"one row per directed dyad-year, got two for "
                       f"{first['source']}->{first['target']} {first['year']}")
        )
    return out.sort_values(["source", "target", "year"]).reset_index(drop=True)


def load_icews(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the ICEWS dyad-year counts (see :func:`read_icews`), through the Parquet cache."""
    path = dataset_file(DATASET, FILENAME, data_dir)
    return cached(DATASET, LOADER_VERSION, [path], lambda: read_icews(path))
