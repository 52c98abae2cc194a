"""COW National Material Capabilities v7.0 in ISO3.

``milex`` is in thousands: current US$ from 1914, British pounds before (``milex_currency``).
``milper``, ``tpop``, ``upop`` are thousands, ``irst`` thousand tons, ``pec`` thousand coal-ton
equivalents, ``cinc`` a share of world capabilities. The original ``-9`` is missing. Germany 255
and 260 both map to ``DEU``; in 1990, when both appear, the 255 row wins and 260 fills its gaps.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.loaders._cells import NON_NEGATIVE, SHARE, YEAR, check_cells
from hedgelab.data.loaders._common import collapse_cow, cow_column
from hedgelab.data.sources import dataset_file, read_csv

__all__ = ["VERSION", "load_nmc"]

VERSION = "2"
DOMAINS = {"year": YEAR, **dict.fromkeys(("milex", "milper", "irst", "pec", "tpop", "upop"), NON_NEGATIVE), "cinc": SHARE}
"""Each numeric column's domain: amounts >= 0, ``cinc`` a share of the world total in [0, 1]."""
MISSING = {"": "missing", "NA": "missing", "-9": "missing"}
"""Missing-value markers: empty and ``NA`` (peacesciencer) and COW's original ``-9``."""
FILE = "cow_nmc_v7.csv"
COLUMNS = ["ccode", "year", "milex", "milper", "irst", "pec", "tpop", "upop", "cinc"]


def _parse(path: Path) -> pd.DataFrame:
    where = f"cow_nmc: {path.name}"
    raw = read_csv(path, where, columns=COLUMNS, dtype=str, keep_default_na=False)
    raw = raw.assign(**check_cells(raw, where, DOMAINS, MISSING, required=("year",)))
    d = raw[COLUMNS].copy()
    d["country"] = cow_column(d["ccode"], where)
    d["year"] = pd.to_numeric(d["year"]).astype("int64")
    for c in COLUMNS[2:]:
        d[c] = pd.to_numeric(d[c], errors="coerce").astype("float64")
        d.loc[d[c] == -9, c] = float("nan")
    d = collapse_cow(d, ["country", "year"], ["ccode"])
    d["milex_currency"] = pd.Series(["USD" if y >= 1914 else "GBP" for y in d["year"]], index=d.index, dtype="string")
    out = d[["country", "year", *COLUMNS[2:], "milex_currency"]].copy()
    out["country"] = out["country"].astype("string")
    return out.sort_values(["country", "year"]).reset_index(drop=True)


def load_nmc(data_dir: str | Path | None = None) -> pd.DataFrame:
    """``country, year, milex, milper, irst, pec, tpop, upop, cinc, milex_currency``."""
    path = dataset_file("cow_nmc", FILE, data_dir)
    return cached("cow_nmc", VERSION, [path], lambda: _parse(path))
