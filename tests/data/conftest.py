"""Fixtures for the data tests: the shared data folder, an isolated cache, synthetic files."""

from __future__ import annotations

from pathlib import Path

import pytest

from hedgelab.data import cache

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "data"


@pytest.fixture(autouse=True)
def _isolated(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test: no HEDGELAB_DATA from the environment, a per-session cache folder."""
    monkeypatch.delenv("HEDGELAB_DATA", raising=False)
    monkeypatch.setenv("HEDGELAB_CACHE", str(_session_cache(tmp_path_factory)))


_CACHE: list[Path] = []


def _session_cache(factory: pytest.TempPathFactory) -> Path:
    if not _CACHE:
        _CACHE.append(factory.mktemp("hedgelab-cache"))
    return _CACHE[0]


@pytest.fixture
def shared_data() -> Path:
    """``shared/data`` beside the repository; skip when it is absent."""
    if not (SHARED / "imf_dots").is_dir():
        pytest.skip(f"shared data not found at {SHARED}")
    return SHARED.resolve()


@pytest.fixture
def fresh_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty cache folder of its own and no in-memory copies."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("HEDGELAB_CACHE", str(folder))
    cache.clear_memory()
    yield folder
    cache.clear_memory()
