"""Parquet cache of parsed tables, keyed by the source files' SHA-256 and the loader's version.

A loader calls :func:`cached` with the files it reads, its own version string and a function that
parses them. The key is the SHA-256 of (loader name, loader version, each file's SHA-256), so a
changed file or a new loader version makes a new entry; stale entries are never read.

Writes are atomic: the table goes to a temporary file in the same folder, then
:func:`os.replace` moves it into place. A failure while parsing writes nothing; a failure while
writing removes the temporary file. A cache file that cannot be read (truncated by a crash of
another program, say) is ignored and rebuilt.

The cache folder is ``HEDGELAB_CACHE`` if set, else ``$XDG_CACHE_HOME/hedgelab``, else
``~/.cache/hedgelab``. ``HEDGELAB_CACHE=off`` disables it. Parsed tables are also kept in memory
for the life of the process (:func:`clear_memory` empties that).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from pathlib import Path

import pandas as pd

from hedgelab.data.sources import sha256_file
from hedgelab.errors import HedgelabError
from hedgelab.store import write_atomic

__all__ = ["cache_dir", "cache_key", "cached", "clear_memory", "stats"]

_MEMORY: dict[str, pd.DataFrame] = {}
_DEEP = int(pd.__version__.split(".")[0]) < 3  # before pandas 3, copy-on-write is off by default
stats: dict[str, int] = {"memory_hits": 0, "disk_hits": 0, "builds": 0}
"""Counters for tests and the benchmark."""


def cache_dir() -> Path | None:
    """The cache folder, or None when caching on disk is off."""
    env = os.environ.get("HEDGELAB_CACHE", "").strip()
    if env.lower() in {"off", "0", "none", "false"}:
        return None
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    base = Path(xdg).expanduser() if xdg else Path.home() / ".cache"
    return base / "hedgelab"


def cache_key(name: str, version: str, files: Sequence[Path]) -> str:
    """SHA-256 over the loader's name and version and each source file's SHA-256."""
    h = hashlib.sha256(f"{name}\0{version}".encode())
    for f in files:
        h.update(b"\0" + sha256_file(Path(f)).encode())
    return h.hexdigest()


def clear_memory() -> None:
    """Forget the in-process copies (the Parquet files stay)."""
    _MEMORY.clear()


def cached(
    name: str,
    version: str,
    files: Sequence[Path],
    build: Callable[[], pd.DataFrame],
    *,
    directory: Path | None = None,
    memory: bool = True,
) -> pd.DataFrame:
    """Return ``build()``'s table, from memory or Parquet when the inputs are unchanged.

    Parameters
    ----------
    name : str
        Loader name (one folder per loader inside the cache).
    version : str
        Loader version; bump it whenever the parsing changes.
    files : sequence of Path
        Source files the table is parsed from (their SHA-256 enters the key).
    build : callable
        Parses the files; may raise :class:`~hedgelab.errors.HedgelabError` (nothing is written).
    directory : Path, optional
        Cache folder (default :func:`cache_dir`).
    memory : bool
        Also keep the table in memory for this process.

    Returns
    -------
    pandas.DataFrame
        A copy callers can modify freely: shallow under pandas >= 3 (copy-on-write means nothing
        is copied until they write), deep before.
    """
    key = cache_key(name, version, files)
    if memory and key in _MEMORY:
        stats["memory_hits"] += 1
        return _MEMORY[key].copy(deep=_DEEP)
    folder = directory if directory is not None else cache_dir()
    target = folder / name / f"{key}.parquet" if folder is not None else None
    df: pd.DataFrame | None = None
    if target is not None and target.is_file():
        try:
            df = pd.read_parquet(target)
            stats["disk_hits"] += 1
        except Exception:  # noqa: BLE001 - a damaged cache entry is rebuilt, never trusted
            df = None
    if df is None:
        df = build()
        stats["builds"] += 1
        if target is not None:
            try:
                write_atomic(target, lambda tmp: df.to_parquet(tmp, index=False))
            except (OSError, HedgelabError):  # read-only or full disk: the cache is an optimisation only
                pass
    if memory:
        _MEMORY[key] = df
    return df.copy(deep=_DEEP)
