"""IMF Direction of Trade Statistics: goods exports (FOB) and imports (CIF) by partner.

Reads ``imf_dots/imf_dots_goods_trade_by_partner_1960_2020.csv`` (one row per reporter x sheet x
partner, one column per year). Caveats handled (shared/data/README.md):

* the IMF estimate flag (``"0.03 e"``) is stripped and kept as ``estimate = True``;
* partners mix countries and aggregates (World, Advanced Economies, "… not specified", the
  "Memorandum Items" block…): every partner gets a code and ``partner_is_country`` says which
  rows are countries; shares are computed against the ``World`` row (``WLD``);
* Taiwan appears only as a partner ("Taiwan Province of China" -> ``TWN``), never as reporter;
* the "European Union" reporter includes intra-EU trade (partner ``EUU``); see
  :func:`extra_eu`.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.codes import is_country, names_to_iso3
from hedgelab.data.loaders._cells import ANY_NUMBER, file_row
from hedgelab.data.loaders._common import numeric, year_columns
from hedgelab.data.sources import dataset_file, read_csv
from hedgelab.errors import HedgelabError, error_line

__all__ = ["VERSION", "extra_eu", "load_dots"]

VERSION = "3"
FILE = "imf_dots_goods_trade_by_partner_1960_2020.csv"
SHEETS = {"Exports, FOB": "exports", "Imports, CIF": "imports"}
UNIT = "US Dollars, Millions"
VALUE_DOMAIN = ANY_NUMBER
"""Trade values may be any finite number: the source holds a few small negative values (1960s
adjustments, e.g. -4.8), so a sign check would reject genuine data; text and ``inf`` are errors."""


def _parse(path: Path) -> pd.DataFrame:
    where = f"imf_dots: {path.name}"
    raw = read_csv(path, where, columns=["reporter", "sheet", "unit", "partner"], dtype=str,
                   keep_default_na=False, na_values=[""])
    years = year_columns(raw.columns, where)
    bad_sheet = sorted(set(raw["sheet"].dropna()) - set(SHEETS))
    if bad_sheet:
        raise HedgelabError(error_line(where, "sheet", f"one of {list(SHEETS)}, got {bad_sheet[:3]}"))
    bad_unit = sorted(set(raw["unit"].dropna()) - {UNIT})
    if bad_unit:
        raise HedgelabError(error_line(where, "unit", f"{UNIT!r}, got {bad_unit[:3]}"))
    raw = raw.assign(_row=file_row(raw.index)).dropna(subset=["reporter", "partner", "sheet"])
    rep = names_to_iso3(raw["reporter"].unique(), where=f"{where}: reporter")
    par = names_to_iso3(raw["partner"].unique(), where=f"{where}: partner", strict=False)
    long = raw.melt(id_vars=["reporter", "sheet", "partner", "_row"], value_vars=years, var_name="year", value_name="raw")
    long = long[long["raw"].notna() & (long["raw"].astype(str).str.strip() != "")]
    value, flag = numeric(long["raw"], where, column=long["year"], rows=long["_row"], domain=VALUE_DOMAIN)
    out = pd.DataFrame(
        {
            "reporter": long["reporter"].map(rep).astype("string"),
            "partner": long["partner"].map(par).astype("string"),
            "reporter_name": long["reporter"].astype("string"),
            "partner_name": long["partner"].astype("string"),
            "flow": long["sheet"].map(SHEETS).astype("string"),
            "year": pd.to_numeric(long["year"]).astype("int64"),
            "value": value.to_numpy(),
            "estimate": (flag == "estimate").fillna(False).astype(bool).to_numpy(),
        }
    )
    out = out.dropna(subset=["value"])
    out["partner_is_country"] = out["partner"].map(lambda c: bool(is_country(c)) if isinstance(c, str) else False).astype(bool)
    out = out.drop_duplicates(["reporter", "partner_name", "flow", "year"], keep="first")
    return out.sort_values(["reporter", "flow", "partner_name", "year"]).reset_index(drop=True)


def load_dots(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load IMF DOTS as a tidy table.

    Returns
    -------
    pandas.DataFrame
        ``reporter`` (ISO3 or aggregate code), ``partner`` (code; None for an unmapped name),
        ``reporter_name``, ``partner_name`` (as in the source), ``flow`` ("exports" FOB /
        "imports" CIF), ``year`` (int), ``value`` (current US$ millions, float), ``estimate``
        (IMF "e" flag), ``partner_is_country`` (False for aggregates).
    """
    path = dataset_file("imf_dots", FILE, data_dir)
    return cached("imf_dots", VERSION, [path], lambda: _parse(path))


def extra_eu(dots: pd.DataFrame) -> pd.DataFrame:
    """The EU reporter's trade with World minus its trade with the partner EU (extra-EU trade)."""
    eu = dots[dots["reporter"] == "EUU"]
    world = eu[eu["partner"] == "WLD"].set_index(["flow", "year"])["value"]
    intra = eu[eu["partner"] == "EUU"].set_index(["flow", "year"])["value"]
    res = (world - intra.reindex(world.index).fillna(0.0)).rename("value").reset_index()
    res.insert(0, "reporter", "EUU")
    return res
