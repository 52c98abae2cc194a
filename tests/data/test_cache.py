"""The Parquet cache: keyed by checksum and version, atomic, nothing half-written."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from hedgelab.data import cache
from hedgelab.errors import HedgelabError


def _src(tmp_path: Path, text: str = "a,b\n1,2\n") -> Path:
    p = tmp_path / "src.csv"
    p.write_text(text)
    return p


def test_builds_once_then_hits(tmp_path: Path, fresh_cache: Path) -> None:
    src = _src(tmp_path)
    calls = []

    def build() -> pd.DataFrame:
        calls.append(1)
        return pd.read_csv(src)

    a = cache.cached("t", "1", [src], build)
    b = cache.cached("t", "1", [src], build)  # memory
    cache.clear_memory()
    c = cache.cached("t", "1", [src], build)  # disk
    assert len(calls) == 1
    pd.testing.assert_frame_equal(a, b)
    pd.testing.assert_frame_equal(a, c)
    files = list((fresh_cache / "t").glob("*"))
    assert len(files) == 1 and files[0].suffix == ".parquet"


def test_key_changes_with_file_and_version(tmp_path: Path, fresh_cache: Path) -> None:
    src = _src(tmp_path)
    k1 = cache.cache_key("t", "1", [src])
    assert cache.cache_key("t", "2", [src]) != k1
    src.write_text("a,b\n1,3\n")
    assert cache.cache_key("t", "1", [src]) != k1


def test_failed_build_writes_nothing(tmp_path: Path, fresh_cache: Path) -> None:
    src = _src(tmp_path)

    def build() -> pd.DataFrame:
        raise HedgelabError("bad input")

    with pytest.raises(HedgelabError):
        cache.cached("t", "1", [src], build)
    assert not any(fresh_cache.rglob("*.parquet"))
    assert not any(fresh_cache.rglob("*.tmp"))


def test_failed_write_leaves_no_temp_file(tmp_path: Path, fresh_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = _src(tmp_path)

    def broken_to_parquet(self: pd.DataFrame, path: str, **kw: object) -> None:
        Path(path).write_bytes(b"PAR1 half")
        raise KeyboardInterrupt  # killed mid-write

    monkeypatch.setattr(pd.DataFrame, "to_parquet", broken_to_parquet)
    with pytest.raises(KeyboardInterrupt):
        cache.cached("t", "1", [src], lambda: pd.read_csv(src))
    assert [p for p in fresh_cache.rglob("*") if p.is_file()] == []


def test_damaged_entry_is_rebuilt(tmp_path: Path, fresh_cache: Path) -> None:
    src = _src(tmp_path)
    cache.cached("t", "1", [src], lambda: pd.read_csv(src))
    entry = next((fresh_cache / "t").glob("*.parquet"))
    entry.write_bytes(b"garbage")
    cache.clear_memory()
    df = cache.cached("t", "1", [src], lambda: pd.read_csv(src))
    assert df["b"].tolist() == [2]
    assert pd.read_parquet(entry)["b"].tolist() == [2]


def test_cache_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HEDGELAB_CACHE", "off")
    assert cache.cache_dir() is None
    src = _src(tmp_path)
    cache.clear_memory()
    assert cache.cached("t", "1", [src], lambda: pd.read_csv(src), memory=False)["a"].tolist() == [1]
