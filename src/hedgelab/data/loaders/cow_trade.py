"""Correlates of War Trade v4.0: dyadic flows and national totals, in ISO3.

Files ``cow_trade/cow_trade_ndy_v4.csv`` (non-directed dyads: ``flow1`` = imports of ``ccode1``
from ``ccode2``, ``flow2`` = the reverse; current US$ millions, rounded by peacesciencer) and
``cow_trade/cow_trade_sy_v4.csv`` (national imports and exports). COW codes are mapped with
:mod:`hedgelab.data.codes`; West Germany (260) and Germany (255) become ``DEU``, and where both
appear in one year the 255 row wins, its gaps filled from 260.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.loaders._cells import NON_NEGATIVE, YEAR, check_cells
from hedgelab.data.loaders._common import collapse_cow, cow_column
from hedgelab.data.sources import dataset_file, read_csv

__all__ = ["VERSION", "load_cow_dyadic", "load_cow_national"]

VERSION = "2"
FLOWS = ("flow1", "flow2", "smoothflow1", "smoothflow2")
MISSING = {"": "missing", "NA": "missing", "-9": "missing"}
"""Missing-value markers: empty and ``NA`` (peacesciencer) and COW's original ``-9``."""
DYADIC = "cow_trade_ndy_v4.csv"
NATIONAL = "cow_trade_sy_v4.csv"


def _parse_dyadic(path: Path) -> pd.DataFrame:
    where = f"cow_trade: {path.name}"
    raw = read_csv(path, where, columns=["ccode1", "ccode2", "year", "flow1", "flow2", "smoothflow1", "smoothflow2"],
                   dtype=str, keep_default_na=False)
    raw = raw.assign(**check_cells(raw, where, {"year": YEAR, **dict.fromkeys(FLOWS, NON_NEGATIVE)}, MISSING, required=("year",)))
    a = pd.DataFrame({"c_imp": raw["ccode1"], "c_exp": raw["ccode2"], "year": raw["year"],
                      "imports": raw["flow1"], "smooth_imports": raw["smoothflow1"]})
    b = pd.DataFrame({"c_imp": raw["ccode2"], "c_exp": raw["ccode1"], "year": raw["year"],
                      "imports": raw["flow2"], "smooth_imports": raw["smoothflow2"]})
    d = pd.concat([a, b], ignore_index=True)
    d["importer"] = cow_column(d["c_imp"], where)
    d["exporter"] = cow_column(d["c_exp"], where)
    d["year"] = pd.to_numeric(d["year"]).astype("int64")
    for c in ("imports", "smooth_imports"):
        d[c] = pd.to_numeric(d[c], errors="coerce").astype("float64")
    d = d[d["importer"] != d["exporter"]]
    d = collapse_cow(d, ["importer", "exporter", "year"], ["c_imp", "c_exp"])
    d = d.dropna(subset=["imports", "smooth_imports"], how="all")
    out = d[["importer", "exporter", "year", "imports", "smooth_imports"]].copy()
    out["importer"] = out["importer"].astype("string")
    out["exporter"] = out["exporter"].astype("string")
    return out.sort_values(["importer", "exporter", "year"]).reset_index(drop=True)


def _parse_national(path: Path) -> pd.DataFrame:
    where = f"cow_trade: {path.name}"
    raw = read_csv(path, where, columns=["ccode", "year", "imports", "exports"], dtype=str, keep_default_na=False)
    raw = raw.assign(**check_cells(raw, where, {"year": YEAR, "imports": NON_NEGATIVE, "exports": NON_NEGATIVE}, MISSING, required=("year",)))
    d = raw[["ccode", "year", "imports", "exports"]].copy()
    d["country"] = cow_column(d["ccode"], where)
    d["year"] = pd.to_numeric(d["year"]).astype("int64")
    for c in ("imports", "exports"):
        d[c] = pd.to_numeric(d[c], errors="coerce").astype("float64")
    d = collapse_cow(d, ["country", "year"], ["ccode"])
    d = d.dropna(subset=["imports", "exports"], how="all")
    out = d[["country", "year", "imports", "exports"]].copy()
    out["country"] = out["country"].astype("string")
    return out.sort_values(["country", "year"]).reset_index(drop=True)


def load_cow_dyadic(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Directed COW trade: ``importer, exporter, year, imports, smooth_imports`` (US$ m).

    Each non-directed row becomes two directed rows (imports of each side from the other).
    """
    path = dataset_file("cow_trade", DYADIC, data_dir)
    return cached("cow_trade_dyadic", VERSION, [path], lambda: _parse_dyadic(path))


def load_cow_national(data_dir: str | Path | None = None) -> pd.DataFrame:
    """National COW trade totals: ``country, year, imports, exports`` (current US$ m)."""
    path = dataset_file("cow_trade", NATIONAL, data_dir)
    return cached("cow_trade_national", VERSION, [path], lambda: _parse_national(path))
