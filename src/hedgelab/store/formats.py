"""File formats that carry hedgelab's metadata: Parquet with the provenance record and the units
of every column in its schema metadata (key ``hedgelab``), and numbers written to text with at
most 7 significant digits (float32 carries about 7; more digits would be noise such as
0.9000000357627869)."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

METADATA_KEY = b"hedgelab"
SIGNIFICANT_DIGITS = 7
TEXT_FLOAT_FORMAT = f"%.{SIGNIFICANT_DIGITS}g"
"""``float_format`` for CSV writers."""


def significant(value: float) -> float | None:
    """``value`` rounded to :data:`SIGNIFICANT_DIGITS` significant digits; None if not finite
    (JSON has no NaN)."""
    if value is None or not math.isfinite(value):
        return None
    return float(f"{value:.{SIGNIFICANT_DIGITS}g}")


def parquet_writer(frame: pd.DataFrame, metadata: Mapping[str, Any]) -> Callable[[Path], None]:
    """A writer (for :func:`hedgelab.store.write_atomic` and output sets) of ``frame`` as Parquet
    with ``metadata`` as JSON under the schema metadata key ``hedgelab``."""

    def write(path: Path) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        merged = {**(table.schema.metadata or {}), METADATA_KEY: json.dumps(metadata, sort_keys=True).encode()}
        pq.write_table(table.replace_schema_metadata(merged), path)

    return write


def read_parquet_metadata(path: Path) -> dict[str, Any]:
    """The ``hedgelab`` metadata of a Parquet file written by :func:`parquet_writer`."""
    raw = pq.read_schema(path).metadata or {}
    return json.loads(raw[METADATA_KEY]) if METADATA_KEY in raw else {}
