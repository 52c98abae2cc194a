"""Loader for UNCTAD Bilateral FDI Statistics, Table 1 (FDI inflows to a host by origin).

Reads the raw scraped country tables (``shared/data/unctad_fdi/…_raw.csv``; one block of rows
per host file) into a tidy, typed table, handling every caveat of the data README:

- values are strings with spaces as thousands separators (``"6 241"`` = 6241);
- a leading ``--`` or ``- -`` marks a negative number (``"--6 506"`` = -6506, ``"- -8"`` = -8);
- ``..`` (not available) and the ``/...`` continuation marker are missing values;
- page breaks repeat the title, unit and header rows ("Table 1 … (continued)"/"(concluded)");
- source and note rows ("Source: UNCTAD FDI/TNC database, based on data from …");
- the "Region / economy" label sits in ``c1``–``c5``, the column giving its level in the
  hierarchy; a row is an *aggregate* when the next data row is deeper (World, Developed
  economies, Europe, European Union, …). Region names that have no breakdown in a given host
  table are flagged as aggregates too (they are regions, not economies);
- ``c7``–``c18`` are the years 2001–2012 (checked against each header row).

Output columns (one row per host x origin label x year):

===============  =========  ======================================================
host             string     ISO3 of the reporting (host) economy, from ``host_file``
origin           string     ISO3 of the origin economy; <NA> for aggregates/unspecified
origin_label     string     the label as printed by UNCTAD
level            int8       1 (World) … 5, the label's column
kind             string     "economy", "aggregate" or "unspecified"
parent           string     label of the enclosing aggregate (<NA> for World)
parent_row       int32      original row number of that aggregate (-1 for World)
year             int16      2001–2012
value            float64    FDI inflow, millions of current US$ (NaN where "..")
host_file, row   string/int provenance: source file and original row number
===============  =========  ======================================================

Flows are **inward, by immediate origin**: investment routed through Hong Kong, Singapore, the
Netherlands or Caribbean centres is booked to those places (see
:mod:`hedgelab.data.indicators.fdi` for the pass-through correction).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from hedgelab.data.cache import cached
from hedgelab.data.codes import is_aggregate, names_to_iso3
from hedgelab.data.sources import dataset_file, read_csv
from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "DATASET",
    "FILENAME",
    "LOADER_VERSION",
    "YEARS",
    "load_unctad_fdi",
    "parse_unctad_table",
    "parse_value",
    "read_unctad_fdi",
]

DATASET = "unctad_fdi"
FILENAME = "unctad_bilateral_fdi_inflows_by_origin_raw.csv"
#: Bumped whenever the parsed output changes, so cached Parquet files are rebuilt.
LOADER_VERSION = "1"
YEARS = tuple(range(2001, 2013))
YEAR_COLUMNS = tuple(f"c{i}" for i in range(7, 19))
LABEL_COLUMNS = tuple(f"c{i}" for i in range(1, 6))
REQUIRED_COLUMNS = ("host_file", "host_header", "row", *LABEL_COLUMNS, *YEAR_COLUMNS)

_MISSING = {"", "NA", "..", "...", "/...", "-", "nan"}
_NUMBER = re.compile(r"^(?P<neg>--|- -)?\s*(?P<digits>\d{1,3}(?: \d{3})*|\d+)(?P<frac>\.\d+)?$")

def parse_value(raw: object) -> float:
    """Convert one UNCTAD cell to a float (millions of US$).

    ``"6 241"`` -> 6241.0; ``"--6 506"`` and ``"- -6 506"`` -> -6506.0; ``"- -0"`` -> -0.0;
    ``""``, ``"NA"``, ``".."``, ``"/..."`` -> NaN.

    Raises
    ------
    ValueError
        For any other text (the caller turns it into a :class:`HedgelabError` naming the
        file, row and column).
    """
    if raw is None or (isinstance(raw, float) and np.isnan(raw)):
        return float("nan")
    if isinstance(raw, (int, float, np.integer, np.floating)):
        return float(raw)
    text = str(raw).strip()
    if text in _MISSING:
        return float("nan")
    match = _NUMBER.match(text)
    if match is None:
        raise ValueError(f"not an UNCTAD number: {text!r}")
    magnitude = float(match["digits"].replace(" ", "") + (match["frac"] or ""))
    return -magnitude if match["neg"] else magnitude


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return ""
    text = str(value).strip()
    return "" if text == "NA" else text


def _host_iso3(host_file: str) -> str:
    return Path(host_file).stem.upper()


def parse_unctad_table(raw: pd.DataFrame, file: str = FILENAME) -> pd.DataFrame:
    """Turn the raw rows (columns ``host_file, host_header, row, c1…c18``) into the tidy table.

    Parameters
    ----------
    raw : DataFrame
        The raw CSV read with every column as text.
    file : str
        File name used in error messages.

    Raises
    ------
    HedgelabError
        A header row whose years are not 2001–2012 in ``c7``–``c18``, or a value cell that is
        not an UNCTAD number, each as a line naming the dataset, file, row and column.
    """
    where = f"{DATASET} ({file})"
    problems: list[str] = []
    records: list[tuple] = []
    for host_file, block in raw.groupby("host_file", sort=False):
        host = _host_iso3(str(host_file))
        # First pass: keep the data rows (label + level + values), skipping page furniture.
        rows: list[tuple[int, int, str, list[float]]] = []
        for rec in block.itertuples(index=False):
            labels = [_cell(getattr(rec, c)) for c in LABEL_COLUMNS]
            filled = [i for i, text in enumerate(labels) if text]
            first = labels[filled[0]] if filled else ""
            cells = [_cell(getattr(rec, c)) for c in YEAR_COLUMNS]
            if first == "Region / economy":
                if cells != [str(y) for y in YEARS]:
                    problems.append(
                        error_line(
                            f"{where}: {host_file} row {rec.row}",
                            "c7-c18",
                            f"the years 2001-2012 in the header row, got {cells}",
                        )
                    )
                continue
            if (
                not filled
                or first.startswith("Table ")
                or first.startswith("(")
                or first.startswith("Source:")
                or first.startswith("Note:")
            ):
                continue  # blank, page-break title/unit rows, source and note rows
            values = []
            for column, text in zip(YEAR_COLUMNS, cells):
                try:
                    values.append(parse_value(text))
                except ValueError:
                    problems.append(
                        error_line(
                            f"{where}: {host_file} row {rec.row}",
                            column,
                            f"a number with spaces as thousands separators and '--' or '- -' "
                            f"for negatives, '..' for missing; got {text!r}",
                        )
                    )
                    values.append(float("nan"))
            rows.append((int(rec.row), filled[0] + 1, first, values))
        # Second pass: the hierarchy. A row is an aggregate if the next data row is deeper,
        # or if its label is one of UNCTAD's regions (even without a breakdown here).
        codes = names_to_iso3([r[2] for r in rows], strict=False)
        stack: list[tuple[int, str, int]] = []  # (level, label, row) of enclosing aggregates
        for k, (row_no, level, label, values) in enumerate(rows):
            deeper_next = k + 1 < len(rows) and rows[k + 1][1] > level
            while stack and stack[-1][0] >= level:
                stack.pop()
            parent, parent_row = (stack[-1][1], stack[-1][2]) if stack else (None, -1)
            code = codes[label]
            if code is None:
                problems.append(
                    error_line(
                        f"{where}: {host_file} row {row_no}",
                        "region / economy label",
                        f"a known UNCTAD economy or region name, got {label!r}",
                    )
                )
                kind, origin = "aggregate", None
            elif code == "QNS":
                kind, origin = "unspecified", None
            elif deeper_next or is_aggregate(code):
                kind, origin = "aggregate", None
            else:
                kind, origin = "economy", code
            if deeper_next:
                stack.append((level, label, row_no))
            for year, value in zip(YEARS, values):
                records.append(
                    (host, origin, label, level, kind, parent, parent_row, year, value,
                     str(host_file), row_no)
                )
    if problems:
        raise HedgelabError(problems)
    out = pd.DataFrame.from_records(
        records,
        columns=[
            "host", "origin", "origin_label", "level", "kind", "parent", "parent_row",
            "year", "value", "host_file", "row",
        ],
    )
    return out.astype(
        {
            "host": "string", "origin": "string", "origin_label": "string", "level": "int8",
            "kind": "string", "parent": "string", "parent_row": "int32", "year": "int16",
            "value": "float64",
            "host_file": "string", "row": "int32",
        }
    )


def read_unctad_fdi(path: str | Path) -> pd.DataFrame:
    """Read and parse one raw UNCTAD file (no cache). See the module docstring for columns.

    Raises
    ------
    HedgelabError
        Unreadable file, missing columns, unparsable cells, unknown labels.
    """
    path = Path(path)
    where = f"{DATASET}: {path.name}"
    raw = read_csv(path, where, REQUIRED_COLUMNS, dtype=str, keep_default_na=False)
    row = pd.to_numeric(raw["row"], errors="coerce")
    if row.isna().any():
        bad = raw.loc[row.isna(), "row"].iloc[0]
        raise HedgelabError(error_line(where, "row", f"whole row numbers, got {bad!r}"))
    raw["row"] = row.astype(int)
    return parse_unctad_table(raw, file=path.name)


def load_unctad_fdi(data_dir: str | Path | None = None) -> pd.DataFrame:
    """Load the UNCTAD bilateral FDI table (tidy, see module docstring), via the Parquet cache.

    Parameters
    ----------
    data_dir : path, optional
        Data directory (``--data-dir``); default ``HEDGELAB_DATA``.
    """
    path = dataset_file(DATASET, FILENAME, data_dir)
    return cached(f"{DATASET}", LOADER_VERSION, [path], lambda: read_unctad_fdi(path))
