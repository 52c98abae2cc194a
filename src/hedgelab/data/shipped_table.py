"""The indicator table shipped with the package (``data/shipped/indicators.parquet``).

It holds indicator series hedgelab computed itself from datasets whose terms allow
redistribution with attribution (IMF DOTS, World Bank WDI, COW, ATOP, UNGA), for Japan and every
comparator, so ``hedgelab indicators --country JPN`` works on a fresh install. It holds no raw
data. ``scripts/build_indicator_table.py`` rebuilds it from a data directory; a test checks the
file equals a rebuild from ``shared/data``.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

from hedgelab.errors import HedgelabError, error_line

__all__ = [
    "SHIPPED_COUNTRIES",
    "SHIPPED_INDICATORS",
    "SHIPPED_PARTNERS",
    "build_table",
    "load_shipped",
    "shipped_path",
]

SHIPPED_COUNTRIES: tuple[str, ...] = ("JPN", "AUS", "KOR", "GBR", "DEU", "PHL", "IND", "USA", "CHN")
"""Focal countries in the shipped table: Japan, the comparators, the two great powers."""

SHIPPED_PARTNERS: tuple[str, ...] = (
    "USA", "CHN", "JPN", "AUS", "KOR", "GBR", "DEU", "PHL", "IND", "RUS", "TWN", "CAN",
    "BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "SGP", "THA", "VNM", "HKG", "EUU",
)
"""Partners of the dyadic indicators in the shipped table: the README's country set, Hong Kong,
and the EU (``EUU``, a partner unit in IMF DOTS only)."""

SHIPPED_INDICATORS: tuple[str, ...] = (
    "trade_share_exports",
    "trade_share_imports",
    "trade_share_total",
    "trade_hhi",
    "dependence_asymmetry",
    "milex_gdp",
    "cinc",
    "alliance_defense",
    "unga_ideal_distance",
    "unga_agreement",
    "hedging_index",
    "hedging_economic_tilt",
    "hedging_security_tilt",
)
"""Indicators shipped, all computed from redistributable sources (IMF, World Bank, COW, ATOP,
UNGA). Names not registered (a module missing) are skipped by :func:`build_table`."""


def shipped_path() -> Path:
    """Path of the shipped Parquet file inside the installed package."""
    return Path(__file__).resolve().parent / "shipped" / "indicators.parquet"


@lru_cache(maxsize=1)
def load_shipped() -> pd.DataFrame:
    """The shipped table (columns of :data:`hedgelab.data.indicators.COLUMNS`)."""
    path = shipped_path()
    if not path.is_file():
        raise HedgelabError(error_line("shipped table", str(path), "the indicator table installed with hedgelab"))
    df = pd.read_parquet(path)
    for c in ("indicator", "country", "unit", "source"):
        df[c] = df[c].astype(object)
    df["year"] = df["year"].astype("int64")
    df["value"] = df["value"].astype("float64")
    df["partner"] = df["partner"].astype(object).where(df["partner"].notna(), None)
    return df


def build_table(data_dir: str | Path) -> pd.DataFrame:
    """Compute the shipped table from a data directory (redistributable datasets only)."""
    from hedgelab.data.indicators import COLUMNS, compute, registry

    reg = registry()
    names = [n for n in SHIPPED_INDICATORS if n in reg]
    frames = []
    for country in SHIPPED_COUNTRIES:
        frames.append(
            compute(country, names, partners=SHIPPED_PARTNERS, data_dir=data_dir,
                    redistributable_only=True, use_shipped=False)
        )
    out = pd.concat(frames, ignore_index=True)
    out = out.sort_values(["indicator", "country", "partner", "year"], na_position="first", kind="stable")
    out = out.reset_index(drop=True)[COLUMNS]
    out.attrs = {}
    return out


def write_table(df: pd.DataFrame, path: Path | None = None) -> Path:
    """Write the table as Parquet (zstd; atomic replace)."""
    import os

    from hedgelab.store import write_atomic

    def write(tmp: Path) -> None:
        df.to_parquet(tmp, index=False, compression="zstd")
        os.chmod(tmp, 0o644)

    target = path or shipped_path()
    write_atomic(target, write)
    load_shipped.cache_clear()
    return target
