"""Small helpers for indicator modules."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hedgelab.data.sources import dataset, find_data_dir

__all__ = ["empty", "frame", "growth_percent", "has_file"]


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


def growth_percent(values: pd.Series, step: int) -> pd.Series:
    """Percent change of a series indexed by year over the previous value ``step`` years earlier.

    ``100 * (v[t] / v[t - step] - 1)``, defined only where the value ``step`` years earlier exists
    and is positive (a change from zero or from a negative net flow has no percentage). ``step``
    is 1 for annual series and the window length for window totals.
    """
    prev = values.reindex(values.index - step).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        g = 100.0 * (values.to_numpy() / prev - 1.0)
    out = pd.Series(g, index=values.index)
    return out[np.isfinite(prev) & (prev > 0) & np.isfinite(out.to_numpy())]
