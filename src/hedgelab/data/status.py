"""What ``hedgelab data status`` reports: each dataset found or not, rows, years, checksum.

The exit code (:func:`status_code`) says whether the data can be used: 0 all files present and
matching the manifest, 1 some missing (or no data directory), 2 a checksum mismatch.
"""

from __future__ import annotations

import gzip
import re
from pathlib import Path
from typing import Any

import pandas as pd

from hedgelab.data.sources import DATASETS, checksum_state, find_data_dir, sha256_file

__all__ = ["dataset_status", "status_code"]

_YEAR_COLS = ("year", "Year", "Delivery year")


def _rows(path: Path) -> int:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as fh:  # type: ignore[operator]
        n = sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(1 << 20), b""))
    return max(n - 1, 0)


def _years(path: Path) -> str | None:
    try:
        header = pd.read_csv(path, nrows=0).columns
        wide = [c for c in header if re.fullmatch(r"\d{4}", str(c))]
        if wide:
            return f"{min(wide)}-{max(wide)}"
        col = next((c for c in _YEAR_COLS if c in header), None)
        if col is None:
            return None
        ys = pd.to_numeric(pd.read_csv(path, usecols=[col])[col], errors="coerce").dropna()
        return f"{int(ys.min())}-{int(ys.max())}" if not ys.empty else None
    except Exception:  # noqa: BLE001 - status must report, not fail, on a damaged file
        return "unreadable"


def dataset_status(data_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """One dict per registered dataset (its main file): dataset, found, where, rows, years,
    sha256, checksum ("ok" / "MISMATCH" / "" over all its files against the directory's
    manifest), mismatched (files whose checksum differs), licence, obtain, redistributable,
    files_missing."""
    root = find_data_dir(data_dir)
    has_root = root is not None and root.is_dir()
    out = []
    for ds in DATASETS.values():
        main = root / ds.dir_name / ds.files[0] if root is not None else None
        missing = [f for f in ds.files if not has_root or not (root / ds.dir_name / f).is_file()]
        found = main is not None and main.is_file()
        states = {f: checksum_state(root, f"{ds.dir_name}/{f}") for f in ds.files if f not in missing} if has_root else {}
        mismatched = [f for f, st in states.items() if st == "MISMATCH"]
        checked = [st for st in states.values() if st]
        out.append(
            {
                "dataset": ds.name,
                "title": ds.title,
                "found": found,
                "where": str(main) if main is not None else None,
                "rows": _rows(main) if found else None,
                "years": (_years(main) if found else None) or (ds.years if found else None),
                "sha256": sha256_file(main) if found else None,
                "checksum": ("MISMATCH" if mismatched else "ok") if checked else "",
                "mismatched": mismatched,
                "licence": ds.licence,
                "obtain": ds.obtain,
                "redistributable": ds.redistributable,
                "files_missing": missing,
            }
        )
    return out


def status_code(rows: list[dict[str, Any]]) -> int:
    """Exit code of ``hedgelab data status``: 2 if any checksum differs from the manifest, else 1
    if any dataset file is missing (or there is no data directory), else 0."""
    if any(r["mismatched"] for r in rows):
        return 2
    if any(r["files_missing"] for r in rows):
        return 1
    return 0
