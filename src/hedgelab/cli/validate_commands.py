"""CLI group ``hedgelab validate``: validations of the model against history.

``hedgelab validate coercion`` is a thin adapter over
:func:`hedgelab.analysis.coercion_validation.validate_coercion`: the AUC of China's trade
share, the model's coercion response, and both with political triggers, in and out of sample,
with bootstrap intervals, and the within-country ranks of the coerced years.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Annotated

import typer

from hedgelab.cli.common import OutputFormat, reports_errors, stdout_console

validate_app = typer.Typer(help="Validate the model against history.", no_args_is_help=True)


def _num(value: object) -> object:
    return None if isinstance(value, float) and not math.isfinite(value) else value


@reports_errors
def coercion_command(
    data_dir: Annotated[Path | None, typer.Option("--data-dir", help="Data directory (else $HEDGELAB_DATA).")] = None,
    first: Annotated[int, typer.Option("--from", help="First year of the country-years.")] = 2005,
    last: Annotated[int, typer.Option("--to", help="Last year of the country-years.")] = 2020,
    split_year: Annotated[int, typer.Option("--split-year", help="Last fitting year of the time split; later years are scored.")] = 2012,
    window: Annotated[int, typer.Option("--window", help="Years of the trigger window ending with the year.")] = 2,
    continuity: Annotated[float, typer.Option("--continuity", help="Continuity correction of the trigger rate ratio.")] = 0.5,
    icews_quantile: Annotated[float, typer.Option("--icews-quantile", help="ICEWS trigger: conflict share above this quantile of the country's past.")] = 0.75,
    n_boot: Annotated[int, typer.Option("--boot", help="Bootstrap replicates per AUC.")] = 1000,
    seed: Annotated[int, typer.Option("--seed", help="Bootstrap seed.")] = 20261203,
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = OutputFormat.table,
) -> None:
    """Coercion hazard vs trade share, with and without political triggers: AUC within years
    (in sample, fit on years to --split-year and score later ones, leave one country out) with
    bootstrap 95% intervals and the number of positives; ranks of the coerced years."""
    from hedgelab.analysis.coercion_validation import validate_coercion, validation_frame

    frame = validation_frame(years=range(first, last + 1), window=window, icews_quantile=icews_quantile,
                             data_dir=data_dir)
    result = validate_coercion(frame, split_year=split_year, continuity=continuity, n_boot=n_boot, seed=seed)
    if fmt is OutputFormat.json:
        payload = {name: [{k: _num(v) for k, v in row.items()} for row in table.to_dict(orient="records")]
                   for name, table in result.tables().items()}
        payload["settings"] = {**result.settings, "window": window, "icews_quantile": icews_quantile,
                               "years": [first, last]}
        sys.stdout.write(json.dumps(payload, allow_nan=False) + "\n")
        return
    if fmt is OutputFormat.csv:
        sys.stdout.write(result.auc.to_csv(index=False, float_format="%.4g", lineterminator="\n"))
        return
    from rich import box
    from rich.table import Table

    table = Table(title=f"Coercion ranking, AUC within years ({first}-{last}; trigger window {window} y; "
                        f"time split after {split_year})", box=box.SIMPLE_HEAD, pad_edge=False)
    for col in ("triggers", "model", "scheme", "years", "pos.", "AUC", "95% interval", "effect"):
        table.add_column(col, justify="right" if col in ("pos.", "AUC", "effect") else "left", no_wrap=True)
    for r in result.auc.itertuples(index=False):
        effect = "" if not math.isfinite(r.effect) else f"x{r.effect:.1f}"
        table.add_row(r.triggers, r.model, r.scheme.replace("out of sample: ", "oos: "), r.years, str(r.positives),
                      f"{r.auc:.3f}", f"{r.lower:.2f}-{r.upper:.2f}", effect)
    stdout_console.print(table)
    ranks = Table(title="Rank of each coerced year within its country's own years (1 = highest)",
                  box=box.SIMPLE_HEAD, pad_edge=False)
    for col in result.ranks.columns:
        ranks.add_column(str(col).replace(" (leave one country out)", " (LOCO)"), no_wrap=True)
    for row in result.ranks.itertuples(index=False):
        ranks.add_row(*[f"{v:g}" if isinstance(v, float) else str(v) for v in row])
    stdout_console.print(ranks)
    agree = result.agreement
    stdout_console.print(f"  curated vs ICEWS triggers, {agree.attrs['years']}: " + "; ".join(
        f"curated {a}/ICEWS {b}: {n}" for a, b, n in agree.itertuples(index=False))
        + f"; Spearman (curated count, ICEWS conflict share) {agree.attrs['spearman_count_vs_conflict_share']:.2f}",
        highlight=False)
    stdout_console.print(f"  bootstrap: {n_boot} replicates, seed {seed}, country-years resampled within "
                         "(coerced, period) strata, fit and score rerun on each", highlight=False)


def register(app: typer.Typer) -> None:
    """Add the ``validate`` group to ``app``."""
    validate_app.command("coercion")(coercion_command)
    app.add_typer(validate_app, name="validate")
