"""Fixtures for the data tests: an empty cache of a test's own.

The shared data folder (``data_dir``) and the isolated session cache are in tests/conftest.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hedgelab.data import cache


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of its own and no in-memory copies."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("HEDGELAB_CACHE", str(folder))
    cache.clear_memory()
    yield folder
    cache.clear_memory()
