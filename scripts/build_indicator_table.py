#!/usr/bin/env python
"""Rebuild the indicator table shipped with hedgelab from a data directory.

Usage::

    python scripts/build_indicator_table.py [DATA_DIR] [--out PATH]

DATA_DIR defaults to ``$HEDGELAB_DATA``, else ``../shared/data`` beside the repository. Only
redistributable datasets are used (IMF DOTS, World Bank WDI, COW, ATOP; see docs/indicators.md).
The result goes to ``src/hedgelab/data/shipped/indicators.csv`` unless ``--out`` is given.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from hedgelab.data.shipped_table import build_table, shipped_path, write_table
from hedgelab.errors import HedgelabError


def main(argv: list[str] | None = None) -> int:
    """Build the table and write it; print a one-line summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", nargs="?", default=None)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args(argv)
    default = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
    data_dir = args.data_dir or os.environ.get("HEDGELAB_DATA") or str(default)
    try:
        table = build_table(data_dir)
    except HedgelabError as err:
        for line in err.lines:
            print(line, file=sys.stderr)
        return 2
    out = write_table(table, args.out or shipped_path())
    size = out.stat().st_size
    print(f"wrote {out}: {len(table)} rows, {table['indicator'].nunique()} indicators, "
          f"{table['country'].nunique()} countries, {size / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
