"""Fixtures for the D2 data tests (UNGA, UNCTAD, ICEWS, FDI, hedging index, episodes).

Data are read from the ``shared/data`` folder beside the repository root; tests that need them
are skipped when it is absent. The Parquet cache goes to a temporary folder for this package.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="package", autouse=True)
def _d2_cache(tmp_path_factory: pytest.TempPathFactory):
    """Send the Parquet cache to a temporary folder while this package runs."""
    old = os.environ.get("HEDGELAB_CACHE")
    os.environ["HEDGELAB_CACHE"] = str(tmp_path_factory.mktemp("d2_cache"))
    yield
    if old is None:
        os.environ.pop("HEDGELAB_CACHE", None)
    else:
        os.environ["HEDGELAB_CACHE"] = old


@pytest.fixture(scope="session")
def data_dir() -> Path:
    """The shared data directory, or skip."""
    if not DATA.is_dir():
        pytest.skip(f"shared data not found at {DATA}")
    return DATA
