"""COW state-system membership v2016, in ISO3: which states exist in which years.

Used to tell "no alliance" (0) from "no state" (missing) in dyad-year indicators. Membership
spells ending in 2016 (the version year) are treated as continuing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.loaders._cells import COUNT, YEAR, check_cells
from hedgelab.data.loaders._common import cow_column
from hedgelab.data.sources import dataset_file, read_csv

__all__ = ["VERSION", "load_states", "state_years"]

VERSION = "2"
FILE = "cow_states_2016.csv"
OPEN_END = 9999


def _parse(path: Path) -> pd.DataFrame:
    where = f"cow_states: {path.name}"
    raw = read_csv(path, where, columns=["ccode", "styear", "endyear", "version"], dtype=str, keep_default_na=False)
    cells = check_cells(raw, where, {"ccode": COUNT, "styear": YEAR, "endyear": YEAR, "version": YEAR}, {},
                        required=("ccode", "styear", "endyear", "version"))
    d = pd.DataFrame({"country": cow_column(raw["ccode"], where).astype("string"),
                      "ccode": cells["ccode"].astype("int64"),
                      "start_year": cells["styear"].astype("int64"),
                      "end_year": cells["endyear"].astype("int64")})
    version = cells["version"].max()
    d.loc[d["end_year"] >= version, "end_year"] = OPEN_END
    return d.sort_values(["country", "start_year"]).reset_index(drop=True)


def load_states(data_dir: str | Path | None = None) -> pd.DataFrame:
    """``country, ccode, start_year, end_year`` (one row per membership spell)."""
    path = dataset_file("cow_states", FILE, data_dir)
    return cached("cow_states", VERSION, [path], lambda: _parse(path))


def state_years(states: pd.DataFrame, country: str, first: int, last: int) -> set[int]:
    """Years in ``[first, last]`` in which ``country`` is a member of the state system."""
    out: set[int] = set()
    for r in states[states["country"] == country].itertuples():
        out.update(range(max(first, r.start_year), min(last, r.end_year) + 1))
    return out
