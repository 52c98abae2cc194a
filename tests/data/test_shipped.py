"""The shipped table: small, redistributable sources only, equal to a rebuild from shared/data."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hedgelab.data.indicators import COLUMNS
from hedgelab.data.shipped_table import SHIPPED_COUNTRIES, build_table, load_shipped, shipped_path
from hedgelab.data.sources import DATASETS


def test_small_and_redistributable() -> None:
    assert shipped_path().stat().st_size < 2_000_000
    t = load_shipped()
    assert list(t.columns) == COLUMNS
    used = {part.split(" ")[0] for s in t["source"].unique() for part in s.split("+")}
    assert used <= {n for n, d in DATASETS.items() if d.redistributable}, used
    assert set(t["country"]) == set(SHIPPED_COUNTRIES)
    assert t["value"].notna().all()


@pytest.mark.slow
def test_equals_rebuild(data_dir: Path) -> None:
    shipped = load_shipped().reset_index(drop=True)
    rebuilt = build_table(data_dir).reset_index(drop=True)
    rebuilt["partner"] = rebuilt["partner"].astype(object).where(rebuilt["partner"].notna(), None)
    for c in ("indicator", "country", "unit", "source"):
        shipped[c] = shipped[c].astype(str)
        rebuilt[c] = rebuilt[c].astype(str)
    try:
        pd.testing.assert_frame_equal(shipped, rebuilt, check_exact=False, rtol=1e-12, check_dtype=False)
    except AssertionError as err:  # pragma: no cover - the message is the point
        raise AssertionError(
            f"the shipped table differs from a rebuild: run `python scripts/build_indicator_table.py` "
            f"after changing a loader or indicator that feeds it\n{err}"
        ) from None
