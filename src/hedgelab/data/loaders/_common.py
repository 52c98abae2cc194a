"""Helpers shared by the loaders: code mapping, number parsing, year columns."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from hedgelab.data.codes import COW_PRIORITY, COW_TO_ISO3, nearest_cow
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


def numeric(values: pd.Series, where: str, markers: dict[str, str] | None = None) -> tuple[pd.Series, pd.Series]:
    """Parse numbers stored as text; return (float values, flag).

    Comma thousands separators (``1,420.58``, found in some DOTS cells) are removed. A trailing
    ``e`` (IMF estimate flag) is stripped and reported as flag ``"estimate"``. Strings in
    ``markers`` (e.g. SIPRI ``...``, ``xxx``) become NaN with their meaning as the flag. Any other
    non-numeric text raises, quoting up to three examples.
    """
    markers = markers or {}
    s = values.astype("string").str.strip()
    flag = pd.Series(pd.NA, index=values.index, dtype="string")
    s = s.mask(s.str.fullmatch(r"-?\d{1,3}(,\d{3})+(\.\d*)?( ?e)?", na=False), s.str.replace(",", "", regex=False))
    est = s.str.contains(r"\d\s*e$", regex=True, na=False)
    s = s.mask(est, s.str.replace(r"\s*e$", "", regex=True))
    flag = flag.mask(est, "estimate")
    for text, meaning in markers.items():
        hit = (s == text).fillna(False).astype(bool)
        flag = flag.mask(hit, meaning)
        s = s.mask(hit, pd.NA)
    num = pd.to_numeric(s, errors="coerce")
    bad = s.notna() & (s != "") & num.isna()
    if bad.any():
        examples = ", ".join(repr(v) for v in s[bad].unique()[:3])
        raise HedgelabError(error_line(where, "values", f"numbers (or the markers {list(markers) or ['<n> e']}), got {examples}"))
    return num.astype("float64"), flag


def year_columns(columns: Sequence[object], where: str) -> list[str]:
    """Columns whose name is a four-digit year; raise if there are none."""
    years = [str(c) for c in columns if str(c).strip().isdigit() and len(str(c).strip()) == 4]
    if not years:
        raise HedgelabError(error_line(where, "columns", "year columns such as 1990, 1991, …"))
    return years


def int_years(s: pd.Series) -> pd.Series:
    """Year strings to int64."""
    return pd.to_numeric(s, errors="raise").astype("int64")

