"""SIPRI Arms Transfers Database trade register (deliveries), in ISO3.

One row per deal x delivery year. ``tiv`` = "TIV delivery values" (SIPRI trend-indicator values,
millions; a volume measure, not prices). Estimate flags ("… is estimate": Yes/No) become
booleans. ``unknown supplier(s)`` gets the aggregate code ``QUN`` (kept in totals, never a
partner country). Coverage: deliveries 1995 onward only.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.codes import names_to_iso3
from hedgelab.data.sources import dataset_file, read_csv
from hedgelab.errors import HedgelabError, error_line

__all__ = ["VERSION", "load_sipri_arms"]

VERSION = "1"
FILE = "sipri_trade_register_deliveries_1995_2024_recipients_subset.csv"
REQUIRED = [
    "SIPRI AT Database ID", "Supplier", "Recipient", "Designation", "Armament category",
    "Numbers delivered", "Numbers delivered is estimate", "Delivery year", "Delivery year is estimate",
    "Status", "TIV deal unit", "TIV delivery values",
]


def _yes(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.lower().eq("yes").fillna(False).astype(bool)


def _parse(path: Path) -> pd.DataFrame:
    where = f"sipri_arms_transfers: {path.name}"
    raw = read_csv(path, where, columns=REQUIRED)
    sup = names_to_iso3(raw["Supplier"].dropna().unique(), where=f"{where}: Supplier")
    rec = names_to_iso3(raw["Recipient"].dropna().unique(), where=f"{where}: Recipient")
    year = pd.to_numeric(raw["Delivery year"], errors="coerce")
    tiv = pd.to_numeric(raw["TIV delivery values"], errors="coerce")
    bad = raw["TIV delivery values"].notna() & tiv.isna()
    if bad.any() or year.isna().any():
        ex = raw.loc[bad | year.isna(), ["Delivery year", "TIV delivery values"]].head(3).values.tolist()
        raise HedgelabError(error_line(where, "Delivery year / TIV delivery values", f"numbers, got {ex}"))
    out = pd.DataFrame(
        {
            "deal_id": pd.to_numeric(raw["SIPRI AT Database ID"], errors="coerce").astype("Int64"),
            "supplier": raw["Supplier"].map(sup).astype("string"),
            "recipient": raw["Recipient"].map(rec).astype("string"),
            "supplier_name": raw["Supplier"].astype("string"),
            "year": year.astype("int64"),
            "tiv": tiv.astype("float64"),
            "numbers": pd.to_numeric(raw["Numbers delivered"], errors="coerce").astype("float64"),
            "tiv_unit": pd.to_numeric(raw["TIV deal unit"], errors="coerce").astype("float64"),
            "category": raw["Armament category"].astype("string"),
            "designation": raw["Designation"].astype("string"),
            "status": raw["Status"].astype("string"),
            "numbers_estimate": _yes(raw["Numbers delivered is estimate"]),
            "year_estimate": _yes(raw["Delivery year is estimate"]),
        }
    )
    return out.sort_values(["recipient", "year", "supplier"], kind="stable").reset_index(drop=True)


def load_sipri_arms(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Deliveries: ``deal_id, supplier, recipient, supplier_name, year, tiv, numbers, tiv_unit,
    category, designation, status, numbers_estimate, year_estimate``."""
    path = dataset_file("sipri_arms_transfers", FILE, data_dir)
    return cached("sipri_arms_transfers", VERSION, [path], lambda: _parse(path))
