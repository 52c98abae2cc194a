#!/usr/bin/env python
"""Benchmark: every registered indicator for ten countries over all years, cold vs warm cache.

Run by hand (not collected by pytest)::

    python benchmarks/bench_indicators.py [DATA_DIR] [--repeat 3]

DATA_DIR defaults to ``$HEDGELAB_DATA``, else ``../shared/data`` beside the repository.
Three conditions, side by side in one run, per indicator and in total:

* ``cold``: empty Parquet cache and no in-memory copies: every source file is parsed;
* ``warm-disk``: Parquet cache filled, in-memory copies dropped (a new process, in effect);
* ``warm-mem``: both filled (repeated calls in one process).

Each cell is the best of ``--repeat`` runs (cold: a fresh cache folder per run).
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

import pandas as pd

from hedgelab.data import cache, sources
from hedgelab.data.indicators import compute, registry
from hedgelab.data.shipped_table import SHIPPED_PARTNERS

COUNTRIES = ("JPN", "AUS", "KOR", "GBR", "DEU", "PHL", "IND", "USA", "CHN", "CAN")


def _run_all(data_dir: str) -> tuple[dict[str, float], int]:
    times: dict[str, float] = {}
    rows = 0
    for name in registry():
        t0 = time.perf_counter()
        for c in COUNTRIES:
            try:
                df = compute(c, [name], partners=SHIPPED_PARTNERS, data_dir=data_dir)
                rows += len(df)
            except Exception:  # noqa: BLE001 - e.g. hedging_index is undefined for USA/CHN
                pass
        times[name] = time.perf_counter() - t0
    return times, rows


def main() -> None:
    """Run the three conditions and print a table of seconds."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("data_dir", nargs="?")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    data_dir = args.data_dir or os.environ.get("HEDGELAB_DATA") or str(default.resolve())
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        best: dict[str, dict[str, float]] = {"cold": {}, "warm-disk": {}, "warm-mem": {}}
        n_rows = 0
        for i in range(args.repeat):
            os.environ["HEDGELAB_CACHE"] = str(Path(tmp) / f"cold{i}")
            cache.clear_memory()
            sources._SHA_MEMO.clear()
            cold, n_rows = _run_all(data_dir)
            cache.clear_memory()
            sources._SHA_MEMO.clear()
            disk, _ = _run_all(data_dir)
            mem, _ = _run_all(data_dir)
            for label, t in (("cold", cold), ("warm-disk", disk), ("warm-mem", mem)):
                for k, v in t.items():
                    best[label][k] = min(best[label].get(k, float("inf")), v)
        results = best
    table = pd.DataFrame(results)
    table.loc["TOTAL"] = table.sum()
    table["cold/warm-disk"] = table["cold"] / table["warm-disk"]
    print(f"hedgelab indicator benchmark: {len(registry())} indicators x {len(COUNTRIES)} countries "
          f"x {len(SHIPPED_PARTNERS)} partners, all years; {n_rows} rows; best of {args.repeat}")
    print(f"python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}, data {data_dir}")
    print(table.to_string(float_format=lambda v: f"{v:8.3f}"))


if __name__ == "__main__":
    main()
