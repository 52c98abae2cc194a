"""What ``hedgelab data status`` reports: each dataset found or not, rows, years, checksum."""

from __future__ import annotations

import gzip
import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from hedgelab.data.sources import DATASETS, find_data_dir, sha256_file

__all__ = ["dataset_status"]

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


def _sums(root: Path) -> dict[str, str]:
    f = root / "SHA256SUMS"
    if not f.is_file():
        return {}
    out = {}
    for line in f.read_text().splitlines():
        parts = line.split()
        if len(parts) == 2:
            out[os.path.normpath(parts[1].lstrip("*"))] = parts[0]
    return out


def dataset_status(data_dir: str | Path | None = None) -> list[dict[str, Any]]:
    """One dict per registered dataset (its main file): dataset, found, where, rows, years,
    sha256, checksum ("ok"/"MISMATCH"/"" against the directory's SHA256SUMS), licence, obtain,
    redistributable, files_missing."""
    root = find_data_dir(data_dir)
    sums = _sums(root) if root is not None and root.is_dir() else {}
    out = []
    for ds in DATASETS.values():
        main = root / ds.dir_name / ds.files[0] if root is not None else None
        missing = [f for f in ds.files if root is None or not (root / ds.dir_name / f).is_file()]
        found = main is not None and main.is_file()
        sha = sha256_file(main) if found else None
        expected = sums.get(os.path.normpath(f"{ds.dir_name}/{ds.files[0]}"))
        out.append(
            {
                "dataset": ds.name,
                "title": ds.title,
                "found": found,
                "where": str(main) if main is not None else None,
                "rows": _rows(main) if found else None,
                "years": (_years(main) if found else None) or (ds.years if found else None),
                "sha256": sha,
                "checksum": ("ok" if expected == sha else "MISMATCH") if found and expected else "",
                "licence": ds.licence,
                "obtain": ds.obtain,
                "redistributable": ds.redistributable,
                "files_missing": missing,
            }
        )
    return out
