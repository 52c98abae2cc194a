"""Regenerate the backtest tables of docs/backtests.md (between the ``backtest-tables`` markers).

Every cell: ``hedgelab.analysis.backtest.backtest(country, start, END, data_dir, n_paths=PATHS,
seed=SEED, mode=mode)`` for the countries and start years below, in both modes; MAE in the
indicator's unit, 90% interval coverage in brackets; "best" is the lowest MAE (ties name every
method that reaches it). Usage::

    python scripts/render_backtest_tables.py --data-dir ../shared/data          # rewrite the docs
    python scripts/render_backtest_tables.py --data-dir ../shared/data --csv x.csv  # also the cells
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from hedgelab.analysis.backtest import MODES, backtest

DOCS = Path(__file__).resolve().parents[1] / "docs" / "backtests.md"
START, STOP = "<!-- backtest-tables:start -->", "<!-- backtest-tables:end -->"
COUNTRIES = ("JPN", "KOR", "AUS", "DEU", "GBR")
STARTS = (2000, 2005, 2010)
END = 2019
PATHS = 200
SEED = 0
METHODS = ("model", "persistence", "trend")


def cells(data_dir: str) -> pd.DataFrame:
    """One row per country, start year, mode and scored indicator."""
    rows = []
    for country in COUNTRIES:
        for start in STARTS:
            for mode in MODES:
                result = backtest(country, start, END, data_dir, n_paths=PATHS, seed=SEED, mode=mode)
                for r in result.summary.itertuples():
                    if r.indicator == "unga_ideal_distance":  # no model counterpart
                        continue
                    rows.append({"country": country, "start": start, "mode": mode,
                                 "indicator": f"{r.indicator} {r.partner}" if isinstance(r.partner, str) and r.partner else r.indicator,
                                 "mae_model": r.mae_model, "mae_persistence": r.mae_persistence,
                                 "mae_trend": r.mae_trend, "cover_model": r.cover90_model,
                                 "cover_persistence": r.cover90_persistence, "cover_trend": r.cover90_trend})
    return pd.DataFrame(rows)


def _best(row: pd.Series) -> str:
    lowest = min(row[f"mae_{m}"] for m in METHODS)
    return "=".join(m for m in METHODS if row[f"mae_{m}"] == lowest)


def render(table: pd.DataFrame) -> str:
    """The markdown of both modes' tables with the counts stated plainly."""
    out = [START, ""]
    for mode in MODES:
        part = table[table["mode"] == mode]
        out += [f"### {mode.capitalize()} (MAE; 90% interval coverage in brackets)", "",
                "| country | from | indicator | model | persistence | trend | best |", "|---|---|---|---|---|---|---|"]
        for _, r in part.iterrows():
            shown = " | ".join(f"{r[f'mae_{m}']:.4f} [{r[f'cover_{m}']:.2f}]" for m in METHODS)
            out.append(f"| {r['country']} | {r['start']} | {r['indicator']} | {shown} | {_best(r)} |")
        best = part.apply(_best, axis=1).str.split("=").apply(lambda names: "model" in names)
        beats = part["mae_model"] < part["mae_persistence"]
        trade = part["indicator"].str.startswith("trade")
        n = len(part)
        out += ["", f"**{mode}: the model has the lowest MAE in {best.sum()} of {n} cells ({best.mean():.0%}); "
                f"it beats persistence in {beats.sum()} of {n} ({beats.mean():.0%}). Trade shares: best in "
                f"{best[trade].sum()} of {trade.sum()}; spending: best in {best[~trade].sum()} of {(~trade).sum()}.**", "",
                "Mean 90% coverage: " + ", ".join(f"{m} {part[f'cover_{m}'].mean():.2f}" for m in METHODS) + ".", ""]
    return "\n".join([*out, STOP])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", required=True, help="the data directory (laid out like shared/data)")
    parser.add_argument("--csv", type=Path, help="also write every cell to this CSV file")
    args = parser.parse_args()
    table = cells(args.data_dir)
    if args.csv:
        table.to_csv(args.csv, index=False)
    text = DOCS.read_text(encoding="utf-8")
    head, _, rest = text.partition(START)
    _, _, tail = rest.partition(STOP)
    DOCS.write_text(head + render(table) + tail, encoding="utf-8")
    print(f"wrote {DOCS}")


if __name__ == "__main__":
    main()
