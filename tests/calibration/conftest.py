"""Fixtures for the calibration and backtest tests: the shared data folder and an isolated cache."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"
_CACHE: list[Path] = []


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """No HEDGELAB_DATA from the environment; one parsed-table cache for the whole session."""
    monkeypatch.delenv("HEDGELAB_DATA", raising=False)
    if not _CACHE:
        _CACHE.append(tmp_path_factory.mktemp("hedgelab-cache"))
    monkeypatch.setenv("HEDGELAB_CACHE", str(_CACHE[0]))


@pytest.fixture
def shared_data() -> Path:
    """``shared/data`` beside the repository; skip when it is absent."""
    if not (SHARED / "imf_dots").is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED.resolve()
