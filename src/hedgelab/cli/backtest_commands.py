"""CLI command ``hedgelab backtest``: score the model's projections against the data.

Thin adapter over :func:`hedgelab.analysis.backtest.backtest`: parse, call, print.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated

import typer

from hedgelab.cli.common import OutputFormat, reports_errors, stdout_console


def _fmt(value: float, digits: int = 4) -> str:
    return "n/a" if value is None or not math.isfinite(value) else f"{value:.{digits}f}"


@reports_errors
def backtest_command(
    country: Annotated[str, typer.Option("--country", "-c", help="Focal state, ISO3 (e.g. JPN).")],
    start: Annotated[int, typer.Option("--from", help="First year: the model starts from the data of this year.")],
    end: Annotated[int, typer.Option("--to", help="Last year scored.")],
    data_dir: Annotated[
        Path | None, typer.Option("--data-dir", help="Data directory (else $HEDGELAB_DATA).")
    ] = None,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
    paths: Annotated[int, typer.Option("--paths", help="Simulated paths (the projection is their mean).")] = 100,
    trend_window: Annotated[
        int, typer.Option("--trend-window", help="Years, ending at --from, that the linear-trend baseline is fitted on.")
    ] = 10,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the model's shocks.")] = 0,
) -> None:
    """Backtest: start the model from the data at --from, project to --to, score against the data
    next to persistence and linear-trend baselines (mean absolute error per indicator)."""
    from hedgelab.analysis.backtest import backtest

    result = backtest(country, start, end, data_dir, n_paths=paths, trend_window=trend_window, seed=seed)
    if fmt is OutputFormat.json:
        sys.stdout.write(json.dumps(result.to_dict(), allow_nan=False) + "\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write(result.rows.to_csv(index=False, float_format="%.10g", lineterminator="\n"))
        return
    from rich import box
    from rich.table import Table

    table = Table(title=f"Backtest {result.country} {result.start}->{result.end}: mean absolute error "
                        f"over {result.start + 1}-{result.end}", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("indicator", "vs", "n", "model", "persist.", "trend", "best"):
        numeric = col in ("n", "model", "persist.", "trend")
        table.add_column(col, justify="right" if numeric else "left", no_wrap=True, min_width=3 if numeric else None)
    units = {}
    for r in result.summary.itertuples(index=False):
        partner = r.partner if isinstance(r.partner, str) else ""
        table.add_row(r.indicator, partner, str(r.n_years), _fmt(r.mae_model), _fmt(r.mae_persistence),
                      _fmt(r.mae_trend), r.best.replace("persistence", "persist."))
        units[r.indicator] = r.unit
    stdout_console.print(table)
    stdout_console.print("  vs = partner; n = years scored; persist. = persistence", highlight=False)
    for name, unit in units.items():
        stdout_console.print(f"  {name}: {unit}", highlight=False)
    for note in result.notes:
        stdout_console.print(f"  {note}", highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``backtest`` to ``app``."""
    app.command("backtest")(backtest_command)
