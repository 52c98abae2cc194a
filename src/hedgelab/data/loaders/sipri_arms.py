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
from hedgelab.data.loaders._cells import COUNT, NON_NEGATIVE, YEAR, check_cells

__all__ = ["VERSION", "load_sipri_arms"]

VERSION = "2"
FILE = "sipri_trade_register_deliveries_1995_2024_recipients_subset.csv"
REQUIRED = [
    "SIPRI AT Database ID", "Supplier", "Recipient", "Designation", "Armament category",
    "Numbers delivered", "Numbers delivered is estimate", "Delivery year", "Delivery year is estimate",
    "Status", "TIV deal unit", "TIV delivery values",
]
DOMAINS = {
    "SIPRI AT Database ID": COUNT,
    "Numbers delivered": NON_NEGATIVE,
    "Delivery year": YEAR,
    "TIV deal unit": NON_NEGATIVE,
    "TIV delivery values": NON_NEGATIVE,
}
"""Numeric columns and their domains; the year and the TIV of a delivery may not be empty."""


def _yes(s: pd.Series) -> pd.Series:
    return s.astype("string").str.strip().str.lower().eq("yes").fillna(False).astype(bool)


def _parse(path: Path) -> pd.DataFrame:
    where = f"sipri_arms_transfers: {path.name}"
    raw = read_csv(path, where, columns=REQUIRED, dtype=str, keep_default_na=False)
    cells = check_cells(raw, where, DOMAINS, {"": "missing"}, required=("Delivery year", "TIV delivery values"))
    raw = raw.replace("", pd.NA)
    sup = names_to_iso3(raw["Supplier"].dropna().unique(), where=f"{where}: Supplier")
    rec = names_to_iso3(raw["Recipient"].dropna().unique(), where=f"{where}: Recipient")
    year = cells["Delivery year"]
    tiv = cells["TIV delivery values"]
    out = pd.DataFrame(
        {
            "deal_id": cells["SIPRI AT Database ID"].astype("Int64"),
            "supplier": raw["Supplier"].map(sup).astype("string"),
            "recipient": raw["Recipient"].map(rec).astype("string"),
            "supplier_name": raw["Supplier"].astype("string"),
            "year": year.astype("int64"),
            "tiv": tiv.astype("float64"),
            "numbers": cells["Numbers delivered"],
            "tiv_unit": cells["TIV deal unit"],
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
