#!/usr/bin/env python
"""Benchmark: every registered indicator for ten countries over all years, cold vs warm cache.

Run by hand (not collected by pytest)::

    python benchmarks/bench_indicators.py [DATA_DIR] [--repeat 3]

DATA_DIR defaults to ``$HEDGELAB_DATA``, else ``../shared/data`` beside the repository.
First the loaders alone (parsing vs reading the cache), then every indicator for every country
(the loaders' tables already in place). Three conditions, side by side in one run:

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


LOADERS = {
    "imf_dots": ("hedgelab.data.loaders.imf_dots", "load_dots", ()),
    "cow_trade dyadic": ("hedgelab.data.loaders.cow_trade", "load_cow_dyadic", ()),
    "cow_trade national": ("hedgelab.data.loaders.cow_trade", "load_cow_national", ()),
    "cow_nmc": ("hedgelab.data.loaders.cow_nmc", "load_nmc", ()),
    "alliances_atop": ("hedgelab.data.loaders.atop", "load_atop", ()),
    "cow_states": ("hedgelab.data.loaders.cow_states", "load_states", ()),
    "sipri_milex (gdp)": ("hedgelab.data.loaders.sipri_milex", "load_sipri_milex", ("share_of_gdp",)),
    "sipri_milex_owid": ("hedgelab.data.loaders.sipri_milex", "load_sipri_owid", ()),
    "sipri_arms_transfers": ("hedgelab.data.loaders.sipri_arms", "load_sipri_arms", ()),
    "worldbank gdp": ("hedgelab.data.loaders.worldbank", "load_wdi", ("gdp",)),
}


def _load_all(data_dir: str) -> dict[str, float]:
    import importlib

    times = {}
    for label, (mod, fn, extra) in LOADERS.items():
        f = getattr(importlib.import_module(mod), fn)
        t0 = time.perf_counter()
        f(*extra, data_dir=data_dir)
        times[f"load {label}"] = time.perf_counter() - t0
    return times


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
            cold = _load_all(data_dir)
            cold_ind, n_rows = _run_all(data_dir)
            cache.clear_memory()
            sources._SHA_MEMO.clear()
            disk = _load_all(data_dir)
            disk_ind, _ = _run_all(data_dir)
            mem = _load_all(data_dir)
            mem_ind, _ = _run_all(data_dir)
            cold.update(cold_ind)
            disk.update(disk_ind)
            mem.update(mem_ind)
            for label, t in (("cold", cold), ("warm-disk", disk), ("warm-mem", mem)):
                for k, v in t.items():
                    best[label][k] = min(best[label].get(k, float("inf")), v)
        results = best
    table = pd.DataFrame(results)
    loads = [i for i in table.index if i.startswith("load ")]
    inds = [i for i in table.index if not i.startswith("load ")]
    table.loc["TOTAL loading"] = table.loc[loads].sum()
    table.loc["TOTAL indicators"] = table.loc[inds].sum()
    table.loc["TOTAL"] = table.loc[["TOTAL loading", "TOTAL indicators"]].sum()
    table["cold/warm-disk"] = table["cold"] / table["warm-disk"]
    print(f"hedgelab indicator benchmark: {len(registry())} indicators x {len(COUNTRIES)} countries "
          f"x {len(SHIPPED_PARTNERS)} partners, all years; {n_rows} rows; best of {args.repeat}")
    print(f"python {platform.python_version()}, pandas {pd.__version__}, {platform.machine()}, data {data_dir}")
    print(table.to_string(float_format=lambda v: f"{v:8.3f}"))


if __name__ == "__main__":
    main()
