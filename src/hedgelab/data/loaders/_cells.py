"""Cell-level integrity of the source tables: a number in its domain, a missing marker, or an error.

Every numeric column a loader reads goes through :func:`parse_cells`. A cell is one of

* a number inside the column's :class:`Domain` (a share in [0, 1], a count >= 0, …);
* one of the missing-value markers the source documents (SIPRI ``...`` and ``xxx``, the World
  Bank's ``..``, COW's ``-9``, an empty cell where the source leaves cells empty): the value is
  missing (NaN) and the marker's meaning is returned as its status;
* anything else: a :class:`~hedgelab.errors.HedgelabError` with one line per bad cell (up to
  :data:`MAX_LINES`), each naming the file, the data row (and the file line: the header is
  line 1), the column, the expected domain and the text found. No row is ever dropped silently.

Loaders read the numeric columns as text (``dtype=str, keep_default_na=False``) so that pandas'
own list of NA spellings ("n/a", "NULL", "nan", …) cannot turn a damaged cell into a quiet NaN.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "ANY_NUMBER",
    "COUNT",
    "EMPTY",
    "FLAG",
    "MAX_LINES",
    "NON_NEGATIVE",
    "PERCENT",
    "SHARE",
    "YEAR",
    "Domain",
    "check_cells",
    "file_row",
    "parse_cells",
]

MAX_LINES = 5
"""At most this many bad cells are listed one per line; a last line counts the rest."""


@dataclass(frozen=True)
class Domain:
    """The values a numeric column may hold.

    Attributes
    ----------
    text : str
        How the domain reads in an error line ("a share in [0, 1]").
    low, high : float or None
        Inclusive bounds; None = unbounded on that side. Non-finite numbers are always outside.
    integer : bool
        Whole numbers only.
    """

    text: str
    low: float | None = None
    high: float | None = None
    integer: bool = False

    def outside(self, values: np.ndarray) -> np.ndarray:
        """Boolean mask of the non-missing ``values`` that are not in the domain."""
        v = np.asarray(values, dtype="float64")
        present = ~np.isnan(v)
        bad = present & ~np.isfinite(v)
        with np.errstate(invalid="ignore"):
            if self.low is not None:
                bad |= present & (v < self.low)
            if self.high is not None:
                bad |= present & (v > self.high)
            if self.integer:
                bad |= present & np.isfinite(v) & (v != np.round(v))
        return bad


ANY_NUMBER = Domain("a finite number")
NON_NEGATIVE = Domain("a number >= 0", low=0.0)
SHARE = Domain("a share in [0, 1]", low=0.0, high=1.0)
PERCENT = Domain("a percentage in [0, 100]", low=0.0, high=100.0)
COUNT = Domain("a whole number >= 0", low=0.0, integer=True)
FLAG = Domain("0 or 1", low=0.0, high=1.0, integer=True)
YEAR = Domain("a year (a whole number in 1000-2999)", low=1000.0, high=2999.0, integer=True)

EMPTY: Mapping[str, str] = {"": "missing"}
"""The marker set of sources that leave a missing cell empty."""


def file_row(index: pd.Index | pd.Series) -> np.ndarray:
    """Data-row numbers (1-based) of rows read by ``pandas.read_csv`` with its default index."""
    return np.asarray(index, dtype="int64") + 1


def _markers_text(missing: Mapping[str, str]) -> str:
    shown = [repr(m) if m else "empty" for m in missing]
    return f" or a missing marker ({', '.join(shown)})" if shown else ""


def parse_cells(
    text: pd.Series,
    *,
    where: str,
    column: str | pd.Series,
    rows: np.ndarray | pd.Series,
    domain: Domain,
    missing: Mapping[str, str],
) -> tuple[pd.Series, pd.Series]:
    """Parse text cells into numbers in ``domain``; raise on anything else.

    Parameters
    ----------
    text : Series of str
        Raw cells (already cleaned of source notation such as thousands separators). NaN/None
        is treated as the empty string.
    where : str
        ``"<dataset>: <file>"`` for the error lines.
    column : str or Series of str
        The column name, or one name per cell (wide tables melted to long: the year column).
    rows : array of int
        Data-row number of each cell in the file (1-based; the file line is one more).
    domain : Domain
        What a number in this column may be.
    missing : mapping of str to str
        Documented missing-value markers -> their meaning (the status of such a cell).

    Returns
    -------
    (Series of float, Series of str)
        The values (NaN where missing) and a status per cell: ``"value"`` or the marker's meaning.
    """
    s = text.astype("string").fillna("").str.strip()
    status = pd.Series("value", index=s.index, dtype="string")
    is_marker = s.isin(list(missing))
    for marker, meaning in missing.items():
        status = status.mask(s == marker, meaning)
    number = pd.to_numeric(s.mask(is_marker, pd.NA), errors="coerce").astype("float64")
    not_number = (~is_marker) & number.isna()
    outside = pd.Series(domain.outside(number.to_numpy()), index=s.index)
    bad = not_number | outside
    if bad.any():
        cols = column if isinstance(column, pd.Series) else pd.Series(column, index=s.index)
        row_no = pd.Series(np.asarray(rows), index=s.index)
        lines = []
        for k in s.index[bad.to_numpy()][:MAX_LINES]:
            r = int(row_no[k])
            lines.append(error_line(where, f"row {r} (line {r + 1}), column {cols[k]!r}",
                                    f"{domain.text}{_markers_text(missing)}, got {s[k]!r}"))
        extra = int(bad.sum()) - len(lines)
        if extra > 0:
            lines.append(error_line(where, f"{extra} more cells", f"{domain.text}{_markers_text(missing)}"))
        raise HedgelabError(lines)
    return number.mask(is_marker), status


def check_cells(
    raw: pd.DataFrame,
    where: str,
    domains: Mapping[str, Domain],
    missing: Mapping[str, str],
    required: Sequence[str] = (),
) -> dict[str, pd.Series]:
    """Parse several columns of one table read with text cells; all problems are raised together.

    ``missing`` applies to every column except those in ``required`` (identifiers such as the
    year), which must hold a number in their domain in every row.

    Returns
    -------
    dict of str to Series of float
        The parsed values per column (NaN where missing).
    """
    rows = file_row(raw.index)
    out: dict[str, pd.Series] = {}
    lines: list[str] = []
    for col, domain in domains.items():
        try:
            markers = {} if col in required else missing
            out[col], _ = parse_cells(raw[col], where=where, column=col, rows=rows, domain=domain, missing=markers)
        except HedgelabError as err:
            lines.extend(err.lines)
    if lines:
        raise HedgelabError(lines)
    return out
