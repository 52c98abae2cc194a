"""ATOP v5.1 directed dyad-year alliance obligations, in ISO3.

A row (``country``, ``partner``, ``year``) records the obligations ``country`` has toward
``partner`` (directed: US->JPN has a defence pledge, JPN->US does not). Flags are 0/1 ``int8``.
Rows exist only for dyad-years with an alliance in force; absence means no obligation. Where COW
code changes map two rows to one ISO3 dyad-year (255/260), the flags are combined by maximum.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.loaders._cells import FLAG, YEAR, check_cells
from hedgelab.data.loaders._common import collapse_cow, cow_column
from hedgelab.data.sources import dataset_file, read_csv

__all__ = ["FLAGS", "VERSION", "load_atop"]

VERSION = "2"
MISSING = {"": "missing", "NA": "missing"}
"""An empty or ``NA`` obligation cell is read as 0 (no obligation), as before."""
FILE = "atop_alliance_v5_1_ddy.csv"
FLAGS = ["atop_defense", "atop_offense", "atop_neutral", "atop_nonagg", "atop_consul"]


def _parse(path: Path) -> pd.DataFrame:
    where = f"alliances_atop: {path.name}"
    raw = read_csv(path, where, columns=["ccode1", "ccode2", "year", *FLAGS], dtype=str, keep_default_na=False)
    raw = raw.assign(**check_cells(raw, where, {"year": YEAR, **dict.fromkeys(FLAGS, FLAG)}, MISSING, required=("year",)))
    d = raw[["ccode1", "ccode2", "year", *FLAGS]].copy()
    d["country"] = cow_column(d["ccode1"], where)
    d["partner"] = cow_column(d["ccode2"], where)
    d["year"] = pd.to_numeric(d["year"]).astype("int64")
    for f in FLAGS:
        v = pd.to_numeric(d[f], errors="coerce").fillna(0)
        d[f] = (v > 0).astype("int8")
    d = d[d["country"] != d["partner"]]
    d = collapse_cow(d, ["country", "partner", "year"], ["ccode1", "ccode2"], how="max")
    out = d[["country", "partner", "year", *FLAGS]].rename(columns={f: f.removeprefix("atop_") for f in FLAGS})
    out["country"] = out["country"].astype("string")
    out["partner"] = out["partner"].astype("string")
    return out.sort_values(["country", "partner", "year"]).reset_index(drop=True)


def load_atop(data_dir: str | Path | None = None) -> pd.DataFrame:
    """``country, partner, year, defense, offense, neutral, nonagg, consul`` (directed, 0/1)."""
    path = dataset_file("alliances_atop", FILE, data_dir)
    return cached("alliances_atop", VERSION, [path], lambda: _parse(path))
