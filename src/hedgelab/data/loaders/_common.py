"""Helpers shared by the loaders: code mapping, number parsing, year columns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

import pandas as pd

from hedgelab.data.codes import COW_PRIORITY, COW_TO_ISO3, nearest_cow
from hedgelab.data.loaders._cells import Domain, parse_cells
from hedgelab.errors import HedgelabError, error_line

__all__ = ["collapse_cow", "cow_column", "numeric", "year_columns"]


def cow_column(codes: pd.Series, where: str) -> pd.Series:
    """Map a column of COW state codes to ISO3; every unknown code is reported, with suggestions."""
    num = pd.to_numeric(codes, errors="coerce")
    bad_num = codes[num.isna()].unique().tolist()
    mapped = num.map(COW_TO_ISO3)
    unknown = sorted(set(num[mapped.isna() & num.notna()].astype(int).tolist()))
    lines = [error_line(where, f"COW code {v!r}", "an integer COW state code") for v in bad_num[:5]]
    lines += [
        error_line(where, f"COW code {c}", f"a COW state code{nearest_cow(c)}")
        for c in unknown[:5]
    ]
    if lines:
        raise HedgelabError(lines)
    return mapped.astype(object)


def collapse_cow(df: pd.DataFrame, keys: Sequence[str], code_cols: Sequence[str], how: str = "priority") -> pd.DataFrame:
    """Merge rows that two COW codes map to one ISO3 in the same year (255/260 -> DEU).

    ``how="priority"``: keep the row of the preferred code (:data:`COW_PRIORITY`), filling its
    missing values from the other row. ``how="max"``: element-wise maximum (for 0/1 flags).
    ``code_cols`` are the original COW code columns, used for the priority.
    """
    dup = df.duplicated(list(keys), keep=False)
    if not dup.any():
        return df
    clean = df[~dup]
    d = df[dup].copy()
    d["_rank"] = sum(d[c].map(lambda v: COW_PRIORITY.get(int(v), 0)) for c in code_cols)
    d = d.sort_values("_rank", kind="stable").drop(columns="_rank")
    if how == "max":
        merged = d.groupby(list(keys), as_index=False, sort=False).max()
    else:
        merged = d.groupby(list(keys), as_index=False, sort=False).first()
    return pd.concat([clean, merged[df.columns]], ignore_index=True)


def numeric(
    values: pd.Series,
    where: str,
    markers: Mapping[str, str] | None = None,
    *,
    column: str | pd.Series,
    rows: np.ndarray | pd.Series,
    domain: Domain,
) -> tuple[pd.Series, pd.Series]:
    """Parse numbers stored as text in the source's notation; return (float values, status).

    Comma thousands separators (``1,420.58``, found in some DOTS cells) are removed. A trailing
    ``e`` (IMF estimate flag) is stripped and reported as status ``"estimate"``. Strings in
    ``markers`` (e.g. SIPRI ``...``, ``xxx``) and empty cells become NaN with their meaning as the
    status (``"missing"`` for an empty cell); numbers get ``"value"``. Any other text, and any
    number outside ``domain``, raises one line per cell naming the row and column
    (:func:`hedgelab.data.loaders._cells.parse_cells`).
    """
    missing = {"": "missing", **(markers or {})}
    s = values.astype("string").fillna("").str.strip()
    s = s.mask(s.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d*)?( ?e)?", na=False), s.str.replace(",", "", regex=False))
    est = s.str.contains(r"\d\s*e$", regex=True, na=False)
    s = s.mask(est, s.str.replace(r"\s*e$", "", regex=True))
    num, status = parse_cells(s, where=where, column=column, rows=rows, domain=domain, missing=missing)
    return num, status.mask(est, "estimate")


def year_columns(columns: Sequence[object], where: str) -> list[str]:
    """Columns whose name is a four-digit year; raise if there are none."""
    years = [str(c) for c in columns if str(c).strip().isdigit() and len(str(c).strip()) == 4]
    if not years:
        raise HedgelabError(error_line(where, "columns", "year columns such as 1990, 1991, …"))
    return years


def int_years(s: pd.Series) -> pd.Series:
    """Year strings to int64."""
    return pd.to_numeric(s, errors="raise").astype("int64")

