"""Small helpers for indicator modules."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from hedgelab.data.sources import dataset, find_data_dir

__all__ = ["empty", "has_file", "frame"]


def empty() -> pd.DataFrame:
    """An empty indicator frame (country, partner, year, value, source)."""
    return pd.DataFrame({"country": pd.Series(dtype=object), "partner": pd.Series(dtype=object),
                         "year": pd.Series(dtype="int64"), "value": pd.Series(dtype="float64"),
                         "source": pd.Series(dtype=object)})


def frame(country: str, partner: object, year: object, value: object, source: object) -> pd.DataFrame:
    """Build an indicator frame from columns (scalars are broadcast)."""
    df = pd.DataFrame({"year": year, "value": value})
    df.insert(0, "partner", partner)
    df.insert(0, "country", country)
    df["source"] = source
    return df[["country", "partner", "year", "value", "source"]]


def has_file(name: str, data_dir: Path | None, file: str | None = None) -> bool:
    """True if the dataset file exists in the data directory (no error if not)."""
    root = find_data_dir(data_dir)
    if root is None:
        return False
    ds = dataset(name)
    return (root / ds.dir_name / (file or ds.files[0])).is_file()
